//! Opening the database, applying migrations, and the engine dispatch used by every query.

use std::path::Path;
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use sqlx::ConnectOptions;
use sqlx::migrate::Migrator;
use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions};
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};
use sqlx::{Postgres, Sqlite};

use crate::error::{Result, StoreError};
use crate::ids::IdGenerator;
use crate::sqlite_reads::SqliteReaders;

static SQLITE_MIGRATIONS: Migrator = sqlx::migrate!("./migrations/sqlite");
static POSTGRES_MIGRATIONS: Migrator = sqlx::migrate!("./migrations/postgres");

/// How long a SQLite connection waits for another process's write lock (the admin CLI beside
/// `woolly serve`) before giving up with `SQLITE_BUSY`.
const SQLITE_BUSY_TIMEOUT: Duration = Duration::from_secs(10);
const SQLITE_READERS: u32 = 8;
/// Statements slower than this are logged at `debug` (the hot read path, which runs the
/// timelines' queries, adds their plan on either engine), and sqlx logs the others at `trace`
/// only, so that `RUST_LOG=woolly_store=debug,sqlx=debug` shows the slow ones alone: no request
/// should run one, whatever the size of the database.
pub(crate) const SLOW_STATEMENT: Duration = Duration::from_millis(10);
/// Connections of the `rusqlite` read path: one per core is enough for reads that never wait
/// on anything but the disk cache, and more contend for SQLite's shared memory locks.
const SQLITE_FAST_READERS: usize = 4;
const POSTGRES_CONNECTIONS: u32 = 16;

/// Which database engine a [`Db`] talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    Sqlite,
    Postgres,
}

pub(crate) enum Pools {
    Sqlite {
        writer: SqlitePool,
        readers: SqlitePool,
        /// The hot read path (pages of statuses), on `rusqlite`: see [`crate::sqlite_reads`].
        fast_readers: Arc<SqliteReaders>,
    },
    Postgres(PgPool),
}

impl Pools {
    /// Lets the dispatch macros take a `Pools` where they usually take a [`Db`].
    pub(crate) fn pools(&self) -> &Pools {
        self
    }
}

/// A handle to the database: cheap to clone, shared by every request and worker of one instance.
#[derive(Clone)]
pub struct Db {
    pools: Arc<Pools>,
    ids: Arc<IdGenerator>,
    /// The SQL of a page of statuses for this engine, written once.
    pub(crate) page_sql: Arc<crate::status_pages::PageSql>,
}

/// Runs `$body` with `$pool` bound to a pool fit for reads (SQLite's read-only pool).
/// The body is compiled once per engine, so generic sqlx code works unchanged. With a leading
/// `rows_affected,` the body is an `execute(…)` and the result is its affected-row count.
macro_rules! on_reader {
    (rows_affected, $db:expr, $pool:ident => $body:expr) => {{
        $crate::query_count::count_query();
        match $db.pools() {
            $crate::connect::Pools::Sqlite { readers: $pool, .. } => {
                ($body).map(|done| done.rows_affected())
            }
            $crate::connect::Pools::Postgres($pool) => ($body).map(|done| done.rows_affected()),
        }
    }};
    ($db:expr, $pool:ident => $body:expr) => {{
        $crate::query_count::count_query();
        match $db.pools() {
            $crate::connect::Pools::Sqlite { readers: $pool, .. } => $body,
            $crate::connect::Pools::Postgres($pool) => $body,
        }
    }};
}

/// Like [`on_reader!`], with a pool fit for a single-statement write (SQLite's one writer).
macro_rules! on_writer {
    (rows_affected, $db:expr, $pool:ident => $body:expr) => {{
        $crate::query_count::count_query();
        match $db.pools() {
            $crate::connect::Pools::Sqlite { writer: $pool, .. } => {
                ($body).map(|done| done.rows_affected())
            }
            $crate::connect::Pools::Postgres($pool) => ($body).map(|done| done.rows_affected()),
        }
    }};
    ($db:expr, $pool:ident => $body:expr) => {{
        $crate::query_count::count_query();
        match $db.pools() {
            $crate::connect::Pools::Sqlite { writer: $pool, .. } => $body,
            $crate::connect::Pools::Postgres($pool) => $body,
        }
    }};
}

