-- A code is kept after its first use, with the token it gave, so that a second use revokes
-- that token (RFC 6749 section 4.1.2) instead of only being refused.
ALTER TABLE oauth_code ADD COLUMN used_at BIGINT;
ALTER TABLE oauth_code ADD COLUMN token_sha256 TEXT;
