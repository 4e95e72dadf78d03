-- How a user reads and writes, beyond what the API's update_credentials sets: the
-- `reading:expand:*` preferences Mastodon reports (media: default, show_all or hide_all; content
-- warnings opened or not), and whether the web composer insists on a description for each image.
-- Keep this file and ../sqlite/0034_reading_preferences.sql in step: a test compares the two schemas.
ALTER TABLE local_user ADD COLUMN expand_media TEXT NOT NULL DEFAULT 'default';
ALTER TABLE local_user ADD COLUMN expand_spoilers BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE local_user ADD COLUMN require_alt_text BOOLEAN NOT NULL DEFAULT FALSE;
