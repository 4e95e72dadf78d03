//! The test rig: a fresh instance per test (SQLite in a temporary directory, or a database of its
//! own on the PostgreSQL server named by `WOOLLY_TEST_DATABASE_URL`), started for real, either
//! in-process on port 0 or as a `woolly` child process, and talked to over HTTP or the CLI.

#![allow(dead_code)]

pub mod fediverse;
pub mod gotosocial;
pub mod mail;
pub mod snapshot;

use std::future::Future;
use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use tempfile::TempDir;
use tokio_util::sync::CancellationToken;
use woolly::{App, Settings};

pub const BINARY: &str = env!("CARGO_BIN_EXE_woolly");

/// Where a test's data lives.
pub struct TestInstance {
    pub dir: TempDir,
    /// `Some` on PostgreSQL: the URL of this test's own database.
    pub database_url: Option<String>,
    postgres: Option<(String, String)>,
}

static COUNTER: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);

impl TestInstance {
    /// A fresh instance on the engine the test run asks for.
    pub async fn new() -> TestInstance {
        let dir = tempfile::tempdir().expect("temporary directory");
        let server_url = std::env::var("WOOLLY_TEST_DATABASE_URL")
            .ok()
            .filter(|url| !url.is_empty());
        let (database_url, postgres) = match server_url {
            Some(server_url) => {
                let name = format!(
                    "{}_{}_{}_{}",
                    database_prefix(),
                    std::process::id(),
                    COUNTER.fetch_add(1, std::sync::atomic::Ordering::SeqCst),
                    rand::random::<u32>()
                );
                let url = woolly_store::create_postgres_database(&server_url, &name)
                    .await
                    .expect("create a PostgreSQL test database");
                (Some(url), Some((server_url, name)))
            }
            None => (None, None),
        };
        TestInstance {
            dir,
            database_url,
            postgres,
        }
    }

    /// A fresh instance on SQLite, whatever engine the run asks for (to move one from it).
    pub fn new_on_sqlite() -> TestInstance {
        TestInstance {
            dir: tempfile::tempdir().expect("temporary directory"),
            database_url: None,
            postgres: None,
        }
    }

    pub fn is_postgres(&self) -> bool {
        self.postgres.is_some()
    }

