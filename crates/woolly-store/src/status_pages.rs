//! Everything a page of statuses shows, read in one batch: the statuses and those they reblog,
//! their authors and mentioned accounts, mentions, hashtags, media, polls, posting apps, and what
//! the viewer did with them.
//!
//! The number of queries is fixed whatever the page's length (each reads all the rows it needs
//! at once, its ids bound as one [`List`]), and on SQLite the whole batch runs in one closure on
//! the `rusqlite` read path: one thread hand-off per page, not one per row. PostgreSQL runs the
//! same SQL texts through sqlx.

use std::collections::HashSet;
use std::sync::Arc;

use crate::accounts::{ACCOUNT_COLUMNS, AccountRow};
use crate::arrays::{List, in_list};
use crate::connect::{Db, Engine, Pools};
use crate::error::Result;
use crate::media::{MEDIA_COLUMNS, MediaRow};
use crate::oauth::AppRow;
use crate::polls::{PollOptionJoin, PollOptionRow, PollRow, group_poll_options, polls_sql};
use crate::sqlite_reads::{fetch_all, in_snapshot};
use crate::statuses::{STATUS_COLUMNS, StatusRow};

/// The rows behind a page of statuses (see the module documentation).
#[derive(Debug, Default)]
pub struct StatusPageRows {
    /// The statuses asked for and the ones they reblog, in no particular order.
    pub statuses: Vec<StatusRow>,
    /// (status id, mentioned account id), by status then account.
    pub mentions: Vec<(i64, i64)>,
    /// The statuses' authors and the accounts they mention.
    pub accounts: Vec<AccountRow>,
    /// The statuses' media, in upload order.
    pub media: Vec<MediaRow>,
    /// The statuses' polls with their options, marked with the viewer's choices.
    pub polls: Vec<(PollRow, Vec<PollOptionRow>)>,
    /// (status id, hashtag), by status then name.
    pub tags: Vec<(i64, String)>,
    /// The applications the statuses were posted with.
    pub apps: Vec<AppRow>,
    /// (status id, `favourited` | `reblogged` | `bookmarked`): what the viewer did.
    pub interactions: Vec<(i64, String)>,
    /// Those of the statuses the viewer pinned.
    pub pinned: Vec<i64>,
    /// Those of the statuses' threads the viewer muted.
    pub muted_threads: Vec<i64>,
}

/// The batch's SQL texts for one engine. Each reads the ids bound as a [`List`]; those that
/// concern the viewer bind the viewer as `$1` and the list as `$2`.
pub(crate) struct PageSql {
    statuses: String,
    mentions: String,
    accounts: String,
    media: String,
    polls: String,
    tags: String,
    apps: String,
    interactions: String,
    pinned: String,
    muted_threads: String,
}

impl PageSql {
    pub(crate) fn new(engine: Engine) -> PageSql {
        let first = in_list(engine, "$1");
        let second = in_list(engine, "$2");
        PageSql {
            statuses: statuses_by_ids_sql(engine),
            mentions: mentions_sql(engine),
            accounts: accounts_by_ids_sql(engine),
            media: format!(
                "SELECT {MEDIA_COLUMNS} FROM media_attachment WHERE status_id {first} ORDER BY id"
            ),
            polls: polls_sql(engine),
            tags: format!(
                "SELECT status_id, name FROM status_tag WHERE status_id {first} ORDER BY status_id, name"
            ),
            apps: format!(
                "SELECT {} FROM oauth_app WHERE id {first}",
                crate::oauth::APP_COLUMNS
            ),
            interactions: format!(
                "SELECT status_id, 'favourited' FROM favourite WHERE account_id = $1 AND status_id {second} \
                 UNION ALL SELECT reblog_of_id, 'reblogged' FROM status WHERE account_id = $1 AND reblog_of_id {second} \
                 UNION ALL SELECT status_id, 'bookmarked' FROM bookmark WHERE account_id = $1 AND status_id {second}"
            ),
            pinned: format!(
                "SELECT status_id FROM status_pin WHERE account_id = $1 AND status_id {second}"
            ),
            muted_threads: format!(
                "SELECT thread_id FROM thread_mute WHERE account_id = $1 AND thread_id {second}"
            ),
        }
    }
}

