DROP TABLE settings;
--bun:split
DROP TABLE invites;
--bun:split
DROP TABLE password_resets;
--bun:split
DROP TABLE recovery_codes;
--bun:split
DROP TABLE sessions;
--bun:split
DROP TABLE users;
