//! Joining from a browser: the sign-up form (`/auth/sign_up`, or `/invite/:code` from an invite
//! link), the "check your e-mail" page (`/auth/setup`), the link of the confirmation e-mail
//! (`/auth/confirmation`), and the first steps after it (`/start`): a name, people to follow,
//! then the home timeline.
//!
//! A sign-up opens a session at once, as Mastodon's does, so that the confirmation link opened
//! in the same browser leads straight on; until the address is confirmed (and, on a server that
//! approves sign-ups, the account approved), every member page sends the person back to
//! `/auth/setup`.

use askama::Template;
use axum::extract::{DefaultBodyLimit, Multipart, Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Form, Router};
use serde::Deserialize;
use woolly_core::accounts::{Account, Standing};
use woolly_core::joining::{RegistrationMode, SignUp};
use woolly_core::profile::ProfileEdit;
use woolly_core::{CoreError, Woolly};
use woolly_http::caller::ClientAddress;

use crate::cards::Author;
use crate::forms::{FormErrors, status_of};
use crate::page::{Chrome, message, redirect, refusal, render};
use crate::visitor::Visitor;

/// How many people the first steps suggest following.
const SUGGESTIONS: i64 = 8;

pub(crate) fn router() -> Router<Woolly> {
    Router::new()
        .route("/auth/sign_up", get(sign_up_form).post(sign_up))
        .route("/invite/{code}", get(invited_sign_up_form))
        .route("/auth/setup", get(setup))
        .route("/auth/confirmation", get(confirm).post(resend))
        .route("/start", get(first_steps))
        .route(
            "/start/profile",
            post(set_first_profile)
                .layer(DefaultBodyLimit::max(crate::settings::PROFILE_FORM_LIMIT)),
        )
}

/// What the sign-up form sends (and shows again when something was wrong).
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct SignUpForm {
    authenticity_token: String,
    username: String,
    email: String,
    password: String,
    agreement: Option<String>,
    reason: String,
    invite_code: String,
    date_of_birth: String,
}

#[derive(Template)]
#[template(path = "sign_up.html")]
struct SignUpPage<'a> {
    c: Chrome<'a>,
    form: SignUpForm,
    errors: FormErrors,
    rules: Vec<String>,
    ask_reason: bool,
    ask_invite: bool,
    ask_birth_date: bool,
}

/// Renders the sign-up form, or the page saying sign-up is closed.
async fn sign_up_page(
    woolly: &Woolly,
    visitor: &Visitor,
    status: StatusCode,
    form: SignUpForm,
    errors: FormErrors,
) -> Response {
    let mode = match woolly.sign_ups().mode().await {
        Ok(mode) => mode,
        Err(error) => return refusal(woolly, visitor, &error),
    };
    let rules = match woolly.instance().rules().await {
        Ok(rules) => rules.into_iter().map(|rule| rule.text).collect(),
        Err(error) => return refusal(woolly, visitor, &error),
    };
    let words = visitor.words();
    if mode == RegistrationMode::Closed
        || (mode == RegistrationMode::Invite && form.invite_code.trim().is_empty())
    {
        let text = if mode == RegistrationMode::Invite {
            words.t("joining-invite-only")
        } else {
            words.t("joining-closed")
        };
        return message(
            woolly,
            visitor,
            StatusCode::FORBIDDEN,
            words.t("sign-up-closed-heading"),
            text,
            Some(("/", words.t("back-home"))),
        );
    }
    let config = woolly.config();
    render(
        visitor,
        status,
        &SignUpPage {
            c: Chrome::new(woolly, visitor),
            ask_reason: mode == RegistrationMode::Approval && form.invite_code.trim().is_empty(),
            ask_invite: mode == RegistrationMode::Invite || !form.invite_code.is_empty(),
            ask_birth_date: config.min_age.is_some(),
            form,
            errors,
            rules,
        },
    )
}

/// `GET /auth/sign_up`.
async fn sign_up_form(State(woolly): State<Woolly>, visitor: Visitor) -> Response {
    if visitor.signed_in.is_some() {
        return redirect(&visitor, "/auth/setup");
    }
    sign_up_page(
        &woolly,
        &visitor,
        StatusCode::OK,
        SignUpForm::default(),
        FormErrors::default(),
    )
    .await
}

/// `GET /invite/:code`: the sign-up form with an invite's code filled in.
async fn invited_sign_up_form(
    State(woolly): State<Woolly>,
    visitor: Visitor,
    Path(code): Path<String>,
) -> Response {
    if visitor.signed_in.is_some() {
        return redirect(&visitor, "/auth/setup");
    }
    let form = SignUpForm {
        invite_code: code,
        ..SignUpForm::default()
    };
    sign_up_page(
        &woolly,
        &visitor,
        StatusCode::OK,
        form,
        FormErrors::default(),
    )
    .await
}

