//! Announcements in the web interface: a member dismisses one from the home page
//! (`/announcements/:id/dismiss`); admins write, publish, keep as drafts and delete them at
//! `/admin/announcements`.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Form, Router};
use serde::Deserialize;
use woolly_core::announcements::AnnouncementDraft;
use woolly_core::{CoreError, Woolly};

use crate::cards::shown_time;
use crate::forms::{ButtonForm, button_presser_on, form_presser};
use crate::page::{Chrome, redirect, refusal, render};
use crate::visitor::{Member, Visitor};

pub(crate) fn router() -> Router<Woolly> {
    Router::new()
        .route("/announcements/{id}/dismiss", post(dismiss))
        .route("/admin/announcements", get(list).post(create))
        .route("/admin/announcements/{id}/delete", post(delete))
}

/// `POST /announcements/:id/dismiss`.
async fn dismiss(
    State(woolly): State<Woolly>,
    visitor: Visitor,
    Path(id): Path<String>,
    Form(form): Form<ButtonForm>,
) -> Response {
    let (member, id) = match button_presser_on(&woolly, &visitor, &form, &id) {
        Ok(pressed) => pressed,
        Err(answer) => return *answer,
    };
    match woolly
        .instance()
        .dismiss_announcement(member.account.id, id)
        .await
    {
        Ok(()) => redirect(&visitor, form.back()),
        Err(error) => refusal(&woolly, &visitor, &error),
    }
}

struct AnnouncementLine {
    id: i64,
    html: String,
    /// When it was published, or `None` for a draft.
    published: Option<String>,
    /// The days it is shown, when bounded: "from 1 Dec 2026", "until 6 Dec 2026"…
    period: Option<String>,
}

#[derive(Template)]
#[template(path = "admin_announcements.html")]
struct AnnouncementsPage<'a> {
    c: Chrome<'a>,
    section: &'static str,
    announcements: Vec<AnnouncementLine>,
}

/// `GET /admin/announcements`.
async fn list(State(woolly): State<Woolly>, Member { visitor, member }: Member) -> Response {
    let by = member.moderator();
    let announcements = match woolly.instance().all_announcements(by).await {
        Ok(announcements) => announcements,
        Err(error) => return refusal(&woolly, &visitor, &error),
    };
    let words = visitor.words();
    let page = AnnouncementsPage {
        c: Chrome::new(&woolly, &visitor),
        section: "announcements",
        announcements: announcements
            .iter()
            .map(|announcement| AnnouncementLine {
                id: announcement.id,
                html: announcement.html.clone(),
                published: announcement.published_at.map(|at| shown_time(words, at)),
                period: shown_period(words, announcement.starts_at, announcement.ends_at),
            })
            .collect(),
    };
    render(&visitor, StatusCode::OK, &page)
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct AnnouncementForm {
    authenticity_token: String,
    text: String,
    publish: Option<String>,
    /// The first and last days it is shown (`YYYY-MM-DD`, UTC), either left empty for none.
    starts_on: String,
    ends_on: String,
}

impl AnnouncementForm {
    /// The start and the end (the day after the last) in milliseconds; 422 for a date that
    /// is none.
    fn period(&self) -> Result<(Option<i64>, Option<i64>), CoreError> {
        let day = |text: &str| -> Result<Option<i64>, CoreError> {
            let text = text.trim();
            if text.is_empty() {
                return Ok(None);
            }
            woolly_http::time::parse_day_or_time(text)
                .map(Some)
                .ok_or_else(|| CoreError::Validation(format!("{text:?} is not a date")))
        };
        let ends = day(&self.ends_on)?.map(|last| last + 24 * 60 * 60 * 1000);
        Ok((day(&self.starts_on)?, ends))
    }
}

/// `POST /admin/announcements`.
async fn create(
    State(woolly): State<Woolly>,
    visitor: Visitor,
    Form(form): Form<AnnouncementForm>,
) -> Response {
    let back = "/admin/announcements";
    let member = match form_presser(&woolly, &visitor, &form.authenticity_token, back) {
        Ok(member) => member,
        Err(answer) => return *answer,
    };
    let by = member.moderator();
    let saved = async {
        let (starts_at, ends_at) = form.period()?;
        let draft = AnnouncementDraft {
            text: form.text.clone(),
            publish: form.publish.is_some(),
            starts_at,
            ends_at,
            // Days, not moments: apps show the dates alone.
            all_day: starts_at.is_some() || ends_at.is_some(),
        };
        woolly.instance().save_announcement(by, None, draft).await
    };
    match saved.await {
        Ok(_) => redirect(&visitor, "/admin/announcements"),
        Err(error) => refusal(&woolly, &visitor, &error),
    }
}

/// `POST /admin/announcements/:id/delete`.
async fn delete(
    State(woolly): State<Woolly>,
    visitor: Visitor,
    Path(id): Path<String>,
    Form(form): Form<ButtonForm>,
) -> Response {
    let (member, id) = match button_presser_on(&woolly, &visitor, &form, &id) {
        Ok(pressed) => pressed,
        Err(answer) => return *answer,
    };
    let by = member.moderator();
    match woolly.instance().delete_announcement(by, id).await {
        Ok(()) => redirect(&visitor, "/admin/announcements"),
        Err(error) => refusal(&woolly, &visitor, &error),
    }
}

/// The days an announcement is shown, in the reader's words (its end is the day after its last).
fn shown_period(
    words: crate::i18n::Words,
    starts: Option<i64>,
    ends: Option<i64>,
) -> Option<String> {
    let day = |at: i64| woolly_http::time::date(at);
    let last = |ends: i64| day(ends - 1);
    match (starts, ends) {
        (Some(starts), Some(ends)) => Some(words.t1(
            "announcements-from-to",
            "days",
            &format!("{} – {}", day(starts), last(ends)),
        )),
        (Some(starts), None) => Some(words.t1("announcements-from", "day", &day(starts))),
        (None, Some(ends)) => Some(words.t1("announcements-until", "day", &last(ends))),
        (None, None) => None,
    }
}
