//! The command line, and the settings it resolves to once defaults (full or `--smoke`) are
//! applied. Nothing here touches a server.

use std::path::PathBuf;
use std::time::Duration;

use anyhow::bail;
use clap::{Parser, ValueEnum};

use crate::dataset::Dataset;

/// Measures a Mastodon-compatible server through its client API: starts a release Woolly
/// (SQLite, or PostgreSQL with --postgres), seeds a data set, drives each request with a fixed
/// number of keep-alive connections for a fixed time, and prints throughput, latency
/// percentiles, server CPU per request and memory. With --target it measures a server already
/// running, given access tokens.
#[derive(Debug, Parser)]
#[command(name = "woolly-bench", version)]
pub struct Cli {
    /// The woolly binary to start [default: $CARGO_TARGET_DIR/release/woolly, or
    /// ./target/release/woolly]
    #[arg(long, value_name = "PATH", conflicts_with = "target")]
    pub woolly: Option<PathBuf>,
    /// Run Woolly on PostgreSQL: a URL of any database on the server (e.g.
    /// postgres://postgres@127.0.0.1:5432/postgres); the harness creates its own databases there
    #[arg(long, value_name = "URL", conflicts_with = "target")]
    pub postgres: Option<String>,
    /// Measure a server already running at this http:// URL instead of starting Woolly
    #[arg(long, value_name = "URL", requires = "tokens")]
    pub target: Option<String>,
    /// With --target: access tokens, one per line; the first is the viewer, the second the
    /// account whose posts measure fan-out, the third the account whose posts measure posting
    #[arg(long, value_name = "FILE", requires = "target")]
    pub tokens: Option<PathBuf>,
    /// With --target: the server's process id on this machine, to report its CPU and memory
    #[arg(long, value_name = "PID", requires = "target")]
    pub server_pid: Option<u32>,

    /// Accounts to create [default: 1000; smoke: 20]
    #[arg(long, value_name = "N")]
    pub accounts: Option<usize>,
    /// Statuses to post while seeding [default: 100000; smoke: 300; with --target: 0]
    #[arg(long, value_name = "N")]
    pub statuses: Option<usize>,
    /// Random accounts each regular account follows [default: 20; smoke: 5; with --target: 0]
    #[arg(long, value_name = "N")]
    pub follows: Option<usize>,
    /// Accounts the viewer follows [default: 200; smoke: 10]
    #[arg(long, value_name = "N")]
    pub viewer_follows: Option<usize>,
    /// Followers of the account whose posts measure fan-out [default: 200; smoke: 10]
    #[arg(long, value_name = "N")]
    pub fanout_followers: Option<usize>,
    /// Seed again even when a cached copy of this data set exists
    #[arg(long)]
    pub reseed: bool,

    /// Seconds each request is measured [default: 10; smoke: 1]
    #[arg(long, value_name = "SECONDS")]
    pub duration: Option<f64>,
    /// Seconds of unmeasured load before each measurement [default: 2; smoke: 0]
    #[arg(long, value_name = "SECONDS")]
    pub warmup: Option<f64>,
    /// Keep-alive connections driving each request [default: 16; smoke: 4]
    #[arg(long, value_name = "N")]
    pub connections: Option<usize>,
    /// Hold each read at this many requests a second in all (an open loop: latency counts from
    /// when a request was due), instead of sending as fast as answers come [default: as fast]
    #[arg(long, value_name = "PER_SECOND")]
    pub rate: Option<f64>,
    /// Concurrent requests while seeding [default: 32; smoke: 8]
    #[arg(long, value_name = "N")]
    pub seed_connections: Option<usize>,
    /// `woolly admin` processes run at once while creating accounts
    #[arg(long, value_name = "N", default_value_t = 4)]
    pub admin_parallelism: usize,
    /// Threads of the load generator (it shares the machine with the server)
    #[arg(long, value_name = "N", default_value_t = 1)]
    pub client_threads: usize,
    /// Measure only these (comma-separated)
    #[arg(long, value_name = "NAME", value_delimiter = ',')]
    pub only: Vec<Measurement>,
    /// Times the fan-out post is repeated [default: 3; smoke: 1]
    #[arg(long, value_name = "N")]
    pub fanout_rounds: Option<usize>,

