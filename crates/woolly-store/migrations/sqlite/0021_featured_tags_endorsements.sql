-- Hashtags an account features on its profile (at most ten).
CREATE TABLE featured_tag (
    id         INTEGER PRIMARY KEY,
    account_id BIGINT  NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    name       TEXT    NOT NULL,
    created_at BIGINT  NOT NULL
);
CREATE UNIQUE INDEX featured_tag_account_name ON featured_tag (account_id, name);

-- Accounts an account features (endorses) on its profile; only followed ones.
CREATE TABLE endorsement (
    id                INTEGER PRIMARY KEY,
    account_id        BIGINT  NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    target_account_id BIGINT  NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    created_at        BIGINT  NOT NULL
);
CREATE UNIQUE INDEX endorsement_pair ON endorsement (account_id, target_account_id);
