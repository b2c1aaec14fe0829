-- Vote guard rows no longer carry foreign keys. PostgreSQL checked each with a trigger per
-- row: the users key locked the person's users row (FOR KEY SHARE, written to the WAL), the
-- poll's key locked the poll's row once per vote; together about half a vote batch's cost,
-- spent while the poll that caused the storm is still being delivered (docs/BENCHMARKS.md).
-- Every statement that writes a guard row already reads the poll and the account. Deleting a
-- poll still deletes its rows, now through one trigger per statement; account deletion
-- deletes the person's rows itself (store.deleteUser); and the daily purge removes any row
-- written by a vote that raced either deletion (store.DeleteOrphanVoteGuards).
{{if .Postgres}}ALTER TABLE live_poll_voters DROP CONSTRAINT live_poll_voters_user_id_fkey{{else}}CREATE TABLE live_poll_voters_new (
    poll_id BIGINT NOT NULL,
    user_id BIGINT NOT NULL,
    choice VARCHAR(700) NULL,
    voted_at {{.Timestamp}} NOT NULL,
    PRIMARY KEY (poll_id, user_id)
) WITHOUT ROWID{{end}};
--bun:split
{{if .Postgres}}ALTER TABLE live_poll_voters DROP CONSTRAINT live_poll_voters_poll_id_fkey{{else}}INSERT INTO live_poll_voters_new (poll_id, user_id, choice, voted_at)
SELECT poll_id, user_id, choice, voted_at FROM live_poll_voters ORDER BY poll_id, user_id{{end}};
--bun:split
{{if .Postgres}}-- The function keeps the schema it was made in (SET search_path FROM CURRENT): instances
-- may share a database in separate schemas, and a poll deleted from a session whose
-- search_path names another one must still delete this schema's rows.
CREATE FUNCTION live_poll_voters_follow_polls() RETURNS trigger LANGUAGE plpgsql
SET search_path FROM CURRENT AS $$
BEGIN
    DELETE FROM live_poll_voters v USING gone_polls g WHERE v.poll_id = g.id;
    RETURN NULL;
END
$${{else}}DROP TABLE live_poll_voters{{end}};
--bun:split
{{if .Postgres}}SELECT 1{{else}}ALTER TABLE live_poll_voters_new RENAME TO live_poll_voters{{end}};
--bun:split
{{if .Postgres}}CREATE TRIGGER live_poll_voters_follow_polls AFTER DELETE ON live_polls
REFERENCING OLD TABLE AS gone_polls FOR EACH STATEMENT EXECUTE FUNCTION live_poll_voters_follow_polls(){{else}}CREATE TRIGGER live_poll_voters_follow_polls AFTER DELETE ON live_polls
BEGIN
    DELETE FROM live_poll_voters WHERE poll_id = OLD.id;
END{{end}};