    pub fn data_dir(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    /// Settings for an in-process server: port 0, http, quick job retries.
    /// A handle on this instance's database, for tests that inspect or seed the store directly
    /// (everything else goes through the server or core).
    pub async fn store(&self) -> woolly_store::Db {
        woolly::app::open_store(&self.settings(), "test-store")
            .await
            .expect("open the store")
    }

    pub fn settings(&self) -> Settings {
        Settings {
            data_dir: self.data_dir(),
            database_url: self.database_url.clone(),
            listen: "127.0.0.1:0".parse().expect("address"),
            domain: "woolly.test".into(),
            insecure_http: true,
            allow_private_addresses: true,
            job_retry_base_ms: 100,
            // A test waits for retries in seconds, not in the hours a real server waits.
            job_retry_max_ms: 2_000,
            job_lease_seconds: 3,
            // A few are enough to see them used; more would cost every test server CPU.
            spare_key_pairs: 3,
            ..Settings::default()
        }
    }

    /// The flags that point a `woolly` process at this instance's data.
    pub fn data_args(&self) -> Vec<String> {
        let mut args = vec![
            "--data-dir".to_owned(),
            self.data_dir().display().to_string(),
        ];
        if let Some(url) = &self.database_url {
            args.push("--database-url".into());
            args.push(url.clone());
        }
        args
    }

    /// Runs `woolly <args…>` on this instance's data and waits for it, without blocking the
    /// test's runtime: a server running in this test keeps answering (and finishing the jobs
    /// that hold the database) while the command runs.
    pub async fn cli(&self, args: &[&str]) -> Output {
        tokio::process::Command::new(BINARY)
            .args(args)
            .args(self.data_args())
            .env("RUST_LOG", "warn")
            .output()
            .await
            .expect("run woolly")
    }

    /// Like [`TestInstance::cli`], and insists that it succeeds; returns standard output.
    pub async fn cli_ok(&self, args: &[&str]) -> String {
        let output = self.cli(args).await;
        assert!(
            output.status.success(),
            "woolly {args:?} failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8_lossy(&output.stdout).into_owned()
    }

    /// Creates a local account and returns a token for it with `scopes`.
    pub async fn account_with_token(&self, username: &str, scopes: &str) -> String {
        self.cli_ok(&[
            "admin",
            "account",
            "create",
            username,
            "--email",
            &format!("{username}@example.org"),
            "--password",
            "a long enough password",
        ])
        .await;
        self.token(username, scopes).await
    }

    pub async fn token(&self, username: &str, scopes: &str) -> String {
        let printed = self
            .cli_ok(&["admin", "token", username, "--scopes", scopes])
            .await;
        printed
            .lines()
            .last()
            .expect("a token line")
            .trim()
            .to_owned()
    }

    /// Starts the real server in this test process.
    pub async fn start(&self) -> TestServer {
        self.start_with(self.settings()).await
    }

    /// Starts the real server in this test process, calling itself `127.0.0.1:PORT`, so that
    /// clients can follow the links it gives (OAuth discovery, pagination).
    pub async fn start_on_own_domain(&self) -> TestServer {
        self.start_on_own_domain_with(|_| {}).await
    }

    /// Like [`TestInstance::start_on_own_domain`], with settings changed by `customize`.
    pub async fn start_on_own_domain_with(
        &self,
        customize: impl FnOnce(&mut Settings),
    ) -> TestServer {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        self.start_on_listener(listener, customize).await
    }

    /// Starts the real server on `listener`, calling itself by its address.
    async fn start_on_listener(
        &self,
        listener: tokio::net::TcpListener,
        customize: impl FnOnce(&mut Settings),
    ) -> TestServer {
        let address = listener.local_addr().expect("address");
        let mut settings = Settings {
            listen: address,
            domain: address.to_string(),
            ..self.settings()
        };
        customize(&mut settings);
        let app = App::build_with_listener(settings, listener)
            .await
            .expect("build the app");
        // Its own address, which may be another loopback one than 127.0.0.1 (another host
        // for a browser, with its own cookies).
        TestServer {
            base_url: format!("http://{address}"),
            ..Self::run(app)
        }
    }

    /// Starts the real server in this test process on `address`, calling itself by it (to
    /// restart a server on the domain other servers know it by).
    pub async fn start_at(&self, address: std::net::SocketAddr) -> TestServer {
        self.start_at_with(address, |_| {}).await
    }

    /// Like [`TestInstance::start_at`], with settings changed by `customize`.
    pub async fn start_at_with(
        &self,
        address: std::net::SocketAddr,
        customize: impl FnOnce(&mut Settings),
    ) -> TestServer {
        let listener = bind_again(address).await;
        self.start_on_listener(listener, customize).await
    }

    pub async fn start_with(&self, settings: Settings) -> TestServer {
        let app = App::build(settings).await.expect("build the app");
        Self::run(app)
    }

    fn run(app: App) -> TestServer {
        let base_url = format!("http://127.0.0.1:{}", app.port());
        let metrics_addr = app.metrics_addr();
        let stop = app.stop_handle();
        let woolly = app.woolly().clone();
        let task = tokio::spawn(app.run_until_stopped());
        TestServer {
            base_url,
            metrics_addr,
            stop,
            task,
            woolly,
        }
    }

    /// Starts `woolly serve` as a child process on this instance's data.
    pub fn spawn_serve(&self, extra: &[&str]) -> ServeProcess {
        self.spawn_process("serve", extra)
    }

    /// Starts `woolly serve` as a child process listening on `address` and calling itself by
    /// it, with private addresses allowed: a federating instance that can be killed. An address
    /// that a process just gave up may take a moment to be free again: this tries for 10 s.
    pub fn spawn_serve_on(&self, address: &str) -> ServeProcess {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            match self.try_spawn_process_at(
                "serve",
                address,
                address,
                &["--allow-private-addresses"],
            ) {
                Ok(process) => return process,
                Err(failure) if Instant::now() >= deadline => panic!("{failure}"),
                Err(_) => std::thread::sleep(Duration::from_millis(200)),
            }
        }
    }

    /// Like [`TestInstance::spawn_serve_on`], on a loopback port free when it starts (another
    /// when another process took the one found free first); the process's `base_url` says which.
    pub fn spawn_serve_on_a_free_port(&self) -> ServeProcess {
        let mut failures = Vec::new();
        for _ in 0..5 {
            let address = std::net::TcpListener::bind("127.0.0.1:0")
                .and_then(|listener| listener.local_addr())
                .expect("a free port")
                .to_string();
            match self.try_spawn_process_at(
                "serve",
                &address,
                &address,
                &["--allow-private-addresses"],
            ) {
                Ok(process) => return process,
                Err(failure) => failures.push(failure),
            }
        }
        panic!("no free port worked: {failures:?}")
    }

    /// Starts `woolly worker` as a child process; its JSON logs go to a file.
    pub fn spawn_worker(&self, extra: &[&str]) -> ServeProcess {
        self.spawn_process("worker", extra)
    }

    fn spawn_process(&self, command: &str, extra: &[&str]) -> ServeProcess {
        self.spawn_process_at(command, "127.0.0.1:0", "woolly.test", extra)
    }

    fn spawn_process_at(
        &self,
        command: &str,
        listen: &str,
        domain: &str,
        extra: &[&str],
    ) -> ServeProcess {
        self.try_spawn_process_at(command, listen, domain, extra)
            .unwrap_or_else(|failure| panic!("{failure}"))
    }

    /// Starts `woolly COMMAND`; for `serve`, fails (with its log) when it does not say that it
    /// listens, as when its address is taken.
    fn try_spawn_process_at(
        &self,
        command: &str,
        listen: &str,
        domain: &str,
        extra: &[&str],
    ) -> Result<ServeProcess, String> {
        let log_path = self.dir.path().join(format!(
            "{command}-{}.log",
            COUNTER.fetch_add(1, std::sync::atomic::Ordering::SeqCst)
        ));
        let log = std::fs::File::create(&log_path).expect("log file");
        let mut child = Command::new(BINARY)
            .arg(command)
            .args(self.data_args())
            .args([
                "--listen",
                listen,
                "--domain",
                domain,
                "--insecure-http",
                "--log-format",
                "json",
            ])
            .args(["--job-lease-seconds", "3", "--job-retry-base-ms", "100"])
            .args(["--job-retry-max-ms", "2000"])
            .args(extra)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(log)
            .spawn()
            .expect("spawn woolly");
        let mut base_url = None;
        if command == "serve" {
            let stdout = child.stdout.take().expect("stdout");
            let mut lines = BufReader::new(stdout).lines();
            let line = lines.next().and_then(Result::ok).unwrap_or_default();
            let Some(address) = line
                .strip_prefix("Woolly is listening on ")
                .and_then(|rest| rest.split_whitespace().next())
            else {
                let _ = child.kill();
                let _ = child.wait();
                return Err(format!(
                    "unexpected first line {line:?}; log: {}",
                    std::fs::read_to_string(&log_path).unwrap_or_default()
                ));
            };
            base_url = Some(address.to_owned());
            // Keep draining stdout so that the child never blocks on a full pipe.
            std::thread::spawn(move || for _ in lines {});
        }
        Ok(ServeProcess {
            child,
            base_url: base_url.unwrap_or_default(),
            log_path,
        })
    }
}

/// Binds `address` again after a server there stopped, trying for 10 s while it is still taken.
async fn bind_again(address: std::net::SocketAddr) -> tokio::net::TcpListener {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        match tokio::net::TcpListener::bind(address).await {
            Ok(listener) => return listener,
            Err(error) if Instant::now() >= deadline => panic!("bind {address}: {error}"),
            Err(_) => tokio::time::sleep(Duration::from_millis(100)).await,
        }
    }
}

