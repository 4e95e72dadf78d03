//! The command line and process life: zero-configuration start, bad settings, data surviving a
//! restart, graceful stop, admin commands beside a running server.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

use common::{BINARY, TestInstance, http};
use reqwest::StatusCode;

/// Runs `woolly` with exactly `args` (no data flags) in `dir` and returns (success, stderr).
fn run_in(dir: &std::path::Path, args: &[&str]) -> (bool, String) {
    let output = Command::new(BINARY)
        .args(args)
        .current_dir(dir)
        .env_remove("WOOLLY_DATABASE_URL")
        .output()
        .unwrap();
    (
        output.status.success(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn zero_configuration_serve_creates_its_data_directory_and_tells_how_to_make_an_owner() {
    let dir = tempfile::tempdir().unwrap();
    let mut child = Command::new(BINARY)
        .args(["serve", "--listen", "127.0.0.1:0"])
        .current_dir(dir.path())
        .env_remove("WOOLLY_DATABASE_URL")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let listening = lines.next().unwrap().unwrap();
    assert!(
        listening.starts_with("Woolly is listening on http://127.0.0.1:"),
        "{listening}"
    );
    assert!(listening.ends_with(" as localhost:8080"), "{listening}");
    let hint = lines.next().unwrap().unwrap() + &lines.next().unwrap().unwrap();
    assert!(
        hint.contains("woolly admin account create USERNAME --email EMAIL --role owner"),
        "{hint}"
    );
    assert!(dir.path().join("woolly-data/woolly.sqlite3").is_file());
    assert!(dir.path().join("woolly-data/media").is_dir());
    Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert_eq!(child.wait().unwrap().code(), Some(0));
}

#[test]
fn bad_settings_end_the_process_with_one_line_naming_the_setting() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path();
    std::fs::write(
        path.join("unknown.toml"),
        "listen = \"127.0.0.1:0\"\nfavourite_colour = \"teal\"\n",
    )
    .unwrap();
    std::fs::write(path.join("badtype.toml"), "job_concurrency = \"many\"\n").unwrap();
    std::fs::write(path.join("a-file"), "not a directory").unwrap();
    let cases: [(&[&str], &str); 9] = [
        (
            &["serve", "--listen", "nowhere"],
            "invalid setting `listen`",
        ),
        (
            &["serve", "--config", "unknown.toml"],
            "invalid setting `favourite_colour`",
        ),
        (
            &["serve", "--config", "badtype.toml"],
            "invalid setting `job_concurrency`",
        ),
        (
            &["serve", "--config", "missing.toml"],
            "cannot read config file missing.toml",
        ),
        (
            &[
                "serve",
                "--listen",
                "127.0.0.1:0",
                "--domain",
                "http://example.org",
            ],
            "invalid setting `domain`",
        ),
        (
            &[
                "serve",
                "--listen",
                "127.0.0.1:0",
                "--database-url",
                "mysql://localhost/woolly",
            ],
            "setting `database_url`",
        ),
        (
            &[
                "serve",
                "--listen",
                "127.0.0.1:0",
                "--database-url",
                "sqlite:///nonexistent-dir/x/woolly.db",
            ],
            "setting `database_url`",
        ),
        (
            &["admin", "jobs", "--data-dir", "a-file/data"],
            "setting `data_dir`",
        ),
        (
            &[
                "serve",
                "--listen",
                "127.0.0.1:0",
                "--job-lease-seconds",
                "1",
            ],
            "invalid setting `job_lease_seconds`",
        ),
    ];
    for (args, expected) in cases {
        let (success, stderr) = run_in(path, args);
        assert!(!success, "{args:?} should fail");
        assert!(
            stderr.starts_with("woolly: ") && stderr.contains(expected),
            "{args:?}: {stderr:?}"
        );
        assert_eq!(
            stderr.trim_end().lines().count(),
            1,
            "{args:?}: one line, got {stderr:?}"
        );
        assert!(!stderr.contains("panicked"), "{stderr}");
    }
    // An environment variable is named as the source of a bad value.
    let output = Command::new(BINARY)
        .args(["serve"])
        .current_dir(path)
        .env("WOOLLY_LISTEN", "not-an-address")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!output.status.success());
    assert!(
        stderr.contains("invalid setting `listen`") && stderr.contains("WOOLLY_LISTEN"),
        "{stderr}"
    );
}

#[test]
fn a_taken_port_is_reported_and_nothing_is_left_half_started() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let address = taken.local_addr().unwrap().to_string();
    let dir = tempfile::tempdir().unwrap();
    let (success, stderr) = run_in(dir.path(), &["serve", "--listen", &address]);
    assert!(!success);
    assert!(
        stderr.contains(&format!("cannot listen on {address} (setting `listen`)")),
        "{stderr}"
    );
    assert!(
        !dir.path().join("woolly-data").exists(),
        "nothing created before the port was bound"
    );
}

