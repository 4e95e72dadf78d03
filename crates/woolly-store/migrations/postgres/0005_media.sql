-- Uploaded media. Files live in the media store under "{id}/…"; rows say what they are.
CREATE TABLE media_attachment (
    id             BIGINT           PRIMARY KEY,
    account_id     BIGINT           NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    status_id      BIGINT           REFERENCES status (id) ON DELETE SET NULL,
    kind           TEXT             NOT NULL,
    file_key       TEXT             NOT NULL,
    content_type   TEXT             NOT NULL,
    preview_key    TEXT,
    width          BIGINT           NOT NULL,
    height         BIGINT           NOT NULL,
    preview_width  BIGINT           NOT NULL,
    preview_height BIGINT           NOT NULL,
    file_size      BIGINT           NOT NULL,
    description    TEXT,
    focus_x        DOUBLE PRECISION NOT NULL DEFAULT 0,
    focus_y        DOUBLE PRECISION NOT NULL DEFAULT 0,
    blurhash       TEXT,
    created_at     BIGINT           NOT NULL
);
CREATE INDEX media_attachment_status ON media_attachment (status_id);
CREATE INDEX media_attachment_account ON media_attachment (account_id, id);
