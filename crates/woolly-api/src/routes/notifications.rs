//! Notifications v1 (`methods/notifications.md`): list (with `types[]` and `exclude_types[]`),
//! one, dismiss one, clear all.

use axum::extract::{Path, State};
use axum::http::Uri;
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{Value, json};
use woolly_core::auth::Scope;
use woolly_core::{NotificationQuery, Woolly};

use crate::auth::{Auth, path_id};
use crate::entities::NotificationEntity;
use woolly_http::error::HttpError;
use woolly_http::extract::ApiQuery;
use woolly_http::lenient;
use woolly_http::pagination::{PageParams, PageSize, Paged};

pub(super) fn router() -> Router<Woolly> {
    Router::new()
        .route("/api/v1/notifications", get(list))
        .route("/api/v1/notifications/clear", post(clear))
        .route("/api/v1/notifications/{id}", get(show))
        .route("/api/v1/notifications/{id}/dismiss", post(dismiss))
}

#[derive(Debug, Default, Deserialize)]
struct ListParams {
    #[serde(flatten)]
    page: PageParams,
    #[serde(default, deserialize_with = "lenient::list")]
    types: Vec<String>,
    #[serde(default, deserialize_with = "lenient::list")]
    exclude_types: Vec<String>,
    #[serde(flatten)]
    narrowing: Narrowing,
}

/// What narrows a list of notifications beside their types, in v1 and v2: one sender's only
/// (`account_id`, filtered ones included, as a request shows them) and the filtered ones too
/// (`include_filtered`).
#[derive(Debug, Default, Deserialize)]
pub(super) struct Narrowing {
    #[serde(default, deserialize_with = "lenient::id")]
    account_id: Option<String>,
    #[serde(default, deserialize_with = "lenient::boolean")]
    include_filtered: Option<bool>,
}

impl Narrowing {
    pub(super) fn query(
        &self,
        types: &[String],
        exclude: &[String],
    ) -> Result<NotificationQuery, HttpError> {
        Ok(NotificationQuery {
            types: types.to_vec(),
            exclude: exclude.to_vec(),
            from_account_id: self.account_id.as_deref().map(path_id).transpose()?,
            include_filtered: self.include_filtered.unwrap_or(false),
        })
    }
}

async fn list(
    State(woolly): State<Woolly>,
    auth: Auth,
    ApiQuery(params): ApiQuery<ListParams>,
    uri: Uri,
) -> Result<Paged<NotificationEntity>, HttpError> {
    let (account, _) = auth.require(&[Scope::READ_NOTIFICATIONS])?.user()?;
    let (views, cursors) = woolly
        .notifications()
        .page(
            account.id,
            &params
                .narrowing
                .query(&params.types, &params.exclude_types)?,
            params.page.page(PageSize::NOTIFICATIONS)?,
        )
        .await?;
    let items = views
        .iter()
        .map(|view| NotificationEntity::new(view, account.id, woolly.config()))
        .collect();
    Ok(Paged::new(items, cursors, woolly.config(), &uri))
}

async fn show(
    State(woolly): State<Woolly>,
    auth: Auth,
    Path(id): Path<String>,
) -> Result<Json<NotificationEntity>, HttpError> {
    let (account, _) = auth.require(&[Scope::READ_NOTIFICATIONS])?.user()?;
    let view = woolly
        .notifications()
        .get(account.id, path_id(&id)?)
        .await?;
    Ok(Json(NotificationEntity::new(
        &view,
        account.id,
        woolly.config(),
    )))
}

async fn dismiss(
    State(woolly): State<Woolly>,
    auth: Auth,
    Path(id): Path<String>,
) -> Result<Json<Value>, HttpError> {
    let (account, _) = auth.require(&[Scope::WRITE_NOTIFICATIONS])?.user()?;
    woolly
        .notifications()
        .dismiss(account.id, Some(path_id(&id)?))
        .await?;
    Ok(Json(json!({})))
}

async fn clear(State(woolly): State<Woolly>, auth: Auth) -> Result<Json<Value>, HttpError> {
    let (account, _) = auth.require(&[Scope::WRITE_NOTIFICATIONS])?.user()?;
    woolly.notifications().dismiss(account.id, None).await?;
    Ok(Json(json!({})))
}
