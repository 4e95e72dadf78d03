-- Link previews (Mastodon's preview cards): what a job read of the first link of a post, kept
-- once per link and shared by every post that links it.
-- Keep this file and ../postgres/0052_preview_cards.sql in step: a test compares the two schemas.

-- `link` is the address as posts give it; `url` the page's own (canonical) address. A link
-- whose page could not be read keeps a row with `failed`, so that it is not asked again at
-- once for every post that links it. Texts are empty, not null, when the page gives none, as
-- the API shows them. `image_key` names the thumbnail in the media store.
CREATE TABLE preview_card (
    id                BIGINT  NOT NULL PRIMARY KEY,
    link              TEXT    NOT NULL,
    url               TEXT    NOT NULL,
    fetched_at        BIGINT  NOT NULL,
    failed            BOOLEAN NOT NULL DEFAULT FALSE,
    card_type         TEXT    NOT NULL DEFAULT 'link',
    title             TEXT    NOT NULL DEFAULT '',
    description       TEXT    NOT NULL DEFAULT '',
    author_name       TEXT    NOT NULL DEFAULT '',
    author_url        TEXT    NOT NULL DEFAULT '',
    provider_name     TEXT    NOT NULL DEFAULT '',
    provider_url      TEXT    NOT NULL DEFAULT '',
    html              TEXT    NOT NULL DEFAULT '',
    embed_url         TEXT    NOT NULL DEFAULT '',
    width             BIGINT  NOT NULL DEFAULT 0,
    height            BIGINT  NOT NULL DEFAULT 0,
    image_key         TEXT,
    image_width       BIGINT,
    image_height      BIGINT,
    image_description TEXT    NOT NULL DEFAULT '',
    blurhash          TEXT,
    language          TEXT,
    published_at      BIGINT
);
CREATE UNIQUE INDEX preview_card_link ON preview_card (link);

-- The card a post shows, if any: part of what its view is cached under.
ALTER TABLE status ADD COLUMN card_id BIGINT REFERENCES preview_card (id) ON DELETE SET NULL;
CREATE INDEX status_card ON status (card_id) WHERE card_id IS NOT NULL;
