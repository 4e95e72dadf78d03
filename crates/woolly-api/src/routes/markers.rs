//! Timeline read markers (`methods/markers.md`), which clients use to keep the reading
//! position in sync across devices.

use std::collections::BTreeMap;

use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{Value, json};
use woolly_core::Woolly;
use woolly_core::auth::Scope;
use woolly_core::profile::Marker;

use crate::auth::Auth;
use crate::entities::iso8601;
use woolly_http::error::HttpError;
use woolly_http::extract::{ApiParams, ApiQuery};
use woolly_http::lenient;

pub(super) fn router() -> Router<Woolly> {
    Router::new().route("/api/v1/markers", get(show).post(update))
}

fn render(markers: &[Marker]) -> Value {
    let map: serde_json::Map<String, Value> = markers
        .iter()
        .map(|marker| {
            (
                marker.timeline.clone(),
                json!({
                    "last_read_id": marker.last_read_id.to_string(),
                    "version": marker.version,
                    "updated_at": iso8601(marker.updated_at),
                }),
            )
        })
        .collect();
    Value::Object(map)
}

#[derive(Debug, Default, Deserialize)]
struct ShowParams {
    #[serde(default, deserialize_with = "lenient::list")]
    timeline: Vec<String>,
}

async fn show(
    State(woolly): State<Woolly>,
    auth: Auth,
    ApiQuery(params): ApiQuery<ShowParams>,
) -> Result<Json<Value>, HttpError> {
    let (account, _) = auth.require(&[Scope::READ_STATUSES])?.user()?;
    Ok(Json(render(
        &woolly.markers(account.id, &params.timeline).await?,
    )))
}

#[derive(Debug, Default, Deserialize)]
struct Position {
    #[serde(default, deserialize_with = "lenient::id")]
    last_read_id: Option<String>,
}

async fn update(
    State(woolly): State<Woolly>,
    auth: Auth,
    ApiParams(params): ApiParams<BTreeMap<String, Position>>,
) -> Result<Json<Value>, HttpError> {
    let (account, _) = auth.require(&[Scope::WRITE_STATUSES])?.user()?;
    let mut positions = Vec::new();
    for (timeline, position) in params {
        let id = position
            .last_read_id
            .as_deref()
            .and_then(|id| id.parse::<i64>().ok())
            .ok_or_else(|| {
                HttpError::unprocessable(format!("Invalid last_read_id for {timeline}"))
            })?;
        positions.push((timeline, id));
    }
    Ok(Json(render(
        &woolly.set_markers(account.id, &positions).await?,
    )))
}
