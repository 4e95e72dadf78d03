-- Follow suggestions (`/api/v2/suggestions`), as Mastodon makes them: friends of friends, the
-- accounts the operator recommends, and the most followed and most interacted with.
-- Keep this file and ../sqlite/0049_follow_suggestions.sql in step: a test compares the two schemas.

-- Accounts a member dismissed (`DELETE /api/v1/suggestions/:id`): never suggested to them again.
CREATE TABLE suggestion_dismissal (
    account_id        BIGINT NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    target_account_id BIGINT NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    created_at        BIGINT NOT NULL,
    PRIMARY KEY (account_id, target_account_id)
);
CREATE INDEX suggestion_dismissal_target ON suggestion_dismissal (target_account_id);

-- Friends of friends of a member, computed by a job: accounts followed by `friends` of the
-- accounts they follow. Who is followed, blocked, muted or dismissed is left out when read.
CREATE TABLE friend_suggestion (
    account_id        BIGINT NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    target_account_id BIGINT NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    friends           BIGINT NOT NULL,
    PRIMARY KEY (account_id, target_account_id)
);
CREATE INDEX friend_suggestion_target ON friend_suggestion (target_account_id);

-- The server's most followed accounts (`follows`: follows by local members in the last 30
-- days) and most interacted with (`interactions`: favourites and boosts of their posts of the
-- last 30 days), computed by a job; each at least 5, as Mastodon's global recommendations.
CREATE TABLE global_suggestion (
    account_id   BIGINT NOT NULL PRIMARY KEY REFERENCES account (id) ON DELETE CASCADE,
    follows      BIGINT NOT NULL,
    interactions BIGINT NOT NULL
);

-- When something computed for discovery was last refreshed: `global_suggestions`,
-- `friend_suggestions:<account id>`, trends. Claimed by one process at a time.
CREATE TABLE discovery_refresh (
    name         TEXT   NOT NULL PRIMARY KEY,
    refreshed_at BIGINT NOT NULL
);
