-- The cohort dashboard reads cohorts of tens of thousands of learners a page at a time.
--
-- The key a learner's shown name (display name, else username) is searched and sorted by:
-- case-folded, accents and other combining marks removed, so "José" is found by "jose" on
-- SQLite and PostgreSQL alike. SQL cannot compute it: NULL means "not computed yet", and
-- Cairn fills it in Go right after migrating (store.BackfillNameKeys).
ALTER TABLE users ADD COLUMN name_key TEXT NULL;
--bun:split
CREATE INDEX users_name_key_idx ON users (name_key, id);
--bun:split
-- Every learner's best score, passes and latest attempt per quiz, read from the index alone:
-- an attempt's row also holds its answers, which these counts never need. It starts with the
-- columns of quiz_attempts_user_course_idx, which it replaces.
CREATE INDEX quiz_attempts_scores_idx ON quiz_attempts (user_id, course_id, quiz_id, percent, passed, id);
--bun:split
DROP INDEX quiz_attempts_user_course_idx;
