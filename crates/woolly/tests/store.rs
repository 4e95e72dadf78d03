//! The storage layer on both engines: schema parity and ids unique across processes.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::collections::HashSet;

use common::TestInstance;
use woolly_store::Db;

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
    let sqlite_columns = sqlite.schema_columns().await.unwrap();
    assert!(
        sqlite_columns
            .iter()
            .any(|column| column.table == "job" && column.column == "locked_until")
    );
    assert_eq!(sqlite_columns, postgres.schema_columns().await.unwrap());
    let sqlite_indexes = sqlite.schema_indexes().await.unwrap();
    assert!(
        sqlite_indexes
            .iter()
            .any(|index| index.name == "account_username_domain" && index.unique)
    );
    assert_eq!(sqlite_indexes, postgres.schema_indexes().await.unwrap());
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

    // Processes hold different nodes (bits 8..16), which is what keeps them apart.
    assert_ne!((minted[0][0] >> 8) & 0xff, (minted[1][0] >> 8) & 0xff);
    second.close().await;
    let third = open(&instance, "third").await;
    assert!(!all.contains(&third.next_id()));
    first.close().await;
    third.close().await;
}