#[test]
fn settings_come_from_the_config_file_then_environment_then_flags() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("woolly.toml"),
        "domain = \"from-file.example\"\ntitle = \"File Title\"\n",
    )
    .unwrap();
    let read_instance = |env_domain: Option<&str>, flag_domain: Option<&str>| {
        let mut command = Command::new(BINARY);
        command
            .args([
                "serve",
                "--listen",
                "127.0.0.1:0",
                "--config",
                "woolly.toml",
            ])
            .current_dir(dir.path())
            .stdout(Stdio::piped())
            .stderr(Stdio::null());
        if let Some(domain) = env_domain {
            command.env("WOOLLY_DOMAIN", domain);
        }
        if let Some(domain) = flag_domain {
            command.args(["--domain", domain]);
        }
        let mut child = command.spawn().unwrap();
        let line = BufReader::new(child.stdout.take().unwrap())
            .lines()
            .next()
            .unwrap()
            .unwrap();
        Command::new("kill")
            .args(["-TERM", &child.id().to_string()])
            .status()
            .unwrap();
        assert_eq!(child.wait().unwrap().code(), Some(0));
        line
    };
    assert!(read_instance(None, None).ends_with(" as from-file.example"));
    assert!(read_instance(Some("from-env.example"), None).ends_with(" as from-env.example"));
    assert!(
        read_instance(Some("from-env.example"), Some("from-flag.example"))
            .ends_with(" as from-flag.example")
    );
}

