-- The audit log: what administrators and trainers did to others, and when. Who (the account
-- and its username at the time, or the command line, or the server itself), what (an action
-- code, its target and a small detail), when. Never an IP address or a user agent.
--   - actor_kind is 'user', 'cli' (a `cairn` command on the server) or 'server' (the daily
--     retention purge). For 'user', a NULL actor_id means the person's account was deleted:
--     store.DeleteUser clears actor_id and actor_name, like the author of a live question.
--   - target_kind says what target_id names ('user', 'cohort', 'live_session', 'plan',
--     'invite', 'setting', or '' for none). A person as target is cleared the same way when
--     they are deleted. target_name is a username or a cohort's or session's name at the time.
--   - detail never names a person: ids of things, a role, a mode, counts.
-- Entries older than the retention setting are purged (app/retention).
CREATE TABLE audit_log (
    id {{.IDPrimaryKey}},
    created_at {{.Timestamp}} NOT NULL,
    actor_kind VARCHAR(16) NOT NULL,
    actor_id BIGINT,
    actor_name VARCHAR(200) NOT NULL,
    action VARCHAR(64) NOT NULL,
    target_kind VARCHAR(16) NOT NULL,
    target_id BIGINT,
    target_name VARCHAR(300) NOT NULL,
    detail VARCHAR(500) NOT NULL
);
--bun:split
CREATE INDEX audit_log_created_idx ON audit_log (created_at, id);
--bun:split
CREATE INDEX audit_log_actor_idx ON audit_log (actor_id, id);
--bun:split
CREATE INDEX audit_log_action_idx ON audit_log (action, id);
--bun:split
CREATE INDEX audit_log_target_idx ON audit_log (target_kind, target_id);
