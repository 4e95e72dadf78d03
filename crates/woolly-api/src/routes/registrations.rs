//! Signing up through an app (`POST /api/v1/accounts`, `methods/accounts.md#create`) and the
//! e-mail confirmation doors an app needs afterwards (`methods/emails.md`).
//!
//! A sign-up answers a token at once, as Mastodon does; until the address is confirmed (and, in
//! approval mode, the account approved) every other endpoint refuses that token with 403 and
//! Mastodon's words. A refused sign-up is a 422 whose `details` name each field's broken rule.

use axum::extract::State;
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use woolly_core::Woolly;
use woolly_core::auth::Scope;
use woolly_core::joining::SignUp;

use crate::auth::{AnyStandingAuth, Auth};
use crate::entities::TokenEntity;
use woolly_http::caller::ClientAddress;
use woolly_http::error::HttpError;
use woolly_http::extract::ApiParams;
use woolly_http::lenient;

pub(super) fn router() -> Router<Woolly> {
    Router::new()
        .route("/api/v1/accounts", post(sign_up))
        .route("/api/v1/emails/confirmations", post(resend_confirmation))
        .route("/api/v1/emails/check_confirmation", get(check_confirmation))
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct SignUpParams {
    username: String,
    email: String,
    password: String,
    #[serde(deserialize_with = "lenient::boolean")]
    agreement: Option<bool>,
    locale: Option<String>,
    reason: Option<String>,
    invite_code: Option<String>,
    date_of_birth: Option<String>,
}

/// `POST /api/v1/accounts`: with a token of the app (from `client_credentials`), makes an
/// account and answers a token for it with the app's scopes.
async fn sign_up(
    State(woolly): State<Woolly>,
    auth: Auth,
    ClientAddress(from): ClientAddress,
    ApiParams(params): ApiParams<SignUpParams>,
) -> Result<Json<TokenEntity>, HttpError> {
    auth.require(&[Scope::WRITE_ACCOUNTS])?;
    let app_id = auth.0.app_id.ok_or_else(|| {
        HttpError::new(
            axum::http::StatusCode::FORBIDDEN,
            "This action is not allowed",
        )
    })?;
    let signed_up = woolly
        .sign_ups()
        .sign_up_with_app(
            app_id,
            SignUp {
                username: params.username,
                email: params.email,
                password: params.password,
                agreement: params.agreement.unwrap_or(false),
                locale: params.locale,
                reason: params.reason,
                invite_code: params.invite_code,
                date_of_birth: params.date_of_birth,
                from,
            },
        )
        .await?;
    Ok(Json(TokenEntity::new(&signed_up.token)))
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct ResendParams {
    email: Option<String>,
}

/// `POST /api/v1/emails/confirmations`: sends the confirmation again, to a new address when
/// `email` is given; only for the app the user signed up with, while unconfirmed.
async fn resend_confirmation(
    State(woolly): State<Woolly>,
    AnyStandingAuth(auth): AnyStandingAuth,
    ApiParams(params): ApiParams<ResendParams>,
) -> Result<Json<serde_json::Value>, HttpError> {
    let auth = Auth(auth);
    auth.require(&[Scope::WRITE_ACCOUNTS])?;
    let (account, user) = auth.user()?;
    woolly
        .sign_ups()
        .resend_confirmation(account, user, auth.0.app_id, params.email.as_deref())
        .await?;
    Ok(Json(serde_json::json!({})))
}

/// `GET /api/v1/emails/check_confirmation`: whether the user's address is confirmed.
async fn check_confirmation(
    AnyStandingAuth(auth): AnyStandingAuth,
) -> Result<Json<bool>, HttpError> {
    let auth = Auth(auth);
    auth.require(&[Scope::READ_ACCOUNTS])?;
    let (_, user) = auth.user().map_err(|_| {
        HttpError::new(
            axum::http::StatusCode::UNAUTHORIZED,
            "This method requires an authenticated user",
        )
    })?;
    Ok(Json(user.confirmed))
}
