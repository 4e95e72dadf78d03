//! Everything a page of statuses shows, read in batches of a fixed number of queries whatever the
//! page's length (each reads all the rows it needs at once, its ids bound as one [`List`]):
//!
//! - [`Db::status_page_state`], read for every page: which statuses exist, what of them changes
//!   often (counters, their author's counters, edits, profile changes: the [`StatusStamp`] a
//!   cached view is checked against), their polls, and what the viewer did with them;
//! - [`Db::status_page_rows`], read only for statuses not already cached: their text, authors
//!   and mentioned accounts, mentions, hashtags, media and posting apps.
//!
//! On SQLite each batch runs in one closure on the `rusqlite` read path: one thread hand-off
//! per batch, not one per row. PostgreSQL runs the same SQL texts through sqlx.

use std::collections::HashSet;
use std::sync::Arc;

use crate::accounts::{ACCOUNT_COLUMNS, AccountRow, shown};
use crate::arrays::{List, ListSyntax, in_list};
use crate::connect::{Db, Engine, Pools};
use crate::error::Result;
use crate::media::{MEDIA_COLUMNS, MediaRow};
use crate::oauth::AppRow;
use crate::polls::{PollOptionJoin, PollOptionRow, PollRow, group_poll_options, polls_sql};
use crate::preview_cards::{PreviewCardRow, cards_by_ids_sql};
use crate::sqlite_reads::{Columns, ReadRow, SqliteReaders, fetch_all, in_snapshot};
use crate::statuses::{STATUS_COLUMNS, StatusRow};

/// The viewer-independent rows behind statuses (see the module documentation).
#[derive(Debug, Default)]
pub struct StatusPageRows {
    /// The statuses asked for, in no particular order.
    pub statuses: Vec<StatusRow>,
    /// (status id, mentioned account id), by status then account.
    pub mentions: Vec<(i64, i64)>,
    /// The statuses' authors and the accounts they mention.
    pub accounts: Vec<AccountRow>,
    /// The statuses' media, in upload order.
    pub media: Vec<MediaRow>,
    /// (status id, hashtag), by status then name.
    pub tags: Vec<(i64, String)>,
    /// The applications the statuses were posted with.
    pub apps: Vec<AppRow>,
    /// The link previews the statuses show.
    pub cards: Vec<PreviewCardRow>,
}

/// What is read of a page of statuses on every look (see the module documentation).
#[derive(Debug, Default)]
pub struct StatusPageState {
    /// The statuses asked for and those they reblog that still exist, in no particular order.
    pub stamps: Vec<StatusStamp>,
    /// Their polls with their options, marked with the viewer's choices.
    pub polls: Vec<(PollRow, Vec<PollOptionRow>)>,
    /// What the viewer did with the statuses and their threads (see [`ViewerMark`]).
    pub marks: Vec<(i64, ViewerMark)>,
}

/// Something the viewer did with a status (or its thread), as read with a page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ViewerMark {
    Favourited,
    Reblogged,
    Bookmarked,
    Pinned,
    /// The mark's id is the thread's, not a status's.
    MutedThread,
}

impl ViewerMark {
    fn from_code(code: i32) -> Option<ViewerMark> {
        Some(match code {
            1 => ViewerMark::Favourited,
            2 => ViewerMark::Reblogged,
            3 => ViewerMark::Bookmarked,
            4 => ViewerMark::Pinned,
            5 => ViewerMark::MutedThread,
            _ => return None,
        })
    }
}

/// The viewer's marks of a page as one statement returns them: (id, mark code). The codes are
/// integer literals, which PostgreSQL types `integer`.
fn viewer_marks(rows: Vec<(i64, i32)>) -> Vec<(i64, ViewerMark)> {
    rows.into_iter()
        .filter_map(|(id, code)| Some((id, ViewerMark::from_code(code)?)))
        .collect()
}