/// `POST /auth/sign_up`: makes the account, opens its first session and asks for the
/// confirmation; a refusal shows the form again with what was typed (never the password).
async fn sign_up(
    State(woolly): State<Woolly>,
    visitor: Visitor,
    ClientAddress(from): ClientAddress,
    Form(mut form): Form<SignUpForm>,
) -> Response {
    let words = visitor.words();
    let password = std::mem::take(&mut form.password);
    if !visitor.form_is_genuine(&form.authenticity_token) {
        let errors = FormErrors::general(words.t("error-form-expired"));
        return sign_up_page(&woolly, &visitor, StatusCode::FORBIDDEN, form, errors).await;
    }
    let optional = |text: &str| Some(text.trim().to_owned()).filter(|text| !text.is_empty());
    let signed_up = woolly
        .sign_ups()
        .sign_up_on_web(SignUp {
            username: form.username.clone(),
            email: form.email.clone(),
            password,
            agreement: form.agreement.is_some(),
            locale: Some(visitor.locale.tag().to_owned()),
            reason: optional(&form.reason),
            invite_code: optional(&form.invite_code),
            date_of_birth: optional(&form.date_of_birth),
            from,
        })
        .await;
    match signed_up {
        Ok(signed_up) => visitor.start_session(
            redirect(&visitor, "/auth/setup"),
            &signed_up.token.access_token,
        ),
        Err(error @ CoreError::Forbidden(_)) => refusal(&woolly, &visitor, &error),
        Err(error) => {
            let status = status_of(&error);
            let errors = FormErrors::from_refusal(words, &error);
            sign_up_page(&woolly, &visitor, status, form, errors).await
        }
    }
}

#[derive(Template)]
#[template(path = "setup.html")]
struct SetupPage<'a> {
    c: Chrome<'a>,
    email: &'a str,
    pending_approval: bool,
    /// `Some("suspended")` or `Some("disabled")` for a user moderators stopped.
    stopped: Option<&'static str>,
    resent: bool,
    error: Option<String>,
}

