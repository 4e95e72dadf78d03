//! Binding a whole list of values as one query parameter.
//!
//! A list pasted into the SQL text (`IN (1, 2, 3)`) makes a new statement for every different
//! list, so the statement cache never hits and every call parses its SQL again (measured: a
//! quarter of a timeline page's CPU). A [`List`] is bound as one parameter instead, and
//! [`in_list`] spells "is one of them" for each way of binding it ([`ListSyntax`]): through
//! sqlx, SQLite reads the list as a JSON array (`json_each`) and PostgreSQL as a native array
//! (`= ANY`); on SQLite's hot read path (`rusqlite`) the values are handed over as they are, read
//! by the `rarray` table (parsing the JSON took 7 % of the home timeline's CPU, measured with
//! `perf`). The SQL text stays the same whatever the list holds, so each statement is prepared
//! once per connection.

use sqlx::encode::IsNull;
use sqlx::error::BoxDynError;
use sqlx::postgres::{PgArgumentBuffer, PgHasArrayType, PgTypeInfo};
use sqlx::sqlite::{SqliteArgumentValue, SqliteTypeInfo};
use sqlx::{Encode, Postgres, Sqlite, Type};

use crate::connect::Engine;

/// A list of values bound as one parameter; use it where [`in_list`] names the parameter.
pub(crate) struct List<'a, T>(pub &'a [T]);

/// How a [`List`] reaches the database, which decides how SQL names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ListSyntax {
    /// SQLite through sqlx: a JSON array read by `json_each`.
    Json,
    /// SQLite's hot read path: the values themselves, read by `rarray` (registered on each of
    /// its connections).
    Values,
    /// PostgreSQL: a native array.
    Array,
}

impl ListSyntax {
    /// The syntax of statements run on SQLite's hot read path (`crate::sqlite_reads`).
    pub(crate) fn hot(engine: Engine) -> ListSyntax {
        match engine {
            Engine::Sqlite => ListSyntax::Values,
            Engine::Postgres => ListSyntax::Array,
        }
    }
}

/// Statements run through sqlx.
impl From<Engine> for ListSyntax {
    fn from(engine: Engine) -> ListSyntax {
        match engine {
            Engine::Sqlite => ListSyntax::Json,
            Engine::Postgres => ListSyntax::Array,
        }
    }
}

/// The SQL for "the expression before it is one of the values of the [`List`] bound as
/// `parameter`" (such as `$2`), in `syntax` (an [`Engine`] for statements run through sqlx).
pub(crate) fn in_list(syntax: impl Into<ListSyntax>, parameter: &str) -> String {
    match syntax.into() {
        ListSyntax::Json => format!("IN (SELECT value FROM json_each({parameter}))"),
        ListSyntax::Values => format!("IN rarray({parameter})"),
        ListSyntax::Array => format!("= ANY({parameter})"),
    }
}

impl<T> Type<Sqlite> for List<'_, T> {
    fn type_info() -> SqliteTypeInfo {
        <String as Type<Sqlite>>::type_info()
    }
}

impl<'q, T: serde::Serialize> Encode<'q, Sqlite> for List<'_, T> {
    fn encode_by_ref(
        &self,
        buffer: &mut Vec<SqliteArgumentValue<'q>>,
    ) -> Result<IsNull, BoxDynError> {
        let json = serde_json::to_string(self.0)?;
        <String as Encode<'q, Sqlite>>::encode(json, buffer)
    }
}

impl<T: PgHasArrayType> Type<Postgres> for List<'_, T> {
    fn type_info() -> PgTypeInfo {
        T::array_type_info()
    }

    fn compatible(ty: &PgTypeInfo) -> bool {
        T::array_compatible(ty)
    }
}

impl<'q, T> Encode<'q, Postgres> for List<'_, T>
where
    T: PgHasArrayType,
    for<'a> &'a [T]: Encode<'q, Postgres>,
{
    fn encode_by_ref(&self, buffer: &mut PgArgumentBuffer) -> Result<IsNull, BoxDynError> {
        <&[T] as Encode<'q, Postgres>>::encode_by_ref(&self.0, buffer)
    }
}

/// The same list of ids for the `rusqlite` read path, as the values `rarray` reads
/// ([`ListSyntax::Values`]).
impl rusqlite::types::ToSql for List<'_, i64> {
    fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
        let values = self
            .0
            .iter()
            .map(|id| rusqlite::types::Value::Integer(*id))
            .collect();
        Ok(rusqlite::types::ToSqlOutput::Array(std::rc::Rc::new(
            values,
        )))
    }
}
