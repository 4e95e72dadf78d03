//! The moderators' accounts (`methods/admin/accounts.md`): listing them with Mastodon's
//! filters (v1 and v2), reading one, acting on one (warn, mark sensitive, disable, silence,
//! suspend), undoing each, approving and rejecting sign-ups, and ending a suspended account's
//! data. Who may do which is decided in core: a role without the permission gets 403.

use axum::extract::{Path, State};
use axum::http::Uri;
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use woolly_core::account_moderation::{
    AccountAction, AccountActionKind, ModeratedAccount, Moderator, Reversal,
};
use woolly_core::auth::Scope;
use woolly_core::{AccountState, AdminAccountFilter, Woolly};

use crate::auth::{Auth, path_id};
use crate::entities::{AdminAccountEntity, role_with_id};
use woolly_http::error::HttpError;
use woolly_http::extract::{ApiParams, ApiQuery};
use woolly_http::lenient;
use woolly_http::pagination::{PageParams, PageSize, Paged};

pub(super) fn router() -> Router<Woolly> {
    Router::new()
        .route("/api/v1/admin/accounts", get(index_v1))
        .route("/api/v2/admin/accounts", get(index_v2))
        .route("/api/v1/admin/accounts/{id}", get(show).delete(destroy))
        .route("/api/v1/admin/accounts/{id}/action", post(act))
        .route("/api/v1/admin/accounts/{id}/{change}", post(change))
}

/// `GET /api/v1/admin/accounts`'s filters: one flag per origin and state.
#[derive(Debug, Default, Deserialize)]
struct V1Query {
    #[serde(default, deserialize_with = "lenient::boolean")]
    local: Option<bool>,
    #[serde(default, deserialize_with = "lenient::boolean")]
    remote: Option<bool>,
    #[serde(default, deserialize_with = "lenient::boolean")]
    active: Option<bool>,
    #[serde(default, deserialize_with = "lenient::boolean")]
    pending: Option<bool>,
    #[serde(default, deserialize_with = "lenient::boolean")]
    disabled: Option<bool>,
    #[serde(default, deserialize_with = "lenient::boolean")]
    sensitized: Option<bool>,
    #[serde(default, deserialize_with = "lenient::boolean")]
    silenced: Option<bool>,
    #[serde(default, deserialize_with = "lenient::boolean")]
    suspended: Option<bool>,
    #[serde(default, deserialize_with = "lenient::boolean")]
    staff: Option<bool>,
    #[serde(flatten)]
    common: CommonFilters,
}

/// `GET /api/v2/admin/accounts`'s filters.
#[derive(Debug, Default, Deserialize)]
struct V2Query {
    #[serde(default)]
    origin: Option<String>,
    #[serde(default)]
    status: Option<String>,
    #[serde(default)]
    permissions: Option<String>,
    #[serde(default, deserialize_with = "lenient::list")]
    role_ids: Vec<String>,
    #[serde(default, deserialize_with = "lenient::id")]
    invited_by: Option<String>,
    #[serde(flatten)]
    common: CommonFilters,
}

/// The filters both versions share, and the page.
#[derive(Debug, Default, Deserialize)]
struct CommonFilters {
    #[serde(default)]
    username: Option<String>,
    #[serde(default)]
    display_name: Option<String>,
    #[serde(default)]
    by_domain: Option<String>,
    #[serde(default)]
    email: Option<String>,
    #[serde(default)]
    ip: Option<String>,
    #[serde(flatten)]
    page: PageParams,
}

fn given(text: &Option<String>) -> Option<String> {
    text.as_deref()
        .map(str::trim)
        .filter(|text| !text.is_empty())
        .map(str::to_owned)
}

impl CommonFilters {
    fn filter(&self) -> AdminAccountFilter {
        AdminAccountFilter {
            username: given(&self.username),
            display_name: given(&self.display_name),
            domain: given(&self.by_domain),
            email: given(&self.email),
            ip: given(&self.ip),
            ..AdminAccountFilter::default()
        }
    }
}

