//! Relations between accounts (follows, blocks, mutes) and between accounts and statuses
//! (favourites, bookmarks), and notifications.

use crate::arrays::{List, in_list};
use crate::connect::{Db, Tx, on_reader, on_tx};
use crate::error::Result;
use crate::statuses::Page;

/// What a follower chose for one follow: `None` keeps what a follow already has, or takes
/// Mastodon's default for a new one (reblogs shown, no notifications, every language).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FollowOptions {
    pub show_reblogs: Option<bool>,
    pub notify: Option<bool>,
    /// Language codes; an empty list is no choice.
    pub languages: Option<Vec<String>>,
}

impl FollowOptions {
    /// The languages as stored: comma-separated, NULL for all.
    fn stored_languages(&self) -> Option<String> {
        self.languages
            .as_ref()
            .filter(|languages| !languages.is_empty())
            .map(|languages| languages.join(","))
    }
}

/// Stored languages (see [`FollowOptions::stored_languages`]) as a list.
pub fn split_languages(stored: Option<&str>) -> Option<Vec<String>> {
    stored.map(|languages| languages.split(',').map(str::to_owned).collect())
}

/// How `account_id` relates to one other account.
#[derive(Debug, Clone, Default, sqlx::FromRow)]
pub struct RelationshipRow {
    pub target_id: i64,
    pub following: bool,
    pub showing_reblogs: bool,
    pub notifying: bool,
    pub followed_by: bool,
    pub blocking: bool,
    pub blocked_by: bool,
    pub muting: bool,
    pub muting_notifications: bool,
    pub muting_expires_at: Option<i64>,
    /// The languages wanted from a followed account (comma-separated), NULL for all.
    pub languages: Option<String>,
    /// The account features the target on its profile.
    pub endorsed: bool,
    /// The account has asked to follow the target and waits.
    pub requested: bool,
    /// The target has asked to follow the account and waits.
    pub requested_by: bool,
    /// The account's private note about the target.
    pub note: Option<String>,
    /// The account blocks the target's domain.
    pub domain_blocking: bool,
}

/// One row of `notification`.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct NotificationRow {
    pub id: i64,
    pub account_id: i64,
    pub from_account_id: i64,
    pub kind: String,
    pub status_id: Option<i64>,
    pub created_at: i64,
    /// For a `moderation_warning`, the warning.
    pub account_warning_id: Option<i64>,
    /// For an `admin.report`, the report.
    pub report_id: Option<i64>,
}

/// Which of an account's notifications a page holds.
#[derive(Debug, Clone, Default)]
pub struct NotificationQuery {
    /// Only these kinds (none: every kind).
    pub types: Vec<String>,
    /// Not these kinds.
    pub exclude: Vec<String>,
    /// Only those from this account (filtered ones included).
    pub from_account_id: Option<i64>,
    /// Also those the policy filtered.
    pub include_filtered: bool,
}

/// Which side of an account's follows: who follows it, or whom it follows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FollowSide {
    Followers,
    Following,
}

/// An account's two ways of keeping another out of sight.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BlockOrMute {
    Block,
    Mute,
}

/// What other accounts did to a status, listed by who did it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatusInteraction {
    Favourite,
    Reblog,
}

/// The relation tables an account can have with a status.
#[derive(Debug, Clone, Copy)]
pub enum StatusRelation {
    Favourite,
    Bookmark,
}

impl StatusRelation {
    fn table(self) -> &'static str {
        match self {
            StatusRelation::Favourite => "favourite",
            StatusRelation::Bookmark => "bookmark",
        }
    }
}

impl Tx {
    /// Records a follow request; returns false when one was already waiting.
    pub async fn insert_follow_request(
        &mut self,
        account_id: i64,
        target_id: i64,
        options: &FollowOptions,
        now: i64,
    ) -> Result<bool> {
        let id = self.next_id();
        let inserted = on_tx!(rows_affected, self, conn => sqlx::query(
            "INSERT INTO follow_request (id, account_id, target_account_id, show_reblogs, notify, languages, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (account_id, target_account_id) DO NOTHING",
        )
        .bind(id)
        .bind(account_id)
        .bind(target_id)
        .bind(options.show_reblogs.unwrap_or(true))
        .bind(options.notify.unwrap_or(false))
        .bind(options.stored_languages())
        .bind(now)
        .execute(conn)
        .await)?;
        Ok(inserted == 1)
    }

