-- The UTS #39 confusable skeleton of each username, unique so that no two accounts can look
-- alike ("paypa1" and "paypal"). It cannot be computed in SQL: NULL means "not computed
-- yet", and Cairn fills it in Go right after migrating (store.BackfillUsernameSkeletons).
-- NULLs never collide in a unique index, on SQLite or PostgreSQL, so existing accounts are
-- kept; one whose skeleton an older account already holds stays NULL and is reported.
ALTER TABLE users ADD COLUMN username_skeleton TEXT NULL;
--bun:split
CREATE UNIQUE INDEX users_username_skeleton_idx ON users (username_skeleton);
