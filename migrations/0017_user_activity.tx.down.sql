DROP INDEX users_active_on_idx;
--bun:split
ALTER TABLE users DROP COLUMN disabled_at;
--bun:split
ALTER TABLE users DROP COLUMN active_on;
