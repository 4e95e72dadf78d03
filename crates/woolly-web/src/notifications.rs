//! `/notifications`: what happened to a member, newest first: who followed them or asked to,
//! mentioned them, boosted or favourited their posts, and the rest Mastodon notifies, each with
//! the post it is about.

use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;
use woolly_core::Woolly;

use crate::cards::{Author, StatusCard, shown_time};
use crate::page::{Chrome, refusal, render};
use crate::timelines::PageQuery;
use crate::visitor::Member;

pub(crate) fn router() -> Router<Woolly> {
    Router::new().route("/notifications", get(notifications))
}

/// One notification as the page shows it.
pub struct NotificationCard {
    /// "Ana followed you", in the reader's words.
    pub headline: String,
    pub who: Author,
    pub when: String,
    pub status: Option<StatusCard>,
    /// Where the headline leads: the sender's profile, or for a moderator's warning the page
    /// that tells it and takes an appeal.
    pub link: String,
}

#[derive(Template)]
#[template(path = "notifications.html")]
struct NotificationsPage<'a> {
    c: Chrome<'a>,
    notifications: Vec<NotificationCard>,
    older: Option<i64>,
}

/// The message that says what happened, by Mastodon's notification type.
fn headline_id(kind: &str) -> &'static str {
    match kind {
        "follow" => "notification-follow",
        "follow_request" => "notification-follow-request",
        "mention" => "notification-mention",
        "reblog" => "notification-reblog",
        "favourite" => "notification-favourite",
        "poll" => "notification-poll",
        "status" => "notification-status",
        "update" => "notification-update",
        "moderation_warning" => "notification-moderation-warning",
        "admin.report" => "notification-admin-report",
        "admin.sign_up" => "notification-admin-sign-up",
        _ => "notification-other",
    }
}

/// `GET /notifications`.
async fn notifications(
    State(woolly): State<Woolly>,
    Member { visitor, member }: Member,
    Query(query): Query<PageQuery>,
) -> Response {
    let member = &member;
    let me = member.account.id;
    let page = match query.page() {
        Ok(page) => woolly.notifications().page(me, &[], &[], page).await,
        Err(error) => Err(error),
    };
    let (views, cursors) = match page {
        Ok(page) => page,
        Err(error) => return refusal(&woolly, &visitor, &error),
    };
    let words = visitor.words();
    render(
        &visitor,
        StatusCode::OK,
        &NotificationsPage {
            c: Chrome::new(&woolly, &visitor),
            older: cursors
                .filter(|_| !views.is_empty())
                .map(|(_, oldest)| oldest),
            notifications: views
                .iter()
                .map(|view| {
                    let who = Author::of(&woolly, &view.account);
                    let link = match (&view.warning, &view.report, view.kind.as_str()) {
                        (Some(warning), _, _) => format!("/disputes/strikes/{}", warning.id),
                        (_, Some(report), _) => format!("/admin/reports#report-{}", report.id),
                        (_, _, "admin.sign_up") => format!("/admin/accounts/{}", view.account.id),
                        _ => who.profile.clone(),
                    };
                    NotificationCard {
                        link,
                        headline: words.t1(headline_id(&view.kind), "name", &who.name),
                        who,
                        when: shown_time(words, view.created_at),
                        status: view
                            .status
                            .as_ref()
                            .map(|status| StatusCard::new(&woolly, words, status, Some(me))),
                    }
                })
                .collect(),
        },
    )
}
