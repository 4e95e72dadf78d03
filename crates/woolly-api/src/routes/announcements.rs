//! Announcements (`methods/announcements.md`): the operator's announcements in force, marked
//! read by each member, with their emoji reactions.

use axum::extract::{Path, State};
use axum::routing::{get, post, put};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::Value;
use woolly_core::Woolly;
use woolly_core::auth::Scope;

use crate::auth::{Auth, path_id};
use crate::entities::AnnouncementEntity;
use woolly_http::error::HttpError;
use woolly_http::extract::ApiQuery;
use woolly_http::lenient;

pub(super) fn router() -> Router<Woolly> {
    Router::new()
        .route("/api/v1/announcements", get(index))
        .route("/api/v1/announcements/{id}/dismiss", post(dismiss))
        .route(
            "/api/v1/announcements/{id}/reactions/{name}",
            put(react).delete(unreact),
        )
}

#[derive(Debug, Default, Deserialize)]
struct IndexQuery {
    #[serde(default, deserialize_with = "lenient::boolean")]
    with_dismissed: Option<bool>,
}

/// `GET /api/v1/announcements`.
async fn index(
    State(woolly): State<Woolly>,
    auth: Auth,
    ApiQuery(query): ApiQuery<IndexQuery>,
) -> Result<Json<Vec<AnnouncementEntity>>, HttpError> {
    let (account, _) = auth.require(&[Scope::READ])?.user()?;
    let announcements = woolly
        .instance()
        .announcements(account.id, query.with_dismissed.unwrap_or(false))
        .await?;
    Ok(Json(
        announcements.iter().map(AnnouncementEntity::new).collect(),
    ))
}

/// `POST /api/v1/announcements/:id/dismiss`: answers `{}`.
async fn dismiss(
    State(woolly): State<Woolly>,
    auth: Auth,
    Path(id): Path<String>,
) -> Result<Json<Value>, HttpError> {
    let (account, _) = auth.require(&[Scope::WRITE_ACCOUNTS])?.user()?;
    woolly
        .instance()
        .dismiss_announcement(account.id, path_id(&id)?)
        .await?;
    Ok(Json(serde_json::json!({})))
}

async fn reaction(
    woolly: &Woolly,
    auth: &Auth,
    id: &str,
    name: &str,
    on: bool,
) -> Result<Json<Value>, HttpError> {
    let (account, _) = auth.require(&[Scope::WRITE_FAVOURITES])?.user()?;
    woolly
        .instance()
        .react_to_announcement(account.id, path_id(id)?, name, on)
        .await?;
    Ok(Json(serde_json::json!({})))
}

/// `PUT /api/v1/announcements/:id/reactions/:name`: answers `{}`.
async fn react(
    State(woolly): State<Woolly>,
    auth: Auth,
    Path((id, name)): Path<(String, String)>,
) -> Result<Json<Value>, HttpError> {
    reaction(&woolly, &auth, &id, &name, true).await
}

/// `DELETE /api/v1/announcements/:id/reactions/:name`: answers `{}`.
async fn unreact(
    State(woolly): State<Woolly>,
    auth: Auth,
    Path((id, name)): Path<(String, String)>,
) -> Result<Json<Value>, HttpError> {
    reaction(&woolly, &auth, &id, &name, false).await
}
