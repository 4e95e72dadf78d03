-- A deleted account's private key, kept beside its reserved name only while the Delete of its
-- actor is being delivered (the deliveries are signed with it), then forgotten. The deliveries
-- carry the name alone, so the key is stored once, not once per inbox.
-- Keep this file and ../postgres/0031_retired_keys.sql in step: a test compares the two schemas.
ALTER TABLE reserved_username ADD COLUMN private_key_pem TEXT;
ALTER TABLE reserved_username ADD COLUMN key_forgotten_at BIGINT;
