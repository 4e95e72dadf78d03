//! SQLite's hot read path: plain `rusqlite` connections with their prepared statements cached,
//! read on the calling thread.
//!
//! sqlx runs every SQLite connection on a thread of its own and hands each row over a channel
//! to the async side: a timeline page of a dozen queries paid dozens of thread wake-ups (a third
//! of its CPU, measured with `perf`). Here a whole batch of queries (everything one page of
//! statuses needs) runs in one closure, rows read straight into their structs, and on the
//! thread that asked: these reads are short (bounded pages over indexes, a fraction of a
//! millisecond from the page cache) and CPU-bound, so handing each to tokio's blocking pool and
//! back cost more than the read itself (a quarter of the home timeline's CPU went to the
//! blocking pool's wake-ups and context switches, measured with `perf`), and bought no
//! parallelism a second runtime thread does not already give.
//!
//! The SQL is the same text the PostgreSQL path runs (`$1`-style placeholders, which SQLite
//! binds by number here as sqlx does). Writes never come here: they keep sqlx's single writer.

use std::any::TypeId;
use std::cell::RefCell;
use std::collections::HashMap;
use std::path::PathBuf;
use std::rc::Rc;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use rusqlite::types::ToSql;
use rusqlite::{Connection, OpenFlags, Row, Statement};

use crate::error::{Result, StoreError};

/// Statements kept prepared per connection: every distinct SQL text of the hot path fits.
const STATEMENT_CACHE_CAPACITY: usize = 256;

/// Read-only connections kept open between reads, each lent to one closure at a time.
pub(crate) struct SqliteReaders {
    path: PathBuf,
    idle: Mutex<Vec<Connection>>,
    /// How many idle connections are kept; a burst past it opens (and then closes) more.
    keep: usize,
    busy_timeout: Duration,
}

impl SqliteReaders {
    pub(crate) fn new(path: PathBuf, keep: usize, busy_timeout: Duration) -> SqliteReaders {
        SqliteReaders {
            path,
            idle: Mutex::new(Vec::with_capacity(keep)),
            keep,
            busy_timeout,
        }
    }

    fn open(&self) -> rusqlite::Result<Connection> {
        let connection = Connection::open_with_flags(
            &self.path,
            OpenFlags::SQLITE_OPEN_READ_ONLY
                | OpenFlags::SQLITE_OPEN_NO_MUTEX
                | OpenFlags::SQLITE_OPEN_URI,
        )?;
        connection.busy_timeout(self.busy_timeout)?;
        connection.set_prepared_statement_cache_capacity(STATEMENT_CACHE_CAPACITY);
        // `rarray`, which reads the lists bound here (`crate::arrays::ListSyntax::Values`).
        rusqlite::vtab::array::load_module(&connection)?;
        Ok(connection)
    }

    /// Runs `work` on a pooled connection, on the calling thread (see the module
    /// documentation for why not on the blocking pool).
    pub(crate) async fn run<T, F>(self: &Arc<Self>, work: F) -> Result<T>
    where
        T: Send + 'static,
        F: FnOnce(&Connection) -> rusqlite::Result<T> + Send + 'static,
    {
        let pooled = self
            .idle
            .lock()
            .map_err(|_| StoreError::ReadPoolClosed)?
            .pop();
        let connection = match pooled {
            Some(connection) => connection,
            None => self.open()?,
        };
        let outcome = work(&connection);
        // A connection whose work failed may be in any state; a fresh one replaces it.
        if outcome.is_ok()
            && let Ok(mut idle) = self.idle.lock()
            && idle.len() < self.keep
        {
            idle.push(connection);
        }
        Ok(outcome?)
    }

    /// Drops the idle connections (the pool opens new ones if used again).
    pub(crate) fn close(&self) {
        if let Ok(mut idle) = self.idle.lock() {
            idle.clear();
        }
    }
}

