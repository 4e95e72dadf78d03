//! Copying the whole database out and back in, for `woolly admin export` and `import`: an
//! instance moves to another machine, or between SQLite and PostgreSQL, with every row.
//!
//! The copy names no table: it reads the live schema (the tables and columns the migrations
//! made, the same on both engines, see [`crate::schema`]), so a migration that adds a table or a
//! column is carried without a change here. A value travels as JSON, typed by its column:
//! integers, text, booleans and floats are all Woolly's migrations use, and a column of any
//! other type stops the copy rather than lose what it holds.
//!
//! Out: one read-only transaction, a snapshot (WAL on SQLite, `REPEATABLE READ` on PostgreSQL),
//! so that a copy taken while the server runs is consistent. In: one write transaction into a
//! database without accounts or posts, at the schema the copy was taken from, with foreign keys
//! checked once at the end (SQLite defers them; PostgreSQL's are dropped and added again, which
//! checks every row), so that an import lands whole or leaves nothing.

use futures_util::TryStreamExt as _;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::connect::{Db, Engine, Pools, Tx, TxConn, on_tx};
use crate::error::{Result, StoreError};

/// The type of a column, as the copy carries its values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ValueKind {
    Integer,
    Text,
    Boolean,
    Float,
}

impl ValueKind {
    /// The kind of a column whose type PostgreSQL spells `data_type` (see
    /// [`crate::schema::SchemaColumn::data_type`]).
    fn of(table: &str, column: &str, data_type: &str) -> Result<ValueKind> {
        match data_type.trim_end_matches(" PRIMARY KEY") {
            "BIGINT" | "INTEGER" => Ok(ValueKind::Integer),
            "TEXT" => Ok(ValueKind::Text),
            "BOOLEAN" => Ok(ValueKind::Boolean),
            "DOUBLE PRECISION" => Ok(ValueKind::Float),
            other => Err(StoreError::Copy(format!(
                "column {table}.{column} has type {other}, which the copy cannot carry"
            ))),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CopiedColumn {
    pub name: String,
    #[serde(rename = "type")]
    pub kind: ValueKind,
}

/// A table as the copy carries it: its name and columns.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CopiedTable {
    pub name: String,
    pub columns: Vec<CopiedColumn>,
}

/// Rows inserted by one statement: few enough parameters for either engine (SQLite allows
/// 32,766, PostgreSQL 65,535).
const PARAMETERS_PER_INSERT: usize = 4_000;

impl Db {
    /// Every table of this database and its columns, by name.
    pub async fn copied_tables(&self) -> Result<Vec<CopiedTable>> {
        let mut tables: Vec<CopiedTable> = Vec::new();
        for column in self.schema_columns().await? {
            let kind = ValueKind::of(&column.table, &column.column, &column.data_type)?;
            let copied = CopiedColumn {
                name: column.column,
                kind,
            };
            match tables.last_mut() {
                Some(table) if table.name == column.table => table.columns.push(copied),
                _ => tables.push(CopiedTable {
                    name: column.table,
                    columns: vec![copied],
                }),
            }
        }
        Ok(tables)
    }

    /// A consistent, read-only view of the whole database, which writers do not wait for.
    pub async fn snapshot(&self) -> Result<Snapshot> {
        let conn = match self.pools() {
            // A deferred transaction on a read connection: under WAL, its first read fixes what
            // every later read in it sees.
            Pools::Sqlite { readers, .. } => TxConn::Sqlite(readers.begin().await?),
            Pools::Postgres(pool) => TxConn::Postgres(
                pool.begin_with("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY")
                    .await?,
            ),
        };
        Ok(Snapshot { conn })
    }

    /// Starts restoring a copy: refuses a database that has accounts or posts, then empties the
    /// tables (what migrations and a first start put there: the id-generator nodes, the
    /// instance's secrets) and lets rows go in any order until [`Restore::finish`].
    pub async fn begin_restore(&self) -> Result<Restore> {
        let tables = self.copied_tables().await?;
        let mut tx = self.begin().await?;
        let used: i64 = on_tx!(tx, conn => sqlx::query_scalar(
            "SELECT (SELECT COUNT(*) FROM account) + (SELECT COUNT(*) FROM status)",
        )
        .fetch_one(&mut *conn)
        .await)?;
        if used > 0 {
            return Err(StoreError::Copy(
                "the database already has accounts or posts: import into a new, empty one".into(),
            ));
        }
        let foreign_keys = match tx.engine() {
            Engine::Sqlite => {
                // Checked at commit instead of at each row; it lasts until the transaction ends.
                on_tx!(rows_affected, tx, conn => sqlx::query("PRAGMA defer_foreign_keys = ON")
                    .execute(&mut *conn)
                    .await)?;
                Vec::new()
            }
            Engine::Postgres => drop_postgres_foreign_keys(&mut tx).await?,
        };
        for table in &tables {
            let sql = format!("DELETE FROM {}", quoted(&table.name));
            on_tx!(rows_affected, tx, conn => sqlx::query(&sql).execute(&mut *conn).await)?;
        }
        Ok(Restore {
            tx,
            tables,
            foreign_keys,
        })
    }
}

/// A read-only view of the database at one moment; see [`Db::snapshot`].
pub struct Snapshot {
    conn: TxConn,
}

impl Snapshot {
    /// Calls `each_row` with every row of `table`, its values in the order of `table.columns`;
    /// returns how many there were. An error of `each_row` (writing the copy) stops the read.
    pub async fn read_rows(
        &mut self,
        table: &CopiedTable,
        mut each_row: impl FnMut(Vec<Value>) -> std::io::Result<()>,
    ) -> Result<u64> {
        let selected: Vec<String> = table
            .columns
            .iter()
            .map(|column| match column.kind {
                // PostgreSQL's INTEGER is 32 bits, read as one 64-bit type on both engines.
                ValueKind::Integer => format!("CAST({} AS BIGINT)", quoted(&column.name)),
                _ => quoted(&column.name),
            })
            .collect();
        let sql = format!(
            "SELECT {} FROM {}",
            selected.join(", "),
            quoted(&table.name)
        );
        let mut count = 0;
        on_tx!(self, conn => {
            let mut rows = sqlx::query(&sql).fetch(&mut *conn);
            while let Some(row) = rows.try_next().await? {
                each_row(values_of(&row, table)?).map_err(StoreError::CopyOut)?;
                count += 1;
            }
            Ok::<(), StoreError>(())
        })?;
        Ok(count)
    }
}

/// A restore under way; see [`Db::begin_restore`]. Dropped without [`Restore::finish`], it
/// leaves the database as it was.
pub struct Restore {
    tx: Tx,
    tables: Vec<CopiedTable>,
    /// PostgreSQL's foreign keys, dropped for the restore: (table, name, definition).
    foreign_keys: Vec<(String, String, String)>,
}

impl Restore {
    /// The tables of the database being restored, to check a copy against.
    pub fn tables(&self) -> &[CopiedTable] {
        &self.tables
    }

    /// Inserts `rows` into `table`, each a JSON array of values in the order of
    /// `table.columns`, which must be this database's own columns of that table.
    pub async fn insert_rows(&mut self, table: &CopiedTable, rows: &[Vec<Value>]) -> Result<()> {
        if !self.tables.contains(table) {
            return Err(StoreError::Copy(format!(
                "table {} is not in this database with the same columns",
                table.name
            )));
        }
        let width = table.columns.len().max(1);
        for batch in rows.chunks((PARAMETERS_PER_INSERT / width).max(1)) {
            let mut bound = Vec::with_capacity(batch.len() * width);
            for row in batch {
                bound.extend(bindable(table, row)?);
            }
            let sql = insert_sql(table, batch.len());
            on_tx!(rows_affected, self.tx, conn => {
                let mut query = sqlx::query(&sql);
                for value in &bound {
                    query = match *value {
                        Bound::Integer(value) => query.bind(value),
                        Bound::Text(value) => query.bind(value),
                        Bound::Boolean(value) => query.bind(value),
                        Bound::Float(value) => query.bind(value),
                    };
                }
                query.execute(&mut *conn).await
            })?;
        }
        Ok(())
    }

    /// Checks every foreign key, frees the id-generator nodes of the processes the copy was
    /// taken beside (each keeps the last millisecond it used, so ids only grow) and commits.
    pub async fn finish(mut self) -> Result<()> {
        for (table, name, definition) in &self.foreign_keys {
            let sql = format!(
                "ALTER TABLE {table} ADD CONSTRAINT {} {definition}",
                quoted(name)
            );
            on_tx!(rows_affected, self.tx, conn => sqlx::query(&sql).execute(&mut *conn).await)?;
        }
        on_tx!(rows_affected, self.tx, conn => sqlx::query("UPDATE id_node SET holder = NULL")
            .execute(&mut *conn)
            .await)?;
        self.tx.commit().await
    }
}

/// Drops every foreign key of the current schema, returning (table, name, definition) of each
/// to add again. PostgreSQL's foreign keys are not deferrable, and a table that refers to
/// itself has no order of rows that satisfies them as they go in.
async fn drop_postgres_foreign_keys(tx: &mut Tx) -> Result<Vec<(String, String, String)>> {
    let keys: Vec<(String, String, String)> = on_tx!(tx, conn => sqlx::query_as(
        "SELECT c.conrelid::regclass::text, c.conname::text, pg_get_constraintdef(c.oid) \
         FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace \
         WHERE c.contype = 'f' AND n.nspname = current_schema() \
         ORDER BY 1, 2",
    )
    .fetch_all(&mut *conn)
    .await)?;
    for (table, name, _) in &keys {
        let sql = format!("ALTER TABLE {table} DROP CONSTRAINT {}", quoted(name));
        on_tx!(rows_affected, tx, conn => sqlx::query(&sql).execute(&mut *conn).await)?;
    }
    Ok(keys)
}

/// A value ready to bind, typed by its column.
enum Bound<'a> {
    Integer(Option<i64>),
    Text(Option<&'a str>),
    Boolean(Option<bool>),
    Float(Option<f64>),
}

/// `row`'s values checked against `table`'s columns.
fn bindable<'a>(table: &CopiedTable, row: &'a [Value]) -> Result<Vec<Bound<'a>>> {
    if row.len() != table.columns.len() {
        return Err(StoreError::Copy(format!(
            "a row of {} has {} values for {} columns",
            table.name,
            row.len(),
            table.columns.len()
        )));
    }
    table
        .columns
        .iter()
        .zip(row)
        .map(|(column, value)| {
            let wrong = || {
                StoreError::Copy(format!(
                    "{}.{}: {value} is not a value of type {:?}",
                    table.name, column.name, column.kind
                ))
            };
            Ok(match (column.kind, value) {
                (ValueKind::Integer, Value::Null) => Bound::Integer(None),
                (ValueKind::Integer, value) => {
                    Bound::Integer(Some(value.as_i64().ok_or_else(wrong)?))
                }
                (ValueKind::Text, Value::Null) => Bound::Text(None),
                (ValueKind::Text, value) => Bound::Text(Some(value.as_str().ok_or_else(wrong)?)),
                (ValueKind::Boolean, Value::Null) => Bound::Boolean(None),
                (ValueKind::Boolean, value) => {
                    Bound::Boolean(Some(value.as_bool().ok_or_else(wrong)?))
                }
                (ValueKind::Float, Value::Null) => Bound::Float(None),
                (ValueKind::Float, value) => Bound::Float(Some(value.as_f64().ok_or_else(wrong)?)),
            })
        })
        .collect()
}

