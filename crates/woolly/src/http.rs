//! The HTTP application: every front door's routes under one router, and the layers every
//! request passes through (request id, tracing span, panic catching, JSON error bodies, metrics,
//! body cap, trailing-slash normalisation).

use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::{MatchedPath, Request, State};
use axum::http::HeaderName;
use axum::response::IntoResponse;
use axum::routing::MethodRouter;
use tower::{Layer, ServiceBuilder};
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::normalize_path::{NormalizePath, NormalizePathLayer};
use tower_http::request_id::{
    MakeRequestId, PropagateRequestIdLayer, RequestId, SetRequestIdLayer,
};
use tower_http::trace::TraceLayer;
use woolly_core::Woolly;
use woolly_http::HttpError;

use std::net::SocketAddr;

use axum::extract::connect_info::IntoMakeServiceWithConnectInfo;
use woolly_http::caller::{TrustedProxies, resolve_client_address};
use woolly_http::rate_limit::{RateLimiter, limit_requests};

use crate::metrics::{Metrics, record_request};

/// The largest body extractors read, unless a route allows more (media uploads do).
const MAX_BODY_BYTES: usize = 2 * 1024 * 1024;
/// The hard cap on any request body, above the largest route's own limit (uploads).
const MAX_ANY_BODY_BYTES: usize = 20 * 1024 * 1024;

static REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// Refuses every request from an address under a `no_access` IP block (403), as Mastodon's
/// blocklist does; the blocks are read again each minute (see `woolly_core::sign_up_blocks`).
async fn refuse_blocked_addresses(
    axum::extract::State(woolly): axum::extract::State<Woolly>,
    request: Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    if let Some(address) = woolly_http::caller::client_address(request.extensions()) {
        match woolly.ip_severity(address).await {
            Ok(Some(woolly_core::sign_up_blocks::IpSeverity::NoAccess)) => {
                tracing::info!(%address, "request from a blocked address refused");
                return HttpError::new(axum::http::StatusCode::FORBIDDEN, "Forbidden")
                    .into_response();
            }
            Ok(_) => {}
            Err(error) => tracing::error!(%error, "reading the IP blocks failed"),
        }
    }
    next.run(request).await
}

/// Request ids: 16 random hex digits, unless the client (or a proxy) sent one.
#[derive(Clone, Copy)]
struct RandomRequestId;

impl MakeRequestId for RandomRequestId {
    fn make_request_id<B>(&mut self, _request: &axum::http::Request<B>) -> Option<RequestId> {
        let id = format!("{:016x}", rand::random::<u64>());
        id.parse().ok().map(RequestId::new)
    }
}

/// The whole HTTP application for one instance.
pub fn app(
    woolly: Woolly,
    federation: woolly_federation::Federation,
    metrics: Arc<Metrics>,
    rate_limiter: RateLimiter,
    trusted_proxies: TrustedProxies,
) -> IntoMakeServiceWithConnectInfo<NormalizePath<Router>, SocketAddr> {
    let trace = TraceLayer::new_for_http()
        .make_span_with(|request: &Request| {
            let path = request
                .extensions()
                .get::<MatchedPath>()
                .map_or("unmatched", MatchedPath::as_str);
            let request_id = request
                .headers()
                .get(&REQUEST_ID)
                .and_then(|value| value.to_str().ok())
                .unwrap_or("");
            tracing::info_span!("request", method = %request.method(), path, request_id)
        })
        .on_request(())
        .on_response(
            |response: &axum::response::Response, latency: Duration, _span: &tracing::Span| {
                tracing::info!(
                    status = response.status().as_u16(),
                    latency_ms = latency.as_millis(),
                    "response"
                );
            },
        )
        .on_failure(());
    let layers = ServiceBuilder::new()
        .layer(SetRequestIdLayer::new(REQUEST_ID.clone(), RandomRequestId))
        .layer(axum::middleware::from_fn_with_state(
            trusted_proxies,
            resolve_client_address,
        ))
        .layer(trace)
        .layer(PropagateRequestIdLayer::new(REQUEST_ID.clone()))
        .layer(axum::middleware::from_fn(
            woolly_http::headers::security_headers,
        ))
        .layer(axum::middleware::from_fn(
            woolly_http::headers::cross_origin,
        ))
        .layer(axum::middleware::from_fn_with_state(
            metrics,
            record_request,
        ))
        .layer(axum::middleware::from_fn_with_state(
            woolly.clone(),
            refuse_blocked_addresses,
        ))
        .layer(axum::middleware::from_fn_with_state(
            rate_limiter,
            limit_requests,
        ))
        .layer(axum::middleware::from_fn(woolly_http::json_error_bodies))
        .layer(CatchPanicLayer::custom(|_panic| {
            tracing::error!("request handler panicked");
            HttpError::new(
                axum::http::StatusCode::INTERNAL_SERVER_ERROR,
                "Internal server error",
            )
            .into_response()
        }))
        .layer(RequestBodyLimitLayer::new(MAX_ANY_BODY_BYTES))
        .layer(axum::extract::DefaultBodyLimit::max(MAX_BODY_BYTES));
    let router = Router::new()
        .merge(woolly_api::router())
        .merge(woolly_web::router())
        .route(
            "/@{name}",
            for_people_or_servers(
                woolly_web::profile_page(),
                woolly_federation::actor_at_profile_address(&federation),
            ),
        )
        .route(
            "/@{name}/{id}",
            for_people_or_servers(
                woolly_web::thread_page(),
                woolly_federation::note_at_status_address(&federation),
            ),
        )
        .merge(woolly_federation::router(federation))
        .fallback(|| async {
            HttpError::new(
                axum::http::StatusCode::NOT_FOUND,
                "The page you are looking for isn't here.",
            )
        })
        .layer(layers)
        .with_state(woolly);
    // Outside the router, so that `/api/v1/instance/` is routed as `/api/v1/instance`
    // (Mastodon.py and toot add trailing slashes).
    // The peer address feeds the rate limits of anonymous clients.
    axum::ServiceExt::<Request>::into_make_service_with_connect_info::<SocketAddr>(
        NormalizePathLayer::trim_trailing_slash().layer(router),
    )
}

/// `/@name` and `/@name/:id` are pages for people and ActivityPub documents for servers, served
/// by two front doors: requests that ask for ActivityPub JSON get the federation's `document`,
/// the others the web interface's `page`.
fn for_people_or_servers(
    page: MethodRouter<Woolly>,
    document: MethodRouter<Woolly>,
) -> MethodRouter<Woolly> {
    axum::routing::get(
        move |State(woolly): State<Woolly>, request: Request| async move {
            let chosen = if woolly_federation::negotiation::wants_activity_json(request.headers()) {
                document
            } else {
                page
            };
            match tower::ServiceExt::oneshot(chosen.with_state(woolly), request).await {
                Ok(response) => response,
                Err(infallible) => match infallible {},
            }
        },
    )
}
