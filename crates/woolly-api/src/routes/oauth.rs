//! The OAuth 2 endpoints apps call: `/oauth/token`, `/oauth/revoke`, and
//! `/.well-known/oauth-authorization-server` (RFC 8414), as Mastodon serves them
//! (`methods/oauth.md`). The page people approve apps on, `/oauth/authorize`, is the web
//! interface's.

use axum::extract::State;
use axum::http::{HeaderMap, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use serde::Deserialize;
use serde_json::json;
use woolly_core::oauth::OAuthError;
use woolly_core::{CoreError, Woolly};

use crate::entities::TokenEntity;
use woolly_http::caller::ClientAddress;
use woolly_http::error::HttpError;
use woolly_http::extract::ApiParams;

pub(super) fn router() -> Router<Woolly> {
    Router::new()
        .route("/oauth/token", axum::routing::post(token))
        .route("/oauth/revoke", axum::routing::post(revoke))
        .route(
            "/.well-known/oauth-authorization-server",
            get(server_metadata),
        )
}

#[derive(Debug, Default, Deserialize)]
struct TokenParams {
    grant_type: Option<String>,
    code: Option<String>,
    redirect_uri: Option<String>,
    client_id: Option<String>,
    client_secret: Option<String>,
    code_verifier: Option<String>,
    username: Option<String>,
    password: Option<String>,
    scope: Option<String>,
}

/// Client credentials from HTTP Basic authentication (`client_secret_basic`), if present.
fn basic_credentials(headers: &HeaderMap) -> Option<(String, String)> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, encoded) = value.split_once(' ')?;
    if !scheme.eq_ignore_ascii_case("basic") {
        return None;
    }
    let decoded = String::from_utf8(STANDARD.decode(encoded.trim()).ok()?).ok()?;
    let (id, secret) = decoded.split_once(':')?;
    Some((id.to_owned(), secret.to_owned()))
}

fn missing(parameter: &str) -> HttpError {
    HttpError::from(CoreError::OAuth(OAuthError::InvalidRequest(format!(
        "The request is missing a required parameter: {parameter}."
    ))))
}

async fn token(
    State(woolly): State<Woolly>,
    ClientAddress(from): ClientAddress,
    headers: HeaderMap,
    ApiParams(params): ApiParams<TokenParams>,
) -> Result<Response, HttpError> {
    let (client_id, client_secret) = match basic_credentials(&headers) {
        Some((id, secret)) => (Some(id), Some(secret)),
        None => (params.client_id.clone(), params.client_secret.clone()),
    };
    let client_id =
        client_id.ok_or_else(|| HttpError::from(CoreError::OAuth(OAuthError::InvalidClient)))?;
    let secret = client_secret.as_deref();
    let issued = match params.grant_type.as_deref() {
        Some("authorization_code") => {
            let code = params.code.as_deref().ok_or_else(|| missing("code"))?;
            let redirect_uri = params
                .redirect_uri
                .as_deref()
                .ok_or_else(|| missing("redirect_uri"))?;
            woolly
                .oauth()
                .exchange_code(
                    &client_id,
                    secret,
                    code,
                    redirect_uri,
                    params.code_verifier.as_deref(),
                )
                .await?
        }
        Some("password") => {
            let login = params
                .username
                .as_deref()
                .ok_or_else(|| missing("username"))?;
            let password = params
                .password
                .as_deref()
                .ok_or_else(|| missing("password"))?;
            woolly
                .oauth()
                .password_grant(
                    &client_id,
                    secret,
                    login,
                    password,
                    params.scope.as_deref(),
                    from,
                )
                .await?
        }
        Some("client_credentials") => {
            woolly
                .oauth()
                .client_credentials_grant(&client_id, secret, params.scope.as_deref())
                .await?
        }
        Some(_) => return Err(CoreError::OAuth(OAuthError::UnsupportedGrantType).into()),
        None => return Err(missing("grant_type")),
    };
    Ok((
        [(header::CACHE_CONTROL, "no-store")],
        Json(TokenEntity::new(&issued)),
    )
        .into_response())
}

#[derive(Debug, Default, Deserialize)]
struct RevokeParams {
    client_id: Option<String>,
    client_secret: Option<String>,
    token: Option<String>,
}

async fn revoke(
    State(woolly): State<Woolly>,
    headers: HeaderMap,
    ApiParams(params): ApiParams<RevokeParams>,
) -> Result<Json<serde_json::Value>, HttpError> {
    let (client_id, client_secret) = match basic_credentials(&headers) {
        Some((id, secret)) => (Some(id), Some(secret)),
        None => (params.client_id, params.client_secret),
    };
    let client_id =
        client_id.ok_or_else(|| HttpError::from(CoreError::OAuth(OAuthError::InvalidClient)))?;
    let token = params.token.ok_or_else(|| missing("token"))?;
    woolly
        .oauth()
        .revoke_app_token(&client_id, client_secret.as_deref(), &token)
        .await?;
    Ok(Json(json!({})))
}

async fn server_metadata(State(woolly): State<Woolly>) -> Json<serde_json::Value> {
    let base = woolly.config().base_url();
    Json(json!({
        "issuer": format!("{base}/"),
        "service_documentation": "https://docs.joinmastodon.org/",
        "authorization_endpoint": format!("{base}/oauth/authorize"),
        "token_endpoint": format!("{base}/oauth/token"),
        "revocation_endpoint": format!("{base}/oauth/revoke"),
        "app_registration_endpoint": format!("{base}/api/v1/apps"),
        "scopes_supported": woolly_core::auth::scope_names(),
        "response_types_supported": ["code"],
        "response_modes_supported": ["query", "fragment", "form_post"],
        "code_challenge_methods_supported": ["S256"],
        "grant_types_supported": ["authorization_code", "password", "client_credentials"],
        "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post", "none"],
    }))
}
