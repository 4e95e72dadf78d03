//! Real third-party Mastodon clients against a real Woolly server. The clients are installed by
//! `scripts/test`, outside the clone: `WOOLLY_TEST_PYTHON` points at a virtual environment holding
//! Mastodon.py and toot from PyPI, and `WOOLLY_TEST_NODE` at a Node 22 beside masto.js and
//! megalodon from npm. Without them these tests say they were skipped, unless
//! `WOOLLY_REQUIRE_PEERS=1` (scripts/test sets it), which makes them fail instead. Each client is
//! driven by a script in `tests/clients/` that exits non-zero on the first thing the client does
//! not accept.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::ffi::OsString;
use std::path::PathBuf;
use std::process::Command;

use common::TestInstance;

const PASSWORD: &str = "a long enough password";

fn clients_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/clients")
}

/// The client runtime `variable` points at, or `None` (the test is skipped) when it is not set
/// up; the test fails instead when `WOOLLY_REQUIRE_PEERS=1`.
fn client_environment(variable: &str, installs: &str) -> Option<OsString> {
    common::third_party(&[variable], installs).and_then(|values| values.into_iter().next())
}

/// Creates a local account with [`PASSWORD`] and returns its email address, which clients log in
/// with.
async fn create_user(instance: &TestInstance, username: &str) -> String {
    let email = format!("{username}@example.org");
    instance
        .cli_ok(&[
            "admin",
            "account",
            "create",
            username,
            "--email",
            &email,
            "--password",
            PASSWORD,
        ])
        .await;
    email
}

/// Runs a client's script to its end, off the async runtime so that the server keeps answering,
/// and insists that it succeeded and printed `passed`; shows all it printed when it did not.
async fn assert_client_passes(client: &str, mut command: Command, passed: &str) {
    let output = tokio::task::spawn_blocking(move || command.output())
        .await
        .unwrap()
        .unwrap_or_else(|error| panic!("could not run {client}: {error}"));
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "{client} failed ({}):\n{stdout}\n{stderr}",
        output.status
    );
    assert!(stdout.contains(passed), "{client}:\n{stdout}\n{stderr}");
}

#[tokio::test]
async fn mastodon_py_logs_in_and_uses_the_api() {
    let Some(python) = client_environment("WOOLLY_TEST_PYTHON", "Mastodon.py") else {
        return;
    };
    let instance = TestInstance::new().await;
    let server = instance.start_on_own_domain().await;
    let email = create_user(&instance, "pyuser").await;
    let friend_email = create_user(&instance, "pyfriend").await;
    let mut command = Command::new(python);
    command
        .arg(clients_dir().join("mastodon_py_client.py"))
        .args([&server.base_url, &email, PASSWORD, &friend_email, PASSWORD]);
    assert_client_passes("Mastodon.py", command, "mastodon.py: all checks passed").await;
    server.stop().await;
}

#[tokio::test]
async fn mastodon_py_files_a_report_and_a_moderator_handles_it() {
    let Some(python) = client_environment("WOOLLY_TEST_PYTHON", "Mastodon.py") else {
        return;
    };
    let instance = TestInstance::new().await;
    let server = instance.start_on_own_domain().await;
    let user = instance
        .account_with_token("reporter", "read write follow")
        .await;
    let target = instance
        .account_with_token("seller", "read write follow")
        .await;
    instance
        .cli_ok(&[
            "admin",
            "account",
            "create",
            "moderator",
            "--email",
            "moderator@example.org",
            "--password",
            PASSWORD,
            "--role",
            "moderator",
        ])
        .await;
    let moderator = instance
        .token("moderator", "read write admin:read admin:write")
        .await;
    let (_, post) = server
        .call(
            reqwest::Method::POST,
            "/api/v1/statuses",
            Some(&target),
            serde_json::json!({"status": "Buy my things"}),
        )
        .await;
    let mut command = Command::new(python);
    command
        .arg(clients_dir().join("mastodon_py_moderation.py"))
        .args([
            server.base_url.as_str(),
            user.as_str(),
            moderator.as_str(),
            post["account"]["id"].as_str().unwrap(),
            post["id"].as_str().unwrap(),
        ]);
    assert_client_passes(
        "Mastodon.py",
        command,
        "mastodon.py moderation: all checks passed",
    )
    .await;
    server.stop().await;
}