/// How this run's PostgreSQL databases are named: `WOOLLY_TEST_DATABASE_PREFIX` when set
/// (scripts/test sets one per run, `woolly_test_{seconds since the epoch}_{its pid}`, and drops
/// the databases that start with it when the run ends, leaving any other run's alone), else
/// `woolly_test_{seconds since the epoch}`. Either way the time lets a later run drop what a
/// killed one left, once it is old enough that no run can still be using it.
fn database_prefix() -> String {
    match std::env::var("WOOLLY_TEST_DATABASE_PREFIX") {
        Ok(prefix) if !prefix.is_empty() => {
            // The rest of the name takes at most 1 + 10 + 1 + 10 + 1 + 10 of PostgreSQL's 63 bytes.
            let valid = prefix.len() <= 30
                && prefix
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
            assert!(
                valid,
                "WOOLLY_TEST_DATABASE_PREFIX={prefix:?}: at most 30 of a-z, 0-9 and _"
            );
            prefix
        }
        _ => format!("woolly_test_{}", woolly_core::now_millis() / 1000),
    }
}

impl Drop for TestInstance {
    fn drop(&mut self) {
        if let Some((server_url, name)) = self.postgres.take() {
            // A runtime of its own: Drop cannot await, and the test's runtime may be gone.
            let _ = std::thread::spawn(move || {
                let runtime = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build();
                if let Ok(runtime) = runtime {
                    let _ =
                        runtime.block_on(woolly_store::drop_postgres_database(&server_url, &name));
                }
            })
            .join();
        }
    }
}

