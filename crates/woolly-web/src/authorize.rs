//! `/oauth/authorize`: where an app sends a person to let it use their account (Mastodon's
//! `methods/oauth.md`). The page names the app and what it asks for; a person signed in here
//! approves with one press, others sign in on the same form (with their two-factor code when
//! they turned it on). Authorize is the form's first button, so pressing Enter in the password
//! field authorizes; Deny is the second. The token endpoints are the client API's.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::{Form, Router};
use serde::Deserialize;
use woolly_core::accounts::Account;
use woolly_core::oauth::{AuthorizationRequest, OOB_REDIRECT_URI};
use woolly_core::urls::percent_encode;
use woolly_core::{CoreError, Woolly};
use woolly_http::caller::ClientAddress;

use crate::forms::{FormErrors, sign_in_refusal};
use crate::page::{Chrome, message, render};
use crate::visitor::Visitor;

pub(crate) fn router() -> Router<Woolly> {
    Router::new().route(
        "/oauth/authorize",
        get(authorize_form).post(authorize_decision),
    )
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct AuthorizeParams {
    response_type: Option<String>,
    client_id: String,
    redirect_uri: String,
    scope: Option<String>,
    state: String,
    code_challenge: String,
    code_challenge_method: String,
    // Accepted and irrelevant: a signed-in person is asked to approve, never silently.
    #[allow(dead_code)]
    force_login: Option<String>,
    #[allow(dead_code)]
    lang: Option<String>,
}

#[derive(Template)]
#[template(path = "authorize.html")]
struct AuthorizePage<'a> {
    c: Chrome<'a>,
    app_name: &'a str,
    scopes: Vec<&'static str>,
    params: &'a AuthorizeParams,
    scope: String,
    /// The member approving, when signed in here.
    member: Option<&'a Account>,
    login: &'a str,
    errors: FormErrors,
}

#[derive(Template)]
#[template(path = "authorization_code.html")]
struct CodePage<'a> {
    c: Chrome<'a>,
    app_name: &'a str,
    code: &'a str,
}

fn failed(woolly: &Woolly, visitor: &Visitor, status: StatusCode, text: String) -> Response {
    let words = visitor.words();
    message(
        woolly,
        visitor,
        status,
        words.t("authorize-failed-heading"),
        text,
        None,
    )
}

/// What a refusal of core says on these pages: OAuth's own words (apps and their developers
/// read them), or the visitor's for the rest.
fn describe(visitor: &Visitor, error: &CoreError) -> (StatusCode, String) {
    match error {
        CoreError::OAuth(error) => (StatusCode::BAD_REQUEST, error.to_string()),
        error => {
            let status = match error {
                CoreError::Store(_) | CoreError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
                CoreError::Throttled => StatusCode::TOO_MANY_REQUESTS,
                _ => StatusCode::BAD_REQUEST,
            };
            let text = FormErrors::from_refusal(visitor.words(), error)
                .general
                .unwrap_or_default();
            (status, text)
        }
    }
}

/// `GET /oauth/authorize`.
async fn authorize_form(
    State(woolly): State<Woolly>,
    visitor: Visitor,
    Query(params): Query<AuthorizeParams>,
) -> Response {
    if params.response_type.as_deref() != Some("code") {
        return failed(
            &woolly,
            &visitor,
            StatusCode::BAD_REQUEST,
            visitor.words().t("authorize-bad-response-type"),
        );
    }
    render_form(
        &woolly,
        &visitor,
        &params,
        "",
        FormErrors::default(),
        StatusCode::OK,
    )
    .await
}

async fn render_form(
    woolly: &Woolly,
    visitor: &Visitor,
    params: &AuthorizeParams,
    login: &str,
    errors: FormErrors,
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
        Err(error) => {
            let (status, text) = describe(visitor, &error);
            return failed(woolly, visitor, status, text);
        }
    };
    render(
        visitor,
        status,
        &AuthorizePage {
            c: Chrome::new(woolly, visitor),
            app_name: &app.name,
            scopes: scopes.iter().map(|scope| scope.name()).collect(),
            params,
            scope: scopes.to_string(),
            member: visitor.member().map(|member| &member.account),
            login,
            errors,
        },
    )
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct DecisionForm {
    #[serde(flatten)]
    request: AuthorizeParams,
    authenticity_token: String,
    login: String,
    password: String,
    /// The two-factor code, for users who turned it on (Devise's field name, as Mastodon's).
    otp_attempt: String,
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

/// `POST /oauth/authorize`: the person's decision.
async fn authorize_decision(
    State(woolly): State<Woolly>,
    visitor: Visitor,
    ClientAddress(from): ClientAddress,
    Form(form): Form<DecisionForm>,
) -> Response {
    let request = &form.request;
    let words = visitor.words();
    // Never redirect anywhere the application did not register.
    let app_name = match woolly
        .oauth()
        .authorization_target(
            &request.client_id,
            &request.redirect_uri,
            request.scope.as_deref(),
        )
        .await
    {
        Ok((app, _)) => app.name,
        Err(error) => {
            let (status, text) = describe(&visitor, &error);
            return failed(&woolly, &visitor, status, text);
        }
    };
    if !visitor.form_is_genuine(&form.authenticity_token) {
        let errors = FormErrors::general(words.t("error-form-expired"));
        return render_form(
            &woolly,
            &visitor,
            request,
            &form.login,
            errors,
            StatusCode::FORBIDDEN,
        )
        .await;
    }
    let is_oob = request.redirect_uri == OOB_REDIRECT_URI;
    if form.decision != "approve" {
        if is_oob {
            return failed(
                &woolly,
                &visitor,
                StatusCode::FORBIDDEN,
                words.t("authorize-denied"),
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
    let member = visitor
        .member()
        .filter(|_| form.login.trim().is_empty())
        .map(|member| member.account.clone());
    let account = match member {
        Some(account) => account,
        None => match woolly
            .oauth()
            .sign_in(
                &form.login,
                &form.password,
                Some(form.otp_attempt.as_str()),
                from,
            )
            .await
        {
            // As in Mastodon, an app may be authorized before the address is confirmed; the
            // API then tells it why it refuses the token.
            Ok((account, _)) => account,
            Err(error) => {
                let (status, errors) = sign_in_refusal(words, &error);
                return render_form(&woolly, &visitor, request, &form.login, errors, status).await;
            }
        },
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
        Err(error) => {
            let (status, text) = describe(&visitor, &error);
            return failed(&woolly, &visitor, status, text);
        }
    };
    if is_oob {
        return render(
            &visitor,
            StatusCode::OK,
            &CodePage {
                c: Chrome::new(&woolly, &visitor),
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
