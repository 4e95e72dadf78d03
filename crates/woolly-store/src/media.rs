//! Media attachment rows.

use crate::arrays::{List, in_list};
use crate::connect::{Db, Tx, on_reader, on_tx, on_writer};
use crate::error::Result;

/// One row of `media_attachment`.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct MediaRow {
    pub id: i64,
    pub account_id: i64,
    pub status_id: Option<i64>,
    pub kind: String,
    pub file_key: String,
    pub content_type: String,
    pub preview_key: Option<String>,
    pub width: i64,
    pub height: i64,
    pub preview_width: i64,
    pub preview_height: i64,
    pub file_size: i64,
    pub description: Option<String>,
    pub focus_x: f64,
    pub focus_y: f64,
    pub blurhash: Option<String>,
    pub created_at: i64,
    /// Where a remote status's media is (its `file_key` is then empty).
    pub remote_url: Option<String>,
}

pub(crate) const MEDIA_COLUMNS: &str = "id, account_id, status_id, kind, file_key, content_type, preview_key, \
     width, height, preview_width, preview_height, file_size, description, focus_x, focus_y, \
     blurhash, created_at, remote_url";

impl crate::sqlite_reads::ReadRow for MediaRow {
    const COLUMNS: &'static [&'static str] = &[
        "id",
        "account_id",
        "status_id",
        "kind",
        "file_key",
        "content_type",
        "preview_key",
        "width",
        "height",
        "preview_width",
        "preview_height",
        "file_size",
        "description",
        "focus_x",
        "focus_y",
        "blurhash",
        "created_at",
        "remote_url",
    ];

    fn read(columns: &mut crate::sqlite_reads::Columns<'_, '_>) -> rusqlite::Result<Self> {
        Ok(MediaRow {
            id: columns.value()?,
            account_id: columns.value()?,
            status_id: columns.value()?,
            kind: columns.value()?,
            file_key: columns.value()?,
            content_type: columns.value()?,
            preview_key: columns.value()?,
            width: columns.value()?,
            height: columns.value()?,
            preview_width: columns.value()?,
            preview_height: columns.value()?,
            file_size: columns.value()?,
            description: columns.value()?,
            focus_x: columns.value()?,
            focus_y: columns.value()?,
            blurhash: columns.value()?,
            created_at: columns.value()?,
            remote_url: columns.value()?,
        })
    }
}

const INSERT_MEDIA: &str = "INSERT INTO media_attachment (id, account_id, status_id, kind, file_key, \
     content_type, preview_key, width, height, preview_width, preview_height, file_size, \
     description, focus_x, focus_y, blurhash, created_at, remote_url) \
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18)";

/// Binds a row's values to [`INSERT_MEDIA`].
macro_rules! bind_media {
    ($query:expr, $row:expr) => {
        $query
            .bind($row.id)
            .bind($row.account_id)
            .bind($row.status_id)
            .bind(&$row.kind)
            .bind(&$row.file_key)
            .bind(&$row.content_type)
            .bind(&$row.preview_key)
            .bind($row.width)
            .bind($row.height)
            .bind($row.preview_width)
            .bind($row.preview_height)
            .bind($row.file_size)
            .bind(&$row.description)
            .bind($row.focus_x)
            .bind($row.focus_y)
            .bind(&$row.blurhash)
            .bind($row.created_at)
            .bind(&$row.remote_url)
    };
}

impl Tx {
    /// Stores a media row with the status it belongs to (remote statuses' media).
    pub async fn insert_media_row(&mut self, row: &MediaRow) -> Result<()> {
        on_tx!(rows_affected, self, conn => bind_media!(sqlx::query(INSERT_MEDIA), row)
            .execute(conn)
            .await)?;
        Ok(())
    }
}

impl Db {
    pub async fn insert_media(&self, row: &MediaRow) -> Result<()> {
        on_writer!(rows_affected, self, pool => bind_media!(sqlx::query(INSERT_MEDIA), row)
            .execute(pool)
            .await)?;
        Ok(())
    }

    pub async fn media_by_id(&self, id: i64) -> Result<Option<MediaRow>> {
        let sql = format!("SELECT {MEDIA_COLUMNS} FROM media_attachment WHERE id = $1");
        let row = on_reader!(self, pool => sqlx::query_as::<_, MediaRow>(&sql)
            .bind(id)
            .fetch_optional(pool)
            .await)?;
        Ok(row)
    }

