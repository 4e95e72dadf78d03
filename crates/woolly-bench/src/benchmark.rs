//! One benchmark run from start to end: get a server holding the data set (start Woolly and
//! seed it or restore the cached copy, or take the server given with `--target`), measure each
//! request in turn, stop the server, tidy up, and gather the figures into a [`Report`].

use std::path::Path;
use std::time::{Duration, Instant};

use anyhow::{Context as _, anyhow, bail};

use crate::admin::Admin;
use crate::cache::SeedCache;
use crate::cli::{Mode, Settings};
use crate::dataset::{Dataset, FIRST_REGULAR, Manifest, VIEWER};
use crate::engine::{self, Engine, Instance, PostgresDatabase};
use crate::http_client::{ApiClient, Target};
use crate::measure::{self, Subject};
use crate::process_stats::{self, ProcessStats};
use crate::report::{Report, SeedingReport};
use crate::seed;
use crate::server::Server;

/// How long background jobs may take to catch up after seeding (100,000 posts' fan-out).
const SEEDING_JOBS_TIMEOUT: Duration = Duration::from_secs(30 * 60);
/// Every account has a role up to here, plus one regular account to be followed and read.
const MINIMUM_ACCOUNTS: usize = FIRST_REGULAR + 1;

pub async fn run(settings: Settings) -> anyhow::Result<Report> {
    match settings.mode.clone() {
        Mode::Managed { binary, postgres } => {
            let engine = match postgres {
                Some(server_url) => Engine::Postgres { server_url },
                None => Engine::Sqlite,
            };
            run_managed(&settings, &binary, &engine).await
        }
        Mode::External {
            base_url,
            tokens,
            server_pid,
        } => run_external(&settings, &base_url, &tokens, server_pid).await,
    }
}

async fn run_managed(
    settings: &Settings,
    binary: &Path,
    engine: &Engine,
) -> anyhow::Result<Report> {
    if !binary.is_file() {
        bail!(
            "no woolly binary at {}: build it with `cargo build --release -p woolly`, or pass --woolly PATH",
            binary.display()
        );
    }
    if settings.dataset.accounts < MINIMUM_ACCOUNTS {
        bail!("--accounts must be at least {MINIMUM_ACCOUNTS}");
    }
    let run_id = std::process::id();
    let run_dir = settings
        .target_dir
        .join("bench-runs")
        .join(format!("run-{run_id}"));
    if run_dir.exists() {
        std::fs::remove_dir_all(&run_dir)?;
    }
    std::fs::create_dir_all(&run_dir)
        .with_context(|| format!("cannot create {}", run_dir.display()))?;
    let database = match engine {
        Engine::Postgres { .. } => Some(format!("woolly_bench_{run_id}")),
        Engine::Sqlite => None,
    };
    let instance = Instance {
        data_dir: run_dir.join("data"),
        database_url: match (engine, &database) {
            (Engine::Postgres { server_url }, Some(name)) => {
                Some(engine::database_url(server_url, name)?)
            }
            _ => None,
        },
    };

    // Interrupted (Ctrl-C, or `kill`), the run stops here: dropping it kills the server it
    // started, and the tidying below still runs.
    let outcome = tokio::select! {
        outcome = measure_managed(
            settings,
            binary,
            engine,
            &instance,
            database.as_deref(),
            &run_dir,
        ) => outcome,
        signal = interrupted() => Err(anyhow!("interrupted by {signal}")),
    };

    // Tidy up whether or not the run succeeded, but keep a failed run's files (the server's
    // log says why it failed).
    if !settings.keep_data {
        if let (Engine::Postgres { server_url }, Some(name)) = (engine, &database)
            && let Err(error) = engine::drop_database(server_url, name)
        {
            eprintln!("woolly-bench: could not drop database {name}: {error:#}");
        }
        if outcome.is_ok() {
            let _ = std::fs::remove_dir_all(&run_dir);
        }
    }
    if outcome.is_err() || settings.keep_data {
        eprintln!("woolly-bench: the run's files are in {}", run_dir.display());
    }
    outcome
}