    /// Removes a follow request and returns its options, if there was one.
    pub async fn take_follow_request(
        &mut self,
        account_id: i64,
        target_id: i64,
    ) -> Result<Option<FollowOptions>> {
        let row: Option<(bool, bool, Option<String>)> = on_tx!(self, conn => sqlx::query_as(
            "SELECT show_reblogs, notify, languages FROM follow_request \
             WHERE account_id = $1 AND target_account_id = $2",
        )
        .bind(account_id)
        .bind(target_id)
        .fetch_optional(&mut *conn)
        .await)?;
        if row.is_some() {
            on_tx!(rows_affected, self, conn => sqlx::query(
                "DELETE FROM follow_request WHERE account_id = $1 AND target_account_id = $2",
            )
            .bind(account_id)
            .bind(target_id)
            .execute(conn)
            .await)?;
        }
        Ok(row.map(|(show_reblogs, notify, languages)| FollowOptions {
            show_reblogs: Some(show_reblogs),
            notify: Some(notify),
            languages: split_languages(languages.as_deref()),
        }))
    }

    /// Records a follow; returns false when it already existed (then only the options given
    /// change).
    pub async fn upsert_follow(
        &mut self,
        account_id: i64,
        target_id: i64,
        options: &FollowOptions,
        now: i64,
    ) -> Result<bool> {
        let id = self.next_id();
        let inserted = on_tx!(rows_affected, self, conn => sqlx::query(
            "INSERT INTO follow (id, account_id, target_account_id, show_reblogs, notify, languages, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (account_id, target_account_id) DO NOTHING",
        )
        .bind(id)
        .bind(account_id)
        .bind(target_id)
        .bind(options.show_reblogs.unwrap_or(true))
        .bind(options.notify.unwrap_or(false))
        .bind(options.stored_languages())
        .bind(now)
        .execute(&mut *conn)
        .await)?;
        if inserted == 0 {
            on_tx!(rows_affected, self, conn => sqlx::query(
                "UPDATE follow SET show_reblogs = coalesce($1, show_reblogs), \
                 notify = coalesce($2, notify), languages = coalesce($5, languages) \
                 WHERE account_id = $3 AND target_account_id = $4",
            )
            .bind(options.show_reblogs)
            .bind(options.notify)
            .bind(account_id)
            .bind(target_id)
            .bind(options.stored_languages())
            .execute(conn)
            .await)?;
            return Ok(false);
        }
        self.bump_follow_counts(account_id, target_id, 1).await?;
        Ok(true)
    }

    /// Removes a follow; returns false when there was none.
    pub async fn delete_follow(&mut self, account_id: i64, target_id: i64) -> Result<bool> {
        let deleted = on_tx!(rows_affected, self, conn => sqlx::query(
            "DELETE FROM follow WHERE account_id = $1 AND target_account_id = $2",
        )
        .bind(account_id)
        .bind(target_id)
        .execute(conn)
        .await)?;
        if deleted == 0 {
            return Ok(false);
        }
        self.bump_follow_counts(account_id, target_id, -1).await?;
        // Only followed accounts are endorsed (Mastodon's AccountPin validation).
        self.delete_endorsement(account_id, target_id).await?;
        // What the follow brought into the home feed leaves with it.
        on_tx!(rows_affected, self, conn => sqlx::query(
            "DELETE FROM home_feed WHERE account_id = $1 AND status_id IN \
             (SELECT id FROM status WHERE account_id = $2)",
        )
        .bind(account_id)
        .bind(target_id)
        .execute(conn)
        .await)?;
        // So does the target's place in the follower's lists (Mastodon: only followed accounts).
        on_tx!(rows_affected, self, conn => sqlx::query(
            "DELETE FROM list_account WHERE account_id = $2 AND list_id IN \
             (SELECT id FROM list WHERE account_id = $1)",
        )
        .bind(account_id)
        .bind(target_id)
        .execute(conn)
        .await)?;
        Ok(true)
    }

