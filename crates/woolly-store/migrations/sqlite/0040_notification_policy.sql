-- The notification policy (Mastodon 4.3): what each member does with notifications from people
-- they may not know. A filtered notification is kept aside (`notification.filtered`) and, for a
-- mention, gathered into a request per sender, which the member accepts (the sender's
-- notifications are let through from then on: a permission) or dismisses.
-- Keep this file and ../postgres/0040_notification_policy.sql in step: a test compares the two schemas.
ALTER TABLE notification ADD COLUMN filtered BOOLEAN NOT NULL DEFAULT FALSE;
CREATE INDEX notification_filtered ON notification (account_id, from_account_id) WHERE filtered;

-- One row per member who changed the defaults; each column is accept, filter or drop.
CREATE TABLE notification_policy (
    account_id           BIGINT PRIMARY KEY REFERENCES account (id) ON DELETE CASCADE,
    for_not_following    TEXT   NOT NULL,
    for_not_followers    TEXT   NOT NULL,
    for_new_accounts     TEXT   NOT NULL,
    for_private_mentions TEXT   NOT NULL,
    for_limited_accounts TEXT   NOT NULL,
    updated_at           BIGINT NOT NULL
);

CREATE TABLE notification_request (
    id              INTEGER PRIMARY KEY,
    account_id      BIGINT NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    from_account_id BIGINT NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    last_status_id  BIGINT REFERENCES status (id) ON DELETE SET NULL,
    created_at      BIGINT NOT NULL,
    updated_at      BIGINT NOT NULL
);
CREATE UNIQUE INDEX notification_request_pair ON notification_request (account_id, from_account_id);

-- Senders whose notifications a member accepted: never filtered again.
CREATE TABLE notification_permission (
    account_id      BIGINT NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    from_account_id BIGINT NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    created_at      BIGINT NOT NULL,
    PRIMARY KEY (account_id, from_account_id)
);