/// Like [`on_reader!`], with `$conn` bound to the connection of an open [`Tx`].
macro_rules! on_tx {
    (rows_affected, $tx:expr, $conn:ident => $body:expr) => {
        on_tx!($tx, $conn => ($body).map(|done| done.rows_affected()))
    };
    ($tx:expr, $conn:ident => $body:expr) => {{
        $crate::query_count::count_query();
        match &mut $tx.conn {
            $crate::connect::TxConn::Sqlite(transaction) => {
                let $conn = &mut **transaction;
                $body
            }
            $crate::connect::TxConn::Postgres(transaction) => {
                let $conn = &mut **transaction;
                $body
            }
        }
    }};
}

pub(crate) use {on_reader, on_tx, on_writer};

impl Db {
    /// Opens (creating it if needed) the database at `url`, applies pending migrations and claims
    /// an id-generator node. `holder` names this process in the node lease, for operators.
    pub async fn connect(url: &str, holder: &str) -> Result<Db> {
        Self::connect_up_to(url, holder, None).await
    }

    /// Like [`Db::connect`], applying the migrations up to schema `version` only (all of them for
    /// `None`): an instance import restores rows at the schema they were exported from, then
    /// applies the rest.
    pub async fn connect_up_to(url: &str, holder: &str, version: Option<i64>) -> Result<Db> {
        let pools = if url.starts_with("sqlite:") {
            let options =
                SqliteConnectOptions::from_str(url).map_err(|source| StoreError::Open {
                    url: url.to_owned(),
                    source,
                })?;
            open_sqlite(options, url).await?
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            open_postgres(url).await?
        } else {
            return Err(StoreError::UnsupportedUrl(redact_password(url)));
        };
        Self::finish_opening(pools, holder, version).await
    }

    /// Opens (creating it if needed) a SQLite database file; see [`Db::connect`].
    pub async fn connect_sqlite_file(path: &Path, holder: &str) -> Result<Db> {
        Self::connect_sqlite_file_up_to(path, holder, None).await
    }

    /// Like [`Db::connect_sqlite_file`], up to schema `version` (see [`Db::connect_up_to`]).
    pub async fn connect_sqlite_file_up_to(
        path: &Path,
        holder: &str,
        version: Option<i64>,
    ) -> Result<Db> {
        let options = SqliteConnectOptions::new().filename(path);
        let pools = open_sqlite(options, &path.display().to_string()).await?;
        Self::finish_opening(pools, holder, version).await
    }

    async fn finish_opening(pools: Pools, holder: &str, version: Option<i64>) -> Result<Db> {
        match &pools {
            Pools::Sqlite { writer, .. } => {
                migrate_sqlite(writer, &migrations_up_to(&SQLITE_MIGRATIONS, version)).await?;
            }
            // sqlx takes an advisory lock: processes starting together migrate one at a time.
            Pools::Postgres(pool) => {
                migrations_up_to(&POSTGRES_MIGRATIONS, version)
                    .run(pool)
                    .await?;
            }
        }
        let ids = IdGenerator::claim(&pools, holder).await?;
        let engine = match pools {
            Pools::Sqlite { .. } => Engine::Sqlite,
            Pools::Postgres(_) => Engine::Postgres,
        };
        Ok(Db {
            pools: Arc::new(pools),
            ids: Arc::new(ids),
            page_sql: Arc::new(crate::status_pages::PageSql::new(engine)),
        })
    }

    /// The newest schema this build knows: the version of its last migration.
    pub fn latest_schema_version() -> i64 {
        SQLITE_MIGRATIONS
            .iter()
            .map(|migration| migration.version)
            .max()
            .unwrap_or(0)
    }

    /// The schema this database is at: the version of the last migration applied to it.
    pub async fn schema_version(&self) -> Result<i64> {
        let version: Option<i64> = on_reader!(self, pool => sqlx::query_scalar(
            "SELECT MAX(version) FROM _sqlx_migrations WHERE success",
        )
        .fetch_one(pool)
        .await)?;
        Ok(version.unwrap_or(0))
    }

    pub(crate) fn pools(&self) -> &Pools {
        &self.pools
    }

    /// The engine behind this handle.
    pub fn engine(&self) -> Engine {
        match *self.pools {
            Pools::Sqlite { .. } => Engine::Sqlite,
            Pools::Postgres(_) => Engine::Postgres,
        }
    }

