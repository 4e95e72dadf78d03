//! Account routes. So far: `GET /api/v1/accounts/verify_credentials`.

use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use woolly_core::Woolly;
use woolly_core::auth::Scope;

use crate::auth::Auth;
use crate::entities::CredentialAccountEntity;
use crate::error::ApiError;

pub(super) fn router() -> Router<Woolly> {
    Router::new().route(
        "/api/v1/accounts/verify_credentials",
        get(verify_credentials),
    )
}

/// Mastodon accepts `profile` (4.3+), `read` or `read:accounts` here.
async fn verify_credentials(
    State(woolly): State<Woolly>,
    auth: Auth,
) -> Result<Json<CredentialAccountEntity>, ApiError> {
    let (account, user) = auth
        .require(&[Scope::PROFILE, Scope::READ_ACCOUNTS])?
        .user()?;
    Ok(Json(CredentialAccountEntity::new(
        account,
        user,
        woolly.config(),
    )))
}
