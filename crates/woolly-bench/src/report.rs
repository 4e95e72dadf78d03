//! The figures a run produced, printed as a table for people and written as JSON for tools.
//! Both carry what is needed to reproduce them: the command line, the engine, the data set and
//! the machine's core count.

use std::fmt::Write as _;
use std::path::Path;

use anyhow::Context as _;
use serde::Serialize;

use crate::dataset::{Dataset, SeedingFigures};
use crate::fanout::FanoutRound;

#[derive(Debug, Serialize)]
pub struct Report {
    pub command: String,
    pub server: String,
    pub engine: String,
    pub cores: usize,
    /// The machine's load averages (1, 5, 15 minutes) just before the measurements.
    pub load_average: Option<String>,
    pub dataset: Dataset,
    pub seeding: Option<SeedingReport>,
    pub startup_ms: Option<f64>,
    pub idle_rss_kib: Option<u64>,
    pub connections: usize,
    /// Reads held at this many requests a second; `None`: as fast as answers came.
    pub rate_per_second: Option<f64>,
    pub duration_seconds: f64,
    pub warmup_seconds: f64,
    /// Whether each row's peak RSS is its own (the peak was reset before it) or since start.
    pub peak_rss_per_request: bool,
    pub requests: Vec<RequestFigures>,
    pub fanout: Option<FanoutFigures>,
    pub notes: Vec<String>,
}

#[derive(Debug, Serialize)]
pub struct SeedingReport {
    /// The data came from the cache; the figures are those of the run that seeded it.
    pub from_cache: bool,
    pub figures: SeedingFigures,
}

#[derive(Debug, Serialize)]
pub struct RequestFigures {
    pub name: &'static str,
    pub request: String,
    pub requests: usize,
    pub errors: u64,
    pub error_examples: Vec<String>,
    pub throughput_per_second: f64,
    pub p50_ms: f64,
    pub p90_ms: f64,
    pub p99_ms: f64,
    pub max_ms: f64,
    pub server_cpu_ms_per_request: Option<f64>,
    /// The PostgreSQL backends' CPU, when the database runs on this machine.
    pub database_cpu_ms_per_request: Option<f64>,
    pub client_cpu_ms_per_request: f64,
    pub peak_rss_kib: Option<u64>,
}

#[derive(Debug, Serialize)]
pub struct FanoutFigures {
    pub followers: usize,
    pub rounds: Vec<FanoutRound>,
    /// The median round by `all_ms`.
    pub median_all_ms: f64,
}

impl Report {
    pub fn errors(&self) -> u64 {
        self.requests.iter().map(|row| row.errors).sum()
    }

    pub fn write_json(&self, path: &Path) -> anyhow::Result<()> {
        std::fs::write(path, serde_json::to_vec_pretty(self)?)
            .with_context(|| format!("cannot write {}", path.display()))
    }

