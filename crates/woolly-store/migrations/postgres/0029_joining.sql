-- Joining: sign-up by registration mode, invites, confirmed e-mail addresses, single-use e-mail
-- links (confirmation, password reset), names kept from deleted accounts, and settings the
-- operator changes at run time.
-- Keep this file and ../sqlite/0029_joining.sql in step: a test compares the two schemas.

-- Invitation codes. `account_id` is who made it (NULL: the operator, from the command line).
CREATE TABLE invite (
    id         BIGINT PRIMARY KEY,
    code       TEXT   NOT NULL,
    account_id BIGINT REFERENCES account (id) ON DELETE CASCADE,
    max_uses   BIGINT,
    uses       BIGINT NOT NULL DEFAULT 0,
    expires_at BIGINT,
    revoked_at BIGINT,
    created_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX invite_code ON invite (code);
CREATE INDEX invite_account ON invite (account_id);

-- Accounts made before this migration count as confirmed.
ALTER TABLE local_user ADD COLUMN confirmed_at BIGINT;
UPDATE local_user SET confirmed_at = created_at;
-- The language of the messages the user is sent (`en`, `fr`).
ALTER TABLE local_user ADD COLUMN locale TEXT NOT NULL DEFAULT 'en';
-- Why they want to join, in approval mode.
ALTER TABLE local_user ADD COLUMN sign_up_reason TEXT;
ALTER TABLE local_user ADD COLUMN invite_id BIGINT REFERENCES invite (id) ON DELETE SET NULL;
-- The app that signed them up through the API (it alone may resend the confirmation).
ALTER TABLE local_user ADD COLUMN sign_up_app_id BIGINT REFERENCES oauth_app (id) ON DELETE SET NULL;
ALTER TABLE local_user ADD COLUMN sign_up_ip TEXT;
-- A new address waiting for confirmation; `email` stays the confirmed one until then.
ALTER TABLE local_user ADD COLUMN unconfirmed_email TEXT;

-- Links sent by e-mail, stored as the SHA-256 of their secret; each works once, until it expires.
CREATE TABLE email_token (
    token_sha256 TEXT   PRIMARY KEY,
    account_id   BIGINT NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    purpose      TEXT   NOT NULL,
    email        TEXT   NOT NULL,
    expires_at   BIGINT NOT NULL,
    used_at      BIGINT,
    created_at   BIGINT NOT NULL
);
CREATE INDEX email_token_account ON email_token (account_id, purpose);

-- Usernames nobody may take again (those of deleted local accounts), lower-case.
CREATE TABLE reserved_username (
    username    TEXT   PRIMARY KEY,
    reserved_at BIGINT NOT NULL
);

-- Settings changed at run time by `woolly admin` (they override the configured value).
CREATE TABLE site_setting (
    name       TEXT   PRIMARY KEY,
    value      TEXT   NOT NULL,
    updated_at BIGINT NOT NULL
);

-- Two-factor sign-in (TOTP, RFC 6238): the secret in use, one being set up, and the last time
-- step a code was accepted for (a code works once).
ALTER TABLE local_user ADD COLUMN otp_secret TEXT;
ALTER TABLE local_user ADD COLUMN otp_pending_secret TEXT;
ALTER TABLE local_user ADD COLUMN otp_last_step BIGINT;

-- Single-use recovery codes for when the authenticator is lost, stored as their SHA-256.
CREATE TABLE otp_recovery_code (
    account_id  BIGINT NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    code_sha256 TEXT   NOT NULL,
    used_at     BIGINT,
    PRIMARY KEY (account_id, code_sha256)
);

-- Where and with what each token was last used (a user's list of sessions and apps).
ALTER TABLE oauth_token ADD COLUMN last_used_ip TEXT;
ALTER TABLE oauth_token ADD COLUMN user_agent TEXT;
