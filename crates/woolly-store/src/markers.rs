//! Timeline read markers (`home`, `notifications`) and pinned statuses.

use crate::connect::{Db, Tx, on_reader, on_tx};
use crate::error::Result;

/// One row of `marker`.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct MarkerRow {
    pub timeline: String,
    pub last_read_id: i64,
    pub version: i64,
    pub updated_at: i64,
}

impl Tx {
    /// Sets a marker, bumping its version.
    pub async fn set_marker(
        &mut self,
        account_id: i64,
        timeline: &str,
        last_read_id: i64,
        now: i64,
    ) -> Result<()> {
        on_tx!(rows_affected, self, conn => sqlx::query(
            "INSERT INTO marker (account_id, timeline, last_read_id, version, updated_at) VALUES ($1, $2, $3, 1, $4) \
             ON CONFLICT (account_id, timeline) DO UPDATE SET last_read_id = excluded.last_read_id, \
             version = marker.version + 1, updated_at = excluded.updated_at",
        )
        .bind(account_id)
        .bind(timeline)
        .bind(last_read_id)
        .bind(now)
        .execute(conn)
        .await)?;
        Ok(())
    }

    /// Pins a status; returns false when it was pinned already.
    pub async fn pin(&mut self, account_id: i64, status_id: i64, now: i64) -> Result<bool> {
        let inserted = on_tx!(rows_affected, self, conn => sqlx::query(
            "INSERT INTO status_pin (account_id, status_id, created_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
        )
        .bind(account_id)
        .bind(status_id)
        .bind(now)
        .execute(conn)
        .await)?;
        Ok(inserted == 1)
    }

    /// Unpins a status; returns false when it was not pinned.
    pub async fn unpin(&mut self, account_id: i64, status_id: i64) -> Result<bool> {
        let deleted = on_tx!(rows_affected, self, conn => sqlx::query(
            "DELETE FROM status_pin WHERE account_id = $1 AND status_id = $2",
        )
        .bind(account_id)
        .bind(status_id)
        .execute(conn)
        .await)?;
        Ok(deleted == 1)
    }

    pub async fn pin_count(&mut self, account_id: i64) -> Result<i64> {
        let (count,): (i64,) = on_tx!(self, conn => sqlx::query_as(
            "SELECT count(*) FROM status_pin WHERE account_id = $1",
        )
        .bind(account_id)
        .fetch_one(conn)
        .await)?;
        Ok(count)
    }
}

impl Db {
    pub async fn markers(&self, account_id: i64) -> Result<Vec<MarkerRow>> {
        let rows = on_reader!(self, pool => sqlx::query_as::<_, MarkerRow>(
            "SELECT timeline, last_read_id, version, updated_at FROM marker WHERE account_id = $1",
        )
        .bind(account_id)
        .fetch_all(pool)
        .await)?;
        Ok(rows)
    }

    /// The account's pinned statuses, most recently pinned first.
    pub async fn pinned_status_ids(&self, account_id: i64) -> Result<Vec<i64>> {
        let rows: Vec<(i64,)> = on_reader!(self, pool => sqlx::query_as(
            "SELECT status_id FROM status_pin WHERE account_id = $1 ORDER BY created_at DESC",
        )
        .bind(account_id)
        .fetch_all(pool)
        .await)?;
        Ok(rows.into_iter().map(|(id,)| id).collect())
    }
}
