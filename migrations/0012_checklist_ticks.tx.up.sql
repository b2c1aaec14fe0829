-- Ticks of a lesson's "what now" checklist (courses/README.md): one row per item a learner
-- ticked, by the permanent ids of course, lesson and item. Deliberately no time: a tick
-- needs none, and the enrolment already records when a learner was last active in the
-- course (docs/SECURITY.md). WITHOUT ROWID on SQLite, so no hidden number records the order
-- in which items were ticked.
CREATE TABLE checklist_ticks (
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    course_id VARCHAR(64) NOT NULL,
    lesson_id VARCHAR(64) NOT NULL,
    item_id VARCHAR(64) NOT NULL,
    PRIMARY KEY (user_id, course_id, lesson_id, item_id)
){{if not .Postgres}} WITHOUT ROWID{{end}};