    /// A new time-ordered id, unique across every process sharing this database.
    pub fn next_id(&self) -> i64 {
        self.ids.next_id()
    }

    /// Renews this process's id-generator lease; long-running processes call it periodically.
    pub async fn renew_id_lease(&self) -> Result<()> {
        self.ids.renew(&self.pools).await
    }

    /// Starts a write transaction. On SQLite it takes the write lock at once (`BEGIN IMMEDIATE`).
    pub async fn begin(&self) -> Result<Tx> {
        let conn = match &*self.pools {
            Pools::Sqlite { writer, .. } => {
                TxConn::Sqlite(writer.begin_with("BEGIN IMMEDIATE").await?)
            }
            Pools::Postgres(pool) => TxConn::Postgres(pool.begin().await?),
        };
        Ok(Tx {
            conn,
            ids: Arc::clone(&self.ids),
        })
    }

    /// Checks that the database answers a trivial query.
    pub async fn ping(&self) -> Result<()> {
        on_reader!(rows_affected, self, pool => sqlx::query("SELECT 1").execute(pool).await)?;
        Ok(())
    }

    /// Releases the id-generator lease and closes every connection.
    pub async fn close(&self) {
        if let Err(error) = self.ids.release(&self.pools).await {
            tracing::warn!(%error, "could not release the id-generator lease");
        }
        match &*self.pools {
            Pools::Sqlite {
                writer,
                readers,
                fast_readers,
            } => {
                fast_readers.close();
                readers.close().await;
                writer.close().await;
            }
            Pools::Postgres(pool) => pool.close().await,
        }
    }
}

/// sqlx takes no lock on SQLite, so two processes starting together on a new database can both
/// try to apply a migration; the loser's transaction fails and rolls back. Each migration is
/// recorded in the same transaction that applies it, so trying again sees it applied.
async fn migrate_sqlite(writer: &SqlitePool, migrator: &Migrator) -> Result<()> {
    let mut attempts_left = 3;
    loop {
        match migrator.run(writer).await {
            Ok(()) => return Ok(()),
            Err(error) if attempts_left > 0 => {
                attempts_left -= 1;
                tracing::info!(%error, "migration raced another process; trying again");
                tokio::time::sleep(Duration::from_millis(200)).await;
            }
            Err(error) => return Err(error.into()),
        }
    }
}

/// The migrations of `all` up to schema `version` (all of them for `None`). sqlx has no public
/// way to stop at a version, so this fills the migrator's fields (public, if hidden from its
/// documentation). Stopping at a version, migrations the database has and the list lacks are
/// ignored: a database already past `version` is refused by the caller, which compares
/// [`Db::schema_version`] with what it asked for. Without a version, a database migrated by a
/// newer Woolly is refused here.
fn migrations_up_to(all: &Migrator, version: Option<i64>) -> Migrator {
    Migrator {
        migrations: all
            .iter()
            .filter(|migration| version.is_none_or(|version| migration.version <= version))
            .cloned()
            .collect(),
        ignore_missing: version.is_some(),
        ..Migrator::DEFAULT
    }
}

async fn open_sqlite(options: SqliteConnectOptions, url: &str) -> Result<Pools> {
    let options = options
        .log_statements(log::LevelFilter::Trace)
        .log_slow_statements(log::LevelFilter::Debug, SLOW_STATEMENT)
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Normal)
        .foreign_keys(true)
        .busy_timeout(SQLITE_BUSY_TIMEOUT);
    let open_error = |source| StoreError::Open {
        url: url.to_owned(),
        source,
    };
    // No idle timeout or lifetime: SQLite connections are files, nothing to recycle, and
    // without them sqlx runs no maintenance task, whose idle-connection loop was seen spinning
    // at 100% CPU on shutdown (sqlx 0.8.6).
    let writer = SqlitePoolOptions::new()
        .max_connections(1)
        .min_connections(1)
        .idle_timeout(None)
        .max_lifetime(None)
        .acquire_timeout(Duration::from_secs(30))
        .connect_with(options.clone())
        .await
        .map_err(open_error)?;
    let readers = SqlitePoolOptions::new()
        .max_connections(SQLITE_READERS)
        .idle_timeout(None)
        .max_lifetime(None)
        .acquire_timeout(Duration::from_secs(30))
        .connect_with(options.clone().read_only(true))
        .await
        .map_err(open_error)?;
    let fast_readers = Arc::new(SqliteReaders::new(
        options.get_filename().to_path_buf(),
        SQLITE_FAST_READERS,
        SQLITE_BUSY_TIMEOUT,
    ));
    Ok(Pools::Sqlite {
        writer,
        readers,
        fast_readers,
    })
}

