//! The notification policy and the requests it fills (`methods/notifications.md`, Mastodon
//! 4.3): `GET|PATCH /api/v2/notifications/policy` (accept, filter or drop per rule),
//! `GET|PUT /api/v1/notifications/policy` (the first, boolean shape), and
//! `/api/v1/notifications/requests` to list, show, accept and dismiss the mentions kept aside,
//! one by one or several at once.

use axum::extract::{Path, State};
use axum::http::Uri;
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{Value, json};
use woolly_core::Woolly;
use woolly_core::auth::Scope;
use woolly_core::notification_policy::{PolicyAction, PolicyChanges, Settlement};

use crate::auth::{Auth, path_id};
use crate::entities::{
    NotificationPolicyEntity, NotificationRequestEntity, V1NotificationPolicyEntity,
};
use woolly_http::error::HttpError;
use woolly_http::extract::{ApiParams, ApiQuery};
use woolly_http::lenient;
use woolly_http::pagination::{PageParams, PageSize, Paged};

pub(super) fn router() -> Router<Woolly> {
    Router::new()
        .route(
            "/api/v2/notifications/policy",
            get(policy).patch(change_policy),
        )
        .route(
            "/api/v1/notifications/policy",
            get(policy_v1).put(change_policy_v1).patch(change_policy_v1),
        )
        .route("/api/v1/notifications/requests", get(requests))
        .route("/api/v1/notifications/requests/merged", get(merged))
        .route("/api/v1/notifications/requests/accept", post(accept_many))
        .route("/api/v1/notifications/requests/dismiss", post(dismiss_many))
        .route("/api/v1/notifications/requests/{id}", get(request))
        .route("/api/v1/notifications/requests/{id}/accept", post(accept))
        .route("/api/v1/notifications/requests/{id}/dismiss", post(dismiss))
}

async fn policy(
    State(woolly): State<Woolly>,
    auth: Auth,
) -> Result<Json<NotificationPolicyEntity>, HttpError> {
    let (account, _) = auth.require(&[Scope::READ_NOTIFICATIONS])?.user()?;
    let summary = woolly.notifications().policy(account.id).await?;
    Ok(Json(NotificationPolicyEntity::new(&summary)))
}

#[derive(Debug, Default, Deserialize)]
struct PolicyParams {
    for_not_following: Option<String>,
    for_not_followers: Option<String>,
    for_new_accounts: Option<String>,
    for_private_mentions: Option<String>,
    for_limited_accounts: Option<String>,
}

impl PolicyParams {
    fn changes(&self) -> Result<PolicyChanges, HttpError> {
        Ok(PolicyChanges::parse([
            self.for_not_following.as_deref(),
            self.for_not_followers.as_deref(),
            self.for_new_accounts.as_deref(),
            self.for_private_mentions.as_deref(),
            self.for_limited_accounts.as_deref(),
        ])?)
    }
}

async fn change_policy(
    State(woolly): State<Woolly>,
    auth: Auth,
    ApiParams(params): ApiParams<PolicyParams>,
) -> Result<Json<NotificationPolicyEntity>, HttpError> {
    let (account, _) = auth.require(&[Scope::WRITE_NOTIFICATIONS])?.user()?;
    let summary = woolly
        .notifications()
        .change_policy(account.id, params.changes()?)
        .await?;
    Ok(Json(NotificationPolicyEntity::new(&summary)))
}

async fn policy_v1(
    State(woolly): State<Woolly>,
    auth: Auth,
) -> Result<Json<V1NotificationPolicyEntity>, HttpError> {
    let (account, _) = auth.require(&[Scope::READ_NOTIFICATIONS])?.user()?;
    let summary = woolly.notifications().policy(account.id).await?;
    Ok(Json(V1NotificationPolicyEntity::new(&summary)))
}

/// v1 speaks booleans: `true` filters, `false` accepts.
#[derive(Debug, Default, Deserialize)]
struct V1PolicyParams {
    #[serde(default, deserialize_with = "lenient::boolean")]
    filter_not_following: Option<bool>,
    #[serde(default, deserialize_with = "lenient::boolean")]
    filter_not_followers: Option<bool>,
    #[serde(default, deserialize_with = "lenient::boolean")]
    filter_new_accounts: Option<bool>,
    #[serde(default, deserialize_with = "lenient::boolean")]
    filter_private_mentions: Option<bool>,
}

