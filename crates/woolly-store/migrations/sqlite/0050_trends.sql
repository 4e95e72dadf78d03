-- Trends (`/api/v1/trends/tags` and `/statuses`), scored by a job as Mastodon scores them, and
-- shown only once moderators allow them (or, with `trendable_by_default`, unless they refuse).
-- Keep this file and ../postgres/0050_trends.sql in step: a test compares the two schemas.

-- Hashtags used by more accounts today than yesterday: `score` decays from the highest it
-- reached (`max_score`, at `max_score_at`); listed while it is at least 1.
CREATE TABLE tag_trend (
    name         TEXT             NOT NULL PRIMARY KEY,
    score        DOUBLE PRECISION NOT NULL,
    max_score    DOUBLE PRECISION NOT NULL,
    max_score_at BIGINT           NOT NULL
);

-- Public posts much favourited and boosted in their first hours.
CREATE TABLE status_trend (
    status_id  BIGINT           NOT NULL PRIMARY KEY REFERENCES status (id) ON DELETE CASCADE,
    account_id BIGINT           NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    score      DOUBLE PRECISION NOT NULL,
    language   TEXT
);
CREATE INDEX status_trend_account ON status_trend (account_id);

-- Moderators' decisions on what may trend: a hashtag (`tag`, by name), a post (`status`, by
-- id) or all posts of an author (`account`, by id).
CREATE TABLE trend_review (
    kind        TEXT    NOT NULL,
    subject     TEXT    NOT NULL,
    trendable   BOOLEAN NOT NULL,
    reviewed_at BIGINT  NOT NULL,
    PRIMARY KEY (kind, subject)
);
