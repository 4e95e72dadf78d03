//! Members' imports of CSV files: each import with its progress, and its rows, each carried out
//! once and kept with why it failed, if it did.

use crate::arrays::List;
use crate::connect::{Db, Engine, Tx, on_reader, on_tx, on_writer};
use crate::error::Result;

/// An import to write.
#[derive(Debug, Clone)]
pub struct NewImport<'a> {
    pub id: i64,
    pub account_id: i64,
    /// Mastodon's name of what the file holds (`following`, `blocking`…).
    pub kind: &'a str,
    pub overwrite: bool,
    pub file_name: &'a str,
    pub created_at: i64,
}

/// One row of `bulk_import`.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ImportRecord {
    pub id: i64,
    pub account_id: i64,
    pub kind: String,
    pub overwrite: bool,
    /// `scheduled`, `in_progress` or `finished`.
    pub state: String,
    pub file_name: String,
    pub total_items: i64,
    pub processed_items: i64,
    pub imported_items: i64,
    pub created_at: i64,
    pub finished_at: Option<i64>,
}

/// One row of an imported file.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ImportRowRecord {
    /// Its place in the file, from 0.
    pub position: i64,
    /// What the row says, as JSON.
    pub data: String,
    pub failure: Option<String>,
}

const IMPORT_COLUMNS: &str = "id, account_id, kind, overwrite, state, file_name, total_items, \
     processed_items, imported_items, created_at, finished_at";

impl Tx {
    pub async fn insert_import(&mut self, new: &NewImport<'_>) -> Result<()> {
        on_tx!(rows_affected, self, conn => sqlx::query(
            "INSERT INTO bulk_import (id, account_id, kind, overwrite, state, file_name, \
             total_items, processed_items, imported_items, created_at) \
             VALUES ($1, $2, $3, $4, 'scheduled', $5, 0, 0, 0, $6)",
        )
        .bind(new.id)
        .bind(new.account_id)
        .bind(new.kind)
        .bind(new.overwrite)
        .bind(new.file_name)
        .bind(new.created_at)
        .execute(conn)
        .await)?;
        Ok(())
    }

    /// Writes the rows of the import `import_id` (JSON each, in the file's order) in one
    /// statement, and counts them in its total.
    pub async fn insert_import_rows(&mut self, import_id: i64, rows: &[String]) -> Result<()> {
        let sql = match self.engine() {
            Engine::Sqlite => {
                "INSERT INTO bulk_import_row (bulk_import_id, position, data) \
                 SELECT $1, CAST(key AS BIGINT), value FROM json_each($2)"
            }
            Engine::Postgres => {
                "INSERT INTO bulk_import_row (bulk_import_id, position, data) \
                 SELECT $1, n - 1, value FROM unnest($2::text[]) WITH ORDINALITY AS t(value, n)"
            }
        };
        on_tx!(rows_affected, self, conn => sqlx::query(sql)
            .bind(import_id)
            .bind(List(rows))
            .execute(conn)
            .await)?;
        on_tx!(rows_affected, self, conn => sqlx::query(
            "UPDATE bulk_import SET total_items = $2 WHERE id = $1",
        )
        .bind(import_id)
        .bind(rows.len() as i64)
        .execute(conn)
        .await)?;
        Ok(())
    }
}

impl Db {
    /// `account_id`'s latest imports, newest first.
    pub async fn imports_of(&self, account_id: i64, limit: i64) -> Result<Vec<ImportRecord>> {
        let sql = format!(
            "SELECT {IMPORT_COLUMNS} FROM bulk_import WHERE account_id = $1 \
             ORDER BY id DESC LIMIT $2"
        );
        let rows = on_reader!(self, pool => sqlx::query_as(&sql)
            .bind(account_id)
            .bind(limit)
            .fetch_all(pool)
            .await)?;
        Ok(rows)
    }

    pub async fn import(&self, id: i64) -> Result<Option<ImportRecord>> {
        let sql = format!("SELECT {IMPORT_COLUMNS} FROM bulk_import WHERE id = $1");
        let row = on_reader!(self, pool => sqlx::query_as(&sql)
            .bind(id)
            .fetch_optional(pool)
            .await)?;
        Ok(row)
    }

