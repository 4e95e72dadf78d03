-- Avatars and headers: keys of processed images in the media store (NULL: the default image).
ALTER TABLE account ADD COLUMN avatar_key TEXT;
ALTER TABLE account ADD COLUMN header_key TEXT;
