-- Pseudonymous accounts, sessions, recovery and instance settings.
-- No column here may hold an email address, a real name, an IP address or a user agent.
CREATE TABLE users (
    id {{.IDPrimaryKey}},
    username VARCHAR(64) NOT NULL,
    username_key VARCHAR(64) NOT NULL,
    display_name VARCHAR(100) NOT NULL DEFAULT '',
    password_hash TEXT NOT NULL,
    role VARCHAR(16) NOT NULL,
    locale VARCHAR(16) NOT NULL DEFAULT '',
    totp_secret TEXT NOT NULL DEFAULT '',
    totp_pending_secret TEXT NOT NULL DEFAULT '',
    totp_last_step BIGINT NOT NULL DEFAULT 0,
    created_at {{.Timestamp}} NOT NULL,
    updated_at {{.Timestamp}} NOT NULL,
    password_changed_at {{.Timestamp}} NOT NULL,
    CONSTRAINT users_role_check CHECK (role IN ('learner', 'trainer', 'admin'))
);
--bun:split
CREATE UNIQUE INDEX users_username_key_idx ON users (username_key);
--bun:split
CREATE TABLE sessions (
    id {{.IDPrimaryKey}},
    token_hash VARCHAR(64) NOT NULL,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    mfa_pending BOOLEAN NOT NULL,
    created_at {{.Timestamp}} NOT NULL,
    last_seen_at {{.Timestamp}} NOT NULL,
    expires_at {{.Timestamp}} NOT NULL
);
--bun:split
CREATE UNIQUE INDEX sessions_token_hash_idx ON sessions (token_hash);
--bun:split
CREATE INDEX sessions_user_id_idx ON sessions (user_id);
--bun:split
CREATE TABLE recovery_codes (
    id {{.IDPrimaryKey}},
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    code_hash VARCHAR(64) NOT NULL,
    created_at {{.Timestamp}} NOT NULL,
    used_at {{.Timestamp}} NULL
);
--bun:split
CREATE UNIQUE INDEX recovery_codes_user_code_idx ON recovery_codes (user_id, code_hash);
--bun:split
CREATE TABLE password_resets (
    id {{.IDPrimaryKey}},
    token_hash VARCHAR(64) NOT NULL,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at {{.Timestamp}} NOT NULL,
    expires_at {{.Timestamp}} NOT NULL,
    used_at {{.Timestamp}} NULL
);
--bun:split
CREATE UNIQUE INDEX password_resets_token_hash_idx ON password_resets (token_hash);
--bun:split
CREATE TABLE invites (
    id {{.IDPrimaryKey}},
    code_hash VARCHAR(64) NOT NULL,
    note VARCHAR(200) NOT NULL DEFAULT '',
    created_by BIGINT NULL REFERENCES users (id) ON DELETE SET NULL,
    max_uses INTEGER NOT NULL,
    uses INTEGER NOT NULL,
    created_at {{.Timestamp}} NOT NULL,
    expires_at {{.Timestamp}} NOT NULL,
    revoked_at {{.Timestamp}} NULL
);
--bun:split
CREATE UNIQUE INDEX invites_code_hash_idx ON invites (code_hash);
--bun:split
CREATE TABLE settings (
    key VARCHAR(64) PRIMARY KEY,
    value TEXT NOT NULL,
    updated_at {{.Timestamp}} NOT NULL
);
