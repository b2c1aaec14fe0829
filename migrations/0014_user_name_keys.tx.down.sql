DROP INDEX users_name_key_idx;
--bun:split
ALTER TABLE users DROP COLUMN name_key;