    /// A tiny data set and short measurements, for CI (seconds on a debug build)
    #[arg(long)]
    pub smoke: bool,
    /// Also write the figures as JSON to this file
    #[arg(long, value_name = "FILE")]
    pub json: Option<PathBuf>,
    /// Keep the run's data directory (and PostgreSQL database) instead of removing it
    #[arg(long)]
    pub keep_data: bool,
}

/// What can be measured, in the order it is measured.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Measurement {
    /// GET /api/v1/timelines/home?limit=40 as the viewer
    Home,
    /// GET /api/v1/timelines/public?limit=40
    Public,
    /// GET /api/v1/accounts/:id/statuses?limit=40 over accounts the viewer follows
    Account,
    /// GET /api/v1/statuses/:id over many statuses
    Status,
    /// GET /api/v1/instance
    Instance,
    /// GET /api/v2/search?type=statuses over the words seeded posts use, as the viewer
    Search,
    /// GET /home, the web interface's home page (20 posts), as the viewer's browser
    Web,
    /// Time until a post reaches every follower's home timeline
    Fanout,
    /// POST /api/v1/statuses by an account with 10 followers
    Post,
    /// The home timeline while 12 sign-ups a second arrive (POST /api/v1/accounts)
    Signup,
}

impl Measurement {
    pub const ALL: [Measurement; 10] = [
        Measurement::Home,
        Measurement::Public,
        Measurement::Account,
        Measurement::Status,
        Measurement::Instance,
        Measurement::Search,
        Measurement::Web,
        Measurement::Fanout,
        Measurement::Post,
        Measurement::Signup,
    ];

    /// The name `--only` takes, also the JSON report's.
    pub fn name(self) -> &'static str {
        match self {
            Measurement::Home => "home",
            Measurement::Public => "public",
            Measurement::Account => "account",
            Measurement::Status => "status",
            Measurement::Instance => "instance",
            Measurement::Search => "search",
            Measurement::Web => "web",
            Measurement::Fanout => "fanout",
            Measurement::Post => "post",
            Measurement::Signup => "signup",
        }
    }
}

/// Whose server is measured.
#[derive(Debug, Clone)]
pub enum Mode {
    /// The harness starts Woolly itself.
    Managed {
        binary: PathBuf,
        postgres: Option<String>,
    },
    /// A server already running.
    External {
        base_url: String,
        tokens: PathBuf,
        server_pid: Option<u32>,
    },
}

/// The command line with every default applied.
#[derive(Debug, Clone)]
pub struct Settings {
    pub mode: Mode,
    pub dataset: Dataset,
    pub reseed: bool,
    pub duration: Duration,
    pub warmup: Duration,
    pub connections: usize,
    /// Requests a second for reads held at a fixed rate; `None`: as fast as answers come.
    pub rate: Option<f64>,
    pub seed_connections: usize,
    pub admin_parallelism: usize,
    pub client_threads: usize,
    pub measurements: Vec<Measurement>,
    pub fanout_rounds: usize,
    pub json: Option<PathBuf>,
    pub keep_data: bool,
    /// Where builds go: the woolly binary's default home and the seeded-data cache.
    pub target_dir: PathBuf,
}

