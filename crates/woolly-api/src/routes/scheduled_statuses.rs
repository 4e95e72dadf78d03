//! Scheduled statuses (`methods/scheduled_statuses.md`): the caller's statuses waiting to be
//! published, one of them, moving one to another time, cancelling one. They are created by
//! `POST /api/v1/statuses` with `scheduled_at` ([`schedule`]). Another user's scheduled
//! status is answered as a missing one: 404.

use axum::extract::{Path, State};
use axum::http::Uri;
use axum::routing::get;
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{Value, json};
use woolly_core::Woolly;
use woolly_core::accounts::{Account, LocalUser};
use woolly_core::auth::Scope;
use woolly_core::scheduled::{ScheduledParams, parse_datetime, unreadable_datetime};

use crate::auth::{Auth, path_id};
use crate::entities::ScheduledStatusEntity;
use woolly_http::error::HttpError;
use woolly_http::extract::{ApiParams, ApiQuery};
use woolly_http::pagination::{PageParams, PageSize, Paged};

pub(super) fn router() -> Router<Woolly> {
    Router::new()
        .route("/api/v1/scheduled_statuses", get(index))
        .route(
            "/api/v1/scheduled_statuses/{id}",
            get(show).put(update).delete(destroy),
        )
}

/// A `scheduled_at` as given: none when absent or blank; a time Mastodon could not read is
/// its 422.
pub(super) fn scheduled_at(text: Option<&str>) -> Result<Option<i64>, HttpError> {
    match text.map(str::trim) {
        None | Some("") => Ok(None),
        Some(text) => Ok(Some(parse_datetime(text).ok_or_else(unreadable_datetime)?)),
    }
}

/// `POST /api/v1/statuses` with a `scheduled_at` still to come: schedules the post and answers
/// with the ScheduledStatus instead of a Status.
pub(super) async fn schedule(
    woolly: &Woolly,
    account: &Account,
    user: &LocalUser,
    scheduled_at: i64,
    params: ScheduledParams,
    idempotency_key: Option<String>,
) -> Result<Json<ScheduledStatusEntity>, HttpError> {
    let scheduled = woolly
        .statuses()
        .schedule_status(account, user, scheduled_at, params, idempotency_key)
        .await?;
    Ok(Json(ScheduledStatusEntity::new(&scheduled)))
}

async fn index(
    State(woolly): State<Woolly>,
    auth: Auth,
    ApiQuery(params): ApiQuery<PageParams>,
    uri: Uri,
) -> Result<Paged<ScheduledStatusEntity>, HttpError> {
    let (account, _) = auth.require(&[Scope::READ_STATUSES])?.user()?;
    let scheduled = woolly
        .statuses()
        .scheduled_statuses(account.id, params.page(PageSize::SCHEDULED_STATUSES)?)
        .await?;
    let cursors = scheduled
        .first()
        .zip(scheduled.last())
        .map(|(newest, oldest)| (newest.id, oldest.id));
    let items = scheduled.iter().map(ScheduledStatusEntity::new).collect();
    Ok(Paged::new(items, cursors, woolly.config(), &uri))
}

async fn show(
    State(woolly): State<Woolly>,
    auth: Auth,
    Path(id): Path<String>,
) -> Result<Json<ScheduledStatusEntity>, HttpError> {
    let (account, _) = auth.require(&[Scope::READ_STATUSES])?.user()?;
    let scheduled = woolly
        .statuses()
        .scheduled_status(account.id, path_id(&id)?)
        .await?;
    Ok(Json(ScheduledStatusEntity::new(&scheduled)))
}

#[derive(Debug, Default, Deserialize)]
struct UpdateParams {
    scheduled_at: Option<String>,
}

/// Only `scheduled_at` can change (Mastodon permits nothing else); without one, nothing does.
async fn update(
    State(woolly): State<Woolly>,
    auth: Auth,
    Path(id): Path<String>,
    ApiParams(params): ApiParams<UpdateParams>,
) -> Result<Json<ScheduledStatusEntity>, HttpError> {
    let (account, _) = auth.require(&[Scope::WRITE_STATUSES])?.user()?;
    let id = path_id(&id)?;
    let scheduled = match scheduled_at(params.scheduled_at.as_deref()) {
        Ok(Some(at)) => woolly.statuses().reschedule_status(account, id, at).await?,
        Ok(None) => woolly.statuses().scheduled_status(account.id, id).await?,
        Err(error) => {
            // A foreign or unknown id is a 404 before the time is looked at, as in Mastodon.
            woolly.statuses().scheduled_status(account.id, id).await?;
            return Err(error);
        }
    };
    Ok(Json(ScheduledStatusEntity::new(&scheduled)))
}

async fn destroy(
    State(woolly): State<Woolly>,
    auth: Auth,
    Path(id): Path<String>,
) -> Result<Json<Value>, HttpError> {
    let (account, _) = auth.require(&[Scope::WRITE_STATUSES])?.user()?;
    woolly
        .statuses()
        .cancel_scheduled_status(account, path_id(&id)?)
        .await?;
    Ok(Json(json!({})))
}
