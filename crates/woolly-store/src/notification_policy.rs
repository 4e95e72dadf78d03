//! The notification policy's rows: each member's policy, the facts it is applied to when a
//! notification is about to be written, the requests that gather filtered mentions per sender,
//! and the senders a member accepted. What the policy decides is `woolly-core`'s.

use crate::arrays::{List, in_list};
use crate::connect::{Db, Tx, on_reader, on_tx, on_writer};
use crate::error::Result;
use crate::statuses::Page;

/// A member's policy: each field is `accept`, `filter` or `drop`.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct NotificationPolicyRow {
    pub for_not_following: String,
    pub for_not_followers: String,
    pub for_new_accounts: String,
    pub for_private_mentions: String,
    pub for_limited_accounts: String,
}

/// What the policy looks at, read in the transaction that writes the notification.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct NotificationFacts {
    /// The recipient's policy, when they set one.
    #[sqlx(flatten)]
    pub policy: OptionalPolicy,
    /// The recipient follows the sender.
    pub following: bool,
    /// Since when the sender follows the recipient.
    pub followed_since: Option<i64>,
    /// When the sender's account was created (for a remote one, as its server says).
    pub sender_created_at: i64,
    pub sender_silenced: bool,
    /// The sender is one of this server's staff (any role above user).
    pub sender_is_staff: bool,
    /// The recipient accepted a request from the sender once.
    pub permitted: bool,
    /// The status the notification is about is a private mention (`direct`).
    pub direct: bool,
}

/// [`NotificationPolicyRow`]'s columns as a `LEFT JOIN` reads them: all absent without a row.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct OptionalPolicy {
    pub for_not_following: Option<String>,
    pub for_not_followers: Option<String>,
    pub for_new_accounts: Option<String>,
    pub for_private_mentions: Option<String>,
    pub for_limited_accounts: Option<String>,
}

impl OptionalPolicy {
    pub fn row(self) -> Option<NotificationPolicyRow> {
        Some(NotificationPolicyRow {
            for_not_following: self.for_not_following?,
            for_not_followers: self.for_not_followers?,
            for_new_accounts: self.for_new_accounts?,
            for_private_mentions: self.for_private_mentions?,
            for_limited_accounts: self.for_limited_accounts?,
        })
    }
}

/// One request: the filtered mentions one sender sent a member.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct NotificationRequestRow {
    pub id: i64,
    pub account_id: i64,
    pub from_account_id: i64,
    pub last_status_id: Option<i64>,
    /// How many filtered mentions from the sender wait.
    pub notifications_count: i64,
    pub created_at: i64,
    pub updated_at: i64,
}

/// Requests of suspended or deleted senders are not shown (nor counted).
const REQUEST_SELECT: &str = "SELECT r.id, r.account_id, r.from_account_id, r.last_status_id, \
     (SELECT count(*) FROM notification n WHERE n.account_id = r.account_id \
      AND n.from_account_id = r.from_account_id AND n.filtered AND n.kind = 'mention') AS notifications_count, \
     r.created_at, r.updated_at FROM notification_request r JOIN account a ON a.id = r.from_account_id";

impl Tx {
    /// The facts the recipient's policy decides on, for a notification from `sender_id` about
    /// `status_id`.
    pub async fn notification_facts(
        &mut self,
        recipient_id: i64,
        sender_id: i64,
        status_id: Option<i64>,
    ) -> Result<Option<NotificationFacts>> {
        let facts = on_tx!(self, conn => sqlx::query_as::<_, NotificationFacts>(
            "SELECT p.for_not_following, p.for_not_followers, p.for_new_accounts, \
               p.for_private_mentions, p.for_limited_accounts, \
               EXISTS (SELECT 1 FROM follow WHERE account_id = $1 AND target_account_id = $2) AS following, \
               (SELECT created_at FROM follow WHERE account_id = $2 AND target_account_id = $1) AS followed_since, \
               s.created_at AS sender_created_at, \
               s.silenced_at IS NOT NULL AS sender_silenced, \
               EXISTS (SELECT 1 FROM local_user u WHERE u.account_id = $2 AND u.role <> 'user') AS sender_is_staff, \
               EXISTS (SELECT 1 FROM notification_permission WHERE account_id = $1 AND from_account_id = $2) AS permitted, \
               EXISTS (SELECT 1 FROM status WHERE id = $3 AND visibility = 'direct') AS direct \
             FROM account s LEFT JOIN notification_policy p ON p.account_id = $1 WHERE s.id = $2",
        )
        .bind(recipient_id)
        .bind(sender_id)
        .bind(status_id)
        .fetch_optional(conn)
        .await)?;
        Ok(facts)
    }

