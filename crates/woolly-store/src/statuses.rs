//! Status rows and the queries that read them: by id, by account, the public, tag, home and
//! list timelines, and threads.
//!
//! Visibility is decided in SQL, by [`visible_to`], so that every list query filters in the
//! database and pages stay full. The rules are
//! Mastodon's, documented in `woolly_core::visibility`; these are their only SQL spellings.

use std::sync::LazyLock;

use crate::arrays::{List, in_list};
use crate::connect::{Db, Tx, on_reader, on_tx};
use crate::error::Result;
use crate::sqlite_reads::Param;

/// One row of `status`.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct StatusRow {
    pub id: i64,
    pub uri: String,
    pub url: Option<String>,
    pub account_id: i64,
    pub is_local: bool,
    pub in_reply_to_id: Option<i64>,
    pub in_reply_to_account_id: Option<i64>,
    pub reblog_of_id: Option<i64>,
    pub text: String,
    pub content: String,
    pub spoiler_text: String,
    pub sensitive: bool,
    pub visibility: String,
    pub language: Option<String>,
    pub app_id: Option<i64>,
    pub replies_count: i64,
    pub reblogs_count: i64,
    pub favourites_count: i64,
    pub created_at: i64,
    pub edited_at: Option<i64>,
    /// The first status of its thread (see `insert_status`).
    pub thread_id: i64,
    /// The preview of its first link, once a job read it.
    pub card_id: Option<i64>,
}

pub(crate) const STATUS_COLUMNS: &str = "s.id, s.uri, s.url, s.account_id, s.is_local, s.in_reply_to_id, \
     s.in_reply_to_account_id, s.reblog_of_id, s.text, s.content, s.spoiler_text, s.sensitive, \
     s.visibility, s.language, s.app_id, s.replies_count, s.reblogs_count, s.favourites_count, \
     s.created_at, s.edited_at, s.thread_id, s.card_id";

impl crate::sqlite_reads::ReadRow for StatusRow {
    const COLUMNS: &'static [&'static str] = &[
        "id",
        "uri",
        "url",
        "account_id",
        "is_local",
        "in_reply_to_id",
        "in_reply_to_account_id",
        "reblog_of_id",
        "text",
        "content",
        "spoiler_text",
        "sensitive",
        "visibility",
        "language",
        "app_id",
        "replies_count",
        "reblogs_count",
        "favourites_count",
        "created_at",
        "edited_at",
        "thread_id",
        "card_id",
    ];

    fn read(columns: &mut crate::sqlite_reads::Columns<'_, '_>) -> rusqlite::Result<Self> {
        Ok(StatusRow {
            id: columns.value()?,
            uri: columns.value()?,
            url: columns.value()?,
            account_id: columns.value()?,
            is_local: columns.value()?,
            in_reply_to_id: columns.value()?,
            in_reply_to_account_id: columns.value()?,
            reblog_of_id: columns.value()?,
            text: columns.value()?,
            content: columns.value()?,
            spoiler_text: columns.value()?,
            sensitive: columns.value()?,
            visibility: columns.value()?,
            language: columns.value()?,
            app_id: columns.value()?,
            replies_count: columns.value()?,
            reblogs_count: columns.value()?,
            favourites_count: columns.value()?,
            created_at: columns.value()?,
            edited_at: columns.value()?,
            thread_id: columns.value()?,
            card_id: columns.value()?,
        })
    }
}

/// Where a page of a list starts and ends, in Mastodon's terms.
#[derive(Debug, Clone, Copy, Default)]
pub struct Page {
    /// Only rows with a smaller id (older).
    pub max_id: Option<i64>,
    /// Only rows with a greater id, newest first.
    pub since_id: Option<i64>,
    /// Only rows with a greater id, the ones right after it (oldest first, then reversed).
    pub min_id: Option<i64>,
    pub limit: i64,
}

impl Page {
    pub(crate) fn lower_bound(&self) -> Option<i64> {
        match (self.since_id, self.min_id) {
            (Some(since), Some(min)) => Some(since.max(min)),
            (since, min) => since.or(min),
        }
    }

    /// `ASC` when paging forward from `min_id`, else `DESC`.
    pub(crate) fn order(&self) -> &'static str {
        if self.min_id.is_some() { "ASC" } else { "DESC" }
    }

    /// Puts rows fetched in [`Page::order`] back newest first.
    pub(crate) fn newest_first<T>(&self, mut rows: Vec<T>) -> Vec<T> {
        if self.min_id.is_some() {
            rows.reverse();
        }
        rows
    }
}

/// The SQL condition "status `alias` is visible to the account bound as `viewer`" (`viewer`
/// is a placeholder such as `$1`, bound to NULL for an anonymous reader): public and unlisted
/// posts to everyone, private posts to followers, private and direct posts to the accounts they
/// mention, every post to its author; never across a block, in either direction.
pub(crate) fn visible_to(alias: &str, viewer: &str) -> String {
    format!(
        "(({alias}.visibility IN ('public', 'unlisted') \
           OR {alias}.account_id = {viewer} \
           OR ({alias}.visibility = 'private' AND EXISTS (SELECT 1 FROM follow vf \
                 WHERE vf.account_id = {viewer} AND vf.target_account_id = {alias}.account_id)) \
           OR EXISTS (SELECT 1 FROM status_mention vm \
                 WHERE vm.status_id = {alias}.id AND vm.account_id = {viewer})) \
         AND ({} OR NOT EXISTS (SELECT 1 FROM block vb \
                 WHERE (vb.account_id = {viewer} AND vb.target_account_id = {alias}.account_id) \
                    OR (vb.account_id = {alias}.account_id AND vb.target_account_id = {viewer}))))",
        viewer_has_none(
            "block",
            "vb0",
            viewer,
            &format!(" OR vb0.target_account_id = {viewer}")
        )
    )
}

