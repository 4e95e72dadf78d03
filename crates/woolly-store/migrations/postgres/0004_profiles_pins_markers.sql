-- Profile text and fields, pinned statuses, and timeline read markers.

ALTER TABLE account ADD COLUMN note_source TEXT NOT NULL DEFAULT '';
-- JSON array of {"name", "value" (HTML), "source" (the text as typed)}.
ALTER TABLE account ADD COLUMN fields TEXT NOT NULL DEFAULT '[]';

CREATE TABLE status_pin (
    account_id BIGINT NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    status_id  BIGINT NOT NULL REFERENCES status (id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (account_id, status_id)
);

CREATE TABLE marker (
    account_id   BIGINT NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    timeline     TEXT   NOT NULL,
    last_read_id BIGINT NOT NULL,
    version      BIGINT NOT NULL,
    updated_at   BIGINT NOT NULL,
    PRIMARY KEY (account_id, timeline)
);
