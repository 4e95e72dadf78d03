//! Filters v2 (`methods/filters.md#v2`): the caller's filters with their keywords
//! (`keywords_attributes[]` on create and update, or one at a time) and filtered statuses.
//! Another user's filter, keyword or status filter is answered as a missing one: 404.

use axum::extract::{Path, State};
use axum::routing::get;
use axum::{Json, Router};
use serde::Deserialize;
use serde::de::Deserializer;
use serde_json::{Value, json};
use woolly_core::Woolly;
use woolly_core::auth::Scope;
use woolly_core::filters::{FilterDraft, KeywordDraft};

use crate::auth::{Auth, path_id};
use crate::entities::{FilterEntity, FilterKeywordEntity, FilterStatusEntity};
use woolly_http::error::HttpError;
use woolly_http::extract::ApiParams;
use woolly_http::lenient;

pub(super) fn router() -> Router<Woolly> {
    Router::new()
        .route("/api/v2/filters", get(index).post(create))
        .route(
            "/api/v2/filters/{id}",
            get(show).put(update).patch(update).delete(destroy),
        )
        .route(
            "/api/v2/filters/{id}/keywords",
            get(keywords).post(add_keyword),
        )
        .route(
            "/api/v2/filters/keywords/{id}",
            get(show_keyword)
                .put(update_keyword)
                .patch(update_keyword)
                .delete(destroy_keyword),
        )
        .route(
            "/api/v2/filters/{id}/statuses",
            get(statuses).post(add_status),
        )
        .route(
            "/api/v2/filters/statuses/{id}",
            get(show_status).delete(destroy_status),
        )
}

/// `expires_in`: seconds, or empty (or `null`) for "never"; absent keeps the expiry.
pub(super) fn expires_in<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<Option<i64>>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum SecondsLike {
        Number(i64),
        Text(String),
    }
    match Option::<SecondsLike>::deserialize(deserializer)? {
        None => Ok(Some(None)),
        Some(SecondsLike::Number(seconds)) => Ok(Some(Some(seconds))),
        Some(SecondsLike::Text(text)) if text.trim().is_empty() => Ok(Some(None)),
        Some(SecondsLike::Text(text)) => text
            .trim()
            .parse()
            .map(|seconds| Some(Some(seconds)))
            .map_err(|_| serde::de::Error::custom(format!("expires_in {text:?} is not a number"))),
    }
}

/// The JSON `null` and empty-text cases reach [`expires_in`] only when the key is present.
#[derive(Debug, Default, Deserialize)]
struct FilterParams {
    title: Option<String>,
    #[serde(default, deserialize_with = "optional_list")]
    context: Option<Vec<String>>,
    filter_action: Option<String>,
    #[serde(default, deserialize_with = "expires_in")]
    expires_in: Option<Option<i64>>,
    #[serde(default, deserialize_with = "lenient::nested_attributes")]
    keywords_attributes: Vec<KeywordParams>,
}

/// A list that may be absent (keep it) or given, as an array or one value.
pub(super) fn optional_list<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<Vec<String>>, D::Error> {
    lenient::list(deserializer).map(Some)
}

#[derive(Debug, Default, Deserialize)]
struct KeywordParams {
    #[serde(default, deserialize_with = "lenient::id")]
    id: Option<String>,
    keyword: Option<String>,
    #[serde(default, deserialize_with = "lenient::boolean")]
    whole_word: Option<bool>,
    #[serde(default, rename = "_destroy", deserialize_with = "lenient::boolean")]
    destroy: Option<bool>,
}

impl KeywordParams {
    /// An id that is not a number names no keyword (404, as Rails' `find` answers).
    fn draft(self) -> Result<KeywordDraft, HttpError> {
        let id = match self.id.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(id) => Some(path_id(id)?),
        };
        Ok(KeywordDraft {
            id,
            keyword: self.keyword,
            whole_word: self.whole_word,
            destroy: self.destroy.unwrap_or(false),
        })
    }
}

impl FilterParams {
    fn draft(self) -> Result<FilterDraft, HttpError> {
        Ok(FilterDraft {
            title: self.title,
            context: self.context,
            action: self.filter_action,
            expires_in: self.expires_in,
            keywords: self
                .keywords_attributes
                .into_iter()
                .map(KeywordParams::draft)
                .collect::<Result<_, _>>()?,
        })
    }
}

async fn index(
    State(woolly): State<Woolly>,
    auth: Auth,
) -> Result<Json<Vec<FilterEntity>>, HttpError> {
    let (account, _) = auth.require(&[Scope::READ_FILTERS])?.user()?;
    let filters = woolly.filters().all(account.id).await?;
    Ok(Json(filters.iter().map(FilterEntity::new).collect()))
}

async fn show(
    State(woolly): State<Woolly>,
    auth: Auth,
    Path(id): Path<String>,
) -> Result<Json<FilterEntity>, HttpError> {
    let (account, _) = auth.require(&[Scope::READ_FILTERS])?.user()?;
    let filter = woolly.filters().get(account.id, path_id(&id)?).await?;
    Ok(Json(FilterEntity::new(&filter)))
}

async fn create(
    State(woolly): State<Woolly>,
    auth: Auth,
    ApiParams(params): ApiParams<FilterParams>,
) -> Result<Json<FilterEntity>, HttpError> {
    let (account, _) = auth.require(&[Scope::WRITE_FILTERS])?.user()?;
    let filter = woolly.filters().create(account, params.draft()?).await?;
    Ok(Json(FilterEntity::new(&filter)))
}

