//! Hashtags (`methods/tags.md`, `methods/followed_tags.md`) and two small account tools:
//! private notes (`POST /accounts/:id/note`) and familiar followers.

use axum::extract::{Path, State};
use axum::http::Uri;
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use woolly_core::Woolly;
use woolly_core::auth::Scope;

use crate::auth::{Auth, optional_viewer, path_id};
use crate::entities::{AccountEntity, FamiliarFollowersEntity, HashtagEntity, RelationshipEntity};
use woolly_http::error::HttpError;
use woolly_http::extract::{ApiParams, ApiQuery};
use woolly_http::lenient;
use woolly_http::pagination::{PageParams, PageSize, Paged};

pub(super) fn router() -> Router<Woolly> {
    Router::new()
        .route("/api/v1/tags/{name}", get(show))
        .route("/api/v1/tags/{name}/follow", post(follow))
        .route("/api/v1/tags/{name}/unfollow", post(unfollow))
        .route("/api/v1/followed_tags", get(followed))
        .route("/api/v1/accounts/{id}/note", post(note))
        .route(
            "/api/v1/accounts/familiar_followers",
            get(familiar_followers),
        )
}

async fn show(
    State(woolly): State<Woolly>,
    auth: Option<Auth>,
    Path(name): Path<String>,
) -> Result<Json<HashtagEntity>, HttpError> {
    let viewer = optional_viewer(&auth, &[Scope::READ_FOLLOWS, Scope::READ_ACCOUNTS])?;
    Ok(Json(HashtagEntity::new(
        &woolly.tags().tag(viewer, &name).await?,
        woolly.config(),
    )))
}

async fn set_following(
    woolly: &Woolly,
    auth: &Auth,
    name: &str,
    follow: bool,
) -> Result<Json<HashtagEntity>, HttpError> {
    let (account, _) = auth
        .require(&[Scope::FOLLOW, Scope::WRITE_FOLLOWS])?
        .user()?;
    Ok(Json(HashtagEntity::new(
        &woolly.tags().follow_tag(account, name, follow).await?,
        woolly.config(),
    )))
}

async fn follow(
    State(woolly): State<Woolly>,
    auth: Auth,
    Path(name): Path<String>,
) -> Result<Json<HashtagEntity>, HttpError> {
    set_following(&woolly, &auth, &name, true).await
}

async fn unfollow(
    State(woolly): State<Woolly>,
    auth: Auth,
    Path(name): Path<String>,
) -> Result<Json<HashtagEntity>, HttpError> {
    set_following(&woolly, &auth, &name, false).await
}

async fn followed(
    State(woolly): State<Woolly>,
    auth: Auth,
    ApiQuery(params): ApiQuery<PageParams>,
    uri: Uri,
) -> Result<Paged<HashtagEntity>, HttpError> {
    let (account, _) = auth
        .require(&[Scope::FOLLOW, Scope::READ_FOLLOWS])?
        .user()?;
    let (tags, cursors) = woolly
        .tags()
        .followed_tags(account, params.page(PageSize::FOLLOWED_TAGS)?)
        .await?;
    let items = tags
        .iter()
        .map(|tag| HashtagEntity::new(tag, woolly.config()))
        .collect();
    Ok(Paged::new(items, cursors, woolly.config(), &uri))
}

#[derive(Debug, Default, Deserialize)]
struct NoteParams {
    #[serde(default)]
    comment: String,
}

async fn note(
    State(woolly): State<Woolly>,
    auth: Auth,
    Path(id): Path<String>,
    ApiParams(params): ApiParams<NoteParams>,
) -> Result<Json<RelationshipEntity>, HttpError> {
    let (account, _) = auth.require(&[Scope::WRITE_ACCOUNTS])?.user()?;
    let relationship = woolly
        .relations()
        .set_note(account, path_id(&id)?, &params.comment)
        .await?;
    Ok(Json(RelationshipEntity::new(&relationship)))
}

#[derive(Debug, Default, Deserialize)]
struct FamiliarParams {
    #[serde(default, deserialize_with = "lenient::list")]
    id: Vec<String>,
}

async fn familiar_followers(
    State(woolly): State<Woolly>,
    auth: Auth,
    ApiQuery(params): ApiQuery<FamiliarParams>,
) -> Result<Json<Vec<FamiliarFollowersEntity>>, HttpError> {
    let (account, _) = auth
        .require(&[Scope::FOLLOW, Scope::READ_FOLLOWS])?
        .user()?;
    let ids: Vec<i64> = params
        .id
        .iter()
        .filter_map(|id| id.parse().ok())
        .take(40)
        .collect();
    let found = woolly
        .relations()
        .familiar_followers(account.id, &ids)
        .await?;
    Ok(Json(
        found
            .iter()
            .map(|(target, accounts)| FamiliarFollowersEntity {
                id: target.to_string(),
                accounts: accounts
                    .iter()
                    .map(|account| AccountEntity::new(account, None, woolly.config()))
                    .collect(),
            })
            .collect(),
    ))
}
