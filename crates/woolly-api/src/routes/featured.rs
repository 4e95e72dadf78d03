//! What accounts feature on their profiles: hashtags (`methods/featured_tags.md`, and
//! `/api/v1/tags/:name/feature` from Mastodon 4.4) and other accounts (`methods/endorsements.md`,
//! `/api/v1/accounts/:id/{pin,unpin,endorse,unendorse}`).

use axum::extract::{Path, State};
use axum::http::Uri;
use axum::routing::{delete, get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{Value, json};
use woolly_core::Woolly;
use woolly_core::accounts::Account;
use woolly_core::auth::Scope;
use woolly_core::featured::Endorsement;

use crate::auth::{Auth, optional_viewer, path_id};
use crate::entities::{FeaturedTagEntity, HashtagEntity, RelationshipEntity};
use woolly_http::error::HttpError;
use woolly_http::extract::{ApiParams, ApiQuery};
use woolly_http::pagination::{PageParams, PageSize, Paged};

pub(super) fn router() -> Router<Woolly> {
    Router::new()
        .route("/api/v1/featured_tags", get(index).post(create))
        .route("/api/v1/featured_tags/suggestions", get(suggestions))
        .route("/api/v1/featured_tags/{id}", delete(destroy))
        .route("/api/v1/accounts/{id}/featured_tags", get(of_account))
        .route("/api/v1/tags/{name}/feature", post(feature))
        .route("/api/v1/tags/{name}/unfeature", post(unfeature))
        .route("/api/v1/accounts/{id}/pin", post(endorse))
        .route("/api/v1/accounts/{id}/endorse", post(endorse))
        .route("/api/v1/accounts/{id}/unpin", post(unendorse))
        .route("/api/v1/accounts/{id}/unendorse", post(unendorse))
        .route("/api/v1/endorsements", get(own_endorsements))
        .route("/api/v1/accounts/{id}/endorsements", get(endorsements_of))
}

async fn featured_list(
    woolly: &Woolly,
    account: &Account,
) -> Result<Json<Vec<FeaturedTagEntity>>, HttpError> {
    let tags = woolly.tags().featured_tags(account.id).await?;
    Ok(Json(
        tags.iter()
            .map(|tag| FeaturedTagEntity::new(account, tag, woolly.config()))
            .collect(),
    ))
}

async fn index(
    State(woolly): State<Woolly>,
    auth: Auth,
) -> Result<Json<Vec<FeaturedTagEntity>>, HttpError> {
    let (account, _) = auth.require(&[Scope::READ_ACCOUNTS])?.user()?;
    featured_list(&woolly, account).await
}

async fn of_account(
    State(woolly): State<Woolly>,
    auth: Option<Auth>,
    Path(id): Path<String>,
) -> Result<Json<Vec<FeaturedTagEntity>>, HttpError> {
    optional_viewer(&auth, &[Scope::READ_ACCOUNTS])?;
    let account = woolly
        .accounts()
        .account(path_id(&id)?)
        .await?
        .ok_or_else(HttpError::not_found)?;
    featured_list(&woolly, &account).await
}

#[derive(Debug, Default, Deserialize)]
struct FeatureParams {
    #[serde(default)]
    name: String,
}

async fn create(
    State(woolly): State<Woolly>,
    auth: Auth,
    ApiParams(params): ApiParams<FeatureParams>,
) -> Result<Json<FeaturedTagEntity>, HttpError> {
    let (account, _) = auth.require(&[Scope::WRITE_ACCOUNTS])?.user()?;
    let tag = woolly.tags().feature_tag(account, &params.name).await?;
    Ok(Json(FeaturedTagEntity::new(account, &tag, woolly.config())))
}

async fn destroy(
    State(woolly): State<Woolly>,
    auth: Auth,
    Path(id): Path<String>,
) -> Result<Json<Value>, HttpError> {
    let (account, _) = auth.require(&[Scope::WRITE_ACCOUNTS])?.user()?;
    woolly
        .tags()
        .unfeature_tag(account, Some(path_id(&id)?), None)
        .await?;
    Ok(Json(json!({})))
}

async fn suggestions(
    State(woolly): State<Woolly>,
    auth: Auth,
) -> Result<Json<Vec<HashtagEntity>>, HttpError> {
    let (account, _) = auth.require(&[Scope::READ_ACCOUNTS])?.user()?;
    let tags = woolly.tags().featured_tag_suggestions(account).await?;
    Ok(Json(
        tags.iter()
            .map(|tag| HashtagEntity::new(tag, woolly.config()))
            .collect(),
    ))
}

async fn set_featured(
    woolly: &Woolly,
    auth: &Auth,
    name: &str,
    feature: bool,
) -> Result<Json<HashtagEntity>, HttpError> {
    let (account, _) = auth.require(&[Scope::WRITE_ACCOUNTS])?.user()?;
    if feature {
        woolly.tags().feature_tag(account, name).await?;
    } else {
        woolly
            .tags()
            .unfeature_tag(account, None, Some(name))
            .await?;
    }
    let tag = woolly.tags().tag(Some(account.id), name).await?;
    Ok(Json(HashtagEntity::new(&tag, woolly.config())))
}

async fn feature(
    State(woolly): State<Woolly>,
    auth: Auth,
    Path(name): Path<String>,
) -> Result<Json<HashtagEntity>, HttpError> {
    set_featured(&woolly, &auth, &name, true).await
}

async fn unfeature(
    State(woolly): State<Woolly>,
    auth: Auth,
    Path(name): Path<String>,
) -> Result<Json<HashtagEntity>, HttpError> {
    set_featured(&woolly, &auth, &name, false).await
}

async fn set_endorsed(
    woolly: &Woolly,
    auth: &Auth,
    id: &str,
    endorsement: Endorsement,
) -> Result<Json<RelationshipEntity>, HttpError> {
    let (account, _) = auth.require(&[Scope::WRITE_ACCOUNTS])?.user()?;
    let relationship = woolly
        .relations()
        .endorse(account, path_id(id)?, endorsement)
        .await?;
    Ok(Json(RelationshipEntity::new(&relationship)))
}

async fn endorse(
    State(woolly): State<Woolly>,
    auth: Auth,
    Path(id): Path<String>,
) -> Result<Json<RelationshipEntity>, HttpError> {
    set_endorsed(&woolly, &auth, &id, Endorsement::Endorse).await
}

async fn unendorse(
    State(woolly): State<Woolly>,
    auth: Auth,
    Path(id): Path<String>,
) -> Result<Json<RelationshipEntity>, HttpError> {
    set_endorsed(&woolly, &auth, &id, Endorsement::Unendorse).await
}

async fn own_endorsements(
    State(woolly): State<Woolly>,
    auth: Auth,
    ApiQuery(params): ApiQuery<PageParams>,
    uri: Uri,
) -> Result<Paged<crate::entities::AccountEntity>, HttpError> {
    let (account, _) = auth.require(&[Scope::READ_ACCOUNTS])?.user()?;
    let rows = woolly
        .relations()
        .endorsements(
            Some(account.id),
            account.id,
            params.page(PageSize::ACCOUNTS)?,
        )
        .await?;
    Ok(super::statuses::accounts_page(&woolly, rows, &uri))
}

async fn endorsements_of(
    State(woolly): State<Woolly>,
    auth: Option<Auth>,
    Path(id): Path<String>,
    ApiQuery(params): ApiQuery<PageParams>,
    uri: Uri,
) -> Result<Paged<crate::entities::AccountEntity>, HttpError> {
    let viewer = optional_viewer(&auth, &[Scope::READ_ACCOUNTS])?;
    let account = woolly
        .accounts()
        .account(path_id(&id)?)
        .await?
        .ok_or_else(HttpError::not_found)?;
    let rows = woolly
        .relations()
        .endorsements(viewer, account.id, params.page(PageSize::ACCOUNTS)?)
        .await?;
    Ok(super::statuses::accounts_page(&woolly, rows, &uri))
}
