//! A Woolly server the harness runs itself: started on a free loopback port with rate limits
//! off, timed until its first answer, and stopped the way an operator stops it (SIGTERM, then
//! waiting for a clean exit), so that the SQLite files it leaves are complete and can be cached.

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant};

use anyhow::{Context as _, anyhow, bail};
use tokio::process::{Child, Command};

use crate::engine::Instance;
use crate::http_client::{ApiRequest, Connection, Target};

/// How long a server may take to answer for the first time (migrations on a large database
/// included) before the harness gives up.
const START_TIMEOUT: Duration = Duration::from_secs(120);
/// How long a clean shutdown may take: Woolly lets running jobs finish for a few seconds.
const STOP_TIMEOUT: Duration = Duration::from_secs(60);

/// A running `woolly serve`.
pub struct Server {
    child: Child,
    pub pid: u32,
    pub target: Target,
    /// From spawning the process until `/api/v1/instance` first answered 200.
    pub startup: Duration,
    pub log_path: PathBuf,
}

impl Server {
    /// Starts `woolly serve` on `instance`, its log going to `log_path`, and waits until it
    /// answers.
    pub async fn start(
        binary: &Path,
        instance: &Instance,
        log_path: &Path,
    ) -> anyhow::Result<Server> {
        let port = free_port()?;
        let address = format!("127.0.0.1:{port}");
        let log = std::fs::File::create(log_path)
            .with_context(|| format!("cannot create {}", log_path.display()))?;
        let started_at = Instant::now();
        let child = Command::new(binary)
            .arg("serve")
            .args(instance.settings_args())
            .args(["--listen", &address, "--domain", &address])
            .args(["--insecure-http", "--rate-limit-requests", "0"])
            // The sign-up measurement signs people up.
            .env("WOOLLY_REGISTRATIONS", "open")
            .stdin(Stdio::null())
            .stdout(log.try_clone()?)
            .stderr(log)
            // An error anywhere in the harness must not leave a server behind.
            .kill_on_drop(true)
            .spawn()
            .with_context(|| format!("cannot start {}", binary.display()))?;
        let pid = child
            .id()
            .ok_or_else(|| anyhow!("the server exited at once; see {}", log_path.display()))?;
        let target = Target::resolve(&format!("http://{address}")).await?;
        let mut server = Server {
            child,
            pid,
            target,
            startup: Duration::ZERO,
            log_path: log_path.to_owned(),
        };
        server.startup = server.wait_until_answering(started_at).await?;
        Ok(server)
    }

    async fn wait_until_answering(&mut self, started_at: Instant) -> anyhow::Result<Duration> {
        let instance = ApiRequest::get("/api/v1/instance");
        loop {
            if let Ok(mut connection) = Connection::open(&self.target).await
                && let Ok(response) = connection.send(&instance).await
                && response.status.is_success()
            {
                return Ok(started_at.elapsed());
            }
            if let Some(status) = self.child.try_wait()? {
                bail!(
                    "the server exited ({status}) before answering; its log:\n{}",
                    log_tail(&self.log_path)
                );
            }
            if started_at.elapsed() > START_TIMEOUT {
                bail!(
                    "the server did not answer within {START_TIMEOUT:?}; see {}",
                    self.log_path.display()
                );
            }
            // Fine-grained enough for a start-up of a few hundred milliseconds.
            tokio::time::sleep(Duration::from_millis(2)).await;
        }
    }

    /// Stops the server as an operator would (SIGTERM) and waits for it to exit; a clean exit
    /// (status 0) is required, since a cached data directory must be complete.
    pub async fn stop(mut self) -> anyhow::Result<()> {
        // `kill` rather than a signal call: the workspace forbids `unsafe`, and libc's `kill`
        // needs it.
        let signalled = std::process::Command::new("kill")
            .args(["-TERM", &self.pid.to_string()])
            .status()
            .context("cannot run kill")?;
        if !signalled.success() {
            bail!("cannot signal the server (pid {})", self.pid);
        }
        match tokio::time::timeout(STOP_TIMEOUT, self.child.wait()).await {
            Ok(status) => {
                let status = status?;
                if !status.success() {
                    bail!(
                        "the server exited with {status} on SIGTERM; its log:\n{}",
                        log_tail(&self.log_path)
                    );
                }
                Ok(())
            }
            Err(_) => {
                self.child.kill().await?;
                bail!("the server did not stop within {STOP_TIMEOUT:?} of SIGTERM; killed it")
            }
        }
    }
}

/// A port free right now. Another process could take it before the server binds it; on a
/// benchmark machine that does not happen, and the server would then fail loudly.
fn free_port() -> anyhow::Result<u16> {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").context("no free port")?;
    Ok(listener.local_addr()?.port())
}

/// The last lines of a log, to show why a server failed.
pub fn log_tail(path: &Path) -> String {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(20)..].join("\n")
}
