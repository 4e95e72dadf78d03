//! Reading back the live schema, so that a test can prove the SQLite and PostgreSQL migrations
//! describe the same tables, columns (types, nullability, defaults) and indexes (columns, unique,
//! partial), and the one list of spellings in which the two migration folders may differ.
//!
//! Full-text search is the one part that differs by design (an FTS5 table and its triggers on
//! SQLite, a GIN index on PostgreSQL): everything named `status_search…` is left out here, and
//! so out of the comparison and of the instance copy, which rebuilds it by storing the posts.

use crate::connect::{Db, Pools};
use crate::error::Result;

/// The only type spellings in which the SQLite and PostgreSQL migrations differ, as (SQLite,
/// PostgreSQL): SQLite makes an `INTEGER PRIMARY KEY` the table's 64-bit rowid (a `BIGINT` in
/// all but name), and spells a double-precision float `REAL`. Each is swapped as whole words.
pub const DIALECT_SWAPS: [(&str, &str); 2] = [
    ("INTEGER PRIMARY KEY", "BIGINT PRIMARY KEY"),
    ("REAL", "DOUBLE PRECISION"),
];

/// `sqlite_text` as PostgreSQL spells it: every [`DIALECT_SWAPS`] pair swapped, as whole words.
pub fn to_postgres_spelling(sqlite_text: &str) -> String {
    DIALECT_SWAPS
        .iter()
        .fold(sqlite_text.to_owned(), |text, (sqlite, postgres)| {
            replace_words(&text, sqlite, postgres)
        })
}

/// Replaces each occurrence of `from` that is not part of a longer identifier.
fn replace_words(text: &str, from: &str, to: &str) -> String {
    let is_word = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_');
    let mut out = String::with_capacity(text.len());
    let mut copied = 0;
    for (at, _) in text.match_indices(from) {
        let before = text[..at].chars().next_back();
        let after = text[at + from.len()..].chars().next();
        if !is_word(before) && !is_word(after) {
            out.push_str(&text[copied..at]);
            out.push_str(to);
            copied = at + from.len();
        }
    }
    out.push_str(&text[copied..]);
    out
}

/// A column as the schema-parity check compares it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct SchemaColumn {
    pub table: String,
    pub column: String,
    /// The type as PostgreSQL spells it, in capitals (SQLite's declared type goes through
    /// [`DIALECT_SWAPS`]), followed by ` PRIMARY KEY` for a primary key's columns.
    pub data_type: String,
    pub not_null: bool,
    /// The default's SQL text, without PostgreSQL's casts (its `''::text` is `''`) and with
    /// booleans in lower case.
    pub default: Option<String>,
}

/// An index created by a migration (primary keys excluded).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct SchemaIndex {
    pub table: String,
    pub name: String,
    pub unique: bool,
    /// Whether it has a `WHERE` clause.
    pub partial: bool,
    /// Its key columns in order; `(expression)` stands for an expression such as `lower(email)`.
    pub columns: Vec<String>,
}

const EXPRESSION: &str = "(expression)";

impl Db {
    /// Every column of every Woolly table, sorted.
    pub async fn schema_columns(&self) -> Result<Vec<SchemaColumn>> {
        type Row = (String, String, String, bool, Option<String>, bool);
        let rows: Vec<Row> = match self.pools() {
            Pools::Sqlite { readers, .. } => {
                sqlx::query_as(
                    "SELECT m.name, p.name, upper(p.type), (p.\"notnull\" = 1 OR p.pk > 0), \
                            p.dflt_value, p.pk > 0 \
                     FROM sqlite_master m JOIN pragma_table_info(m.name) p \
                     WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' AND m.name NOT LIKE '_sqlx_%' \
                       AND m.name NOT LIKE 'status_search%'",
                )
                .fetch_all(readers)
                .await?
            }
            Pools::Postgres(pool) => {
                sqlx::query_as(
                    "SELECT c.table_name::text, c.column_name::text, upper(c.data_type)::text, \
                            c.is_nullable = 'NO', c.column_default::text, \
                            EXISTS (SELECT 1 FROM pg_index ix \
                                    JOIN pg_attribute a ON a.attrelid = ix.indrelid \
                                        AND a.attnum = ANY (ix.indkey::int2[]) \
                                    WHERE ix.indisprimary \
                                      AND ix.indrelid = (quote_ident(c.table_schema) || '.' \
                                                         || quote_ident(c.table_name))::regclass \
                                      AND a.attname = c.column_name) \
                     FROM information_schema.columns c \
                     WHERE c.table_schema = current_schema() AND c.table_name NOT LIKE '_sqlx_%'",
                )
                .fetch_all(pool)
                .await?
            }
        };
        let mut columns: Vec<SchemaColumn> = rows
            .into_iter()
            .map(
                |(table, column, data_type, not_null, default, primary_key)| {
                    let data_type = if primary_key {
                        format!("{data_type} PRIMARY KEY")
                    } else {
                        data_type
                    };
                    SchemaColumn {
                        table,
                        column,
                        data_type: to_postgres_spelling(&data_type),
                        not_null,
                        default: default.as_deref().map(normalize_default),
                    }
                },
            )
            .collect();
        columns.sort();
        Ok(columns)
    }

