//! Where a Woolly instance under test keeps its data: a data directory, and on PostgreSQL a
//! database of its own on the server the user named. Databases are made and dropped with
//! `psql`, which the machine has for Woolly's own tests, so the harness needs no database driver.

use std::collections::HashMap;
use std::ffi::OsString;
use std::path::PathBuf;

use anyhow::{Context as _, bail};

use crate::process_stats;

/// The database engine an instance runs on.
#[derive(Debug, Clone)]
pub enum Engine {
    Sqlite,
    /// `server_url` points at any existing database of the server (e.g. `…/postgres`); the
    /// harness creates its own databases beside it.
    Postgres {
        server_url: String,
    },
}

impl Engine {
    pub fn name(&self) -> &'static str {
        match self {
            Engine::Sqlite => "sqlite",
            Engine::Postgres { .. } => "postgresql",
        }
    }

    /// The engine and its version, for the report.
    pub fn describe(&self) -> String {
        match self {
            Engine::Sqlite => "SQLite (Woolly's embedded default)".to_owned(),
            Engine::Postgres { server_url } => match psql(server_url, "SHOW server_version") {
                Ok(version) => format!("PostgreSQL {}", version.trim()),
                Err(_) => "PostgreSQL".to_owned(),
            },
        }
    }
}

/// The settings every `woolly` command of one instance shares, so that `woolly admin …` works
/// on the same data as the `woolly serve` beside it.
#[derive(Debug, Clone)]
pub struct Instance {
    pub data_dir: PathBuf,
    /// Only on PostgreSQL; SQLite lives in the data directory.
    pub database_url: Option<String>,
}

impl Instance {
    pub fn settings_args(&self) -> Vec<OsString> {
        let mut args = vec![
            OsString::from("--data-dir"),
            self.data_dir.clone().into_os_string(),
        ];
        if let Some(url) = &self.database_url {
            args.push(OsString::from("--database-url"));
            args.push(OsString::from(url));
        }
        args
    }
}

/// Creates an empty database, or a copy of `template` (PostgreSQL copies a template's files,
/// far faster than seeding again).
pub fn create_database(server_url: &str, name: &str, template: Option<&str>) -> anyhow::Result<()> {
    let statement = match template {
        Some(template) => format!(
            "CREATE DATABASE {} TEMPLATE {}",
            quote_identifier(name)?,
            quote_identifier(template)?
        ),
        None => format!("CREATE DATABASE {}", quote_identifier(name)?),
    };
    psql(server_url, &statement)?;
    if template.is_some() {
        // A copy keeps whatever planner statistics its template had, possibly none from before
        // seeding; a live server's autovacuum keeps them current, so the copy is analyzed as
        // that would leave it, or PostgreSQL plans for empty tables.
        psql(&database_url(server_url, name)?, "ANALYZE")?;
    }
    Ok(())
}

pub fn drop_database(server_url: &str, name: &str) -> anyhow::Result<()> {
    psql(
        server_url,
        &format!(
            "DROP DATABASE IF EXISTS {} WITH (FORCE)",
            quote_identifier(name)?
        ),
    )?;
    Ok(())
}

pub fn database_exists(server_url: &str, name: &str) -> anyhow::Result<bool> {
    let answer = psql(
        server_url,
        &format!(
            "SELECT count(*) FROM pg_database WHERE datname = '{}'",
            plain_name(name)?
        ),
    )?;
    Ok(answer.trim() == "1")
}

/// A database of the harness's on a PostgreSQL server, whose backends' CPU is part of what a
/// request costs (and is not in the Woolly process's CPU).
#[derive(Debug, Clone)]
pub struct PostgresDatabase {
    pub server_url: String,
    pub name: String,
}

impl PostgresDatabase {
    /// CPU used so far by each backend serving this database, by process id; empty when the
    /// server runs on another machine (its processes cannot be read).
    pub fn backend_cpu_millis(&self) -> anyhow::Result<HashMap<u32, f64>> {
        let answer = psql(
            &self.server_url,
            &format!(
                "SELECT pid FROM pg_stat_activity WHERE datname = '{}'",
                plain_name(&self.name)?
            ),
        )?;
        let pids: Vec<u32> = answer
            .lines()
            .filter_map(|line| line.trim().parse().ok())
            .collect();
        Ok(process_stats::cpu_millis_by_pid(&pids))
    }
}

/// The URL of database `name` on the server `server_url` points at: the same scheme, user,
/// host and query, another path.
pub fn database_url(server_url: &str, name: &str) -> anyhow::Result<String> {
    let (before_query, query) = match server_url.split_once('?') {
        Some((before, query)) => (before, Some(query)),
        None => (server_url, None),
    };
    let Some((scheme, rest)) = before_query.split_once("://") else {
        bail!("{server_url} is not a postgres:// URL");
    };
    let authority = rest.split('/').next().unwrap_or(rest);
    let mut url = format!("{scheme}://{authority}/{name}");
    if let Some(query) = query {
        url.push('?');
        url.push_str(query);
    }
    Ok(url)
}

fn quote_identifier(name: &str) -> anyhow::Result<String> {
    Ok(format!("\"{}\"", plain_name(name)?))
}

/// Only names the harness makes itself are ever used; refusing anything else keeps the SQL
/// text free of injection without an escaping routine.
fn plain_name(name: &str) -> anyhow::Result<&str> {
    let is_plain = !name.is_empty()
        && name.chars().all(|character| {
            character.is_ascii_lowercase() || character.is_ascii_digit() || character == '_'
        });
    if !is_plain {
        bail!("unexpected database name {name:?}");
    }
    Ok(name)
}

fn psql(server_url: &str, statement: &str) -> anyhow::Result<String> {
    let output = std::process::Command::new("psql")
        .arg(server_url)
        .args(["-X", "-v", "ON_ERROR_STOP=1", "-Atqc", statement])
        .output()
        .context("cannot run psql (install the PostgreSQL client)")?;
    if !output.status.success() {
        bail!(
            "psql failed on {statement:?}: {}",
            String::from_utf8_lossy(&output.stderr).trim()
        );
    }
    Ok(String::from_utf8_lossy(&output.stdout).into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn database_url_replaces_only_the_path() {
        assert_eq!(
            database_url(
                "postgres://postgres@127.0.0.1:5432/postgres",
                "woolly_bench_1"
            )
            .unwrap(),
            "postgres://postgres@127.0.0.1:5432/woolly_bench_1"
        );
        assert_eq!(
            database_url("postgres://u:p@db/x?sslmode=disable", "other").unwrap(),
            "postgres://u:p@db/other?sslmode=disable"
        );
        assert_eq!(
            database_url("postgresql://db", "other").unwrap(),
            "postgresql://db/other"
        );
    }

    #[test]
    fn only_plain_names_are_quoted() {
        assert_eq!(
            quote_identifier("woolly_bench_7").unwrap(),
            "\"woolly_bench_7\""
        );
        assert!(quote_identifier("x\"; DROP").is_err());
    }
}
