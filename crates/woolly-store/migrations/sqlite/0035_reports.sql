-- Reports: what someone asked this server's moderators to look at, about one account and some
-- of its posts. `account_id` is who reported: a local user, or the instance actor of the
-- server that sent a Flag. A report is open until a moderator resolves it (`action_taken_at`).
-- Keep this file and ../postgres/0035_reports.sql in step: a test compares the two schemas.
CREATE TABLE report (
    id                         INTEGER PRIMARY KEY,
    account_id                 BIGINT NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    target_account_id          BIGINT NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    -- JSON arrays of ids: the statuses reported, and the rules (their ids) said to be broken.
    status_ids                 TEXT   NOT NULL DEFAULT '[]',
    rule_ids                   TEXT   NOT NULL DEFAULT '[]',
    comment                    TEXT   NOT NULL DEFAULT '',
    category                   TEXT   NOT NULL,
    forwarded                  BOOLEAN NOT NULL DEFAULT FALSE,
    -- The Flag's id, for a report from another server.
    uri                        TEXT,
    assigned_account_id        BIGINT REFERENCES account (id) ON DELETE SET NULL,
    action_taken_at            BIGINT,
    action_taken_by_account_id BIGINT REFERENCES account (id) ON DELETE SET NULL,
    created_at                 BIGINT NOT NULL,
    updated_at                 BIGINT NOT NULL
);
CREATE INDEX report_open ON report (action_taken_at, id);
CREATE INDEX report_target ON report (target_account_id);
CREATE INDEX report_reporter ON report (account_id);
-- A Flag delivered twice is one report.
CREATE UNIQUE INDEX report_uri ON report (uri);
