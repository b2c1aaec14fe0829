-- Session plans: a trainer's agenda for running a course live, prepared ahead and reused
-- across cohorts. A plan belongs to one trainer; shared, every trainer of the instance may
-- read, print, run and copy it, and only its owner changes it. Its notes are for trainers
-- only; a step's title is shown to participants when it is a discussion prompt or a break
-- (docs/SECURITY.md).
CREATE TABLE session_plans (
    id {{.IDPrimaryKey}},
    owner_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    course_id VARCHAR(64) NOT NULL,
    lang VARCHAR(16) NOT NULL,
    title VARCHAR(200) NOT NULL,
    shared BOOLEAN NOT NULL,
    source_module VARCHAR(64) NOT NULL,
    created_at {{.Timestamp}} NOT NULL,
    updated_at {{.Timestamp}} NOT NULL
);
--bun:split
CREATE INDEX session_plans_owner_idx ON session_plans (owner_id);
--bun:split
CREATE INDEX session_plans_shared_idx ON session_plans (course_id, shared);
--bun:split
-- The steps of a plan, in position order (0 first, no gaps). What a step does depends on
-- its kind: show a lesson (or one of its sections), open a poll, ask a quiz question of the
-- course, or show a discussion prompt or a break (its title) to participants.
CREATE TABLE session_plan_steps (
    id {{.IDPrimaryKey}},
    plan_id BIGINT NOT NULL REFERENCES session_plans (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    kind VARCHAR(16) NOT NULL,
    stage VARCHAR(16) NOT NULL,
    minutes INTEGER NOT NULL,
    title VARCHAR(300) NOT NULL,
    notes TEXT NOT NULL,
    lesson VARCHAR(64) NOT NULL,
    section VARCHAR(200) NOT NULL,
    quiz_module VARCHAR(64) NOT NULL,
    question_id VARCHAR(64) NOT NULL,
    options TEXT NOT NULL,
    anonymous BOOLEAN NOT NULL,
    multiple BOOLEAN NOT NULL,
    CONSTRAINT session_plan_steps_kind_check CHECK (kind IN ('lesson', 'poll', 'quiz', 'discussion', 'break'))
);
--bun:split
CREATE INDEX session_plan_steps_plan_idx ON session_plan_steps (plan_id, position);
--bun:split
-- Which plan a live session follows and where it stands: position is the step performed
-- last (-1 before the first), step_started_at when it was, started_at when the first was.
CREATE TABLE live_session_plans (
    session_id BIGINT PRIMARY KEY REFERENCES live_sessions (id) ON DELETE CASCADE,
    plan_id BIGINT NOT NULL REFERENCES session_plans (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    started_at {{.Timestamp}} NULL,
    step_started_at {{.Timestamp}} NULL
);
--bun:split
CREATE INDEX live_session_plans_plan_idx ON live_session_plans (plan_id);
--bun:split
-- The plan a cohort's sessions follow unless their trainer picks another.
CREATE TABLE cohort_plans (
    cohort_id BIGINT PRIMARY KEY REFERENCES cohorts (id) ON DELETE CASCADE,
    plan_id BIGINT NOT NULL REFERENCES session_plans (id) ON DELETE CASCADE
);
--bun:split
CREATE INDEX cohort_plans_plan_idx ON cohort_plans (plan_id);
--bun:split
-- A step may now be a text for everyone instead of a lesson: a discussion prompt or a
-- break, with the break's length in minutes.
ALTER TABLE live_sessions ADD COLUMN step_kind VARCHAR(16) NOT NULL DEFAULT '';
--bun:split
ALTER TABLE live_sessions ADD COLUMN step_text VARCHAR(300) NOT NULL DEFAULT '';
--bun:split
ALTER TABLE live_sessions ADD COLUMN step_minutes INTEGER NOT NULL DEFAULT 0;
