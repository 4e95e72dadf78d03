//! Timeline read markers (`methods/markers.md`), which clients use to keep the reading
//! position in sync across devices.

use std::collections::BTreeMap;

use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use serde::Deserialize;
use woolly_core::Woolly;
use woolly_core::auth::Scope;

use crate::auth::Auth;
use crate::entities::{MarkerEntity, markers};
use woolly_http::error::HttpError;
use woolly_http::extract::{ApiParams, ApiQuery};
use woolly_http::lenient;

pub(super) fn router() -> Router<Woolly> {
    Router::new().route("/api/v1/markers", get(show).post(update))
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
) -> Result<Json<BTreeMap<String, MarkerEntity>>, HttpError> {
    let (account, _) = auth.require(&[Scope::READ_STATUSES])?.user()?;
    Ok(Json(markers(
        &woolly
            .accounts()
            .markers(account.id, &params.timeline)
            .await?,
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
) -> Result<Json<BTreeMap<String, MarkerEntity>>, HttpError> {
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
    Ok(Json(markers(
        &woolly
            .accounts()
            .set_markers(account.id, &positions)
            .await?,
    )))
}
