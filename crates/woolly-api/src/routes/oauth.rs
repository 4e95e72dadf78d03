//! The OAuth 2 endpoints: `/oauth/authorize` (an HTML sign-in and consent form), `/oauth/token`,
//! `/oauth/revoke`, and `/.well-known/oauth-authorization-server` (RFC 8414), as Mastodon
//! serves them (`methods/oauth.md`).

use askama::Template;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::{Json, Router};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use serde::Deserialize;
use serde_json::json;
use woolly_core::oauth::{AuthorizationRequest, OAuthError, OOB_REDIRECT_URI};
use woolly_core::urls::percent_encode;
use woolly_core::{CoreError, Woolly};

use crate::entities::TokenEntity;
use woolly_http::caller::ClientAddress;
use woolly_http::error::HttpError;
use woolly_http::extract::{ApiParams, ApiQuery};

pub(super) fn router() -> Router<Woolly> {
    Router::new()
        .route(
            "/oauth/authorize",
            get(authorize_form).post(authorize_decision),
        )
        .route("/oauth/token", axum::routing::post(token))
        .route("/oauth/revoke", axum::routing::post(revoke))
        .route(
            "/.well-known/oauth-authorization-server",
            get(server_metadata),
        )
}

#[derive(Debug, Default, Deserialize)]
struct AuthorizeParams {
    response_type: Option<String>,
    #[serde(default)]
    client_id: String,
    #[serde(default)]
    redirect_uri: String,
    scope: Option<String>,
    #[serde(default)]
    state: String,
    #[serde(default)]
    code_challenge: String,
    #[serde(default)]
    code_challenge_method: String,
    // Accepted and irrelevant: there is no sign-in session to reuse, so the form always asks.
    #[allow(dead_code)]
    force_login: Option<String>,
    #[allow(dead_code)]
    lang: Option<String>,
}

#[derive(Template)]
#[template(path = "oauth_authorize.html")]
struct AuthorizePage<'a> {
    instance_title: &'a str,
    app_name: &'a str,
    scopes: Vec<&'static str>,
    client_id: &'a str,
    redirect_uri: &'a str,
    scope: &'a str,
    state: &'a str,
    code_challenge: &'a str,
    code_challenge_method: &'a str,
    login: &'a str,
    error: Option<&'a str>,
}

#[derive(Template)]
#[template(path = "oauth_code.html")]
struct CodePage<'a> {
    instance_title: &'a str,
    app_name: &'a str,
    code: &'a str,
}

#[derive(Template)]
#[template(path = "oauth_error.html")]
struct ErrorPage<'a> {
    instance_title: &'a str,
    message: &'a str,
}

/// An HTML page that is never cached (it carries codes and forms).
pub(super) fn page(status: StatusCode, template: &impl Template) -> Response {
    match template.render() {
        Ok(html) => (status, [(header::CACHE_CONTROL, "no-store")], Html(html)).into_response(),
        Err(error) => HttpError::internal(&error).into_response(),
    }
}

fn error_page(woolly: &Woolly, status: StatusCode, message: &str) -> Response {
    page(
        status,
        &ErrorPage {
            instance_title: &woolly.config().title,
            message,
        },
    )
}

/// The message an HTML page shows for a refused request, without internal causes.
pub(super) fn describe(error: &CoreError) -> String {
    match error {
        CoreError::OAuth(error) => error.to_string(),
        CoreError::Validation(message) | CoreError::Forbidden(message) => message.clone(),
        CoreError::Fields(errors) => errors.to_string(),
        _ => "Something went wrong on our side. Please try again.".to_owned(),
    }
}

async fn authorize_form(
    State(woolly): State<Woolly>,
    ApiQuery(params): ApiQuery<AuthorizeParams>,
) -> Response {
    if params.response_type.as_deref() != Some("code") {
        return error_page(
            &woolly,
            StatusCode::BAD_REQUEST,
            "The authorization server does not support this response type.",
        );
    }
    render_form(&woolly, &params, "", None, StatusCode::OK).await
}

