//! Filter rows: a user's filters, their keywords and the statuses they name.
//!
//! Every read and write of a keyword or a filtered status names the owning account, so that
//! someone else's row is answered exactly like a missing one. What a valid filter is, and how it
//! matches a status, is decided in `woolly-core`.

use crate::arrays::{List, in_list};
use crate::connect::{Db, Tx, on_reader, on_tx};
use crate::error::Result;

/// One row of `custom_filter`.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct FilterRow {
    pub id: i64,
    pub account_id: i64,
    pub title: String,
    /// Context names, comma-separated.
    pub context: String,
    pub action: String,
    pub expires_at: Option<i64>,
    pub created_at: i64,
}

/// One row of `custom_filter_keyword`.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct FilterKeywordRow {
    pub id: i64,
    pub filter_id: i64,
    pub keyword: String,
    pub whole_word: bool,
    pub created_at: i64,
}

/// One row of `custom_filter_status`.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct FilterStatusRow {
    pub id: i64,
    pub filter_id: i64,
    pub status_id: i64,
    pub created_at: i64,
}

impl crate::sqlite_reads::ReadRow for FilterRow {
    const COLUMNS: &'static [&'static str] = &[
        "id",
        "account_id",
        "title",
        "context",
        "action",
        "expires_at",
        "created_at",
    ];

    fn read(columns: &mut crate::sqlite_reads::Columns<'_, '_>) -> rusqlite::Result<Self> {
        Ok(FilterRow {
            id: columns.value()?,
            account_id: columns.value()?,
            title: columns.value()?,
            context: columns.value()?,
            action: columns.value()?,
            expires_at: columns.value()?,
            created_at: columns.value()?,
        })
    }
}

const FILTER_COLUMNS: &str =
    "f.id, f.account_id, f.title, f.context, f.action, f.expires_at, f.created_at";
const KEYWORD_COLUMNS: &str = "k.id, k.filter_id, k.keyword, k.whole_word, k.created_at";
const STATUS_COLUMNS: &str = "fs.id, fs.filter_id, fs.status_id, fs.created_at";

