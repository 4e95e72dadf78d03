//! Filters v1 (`methods/filters.md#v1`), for clients older than Mastodon 4 (Tusky falls back to
//! them): each v1 filter is one keyword of a v2 filter, as `woolly_core::filters` maps them.

use axum::extract::{Path, State};
use axum::routing::get;
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{Value, json};
use woolly_core::Woolly;
use woolly_core::auth::Scope;
use woolly_core::filters::V1FilterDraft;

use super::filters::{expires_in, optional_list};
use crate::auth::{Auth, path_id};
use crate::entities::V1FilterEntity;
use woolly_http::error::HttpError;
use woolly_http::extract::ApiParams;
use woolly_http::lenient;

pub(super) fn router() -> Router<Woolly> {
    Router::new()
        .route("/api/v1/filters", get(index).post(create))
        .route(
            "/api/v1/filters/{id}",
            get(show).put(update).patch(update).delete(destroy),
        )
}

#[derive(Debug, Default, Deserialize)]
struct V1FilterParams {
    phrase: Option<String>,
    #[serde(default, deserialize_with = "optional_list")]
    context: Option<Vec<String>>,
    #[serde(default, deserialize_with = "lenient::boolean")]
    irreversible: Option<bool>,
    #[serde(default, deserialize_with = "lenient::boolean")]
    whole_word: Option<bool>,
    #[serde(default, deserialize_with = "expires_in")]
    expires_in: Option<Option<i64>>,
}

impl V1FilterParams {
    fn draft(self) -> V1FilterDraft {
        V1FilterDraft {
            phrase: self.phrase,
            context: self.context,
            irreversible: self.irreversible,
            whole_word: self.whole_word,
            expires_in: self.expires_in,
        }
    }
}

async fn index(
    State(woolly): State<Woolly>,
    auth: Auth,
) -> Result<Json<Vec<V1FilterEntity>>, HttpError> {
    let (account, _) = auth.require(&[Scope::READ_FILTERS])?.user()?;
    let filters = woolly.filters().v1_filters(account.id).await?;
    Ok(Json(filters.iter().map(V1FilterEntity::new).collect()))
}

async fn show(
    State(woolly): State<Woolly>,
    auth: Auth,
    Path(id): Path<String>,
) -> Result<Json<V1FilterEntity>, HttpError> {
    let (account, _) = auth.require(&[Scope::READ_FILTERS])?.user()?;
    let filter = woolly
        .filters()
        .v1_filter(account.id, path_id(&id)?)
        .await?;
    Ok(Json(V1FilterEntity::new(&filter)))
}

async fn create(
    State(woolly): State<Woolly>,
    auth: Auth,
    ApiParams(params): ApiParams<V1FilterParams>,
) -> Result<Json<V1FilterEntity>, HttpError> {
    let (account, _) = auth.require(&[Scope::WRITE_FILTERS])?.user()?;
    let filter = woolly
        .filters()
        .create_v1_filter(account, params.draft())
        .await?;
    Ok(Json(V1FilterEntity::new(&filter)))
}

async fn update(
    State(woolly): State<Woolly>,
    auth: Auth,
    Path(id): Path<String>,
    ApiParams(params): ApiParams<V1FilterParams>,
) -> Result<Json<V1FilterEntity>, HttpError> {
    let (account, _) = auth.require(&[Scope::WRITE_FILTERS])?.user()?;
    let filter = woolly
        .filters()
        .update_v1_filter(account, path_id(&id)?, params.draft())
        .await?;
    Ok(Json(V1FilterEntity::new(&filter)))
}

async fn destroy(
    State(woolly): State<Woolly>,
    auth: Auth,
    Path(id): Path<String>,
) -> Result<Json<Value>, HttpError> {
    let (account, _) = auth.require(&[Scope::WRITE_FILTERS])?.user()?;
    woolly
        .filters()
        .delete_v1_filter(account, path_id(&id)?)
        .await?;
    Ok(Json(json!({})))
}