    /// The first `limit` rows of an import that failed.
    pub async fn import_failures(
        &self,
        import_id: i64,
        limit: i64,
    ) -> Result<Vec<ImportRowRecord>> {
        let rows = on_reader!(self, pool => sqlx::query_as(
            "SELECT position, data, failure FROM bulk_import_row \
             WHERE bulk_import_id = $1 AND failure IS NOT NULL ORDER BY position LIMIT $2",
        )
        .bind(import_id)
        .bind(limit)
        .fetch_all(pool)
        .await)?;
        Ok(rows)
    }

    /// The next `limit` rows of an import not carried out yet, in the file's order.
    pub async fn pending_import_rows(
        &self,
        import_id: i64,
        limit: i64,
    ) -> Result<Vec<ImportRowRecord>> {
        let rows = on_writer!(self, pool => sqlx::query_as(
            "SELECT position, data, failure FROM bulk_import_row \
             WHERE bulk_import_id = $1 AND NOT processed ORDER BY position LIMIT $2",
        )
        .bind(import_id)
        .bind(limit)
        .fetch_all(pool)
        .await)?;
        Ok(rows)
    }

    /// What every row of an import says (JSON each).
    pub async fn import_rows_data(&self, import_id: i64) -> Result<Vec<String>> {
        let rows: Vec<(String,)> = on_writer!(self, pool => sqlx::query_as(
            "SELECT data FROM bulk_import_row WHERE bulk_import_id = $1 ORDER BY position",
        )
        .bind(import_id)
        .fetch_all(pool)
        .await)?;
        Ok(rows.into_iter().map(|(data,)| data).collect())
    }

    /// Records a row as carried out (`failure`: why it could not be) and counts it, once.
    pub async fn finish_import_row(
        &self,
        import_id: i64,
        position: i64,
        failure: Option<&str>,
    ) -> Result<()> {
        let mut tx = self.begin().await?;
        let changed = on_tx!(rows_affected, tx, conn => sqlx::query(
            "UPDATE bulk_import_row SET processed = TRUE, failure = $3 \
             WHERE bulk_import_id = $1 AND position = $2 AND NOT processed",
        )
        .bind(import_id)
        .bind(position)
        .bind(failure)
        .execute(conn)
        .await)?;
        if changed == 1 {
            on_tx!(rows_affected, tx, conn => sqlx::query(
                "UPDATE bulk_import SET processed_items = processed_items + 1, \
                 imported_items = imported_items + CASE WHEN $2 THEN 1 ELSE 0 END WHERE id = $1",
            )
            .bind(import_id)
            .bind(failure.is_none())
            .execute(conn)
            .await)?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Moves an import on to `state` (`finished_at` when it ends).
    pub async fn set_import_state(
        &self,
        import_id: i64,
        state: &str,
        finished_at: Option<i64>,
    ) -> Result<()> {
        on_writer!(rows_affected, self, pool => sqlx::query(
            "UPDATE bulk_import SET state = $2, finished_at = $3 WHERE id = $1",
        )
        .bind(import_id)
        .bind(state)
        .bind(finished_at)
        .execute(pool)
        .await)?;
        Ok(())
    }
}

impl Db {
    /// The archive ids of the posts `account_id` imported.
    pub async fn imported_uris(
        &self,
        account_id: i64,
    ) -> Result<std::collections::HashSet<String>> {
        let rows: Vec<(String,)> = on_reader!(self, pool => sqlx::query_as(
            "SELECT original_uri FROM imported_status WHERE account_id = $1",
        )
        .bind(account_id)
        .fetch_all(pool)
        .await)?;
        Ok(rows.into_iter().map(|(uri,)| uri).collect())
    }

    /// The post `account_id` imported from the archive id `original_uri`.
    pub async fn imported_status(
        &self,
        account_id: i64,
        original_uri: &str,
    ) -> Result<Option<i64>> {
        let row: Option<(i64,)> = on_writer!(self, pool => sqlx::query_as(
            "SELECT status_id FROM imported_status WHERE account_id = $1 AND original_uri = $2",
        )
        .bind(account_id)
        .bind(original_uri)
        .fetch_optional(pool)
        .await)?;
        Ok(row.map(|(id,)| id))
    }
}

impl Tx {
    pub async fn remember_imported_status(
        &mut self,
        account_id: i64,
        original_uri: &str,
        status_id: i64,
    ) -> Result<()> {
        on_tx!(rows_affected, self, conn => sqlx::query(
            "INSERT INTO imported_status (account_id, original_uri, status_id) VALUES ($1, $2, $3)",
        )
        .bind(account_id)
        .bind(original_uri)
        .bind(status_id)
        .execute(conn)
        .await)?;
        Ok(())
    }
}