    /// Whether `status_id` answers, within 100 posts up its thread, a private mention of
    /// `sender_id` (Mastodon's test that a private mention is a reply in a conversation the
    /// recipient took part in, not an unsolicited one).
    pub async fn answers_private_mention_of(
        &mut self,
        status_id: i64,
        sender_id: i64,
    ) -> Result<bool> {
        let (found,): (bool,) = on_tx!(self, conn => sqlx::query_as(
            "WITH RECURSIVE up (id, depth) AS ( \
               SELECT in_reply_to_id, 1 FROM status WHERE id = $1 AND in_reply_to_id IS NOT NULL \
               UNION ALL \
               SELECT s.in_reply_to_id, up.depth + 1 FROM up JOIN status s ON s.id = up.id \
               WHERE s.in_reply_to_id IS NOT NULL AND up.depth < 100) \
             SELECT EXISTS (SELECT 1 FROM up JOIN status s ON s.id = up.id \
               JOIN status_mention m ON m.status_id = s.id AND m.account_id = $2 \
               WHERE s.visibility = 'direct')",
        )
        .bind(status_id)
        .bind(sender_id)
        .fetch_one(conn)
        .await)?;
        Ok(found)
    }

    /// Gathers a filtered mention into the request of its sender.
    pub async fn upsert_notification_request(
        &mut self,
        account_id: i64,
        from_account_id: i64,
        status_id: Option<i64>,
        now: i64,
    ) -> Result<()> {
        let id = self.next_id();
        on_tx!(rows_affected, self, conn => sqlx::query(
            "INSERT INTO notification_request (id, account_id, from_account_id, last_status_id, \
             created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $5) \
             ON CONFLICT (account_id, from_account_id) DO UPDATE \
             SET last_status_id = coalesce($4, notification_request.last_status_id), updated_at = $5",
        )
        .bind(id)
        .bind(account_id)
        .bind(from_account_id)
        .bind(status_id)
        .bind(now)
        .execute(conn)
        .await)?;
        Ok(())
    }

    /// Accepts the requests `ids` of `account_id`: their senders are let through from now on,
    /// and what they sent is moved among the ordinary notifications. Returns the senders.
    pub async fn accept_notification_requests(
        &mut self,
        account_id: i64,
        ids: &[i64],
        now: i64,
    ) -> Result<Vec<i64>> {
        let senders = self.take_notification_requests(account_id, ids).await?;
        for &sender in &senders {
            on_tx!(rows_affected, self, conn => sqlx::query(
                "INSERT INTO notification_permission (account_id, from_account_id, created_at) \
                 VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
            )
            .bind(account_id)
            .bind(sender)
            .bind(now)
            .execute(conn)
            .await)?;
            on_tx!(rows_affected, self, conn => sqlx::query(
                "UPDATE notification SET filtered = FALSE \
                 WHERE account_id = $1 AND from_account_id = $2 AND filtered",
            )
            .bind(account_id)
            .bind(sender)
            .execute(conn)
            .await)?;
        }
        Ok(senders)
    }

    /// Dismisses the requests `ids` of `account_id` with the filtered notifications of their
    /// senders. Returns the senders.
    pub async fn dismiss_notification_requests(
        &mut self,
        account_id: i64,
        ids: &[i64],
    ) -> Result<Vec<i64>> {
        let senders = self.take_notification_requests(account_id, ids).await?;
        for &sender in &senders {
            on_tx!(rows_affected, self, conn => sqlx::query(
                "DELETE FROM notification WHERE account_id = $1 AND from_account_id = $2 AND filtered",
            )
            .bind(account_id)
            .bind(sender)
            .execute(conn)
            .await)?;
        }
        Ok(senders)
    }