    /// The report as people read it.
    pub fn to_table(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(out, "command:   {}", self.command);
        let _ = writeln!(out, "server:    {}", self.server);
        let _ = writeln!(out, "engine:    {}", self.engine);
        let _ = writeln!(
            out,
            "machine:   {} cores (nproc); load average before measuring: {}",
            self.cores,
            self.load_average.as_deref().unwrap_or("unknown")
        );
        let dataset = &self.dataset;
        let _ = writeln!(
            out,
            "data set:  {} accounts, {} statuses, {} random follows per account, viewer follows {}, fan-out account has {} followers",
            dataset.accounts,
            dataset.statuses,
            dataset.follows,
            dataset.viewer_follows,
            dataset.fanout_followers
        );
        if let Some(seeding) = &self.seeding {
            let figures = &seeding.figures;
            let _ = writeln!(
                out,
                "seeding:   {}accounts {:.1} s; {} follows in {:.1} s ({:.0}/s); {} statuses ({} with an image) in {:.1} s ({:.0}/s); jobs drained in {:.1} s",
                if seeding.from_cache {
                    "from cache; when seeded: "
                } else {
                    ""
                },
                figures.accounts_seconds,
                figures.follows,
                figures.follows_seconds,
                rate(figures.follows, figures.follows_seconds),
                figures.statuses,
                figures.media,
                figures.statuses_seconds,
                rate(figures.statuses, figures.statuses_seconds),
                figures.jobs_seconds,
            );
        }
        if let Some(startup) = self.startup_ms {
            let _ = writeln!(
                out,
                "start-up:  {startup:.0} ms until /api/v1/instance answered"
            );
        }
        if let Some(idle) = self.idle_rss_kib {
            let _ = writeln!(out, "idle RSS:  {}", megabytes(idle));
        }
        let pace = match self.rate_per_second {
            Some(rate) => format!(", reads held at {rate} req/s (latency from when each was due)"),
            None => String::new(),
        };
        let _ = writeln!(
            out,
            "load:      {} keep-alive connections{pace}, {} s per request after {} s of warm-up",
            self.connections, self.duration_seconds, self.warmup_seconds
        );
        let _ = writeln!(out);
        let _ = writeln!(
            out,
            "{:<44} {:>8} {:>9} {:>8} {:>8} {:>8} {:>8} {:>10} {:>9} {:>9} {:>9} {:>7}",
            "request",
            "requests",
            "req/s",
            "p50 ms",
            "p90 ms",
            "p99 ms",
            "max ms",
            "CPU ms/req",
            "DB ms/req",
            "client ms",
            "peak RSS",
            "errors"
        );
        for row in &self.requests {
            let _ = writeln!(
                out,
                "{:<44} {:>8} {:>9.1} {:>8.2} {:>8.2} {:>8.2} {:>8.2} {:>10} {:>9} {:>9.3} {:>9} {:>7}",
                row.request,
                row.requests,
                row.throughput_per_second,
                row.p50_ms,
                row.p90_ms,
                row.p99_ms,
                row.max_ms,
                optional_millis(row.server_cpu_ms_per_request),
                optional_millis(row.database_cpu_ms_per_request),
                row.client_cpu_ms_per_request,
                row.peak_rss_kib.map_or_else(|| "-".to_owned(), megabytes),
                row.errors,
            );
        }
        let _ = writeln!(out);
        let _ = writeln!(
            out,
            "CPU ms/req: the server's user+system CPU per request (for posts, including the fan-out jobs they caused); DB ms/req: PostgreSQL's backends' (local servers only); client ms: the harness's own."
        );
        let has_peaks = self.requests.iter().any(|row| row.peak_rss_kib.is_some());
        if has_peaks && !self.peak_rss_per_request {
            let _ = writeln!(
                out,
                "peak RSS: since the server started (it could not be reset per request)."
            );
        }
        if let Some(fanout) = &self.fanout {
            let _ = writeln!(
                out,
                "fan-out:   a post reached all {} followers' home timelines in {:.0} ms (median of {} post(s); each: {})",
                fanout.followers,
                fanout.median_all_ms,
                fanout.rounds.len(),
                fanout
                    .rounds
                    .iter()
                    .map(|round| format!(
                        "accepted {:.0} ms, first {:.0} ms, all {:.0} ms, {} polls",
                        round.post_ms, round.first_ms, round.all_ms, round.polls
                    ))
                    .collect::<Vec<_>>()
                    .join("; ")
            );
        }
        for note in &self.notes {
            let _ = writeln!(out, "note:      {note}");
        }
        let errors = self.errors();
        if errors > 0 {
            let _ = writeln!(out);
            let _ = writeln!(
                out,
                "!!! {errors} REQUESTS FAILED: these figures are not valid !!!"
            );
            for row in self.requests.iter().filter(|row| row.errors > 0) {
                let _ = writeln!(out, "!!! {}: {} failed", row.request, row.errors);
                for example in &row.error_examples {
                    let _ = writeln!(out, "!!!   {example}");
                }
            }
        }
        out
    }
}

fn rate(count: usize, seconds: f64) -> f64 {
    if seconds > 0.0 {
        count as f64 / seconds
    } else {
        0.0
    }
}

fn optional_millis(millis: Option<f64>) -> String {
    millis.map_or_else(|| "-".to_owned(), |millis| format!("{millis:.3}"))
}

fn megabytes(kib: u64) -> String {
    format!("{:.1} MB", kib as f64 / 1024.0)
}
