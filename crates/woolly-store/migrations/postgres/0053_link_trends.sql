-- Trending links (`/api/v1/trends/links`), scored by the trends job as Mastodon scores them
-- (`trends/links.rb`): the previews of public posts, shared (posted or boosted) by more
-- accounts today than yesterday. Moderators allow a link, or every link of its publisher (the
-- page's host), in `trend_review` (kinds `link` and `publisher`).
-- Keep this file and ../sqlite/0053_link_trends.sql in step: a test compares the two schemas.

CREATE TABLE link_trend (
    card_id      BIGINT           NOT NULL PRIMARY KEY REFERENCES preview_card (id) ON DELETE CASCADE,
    publisher    TEXT             NOT NULL,
    score        DOUBLE PRECISION NOT NULL,
    max_score    DOUBLE PRECISION NOT NULL,
    max_score_at BIGINT           NOT NULL
);
CREATE INDEX link_trend_publisher ON link_trend (publisher);
