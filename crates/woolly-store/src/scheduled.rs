//! Scheduled status rows, the uploads reserved for them, and their idempotency keys.
//!
//! The parameters of a scheduled status are stored as JSON text that `woolly-core` writes and
//! reads; this module never looks inside. Publication claims a row by deleting it
//! ([`Tx::claim_scheduled_status`]), so that of two runs of the same job only one finds it.

use crate::arrays::{List, in_list};
use crate::connect::{Db, Tx, TxConn, on_reader, on_tx};
use crate::error::Result;
use crate::media::MediaRow;
use crate::statuses::Page;

/// One row of `scheduled_status`.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ScheduledStatusRow {
    pub id: i64,
    pub account_id: i64,
    pub scheduled_at: i64,
    /// JSON, in the shape `woolly-core` gives it.
    pub params: String,
    /// The job that publishes it, when one was enqueued.
    pub job_id: Option<i64>,
    pub created_at: i64,
}

const SCHEDULED_COLUMNS: &str = "id, account_id, scheduled_at, params, job_id, created_at";

/// An upload and the scheduled status it is reserved for, as the batched read returns them.
#[derive(sqlx::FromRow)]
struct ReservedMedia {
    reserved_for: i64,
    #[sqlx(flatten)]
    media: MediaRow,
}

