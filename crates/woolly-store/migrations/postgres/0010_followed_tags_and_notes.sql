-- Hashtags an account follows (their public posts join its home timeline), and the private
-- notes an account keeps about others.

CREATE TABLE tag_follow (
    account_id BIGINT NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    name       TEXT   NOT NULL,
    id         BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (account_id, name)
);
CREATE INDEX tag_follow_name ON tag_follow (name);

CREATE TABLE account_note (
    account_id        BIGINT NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    target_account_id BIGINT NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    comment           TEXT   NOT NULL,
    updated_at        BIGINT NOT NULL,
    PRIMARY KEY (account_id, target_account_id)
);
