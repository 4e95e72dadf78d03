//! Muting and unmuting a status's thread (`methods/statuses.md#mute`): no more notifications
//! about it. Both answer with the status, its `muted` showing the new state.

use axum::extract::{Path, State};
use axum::routing::post;
use axum::{Json, Router};
use woolly_core::Woolly;
use woolly_core::auth::Scope;

use crate::auth::{Auth, path_id};
use crate::entities::StatusEntity;
use woolly_http::error::HttpError;

pub(super) fn router() -> Router<Woolly> {
    Router::new()
        .route("/api/v1/statuses/{id}/mute", post(mute))
        .route("/api/v1/statuses/{id}/unmute", post(unmute))
}

async fn mute(
    State(woolly): State<Woolly>,
    auth: Auth,
    Path(id): Path<String>,
) -> Result<Json<StatusEntity>, HttpError> {
    let (account, _) = auth.require(&[Scope::WRITE_MUTES])?.user()?;
    let view = woolly
        .statuses()
        .mute_thread(account, path_id(&id)?)
        .await?;
    Ok(Json(StatusEntity::new(
        &view,
        Some(account.id),
        woolly.config(),
    )))
}

async fn unmute(
    State(woolly): State<Woolly>,
    auth: Auth,
    Path(id): Path<String>,
) -> Result<Json<StatusEntity>, HttpError> {
    let (account, _) = auth.require(&[Scope::WRITE_MUTES])?.user()?;
    let view = woolly
        .statuses()
        .unmute_thread(account, path_id(&id)?)
        .await?;
    Ok(Json(StatusEntity::new(
        &view,
        Some(account.id),
        woolly.config(),
    )))
}
