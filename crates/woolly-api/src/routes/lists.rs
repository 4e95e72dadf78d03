//! Lists (`methods/lists.md`): the caller's lists, their members, the lists an account is in
//! (`GET /api/v1/accounts/:id/lists`) and a list's timeline (`GET /api/v1/timelines/list/:id`).
//! Another user's list is answered as a missing one: 404.

use axum::extract::{Path, State};
use axum::http::Uri;
use axum::routing::get;
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{Value, json};
use woolly_core::Woolly;
use woolly_core::auth::Scope;
use woolly_core::lists::{ListEdit, RepliesPolicy};

use crate::auth::{Auth, path_id};
use crate::entities::{AccountEntity, ListEntity, StatusEntity};
use woolly_http::error::HttpError;
use woolly_http::extract::{ApiParams, ApiQuery};
use woolly_http::lenient;
use woolly_http::pagination::{PageParams, PageSize, Paged};

pub(super) fn router() -> Router<Woolly> {
    Router::new()
        .route("/api/v1/lists", get(index).post(create))
        .route("/api/v1/lists/{id}", get(show).put(update).delete(destroy))
        .route(
            "/api/v1/lists/{id}/accounts",
            get(members).post(add_members).delete(remove_members),
        )
        .route("/api/v1/accounts/{id}/lists", get(containing))
        .route("/api/v1/timelines/list/{id}", get(timeline))
}

async fn index(
    State(woolly): State<Woolly>,
    auth: Auth,
) -> Result<Json<Vec<ListEntity>>, HttpError> {
    let (account, _) = auth.require(&[Scope::READ_LISTS])?.user()?;
    let lists = woolly.lists().all(account.id).await?;
    Ok(Json(lists.iter().map(ListEntity::new).collect()))
}

async fn show(
    State(woolly): State<Woolly>,
    auth: Auth,
    Path(id): Path<String>,
) -> Result<Json<ListEntity>, HttpError> {
    let (account, _) = auth.require(&[Scope::READ_LISTS])?.user()?;
    let list = woolly.lists().get(account.id, path_id(&id)?).await?;
    Ok(Json(ListEntity::new(&list)))
}

#[derive(Debug, Default, Deserialize)]
struct ListParams {
    title: Option<String>,
    replies_policy: Option<String>,
    #[serde(default, deserialize_with = "lenient::boolean")]
    exclusive: Option<bool>,
}

impl ListParams {
    fn edit(self) -> Result<ListEdit, HttpError> {
        let replies_policy = match self.replies_policy.as_deref() {
            None | Some("") => None,
            Some(text) => Some(RepliesPolicy::parse(text)?),
        };
        Ok(ListEdit {
            title: self.title,
            replies_policy,
            exclusive: self.exclusive,
        })
    }
}

async fn create(
    State(woolly): State<Woolly>,
    auth: Auth,
    ApiParams(params): ApiParams<ListParams>,
) -> Result<Json<ListEntity>, HttpError> {
    let (account, _) = auth.require(&[Scope::WRITE_LISTS])?.user()?;
    let list = woolly.lists().create(account, params.edit()?).await?;
    Ok(Json(ListEntity::new(&list)))
}

/// Mastodon updates only the attributes given.
async fn update(
    State(woolly): State<Woolly>,
    auth: Auth,
    Path(id): Path<String>,
    ApiParams(params): ApiParams<ListParams>,
) -> Result<Json<ListEntity>, HttpError> {
    let (account, _) = auth.require(&[Scope::WRITE_LISTS])?.user()?;
    let list = woolly
        .lists()
        .update(account, path_id(&id)?, params.edit()?)
        .await?;
    Ok(Json(ListEntity::new(&list)))
}

async fn destroy(
    State(woolly): State<Woolly>,
    auth: Auth,
    Path(id): Path<String>,
) -> Result<Json<Value>, HttpError> {
    let (account, _) = auth.require(&[Scope::WRITE_LISTS])?.user()?;
    woolly.lists().delete(account, path_id(&id)?).await?;
    Ok(Json(json!({})))
}

/// `limit=0` asks for every member at once, without a `Link` header.
async fn members(
    State(woolly): State<Woolly>,
    auth: Auth,
    Path(id): Path<String>,
    ApiQuery(params): ApiQuery<PageParams>,
    uri: Uri,
) -> Result<Paged<AccountEntity>, HttpError> {
    let (account, _) = auth.require(&[Scope::READ_LISTS])?.user()?;
    let everyone = params
        .limit
        .as_deref()
        .is_some_and(|limit| limit.trim().parse::<i64>() == Ok(0));
    let page = if everyone {
        None
    } else {
        Some(params.page(PageSize::ACCOUNTS)?)
    };
    let rows = woolly
        .lists()
        .members(account.id, path_id(&id)?, page)
        .await?;
    if everyone {
        let items = rows
            .iter()
            .map(|(_, member)| AccountEntity::new(member, None, woolly.config()))
            .collect();
        return Ok(Paged { items, link: None });
    }
    Ok(super::statuses::accounts_page(&woolly, rows, &uri))
}

#[derive(Debug, Default, Deserialize)]
struct MembersParams {
    #[serde(default, deserialize_with = "lenient::list")]
    account_ids: Vec<String>,
}

impl MembersParams {
    /// The account ids; one that is not a number names no account (404, as in Mastodon).
    fn ids(&self) -> Result<Vec<i64>, HttpError> {
        self.account_ids.iter().map(|id| path_id(id)).collect()
    }
}

async fn add_members(
    State(woolly): State<Woolly>,
    auth: Auth,
    Path(id): Path<String>,
    ApiParams(params): ApiParams<MembersParams>,
) -> Result<Json<Value>, HttpError> {
    let (account, _) = auth.require(&[Scope::WRITE_LISTS])?.user()?;
    woolly
        .lists()
        .add_members(account, path_id(&id)?, &params.ids()?)
        .await?;
    Ok(Json(json!({})))
}

async fn remove_members(
    State(woolly): State<Woolly>,
    auth: Auth,
    Path(id): Path<String>,
    ApiParams(params): ApiParams<MembersParams>,
) -> Result<Json<Value>, HttpError> {
    let (account, _) = auth.require(&[Scope::WRITE_LISTS])?.user()?;
    // Ids that are not numbers name no member: nothing to remove.
    let ids: Vec<i64> = params
        .account_ids
        .iter()
        .filter_map(|id| id.parse().ok())
        .collect();
    woolly
        .lists()
        .remove_members(account, path_id(&id)?, &ids)
        .await?;
    Ok(Json(json!({})))
}

/// The caller's lists that contain an account.
async fn containing(
    State(woolly): State<Woolly>,
    auth: Auth,
    Path(id): Path<String>,
) -> Result<Json<Vec<ListEntity>>, HttpError> {
    let (account, _) = auth.require(&[Scope::READ_LISTS])?.user()?;
    let lists = woolly.lists().containing(account.id, path_id(&id)?).await?;
    Ok(Json(lists.iter().map(ListEntity::new).collect()))
}

async fn timeline(
    State(woolly): State<Woolly>,
    auth: Auth,
    Path(id): Path<String>,
    ApiQuery(params): ApiQuery<PageParams>,
    uri: Uri,
) -> Result<Paged<StatusEntity>, HttpError> {
    let (account, _) = auth.require(&[Scope::READ_LISTS])?.user()?;
    let listing = woolly
        .timelines()
        .list(account.id, path_id(&id)?, params.page(PageSize::STATUSES)?)
        .await?;
    Ok(super::timelines::listed_page(
        &woolly,
        &listing,
        Some(account.id),
        &uri,
    ))
}