/// Creates a local account with a `read write follow` token on a running server; returns the
/// token and the account's id, as the rig's standard user. Made through core in this process,
/// as `woolly admin account create` and `woolly admin token` would make them, without their
/// two child processes.
pub async fn account(server: &TestServer, name: &str) -> (String, String) {
    let account_id = account_with_password(server, name, "a long enough password").await;
    let token = server
        .woolly
        .oauth()
        .issue_token(
            name,
            woolly_core::auth::Scopes::parse("read write follow").expect("scopes"),
        )
        .await
        .expect("issue a token");
    (token, account_id.to_string())
}

/// Creates a local account with `role` (`moderator`, `admin`…) and a token with every scope the
/// admin API asks for besides the usual ones; returns the token and the account's id.
pub async fn staff_account(server: &TestServer, name: &str, role: &str) -> (String, String) {
    use woolly_core::accounts::{Email, NewAccount, Role, Username};
    let created = server
        .woolly
        .accounts()
        .create_local(NewAccount {
            username: Username::parse(name).expect("a username"),
            email: Email::parse(&format!("{name}@example.org")).expect("an e-mail address"),
            password: Some("a long enough password".to_owned()),
            role: Role::parse(role).expect("a role"),
        })
        .await
        .expect("create a staff account");
    let token = server
        .woolly
        .oauth()
        .issue_token(
            name,
            woolly_core::auth::Scopes::parse("read write follow admin:read admin:write")
                .expect("scopes"),
        )
        .await
        .expect("issue a token");
    (token, created.account_id.to_string())
}

/// Creates a local account that signs in with `password` (e-mail `NAME@example.org`), made
/// through core as `woolly admin account create` makes it; returns its id.
pub async fn account_with_password(server: &TestServer, name: &str, password: &str) -> i64 {
    use woolly_core::accounts::{Email, NewAccount, Role, Username};
    server
        .woolly
        .accounts()
        .create_local(NewAccount {
            username: Username::parse(name).expect("a username"),
            email: Email::parse(&format!("{name}@example.org")).expect("an e-mail address"),
            password: Some(password.to_owned()),
            role: Role::parse("user").expect("a role"),
        })
        .await
        .expect("create an account")
        .account_id
}

