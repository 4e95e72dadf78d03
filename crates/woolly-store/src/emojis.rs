//! Custom emoji rows.

use crate::arrays::{List, in_list};
use crate::connect::{Db, Tx, on_reader, on_tx};
use crate::error::Result;

/// One row of `custom_emoji`.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct CustomEmojiRow {
    pub id: i64,
    pub shortcode: String,
    /// `None` for the instance's own emojis.
    pub domain: Option<String>,
    pub file_key: Option<String>,
    pub remote_url: Option<String>,
    pub visible_in_picker: bool,
    pub category: Option<String>,
    pub disabled: bool,
    pub created_at: i64,
}

const EMOJI_COLUMNS: &str = "id, shortcode, domain, file_key, remote_url, visible_in_picker, \
     category, disabled, created_at";

impl Db {
    /// Adds an emoji; false when one with its shortcode (and domain) exists.
    pub async fn insert_custom_emoji(&self, row: &CustomEmojiRow) -> Result<bool> {
        let mut tx = self.begin().await?;
        let inserted = on_tx!(rows_affected, tx, conn => sqlx::query(
            "INSERT INTO custom_emoji (id, shortcode, domain, file_key, remote_url, \
             visible_in_picker, category, disabled, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT DO NOTHING",
        )
        .bind(row.id)
        .bind(&row.shortcode)
        .bind(&row.domain)
        .bind(&row.file_key)
        .bind(&row.remote_url)
        .bind(row.visible_in_picker)
        .bind(&row.category)
        .bind(row.disabled)
        .bind(row.created_at)
        .execute(conn)
        .await)?;
        if inserted == 1 {
            tx.bump_render_generation().await?;
        }
        tx.commit().await?;
        Ok(inserted == 1)
    }

    /// Removes a local emoji and returns it, if it existed.
    pub async fn delete_local_custom_emoji(
        &self,
        shortcode: &str,
    ) -> Result<Option<CustomEmojiRow>> {
        let sql = format!(
            "DELETE FROM custom_emoji WHERE shortcode = $1 AND domain IS NULL RETURNING {EMOJI_COLUMNS}"
        );
        let mut tx = self.begin().await?;
        let row = on_tx!(tx, conn => sqlx::query_as::<_, CustomEmojiRow>(&sql)
            .bind(shortcode)
            .fetch_optional(conn)
            .await)?;
        if row.is_some() {
            tx.bump_render_generation().await?;
        }
        tx.commit().await?;
        Ok(row)
    }

    /// The instance's own emojis, disabled ones included, by shortcode.
    pub async fn local_custom_emojis(&self) -> Result<Vec<CustomEmojiRow>> {
        let sql = format!(
            "SELECT {EMOJI_COLUMNS} FROM custom_emoji WHERE domain IS NULL ORDER BY shortcode"
        );
        let rows = on_reader!(self, pool => sqlx::query_as::<_, CustomEmojiRow>(&sql).fetch_all(pool).await)?;
        Ok(rows)
    }

    /// Enabled emojis among `shortcodes` of `domain` (`None`: this instance's), what posts and
    /// profiles of that domain can show.
    pub async fn custom_emojis_named(
        &self,
        domain: Option<&str>,
        shortcodes: &[String],
    ) -> Result<Vec<CustomEmojiRow>> {
        if shortcodes.is_empty() {
            return Ok(Vec::new());
        }
        let sql = format!(
            "SELECT {EMOJI_COLUMNS} FROM custom_emoji \
             WHERE coalesce(domain, '') = coalesce($1, '') AND NOT disabled \
               AND shortcode {} ORDER BY shortcode",
            in_list(self.engine(), "$2")
        );
        let rows = on_reader!(self, pool => sqlx::query_as::<_, CustomEmojiRow>(&sql)
            .bind(domain)
            .bind(List(shortcodes))
            .fetch_all(pool)
            .await)?;
        Ok(rows)
    }

    /// Records (or moves) a remote emoji: `shortcode` of `domain`, whose image is at `url`.
    /// Seeing an emoji again where it was is no change (most remote posts repeat the emojis
    /// Woolly already knows).
    pub async fn upsert_remote_emoji(
        &self,
        id: i64,
        shortcode: &str,
        domain: &str,
        url: &str,
        now: i64,
    ) -> Result<()> {
        let mut tx = self.begin().await?;
        let changed = on_tx!(rows_affected, tx, conn => sqlx::query(
            "INSERT INTO custom_emoji (id, shortcode, domain, remote_url, visible_in_picker, created_at) \
             VALUES ($1, $2, $3, $4, FALSE, $5) \
             ON CONFLICT (shortcode, domain) WHERE domain IS NOT NULL DO UPDATE SET remote_url = $4 \
             WHERE custom_emoji.remote_url IS NULL OR custom_emoji.remote_url <> $4",
        )
        .bind(id)
        .bind(shortcode)
        .bind(domain)
        .bind(url)
        .bind(now)
        .execute(conn)
        .await)?;
        if changed > 0 {
            tx.bump_render_generation().await?;
        }
        tx.commit().await?;
        Ok(())
    }
}

impl Tx {
    /// Counts a change that alters how stored statuses show without touching their rows (see
    /// `StatusStamp`).
    pub(crate) async fn bump_render_generation(&mut self) -> Result<()> {
        on_tx!(rows_affected, self, conn => sqlx::query(
            "UPDATE render_generation SET value = value + 1 WHERE id = 1",
        )
        .execute(conn)
        .await)?;
        Ok(())
    }
}
