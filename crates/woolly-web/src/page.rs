//! What every page shares: the frame around it (the layout's header, navigation and language),
//! and how a rendered page or a redirect becomes an answer.

use askama::Template;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use woolly_core::accounts::Account;
use woolly_core::profile::MediaExpansion;
use woolly_core::{CoreError, Woolly};

use crate::assets;
use crate::i18n::Words;
use crate::visitor::Visitor;

/// The layout's part of a page: everything `layout.html` reads.
pub struct Chrome<'a> {
    pub words: Words,
    pub lang: &'static str,
    pub instance_title: &'a str,
    /// The anti-forgery token the page's forms carry.
    pub csrf: &'a str,
    /// The signed-in member, for the navigation and the buttons of statuses.
    pub member: Option<&'a Account>,
    /// The page's own path and query, where its forms come back to.
    pub here: &'a str,
    pub stylesheet: &'static str,
    pub script: &'static str,
    /// How the reader wants media shown (their `reading:expand:media` preference).
    pub media_expansion: MediaExpansion,
    /// Whether the reader opens content warnings by default.
    pub open_warnings: bool,
    /// Whether the member's role handles reports (the navigation then leads to them).
    pub moderator: bool,
    /// Whether the member manages federation (admins, owners): the servers' screen.
    pub admin: bool,
}

impl<'a> Chrome<'a> {
    pub fn new(woolly: &'a Woolly, visitor: &'a Visitor) -> Chrome<'a> {
        Chrome {
            words: visitor.words(),
            lang: visitor.locale.tag(),
            instance_title: &woolly.config().title,
            csrf: visitor.csrf(),
            member: visitor.member().map(|member| &member.account),
            here: &visitor.here,
            stylesheet: assets::stylesheet_path(),
            script: assets::script_path(),
            media_expansion: visitor
                .member()
                .map(|member| member.user.expand_media)
                .unwrap_or_default(),
            open_warnings: visitor
                .member()
                .is_some_and(|member| member.user.expand_spoilers),
            moderator: visitor
                .member()
                .is_some_and(|member| member.user.role.handles_reports()),
            admin: visitor.member().is_some_and(|member| {
                member
                    .user
                    .role
                    .can(woolly_core::accounts::permission::MANAGE_FEDERATION)
            }),
        }
    }

    pub fn t(&self, id: &str) -> String {
        self.words.t(id)
    }

    /// Whether a post's media are hidden until the reader opens them, by the author's
    /// `sensitive` mark and the reader's preference.
    pub fn hides_media(&self, sensitive: impl std::borrow::Borrow<bool>) -> bool {
        self.media_expansion.hides(*sensitive.borrow())
    }
}

/// A rendered page with its status, never cached (pages carry forms and personal timelines),
/// with the cookies the visit changed.
pub fn render(visitor: &Visitor, status: StatusCode, template: &impl Template) -> Response {
    let response = match template.render() {
        Ok(html) => (
            status,
            [(header::CACHE_CONTROL, HeaderValue::from_static("no-store"))],
            Html(html),
        )
            .into_response(),
        Err(error) => {
            tracing::error!(%error, "a page did not render");
            (
                StatusCode::INTERNAL_SERVER_ERROR,
                Html("<!DOCTYPE html><title>Error</title><p>Something went wrong on our side."),
            )
                .into_response()
        }
    };
    visitor.finish(response)
}

/// `303 See Other` to a path of this server, after a form did its work.
pub fn redirect(visitor: &Visitor, to: &str) -> Response {
    visitor.finish(Redirect::to(to).into_response())
}

/// `302 Found` to where something lives (a boost's page to its original's), as Mastodon
/// answers, varying on `Accept` as the address also serves ActivityPub documents.
pub fn found(visitor: &Visitor, to: &str) -> Response {
    let mut response = StatusCode::FOUND.into_response();
    if let Ok(location) = HeaderValue::from_str(to) {
        response.headers_mut().insert(header::LOCATION, location);
    }
    response
        .headers_mut()
        .insert(header::VARY, HeaderValue::from_static("Accept"));
    visitor.finish(response)
}

#[derive(Template)]
#[template(path = "message.html")]
struct MessagePage<'a> {
    c: Chrome<'a>,
    heading: String,
    message: String,
    failed: bool,
    /// A link onwards: its path and its words.
    onwards: Option<(&'a str, String)>,
}

/// A page that only says something: a heading, a sentence, maybe a link onwards.
pub fn message(
    woolly: &Woolly,
    visitor: &Visitor,
    status: StatusCode,
    heading: String,
    text: String,
    onwards: Option<(&str, String)>,
) -> Response {
    render(
        visitor,
        status,
        &MessagePage {
            c: Chrome::new(woolly, visitor),
            heading,
            message: text,
            failed: !status.is_success(),
            onwards,
        },
    )
}

/// The page for a request core refused, in the visitor's language where the refusal is one a
/// person can act on.
pub fn refusal(woolly: &Woolly, visitor: &Visitor, error: &CoreError) -> Response {
    let words = visitor.words();
    let (status, text) = match error {
        CoreError::NotFound => (StatusCode::NOT_FOUND, words.t("error-not-found")),
        CoreError::Throttled => (StatusCode::TOO_MANY_REQUESTS, words.t("error-throttled")),
        CoreError::Forbidden(_) => (StatusCode::FORBIDDEN, words.t("error-forbidden")),
        CoreError::Unauthenticated => (StatusCode::UNAUTHORIZED, words.t("error-signed-out")),
        CoreError::Validation(message) => (StatusCode::UNPROCESSABLE_ENTITY, message.clone()),
        CoreError::Fields(errors) => (StatusCode::UNPROCESSABLE_ENTITY, errors.to_string()),
        error => {
            tracing::error!(%error, "a page's request failed");
            (StatusCode::INTERNAL_SERVER_ERROR, words.t("error-internal"))
        }
    };
    message(
        woolly,
        visitor,
        status,
        words.t("error-heading"),
        text,
        Some(("/", words.t("back-home"))),
    )
}
