-- Domains a user blocks (`methods/domain_blocks.md`), the thread every status belongs to, and the
-- threads users muted (`POST /api/v1/statuses/:id/mute`).
-- Keep this file and ../postgres/0014_domain_blocks_thread_mutes.sql in step.

CREATE TABLE account_domain_block (
    id         INTEGER PRIMARY KEY,
    account_id BIGINT  NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    -- Lower-case ASCII (IDNA) host with an optional port, compared with lower(account.domain).
    domain     TEXT    NOT NULL,
    created_at BIGINT  NOT NULL
);
CREATE UNIQUE INDEX account_domain_block_pair ON account_domain_block (account_id, domain);

-- Blocking a domain ends the blocker's follows with the accounts on it.
CREATE INDEX account_domain ON account (lower(domain));

-- The id of the thread's first status (Mastodon's conversation): a reply takes its parent's, a
-- reblog the reblogged status's, any other status its own id. Not a foreign key: a thread goes
-- on when its first status is deleted. SQLite adds a NOT NULL column only with a default;
-- `insert_status` always writes the real value.
ALTER TABLE status ADD COLUMN thread_id BIGINT NOT NULL DEFAULT 0;

-- Existing statuses: replies whose parent is gone start a thread of their own.
WITH RECURSIVE thread (id, root) AS (
    SELECT s.id, s.id FROM status s
    WHERE s.in_reply_to_id IS NULL
       OR NOT EXISTS (SELECT 1 FROM status p WHERE p.id = s.in_reply_to_id)
    UNION ALL
    SELECT s.id, t.root FROM thread t JOIN status s ON s.in_reply_to_id = t.id
)
UPDATE status SET thread_id = thread.root FROM thread WHERE thread.id = status.id;
UPDATE status SET thread_id = coalesce((SELECT o.thread_id FROM status o WHERE o.id = status.reblog_of_id), id)
WHERE reblog_of_id IS NOT NULL;
UPDATE status SET thread_id = id WHERE thread_id = 0;

CREATE TABLE thread_mute (
    account_id BIGINT NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    thread_id  BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (account_id, thread_id)
);