    /// Deletes the requests `ids` of `account_id` (others' ids are ignored); returns their senders.
    async fn take_notification_requests(
        &mut self,
        account_id: i64,
        ids: &[i64],
    ) -> Result<Vec<i64>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let sql = format!(
            "DELETE FROM notification_request WHERE account_id = $1 AND id {} \
             RETURNING from_account_id",
            in_list(self.engine(), "$2")
        );
        let rows: Vec<(i64,)> = on_tx!(self, conn => sqlx::query_as(&sql)
            .bind(account_id)
            .bind(List(ids))
            .fetch_all(conn)
            .await)?;
        Ok(rows.into_iter().map(|(sender,)| sender).collect())
    }
}

impl Db {
    /// The member's policy, when they set one.
    pub async fn notification_policy(
        &self,
        account_id: i64,
    ) -> Result<Option<NotificationPolicyRow>> {
        let row = on_reader!(self, pool => sqlx::query_as::<_, NotificationPolicyRow>(
            "SELECT for_not_following, for_not_followers, for_new_accounts, for_private_mentions, \
             for_limited_accounts FROM notification_policy WHERE account_id = $1",
        )
        .bind(account_id)
        .fetch_optional(pool)
        .await)?;
        Ok(row)
    }

    pub async fn save_notification_policy(
        &self,
        account_id: i64,
        policy: &NotificationPolicyRow,
        now: i64,
    ) -> Result<()> {
        on_writer!(rows_affected, self, pool => sqlx::query(
            "INSERT INTO notification_policy (account_id, for_not_following, for_not_followers, \
             for_new_accounts, for_private_mentions, for_limited_accounts, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (account_id) DO UPDATE SET \
             for_not_following = $2, for_not_followers = $3, for_new_accounts = $4, \
             for_private_mentions = $5, for_limited_accounts = $6, updated_at = $7",
        )
        .bind(account_id)
        .bind(&policy.for_not_following)
        .bind(&policy.for_not_followers)
        .bind(&policy.for_new_accounts)
        .bind(&policy.for_private_mentions)
        .bind(&policy.for_limited_accounts)
        .bind(now)
        .execute(pool)
        .await)?;
        Ok(())
    }

    /// How many requests wait (at most `cap`), and how many filtered mentions they hold.
    pub async fn notification_requests_summary(
        &self,
        account_id: i64,
        cap: i64,
    ) -> Result<(i64, i64)> {
        let sql = format!(
            "SELECT count(*), CAST(coalesce(sum(notifications_count), 0) AS BIGINT) FROM \
             ({REQUEST_SELECT} WHERE r.account_id = $1 AND {} LIMIT $2) x",
            crate::accounts::shown("a")
        );
        let (requests, notifications): (i64, i64) = on_reader!(self, pool => sqlx::query_as(&sql)
            .bind(account_id)
            .bind(cap)
            .fetch_one(pool)
            .await)?;
        Ok((requests, notifications))
    }

    /// A page of the member's requests, newest first.
    pub async fn notification_requests_page(
        &self,
        account_id: i64,
        page: Page,
    ) -> Result<Vec<NotificationRequestRow>> {
        let order = page.order();
        let sql = format!(
            "{REQUEST_SELECT} WHERE r.account_id = $1 AND {} \
             AND ($2 IS NULL OR r.id < $2) AND ($3 IS NULL OR r.id > $3) \
             ORDER BY r.id {order} LIMIT $4",
            crate::accounts::shown("a")
        );
        let rows = on_reader!(self, pool => sqlx::query_as::<_, NotificationRequestRow>(&sql)
            .bind(account_id)
            .bind(page.max_id)
            .bind(page.lower_bound())
            .bind(page.limit)
            .fetch_all(pool)
            .await)?;
        Ok(page.newest_first(rows))
    }

    pub async fn notification_request(
        &self,
        account_id: i64,
        id: i64,
    ) -> Result<Option<NotificationRequestRow>> {
        let sql = format!(
            "{REQUEST_SELECT} WHERE r.account_id = $1 AND r.id = $2 AND {}",
            crate::accounts::shown("a")
        );
        let row = on_reader!(self, pool => sqlx::query_as::<_, NotificationRequestRow>(&sql)
            .bind(account_id)
            .bind(id)
            .fetch_optional(pool)
            .await)?;
        Ok(row)
    }
}
