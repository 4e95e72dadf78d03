//! Woolly's admin command line, run beside the server on the same data: the one thing the
//! harness does outside the Mastodon API, because creating accounts and tokens through the API
//! needs sign-up, confirmation and OAuth flows that measure nothing of interest. Also how the
//! harness learns that background jobs (fan-out to home feeds) have caught up.

use std::ffi::OsString;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use anyhow::{Context as _, anyhow, bail};
use serde::Deserialize;
use tokio::process::Command;

use crate::engine::Instance;

/// Runs `woolly admin …` on one instance.
#[derive(Debug, Clone)]
pub struct Admin {
    binary: PathBuf,
    settings_args: Vec<OsString>,
}

/// The state of the job queue, from `woolly admin jobs --json`.
#[derive(Debug, Clone, Copy, Default)]
pub struct JobQueue {
    /// Queued or running.
    pub pending: i64,
    /// Failed every attempt.
    pub dead: i64,
}

#[derive(Deserialize)]
struct JobsDocument {
    counts: Vec<JobCount>,
}

#[derive(Deserialize)]
struct JobCount {
    state: String,
    count: i64,
}

impl Admin {
    pub fn new(binary: PathBuf, instance: &Instance) -> Admin {
        Admin {
            binary,
            settings_args: instance.settings_args(),
        }
    }

    /// Creates a local account with a known password.
    pub async fn create_account(&self, username: &str, password: &str) -> anyhow::Result<()> {
        let email = format!("{username}@bench.example");
        self.run(&[
            "account",
            "create",
            username,
            "--email",
            &email,
            "--password",
            password,
        ])
        .await?;
        Ok(())
    }

    /// Issues an access token with every scope an app asks for.
    pub async fn issue_token(&self, username: &str) -> anyhow::Result<String> {
        let output = self
            .run(&["token", username, "--scopes", "read write follow push"])
            .await?;
        // The token is printed alone on the last line.
        output
            .lines()
            .rev()
            .map(str::trim)
            .find(|line| !line.is_empty())
            .map(str::to_owned)
            .ok_or_else(|| anyhow!("`woolly admin token {username}` printed no token"))
    }

    pub async fn job_queue(&self) -> anyhow::Result<JobQueue> {
        let output = self.run(&["jobs", "--json", "--dead", "0"]).await?;
        let document: JobsDocument = serde_json::from_str(output.trim())
            .with_context(|| format!("unexpected `woolly admin jobs --json`: {output}"))?;
        let mut queue = JobQueue::default();
        for count in document.counts {
            match count.state.as_str() {
                "queued" | "running" => queue.pending += count.count,
                "dead" => queue.dead += count.count,
                _ => {}
            }
        }
        Ok(queue)
    }

    /// Waits until no job is queued or running: the fan-out of everything posted has reached
    /// the home feeds, so measurements see the finished data and compete with no background work.
    pub async fn wait_for_jobs(&self, timeout: Duration) -> anyhow::Result<JobQueue> {
        self.wait_until_pending_at_most(0, timeout).await
    }

    /// Waits until at most `max_pending` jobs are queued or running.
    pub async fn wait_until_pending_at_most(
        &self,
        max_pending: i64,
        timeout: Duration,
    ) -> anyhow::Result<JobQueue> {
        let started_at = Instant::now();
        let mut last_report = Instant::now();
        loop {
            let queue = self.job_queue().await?;
            if queue.pending <= max_pending {
                return Ok(queue);
            }
            if started_at.elapsed() > timeout {
                bail!("{} jobs are still pending after {timeout:?}", queue.pending);
            }
            if last_report.elapsed() > Duration::from_secs(5) {
                eprintln!("  waiting for {} background jobs…", queue.pending);
                last_report = Instant::now();
            }
            // Each poll starts a process; polling faster would cost the server being measured.
            tokio::time::sleep(Duration::from_millis(300)).await;
        }
    }

    async fn run(&self, args: &[&str]) -> anyhow::Result<String> {
        let output = Command::new(&self.binary)
            .arg("admin")
            .args(args)
            .args(&self.settings_args)
            .kill_on_drop(true)
            .output()
            .await
            .with_context(|| format!("cannot run {}", self.binary.display()))?;
        if !output.status.success() {
            bail!(
                "`woolly admin {}` failed: {}",
                args.join(" "),
                String::from_utf8_lossy(&output.stderr).trim()
            );
        }
        String::from_utf8(output.stdout).context("`woolly admin` printed something not UTF-8")
    }
}