impl Tx {
    pub async fn insert_scheduled_status(&mut self, row: &ScheduledStatusRow) -> Result<()> {
        on_tx!(rows_affected, self, conn => sqlx::query(
            "INSERT INTO scheduled_status (id, account_id, scheduled_at, params, job_id, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(row.id)
        .bind(row.account_id)
        .bind(row.scheduled_at)
        .bind(&row.params)
        .bind(row.job_id)
        .bind(row.created_at)
        .execute(conn)
        .await)?;
        Ok(())
    }

    /// Serializes the scheduling of one account's statuses until the transaction ends, so that
    /// two requests cannot both pass the limits. SQLite's single writer already does.
    pub async fn lock_account_scheduling(&mut self, account_id: i64) -> Result<()> {
        if let TxConn::Postgres(transaction) = &mut self.conn {
            sqlx::query("SELECT id FROM account WHERE id = $1 FOR UPDATE")
                .bind(account_id)
                .fetch_optional(&mut **transaction)
                .await?;
        }
        Ok(())
    }

    /// How many statuses the account has scheduled in all, and how many of them fall in
    /// `[day_start, day_end)`, leaving out `except` (the one being rescheduled).
    pub async fn count_scheduled_statuses(
        &mut self,
        account_id: i64,
        day_start: i64,
        day_end: i64,
        except: Option<i64>,
    ) -> Result<(i64, i64)> {
        let counts: (i64, i64) = on_tx!(self, conn => sqlx::query_as(
            "SELECT count(*), coalesce(sum(CASE WHEN scheduled_at >= $2 AND scheduled_at < $3 THEN 1 ELSE 0 END), 0) \
             FROM scheduled_status WHERE account_id = $1 AND ($4 IS NULL OR id <> $4)",
        )
        .bind(account_id)
        .bind(day_start)
        .bind(day_end)
        .bind(except)
        .fetch_one(conn)
        .await)?;
        Ok(counts)
    }

    /// Reserves the account's free uploads (attached to no status and reserved for no other
    /// scheduled status) for a scheduled status. Returns how many were reserved; fewer than
    /// asked means some were unknown, not the account's, or taken.
    pub async fn reserve_media(
        &mut self,
        scheduled_status_id: i64,
        account_id: i64,
        media_ids: &[i64],
    ) -> Result<u64> {
        if media_ids.is_empty() {
            return Ok(0);
        }
        let sql = format!(
            "UPDATE media_attachment SET scheduled_status_id = $1 WHERE id {} \
             AND account_id = $2 AND status_id IS NULL AND scheduled_status_id IS NULL",
            in_list(self.engine(), "$3")
        );
        let reserved = on_tx!(rows_affected, self, conn => sqlx::query(&sql)
            .bind(scheduled_status_id)
            .bind(account_id)
            .bind(List(media_ids))
            .execute(conn)
            .await)?;
        Ok(reserved)
    }

    /// Attaches uploads to the status a scheduled status became: the account's uploads that
    /// are free or reserved for that scheduled status. Returns how many were attached.
    pub async fn attach_scheduled_media(
        &mut self,
        status_id: i64,
        account_id: i64,
        scheduled_status_id: i64,
        media_ids: &[i64],
    ) -> Result<u64> {
        if media_ids.is_empty() {
            return Ok(0);
        }
        let sql = format!(
            "UPDATE media_attachment SET status_id = $1, scheduled_status_id = NULL WHERE id {} \
             AND account_id = $2 AND status_id IS NULL \
             AND (scheduled_status_id IS NULL OR scheduled_status_id = $3)",
            in_list(self.engine(), "$4")
        );
        let attached = on_tx!(rows_affected, self, conn => sqlx::query(&sql)
            .bind(status_id)
            .bind(account_id)
            .bind(scheduled_status_id)
            .bind(List(media_ids))
            .execute(conn)
            .await)?;
        Ok(attached)
    }

    /// One of the account's scheduled statuses, read inside the transaction (locked on
    /// PostgreSQL until it ends).
    pub async fn own_scheduled_status_for_update(
        &mut self,
        account_id: i64,
        id: i64,
    ) -> Result<Option<ScheduledStatusRow>> {
        let lock = match &self.conn {
            TxConn::Sqlite(_) => "",
            TxConn::Postgres(_) => "FOR UPDATE",
        };
        let sql = format!(
            "SELECT {SCHEDULED_COLUMNS} FROM scheduled_status WHERE id = $1 AND account_id = $2 {lock}"
        );
        let row = on_tx!(self, conn => sqlx::query_as::<_, ScheduledStatusRow>(&sql)
            .bind(id)
            .bind(account_id)
            .fetch_optional(conn)
            .await)?;
        Ok(row)
    }

    /// Moves a scheduled status to `scheduled_at`, now published by job `job_id`.
    pub async fn reschedule_status(
        &mut self,
        id: i64,
        scheduled_at: i64,
        job_id: i64,
    ) -> Result<bool> {
        let updated = on_tx!(rows_affected, self, conn => sqlx::query(
            "UPDATE scheduled_status SET scheduled_at = $2, job_id = $3 WHERE id = $1",
        )
        .bind(id)
        .bind(scheduled_at)
        .bind(job_id)
        .execute(conn)
        .await)?;
        Ok(updated == 1)
    }

    /// Deletes a scheduled status due by `now` to publish it. Returns it when this transaction
    /// deleted it; `None` when it is gone (published by another run, or cancelled) or was moved
    /// past `now` meanwhile. On PostgreSQL a concurrent claim or move waits for this
    /// transaction, and a claim that waited then finds nothing.
    pub async fn claim_scheduled_status(
        &mut self,
        id: i64,
        now: i64,
    ) -> Result<Option<ScheduledStatusRow>> {
        let sql = format!(
            "DELETE FROM scheduled_status WHERE id = $1 AND scheduled_at <= $2 RETURNING {SCHEDULED_COLUMNS}"
        );
        let row = on_tx!(self, conn => sqlx::query_as::<_, ScheduledStatusRow>(&sql)
            .bind(id)
            .bind(now)
            .fetch_optional(conn)
            .await)?;
        Ok(row)
    }

    /// Deletes a scheduled status and releases its uploads. Returns false when it did not
    /// exist (or was not the account's, when `account_id` is given).
    pub async fn delete_scheduled_status(
        &mut self,
        id: i64,
        account_id: Option<i64>,
    ) -> Result<bool> {
        on_tx!(rows_affected, self, conn => sqlx::query(
            "UPDATE media_attachment SET scheduled_status_id = NULL WHERE scheduled_status_id = $1 \
             AND ($2 IS NULL OR account_id = $2)",
        )
        .bind(id)
        .bind(account_id)
        .execute(conn)
        .await)?;
        let deleted = on_tx!(rows_affected, self, conn => sqlx::query(
            "DELETE FROM scheduled_status WHERE id = $1 AND ($2 IS NULL OR account_id = $2)",
        )
        .bind(id)
        .bind(account_id)
        .execute(conn)
        .await)?;
        Ok(deleted == 1)
    }

    /// The scheduled status an `Idempotency-Key` created since `since`, if any (it may have
    /// been published or cancelled since).
    pub async fn scheduled_idempotency_key(
        &mut self,
        account_id: i64,
        key: &str,
        since: i64,
    ) -> Result<Option<i64>> {
        let row: Option<(i64,)> = on_tx!(self, conn => sqlx::query_as(
            "SELECT scheduled_status_id FROM scheduled_status_idempotency_key \
             WHERE account_id = $1 AND key = $2 AND created_at >= $3",
        )
        .bind(account_id)
        .bind(key)
        .bind(since)
        .fetch_optional(conn)
        .await)?;
        Ok(row.map(|(id,)| id))
    }

    /// Remembers which scheduled status an `Idempotency-Key` created, replacing an entry older
    /// than `since`. Returns false when a live entry holds the key: a concurrent request with
    /// the same key got there first.
    pub async fn remember_scheduled_idempotency_key(
        &mut self,
        account_id: i64,
        key: &str,
        scheduled_status_id: i64,
        now: i64,
        since: i64,
    ) -> Result<bool> {
        let written = on_tx!(rows_affected, self, conn => sqlx::query(
            "INSERT INTO scheduled_status_idempotency_key (account_id, key, scheduled_status_id, created_at) \
             VALUES ($1, $2, $3, $4) ON CONFLICT (account_id, key) DO UPDATE \
             SET scheduled_status_id = excluded.scheduled_status_id, created_at = excluded.created_at \
             WHERE scheduled_status_idempotency_key.created_at < $5",
        )
        .bind(account_id)
        .bind(key)
        .bind(scheduled_status_id)
        .bind(now)
        .bind(since)
        .execute(conn)
        .await)?;
        Ok(written == 1)
    }
}

impl Db {
    /// A scheduled status by id, whoever's it is.
    pub async fn scheduled_status(&self, id: i64) -> Result<Option<ScheduledStatusRow>> {
        let sql = format!("SELECT {SCHEDULED_COLUMNS} FROM scheduled_status WHERE id = $1");
        let row = on_reader!(self, pool => sqlx::query_as::<_, ScheduledStatusRow>(&sql)
            .bind(id)
            .fetch_optional(pool)
            .await)?;
        Ok(row)
    }

