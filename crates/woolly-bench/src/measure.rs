//! The measurements themselves, on a server that holds its data set: each read driven by the
//! load generator, posting, and fan-out latency, with the server's CPU and memory read from
//! `/proc` around each one.

use std::sync::Arc;
use std::time::Duration;

use anyhow::bail;
use bytes::Bytes;
use hyper::header::HeaderValue;
use serde_json::json;

use crate::admin::Admin;
use crate::cli::{Measurement, Settings};
use crate::dataset::{Account, CELEBRITY, Manifest, POSTER, VIEWER};
use crate::engine::PostgresDatabase;
use crate::fanout;
use crate::http_client::{ApiClient, ApiRequest, Target};
use crate::load::{self, RequestSource};
use crate::process_stats::{self, ProcessStats};
use crate::report::{FanoutFigures, RequestFigures};

/// How long the fan-out of a measured burst of posts may take to catch up.
const MEASURED_JOBS_TIMEOUT: Duration = Duration::from_secs(5 * 60);
/// Accounts rotated over for `GET /api/v1/accounts/:id/statuses`.
const ACCOUNTS_READ: usize = 20;
/// Connections that poll home timelines during the fan-out measurement: enough to notice the
/// arrival quickly, few enough not to slow the fan-out they watch.
const FANOUT_POLLERS: usize = 4;

/// What is measured: the server, its data set, and what the harness knows about its process.
pub struct Subject {
    pub target: Target,
    pub manifest: Manifest,
    /// The server's process, when it runs on this machine and its id is known.
    pub process: Option<ProcessStats>,
    /// Woolly's admin command on the server's data, to wait for background jobs.
    pub admin: Option<Admin>,
    /// The server's PostgreSQL database, whose backends' CPU is counted too.
    pub postgres: Option<PostgresDatabase>,
}

/// What the measurements found.
pub struct Measured {
    pub requests: Vec<RequestFigures>,
    pub fanout: Option<FanoutFigures>,
    /// Whether each row's peak memory is its own (the peak could be reset before it).
    pub peak_rss_per_request: bool,
}

/// Runs each chosen measurement in turn.
pub async fn measure(
    settings: &Settings,
    subject: &Subject,
    notes: &mut Vec<String>,
) -> anyhow::Result<Measured> {
    let mut rows = Vec::new();
    let mut fanout = None;
    let mut peak_resettable = true;
    for &measurement in &settings.measurements {
        let (label, source) = match measurement {
            Measurement::Fanout => {
                fanout = measure_fanout(settings, subject, notes).await?;
                continue;
            }
            Measurement::Signup => {
                let (home, sign_ups) = measure_sign_up_flood(settings, subject).await?;
                rows.push(home);
                rows.push(sign_ups);
                continue;
            }
            Measurement::Post => {
                let poster = subject.manifest.account(POSTER)?;
                let label = format!(
                    "POST /api/v1/statuses ({} followers)",
                    subject.manifest.poster_followers.len()
                );
                (label, posting_source(poster)?)
            }
            _ => {
                let (label, requests) = read_requests(measurement, &subject.manifest)?;
                if requests.is_empty() {
                    notes.push(format!("{label}: skipped, nothing to read"));
                    continue;
                }
                let requests = Arc::new(requests);
                let source: RequestSource =
                    Arc::new(move |number| requests[number % requests.len()].clone());
                (label, source)
            }
        };
        let (row, was_reset) =
            measure_requests(settings, subject, measurement, label, source).await?;
        peak_resettable &= was_reset;
        rows.push(row);
    }
    Ok(Measured {
        requests: rows,
        fanout,
        peak_rss_per_request: peak_resettable,
    })
}

