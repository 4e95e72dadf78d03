//! Prometheus metrics: request counts, latencies and database queries by route, and job counts
//! by kind and state,
//! served on their own listener (`--metrics-listen`) so that they are never public by accident.

use std::sync::Arc;
use std::time::Instant;

use axum::Router;
use axum::extract::{MatchedPath, Request, State};
use axum::http::{StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{Histogram, exponential_buckets};
use prometheus_client::registry::Registry;
use woolly_core::Woolly;

#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RequestLabels {
    method: String,
    path: String,
    status: u16,
}

#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RouteLabels {
    method: String,
    path: String,
}

#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
struct JobLabels {
    kind: String,
    state: String,
}

type RouteHistograms = Family<RouteLabels, Histogram, fn() -> Histogram>;

/// Queries per request: 1 to 256.
fn queries_histogram() -> Histogram {
    Histogram::new(exponential_buckets(1.0, 2.0, 9))
}

/// The instance's metrics registry.
pub struct Metrics {
    registry: Registry,
    requests: Family<RequestLabels, Counter>,
    latency: RouteHistograms,
    queries: RouteHistograms,
    jobs: Family<JobLabels, Gauge>,
}

fn latency_histogram() -> Histogram {
    // 1 ms to ~16 s.
    Histogram::new(exponential_buckets(0.001, 2.0, 15))
}

impl Metrics {
    pub fn new() -> Metrics {
        let mut registry = Registry::with_prefix("woolly");
        let requests = Family::<RequestLabels, Counter>::default();
        let latency: RouteHistograms = Family::new_with_constructor(latency_histogram);
        let queries: RouteHistograms = Family::new_with_constructor(queries_histogram);
        let jobs = Family::<JobLabels, Gauge>::default();
        registry.register("http_requests", "HTTP requests served", requests.clone());
        registry.register(
            "http_request_duration_seconds",
            "Time to answer an HTTP request",
            latency.clone(),
        );
        registry.register(
            "http_request_queries",
            "Database queries an HTTP request ran",
            queries.clone(),
        );
        registry.register("jobs", "Jobs in the queue by kind and state", jobs.clone());
        Metrics {
            registry,
            requests,
            latency,
            queries,
            jobs,
        }
    }

    /// The metrics in Prometheus' text format, with job counts read from the database now.
    async fn render(&self, woolly: &Woolly) -> Result<String, std::fmt::Error> {
        match woolly.jobs().job_counts().await {
            Ok(counts) => {
                self.jobs.clear();
                for count in counts {
                    self.jobs
                        .get_or_create(&JobLabels {
                            kind: count.kind,
                            state: count.state.to_string(),
                        })
                        .set(count.count);
                }
            }
            Err(error) => tracing::warn!(%error, "could not count jobs for metrics"),
        }
        let mut text = String::new();
        prometheus_client::encoding::text::encode(&mut text, &self.registry)?;
        Ok(text)
    }
}

impl Default for Metrics {
    fn default() -> Metrics {
        Metrics::new()
    }
}

/// Middleware counting every request by method, matched route and status, and the database
/// queries it ran.
pub async fn record_request(
    State(metrics): State<Arc<Metrics>>,
    request: Request,
    next: Next,
) -> Response {
    let started = Instant::now();
    let method = request.method().to_string();
    let path = request
        .extensions()
        .get::<MatchedPath>()
        .map_or_else(|| "unmatched".to_owned(), |path| path.as_str().to_owned());
    let (response, queries) = woolly_store::counting_queries(next.run(request)).await;
    let route = RouteLabels {
        method: method.clone(),
        path: path.clone(),
    };
    metrics
        .latency
        .get_or_create(&route)
        .observe(started.elapsed().as_secs_f64());
    metrics
        .queries
        .get_or_create(&route)
        .observe(f64::from(queries));
    metrics
        .requests
        .get_or_create(&RequestLabels {
            method,
            path,
            status: response.status().as_u16(),
        })
        .inc();
    response
}

/// The metrics listener's application: `GET /metrics`.
pub fn router(metrics: Arc<Metrics>, woolly: Woolly) -> Router {
    Router::new().route(
        "/metrics",
        get(move || async move {
            match metrics.render(&woolly).await {
                Ok(text) => (
                    [(
                        header::CONTENT_TYPE,
                        "application/openmetrics-text; version=1.0.0; charset=utf-8",
                    )],
                    text,
                )
                    .into_response(),
                Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
            }
        }),
    )
}