/// Everything about a status and its author that can change while the status keeps its id,
/// except its poll and what concerns one viewer: a view built when the stamp was this one is
/// still right while the stamp stays the same. Changes that alter how statuses show without
/// touching their rows (custom emojis, descriptions of attached media) count in
/// `render_generation`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, sqlx::FromRow)]
pub struct StatusStamp {
    pub id: i64,
    pub account_id: i64,
    pub reblog_of_id: Option<i64>,
    pub thread_id: i64,
    pub edited_at: Option<i64>,
    pub replies_count: i64,
    pub reblogs_count: i64,
    pub favourites_count: i64,
    pub account_updated_at: i64,
    pub statuses_count: i64,
    pub followers_count: i64,
    pub following_count: i64,
    pub last_status_at: Option<i64>,
    pub render_generation: i64,
    pub card_id: Option<i64>,
}

/// `column = ...` for a stamp column ([`StatusStamp`]'s `edited_at` and `account_updated_at`):
/// the time bound as `now`, or one past the column's value when that is not earlier, so that
/// every write moves the stamp, even two writes in one millisecond.
pub(crate) fn advance_stamp(column: &str, now: &str) -> String {
    format!("{column} = CASE WHEN {now} > coalesce({column}, 0) THEN {now} ELSE {column} + 1 END")
}

impl ReadRow for StatusStamp {
    const COLUMNS: &'static [&'static str] = &[
        "id",
        "account_id",
        "reblog_of_id",
        "thread_id",
        "edited_at",
        "replies_count",
        "reblogs_count",
        "favourites_count",
        "account_updated_at",
        "statuses_count",
        "followers_count",
        "following_count",
        "last_status_at",
        "render_generation",
        "card_id",
    ];

    fn read(columns: &mut Columns<'_, '_>) -> rusqlite::Result<Self> {
        Ok(StatusStamp {
            id: columns.value()?,
            account_id: columns.value()?,
            reblog_of_id: columns.value()?,
            thread_id: columns.value()?,
            edited_at: columns.value()?,
            replies_count: columns.value()?,
            reblogs_count: columns.value()?,
            favourites_count: columns.value()?,
            account_updated_at: columns.value()?,
            statuses_count: columns.value()?,
            followers_count: columns.value()?,
            following_count: columns.value()?,
            last_status_at: columns.value()?,
            render_generation: columns.value()?,
            card_id: columns.value()?,
        })
    }
}

/// The batches' SQL texts for one engine. Each reads the ids bound as a [`List`]; those that
/// concern the viewer bind the viewer as `$1` and the list as `$2`.
pub(crate) struct PageSql {
    stamps: String,
    /// PostgreSQL only: the stamps of the statuses bound as `$1` and of those they reblog, in
    /// one statement (on SQLite, two plain lookups cost less than the union).
    stamps_with_reblogged: String,
    statuses: String,
    mentions: String,
    accounts: String,
    media: String,
    polls: String,
    tags: String,
    apps: String,
    marks: String,
    cards: String,
}

