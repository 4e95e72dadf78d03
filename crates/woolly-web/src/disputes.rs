//! A user's side of moderation (Mastodon's `/disputes`): the warnings (strikes) moderators
//! gave their account, each with what was done and why, and a form to appeal it once. A
//! suspended or disabled user, who signs in only to this, reaches it from the page that tells
//! them so; everyone else from the link in the e-mail and notification.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Form, Router};
use serde::Deserialize;
use woolly_core::Woolly;
use woolly_core::account_moderation::{APPEAL_WINDOW_MILLIS, AccountWarning};

use crate::cards::shown_time;
use crate::i18n::Words;
use crate::page::{Chrome, redirect, refusal, render};
use crate::visitor::Visitor;

pub(crate) fn router() -> Router<Woolly> {
    Router::new()
        .route("/disputes/strikes", get(strikes))
        .route("/disputes/strikes/{id}", get(strike))
        .route("/disputes/strikes/{id}/appeal", post(appeal))
}

/// A warning as its recipient reads it.
struct StrikeCard {
    id: i64,
    /// What was done, in the reader's words.
    action: String,
    text: String,
    when: String,
    /// The appeal's words and its state in the reader's words.
    appeal: Option<(String, String)>,
    overruled: bool,
    /// Whether it may still be appealed.
    appealable: bool,
}

impl StrikeCard {
    fn new(words: Words, warning: &AccountWarning) -> StrikeCard {
        let now = woolly_core::now_millis();
        StrikeCard {
            id: warning.id,
            action: words.t(&format!("strike-action-{}", warning.action.as_str())),
            text: warning.text.clone(),
            when: shown_time(words, warning.created_at),
            appeal: warning.appeal.as_ref().map(|appeal| {
                let state = words.t(&format!("appeal-state-{}", appeal.state()));
                (appeal.text.clone(), state)
            }),
            overruled: warning.overruled_at.is_some(),
            appealable: warning.appeal.is_none()
                && now - warning.created_at <= APPEAL_WINDOW_MILLIS,
        }
    }
}

#[derive(Template)]
#[template(path = "strikes.html")]
struct StrikesPage<'a> {
    c: Chrome<'a>,
    strikes: Vec<StrikeCard>,
    /// One warning opened, with the appeal form.
    single: bool,
    error: Option<String>,
    appeal_text: String,
}

/// `GET /disputes/strikes`: the signed-in user's warnings, newest first.
async fn strikes(State(woolly): State<Woolly>, visitor: Visitor) -> Response {
    let Some(signed_in) = &visitor.signed_in else {
        return redirect(&visitor, "/auth/sign_in?return_to=/disputes/strikes");
    };
    match woolly.moderation().warnings_of(&signed_in.account).await {
        Ok(warnings) => {
            let words = visitor.words();
            let page = StrikesPage {
                c: Chrome::new(&woolly, &visitor),
                strikes: warnings.iter().map(|w| StrikeCard::new(words, w)).collect(),
                single: false,
                error: None,
                appeal_text: String::new(),
            };
            render(&visitor, StatusCode::OK, &page)
        }
        Err(error) => refusal(&woolly, &visitor, &error),
    }
}

/// One warning's page, with an error and what was typed when an appeal was refused.
async fn strike_page(
    woolly: &Woolly,
    visitor: &Visitor,
    id: &str,
    status: StatusCode,
    error: Option<String>,
    appeal_text: String,
) -> Response {
    let Some(signed_in) = &visitor.signed_in else {
        let back = format!("/auth/sign_in?return_to=/disputes/strikes/{id}");
        return redirect(visitor, &back);
    };
    let Ok(id) = id.parse::<i64>() else {
        return refusal(woolly, visitor, &woolly_core::CoreError::NotFound);
    };
    match woolly.moderation().warning(&signed_in.account, id).await {
        Ok(warning) => {
            let page = StrikesPage {
                c: Chrome::new(woolly, visitor),
                strikes: vec![StrikeCard::new(visitor.words(), &warning)],
                single: true,
                error,
                appeal_text,
            };
            render(visitor, status, &page)
        }
        Err(error) => refusal(woolly, visitor, &error),
    }
}

/// `GET /disputes/strikes/:id`.
async fn strike(
    State(woolly): State<Woolly>,
    visitor: Visitor,
    Path(id): Path<String>,
) -> Response {
    strike_page(&woolly, &visitor, &id, StatusCode::OK, None, String::new()).await
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct AppealForm {
    authenticity_token: String,
    text: String,
}

/// `POST /disputes/strikes/:id/appeal`.
async fn appeal(
    State(woolly): State<Woolly>,
    visitor: Visitor,
    Path(id): Path<String>,
    Form(form): Form<AppealForm>,
) -> Response {
    let words = visitor.words();
    if !visitor.form_is_genuine(&form.authenticity_token) {
        let error = Some(words.t("error-form-expired"));
        return strike_page(
            &woolly,
            &visitor,
            &id,
            StatusCode::FORBIDDEN,
            error,
            form.text,
        )
        .await;
    }
    let (Some(signed_in), Ok(warning_id)) = (&visitor.signed_in, id.parse::<i64>()) else {
        return strike_page(&woolly, &visitor, &id, StatusCode::OK, None, form.text).await;
    };
    let appealed = woolly
        .moderation()
        .appeal(&signed_in.account, warning_id, &form.text)
        .await;
    match appealed {
        Ok(_) => redirect(&visitor, &format!("/disputes/strikes/{warning_id}")),
        Err(woolly_core::CoreError::Validation(message)) => {
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            strike_page(&woolly, &visitor, &id, status, Some(message), form.text).await
        }
        Err(error) => refusal(&woolly, &visitor, &error),
    }
}
