-- Cohorts (a trainer's group of learners for one course) and live sessions.
CREATE TABLE cohorts (
    id {{.IDPrimaryKey}},
    course_id VARCHAR(64) NOT NULL,
    name VARCHAR(100) NOT NULL,
    lang VARCHAR(16) NOT NULL,
    starts_on VARCHAR(10) NOT NULL DEFAULT '',
    ends_on VARCHAR(10) NOT NULL DEFAULT '',
    seat_limit INTEGER NOT NULL,
    join_code VARCHAR(32) NULL,
    created_by BIGINT NULL REFERENCES users (id) ON DELETE SET NULL,
    created_at {{.Timestamp}} NOT NULL
);
--bun:split
CREATE UNIQUE INDEX cohorts_join_code_idx ON cohorts (join_code);
--bun:split
CREATE TABLE cohort_members (
    cohort_id BIGINT NOT NULL REFERENCES cohorts (id) ON DELETE CASCADE,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    role VARCHAR(16) NOT NULL,
    joined_at {{.Timestamp}} NOT NULL,
    PRIMARY KEY (cohort_id, user_id),
    CONSTRAINT cohort_members_role_check CHECK (role IN ('learner', 'trainer'))
);
--bun:split
CREATE INDEX cohort_members_user_idx ON cohort_members (user_id);
--bun:split
CREATE TABLE live_sessions (
    id {{.IDPrimaryKey}},
    cohort_id BIGINT NOT NULL REFERENCES cohorts (id) ON DELETE CASCADE,
    title VARCHAR(200) NOT NULL,
    scheduled_at {{.Timestamp}} NULL,
    started_at {{.Timestamp}} NULL,
    ended_at {{.Timestamp}} NULL,
    step_lesson VARCHAR(64) NOT NULL DEFAULT '',
    step_section VARCHAR(200) NOT NULL DEFAULT '',
    seq BIGINT NOT NULL,
    created_by BIGINT NULL REFERENCES users (id) ON DELETE SET NULL,
    created_at {{.Timestamp}} NOT NULL
);
--bun:split
CREATE INDEX live_sessions_cohort_idx ON live_sessions (cohort_id);
--bun:split
CREATE TABLE live_polls (
    id {{.IDPrimaryKey}},
    session_id BIGINT NOT NULL REFERENCES live_sessions (id) ON DELETE CASCADE,
    kind VARCHAR(16) NOT NULL,
    quiz_module VARCHAR(64) NOT NULL DEFAULT '',
    question_id VARCHAR(64) NOT NULL DEFAULT '',
    prompt TEXT NOT NULL,
    options TEXT NOT NULL,
    anonymous BOOLEAN NOT NULL,
    min_group INTEGER NOT NULL,
    status VARCHAR(16) NOT NULL,
    created_at {{.Timestamp}} NOT NULL,
    closed_at {{.Timestamp}} NULL
);
--bun:split
CREATE INDEX live_polls_session_idx ON live_polls (session_id);
--bun:split
-- One row per participant per poll: the guard against double votes. For anonymous polls the
-- choice is NOT stored here.
CREATE TABLE live_poll_voters (
    poll_id BIGINT NOT NULL REFERENCES live_polls (id) ON DELETE CASCADE,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    choice VARCHAR(64) NULL,
    voted_at {{.Timestamp}} NOT NULL,
    PRIMARY KEY (poll_id, user_id)
);
--bun:split
-- Counts per option; for anonymous polls the only record of what was chosen (no row per
-- vote exists that could be matched to a voter by order or time). Each option's count is
-- spread over a few shard rows so that thousands of simultaneous votes do not queue on one
-- row lock; the count is their sum.
CREATE TABLE live_poll_counts (
    poll_id BIGINT NOT NULL REFERENCES live_polls (id) ON DELETE CASCADE,
    choice VARCHAR(64) NOT NULL,
    shard INTEGER NOT NULL,
    votes INTEGER NOT NULL,
    PRIMARY KEY (poll_id, choice, shard)
);
--bun:split
CREATE TABLE live_questions (
    id {{.IDPrimaryKey}},
    session_id BIGINT NOT NULL REFERENCES live_sessions (id) ON DELETE CASCADE,
    user_id BIGINT NULL REFERENCES users (id) ON DELETE SET NULL,
    body VARCHAR(500) NOT NULL,
    upvotes INTEGER NOT NULL,
    answered BOOLEAN NOT NULL,
    hidden BOOLEAN NOT NULL,
    created_at {{.Timestamp}} NOT NULL
);
--bun:split
CREATE INDEX live_questions_session_idx ON live_questions (session_id);
--bun:split
CREATE TABLE live_question_upvotes (
    question_id BIGINT NOT NULL REFERENCES live_questions (id) ON DELETE CASCADE,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    PRIMARY KEY (question_id, user_id)
);
--bun:split
CREATE TABLE live_attendance (
    id {{.IDPrimaryKey}},
    session_id BIGINT NOT NULL REFERENCES live_sessions (id) ON DELETE CASCADE,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    joined_at {{.Timestamp}} NOT NULL,
    left_at {{.Timestamp}} NULL
);
--bun:split
CREATE INDEX live_attendance_session_idx ON live_attendance (session_id, user_id);
--bun:split
CREATE TABLE live_hands (
    session_id BIGINT NOT NULL REFERENCES live_sessions (id) ON DELETE CASCADE,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    raised_at {{.Timestamp}} NOT NULL,
    PRIMARY KEY (session_id, user_id)
);