impl PageSql {
    pub(crate) fn new(engine: Engine) -> PageSql {
        // On SQLite these run on the hot read path only.
        let lists = ListSyntax::hot(engine);
        let first = in_list(lists, "$1");
        let second = in_list(lists, "$2");
        // A deleted account's statuses are left out as if gone (their purge may still run).
        let stamps_from = &format!(
            "SELECT s.id, s.account_id, s.reblog_of_id, s.thread_id, s.edited_at, \
             s.replies_count, s.reblogs_count, s.favourites_count, \
             a.updated_at AS account_updated_at, a.statuses_count, a.followers_count, \
             a.following_count, a.last_status_at, \
             (SELECT value FROM render_generation WHERE id = 1) AS render_generation, s.card_id \
             FROM status s JOIN account a ON a.id = s.account_id AND {}",
            shown("a")
        );
        PageSql {
            stamps: format!("{stamps_from} WHERE s.id {first}"),
            stamps_with_reblogged: format!(
                "{stamps_from} WHERE s.id IN (SELECT unnest($1::bigint[]) \
                 UNION SELECT r.reblog_of_id FROM status r WHERE r.id = ANY($1) \
                 AND r.reblog_of_id IS NOT NULL)"
            ),
            statuses: statuses_by_ids_sql(lists),
            mentions: mentions_sql(lists),
            accounts: accounts_by_ids_sql(lists),
            media: format!(
                "SELECT {MEDIA_COLUMNS} FROM media_attachment WHERE status_id {first} ORDER BY id"
            ),
            polls: polls_sql(lists),
            tags: format!(
                "SELECT status_id, name FROM status_tag WHERE status_id {first} ORDER BY status_id, name"
            ),
            apps: format!(
                "SELECT {} FROM oauth_app WHERE id {first}",
                crate::oauth::APP_COLUMNS
            ),
            cards: cards_by_ids_sql(lists),
            // The codes are `ViewerMark`'s; muted threads are matched on the list bound as $3.
            marks: format!(
                "SELECT status_id, 1 FROM favourite WHERE account_id = $1 AND status_id {second} \
                 UNION ALL SELECT reblog_of_id, 2 FROM status WHERE account_id = $1 AND reblog_of_id {second} \
                 UNION ALL SELECT status_id, 3 FROM bookmark WHERE account_id = $1 AND status_id {second} \
                 UNION ALL SELECT status_id, 4 FROM status_pin WHERE account_id = $1 AND status_id {second} \
                 UNION ALL SELECT thread_id, 5 FROM thread_mute WHERE account_id = $1 AND thread_id {}",
                in_list(lists, "$3")
            ),
        }
    }
}

/// Statuses whose id is in the list bound as `$1`.
pub(crate) fn statuses_by_ids_sql(lists: ListSyntax) -> String {
    format!(
        "SELECT {STATUS_COLUMNS} FROM status s WHERE s.id {}",
        in_list(lists, "$1")
    )
}

/// Accounts whose id is in the list bound as `$1`, deleted ones left out.
pub(crate) fn accounts_by_ids_sql(lists: ListSyntax) -> String {
    format!(
        "SELECT {ACCOUNT_COLUMNS} FROM account WHERE {} AND id {}",
        shown("account"),
        in_list(lists, "$1")
    )
}

/// (status id, account id) of the mentions of the statuses in the list bound as `$1`.
pub(crate) fn mentions_sql(lists: ListSyntax) -> String {
    format!(
        "SELECT status_id, account_id FROM status_mention WHERE status_id {} \
         ORDER BY status_id, account_id",
        in_list(lists, "$1")
    )
}

/// The statuses the read ones reblog that were not asked for themselves.
fn reblogged_ids(asked: &[i64], stamps: &[StatusStamp]) -> Vec<i64> {
    let asked: HashSet<i64> = asked.iter().copied().collect();
    let mut reblogged: Vec<i64> = stamps
        .iter()
        .filter_map(|stamp| stamp.reblog_of_id)
        .filter(|id| !asked.contains(id))
        .collect();
    reblogged.sort_unstable();
    reblogged.dedup();
    reblogged
}

fn unique(ids: impl Iterator<Item = i64>) -> Vec<i64> {
    let mut ids: Vec<i64> = ids.collect();
    ids.sort_unstable();
    ids.dedup();
    ids
}

fn authors_and_mentioned(statuses: &[StatusRow], mentions: &[(i64, i64)]) -> Vec<i64> {
    unique(
        statuses
            .iter()
            .map(|status| status.account_id)
            .chain(mentions.iter().map(|(_, account)| *account)),
    )
}

fn app_ids(statuses: &[StatusRow]) -> Vec<i64> {
    unique(statuses.iter().filter_map(|status| status.app_id))
}

/// The cards the statuses show; reading them takes one more query, only for pages that have any.
fn card_ids(statuses: &[StatusRow]) -> Vec<i64> {
    let ids = unique(statuses.iter().filter_map(|status| status.card_id));
    if !ids.is_empty() {
        crate::query_count::count_query();
    }
    ids
}