    async fn bump_follow_counts(
        &mut self,
        account_id: i64,
        target_id: i64,
        delta: i64,
    ) -> Result<()> {
        for (column, id) in [
            ("following_count", account_id),
            ("followers_count", target_id),
        ] {
            let sql = format!(
                "UPDATE account SET {column} = CASE WHEN {column} + $1 < 0 THEN 0 ELSE {column} + $1 END WHERE id = $2"
            );
            on_tx!(rows_affected, self, conn => sqlx::query(&sql).bind(delta).bind(id).execute(conn).await)?;
        }
        Ok(())
    }

    /// Blocks `target_id`: follows in both directions end, and each disappears from the
    /// other's home feed. Returns false when the block existed already.
    pub async fn insert_block(
        &mut self,
        account_id: i64,
        target_id: i64,
        now: i64,
    ) -> Result<bool> {
        let id = self.next_id();
        let inserted = on_tx!(rows_affected, self, conn => sqlx::query(
            "INSERT INTO block (id, account_id, target_account_id, created_at) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (account_id, target_account_id) DO NOTHING",
        )
        .bind(id)
        .bind(account_id)
        .bind(target_id)
        .bind(now)
        .execute(conn)
        .await)?;
        self.delete_follow(account_id, target_id).await?;
        self.delete_follow(target_id, account_id).await?;
        self.take_follow_request(account_id, target_id).await?;
        self.take_follow_request(target_id, account_id).await?;
        Ok(inserted == 1)
    }

    pub async fn delete_block(&mut self, account_id: i64, target_id: i64) -> Result<bool> {
        let deleted = on_tx!(rows_affected, self, conn => sqlx::query(
            "DELETE FROM block WHERE account_id = $1 AND target_account_id = $2",
        )
        .bind(account_id)
        .bind(target_id)
        .execute(conn)
        .await)?;
        Ok(deleted == 1)
    }

    pub async fn upsert_mute(
        &mut self,
        account_id: i64,
        target_id: i64,
        hide_notifications: bool,
        expires_at: Option<i64>,
        now: i64,
    ) -> Result<()> {
        let id = self.next_id();
        on_tx!(rows_affected, self, conn => sqlx::query(
            "INSERT INTO mute (id, account_id, target_account_id, hide_notifications, expires_at, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (account_id, target_account_id) \
             DO UPDATE SET hide_notifications = excluded.hide_notifications, expires_at = excluded.expires_at",
        )
        .bind(id)
        .bind(account_id)
        .bind(target_id)
        .bind(hide_notifications)
        .bind(expires_at)
        .bind(now)
        .execute(conn)
        .await)?;
        Ok(())
    }

    pub async fn delete_mute(&mut self, account_id: i64, target_id: i64) -> Result<bool> {
        let deleted = on_tx!(rows_affected, self, conn => sqlx::query(
            "DELETE FROM mute WHERE account_id = $1 AND target_account_id = $2",
        )
        .bind(account_id)
        .bind(target_id)
        .execute(conn)
        .await)?;
        Ok(deleted == 1)
    }

    /// Adds a favourite or bookmark; returns false when it existed already.
    pub async fn insert_status_relation(
        &mut self,
        relation: StatusRelation,
        account_id: i64,
        status_id: i64,
        now: i64,
    ) -> Result<bool> {
        let id = self.next_id();
        let sql = format!(
            "INSERT INTO {} (id, account_id, status_id, created_at) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (account_id, status_id) DO NOTHING",
            relation.table()
        );
        let inserted = on_tx!(rows_affected, self, conn => sqlx::query(&sql)
            .bind(id)
            .bind(account_id)
            .bind(status_id)
            .bind(now)
            .execute(conn)
            .await)?;
        Ok(inserted == 1)
    }

    /// Removes a favourite or bookmark; returns false when there was none.
    pub async fn delete_status_relation(
        &mut self,
        relation: StatusRelation,
        account_id: i64,
        status_id: i64,
    ) -> Result<bool> {
        let sql = format!(
            "DELETE FROM {} WHERE account_id = $1 AND status_id = $2",
            relation.table()
        );
        let deleted = on_tx!(rows_affected, self, conn => sqlx::query(&sql)
            .bind(account_id)
            .bind(status_id)
            .execute(conn)
            .await)?;
        Ok(deleted == 1)
    }