    /// Local uploads still kept in a folder named by their id alone (from before upload folders
    /// carried random bits), in id order after `after`, `limit` at a time.
    pub async fn media_in_plain_folders(&self, after: i64, limit: i64) -> Result<Vec<MediaRow>> {
        let sql = format!(
            "SELECT {MEDIA_COLUMNS} FROM media_attachment WHERE id > $1 AND remote_url IS NULL \
             AND file_key <> '' AND file_key NOT LIKE '%-%' ORDER BY id LIMIT $2"
        );
        let rows = on_reader!(self, pool => sqlx::query_as::<_, MediaRow>(&sql)
            .bind(after)
            .bind(limit)
            .fetch_all(pool)
            .await)?;
        Ok(rows)
    }

    /// Points an upload at its files' new keys, if it still has `old_file_key` (another process
    /// may have moved it first); a change of how its status shows. True when it moved.
    pub async fn move_media_keys(
        &self,
        id: i64,
        old_file_key: &str,
        file_key: &str,
        preview_key: Option<&str>,
    ) -> Result<bool> {
        let mut tx = self.begin().await?;
        let moved: Option<(Option<i64>,)> = on_tx!(tx, conn => sqlx::query_as(
            "UPDATE media_attachment SET file_key = $1, preview_key = $2 \
             WHERE id = $3 AND file_key = $4 RETURNING status_id",
        )
        .bind(file_key)
        .bind(preview_key)
        .bind(id)
        .bind(old_file_key)
        .fetch_optional(conn)
        .await)?;
        if matches!(moved, Some((Some(_),))) {
            tx.bump_render_generation().await?;
        }
        tx.commit().await?;
        Ok(moved.is_some())
    }

    /// Changes the description and focus of one of the account's uploads not attached to a
    /// status (attached ones change through their status's edits). False when there is none.
    pub async fn update_unattached_media(
        &self,
        id: i64,
        account_id: i64,
        description: Option<&str>,
        focus: Option<(f64, f64)>,
    ) -> Result<bool> {
        let updated = on_writer!(rows_affected, self, pool => sqlx::query(
            "UPDATE media_attachment SET description = coalesce($1, description), \
             focus_x = coalesce($2, focus_x), focus_y = coalesce($3, focus_y) \
             WHERE id = $4 AND account_id = $5 AND status_id IS NULL",
        )
        .bind(description)
        .bind(focus.map(|(x, _)| x))
        .bind(focus.map(|(_, y)| y))
        .bind(id)
        .bind(account_id)
        .execute(pool)
        .await)?;
        Ok(updated == 1)
    }
}

impl Tx {
    /// Changes the description and focus of an upload; when it is attached to a status, that
    /// counts as a change of how the status shows.
    pub async fn describe_media(
        &mut self,
        id: i64,
        description: Option<&str>,
        focus: Option<(f64, f64)>,
    ) -> Result<()> {
        let attached_to: Option<(Option<i64>,)> = on_tx!(self, conn => sqlx::query_as(
            "UPDATE media_attachment SET description = coalesce($1, description), \
             focus_x = coalesce($2, focus_x), focus_y = coalesce($3, focus_y) WHERE id = $4 \
             RETURNING status_id",
        )
        .bind(description)
        .bind(focus.map(|(x, _)| x))
        .bind(focus.map(|(_, y)| y))
        .bind(id)
        .fetch_optional(conn)
        .await)?;
        if matches!(attached_to, Some((Some(_),))) {
            self.bump_render_generation().await?;
        }
        Ok(())
    }

    /// Attaches the account's unattached uploads to a status. Returns how many were attached;
    /// fewer than asked means some were not the account's, or already used (attached, or
    /// reserved for a scheduled status).
    pub async fn attach_media(
        &mut self,
        status_id: i64,
        account_id: i64,
        media_ids: &[i64],
    ) -> Result<u64> {
        if media_ids.is_empty() {
            return Ok(0);
        }
        let sql = format!(
            "UPDATE media_attachment SET status_id = $1 WHERE id {} AND account_id = $2 \
             AND status_id IS NULL AND scheduled_status_id IS NULL",
            in_list(self.engine(), "$3")
        );
        let attached = on_tx!(rows_affected, self, conn => sqlx::query(&sql)
            .bind(status_id)
            .bind(account_id)
            .bind(List(media_ids))
            .execute(conn)
            .await)?;
        Ok(attached)
    }
}
