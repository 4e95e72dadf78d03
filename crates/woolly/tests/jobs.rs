//! The durable job queue, end to end: transactional enqueue, retries with back-off, burial,
//! recovery after a worker is killed, and exclusive claims across processes.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::collections::HashMap;
use std::time::Duration;

use common::{TestInstance, eventually, job};
use serde_json::Value;
use woolly_core::jobs::{Probe, ProbeJob, new_job};

fn probe(sleep_ms: u64, fail: bool, max_attempts: i32) -> woolly_store::NewJob {
    new_job(
        ProbeJob::KIND,
        &Probe { sleep_ms, fail },
        woolly_core::now_millis(),
        max_attempts,
    )
    .unwrap()
}

async fn wait_for_state(
    instance: &TestInstance,
    id: &str,
    state: &str,
    timeout: Duration,
) -> Value {
    eventually(timeout, &format!("job {id} to be {state}"), || async {
        let job = job(instance, id).await;
        (job["state"] == state).then_some(job)
    })
    .await
}

#[tokio::test]
async fn a_job_enqueued_in_a_rolled_back_transaction_never_runs() {
    let instance = TestInstance::new().await;
    let server = instance.start().await;
    let db = instance.store().await;

    let mut tx = db.begin().await.unwrap();
    let rolled_back = tx.enqueue_job(&probe(0, false, 1)).await.unwrap();
    tx.rollback().await.unwrap();
    // Dropping a transaction without committing rolls it back too.
    let mut tx = db.begin().await.unwrap();
    let dropped = tx.enqueue_job(&probe(0, false, 1)).await.unwrap();
    drop(tx);

    let mut tx = db.begin().await.unwrap();
    let committed = tx.enqueue_job(&probe(0, false, 1)).await.unwrap();
    tx.commit().await.unwrap();
    server.woolly.wake_workers();

    wait_for_state(
        &instance,
        &committed.to_string(),
        "done",
        Duration::from_secs(20),
    )
    .await;
    assert!(db.job(rolled_back).await.unwrap().is_none());
    assert!(db.job(dropped).await.unwrap().is_none());
    let counts = db.job_counts().await.unwrap();
    assert_eq!(counts.len(), 1, "{counts:?}");
    assert_eq!(counts[0].count, 1);
    server.stop().await;
}

/// Pulls a job waiting for its retry forward to now, so that a test need not wait out a long
/// back-off; false when it is not queued.
async fn retry_now(instance: &TestInstance, server: &common::TestServer, id: &str) -> bool {
    let db = instance.store().await;
    let mut tx = db.begin().await.unwrap();
    let moved = tx
        .reschedule_queued_job(id.parse().unwrap(), woolly_core::now_millis())
        .await
        .unwrap();
    tx.commit().await.unwrap();
    db.close().await;
    server.woolly.wake_workers();
    moved
}

