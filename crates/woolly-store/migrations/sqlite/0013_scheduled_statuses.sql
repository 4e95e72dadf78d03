-- Scheduled statuses (`entities/ScheduledStatus.md`): a post to publish later, kept as the
-- parameters it was posted with (`params`, JSON in Mastodon's shape) until the
-- `status.publish_scheduled` job (`job_id`) posts it at `scheduled_at` and deletes the row in
-- the same transaction.

CREATE TABLE scheduled_status (
    id           INTEGER PRIMARY KEY,
    account_id   BIGINT  NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    scheduled_at BIGINT  NOT NULL,
    params       TEXT    NOT NULL,
    -- The job due at `scheduled_at`; moved when the status is rescheduled. No foreign key: done
    -- jobs are pruned.
    job_id       BIGINT,
    created_at   BIGINT  NOT NULL
);
CREATE INDEX scheduled_status_account ON scheduled_status (account_id, id);
-- Counts per day for the daily limit.
CREATE INDEX scheduled_status_account_scheduled_at ON scheduled_status (account_id, scheduled_at);

-- Uploads reserved for a scheduled status: no other status may take them meanwhile. Deleting
-- the scheduled status releases them.
ALTER TABLE media_attachment ADD COLUMN scheduled_status_id BIGINT REFERENCES scheduled_status (id) ON DELETE SET NULL;
CREATE INDEX media_attachment_scheduled_status ON media_attachment (scheduled_status_id);

-- `Idempotency-Key` of scheduling: the same key from the same account within an hour returns
-- the scheduled status created the first time. No foreign key, so that the key outlives its
-- scheduled status: a replay after publication or cancellation finds nothing (404), as in
-- Mastodon, rather than scheduling again.
CREATE TABLE scheduled_status_idempotency_key (
    account_id          BIGINT NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    key                 TEXT   NOT NULL,
    scheduled_status_id BIGINT NOT NULL,
    created_at          BIGINT NOT NULL,
    PRIMARY KEY (account_id, key)
);
