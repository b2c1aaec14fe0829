-- Self-paced learning: enrolments, lesson completion and quiz attempts.
-- Courses and lessons live in files; rows refer to them by their permanent ids, so progress
-- survives re-ordering, re-wording and new course versions.
CREATE TABLE enrollments (
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    course_id VARCHAR(64) NOT NULL,
    started_at {{.Timestamp}} NOT NULL,
    last_activity_at {{.Timestamp}} NOT NULL,
    completed_at {{.Timestamp}} NULL,
    PRIMARY KEY (user_id, course_id)
);
--bun:split
CREATE TABLE lesson_progress (
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    course_id VARCHAR(64) NOT NULL,
    lesson_id VARCHAR(64) NOT NULL,
    completed_at {{.Timestamp}} NOT NULL,
    PRIMARY KEY (user_id, course_id, lesson_id)
);
--bun:split
CREATE TABLE quiz_attempts (
    id {{.IDPrimaryKey}},
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    course_id VARCHAR(64) NOT NULL,
    quiz_id VARCHAR(64) NOT NULL,
    attempt_key VARCHAR(64) NOT NULL,
    course_version VARCHAR(32) NOT NULL,
    lang VARCHAR(16) NOT NULL,
    score INTEGER NOT NULL,
    max_score INTEGER NOT NULL,
    percent INTEGER NOT NULL,
    passed BOOLEAN NOT NULL,
    answers TEXT NOT NULL,
    created_at {{.Timestamp}} NOT NULL
);
--bun:split
CREATE UNIQUE INDEX quiz_attempts_user_key_idx ON quiz_attempts (user_id, attempt_key);
--bun:split
CREATE INDEX quiz_attempts_user_course_idx ON quiz_attempts (user_id, course_id, quiz_id);
