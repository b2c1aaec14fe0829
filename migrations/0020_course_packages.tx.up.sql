-- Course packages imported through the admin page or `cairn courses import FILE.zip`: the
-- checked package itself (its canonical zip, a few hundred kilobytes), one row per course
-- version. Every instance builds its catalogue from the shipped or folder courses plus the
-- published rows, so imported courses survive restarts and reach every instance on one
-- PostgreSQL. At most one version of a course is published. Who imported is not kept here
-- (the audit log's business).
CREATE TABLE course_packages (
    id {{.IDPrimaryKey}},
    course_id VARCHAR(64) NOT NULL,
    version VARCHAR(64) NOT NULL,
    status VARCHAR(16) NOT NULL,
    checksum VARCHAR(64) NOT NULL,
    size BIGINT NOT NULL,
    package {{.Bytes}} NOT NULL,
    created_at {{.Timestamp}} NOT NULL,
    updated_at {{.Timestamp}} NOT NULL,
    published_at {{.Timestamp}} NULL
);
--bun:split
CREATE UNIQUE INDEX course_packages_version_idx ON course_packages (course_id, version);
--bun:split
CREATE UNIQUE INDEX course_packages_published_idx ON course_packages (course_id) WHERE status = 'published';