fn thread_ids(stamps: &[StatusStamp]) -> Vec<i64> {
    unique(stamps.iter().map(|stamp| stamp.thread_id))
}

impl Db {
    /// What is read of the statuses `ids` on every look, as `viewer` sees them (callers have
    /// checked visibility): their stamps and those of the statuses they reblog, their polls,
    /// and what the viewer did with them. Statuses that vanished are simply missing.
    pub async fn status_page_state(
        &self,
        ids: &[i64],
        viewer: Option<i64>,
    ) -> Result<StatusPageState> {
        if ids.is_empty() {
            return Ok(StatusPageState::default());
        }
        // Stamps and polls; for a viewer, their marks. (On SQLite the stamps of reblogged
        // statuses take one more, counted where it runs: only for a page with reblogs.)
        crate::query_count::count_queries(2 + u32::from(viewer.is_some()));
        match self.pools() {
            Pools::Sqlite { fast_readers, .. } => {
                sqlite_batch(
                    fast_readers,
                    &self.page_sql,
                    ids,
                    move |connection, sql, ids| read_state_on_sqlite(connection, sql, ids, viewer),
                )
                .await
            }
            Pools::Postgres(pool) => {
                read_state_on_postgres(pool, &self.page_sql, ids, viewer).await
            }
        }
    }

    /// The viewer-independent rows behind the statuses `ids` (exactly those: a reblog's
    /// original is read only when it is asked for too).
    pub async fn status_page_rows(&self, ids: &[i64]) -> Result<StatusPageRows> {
        if ids.is_empty() {
            return Ok(StatusPageRows::default());
        }
        // Statuses, mentions, accounts, media, hashtags and apps.
        crate::query_count::count_queries(6);
        match self.pools() {
            Pools::Sqlite { fast_readers, .. } => {
                sqlite_batch(fast_readers, &self.page_sql, ids, read_rows_on_sqlite).await
            }
            Pools::Postgres(pool) => read_rows_on_postgres(pool, &self.page_sql, ids).await,
        }
    }
}

/// Runs `read` on a page's ids in one snapshot on SQLite's read path: one hand-off for the whole
/// batch.
async fn sqlite_batch<T, F>(
    readers: &Arc<SqliteReaders>,
    sql: &Arc<PageSql>,
    ids: &[i64],
    read: F,
) -> Result<T>
where
    T: Send + 'static,
    F: FnOnce(&rusqlite::Connection, &PageSql, &[i64]) -> rusqlite::Result<T> + Send + 'static,
{
    let ids = ids.to_vec();
    let sql = Arc::clone(sql);
    readers
        .run(move |connection| in_snapshot(connection, || read(connection, &sql, &ids)))
        .await
}

fn read_state_on_sqlite(
    connection: &rusqlite::Connection,
    sql: &PageSql,
    ids: &[i64],
    viewer: Option<i64>,
) -> rusqlite::Result<StatusPageState> {
    let mut stamps: Vec<StatusStamp> = fetch_all(connection, &sql.stamps, &[&List(ids)])?;
    let reblogged = reblogged_ids(ids, &stamps);
    if !reblogged.is_empty() {
        // The closure runs on the asking task's thread, so the count reaches its request.
        crate::query_count::count_query();
        stamps.extend(fetch_all::<StatusStamp>(
            connection,
            &sql.stamps,
            &[&List(&reblogged)],
        )?);
    }
    let all_ids: Vec<i64> = stamps.iter().map(|stamp| stamp.id).collect();
    let all = List(&all_ids);
    let mut state = StatusPageState {
        polls: group_poll_options(fetch_all::<PollOptionJoin>(
            connection,
            &sql.polls,
            &[&viewer, &all],
        )?),
        ..StatusPageState::default()
    };
    if let Some(viewer) = viewer {
        state.marks = viewer_marks(fetch_all(
            connection,
            &sql.marks,
            &[&viewer, &all, &List(&thread_ids(&stamps))],
        )?);
    }
    state.stamps = stamps;
    Ok(state)
}

