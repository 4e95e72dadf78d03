//! Status edits: the new text in `status`, every version in `status_edit`.

use crate::arrays::{List, in_list};
use crate::connect::{Db, Tx, on_reader, on_tx};
use crate::error::Result;
use crate::status_pages::advance_stamp;

/// One version of a status.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct StatusEditRow {
    pub id: i64,
    pub status_id: i64,
    pub text: String,
    pub content: String,
    pub spoiler_text: String,
    pub sensitive: bool,
    pub language: Option<String>,
    pub media_ids: String,
    /// The version's media as they were: `[VersionMedia]` as JSON; `None` for versions kept
    /// before Woolly recorded them.
    pub media_attributes: Option<String>,
    pub created_at: i64,
}

/// How one medium of a version was described.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize, sqlx::FromRow)]
pub struct VersionMedia {
    pub id: i64,
    pub description: Option<String>,
    pub focus_x: f64,
    pub focus_y: f64,
}

/// The new content of an edited status.
#[derive(Debug, Clone)]
pub struct StatusContent {
    pub text: String,
    pub content: String,
    pub spoiler_text: String,
    pub sensitive: bool,
    pub language: Option<String>,
}

impl Tx {
    /// Records one version of a status.
    pub async fn insert_status_edit(
        &mut self,
        status_id: i64,
        version: &StatusContent,
        media_ids: &str,
        at: i64,
    ) -> Result<()> {
        let id = self.next_id();
        // The media as they are now, read in the transaction that writes the version.
        let ids: Vec<i64> = serde_json::from_str(media_ids).unwrap_or_default();
        let described: Vec<VersionMedia> = if ids.is_empty() {
            Vec::new()
        } else {
            let sql = format!(
                "SELECT id, description, focus_x, focus_y FROM media_attachment WHERE id {}",
                in_list(self.engine(), "$1")
            );
            on_tx!(self, conn => sqlx::query_as(&sql)
                .bind(List(&ids))
                .fetch_all(conn)
                .await)?
        };
        let media_attributes = serde_json::to_string(&described).unwrap_or_else(|_| "[]".into());
        on_tx!(rows_affected, self, conn => sqlx::query(
            "INSERT INTO status_edit (id, status_id, text, content, spoiler_text, sensitive, language, media_ids, media_attributes, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $10, $9)",
        )
        .bind(id)
        .bind(status_id)
        .bind(&version.text)
        .bind(&version.content)
        .bind(&version.spoiler_text)
        .bind(version.sensitive)
        .bind(&version.language)
        .bind(media_ids)
        .bind(at)
        .bind(&media_attributes)
        .execute(conn)
        .await)?;
        Ok(())
    }

    pub async fn count_status_edits(&mut self, status_id: i64) -> Result<i64> {
        let (count,): (i64,) = on_tx!(self, conn => sqlx::query_as(
            "SELECT count(*) FROM status_edit WHERE status_id = $1",
        )
        .bind(status_id)
        .fetch_one(conn)
        .await)?;
        Ok(count)
    }

    /// Replaces a status's content and marks it edited.
    pub async fn update_status_content(
        &mut self,
        status_id: i64,
        content: &StatusContent,
        edited_at: i64,
    ) -> Result<()> {
        on_tx!(rows_affected, self, conn => sqlx::query(&format!(
            "UPDATE status SET text = $1, content = $2, spoiler_text = $3, sensitive = $4, language = $5, \
             {} WHERE id = $7",
            advance_stamp("edited_at", "$6")
        ))
        .bind(&content.text)
        .bind(&content.content)
        .bind(&content.spoiler_text)
        .bind(content.sensitive)
        .bind(&content.language)
        .bind(edited_at)
        .bind(status_id)
        .execute(conn)
        .await)?;
        Ok(())
    }

    /// Replaces a status's hashtags.
    pub async fn replace_tags(&mut self, status_id: i64, names: &[String]) -> Result<()> {
        on_tx!(rows_affected, self, conn => sqlx::query("DELETE FROM status_tag WHERE status_id = $1")
            .bind(status_id)
            .execute(conn)
            .await)?;
        for name in names {
            self.insert_tag(status_id, name).await?;
        }
        Ok(())
    }

    /// Detaches the status's media except `keep`.
    pub async fn detach_media_except(&mut self, status_id: i64, keep: &[i64]) -> Result<()> {
        let sql = format!(
            "UPDATE media_attachment SET status_id = NULL WHERE status_id = $1 AND NOT (id {})",
            in_list(self.engine(), "$2")
        );
        on_tx!(rows_affected, self, conn => sqlx::query(&sql)
            .bind(status_id)
            .bind(List(keep))
            .execute(conn)
            .await)?;
        Ok(())
    }

    /// The media currently attached to a status, in order.
    pub async fn attached_media_ids(&mut self, status_id: i64) -> Result<Vec<i64>> {
        let rows: Vec<(i64,)> = on_tx!(self, conn => sqlx::query_as(
            "SELECT id FROM media_attachment WHERE status_id = $1 ORDER BY id",
        )
        .bind(status_id)
        .fetch_all(conn)
        .await)?;
        Ok(rows.into_iter().map(|(id,)| id).collect())
    }

    /// Local accounts that reblogged a status (to be told it changed).
    pub async fn local_rebloggers(&mut self, status_id: i64) -> Result<Vec<i64>> {
        let rows: Vec<(i64,)> = on_tx!(self, conn => sqlx::query_as(
            "SELECT s.account_id FROM status s JOIN local_user u ON u.account_id = s.account_id WHERE s.reblog_of_id = $1",
        )
        .bind(status_id)
        .fetch_all(conn)
        .await)?;
        Ok(rows.into_iter().map(|(id,)| id).collect())
    }
}

impl Db {
    /// Every version of a status, oldest first.
    pub async fn status_edits(&self, status_id: i64) -> Result<Vec<StatusEditRow>> {
        let rows = on_reader!(self, pool => sqlx::query_as::<_, StatusEditRow>(
            "SELECT id, status_id, text, content, spoiler_text, sensitive, language, media_ids, \
             media_attributes, created_at FROM status_edit WHERE status_id = $1 ORDER BY id",
        )
        .bind(status_id)
        .fetch_all(pool)
        .await)?;
        Ok(rows)
    }

    /// Whether a status is in an account's home feed.
    pub async fn in_home_feed(&self, account_id: i64, status_id: i64) -> Result<bool> {
        let row: Option<(i64,)> = on_reader!(self, pool => sqlx::query_as(
            "SELECT status_id FROM home_feed WHERE account_id = $1 AND status_id = $2",
        )
        .bind(account_id)
        .bind(status_id)
        .fetch_optional(pool)
        .await)?;
        Ok(row.is_some())
    }

    /// Media rows by id.
    pub async fn media_by_ids(&self, ids: &[i64]) -> Result<Vec<crate::MediaRow>> {
        let mut rows = Vec::new();
        for id in ids {
            rows.extend(self.media_by_id(*id).await?);
        }
        Ok(rows)
    }
}
