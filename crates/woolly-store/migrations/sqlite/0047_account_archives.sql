-- Members' archives of their accounts (Mastodon's `backups`): asked for once a week at most,
-- built by a job into a ZIP file under the archives directory (`file_key`), then ready.
-- Keep this file and ../postgres/0047_account_archives.sql in step: a test compares the two schemas.
CREATE TABLE account_archive (
    id         BIGINT PRIMARY KEY,
    account_id BIGINT NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    file_key   TEXT,
    size       BIGINT,
    created_at BIGINT NOT NULL,
    ready_at   BIGINT
);
CREATE INDEX account_archive_account ON account_archive (account_id, id);