/// A row type read by the hot path: its columns by name, read in that order.
pub(crate) trait ReadRow: Sized {
    /// The result columns it reads, by name, in the order [`ReadRow::read`] takes them.
    const COLUMNS: &'static [&'static str];

    fn read(columns: &mut Columns<'_, '_>) -> rusqlite::Result<Self>;
}

/// One result row, read column after column in a [`ReadRow::COLUMNS`] order.
pub(crate) struct Columns<'row, 'stmt> {
    row: &'row Row<'stmt>,
    positions: &'row [usize],
    next: usize,
}

impl Columns<'_, '_> {
    /// The next column's value.
    pub(crate) fn value<T: rusqlite::types::FromSql>(&mut self) -> rusqlite::Result<T> {
        let position = self.next_position();
        self.next += 1;
        self.row.get(position)
    }

    /// Whether the next column is NULL, without reading past it.
    pub(crate) fn next_is_null(&self) -> rusqlite::Result<bool> {
        Ok(self.row.get_ref(self.next_position())? == rusqlite::types::ValueRef::Null)
    }

    /// Where in the row the next column is.
    fn next_position(&self) -> usize {
        self.positions.get(self.next).copied().unwrap_or(self.next)
    }

    /// Passes over the next `count` columns.
    pub(crate) fn skip(&mut self, count: usize) {
        self.next += count;
    }
}

/// The columns of row types read side by side from one row (a join), in that order: for the
/// [`ReadRow::COLUMNS`] of a type made of others. `N` must be their total count.
pub(crate) const fn concat_columns<const N: usize>(parts: &[&[&'static str]]) -> [&'static str; N] {
    let mut columns = [""; N];
    let mut filled = 0;
    let mut part = 0;
    while part < parts.len() {
        let mut column = 0;
        while column < parts[part].len() {
            columns[filled] = parts[part][column];
            filled += 1;
            column += 1;
        }
        part += 1;
    }
    assert!(
        filled == N,
        "N must be the number of columns of all the parts"
    );
    columns
}

/// What is worked out once per statement text and row type, on each thread, instead of on every
/// run (looking columns up by name and reading placeholders' names took 5 % of the home
/// timeline's CPU, measured with `perf`).
struct Layout {
    /// Where each of the row type's [`ReadRow::COLUMNS`] is.
    positions: Vec<usize>,
    /// For each placeholder (by index, from 1), which of the values it takes (by position,
    /// from 0): `$N` takes the N-th, as sqlx binds them, wherever and however often it appears.
    bindings: Vec<(usize, usize)>,
}

/// Layouts kept per thread; past this many (statement texts are few, but some are built from
/// a request's shape) they are all dropped and worked out again.
const LAYOUTS_KEPT: usize = 512;

thread_local! {
    /// By row type, then by statement text.
    static LAYOUTS: RefCell<HashMap<TypeId, HashMap<String, Rc<Layout>>>> =
        RefCell::new(HashMap::new());
}

impl Layout {
    fn of<T: ReadRow + 'static>(
        statement: &Statement<'_>,
        sql: &str,
    ) -> rusqlite::Result<Rc<Layout>> {
        let kept = LAYOUTS.with_borrow(|layouts| {
            layouts
                .get(&TypeId::of::<T>())
                .and_then(|by_text| by_text.get(sql))
                .cloned()
        });
        if let Some(layout) = kept {
            return Ok(layout);
        }
        let layout = Rc::new(Layout {
            positions: T::COLUMNS
                .iter()
                .map(|name| statement.column_index(name))
                .collect::<rusqlite::Result<_>>()?,
            bindings: (1..=statement.parameter_count())
                .map(|index| (index, value_position(statement, index)))
                .collect(),
        });
        LAYOUTS.with_borrow_mut(|layouts| {
            if layouts.values().map(HashMap::len).sum::<usize>() >= LAYOUTS_KEPT {
                layouts.clear();
            }
            layouts
                .entry(TypeId::of::<T>())
                .or_default()
                .insert(sql.to_owned(), Rc::clone(&layout));
        });
        Ok(layout)
    }

    /// Binds `values` to the statement's placeholders (see [`Layout::bindings`]); placeholders
    /// past the end of `values` stay NULL.
    fn bind(&self, statement: &mut Statement<'_>, values: &[&dyn ToSql]) -> rusqlite::Result<()> {
        for &(index, at) in &self.bindings {
            if let Some(value) = values.get(at) {
                statement.raw_bind_parameter(index, value)?;
            }
        }
        Ok(())
    }
}

/// Which of the bound values (by position, from 0) placeholder `index` (from 1) takes: `$N`
/// takes the N-th, as sqlx binds them, wherever and however often it appears.
fn value_position(statement: &Statement<'_>, index: usize) -> usize {
    statement
        .parameter_name(index)
        .and_then(|name| name.strip_prefix('$'))
        .and_then(|digits| digits.parse::<usize>().ok())
        .unwrap_or(index)
        .saturating_sub(1)
}

/// Binds `values` to a statement's placeholders, as [`Layout::bind`] does, for a statement run
/// once.
fn bind_numbered(statement: &mut Statement<'_>, values: &[&dyn ToSql]) -> rusqlite::Result<()> {
    for index in 1..=statement.parameter_count() {
        if let Some(value) = values.get(value_position(statement, index)) {
            statement.raw_bind_parameter(index, value)?;
        }
    }
    Ok(())
}

/// Runs a cached statement and reads every row as `T`.
pub(crate) fn fetch_all<T: ReadRow + 'static>(
    connection: &Connection,
    sql: &str,
    values: &[&dyn ToSql],
) -> rusqlite::Result<Vec<T>> {
    let mut statement = connection.prepare_cached(sql)?;
    let layout = Layout::of::<T>(&statement, sql)?;
    statement.clear_bindings();
    layout.bind(&mut statement, values)?;
    let started = Instant::now();
    let mut rows = statement.raw_query();
    let mut found = Vec::new();
    while let Some(row) = rows.next()? {
        found.push(T::read(&mut Columns {
            row,
            positions: &layout.positions,
            next: 0,
        })?);
    }
    drop(rows);
    let elapsed = started.elapsed();
    if elapsed >= crate::connect::SLOW_STATEMENT {
        log_slow_query(connection, sql, values, elapsed);
    }
    Ok(found)
}

