-- The instance's logo, as the server re-encoded it (app/logo): a PNG with nothing of the
-- upload but its pixels. One row at most; etag is the hex SHA-256 of png and names the
-- version in its URL. The name, description and languages are rows of settings.
CREATE TABLE instance_logo (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    png {{.Bytes}} NOT NULL,
    etag VARCHAR(64) NOT NULL,
    width INTEGER NOT NULL,
    height INTEGER NOT NULL,
    updated_at {{.Timestamp}} NOT NULL
);
