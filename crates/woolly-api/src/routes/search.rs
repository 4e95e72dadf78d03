//! `GET /api/v2/search`, `GET /api/v1/accounts/search` (`methods/search.md`) and the profile
//! directory, `GET /api/v1/directory` (`methods/directory.md`).

use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use serde::Deserialize;
use woolly_core::Woolly;
use woolly_core::auth::Scope;
use woolly_core::search::{SearchKind, SearchQuery};

use crate::auth::{Auth, optional_viewer};
use crate::entities::{AccountEntity, SearchEntity};
use woolly_http::error::HttpError;
use woolly_http::extract::ApiQuery;
use woolly_http::lenient;

pub(super) fn router() -> Router<Woolly> {
    Router::new()
        .route("/api/v2/search", get(search))
        .route("/api/v1/accounts/search", get(account_search))
        .route("/api/v1/directory", get(directory))
}

#[derive(Debug, Default, Deserialize)]
struct DirectoryParams {
    offset: Option<String>,
    limit: Option<String>,
    order: Option<String>,
    #[serde(default, deserialize_with = "lenient::boolean")]
    local: Option<bool>,
}

/// Public, like Mastodon's when the server is not in limited-federation mode.
async fn directory(
    State(woolly): State<Woolly>,
    auth: Option<Auth>,
    ApiQuery(params): ApiQuery<DirectoryParams>,
) -> Result<Json<Vec<AccountEntity>>, HttpError> {
    let viewer = optional_viewer(&auth, &[Scope::READ_ACCOUNTS])?;
    let newest = match params.order.as_deref() {
        None | Some("") | Some("active") => false,
        Some("new") => true,
        Some(other) => {
            return Err(HttpError::unprocessable(format!(
                "order must be active or new, not {other:?}"
            )));
        }
    };
    let accounts = woolly
        .accounts()
        .directory(
            viewer,
            params.local.unwrap_or(false),
            newest,
            number("limit", &params.limit, 40, 80)?.max(1),
            number("offset", &params.offset, 0, 10_000)?,
        )
        .await?;
    Ok(Json(
        accounts
            .iter()
            .map(|account| AccountEntity::new(account, None, woolly.config()))
            .collect(),
    ))
}

#[derive(Debug, Default, Deserialize)]
struct SearchParams {
    #[serde(default)]
    q: String,
    #[serde(rename = "type")]
    kind: Option<String>,
    #[serde(default, deserialize_with = "lenient::boolean")]
    resolve: Option<bool>,
    #[serde(default, deserialize_with = "lenient::boolean")]
    following: Option<bool>,
    #[serde(default, deserialize_with = "lenient::id")]
    account_id: Option<String>,
    #[serde(default, deserialize_with = "lenient::id")]
    limit: Option<String>,
    #[serde(default, deserialize_with = "lenient::id")]
    offset: Option<String>,
    #[serde(default, deserialize_with = "lenient::boolean")]
    exclude_unreviewed: Option<bool>,
}

fn number(name: &str, value: &Option<String>, default: i64, max: i64) -> Result<i64, HttpError> {
    match value.as_deref() {
        None | Some("") => Ok(default),
        Some(text) => text
            .parse::<i64>()
            .map(|value| value.clamp(0, max))
            .map_err(|_| HttpError::unprocessable(format!("Invalid {name}"))),
    }
}

async fn search(
    State(woolly): State<Woolly>,
    auth: Option<Auth>,
    ApiQuery(params): ApiQuery<SearchParams>,
) -> Result<Json<SearchEntity>, HttpError> {
    let viewer = optional_viewer(&auth, &[Scope::READ_SEARCH])?;
    let kind = match params.kind.as_deref() {
        None | Some("") => None,
        Some("accounts") => Some(SearchKind::Accounts),
        Some("hashtags") => Some(SearchKind::Hashtags),
        Some("statuses") => Some(SearchKind::Statuses),
        Some(other) => return Err(HttpError::unprocessable(format!("Invalid type {other:?}"))),
    };
    // Mastodon refuses anonymous searches that would fetch remote data or page deep.
    if viewer.is_none()
        && (params.resolve.unwrap_or(false) || number("offset", &params.offset, 0, 10_000)? > 0)
    {
        return Err(HttpError::unauthorized());
    }
    let _ = params.exclude_unreviewed;
    let query = SearchQuery {
        text: params.q,
        kind,
        following: params.following.unwrap_or(false),
        account_id: params.account_id.as_deref().and_then(|id| id.parse().ok()),
        limit: number("limit", &params.limit, 20, 40)?.max(1),
        offset: number("offset", &params.offset, 0, 10_000)?,
        resolve: viewer.is_some() && params.resolve.unwrap_or(false),
    };
    let results = woolly.search().search(viewer, &query).await?;
    Ok(Json(SearchEntity::new(&results, viewer, woolly.config())))
}

async fn account_search(
    State(woolly): State<Woolly>,
    auth: Option<Auth>,
    ApiQuery(params): ApiQuery<SearchParams>,
) -> Result<Json<Vec<AccountEntity>>, HttpError> {
    let viewer = optional_viewer(&auth, &[Scope::READ_ACCOUNTS])?;
    let query = SearchQuery {
        text: params.q,
        kind: Some(SearchKind::Accounts),
        following: params.following.unwrap_or(false),
        account_id: None,
        limit: number("limit", &params.limit, 40, 80)?.max(1),
        offset: number("offset", &params.offset, 0, 10_000)?,
        resolve: viewer.is_some() && params.resolve.unwrap_or(false),
    };
    let results = woolly.search().search(viewer, &query).await?;
    Ok(Json(
        results
            .accounts
            .iter()
            .map(|account| AccountEntity::new(account, None, woolly.config()))
            .collect(),
    ))
}
