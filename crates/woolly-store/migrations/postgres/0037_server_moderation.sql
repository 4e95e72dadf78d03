-- How this server deals with other servers, as Mastodon's domain blocks and allows do. A block
-- has a severity: "suspend" cuts the server off (nothing received, sent or fetched; what is
-- stored from it is purged by a job), "silence" limits its accounts (their posts reach only
-- their followers), "noop" only applies its options: media not shown inline (reject_media) and
-- reports from it ignored (reject_reports). Its comments are for moderators (private) and for
-- the public list (public), where the domain can be obfuscated. The accounts a block limited
-- are limited from the block's creation time, so that lifting it lifts exactly those.
-- Allows name the only servers talked to when the operator limits federation.
-- Keep this file and ../sqlite/0037_server_moderation.sql in step: a test compares the two schemas.
CREATE TABLE domain_block (
    id              BIGINT  PRIMARY KEY,
    domain          TEXT    NOT NULL,
    severity        TEXT    NOT NULL DEFAULT 'suspend',
    reject_media    BOOLEAN NOT NULL DEFAULT FALSE,
    reject_reports  BOOLEAN NOT NULL DEFAULT FALSE,
    private_comment TEXT    NOT NULL DEFAULT '',
    public_comment  TEXT    NOT NULL DEFAULT '',
    obfuscate       BOOLEAN NOT NULL DEFAULT FALSE,
    created_at      BIGINT  NOT NULL,
    updated_at      BIGINT  NOT NULL
);
CREATE UNIQUE INDEX domain_block_domain ON domain_block (domain);
-- The operator's earlier blocks, all of them cuts (ids made as Woolly makes them: the time in
-- milliseconds shifted by 16 bits, and a sequence).
INSERT INTO domain_block (id, domain, created_at, updated_at)
    SELECT created_at * 65536 + ROW_NUMBER() OVER (ORDER BY domain), domain, created_at, created_at
    FROM instance_domain_block;
DROP TABLE instance_domain_block;

CREATE TABLE domain_allow (
    id         BIGINT PRIMARY KEY,
    domain     TEXT   NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX domain_allow_domain ON domain_allow (domain);

-- An `admin.report` notification points at the report it tells moderators of; each report is
-- told once, even when one person files several.
ALTER TABLE notification ADD COLUMN report_id BIGINT REFERENCES report (id) ON DELETE CASCADE;
DROP INDEX notification_once;
CREATE UNIQUE INDEX notification_once ON notification (account_id, from_account_id, kind, coalesce(status_id, 0), coalesce(account_warning_id, 0), coalesce(report_id, 0));
