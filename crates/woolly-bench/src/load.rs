//! The load generator: a fixed number of keep-alive connections, each sending one request after
//! another for a fixed time (a closed loop, as wrk and oha drive servers), recording every
//! latency and every answer that is not a success.
//!
//! Connections are opened before the clock starts, so connection set-up is not measured; each
//! connection runs on its own task and keeps its own records, so nothing is shared on the hot
//! path but one counter that picks the next request.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use crate::http_client::{ApiRequest, Connection, Target};

/// Makes request number `n` of a run: a rotation over prepared requests, or a fresh body each
/// time for posts.
pub type RequestSource = Arc<dyn Fn(usize) -> ApiRequest + Send + Sync>;

/// What a run saw.
#[derive(Debug, Default)]
pub struct LoadOutcome {
    /// Latencies of every answered request (successes and failures), in microseconds, sorted.
    pub latencies_micros: Vec<u64>,
    /// From the first request until the last answer.
    pub elapsed: Duration,
    pub failures: Failures,
}

/// Requests that did not succeed.
#[derive(Debug, Default)]
pub struct Failures {
    /// Answers that were not 2xx, by status.
    pub by_status: BTreeMap<u16, u64>,
    /// Requests with no answer (connection refused, reset or closed).
    pub transport: u64,
    /// The first few failures, to show what went wrong.
    pub examples: Vec<String>,
}

const EXAMPLES_KEPT: usize = 3;

impl Failures {
    pub fn count(&self) -> u64 {
        self.by_status.values().sum::<u64>() + self.transport
    }

    fn note_example(&mut self, example: String) {
        if self.examples.len() < EXAMPLES_KEPT {
            self.examples.push(example);
        }
    }

    fn merge(&mut self, other: Failures) {
        for (status, count) in other.by_status {
            *self.by_status.entry(status).or_default() += count;
        }
        self.transport += other.transport;
        for example in other.examples {
            self.note_example(example);
        }
    }
}

impl LoadOutcome {
    pub fn requests(&self) -> usize {
        self.latencies_micros.len()
    }

    pub fn throughput(&self) -> f64 {
        self.requests() as f64 / self.elapsed.as_secs_f64().max(f64::EPSILON)
    }

    /// The latency below which `fraction` of the requests completed, in milliseconds (nearest
    /// rank; 0 when nothing was answered).
    pub fn percentile_millis(&self, fraction: f64) -> f64 {
        let count = self.latencies_micros.len();
        if count == 0 {
            return 0.0;
        }
        let rank = ((fraction * count as f64).ceil() as usize).clamp(1, count);
        self.latencies_micros[rank - 1] as f64 / 1000.0
    }

    pub fn max_millis(&self) -> f64 {
        self.latencies_micros.last().copied().unwrap_or(0) as f64 / 1000.0
    }
}

/// Drives `connections` connections with requests from `source` for `duration`: each sends its
/// next request as soon as the last is answered, or, with a `rate` (requests a second in all),
/// when it is due, its latency then counting from when it was due, so that a slow server cannot
/// hide its queue by slowing the load down.
pub async fn run_load(
    target: &Target,
    source: RequestSource,
    connections: usize,
    duration: Duration,
    rate: Option<f64>,
) -> anyhow::Result<LoadOutcome> {
    let mut opened = Vec::with_capacity(connections);
    for _ in 0..connections {
        opened.push(Connection::open(target).await?);
    }
    let next = Arc::new(AtomicUsize::new(0));
    let started_at = Instant::now();
    let deadline = started_at + duration;
    // With a rate, each connection sends every `interval`, the connections staggered evenly.
    let interval = rate.map(|rate| Duration::from_secs_f64(connections as f64 / rate));
    let tasks: Vec<_> = opened
        .into_iter()
        .enumerate()
        .map(|(number, connection)| {
            let schedule = interval.map(|interval| Schedule {
                next_due: started_at + interval.mul_f64(number as f64 / connections as f64),
                interval,
            });
            tokio::spawn(drive(
                connection,
                target.clone(),
                Arc::clone(&source),
                Arc::clone(&next),
                deadline,
                schedule,
            ))
        })
        .collect();
    let mut outcome = LoadOutcome::default();
    for task in tasks {
        let record = task.await?;
        outcome.latencies_micros.extend(record.latencies_micros);
        outcome.failures.merge(record.failures);
    }
    outcome.elapsed = started_at.elapsed();
    outcome.latencies_micros.sort_unstable();
    Ok(outcome)
}

/// What one connection saw.
#[derive(Default)]
struct ConnectionRecord {
    latencies_micros: Vec<u64>,
    failures: Failures,
}

/// When a paced connection sends.
struct Schedule {
    next_due: Instant,
    interval: Duration,
}

async fn drive(
    mut connection: Connection,
    target: Target,
    source: RequestSource,
    next: Arc<AtomicUsize>,
    deadline: Instant,
    mut schedule: Option<Schedule>,
) -> ConnectionRecord {
    let mut record = ConnectionRecord::default();
    while Instant::now() < deadline {
        let request = source(next.fetch_add(1, Ordering::Relaxed));
        let sent_at = match &mut schedule {
            Some(schedule) => {
                let due = schedule.next_due;
                if due >= deadline {
                    break;
                }
                schedule.next_due += schedule.interval;
                tokio::time::sleep_until(due.into()).await;
                due
            }
            None => Instant::now(),
        };
        match connection.send(&request).await {
            Ok(response) => {
                let micros = u64::try_from(sent_at.elapsed().as_micros()).unwrap_or(u64::MAX);
                record.latencies_micros.push(micros);
                if !response.status.is_success() {
                    *record
                        .failures
                        .by_status
                        .entry(response.status.as_u16())
                        .or_default() += 1;
                    record.failures.note_example(format!(
                        "{} answered {}: {}",
                        request.describe(),
                        response.status,
                        response.body_excerpt()
                    ));
                }
            }
            Err(error) => {
                record.failures.transport += 1;
                record
                    .failures
                    .note_example(format!("{}: {error:#}", request.describe()));
                // The connection is unusable after a transport error; carry on with a new one,
                // pausing so that a dead server does not turn this loop into a busy one.
                match Connection::open(&target).await {
                    Ok(fresh) => connection = fresh,
                    Err(_) => tokio::time::sleep(Duration::from_millis(10)).await,
                }
            }
        }
    }
    record
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_use_the_nearest_rank() {
        let outcome = LoadOutcome {
            latencies_micros: (1..=100).map(|millis| millis * 1000).collect(),
            elapsed: Duration::from_secs(2),
            failures: Failures::default(),
        };
        assert_eq!(outcome.percentile_millis(0.5), 50.0);
        assert_eq!(outcome.percentile_millis(0.9), 90.0);
        assert_eq!(outcome.percentile_millis(0.99), 99.0);
        assert_eq!(outcome.max_millis(), 100.0);
        assert_eq!(outcome.throughput(), 50.0);
        assert_eq!(LoadOutcome::default().percentile_millis(0.5), 0.0);
    }
}
