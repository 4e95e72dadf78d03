//! `GET /health`: 200 `OK` when the database answers, 503 otherwise (for load balancers).

use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::get;
use woolly_core::Woolly;

use woolly_http::error::HttpError;

pub(super) fn router() -> Router<Woolly> {
    Router::new().route("/health", get(health))
}

async fn health(State(woolly): State<Woolly>) -> Result<&'static str, HttpError> {
    match woolly.instance().check_health().await {
        Ok(()) => Ok("OK"),
        Err(error) => {
            tracing::error!(%error, "health check failed");
            Err(HttpError::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "Database unavailable",
            ))
        }
    }
}
