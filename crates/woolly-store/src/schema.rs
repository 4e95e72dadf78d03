//! Reading back the live schema, so that a test can prove the SQLite and PostgreSQL migrations
//! describe the same tables, columns and indexes.

use crate::connect::{Db, Pools};
use crate::error::Result;

/// A column as the schema-parity check compares it: types differ by dialect, nullability must not.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct SchemaColumn {
    pub table: String,
    pub column: String,
    pub not_null: bool,
}

/// An index created by a migration (primary keys excluded).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct SchemaIndex {
    pub table: String,
    pub name: String,
    pub unique: bool,
}

impl Db {
    /// Every column of every Woolly table, sorted.
    pub async fn schema_columns(&self) -> Result<Vec<SchemaColumn>> {
        let rows: Vec<(String, String, bool)> = match self.pools() {
            Pools::Sqlite { readers, .. } => {
                sqlx::query_as(
                    "SELECT m.name, p.name, (p.\"notnull\" = 1 OR p.pk > 0) \
                     FROM sqlite_master m JOIN pragma_table_info(m.name) p \
                     WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' AND m.name NOT LIKE '_sqlx_%'",
                )
                .fetch_all(readers)
                .await?
            }
            Pools::Postgres(pool) => {
                sqlx::query_as(
                    "SELECT table_name::text, column_name::text, is_nullable = 'NO' \
                     FROM information_schema.columns \
                     WHERE table_schema = current_schema() AND table_name NOT LIKE '_sqlx_%'",
                )
                .fetch_all(pool)
                .await?
            }
        };
        let mut columns: Vec<SchemaColumn> = rows
            .into_iter()
            .map(|(table, column, not_null)| SchemaColumn {
                table,
                column,
                not_null,
            })
            .collect();
        columns.sort();
        Ok(columns)
    }

    /// Every index the migrations created, sorted.
    pub async fn schema_indexes(&self) -> Result<Vec<SchemaIndex>> {
        let rows: Vec<(String, String, bool)> = match self.pools() {
            Pools::Sqlite { readers, .. } => {
                sqlx::query_as(
                    "SELECT m.name, i.name, i.\"unique\" = 1 \
                     FROM sqlite_master m JOIN pragma_index_list(m.name) i \
                     WHERE m.type = 'table' AND i.origin = 'c' AND m.name NOT LIKE '_sqlx_%'",
                )
                .fetch_all(readers)
                .await?
            }
            Pools::Postgres(pool) => {
                sqlx::query_as(
                    "SELECT tablename::text, indexname::text, indexdef LIKE 'CREATE UNIQUE%' \
                     FROM pg_indexes WHERE schemaname = current_schema() \
                     AND indexname NOT LIKE '%_pkey' AND tablename NOT LIKE '_sqlx_%'",
                )
                .fetch_all(pool)
                .await?
            }
        };
        let mut indexes: Vec<SchemaIndex> = rows
            .into_iter()
            .map(|(table, name, unique)| SchemaIndex {
                table,
                name,
                unique,
            })
            .collect();
        indexes.sort();
        Ok(indexes)
    }
}
