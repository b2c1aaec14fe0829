ALTER TABLE live_sessions DROP COLUMN step_minutes;
--bun:split
ALTER TABLE live_sessions DROP COLUMN step_text;
--bun:split
ALTER TABLE live_sessions DROP COLUMN step_kind;
--bun:split
DROP TABLE cohort_plans;
--bun:split
DROP TABLE live_session_plans;
--bun:split
DROP TABLE session_plan_steps;
--bun:split
DROP TABLE session_plans;