#[tokio::test]
async fn accounts_tokens_and_queued_jobs_survive_a_restart() {
    let instance = TestInstance::new().await;
    let first = instance.spawn_serve(&[]);
    // Admin commands run while the server runs.
    let token = instance.account_with_token("dora", "read").await;
    let url = first.url("/api/v1/accounts/verify_credentials");
    let before: serde_json::Value = http()
        .get(&url)
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(before["username"], "dora");
    let job_id = {
        // A job due tomorrow: queued across the restart, never run by it.
        let woolly = woolly::app::open_instance(&instance.settings(), "test")
            .await
            .unwrap();
        let job = woolly_core::jobs::new_job(
            woolly_core::jobs::ProbeJob::KIND,
            &woolly_core::jobs::Probe::default(),
            woolly_core::now_millis() + 24 * 3600 * 1000,
            1,
        )
        .unwrap();
        let id = woolly.jobs().enqueue_job(&job).await.unwrap();
        woolly.close().await;
        id
    };
    assert_eq!(first.terminate().code(), Some(0), "a clean stop exits 0");

    let second = instance.spawn_serve(&[]);
    let response = http()
        .get(second.url("/api/v1/accounts/verify_credentials"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let after: serde_json::Value = response.json().await.unwrap();
    assert_eq!(after["id"], before["id"]);
    assert_eq!(
        common::job(&instance, &job_id.to_string()).await["state"],
        "queued"
    );
    assert_eq!(second.terminate().code(), Some(0));
}

#[tokio::test]
async fn admin_commands_refuse_bad_input_without_writing() {
    let instance = TestInstance::new().await;
    instance
        .cli_ok(&[
            "admin",
            "account",
            "create",
            "erin",
            "--email",
            "erin@example.org",
        ])
        .await;
    let cases: [&[&str]; 6] = [
        &[
            "admin",
            "account",
            "create",
            "erin",
            "--email",
            "other@example.org",
        ],
        &[
            "admin",
            "account",
            "create",
            "ERIN",
            "--email",
            "other@example.org",
        ],
        &[
            "admin",
            "account",
            "create",
            "frank",
            "--email",
            "ERIN@example.org",
        ],
        &[
            "admin",
            "account",
            "create",
            "bad name",
            "--email",
            "x@example.org",
        ],
        &[
            "admin",
            "account",
            "create",
            "gina",
            "--email",
            "x@example.org",
            "--password",
            "short",
        ],
        &["admin", "token", "nobody"],
    ];
    for args in cases {
        let output = instance.cli(args).await;
        assert!(!output.status.success(), "{args:?} should fail");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.starts_with("woolly: "), "{args:?}: {stderr}");
    }
    let unknown_scope = instance
        .cli(&["admin", "token", "erin", "--scopes", "read everything"])
        .await;
    assert!(
        String::from_utf8_lossy(&unknown_scope.stderr).contains("Unknown scope \"everything\"")
    );
    // Only erin exists: nothing above wrote an account.
    let server = instance.start().await;
    let body: serde_json::Value = http()
        .get(server.url("/api/v1/instance"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(body["stats"]["user_count"], 1);
    server.stop().await;
}

#[test]
fn a_generated_password_is_printed_once() {
    let dir = tempfile::tempdir().unwrap();
    let output = Command::new(BINARY)
        .args([
            "admin",
            "account",
            "create",
            "hana",
            "--email",
            "hana@example.org",
            "--role",
            "admin",
        ])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert!(output.status.success());
    let stdout = String::from_utf8_lossy(&output.stdout);
    let password = stdout
        .lines()
        .find_map(|line| line.strip_prefix("Its password (shown once): "))
        .unwrap();
    assert_eq!(password.len(), 24);
    assert!(password.chars().all(|c| c.is_ascii_alphanumeric()));
}

#[tokio::test]
async fn a_token_beginning_with_a_hyphen_is_revoked_not_read_as_an_option() {
    let instance = TestInstance::new().await;
    // Not a live token, but it must reach the command as a token, not as an unknown option.
    let output = instance.cli(&["admin", "revoke-token", "-abc123"]).await;
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!output.status.success());
    assert!(stderr.contains("no live token matches"), "{stderr}");
}

#[tokio::test]
async fn the_operator_lists_adds_and_removes_aliases() {
    let instance = TestInstance::new().await;
    for name in ["old", "new"] {
        instance
            .cli_ok(&[
                "admin",
                "account",
                "create",
                name,
                "--email",
                &format!("{name}@example.org"),
            ])
            .await;
    }
    let aliases = ["admin", "account", "aliases", "new"];
    assert_eq!(instance.cli_ok(&aliases).await, "new has no alias.\n");
    let added = instance
        .cli_ok(&["admin", "account", "aliases", "new", "--add", "old"])
        .await;
    assert!(
        added.starts_with("old\t") && added.trim_end().ends_with("/users/old"),
        "{added}"
    );
    assert_eq!(instance.cli_ok(&aliases).await, added);
    // Twice, or an unknown account: refused with one line, nothing written.
    for bad in ["old", "nobody"] {
        let output = instance
            .cli(&["admin", "account", "aliases", "new", "--add", bad])
            .await;
        assert!(!output.status.success(), "adding {bad} is refused");
    }
    assert_eq!(instance.cli_ok(&aliases).await, added);
    instance
        .cli_ok(&["admin", "account", "aliases", "new", "--remove", "old"])
        .await;
    assert_eq!(instance.cli_ok(&aliases).await, "new has no alias.\n");
}