/// "The viewer has no row in `table`" (with `more`, a further condition ORed to the match on
/// `account_id`): asked before a per-status look for a block, a mute or the like, which it
/// spares the many readers who have none. It does not depend on the status, so SQLite and
/// PostgreSQL evaluate it once per statement, not once per status (measured: the per-status
/// looks were about half of the home timeline's listing).
fn viewer_has_none(table: &str, alias: &str, viewer: &str, more: &str) -> String {
    format!("NOT EXISTS (SELECT 1 FROM {table} {alias} WHERE {alias}.account_id = {viewer}{more})")
}

/// "The author of `s` is not silenced": a silenced (limited) account's posts reach only its
/// followers, never the public and hashtag timelines (Mastodon's `PublicFeed` merges
/// `Account.without_silenced`). Whether any account is silenced is asked first, once per
/// statement and from an index, which spares the per-status look on a server that silenced
/// nobody.
pub(crate) const NOT_SILENCED: &str = "(NOT EXISTS (SELECT 1 FROM account sa0 WHERE sa0.silenced_at IS NOT NULL) \
     OR NOT EXISTS (SELECT 1 FROM account sa WHERE sa.id = s.account_id AND sa.silenced_at IS NOT NULL))";

/// "The viewer has not muted the author" (mutes hide from timelines, not from direct reads);
/// `now` is the placeholder the current time in milliseconds is bound to.
pub(crate) fn not_muted(alias: &str, viewer: &str, now: &str) -> String {
    format!(
        "({} OR NOT EXISTS (SELECT 1 FROM mute vmu WHERE vmu.account_id = {viewer} \
           AND vmu.target_account_id = {alias}.account_id \
           AND (vmu.expires_at IS NULL OR vmu.expires_at > {now})))",
        viewer_has_none("mute", "vmu0", viewer, "")
    )
}

/// "The viewer blocks neither the domain of the status's author nor, for a reblog, that of the
/// reblogged status's author" (Mastodon hides both from timelines: `not_domain_blocked_by_account`
/// and `FeedManager#filter_from_home?`). Local accounts have no domain and are never hidden.
fn not_domain_blocked(viewer: &str) -> String {
    let blocked = |author: &str| {
        format!(
            "EXISTS (SELECT 1 FROM account vda JOIN account_domain_block vdb \
               ON vdb.account_id = {viewer} AND vdb.domain = lower(vda.domain) WHERE vda.id = {author})"
        )
    };
    format!(
        "({} OR (NOT {} AND (s.reblog_of_id IS NULL OR NOT {})))",
        viewer_has_none("account_domain_block", "vdb0", viewer, ""),
        blocked("s.account_id"),
        blocked("(SELECT r.account_id FROM status r WHERE r.id = s.reblog_of_id)")
    )
}

/// "The viewer has not muted the author of the status `s` reblogs" (Mastodon's home and list
/// feeds and profiles drop such reblogs).
fn reblogged_not_muted(viewer: &str, now: &str) -> String {
    format!(
        "(s.reblog_of_id IS NULL OR NOT EXISTS (SELECT 1 FROM status mr \
           WHERE mr.id = s.reblog_of_id AND NOT {}))",
        not_muted("mr", viewer, now)
    )
}

/// A reblog is visible when it and the status it reblogs both are.
fn visible_with_reblogged(viewer: &str) -> String {
    format!(
        "{} AND (s.reblog_of_id IS NULL OR EXISTS (SELECT 1 FROM status r WHERE r.id = s.reblog_of_id AND {}))",
        visible_to("s", viewer),
        visible_to("r", viewer)
    )
}

/// The hashtags a tag timeline shows (Mastodon's `any[]`, `all[]` and `none[]`): statuses with
/// at least one of `any`, every one of `all` and none of `none`. Names are lowercase.
#[derive(Debug, Clone, Default)]
pub struct TagSelection {
    pub any: Vec<String>,
    pub all: Vec<String>,
    pub none: Vec<String>,
}

/// Which of an account's statuses to list.
#[derive(Debug, Clone, Default)]
pub struct AccountStatusesFilter {
    pub exclude_replies: bool,
    pub exclude_reblogs: bool,
    /// Only statuses with this hashtag.
    pub tagged: Option<String>,
    /// Only statuses with media attachments.
    pub only_media: bool,
}

