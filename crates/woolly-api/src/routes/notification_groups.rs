//! Grouped notifications, v2 (`methods/grouped_notifications.md`): favourites, reblogs and
//! follows of the same kind (about the same status) within a few hours come as one group, with
//! the accounts and statuses they mention listed once beside the groups.
//!
//! Groups are formed over the page of notifications asked for, so a group that straddles two
//! pages appears on both (Mastodon does the same at page boundaries).

use axum::extract::{Path, State};
use axum::http::Uri;
use axum::response::IntoResponse as _;
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{Value, json};
use woolly_core::Woolly;
use woolly_core::auth::Scope;
use woolly_core::notifications::{GROUPED_KINDS, NotificationGroup, group_notifications};

use crate::auth::Auth;
use crate::entities::{AccountEntity, GroupedNotificationsResultsEntity, UnreadCountEntity};
use woolly_http::error::HttpError;
use woolly_http::extract::ApiQuery;
use woolly_http::lenient;
use woolly_http::pagination::{PageParams, PageSize, Paged};

pub(super) fn router() -> Router<Woolly> {
    Router::new()
        .route("/api/v2/notifications", get(list))
        .route("/api/v2/notifications/unread_count", get(unread_count))
        .route("/api/v1/notifications/unread_count", get(unread_count))
        .route("/api/v2/notifications/{group_key}", get(show))
        .route("/api/v2/notifications/{group_key}/accounts", get(accounts))
        .route("/api/v2/notifications/{group_key}/dismiss", post(dismiss))
}

#[derive(Debug, Default, Deserialize)]
struct ListParams {
    #[serde(flatten)]
    page: PageParams,
    #[serde(default, deserialize_with = "lenient::list")]
    types: Vec<String>,
    #[serde(default, deserialize_with = "lenient::list")]
    exclude_types: Vec<String>,
    #[serde(default, deserialize_with = "lenient::list")]
    grouped_types: Vec<String>,
    expand_accounts: Option<String>,
    #[serde(flatten)]
    narrowing: crate::routes::notifications::Narrowing,
}

impl ListParams {
    fn query(&self) -> Result<woolly_core::NotificationQuery, HttpError> {
        self.narrowing.query(&self.types, &self.exclude_types)
    }
}

fn grouped_kinds(requested: &[String]) -> Vec<String> {
    if requested.is_empty() {
        GROUPED_KINDS
            .iter()
            .map(|kind| (*kind).to_owned())
            .collect()
    } else {
        requested.to_vec()
    }
}

async fn list(
    State(woolly): State<Woolly>,
    auth: Auth,
    ApiQuery(params): ApiQuery<ListParams>,
    uri: Uri,
) -> Result<axum::response::Response, HttpError> {
    let (account, _) = auth.require(&[Scope::READ_NOTIFICATIONS])?.user()?;
    if params
        .expand_accounts
        .as_deref()
        .is_some_and(|mode| mode != "full")
    {
        return Err(HttpError::unprocessable(
            "Only expand_accounts=full is supported on this server yet",
        ));
    }
    let page = params.page.page(PageSize::NOTIFICATIONS)?;
    let (views, cursors) = woolly
        .notifications()
        .page(account.id, &params.query()?, page)
        .await?;
    let groups = group_notifications(views, &grouped_kinds(&params.grouped_types));
    let body = GroupedNotificationsResultsEntity::new(&groups, account.id, woolly.config());
    // The body is one object, not a list; the Link header is a list's all the same.
    let link = Paged::<()>::new(Vec::new(), cursors, woolly.config(), &uri).link;
    let mut response = Json(body).into_response();
    if let Some(link) = link {
        response
            .headers_mut()
            .insert(axum::http::header::LINK, link);
    }
    Ok(response)
}

/// The notifications of one group (searching the recent ones, where groups live).
async fn group(woolly: &Woolly, viewer: i64, key: &str) -> Result<NotificationGroup, HttpError> {
    let page = woolly_core::Page {
        max_id: None,
        since_id: None,
        min_id: None,
        limit: 400,
    };
    let (views, _) = woolly
        .notifications()
        .page(viewer, &Default::default(), page)
        .await?;
    group_notifications(views, &grouped_kinds(&[]))
        .into_iter()
        .find(|group| group.key == key)
        .ok_or_else(HttpError::not_found)
}

async fn show(
    State(woolly): State<Woolly>,
    auth: Auth,
    Path(key): Path<String>,
) -> Result<Json<GroupedNotificationsResultsEntity>, HttpError> {
    let (account, _) = auth.require(&[Scope::READ_NOTIFICATIONS])?.user()?;
    let found = group(&woolly, account.id, &key).await?;
    Ok(Json(GroupedNotificationsResultsEntity::new(
        &[found],
        account.id,
        woolly.config(),
    )))
}

async fn accounts(
    State(woolly): State<Woolly>,
    auth: Auth,
    Path(key): Path<String>,
) -> Result<Json<Vec<AccountEntity>>, HttpError> {
    let (account, _) = auth.require(&[Scope::READ_NOTIFICATIONS])?.user()?;
    let found = group(&woolly, account.id, &key).await?;
    Ok(Json(
        found
            .notifications
            .iter()
            .map(|notification| AccountEntity::new(&notification.account, None, woolly.config()))
            .collect(),
    ))
}

async fn dismiss(
    State(woolly): State<Woolly>,
    auth: Auth,
    Path(key): Path<String>,
) -> Result<Json<Value>, HttpError> {
    let (account, _) = auth.require(&[Scope::WRITE_NOTIFICATIONS])?.user()?;
    let found = group(&woolly, account.id, &key).await?;
    for notification in &found.notifications {
        woolly
            .notifications()
            .dismiss(account.id, Some(notification.id))
            .await?;
    }
    Ok(Json(json!({})))
}

#[derive(Debug, Default, Deserialize)]
struct UnreadParams {
    #[serde(default, deserialize_with = "lenient::id")]
    limit: Option<String>,
}

async fn unread_count(
    State(woolly): State<Woolly>,
    auth: Auth,
    ApiQuery(params): ApiQuery<UnreadParams>,
) -> Result<Json<UnreadCountEntity>, HttpError> {
    let (account, _) = auth.require(&[Scope::READ_NOTIFICATIONS])?.user()?;
    let limit = params
        .limit
        .as_deref()
        .and_then(|limit| limit.parse::<i64>().ok())
        .unwrap_or(100)
        .clamp(1, 1000);
    let count = woolly
        .notifications()
        .unread_count(account.id, limit)
        .await?;
    Ok(Json(UnreadCountEntity { count }))
}
