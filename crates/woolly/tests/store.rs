//! The storage layer on both engines: schema parity of the live schemas (the migrations' text is
//! compared without a database in woolly-store's `tests/migrations.rs`) and ids unique across
//! processes.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::collections::HashSet;

use common::TestInstance;
use woolly_store::{Db, SchemaColumn};

async fn open(instance: &TestInstance, holder: &str) -> Db {
    match &instance.database_url {
        Some(url) => Db::connect(url, holder).await.unwrap(),
        None => {
            std::fs::create_dir_all(instance.data_dir()).unwrap();
            Db::connect_sqlite_file(&instance.data_dir().join("woolly.sqlite3"), holder)
                .await
                .unwrap()
        }
    }
}

/// Where the live schemas may differ, as (table, column, SQLite's default): SQLite adds a NOT NULL
/// column to an existing table only with a default, so that migration 0014 gives
/// `status.thread_id` one there, and none on PostgreSQL (`insert_status` always writes it).
const DEFAULTS_ONLY_ON_SQLITE: [(&str, &str, &str); 1] = [("status", "thread_id", "0")];

/// What is in one list and not in the other, for a failure message that shows only that.
fn differences<T: std::fmt::Debug + PartialEq>(sqlite: &[T], postgres: &[T]) -> String {
    let only = |these: &[T], those: &[T]| -> Vec<String> {
        these
            .iter()
            .filter(|item| !those.contains(item))
            .map(|item| format!("{item:?}"))
            .collect()
    };
    format!(
        "only on SQLite:\n  {}\nonly on PostgreSQL:\n  {}",
        only(sqlite, postgres).join("\n  "),
        only(postgres, sqlite).join("\n  ")
    )
}

#[tokio::test]
async fn sqlite_and_postgresql_schemas_have_the_same_tables_columns_and_indexes() {
    let postgres = TestInstance::new().await;
    if !postgres.is_postgres() {
        eprintln!("skipped: schema parity needs WOOLLY_TEST_DATABASE_URL (scripts/test sets it)");
        return;
    }
    let sqlite_dir = tempfile::tempdir().unwrap();
    let sqlite = Db::connect_sqlite_file(&sqlite_dir.path().join("parity.sqlite3"), "parity")
        .await
        .unwrap();
    let postgres = open(&postgres, "parity").await;

    let mut sqlite_columns = sqlite.schema_columns().await.unwrap();
    let postgres_columns = postgres.schema_columns().await.unwrap();
    // The comparison below must see types, nullability and defaults, so check that it does.
    let column = |columns: &[SchemaColumn], table: &str, name: &str| {
        columns
            .iter()
            .find(|column| column.table == table && column.column == name)
            .cloned()
            .unwrap_or_else(|| panic!("no column {table}.{name}"))
    };
    for columns in [&sqlite_columns, &postgres_columns] {
        let locked_until = column(columns, "job", "locked_until");
        assert_eq!(locked_until.data_type, "BIGINT");
        let id = column(columns, "job", "id");
        assert_eq!(
            (id.data_type.as_str(), id.not_null),
            ("BIGINT PRIMARY KEY", true)
        );
        let focus = column(columns, "media_attachment", "focus_x");
        assert_eq!(focus.data_type, "DOUBLE PRECISION");
        assert_eq!(focus.default.as_deref(), Some("0"));
        let spoiler = column(columns, "status", "spoiler_text");
        assert_eq!(spoiler.default.as_deref(), Some("''"));
    }
    for (table, name, default) in DEFAULTS_ONLY_ON_SQLITE {
        let column = sqlite_columns
            .iter_mut()
            .find(|column| column.table == table && column.column == name)
            .unwrap();
        assert_eq!(column.default.as_deref(), Some(default), "{table}.{name}");
        column.default = None;
    }
    assert!(
        sqlite_columns == postgres_columns,
        "columns differ: {}",
        differences(&sqlite_columns, &postgres_columns)
    );

    let sqlite_indexes = sqlite.schema_indexes().await.unwrap();
    let postgres_indexes = postgres.schema_indexes().await.unwrap();
    for indexes in [&sqlite_indexes, &postgres_indexes] {
        let index = |name: &str| indexes.iter().find(|index| index.name == name).unwrap();
        let by_name = index("account_username_domain");
        assert!(by_name.unique && !by_name.partial);
        assert_eq!(by_name.columns, ["(expression)", "(expression)"]);
        let follow_target = index("follow_target");
        assert_eq!(follow_target.columns, ["target_account_id", "id"]);
        assert!(index("job_queued").partial);
    }
    assert!(
        sqlite_indexes == postgres_indexes,
        "indexes differ: {}",
        differences(&sqlite_indexes, &postgres_indexes)
    );
    sqlite.close().await;
    postgres.close().await;
}

#[tokio::test]
async fn ids_are_unique_and_time_ordered_across_processes_sharing_a_database() {
    let instance = TestInstance::new().await;
    let first = open(&instance, "first").await;
    let second = open(&instance, "second").await;
    let minted: Vec<Vec<i64>> = [first.clone(), second.clone()]
        .into_iter()
        .map(|db| std::thread::spawn(move || (0..20_000).map(|_| db.next_id()).collect::<Vec<_>>()))
        .map(|thread| thread.join().unwrap())
        .collect();
    for ids in &minted {
        assert!(
            ids.windows(2).all(|pair| pair[0] < pair[1]),
            "strictly increasing within a process"
        );
    }
    let all: HashSet<i64> = minted.iter().flatten().copied().collect();
    assert_eq!(all.len(), 40_000, "no id minted twice");
    let now = woolly_core::now_millis();
    let millis = minted[0][0] >> 16;
    assert!(
        (now - millis).abs() < 60_000,
        "the high bits are the time in milliseconds"
    );

    // The low 16 bits follow no pattern one could guess from the time: across the
    // milliseconds of a process's first ids they take many values, not just a counter's.
    let mut firsts_of_each_millisecond: Vec<i64> = Vec::new();
    for pair in minted[0].windows(2) {
        if pair[1] >> 16 != pair[0] >> 16 {
            firsts_of_each_millisecond.push(pair[1] & 0xffff);
        }
    }
    let distinct: HashSet<i64> = firsts_of_each_millisecond.iter().copied().collect();
    assert!(
        firsts_of_each_millisecond.len() < 8
            || distinct.len() * 2 > firsts_of_each_millisecond.len(),
        "{firsts_of_each_millisecond:?}"
    );
    second.close().await;
    let third = open(&instance, "third").await;
    assert!(!all.contains(&third.next_id()));
    first.close().await;
    third.close().await;
}
