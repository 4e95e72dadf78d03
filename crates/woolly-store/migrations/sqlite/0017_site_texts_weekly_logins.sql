-- When each operator-written text (privacy policy, terms, extended description) last changed:
-- processes record the hash of what they were configured with at start.
CREATE TABLE site_text (
    name           TEXT   PRIMARY KEY,
    content_sha256 TEXT   NOT NULL,
    updated_at     BIGINT NOT NULL
);

-- Which local users used the instance in which week (Monday 00:00 UTC, Unix ms), for
-- `/api/v1/instance/activity`'s logins.
CREATE TABLE weekly_login (
    week_start BIGINT NOT NULL,
    account_id BIGINT NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    PRIMARY KEY (week_start, account_id)
);
