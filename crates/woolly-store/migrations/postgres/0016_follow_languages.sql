-- The languages a follower wants from an account (Mastodon's `languages[]` on follow): a
-- comma-separated list of language codes, or NULL for every language.
ALTER TABLE follow ADD COLUMN languages TEXT;
ALTER TABLE follow_request ADD COLUMN languages TEXT;