/// The staff roles, as Mastodon's `permissions=staff` and v1's `staff` select them.
fn staff_roles() -> Vec<String> {
    ["moderator", "admin", "owner"].map(str::to_owned).to_vec()
}

fn state_named(name: &str) -> Result<AccountState, HttpError> {
    AccountState::named(name)
        .ok_or_else(|| HttpError::unprocessable(format!("Unknown filter: status={name}")))
}

/// `GET /api/v1/admin/accounts`.
async fn index_v1(
    State(woolly): State<Woolly>,
    auth: Auth,
    ApiQuery(query): ApiQuery<V1Query>,
    uri: Uri,
) -> Result<Paged<AdminAccountEntity>, HttpError> {
    let mut filter = query.common.filter();
    filter.local = match (query.local, query.remote) {
        (Some(true), _) => Some(true),
        (_, Some(true)) => Some(false),
        _ => None,
    };
    let flags = [
        (query.active, AccountState::Active),
        (query.pending, AccountState::Pending),
        (query.disabled, AccountState::Disabled),
        (query.sensitized, AccountState::Sensitized),
        (query.silenced, AccountState::Silenced),
        (query.suspended, AccountState::Suspended),
    ];
    filter.state = flags
        .into_iter()
        .find(|(flag, _)| *flag == Some(true))
        .map(|(_, state)| state);
    if query.staff == Some(true) {
        filter.roles = staff_roles();
    }
    listing(&woolly, auth, filter, &query.common.page, &uri).await
}

/// `GET /api/v2/admin/accounts`.
async fn index_v2(
    State(woolly): State<Woolly>,
    auth: Auth,
    ApiQuery(query): ApiQuery<V2Query>,
    uri: Uri,
) -> Result<Paged<AdminAccountEntity>, HttpError> {
    let mut filter = query.common.filter();
    filter.local = match given(&query.origin).as_deref() {
        None => None,
        Some("local") => Some(true),
        Some("remote") => Some(false),
        Some(other) => {
            return Err(HttpError::unprocessable(format!(
                "Unknown filter: origin={other}"
            )));
        }
    };
    filter.state = given(&query.status)
        .as_deref()
        .map(state_named)
        .transpose()?;
    match given(&query.permissions).as_deref() {
        None => {}
        Some("staff") => filter.roles = staff_roles(),
        Some(other) => {
            return Err(HttpError::unprocessable(format!(
                "Unknown filter: permissions={other}"
            )));
        }
    }
    if !query.role_ids.is_empty() {
        let named: Vec<String> = query
            .role_ids
            .iter()
            .filter_map(|id| role_with_id(id))
            .map(|role| role.as_str().to_owned())
            .collect();
        filter.roles = if filter.roles.is_empty() {
            named
        } else {
            filter
                .roles
                .into_iter()
                .filter(|role| named.contains(role))
                .collect()
        };
        if filter.roles.is_empty() {
            // Roles that name nobody select nobody (an empty list would select everyone).
            filter.roles.push(String::from("none"));
        }
    }
    filter.invited_by = query.invited_by.as_deref().map(path_id).transpose()?;
    listing(&woolly, auth, filter, &query.common.page, &uri).await
}

async fn listing(
    woolly: &Woolly,
    auth: Auth,
    filter: AdminAccountFilter,
    page: &PageParams,
    uri: &Uri,
) -> Result<Paged<AdminAccountEntity>, HttpError> {
    let (account, user) = auth.require(&[Scope::ADMIN_READ_ACCOUNTS])?.user()?;
    let by = Moderator::Staff { account, user };
    let accounts = woolly
        .moderation()
        .accounts_page(by, &filter, page.page(PageSize::ADMIN_ACCOUNTS)?)
        .await?;
    let cursors = accounts
        .first()
        .zip(accounts.last())
        .map(|(newest, oldest)| (newest.account.id, oldest.account.id));
    let items = accounts.iter().map(|found| entity(found, woolly)).collect();
    Ok(Paged::new(items, cursors, woolly.config(), uri))
}