/// "The status `s` is no reblog", as a list query filters. On SQLite the unary plus keeps it a
/// filter: without table statistics SQLite reads it as a lookup on `status_reblog_of`, which
/// returns nearly every status to be sorted (4.6 s for a public page of 100,000 statuses),
/// instead of walking the statuses newest first and stopping at the page's end. PostgreSQL
/// needs it plain: it matches the partial index `status_public`, and a plus made its generic
/// plan (used once a statement has run five times) scan 100,000 rows.
fn no_reblog(engine: crate::connect::Engine) -> &'static str {
    match engine {
        crate::connect::Engine::Sqlite => "+s.reblog_of_id IS NULL",
        crate::connect::Engine::Postgres => "s.reblog_of_id IS NULL",
    }
}

/// "The status has media attachments."
const MEDIA_ONLY: &str = "AND EXISTS (SELECT 1 FROM media_attachment ma WHERE ma.status_id = s.id)";

/// What creating a status writes.
#[derive(Debug, Clone)]
pub struct NewStatus {
    pub id: i64,
    pub uri: String,
    pub url: Option<String>,
    pub account_id: i64,
    pub is_local: bool,
    pub in_reply_to_id: Option<i64>,
    pub in_reply_to_account_id: Option<i64>,
    pub reblog_of_id: Option<i64>,
    pub text: String,
    pub content: String,
    pub spoiler_text: String,
    pub sensitive: bool,
    pub visibility: String,
    pub language: Option<String>,
    pub app_id: Option<i64>,
    pub created_at: i64,
}

/// Which counter of a status to move.
#[derive(Debug, Clone, Copy)]
pub enum StatusCounter {
    Replies,
    Reblogs,
    Favourites,
}

impl StatusCounter {
    fn column(self) -> &'static str {
        match self {
            StatusCounter::Replies => "replies_count",
            StatusCounter::Reblogs => "reblogs_count",
            StatusCounter::Favourites => "favourites_count",
        }
    }
}

impl Tx {
    /// Inserts a status. Its thread is derived here, so that every writer (posting, reblogging,
    /// federation) agrees: a reblog joins the reblogged status's thread, a reply its parent's
    /// (when the parent is known), and anything else starts its own.
    pub async fn insert_status(&mut self, new: &NewStatus) -> Result<()> {
        on_tx!(rows_affected, self, conn => sqlx::query(
            "INSERT INTO status (id, uri, url, account_id, is_local, in_reply_to_id, \
             in_reply_to_account_id, reblog_of_id, text, content, spoiler_text, sensitive, \
             visibility, language, app_id, created_at, thread_id) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, \
             coalesce((SELECT o.thread_id FROM status o WHERE o.id = $8), \
                      (SELECT p.thread_id FROM status p WHERE p.id = $6), $1))",
        )
        .bind(new.id)
        .bind(&new.uri)
        .bind(&new.url)
        .bind(new.account_id)
        .bind(new.is_local)
        .bind(new.in_reply_to_id)
        .bind(new.in_reply_to_account_id)
        .bind(new.reblog_of_id)
        .bind(&new.text)
        .bind(&new.content)
        .bind(&new.spoiler_text)
        .bind(new.sensitive)
        .bind(&new.visibility)
        .bind(&new.language)
        .bind(new.app_id)
        .bind(new.created_at)
        .execute(conn)
        .await)?;
        Ok(())
    }

    pub async fn insert_mention(&mut self, status_id: i64, account_id: i64) -> Result<()> {
        on_tx!(rows_affected, self, conn => sqlx::query(
            "INSERT INTO status_mention (status_id, account_id) VALUES ($1, $2) ON CONFLICT DO NOTHING",
        )
        .bind(status_id)
        .bind(account_id)
        .execute(conn)
        .await)?;
        Ok(())
    }

    pub async fn insert_tag(&mut self, status_id: i64, name: &str) -> Result<()> {
        on_tx!(rows_affected, self, conn => sqlx::query(
            "INSERT INTO status_tag (status_id, name) VALUES ($1, $2) ON CONFLICT DO NOTHING",
        )
        .bind(status_id)
        .bind(name)
        .execute(conn)
        .await)?;
        Ok(())
    }

    /// Moves a status counter by `delta`, never below zero.
    pub async fn bump_status(
        &mut self,
        status_id: i64,
        counter: StatusCounter,
        delta: i64,
    ) -> Result<()> {
        let column = counter.column();
        let sql = format!(
            "UPDATE status SET {column} = CASE WHEN {column} + $1 < 0 THEN 0 ELSE {column} + $1 END WHERE id = $2"
        );
        on_tx!(rows_affected, self, conn => sqlx::query(&sql)
            .bind(delta)
            .bind(status_id)
            .execute(conn)
            .await)?;
        Ok(())
    }

    /// Moves an account's status count by `delta` and, when posting, its `last_status_at`.
    pub async fn bump_account_statuses(
        &mut self,
        account_id: i64,
        delta: i64,
        posted_at: Option<i64>,
    ) -> Result<()> {
        on_tx!(rows_affected, self, conn => sqlx::query(
            "UPDATE account SET statuses_count = CASE WHEN statuses_count + $1 < 0 THEN 0 \
             ELSE statuses_count + $1 END, last_status_at = coalesce($2, last_status_at) WHERE id = $3",
        )
        .bind(delta)
        .bind(posted_at)
        .bind(account_id)
        .execute(conn)
        .await)?;
        Ok(())
    }

