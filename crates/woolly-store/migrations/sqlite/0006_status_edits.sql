-- Versions of edited statuses: the original and each edit, as `GET /statuses/:id/history` lists them.
CREATE TABLE status_edit (
    id           INTEGER PRIMARY KEY,
    status_id    BIGINT  NOT NULL REFERENCES status (id) ON DELETE CASCADE,
    text         TEXT    NOT NULL,
    content      TEXT    NOT NULL,
    spoiler_text TEXT    NOT NULL,
    sensitive    BOOLEAN NOT NULL,
    language     TEXT,
    -- JSON array of the media ids the version showed.
    media_ids    TEXT    NOT NULL DEFAULT '[]',
    created_at   BIGINT  NOT NULL
);
CREATE INDEX status_edit_status ON status_edit (status_id, id);
