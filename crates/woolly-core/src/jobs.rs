//! Running the durable job queue: handlers by kind, the worker loop, retries and shutdown.
//!
//! Jobs are rows (see `woolly_store::jobs`); this module decides what happens to them. A worker
//! claims due jobs under a lease, runs each with the handler of its kind while renewing the
//! lease, and then completes it, schedules a retry with exponential back-off and jitter, or
//! buries it as dead after its last attempt. Handlers must be safe to run twice: a worker can die
//! after the work and before the completion is recorded, and the job then runs again.
//!
//! On shutdown a worker stops claiming, gives running jobs a grace period to finish, and hands
//! back (releases) the ones that do not, without counting the attempt.

use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use rand::Rng as _;
use serde::{Deserialize, Serialize};
use tokio::task::JoinSet;
use tokio_util::sync::CancellationToken;
use tracing::Instrument as _;
use woolly_store::{ClaimedJob, NewJob};

use crate::areas::Jobs;
use crate::error::{CoreError, Result};
use crate::state::Woolly;

/// The future a handler returns.
pub type JobFuture<'a> = Pin<Box<dyn Future<Output = Result<(), JobError>> + Send + 'a>>;

/// Why an attempt failed.
#[derive(Debug, thiserror::Error)]
pub enum JobError {
    /// Worth trying again later (a remote server down, a database hiccup).
    #[error("{0}")]
    Retry(String),
    /// Will never succeed (a malformed payload): the job is buried at once.
    #[error("{0}")]
    Permanent(String),
    /// Could not start now for a reason of its own (what it needs is busy): run again after
    /// the delay, without counting the attempt.
    #[error("deferred for {0:?}")]
    Defer(Duration),
}

impl From<CoreError> for JobError {
    fn from(error: CoreError) -> JobError {
        match error {
            CoreError::Store(_) | CoreError::Internal(_) => JobError::Retry(error.to_string()),
            other => JobError::Permanent(other.to_string()),
        }
    }
}

impl From<woolly_store::StoreError> for JobError {
    fn from(error: woolly_store::StoreError) -> JobError {
        JobError::Retry(error.to_string())
    }
}

/// A claimed job as its handler sees it.
#[derive(Debug)]
pub struct Job {
    pub id: i64,
    pub kind: String,
    payload: String,
    /// This attempt's number, from 1.
    pub attempt: i32,
    pub max_attempts: i32,
}

impl Job {
    /// The payload, parsed into the handler's type. A payload that does not parse never will.
    pub fn payload<T: for<'de> Deserialize<'de>>(&self) -> Result<T, JobError> {
        serde_json::from_str(&self.payload).map_err(|error| {
            JobError::Permanent(format!("malformed {} payload: {error}", self.kind))
        })
    }
}

/// Does the work of one kind of job.
pub trait JobHandler: Send + Sync + 'static {
    /// The kind this handler runs, such as `probe`.
    fn kind(&self) -> &'static str;

    /// How many attempts a job of this kind gets before it is buried.
    fn max_attempts(&self) -> i32 {
        DEFAULT_MAX_ATTEMPTS
    }

    fn run<'a>(&'a self, woolly: &'a Woolly, job: &'a Job) -> JobFuture<'a>;
}

/// About three days of retries with the default back-off (30 s doubling, capped at 6 h).
pub const DEFAULT_MAX_ATTEMPTS: i32 = 20;

/// The handlers a worker can run, by kind.
#[derive(Default, Clone)]
pub struct JobHandlers {
    by_kind: HashMap<&'static str, Arc<dyn JobHandler>>,
}

impl JobHandlers {
    /// The handlers `woolly-core` itself provides.
    pub fn core() -> JobHandlers {
        let mut handlers = JobHandlers::default();
        handlers.register(ProbeJob);
        handlers.register(crate::statuses::FanOutJob);
        handlers.register(crate::polls::PollExpiryJob);
        handlers.register(crate::scheduled::PublishScheduledJob);
        handlers.register(crate::account_deletion::PurgeAccountJob);
        handlers.register(crate::account_deletion::PurgeSuspendedJob);
        handlers.register(crate::instance_domain_blocks::PurgeDomainJob);
        handlers.register(crate::status_moderation::RemoveStatusJob);
        handlers.register(crate::moving::MoveFollowersJob);
        handlers.register(crate::imports::ImportJob);
        handlers.register(crate::suggestions::FriendSuggestionsJob);
        handlers.register(crate::suggestions::GlobalSuggestionsJob);
        handlers.register(crate::trends::TrendsJob);
        handlers
    }

    pub fn register(&mut self, handler: impl JobHandler) {
        self.by_kind.insert(handler.kind(), Arc::new(handler));
    }

    fn get(&self, kind: &str) -> Option<&Arc<dyn JobHandler>> {
        self.by_kind.get(kind)
    }
}