    /// A page of the account's scheduled statuses, by id as Mastodon pages them.
    pub async fn scheduled_statuses(
        &self,
        account_id: i64,
        page: Page,
    ) -> Result<Vec<ScheduledStatusRow>> {
        let sql = format!(
            "SELECT {SCHEDULED_COLUMNS} FROM scheduled_status WHERE account_id = $1 \
             AND ($2 IS NULL OR id < $2) AND ($3 IS NULL OR id > $3) ORDER BY id {} LIMIT $4",
            page.order()
        );
        let rows = on_reader!(self, pool => sqlx::query_as::<_, ScheduledStatusRow>(&sql)
            .bind(account_id)
            .bind(page.max_id)
            .bind(page.lower_bound())
            .bind(page.limit)
            .fetch_all(pool)
            .await)?;
        Ok(page.newest_first(rows))
    }

    /// The uploads reserved for each of the scheduled statuses, in upload order. One query
    /// whatever the count.
    pub async fn media_reserved_for(
        &self,
        scheduled_status_ids: &[i64],
    ) -> Result<Vec<(i64, MediaRow)>> {
        if scheduled_status_ids.is_empty() {
            return Ok(Vec::new());
        }
        let sql = format!(
            "SELECT scheduled_status_id AS reserved_for, {} FROM media_attachment \
             WHERE scheduled_status_id {} ORDER BY id",
            crate::media::MEDIA_COLUMNS,
            in_list(self.engine(), "$1")
        );
        let rows = on_reader!(self, pool => sqlx::query_as::<_, ReservedMedia>(&sql)
            .bind(List(scheduled_status_ids))
            .fetch_all(pool)
            .await)?;
        Ok(rows
            .into_iter()
            .map(|row| (row.reserved_for, row.media))
            .collect())
    }
}
