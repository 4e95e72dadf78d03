//! Who may not join, for admins: e-mail domain blocks (`methods/admin/email_domain_blocks.md`),
//! canonical e-mail blocks (`methods/admin/canonical_email_blocks.md`) and IP blocks
//! (`methods/admin/ip_blocks.md`), listed, read, made and lifted (IP blocks changed too).

use axum::extract::{Path, State};
use axum::http::Uri;
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use woolly_core::account_moderation::Moderator;
use woolly_core::auth::Scope;
use woolly_core::sign_up_blocks::{IpBlock, IpBlockChange, IpSeverity, ValueBlockEntry};
use woolly_core::{ValueBlock, Woolly};

use crate::auth::{Auth, path_id};
use crate::entities::iso8601;
use woolly_http::error::HttpError;
use woolly_http::extract::{ApiParams, ApiQuery};
use woolly_http::lenient;
use woolly_http::pagination::{PageParams, PageSize, Paged};

pub(super) fn router() -> Router<Woolly> {
    Router::new()
        .route(
            "/api/v1/admin/email_domain_blocks",
            get(email_domain_blocks).post(block_email_domain),
        )
        .route(
            "/api/v1/admin/email_domain_blocks/{id}",
            get(email_domain_block).delete(unblock_email_domain),
        )
        .route(
            "/api/v1/admin/canonical_email_blocks",
            get(canonical_blocks).post(block_canonical),
        )
        .route(
            "/api/v1/admin/canonical_email_blocks/test",
            post(test_canonical),
        )
        .route(
            "/api/v1/admin/canonical_email_blocks/{id}",
            get(canonical_block).delete(unblock_canonical),
        )
        .route("/api/v1/admin/ip_blocks", get(ip_blocks).post(block_ip))
        .route(
            "/api/v1/admin/ip_blocks/{id}",
            get(ip_block).put(update_ip_block).delete(unblock_ip),
        )
}

/// `Admin::EmailDomainBlock`. Woolly counts no refused sign-ups per day: `history` is empty.
#[derive(Debug, Clone, Serialize)]
struct EmailDomainBlockEntity {
    id: String,
    domain: String,
    created_at: String,
    history: Vec<Value>,
}

impl EmailDomainBlockEntity {
    fn new(entry: &ValueBlockEntry) -> EmailDomainBlockEntity {
        EmailDomainBlockEntity {
            id: entry.id.to_string(),
            domain: entry.value.clone(),
            created_at: iso8601(entry.created_at),
            history: Vec::new(),
        }
    }
}

/// `Admin::CanonicalEmailBlock`.
#[derive(Debug, Clone, Serialize)]
struct CanonicalEmailBlockEntity {
    id: String,
    canonical_email_hash: String,
}

impl CanonicalEmailBlockEntity {
    fn new(entry: &ValueBlockEntry) -> CanonicalEmailBlockEntity {
        CanonicalEmailBlockEntity {
            id: entry.id.to_string(),
            canonical_email_hash: entry.value.clone(),
        }
    }
}

/// `Admin::IpBlock`.
#[derive(Debug, Clone, Serialize)]
struct IpBlockEntity {
    id: String,
    ip: String,
    severity: &'static str,
    comment: String,
    created_at: String,
    expires_at: Option<String>,
}

impl IpBlockEntity {
    fn new(block: &IpBlock) -> IpBlockEntity {
        IpBlockEntity {
            id: block.id.to_string(),
            ip: block.ip.to_string(),
            severity: block.severity.as_str(),
            comment: block.comment.clone(),
            created_at: iso8601(block.created_at),
            expires_at: block.expires_at.map(iso8601),
        }
    }
}

fn staff(auth: &Auth, scope: Scope) -> Result<Moderator<'_>, HttpError> {
    let (account, user) = auth.require(&[scope])?.user()?;
    Ok(Moderator::Staff { account, user })
}

fn cursors(entries: &[ValueBlockEntry]) -> Option<(i64, i64)> {
    entries
        .first()
        .zip(entries.last())
        .map(|(newest, oldest)| (newest.id, oldest.id))
}

async fn value_listing<T: Serialize>(
    woolly: &Woolly,
    by: Moderator<'_>,
    kind: ValueBlock,
    page: &PageParams,
    uri: &Uri,
    entity: fn(&ValueBlockEntry) -> T,
) -> Result<Paged<T>, HttpError> {
    let entries = woolly
        .moderation()
        .value_blocks_page(by, kind, page.page(PageSize::ADMIN_ACCOUNTS)?)
        .await?;
    let items = entries.iter().map(entity).collect();
    Ok(Paged::new(items, cursors(&entries), woolly.config(), uri))
}

/// `GET /api/v1/admin/email_domain_blocks`.
async fn email_domain_blocks(
    State(woolly): State<Woolly>,
    auth: Auth,
    ApiQuery(page): ApiQuery<PageParams>,
    uri: Uri,
) -> Result<Paged<EmailDomainBlockEntity>, HttpError> {
    let by = staff(&auth, Scope::ADMIN_READ_EMAIL_DOMAIN_BLOCKS)?;
    value_listing(
        &woolly,
        by,
        ValueBlock::EmailDomain,
        &page,
        &uri,
        EmailDomainBlockEntity::new,
    )
    .await
}