async fn measure_managed(
    settings: &Settings,
    binary: &Path,
    engine: &Engine,
    instance: &Instance,
    database: Option<&str>,
    run_dir: &Path,
) -> anyhow::Result<Report> {
    let (dataset, mut notes) = settings.dataset.fitted();
    // Beside the builds: `cargo clean` drops the cache with everything else it invalidates.
    let cache = SeedCache::new(&settings.target_dir.join("bench-cache"), &dataset, engine);
    let cached = if settings.reseed {
        None
    } else {
        cache.load(engine)?
    };
    let from_cache = cached.is_some();
    let manifest = match cached {
        Some(manifest) => {
            eprintln!(
                "restoring the seeded data set from {}",
                cache.dir().display()
            );
            cache.restore(engine, instance, database)?;
            manifest
        }
        None => {
            let manifest = seed_woolly(
                settings, dataset, binary, engine, instance, database, run_dir,
            )
            .await?;
            eprintln!("caching the seeded data set in {}", cache.dir().display());
            cache.save(engine, instance, database, &manifest)?;
            manifest
        }
    };

    eprintln!("starting the server to measure");
    let server = Server::start(binary, instance, &run_dir.join("server.log")).await?;
    let process = ProcessStats::of_pid(server.pid);
    let admin = Admin::new(binary.to_owned(), instance);
    admin.wait_for_jobs(SEEDING_JOBS_TIMEOUT).await?;
    // Let start-up work (background key generation, first pruning) finish before memory is
    // read and load begins.
    tokio::time::sleep(Duration::from_secs(1)).await;
    let idle_rss_kib = process.memory()?.resident_kib;
    let load_average = process_stats::load_average();

    let subject = Subject {
        target: server.target.clone(),
        manifest,
        process: Some(process),
        admin: Some(admin),
        postgres: match (engine, database) {
            (Engine::Postgres { server_url }, Some(name)) => Some(PostgresDatabase {
                server_url: server_url.clone(),
                name: name.to_owned(),
            }),
            _ => None,
        },
    };
    let measured = measure::measure(settings, &subject, &mut notes).await;
    let server_description = format!("{} (pid {})", binary.display(), server.pid);
    let startup_ms = server.startup.as_secs_f64() * 1000.0;
    let log_path = server.log_path.clone();
    server.stop().await?;
    let measured =
        measured.with_context(|| format!("the server's log is {}", log_path.display()))?;

    Ok(Report {
        command: command_line(),
        server: server_description,
        engine: engine.describe(),
        cores: cores(),
        load_average,
        dataset: subject.manifest.dataset,
        seeding: Some(SeedingReport {
            from_cache,
            figures: subject.manifest.seeding,
        }),
        startup_ms: Some(startup_ms),
        idle_rss_kib: Some(idle_rss_kib),
        connections: settings.connections,
        rate_per_second: settings.rate,
        duration_seconds: settings.duration.as_secs_f64(),
        warmup_seconds: settings.warmup.as_secs_f64(),
        peak_rss_per_request: measured.peak_rss_per_request,
        requests: measured.requests,
        fanout: measured.fanout,
        notes,
    })
}

/// Seeds a fresh instance: accounts with the admin command, the rest through the API, then
/// waits for the fan-out to finish and stops the server cleanly so its data can be cached.
async fn seed_woolly(
    settings: &Settings,
    dataset: Dataset,
    binary: &Path,
    engine: &Engine,
    instance: &Instance,
    database: Option<&str>,
    run_dir: &Path,
) -> anyhow::Result<Manifest> {
    std::fs::create_dir_all(&instance.data_dir)?;
    if let (Engine::Postgres { server_url }, Some(name)) = (engine, database) {
        engine::create_database(server_url, name, None)?;
    }
    eprintln!(
        "seeding {} accounts and {} statuses on {}",
        dataset.accounts,
        dataset.statuses,
        engine.name()
    );
    let server = Server::start(binary, instance, &run_dir.join("seed-server.log")).await?;
    let admin = Admin::new(binary.to_owned(), instance);
    let client = ApiClient::new(server.target.clone());

    let started_at = Instant::now();
    let tokens =
        seed::create_accounts(&admin, dataset.accounts, settings.admin_parallelism).await?;
    let accounts_seconds = started_at.elapsed().as_secs_f64();
    let accounts = seed::identify_accounts(&client, tokens, settings.seed_connections).await?;
    let mut manifest = seed::seed_through_api(
        &client,
        accounts,
        dataset,
        settings.seed_connections,
        Some(&admin),
    )
    .await?;
    manifest.seeding.accounts_seconds = accounts_seconds;

    let started_at = Instant::now();
    let queue = admin.wait_for_jobs(SEEDING_JOBS_TIMEOUT).await?;
    manifest.seeding.jobs_seconds = started_at.elapsed().as_secs_f64();
    if queue.dead > 0 {
        eprintln!(
            "woolly-bench: {} background jobs failed while seeding (see `woolly admin jobs`)",
            queue.dead
        );
    }
    drop(client);
    server.stop().await?;
    Ok(manifest)
}

