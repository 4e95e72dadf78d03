-- Media of other servers' statuses, shown from where they are (no local copy is kept yet):
-- their URL there. Their file_key is empty.
ALTER TABLE media_attachment ADD COLUMN remote_url TEXT;