async fn render_form(
    woolly: &Woolly,
    params: &AuthorizeParams,
    login: &str,
    error: Option<&str>,
    status: StatusCode,
) -> Response {
    let target = woolly
        .oauth()
        .authorization_target(
            &params.client_id,
            &params.redirect_uri,
            params.scope.as_deref(),
        )
        .await;
    let (app, scopes) = match target {
        Ok(target) => target,
        Err(CoreError::Store(cause)) => return HttpError::internal(&cause).into_response(),
        Err(error) => return error_page(woolly, StatusCode::BAD_REQUEST, &describe(&error)),
    };
    page(
        status,
        &AuthorizePage {
            instance_title: &woolly.config().title,
            app_name: &app.name,
            scopes: scopes.iter().map(|scope| scope.name()).collect(),
            client_id: &params.client_id,
            redirect_uri: &params.redirect_uri,
            scope: &scopes.to_string(),
            state: &params.state,
            code_challenge: &params.code_challenge,
            code_challenge_method: &params.code_challenge_method,
            login,
            error,
        },
    )
}

#[derive(Debug, Deserialize)]
struct DecisionParams {
    #[serde(flatten)]
    request: AuthorizeParams,
    #[serde(default)]
    login: String,
    #[serde(default)]
    password: String,
    /// The two-factor code, for users who turned it on (Devise's field name, as Mastodon's).
    #[serde(default)]
    otp_attempt: String,
    #[serde(default)]
    decision: String,
}

/// `redirect_uri` with `pairs` added to its query.
fn redirect_with(redirect_uri: &str, pairs: &[(&str, &str)]) -> Response {
    let mut target = redirect_uri.to_owned();
    for (name, value) in pairs.iter().filter(|(_, value)| !value.is_empty()) {
        target.push(if target.contains('?') { '&' } else { '?' });
        target.push_str(name);
        target.push('=');
        target.push_str(&percent_encode(value));
    }
    let mut response = Redirect::to(&target).into_response();
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

async fn authorize_decision(
    State(woolly): State<Woolly>,
    ClientAddress(from): ClientAddress,
    ApiParams(params): ApiParams<DecisionParams>,
) -> Response {
    let request = &params.request;
    // Never redirect anywhere the application did not register.
    if let Err(error) = woolly
        .oauth()
        .authorization_target(
            &request.client_id,
            &request.redirect_uri,
            request.scope.as_deref(),
        )
        .await
    {
        return error_page(&woolly, StatusCode::BAD_REQUEST, &describe(&error));
    }
    let is_oob = request.redirect_uri == OOB_REDIRECT_URI;
    if params.decision != "approve" {
        if is_oob {
            return error_page(
                &woolly,
                StatusCode::FORBIDDEN,
                "You denied the authorization request.",
            );
        }
        return redirect_with(
            &request.redirect_uri,
            &[
                ("error", "access_denied"),
                (
                    "error_description",
                    "The resource owner or authorization server denied the request.",
                ),
                ("state", &request.state),
            ],
        );
    }
    let (account, _) = match woolly
        .oauth()
        .sign_in(
            &params.login,
            &params.password,
            Some(params.otp_attempt.as_str()),
            from,
        )
        .await
    {
        Ok(user) => user,
        Err(CoreError::Store(cause)) => return HttpError::internal(&cause).into_response(),
        Err(error) => {
            let message = describe(&error);
            let status = match error {
                CoreError::Throttled => StatusCode::TOO_MANY_REQUESTS,
                _ => StatusCode::UNAUTHORIZED,
            };
            return render_form(&woolly, request, &params.login, Some(&message), status).await;
        }
    };
    let authorization = AuthorizationRequest {
        client_id: request.client_id.clone(),
        redirect_uri: request.redirect_uri.clone(),
        scope: request.scope.clone(),
        code_challenge: Some(request.code_challenge.clone())
            .filter(|challenge| !challenge.is_empty()),
        code_challenge_method: Some(request.code_challenge_method.clone())
            .filter(|method| !method.is_empty()),
    };
    let code = match woolly
        .oauth()
        .issue_authorization_code(&authorization, &account)
        .await
    {
        Ok(code) => code,
        Err(CoreError::Store(cause)) => return HttpError::internal(&cause).into_response(),
        Err(error) => return error_page(&woolly, StatusCode::BAD_REQUEST, &describe(&error)),
    };
    if is_oob {
        let app_name = woolly
            .oauth()
            .authorization_target(
                &request.client_id,
                &request.redirect_uri,
                request.scope.as_deref(),
            )
            .await
            .map(|(app, _)| app.name)
            .unwrap_or_default();
        return page(
            StatusCode::OK,
            &CodePage {
                instance_title: &woolly.config().title,
                app_name: &app_name,
                code: &code,
            },
        );
    }
    redirect_with(
        &request.redirect_uri,
        &[("code", &code), ("state", &request.state)],
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
