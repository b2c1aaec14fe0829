DROP TABLE live_hands;
--bun:split
DROP TABLE live_attendance;
--bun:split
DROP TABLE live_question_upvotes;
--bun:split
DROP TABLE live_questions;
--bun:split
DROP TABLE live_poll_counts;
--bun:split
DROP TABLE live_poll_voters;
--bun:split
DROP TABLE live_polls;
--bun:split
DROP TABLE live_sessions;
--bun:split
DROP TABLE cohort_members;
--bun:split
DROP TABLE cohorts;
