//! Lists of statuses: the public timelines anyone may read, posts made on this server
//! (`/public/local`), posts of the whole known fediverse (`/public`) and a hashtag's
//! (`/tags/:name`), newest first, and a member's bookmarks and favourites, each with a link to
//! older posts. They show what core's public timelines show the visitor, signed in or
//! not, with their blocks, mutes and filters applied when signed in.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Form, Router};
use serde::Deserialize;
use woolly_core::filters::Listing;
use woolly_core::{CoreError, Page, StatusRelation, TagSelection, Woolly};

use crate::cards::StatusCard;
use crate::forms::{ButtonForm, button_presser};
use crate::page::{Chrome, redirect, refusal, render};
use crate::visitor::Visitor;

/// Statuses a page of a timeline shows.
pub const PAGE_SIZE: i64 = 20;

pub(crate) fn router() -> Router<Woolly> {
    Router::new()
        .route("/public/local", get(local))
        .route("/public", get(federated))
        .route("/tags/{name}", get(tag))
        .route("/tags/{name}/{action}", post(follow_tag))
        .route("/bookmarks", get(bookmarks))
        .route("/favourites", get(favourites))
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct PageQuery {
    pub max_id: Option<String>,
}

impl PageQuery {
    /// The page of statuses asked for; an id that is not a number names no page.
    pub fn page(&self) -> Result<Page, CoreError> {
        self.page_of(PAGE_SIZE)
    }

    /// The page asked for, of `limit` entries.
    pub fn page_of(&self, limit: i64) -> Result<Page, CoreError> {
        let max_id = match self.max_id.as_deref().map(str::parse::<i64>) {
            None => None,
            Some(Ok(id)) => Some(id),
            Some(Err(_)) => return Err(CoreError::NotFound),
        };
        Ok(Page {
            max_id,
            since_id: None,
            min_id: None,
            limit,
        })
    }
}

/// The `max_id` of the page after a list of (cursor, entry), when the list filled its page
/// (people, hashtags: nothing hides entries of those lists).
pub fn full_page_end<T>(rows: &[(i64, T)], limit: i64) -> Option<i64> {
    (rows.len() as i64 >= limit)
        .then(|| rows.last().map(|(cursor, _)| *cursor))
        .flatten()
}

/// The `max_id` of the next (older) page, when this one may not be the last: when it is at
/// least half full (filters may have hidden some of what it read).
pub fn older_than((views, cursors): &Listing) -> Option<i64> {
    cursors
        .filter(|_| views.len() as i64 >= PAGE_SIZE / 2)
        .map(|(_, oldest)| oldest)
}

#[derive(Template)]
#[template(path = "timeline.html")]
struct TimelinePage<'a> {
    c: Chrome<'a>,
    heading: String,
    intro: String,
    statuses: Vec<StatusCard>,
    /// The link to the next (older) page.
    older: Option<String>,
    empty: String,
    /// On a hashtag's page, for a member: its name and whether they follow it.
    hashtag: Option<(String, bool)>,
    /// Where the page's script hears of new posts (`live`).
    live: Option<String>,
}

/// A page of a timeline at `path`, which `live` keeps up to date when given.
fn timeline_page(
    woolly: &Woolly,
    visitor: &Visitor,
    (path, live): (&str, Option<String>),
    (heading, intro): (String, String),
    listing: Result<Listing, CoreError>,
    hashtag: Option<(String, bool)>,
) -> Response {
    let listing = match listing {
        Ok(listing) => listing,
        Err(error) => return refusal(woolly, visitor, &error),
    };
    let words = visitor.words();
    let viewer = visitor.member().map(|member| member.account.id);
    render(
        visitor,
        StatusCode::OK,
        &TimelinePage {
            c: Chrome::new(woolly, visitor),
            heading,
            intro,
            older: older_than(&listing).map(|max_id| format!("{path}?max_id={max_id}")),
            statuses: listing
                .0
                .iter()
                .map(|view| StatusCard::new(woolly, words, view, viewer))
                .collect(),
            empty: words.t("timeline-empty"),
            hashtag,
            live,
        },
    )
}

async fn public(
    woolly: &Woolly,
    visitor: &Visitor,
    query: &PageQuery,
    local: Option<bool>,
) -> Result<Listing, CoreError> {
    let viewer = visitor.member().map(|member| member.account.id);
    woolly
        .timelines()
        .public(viewer, local, false, query.page()?)
        .await
}

/// Where a visitor who is not signed in goes when the operator keeps the public and hashtag
/// timelines to members (`timeline_preview` off): to sign in, and back here.
fn members_only(woolly: &Woolly, visitor: &Visitor) -> Option<Response> {
    if woolly.config().timeline_preview || visitor.member().is_some() {
        return None;
    }
    let back = woolly_core::urls::percent_encode(&visitor.here);
    Some(redirect(
        visitor,
        &format!("/auth/sign_in?return_to={back}"),
    ))
}

