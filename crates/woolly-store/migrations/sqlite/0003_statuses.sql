-- Statuses and what hangs off them: mentions, hashtags, follows, blocks, mutes, favourites,
-- bookmarks, the fanned-out home feeds, and notifications.

CREATE TABLE status (
    id                     INTEGER PRIMARY KEY,
    uri                    TEXT    NOT NULL,
    url                    TEXT,
    account_id             BIGINT  NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    is_local               BOOLEAN NOT NULL,
    in_reply_to_id         BIGINT,
    in_reply_to_account_id BIGINT,
    reblog_of_id           BIGINT  REFERENCES status (id) ON DELETE CASCADE,
    text                   TEXT    NOT NULL,
    content                TEXT    NOT NULL,
    spoiler_text           TEXT    NOT NULL DEFAULT '',
    sensitive              BOOLEAN NOT NULL DEFAULT FALSE,
    visibility             TEXT    NOT NULL,
    language               TEXT,
    app_id                 BIGINT  REFERENCES oauth_app (id) ON DELETE SET NULL,
    replies_count          BIGINT  NOT NULL DEFAULT 0,
    reblogs_count          BIGINT  NOT NULL DEFAULT 0,
    favourites_count       BIGINT  NOT NULL DEFAULT 0,
    created_at             BIGINT  NOT NULL,
    edited_at              BIGINT
);
CREATE UNIQUE INDEX status_uri ON status (uri);
CREATE INDEX status_account ON status (account_id, id);
CREATE INDEX status_in_reply_to ON status (in_reply_to_id);
CREATE INDEX status_reblog_of ON status (reblog_of_id, account_id);
CREATE INDEX status_public ON status (id) WHERE visibility = 'public' AND reblog_of_id IS NULL;

CREATE TABLE status_mention (
    status_id  BIGINT NOT NULL REFERENCES status (id) ON DELETE CASCADE,
    account_id BIGINT NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    PRIMARY KEY (status_id, account_id)
);
CREATE INDEX status_mention_account ON status_mention (account_id, status_id);

CREATE TABLE status_tag (
    status_id BIGINT NOT NULL REFERENCES status (id) ON DELETE CASCADE,
    name      TEXT   NOT NULL,
    PRIMARY KEY (status_id, name)
);
CREATE INDEX status_tag_name ON status_tag (name, status_id);

CREATE TABLE follow (
    id                INTEGER PRIMARY KEY,
    account_id        BIGINT  NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    target_account_id BIGINT  NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    show_reblogs      BOOLEAN NOT NULL DEFAULT TRUE,
    notify            BOOLEAN NOT NULL DEFAULT FALSE,
    created_at        BIGINT  NOT NULL
);
CREATE UNIQUE INDEX follow_pair ON follow (account_id, target_account_id);
CREATE INDEX follow_target ON follow (target_account_id, id);

CREATE TABLE block (
    id                INTEGER PRIMARY KEY,
    account_id        BIGINT NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    target_account_id BIGINT NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    created_at        BIGINT NOT NULL
);
CREATE UNIQUE INDEX block_pair ON block (account_id, target_account_id);
CREATE INDEX block_target ON block (target_account_id);

CREATE TABLE mute (
    id                 INTEGER PRIMARY KEY,
    account_id         BIGINT  NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    target_account_id  BIGINT  NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    hide_notifications BOOLEAN NOT NULL DEFAULT TRUE,
    expires_at         BIGINT,
    created_at         BIGINT  NOT NULL
);
CREATE UNIQUE INDEX mute_pair ON mute (account_id, target_account_id);

CREATE TABLE favourite (
    id         INTEGER PRIMARY KEY,
    account_id BIGINT NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    status_id  BIGINT NOT NULL REFERENCES status (id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX favourite_pair ON favourite (account_id, status_id);
CREATE INDEX favourite_status ON favourite (status_id);

CREATE TABLE bookmark (
    id         INTEGER PRIMARY KEY,
    account_id BIGINT NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    status_id  BIGINT NOT NULL REFERENCES status (id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX bookmark_pair ON bookmark (account_id, status_id);

CREATE TABLE home_feed (
    account_id BIGINT NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    status_id  BIGINT NOT NULL REFERENCES status (id) ON DELETE CASCADE,
    PRIMARY KEY (account_id, status_id)
);
CREATE INDEX home_feed_status ON home_feed (status_id);

CREATE TABLE notification (
    id              INTEGER PRIMARY KEY,
    account_id      BIGINT NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    from_account_id BIGINT NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    kind            TEXT   NOT NULL,
    status_id       BIGINT REFERENCES status (id) ON DELETE CASCADE,
    created_at      BIGINT NOT NULL
);
CREATE INDEX notification_account ON notification (account_id, id);
CREATE UNIQUE INDEX notification_once ON notification (account_id, from_account_id, kind, coalesce(status_id, 0));

-- `Idempotency-Key` of status creation: the same key from the same account within an hour
-- returns the status created the first time instead of posting twice (Tusky retries).
CREATE TABLE idempotency_key (
    account_id BIGINT NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    key        TEXT   NOT NULL,
    status_id  BIGINT NOT NULL REFERENCES status (id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (account_id, key)
);
