//! Link previews (Mastodon's preview cards): one row per link, what the job read of its page
//! (or that it could not), and the card each post shows (`status.card_id`).

use crate::arrays::{List, ListSyntax, in_list};
use crate::connect::{Db, Tx, on_reader, on_tx};
use crate::error::Result;

/// A link's preview as kept.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct PreviewCardRow {
    pub id: i64,
    /// The address as posts give it.
    pub link: String,
    /// The page's own address (its canonical URL, else where the link led).
    pub url: String,
    pub fetched_at: i64,
    /// The page could not be read; such a row is never shown.
    pub failed: bool,
    /// `link`, `photo`, `video` or `rich`.
    pub card_type: String,
    pub title: String,
    pub description: String,
    pub author_name: String,
    pub author_url: String,
    pub provider_name: String,
    pub provider_url: String,
    /// Sanitized embed HTML (video and rich cards only).
    pub html: String,
    pub embed_url: String,
    pub width: i64,
    pub height: i64,
    /// The thumbnail's key in the media store.
    pub image_key: Option<String>,
    pub image_width: Option<i64>,
    pub image_height: Option<i64>,
    pub image_description: String,
    pub blurhash: Option<String>,
    pub language: Option<String>,
    pub published_at: Option<i64>,
}

pub(crate) const CARD_COLUMNS: &str = "id, link, url, fetched_at, failed, card_type, title, \
     description, author_name, author_url, provider_name, provider_url, html, embed_url, width, \
     height, image_key, image_width, image_height, image_description, blurhash, language, \
     published_at";

impl crate::sqlite_reads::ReadRow for PreviewCardRow {
    const COLUMNS: &'static [&'static str] = &[
        "id",
        "link",
        "url",
        "fetched_at",
        "failed",
        "card_type",
        "title",
        "description",
        "author_name",
        "author_url",
        "provider_name",
        "provider_url",
        "html",
        "embed_url",
        "width",
        "height",
        "image_key",
        "image_width",
        "image_height",
        "image_description",
        "blurhash",
        "language",
        "published_at",
    ];

    fn read(columns: &mut crate::sqlite_reads::Columns<'_, '_>) -> rusqlite::Result<Self> {
        Ok(PreviewCardRow {
            id: columns.value()?,
            link: columns.value()?,
            url: columns.value()?,
            fetched_at: columns.value()?,
            failed: columns.value()?,
            card_type: columns.value()?,
            title: columns.value()?,
            description: columns.value()?,
            author_name: columns.value()?,
            author_url: columns.value()?,
            provider_name: columns.value()?,
            provider_url: columns.value()?,
            html: columns.value()?,
            embed_url: columns.value()?,
            width: columns.value()?,
            height: columns.value()?,
            image_key: columns.value()?,
            image_width: columns.value()?,
            image_height: columns.value()?,
            image_description: columns.value()?,
            blurhash: columns.value()?,
            language: columns.value()?,
            published_at: columns.value()?,
        })
    }
}

/// Cards whose id is in the list bound as `$1`.
pub(crate) fn cards_by_ids_sql(lists: ListSyntax) -> String {
    format!(
        "SELECT {CARD_COLUMNS} FROM preview_card WHERE id {}",
        in_list(lists, "$1")
    )
}

/// What the link-preview job needs to know of a post.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct LinkSourceRow {
    pub content: String,
    pub is_reblog: bool,
    pub has_media: bool,
    /// The link of the card it shows now, if any.
    pub card_link: Option<String>,
}

impl Db {
    /// What the link-preview job reads of status `id`, if it exists.
    pub async fn link_source(&self, id: i64) -> Result<Option<LinkSourceRow>> {
        Ok(on_reader!(self, pool => sqlx::query_as(
            "SELECT s.content, s.reblog_of_id IS NOT NULL AS is_reblog, \
             EXISTS (SELECT 1 FROM media_attachment m WHERE m.status_id = s.id) AS has_media, \
             c.link AS card_link \
             FROM status s LEFT JOIN preview_card c ON c.id = s.card_id WHERE s.id = $1",
        )
        .bind(id)
        .fetch_optional(pool)
        .await)?)
    }

