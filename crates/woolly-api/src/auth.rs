//! Authentication of API requests by OAuth bearer token.
//!
//! The token comes from `Authorization: Bearer …` or, as Doorkeeper also accepts, an
//! `access_token` query parameter. Handlers take [`Auth`] (a token is required) or
//! `Option<Auth>` (anonymous callers allowed), then check scopes with [`Auth::require`].

use axum::extract::{FromRequestParts, OptionalFromRequestParts};
use axum::http::request::Parts;
use woolly_core::Woolly;
use woolly_core::accounts::{Account, LocalUser};
use woolly_core::auth::{Authenticated, Scope};

use woolly_http::caller::{VerifiedToken, bearer_token, client_address};
use woolly_http::error::HttpError;

/// An authenticated caller.
#[derive(Debug, Clone)]
pub struct Auth(pub Authenticated);

impl Auth {
    /// Succeeds when the token grants at least one of `any_of` (403 otherwise).
    pub fn require(&self, any_of: &[Scope]) -> Result<&Auth, HttpError> {
        if self.0.scopes.grants_any(any_of) {
            Ok(self)
        } else {
            Err(HttpError::missing_scope())
        }
    }

    /// The user behind the token; an application-only token gets Mastodon's 422.
    pub fn user(&self) -> Result<(&Account, &LocalUser), HttpError> {
        self.0
            .user
            .as_ref()
            .map(|(account, user)| (account, user))
            .ok_or_else(|| HttpError::unprocessable("This method requires an authenticated user"))
    }
}

/// The account behind an optional token, after checking that a token that is there grants one
/// of `any_of` (Mastodon's `authorize_if_got_token!`). Anonymous callers are `None`.
pub fn optional_viewer(auth: &Option<Auth>, any_of: &[Scope]) -> Result<Option<i64>, HttpError> {
    match auth {
        None => Ok(None),
        Some(auth) => {
            auth.require(any_of)?;
            Ok(auth.0.user.as_ref().map(|(account, _)| account.id))
        }
    }
}

/// A path id: ids are numbers here, and anything else names no record (Mastodon's 404).
pub fn path_id(text: &str) -> Result<i64, HttpError> {
    text.parse().map_err(|_| HttpError::not_found())
}

impl FromRequestParts<Woolly> for Auth {
    type Rejection = HttpError;

    async fn from_request_parts(parts: &mut Parts, woolly: &Woolly) -> Result<Self, HttpError> {
        let token = bearer_token(&parts.headers, &parts.uri).ok_or_else(HttpError::unauthorized)?;
        authenticate(parts, woolly, &token).await
    }
}

impl OptionalFromRequestParts<Woolly> for Auth {
    type Rejection = HttpError;

    /// No token: anonymous. A token that does not check out is still a 401, as in Mastodon.
    async fn from_request_parts(
        parts: &mut Parts,
        woolly: &Woolly,
    ) -> Result<Option<Self>, HttpError> {
        match bearer_token(&parts.headers, &parts.uri) {
            None => Ok(None),
            Some(token) => Ok(Some(authenticate(parts, woolly, &token).await?)),
        }
    }
}

/// A token whose user may not use the API yet (address unconfirmed, approval pending): only
/// the confirmation doors take it.
pub struct AnyStandingAuth(pub Authenticated);

impl FromRequestParts<Woolly> for AnyStandingAuth {
    type Rejection = HttpError;

    async fn from_request_parts(parts: &mut Parts, woolly: &Woolly) -> Result<Self, HttpError> {
        let token = bearer_token(&parts.headers, &parts.uri).ok_or_else(HttpError::unauthorized)?;
        Ok(AnyStandingAuth(
            woolly.oauth().authenticate_any_standing(&token).await?,
        ))
    }
}

/// The caller behind `token`: as the rate limiter already checked it, or checked now.
async fn authenticate(parts: &Parts, woolly: &Woolly, token: &str) -> Result<Auth, HttpError> {
    let authenticated = match parts.extensions.get::<VerifiedToken>() {
        Some(VerifiedToken(authenticated)) => authenticated.clone(),
        None => woolly.oauth().authenticate(token).await?,
    };
    // For the user's list of sessions: where and with what their token is used.
    let user_agent = parts
        .headers
        .get(axum::http::header::USER_AGENT)
        .and_then(|value| value.to_str().ok());
    woolly.oauth().note_token_use(
        &authenticated,
        client_address(&parts.extensions),
        user_agent,
    );
    Ok(Auth(authenticated))
}
