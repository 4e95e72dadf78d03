-- A deleted account is hidden at once (every read of accounts and of the statuses a page shows
-- skips it) and its content is then purged by a job in batches, so that deleting an account with
-- a long history never holds the writer for long. The row goes last, when nothing of it is left.
-- Keep this file and ../sqlite/0033_account_deleted.sql in step: a test compares the two schemas.
ALTER TABLE account ADD COLUMN deleted_at BIGINT;