fn read_rows_on_sqlite(
    connection: &rusqlite::Connection,
    sql: &PageSql,
    ids: &[i64],
) -> rusqlite::Result<StatusPageRows> {
    let statuses: Vec<StatusRow> = fetch_all(connection, &sql.statuses, &[&List(ids)])?;
    let all_ids: Vec<i64> = statuses.iter().map(|status| status.id).collect();
    let all = List(&all_ids);
    let mentions: Vec<(i64, i64)> = fetch_all(connection, &sql.mentions, &[&all])?;
    Ok(StatusPageRows {
        accounts: fetch_all(
            connection,
            &sql.accounts,
            &[&List(&authors_and_mentioned(&statuses, &mentions))],
        )?,
        media: fetch_all(connection, &sql.media, &[&all])?,
        tags: fetch_all(connection, &sql.tags, &[&all])?,
        apps: fetch_all(connection, &sql.apps, &[&List(&app_ids(&statuses))])?,
        cards: match card_ids(&statuses) {
            ids if ids.is_empty() => Vec::new(),
            ids => fetch_all(connection, &sql.cards, &[&List(&ids)])?,
        },
        mentions,
        statuses,
    })
}

async fn read_state_on_postgres(
    pool: &sqlx::PgPool,
    sql: &PageSql,
    ids: &[i64],
    viewer: Option<i64>,
) -> Result<StatusPageState> {
    let stamps: Vec<StatusStamp> = sqlx::query_as(&sql.stamps_with_reblogged)
        .bind(List(ids))
        .fetch_all(pool)
        .await?;
    let all_ids: Vec<i64> = stamps.iter().map(|stamp| stamp.id).collect();
    let mut state = StatusPageState {
        polls: group_poll_options(
            sqlx::query_as::<_, PollOptionJoin>(&sql.polls)
                .bind(viewer)
                .bind(List(&all_ids))
                .fetch_all(pool)
                .await?,
        ),
        ..StatusPageState::default()
    };
    if let Some(viewer) = viewer {
        state.marks = viewer_marks(
            sqlx::query_as(&sql.marks)
                .bind(viewer)
                .bind(List(&all_ids))
                .bind(List(&thread_ids(&stamps)))
                .fetch_all(pool)
                .await?,
        );
    }
    state.stamps = stamps;
    Ok(state)
}

async fn read_rows_on_postgres(
    pool: &sqlx::PgPool,
    sql: &PageSql,
    ids: &[i64],
) -> Result<StatusPageRows> {
    let statuses: Vec<StatusRow> = sqlx::query_as(&sql.statuses)
        .bind(List(ids))
        .fetch_all(pool)
        .await?;
    let all_ids: Vec<i64> = statuses.iter().map(|status| status.id).collect();
    let mentions: Vec<(i64, i64)> = sqlx::query_as(&sql.mentions)
        .bind(List(&all_ids))
        .fetch_all(pool)
        .await?;
    Ok(StatusPageRows {
        accounts: sqlx::query_as(&sql.accounts)
            .bind(List(&authors_and_mentioned(&statuses, &mentions)))
            .fetch_all(pool)
            .await?,
        media: sqlx::query_as(&sql.media)
            .bind(List(&all_ids))
            .fetch_all(pool)
            .await?,
        tags: sqlx::query_as(&sql.tags)
            .bind(List(&all_ids))
            .fetch_all(pool)
            .await?,
        apps: sqlx::query_as(&sql.apps)
            .bind(List(&app_ids(&statuses)))
            .fetch_all(pool)
            .await?,
        cards: match card_ids(&statuses) {
            ids if ids.is_empty() => Vec::new(),
            ids => {
                sqlx::query_as(&sql.cards)
                    .bind(List(&ids))
                    .fetch_all(pool)
                    .await?
            }
        },
        mentions,
        statuses,
    })
}