async fn change_policy_v1(
    State(woolly): State<Woolly>,
    auth: Auth,
    ApiParams(params): ApiParams<V1PolicyParams>,
) -> Result<Json<V1NotificationPolicyEntity>, HttpError> {
    let (account, _) = auth.require(&[Scope::WRITE_NOTIFICATIONS])?.user()?;
    let action = |filter: Option<bool>| {
        filter.map(|filter| {
            if filter {
                PolicyAction::Filter
            } else {
                PolicyAction::Accept
            }
        })
    };
    let changes = PolicyChanges {
        for_not_following: action(params.filter_not_following),
        for_not_followers: action(params.filter_not_followers),
        for_new_accounts: action(params.filter_new_accounts),
        for_private_mentions: action(params.filter_private_mentions),
        for_limited_accounts: None,
    };
    let summary = woolly
        .notifications()
        .change_policy(account.id, changes)
        .await?;
    Ok(Json(V1NotificationPolicyEntity::new(&summary)))
}

async fn requests(
    State(woolly): State<Woolly>,
    auth: Auth,
    ApiQuery(params): ApiQuery<PageParams>,
    uri: Uri,
) -> Result<Paged<NotificationRequestEntity>, HttpError> {
    let (account, _) = auth.require(&[Scope::READ_NOTIFICATIONS])?.user()?;
    let (requests, cursors) = woolly
        .notifications()
        .requests(account.id, params.page(PageSize::ACCOUNTS)?)
        .await?;
    let items = requests
        .iter()
        .map(|request| NotificationRequestEntity::new(request, account.id, woolly.config()))
        .collect();
    Ok(Paged::new(items, cursors, woolly.config(), &uri))
}

async fn request(
    State(woolly): State<Woolly>,
    auth: Auth,
    Path(id): Path<String>,
) -> Result<Json<NotificationRequestEntity>, HttpError> {
    let (account, _) = auth.require(&[Scope::READ_NOTIFICATIONS])?.user()?;
    let request = woolly
        .notifications()
        .request(account.id, path_id(&id)?)
        .await?;
    Ok(Json(NotificationRequestEntity::new(
        &request,
        account.id,
        woolly.config(),
    )))
}

/// Accepted requests are merged at once here (Mastodon merges them in a job and tells apps
/// when it is done through this).
async fn merged(auth: Auth) -> Result<Json<Value>, HttpError> {
    auth.require(&[Scope::READ_NOTIFICATIONS])?.user()?;
    Ok(Json(json!({ "merged": true })))
}

async fn accept(
    State(woolly): State<Woolly>,
    auth: Auth,
    Path(id): Path<String>,
) -> Result<Json<Value>, HttpError> {
    settle(&woolly, &auth, &[path_id(&id)?], Settlement::Accept, true).await
}

async fn dismiss(
    State(woolly): State<Woolly>,
    auth: Auth,
    Path(id): Path<String>,
) -> Result<Json<Value>, HttpError> {
    settle(&woolly, &auth, &[path_id(&id)?], Settlement::Dismiss, true).await
}

/// Accepts or dismisses the member's requests `ids` (`one`: a single one named in the path).
async fn settle(
    woolly: &Woolly,
    auth: &Auth,
    ids: &[i64],
    settlement: Settlement,
    one: bool,
) -> Result<Json<Value>, HttpError> {
    let (account, _) = auth.require(&[Scope::WRITE_NOTIFICATIONS])?.user()?;
    woolly
        .notifications()
        .settle_requests(account.id, ids, settlement, one)
        .await?;
    Ok(Json(json!({})))
}

#[derive(Debug, Default, Deserialize)]
struct ManyParams {
    #[serde(default, deserialize_with = "lenient::list")]
    id: Vec<String>,
}

impl ManyParams {
    /// The ids; one that is not a number names no request of the member's, and is passed over
    /// as Mastodon passes over others' ids.
    fn ids(&self) -> Vec<i64> {
        self.id.iter().filter_map(|id| id.parse().ok()).collect()
    }
}

async fn accept_many(
    State(woolly): State<Woolly>,
    auth: Auth,
    ApiParams(params): ApiParams<ManyParams>,
) -> Result<Json<Value>, HttpError> {
    settle(&woolly, &auth, &params.ids(), Settlement::Accept, false).await
}

async fn dismiss_many(
    State(woolly): State<Woolly>,
    auth: Auth,
    ApiParams(params): ApiParams<ManyParams>,
) -> Result<Json<Value>, HttpError> {
    settle(&woolly, &auth, &params.ids(), Settlement::Dismiss, false).await
}