/// Registers an OAuth app with the out-of-band redirect; returns the `Application` with its
/// `client_id` and `client_secret`.
pub async fn register_app(server: &TestServer, name: &str, scopes: &str) -> serde_json::Value {
    let response = http()
        .post(server.url("/api/v1/apps"))
        .form(&[
            ("client_name", name),
            ("redirect_uris", "urn:ietf:wg:oauth:2.0:oob"),
            ("scopes", scopes),
        ])
        .send()
        .await
        .expect("POST /api/v1/apps");
    assert_eq!(
        response.status(),
        reqwest::StatusCode::OK,
        "register {name}"
    );
    response.json().await.expect("an application")
}

/// The password grant for `login` with a new app of `scopes`: the status and the answer.
pub async fn password_grant(
    server: &TestServer,
    login: &str,
    password: &str,
    scopes: &str,
) -> (reqwest::StatusCode, serde_json::Value) {
    let app = register_app(server, "Password grant", scopes).await;
    let response = http()
        .post(server.url("/oauth/token"))
        .form(&[
            ("grant_type", "password"),
            ("client_id", app["client_id"].as_str().expect("a client id")),
            (
                "client_secret",
                app["client_secret"].as_str().expect("a client secret"),
            ),
            ("username", login),
            ("password", password),
            ("scope", scopes),
        ])
        .send()
        .await
        .expect("POST /oauth/token");
    let status = response.status();
    (
        status,
        response.json().await.unwrap_or(serde_json::Value::Null),
    )
}

/// A local user of a test server: a `read write follow` token and the account's id.
#[derive(Debug, Clone)]
pub struct TestUser {
    pub token: String,
    pub id: String,
}

/// Creates a local user (see [`account`]).
pub async fn user(server: &TestServer, name: &str) -> TestUser {
    let (token, id) = account(server, name).await;
    TestUser { token, id }
}

/// Stores an account of another server, as the federation inbox will once it exists (until
/// then no remote account can arrive any other way).
pub async fn remote_account(
    server: &TestServer,
    username: &str,
    domain: &str,
) -> woolly_core::accounts::Account {
    let domain = woolly_core::Domain::normalize(domain).expect("a domain");
    let host = domain.as_str().to_owned();
    server
        .woolly
        .federation()
        .store_remote_account(woolly_core::remote::RemoteAccount {
            username: username.to_owned(),
            domain,
            display_name: username.to_owned(),
            note: String::new(),
            note_html: None,
            locked: false,
            bot: false,
            discoverable: true,
            indexable: true,
            public_key_pem: String::new(),
            fields: Vec::new(),
            emojis: Vec::new(),
            counts: Default::default(),
            suspended: false,
            moves: Default::default(),
            actor: woolly_core::accounts::ActorLinks {
                uri: Some(format!("https://{host}/users/{username}")),
                url: Some(format!("https://{host}/@{username}")),
                inbox_url: Some(format!("https://{host}/users/{username}/inbox")),
                shared_inbox_url: Some(format!("https://{host}/inbox")),
                followers_url: Some(format!("https://{host}/users/{username}/followers")),
                actor_type: Some("Person".to_owned()),
                ..Default::default()
            },
        })
        .await
        .expect("store a remote account")
}

/// Stores a status of a remote account, as received from its server; returns its id. Hashtags
/// and mentions of local accounts (`@name`) are taken from the text, as the inbox takes them
/// from a note's tags.
pub async fn remote_status(
    server: &TestServer,
    author: &woolly_core::accounts::Account,
    text: &str,
    visibility: woolly_core::visibility::Visibility,
    in_reply_to: Option<&str>,
) -> String {
    remote_status_with(server, author, text, visibility, in_reply_to, |_| {}).await
}