/// Builds the row for a new job. `max_attempts` defaults to the handler's.
pub fn new_job(
    kind: &str,
    payload: &impl Serialize,
    run_at: i64,
    max_attempts: i32,
) -> Result<NewJob> {
    let payload = serde_json::to_string(payload)
        .map_err(|error| CoreError::Internal(format!("job payload for {kind}: {error}")))?;
    Ok(NewJob {
        kind: kind.to_owned(),
        payload,
        run_at,
        max_attempts,
    })
}

impl Woolly {
    /// Tells this process's workers that a job was committed (call after `commit`).
    pub fn wake_workers(&self) {
        self.job_wakeup().notify_one();
    }
}

impl Jobs<'_> {
    /// Enqueues a job in a transaction of its own and wakes this process's workers.
    pub async fn enqueue_job(&self, job: &NewJob) -> Result<i64> {
        let id = self.db().enqueue_job(job).await?;
        self.wake_workers();
        Ok(id)
    }

    /// How many jobs of each kind are in each state (for the operator and the metrics).
    pub async fn job_counts(&self) -> Result<Vec<woolly_store::JobCount>> {
        Ok(self.db().job_counts().await?)
    }

    /// The most recent jobs that failed for good, newest first.
    pub async fn dead_jobs(&self, limit: i64) -> Result<Vec<woolly_store::DeadJob>> {
        Ok(self.db().dead_jobs(limit).await?)
    }

    /// When the next job is due: the first queued job's time or the first lease to expire.
    pub async fn next_job_due(&self) -> Result<Option<i64>> {
        Ok(self.db().next_job_due().await?)
    }

    /// One job, whatever its state.
    pub async fn job(&self, id: i64) -> Result<Option<woolly_store::JobSummary>> {
        Ok(self.db().job(id).await?)
    }
}

/// How a worker behaves. The defaults suit production; tests shorten the times.
#[derive(Debug, Clone)]
pub struct WorkerOptions {
    /// Jobs run at once by this worker.
    pub concurrency: usize,
    /// How long a claim lasts without renewal; a dead worker's jobs run again after it.
    pub lease: Duration,
    /// The first retry delay; each further attempt doubles it, up to `backoff_cap`.
    pub backoff_base: Duration,
    pub backoff_cap: Duration,
    /// The longest a worker sleeps before looking for due jobs (other processes enqueue too).
    pub poll_interval: Duration,
    /// How long running jobs may finish after shutdown begins before they are released.
    pub shutdown_grace: Duration,
    /// How long done jobs are kept for operators to see.
    pub done_retention: Duration,
}

impl Default for WorkerOptions {
    fn default() -> WorkerOptions {
        WorkerOptions {
            concurrency: 8,
            lease: Duration::from_secs(300),
            backoff_base: Duration::from_secs(30),
            backoff_cap: Duration::from_secs(6 * 60 * 60),
            poll_interval: Duration::from_secs(1),
            shutdown_grace: Duration::from_secs(10),
            done_retention: Duration::from_secs(24 * 60 * 60),
        }
    }
}

impl WorkerOptions {
    /// The delay before retrying after failed attempt number `attempt` (from 1):
    /// `min(base · 2^(attempt-1), cap)`, plus up to a quarter of it at random so that jobs
    /// failing together do not retry together.
    pub fn backoff(&self, attempt: i32) -> Duration {
        let exponent = u32::try_from(attempt.saturating_sub(1))
            .unwrap_or(0)
            .min(30);
        let delay = self
            .backoff_base
            .saturating_mul(1 << exponent)
            .min(self.backoff_cap);
        let jitter_millis = u64::try_from(delay.as_millis() / 4).unwrap_or(u64::MAX);
        delay + Duration::from_millis(rand::rng().random_range(0..=jitter_millis))
    }
}

fn millis(duration: Duration) -> i64 {
    i64::try_from(duration.as_millis()).unwrap_or(i64::MAX)
}

/// A job worker: claims and runs jobs until stopped.
pub struct Worker {
    woolly: Woolly,
    handlers: Arc<JobHandlers>,
    options: WorkerOptions,
    /// Names this worker in job leases (`locked_by`), for operators and fencing.
    name: String,
}

impl Worker {
    pub fn new(woolly: Woolly, handlers: JobHandlers, options: WorkerOptions) -> Worker {
        let name = format!(
            "{}:{}:{:08x}",
            hostname(),
            std::process::id(),
            rand::rng().random::<u32>()
        );
        Worker {
            woolly,
            handlers: Arc::new(handlers),
            options,
            name,
        }
    }