#[tokio::test]
async fn masto_js_logs_in_and_uses_the_api() {
    let Some(node) = client_environment("WOOLLY_TEST_NODE", "masto.js with Node 22") else {
        return;
    };
    let instance = TestInstance::new().await;
    let server = instance.start_on_own_domain().await;
    let email = create_user(&instance, "jsuser").await;
    // A second account follows the first and favourites its post, for notifications.
    let other_email = create_user(&instance, "jsfriend").await;
    let mut command = Command::new(node);
    command.arg(clients_dir().join("masto_client.mjs")).args([
        &server.base_url,
        &email,
        PASSWORD,
        &other_email,
        PASSWORD,
    ]);
    assert_client_passes("masto.js", command, "masto.js: all checks passed").await;
    server.stop().await;
}

#[tokio::test]
async fn megalodon_logs_in_uses_the_api_and_streams() {
    let Some(node) = client_environment("WOOLLY_TEST_NODE", "megalodon with Node 22") else {
        return;
    };
    let instance = TestInstance::new().await;
    let server = instance.start_on_own_domain().await;
    let email = create_user(&instance, "megauser").await;
    let mut command = Command::new(node);
    command
        .arg(clients_dir().join("megalodon_client.mjs"))
        .args([&server.base_url, &email, PASSWORD]);
    assert_client_passes("megalodon", command, "megalodon: all checks passed").await;
    server.stop().await;
}

#[tokio::test]
async fn toot_logs_in_posts_and_reads_its_timeline() {
    let Some(python) = client_environment("WOOLLY_TEST_PYTHON", "toot") else {
        return;
    };
    // pip puts a package's commands beside the environment's python.
    let toot = PathBuf::from(&python).with_file_name("toot");
    assert!(
        toot.is_file(),
        "{} is missing: scripts/test installs toot beside WOOLLY_TEST_PYTHON",
        toot.display()
    );
    let instance = TestInstance::new().await;
    let server = instance.start_on_own_domain().await;
    let email = create_user(&instance, "tootuser").await;
    let mut command = Command::new(python);
    command
        .arg(clients_dir().join("toot_client.py"))
        .arg(toot)
        .args([&server.base_url, &email, PASSWORD]);
    assert_client_passes("toot", command, "toot: all checks passed").await;
    server.stop().await;
}

#[tokio::test]
async fn mastodon_py_signs_up_and_the_account_works_once_confirmed() {
    let Some(python) = client_environment("WOOLLY_TEST_PYTHON", "Mastodon.py") else {
        return;
    };
    let instance = TestInstance::new().await;
    let server = instance
        .start_on_own_domain_with(|settings| settings.registrations = "open".into())
        .await;
    let mut command = Command::new(&python);
    command
        .arg(clients_dir().join("mastodon_py_sign_up.py"))
        .args([
            &server.base_url,
            "pynewbie",
            "pynewbie@example.org",
            PASSWORD,
        ]);
    let output = tokio::task::spawn_blocking(move || command.output())
        .await
        .unwrap()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success() && stdout.contains("all checks passed"),
        "Mastodon.py sign-up failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let token = stdout.lines().last().unwrap().trim().to_owned();

    // The confirmation went out twice (at sign-up and on the resend); the newer link (files are
    // named by their job's time-ordered id) replaced the older one.
    let mail_dir = instance.data_dir().join("mail");
    let sent = common::eventually(
        std::time::Duration::from_secs(20),
        "two confirmation mails",
        || {
            let python = python.clone();
            let mail_dir = mail_dir.clone();
            async move {
                let mails = common::mail::mails(&python, &mail_dir).await;
                let sent: Vec<serde_json::Value> = mails
                    .into_iter()
                    .filter(|mail| mail["to"].as_str() == Some("pynewbie@example.org"))
                    .collect();
                (sent.len() == 2).then_some(sent)
            }
        },
    )
    .await;
    let verify = || {
        server.call(
            reqwest::Method::GET,
            "/api/v1/accounts/verify_credentials",
            Some(&token),
            serde_json::Value::Null,
        )
    };
    let status = common::http()
        .get(server.url(&common::mail::link_in(&sent[0], "confirmation_token=")))
        .send()
        .await
        .unwrap()
        .status();
    assert_eq!(
        status,
        reqwest::StatusCode::UNPROCESSABLE_ENTITY,
        "the first link was replaced"
    );
    assert_eq!(verify().await.0, reqwest::StatusCode::FORBIDDEN);
    let status = common::http()
        .get(server.url(&common::mail::link_in(&sent[1], "confirmation_token=")))
        .send()
        .await
        .unwrap()
        .status();
    assert_eq!(status, reqwest::StatusCode::OK);
    let (status, me) = verify().await;
    assert_eq!(status, reqwest::StatusCode::OK, "{me}");
    assert_eq!(me["username"], "pynewbie");
    server.stop().await;
}
