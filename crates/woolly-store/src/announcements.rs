//! The operator's announcements, who dismissed which, and the emoji reactions to them. What is
//! shown to whom is decided in `woolly-core`.

use crate::connect::{Db, Tx, on_reader, on_tx};
use crate::error::Result;

/// One row of `announcement`.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct AnnouncementRow {
    pub id: i64,
    pub text: String,
    pub html: String,
    pub starts_at: Option<i64>,
    pub ends_at: Option<i64>,
    pub all_day: bool,
    pub published_at: Option<i64>,
    pub created_at: i64,
    pub updated_at: i64,
}

const COLUMNS: &str =
    "id, text, html, starts_at, ends_at, all_day, published_at, created_at, updated_at";

/// How many members reacted to an announcement with one emoji, and whether the reader did.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ReactionCount {
    pub announcement_id: i64,
    pub name: String,
    pub count: i64,
    pub mine: bool,
}

impl Tx {
    /// Writes a new announcement, or rewrites one with the same id.
    pub async fn save_announcement(&mut self, row: &AnnouncementRow) -> Result<()> {
        on_tx!(rows_affected, self, conn => sqlx::query(&format!(
            "INSERT INTO announcement ({COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) \
             ON CONFLICT (id) DO UPDATE SET text = $2, html = $3, starts_at = $4, ends_at = $5, \
             all_day = $6, published_at = $7, updated_at = $9"
        ))
        .bind(row.id)
        .bind(&row.text)
        .bind(&row.html)
        .bind(row.starts_at)
        .bind(row.ends_at)
        .bind(row.all_day)
        .bind(row.published_at)
        .bind(row.created_at)
        .bind(row.updated_at)
        .execute(conn)
        .await)?;
        Ok(())
    }

    pub async fn delete_announcement(&mut self, id: i64) -> Result<bool> {
        let deleted = on_tx!(rows_affected, self, conn => sqlx::query(
            "DELETE FROM announcement WHERE id = $1",
        )
        .bind(id)
        .execute(conn)
        .await)?;
        Ok(deleted == 1)
    }

    /// Records that `account_id` dismissed an announcement (again is no change).
    pub async fn dismiss_announcement(&mut self, account_id: i64, id: i64) -> Result<()> {
        on_tx!(rows_affected, self, conn => sqlx::query(
            "INSERT INTO announcement_dismissal (account_id, announcement_id) VALUES ($1, $2) \
             ON CONFLICT DO NOTHING",
        )
        .bind(account_id)
        .bind(id)
        .execute(conn)
        .await)?;
        Ok(())
    }

    /// Adds (`on`) or takes back a reaction; false when nothing changed.
    pub async fn react_to_announcement(
        &mut self,
        account_id: i64,
        id: i64,
        name: &str,
        on: bool,
        now: i64,
    ) -> Result<bool> {
        let changed = if on {
            on_tx!(rows_affected, self, conn => sqlx::query(
                "INSERT INTO announcement_reaction (account_id, announcement_id, name, created_at) \
                 VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING",
            )
            .bind(account_id)
            .bind(id)
            .bind(name)
            .bind(now)
            .execute(conn)
            .await)?
        } else {
            on_tx!(rows_affected, self, conn => sqlx::query(
                "DELETE FROM announcement_reaction \
                 WHERE account_id = $1 AND announcement_id = $2 AND name = $3",
            )
            .bind(account_id)
            .bind(id)
            .bind(name)
            .execute(conn)
            .await)?
        };
        Ok(changed == 1)
    }
}

impl Db {
    pub async fn announcement(&self, id: i64) -> Result<Option<AnnouncementRow>> {
        let sql = format!("SELECT {COLUMNS} FROM announcement WHERE id = $1");
        let row = on_reader!(self, pool => sqlx::query_as::<_, AnnouncementRow>(&sql)
            .bind(id)
            .fetch_optional(pool)
            .await)?;
        Ok(row)
    }

    /// Every announcement, drafts and past ones too, newest first.
    pub async fn all_announcements(&self) -> Result<Vec<AnnouncementRow>> {
        let sql = format!("SELECT {COLUMNS} FROM announcement ORDER BY id DESC");
        let rows = on_reader!(self, pool => sqlx::query_as::<_, AnnouncementRow>(&sql)
            .fetch_all(pool)
            .await)?;
        Ok(rows)
    }

    /// The published announcements in force at `now`, oldest first (Mastodon's
    /// `chronological`), with whether `account_id` dismissed each.
    pub async fn announcements_in_force(
        &self,
        account_id: i64,
        now: i64,
    ) -> Result<Vec<(AnnouncementRow, bool)>> {
        #[derive(sqlx::FromRow)]
        struct Row {
            #[sqlx(flatten)]
            announcement: AnnouncementRow,
            dismissed: bool,
        }
        let sql = format!(
            "SELECT {COLUMNS}, EXISTS (SELECT 1 FROM announcement_dismissal d \
               WHERE d.announcement_id = announcement.id AND d.account_id = $1) AS dismissed \
             FROM announcement WHERE published_at IS NOT NULL \
             AND (starts_at IS NULL OR starts_at <= $2) AND (ends_at IS NULL OR ends_at > $2) \
             ORDER BY coalesce(starts_at, published_at) ASC, id ASC"
        );
        let rows = on_reader!(self, pool => sqlx::query_as::<_, Row>(&sql)
            .bind(account_id)
            .bind(now)
            .fetch_all(pool)
            .await)?;
        Ok(rows
            .into_iter()
            .map(|row| (row.announcement, row.dismissed))
            .collect())
    }

    /// The reactions to each of `ids`, with whether `account_id` gave each.
    pub async fn announcement_reactions(
        &self,
        ids: &[i64],
        account_id: i64,
    ) -> Result<Vec<ReactionCount>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let sql = format!(
            "SELECT announcement_id, name, count(*) AS count, \
             max(CASE WHEN account_id = $2 THEN 1 ELSE 0 END) = 1 AS mine \
             FROM announcement_reaction WHERE announcement_id {} \
             GROUP BY announcement_id, name ORDER BY min(created_at)",
            crate::arrays::in_list(self.engine(), "$1")
        );
        let rows = on_reader!(self, pool => sqlx::query_as::<_, ReactionCount>(&sql)
            .bind(crate::arrays::List(ids))
            .bind(account_id)
            .fetch_all(pool)
            .await)?;
        Ok(rows)
    }
}
