-- When the replies of a remote status were last fetched from its server (opening its thread
-- fetches them again after a while).
ALTER TABLE status ADD COLUMN replies_fetched_at BIGINT;
