-- What moderators do to accounts. An account is suspended (hidden with all it posted, its data
-- purged after 30 days unless lifted), silenced (limited: its posts reach only its followers) or
-- sensitized (its media always behind a warning), each from a moment, or not; a local user can
-- be disabled (no sign-in, no API) while the account stays visible. Each action can come with a
-- warning (a strike) that the account's owner reads, may appeal once, and that a moderator
-- overrules by approving the appeal. Every moderator's and admin's action is written to the
-- audit log, with a label of its target kept as it was, since targets can be deleted.
-- Keep this file and ../sqlite/0036_account_moderation.sql in step: a test compares the two schemas.
ALTER TABLE account ADD COLUMN suspended_at BIGINT;
ALTER TABLE account ADD COLUMN silenced_at BIGINT;
ALTER TABLE account ADD COLUMN sensitized_at BIGINT;
-- Whether this server suspended the account or (for a remote one) its own server did.
ALTER TABLE account ADD COLUMN suspension_origin TEXT;
ALTER TABLE local_user ADD COLUMN disabled BOOLEAN NOT NULL DEFAULT FALSE;
-- Public timelines ask first whether any account is silenced at all, which this answers
-- without reading the table; moderators' lists of suspended and silenced accounts use them too.
CREATE INDEX account_silenced ON account (silenced_at);
CREATE INDEX account_suspended ON account (suspended_at);

CREATE TABLE account_warning (
    id                   BIGINT PRIMARY KEY,
    account_id           BIGINT NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    moderator_account_id BIGINT REFERENCES account (id) ON DELETE SET NULL,
    -- none, disable, mark_statuses_as_sensitive, delete_statuses, sensitive, silence, suspend
    action               TEXT   NOT NULL,
    text                 TEXT   NOT NULL DEFAULT '',
    report_id            BIGINT REFERENCES report (id) ON DELETE SET NULL,
    -- A JSON array of the ids of the statuses the warning is about.
    status_ids           TEXT   NOT NULL DEFAULT '[]',
    created_at           BIGINT NOT NULL,
    -- When an approved appeal overruled it.
    overruled_at         BIGINT
);
CREATE INDEX account_warning_account ON account_warning (account_id, id);

CREATE TABLE appeal (
    id                  BIGINT PRIMARY KEY,
    account_warning_id  BIGINT NOT NULL REFERENCES account_warning (id) ON DELETE CASCADE,
    account_id          BIGINT NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    text                TEXT   NOT NULL,
    approved_at         BIGINT,
    rejected_at         BIGINT,
    -- The moderator who approved or rejected it.
    decided_by_account_id BIGINT REFERENCES account (id) ON DELETE SET NULL,
    created_at          BIGINT NOT NULL
);
-- One appeal per warning.
CREATE UNIQUE INDEX appeal_warning ON appeal (account_warning_id);

CREATE TABLE admin_action_log (
    id          BIGINT PRIMARY KEY,
    -- Who did it: a moderator's or admin's account (kept when the account is gone, as its label
    -- says), or NULL for the operator at the terminal.
    account_id  BIGINT,
    -- What, in Mastodon's words: suspend, silence, resolve, create, destroy…
    action      TEXT   NOT NULL,
    -- On what kind of thing (Account, Report, DomainBlock, DomainAllow, EmailDomainBlock,
    -- IpBlock, Appeal, AccountWarning, Announcement, User) and which one.
    target_type TEXT   NOT NULL,
    target_id   BIGINT,
    -- The target as a person reads it (user@domain, a domain, a report's number), kept as it
    -- was when the action was taken.
    target_label TEXT  NOT NULL,
    -- And who did it, as read then.
    actor_label TEXT   NOT NULL,
    created_at  BIGINT NOT NULL
);
CREATE INDEX admin_action_log_target ON admin_action_log (target_type, target_id);

-- A `moderation_warning` notification points at the warning it tells of.
ALTER TABLE notification ADD COLUMN account_warning_id BIGINT REFERENCES account_warning (id) ON DELETE CASCADE;
-- Each warning is told once; two warnings are two notifications.
DROP INDEX notification_once;
CREATE UNIQUE INDEX notification_once ON notification (account_id, from_account_id, kind, coalesce(status_id, 0), coalesce(account_warning_id, 0));
