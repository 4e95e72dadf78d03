//! Signing in and out of the web interface (`/auth/sign_in`, `/auth/sign_out`), and choosing a
//! new password from the link of a reset e-mail (`/auth/password/…`, Mastodon's paths).
//!
//! Signing in goes through core's sign-in, so its throttle and two-factor check hold here as in
//! the OAuth form. A wrong login, password or code gets one answer, in the visitor's language.
//! Asking for a reset link answers the same whether the address is known or not, and the reset
//! form carries its link's secret, so a forged submission cannot change anyone's password.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Form, Router};
use serde::Deserialize;
use woolly_core::accounts::Standing;
use woolly_core::{CoreError, Woolly};
use woolly_http::caller::ClientAddress;

use crate::forms::{FormErrors, local_path, sign_in_refusal, status_of};
use crate::page::{Chrome, message, redirect, render};
use crate::visitor::Visitor;

pub(crate) fn router() -> Router<Woolly> {
    Router::new()
        .route("/auth/sign_in", get(sign_in_form).post(sign_in))
        .route("/auth/sign_out", post(sign_out))
        .route("/auth/password/new", get(password_request_form))
        .route("/auth/password", post(request_password_reset))
        .route(
            "/auth/password/edit",
            get(password_reset_form).post(reset_password),
        )
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct SignInForm {
    authenticity_token: String,
    login: String,
    password: String,
    otp_attempt: String,
    /// Where to go once signed in (a path of this server), when sign-in interrupted something.
    return_to: String,
}

#[derive(Template)]
#[template(path = "sign_in.html")]
struct SignInPage<'a> {
    c: Chrome<'a>,
    login: &'a str,
    return_to: &'a str,
    errors: FormErrors,
}

fn sign_in_page(
    woolly: &Woolly,
    visitor: &Visitor,
    status: StatusCode,
    form: &SignInForm,
    errors: FormErrors,
) -> Response {
    render(
        visitor,
        status,
        &SignInPage {
            c: Chrome::new(woolly, visitor),
            login: &form.login,
            return_to: local_path(&form.return_to).unwrap_or(""),
            errors,
        },
    )
}

/// Where a signed-in person goes: their timeline, or what their new account waits for.
fn after_sign_in(standing: Standing) -> &'static str {
    match standing {
        Standing::Functional => "/home",
        Standing::Unconfirmed
        | Standing::PendingApproval
        | Standing::Disabled
        | Standing::Suspended => "/auth/setup",
    }
}

/// `GET /auth/sign_in` (with `?return_to=` when sign-in interrupted something).
async fn sign_in_form(
    State(woolly): State<Woolly>,
    visitor: Visitor,
    Query(form): Query<SignInForm>,
) -> Response {
    if let Some(signed_in) = &visitor.signed_in {
        return redirect(
            &visitor,
            after_sign_in(signed_in.user.standing(&signed_in.account)),
        );
    }
    sign_in_page(
        &woolly,
        &visitor,
        StatusCode::OK,
        &form,
        FormErrors::default(),
    )
}