async fn run_external(
    settings: &Settings,
    base_url: &str,
    tokens_path: &Path,
    server_pid: Option<u32>,
) -> anyhow::Result<Report> {
    let text = std::fs::read_to_string(tokens_path)
        .with_context(|| format!("cannot read {}", tokens_path.display()))?;
    let tokens: Vec<String> = text
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty() && !line.starts_with('#'))
        .map(str::to_owned)
        .collect();
    if tokens.len() < MINIMUM_ACCOUNTS {
        bail!(
            "{} holds {} tokens; at least {MINIMUM_ACCOUNTS} are needed (viewer, fan-out author, poster, and accounts to follow)",
            tokens_path.display(),
            tokens.len()
        );
    }
    let target = Target::resolve(base_url).await?;
    let client = ApiClient::new(target.clone());
    let accounts = seed::identify_accounts(&client, tokens, settings.seed_connections).await?;
    let (dataset, mut notes) = Dataset {
        accounts: accounts.len(),
        ..settings.dataset
    }
    .fitted();
    eprintln!(
        "setting up follows among {} accounts{}",
        accounts.len(),
        if dataset.statuses > 0 {
            format!(" and posting {} statuses", dataset.statuses)
        } else {
            String::new()
        }
    );
    let mut manifest =
        seed::seed_through_api(&client, accounts, dataset, settings.seed_connections, None).await?;
    if manifest.status_ids.is_empty() {
        let viewer = manifest.account(VIEWER)?.clone();
        manifest.status_ids = seed::collect_status_ids(&client, &viewer).await?;
    }
    notes.push(
        "the data set is the server's own plus the follows (and statuses) set up above".to_owned(),
    );
    let process = server_pid.map(ProcessStats::of_pid);
    let rss_before_load = match &process {
        Some(process) => Some(process.memory()?.resident_kib),
        None => None,
    };
    if rss_before_load.is_some() {
        notes.push("idle RSS: the server's before load, not right after its start".to_owned());
    }
    let load_average = process_stats::load_average();
    let subject = Subject {
        target,
        manifest,
        process,
        admin: None,
        postgres: None,
    };
    let measured = measure::measure(settings, &subject, &mut notes).await?;
    Ok(Report {
        command: command_line(),
        server: base_url.to_owned(),
        engine: "external server".to_owned(),
        cores: cores(),
        load_average,
        dataset: subject.manifest.dataset,
        seeding: None,
        startup_ms: None,
        idle_rss_kib: rss_before_load,
        connections: settings.connections,
        rate_per_second: settings.rate,
        duration_seconds: settings.duration.as_secs_f64(),
        warmup_seconds: settings.warmup.as_secs_f64(),
        peak_rss_per_request: measured.peak_rss_per_request,
        requests: measured.requests,
        fanout: measured.fanout,
        notes,
    })
}

fn command_line() -> String {
    std::env::args().collect::<Vec<_>>().join(" ")
}

fn cores() -> usize {
    std::thread::available_parallelism().map_or(1, usize::from)
}

/// Waits for SIGINT or SIGTERM; returns its name.
async fn interrupted() -> &'static str {
    use tokio::signal::unix::{SignalKind, signal};
    let (Ok(mut interrupt), Ok(mut terminate)) = (
        signal(SignalKind::interrupt()),
        signal(SignalKind::terminate()),
    ) else {
        // Without handlers the default actions stand: the process dies, as before.
        return std::future::pending().await;
    };
    tokio::select! {
        _ = interrupt.recv() => "SIGINT",
        _ = terminate.recv() => "SIGTERM",
    }
}
