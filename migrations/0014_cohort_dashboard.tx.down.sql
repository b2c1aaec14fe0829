CREATE INDEX quiz_attempts_user_course_idx ON quiz_attempts (user_id, course_id, quiz_id);
--bun:split
DROP INDEX quiz_attempts_scores_idx;
--bun:split
DROP INDEX users_name_key_idx;
--bun:split
ALTER TABLE users DROP COLUMN name_key;
