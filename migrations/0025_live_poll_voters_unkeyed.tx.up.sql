-- A vote guard row no longer carries a foreign key to users. PostgreSQL checked it with a
-- trigger per row that locks the person's users row (FOR KEY SHARE, written to the WAL):
-- about a third of a vote batch's cost, spent while the poll that caused the storm is still
-- being delivered (docs/BENCHMARKS.md, "Where PostgreSQL's time goes"). The batch already
-- joins users, so a vote of someone deleted is not written; account deletion deletes the
-- person's rows itself (store.deleteUser), and the daily purge removes any row written by
-- a vote that raced that deletion (store.DeleteOrphanVoteGuards).
{{if .Postgres}}ALTER TABLE live_poll_voters DROP CONSTRAINT live_poll_voters_user_id_fkey{{else}}CREATE TABLE live_poll_voters_new (
    poll_id BIGINT NOT NULL REFERENCES live_polls (id) ON DELETE CASCADE,
    user_id BIGINT NOT NULL,
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
