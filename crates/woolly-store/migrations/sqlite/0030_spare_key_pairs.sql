-- Key pairs made ahead of sign-ups while the server is idle: an RSA-2048 pair costs more CPU than
-- the password hash, so a flood of sign-ups takes theirs from here. Shared by every process.
-- Keep this file and ../postgres/0030_spare_key_pairs.sql in step: a test compares the two schemas.
CREATE TABLE spare_key_pair (
    id              INTEGER PRIMARY KEY,
    private_key_pem TEXT    NOT NULL,
    public_key_pem  TEXT    NOT NULL,
    created_at      BIGINT  NOT NULL
);