impl Cli {
    pub fn settings(self) -> anyhow::Result<Settings> {
        let target_dir = std::env::var_os("CARGO_TARGET_DIR")
            .map(PathBuf::from)
            .unwrap_or_else(|| PathBuf::from("target"));
        let base = if self.smoke {
            Dataset::SMOKE
        } else {
            Dataset::FULL
        };
        let is_external = self.target.is_some();
        let dataset = Dataset {
            accounts: self.accounts.unwrap_or(base.accounts),
            // A server someone else runs is not filled with posts unless asked.
            statuses: self
                .statuses
                .unwrap_or(if is_external { 0 } else { base.statuses }),
            follows: self
                .follows
                .unwrap_or(if is_external { 0 } else { base.follows }),
            viewer_follows: self.viewer_follows.unwrap_or(base.viewer_follows),
            fanout_followers: self.fanout_followers.unwrap_or(base.fanout_followers),
        };
        let seconds = |value: Option<f64>, full: f64, smoke: f64| -> anyhow::Result<Duration> {
            let seconds = value.unwrap_or(if self.smoke { smoke } else { full });
            if !seconds.is_finite() || seconds < 0.0 {
                bail!("durations are seconds, at least 0: {seconds}");
            }
            Ok(Duration::from_secs_f64(seconds))
        };
        let duration = seconds(self.duration, 10.0, 1.0)?;
        if duration.is_zero() {
            bail!("--duration must be more than 0");
        }
        let warmup = seconds(self.warmup, 2.0, 0.0)?;
        let pick = |value: Option<usize>, full: usize, smoke: usize| {
            value
                .unwrap_or(if self.smoke { smoke } else { full })
                .max(1)
        };
        let mode = match (self.target, self.tokens) {
            (Some(base_url), Some(tokens)) => Mode::External {
                base_url,
                tokens,
                server_pid: self.server_pid,
            },
            _ => Mode::Managed {
                binary: self
                    .woolly
                    .unwrap_or_else(|| target_dir.join("release").join("woolly")),
                postgres: self.postgres,
            },
        };
        Ok(Settings {
            mode,
            dataset,
            // The smoke test exists to exercise seeding; a cached copy would skip it.
            reseed: self.reseed || self.smoke,
            duration,
            warmup,
            connections: pick(self.connections, 16, 4),
            rate: self.rate.filter(|rate| *rate > 0.0),
            seed_connections: pick(self.seed_connections, 32, 8),
            admin_parallelism: self.admin_parallelism.max(1),
            client_threads: self.client_threads.max(1),
            measurements: if self.only.is_empty() {
                Measurement::ALL.to_vec()
            } else {
                Measurement::ALL
                    .into_iter()
                    .filter(|measurement| self.only.contains(measurement))
                    .collect()
            },
            fanout_rounds: pick(self.fanout_rounds, 3, 1),
            json: self.json,
            keep_data: self.keep_data,
            target_dir,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn smoke_is_small_and_full_is_the_issue_s_data_set() {
        let smoke = Cli::parse_from(["woolly-bench", "--smoke"])
            .settings()
            .unwrap();
        assert_eq!(smoke.dataset, Dataset::SMOKE);
        assert_eq!(smoke.duration, Duration::from_secs(1));
        assert_eq!(smoke.connections, 4);
        assert!(smoke.reseed);
        let full = Cli::parse_from(["woolly-bench"]).settings().unwrap();
        assert_eq!(full.dataset, Dataset::FULL);
        assert_eq!(full.measurements.len(), Measurement::ALL.len());
    }

    #[test]
    fn measurement_names_are_the_ones_only_takes() {
        for measurement in Measurement::ALL {
            assert_eq!(
                Measurement::from_str(measurement.name(), false).unwrap(),
                measurement
            );
        }
        let some = Cli::parse_from(["woolly-bench", "--only", "post,home"])
            .settings()
            .unwrap();
        assert_eq!(some.measurements, [Measurement::Home, Measurement::Post]);
    }

    #[test]
    fn a_target_needs_tokens_and_posts_nothing_unless_asked() {
        assert!(Cli::try_parse_from(["woolly-bench", "--target", "http://x"]).is_err());
        let external = Cli::parse_from([
            "woolly-bench",
            "--target",
            "http://127.0.0.1:3000",
            "--tokens",
            "tokens.txt",
        ])
        .settings()
        .unwrap();
        assert!(matches!(external.mode, Mode::External { .. }));
        assert_eq!(external.dataset.statuses, 0);
    }
}
