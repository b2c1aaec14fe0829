{{if .Postgres}}SELECT 1{{else}}CREATE TABLE live_poll_counts_old (
    poll_id BIGINT NOT NULL REFERENCES live_polls (id) ON DELETE CASCADE,
    choice VARCHAR(64) NOT NULL,
    shard INTEGER NOT NULL,
    votes INTEGER NOT NULL,
    PRIMARY KEY (poll_id, choice, shard)
){{end}};
--bun:split
{{if .Postgres}}SELECT 1{{else}}INSERT INTO live_poll_counts_old SELECT poll_id, choice, shard, votes FROM live_poll_counts{{end}};
--bun:split
{{if .Postgres}}SELECT 1{{else}}DROP TABLE live_poll_counts{{end}};
--bun:split
{{if .Postgres}}SELECT 1{{else}}ALTER TABLE live_poll_counts_old RENAME TO live_poll_counts{{end}};
--bun:split
{{if .Postgres}}SELECT 1{{else}}CREATE TABLE live_poll_voters_old (
    poll_id BIGINT NOT NULL REFERENCES live_polls (id) ON DELETE CASCADE,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    choice VARCHAR(700) NULL,
    voted_at {{.Timestamp}} NOT NULL,
    PRIMARY KEY (poll_id, user_id)
){{end}};
--bun:split
{{if .Postgres}}SELECT 1{{else}}INSERT INTO live_poll_voters_old SELECT poll_id, user_id, choice, voted_at FROM live_poll_voters{{end}};
--bun:split
{{if .Postgres}}SELECT 1{{else}}DROP TABLE live_poll_voters{{end}};
--bun:split
{{if .Postgres}}SELECT 1{{else}}ALTER TABLE live_poll_voters_old RENAME TO live_poll_voters{{end}};
--bun:split
ALTER TABLE live_polls DROP COLUMN uncounted;
