//! `/notifications`: what happened to a member, newest first: who followed them or asked to,
//! mentioned them, boosted or favourited their posts, and the rest Mastodon notifies, each with
//! the post it is about. `/notifications/requests`: the mentions the member's notification
//! policy held back, per sender, to accept or dismiss, and the policy itself.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Form, Router};
use serde::Deserialize;
use woolly_core::Woolly;
use woolly_core::notification_policy::{PolicyAction, PolicyChanges, Settlement};

use crate::cards::{Author, StatusCard, shown_time};
use crate::forms::{ButtonForm, button_presser_on, form_presser};
use crate::page::{Chrome, redirect, refusal, render};
use crate::timelines::PageQuery;
use crate::visitor::{Member, Visitor};

pub(crate) fn router() -> Router<Woolly> {
    Router::new()
        .route("/notifications", get(notifications))
        .route("/notifications/requests", get(requests))
        .route("/notifications/requests/{id}/accept", post(accept))
        .route("/notifications/requests/{id}/dismiss", post(dismiss))
        .route("/notifications/policy", post(change_policy))
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
    /// How many senders the policy holds back.
    waiting: i64,
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
        Ok(page) => {
            woolly
                .notifications()
                .page(me, &Default::default(), page)
                .await
        }
        Err(error) => Err(error),
    };
    let (views, cursors) = match page {
        Ok(page) => page,
        Err(error) => return refusal(&woolly, &visitor, &error),
    };
    let waiting = match woolly.notifications().policy(me).await {
        Ok(summary) => summary.pending_requests,
        Err(error) => return refusal(&woolly, &visitor, &error),
    };
    let words = visitor.words();
    render(
        &visitor,
        StatusCode::OK,
        &NotificationsPage {
            c: Chrome::new(&woolly, &visitor),
            waiting,
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

/// One sender the policy holds back.
struct RequestCard {
    id: i64,
    who: Author,
    /// "2 mentions".
    count: String,
    status: Option<StatusCard>,
}

/// One rule of the policy as its form shows it.
struct PolicyRule {
    /// The form field, named as the API names it.
    field: &'static str,
    label: &'static str,
    current: &'static str,
}

#[derive(Template)]
#[template(path = "notification_requests.html")]
struct RequestsPage<'a> {
    c: Chrome<'a>,
    requests: Vec<RequestCard>,
    rules: Vec<PolicyRule>,
    actions: [&'static str; 3],
}

/// `GET /notifications/requests`: the first 80 senders held back, and the policy.
async fn requests(State(woolly): State<Woolly>, Member { visitor, member }: Member) -> Response {
    let me = member.account.id;
    let page = woolly_core::Page {
        max_id: None,
        since_id: None,
        min_id: None,
        limit: 80,
    };
    let found = match woolly.notifications().requests(me, page).await {
        Ok((requests, _)) => requests,
        Err(error) => return refusal(&woolly, &visitor, &error),
    };
    let policy = match woolly.notifications().policy(me).await {
        Ok(summary) => summary.policy,
        Err(error) => return refusal(&woolly, &visitor, &error),
    };
    let words = visitor.words();
    let rule = |field, label, action: PolicyAction| PolicyRule {
        field,
        label,
        current: action.as_str(),
    };
    render(
        &visitor,
        StatusCode::OK,
        &RequestsPage {
            c: Chrome::new(&woolly, &visitor),
            requests: found
                .iter()
                .map(|request| RequestCard {
                    id: request.id,
                    who: Author::of(&woolly, &request.account),
                    count: words.count("requests-count", request.notifications_count),
                    status: request
                        .last_status
                        .as_ref()
                        .map(|status| StatusCard::new(&woolly, words, status, Some(me))),
                })
                .collect(),
            rules: vec![
                rule(
                    "for_not_following",
                    "policy-not-following",
                    policy.for_not_following,
                ),
                rule(
                    "for_not_followers",
                    "policy-not-followers",
                    policy.for_not_followers,
                ),
                rule(
                    "for_new_accounts",
                    "policy-new-accounts",
                    policy.for_new_accounts,
                ),
                rule(
                    "for_private_mentions",
                    "policy-private-mentions",
                    policy.for_private_mentions,
                ),
                rule(
                    "for_limited_accounts",
                    "policy-limited-accounts",
                    policy.for_limited_accounts,
                ),
            ],
            actions: ["accept", "filter", "drop"],
        },
    )
}

/// `POST /notifications/requests/:id/accept`.
async fn accept(
    State(woolly): State<Woolly>,
    visitor: Visitor,
    Path(id): Path<String>,
    Form(form): Form<ButtonForm>,
) -> Response {
    settle(woolly, visitor, id, form, Settlement::Accept).await
}

/// `POST /notifications/requests/:id/dismiss`.
async fn dismiss(
    State(woolly): State<Woolly>,
    visitor: Visitor,
    Path(id): Path<String>,
    Form(form): Form<ButtonForm>,
) -> Response {
    settle(woolly, visitor, id, form, Settlement::Dismiss).await
}

async fn settle(
    woolly: Woolly,
    visitor: Visitor,
    id: String,
    form: ButtonForm,
    settlement: Settlement,
) -> Response {
    let (member, id) = match button_presser_on(&woolly, &visitor, &form, &id) {
        Ok(pressed) => pressed,
        Err(answer) => return *answer,
    };
    match woolly
        .notifications()
        .settle_requests(member.account.id, &[id], settlement, true)
        .await
    {
        Ok(()) => redirect(&visitor, "/notifications/requests"),
        Err(error) => refusal(&woolly, &visitor, &error),
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct PolicyForm {
    authenticity_token: String,
    for_not_following: Option<String>,
    for_not_followers: Option<String>,
    for_new_accounts: Option<String>,
    for_private_mentions: Option<String>,
    for_limited_accounts: Option<String>,
}

/// `POST /notifications/policy`.
async fn change_policy(
    State(woolly): State<Woolly>,
    visitor: Visitor,
    Form(form): Form<PolicyForm>,
) -> Response {
    let back = "/notifications/requests";
    let member = match form_presser(&woolly, &visitor, &form.authenticity_token, back) {
        Ok(member) => member,
        Err(answer) => return *answer,
    };
    let changes = PolicyChanges::parse([
        form.for_not_following.as_deref(),
        form.for_not_followers.as_deref(),
        form.for_new_accounts.as_deref(),
        form.for_private_mentions.as_deref(),
        form.for_limited_accounts.as_deref(),
    ]);
    let changed = match changes {
        Ok(changes) => {
            woolly
                .notifications()
                .change_policy(member.account.id, changes)
                .await
        }
        Err(error) => Err(error),
    };
    match changed {
        Ok(_) => redirect(&visitor, back),
        Err(error) => refusal(&woolly, &visitor, &error),
    }
}
