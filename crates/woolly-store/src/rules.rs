//! The server's rules, in the order they are shown; removed ones stay for the reports that
//! name them.

use crate::connect::{Db, Tx, on_reader, on_tx};
use crate::error::Result;

/// One row of `server_rule`.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct RuleRow {
    pub id: i64,
    pub text: String,
    pub hint: String,
    pub priority: i32,
    pub created_at: i64,
    pub deleted_at: Option<i64>,
}

const COLUMNS: &str = "id, text, hint, priority, created_at, deleted_at";

impl Tx {
    /// Writes a rule unless one with its id exists (the settings' rules, written by every
    /// process that starts, are written once).
    pub async fn insert_rule(&mut self, row: &RuleRow) -> Result<bool> {
        let written = on_tx!(rows_affected, self, conn => sqlx::query(&format!(
            "INSERT INTO server_rule ({COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6) \
             ON CONFLICT (id) DO NOTHING"
        ))
        .bind(row.id)
        .bind(&row.text)
        .bind(&row.hint)
        .bind(row.priority)
        .bind(row.created_at)
        .bind(row.deleted_at)
        .execute(conn)
        .await)?;
        Ok(written == 1)
    }

    /// Rewrites a rule in force; false when there is none with `id`.
    pub async fn update_rule(&mut self, id: i64, text: &str, hint: &str) -> Result<bool> {
        let updated = on_tx!(rows_affected, self, conn => sqlx::query(
            "UPDATE server_rule SET text = $2, hint = $3 WHERE id = $1 AND deleted_at IS NULL",
        )
        .bind(id)
        .bind(text)
        .bind(hint)
        .execute(conn)
        .await)?;
        Ok(updated == 1)
    }

    pub async fn set_rule_priority(&mut self, id: i64, priority: i32) -> Result<()> {
        on_tx!(rows_affected, self, conn => sqlx::query(
            "UPDATE server_rule SET priority = $2 WHERE id = $1",
        )
        .bind(id)
        .bind(priority)
        .execute(conn)
        .await)?;
        Ok(())
    }

    /// Removes a rule from those shown; false when it is unknown or already removed.
    pub async fn remove_rule(&mut self, id: i64, now: i64) -> Result<bool> {
        let removed = on_tx!(rows_affected, self, conn => sqlx::query(
            "UPDATE server_rule SET deleted_at = $2 WHERE id = $1 AND deleted_at IS NULL",
        )
        .bind(id)
        .bind(now)
        .execute(conn)
        .await)?;
        Ok(removed == 1)
    }
}

impl Db {
    /// Every rule ever written, removed ones too, in their order.
    pub async fn all_rules(&self) -> Result<Vec<RuleRow>> {
        let rows = on_reader!(self, pool => sqlx::query_as::<_, RuleRow>(&format!(
            "SELECT {COLUMNS} FROM server_rule ORDER BY priority, id"
        ))
        .fetch_all(pool)
        .await)?;
        Ok(rows)
    }
}