/// `POST /auth/sign_in`: opens a session.
async fn sign_in(
    State(woolly): State<Woolly>,
    visitor: Visitor,
    ClientAddress(from): ClientAddress,
    Form(form): Form<SignInForm>,
) -> Response {
    let words = visitor.words();
    if !visitor.form_is_genuine(&form.authenticity_token) {
        let errors = FormErrors::general(words.t("error-form-expired"));
        return sign_in_page(&woolly, &visitor, StatusCode::FORBIDDEN, &form, errors);
    }
    let code = Some(form.otp_attempt.trim()).filter(|code| !code.is_empty());
    let signed_in = woolly
        .oauth()
        .sign_in(&form.login, &form.password, code, from)
        .await;
    let (account, user) = match signed_in {
        Ok(found) => found,
        Err(error) => {
            let (status, errors) = sign_in_refusal(words, &error);
            return sign_in_page(&woolly, &visitor, status, &form, errors);
        }
    };
    match woolly.oauth().open_web_session(&account).await {
        Ok(session) => {
            let next = match user.standing(&account) {
                Standing::Functional => local_path(&form.return_to),
                _ => None,
            };
            visitor.start_session(
                redirect(
                    &visitor,
                    next.unwrap_or(after_sign_in(user.standing(&account))),
                ),
                &session.access_token,
            )
        }
        Err(error) => {
            let errors = FormErrors::from_refusal(words, &error);
            sign_in_page(
                &woolly,
                &visitor,
                StatusCode::INTERNAL_SERVER_ERROR,
                &form,
                errors,
            )
        }
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct SignOutForm {
    authenticity_token: String,
}

/// `POST /auth/sign_out`: ends this browser's session (its token is revoked).
async fn sign_out(
    State(woolly): State<Woolly>,
    visitor: Visitor,
    Form(form): Form<SignOutForm>,
) -> Response {
    let Some(signed_in) = &visitor.signed_in else {
        return redirect(&visitor, "/");
    };
    let words = visitor.words();
    if !visitor.form_is_genuine(&form.authenticity_token) {
        return message(
            &woolly,
            &visitor,
            StatusCode::FORBIDDEN,
            words.t("error-heading"),
            words.t("error-form-expired"),
            Some(("/home", words.t("back-home"))),
        );
    }
    if let Err(error) = woolly.oauth().revoke_token(&signed_in.token).await {
        tracing::error!(%error, "ending a web session failed");
        return message(
            &woolly,
            &visitor,
            StatusCode::INTERNAL_SERVER_ERROR,
            words.t("error-heading"),
            words.t("error-internal"),
            None,
        );
    }
    visitor.end_session(redirect(&visitor, "/"))
}

#[derive(Template)]
#[template(path = "password_new.html")]
struct PasswordRequestPage<'a> {
    c: Chrome<'a>,
}

/// `GET /auth/password/new`: asks for the address to send a reset link to.
async fn password_request_form(State(woolly): State<Woolly>, visitor: Visitor) -> Response {
    render(
        &visitor,
        StatusCode::OK,
        &PasswordRequestPage {
            c: Chrome::new(&woolly, &visitor),
        },
    )
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct PasswordRequestForm {
    email: String,
}

/// `POST /auth/password`: sends a reset link if the address is known; answers the same either
/// way. Without an anti-forgery token: another site making a browser ask for a link only sends
/// the link to its owner, and apps post this form too.
async fn request_password_reset(
    State(woolly): State<Woolly>,
    visitor: Visitor,
    Form(form): Form<PasswordRequestForm>,
) -> Response {
    let words = visitor.words();
    match woolly.accounts().request_password_reset(&form.email).await {
        Ok(()) => message(
            &woolly,
            &visitor,
            StatusCode::OK,
            words.t("reset-sent-heading"),
            words.t("reset-sent-text"),
            None,
        ),
        Err(error) => {
            let status = status_of(&error);
            let text = FormErrors::from_refusal(words, &error)
                .general
                .unwrap_or_default();
            message(
                &woolly,
                &visitor,
                status,
                words.t("error-heading"),
                text,
                None,
            )
        }
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct PasswordResetForm {
    reset_password_token: String,
    password: String,
}

#[derive(Template)]
#[template(path = "password_edit.html")]
struct PasswordResetPage<'a> {
    c: Chrome<'a>,
    token: &'a str,
    errors: FormErrors,
}

/// `GET /auth/password/edit?reset_password_token=…`: the link of a reset e-mail.
async fn password_reset_form(
    State(woolly): State<Woolly>,
    visitor: Visitor,
    Query(query): Query<PasswordResetForm>,
) -> Response {
    render(
        &visitor,
        StatusCode::OK,
        &PasswordResetPage {
            c: Chrome::new(&woolly, &visitor),
            token: &query.reset_password_token,
            errors: FormErrors::default(),
        },
    )
}

/// `POST /auth/password/edit`: sets the new password with the link's secret.
async fn reset_password(
    State(woolly): State<Woolly>,
    visitor: Visitor,
    Form(form): Form<PasswordResetForm>,
) -> Response {
    let words = visitor.words();
    match woolly
        .accounts()
        .reset_password(&form.reset_password_token, &form.password)
        .await
    {
        Ok(()) => message(
            &woolly,
            &visitor,
            StatusCode::OK,
            words.t("password-changed-heading"),
            words.t("password-changed-text"),
            Some(("/auth/sign_in", words.t("sign-in"))),
        ),
        Err(error @ CoreError::Fields(_)) => render(
            &visitor,
            StatusCode::UNPROCESSABLE_ENTITY,
            &PasswordResetPage {
                c: Chrome::new(&woolly, &visitor),
                token: &form.reset_password_token,
                errors: FormErrors::from_refusal(words, &error),
            },
        ),
        Err(error) => {
            let status = match error {
                CoreError::Store(_) | CoreError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
                _ => StatusCode::UNPROCESSABLE_ENTITY,
            };
            let text = match error {
                CoreError::Store(_) | CoreError::Internal(_) => words.t("error-internal"),
                _ => words.t("reset-link-broken"),
            };
            message(
                &woolly,
                &visitor,
                status,
                words.t("error-heading"),
                text,
                Some(("/auth/password/new", words.t("reset-ask-again"))),
            )
        }
    }
}
