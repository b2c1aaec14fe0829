-- A learner's saved personal learning plan (the risk intake, courses/intake.yaml): their
-- answers, by question and answer ids, kept only when they chose "save this plan to my
-- account". One plan per learner; saving again replaces it. The plan itself is made from
-- the answers each time it is shown, so it follows the courses as they change; version is
-- the intake's version the answers were given to, so the page can say when the questions
-- changed since. saved_on is the UTC day, not the instant: nothing more is needed, and a
-- day cannot be lined up with other acts (docs/SECURITY.md).
CREATE TABLE intake_plans (
    user_id BIGINT PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    version INTEGER NOT NULL,
    answers TEXT NOT NULL,
    saved_on {{.Timestamp}} NOT NULL
);
