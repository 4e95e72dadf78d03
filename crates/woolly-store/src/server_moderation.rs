//! How this server deals with other servers: domain blocks (with their severity and options)
//! and, for limited federation, domain allows; and the accounts a block limits. A block or
//! allow names a host and covers its subdomains and every port. Who may change them, and what
//! follows from them, is decided in `woolly-core`.

use crate::connect::{Db, Tx, on_reader, on_tx};
use crate::error::Result;
use crate::moderation::AccountLimit;
use crate::statuses::Page;

/// One row of `domain_block`.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct DomainBlockRow {
    pub id: i64,
    pub domain: String,
    /// `suspend`, `silence` or `noop`.
    pub severity: String,
    pub reject_media: bool,
    pub reject_reports: bool,
    pub private_comment: String,
    pub public_comment: String,
    pub obfuscate: bool,
    pub created_at: i64,
    pub updated_at: i64,
}

const BLOCK_COLUMNS: &str = "id, domain, severity, reject_media, reject_reports, \
     private_comment, public_comment, obfuscate, created_at, updated_at";

/// One row of `domain_allow`.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct DomainAllowRow {
    pub id: i64,
    pub domain: String,
    pub created_at: i64,
}

/// "The domain (`host[:port]`) bound as `$1`, whose host is bound as `$2`, is the one in
/// column `column` or under it."
fn covers(column: &str) -> String {
    format!("({column} = $1 OR {column} = $2 OR $2 LIKE '%.' || {column})")
}

/// "The account domain in `column` is `$1` or under it, whatever its port."
fn covered_by(column: &str, domain: &str) -> String {
    format!(
        "({column} = {domain} OR {column} LIKE {domain} || ':%' \
          OR {column} LIKE '%.' || {domain} OR {column} LIKE '%.' || {domain} || ':%')"
    )
}

fn host_of(domain: &str) -> &str {
    domain.split(':').next().unwrap_or(domain)
}

impl Tx {
    /// Writes a new block; false when its domain already has one.
    pub async fn insert_server_block(&mut self, row: &DomainBlockRow) -> Result<bool> {
        let inserted = on_tx!(rows_affected, self, conn => sqlx::query(&format!(
            "INSERT INTO domain_block ({BLOCK_COLUMNS}) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT (domain) DO NOTHING"
        ))
        .bind(row.id)
        .bind(&row.domain)
        .bind(&row.severity)
        .bind(row.reject_media)
        .bind(row.reject_reports)
        .bind(&row.private_comment)
        .bind(&row.public_comment)
        .bind(row.obfuscate)
        .bind(row.created_at)
        .bind(row.updated_at)
        .execute(conn)
        .await)?;
        Ok(inserted == 1)
    }

    /// Rewrites a block's severity, options and comments (its domain and creation stay).
    pub async fn update_server_block(&mut self, row: &DomainBlockRow) -> Result<bool> {
        let updated = on_tx!(rows_affected, self, conn => sqlx::query(
            "UPDATE domain_block SET severity = $2, reject_media = $3, reject_reports = $4, \
             private_comment = $5, public_comment = $6, obfuscate = $7, updated_at = $8 \
             WHERE id = $1",
        )
        .bind(row.id)
        .bind(&row.severity)
        .bind(row.reject_media)
        .bind(row.reject_reports)
        .bind(&row.private_comment)
        .bind(&row.public_comment)
        .bind(row.obfuscate)
        .bind(row.updated_at)
        .execute(conn)
        .await)?;
        Ok(updated == 1)
    }

    pub async fn delete_server_block(&mut self, id: i64) -> Result<bool> {
        let deleted = on_tx!(rows_affected, self, conn => sqlx::query(
            "DELETE FROM domain_block WHERE id = $1",
        )
        .bind(id)
        .execute(conn)
        .await)?;
        Ok(deleted == 1)
    }

    /// Puts `limit` on every account of `domain` (and its subdomains) that is not already so,
    /// from `since` (a block's creation time); or (`on` false) lifts it from those that a block
    /// created at `since` put it on.
    pub async fn limit_accounts_of_domain(
        &mut self,
        domain: &str,
        limit: AccountLimit,
        since: i64,
        on: bool,
    ) -> Result<u64> {
        let column = limit.column();
        let suspension = limit == AccountLimit::Suspended;
        let (set, condition) = match (on, suspension) {
            (true, true) => ("$2, suspension_origin = 'local'", "IS NULL"),
            (true, false) => ("$2", "IS NULL"),
            (false, true) => ("NULL, suspension_origin = NULL", "= $2"),
            (false, false) => ("NULL", "= $2"),
        };
        let sql = format!(
            "UPDATE account SET {column} = {set} WHERE {} AND {column} {condition}",
            covered_by("domain", "$1")
        );
        let changed = on_tx!(rows_affected, self, conn => sqlx::query(&sql)
            .bind(domain)
            .bind(since)
            .execute(conn)
            .await)?;
        Ok(changed)
    }

