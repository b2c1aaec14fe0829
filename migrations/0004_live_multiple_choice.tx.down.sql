{{if .Postgres}}ALTER TABLE live_poll_voters ALTER COLUMN choice TYPE VARCHAR(64) USING left(choice, 64){{else}}SELECT 1{{end}};
--bun:split
ALTER TABLE live_polls DROP COLUMN multiple;
