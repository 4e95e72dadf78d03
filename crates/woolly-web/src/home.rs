//! `/home`: a member's home timeline, newest first, with the composer above it; and posting
//! from that composer (`POST /statuses`). A refused post shows the page again with what was
//! typed and why; a post sent twice (a double click, a reload) is written once, as the form
//! carries an idempotency key as apps send one.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Form, Router};
use serde::Deserialize;
use woolly_core::statuses::NewPost;
use woolly_core::visibility::Visibility;
use woolly_core::web_sessions::new_browser_secret;
use woolly_core::{CoreError, Woolly};

use crate::cards::StatusCard;
use crate::forms::{FormErrors, local_path, status_of};
use crate::page::{Chrome, redirect, refusal, render};
use crate::timelines::{PageQuery, older_than};
use crate::visitor::{SignedIn, Visitor};

const VISIBILITIES: [&str; 4] = ["public", "unlisted", "private", "direct"];

pub(crate) fn router() -> Router<Woolly> {
    Router::new()
        .route("/home", get(home))
        .route("/statuses", post(publish))
}

/// What the composer sends, and shows again after a refusal.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Draft {
    authenticity_token: String,
    status: String,
    spoiler_text: String,
    visibility: String,
    idempotency: String,
    /// The status replied to, from a thread's reply form.
    in_reply_to_id: String,
    /// The page to go back to once posted (a thread's).
    return_to: String,
}

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage<'a> {
    c: Chrome<'a>,
    draft: Draft,
    /// The visibilities the composer offers, with their words, the draft's selected.
    visibilities: Vec<(&'static str, String, bool)>,
    max_characters: u32,
    errors: FormErrors,
    /// Focus the composer (right after the first steps, or when it holds an error).
    focus: bool,
    statuses: Vec<StatusCard>,
    /// The next (older) page's `max_id`.
    older: Option<i64>,
}

async fn home_page(
    woolly: &Woolly,
    visitor: &Visitor,
    member: &SignedIn,
    status: StatusCode,
    query: PageQuery,
    mut draft: Draft,
    errors: FormErrors,
) -> Response {
    let listing = match query.page() {
        Ok(page) => woolly.timelines().home(member.account.id, page).await,
        Err(error) => Err(error),
    };
    let listing = match listing {
        Ok(listing) => listing,
        Err(error) => return refusal(woolly, visitor, &error),
    };
    let words = visitor.words();
    if draft.visibility.is_empty() {
        draft.visibility = member.user.default_privacy.clone();
    }
    if draft.idempotency.is_empty() {
        draft.idempotency = new_browser_secret();
    }
    let visibilities = VISIBILITIES
        .into_iter()
        .map(|name| {
            (
                name,
                words.t(&format!("visibility-{name}")),
                name == draft.visibility,
            )
        })
        .collect();
    let focus = errors.general.is_some() || member.account.statuses_count == 0;
    render(
        visitor,
        status,
        &HomePage {
            c: Chrome::new(woolly, visitor),
            draft,
            visibilities,
            max_characters: woolly.config().max_status_characters,
            errors,
            focus,
            older: older_than(&listing),
            statuses: listing
                .0
                .iter()
                .map(|view| StatusCard::new(woolly, words, view, Some(member.account.id)))
                .collect(),
        },
    )
}

/// `GET /home`.
async fn home(
    State(woolly): State<Woolly>,
    visitor: Visitor,
    Query(query): Query<PageQuery>,
) -> Response {
    let member = match visitor.member_or_elsewhere() {
        Ok(member) => member,
        Err(elsewhere) => return redirect(&visitor, elsewhere),
    };
    home_page(
        &woolly,
        &visitor,
        member,
        StatusCode::OK,
        query,
        Draft::default(),
        FormErrors::default(),
    )
    .await
}

/// `POST /statuses`: publishes the composer's draft.
async fn publish(
    State(woolly): State<Woolly>,
    visitor: Visitor,
    Form(draft): Form<Draft>,
) -> Response {
    let member = match visitor.member_or_elsewhere() {
        Ok(member) => member,
        Err(elsewhere) => return redirect(&visitor, elsewhere),
    };
    let words = visitor.words();
    if !visitor.form_is_genuine(&draft.authenticity_token) {
        let errors = FormErrors::general(words.t("error-form-expired"));
        return home_page(
            &woolly,
            &visitor,
            member,
            StatusCode::FORBIDDEN,
            PageQuery::default(),
            draft,
            errors,
        )
        .await;
    }
    let visibility = match Visibility::parse(&draft.visibility) {
        Ok(visibility) => Some(visibility),
        Err(_) if draft.visibility.is_empty() => None,
        Err(error) => {
            let errors = FormErrors::from_refusal(words, &error);
            return home_page(
                &woolly,
                &visitor,
                member,
                StatusCode::UNPROCESSABLE_ENTITY,
                PageQuery::default(),
                draft,
                errors,
            )
            .await;
        }
    };
    let in_reply_to_id = match draft.in_reply_to_id.trim() {
        "" => None,
        id => match id.parse::<i64>() {
            Ok(id) => Some(id),
            Err(_) => return refusal(&woolly, &visitor, &CoreError::NotFound),
        },
    };
    let post = NewPost {
        text: draft.status.clone(),
        in_reply_to_id,
        spoiler_text: draft.spoiler_text.clone(),
        visibility,
        idempotency_key: Some(draft.idempotency.clone()).filter(|key| !key.is_empty()),
        ..NewPost::default()
    };
    match woolly
        .statuses()
        .post(&member.account, &member.user, member.app_id, post)
        .await
    {
        Ok(_) => redirect(&visitor, local_path(&draft.return_to).unwrap_or("/home")),
        Err(error) => {
            let status = status_of(&error);
            let errors = FormErrors::from_refusal(words, &error);
            home_page(
                &woolly,
                &visitor,
                member,
                status,
                PageQuery::default(),
                draft,
                errors,
            )
            .await
        }
    }
}
