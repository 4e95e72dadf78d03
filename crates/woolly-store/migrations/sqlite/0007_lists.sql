-- Lists (`methods/lists.md`): named groups of accounts a user follows, each with a timeline.

CREATE TABLE list (
    id             INTEGER PRIMARY KEY,
    account_id     BIGINT  NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    title          TEXT    NOT NULL,
    -- 'followed', 'list' or 'none': which replies the list timeline shows.
    replies_policy TEXT    NOT NULL DEFAULT 'list',
    -- Mastodon 4.2: members' posts are meant for the list, not the home timeline.
    exclusive      BOOLEAN NOT NULL DEFAULT FALSE,
    created_at     BIGINT  NOT NULL
);
CREATE INDEX list_owner ON list (account_id, id);

-- A member of a list. `follow_id` is the owner's follow of the member, which the membership
-- lives and dies with; it is NULL only when owners list themselves.
CREATE TABLE list_account (
    list_id    BIGINT NOT NULL REFERENCES list (id) ON DELETE CASCADE,
    account_id BIGINT NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    follow_id  BIGINT REFERENCES follow (id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (list_id, account_id)
);
CREATE INDEX list_account_account ON list_account (account_id, list_id);
CREATE INDEX list_account_follow ON list_account (follow_id);
