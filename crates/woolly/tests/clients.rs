//! Real third-party Mastodon clients against a real Woolly server. The clients are installed by
//! `scripts/test`, which points `WOOLLY_TEST_PYTHON` at a virtual environment holding Mastodon.py
//! from PyPI; without it these tests say they were skipped.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::PathBuf;
use std::process::Command;

use common::TestInstance;

fn clients_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/clients")
}

#[tokio::test]
async fn mastodon_py_logs_in_and_uses_the_api() {
    let Some(python) = std::env::var_os("WOOLLY_TEST_PYTHON") else {
        eprintln!(
            "skipped: WOOLLY_TEST_PYTHON is not set (scripts/test installs Mastodon.py and sets it)"
        );
        return;
    };
    let instance = TestInstance::new().await;
    let server = instance.start_on_own_domain().await;
    instance.cli_ok(&[
        "admin",
        "account",
        "create",
        "pyuser",
        "--email",
        "pyuser@example.org",
        "--password",
        "a long enough password",
    ]);
    let script = clients_dir().join("mastodon_py_client.py");
    let output = tokio::task::spawn_blocking({
        let base_url = server.base_url.clone();
        move || {
            Command::new(python)
                .arg(script)
                .args([&base_url, "pyuser@example.org", "a long enough password"])
                .output()
                .unwrap()
        }
    })
    .await
    .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "Mastodon.py failed:\n{stdout}\n{stderr}"
    );
    assert!(
        stdout.contains("mastodon.py: all checks passed"),
        "{stdout}"
    );
    server.stop().await;
}