    /// Runs until `stop` is cancelled, then finishes or releases the running jobs.
    pub async fn run(self, stop: CancellationToken) {
        let shared = Arc::new(self);
        let release_now = CancellationToken::new();
        let mut running = JoinSet::new();
        let mut next_prune = 0;
        tracing::info!(worker = %shared.name, concurrency = shared.options.concurrency, "job worker started");
        while !stop.is_cancelled() {
            let now = crate::now_millis();
            let free = shared.options.concurrency.saturating_sub(running.len());
            let mut claimed_all_free = false;
            if free > 0 {
                let lease_until = now + millis(shared.options.lease);
                let limit = i64::try_from(free).unwrap_or(1);
                match shared
                    .woolly
                    .db()
                    .claim_jobs(&shared.name, now, lease_until, limit)
                    .await
                {
                    Ok(jobs) => {
                        claimed_all_free = jobs.len() == free;
                        for job in jobs {
                            let shared = Arc::clone(&shared);
                            let release_now = release_now.clone();
                            running.spawn(async move { shared.run_one(job, release_now).await });
                        }
                    }
                    Err(error) => tracing::warn!(%error, "could not claim jobs"),
                }
            }
            if now >= next_prune {
                next_prune = now + 10 * 60 * 1000;
                shared.prune(now).await;
            }
            let wait = if claimed_all_free {
                // There may be more due jobs: look again as soon as a slot frees up.
                shared.options.poll_interval
            } else {
                shared.time_until_next_due(now).await
            };
            tokio::select! {
                () = stop.cancelled() => {}
                () = shared.woolly.job_wakeup().notified() => {}
                Some(_) = running.join_next(), if !running.is_empty() => {}
                () = tokio::time::sleep(wait) => {}
            }
        }
        shared.drain(running, release_now).await;
        tracing::info!(worker = %shared.name, "job worker stopped");
    }

    async fn time_until_next_due(&self, now: i64) -> Duration {
        let poll = self.options.poll_interval;
        match self.woolly.db().next_job_due().await {
            Ok(Some(due)) => Duration::from_millis(u64::try_from(due - now).unwrap_or(0)).min(poll),
            Ok(None) => poll,
            Err(error) => {
                tracing::warn!(%error, "could not read the job queue");
                poll
            }
        }
    }

    async fn prune(&self, now: i64) {
        let before = now - millis(self.options.done_retention);
        match self.woolly.db().prune_done_jobs(before).await {
            Ok(0) => {}
            Ok(count) => tracing::debug!(count, "pruned done jobs"),
            Err(error) => tracing::warn!(%error, "could not prune done jobs"),
        }
        match self.woolly.db().forget_retired_keys(now).await {
            Ok(0) => {}
            Ok(count) => tracing::info!(count, "forgot the keys of deleted accounts"),
            Err(error) => tracing::warn!(%error, "could not forget retired keys"),
        }
    }

    /// Waits for running jobs up to the grace period, then has the rest released.
    async fn drain(&self, mut running: JoinSet<()>, release_now: CancellationToken) {
        let grace = tokio::time::sleep(self.options.shutdown_grace);
        tokio::pin!(grace);
        loop {
            tokio::select! {
                next = running.join_next() => if next.is_none() { break },
                () = &mut grace, if !release_now.is_cancelled() => {
                    tracing::info!(still_running = running.len(), "shutdown grace over: releasing jobs");
                    release_now.cancel();
                }
            }
        }
    }

    async fn run_one(&self, claimed: ClaimedJob, release_now: CancellationToken) {
        let span = tracing::info_span!("job", id = claimed.id, kind = %claimed.kind, attempt = claimed.attempts);
        async {
            let Some(handler) = self.handlers.get(&claimed.kind).cloned() else {
                let error = JobError::Retry(format!("no handler for job kind {:?}", claimed.kind));
                self.record_failure(&claimed, &error).await;
                return;
            };
            let job = Job {
                id: claimed.id,
                kind: claimed.kind.clone(),
                payload: claimed.payload.clone(),
                attempt: claimed.attempts,
                max_attempts: claimed.max_attempts,
            };
            let started = std::time::Instant::now();
            // The handler runs in a task of its own, so that a panic in it is a failed attempt
            // (retried with back-off) rather than a job stuck until its lease runs out.
            let woolly = self.woolly.clone();
            let mut work = tokio::spawn(
                async move { handler.run(&woolly, &job).await }.instrument(tracing::Span::current()),
            );
            let mut heartbeat = tokio::time::interval(self.options.lease / 3);
            heartbeat.tick().await;
            let outcome = loop {
                tokio::select! {
                    finished = &mut work => break finished.unwrap_or_else(|error| {
                        Err(JobError::Retry(if error.is_panic() {
                            "the job handler panicked".to_owned()
                        } else {
                            format!("the job handler was cancelled: {error}")
                        }))
                    }),
                    _ = heartbeat.tick() => {
                        let lease_until = crate::now_millis() + millis(self.options.lease);
                        match self.woolly.db().extend_job_lease(&claimed, &self.name, lease_until).await {
                            Ok(true) => {}
                            Ok(false) => {
                                tracing::warn!("job lease lost to another worker; abandoning this attempt");
                                work.abort();
                                return;
                            }
                            Err(error) => tracing::warn!(%error, "could not renew job lease"),
                        }
                    }
                    () = release_now.cancelled() => {
                        work.abort();
                        match self.woolly.db().release_job(&claimed, &self.name).await {
                            Ok(_) => tracing::info!("job released at shutdown"),
                            Err(error) => tracing::warn!(%error, "could not release job; it runs again when its lease expires"),
                        }
                        return;
                    }
                }
            };
            match outcome {
                Ok(()) => {
                    match self.woolly.db().complete_job(&claimed, &self.name, crate::now_millis()).await {
                        Ok(true) => tracing::info!(elapsed_ms = started.elapsed().as_millis(), "job done"),
                        Ok(false) => tracing::warn!("job finished after its lease was lost; it may run again"),
                        Err(error) => tracing::warn!(%error, "could not record job completion; it runs again when its lease expires"),
                    }
                }
                Err(JobError::Defer(delay)) => {
                    let run_at = crate::now_millis() + millis(delay);
                    if let Err(error) = self.woolly.db().defer_job(&claimed, &self.name, run_at).await {
                        tracing::warn!(%error, "could not defer job; it runs again when its lease expires");
                    }
                }
                Err(error) => self.record_failure(&claimed, &error).await,
            }
        }
        .instrument(span)
        .await;
    }

