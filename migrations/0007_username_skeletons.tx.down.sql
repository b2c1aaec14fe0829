DROP INDEX users_username_skeleton_idx;
--bun:split
ALTER TABLE users DROP COLUMN username_skeleton;