    /// Tells a user of a moderator's warning: a `moderation_warning` notification from the
    /// user's own account, as Mastodon writes it, that nothing filters out.
    pub async fn insert_warning_notification(
        &mut self,
        account_id: i64,
        warning_id: i64,
        now: i64,
    ) -> Result<i64> {
        let id = self.next_id();
        on_tx!(rows_affected, self, conn => sqlx::query(
            "INSERT INTO notification (id, account_id, from_account_id, kind, created_at, \
             account_warning_id) VALUES ($1, $2, $2, 'moderation_warning', $3, $4)",
        )
        .bind(id)
        .bind(account_id)
        .bind(now)
        .bind(warning_id)
        .execute(conn)
        .await)?;
        Ok(id)
    }

    /// Tells `recipients` (staff) of something for them (`admin.report` with its report,
    /// `admin.sign_up`), from `from_account_id`; returns (recipient, notification) pairs.
    pub async fn insert_staff_notifications(
        &mut self,
        recipients: &[i64],
        kind: &str,
        from_account_id: i64,
        report_id: Option<i64>,
        now: i64,
    ) -> Result<Vec<(i64, i64)>> {
        let mut told = Vec::new();
        for &account_id in recipients {
            let id = self.next_id();
            let inserted = on_tx!(rows_affected, self, conn => sqlx::query(
                "INSERT INTO notification (id, account_id, from_account_id, kind, created_at, \
                 report_id) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING",
            )
            .bind(id)
            .bind(account_id)
            .bind(from_account_id)
            .bind(kind)
            .bind(now)
            .bind(report_id)
            .execute(conn)
            .await)?;
            if inserted == 1 {
                told.push((account_id, id));
            }
        }
        Ok(told)
    }

    /// Records a notification (`filtered`: kept aside by the recipient's policy) unless the
    /// recipient blocks or mutes (with notifications) the sender, blocks the sender's domain
    /// without following the sender, has muted the thread of the status it is about, or the
    /// same one exists (Mastodon's `NotifyService` drop conditions). Returns its id when one
    /// was written.
    pub async fn insert_notification(
        &mut self,
        account_id: i64,
        from_account_id: i64,
        kind: &str,
        status_id: Option<i64>,
        filtered: bool,
        now: i64,
    ) -> Result<Option<i64>> {
        let id = self.next_id();
        let sql = format!(
            "INSERT INTO notification (id, account_id, from_account_id, kind, status_id, created_at, \
             filtered) SELECT $1, $2, $3, $4, $5, $6, $7 WHERE $2 <> $3 \
             AND NOT EXISTS (SELECT 1 FROM block WHERE (account_id = $2 AND target_account_id = $3) \
                                                    OR (account_id = $3 AND target_account_id = $2)) \
             AND NOT EXISTS (SELECT 1 FROM mute WHERE account_id = $2 AND target_account_id = $3 \
                             AND hide_notifications AND (expires_at IS NULL OR expires_at > $6)) \
             AND NOT EXISTS (SELECT 1 FROM account fa JOIN account_domain_block d \
                             ON d.account_id = $2 AND d.domain = lower(fa.domain) WHERE fa.id = $3 \
                             AND NOT EXISTS (SELECT 1 FROM follow WHERE account_id = $2 AND target_account_id = $3)) \
             AND NOT {} \
             ON CONFLICT DO NOTHING",
            crate::thread_mutes::thread_muted("$2", "$5")
        );
        let inserted = on_tx!(rows_affected, self, conn => sqlx::query(&sql)
        .bind(id)
        .bind(account_id)
        .bind(from_account_id)
        .bind(kind)
        .bind(status_id)
        .bind(now)
        .bind(filtered)
        .execute(conn)
        .await)?;
        Ok((inserted == 1).then_some(id))
    }

