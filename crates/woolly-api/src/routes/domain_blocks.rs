//! The user's domain blocks (`methods/domain_blocks.md`): list, block and unblock a domain.
//! The answers are Mastodon's: an array of domain strings, and `{}` for a block or an unblock
//! whether or not anything changed.

use axum::extract::State;
use axum::http::Uri;
use axum::routing::get;
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{Value, json};
use woolly_core::Woolly;
use woolly_core::auth::Scope;
use woolly_core::domain_blocks::parse_blocked_domain;

use crate::auth::Auth;
use woolly_http::error::HttpError;
use woolly_http::extract::{ApiParams, ApiQuery};
use woolly_http::pagination::{PageParams, PageSize, Paged};

pub(super) fn router() -> Router<Woolly> {
    Router::new().route(
        "/api/v1/domain_blocks",
        get(index).post(block).delete(unblock),
    )
}

async fn index(
    State(woolly): State<Woolly>,
    auth: Auth,
    ApiQuery(params): ApiQuery<PageParams>,
    uri: Uri,
) -> Result<Paged<String>, HttpError> {
    let (account, _) = auth.require(&[Scope::FOLLOW, Scope::READ_BLOCKS])?.user()?;
    let rows = woolly
        .relations()
        .domain_blocks(account.id, params.page(PageSize::DOMAIN_BLOCKS)?)
        .await?;
    // Block ids are not shown: the `Link` header carries them as cursors.
    let cursors = rows
        .first()
        .zip(rows.last())
        .map(|(first, last)| (first.0, last.0));
    let domains = rows.into_iter().map(|(_, domain)| domain).collect();
    Ok(Paged::new(domains, cursors, woolly.config(), &uri))
}

#[derive(Debug, Default, Deserialize)]
struct DomainParams {
    domain: Option<String>,
}

async fn block(
    State(woolly): State<Woolly>,
    auth: Auth,
    ApiParams(params): ApiParams<DomainParams>,
) -> Result<Json<Value>, HttpError> {
    let (account, _) = auth
        .require(&[Scope::FOLLOW, Scope::WRITE_BLOCKS])?
        .user()?;
    let domain = parse_blocked_domain(params.domain.as_deref())?;
    woolly.relations().block_domain(account, &domain).await?;
    Ok(Json(json!({})))
}

async fn unblock(
    State(woolly): State<Woolly>,
    auth: Auth,
    ApiParams(params): ApiParams<DomainParams>,
) -> Result<Json<Value>, HttpError> {
    let (account, _) = auth
        .require(&[Scope::FOLLOW, Scope::WRITE_BLOCKS])?
        .user()?;
    let domain = parse_blocked_domain(params.domain.as_deref())?;
    woolly.relations().unblock_domain(account, &domain).await?;
    Ok(Json(json!({})))
}
