-- Votes of an anonymous poll that were recorded without their choice, because the batch
-- they came in held fewer voters than the poll's minimum group (see docs/SECURITY.md).
ALTER TABLE live_polls ADD COLUMN uncounted INTEGER NOT NULL DEFAULT 0;
--bun:split
-- On SQLite an ordinary table numbers its rows in insertion order (the hidden rowid), so the
-- n-th voter row and the n-th count row of a poll would line up. WITHOUT ROWID tables are
-- kept in primary-key order and carry no such number. PostgreSQL has no hidden number of
-- this kind; there the batches do the work.
{{if .Postgres}}SELECT 1{{else}}CREATE TABLE live_poll_voters_new (
    poll_id BIGINT NOT NULL REFERENCES live_polls (id) ON DELETE CASCADE,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    choice VARCHAR(700) NULL,
    voted_at {{.Timestamp}} NOT NULL,
    PRIMARY KEY (poll_id, user_id)
) WITHOUT ROWID{{end}};
--bun:split
{{if .Postgres}}SELECT 1{{else}}INSERT INTO live_poll_voters_new (poll_id, user_id, choice, voted_at)
SELECT poll_id, user_id, choice, voted_at FROM live_poll_voters ORDER BY poll_id, user_id{{end}};
--bun:split
{{if .Postgres}}SELECT 1{{else}}DROP TABLE live_poll_voters{{end}};
--bun:split
{{if .Postgres}}SELECT 1{{else}}ALTER TABLE live_poll_voters_new RENAME TO live_poll_voters{{end}};
--bun:split
{{if .Postgres}}SELECT 1{{else}}CREATE TABLE live_poll_counts_new (
    poll_id BIGINT NOT NULL REFERENCES live_polls (id) ON DELETE CASCADE,
    choice VARCHAR(64) NOT NULL,
    shard INTEGER NOT NULL,
    votes INTEGER NOT NULL,
    PRIMARY KEY (poll_id, choice, shard)
) WITHOUT ROWID{{end}};
--bun:split
{{if .Postgres}}SELECT 1{{else}}INSERT INTO live_poll_counts_new (poll_id, choice, shard, votes)
SELECT poll_id, choice, shard, votes FROM live_poll_counts ORDER BY poll_id, choice, shard{{end}};
--bun:split
{{if .Postgres}}SELECT 1{{else}}DROP TABLE live_poll_counts{{end}};
--bun:split
{{if .Postgres}}SELECT 1{{else}}ALTER TABLE live_poll_counts_new RENAME TO live_poll_counts{{end}};
