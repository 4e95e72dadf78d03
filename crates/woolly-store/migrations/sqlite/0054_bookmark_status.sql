-- Bookmarks by status: who bookmarked a post, asked when the post's search entry is rewritten
-- (SQLite's triggers in 0055) and when a post goes.
CREATE INDEX bookmark_status ON bookmark (status_id);
