//! Threads users muted (`thread_mute`): no more notifications about the statuses in them.
//! A thread is named by its `status.thread_id`.

use crate::connect::{Db, on_writer};
use crate::error::Result;

/// The SQL condition "the account bound as `account` muted the thread of the status bound as
/// `status`" (false when `status` is NULL).
pub(crate) fn thread_muted(account: &str, status: &str) -> String {
    format!(
        "EXISTS (SELECT 1 FROM status ts JOIN thread_mute tm \
           ON tm.thread_id = ts.thread_id AND tm.account_id = {account} WHERE ts.id = {status})"
    )
}

impl Db {
    /// Mutes a thread for `account_id`; muting it again changes nothing.
    pub async fn insert_thread_mute(
        &self,
        account_id: i64,
        thread_id: i64,
        now: i64,
    ) -> Result<()> {
        on_writer!(rows_affected, self, pool => sqlx::query(
            "INSERT INTO thread_mute (account_id, thread_id, created_at) VALUES ($1, $2, $3) \
             ON CONFLICT (account_id, thread_id) DO NOTHING",
        )
        .bind(account_id)
        .bind(thread_id)
        .bind(now)
        .execute(pool)
        .await)?;
        Ok(())
    }

    pub async fn delete_thread_mute(&self, account_id: i64, thread_id: i64) -> Result<()> {
        on_writer!(rows_affected, self, pool => sqlx::query(
            "DELETE FROM thread_mute WHERE account_id = $1 AND thread_id = $2",
        )
        .bind(account_id)
        .bind(thread_id)
        .execute(pool)
        .await)?;
        Ok(())
    }
}
