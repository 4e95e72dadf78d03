//! What an account features on its profile: hashtags and other accounts (endorsements).

use crate::connect::{Db, Tx, on_reader, on_tx};
use crate::error::Result;
use crate::statuses::Page;

/// A featured hashtag with its use by the account (public and unlisted statuses, no reblogs).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct FeaturedTagRow {
    pub id: i64,
    pub account_id: i64,
    pub name: String,
    pub statuses_count: i64,
    pub last_status_at: Option<i64>,
}

const FEATURED_TAG_SELECT: &str = "SELECT f.id, f.account_id, f.name, \
       (SELECT count(*) FROM status s JOIN status_tag t ON t.status_id = s.id \
        WHERE s.account_id = f.account_id AND t.name = f.name AND s.reblog_of_id IS NULL \
          AND s.visibility IN ('public', 'unlisted')) AS statuses_count, \
       (SELECT max(s.created_at) FROM status s JOIN status_tag t ON t.status_id = s.id \
        WHERE s.account_id = f.account_id AND t.name = f.name AND s.reblog_of_id IS NULL \
          AND s.visibility IN ('public', 'unlisted')) AS last_status_at \
     FROM featured_tag f";

impl Db {
    /// An account's featured hashtags, oldest first.
    pub async fn featured_tags(&self, account_id: i64) -> Result<Vec<FeaturedTagRow>> {
        let sql = format!("{FEATURED_TAG_SELECT} WHERE f.account_id = $1 ORDER BY f.id");
        let rows = on_reader!(self, pool => sqlx::query_as::<_, FeaturedTagRow>(&sql)
            .bind(account_id)
            .fetch_all(pool)
            .await)?;
        Ok(rows)
    }

    /// Which of `names` the account features.
    pub async fn featured_among(&self, account_id: i64, names: &[String]) -> Result<Vec<String>> {
        let featured = self.featured_tags(account_id).await?;
        Ok(featured
            .into_iter()
            .map(|row| row.name)
            .filter(|name| names.contains(name))
            .collect())
    }

    /// The hashtags an account uses most in its own statuses and does not feature yet.
    pub async fn featured_tag_suggestions(
        &self,
        account_id: i64,
        limit: i64,
    ) -> Result<Vec<String>> {
        let rows: Vec<(String,)> = on_reader!(self, pool => sqlx::query_as(
            "SELECT t.name FROM status_tag t JOIN status s ON s.id = t.status_id \
             WHERE s.account_id = $1 AND s.reblog_of_id IS NULL \
               AND NOT EXISTS (SELECT 1 FROM featured_tag f WHERE f.account_id = $1 AND f.name = t.name) \
             GROUP BY t.name ORDER BY count(*) DESC, max(s.id) DESC LIMIT $2",
        )
        .bind(account_id)
        .bind(limit)
        .fetch_all(pool)
        .await)?;
        Ok(rows.into_iter().map(|(name,)| name).collect())
    }

    /// Accounts an account endorses, newest endorsement first: (endorsement id, account id).
    pub async fn endorsements_page(&self, account_id: i64, page: Page) -> Result<Vec<(i64, i64)>> {
        self.id_pairs_page(
            "SELECT id, target_account_id FROM endorsement WHERE account_id = $1",
            account_id,
            page,
        )
        .await
    }
}

impl Tx {
    /// Features a hashtag; `None` when the account already features `limit` of them. Featuring
    /// one twice returns the existing one.
    pub async fn insert_featured_tag(
        &mut self,
        account_id: i64,
        name: &str,
        limit: i64,
        now: i64,
    ) -> Result<Option<i64>> {
        let existing: Option<(i64,)> = on_tx!(self, conn => sqlx::query_as(
            "SELECT id FROM featured_tag WHERE account_id = $1 AND name = $2",
        )
        .bind(account_id)
        .bind(name)
        .fetch_optional(conn)
        .await)?;
        if let Some((id,)) = existing {
            return Ok(Some(id));
        }
        let (count,): (i64,) = on_tx!(self, conn => sqlx::query_as(
            "SELECT count(*) FROM featured_tag WHERE account_id = $1",
        )
        .bind(account_id)
        .fetch_one(conn)
        .await)?;
        if count >= limit {
            return Ok(None);
        }
        let id = self.next_id();
        on_tx!(rows_affected, self, conn => sqlx::query(
            "INSERT INTO featured_tag (id, account_id, name, created_at) VALUES ($1, $2, $3, $4)",
        )
        .bind(id)
        .bind(account_id)
        .bind(name)
        .bind(now)
        .execute(conn)
        .await)?;
        Ok(Some(id))
    }

    /// Stops featuring a hashtag, by its featured-tag id or by name; false when there was none.
    pub async fn delete_featured_tag(
        &mut self,
        account_id: i64,
        id: Option<i64>,
        name: Option<&str>,
    ) -> Result<bool> {
        let deleted = on_tx!(rows_affected, self, conn => sqlx::query(
            "DELETE FROM featured_tag WHERE account_id = $1 AND (id = $2 OR name = $3)",
        )
        .bind(account_id)
        .bind(id)
        .bind(name)
        .execute(conn)
        .await)?;
        Ok(deleted > 0)
    }

    /// Endorses an account (idempotent).
    pub async fn insert_endorsement(
        &mut self,
        account_id: i64,
        target_id: i64,
        now: i64,
    ) -> Result<()> {
        let id = self.next_id();
        on_tx!(rows_affected, self, conn => sqlx::query(
            "INSERT INTO endorsement (id, account_id, target_account_id, created_at) \
             VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING",
        )
        .bind(id)
        .bind(account_id)
        .bind(target_id)
        .bind(now)
        .execute(conn)
        .await)?;
        Ok(())
    }

    /// Stops endorsing an account (also when a follow ends).
    pub async fn delete_endorsement(&mut self, account_id: i64, target_id: i64) -> Result<()> {
        on_tx!(rows_affected, self, conn => sqlx::query(
            "DELETE FROM endorsement WHERE account_id = $1 AND target_account_id = $2",
        )
        .bind(account_id)
        .bind(target_id)
        .execute(conn)
        .await)?;
        Ok(())
    }
}
