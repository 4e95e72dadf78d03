//! `POST /api/v1/apps` and `GET /api/v1/apps/verify_credentials` (`methods/apps.md`).

use axum::extract::State;
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use woolly_core::Woolly;
use woolly_core::oauth::AppRegistration;

use crate::auth::Auth;
use crate::entities::ApplicationEntity;
use woolly_http::error::HttpError;
use woolly_http::extract::ApiParams;

pub(super) fn router() -> Router<Woolly> {
    Router::new()
        .route("/api/v1/apps", post(create_app))
        .route("/api/v1/apps/verify_credentials", get(verify_app))
}

/// `redirect_uris` comes as one string (possibly newline-separated) or as an array.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

#[derive(Debug, Deserialize)]
struct CreateAppParams {
    client_name: Option<String>,
    redirect_uris: Option<OneOrMany>,
    scopes: Option<String>,
    website: Option<String>,
}

async fn create_app(
    State(woolly): State<Woolly>,
    ApiParams(params): ApiParams<CreateAppParams>,
) -> Result<Json<ApplicationEntity>, HttpError> {
    let redirect_uris = match params.redirect_uris {
        None => Vec::new(),
        Some(OneOrMany::One(uris)) => vec![uris],
        Some(OneOrMany::Many(uris)) => uris,
    };
    let registered = woolly
        .oauth()
        .register_app(AppRegistration {
            name: params.client_name.unwrap_or_default(),
            website: params.website,
            redirect_uris,
            scopes: params.scopes.unwrap_or_default(),
        })
        .await?;
    Ok(Json(ApplicationEntity::with_credentials(
        &registered.app,
        &registered.client_secret,
        woolly.vapid_public_key(),
    )))
}

/// Any valid token will do, user or application (Mastodon requires no particular scope).
async fn verify_app(
    State(woolly): State<Woolly>,
    auth: Auth,
) -> Result<Json<ApplicationEntity>, HttpError> {
    let app_id = auth.0.app_id.ok_or_else(HttpError::unauthorized)?;
    let app = woolly
        .oauth()
        .app(app_id)
        .await?
        .ok_or_else(HttpError::unauthorized)?;
    Ok(Json(ApplicationEntity::new(
        &app,
        woolly.vapid_public_key(),
    )))
}
