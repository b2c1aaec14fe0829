-- Each serving instance holds a lease it renews every few seconds. Attendance rows name the
-- instance that opened them, so the rows of an instance that stopped without closing them
-- (killed, crashed, cut off) are closed by any other instance once its lease runs out, at
-- its last renewal; and presence counts only the connections of instances alive now.
CREATE TABLE live_instances (
    id VARCHAR(32) PRIMARY KEY,
    renewed_at {{.Timestamp}} NOT NULL,
    lease_until {{.Timestamp}} NOT NULL
);
--bun:split
ALTER TABLE live_attendance ADD COLUMN instance_id VARCHAR(32) NULL;
--bun:split
CREATE INDEX live_attendance_open_idx ON live_attendance (instance_id) WHERE left_at IS NULL;
--bun:split
-- Rows still open from before were opened by instances that are gone (a running instance
-- closes its rows when it stops for the upgrade): when those people left is not known, so
-- their stretch ends where it began rather than never.
UPDATE live_attendance SET left_at = joined_at WHERE left_at IS NULL;
