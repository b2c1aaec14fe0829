-- What administration and retention need to know about an account's use, and no more:
--   - active_on is the UTC day (midnight) the person last used the account: set at sign-in and
--     by the first request of each day. A day, not an instant, so that it can never be lined up
--     with an anonymous question or vote. Filtering users by last activity and purging accounts
--     inactive for N days read it. Existing accounts start from their creation day.
--   - disabled_at is when an admin disabled the account (it cannot sign in; its data is kept);
--     NULL while the account is enabled.
ALTER TABLE users ADD COLUMN active_on {{.Timestamp}};
--bun:split
UPDATE users SET active_on = created_at;
--bun:split
ALTER TABLE users ADD COLUMN disabled_at {{.Timestamp}};
--bun:split
CREATE INDEX users_active_on_idx ON users (active_on, id);