/// The label and the requests to rotate over of a read measurement, all made as the viewer
/// (as an app would, even where the API allows anonymous reads) except the instance document.
fn read_requests(
    measurement: Measurement,
    manifest: &Manifest,
) -> anyhow::Result<(String, Vec<ApiRequest>)> {
    let viewer = manifest.account(VIEWER)?;
    let as_viewer = |path: String| ApiRequest::get(path).with_token(&viewer.token);
    Ok(match measurement {
        Measurement::Home => {
            let path = "/api/v1/timelines/home?limit=40";
            (format!("GET {path}"), vec![as_viewer(path.to_owned())?])
        }
        Measurement::Public => {
            let path = "/api/v1/timelines/public?limit=40";
            (format!("GET {path}"), vec![as_viewer(path.to_owned())?])
        }
        Measurement::Account => {
            let requests = manifest
                .viewer_followed
                .iter()
                .take(ACCOUNTS_READ)
                .map(|&index| {
                    let account = manifest.account(index)?;
                    as_viewer(format!("/api/v1/accounts/{}/statuses?limit=40", account.id))
                })
                .collect::<anyhow::Result<_>>()?;
            (
                "GET /api/v1/accounts/:id/statuses?limit=40".to_owned(),
                requests,
            )
        }
        Measurement::Status => {
            let requests = manifest
                .status_ids
                .iter()
                .map(|id| as_viewer(format!("/api/v1/statuses/{id}")))
                .collect::<anyhow::Result<_>>()?;
            ("GET /api/v1/statuses/:id".to_owned(), requests)
        }
        Measurement::Instance => {
            let path = "/api/v1/instance";
            (format!("GET {path}"), vec![ApiRequest::get(path)])
        }
        Measurement::Search => {
            // Words of the seeded posts, common and rarer, and a phrase: the viewer finds their
            // own posts and those they took part in (seeded accounts keep `indexable` off, as
            // new accounts do), the hardest case for an index that knows no reader.
            let requests = crate::content::search_words()
                .iter()
                .map(|words| {
                    // Letters, spaces and quotes only.
                    let query = words.replace(' ', "+").replace('"', "%22");
                    as_viewer(format!("/api/v2/search?q={query}&type=statuses&limit=20"))
                })
                .collect::<anyhow::Result<_>>()?;
            (
                "GET /api/v2/search?type=statuses&limit=20".to_owned(),
                requests,
            )
        }
        Measurement::Web => {
            let page = ApiRequest::get("/home").with_session_cookie(&viewer.token)?;
            ("GET /home (web page, 20 posts)".to_owned(), vec![page])
        }
        Measurement::Fanout | Measurement::Post | Measurement::Signup => {
            bail!("{} is not a read", measurement.name())
        }
    })
}

/// Posts as `poster`, each with a text of its own (servers may refuse or fold duplicates).
fn posting_source(poster: &Account) -> anyhow::Result<RequestSource> {
    let template = ApiRequest::post("/api/v1/statuses").with_token(&poster.token)?;
    let json = HeaderValue::from_static("application/json");
    Ok(Arc::new(move |number| {
        let body = json!({
            "status": format!("Benchmark post number {number}, with a few words to carry #benchmark"),
            "visibility": "public",
        });
        template
            .clone()
            .with_body(json.clone(), Bytes::from(body.to_string()))
    }))
}