/// `GET /api/v1/admin/email_domain_blocks/:id`.
async fn email_domain_block(
    State(woolly): State<Woolly>,
    auth: Auth,
    Path(id): Path<String>,
) -> Result<Json<EmailDomainBlockEntity>, HttpError> {
    let by = staff(&auth, Scope::ADMIN_READ_EMAIL_DOMAIN_BLOCKS)?;
    let entry = woolly
        .moderation()
        .value_block(by, ValueBlock::EmailDomain, path_id(&id)?)
        .await?;
    Ok(Json(EmailDomainBlockEntity::new(&entry)))
}

#[derive(Debug, Default, Deserialize)]
struct DomainParams {
    #[serde(default)]
    domain: Option<String>,
}

/// `POST /api/v1/admin/email_domain_blocks`.
async fn block_email_domain(
    State(woolly): State<Woolly>,
    auth: Auth,
    ApiParams(params): ApiParams<DomainParams>,
) -> Result<Json<EmailDomainBlockEntity>, HttpError> {
    let by = staff(&auth, Scope::ADMIN_WRITE_EMAIL_DOMAIN_BLOCKS)?;
    let domain = params
        .domain
        .as_deref()
        .ok_or_else(|| HttpError::unprocessable("Validation failed: Domain can't be blank"))?;
    let entry = woolly.moderation().block_email_domain(by, domain).await?;
    Ok(Json(EmailDomainBlockEntity::new(&entry)))
}

/// `DELETE /api/v1/admin/email_domain_blocks/:id`: answers `{}`.
async fn unblock_email_domain(
    State(woolly): State<Woolly>,
    auth: Auth,
    Path(id): Path<String>,
) -> Result<Json<Value>, HttpError> {
    let by = staff(&auth, Scope::ADMIN_WRITE_EMAIL_DOMAIN_BLOCKS)?;
    woolly
        .moderation()
        .unblock_value(by, ValueBlock::EmailDomain, path_id(&id)?)
        .await?;
    Ok(Json(serde_json::json!({})))
}

/// `GET /api/v1/admin/canonical_email_blocks`.
async fn canonical_blocks(
    State(woolly): State<Woolly>,
    auth: Auth,
    ApiQuery(page): ApiQuery<PageParams>,
    uri: Uri,
) -> Result<Paged<CanonicalEmailBlockEntity>, HttpError> {
    let by = staff(&auth, Scope::ADMIN_READ_CANONICAL_EMAIL_BLOCKS)?;
    value_listing(
        &woolly,
        by,
        ValueBlock::CanonicalEmail,
        &page,
        &uri,
        CanonicalEmailBlockEntity::new,
    )
    .await
}

/// `GET /api/v1/admin/canonical_email_blocks/:id`.
async fn canonical_block(
    State(woolly): State<Woolly>,
    auth: Auth,
    Path(id): Path<String>,
) -> Result<Json<CanonicalEmailBlockEntity>, HttpError> {
    let by = staff(&auth, Scope::ADMIN_READ_CANONICAL_EMAIL_BLOCKS)?;
    let entry = woolly
        .moderation()
        .value_block(by, ValueBlock::CanonicalEmail, path_id(&id)?)
        .await?;
    Ok(Json(CanonicalEmailBlockEntity::new(&entry)))
}

#[derive(Debug, Default, Deserialize)]
struct CanonicalParams {
    #[serde(default)]
    email: Option<String>,
    #[serde(default)]
    canonical_email_hash: Option<String>,
}

/// `POST /api/v1/admin/canonical_email_blocks` (an `email`, or its `canonical_email_hash`).
async fn block_canonical(
    State(woolly): State<Woolly>,
    auth: Auth,
    ApiParams(params): ApiParams<CanonicalParams>,
) -> Result<Json<CanonicalEmailBlockEntity>, HttpError> {
    let by = staff(&auth, Scope::ADMIN_WRITE_CANONICAL_EMAIL_BLOCKS)?;
    let entry = woolly
        .moderation()
        .block_canonical_email(
            by,
            params.email.as_deref(),
            params.canonical_email_hash.as_deref(),
        )
        .await?;
    Ok(Json(CanonicalEmailBlockEntity::new(&entry)))
}

/// `POST /api/v1/admin/canonical_email_blocks/test`: the blocks an address matches.
async fn test_canonical(
    State(woolly): State<Woolly>,
    auth: Auth,
    ApiParams(params): ApiParams<CanonicalParams>,
) -> Result<Json<Vec<CanonicalEmailBlockEntity>>, HttpError> {
    let by = staff(&auth, Scope::ADMIN_READ_CANONICAL_EMAIL_BLOCKS)?;
    let email = params
        .email
        .as_deref()
        .ok_or_else(|| HttpError::unprocessable("Validation failed: Email can't be blank"))?;
    let entries = woolly.moderation().test_canonical_email(by, email).await?;
    Ok(Json(
        entries.iter().map(CanonicalEmailBlockEntity::new).collect(),
    ))
}

