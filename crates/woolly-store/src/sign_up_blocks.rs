//! Who may not join: e-mail domain blocks, canonical e-mail blocks (SHA-256 of the canonical
//! address) and IP blocks with their severity. Matching and who may change them are decided in
//! `woolly-core`.

use crate::connect::{Db, Tx, on_reader, on_tx};
use crate::error::Result;
use crate::statuses::Page;

/// One row of `email_domain_block` or `canonical_email_block`: the blocked value (a domain, or
/// a hash) with its id and time.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ValueBlockRow {
    pub id: i64,
    pub value: String,
    pub created_at: i64,
}

/// The two tables that block one value each.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ValueBlock {
    EmailDomain,
    CanonicalEmail,
}

impl ValueBlock {
    fn table(self) -> &'static str {
        match self {
            ValueBlock::EmailDomain => "email_domain_block",
            ValueBlock::CanonicalEmail => "canonical_email_block",
        }
    }

    fn column(self) -> &'static str {
        match self {
            ValueBlock::EmailDomain => "domain",
            ValueBlock::CanonicalEmail => "canonical_email_hash",
        }
    }
}

/// One row of `ip_block`.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct IpBlockRow {
    pub id: i64,
    pub ip: String,
    pub severity: String,
    pub comment: String,
    pub expires_at: Option<i64>,
    pub created_at: i64,
}

const IP_COLUMNS: &str = "id, ip, severity, comment, expires_at, created_at";

impl Tx {
    /// Blocks a value; false when it is blocked already.
    pub async fn insert_value_block(
        &mut self,
        kind: ValueBlock,
        row: &ValueBlockRow,
    ) -> Result<bool> {
        let sql = format!(
            "INSERT INTO {} (id, {}, created_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
            kind.table(),
            kind.column()
        );
        let inserted = on_tx!(rows_affected, self, conn => sqlx::query(&sql)
            .bind(row.id)
            .bind(&row.value)
            .bind(row.created_at)
            .execute(conn)
            .await)?;
        Ok(inserted == 1)
    }

    pub async fn delete_value_block(&mut self, kind: ValueBlock, id: i64) -> Result<bool> {
        let sql = format!("DELETE FROM {} WHERE id = $1", kind.table());
        let deleted = on_tx!(rows_affected, self, conn => sqlx::query(&sql)
            .bind(id)
            .execute(conn)
            .await)?;
        Ok(deleted == 1)
    }

    /// Writes an IP block, or (same id) rewrites one; false when its range is blocked already
    /// by another.
    pub async fn upsert_ip_block(&mut self, row: &IpBlockRow) -> Result<bool> {
        let written = on_tx!(rows_affected, self, conn => sqlx::query(&format!(
            "INSERT INTO ip_block ({IP_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6) \
             ON CONFLICT (id) DO UPDATE SET ip = $2, severity = $3, comment = $4, expires_at = $5"
        ))
        .bind(row.id)
        .bind(&row.ip)
        .bind(&row.severity)
        .bind(&row.comment)
        .bind(row.expires_at)
        .bind(row.created_at)
        .execute(conn)
        .await)
        .map_err(crate::StoreError::from);
        match written {
            Ok(written) => Ok(written == 1),
            Err(crate::StoreError::Conflict(_)) => Ok(false),
            Err(error) => Err(error),
        }
    }

    pub async fn delete_ip_block(&mut self, id: i64) -> Result<bool> {
        let deleted = on_tx!(rows_affected, self, conn => sqlx::query(
            "DELETE FROM ip_block WHERE id = $1",
        )
        .bind(id)
        .execute(conn)
        .await)?;
        Ok(deleted == 1)
    }
}

impl Db {
    pub async fn value_block(&self, kind: ValueBlock, id: i64) -> Result<Option<ValueBlockRow>> {
        let sql = format!(
            "SELECT id, {} AS value, created_at FROM {} WHERE id = $1",
            kind.column(),
            kind.table()
        );
        let row = on_reader!(self, pool => sqlx::query_as::<_, ValueBlockRow>(&sql)
            .bind(id)
            .fetch_optional(pool)
            .await)?;
        Ok(row)
    }

    /// A page of blocks, newest first.
    pub async fn value_blocks_page(
        &self,
        kind: ValueBlock,
        page: Page,
    ) -> Result<Vec<ValueBlockRow>> {
        let sql = format!(
            "SELECT id, {} AS value, created_at FROM {} \
             WHERE ($1 IS NULL OR id < $1) AND ($2 IS NULL OR id > $2) ORDER BY id {} LIMIT $3",
            kind.column(),
            kind.table(),
            page.order()
        );
        let rows = on_reader!(self, pool => sqlx::query_as::<_, ValueBlockRow>(&sql)
            .bind(page.max_id)
            .bind(page.lower_bound())
            .bind(page.limit)
            .fetch_all(pool)
            .await)?;
        Ok(page.newest_first(rows))
    }

    /// The blocks whose value is one of `values`.
    pub async fn value_blocks_matching(
        &self,
        kind: ValueBlock,
        values: &[String],
    ) -> Result<Vec<ValueBlockRow>> {
        if values.is_empty() {
            return Ok(Vec::new());
        }
        let sql = format!(
            "SELECT id, {column} AS value, created_at FROM {} WHERE {column} {}",
            kind.table(),
            crate::arrays::in_list(self.engine(), "$1"),
            column = kind.column(),
        );
        let rows = on_reader!(self, pool => sqlx::query_as::<_, ValueBlockRow>(&sql)
            .bind(crate::arrays::List(values))
            .fetch_all(pool)
            .await)?;
        Ok(rows)
    }

    /// Whether any block of `kind` exists.
    pub async fn any_value_blocks(&self, kind: ValueBlock) -> Result<bool> {
        let sql = format!("SELECT EXISTS (SELECT 1 FROM {})", kind.table());
        let (any,): (bool,) = on_reader!(self, pool => sqlx::query_as(&sql)
            .fetch_one(pool)
            .await)?;
        Ok(any)
    }

    pub async fn ip_block(&self, id: i64) -> Result<Option<IpBlockRow>> {
        let sql = format!("SELECT {IP_COLUMNS} FROM ip_block WHERE id = $1");
        let row = on_reader!(self, pool => sqlx::query_as::<_, IpBlockRow>(&sql)
            .bind(id)
            .fetch_optional(pool)
            .await)?;
        Ok(row)
    }

    /// Every IP block (a server keeps few), newest first.
    pub async fn ip_blocks(&self) -> Result<Vec<IpBlockRow>> {
        let sql = format!("SELECT {IP_COLUMNS} FROM ip_block ORDER BY id DESC");
        let rows = on_reader!(self, pool => sqlx::query_as::<_, IpBlockRow>(&sql)
            .fetch_all(pool)
            .await)?;
        Ok(rows)
    }
}
