-- Who may not join, as Mastodon's admins keep it: e-mail domains (and their subdomains) no
-- address may come from; canonical e-mail addresses (lower-case, without dots or a +suffix in
-- the local part), kept as their SHA-256 so that the list names nobody; and client addresses
-- (CIDR ranges) whose sign-ups need approval, are refused, or that may not use the server at
-- all, until an optional expiry.
-- Keep this file and ../sqlite/0038_sign_up_blocks.sql in step: a test compares the two schemas.
CREATE TABLE email_domain_block (
    id         BIGINT PRIMARY KEY,
    domain     TEXT   NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX email_domain_block_domain ON email_domain_block (domain);

CREATE TABLE canonical_email_block (
    id                   BIGINT PRIMARY KEY,
    canonical_email_hash TEXT   NOT NULL,
    created_at           BIGINT NOT NULL
);
CREATE UNIQUE INDEX canonical_email_block_hash ON canonical_email_block (canonical_email_hash);

CREATE TABLE ip_block (
    id         BIGINT PRIMARY KEY,
    -- A CIDR range, as written when blocked (a single address is its own /32 or /128).
    ip         TEXT   NOT NULL,
    -- sign_up_requires_approval, sign_up_block or no_access
    severity   TEXT   NOT NULL,
    comment    TEXT   NOT NULL DEFAULT '',
    expires_at BIGINT,
    created_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX ip_block_ip ON ip_block (ip);