/// Like [`remote_status`], with the status changed by `customize` before it is stored.
pub async fn remote_status_with(
    server: &TestServer,
    author: &woolly_core::accounts::Account,
    text: &str,
    visibility: woolly_core::visibility::Visibility,
    in_reply_to: Option<&str>,
    customize: impl FnOnce(&mut woolly_core::remote::RemoteStatus),
) -> String {
    let (mentions, tags) = woolly_core::text::scan(text);
    let mut mentioned_account_ids = Vec::new();
    for name in mentions.iter().filter(|name| !name.contains('@')) {
        let account = server.woolly.accounts().local_account(name).await.unwrap();
        mentioned_account_ids.extend(account.map(|account| account.id));
    }
    let number = COUNTER.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    let domain = author.domain.clone().expect("a remote author");
    let mut status = woolly_core::remote::RemoteStatus {
        uri: format!(
            "https://{domain}/users/{}/statuses/{number}",
            author.username
        ),
        url: None,
        text: text.to_owned(),
        content_html: None,
        poll: None,
        media: Vec::new(),
        emojis: Vec::new(),
        spoiler_text: String::new(),
        sensitive: false,
        visibility,
        language: None,
        in_reply_to_id: in_reply_to.map(|id| id.parse().expect("a status id")),
        mentioned_account_ids,
        tags,
        created_at: woolly_core::now_millis(),
        edited_at: None,
    };
    customize(&mut status);
    let id = server
        .woolly
        .federation()
        .store_remote_status(author, status)
        .await
        .expect("store a remote status");
    id.to_string()
}

/// A server running in the test process.
pub struct TestServer {
    pub base_url: String,
    /// Where `/metrics` is served, when the settings asked for a metrics listener.
    pub metrics_addr: Option<std::net::SocketAddr>,
    pub woolly: woolly_core::Woolly,
    stop: CancellationToken,
    task: tokio::task::JoinHandle<std::io::Result<()>>,
}

impl TestServer {
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base_url)
    }

    /// The one way tests call the client API: `method` on `path`, as the holder of `token` (or
    /// anonymously), with `body` as JSON unless it is null or the method a GET. Returns the status and the JSON
    /// answer (null when the answer is not JSON).
    pub async fn call(
        &self,
        method: reqwest::Method,
        path: &str,
        token: Option<&str>,
        body: serde_json::Value,
    ) -> (reqwest::StatusCode, serde_json::Value) {
        let (status, answer, _) = self.call_with_link(method, path, token, body).await;
        (status, answer)
    }

    /// Like [`TestServer::call`], with the answer's `Link` header.
    pub async fn call_with_link(
        &self,
        method: reqwest::Method,
        path: &str,
        token: Option<&str>,
        body: serde_json::Value,
    ) -> (reqwest::StatusCode, serde_json::Value, Option<String>) {
        call_at(&self.base_url, method, path, token, body).await
    }

    /// The Prometheus text of the metrics listener (which the settings must have asked for).
    pub async fn metrics(&self) -> String {
        let address = self.metrics_addr.expect("a metrics listener");
        http()
            .get(format!("http://{address}/metrics"))
            .send()
            .await
            .expect("GET /metrics")
            .text()
            .await
            .expect("metrics text")
    }

    /// Stops the server as SIGTERM would and waits until it has shut down.
    pub async fn stop(self) {
        self.stop.cancel();
        self.task.await.expect("server task").expect("server ran");
    }
}

/// A `woolly` child process.
pub struct ServeProcess {
    pub child: Child,
    pub base_url: String,
    pub log_path: PathBuf,
}

