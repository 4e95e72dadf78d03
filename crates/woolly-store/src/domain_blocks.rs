//! Domains users block (`account_domain_block`), and what a block clears away: the blocker's
//! follows with the accounts on the domain, their follow requests to the blocker, and their
//! notifications to the blocker. Domains arrive normalized; timelines hide the blocked domains'
//! statuses in `statuses.rs`, notifications stop in `relations.rs`.

use crate::connect::{Db, Tx, on_reader, on_tx};
use crate::error::Result;
use crate::statuses::Page;

impl Tx {
    /// Records that `account_id` blocks `domain`; returns false when it already did.
    pub async fn insert_domain_block(
        &mut self,
        account_id: i64,
        domain: &str,
        now: i64,
    ) -> Result<bool> {
        let id = self.next_id();
        let inserted = on_tx!(rows_affected, self, conn => sqlx::query(
            "INSERT INTO account_domain_block (id, account_id, domain, created_at) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (account_id, domain) DO NOTHING",
        )
        .bind(id)
        .bind(account_id)
        .bind(domain)
        .bind(now)
        .execute(conn)
        .await)?;
        Ok(inserted == 1)
    }

    /// Lifts a domain block; returns false when there was none.
    pub async fn delete_domain_block(&mut self, account_id: i64, domain: &str) -> Result<bool> {
        let deleted = on_tx!(rows_affected, self, conn => sqlx::query(
            "DELETE FROM account_domain_block WHERE account_id = $1 AND domain = $2",
        )
        .bind(account_id)
        .bind(domain)
        .execute(conn)
        .await)?;
        Ok(deleted == 1)
    }

    /// The follows between `account_id` and the accounts on `domain`, in either direction, as
    /// (follower, followed) pairs.
    pub async fn follows_with_domain(
        &mut self,
        account_id: i64,
        domain: &str,
    ) -> Result<Vec<(i64, i64)>> {
        let rows: Vec<(i64, i64)> = on_tx!(self, conn => sqlx::query_as(
            "SELECT f.account_id, f.target_account_id FROM follow f \
             JOIN account a ON a.id = f.target_account_id \
             WHERE f.account_id = $1 AND lower(a.domain) = $2 \
             UNION ALL \
             SELECT f.account_id, f.target_account_id FROM follow f \
             JOIN account a ON a.id = f.account_id \
             WHERE f.target_account_id = $1 AND lower(a.domain) = $2",
        )
        .bind(account_id)
        .bind(domain)
        .fetch_all(conn)
        .await)?;
        Ok(rows)
    }

    /// Rejects the follow requests that accounts on `domain` made to `account_id`; returns the
    /// requesters.
    pub async fn reject_follow_requests_from_domain(
        &mut self,
        account_id: i64,
        domain: &str,
    ) -> Result<Vec<i64>> {
        let rows: Vec<(i64,)> = on_tx!(self, conn => sqlx::query_as(
            "DELETE FROM follow_request WHERE target_account_id = $1 AND account_id IN \
             (SELECT id FROM account WHERE lower(domain) = $2) RETURNING account_id",
        )
        .bind(account_id)
        .bind(domain)
        .fetch_all(conn)
        .await)?;
        Ok(rows.into_iter().map(|(id,)| id).collect())
    }

    /// Deletes `account_id`'s notifications from accounts on `domain`.
    pub async fn delete_notifications_from_domain(
        &mut self,
        account_id: i64,
        domain: &str,
    ) -> Result<u64> {
        let deleted = on_tx!(rows_affected, self, conn => sqlx::query(
            "DELETE FROM notification WHERE account_id = $1 AND from_account_id IN \
             (SELECT id FROM account WHERE lower(domain) = $2)",
        )
        .bind(account_id)
        .bind(domain)
        .execute(conn)
        .await)?;
        Ok(deleted)
    }
}

impl Db {
    /// A page of the domains `account_id` blocks, newest block first, paged on the blocks' ids:
    /// (block id, domain) pairs.
    pub async fn domain_blocks_page(
        &self,
        account_id: i64,
        page: Page,
    ) -> Result<Vec<(i64, String)>> {
        let sql = format!(
            "SELECT id, domain FROM account_domain_block WHERE account_id = $1 \
             AND ($2 IS NULL OR id < $2) AND ($3 IS NULL OR id > $3) ORDER BY id {} LIMIT $4",
            page.order()
        );
        let rows: Vec<(i64, String)> = on_reader!(self, pool => sqlx::query_as(&sql)
            .bind(account_id)
            .bind(page.max_id)
            .bind(page.lower_bound())
            .bind(page.limit)
            .fetch_all(pool)
            .await)?;
        Ok(page.newest_first(rows))
    }
}
