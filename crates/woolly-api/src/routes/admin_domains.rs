//! How this server deals with other servers, for admins (`methods/admin/domain_blocks.md`,
//! `methods/admin/domain_allows.md`): blocks with their severity and options, listed, read,
//! made, changed and lifted; allows for limited federation; and for everyone, as the operator
//! chooses, the public list of blocked servers (`GET /api/v1/instance/domain_blocks`).

use axum::extract::{Path, State};
use axum::http::Uri;
use axum::routing::get;
use axum::{Json, Router};
use serde::Deserialize;
use woolly_core::Woolly;
use woolly_core::account_moderation::Moderator;
use woolly_core::auth::Scope;
use woolly_core::instance_domain_blocks::{DomainBlockChange, Severity};

use crate::auth::{Auth, path_id};
use crate::entities::{AdminDomainAllowEntity, AdminDomainBlockEntity, DomainBlockEntity};
use woolly_http::error::HttpError;
use woolly_http::extract::{ApiParams, ApiQuery};
use woolly_http::lenient;
use woolly_http::pagination::{PageParams, PageSize, Paged};

pub(super) fn router() -> Router<Woolly> {
    Router::new()
        .route("/api/v1/admin/domain_blocks", get(blocks).post(block))
        .route(
            "/api/v1/admin/domain_blocks/{id}",
            get(show_block).put(update_block).delete(unblock),
        )
        .route("/api/v1/admin/domain_allows", get(allows).post(allow))
        .route(
            "/api/v1/admin/domain_allows/{id}",
            get(show_allow).delete(disallow),
        )
        .route("/api/v1/instance/domain_blocks", get(public_blocks))
}

/// A block's fields, as posted or put.
#[derive(Debug, Default, Deserialize)]
struct BlockParams {
    #[serde(default)]
    domain: Option<String>,
    #[serde(default)]
    severity: Option<String>,
    #[serde(default, deserialize_with = "lenient::boolean")]
    reject_media: Option<bool>,
    #[serde(default, deserialize_with = "lenient::boolean")]
    reject_reports: Option<bool>,
    #[serde(default)]
    private_comment: Option<String>,
    #[serde(default)]
    public_comment: Option<String>,
    #[serde(default, deserialize_with = "lenient::boolean")]
    obfuscate: Option<bool>,
}

impl BlockParams {
    fn change(&self) -> Result<DomainBlockChange, HttpError> {
        Ok(DomainBlockChange {
            severity: self
                .severity
                .as_deref()
                .map(str::trim)
                .filter(|text| !text.is_empty())
                .map(Severity::parse)
                .transpose()?,
            reject_media: self.reject_media,
            reject_reports: self.reject_reports,
            private_comment: self.private_comment.clone(),
            public_comment: self.public_comment.clone(),
            obfuscate: self.obfuscate,
        })
    }
}

fn cursors<T>(items: &[T], id: impl Fn(&T) -> i64) -> Option<(i64, i64)> {
    items
        .first()
        .zip(items.last())
        .map(|(newest, oldest)| (id(newest), id(oldest)))
}

/// `GET /api/v1/admin/domain_blocks`.
async fn blocks(
    State(woolly): State<Woolly>,
    auth: Auth,
    ApiQuery(page): ApiQuery<PageParams>,
    uri: Uri,
) -> Result<Paged<AdminDomainBlockEntity>, HttpError> {
    let (account, user) = auth.require(&[Scope::ADMIN_READ_DOMAIN_BLOCKS])?.user()?;
    let by = Moderator::Staff { account, user };
    let found = woolly
        .instance()
        .domain_blocks_page(by, page.page(PageSize::ADMIN_ACCOUNTS)?)
        .await?;
    let cursors = cursors(&found, |block| block.id);
    let items = found.iter().map(AdminDomainBlockEntity::new).collect();
    Ok(Paged::new(items, cursors, woolly.config(), &uri))
}

/// `GET /api/v1/admin/domain_blocks/:id`.
async fn show_block(
    State(woolly): State<Woolly>,
    auth: Auth,
    Path(id): Path<String>,
) -> Result<Json<AdminDomainBlockEntity>, HttpError> {
    let (account, user) = auth.require(&[Scope::ADMIN_READ_DOMAIN_BLOCKS])?.user()?;
    let by = Moderator::Staff { account, user };
    let block = woolly.instance().domain_block(by, path_id(&id)?).await?;
    Ok(Json(AdminDomainBlockEntity::new(&block)))
}

/// `POST /api/v1/admin/domain_blocks`.
async fn block(
    State(woolly): State<Woolly>,
    auth: Auth,
    ApiParams(params): ApiParams<BlockParams>,
) -> Result<Json<AdminDomainBlockEntity>, HttpError> {
    let (account, user) = auth.require(&[Scope::ADMIN_WRITE_DOMAIN_BLOCKS])?.user()?;
    let by = Moderator::Staff { account, user };
    let domain = params
        .domain
        .as_deref()
        .ok_or_else(|| HttpError::unprocessable("Validation failed: Domain can't be blank"))?;
    let block = woolly
        .instance()
        .block_domain(by, domain, params.change()?)
        .await?;
    Ok(Json(AdminDomainBlockEntity::new(&block)))
}