/// Which moderators' stop the setup page tells of (the key of its words), if any.
fn stopped(standing: Standing) -> Option<&'static str> {
    match standing {
        Standing::Suspended => Some("suspended"),
        Standing::Disabled => Some("disabled"),
        _ => None,
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct SetupQuery {
    resent: Option<String>,
}

/// `GET /auth/setup`: what a new account waits for: its address confirmed, or approval.
async fn setup(
    State(woolly): State<Woolly>,
    visitor: Visitor,
    Query(query): Query<SetupQuery>,
) -> Response {
    let Some(signed_in) = &visitor.signed_in else {
        return redirect(&visitor, "/auth/sign_in");
    };
    let standing = signed_in.user.standing(&signed_in.account);
    if standing == Standing::Functional {
        return redirect(&visitor, "/home");
    }
    render(
        &visitor,
        StatusCode::OK,
        &SetupPage {
            c: Chrome::new(&woolly, &visitor),
            email: signed_in
                .user
                .unconfirmed_email
                .as_deref()
                .unwrap_or(&signed_in.user.email),
            pending_approval: standing == Standing::PendingApproval,
            stopped: stopped(standing),
            resent: query.resent.is_some(),
            error: None,
        },
    )
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct ConfirmQuery {
    confirmation_token: String,
}

/// `GET /auth/confirmation?confirmation_token=…`: the link of a confirmation e-mail. In the
/// browser that signed up, it leads on to the first steps.
async fn confirm(
    State(woolly): State<Woolly>,
    visitor: Visitor,
    Query(query): Query<ConfirmQuery>,
) -> Response {
    let words = visitor.words();
    match woolly
        .sign_ups()
        .confirm_email(&query.confirmation_token)
        .await
    {
        Ok(account_id) => match &visitor.signed_in {
            Some(signed_in) if signed_in.account.id == account_id => {
                let next = if is_new(&signed_in.account) {
                    "/start"
                } else {
                    "/home"
                };
                redirect(&visitor, next)
            }
            _ => message(
                &woolly,
                &visitor,
                StatusCode::OK,
                words.t("confirmed-heading"),
                words.t("confirmed-text"),
                Some(("/auth/sign_in", words.t("sign-in"))),
            ),
        },
        Err(error @ (CoreError::Store(_) | CoreError::Internal(_))) => {
            refusal(&woolly, &visitor, &error)
        }
        Err(CoreError::Throttled) => message(
            &woolly,
            &visitor,
            StatusCode::TOO_MANY_REQUESTS,
            words.t("error-heading"),
            words.t("error-throttled"),
            None,
        ),
        Err(_) => message(
            &woolly,
            &visitor,
            StatusCode::UNPROCESSABLE_ENTITY,
            words.t("confirmation-broken-heading"),
            words.t("confirmation-broken-text"),
            Some(("/auth/setup", words.t("confirmation-send-again"))),
        ),
    }
}

/// An account that has neither posted nor followed anyone yet.
fn is_new(account: &Account) -> bool {
    account.statuses_count == 0 && account.following_count == 0
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct TokenOnly {
    authenticity_token: String,
}

/// `POST /auth/confirmation`: sends the confirmation e-mail again.
async fn resend(
    State(woolly): State<Woolly>,
    visitor: Visitor,
    Form(form): Form<TokenOnly>,
) -> Response {
    let Some(signed_in) = &visitor.signed_in else {
        return redirect(&visitor, "/auth/sign_in");
    };
    let words = visitor.words();
    let result = if visitor.form_is_genuine(&form.authenticity_token) {
        woolly
            .sign_ups()
            .resend_confirmation(&signed_in.account, &signed_in.user, signed_in.app_id, None)
            .await
            .map_err(|error| FormErrors::from_refusal(words, &error))
    } else {
        Err(FormErrors::general(words.t("error-form-expired")))
    };
    match result {
        Ok(()) => redirect(&visitor, "/auth/setup?resent=1"),
        Err(errors) => render(
            &visitor,
            StatusCode::UNPROCESSABLE_ENTITY,
            &SetupPage {
                c: Chrome::new(&woolly, &visitor),
                email: &signed_in.user.email,
                pending_approval: signed_in.user.standing(&signed_in.account)
                    == Standing::PendingApproval,
                stopped: stopped(signed_in.user.standing(&signed_in.account)),
                resent: false,
                error: errors.general,
            },
        ),
    }
}

#[derive(Template)]
#[template(path = "start.html")]
struct StartPage<'a> {
    c: Chrome<'a>,
    display_name: &'a str,
    avatar: String,
    suggestions: Vec<(i64, Author, bool)>,
    error: Option<String>,
}

/// The first steps of a new member: a name, and people of this server to follow.
async fn start_page(
    woolly: &Woolly,
    visitor: &Visitor,
    status: StatusCode,
    error: Option<String>,
) -> Response {
    let Some(member) = visitor.member() else {
        return redirect(visitor, "/auth/setup");
    };
    let me = &member.account;
    // The member's follow suggestions (the operator's recommendations first, then friends of
    // friends and the server's favourites), then the most active people of the directory.
    let people = async {
        let mut people: Vec<_> = woolly
            .discovery()
            .suggestions(me.id, SUGGESTIONS as usize, 0)
            .await?
            .into_iter()
            .map(|suggestion| suggestion.account)
            .collect();
        let directory = woolly
            .accounts()
            .directory(Some(me.id), true, false, SUGGESTIONS + 1, 0)
            .await?;
        for account in directory {
            if !people.iter().any(|known| known.id == account.id) {
                people.push(account);
            }
        }
        Ok::<_, CoreError>(people)
    };
    let suggestions = match people.await {
        Ok(accounts) => accounts,
        Err(error) => return refusal(woolly, visitor, &error),
    };
    let ids: Vec<i64> = suggestions.iter().map(|account| account.id).collect();
    let following = match woolly.relations().relationships(me.id, &ids).await {
        Ok(relationships) => relationships,
        Err(error) => return refusal(woolly, visitor, &error),
    };
    render(
        visitor,
        status,
        &StartPage {
            c: Chrome::new(woolly, visitor),
            display_name: &me.display_name,
            avatar: me.avatar_url(woolly.config().urls()),
            suggestions: suggestions
                .iter()
                .filter(|account| account.id != me.id)
                .take(SUGGESTIONS as usize)
                .map(|account| {
                    let follows = following.iter().any(|relationship| {
                        relationship.target_id == account.id
                            && (relationship.following || relationship.requested)
                    });
                    (account.id, Author::of(woolly, account), follows)
                })
                .collect(),
            error,
        },
    )
}

/// `GET /start`.
async fn first_steps(State(woolly): State<Woolly>, visitor: Visitor) -> Response {
    start_page(&woolly, &visitor, StatusCode::OK, None).await
}

/// `POST /start/profile`: the display name and avatar chosen in the first steps (a multipart
/// form, for the image; both may be left as they are).
async fn set_first_profile(
    State(woolly): State<Woolly>,
    visitor: Visitor,
    multipart: Multipart,
) -> Response {
    let Some(member) = visitor.member() else {
        return redirect(&visitor, "/auth/setup");
    };
    let words = visitor.words();
    let (token, draft, avatar, _) = match crate::settings::read_profile_form(multipart).await {
        Ok(form) => form,
        Err(error) => {
            tracing::info!(%error, "an unreadable first-steps form");
            let error = words.t("error-form-unreadable");
            return start_page(&woolly, &visitor, StatusCode::BAD_REQUEST, Some(error)).await;
        }
    };
    if !visitor.form_is_genuine(&token) {
        let error = words.t("error-form-expired");
        return start_page(&woolly, &visitor, StatusCode::FORBIDDEN, Some(error)).await;
    }
    let edit = ProfileEdit {
        display_name: Some(draft.display_name),
        avatar,
        ..ProfileEdit::default()
    };
    match woolly
        .accounts()
        .update_profile(&member.account, edit)
        .await
    {
        Ok(_) => redirect(&visitor, "/start"),
        Err(error) => {
            // The page has one place for a refusal: the rule broken, else what the form lacks.
            let errors = FormErrors::from_refusal(words, &error);
            let problem = errors
                .fields
                .into_iter()
                .map(|(_, problem)| problem)
                .next()
                .or(errors.general);
            start_page(&woolly, &visitor, status_of(&error), problem).await
        }
    }
}
