//! What federation keeps beyond accounts and statuses: the ids of activities received (so that
//! a redelivered one is processed once), the ids of Follow activities, where remote accounts'
//! inboxes are, and each remote domain's delivery health (Mastodon's `DeliveryFailureTracker`).

use crate::AccountRow;
use crate::accounts::ACCOUNT_COLUMNS;
use crate::arrays::{List, in_list};
use crate::connect::{Db, Tx, on_reader, on_tx, on_writer};
use crate::error::Result;

/// How a remote domain has answered deliveries lately.
#[derive(Debug, Clone, Default, PartialEq, Eq, sqlx::FromRow)]
pub struct DomainHealthRow {
    pub domain: String,
    /// Distinct days with a failed delivery since the last success.
    pub failure_days: i32,
    pub last_failure_day: Option<i64>,
    pub last_failure_at: Option<i64>,
    pub last_success_at: Option<i64>,
    /// Set after failures on enough distinct days: deliveries to it pause until it answers.
    pub unavailable: bool,
}

impl Tx {
    /// Records that the activity `activity_id` arrived; false when it had arrived before.
    pub async fn record_inbound_activity(&mut self, activity_id: &str, now: i64) -> Result<bool> {
        let inserted = on_tx!(rows_affected, self, conn => sqlx::query(
            "INSERT INTO inbound_activity (activity_id, received_at) VALUES ($1, $2) \
             ON CONFLICT (activity_id) DO NOTHING",
        )
        .bind(activity_id)
        .bind(now)
        .execute(conn)
        .await)?;
        Ok(inserted == 1)
    }

    /// Remembers the id of the Follow activity behind the follow request (`account_id` asks to
    /// follow `target_id`) or the follow, whichever exists.
    pub async fn set_follow_uri(
        &mut self,
        account_id: i64,
        target_id: i64,
        uri: &str,
    ) -> Result<()> {
        for table in ["follow_request", "follow"] {
            let sql = format!(
                "UPDATE {table} SET uri = $1 WHERE account_id = $2 AND target_account_id = $3"
            );
            on_tx!(rows_affected, self, conn => sqlx::query(&sql)
                .bind(uri)
                .bind(account_id)
                .bind(target_id)
                .execute(conn)
                .await)?;
        }
        Ok(())
    }

    /// Removes a remote account and everything it did here (its statuses, follows,
    /// favourites, reblogs…, by the schema's cascades), first taking its part out of the
    /// counters of the accounts and statuses that remain. False when there was no such remote
    /// account.
    pub async fn delete_remote_account(&mut self, account_id: i64) -> Result<bool> {
        self.delete_account_and_content(account_id, false).await
    }

    /// Removes a local account retired by [`Tx::retire_local_account`] and everything it
    /// still holds (as [`Tx::delete_remote_account`] does for a remote one). False when there
    /// is no such retired account; a live account is never removed here.
    pub async fn delete_local_account(&mut self, account_id: i64) -> Result<bool> {
        self.delete_account_and_content(account_id, true).await
    }

    /// Deletes up to `limit` statuses of the retired local account `account_id` (newest first),
    /// first taking their part out of the counters of the statuses they reply to or reblog.
    /// Returns how many went: fewer than `limit` when none are left. A live account's
    /// statuses are never touched.
    pub async fn purge_statuses_of(&mut self, account_id: i64, limit: i64) -> Result<u64> {
        let ids: Vec<(i64,)> = on_tx!(self, conn => sqlx::query_as(
            "SELECT s.id FROM status s JOIN account a ON a.id = s.account_id \
             WHERE s.account_id = $1 AND a.domain IS NULL AND a.deleted_at IS NOT NULL \
             ORDER BY s.id DESC LIMIT $2",
        )
        .bind(account_id)
        .bind(limit)
        .fetch_all(&mut *conn)
        .await)?;
        if ids.is_empty() {
            return Ok(0);
        }
        let ids: Vec<i64> = ids.into_iter().map(|(id,)| id).collect();
        let batch = in_list(self.engine(), "$1");
        let [reblogs, replies] = uncount_statuses(&format!("c.id {batch}"));
        let statements = [
            reblogs,
            replies,
            format!("DELETE FROM status WHERE id {batch}"),
        ];
        for sql in &statements {
            on_tx!(rows_affected, self, conn => sqlx::query(sql)
                .bind(List(&ids))
                .execute(conn)
                .await)?;
        }
        Ok(ids.len() as u64)
    }

