-- Posts members imported from an archive, by the id they had there: importing the same
-- archive twice adds nothing, and a reply finds the post it answers.
-- Keep this file and ../postgres/0048_imported_statuses.sql in step: a test compares the two schemas.
CREATE TABLE imported_status (
    account_id   BIGINT NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    original_uri TEXT   NOT NULL,
    status_id    BIGINT NOT NULL REFERENCES status (id) ON DELETE CASCADE,
    PRIMARY KEY (account_id, original_uri)
);
CREATE INDEX imported_status_status ON imported_status (status_id);