    /// The addresses (profile page and actor id) of the accounts status `id` mentions: links to
    /// them are mentions, not links to preview.
    pub async fn mentioned_addresses(&self, id: i64) -> Result<Vec<String>> {
        let pairs: Vec<(Option<String>, Option<String>)> = on_reader!(self, pool => sqlx::query_as(
            "SELECT a.url, a.uri FROM status_mention m JOIN account a ON a.id = m.account_id \
             WHERE m.status_id = $1",
        )
        .bind(id)
        .fetch_all(pool)
        .await)?;
        Ok(pairs
            .into_iter()
            .flat_map(|(url, uri)| [url, uri])
            .flatten()
            .collect())
    }

    /// The preview kept for `link`, whether or not its page could be read.
    pub async fn preview_card_for_link(&self, link: &str) -> Result<Option<PreviewCardRow>> {
        Ok(on_reader!(self, pool => sqlx::query_as(&format!(
            "SELECT {CARD_COLUMNS} FROM preview_card WHERE link = $1"
        ))
        .bind(link)
        .fetch_optional(pool)
        .await)?)
    }

    /// The cards `ids` (those that exist).
    pub async fn preview_cards_by_ids(&self, ids: &[i64]) -> Result<Vec<PreviewCardRow>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let sql = cards_by_ids_sql(self.engine().into());
        Ok(on_reader!(self, pool => sqlx::query_as(&sql)
            .bind(List(ids))
            .fetch_all(pool)
            .await)?)
    }
}

impl Tx {
    /// Keeps `card` as the preview of its link, replacing what was kept for that link (the id
    /// stays, so the posts that show it show the new one); returns the id and the key of the
    /// image it replaced, whose file is no longer used.
    pub async fn save_preview_card(
        &mut self,
        card: &PreviewCardRow,
    ) -> Result<(i64, Option<String>)> {
        let previous: Option<(i64, Option<String>)> = on_tx!(self, conn => sqlx::query_as(
            "SELECT id, image_key FROM preview_card WHERE link = $1",
        )
        .bind(&card.link)
        .fetch_optional(&mut *conn)
        .await)?;
        let id = previous.as_ref().map_or(card.id, |(id, _)| *id);
        on_tx!(rows_affected, self, conn => sqlx::query(
            "INSERT INTO preview_card (id, link, url, fetched_at, failed, card_type, title, \
             description, author_name, author_url, provider_name, provider_url, html, embed_url, \
             width, height, image_key, image_width, image_height, image_description, blurhash, \
             language, published_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, \
             $18, $19, $20, $21, $22, $23) \
             ON CONFLICT (link) DO UPDATE SET url = excluded.url, \
             fetched_at = excluded.fetched_at, failed = excluded.failed, \
             card_type = excluded.card_type, title = excluded.title, \
             description = excluded.description, author_name = excluded.author_name, \
             author_url = excluded.author_url, provider_name = excluded.provider_name, \
             provider_url = excluded.provider_url, html = excluded.html, \
             embed_url = excluded.embed_url, width = excluded.width, height = excluded.height, \
             image_key = excluded.image_key, image_width = excluded.image_width, \
             image_height = excluded.image_height, image_description = excluded.image_description, \
             blurhash = excluded.blurhash, language = excluded.language, \
             published_at = excluded.published_at",
        )
        .bind(id)
        .bind(&card.link)
        .bind(&card.url)
        .bind(card.fetched_at)
        .bind(card.failed)
        .bind(&card.card_type)
        .bind(&card.title)
        .bind(&card.description)
        .bind(&card.author_name)
        .bind(&card.author_url)
        .bind(&card.provider_name)
        .bind(&card.provider_url)
        .bind(&card.html)
        .bind(&card.embed_url)
        .bind(card.width)
        .bind(card.height)
        .bind(&card.image_key)
        .bind(card.image_width)
        .bind(card.image_height)
        .bind(&card.image_description)
        .bind(&card.blurhash)
        .bind(&card.language)
        .bind(card.published_at)
        .execute(&mut *conn)
        .await)?;
        let replaced = previous
            .and_then(|(_, key)| key)
            .filter(|key| Some(key) != card.image_key.as_ref());
        Ok((id, replaced))
    }

    /// Makes status `status_id` show card `card_id` (none: no card); returns whether the status
    /// exists and showed another.
    pub async fn set_status_card(&mut self, status_id: i64, card_id: Option<i64>) -> Result<bool> {
        let changed = on_tx!(rows_affected, self, conn => sqlx::query(
            "UPDATE status SET card_id = $2 WHERE id = $1 AND COALESCE(card_id, 0) <> COALESCE($2, 0)",
        )
        .bind(status_id)
        .bind(card_id)
        .execute(&mut *conn)
        .await)?;
        Ok(changed == 1)
    }
}