    async fn delete_account_and_content(&mut self, account_id: i64, local: bool) -> Result<bool> {
        let adjustments = [
            "UPDATE account SET followers_count = CASE WHEN followers_count > 0 \
               THEN followers_count - 1 ELSE 0 END \
             WHERE id IN (SELECT target_account_id FROM follow WHERE account_id = $1)",
            "UPDATE account SET following_count = CASE WHEN following_count > 0 \
               THEN following_count - 1 ELSE 0 END \
             WHERE id IN (SELECT account_id FROM follow WHERE target_account_id = $1)",
            "UPDATE status SET favourites_count = CASE WHEN favourites_count > 0 \
               THEN favourites_count - 1 ELSE 0 END \
             WHERE id IN (SELECT status_id FROM favourite WHERE account_id = $1)",
        ]
        .map(str::to_owned)
        .into_iter()
        .chain(uncount_statuses("c.account_id = $1"));
        for sql in adjustments {
            on_tx!(rows_affected, self, conn => sqlx::query(&sql)
                .bind(account_id)
                .execute(conn)
                .await)?;
        }
        let sql = if local {
            "DELETE FROM account WHERE id = $1 AND domain IS NULL AND deleted_at IS NOT NULL"
        } else {
            "DELETE FROM account WHERE id = $1 AND domain IS NOT NULL"
        };
        let deleted = on_tx!(rows_affected, self, conn => sqlx::query(sql)
            .bind(account_id)
            .execute(conn)
            .await)?;
        Ok(deleted == 1)
    }

    /// The id of the Follow activity behind the follow request or follow of `account_id` to
    /// `target_id`, if one was recorded.
    pub async fn follow_uri(&mut self, account_id: i64, target_id: i64) -> Result<Option<String>> {
        let row: Option<(Option<String>,)> = on_tx!(self, conn => sqlx::query_as(
            "SELECT uri FROM follow_request WHERE account_id = $1 AND target_account_id = $2 \
             UNION ALL SELECT uri FROM follow WHERE account_id = $1 AND target_account_id = $2",
        )
        .bind(account_id)
        .bind(target_id)
        .fetch_optional(&mut *conn)
        .await)?;
        Ok(row.and_then(|(uri,)| uri))
    }
}

/// The statements that take statuses, before they are deleted, out of the reblog and reply
/// counters of the statuses they reblog or answer. `chosen` is the condition on a status named
/// `c` that picks them (an account's, or a batch of ids), its value bound as `$1`.
fn uncount_statuses(chosen: &str) -> [String; 2] {
    [
        // An account reblogs a status at most once.
        format!(
            "UPDATE status SET reblogs_count = CASE WHEN reblogs_count > 0 \
               THEN reblogs_count - 1 ELSE 0 END \
             WHERE id IN (SELECT c.reblog_of_id FROM status c WHERE {chosen} \
               AND c.reblog_of_id IS NOT NULL)"
        ),
        format!(
            "UPDATE status SET replies_count = CASE WHEN replies_count > \
               (SELECT count(*) FROM status c WHERE c.in_reply_to_id = status.id AND {chosen}) \
               THEN replies_count - \
               (SELECT count(*) FROM status c WHERE c.in_reply_to_id = status.id AND {chosen}) \
               ELSE 0 END \
             WHERE id IN (SELECT c.in_reply_to_id FROM status c WHERE {chosen} \
               AND c.in_reply_to_id IS NOT NULL)"
        ),
    ]
}

impl Db {
    /// Claims the fetch of a remote status's replies: true (and the time recorded) when they
    /// were never fetched, or not since `fetched_before`.
    pub async fn claim_replies_fetch(
        &self,
        status_id: i64,
        now: i64,
        fetched_before: i64,
    ) -> Result<bool> {
        let claimed = on_writer!(rows_affected, self, pool => sqlx::query(
            "UPDATE status SET replies_fetched_at = $2 WHERE id = $1 AND NOT is_local \
             AND (replies_fetched_at IS NULL OR replies_fetched_at < $3)",
        )
        .bind(status_id)
        .bind(now)
        .bind(fetched_before)
        .execute(pool)
        .await)?;
        Ok(claimed == 1)
    }

