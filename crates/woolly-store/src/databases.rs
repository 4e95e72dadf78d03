//! Creating and dropping whole PostgreSQL databases on a server: what the test suite does to give
//! every test a database of its own, and what an operator's setup script may do once.

use sqlx::Connection as _;
use sqlx::postgres::PgConnection;

use crate::error::{Result, StoreError};

/// Creates database `name` on the server `server_url` points at (any database on it will do),
/// and returns the URL of the new database.
pub async fn create_postgres_database(server_url: &str, name: &str) -> Result<String> {
    check_name(name)?;
    let mut conn = PgConnection::connect(server_url).await?;
    sqlx::query(&format!("CREATE DATABASE \"{name}\""))
        .execute(&mut conn)
        .await?;
    conn.close().await?;
    Ok(replace_database(server_url, name))
}

/// Drops database `name` (if it exists) on the server `server_url` points at, disconnecting
/// anything still connected to it.
pub async fn drop_postgres_database(server_url: &str, name: &str) -> Result<()> {
    check_name(name)?;
    let mut conn = PgConnection::connect(server_url).await?;
    sqlx::query(&format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"))
        .execute(&mut conn)
        .await?;
    conn.close().await?;
    Ok(())
}

/// Database names are interpolated into SQL, so only plain identifiers are accepted.
fn check_name(name: &str) -> Result<()> {
    let valid = !name.is_empty()
        && name.len() <= 63
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
    if valid {
        Ok(())
    } else {
        Err(StoreError::Corrupt(format!(
            "invalid database name {name:?}"
        )))
    }
}

/// `postgres://user@host:5432/old?x=y` → `postgres://user@host:5432/{name}?x=y`.
fn replace_database(server_url: &str, name: &str) -> String {
    let (base, query) = match server_url.split_once('?') {
        Some((base, query)) => (base, Some(query)),
        None => (server_url, None),
    };
    let authority_start = base.find("://").map_or(0, |index| index + 3);
    let base = match base[authority_start..].find('/') {
        Some(slash) => &base[..authority_start + slash],
        None => base,
    };
    match query {
        Some(query) => format!("{base}/{name}?{query}"),
        None => format!("{base}/{name}"),
    }
}

#[cfg(test)]
mod tests {
    use super::replace_database;

    #[test]
    fn database_names_are_replaced_in_urls() {
        assert_eq!(
            replace_database("postgres://postgres@127.0.0.1:5432/postgres", "t1"),
            "postgres://postgres@127.0.0.1:5432/t1"
        );
        assert_eq!(replace_database("postgres://h", "t1"), "postgres://h/t1");
        assert_eq!(
            replace_database("postgres://u@h/db?sslmode=disable", "t1"),
            "postgres://u@h/t1?sslmode=disable"
        );
    }
}
