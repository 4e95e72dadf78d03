-- The operator's announcements to every member, as Mastodon's: a text (kept as written and as
-- HTML), shown from `starts_at` until `ends_at` (either may be open), published or kept as a
-- draft; each member can dismiss one and react to it with emojis.
-- Keep this file and ../postgres/0039_announcements.sql in step: a test compares the two schemas.
CREATE TABLE announcement (
    id           BIGINT  PRIMARY KEY,
    text         TEXT    NOT NULL,
    html         TEXT    NOT NULL,
    starts_at    BIGINT,
    ends_at      BIGINT,
    all_day      BOOLEAN NOT NULL DEFAULT FALSE,
    published_at BIGINT,
    created_at   BIGINT  NOT NULL,
    updated_at   BIGINT  NOT NULL
);

CREATE TABLE announcement_dismissal (
    account_id      BIGINT NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    announcement_id BIGINT NOT NULL REFERENCES announcement (id) ON DELETE CASCADE,
    PRIMARY KEY (account_id, announcement_id)
);

CREATE TABLE announcement_reaction (
    account_id      BIGINT NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    announcement_id BIGINT NOT NULL REFERENCES announcement (id) ON DELETE CASCADE,
    -- A Unicode emoji, or the shortcode of one of this server's custom emojis.
    name            TEXT   NOT NULL,
    created_at      BIGINT NOT NULL,
    PRIMARY KEY (account_id, announcement_id, name)
);
CREATE INDEX announcement_reaction_announcement ON announcement_reaction (announcement_id);
