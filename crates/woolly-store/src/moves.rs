//! Moving accounts: the aliases an account declares (`also_known_as`), the account it moved
//! to, the record of each move, and what a move carries over for the local accounts that
//! followed, blocked, muted or listed the one that moved.

use crate::connect::{Db, Tx, on_reader, on_tx};
use crate::error::Result;
use crate::relations::{FollowOptions, split_languages};
use crate::status_pages::advance_stamp;

/// One move of an account.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct MigrationRow {
    pub id: i64,
    pub account_id: i64,
    pub target_account_id: i64,
    pub followers_count: i64,
    pub created_at: i64,
}

impl Db {
    /// The actor ids `account_id` says are also it.
    pub async fn also_known_as(&self, account_id: i64) -> Result<Vec<String>> {
        let row: Option<(String,)> = on_reader!(self, pool => sqlx::query_as(
            "SELECT also_known_as FROM account WHERE id = $1",
        )
        .bind(account_id)
        .fetch_optional(pool)
        .await)?;
        Ok(row
            .and_then(|(json,)| serde_json::from_str(&json).ok())
            .unwrap_or_default())
    }

    /// `account_id`'s latest move.
    pub async fn latest_migration(&self, account_id: i64) -> Result<Option<MigrationRow>> {
        let row = on_reader!(self, pool => sqlx::query_as(
            "SELECT id, account_id, target_account_id, followers_count, created_at \
             FROM account_migration WHERE account_id = $1 ORDER BY created_at DESC, id DESC \
             LIMIT 1",
        )
        .bind(account_id)
        .fetch_optional(pool)
        .await)?;
        Ok(row)
    }

    /// The local accounts following `account_id`, each with how it follows.
    pub async fn local_follows_of(&self, account_id: i64) -> Result<Vec<(i64, FollowOptions)>> {
        let rows: Vec<(i64, bool, bool, Option<String>)> = on_reader!(self, pool => sqlx::query_as(
            "SELECT f.account_id, f.show_reblogs, f.notify, f.languages FROM follow f \
             JOIN account a ON a.id = f.account_id \
             WHERE f.target_account_id = $1 AND a.domain IS NULL AND a.deleted_at IS NULL \
             ORDER BY f.id",
        )
        .bind(account_id)
        .fetch_all(pool)
        .await)?;
        Ok(rows
            .into_iter()
            .map(|(follower, show_reblogs, notify, languages)| {
                let options = FollowOptions {
                    show_reblogs: Some(show_reblogs),
                    notify: Some(notify),
                    languages: split_languages(languages.as_deref()),
                };
                (follower, options)
            })
            .collect())
    }

    /// The local accounts blocking `account_id`.
    pub async fn local_blockers_of(&self, account_id: i64) -> Result<Vec<i64>> {
        let rows: Vec<(i64,)> = on_reader!(self, pool => sqlx::query_as(
            "SELECT b.account_id FROM block b JOIN account a ON a.id = b.account_id \
             WHERE b.target_account_id = $1 AND a.domain IS NULL ORDER BY b.id",
        )
        .bind(account_id)
        .fetch_all(pool)
        .await)?;
        Ok(rows.into_iter().map(|(id,)| id).collect())
    }

    /// The local accounts muting `account_id` (for good), each with whether they hide its
    /// notifications.
    pub async fn local_muters_of(&self, account_id: i64) -> Result<Vec<(i64, bool)>> {
        let rows = on_reader!(self, pool => sqlx::query_as(
            "SELECT m.account_id, m.hide_notifications FROM mute m \
             JOIN account a ON a.id = m.account_id \
             WHERE m.target_account_id = $1 AND a.domain IS NULL AND m.expires_at IS NULL \
             ORDER BY m.id",
        )
        .bind(account_id)
        .fetch_all(pool)
        .await)?;
        Ok(rows)
    }
}

impl Tx {
    /// Replaces the actor ids `account_id` says are also it.
    pub async fn set_also_known_as(
        &mut self,
        account_id: i64,
        uris: &[String],
        now: i64,
    ) -> Result<()> {
        let json = serde_json::to_string(uris).unwrap_or_else(|_| "[]".to_owned());
        on_tx!(rows_affected, self, conn => sqlx::query(&format!(
            "UPDATE account SET also_known_as = $2, {} WHERE id = $1",
            advance_stamp("updated_at", "$3")
        ))
        .bind(account_id)
        .bind(json)
        .bind(now)
        .execute(conn)
        .await)?;
        Ok(())
    }

    /// Records (or, with `None`, clears) the account `account_id` moved to; false when it was
    /// so already.
    pub async fn set_moved_to(
        &mut self,
        account_id: i64,
        target: Option<i64>,
        now: i64,
    ) -> Result<bool> {
        let changed = on_tx!(rows_affected, self, conn => sqlx::query(&format!(
            "UPDATE account SET moved_to_account_id = $2, {} WHERE id = $1 \
             AND moved_to_account_id IS DISTINCT FROM $2",
            advance_stamp("updated_at", "$3")
        ))
        .bind(account_id)
        .bind(target)
        .bind(now)
        .execute(conn)
        .await)?;
        Ok(changed == 1)
    }

    /// What a remote actor's document says of moves: its aliases and the account it moved to,
    /// in one statement beside its refresh (which moved its stamp already).
    pub async fn set_remote_moves(
        &mut self,
        account_id: i64,
        uris: &[String],
        moved_to: Option<i64>,
    ) -> Result<()> {
        let json = serde_json::to_string(uris).unwrap_or_else(|_| "[]".to_owned());
        on_tx!(rows_affected, self, conn => sqlx::query(
            "UPDATE account SET also_known_as = $2, moved_to_account_id = $3 WHERE id = $1",
        )
        .bind(account_id)
        .bind(json)
        .bind(moved_to)
        .execute(conn)
        .await)?;
        Ok(())
    }

    pub async fn insert_account_migration(&mut self, row: &MigrationRow) -> Result<()> {
        on_tx!(rows_affected, self, conn => sqlx::query(
            "INSERT INTO account_migration (id, account_id, target_account_id, followers_count, \
             created_at) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(row.id)
        .bind(row.account_id)
        .bind(row.target_account_id)
        .bind(row.followers_count)
        .bind(row.created_at)
        .execute(conn)
        .await)?;
        Ok(())
    }

    /// Adds `target_id` to the lists of `owner_id` that hold `account_id`; returns how many.
    pub async fn copy_list_memberships(
        &mut self,
        owner_id: i64,
        account_id: i64,
        target_id: i64,
        now: i64,
    ) -> Result<u64> {
        let added = on_tx!(rows_affected, self, conn => sqlx::query(
            "INSERT INTO list_account (list_id, account_id, follow_id, created_at) \
             SELECT la.list_id, $3, \
               (SELECT f.id FROM follow f WHERE f.account_id = $1 AND f.target_account_id = $3), \
               $4 \
             FROM list_account la JOIN list l ON l.id = la.list_id \
             WHERE l.account_id = $1 AND la.account_id = $2 \
             ON CONFLICT (list_id, account_id) DO NOTHING",
        )
        .bind(owner_id)
        .bind(account_id)
        .bind(target_id)
        .bind(now)
        .execute(conn)
        .await)?;
        Ok(added)
    }
}