fn log_slow_query(connection: &Connection, sql: &str, values: &[&dyn ToSql], elapsed: Duration) {
    if !tracing::enabled!(tracing::Level::DEBUG) {
        return;
    }
    let plan = explain(connection, sql, values).unwrap_or_else(|error| error.to_string());
    tracing::debug!(elapsed_ms = elapsed.as_millis(), sql, plan, "slow query");
}

/// SQLite's plan for `sql`, one step a line.
fn explain(connection: &Connection, sql: &str, values: &[&dyn ToSql]) -> rusqlite::Result<String> {
    let mut statement = connection.prepare(&format!("EXPLAIN QUERY PLAN {sql}"))?;
    bind_numbered(&mut statement, values)?;
    let mut rows = statement.raw_query();
    let mut plan = Vec::new();
    while let Some(row) = rows.next()? {
        plan.push(row.get::<_, String>(3)?);
    }
    Ok(plan.join("\n"))
}

/// A single-column row, read by position.
impl<A: rusqlite::types::FromSql> ReadRow for (A,) {
    const COLUMNS: &'static [&'static str] = &[];

    fn read(columns: &mut Columns<'_, '_>) -> rusqlite::Result<Self> {
        Ok((columns.value()?,))
    }
}

/// A two-column row, read by position.
impl<A: rusqlite::types::FromSql, B: rusqlite::types::FromSql> ReadRow for (A, B) {
    const COLUMNS: &'static [&'static str] = &[];

    fn read(columns: &mut Columns<'_, '_>) -> rusqlite::Result<Self> {
        Ok((columns.value()?, columns.value()?))
    }
}

