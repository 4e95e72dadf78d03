-- What federation needs to know of other servers' accounts: their actor document's links
-- (NULL for local accounts, whose links follow from the instance's own URLs).
ALTER TABLE account ADD COLUMN uri TEXT;
ALTER TABLE account ADD COLUMN url TEXT;
ALTER TABLE account ADD COLUMN inbox_url TEXT;
ALTER TABLE account ADD COLUMN shared_inbox_url TEXT;
ALTER TABLE account ADD COLUMN followers_url TEXT;
ALTER TABLE account ADD COLUMN actor_type TEXT;
ALTER TABLE account ADD COLUMN avatar_remote_url TEXT;
ALTER TABLE account ADD COLUMN header_remote_url TEXT;
-- When the actor document was last fetched (stale profiles are refreshed).
ALTER TABLE account ADD COLUMN fetched_at BIGINT;
CREATE UNIQUE INDEX account_uri ON account (uri) WHERE uri IS NOT NULL;

-- Delivery health per remote domain (Mastodon's DeliveryFailureTracker): failures on distinct
-- days since the last success; at seven the domain is unavailable and deliveries to it pause.
CREATE TABLE domain_health (
    domain           TEXT    PRIMARY KEY,
    failure_days     INTEGER NOT NULL DEFAULT 0,
    last_failure_day BIGINT,
    last_failure_at  BIGINT,
    last_success_at  BIGINT,
    unavailable      BOOLEAN NOT NULL DEFAULT FALSE
);

-- Ids of the activities received, so that a redelivered one is processed once.
CREATE TABLE inbound_activity (
    activity_id TEXT   PRIMARY KEY,
    received_at BIGINT NOT NULL
);
CREATE INDEX inbound_activity_received ON inbound_activity (received_at);
