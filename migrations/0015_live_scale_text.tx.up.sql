-- Scale polls (1 to 5): the words the trainer puts at the two ends of the scale ("not at
-- all confident" … "very confident"). Empty for other polls.
ALTER TABLE live_polls ADD COLUMN low_label VARCHAR(80) NOT NULL DEFAULT '';
--bun:split
ALTER TABLE live_polls ADD COLUMN high_label VARCHAR(80) NOT NULL DEFAULT '';
--bun:split
-- Open-text polls: the words the trainer hid from the word cloud, as a JSON list of their
-- normalised keys (app/wordcloud). Empty for other polls.
ALTER TABLE live_polls ADD COLUMN hidden_words TEXT NOT NULL DEFAULT '';
--bun:split
-- The answers to open-text polls, one per participant (the guard row in live_poll_voters
-- refuses a second). user_id is NULL for an anonymous poll: those answers are written in the
-- same mixed batches as anonymous votes, with a random id and no time, so nothing orders
-- one against its writer's rows (docs/SECURITY.md). On SQLite WITHOUT ROWID keeps them in
-- (poll, random id) order, with no hidden number that follows insertion.
CREATE TABLE live_poll_answers (
    poll_id BIGINT NOT NULL REFERENCES live_polls (id) ON DELETE CASCADE,
    id BIGINT NOT NULL,
    user_id BIGINT NULL REFERENCES users (id) ON DELETE SET NULL,
    body VARCHAR(200) NOT NULL,
    PRIMARY KEY (poll_id, id)
){{if not .Postgres}} WITHOUT ROWID{{end}};