    /// Removes the notification a retracted action caused (an unfavourite, an unfollow).
    pub async fn delete_notification(
        &mut self,
        account_id: i64,
        from_account_id: i64,
        kind: &str,
        status_id: Option<i64>,
    ) -> Result<()> {
        on_tx!(rows_affected, self, conn => sqlx::query(
            "DELETE FROM notification WHERE account_id = $1 AND from_account_id = $2 AND kind = $3 \
             AND coalesce(status_id, 0) = coalesce($4, 0)",
        )
        .bind(account_id)
        .bind(from_account_id)
        .bind(kind)
        .bind(status_id)
        .execute(conn)
        .await)?;
        Ok(())
    }

    /// Removes every notification `account_id` has from `from_account_id` (what a mute with
    /// notifications does in Mastodon, through `AfterBlockService`).
    pub async fn delete_notifications_from(
        &mut self,
        account_id: i64,
        from_account_id: i64,
    ) -> Result<()> {
        on_tx!(rows_affected, self, conn => sqlx::query(
            "DELETE FROM notification WHERE account_id = $1 AND from_account_id = $2",
        )
        .bind(account_id)
        .bind(from_account_id)
        .execute(conn)
        .await)?;
        Ok(())
    }
}

impl Db {
    /// Those of `follower_ids` who follow `author_id` asking to be notified of its posts.
    pub async fn followers_notified_of_posts(
        &self,
        author_id: i64,
        follower_ids: &[i64],
    ) -> Result<Vec<i64>> {
        if follower_ids.is_empty() {
            return Ok(Vec::new());
        }
        let sql = format!(
            "SELECT account_id FROM follow WHERE target_account_id = $1 AND notify \
             AND account_id {} ORDER BY account_id",
            in_list(self.engine(), "$2")
        );
        let rows: Vec<(i64,)> = on_reader!(self, pool => sqlx::query_as(&sql)
            .bind(author_id)
            .bind(List(follower_ids))
            .fetch_all(pool)
            .await)?;
        Ok(rows.into_iter().map(|(id,)| id).collect())
    }

    /// How `account_id` relates to each of `target_ids` (one row each, in the given order).
    pub async fn relationships(
        &self,
        account_id: i64,
        target_ids: &[i64],
    ) -> Result<Vec<RelationshipRow>> {
        let now = crate::now_millis();
        let mut rows = Vec::with_capacity(target_ids.len());
        // One query per target would be simplest; one query for all keeps lists cheap.
        if target_ids.is_empty() {
            return Ok(rows);
        }
        let ids = in_list(self.engine(), "$3");
        let sql = format!(
            "SELECT a.id AS target_id, \
               EXISTS (SELECT 1 FROM follow f WHERE f.account_id = $1 AND f.target_account_id = a.id) AS following, \
               coalesce((SELECT f.show_reblogs FROM follow f WHERE f.account_id = $1 AND f.target_account_id = a.id), FALSE) AS showing_reblogs, \
               coalesce((SELECT f.notify FROM follow f WHERE f.account_id = $1 AND f.target_account_id = a.id), FALSE) AS notifying, \
               EXISTS (SELECT 1 FROM follow f WHERE f.account_id = a.id AND f.target_account_id = $1) AS followed_by, \
               EXISTS (SELECT 1 FROM block b WHERE b.account_id = $1 AND b.target_account_id = a.id) AS blocking, \
               EXISTS (SELECT 1 FROM block b WHERE b.account_id = a.id AND b.target_account_id = $1) AS blocked_by, \
               EXISTS (SELECT 1 FROM mute m WHERE m.account_id = $1 AND m.target_account_id = a.id \
                       AND (m.expires_at IS NULL OR m.expires_at > $2)) AS muting, \
               coalesce((SELECT m.hide_notifications FROM mute m WHERE m.account_id = $1 AND m.target_account_id = a.id \
                       AND (m.expires_at IS NULL OR m.expires_at > $2)), FALSE) AS muting_notifications, \
               (SELECT m.expires_at FROM mute m WHERE m.account_id = $1 AND m.target_account_id = a.id) AS muting_expires_at, \
               (SELECT f.languages FROM follow f WHERE f.account_id = $1 AND f.target_account_id = a.id) AS languages, \
               EXISTS (SELECT 1 FROM endorsement e WHERE e.account_id = $1 AND e.target_account_id = a.id) AS endorsed, \
               EXISTS (SELECT 1 FROM follow_request r WHERE r.account_id = $1 AND r.target_account_id = a.id) AS requested, \
               EXISTS (SELECT 1 FROM follow_request r WHERE r.account_id = a.id AND r.target_account_id = $1) AS requested_by, \
               (SELECT n.comment FROM account_note n WHERE n.account_id = $1 AND n.target_account_id = a.id) AS note, \
               EXISTS (SELECT 1 FROM account_domain_block d WHERE d.account_id = $1 AND d.domain = lower(a.domain)) AS domain_blocking \
             FROM account a WHERE a.id {ids}"
        );
        let found = on_reader!(self, pool => sqlx::query_as::<_, RelationshipRow>(&sql)
            .bind(account_id)
            .bind(now)
            .bind(List(target_ids))
            .fetch_all(pool)
            .await)?;
        for target in target_ids {
            if let Some(row) = found.iter().find(|row| row.target_id == *target) {
                rows.push(row.clone());
            }
        }
        Ok(rows)
    }

