-- Members' imports of CSV files (Mastodon's `bulk_imports`): what the file holds, merge or
-- overwrite, and the progress; each row is kept until the import is deleted with the account,
-- carried out once (`processed`), with why it could not be (`failure`).
-- Keep this file and ../postgres/0046_bulk_imports.sql in step: a test compares the two schemas.
CREATE TABLE bulk_import (
    id              BIGINT  PRIMARY KEY,
    account_id      BIGINT  NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    kind            TEXT    NOT NULL,
    overwrite       BOOLEAN NOT NULL,
    state           TEXT    NOT NULL,
    file_name       TEXT    NOT NULL,
    total_items     BIGINT  NOT NULL,
    processed_items BIGINT  NOT NULL,
    imported_items  BIGINT  NOT NULL,
    created_at      BIGINT  NOT NULL,
    finished_at     BIGINT
);
CREATE INDEX bulk_import_account ON bulk_import (account_id, id);

CREATE TABLE bulk_import_row (
    bulk_import_id BIGINT  NOT NULL REFERENCES bulk_import (id) ON DELETE CASCADE,
    position       BIGINT  NOT NULL,
    data           TEXT    NOT NULL,
    processed      BOOLEAN NOT NULL DEFAULT FALSE,
    failure        TEXT,
    PRIMARY KEY (bulk_import_id, position)
);