impl ServeProcess {
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base_url)
    }

    pub fn log(&self) -> String {
        std::fs::read_to_string(&self.log_path).unwrap_or_default()
    }

    /// Sends SIGTERM and waits for the exit status.
    pub fn terminate(mut self) -> std::process::ExitStatus {
        send_signal(self.child.id(), "TERM");
        wait_with_timeout(&mut self.child, Duration::from_secs(30))
    }

    /// Kills the process with SIGKILL, as a crash would.
    pub fn kill9(mut self) {
        send_signal(self.child.id(), "KILL");
        let _ = self.child.wait();
    }
}

impl Drop for ServeProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn send_signal(pid: u32, signal: &str) {
    let status = Command::new("kill")
        .args([&format!("-{signal}"), &pid.to_string()])
        .status()
        .expect("run kill");
    assert!(status.success(), "kill -{signal} {pid} failed");
}

fn wait_with_timeout(child: &mut Child, timeout: Duration) -> std::process::ExitStatus {
    let deadline = Instant::now() + timeout;
    loop {
        if let Some(status) = child.try_wait().expect("wait") {
            return status;
        }
        assert!(
            Instant::now() < deadline,
            "process did not exit within {timeout:?}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// The values of `variables`, which point at third-party software that scripts/test installs
/// outside the clone (`installs` says what): `None` when any is unset, and the test is then
/// skipped with the reason printed, unless `WOOLLY_REQUIRE_PEERS=1` (which scripts/test sets once
/// it has installed them all), which fails it instead, so that such a run cannot pass by skipping.
pub fn third_party(variables: &[&str], installs: &str) -> Option<Vec<std::ffi::OsString>> {
    let values: Vec<_> = variables
        .iter()
        .map(|name| std::env::var_os(name).filter(|value| !value.is_empty()))
        .collect();
    if values.iter().all(Option::is_some) {
        return Some(values.into_iter().flatten().collect());
    }
    let missing: Vec<&str> = variables
        .iter()
        .zip(&values)
        .filter(|(_, value)| value.is_none())
        .map(|(name, _)| *name)
        .collect();
    let them = if missing.len() == 1 { "it" } else { "them" };
    let message = format!(
        "{} not set (scripts/test installs {installs} and sets {them})",
        missing.join(" and ")
    );
    assert!(
        std::env::var("WOOLLY_REQUIRE_PEERS").as_deref() != Ok("1"),
        "WOOLLY_REQUIRE_PEERS=1 but {message}"
    );
    eprintln!("skipped: {message}");
    None
}

/// Waits until `server`'s jobs are idle: none running, and none due. Every job that what the test
/// did so far started (inbound activities, fan-out, deliveries, and those they started) has then
/// had its turn: it finished, failed for good, or failed and waits for a retry later. A test then
/// asserts what they did not do, instead of sleeping and hoping that they had run.
///
/// The counts and the next due time are two reads: a job claimed between them would be seen
/// neither queued (it was, in the counts) nor due (its lease is not), and one that ended between
/// them could have queued another. So the counts are read again after the due time, and the
/// jobs are idle only if nothing moved in between.
pub async fn jobs_idle(server: &TestServer) {
    let timeout = Duration::from_secs(30);
    let deadline = Instant::now() + timeout;
    let counts = || async {
        let counts = server.woolly.jobs().job_counts().await.expect("job counts");
        counts
            .into_iter()
            .map(|count| (count.kind, count.state, count.count))
            .collect::<Vec<_>>()
    };
    loop {
        let before = counts().await;
        let next_due = server
            .woolly
            .jobs()
            .next_job_due()
            .await
            .expect("next job due");
        let after = counts().await;
        let running: Vec<_> = after
            .iter()
            .filter(|(_, state, count)| *count > 0 && *state == woolly_store::JobState::Running)
            .collect();
        let due = next_due.is_some_and(|at| at <= woolly_core::now_millis());
        if before == after && running.is_empty() && !due {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "jobs not idle after {timeout:?}: running {running:?}, next due at {next_due:?}"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// Posts a status as the holder of `token`; returns the answer as it came.
pub async fn post_status(
    server: &TestServer,
    token: &str,
    body: serde_json::Value,
) -> serde_json::Value {
    http()
        .post(server.url("/api/v1/statuses"))
        .bearer_auth(token)
        .json(&body)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

/// The first page of the reader's home timeline, or `None` while it cannot be read: what a test
/// polls with [`eventually`] for what the fan-out job puts there after a post is answered.
pub async fn home_timeline(server: &TestServer, token: &str) -> Option<Vec<serde_json::Value>> {
    let home: serde_json::Value = http()
        .get(server.url("/api/v1/timelines/home"))
        .bearer_auth(token)
        .send()
        .await
        .ok()?
        .json()
        .await
        .ok()?;
    home.as_array().cloned()
}

/// The sum of `field` (a number in a string, as Mastodon writes counts) over a hashtag's daily
/// or the instance's weekly history: what a test asserts instead of the first entry's, which
/// is another day's (or week's) when the test runs across midnight UTC (or Monday's).
pub fn history_total(history: &serde_json::Value, field: &str) -> i64 {
    history
        .as_array()
        .expect("a history array")
        .iter()
        .map(|entry| {
            entry[field]
                .as_str()
                .and_then(|count| count.parse::<i64>().ok())
                .unwrap_or_else(|| panic!("{field} in {entry}"))
        })
        .sum()
}

/// Polls `check` until it returns `Some`, or fails the test after `timeout`.
pub async fn eventually<T, F, Fut>(timeout: Duration, what: &str, mut check: F) -> T
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Option<T>>,
{
    let deadline = Instant::now() + timeout;
    loop {
        if let Some(value) = check().await {
            return value;
        }
        assert!(
            Instant::now() < deadline,
            "timed out after {timeout:?} waiting for {what}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// [`TestServer::call`] for a server known by its base URL (a child process, another node).
pub async fn call_at(
    base_url: &str,
    method: reqwest::Method,
    path: &str,
    token: Option<&str>,
    body: serde_json::Value,
) -> (reqwest::StatusCode, serde_json::Value, Option<String>) {
    let mut request = http().request(method.clone(), format!("{base_url}{path}"));
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    if !body.is_null() && method != reqwest::Method::GET {
        request = request.json(&body);
    }
    let response = request.send().await.expect("a response");
    let link = response
        .headers()
        .get("link")
        .map(|value| value.to_str().expect("a text header").to_owned());
    let status = response.status();
    let answer = response.json().await.unwrap_or(serde_json::Value::Null);
    (status, answer, link)
}

pub fn http() -> reqwest::Client {
    reqwest::Client::builder()
        .timeout(Duration::from_secs(30))
        .build()
        .expect("HTTP client")
}

/// `woolly admin jobs show ID` as JSON.
pub async fn job(instance: &TestInstance, id: &str) -> serde_json::Value {
    let printed = instance.cli_ok(&["admin", "jobs", "show", id]).await;
    serde_json::from_str(printed.trim()).expect("job JSON")
}

/// Uploads a small PNG as `token`'s user; returns the upload's id.
pub async fn upload_png(server: &TestServer, token: &str) -> String {
    let mut png = std::io::Cursor::new(Vec::new());
    image::RgbImage::from_fn(8, 8, |x, y| image::Rgb([x as u8 * 30, y as u8 * 30, 90]))
        .write_to(&mut png, image::ImageFormat::Png)
        .expect("encode a PNG");
    let part = reqwest::multipart::Part::bytes(png.into_inner())
        .file_name("square.png")
        .mime_str("image/png")
        .expect("a content type");
    let response = http()
        .post(server.url("/api/v2/media"))
        .bearer_auth(token)
        .multipart(reqwest::multipart::Form::new().part("file", part))
        .send()
        .await
        .expect("POST /api/v2/media");
    assert_eq!(response.status(), reqwest::StatusCode::OK, "upload");
    let media: serde_json::Value = response.json().await.expect("a media attachment");
    media["id"].as_str().expect("an id").to_owned()
}