    pub async fn add_to_home_feed(&mut self, account_id: i64, status_id: i64) -> Result<()> {
        on_tx!(rows_affected, self, conn => sqlx::query(
            "INSERT INTO home_feed (account_id, status_id) VALUES ($1, $2) ON CONFLICT DO NOTHING",
        )
        .bind(account_id)
        .bind(status_id)
        .execute(conn)
        .await)?;
        Ok(())
    }

    /// Deletes a status (its reblogs, mentions, tags, feed entries, favourites and
    /// notifications go with it). Returns false when it did not exist.
    pub async fn delete_status(&mut self, status_id: i64) -> Result<bool> {
        let deleted = on_tx!(rows_affected, self, conn => sqlx::query("DELETE FROM status WHERE id = $1")
            .bind(status_id)
            .execute(conn)
            .await)?;
        Ok(deleted == 1)
    }

    /// A status read inside the transaction (to act on the current row).
    pub async fn status_for_update(&mut self, status_id: i64) -> Result<Option<StatusRow>> {
        let sql = format!("SELECT {STATUS_COLUMNS} FROM status s WHERE s.id = $1");
        let row = on_tx!(self, conn => sqlx::query_as::<_, StatusRow>(&sql)
            .bind(status_id)
            .fetch_optional(conn)
            .await)?;
        Ok(row)
    }

    /// The status with this ActivityPub id, if it is stored.
    pub async fn status_id_by_uri(&mut self, uri: &str) -> Result<Option<i64>> {
        let row: Option<(i64,)> = on_tx!(self, conn => sqlx::query_as(
            "SELECT id FROM status WHERE uri = $1",
        )
        .bind(uri)
        .fetch_optional(conn)
        .await)?;
        Ok(row.map(|(id,)| id))
    }

    /// The reblog of `status_id` by `account_id`, if any.
    pub async fn reblog_by(&mut self, account_id: i64, status_id: i64) -> Result<Option<i64>> {
        let row: Option<(i64,)> = on_tx!(self, conn => sqlx::query_as(
            "SELECT id FROM status WHERE reblog_of_id = $1 AND account_id = $2",
        )
        .bind(status_id)
        .bind(account_id)
        .fetch_optional(conn)
        .await)?;
        Ok(row.map(|(id,)| id))
    }
}

impl Tx {
    /// The status an `Idempotency-Key` created within the last hour, if any.
    pub async fn idempotent_status(
        &mut self,
        account_id: i64,
        key: &str,
        since: i64,
    ) -> Result<Option<i64>> {
        let row: Option<(i64,)> = on_tx!(self, conn => sqlx::query_as(
            "SELECT status_id FROM idempotency_key WHERE account_id = $1 AND key = $2 AND created_at >= $3",
        )
        .bind(account_id)
        .bind(key)
        .bind(since)
        .fetch_optional(conn)
        .await)?;
        Ok(row.map(|(id,)| id))
    }

    /// Remembers which status an `Idempotency-Key` created (replacing an expired entry).
    pub async fn remember_idempotency_key(
        &mut self,
        account_id: i64,
        key: &str,
        status_id: i64,
        now: i64,
    ) -> Result<()> {
        on_tx!(rows_affected, self, conn => sqlx::query(
            "INSERT INTO idempotency_key (account_id, key, status_id, created_at) VALUES ($1, $2, $3, $4)              ON CONFLICT (account_id, key) DO UPDATE SET status_id = excluded.status_id, created_at = excluded.created_at",
        )
        .bind(account_id)
        .bind(key)
        .bind(status_id)
        .bind(now)
        .execute(conn)
        .await)?;
        Ok(())
    }

    /// Local accounts by username (lower-case), for resolving mentions.
    pub async fn local_accounts_named(
        &mut self,
        usernames: &[String],
    ) -> Result<Vec<crate::AccountRow>> {
        let mut found = Vec::new();
        for username in usernames {
            let sql = format!(
                "SELECT {} FROM account WHERE lower(username) = lower($1) AND domain IS NULL \
                 AND {}",
                crate::accounts::ACCOUNT_COLUMNS,
                crate::accounts::shown("account")
            );
            let row = on_tx!(self, conn => sqlx::query_as::<_, crate::AccountRow>(&sql)
                .bind(username)
                .fetch_optional(conn)
                .await)?;
            found.extend(row);
        }
        Ok(found)
    }
}

impl Tx {
    /// The known remote accounts among `(username, domain)` handles (case-insensitive).
    pub async fn remote_accounts_named(
        &mut self,
        handles: &[(String, String)],
    ) -> Result<Vec<crate::AccountRow>> {
        let mut found = Vec::new();
        for (username, domain) in handles {
            let sql = format!(
                "SELECT {} FROM account WHERE lower(username) = lower($1) AND lower(domain) = lower($2)",
                crate::accounts::ACCOUNT_COLUMNS
            );
            let row = on_tx!(self, conn => sqlx::query_as::<_, crate::AccountRow>(&sql)
                .bind(username)
                .bind(domain)
                .fetch_optional(conn)
                .await)?;
            found.extend(row);
        }
        Ok(found)
    }
}

