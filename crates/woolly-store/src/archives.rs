//! Members' archives of their accounts: asked for, then ready with their file.

use crate::connect::{Db, Tx, on_reader, on_tx, on_writer};
use crate::error::Result;

/// One row of `account_archive`.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ArchiveRecord {
    pub id: i64,
    pub account_id: i64,
    /// Its file under the archives directory, once built.
    pub file_key: Option<String>,
    pub size: Option<i64>,
    pub created_at: i64,
    pub ready_at: Option<i64>,
}

const ARCHIVE_COLUMNS: &str = "id, account_id, file_key, size, created_at, ready_at";

impl Tx {
    pub async fn insert_archive(&mut self, id: i64, account_id: i64, now: i64) -> Result<()> {
        on_tx!(rows_affected, self, conn => sqlx::query(
            "INSERT INTO account_archive (id, account_id, created_at) VALUES ($1, $2, $3)",
        )
        .bind(id)
        .bind(account_id)
        .bind(now)
        .execute(conn)
        .await)?;
        Ok(())
    }
}

impl Db {
    /// `account_id`'s archives, newest first.
    pub async fn archives_of(&self, account_id: i64, limit: i64) -> Result<Vec<ArchiveRecord>> {
        let sql = format!(
            "SELECT {ARCHIVE_COLUMNS} FROM account_archive WHERE account_id = $1 \
             ORDER BY id DESC LIMIT $2"
        );
        let rows = on_reader!(self, pool => sqlx::query_as(&sql)
            .bind(account_id)
            .bind(limit)
            .fetch_all(pool)
            .await)?;
        Ok(rows)
    }

    pub async fn archive(&self, id: i64) -> Result<Option<ArchiveRecord>> {
        let sql = format!("SELECT {ARCHIVE_COLUMNS} FROM account_archive WHERE id = $1");
        let row = on_reader!(self, pool => sqlx::query_as(&sql)
            .bind(id)
            .fetch_optional(pool)
            .await)?;
        Ok(row)
    }

    /// Records an archive's file; false when it was ready already.
    pub async fn archive_ready(
        &self,
        id: i64,
        file_key: &str,
        size: i64,
        now: i64,
    ) -> Result<bool> {
        let changed = on_writer!(rows_affected, self, pool => sqlx::query(
            "UPDATE account_archive SET file_key = $2, size = $3, ready_at = $4 \
             WHERE id = $1 AND ready_at IS NULL",
        )
        .bind(id)
        .bind(file_key)
        .bind(size)
        .bind(now)
        .execute(pool)
        .await)?;
        Ok(changed == 1)
    }
}
