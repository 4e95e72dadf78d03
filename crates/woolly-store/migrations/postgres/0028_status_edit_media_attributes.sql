-- Each version keeps the descriptions and focus points its media had, so that a later edit of
-- an image's description does not rewrite the history (Mastodon's media_descriptions).
ALTER TABLE status_edit ADD COLUMN media_attributes TEXT;