    /// Followers or followed accounts of `account_id`, newest follow first, paginated on the
    /// follow's id. Returns (follow id, account id) pairs.
    pub async fn follows_page(
        &self,
        account_id: i64,
        side: FollowSide,
        page: Page,
    ) -> Result<Vec<(i64, i64)>> {
        let rows = match side {
            FollowSide::Followers => {
                "SELECT id, account_id FROM follow WHERE target_account_id = $1"
            }
            FollowSide::Following => {
                "SELECT id, target_account_id FROM follow WHERE account_id = $1"
            }
        };
        self.id_pairs_page(rows, account_id, page).await
    }

    /// The accounts `account_id` blocks (or mutes), newest first: (row id, target id) pairs.
    pub async fn blocks_or_mutes_page(
        &self,
        account_id: i64,
        kind: BlockOrMute,
        page: Page,
    ) -> Result<Vec<(i64, i64)>> {
        let rows = match kind {
            BlockOrMute::Block => "SELECT id, target_account_id FROM block WHERE account_id = $1",
            BlockOrMute::Mute => "SELECT id, target_account_id FROM mute WHERE account_id = $1",
        };
        self.id_pairs_page(rows, account_id, page).await
    }

    /// Pending follow requests to `account_id`, newest first: (request id, requester id).
    pub async fn follow_requests_page(
        &self,
        account_id: i64,
        page: Page,
    ) -> Result<Vec<(i64, i64)>> {
        self.id_pairs_page(
            "SELECT id, account_id FROM follow_request WHERE target_account_id = $1",
            account_id,
            page,
        )
        .await
    }

    pub async fn count_follow_requests(&self, account_id: i64) -> Result<i64> {
        let (count,): (i64,) = on_reader!(self, pool => sqlx::query_as(
            "SELECT count(*) FROM follow_request WHERE target_account_id = $1",
        )
        .bind(account_id)
        .fetch_one(pool)
        .await)?;
        Ok(count)
    }

    /// Accounts that favourited (or reblogged) a status, newest first.
    pub async fn status_actors(
        &self,
        status_id: i64,
        interaction: StatusInteraction,
        page: Page,
    ) -> Result<Vec<(i64, i64)>> {
        let rows = match interaction {
            StatusInteraction::Reblog => {
                "SELECT id, account_id FROM status WHERE reblog_of_id = $1"
            }
            StatusInteraction::Favourite => {
                "SELECT id, account_id FROM favourite WHERE status_id = $1"
            }
        };
        self.id_pairs_page(rows, status_id, page).await
    }

    /// The viewer's favourites or bookmarks, newest first: (relation id, status id) pairs.
    pub async fn status_relations_page(
        &self,
        relation: StatusRelation,
        account_id: i64,
        page: Page,
    ) -> Result<Vec<(i64, i64)>> {
        let rows = format!(
            "SELECT id, status_id FROM {} WHERE account_id = $1",
            relation.table()
        );
        self.id_pairs_page(&rows, account_id, page).await
    }