/// `PUT /api/v1/admin/domain_blocks/:id`.
async fn update_block(
    State(woolly): State<Woolly>,
    auth: Auth,
    Path(id): Path<String>,
    ApiParams(params): ApiParams<BlockParams>,
) -> Result<Json<AdminDomainBlockEntity>, HttpError> {
    let (account, user) = auth.require(&[Scope::ADMIN_WRITE_DOMAIN_BLOCKS])?.user()?;
    let by = Moderator::Staff { account, user };
    let block = woolly
        .instance()
        .update_domain_block(by, path_id(&id)?, params.change()?)
        .await?;
    Ok(Json(AdminDomainBlockEntity::new(&block)))
}

/// `DELETE /api/v1/admin/domain_blocks/:id`: answers `{}`, as Mastodon does.
async fn unblock(
    State(woolly): State<Woolly>,
    auth: Auth,
    Path(id): Path<String>,
) -> Result<Json<serde_json::Value>, HttpError> {
    let (account, user) = auth.require(&[Scope::ADMIN_WRITE_DOMAIN_BLOCKS])?.user()?;
    let by = Moderator::Staff { account, user };
    woolly.instance().unblock_domain(by, path_id(&id)?).await?;
    Ok(Json(serde_json::json!({})))
}

/// `GET /api/v1/admin/domain_allows`.
async fn allows(
    State(woolly): State<Woolly>,
    auth: Auth,
    ApiQuery(page): ApiQuery<PageParams>,
    uri: Uri,
) -> Result<Paged<AdminDomainAllowEntity>, HttpError> {
    let (account, user) = auth.require(&[Scope::ADMIN_READ_DOMAIN_ALLOWS])?.user()?;
    let by = Moderator::Staff { account, user };
    let found = woolly
        .instance()
        .domain_allows_page(by, page.page(PageSize::ADMIN_ACCOUNTS)?)
        .await?;
    let cursors = cursors(&found, |allow| allow.id);
    let items = found.iter().map(AdminDomainAllowEntity::new).collect();
    Ok(Paged::new(items, cursors, woolly.config(), &uri))
}

/// `GET /api/v1/admin/domain_allows/:id`.
async fn show_allow(
    State(woolly): State<Woolly>,
    auth: Auth,
    Path(id): Path<String>,
) -> Result<Json<AdminDomainAllowEntity>, HttpError> {
    let (account, user) = auth.require(&[Scope::ADMIN_READ_DOMAIN_ALLOWS])?.user()?;
    let by = Moderator::Staff { account, user };
    let allow = woolly.instance().domain_allow(by, path_id(&id)?).await?;
    Ok(Json(AdminDomainAllowEntity::new(&allow)))
}

#[derive(Debug, Default, Deserialize)]
struct AllowParams {
    #[serde(default)]
    domain: Option<String>,
}

/// `POST /api/v1/admin/domain_allows`.
async fn allow(
    State(woolly): State<Woolly>,
    auth: Auth,
    ApiParams(params): ApiParams<AllowParams>,
) -> Result<Json<AdminDomainAllowEntity>, HttpError> {
    let (account, user) = auth.require(&[Scope::ADMIN_WRITE_DOMAIN_ALLOWS])?.user()?;
    let by = Moderator::Staff { account, user };
    let domain = params
        .domain
        .as_deref()
        .ok_or_else(|| HttpError::unprocessable("Validation failed: Domain can't be blank"))?;
    let allow = woolly.instance().allow_domain(by, domain).await?;
    Ok(Json(AdminDomainAllowEntity::new(&allow)))
}

/// `DELETE /api/v1/admin/domain_allows/:id`: answers `{}`.
async fn disallow(
    State(woolly): State<Woolly>,
    auth: Auth,
    Path(id): Path<String>,
) -> Result<Json<serde_json::Value>, HttpError> {
    let (account, user) = auth.require(&[Scope::ADMIN_WRITE_DOMAIN_ALLOWS])?.user()?;
    let by = Moderator::Staff { account, user };
    woolly.instance().disallow_domain(by, path_id(&id)?).await?;
    Ok(Json(serde_json::json!({})))
}

/// `GET /api/v1/instance/domain_blocks`: 404 when the operator does not show the list to the
/// caller, as Mastodon answers.
async fn public_blocks(
    State(woolly): State<Woolly>,
    auth: Option<Auth>,
) -> Result<Json<Vec<DomainBlockEntity>>, HttpError> {
    let signed_in = auth.as_ref().is_some_and(|auth| auth.user().is_ok());
    let blocks = woolly
        .instance()
        .public_domain_blocks(signed_in)
        .await?
        .ok_or_else(HttpError::not_found)?;
    let rationale = woolly.config().show_domain_blocks_rationale;
    Ok(Json(
        blocks
            .iter()
            .map(|block| DomainBlockEntity::new(block, rationale))
            .collect(),
    ))
}