/// Warms up, then measures one request kind; returns its row and whether its peak memory is
/// its own.
async fn measure_requests(
    settings: &Settings,
    subject: &Subject,
    measurement: Measurement,
    label: String,
    source: RequestSource,
) -> anyhow::Result<(RequestFigures, bool)> {
    eprintln!("measuring {label}");
    let is_post = measurement == Measurement::Post;
    if !settings.warmup.is_zero() {
        load::run_load(
            &subject.target,
            Arc::clone(&source),
            settings.connections,
            settings.warmup,
            None,
        )
        .await?;
        if is_post && let Some(admin) = &subject.admin {
            // The warm-up's posts are still fanning out; their cost is not the measured posts'.
            admin.wait_for_jobs(MEASURED_JOBS_TIMEOUT).await?;
        }
    }
    let was_reset = subject
        .process
        .as_ref()
        .is_some_and(ProcessStats::reset_peak);
    let client = ProcessStats::of_this_process();
    let server_cpu_before = subject
        .process
        .as_ref()
        .map(ProcessStats::cpu_millis)
        .transpose()?;
    let database_cpu_before = subject
        .postgres
        .as_ref()
        .map(PostgresDatabase::backend_cpu_millis)
        .transpose()?;
    let client_cpu_before = client.cpu_millis()?;
    let outcome = load::run_load(
        &subject.target,
        source,
        settings.connections,
        settings.duration,
        // Posts go as fast as answers come: their rate is what is measured.
        settings.rate.filter(|_| !is_post),
    )
    .await?;
    let client_cpu = client.cpu_millis()? - client_cpu_before;
    if is_post && let Some(admin) = &subject.admin {
        // A post's cost includes the fan-out it causes, which runs after the answer.
        admin.wait_for_jobs(MEASURED_JOBS_TIMEOUT).await?;
    }
    let server_cpu = match (&subject.process, server_cpu_before) {
        (Some(process), Some(before)) => Some(process.cpu_millis()? - before),
        _ => None,
    };
    let database_cpu = match (&subject.postgres, database_cpu_before) {
        (Some(database), Some(before)) => Some(process_stats::cpu_millis_between(
            &before,
            &database.backend_cpu_millis()?,
        )),
        _ => None,
    };
    let peak_rss_kib = subject
        .process
        .as_ref()
        .map(|process| process.memory().map(|memory| memory.peak_kib))
        .transpose()?;
    let requests = outcome.requests().max(1) as f64;
    Ok((
        RequestFigures {
            name: measurement.name(),
            request: label,
            requests: outcome.requests(),
            errors: outcome.failures.count(),
            error_examples: outcome.failures.examples.clone(),
            throughput_per_second: outcome.throughput(),
            p50_ms: outcome.percentile_millis(0.50),
            p90_ms: outcome.percentile_millis(0.90),
            p99_ms: outcome.percentile_millis(0.99),
            max_ms: outcome.max_millis(),
            server_cpu_ms_per_request: server_cpu.map(|cpu| cpu / requests),
            database_cpu_ms_per_request: database_cpu.map(|cpu| cpu / requests),
            client_cpu_ms_per_request: client_cpu / requests,
            peak_rss_kib,
        },
        was_reset,
    ))
}

