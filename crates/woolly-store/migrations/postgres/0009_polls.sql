-- Polls (`entities/Poll.md`): a status's question with two to four options, the votes cast on
-- them, and when voting ends. Tallies are counters moved in the same transaction as the votes.

CREATE TABLE poll (
    id           BIGINT  PRIMARY KEY,
    status_id    BIGINT  NOT NULL REFERENCES status (id) ON DELETE CASCADE,
    account_id   BIGINT  NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    multiple     BOOLEAN NOT NULL DEFAULT FALSE,
    -- Option tallies stay hidden until the poll ends.
    hide_totals  BOOLEAN NOT NULL DEFAULT FALSE,
    votes_count  BIGINT  NOT NULL DEFAULT 0,
    voters_count BIGINT  NOT NULL DEFAULT 0,
    expires_at   BIGINT  NOT NULL,
    -- Set once by the `poll.expire` job when it has notified the author and the voters.
    closed_at    BIGINT,
    created_at   BIGINT  NOT NULL
);
CREATE UNIQUE INDEX poll_status ON poll (status_id);
CREATE INDEX poll_account ON poll (account_id);

-- The options of a poll, `position` counting from 0 as votes name them.
CREATE TABLE poll_option (
    poll_id     BIGINT NOT NULL REFERENCES poll (id) ON DELETE CASCADE,
    position    BIGINT NOT NULL,
    title       TEXT   NOT NULL,
    votes_count BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (poll_id, position)
);

-- One row per option chosen: a multiple-choice vote has several.
CREATE TABLE poll_vote (
    id         BIGINT  PRIMARY KEY,
    poll_id    BIGINT  NOT NULL REFERENCES poll (id) ON DELETE CASCADE,
    account_id BIGINT  NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    choice     BIGINT  NOT NULL,
    created_at BIGINT  NOT NULL
);
CREATE UNIQUE INDEX poll_vote_choice ON poll_vote (poll_id, account_id, choice);
CREATE INDEX poll_vote_account ON poll_vote (account_id);
