-- One row that /readyz rewrites (at most every few seconds): the cheapest write that proves
-- the database still accepts them (not out of space, not read-only, not a standby).
CREATE TABLE readiness (
    id INTEGER PRIMARY KEY,
    checked_at {{.Timestamp}} NOT NULL
);
--bun:split
INSERT INTO readiness (id, checked_at) VALUES (1, CURRENT_TIMESTAMP);
