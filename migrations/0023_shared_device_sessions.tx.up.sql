-- A sign-in on a shared or borrowed device ("this is not my device" on the sign-in form) ends
-- after a short idle time and lifetime, and its cookie ends with the browser (app/web
-- session_keep.go). Nothing about the device itself is stored.
ALTER TABLE sessions ADD COLUMN shared_device BOOLEAN NOT NULL DEFAULT FALSE;