    /// Every index the migrations created, sorted.
    pub async fn schema_indexes(&self) -> Result<Vec<SchemaIndex>> {
        // One row per key column of each index, in order; the column is NULL for an expression.
        type Row = (String, String, bool, bool, i64, Option<String>);
        let rows: Vec<Row> = match self.pools() {
            Pools::Sqlite { readers, .. } => {
                sqlx::query_as(
                    "SELECT m.name, i.name, i.\"unique\" = 1, i.partial = 1, x.seqno, x.name \
                     FROM sqlite_master m JOIN pragma_index_list(m.name) i \
                     JOIN pragma_index_xinfo(i.name) x \
                     WHERE m.type = 'table' AND i.origin = 'c' AND m.name NOT LIKE '_sqlx_%' \
                       AND m.name NOT LIKE 'status_search%' AND x.key = 1",
                )
                .fetch_all(readers)
                .await?
            }
            Pools::Postgres(pool) => {
                sqlx::query_as(
                    "SELECT t.relname::text, i.relname::text, ix.indisunique, ix.indpred IS NOT NULL, \
                            k.position, a.attname::text \
                     FROM pg_index ix \
                     JOIN pg_class i ON i.oid = ix.indexrelid \
                     JOIN pg_class t ON t.oid = ix.indrelid \
                     JOIN pg_namespace n ON n.oid = t.relnamespace \
                     CROSS JOIN LATERAL unnest(ix.indkey::int2[]) WITH ORDINALITY AS k(attnum, position) \
                     LEFT JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum \
                     WHERE n.nspname = current_schema() AND NOT ix.indisprimary \
                       AND t.relname NOT LIKE '_sqlx_%' AND i.relname NOT LIKE 'status_search%'",
                )
                .fetch_all(pool)
                .await?
            }
        };
        let mut rows = rows;
        rows.sort();
        let mut indexes: Vec<SchemaIndex> = Vec::new();
        for (table, name, unique, partial, _, column) in rows {
            let column = column.unwrap_or_else(|| EXPRESSION.to_owned());
            match indexes.last_mut() {
                Some(index) if index.table == table && index.name == name => {
                    index.columns.push(column);
                }
                _ => indexes.push(SchemaIndex {
                    table,
                    name,
                    unique,
                    partial,
                    columns: vec![column],
                }),
            }
        }
        indexes.sort();
        Ok(indexes)
    }
}

/// A column default's text in one spelling for both engines: PostgreSQL's casts dropped
/// (`'list'::text` is `'list'`), `TRUE`/`FALSE` in lower case as PostgreSQL prints them.
fn normalize_default(default: &str) -> String {
    let mut default = default.trim();
    if let Some((value, cast)) = default.rsplit_once("::")
        && !cast.is_empty()
        && cast.chars().all(|c| c.is_ascii_lowercase() || c == ' ')
    {
        default = value;
    }
    if default.eq_ignore_ascii_case("true") || default.eq_ignore_ascii_case("false") {
        default.to_ascii_lowercase()
    } else {
        default.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::{normalize_default, to_postgres_spelling};

    #[test]
    fn sqlite_spellings_become_postgresql_ones_as_whole_words() {
        assert_eq!(
            to_postgres_spelling("id INTEGER PRIMARY KEY, focus REAL NOT NULL, realm TEXT"),
            "id BIGINT PRIMARY KEY, focus DOUBLE PRECISION NOT NULL, realm TEXT"
        );
        assert_eq!(
            to_postgres_spelling("UNREAL REAL_X REAL"),
            "UNREAL REAL_X DOUBLE PRECISION"
        );
        assert_eq!(
            to_postgres_spelling("attempts INTEGER NOT NULL"),
            "attempts INTEGER NOT NULL"
        );
    }

    #[test]
    fn defaults_lose_postgresql_casts_and_boolean_case() {
        assert_eq!(normalize_default("''::text"), "''");
        assert_eq!(normalize_default("'list'::character varying"), "'list'");
        assert_eq!(normalize_default("FALSE"), "false");
        assert_eq!(normalize_default("0"), "0");
        assert_eq!(normalize_default("'a::b'"), "'a::b'");
    }
}