/// `GET /public/local`.
async fn local(
    State(woolly): State<Woolly>,
    visitor: Visitor,
    Query(query): Query<PageQuery>,
) -> Response {
    if let Some(elsewhere) = members_only(&woolly, &visitor) {
        return elsewhere;
    }
    let words = visitor.words();
    let listing = public(&woolly, &visitor, &query, Some(true)).await;
    timeline_page(
        &woolly,
        &visitor,
        (
            "/public/local",
            crate::live::address(&visitor, &query, "stream=public:local"),
        ),
        (words.t("nav-local"), words.t("local-intro")),
        listing,
        None,
    )
}

/// `GET /public`.
async fn federated(
    State(woolly): State<Woolly>,
    visitor: Visitor,
    Query(query): Query<PageQuery>,
) -> Response {
    if let Some(elsewhere) = members_only(&woolly, &visitor) {
        return elsewhere;
    }
    let words = visitor.words();
    let listing = public(&woolly, &visitor, &query, None).await;
    timeline_page(
        &woolly,
        &visitor,
        (
            "/public",
            crate::live::address(&visitor, &query, "stream=public"),
        ),
        (words.t("nav-federated"), words.t("federated-intro")),
        listing,
        None,
    )
}

/// `GET /tags/:name`.
async fn tag(
    State(woolly): State<Woolly>,
    visitor: Visitor,
    Path(name): Path<String>,
    Query(query): Query<PageQuery>,
) -> Response {
    if let Some(name) = name.strip_suffix(".rss") {
        return match crate::feeds::tag_feed(&woolly, name).await {
            Ok(feed) => feed,
            Err(error) => refusal(&woolly, &visitor, &error),
        };
    }
    if let Some(elsewhere) = members_only(&woolly, &visitor) {
        return elsewhere;
    }
    let words = visitor.words();
    let viewer = visitor.member().map(|member| member.account.id);
    let listing = match query.page() {
        Ok(page) => {
            woolly
                .timelines()
                .tag(viewer, &name, TagSelection::default(), false, false, page)
                .await
        }
        Err(error) => Err(error),
    };
    let path = format!("/tags/{}", woolly_core::urls::percent_encode(&name));
    let hashtag = match viewer {
        None => None,
        Some(viewer) => match woolly.tags().tag(Some(viewer), &name).await {
            Ok(tag) => Some((tag.usage.name, tag.following.unwrap_or(false))),
            Err(error) => return refusal(&woolly, &visitor, &error),
        },
    };
    timeline_page(
        &woolly,
        &visitor,
        (
            &path,
            crate::live::address(
                &visitor,
                &query,
                &format!(
                    "stream=hashtag&tag={}",
                    woolly_core::urls::percent_encode(&name)
                ),
            ),
        ),
        (format!("#{name}"), words.t1("tag-intro", "name", &name)),
        listing,
        hashtag,
    )
}

/// `POST /tags/:name/follow` and `/unfollow`: its public posts join the member's home
/// timeline, or no longer do.
async fn follow_tag(
    State(woolly): State<Woolly>,
    visitor: Visitor,
    Path((name, action)): Path<(String, String)>,
    Form(form): Form<ButtonForm>,
) -> Response {
    let member = match button_presser(&woolly, &visitor, &form) {
        Ok(member) => member,
        Err(answer) => return *answer,
    };
    let follow = match action.as_str() {
        "follow" => true,
        "unfollow" => false,
        _ => return refusal(&woolly, &visitor, &CoreError::NotFound),
    };
    match woolly
        .tags()
        .follow_tag(&member.account, &name, follow)
        .await
    {
        Ok(_) => redirect(&visitor, form.back()),
        Err(error) => refusal(&woolly, &visitor, &error),
    }
}

/// A member's bookmarks or favourites, most recently marked first.
async fn marked(
    woolly: &Woolly,
    visitor: &Visitor,
    query: &PageQuery,
    relation: StatusRelation,
    path: &str,
    heading: &str,
) -> Response {
    let Some(member) = visitor.member() else {
        return redirect(visitor, "/auth/sign_in");
    };
    let listing = match query.page() {
        Ok(page) => {
            woolly
                .statuses()
                .relations_page(member.account.id, relation, page)
                .await
        }
        Err(error) => Err(error),
    };
    let words = visitor.words();
    timeline_page(
        woolly,
        visitor,
        (path, None),
        (words.t(heading), words.t(&format!("{heading}-intro"))),
        listing,
        None,
    )
}

/// `GET /bookmarks`.
async fn bookmarks(
    State(woolly): State<Woolly>,
    visitor: Visitor,
    Query(query): Query<PageQuery>,
) -> Response {
    marked(
        &woolly,
        &visitor,
        &query,
        StatusRelation::Bookmark,
        "/bookmarks",
        "nav-bookmarks",
    )
    .await
}

/// `GET /favourites`.
async fn favourites(
    State(woolly): State<Woolly>,
    visitor: Visitor,
    Query(query): Query<PageQuery>,
) -> Response {
    marked(
        &woolly,
        &visitor,
        &query,
        StatusRelation::Favourite,
        "/favourites",
        "nav-favourites",
    )
    .await
}