async fn open_postgres(url: &str) -> Result<Pools> {
    let open_error = |source| StoreError::Open {
        url: redact_password(url),
        source,
    };
    let options = PgConnectOptions::from_str(url)
        .map_err(open_error)?
        .log_statements(log::LevelFilter::Trace)
        .log_slow_statements(log::LevelFilter::Debug, SLOW_STATEMENT)
        // Plan each prepared statement once, not again for each execution's values: the
        // timelines' statements have a dozen subqueries each, costly to plan (measured with the
        // harness, 20,000 statuses: public timeline 792–946 req/s before, 1,118–1,228 after,
        // PostgreSQL's CPU per page 1.1–1.5 ms before, 0.8 after; home 952 before, 948–1,049
        // after).
        .options([("plan_cache_mode", "force_generic_plan")]);
    let pool = PgPoolOptions::new()
        .max_connections(POSTGRES_CONNECTIONS)
        // No ping before each statement: sqlx's default sends one on every acquire, a second
        // round trip per statement that both processes wake up for (measured with the harness,
        // 20,000 statuses, three alternating rounds: a status 1,483-1,831 req/s before,
        // 1,948-2,239 after, PostgreSQL's CPU per request 0.62-0.80 ms before, 0.52-0.58 after;
        // home 946-1,100 before, 1,113-1,323 after). A connection the server dropped fails the
        // one statement that finds it so, and is replaced, as Rails' pool does.
        .test_before_acquire(false)
        .acquire_timeout(Duration::from_secs(30))
        .connect_with(options)
        .await
        .map_err(open_error)?;
    Ok(Pools::Postgres(pool))
}

/// Keeps a database password out of error messages and logs.
pub fn redact_password(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme_end), Some(at)) if at > scheme_end => {
            let credentials = &url[scheme_end + 3..at];
            match credentials.find(':') {
                Some(colon) => format!(
                    "{}{}:***{}",
                    &url[..scheme_end + 3],
                    &credentials[..colon],
                    &url[at..]
                ),
                None => url.to_owned(),
            }
        }
        _ => url.to_owned(),
    }
}

pub(crate) enum TxConn {
    Sqlite(sqlx::Transaction<'static, Sqlite>),
    Postgres(sqlx::Transaction<'static, Postgres>),
}

/// An open write transaction. Rows and the jobs that concern them are written through the same
/// `Tx`, so that either both are committed or neither is. Dropping it without
/// [`Tx::commit`] rolls it back.
pub struct Tx {
    pub(crate) conn: TxConn,
    pub(crate) ids: Arc<IdGenerator>,
}

impl Tx {
    /// A new time-ordered id (see [`Db::next_id`]).
    pub fn next_id(&self) -> i64 {
        self.ids.next_id()
    }

    /// The engine this transaction runs on.
    pub fn engine(&self) -> Engine {
        match self.conn {
            TxConn::Sqlite(_) => Engine::Sqlite,
            TxConn::Postgres(_) => Engine::Postgres,
        }
    }

    pub async fn commit(self) -> Result<()> {
        match self.conn {
            TxConn::Sqlite(transaction) => transaction.commit().await?,
            TxConn::Postgres(transaction) => transaction.commit().await?,
        }
        Ok(())
    }

    pub async fn rollback(self) -> Result<()> {
        match self.conn {
            TxConn::Sqlite(transaction) => transaction.rollback().await?,
            TxConn::Postgres(transaction) => transaction.rollback().await?,
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::redact_password;

    #[test]
    fn passwords_are_redacted_from_urls() {
        assert_eq!(
            redact_password("postgres://woolly:secret@db.example/woolly"),
            "postgres://woolly:***@db.example/woolly"
        );
        assert_eq!(
            redact_password("postgres://postgres@127.0.0.1/test"),
            "postgres://postgres@127.0.0.1/test"
        );
    }
}