#[tokio::test]
async fn failing_jobs_back_off_and_end_dead_with_their_last_error() {
    let instance = TestInstance::new().await;
    let mut settings = instance.settings();
    // Long enough that the waiting state below lasts seconds, however slowly this test polls it;
    // the test then pulls each retry forward instead of waiting.
    settings.job_retry_base_ms = 5_000;
    settings.job_retry_max_ms = woolly::Settings::default().job_retry_max_ms;
    let server = instance.start_with(settings).await;
    let id = instance
        .cli_ok(&["admin", "jobs", "probe", "--fail", "--max-attempts", "3"])
        .await
        .trim()
        .to_owned();

    // After the first failure the job waits in the queue for at least the base delay.
    let first = eventually(
        Duration::from_secs(20),
        "the first failed attempt",
        || async {
            let job = job(&instance, &id).await;
            (job["attempts"] == 1 && job["state"] == "queued").then_some(job)
        },
    )
    .await;
    assert_eq!(first["attempts"], 1);
    assert!(
        first["last_error"]
            .as_str()
            .unwrap()
            .contains("attempt 1 of 3")
    );
    let failed_at = woolly_core::now_millis();
    let retry_at = first["run_at"].as_i64().unwrap();
    // The attempt failed before `failed_at`, by at most the seconds this test took to see it.
    assert!(
        retry_at >= failed_at + 5_000 - 4_000 && retry_at <= failed_at + 5_000 * 5 / 4,
        "retry at {retry_at}, failed at about {failed_at}"
    );
    assert!(retry_now(&instance, &server, &id).await);
    let second = eventually(
        Duration::from_secs(20),
        "the second failed attempt",
        || async {
            let job = job(&instance, &id).await;
            (job["attempts"] == 2 && job["state"] == "queued").then_some(job)
        },
    )
    .await;
    // The delay doubles.
    assert!(
        second["run_at"].as_i64().unwrap() >= woolly_core::now_millis() + 10_000 - 4_000,
        "{second}"
    );
    assert!(retry_now(&instance, &server, &id).await);

    let dead = wait_for_state(&instance, &id, "dead", Duration::from_secs(30)).await;
    assert_eq!(dead["attempts"], 3);
    assert!(
        dead["last_error"]
            .as_str()
            .unwrap()
            .contains("attempt 3 of 3")
    );

    let listing: Value =
        serde_json::from_str(instance.cli_ok(&["admin", "jobs", "--json"]).await.trim()).unwrap();
    assert_eq!(
        listing["counts"][0],
        serde_json::json!({"kind": "probe", "state": "dead", "count": 1})
    );
    assert_eq!(listing["dead"][0]["id"], id.as_str());
    let table = instance.cli_ok(&["admin", "jobs"]).await;
    assert!(
        table.contains("Dead jobs") && table.contains("attempt 3 of 3"),
        "{table}"
    );
    server.stop().await;
}

#[tokio::test]
async fn a_job_whose_worker_was_killed_runs_again_after_restart() {
    let instance = TestInstance::new().await;
    let first = instance.spawn_serve(&[]);
    let id = instance
        .cli_ok(&["admin", "jobs", "probe", "--sleep-ms", "4000"])
        .await
        .trim()
        .to_owned();
    let running = wait_for_state(&instance, &id, "running", Duration::from_secs(20)).await;
    assert_eq!(running["attempts"], 1);
    first.kill9();
    // Still leased to the dead process.
    assert_eq!(job(&instance, &id).await["state"], "running");

    let second = instance.spawn_serve(&[]);
    let done = wait_for_state(&instance, &id, "done", Duration::from_secs(40)).await;
    assert_eq!(
        done["attempts"], 2,
        "ran again after the lease expired: {done}"
    );
    assert_eq!(second.terminate().code(), Some(0));
}

#[tokio::test]
async fn shutdown_releases_a_running_job_without_counting_the_attempt() {
    let instance = TestInstance::new().await;
    let server = instance.spawn_serve(&[]);
    let id = instance
        .cli_ok(&["admin", "jobs", "probe", "--sleep-ms", "60000"])
        .await
        .trim()
        .to_owned();
    wait_for_state(&instance, &id, "running", Duration::from_secs(20)).await;
    // SIGTERM: the probe outlives the grace period, so it is handed back.
    let status = server.terminate();
    assert_eq!(status.code(), Some(0));
    let released = job(&instance, &id).await;
    assert_eq!(released["state"], "queued");
    assert_eq!(released["attempts"], 0);
}

/// Reads the `job done` lines of a JSON log: job id → how many times this process finished it.
fn finished_jobs(log: &str) -> HashMap<String, usize> {
    let mut finished = HashMap::new();
    for line in log.lines() {
        let Ok(entry) = serde_json::from_str::<Value>(line) else {
            continue;
        };
        if entry["message"] == "job done" {
            let id = entry["span"]["id"].to_string();
            *finished.entry(id).or_insert(0) += 1;
        }
    }
    finished
}

