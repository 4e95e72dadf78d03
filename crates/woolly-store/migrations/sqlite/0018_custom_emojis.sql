-- Custom emojis: `:shortcode:` in posts and profiles shows the image. Local ones (domain NULL)
-- are added by the operator; remote ones arrive with federated posts and profiles.
CREATE TABLE custom_emoji (
    id                INTEGER PRIMARY KEY,
    shortcode         TEXT    NOT NULL,
    domain            TEXT,
    -- The image in the media store (local emojis, cached remote ones).
    file_key          TEXT,
    -- Where a remote emoji's image lives on its server.
    remote_url        TEXT,
    visible_in_picker BOOLEAN NOT NULL DEFAULT TRUE,
    category          TEXT,
    disabled          BOOLEAN NOT NULL DEFAULT FALSE,
    created_at        BIGINT  NOT NULL
);
CREATE UNIQUE INDEX custom_emoji_local_shortcode ON custom_emoji (shortcode) WHERE domain IS NULL;
CREATE UNIQUE INDEX custom_emoji_remote_shortcode ON custom_emoji (shortcode, domain) WHERE domain IS NOT NULL;