    /// A page of `(row id, other id)` pairs from `rows` (a `SELECT id, … WHERE … = $1` over one
    /// owner), newest row first, windowed on the row id by `page` as Mastodon pages lists whose
    /// cursors are not the entities' own ids (followers, favourites, blocks…).
    pub(crate) async fn id_pairs_page(
        &self,
        rows: &str,
        owner: i64,
        page: Page,
    ) -> Result<Vec<(i64, i64)>> {
        let sql = format!(
            "SELECT * FROM ({rows}) x WHERE ($2 IS NULL OR x.id < $2) AND ($3 IS NULL OR x.id > $3) \
             ORDER BY x.id {} LIMIT $4",
            page.order()
        );
        let rows: Vec<(i64, i64)> = on_reader!(self, pool => sqlx::query_as(&sql)
            .bind(owner)
            .bind(page.max_id)
            .bind(page.lower_bound())
            .bind(page.limit)
            .fetch_all(pool)
            .await)?;
        Ok(page.newest_first(rows))
    }

    /// A page of an account's notifications, as `query` narrows them.
    pub async fn notifications_page(
        &self,
        account_id: i64,
        query: &NotificationQuery,
        page: Page,
    ) -> Result<Vec<NotificationRow>> {
        let order = if page.min_id.is_some() { "ASC" } else { "DESC" };
        // One statement text whatever the query, so that it is prepared once: the flags $8
        // (no kind asked for), $9 (none left out), $10 (filtered ones shown) switch the
        // conditions off. A sender's own notifications are shown filtered or not, as Mastodon
        // shows a request's.
        let sql = format!(
            "SELECT n.id, n.account_id, n.from_account_id, n.kind, n.status_id, n.created_at, \
             n.account_warning_id, n.report_id FROM notification n \
             WHERE n.account_id = $1 AND ($2 IS NULL OR n.id < $2) AND ($3 IS NULL OR n.id > $3) \
             AND ($8 OR n.kind {}) AND ($9 OR NOT n.kind {}) AND ($10 OR NOT n.filtered) \
             AND ($7 IS NULL OR n.from_account_id = $7) \
             AND NOT EXISTS (SELECT 1 FROM block b WHERE b.account_id = $1 AND b.target_account_id = n.from_account_id) \
             ORDER BY n.id {order} LIMIT $4",
            in_list(self.engine(), "$5"),
            in_list(self.engine(), "$6"),
        );
        let mut rows = on_reader!(self, pool => sqlx::query_as::<_, NotificationRow>(&sql)
            .bind(account_id)
            .bind(page.max_id)
            .bind(page.since_id.or(page.min_id))
            .bind(page.limit)
            .bind(List(&query.types))
            .bind(List(&query.exclude))
            .bind(query.from_account_id)
            .bind(query.types.is_empty())
            .bind(query.exclude.is_empty())
            .bind(query.include_filtered || query.from_account_id.is_some())
            .fetch_all(pool)
            .await)?;
        if page.min_id.is_some() {
            rows.reverse();
        }
        Ok(rows)
    }

    pub async fn notification(&self, account_id: i64, id: i64) -> Result<Option<NotificationRow>> {
        let row = on_reader!(self, pool => sqlx::query_as::<_, NotificationRow>(
            "SELECT id, account_id, from_account_id, kind, status_id, created_at, account_warning_id, \
             report_id FROM notification \
             WHERE account_id = $1 AND id = $2",
        )
        .bind(account_id)
        .bind(id)
        .fetch_optional(pool)
        .await)?;
        Ok(row)
    }

    /// Deletes one notification (`Some(id)`) or all of an account's; returns how many.
    pub async fn dismiss_notifications(&self, account_id: i64, id: Option<i64>) -> Result<u64> {
        let deleted = crate::connect::on_writer!(rows_affected, self, pool => sqlx::query(
            "DELETE FROM notification WHERE account_id = $1 AND ($2 IS NULL OR id = $2)",
        )
        .bind(account_id)
        .bind(id)
        .execute(pool)
        .await)?;
        Ok(deleted)
    }
}
