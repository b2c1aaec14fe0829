DROP TRIGGER live_poll_voters_follow_polls{{if .Postgres}} ON live_polls{{end}};
--bun:split
{{if .Postgres}}DROP FUNCTION live_poll_voters_follow_polls(){{else}}SELECT 1{{end}};
--bun:split
-- Rows of accounts or polls deleted meanwhile would break the keys: they go first.
DELETE FROM live_poll_voters WHERE NOT EXISTS (SELECT 1 FROM users u WHERE u.id = live_poll_voters.user_id)
    OR NOT EXISTS (SELECT 1 FROM live_polls p WHERE p.id = live_poll_voters.poll_id);
--bun:split
{{if .Postgres}}ALTER TABLE live_poll_voters ADD CONSTRAINT live_poll_voters_user_id_fkey FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE{{else}}CREATE TABLE live_poll_voters_old (
    poll_id BIGINT NOT NULL REFERENCES live_polls (id) ON DELETE CASCADE,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    choice VARCHAR(700) NULL,
    voted_at {{.Timestamp}} NOT NULL,
    PRIMARY KEY (poll_id, user_id)
) WITHOUT ROWID{{end}};
--bun:split
{{if .Postgres}}ALTER TABLE live_poll_voters ADD CONSTRAINT live_poll_voters_poll_id_fkey FOREIGN KEY (poll_id) REFERENCES live_polls (id) ON DELETE CASCADE{{else}}INSERT INTO live_poll_voters_old (poll_id, user_id, choice, voted_at)
SELECT poll_id, user_id, choice, voted_at FROM live_poll_voters ORDER BY poll_id, user_id{{end}};
--bun:split
{{if .Postgres}}SELECT 1{{else}}DROP TABLE live_poll_voters{{end}};
--bun:split
{{if .Postgres}}SELECT 1{{else}}ALTER TABLE live_poll_voters_old RENAME TO live_poll_voters{{end}};