    /// Whether `activity_id` was recorded as received.
    pub async fn inbound_activity_seen(&self, activity_id: &str) -> Result<bool> {
        let row: Option<(i64,)> = on_reader!(self, pool => sqlx::query_as(
            "SELECT received_at FROM inbound_activity WHERE activity_id = $1",
        )
        .bind(activity_id)
        .fetch_optional(pool)
        .await)?;
        Ok(row.is_some())
    }

    /// An account by its ActivityPub id (remote accounts record theirs).
    pub async fn account_by_uri(&self, uri: &str) -> Result<Option<AccountRow>> {
        let sql = format!("SELECT {ACCOUNT_COLUMNS} FROM account WHERE uri = $1");
        let row = on_reader!(self, pool => sqlx::query_as::<_, AccountRow>(&sql)
            .bind(uri)
            .fetch_optional(pool)
            .await)?;
        Ok(row)
    }

    /// The id of a status by its ActivityPub id.
    pub async fn status_id_for_uri(&self, uri: &str) -> Result<Option<i64>> {
        let row: Option<(i64,)> = on_reader!(self, pool => sqlx::query_as(
            "SELECT id FROM status WHERE uri = $1",
        )
        .bind(uri)
        .fetch_optional(pool)
        .await)?;
        Ok(row.map(|(id,)| id))
    }

    /// Marks the remote account's actor document as just fetched.
    pub async fn touch_account_fetched(&self, account_id: i64, now: i64) -> Result<()> {
        on_writer!(rows_affected, self, pool => sqlx::query(
            "UPDATE account SET fetched_at = $1 WHERE id = $2",
        )
        .bind(now)
        .bind(account_id)
        .execute(pool)
        .await)?;
        Ok(())
    }

    /// When the remote account's actor document was last fetched.
    pub async fn account_fetched_at(&self, account_id: i64) -> Result<Option<i64>> {
        let row: Option<(Option<i64>,)> = on_reader!(self, pool => sqlx::query_as(
            "SELECT fetched_at FROM account WHERE id = $1",
        )
        .bind(account_id)
        .fetch_optional(pool)
        .await)?;
        Ok(row.and_then(|(at,)| at))
    }

    pub async fn domain_health(&self, domain: &str) -> Result<Option<DomainHealthRow>> {
        let row = on_reader!(self, pool => sqlx::query_as::<_, DomainHealthRow>(
            "SELECT domain, failure_days, last_failure_day, last_failure_at, last_success_at, \
             unavailable FROM domain_health WHERE domain = $1",
        )
        .bind(domain)
        .fetch_optional(pool)
        .await)?;
        Ok(row)
    }

    /// A delivery to `domain` succeeded: its failures are forgotten and it is available again.
    pub async fn record_delivery_success(&self, domain: &str, now: i64) -> Result<()> {
        on_writer!(rows_affected, self, pool => sqlx::query(
            "INSERT INTO domain_health (domain, failure_days, last_success_at, unavailable) \
             VALUES ($1, 0, $2, FALSE) \
             ON CONFLICT (domain) DO UPDATE SET failure_days = 0, last_success_at = $2, \
             unavailable = FALSE",
        )
        .bind(domain)
        .bind(now)
        .execute(pool)
        .await)?;
        Ok(())
    }

    /// A delivery to `domain` failed on day `day` (days since the epoch): a new day counts one
    /// more failure day, and at `unavailable_after` days the domain is marked unavailable.
    pub async fn record_delivery_failure(
        &self,
        domain: &str,
        now: i64,
        day: i64,
        unavailable_after: i32,
    ) -> Result<DomainHealthRow> {
        let row = on_writer!(self, pool => sqlx::query_as::<_, DomainHealthRow>(
            "INSERT INTO domain_health (domain, failure_days, last_failure_day, last_failure_at, unavailable) \
             VALUES ($1, 1, $2, $3, FALSE) \
             ON CONFLICT (domain) DO UPDATE SET \
               failure_days = domain_health.failure_days + \
                 CASE WHEN domain_health.last_failure_day = $2 THEN 0 ELSE 1 END, \
               last_failure_day = $2, last_failure_at = $3, \
               unavailable = (domain_health.failure_days + \
                 CASE WHEN domain_health.last_failure_day = $2 THEN 0 ELSE 1 END) >= $4 \
             RETURNING domain, failure_days, last_failure_day, last_failure_at, last_success_at, unavailable",
        )
        .bind(domain)
        .bind(day)
        .bind(now)
        .bind(unavailable_after)
        .fetch_one(pool)
        .await)?;
        Ok(row)
    }
}

