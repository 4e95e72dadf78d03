//! Binding a whole list of values as one query parameter.
//!
//! A list pasted into the SQL text (`IN (1, 2, 3)`) makes a new statement for every different
//! list, so the statement cache never hits and every call parses its SQL again (measured: a
//! quarter of a timeline page's CPU). A [`List`] is bound as one parameter instead, and
//! [`in_list`] spells "is one of them" for each engine: SQLite reads the list as a JSON array
//! (`json_each`), PostgreSQL as a native array (`= ANY`). The SQL text stays the same whatever the
//! list holds, so each statement is prepared once per connection.

use sqlx::encode::IsNull;
use sqlx::error::BoxDynError;
use sqlx::postgres::{PgArgumentBuffer, PgHasArrayType, PgTypeInfo};
use sqlx::sqlite::{SqliteArgumentValue, SqliteTypeInfo};
use sqlx::{Encode, Postgres, Sqlite, Type};

use crate::connect::Engine;

/// A list of values bound as one parameter; use it where [`in_list`] names the parameter.
pub(crate) struct List<'a, T>(pub &'a [T]);

/// The SQL for "the expression before it is one of the values of the [`List`] bound as
/// `parameter`" (such as `$2`), for `engine`.
pub(crate) fn in_list(engine: Engine, parameter: &str) -> String {
    match engine {
        Engine::Sqlite => format!("IN (SELECT value FROM json_each({parameter}))"),
        Engine::Postgres => format!("= ANY({parameter})"),
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

/// The same list for the `rusqlite` read path, as the JSON array `json_each` reads.
impl<T: serde::Serialize> rusqlite::types::ToSql for List<'_, T> {
    fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
        let json = serde_json::to_string(self.0)
            .map_err(|error| rusqlite::Error::ToSqlConversionFailure(Box::new(error)))?;
        Ok(rusqlite::types::ToSqlOutput::Owned(
            rusqlite::types::Value::Text(json),
        ))
    }
}
