//! `/admin/trends`: what trends now, hashtags, links and posts, and the publishers of links, as
//! moderators (`manage_taxonomies`)
//! review it: each waiting, allowed or refused, allowed or refused with a button. Only what they
//! allow is shown in trends (unless the server trusts what trends by default).

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Form, Router};
use woolly_core::trends::TrendSubject;
use woolly_core::{CoreError, Woolly};

use crate::cards::{LinkPreview, StatusCard};
use crate::forms::{ButtonForm, button_presser};
use crate::page::{Chrome, redirect, refusal, render};
use crate::visitor::{Member, Visitor};

const LISTED: i64 = 40;

pub(crate) fn router() -> Router<Woolly> {
    Router::new()
        .route("/admin/trends", get(trends))
        .route("/admin/trends/{kind}/{key}/{decision}", post(review))
}

struct TagLine {
    name: String,
    /// How many people used it today, in how many posts.
    today: String,
    /// `waiting`, `allowed` or `refused`.
    state: &'static str,
    state_label: String,
}

struct StatusLine {
    card: StatusCard,
    id: i64,
    state: &'static str,
    state_label: String,
}

struct LinkLine {
    preview: LinkPreview,
    id: i64,
    today: String,
    state: &'static str,
    state_label: String,
}

struct PublisherLine {
    domain: String,
    state: &'static str,
    state_label: String,
}

#[derive(Template)]
#[template(path = "admin_trends.html")]
struct TrendsPage<'a> {
    c: Chrome<'a>,
    section: &'static str,
    tags: Vec<TagLine>,
    statuses: Vec<StatusLine>,
    links: Vec<LinkLine>,
    publishers: Vec<PublisherLine>,
    trends_on: bool,
}

fn state(trendable: bool, pending: bool) -> &'static str {
    match (pending, trendable) {
        (true, _) => "waiting",
        (false, true) => "allowed",
        (false, false) => "refused",
    }
}

/// `GET /admin/trends`.
async fn trends(State(woolly): State<Woolly>, Member { visitor, member }: Member) -> Response {
    let by = member.moderator();
    let read = async {
        let tags = woolly
            .discovery()
            .tag_trends_to_review(by, LISTED, 0)
            .await?;
        let statuses = woolly
            .discovery()
            .status_trends_to_review(by, LISTED, 0)
            .await?;
        let links = woolly
            .discovery()
            .link_trends_to_review(by, LISTED, 0)
            .await?;
        let publishers = woolly.discovery().link_publishers(by).await?;
        Ok::<_, CoreError>((tags, statuses, links, publishers))
    };
    let (tags, statuses, links, publishers) = match read.await {
        Ok(read) => read,
        Err(error) => return refusal(&woolly, &visitor, &error),
    };
    let words = visitor.words();
    render(
        &visitor,
        StatusCode::OK,
        &TrendsPage {
            c: Chrome::new(&woolly, &visitor),
            section: "trends",
            tags: tags
                .into_iter()
                .map(|(tag, trendable, pending)| {
                    let (_, uses, accounts) =
                        tag.usage.history.first().copied().unwrap_or_default();
                    let state = state(trendable, pending);
                    TagLine {
                        name: tag.usage.name,
                        today: format!(
                            "{} · {}",
                            words.count("people-count", accounts),
                            words.count("posts-count", uses)
                        ),
                        state,
                        state_label: words.t(&format!("admin-trend-{state}")),
                    }
                })
                .collect(),
            statuses: statuses
                .iter()
                .map(|(view, trendable, pending)| {
                    let state = state(*trendable, *pending);
                    StatusLine {
                        card: StatusCard::new(&woolly, words, view, Some(member.account.id)),
                        id: view.status.id,
                        state,
                        state_label: words.t(&format!("admin-trend-{state}")),
                    }
                })
                .collect(),
            links: links
                .iter()
                .map(|(link, trendable, pending)| {
                    let (_, uses, accounts) = link.history.first().copied().unwrap_or_default();
                    let state = state(*trendable, *pending);
                    LinkLine {
                        preview: LinkPreview::of(&link.card, &link.card.url),
                        id: link.card.id,
                        today: format!(
                            "{} · {}",
                            words.count("people-count", accounts),
                            words.count("posts-count", uses)
                        ),
                        state,
                        state_label: words.t(&format!("admin-trend-{state}")),
                    }
                })
                .collect(),
            publishers: publishers
                .into_iter()
                .map(|publisher| {
                    let state = state(publisher.trendable, publisher.requires_review);
                    PublisherLine {
                        domain: publisher.domain,
                        state,
                        state_label: words.t(&format!("admin-trend-{state}")),
                    }
                })
                .collect(),
            trends_on: woolly.config().trends,
        },
    )
}

/// `POST /admin/trends/{tag|status|account|link|publisher}/:key/{approve|reject}`.
async fn review(
    State(woolly): State<Woolly>,
    visitor: Visitor,
    Path((kind, key, decision)): Path<(String, String, String)>,
    Form(form): Form<ButtonForm>,
) -> Response {
    let member = match button_presser(&woolly, &visitor, &form) {
        Ok(member) => member,
        Err(answer) => return *answer,
    };
    let subject = match kind.as_str() {
        "tag" => TrendSubject::Tag,
        "status" => TrendSubject::Status,
        "account" => TrendSubject::Account,
        "link" => TrendSubject::Link,
        "publisher" => TrendSubject::Publisher,
        _ => return refusal(&woolly, &visitor, &CoreError::NotFound),
    };
    let trendable = match decision.as_str() {
        "approve" => true,
        "reject" => false,
        _ => return refusal(&woolly, &visitor, &CoreError::NotFound),
    };
    match woolly
        .discovery()
        .review_trend(member.moderator(), subject, &key, trendable)
        .await
    {
        Ok(()) => redirect(&visitor, "/admin/trends"),
        Err(error) => refusal(&woolly, &visitor, &error),
    }
}
