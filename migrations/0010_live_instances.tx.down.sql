DROP INDEX live_attendance_open_idx;
--bun:split
ALTER TABLE live_attendance DROP COLUMN instance_id;
--bun:split
DROP TABLE live_instances;
