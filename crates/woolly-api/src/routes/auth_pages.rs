//! Where the links of account e-mails land, at Mastodon's (Devise's) paths: confirming an
//! address (`/auth/confirmation`) and choosing a new password (`/auth/password/…`). Small HTML
//! pages that work without JavaScript; the web interface will restyle them.
//!
//! The reset form carries its link's secret, so a forged submission cannot change anyone's
//! password; asking for a link answers the same whether the address is known or not.

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;
use serde::Deserialize;
use woolly_core::{CoreError, Woolly};

use super::oauth::{describe, page};
use woolly_http::extract::{ApiParams, ApiQuery};

pub(super) fn router() -> Router<Woolly> {
    Router::new()
        .route("/auth/confirmation", get(confirm))
        .route("/auth/password/new", get(password_request_form))
        .route(
            "/auth/password",
            axum::routing::post(request_password_reset),
        )
        .route(
            "/auth/password/edit",
            get(password_reset_form).post(reset_password),
        )
}

#[derive(Template)]
#[template(path = "auth_message.html")]
struct MessagePage<'a> {
    instance_title: &'a str,
    home: &'a str,
    heading: &'a str,
    message: &'a str,
    failed: bool,
}

#[derive(Template)]
#[template(path = "auth_password_new.html")]
struct PasswordRequestPage<'a> {
    instance_title: &'a str,
}

#[derive(Template)]
#[template(path = "auth_password_edit.html")]
struct PasswordResetPage<'a> {
    instance_title: &'a str,
    token: &'a str,
    error: Option<&'a str>,
}

fn message(woolly: &Woolly, status: StatusCode, heading: &str, text: &str) -> Response {
    let home = woolly.config().urls().home_page();
    page(
        status,
        &MessagePage {
            instance_title: &woolly.config().title,
            home: &home,
            heading,
            message: text,
            failed: !status.is_success(),
        },
    )
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct ConfirmParams {
    confirmation_token: String,
}

/// `GET /auth/confirmation?confirmation_token=…`: the link of a confirmation e-mail.
async fn confirm(
    State(woolly): State<Woolly>,
    ApiQuery(params): ApiQuery<ConfirmParams>,
) -> Response {
    match woolly
        .sign_ups()
        .confirm_email(&params.confirmation_token)
        .await
    {
        Ok(_) => message(
            &woolly,
            StatusCode::OK,
            "Your e-mail address is confirmed",
            "Thank you. You can now sign in from your app or browser.",
        ),
        Err(error) => message(
            &woolly,
            status_of(&error),
            "This confirmation link does not work",
            &describe(&error),
        ),
    }
}

fn status_of(error: &CoreError) -> StatusCode {
    match error {
        CoreError::Store(_) | CoreError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        CoreError::Throttled => StatusCode::TOO_MANY_REQUESTS,
        _ => StatusCode::UNPROCESSABLE_ENTITY,
    }
}

/// `GET /auth/password/new`: asks for the address to send a reset link to.
async fn password_request_form(State(woolly): State<Woolly>) -> Response {
    page(
        StatusCode::OK,
        &PasswordRequestPage {
            instance_title: &woolly.config().title,
        },
    )
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct PasswordRequestParams {
    email: String,
}

/// `POST /auth/password`: sends a reset link if the address is known; answers the same either
/// way.
async fn request_password_reset(
    State(woolly): State<Woolly>,
    ApiParams(params): ApiParams<PasswordRequestParams>,
) -> Response {
    match woolly
        .accounts()
        .request_password_reset(&params.email)
        .await
    {
        Ok(()) => message(
            &woolly,
            StatusCode::OK,
            "Check your e-mail",
            "If an account has this address, a link to choose a new password is on its way. It works for an hour.",
        ),
        Err(error) => message(
            &woolly,
            status_of(&error),
            "Please try again",
            &describe(&error),
        ),
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct PasswordResetParams {
    reset_password_token: String,
    password: String,
}

/// `GET /auth/password/edit?reset_password_token=…`: the link of a reset e-mail.
async fn password_reset_form(
    State(woolly): State<Woolly>,
    ApiQuery(params): ApiQuery<PasswordResetParams>,
) -> Response {
    page(
        StatusCode::OK,
        &PasswordResetPage {
            instance_title: &woolly.config().title,
            token: &params.reset_password_token,
            error: None,
        },
    )
}

/// `POST /auth/password/edit`: sets the new password with the link's secret.
async fn reset_password(
    State(woolly): State<Woolly>,
    ApiParams(params): ApiParams<PasswordResetParams>,
) -> Response {
    match woolly
        .accounts()
        .reset_password(&params.reset_password_token, &params.password)
        .await
    {
        Ok(()) => message(
            &woolly,
            StatusCode::OK,
            "Your password was changed",
            "You can now sign in with your new password. Every other session was signed out.",
        ),
        Err(error @ CoreError::Fields(_)) => page(
            StatusCode::UNPROCESSABLE_ENTITY,
            &PasswordResetPage {
                instance_title: &woolly.config().title,
                token: &params.reset_password_token,
                error: Some(&describe(&error)),
            },
        ),
        Err(error) => message(
            &woolly,
            status_of(&error),
            "This reset link does not work",
            &describe(&error),
        ),
    }
}