impl Db {
    /// Statuses by id, in no particular order, whoever may see them (callers have checked).
    pub async fn statuses_by_ids(&self, ids: &[i64]) -> Result<Vec<StatusRow>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let sql = crate::status_pages::statuses_by_ids_sql(self.engine().into());
        let rows = on_reader!(self, pool => sqlx::query_as::<_, StatusRow>(&sql)
            .bind(List(ids))
            .fetch_all(pool)
            .await)?;
        Ok(rows)
    }

    /// Whether `viewer` may see a status: what showing one checks first, without reading the
    /// status itself (its page read does that).
    pub async fn status_is_visible(&self, id: i64, viewer: Option<i64>) -> Result<bool> {
        static SQL: LazyLock<String> = LazyLock::new(|| {
            format!(
                "SELECT s.id FROM status s WHERE s.id = $2 AND {}",
                visible_with_reblogged("$1")
            )
        });
        let rows: Vec<(i64,)> = self
            .hot_rows(SQL.clone(), vec![viewer.into(), id.into()])
            .await?;
        Ok(!rows.is_empty())
    }

    /// A status if `viewer` may see it.
    pub async fn visible_status(&self, id: i64, viewer: Option<i64>) -> Result<Option<StatusRow>> {
        let sql = format!(
            "SELECT {STATUS_COLUMNS} FROM status s WHERE s.id = $2 AND {}",
            visible_with_reblogged("$1")
        );
        let rows: Vec<StatusRow> = self.hot_rows(sql, vec![viewer.into(), id.into()]).await?;
        Ok(rows.into_iter().next())
    }

    /// Those of `ids` that `viewer` may see.
    pub async fn visible_among(&self, ids: &[i64], viewer: Option<i64>) -> Result<Vec<i64>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let sql = format!(
            "SELECT s.id FROM status s WHERE s.id {} AND {}",
            in_list(self.engine(), "$2"),
            visible_with_reblogged("$1")
        );
        let rows: Vec<(i64,)> = on_reader!(self, pool => sqlx::query_as(&sql)
            .bind(viewer)
            .bind(List(ids))
            .fetch_all(pool)
            .await)?;
        Ok(rows.into_iter().map(|(id,)| id).collect())
    }

    /// The viewer's home timeline: ids from the fanned-out feed, still visible, not muted.
    pub async fn home_timeline(&self, viewer: i64, page: Page) -> Result<Vec<i64>> {
        // Members of the viewer's exclusive lists post to those lists, not to home (Mastodon
        // 4.2); the viewer's own posts always stay.
        let sql = format!(
            "SELECT s.id FROM home_feed h JOIN status s ON s.id = h.status_id \
             WHERE h.account_id = $1 AND ($2 IS NULL OR h.status_id < $2) AND ($3 IS NULL OR h.status_id > $3) \
             AND (s.account_id = $1 OR {} OR NOT EXISTS (SELECT 1 FROM list_account xa JOIN list xl ON xl.id = xa.list_id \
                  WHERE xl.account_id = $1 AND xl.exclusive AND xa.account_id = s.account_id)) \
             AND {} AND {} AND {} AND (s.account_id = $1 OR {}) ORDER BY h.status_id {} LIMIT $4",
            viewer_has_none("list", "xl0", "$1", " AND xl0.exclusive"),
            visible_with_reblogged("$1"),
            not_muted("s", "$1", "$5"),
            reblogged_not_muted("$1", "$5"),
            not_domain_blocked("$1"),
            page.order()
        );
        self.page_of_ids(sql, Some(viewer), page).await
    }

    /// A list's timeline as its owner (`viewer`) sees it: its members' statuses and reblogs,
    /// not direct ones (Mastodon never fans those out to lists), nor the reblogs of members
    /// whose reblogs the owner hides. Replies follow the list's `replies_policy` as Mastodon's
    /// `FeedManager#filter_from_list?` does: a self-reply (a thread) and, unless the policy is
    /// `none`, a reply to the owner always show; `list` adds replies to members, `followed`
    /// replies to accounts the owner follows.
    pub async fn list_timeline(&self, viewer: i64, list_id: i64, page: Page) -> Result<Vec<i64>> {
        let sql = format!(
            "SELECT s.id FROM list l JOIN list_account la ON la.list_id = l.id \
             JOIN status s ON s.account_id = la.account_id \
             WHERE l.id = $6 AND l.account_id = $1 AND s.visibility <> 'direct' \
             AND ($2 IS NULL OR s.id < $2) AND ($3 IS NULL OR s.id > $3) \
             AND (s.in_reply_to_id IS NULL OR s.in_reply_to_account_id = s.account_id \
                  OR (l.replies_policy <> 'none' AND (s.in_reply_to_account_id = l.account_id \
                      OR (l.replies_policy = 'list' AND EXISTS (SELECT 1 FROM list_account rla \
                          WHERE rla.list_id = l.id AND rla.account_id = s.in_reply_to_account_id)) \
                      OR (l.replies_policy = 'followed' AND EXISTS (SELECT 1 FROM follow rf \
                          WHERE rf.account_id = l.account_id AND rf.target_account_id = s.in_reply_to_account_id))))) \
             AND (s.reblog_of_id IS NULL OR NOT EXISTS (SELECT 1 FROM follow hf \
                  WHERE hf.account_id = $1 AND hf.target_account_id = s.account_id AND NOT hf.show_reblogs)) \
             AND {} AND {} AND {} AND {} ORDER BY s.id {} LIMIT $4",
            visible_with_reblogged("$1"),
            not_muted("s", "$1", "$5"),
            reblogged_not_muted("$1", "$5"),
            not_domain_blocked("$1"),
            page.order()
        );
        self.page_of_ids_with(sql, Some(viewer), page, vec![list_id.into()])
            .await
    }

    /// Whether a list timeline shows a status (the list streams' test, with the same rules).
    pub async fn list_shows(&self, viewer: i64, list_id: i64, status_id: i64) -> Result<bool> {
        let just_this = Page {
            max_id: Some(status_id.saturating_add(1)),
            since_id: Some(status_id.saturating_sub(1)),
            min_id: None,
            limit: 1,
        };
        Ok(!self
            .list_timeline(viewer, list_id, just_this)
            .await?
            .is_empty())
    }

    /// Public statuses (no reblogs, no replies to others: Mastodon's `PublicFeed`), optionally
    /// only local or only remote ones.
    pub async fn public_timeline(
        &self,
        viewer: Option<i64>,
        local: Option<bool>,
        only_media: bool,
        page: Page,
    ) -> Result<Vec<i64>> {
        let media = if only_media { MEDIA_ONLY } else { "" };
        let origin = match local {
            Some(true) => "AND s.is_local",
            Some(false) => "AND NOT s.is_local",
            None => "",
        };
        let no_reblog = no_reblog(self.engine());
        let sql = format!(
            "SELECT s.id FROM status s WHERE s.visibility = 'public' AND {no_reblog} {origin} {media} \
             AND (s.in_reply_to_id IS NULL OR s.in_reply_to_account_id = s.account_id) \
             AND ($2 IS NULL OR s.id < $2) AND ($3 IS NULL OR s.id > $3) AND {} AND {} AND {} \
             AND {NOT_SILENCED} ORDER BY s.id {} LIMIT $4",
            visible_to("s", "$1"),
            not_muted("s", "$1", "$5"),
            not_domain_blocked("$1"),
            page.order()
        );
        self.page_of_ids(sql, viewer, page).await
    }

    /// Public statuses carrying hashtag `name` (lower-case).
    pub async fn tag_timeline(
        &self,
        viewer: Option<i64>,
        tags: &TagSelection,
        local_only: bool,
        only_media: bool,
        page: Page,
    ) -> Result<Vec<i64>> {
        if tags.any.is_empty() {
            return Ok(Vec::new());
        }
        let origin = if local_only { "AND s.is_local" } else { "" };
        let media = if only_media { MEDIA_ONLY } else { "" };
        // Tag names are bound from $6 on: first `any`, then `all`, then `none`.
        let mut next = 6;
        let mut placeholders = |count: usize| {
            let list: Vec<String> = (next..next + count).map(|n| format!("${n}")).collect();
            next += count;
            list
        };
        let any = placeholders(tags.any.len()).join(", ");
        let all: String = placeholders(tags.all.len())
            .iter()
            .map(|name| {
                format!(
                    " AND EXISTS (SELECT 1 FROM status_tag ta \
                     WHERE ta.status_id = s.id AND ta.name = {name})"
                )
            })
            .collect();
        let none = if tags.none.is_empty() {
            String::new()
        } else {
            format!(
                " AND NOT EXISTS (SELECT 1 FROM status_tag tn \
                 WHERE tn.status_id = s.id AND tn.name IN ({}))",
                placeholders(tags.none.len()).join(", ")
            )
        };
        let sql = format!(
            "SELECT s.id FROM status s \
             WHERE s.id IN (SELECT t.status_id FROM status_tag t WHERE t.name IN ({any})){all}{none} \
             AND s.visibility = 'public' {origin} {media} \
             AND ($2 IS NULL OR s.id < $2) AND ($3 IS NULL OR s.id > $3) AND {} AND {} AND {} \
             AND {NOT_SILENCED} ORDER BY s.id {} LIMIT $4",
            visible_to("s", "$1"),
            not_muted("s", "$1", "$5"),
            not_domain_blocked("$1"),
            page.order()
        );
        let names = tags.any.iter().chain(&tags.all).chain(&tags.none);
        let names = names.map(|name| Param::from(name.as_str())).collect();
        self.page_of_ids_with(sql, viewer, page, names).await
    }

    /// An account's statuses as `viewer` may see them: nothing across a block (either way);
    /// reblogs of authors the viewer blocks, mutes or is blocked by are left out (Mastodon's
    /// `AccountStatusesFilter`).
    pub async fn account_statuses(
        &self,
        account_id: i64,
        viewer: Option<i64>,
        filter: &AccountStatusesFilter,
        page: Page,
    ) -> Result<Vec<i64>> {
        let replies = if filter.exclude_replies {
            // Mastodon keeps self-replies (threads) when excluding replies.
            "AND (s.in_reply_to_id IS NULL OR s.in_reply_to_account_id = s.account_id)"
        } else {
            ""
        };
        let media = if filter.only_media { MEDIA_ONLY } else { "" };
        let reblogs = if filter.exclude_reblogs {
            format!("AND {}", no_reblog(self.engine()))
        } else {
            String::new()
        };
        let sql = format!(
            "SELECT s.id FROM status s WHERE s.account_id = $6 {replies} {reblogs} {media} \
             AND ($7 IS NULL OR EXISTS (SELECT 1 FROM status_tag t WHERE t.status_id = s.id AND t.name = $7)) \
             AND ($2 IS NULL OR s.id < $2) AND ($3 IS NULL OR s.id > $3) AND {} \
             AND (s.reblog_of_id IS NULL OR EXISTS (SELECT 1 FROM status r WHERE r.id = s.reblog_of_id AND {} AND {})) \
             ORDER BY s.id {} LIMIT $4",
            visible_to("s", "$1"),
            visible_to("r", "$1"),
            not_muted("r", "$1", "$5"),
            page.order()
        );
        let tagged = filter.tagged.as_deref().map(str::to_lowercase);
        self.page_of_ids_with(sql, viewer, page, vec![account_id.into(), tagged.into()])
            .await
    }

    /// Runs a page query whose parameters are the viewer, the page's bounds and limit, and the
    /// current time (`$1` to `$5`).
    async fn page_of_ids(&self, sql: String, viewer: Option<i64>, page: Page) -> Result<Vec<i64>> {
        self.page_of_ids_with(sql, viewer, page, Vec::new()).await
    }

    /// Like [`Db::page_of_ids`], with more parameters from `$6` on.
    async fn page_of_ids_with(
        &self,
        sql: String,
        viewer: Option<i64>,
        page: Page,
        more: Vec<Param>,
    ) -> Result<Vec<i64>> {
        let mut params: Vec<Param> = vec![
            viewer.into(),
            page.max_id.into(),
            page.lower_bound().into(),
            page.limit.into(),
            crate::now_millis().into(),
        ];
        params.extend(more);
        let ids: Vec<(i64,)> = self.hot_rows(sql, params).await?;
        Ok(page.newest_first(ids.into_iter().map(|(id,)| id).collect()))
    }

    /// The visible ancestors of a status, oldest first (at most `limit`), leaving out those of
    /// authors the viewer mutes (Mastodon's `StatusFilter`).
    pub async fn ancestors(
        &self,
        status: &StatusRow,
        viewer: Option<i64>,
        limit: i64,
    ) -> Result<Vec<i64>> {
        let sql = format!(
            "WITH RECURSIVE chain(id, depth) AS ( \
                SELECT in_reply_to_id, 1 FROM status WHERE id = $2 AND in_reply_to_id IS NOT NULL \
                UNION ALL \
                SELECT p.in_reply_to_id, c.depth + 1 FROM chain c JOIN status p ON p.id = c.id \
                WHERE p.in_reply_to_id IS NOT NULL AND c.depth < $3) \
             SELECT s.id FROM chain c JOIN status s ON s.id = c.id WHERE {} AND {} AND {} ORDER BY s.id",
            visible_to("s", "$1"),
            not_muted("s", "$1", "$4"),
            not_domain_blocked("$1"),
        );
        let ids: Vec<(i64,)> = on_reader!(self, pool => sqlx::query_as(&sql)
            .bind(viewer)
            .bind(status.id)
            .bind(limit)
            .bind(crate::now_millis())
            .fetch_all(pool)
            .await)?;
        Ok(ids.into_iter().map(|(id,)| id).collect())
    }

    /// The visible descendants of a status, in reply order (at most `limit`), leaving out those
    /// of authors (and domains) the viewer mutes or blocks. As in Mastodon's `Status#descendants`
    /// and `StatusFilter`, the whole tree is walked and each reply judged on its own: a hidden
    /// reply does not hide the replies to it.
    pub async fn descendants(
        &self,
        status: &StatusRow,
        viewer: Option<i64>,
        limit: i64,
    ) -> Result<Vec<i64>> {
        let sql = format!(
            "WITH RECURSIVE tree(id, depth) AS ( \
                SELECT s.id, 1 FROM status s WHERE s.in_reply_to_id = $2 \
                UNION ALL \
                SELECT s.id, t.depth + 1 FROM tree t JOIN status s ON s.in_reply_to_id = t.id \
                WHERE t.depth < 64) \
             SELECT s.id FROM tree t JOIN status s ON s.id = t.id WHERE {} AND {} AND {} \
             ORDER BY s.id LIMIT $3",
            visible_to("s", "$1"),
            not_muted("s", "$1", "$4"),
            not_domain_blocked("$1"),
        );
        let ids: Vec<(i64,)> = on_reader!(self, pool => sqlx::query_as(&sql)
            .bind(viewer)
            .bind(status.id)
            .bind(limit)
            .bind(crate::now_millis())
            .fetch_all(pool)
            .await)?;
        Ok(ids.into_iter().map(|(id,)| id).collect())
    }

    /// Mentioned account ids of each status.
    pub async fn mentions_of(&self, status_ids: &[i64]) -> Result<Vec<(i64, i64)>> {
        if status_ids.is_empty() {
            return Ok(Vec::new());
        }
        let sql = crate::status_pages::mentions_sql(self.engine().into());
        let rows = on_reader!(self, pool => sqlx::query_as::<_, (i64, i64)>(&sql)
            .bind(List(status_ids))
            .fetch_all(pool)
            .await)?;
        Ok(rows)
    }

    /// Accounts by id.
    pub async fn accounts_by_ids(&self, ids: &[i64]) -> Result<Vec<crate::AccountRow>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let sql = crate::status_pages::accounts_by_ids_sql(self.engine().into());
        let rows = on_reader!(self, pool => sqlx::query_as::<_, crate::AccountRow>(&sql)
            .bind(List(ids))
            .fetch_all(pool)
            .await)?;
        Ok(rows)
    }

    /// Who has a status in their home feed or is mentioned in it: the user streams a deletion
    /// is sent to (Mastodon's `unpush_from_home` and `remove_from_mentions`).
    pub async fn status_audience(&self, status_id: i64) -> Result<Vec<i64>> {
        let rows: Vec<(i64,)> = on_reader!(self, pool => sqlx::query_as(
            "SELECT account_id FROM home_feed WHERE status_id = $1 \
             UNION SELECT account_id FROM status_mention WHERE status_id = $1",
        )
        .bind(status_id)
        .fetch_all(pool)
        .await)?;
        Ok(rows.into_iter().map(|(id,)| id).collect())
    }

    /// The reblog of `status_id` by `account_id`, if any.
    pub async fn reblog_of_by(&self, account_id: i64, status_id: i64) -> Result<Option<i64>> {
        let row: Option<(i64,)> = on_reader!(self, pool => sqlx::query_as(
            "SELECT id FROM status WHERE reblog_of_id = $1 AND account_id = $2",
        )
        .bind(status_id)
        .bind(account_id)
        .fetch_optional(pool)
        .await)?;
        Ok(row.map(|(id,)| id))
    }

    /// The lists that hold `member`, with their owners.
    pub async fn lists_holding(&self, member: i64) -> Result<Vec<(i64, i64)>> {
        let rows = on_reader!(self, pool => sqlx::query_as::<_, (i64, i64)>(
            "SELECT l.id, l.account_id FROM list l JOIN list_account la ON la.list_id = l.id \
             WHERE la.account_id = $1",
        )
        .bind(member)
        .fetch_all(pool)
        .await)?;
        Ok(rows)
    }

    /// Fans a direct status out to the home feeds of the local accounts it mentions that
    /// follow its author (Mastodon's `deliver_to_mentioned_followers`), unless they muted it.
    pub async fn fan_out_to_mentioned_followers(
        &self,
        status_id: i64,
        author_id: i64,
    ) -> Result<Vec<i64>> {
        let sql = format!(
            "INSERT INTO home_feed (account_id, status_id) \
             SELECT m.account_id, $1 FROM status_mention m \
             JOIN follow f ON f.account_id = m.account_id AND f.target_account_id = $2 \
             JOIN local_user u ON u.account_id = m.account_id \
             JOIN status s ON s.id = $1 \
             WHERE m.status_id = $1 AND {} ON CONFLICT DO NOTHING RETURNING account_id",
            not_muted("s", "f.account_id", "$3")
        );
        let inserted: Vec<(i64,)> = crate::connect::on_writer!(self, pool => sqlx::query_as(&sql)
            .bind(status_id)
            .bind(author_id)
            .bind(crate::now_millis())
            .fetch_all(pool)
            .await)?;
        Ok(inserted.into_iter().map(|(id,)| id).collect())
    }

    /// Fans a status out to the home feeds of the author's local followers (with reblogs
    /// shown, for a reblog; who want its language, when they chose some). Safe to run twice.
    /// Returns the accounts whose feeds got it now.
    ///
    /// As Mastodon's `FeedManager#filter_from_home` does, a reply reaches only the followers
    /// who follow the account it answers (or are that account), unless it answers the author;
    /// and nothing reaches a follower who muted the author, nor a reblog a follower who could
    /// not see (or muted) the original.
    pub async fn fan_out_to_followers(
        &self,
        status_id: i64,
        author_id: i64,
        is_reblog: bool,
    ) -> Result<Vec<i64>> {
        let reblogs = if is_reblog { "AND f.show_reblogs" } else { "" };
        let sql = format!(
            "INSERT INTO home_feed (account_id, status_id) \
             SELECT f.account_id, $1 FROM follow f JOIN local_user u ON u.account_id = f.account_id \
             JOIN status s ON s.id = $1 \
             WHERE f.target_account_id = $2 {reblogs} \
               AND (f.languages IS NULL OR s.language IS NULL \
                    OR (',' || f.languages || ',') LIKE ('%,' || s.language || ',%')) \
               AND (s.in_reply_to_account_id IS NULL OR s.in_reply_to_account_id = s.account_id \
                    OR s.in_reply_to_account_id = f.account_id \
                    OR EXISTS (SELECT 1 FROM follow rf WHERE rf.account_id = f.account_id \
                               AND rf.target_account_id = s.in_reply_to_account_id)) \
               AND {} AND {} AND {} \
             ON CONFLICT DO NOTHING RETURNING account_id",
            visible_with_reblogged("f.account_id"),
            not_muted("s", "f.account_id", "$3"),
            reblogged_not_muted("f.account_id", "$3")
        );
        let inserted: Vec<(i64,)> = crate::connect::on_writer!(self, pool => sqlx::query_as(&sql)
            .bind(status_id)
            .bind(author_id)
            .bind(crate::now_millis())
            .fetch_all(pool)
            .await)?;
        Ok(inserted.into_iter().map(|(id,)| id).collect())
    }
}