async fn measure_fanout(
    settings: &Settings,
    subject: &Subject,
    notes: &mut Vec<String>,
) -> anyhow::Result<Option<FanoutFigures>> {
    let manifest = &subject.manifest;
    let followers: Vec<Account> = manifest
        .celebrity_followers
        .iter()
        .map(|&index| manifest.account(index).cloned())
        .collect::<anyhow::Result<_>>()?;
    if followers.is_empty() {
        notes.push("fan-out: skipped, the fan-out account has no followers".to_owned());
        return Ok(None);
    }
    eprintln!("measuring fan-out to {} followers", followers.len());
    let author = manifest.account(CELEBRITY)?;
    let mut rounds = Vec::with_capacity(settings.fanout_rounds);
    for round in 0..settings.fanout_rounds {
        rounds.push(
            fanout::measure_round(
                &subject.target,
                author,
                &followers,
                FANOUT_POLLERS.min(settings.connections),
                round,
            )
            .await?,
        );
        // Let the round's polling connections close before the next post.
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let mut all: Vec<f64> = rounds.iter().map(|round| round.all_ms).collect();
    all.sort_by(f64::total_cmp);
    Ok(Some(FanoutFigures {
        followers: followers.len(),
        median_all_ms: all[all.len() / 2],
        rounds,
    }))
}

/// Sign-ups started per second beside the home load: the floor a flood of newcomers must be
/// served at on two cores (each costs an argon2id hash and an RSA-2048 key pair).
const SIGN_UPS_PER_SECOND: u32 = 12;

/// A token of a new app of its own (`client_credentials`), as an app signing people up holds.
async fn sign_up_token(client: &ApiClient) -> anyhow::Result<String> {
    let app: serde_json::Value = client
        .call(&ApiRequest::post_json(
            "/api/v1/apps",
            &json!({"client_name": "woolly-bench sign-ups", "redirect_uris": "urn:ietf:wg:oauth:2.0:oob", "scopes": "read write"}),
        ))
        .await?
        .json()?;
    let token: serde_json::Value = client
        .call(&ApiRequest::post_json(
            "/oauth/token",
            &json!({
                "grant_type": "client_credentials",
                "client_id": app["client_id"],
                "client_secret": app["client_secret"],
                "scope": "read write",
            }),
        ))
        .await?
        .json()?;
    token["access_token"]
        .as_str()
        .map(str::to_owned)
        .ok_or_else(|| anyhow::anyhow!("no access token in {token}"))
}

/// The home timeline measured as `home` is, while sign-ups arrive at a fixed rate on their own
/// connections (an open loop: a slow server does not slow the arrivals down). Returns the home
/// row and the sign-ups' own row.
async fn measure_sign_up_flood(
    settings: &Settings,
    subject: &Subject,
) -> anyhow::Result<(RequestFigures, RequestFigures)> {
    let (_, requests) = read_requests(Measurement::Home, &subject.manifest)?;
    let requests = Arc::new(requests);
    let source: RequestSource = Arc::new(move |number| requests[number % requests.len()].clone());
    // The warm-up reads alone: the sign-ups arrive during the measured time only (a server
    // that was idle, then flooded).
    if !settings.warmup.is_zero() {
        load::run_load(
            &subject.target,
            Arc::clone(&source),
            settings.connections,
            settings.warmup,
            settings.rate,
        )
        .await?;
    }
    let measured_settings = Settings {
        warmup: Duration::ZERO,
        ..settings.clone()
    };
    let client = Arc::new(ApiClient::new(subject.target.clone()));
    let token = sign_up_token(&client).await?;
    let template = ApiRequest::post("/api/v1/accounts").with_token(&token)?;
    let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let started = std::time::Instant::now();
    let driver = {
        let stop = Arc::clone(&stop);
        let client = Arc::clone(&client);
        tokio::spawn(async move {
            let mut ticks = tokio::time::interval(Duration::from_secs(1) / SIGN_UPS_PER_SECOND);
            let mut running = tokio::task::JoinSet::new();
            let run = std::process::id();
            let mut number = 0u64;
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                ticks.tick().await;
                number += 1;
                let body = json!({
                    "username": format!("f{run}x{number}"),
                    "email": format!("f{run}x{number}@bench.example"),
                    "password": "a benchmark password",
                    "agreement": true,
                    "locale": "en",
                });
                let request = template.clone().with_body(
                    HeaderValue::from_static("application/json"),
                    Bytes::from(body.to_string()),
                );
                let client = Arc::clone(&client);
                running.spawn(async move {
                    let sent = std::time::Instant::now();
                    let answer = client.send(&request).await;
                    let micros = u64::try_from(sent.elapsed().as_micros()).unwrap_or(u64::MAX);
                    (micros, answer.map(|response| response.status.as_u16()))
                });
            }
            let mut outcomes = Vec::new();
            while let Some(done) = running.join_next().await {
                if let Ok(outcome) = done {
                    outcomes.push(outcome);
                }
            }
            outcomes
        })
    };
    let label = format!("GET /api/v1/timelines/home during {SIGN_UPS_PER_SECOND} sign-ups/s");
    let measured = measure_requests(
        &measured_settings,
        subject,
        Measurement::Signup,
        label,
        source,
    )
    .await;
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    let outcomes = driver.await?;
    let elapsed = started.elapsed();
    let (mut home, _) = measured?;
    home.name = "home_during_signup";

    let mut latencies: Vec<u64> = outcomes.iter().map(|(micros, _)| *micros).collect();
    latencies.sort_unstable();
    let mut failures = load::Failures::default();
    for (_, answer) in &outcomes {
        match answer {
            Ok(status) if (200..300).contains(status) => {}
            Ok(status) => *failures.by_status.entry(*status).or_default() += 1,
            Err(_) => failures.transport += 1,
        }
    }
    let outcome = load::LoadOutcome {
        latencies_micros: latencies,
        elapsed,
        failures,
    };
    let succeeded = outcome.requests() as u64 - outcome.failures.count();
    let sign_ups = RequestFigures {
        name: "signup",
        request: format!("POST /api/v1/accounts ({SIGN_UPS_PER_SECOND}/s offered)"),
        requests: outcome.requests(),
        errors: outcome.failures.count(),
        error_examples: outcome
            .failures
            .by_status
            .iter()
            .map(|(status, count)| format!("{count} answered {status}"))
            .collect(),
        throughput_per_second: succeeded as f64 / elapsed.as_secs_f64().max(f64::EPSILON),
        p50_ms: outcome.percentile_millis(0.50),
        p90_ms: outcome.percentile_millis(0.90),
        p99_ms: outcome.percentile_millis(0.99),
        max_ms: outcome.max_millis(),
        server_cpu_ms_per_request: None,
        database_cpu_ms_per_request: None,
        client_cpu_ms_per_request: 0.0,
        peak_rss_kib: home.peak_rss_kib,
    };
    Ok((home, sign_ups))
}