impl Tx {
    pub async fn insert_filter(&mut self, row: &FilterRow) -> Result<()> {
        on_tx!(rows_affected, self, conn => sqlx::query(
            "INSERT INTO custom_filter (id, account_id, title, context, action, expires_at, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(row.id)
        .bind(row.account_id)
        .bind(&row.title)
        .bind(&row.context)
        .bind(&row.action)
        .bind(row.expires_at)
        .bind(row.created_at)
        .execute(conn)
        .await)?;
        Ok(())
    }

    /// Rewrites a filter's title, context, action and expiry; returns false when the owner
    /// (`account_id`) has no such filter.
    pub async fn update_filter(&mut self, row: &FilterRow) -> Result<bool> {
        let updated = on_tx!(rows_affected, self, conn => sqlx::query(
            "UPDATE custom_filter SET title = $1, context = $2, action = $3, expires_at = $4 \
             WHERE id = $5 AND account_id = $6",
        )
        .bind(&row.title)
        .bind(&row.context)
        .bind(&row.action)
        .bind(row.expires_at)
        .bind(row.id)
        .bind(row.account_id)
        .execute(conn)
        .await)?;
        Ok(updated == 1)
    }

    /// Deletes a filter with its keywords and statuses; returns false when the owner has no such
    /// filter.
    pub async fn delete_filter(&mut self, account_id: i64, filter_id: i64) -> Result<bool> {
        let deleted = on_tx!(rows_affected, self, conn => sqlx::query(
            "DELETE FROM custom_filter WHERE id = $1 AND account_id = $2",
        )
        .bind(filter_id)
        .bind(account_id)
        .execute(conn)
        .await)?;
        Ok(deleted == 1)
    }

    pub async fn insert_filter_keyword(&mut self, row: &FilterKeywordRow) -> Result<()> {
        on_tx!(rows_affected, self, conn => sqlx::query(
            "INSERT INTO custom_filter_keyword (id, filter_id, keyword, whole_word, created_at) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(row.id)
        .bind(row.filter_id)
        .bind(&row.keyword)
        .bind(row.whole_word)
        .bind(row.created_at)
        .execute(conn)
        .await)?;
        Ok(())
    }

    /// Rewrites a keyword; returns false when it is not a keyword of `account_id`'s filter
    /// `row.filter_id`.
    pub async fn update_filter_keyword(
        &mut self,
        account_id: i64,
        row: &FilterKeywordRow,
    ) -> Result<bool> {
        let updated = on_tx!(rows_affected, self, conn => sqlx::query(
            "UPDATE custom_filter_keyword SET keyword = $1, whole_word = $2 \
             WHERE id = $3 AND filter_id = $4 \
             AND filter_id IN (SELECT id FROM custom_filter WHERE account_id = $5)",
        )
        .bind(&row.keyword)
        .bind(row.whole_word)
        .bind(row.id)
        .bind(row.filter_id)
        .bind(account_id)
        .execute(conn)
        .await)?;
        Ok(updated == 1)
    }

    /// Deletes one of `account_id`'s keywords; returns false when there is no such keyword.
    pub async fn delete_filter_keyword(
        &mut self,
        account_id: i64,
        keyword_id: i64,
    ) -> Result<bool> {
        let deleted = on_tx!(rows_affected, self, conn => sqlx::query(
            "DELETE FROM custom_filter_keyword WHERE id = $1 \
             AND filter_id IN (SELECT id FROM custom_filter WHERE account_id = $2)",
        )
        .bind(keyword_id)
        .bind(account_id)
        .execute(conn)
        .await)?;
        Ok(deleted == 1)
    }

    /// How many keywords a filter has.
    pub async fn count_filter_keywords(&mut self, filter_id: i64) -> Result<i64> {
        let (count,): (i64,) = on_tx!(self, conn => sqlx::query_as(
            "SELECT count(*) FROM custom_filter_keyword WHERE filter_id = $1",
        )
        .bind(filter_id)
        .fetch_one(conn)
        .await)?;
        Ok(count)
    }

    /// Adds a status to a filter; the same status twice is a [`crate::StoreError::Conflict`].
    pub async fn insert_filter_status(&mut self, row: &FilterStatusRow) -> Result<()> {
        on_tx!(rows_affected, self, conn => sqlx::query(
            "INSERT INTO custom_filter_status (id, filter_id, status_id, created_at) \
             VALUES ($1, $2, $3, $4)",
        )
        .bind(row.id)
        .bind(row.filter_id)
        .bind(row.status_id)
        .bind(row.created_at)
        .execute(conn)
        .await)?;
        Ok(())
    }

    /// Deletes one of `account_id`'s filtered statuses; returns false when there is no such row.
    pub async fn delete_filter_status(&mut self, account_id: i64, id: i64) -> Result<bool> {
        let deleted = on_tx!(rows_affected, self, conn => sqlx::query(
            "DELETE FROM custom_filter_status WHERE id = $1 \
             AND filter_id IN (SELECT id FROM custom_filter WHERE account_id = $2)",
        )
        .bind(id)
        .bind(account_id)
        .execute(conn)
        .await)?;
        Ok(deleted == 1)
    }
}

impl Db {
    /// An account's filters, oldest first; with `active_at`, only those that have not expired
    /// by then (Unix milliseconds).
    pub async fn filters_of(
        &self,
        account_id: i64,
        active_at: Option<i64>,
    ) -> Result<Vec<FilterRow>> {
        let sql = format!(
            "SELECT {FILTER_COLUMNS} FROM custom_filter f WHERE f.account_id = $1 \
             AND ($2 IS NULL OR f.expires_at IS NULL OR f.expires_at > $2) ORDER BY f.id"
        );
        self.hot_rows(sql, vec![account_id.into(), active_at.into()])
            .await
    }

    /// One of an account's filters; `None` when it does not exist or someone else owns it.
    pub async fn owned_filter(&self, account_id: i64, filter_id: i64) -> Result<Option<FilterRow>> {
        let sql = format!(
            "SELECT {FILTER_COLUMNS} FROM custom_filter f WHERE f.id = $1 AND f.account_id = $2"
        );
        let row = on_reader!(self, pool => sqlx::query_as::<_, FilterRow>(&sql)
            .bind(filter_id)
            .bind(account_id)
            .fetch_optional(pool)
            .await)?;
        Ok(row)
    }

    /// The keywords of the given filters, oldest first.
    pub async fn keywords_of_filters(&self, filter_ids: &[i64]) -> Result<Vec<FilterKeywordRow>> {
        if filter_ids.is_empty() {
            return Ok(Vec::new());
        }
        let sql = format!(
            "SELECT {KEYWORD_COLUMNS} FROM custom_filter_keyword k WHERE k.filter_id {} ORDER BY k.id",
            in_list(self.engine(), "$1")
        );
        let rows = on_reader!(self, pool => sqlx::query_as::<_, FilterKeywordRow>(&sql)
            .bind(List(filter_ids))
            .fetch_all(pool)
            .await)?;
        Ok(rows)
    }

    /// The statuses named by the given filters, oldest first.
    pub async fn statuses_of_filters(&self, filter_ids: &[i64]) -> Result<Vec<FilterStatusRow>> {
        if filter_ids.is_empty() {
            return Ok(Vec::new());
        }
        let sql = format!(
            "SELECT {STATUS_COLUMNS} FROM custom_filter_status fs WHERE fs.filter_id {} ORDER BY fs.id",
            in_list(self.engine(), "$1")
        );
        let rows = on_reader!(self, pool => sqlx::query_as::<_, FilterStatusRow>(&sql)
            .bind(List(filter_ids))
            .fetch_all(pool)
            .await)?;
        Ok(rows)
    }

    /// One of an account's keywords, with its filter.
    pub async fn owned_filter_keyword(
        &self,
        account_id: i64,
        keyword_id: i64,
    ) -> Result<Option<(FilterKeywordRow, FilterRow)>> {
        let sql = format!(
            "SELECT {KEYWORD_COLUMNS} FROM custom_filter_keyword k \
             JOIN custom_filter f ON f.id = k.filter_id WHERE k.id = $1 AND f.account_id = $2"
        );
        let keyword = on_reader!(self, pool => sqlx::query_as::<_, FilterKeywordRow>(&sql)
            .bind(keyword_id)
            .bind(account_id)
            .fetch_optional(pool)
            .await)?;
        let Some(keyword) = keyword else {
            return Ok(None);
        };
        Ok(self
            .owned_filter(account_id, keyword.filter_id)
            .await?
            .map(|filter| (keyword, filter)))
    }

    /// Every keyword of an account's filters, oldest first (the v1 API lists these).
    pub async fn filter_keywords_of(&self, account_id: i64) -> Result<Vec<FilterKeywordRow>> {
        let sql = format!(
            "SELECT {KEYWORD_COLUMNS} FROM custom_filter_keyword k \
             JOIN custom_filter f ON f.id = k.filter_id WHERE f.account_id = $1 ORDER BY k.id"
        );
        let rows = on_reader!(self, pool => sqlx::query_as::<_, FilterKeywordRow>(&sql)
            .bind(account_id)
            .fetch_all(pool)
            .await)?;
        Ok(rows)
    }

    /// One of an account's filtered statuses.
    pub async fn owned_filter_status(
        &self,
        account_id: i64,
        id: i64,
    ) -> Result<Option<FilterStatusRow>> {
        let sql = format!(
            "SELECT {STATUS_COLUMNS} FROM custom_filter_status fs \
             JOIN custom_filter f ON f.id = fs.filter_id WHERE fs.id = $1 AND f.account_id = $2"
        );
        let row = on_reader!(self, pool => sqlx::query_as::<_, FilterStatusRow>(&sql)
            .bind(id)
            .bind(account_id)
            .fetch_optional(pool)
            .await)?;
        Ok(row)
    }
}