/// `DELETE /api/v1/admin/canonical_email_blocks/:id`: answers `{}`.
async fn unblock_canonical(
    State(woolly): State<Woolly>,
    auth: Auth,
    Path(id): Path<String>,
) -> Result<Json<Value>, HttpError> {
    let by = staff(&auth, Scope::ADMIN_WRITE_CANONICAL_EMAIL_BLOCKS)?;
    woolly
        .moderation()
        .unblock_value(by, ValueBlock::CanonicalEmail, path_id(&id)?)
        .await?;
    Ok(Json(serde_json::json!({})))
}

/// `GET /api/v1/admin/ip_blocks`: newest first, paged by id.
async fn ip_blocks(
    State(woolly): State<Woolly>,
    auth: Auth,
    ApiQuery(page): ApiQuery<PageParams>,
    uri: Uri,
) -> Result<Paged<IpBlockEntity>, HttpError> {
    let by = staff(&auth, Scope::ADMIN_READ_IP_BLOCKS)?;
    let page = page.page(PageSize::ADMIN_ACCOUNTS)?;
    // A server keeps few: they are read at once and paged here.
    let mut blocks: Vec<IpBlock> = woolly
        .moderation()
        .ip_blocks(by)
        .await?
        .into_iter()
        .filter(|block| page.max_id.is_none_or(|max| block.id < max))
        .filter(|block| {
            page.since_id
                .max(page.min_id)
                .is_none_or(|min| block.id > min)
        })
        .collect();
    if page.min_id.is_some() {
        blocks.reverse();
        blocks.truncate(usize::try_from(page.limit).unwrap_or(0));
        blocks.reverse();
    } else {
        blocks.truncate(usize::try_from(page.limit).unwrap_or(0));
    }
    let cursors = blocks
        .first()
        .zip(blocks.last())
        .map(|(newest, oldest)| (newest.id, oldest.id));
    let items = blocks.iter().map(IpBlockEntity::new).collect();
    Ok(Paged::new(items, cursors, woolly.config(), &uri))
}

/// `GET /api/v1/admin/ip_blocks/:id`.
async fn ip_block(
    State(woolly): State<Woolly>,
    auth: Auth,
    Path(id): Path<String>,
) -> Result<Json<IpBlockEntity>, HttpError> {
    let by = staff(&auth, Scope::ADMIN_READ_IP_BLOCKS)?;
    let block = woolly.moderation().ip_block(by, path_id(&id)?).await?;
    Ok(Json(IpBlockEntity::new(&block)))
}

#[derive(Debug, Default, Deserialize)]
struct IpParams {
    #[serde(default)]
    ip: Option<String>,
    #[serde(default)]
    severity: Option<String>,
    #[serde(default)]
    comment: Option<String>,
    /// Seconds; absent or empty: never expires.
    #[serde(default, deserialize_with = "lenient::integer")]
    expires_in: Option<i64>,
}

impl IpParams {
    fn change(self, creating: bool) -> Result<IpBlockChange, HttpError> {
        Ok(IpBlockChange {
            ip: self.ip,
            severity: self
                .severity
                .as_deref()
                .map(str::trim)
                .filter(|text| !text.is_empty())
                .map(IpSeverity::parse)
                .transpose()?,
            comment: self.comment,
            // Mastodon's update keeps the expiry unless one is given.
            expires_in: match (self.expires_in, creating) {
                (Some(seconds), _) => Some(Some(seconds)),
                (None, true) => Some(None),
                (None, false) => None,
            },
        })
    }
}

/// `POST /api/v1/admin/ip_blocks`.
async fn block_ip(
    State(woolly): State<Woolly>,
    auth: Auth,
    ApiParams(params): ApiParams<IpParams>,
) -> Result<Json<IpBlockEntity>, HttpError> {
    let by = staff(&auth, Scope::ADMIN_WRITE_IP_BLOCKS)?;
    let block = woolly
        .moderation()
        .save_ip_block(by, None, params.change(true)?)
        .await?;
    Ok(Json(IpBlockEntity::new(&block)))
}

/// `PUT /api/v1/admin/ip_blocks/:id`.
async fn update_ip_block(
    State(woolly): State<Woolly>,
    auth: Auth,
    Path(id): Path<String>,
    ApiParams(params): ApiParams<IpParams>,
) -> Result<Json<IpBlockEntity>, HttpError> {
    let by = staff(&auth, Scope::ADMIN_WRITE_IP_BLOCKS)?;
    let block = woolly
        .moderation()
        .save_ip_block(by, Some(path_id(&id)?), params.change(false)?)
        .await?;
    Ok(Json(IpBlockEntity::new(&block)))
}

/// `DELETE /api/v1/admin/ip_blocks/:id`: answers `{}`.
async fn unblock_ip(
    State(woolly): State<Woolly>,
    auth: Auth,
    Path(id): Path<String>,
) -> Result<Json<Value>, HttpError> {
    let by = staff(&auth, Scope::ADMIN_WRITE_IP_BLOCKS)?;
    woolly.moderation().unblock_ip(by, path_id(&id)?).await?;
    Ok(Json(serde_json::json!({})))
}
