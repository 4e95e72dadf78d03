//! The SQLite and PostgreSQL migrations kept in step, without a database: both folders hold the
//! same files, and each pair says the same thing statement by statement once comments and
//! spacing are set aside and SQLite's spellings are swapped for PostgreSQL's
//! ([`woolly_store::DIALECT_SWAPS`]), except for the few statements listed in [`DIVERGENCES`].
//! (The live schemas both produce are compared too, on PostgreSQL, in the `woolly` crate's
//! `tests/store.rs`.)

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};

use woolly_store::to_postgres_spelling;

/// Statements that each engine writes its own way, as (file, SQLite's, PostgreSQL's), in the
/// normal form of [`statements`]. Each must be found where it is listed, so that the list cannot
/// outlive what it excuses.
const DIVERGENCES: [(&str, &[&str], &[&str]); 2] = [
    // Seeding the 256 id nodes: SQLite has no generate_series without an extension.
    (
        "0001_foundation.sql",
        &[
            "WITH RECURSIVE n(node) AS (SELECT 0 UNION ALL SELECT node + 1 FROM n WHERE node < 255) \
           INSERT INTO id_node (node, holder, lease_until) SELECT node, NULL, 0 FROM n",
        ],
        &["INSERT INTO id_node (node, holder, lease_until) \
           SELECT n, NULL, 0 FROM generate_series(0, 255) AS n"],
    ),
    // A NOT NULL column added to a table with rows: SQLite can only give it a default (it cannot
    // ALTER COLUMN), PostgreSQL fills it while nullable and then forbids NULL.
    (
        "0014_domain_blocks_thread_mutes.sql",
        &[
            "ALTER TABLE status ADD COLUMN thread_id BIGINT NOT NULL DEFAULT 0",
            "UPDATE status SET thread_id = id WHERE thread_id = 0",
        ],
        &[
            "ALTER TABLE status ADD COLUMN thread_id BIGINT",
            "UPDATE status SET thread_id = id WHERE thread_id IS NULL",
            "ALTER TABLE status ALTER COLUMN thread_id SET NOT NULL",
        ],
    ),
];

/// Migrations that differ as a whole, by design: full-text search is an FTS5 table kept by
/// triggers on SQLite and a GIN index on PostgreSQL. Each must still exist on both sides (one
/// side may create nothing), and touch only what is named `status_search…` (which the live
/// schema comparison leaves out).
const DIVERGENT_FILES: [&str; 2] = ["0051_status_search.sql", "0055_status_search_library.sql"];

fn migrations(engine: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("migrations")
        .join(engine)
}

fn file_names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap_or_else(|error| panic!("{}: {error}", dir.display()))
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// A migration's statements, each on one line with single spaces, without comments.
fn statements(sql: &str) -> Vec<String> {
    let without_comments: String = sql
        .lines()
        .map(|line| line.split_once("--").map_or(line, |(code, _)| code))
        .collect::<Vec<_>>()
        .join("\n");
    without_comments
        .split(';')
        .map(|statement| statement.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|statement| !statement.is_empty())
        .collect()
}

/// Removes `excused` from `statements`, insisting that each is there.
fn remove_excused(file: &str, engine: &str, statements: &mut Vec<String>, excused: &[&str]) {
    for statement in excused {
        let normal = statement.split_whitespace().collect::<Vec<_>>().join(" ");
        let at = statements
            .iter()
            .position(|found| *found == normal)
            .unwrap_or_else(|| {
                panic!("{engine}/{file} no longer has the divergence listed: {normal}")
            });
        statements.remove(at);
    }
}

#[test]
fn both_engines_have_the_same_migration_files() {
    let sqlite = file_names(&migrations("sqlite"));
    let postgres = file_names(&migrations("postgres"));
    assert!(sqlite.len() > 20, "migrations found: {sqlite:?}");
    assert_eq!(
        sqlite, postgres,
        "sqlite/ and postgres/ hold different files"
    );
}

#[test]
fn each_sqlite_migration_says_what_its_postgresql_twin_says_but_for_dialect_spellings() {
    for file in file_names(&migrations("sqlite")) {
        let read = |engine: &str| {
            let path = migrations(engine).join(&file);
            std::fs::read_to_string(&path)
                .unwrap_or_else(|error| panic!("{}: {error}", path.display()))
        };
        if DIVERGENT_FILES.contains(&file.as_str()) {
            let mut created = 0;
            for engine in ["sqlite", "postgres"] {
                let creates: Vec<String> = statements(&read(engine))
                    .into_iter()
                    .filter(|statement| statement.starts_with("CREATE"))
                    .collect();
                created += creates.len();
                assert!(
                    creates.iter().all(|statement| {
                        statement.contains(" status_search ")
                            || statement.contains(" status_search_")
                    }),
                    "{engine}/{file} creates what is not search: {creates:?}"
                );
            }
            assert!(created > 0, "{file} creates nothing");
            continue;
        }
        let mut sqlite: Vec<String> = statements(&read("sqlite"))
            .iter()
            .map(|statement| to_postgres_spelling(statement))
            .collect();
        let mut postgres = statements(&read("postgres"));
        for (_, sqlite_only, postgres_only) in DIVERGENCES.iter().filter(|(name, ..)| *name == file)
        {
            let sqlite_only: Vec<String> = sqlite_only
                .iter()
                .map(|statement| to_postgres_spelling(statement))
                .collect();
            let sqlite_only: Vec<&str> = sqlite_only.iter().map(String::as_str).collect();
            remove_excused(&file, "sqlite", &mut sqlite, &sqlite_only);
            remove_excused(&file, "postgres", &mut postgres, postgres_only);
        }
        for (index, (sqlite, postgres)) in sqlite.iter().zip(&postgres).enumerate() {
            assert_eq!(
                sqlite,
                postgres,
                "{file}, statement {}: SQLite's (PostgreSQL's spelling swapped in) and \
                 PostgreSQL's differ",
                index + 1
            );
        }
        assert_eq!(
            sqlite.len(),
            postgres.len(),
            "{file}: one engine has more statements: {:?}",
            if sqlite.len() > postgres.len() {
                &sqlite[postgres.len()..]
            } else {
                &postgres[sqlite.len()..]
            }
        );
    }
}

#[test]
fn every_listed_divergence_names_a_migration() {
    let files = file_names(&migrations("sqlite"));
    for (file, ..) in DIVERGENCES {
        assert!(files.iter().any(|name| name == file), "no migration {file}");
    }
}
