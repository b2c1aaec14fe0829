-- Live polls and quiz questions where a participant may tick several answers. The voter's
-- choices (not stored for anonymous polls) are kept as option ids joined by commas, so the
-- column grows to hold up to ten 64-character ids.
ALTER TABLE live_polls ADD COLUMN multiple BOOLEAN NOT NULL DEFAULT FALSE;
--bun:split
{{if .Postgres}}ALTER TABLE live_poll_voters ALTER COLUMN choice TYPE VARCHAR(700){{else}}SELECT 1{{end}};
