-- Filters (`methods/filters.md`): a user's named groups of keywords and statuses that warn
-- about, blur or hide matching posts in the chosen contexts. A v1 filter is one keyword of a
-- filter, as in Mastodon 4.

CREATE TABLE custom_filter (
    id         INTEGER PRIMARY KEY,
    account_id BIGINT  NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    title      TEXT    NOT NULL,
    -- The contexts it applies in, comma-separated: home, notifications, public, thread, account.
    context    TEXT    NOT NULL,
    -- 'warn', 'hide' or 'blur'.
    action     TEXT    NOT NULL DEFAULT 'warn',
    -- NULL: never expires. An expired filter is kept (its owner may extend it) but not applied.
    expires_at BIGINT,
    created_at BIGINT  NOT NULL
);
CREATE INDEX custom_filter_owner ON custom_filter (account_id, id);

CREATE TABLE custom_filter_keyword (
    id         INTEGER PRIMARY KEY,
    filter_id  BIGINT  NOT NULL REFERENCES custom_filter (id) ON DELETE CASCADE,
    keyword    TEXT    NOT NULL,
    -- Mastodon's column default: a keyword matches whole words unless told otherwise.
    whole_word BOOLEAN NOT NULL DEFAULT TRUE,
    created_at BIGINT  NOT NULL
);
CREATE INDEX custom_filter_keyword_filter ON custom_filter_keyword (filter_id, id);

-- Statuses filtered by id (a reblog is matched through the status it reblogs).
CREATE TABLE custom_filter_status (
    id         INTEGER PRIMARY KEY,
    filter_id  BIGINT  NOT NULL REFERENCES custom_filter (id) ON DELETE CASCADE,
    status_id  BIGINT  NOT NULL REFERENCES status (id) ON DELETE CASCADE,
    created_at BIGINT  NOT NULL
);
CREATE UNIQUE INDEX custom_filter_status_unique ON custom_filter_status (filter_id, status_id);
CREATE INDEX custom_filter_status_status ON custom_filter_status (status_id);
