-- The bodies of numbered live events, written in the transaction that makes the change. A
-- PostgreSQL notification carries at most 8,000 bytes, so an event too large for one (a
-- quiz explanation) is fetched from here by every instance; and a client that reconnects,
-- or missed events, is sent the ones after its number from here instead of a whole
-- snapshot. Kept briefly: the last events of each session, a few minutes, never after the
-- session ended (docs/SECURITY.md).
CREATE TABLE live_events (
    session_id BIGINT NOT NULL REFERENCES live_sessions (id) ON DELETE CASCADE,
    seq BIGINT NOT NULL,
    audience VARCHAR(16) NOT NULL,
    body TEXT NOT NULL,
    created_at {{.Timestamp}} NOT NULL,
    PRIMARY KEY (session_id, seq)
){{if not .Postgres}} WITHOUT ROWID{{end}};
--bun:split
CREATE INDEX live_events_created_at ON live_events (created_at);