    /// Writes an allow; false when the domain already has one.
    pub async fn insert_domain_allow(&mut self, row: &DomainAllowRow) -> Result<bool> {
        let inserted = on_tx!(rows_affected, self, conn => sqlx::query(
            "INSERT INTO domain_allow (id, domain, created_at) VALUES ($1, $2, $3) \
             ON CONFLICT (domain) DO NOTHING",
        )
        .bind(row.id)
        .bind(&row.domain)
        .bind(row.created_at)
        .execute(conn)
        .await)?;
        Ok(inserted == 1)
    }

    pub async fn delete_domain_allow(&mut self, id: i64) -> Result<bool> {
        let deleted = on_tx!(rows_affected, self, conn => sqlx::query(
            "DELETE FROM domain_allow WHERE id = $1",
        )
        .bind(id)
        .execute(conn)
        .await)?;
        Ok(deleted == 1)
    }
}

impl Db {
    pub async fn server_block(&self, id: i64) -> Result<Option<DomainBlockRow>> {
        let sql = format!("SELECT {BLOCK_COLUMNS} FROM domain_block WHERE id = $1");
        let row = on_reader!(self, pool => sqlx::query_as::<_, DomainBlockRow>(&sql)
            .bind(id)
            .fetch_optional(pool)
            .await)?;
        Ok(row)
    }

    /// The block that covers `domain` (`host[:port]`): its own, else the nearest parent's.
    pub async fn server_block_covering(&self, domain: &str) -> Result<Option<DomainBlockRow>> {
        let sql = format!(
            "SELECT {BLOCK_COLUMNS} FROM domain_block WHERE {} \
             ORDER BY length(domain) DESC LIMIT 1",
            covers("domain")
        );
        let row = on_reader!(self, pool => sqlx::query_as::<_, DomainBlockRow>(&sql)
            .bind(domain)
            .bind(host_of(domain))
            .fetch_optional(pool)
            .await)?;
        Ok(row)
    }

    /// Blocks, newest first (the whole list with a page of `limit` 0 or less is not asked).
    pub async fn server_blocks_page(&self, page: Page) -> Result<Vec<DomainBlockRow>> {
        let sql = format!(
            "SELECT {BLOCK_COLUMNS} FROM domain_block \
             WHERE ($1 IS NULL OR id < $1) AND ($2 IS NULL OR id > $2) ORDER BY id {} LIMIT $3",
            page.order()
        );
        let rows = on_reader!(self, pool => sqlx::query_as::<_, DomainBlockRow>(&sql)
            .bind(page.max_id)
            .bind(page.lower_bound())
            .bind(page.limit)
            .fetch_all(pool)
            .await)?;
        Ok(page.newest_first(rows))
    }

    /// Every block, by domain.
    pub async fn all_server_blocks(&self) -> Result<Vec<DomainBlockRow>> {
        let sql = format!("SELECT {BLOCK_COLUMNS} FROM domain_block ORDER BY domain");
        let rows = on_reader!(self, pool => sqlx::query_as::<_, DomainBlockRow>(&sql)
            .fetch_all(pool)
            .await)?;
        Ok(rows)
    }

    pub async fn domain_allow(&self, id: i64) -> Result<Option<DomainAllowRow>> {
        let row = on_reader!(self, pool => sqlx::query_as::<_, DomainAllowRow>(
            "SELECT id, domain, created_at FROM domain_allow WHERE id = $1",
        )
        .bind(id)
        .fetch_optional(pool)
        .await)?;
        Ok(row)
    }

    /// Allows, newest first.
    pub async fn domain_allows_page(&self, page: Page) -> Result<Vec<DomainAllowRow>> {
        let sql = format!(
            "SELECT id, domain, created_at FROM domain_allow \
             WHERE ($1 IS NULL OR id < $1) AND ($2 IS NULL OR id > $2) ORDER BY id {} LIMIT $3",
            page.order()
        );
        let rows = on_reader!(self, pool => sqlx::query_as::<_, DomainAllowRow>(&sql)
            .bind(page.max_id)
            .bind(page.lower_bound())
            .bind(page.limit)
            .fetch_all(pool)
            .await)?;
        Ok(page.newest_first(rows))
    }

    /// Whether an allow covers `domain` (`host[:port]`).
    pub async fn is_domain_allowed(&self, domain: &str) -> Result<bool> {
        let sql = format!(
            "SELECT id FROM domain_allow WHERE {} LIMIT 1",
            covers("domain")
        );
        let row: Option<(i64,)> = on_reader!(self, pool => sqlx::query_as(&sql)
            .bind(domain)
            .bind(host_of(domain))
            .fetch_optional(pool)
            .await)?;
        Ok(row.is_some())
    }

    /// Up to `limit` suspended remote accounts of `domain` (and its subdomains), for a purge.
    pub async fn suspended_accounts_of_domain(&self, domain: &str, limit: i64) -> Result<Vec<i64>> {
        let sql = format!(
            "SELECT id FROM account WHERE domain IS NOT NULL AND suspended_at IS NOT NULL \
             AND deleted_at IS NULL AND {} ORDER BY id LIMIT $2",
            covered_by("domain", "$1")
        );
        let rows: Vec<(i64,)> = on_reader!(self, pool => sqlx::query_as(&sql)
            .bind(domain)
            .bind(limit)
            .fetch_all(pool)
            .await)?;
        Ok(rows.into_iter().map(|(id,)| id).collect())
    }
}