/// Statuses whose id is in the list bound as `$1`.
pub(crate) fn statuses_by_ids_sql(engine: Engine) -> String {
    format!(
        "SELECT {STATUS_COLUMNS} FROM status s WHERE s.id {}",
        in_list(engine, "$1")
    )
}

/// Accounts whose id is in the list bound as `$1`.
pub(crate) fn accounts_by_ids_sql(engine: Engine) -> String {
    format!(
        "SELECT {ACCOUNT_COLUMNS} FROM account WHERE id {}",
        in_list(engine, "$1")
    )
}

/// (status id, account id) of the mentions of the statuses in the list bound as `$1`.
pub(crate) fn mentions_sql(engine: Engine) -> String {
    format!(
        "SELECT status_id, account_id FROM status_mention WHERE status_id {} \
         ORDER BY status_id, account_id",
        in_list(engine, "$1")
    )
}

/// The statuses the read ones reblog that were not asked for themselves.
fn reblogged_ids(asked: &[i64], statuses: &[StatusRow]) -> Vec<i64> {
    let asked: HashSet<i64> = asked.iter().copied().collect();
    let mut reblogged: Vec<i64> = statuses
        .iter()
        .filter_map(|status| status.reblog_of_id)
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

fn thread_ids(statuses: &[StatusRow]) -> Vec<i64> {
    unique(statuses.iter().map(|status| status.thread_id))
}

impl Db {
    /// The rows behind a page of the statuses `ids` as `viewer` sees them (callers have checked
    /// visibility). Statuses that vanished are simply missing.
    pub async fn status_page_rows(
        &self,
        ids: &[i64],
        viewer: Option<i64>,
    ) -> Result<StatusPageRows> {
        if ids.is_empty() {
            return Ok(StatusPageRows::default());
        }
        match self.pools() {
            Pools::Sqlite { fast_readers, .. } => {
                let ids = ids.to_vec();
                let sql = Arc::clone(&self.page_sql);
                crate::query_count::count_queries(page_query_count(viewer));
                fast_readers
                    .run(move |connection| {
                        in_snapshot(connection, || {
                            read_page_on_sqlite(connection, &sql, &ids, viewer)
                        })
                    })
                    .await
            }
            Pools::Postgres(pool) => {
                crate::query_count::count_queries(page_query_count(viewer));
                read_page_on_postgres(pool, &self.page_sql, ids, viewer).await
            }
        }
    }
}

/// How many statements a page batch runs (counted one by one, though SQLite runs them in one
/// hand-off): statuses twice (asked, then reblogged), mentions, accounts, media, polls, tags and
/// apps, and for a viewer their interactions, pins and muted threads.
fn page_query_count(viewer: Option<i64>) -> u32 {
    if viewer.is_some() { 11 } else { 8 }
}

fn read_page_on_sqlite(
    connection: &rusqlite::Connection,
    sql: &PageSql,
    ids: &[i64],
    viewer: Option<i64>,
) -> rusqlite::Result<StatusPageRows> {
    let mut statuses: Vec<StatusRow> = fetch_all(connection, &sql.statuses, &[&List(ids)])?;
    let reblogged = reblogged_ids(ids, &statuses);
    statuses.extend(fetch_all::<StatusRow>(
        connection,
        &sql.statuses,
        &[&List(&reblogged)],
    )?);
    let all_ids: Vec<i64> = statuses.iter().map(|status| status.id).collect();
    let all = List(&all_ids);
    let mentions: Vec<(i64, i64)> = fetch_all(connection, &sql.mentions, &[&all])?;
    let accounts = fetch_all(
        connection,
        &sql.accounts,
        &[&List(&authors_and_mentioned(&statuses, &mentions))],
    )?;
    let media = fetch_all(connection, &sql.media, &[&all])?;
    let polls = group_poll_options(fetch_all::<PollOptionJoin>(
        connection,
        &sql.polls,
        &[&viewer, &all],
    )?);
    let tags = fetch_all(connection, &sql.tags, &[&all])?;
    let apps = fetch_all(connection, &sql.apps, &[&List(&app_ids(&statuses))])?;
    let mut rows = StatusPageRows {
        mentions,
        accounts,
        media,
        polls,
        tags,
        apps,
        ..StatusPageRows::default()
    };
    if let Some(viewer) = viewer {
        rows.interactions = fetch_all(connection, &sql.interactions, &[&viewer, &all])?;
        rows.pinned = fetch_all::<(i64,)>(connection, &sql.pinned, &[&viewer, &all])?
            .into_iter()
            .map(|(id,)| id)
            .collect();
        rows.muted_threads = fetch_all::<(i64,)>(
            connection,
            &sql.muted_threads,
            &[&viewer, &List(&thread_ids(&statuses))],
        )?
        .into_iter()
        .map(|(id,)| id)
        .collect();
    }
    rows.statuses = statuses;
    Ok(rows)
}

async fn read_page_on_postgres(
    pool: &sqlx::PgPool,
    sql: &PageSql,
    ids: &[i64],
    viewer: Option<i64>,
) -> Result<StatusPageRows> {
    let mut statuses: Vec<StatusRow> = sqlx::query_as(&sql.statuses)
        .bind(List(ids))
        .fetch_all(pool)
        .await?;
    let reblogged = reblogged_ids(ids, &statuses);
    statuses.extend(
        sqlx::query_as::<_, StatusRow>(&sql.statuses)
            .bind(List(&reblogged))
            .fetch_all(pool)
            .await?,
    );
    let all_ids: Vec<i64> = statuses.iter().map(|status| status.id).collect();
    let mentions: Vec<(i64, i64)> = sqlx::query_as(&sql.mentions)
        .bind(List(&all_ids))
        .fetch_all(pool)
        .await?;
    let accounts = sqlx::query_as(&sql.accounts)
        .bind(List(&authors_and_mentioned(&statuses, &mentions)))
        .fetch_all(pool)
        .await?;
    let media = sqlx::query_as(&sql.media)
        .bind(List(&all_ids))
        .fetch_all(pool)
        .await?;
    let polls = group_poll_options(
        sqlx::query_as::<_, PollOptionJoin>(&sql.polls)
            .bind(viewer)
            .bind(List(&all_ids))
            .fetch_all(pool)
            .await?,
    );
    let tags = sqlx::query_as(&sql.tags)
        .bind(List(&all_ids))
        .fetch_all(pool)
        .await?;
    let apps = sqlx::query_as(&sql.apps)
        .bind(List(&app_ids(&statuses)))
        .fetch_all(pool)
        .await?;
    let mut rows = StatusPageRows {
        mentions,
        accounts,
        media,
        polls,
        tags,
        apps,
        ..StatusPageRows::default()
    };
    if let Some(viewer) = viewer {
        rows.interactions = sqlx::query_as(&sql.interactions)
            .bind(viewer)
            .bind(List(&all_ids))
            .fetch_all(pool)
            .await?;
        rows.pinned = sqlx::query_as::<_, (i64,)>(&sql.pinned)
            .bind(viewer)
            .bind(List(&all_ids))
            .fetch_all(pool)
            .await?
            .into_iter()
            .map(|(id,)| id)
            .collect();
        rows.muted_threads = sqlx::query_as::<_, (i64,)>(&sql.muted_threads)
            .bind(viewer)
            .bind(List(&thread_ids(&statuses)))
            .fetch_all(pool)
            .await?
            .into_iter()
            .map(|(id,)| id)
            .collect();
    }
    rows.statuses = statuses;
    Ok(rows)
}
