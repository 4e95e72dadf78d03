-- Direct conversations as each local participant sees them: who else is in it, the latest
-- status, and whether it is unread.
CREATE TABLE account_conversation (
    id              BIGINT  PRIMARY KEY,
    account_id      BIGINT  NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    -- The other participants' account ids, sorted, comma-separated.
    participant_ids TEXT    NOT NULL,
    last_status_id  BIGINT  REFERENCES status (id) ON DELETE SET NULL,
    unread          BOOLEAN NOT NULL DEFAULT FALSE,
    updated_at      BIGINT  NOT NULL
);
CREATE UNIQUE INDEX account_conversation_participants ON account_conversation (account_id, participant_ids);
CREATE INDEX account_conversation_recent ON account_conversation (account_id, last_status_id);