/// A row's values as JSON, read by the kind of each column.
fn values_of<'r, R>(row: &'r R, table: &CopiedTable) -> Result<Vec<Value>>
where
    R: sqlx::Row,
    usize: sqlx::ColumnIndex<R>,
    Option<i64>: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
    Option<String>: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
    Option<bool>: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
    Option<f64>: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
{
    table
        .columns
        .iter()
        .enumerate()
        .map(|(index, column)| {
            Ok(match column.kind {
                ValueKind::Integer => row.try_get::<Option<i64>, _>(index)?.into(),
                ValueKind::Text => row.try_get::<Option<String>, _>(index)?.into(),
                ValueKind::Boolean => row.try_get::<Option<bool>, _>(index)?.into(),
                ValueKind::Float => match row.try_get::<Option<f64>, _>(index)? {
                    None => Value::Null,
                    Some(float) => serde_json::Number::from_f64(float)
                        .map(Value::Number)
                        .ok_or_else(|| {
                            StoreError::Copy(format!(
                                "{}.{} holds {float}, which JSON cannot carry",
                                table.name, column.name
                            ))
                        })?,
                },
            })
        })
        .collect()
}

fn insert_sql(table: &CopiedTable, rows: usize) -> String {
    let names: Vec<String> = table.columns.iter().map(|c| quoted(&c.name)).collect();
    let width = table.columns.len();
    let tuples: Vec<String> = (0..rows)
        .map(|row| {
            let placeholders: Vec<String> = (1..=width)
                .map(|column| format!("${}", row * width + column))
                .collect();
            format!("({})", placeholders.join(", "))
        })
        .collect();
    format!(
        "INSERT INTO {} ({}) VALUES {}",
        quoted(&table.name),
        names.join(", "),
        tuples.join(", ")
    )
}

/// An identifier in double quotes, as both engines read it. Names come from the database's own
/// catalogue, never from a copy: a copy's table is used only once found among them.
fn quoted(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}