/// Runs `work` inside one read transaction: every statement sees the same snapshot, and the
/// database's shared lock is taken once instead of once per statement.
pub(crate) fn in_snapshot<T>(
    connection: &Connection,
    work: impl FnOnce() -> rusqlite::Result<T>,
) -> rusqlite::Result<T> {
    connection.prepare_cached("BEGIN")?.execute([])?;
    let outcome = work()?;
    connection.prepare_cached("COMMIT")?.execute([])?;
    Ok(outcome)
}

/// A value bound to a hot-path read, for either engine.
#[derive(Debug, Clone)]
pub(crate) enum Param {
    Int(Option<i64>),
    Text(Option<String>),
}

impl From<i64> for Param {
    fn from(value: i64) -> Param {
        Param::Int(Some(value))
    }
}

impl From<Option<i64>> for Param {
    fn from(value: Option<i64>) -> Param {
        Param::Int(value)
    }
}

impl From<Option<String>> for Param {
    fn from(value: Option<String>) -> Param {
        Param::Text(value)
    }
}

impl From<&str> for Param {
    fn from(value: &str) -> Param {
        Param::Text(Some(value.to_owned()))
    }
}

impl ToSql for Param {
    fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
        match self {
            Param::Int(value) => value.to_sql(),
            Param::Text(value) => value.to_sql(),
        }
    }
}

impl crate::connect::Db {
    /// The rows of a read on the hot path: on SQLite through `rusqlite` (one hand-off for the
    /// whole result), on PostgreSQL through sqlx; `sql` is the same text for both.
    pub(crate) async fn hot_rows<T>(&self, sql: String, params: Vec<Param>) -> Result<Vec<T>>
    where
        T: ReadRow + for<'r> sqlx::FromRow<'r, sqlx::postgres::PgRow> + Send + Unpin + 'static,
    {
        crate::query_count::count_query();
        match self.pools() {
            crate::connect::Pools::Sqlite { fast_readers, .. } => {
                fast_readers
                    .run(move |connection| {
                        let values: Vec<&dyn ToSql> =
                            params.iter().map(|param| param as &dyn ToSql).collect();
                        fetch_all(connection, &sql, &values)
                    })
                    .await
            }
            crate::connect::Pools::Postgres(pool) => {
                let started = Instant::now();
                let rows = bind_params(sqlx::query_as::<_, T>(&sql), &params)
                    .fetch_all(pool)
                    .await?;
                let elapsed = started.elapsed();
                if elapsed >= crate::connect::SLOW_STATEMENT
                    && tracing::enabled!(tracing::Level::DEBUG)
                {
                    let plan = explain_on_postgres(pool, &sql, &params)
                        .await
                        .unwrap_or_else(|error| error.to_string());
                    tracing::debug!(elapsed_ms = elapsed.as_millis(), sql, plan, "slow query");
                }
                Ok(rows)
            }
        }
    }
}

/// PostgreSQL's plan for `sql` with these values, one step a line (as [`explain`] for SQLite).
async fn explain_on_postgres(
    pool: &sqlx::PgPool,
    sql: &str,
    params: &[Param],
) -> sqlx::Result<String> {
    let explain = format!("EXPLAIN {sql}");
    let lines: Vec<(String,)> = bind_params(sqlx::query_as(&explain), params)
        .fetch_all(pool)
        .await?;
    Ok(lines
        .into_iter()
        .map(|(line,)| line)
        .collect::<Vec<_>>()
        .join("\n"))
}

/// Binds hot-path parameters to a PostgreSQL query, in order.
fn bind_params<'q, T>(
    mut query: sqlx::query::QueryAs<'q, sqlx::Postgres, T, sqlx::postgres::PgArguments>,
    params: &[Param],
) -> sqlx::query::QueryAs<'q, sqlx::Postgres, T, sqlx::postgres::PgArguments> {
    for param in params {
        query = match param {
            Param::Int(value) => query.bind(*value),
            Param::Text(value) => query.bind(value.clone()),
        };
    }
    query
}