/// Mastodon updates only the attributes given.
async fn update(
    State(woolly): State<Woolly>,
    auth: Auth,
    Path(id): Path<String>,
    ApiParams(params): ApiParams<FilterParams>,
) -> Result<Json<FilterEntity>, HttpError> {
    let (account, _) = auth.require(&[Scope::WRITE_FILTERS])?.user()?;
    let filter = woolly
        .filters()
        .update(account, path_id(&id)?, params.draft()?)
        .await?;
    Ok(Json(FilterEntity::new(&filter)))
}

async fn destroy(
    State(woolly): State<Woolly>,
    auth: Auth,
    Path(id): Path<String>,
) -> Result<Json<Value>, HttpError> {
    let (account, _) = auth.require(&[Scope::WRITE_FILTERS])?.user()?;
    woolly.filters().delete(account, path_id(&id)?).await?;
    Ok(Json(json!({})))
}

#[derive(Debug, Default, Deserialize)]
struct OneKeywordParams {
    keyword: Option<String>,
    #[serde(default, deserialize_with = "lenient::boolean")]
    whole_word: Option<bool>,
}

async fn keywords(
    State(woolly): State<Woolly>,
    auth: Auth,
    Path(id): Path<String>,
) -> Result<Json<Vec<FilterKeywordEntity>>, HttpError> {
    let (account, _) = auth.require(&[Scope::READ_FILTERS])?.user()?;
    let keywords = woolly.filters().keywords(account.id, path_id(&id)?).await?;
    Ok(Json(
        keywords.iter().map(FilterKeywordEntity::new).collect(),
    ))
}

async fn add_keyword(
    State(woolly): State<Woolly>,
    auth: Auth,
    Path(id): Path<String>,
    ApiParams(params): ApiParams<OneKeywordParams>,
) -> Result<Json<FilterKeywordEntity>, HttpError> {
    let (account, _) = auth.require(&[Scope::WRITE_FILTERS])?.user()?;
    let keyword = woolly
        .filters()
        .add_keyword(account, path_id(&id)?, params.keyword, params.whole_word)
        .await?;
    Ok(Json(FilterKeywordEntity::new(&keyword)))
}

async fn show_keyword(
    State(woolly): State<Woolly>,
    auth: Auth,
    Path(id): Path<String>,
) -> Result<Json<FilterKeywordEntity>, HttpError> {
    let (account, _) = auth.require(&[Scope::READ_FILTERS])?.user()?;
    let keyword = woolly.filters().keyword(account.id, path_id(&id)?).await?;
    Ok(Json(FilterKeywordEntity::new(&keyword)))
}

async fn update_keyword(
    State(woolly): State<Woolly>,
    auth: Auth,
    Path(id): Path<String>,
    ApiParams(params): ApiParams<OneKeywordParams>,
) -> Result<Json<FilterKeywordEntity>, HttpError> {
    let (account, _) = auth.require(&[Scope::WRITE_FILTERS])?.user()?;
    let keyword = woolly
        .filters()
        .update_keyword(account, path_id(&id)?, params.keyword, params.whole_word)
        .await?;
    Ok(Json(FilterKeywordEntity::new(&keyword)))
}

async fn destroy_keyword(
    State(woolly): State<Woolly>,
    auth: Auth,
    Path(id): Path<String>,
) -> Result<Json<Value>, HttpError> {
    let (account, _) = auth.require(&[Scope::WRITE_FILTERS])?.user()?;
    woolly
        .filters()
        .delete_keyword(account, path_id(&id)?)
        .await?;
    Ok(Json(json!({})))
}

#[derive(Debug, Default, Deserialize)]
struct StatusParams {
    #[serde(default, deserialize_with = "lenient::id")]
    status_id: Option<String>,
}

async fn statuses(
    State(woolly): State<Woolly>,
    auth: Auth,
    Path(id): Path<String>,
) -> Result<Json<Vec<FilterStatusEntity>>, HttpError> {
    let (account, _) = auth.require(&[Scope::READ_FILTERS])?.user()?;
    let statuses = woolly
        .filters()
        .status_filters(account.id, path_id(&id)?)
        .await?;
    Ok(Json(statuses.iter().map(FilterStatusEntity::new).collect()))
}

async fn add_status(
    State(woolly): State<Woolly>,
    auth: Auth,
    Path(id): Path<String>,
    ApiParams(params): ApiParams<StatusParams>,
) -> Result<Json<FilterStatusEntity>, HttpError> {
    let (account, _) = auth.require(&[Scope::WRITE_FILTERS])?.user()?;
    // A status id that is not a number names no status.
    let status_id = params
        .status_id
        .as_deref()
        .and_then(|id| id.trim().parse().ok());
    let status = woolly
        .filters()
        .add_status_filter(account, path_id(&id)?, status_id)
        .await?;
    Ok(Json(FilterStatusEntity::new(&status)))
}

async fn show_status(
    State(woolly): State<Woolly>,
    auth: Auth,
    Path(id): Path<String>,
) -> Result<Json<FilterStatusEntity>, HttpError> {
    let (account, _) = auth.require(&[Scope::READ_FILTERS])?.user()?;
    let status = woolly
        .filters()
        .status_filter(account.id, path_id(&id)?)
        .await?;
    Ok(Json(FilterStatusEntity::new(&status)))
}

async fn destroy_status(
    State(woolly): State<Woolly>,
    auth: Auth,
    Path(id): Path<String>,
) -> Result<Json<Value>, HttpError> {
    let (account, _) = auth.require(&[Scope::WRITE_FILTERS])?.user()?;
    woolly
        .filters()
        .delete_status_filter(account, path_id(&id)?)
        .await?;
    Ok(Json(json!({})))
}
