-- Moderators' notes about an account, for each other (Mastodon's account moderation notes):
-- shown on the account's page for moderators, never to the account.
-- Keep this file and ../sqlite/0042_account_moderation_notes.sql in step: a test compares the two schemas.
CREATE TABLE account_moderation_note (
    id                BIGINT  PRIMARY KEY,
    -- Who wrote it.
    account_id        BIGINT NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    target_account_id BIGINT NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    content           TEXT   NOT NULL,
    created_at        BIGINT NOT NULL
);
CREATE INDEX account_moderation_note_target ON account_moderation_note (target_account_id, id);
