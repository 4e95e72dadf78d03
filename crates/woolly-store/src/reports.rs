//! Reports to this server's moderators (`report`): filed by local users or arrived as `Flag`s,
//! listed for moderators newest first, assigned, resolved and reopened. Who may do what is
//! decided in `woolly-core`.

use crate::connect::{Db, Tx, on_reader, on_tx};
use crate::error::Result;
use crate::statuses::Page;

/// One row of `report`.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ReportRow {
    pub id: i64,
    /// Who reported: a local user, or the instance actor of the server that sent a Flag.
    pub account_id: i64,
    pub target_account_id: i64,
    /// JSON arrays of ids.
    pub status_ids: String,
    pub rule_ids: String,
    pub comment: String,
    pub category: String,
    pub forwarded: bool,
    pub uri: Option<String>,
    pub assigned_account_id: Option<i64>,
    pub action_taken_at: Option<i64>,
    pub action_taken_by_account_id: Option<i64>,
    pub created_at: i64,
    pub updated_at: i64,
}

const REPORT_COLUMNS: &str = "id, account_id, target_account_id, status_ids, rule_ids, comment, \
     category, forwarded, uri, assigned_account_id, action_taken_at, action_taken_by_account_id, \
     created_at, updated_at";

/// Which reports a moderator's list shows (Mastodon's `resolved`, `account_id` and
/// `target_account_id` filters).
#[derive(Debug, Clone, Copy, Default)]
pub struct ReportFilter {
    /// Resolved ones instead of open ones.
    pub resolved: bool,
    /// Filed by this account.
    pub account_id: Option<i64>,
    /// About this account.
    pub target_account_id: Option<i64>,
}

/// A change to a report's handling.
#[derive(Debug, Clone, Copy)]
pub enum ReportChange {
    /// Assigned to this moderator, or (`None`) to nobody.
    Assign(Option<i64>),
    /// Resolved by this moderator (`None`: by the operator).
    Resolve(Option<i64>),
    Reopen,
}

impl Tx {
    /// Files a report; its `id` is given. Returns false when a report with its `uri` (a Flag
    /// delivered again) is already filed.
    pub async fn insert_report(&mut self, row: &ReportRow) -> Result<bool> {
        let inserted = on_tx!(rows_affected, self, conn => sqlx::query(
            "INSERT INTO report (id, account_id, target_account_id, status_ids, rule_ids, comment, \
             category, forwarded, uri, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10) ON CONFLICT (uri) DO NOTHING",
        )
        .bind(row.id)
        .bind(row.account_id)
        .bind(row.target_account_id)
        .bind(&row.status_ids)
        .bind(&row.rule_ids)
        .bind(&row.comment)
        .bind(&row.category)
        .bind(row.forwarded)
        .bind(&row.uri)
        .bind(row.created_at)
        .execute(conn)
        .await)?;
        Ok(inserted == 1)
    }

    /// Applies a change to a report; returns false when there is no such report.
    pub async fn change_report(&mut self, id: i64, change: ReportChange, now: i64) -> Result<bool> {
        let (sql, by) = match change {
            ReportChange::Assign(moderator) => (
                "UPDATE report SET assigned_account_id = $1, updated_at = $2 WHERE id = $3",
                moderator,
            ),
            ReportChange::Resolve(moderator) => (
                "UPDATE report SET action_taken_at = $2, action_taken_by_account_id = $1, \
                 updated_at = $2 WHERE id = $3",
                moderator,
            ),
            ReportChange::Reopen => (
                "UPDATE report SET action_taken_at = NULL, action_taken_by_account_id = $1, \
                 updated_at = $2 WHERE id = $3",
                None,
            ),
        };
        let changed = on_tx!(rows_affected, self, conn => sqlx::query(sql)
            .bind(by)
            .bind(now)
            .bind(id)
            .execute(conn)
            .await)?;
        Ok(changed == 1)
    }
}

impl Db {
    pub async fn report(&self, id: i64) -> Result<Option<ReportRow>> {
        let sql = format!("SELECT {REPORT_COLUMNS} FROM report WHERE id = $1");
        let row = on_reader!(self, pool => sqlx::query_as::<_, ReportRow>(&sql)
            .bind(id)
            .fetch_optional(pool)
            .await)?;
        Ok(row)
    }

    /// The reports among `ids` (unknown ones left out), in no particular order.
    pub async fn reports_by_id(&self, ids: &[i64]) -> Result<Vec<ReportRow>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let sql = format!(
            "SELECT {REPORT_COLUMNS} FROM report WHERE id {}",
            crate::arrays::in_list(self.engine(), "$1")
        );
        let rows = on_reader!(self, pool => sqlx::query_as::<_, ReportRow>(&sql)
            .bind(crate::arrays::List(ids))
            .fetch_all(pool)
            .await)?;
        Ok(rows)
    }

    /// A page of reports, newest first (oldest first with `min_id`).
    pub async fn reports_page(&self, filter: ReportFilter, page: Page) -> Result<Vec<ReportRow>> {
        let order = if page.min_id.is_some() { "ASC" } else { "DESC" };
        let lower = match (page.since_id, page.min_id) {
            (Some(since), Some(min)) => Some(since.max(min)),
            (since, min) => since.or(min),
        };
        let sql = format!(
            "SELECT {REPORT_COLUMNS} FROM report \
             WHERE (action_taken_at IS NOT NULL) = $1 \
             AND ($2 IS NULL OR account_id = $2) AND ($3 IS NULL OR target_account_id = $3) \
             AND ($4 IS NULL OR id < $4) AND ($5 IS NULL OR id > $5) \
             ORDER BY id {order} LIMIT $6"
        );
        let mut rows = on_reader!(self, pool => sqlx::query_as::<_, ReportRow>(&sql)
            .bind(filter.resolved)
            .bind(filter.account_id)
            .bind(filter.target_account_id)
            .bind(page.max_id)
            .bind(lower)
            .bind(page.limit)
            .fetch_all(pool)
            .await)?;
        if page.min_id.is_some() {
            rows.reverse();
        }
        Ok(rows)
    }
}