#[tokio::test]
async fn two_worker_processes_never_run_the_same_job() {
    let instance = TestInstance::new().await;
    // Create the schema before two processes race to migrate it.
    instance.cli_ok(&["migrate"]).await;
    let workers = [
        instance.spawn_worker(&["--job-concurrency", "4"]),
        instance.spawn_worker(&["--job-concurrency", "4"]),
    ];
    // Both are up before there is work: each then claims within its poll interval (1 s), and
    // one alone would need 5 s for all of it.
    eventually(Duration::from_secs(60), "both workers started", || async {
        workers
            .iter()
            .all(|worker| worker.log().contains("job worker started"))
            .then_some(())
    })
    .await;
    let mut ids = Vec::new();
    {
        let db = instance.store().await;
        let mut tx = db.begin().await.unwrap();
        for _ in 0..40 {
            ids.push(tx.enqueue_job(&probe(500, false, 3)).await.unwrap());
        }
        tx.commit().await.unwrap();
        db.close().await;
    }
    eventually(Duration::from_secs(60), "all 40 jobs done", || async {
        let listing: Value =
            serde_json::from_str(instance.cli_ok(&["admin", "jobs", "--json"]).await.trim())
                .ok()?;
        (listing["counts"] == serde_json::json!([{"kind": "probe", "state": "done", "count": 40}]))
            .then_some(())
    })
    .await;
    let logs: Vec<String> = workers.iter().map(|worker| worker.log()).collect();
    let per_worker: Vec<HashMap<String, usize>> =
        logs.iter().map(|log| finished_jobs(log)).collect();
    let mut runs: HashMap<String, usize> = HashMap::new();
    for finished in &per_worker {
        for (id, count) in finished {
            *runs.entry(id.clone()).or_insert(0) += count;
        }
    }
    assert_eq!(runs.len(), 40, "every job finished once: {runs:?}");
    assert!(runs.values().all(|count| *count == 1), "{runs:?}");
    assert!(
        per_worker.iter().all(|finished| !finished.is_empty()),
        "both workers took jobs: {per_worker:?}"
    );
    for id in ids {
        assert_eq!(job(&instance, &id.to_string()).await["attempts"], 1);
    }
    for worker in workers {
        assert_eq!(worker.terminate().code(), Some(0));
    }
}

/// A handler that always panics, to show that a panic is one failed attempt, not a lost job.
struct PanickingJob;

impl woolly_core::jobs::JobHandler for PanickingJob {
    fn kind(&self) -> &'static str {
        "test.panic"
    }

    fn run<'a>(
        &'a self,
        _woolly: &'a woolly_core::Woolly,
        _job: &'a woolly_core::jobs::Job,
    ) -> woolly_core::jobs::JobFuture<'a> {
        Box::pin(async { panic!("a handler bug") })
    }
}

#[tokio::test]
async fn a_panicking_handler_fails_its_attempts_and_an_unknown_kind_ends_dead() {
    let instance = TestInstance::new().await;
    let woolly = woolly::app::open_instance(&instance.settings(), "test")
        .await
        .unwrap();
    let mut handlers = woolly_core::jobs::JobHandlers::default();
    handlers.register(PanickingJob);
    let options = woolly_core::jobs::WorkerOptions {
        backoff_base: Duration::from_millis(50),
        poll_interval: Duration::from_millis(100),
        ..Default::default()
    };
    let stop = tokio_util::sync::CancellationToken::new();
    let worker = tokio::spawn(
        woolly_core::jobs::Worker::new(woolly.clone(), handlers, options).run(stop.clone()),
    );
    let panicking = woolly
        .jobs()
        .enqueue_job(&new_job("test.panic", &(), woolly_core::now_millis(), 2).unwrap())
        .await
        .unwrap();
    let unknown = woolly
        .jobs()
        .enqueue_job(&new_job("test.unknown", &(), woolly_core::now_millis(), 1).unwrap())
        .await
        .unwrap();
    for (id, error) in [
        (panicking, "the job handler panicked"),
        (unknown, "no handler for job kind \"test.unknown\""),
    ] {
        let dead =
            wait_for_state(&instance, &id.to_string(), "dead", Duration::from_secs(20)).await;
        assert_eq!(dead["last_error"], error);
    }
    assert_eq!(job(&instance, &panicking.to_string()).await["attempts"], 2);
    stop.cancel();
    worker.await.unwrap();
    woolly.close().await;
}
