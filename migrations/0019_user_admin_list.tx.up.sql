-- The administrators' account list (store.ListUsersPage) reads 50 accounts at a time in
-- username order (username_key), seeking past the last one shown rather than counting an
-- OFFSET, so that page 2,000 of 100,000 accounts costs what page 1 does. Each filter that
-- keeps few accounts gets an index in that same order, so the database walks only matches:
--   - by role: administrators and trainers are few among many learners;
--   - disabled accounts only: a partial index holding just them.
-- The activity filters use users_active_on_idx (migration 0017). A search matches any part
-- of the username or shown name and reads the username index in order until a page is full
-- (docs/BENCHMARKS.md has the measurements).
CREATE INDEX users_role_username_idx ON users (role, username_key);
--bun:split
CREATE INDEX users_disabled_username_idx ON users (username_key) WHERE disabled_at IS NOT NULL;
--bun:split
-- Every column a filter reads, in username order: a search (which reads until a page is full)
-- and the counts walk this index alone and look an account's row up only when it matches.
CREATE INDEX users_admin_list_idx ON users (username_key, name_key, role, active_on, disabled_at);