fn entity(found: &ModeratedAccount, woolly: &Woolly) -> AdminAccountEntity {
    AdminAccountEntity::new(&found.account, found.user.as_ref(), woolly.config())
}

/// `GET /api/v1/admin/accounts/:id`.
async fn show(
    State(woolly): State<Woolly>,
    auth: Auth,
    Path(id): Path<String>,
) -> Result<Json<AdminAccountEntity>, HttpError> {
    let (account, user) = auth.require(&[Scope::ADMIN_READ_ACCOUNTS])?.user()?;
    let by = Moderator::Staff { account, user };
    let found = woolly.moderation().account_by_id(by, path_id(&id)?).await?;
    Ok(Json(entity(&found, &woolly)))
}

#[derive(Debug, Default, Deserialize)]
struct ActionParams {
    #[serde(default, rename = "type")]
    kind: Option<String>,
    #[serde(default, deserialize_with = "lenient::id")]
    report_id: Option<String>,
    #[serde(default)]
    text: Option<String>,
    #[serde(default, deserialize_with = "lenient::boolean")]
    send_email_notification: Option<bool>,
}

/// `POST /api/v1/admin/accounts/:id/action`: answers `{}`, as Mastodon does.
async fn act(
    State(woolly): State<Woolly>,
    auth: Auth,
    Path(id): Path<String>,
    ApiParams(params): ApiParams<ActionParams>,
) -> Result<Json<serde_json::Value>, HttpError> {
    let (account, user) = auth.require(&[Scope::ADMIN_WRITE_ACCOUNTS])?.user()?;
    let by = Moderator::Staff { account, user };
    let kind = AccountActionKind::parse(params.kind.as_deref().unwrap_or("none").trim())?;
    let action = AccountAction {
        kind,
        report_id: params.report_id.as_deref().map(path_id).transpose()?,
        text: params.text.unwrap_or_default(),
        notify: params.send_email_notification.unwrap_or(true),
    };
    woolly
        .moderation()
        .act_on_account(by, path_id(&id)?, action)
        .await?;
    Ok(Json(serde_json::json!({})))
}

/// `POST /api/v1/admin/accounts/:id/{approve,reject,enable,unsensitive,unsilence,unsuspend}`.
async fn change(
    State(woolly): State<Woolly>,
    auth: Auth,
    Path((id, change)): Path<(String, String)>,
) -> Result<Json<AdminAccountEntity>, HttpError> {
    let (account, user) = auth.require(&[Scope::ADMIN_WRITE_ACCOUNTS])?.user()?;
    let by = Moderator::Staff { account, user };
    let id = path_id(&id)?;
    let moderation = woolly.moderation();
    let found = match change.as_str() {
        "approve" => moderation.approve(by, id).await?,
        "reject" => moderation.reject(by, id).await?,
        name => {
            let reversal = Reversal::parse(name).ok_or_else(HttpError::not_found)?;
            moderation.reverse(by, id, reversal).await?
        }
    };
    Ok(Json(entity(&found, &woolly)))
}

/// `DELETE /api/v1/admin/accounts/:id`: ends a suspended account's data now.
async fn destroy(
    State(woolly): State<Woolly>,
    auth: Auth,
    Path(id): Path<String>,
) -> Result<Json<AdminAccountEntity>, HttpError> {
    let (account, user) = auth.require(&[Scope::ADMIN_WRITE_ACCOUNTS])?.user()?;
    let by = Moderator::Staff { account, user };
    let found = woolly
        .moderation()
        .delete_account_data(by, path_id(&id)?)
        .await?;
    Ok(Json(entity(&found, &woolly)))
}