    async fn record_failure(&self, claimed: &ClaimedJob, error: &JobError) {
        let message = error.to_string();
        let is_last =
            matches!(error, JobError::Permanent(_)) || claimed.attempts >= claimed.max_attempts;
        let db = self.woolly.db();
        let recorded = if is_last {
            tracing::warn!(error = %message, "job failed for the last time: dead");
            db.bury_job(claimed, &self.name, &message, crate::now_millis())
                .await
        } else {
            let delay = self.options.backoff(claimed.attempts);
            tracing::info!(error = %message, retry_in_ms = delay.as_millis(), "job failed; will retry");
            db.retry_job(
                claimed,
                &self.name,
                &message,
                crate::now_millis() + millis(delay),
            )
            .await
        };
        if let Err(error) = recorded {
            tracing::warn!(%error, "could not record job failure; it runs again when its lease expires");
        }
    }
}

fn hostname() -> String {
    std::fs::read_to_string("/proc/sys/kernel/hostname")
        .map(|name| name.trim().to_owned())
        .unwrap_or_else(|_| "woolly".to_owned())
}

/// The payload of a [`ProbeJob`].
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Probe {
    /// How long the probe works before finishing.
    #[serde(default)]
    pub sleep_ms: u64,
    /// Fail every attempt (to watch retries and burial).
    #[serde(default)]
    pub fail: bool,
}

/// The `probe` job: an operator's check that workers run (`woolly admin jobs probe`). It waits
/// `sleep_ms` and then succeeds, or fails when asked to, and touches nothing else.
pub struct ProbeJob;

impl ProbeJob {
    pub const KIND: &'static str = "probe";
}

impl JobHandler for ProbeJob {
    fn kind(&self) -> &'static str {
        Self::KIND
    }

    fn run<'a>(&'a self, _woolly: &'a Woolly, job: &'a Job) -> JobFuture<'a> {
        Box::pin(async move {
            let probe: Probe = job.payload()?;
            tokio::time::sleep(Duration::from_millis(probe.sleep_ms)).await;
            if probe.fail {
                return Err(JobError::Retry(format!(
                    "probe failed on purpose (attempt {} of {})",
                    job.attempt, job.max_attempts
                )));
            }
            Ok(())
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_up_to_the_cap_with_bounded_jitter() {
        let options = WorkerOptions::default();
        for (attempt, base_secs) in [
            (1, 30),
            (2, 60),
            (3, 120),
            (10, 15_360),
            (11, 6 * 3600),
            (40, 6 * 3600),
        ] {
            let delay = options.backoff(attempt);
            let base = Duration::from_secs(base_secs);
            assert!(
                delay >= base && delay <= base + base / 4,
                "attempt {attempt}: {delay:?}"
            );
        }
    }

    #[test]
    fn default_attempts_retry_for_about_three_days() {
        let options = WorkerOptions::default();
        let total: Duration = (1..DEFAULT_MAX_ATTEMPTS)
            .map(|attempt| {
                let exponent = u32::try_from(attempt - 1).unwrap_or(0);
                options
                    .backoff_base
                    .saturating_mul(1 << exponent)
                    .min(options.backoff_cap)
            })
            .sum();
        let hours = total.as_secs() / 3600;
        assert!((48..=96).contains(&hours), "{hours} hours of retries");
    }
}
