-- The key a learner's shown name (display name, else username) is searched and sorted by on
-- the cohort dashboard: case-folded, accents and other combining marks removed, so "José"
-- is found by "jose" on SQLite and PostgreSQL alike. SQL cannot compute it: NULL means
-- "not computed yet", and Cairn fills it in Go right after migrating (store.BackfillNameKeys).
ALTER TABLE users ADD COLUMN name_key TEXT NULL;
--bun:split
CREATE INDEX users_name_key_idx ON users (name_key, id);