/// Who hears of a local action: read inside the action's transaction, so that what it just
/// wrote (a new status's mentions) counts.
impl Tx {
    /// The inboxes (shared ones where known) of the remote accounts following `account_id`,
    /// each once.
    pub async fn remote_follower_inboxes(&mut self, account_id: i64) -> Result<Vec<String>> {
        let rows: Vec<(String,)> = on_tx!(self, conn => sqlx::query_as(
            "SELECT DISTINCT coalesce(a.shared_inbox_url, a.inbox_url) FROM follow f \
             JOIN account a ON a.id = f.account_id \
             WHERE f.target_account_id = $1 AND a.domain IS NOT NULL \
               AND coalesce(a.shared_inbox_url, a.inbox_url) IS NOT NULL",
        )
        .bind(account_id)
        .fetch_all(&mut *conn)
        .await)?;
        Ok(rows.into_iter().map(|(inbox,)| inbox).collect())
    }

    /// Every server this one knows an account on, by its shared inbox (else each account's
    /// own): who hears that a local account was deleted, as Mastodon tells all it knows.
    pub async fn all_remote_inboxes(&mut self) -> Result<Vec<String>> {
        let rows: Vec<(String,)> = on_tx!(self, conn => sqlx::query_as(
            "SELECT DISTINCT coalesce(shared_inbox_url, inbox_url) FROM account \
             WHERE domain IS NOT NULL AND coalesce(shared_inbox_url, inbox_url) IS NOT NULL",
        )
        .fetch_all(&mut *conn)
        .await)?;
        Ok(rows.into_iter().map(|(inbox,)| inbox).collect())
    }

    /// The inboxes of those of `account_ids` that are remote: their own inbox when
    /// `personal`, else their server's shared inbox where known.
    pub async fn remote_inboxes_of(
        &mut self,
        account_ids: &[i64],
        personal: bool,
    ) -> Result<Vec<String>> {
        if account_ids.is_empty() {
            return Ok(Vec::new());
        }
        let column = if personal {
            "coalesce(inbox_url, shared_inbox_url)"
        } else {
            "coalesce(shared_inbox_url, inbox_url)"
        };
        let sql = format!(
            "SELECT DISTINCT {column} FROM account \
             WHERE id {} AND domain IS NOT NULL AND {column} IS NOT NULL",
            in_list(self.engine(), "$1")
        );
        let rows: Vec<(String,)> = on_tx!(self, conn => sqlx::query_as(&sql)
            .bind(List(account_ids))
            .fetch_all(&mut *conn)
            .await)?;
        Ok(rows.into_iter().map(|(inbox,)| inbox).collect())
    }

    /// The remote accounts that voted in the poll of `status_id`.
    pub async fn remote_poll_voters(&mut self, status_id: i64) -> Result<Vec<i64>> {
        let rows: Vec<(i64,)> = on_tx!(self, conn => sqlx::query_as(
            "SELECT DISTINCT v.account_id FROM poll_vote v JOIN poll p ON p.id = v.poll_id \
             JOIN account a ON a.id = v.account_id WHERE p.status_id = $1 AND a.domain IS NOT NULL",
        )
        .bind(status_id)
        .fetch_all(&mut *conn)
        .await)?;
        Ok(rows.into_iter().map(|(id,)| id).collect())
    }

    /// The accounts a status mentions.
    pub async fn mentioned_accounts(&mut self, status_id: i64) -> Result<Vec<i64>> {
        let rows: Vec<(i64,)> = on_tx!(self, conn => sqlx::query_as(
            "SELECT account_id FROM status_mention WHERE status_id = $1",
        )
        .bind(status_id)
        .fetch_all(&mut *conn)
        .await)?;
        Ok(rows.into_iter().map(|(id,)| id).collect())
    }
}
