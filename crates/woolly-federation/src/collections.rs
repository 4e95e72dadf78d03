//! An actor's collections: its outbox (the `Create` and `Announce` activities of its public
//! and unlisted statuses, twenty a page), its followers and following (actor ids, twelve a
//! page), its pinned posts (`featured`) and featured hashtags (`collections/tags`).
//!
//! A collection without `?page=` only counts and links to its first page, as Mastodon's do;
//! pages are cursor-based (`max_id`, `min_id`), so each costs the same however deep it is.

use axum::Router;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use woolly_core::{FollowSide, Page, Woolly};
use woolly_http::HttpError;

use crate::negotiation::ActivityJson;
use crate::render::{self, ActorUrls, with_context};
use crate::requester::Requester;
use crate::routes::{PageQuery, Paging, shown_local_actor};
use crate::vocab::{Document, IdOrObject};

/// Statuses per outbox page (`OutboxesController::LIMIT`).
const OUTBOX_PAGE_SIZE: i64 = 20;
/// Accounts per followers or following page (Mastodon's `FOLLOW_PER_PAGE`).
const FOLLOWS_PAGE_SIZE: i64 = 12;

pub(crate) fn router() -> Router<Woolly> {
    Router::new()
        .route("/users/{username}/outbox", get(outbox))
        .route("/users/{username}/followers", get(followers))
        .route("/users/{username}/following", get(following))
        .route("/users/{username}/collections/featured", get(featured))
        .route("/users/{username}/collections/tags", get(featured_tags))
}

fn document(document: Document) -> Response {
    ActivityJson(with_context(document)).into_response()
}

async fn outbox(
    State(woolly): State<Woolly>,
    Path(username): Path<String>,
    requester: Requester,
    query: Result<Query<PageQuery>, QueryRejection>,
) -> Result<Response, HttpError> {
    let paging = Paging::read(query)?;
    let actor = shown_local_actor(&woolly, &username).await?;
    let outbox = ActorUrls::of(&woolly, &actor.account.username).outbox;
    if !paging.is_page {
        let collection = render::ordered_collection(
            outbox.clone(),
            u64::try_from(actor.account.statuses_count).ok(),
            Some(format!("{outbox}?page=true")),
            Some(format!("{outbox}?min_id=0&page=true")),
        );
        return Ok(document(Document::Collection(collection)));
    }
    let page = Page {
        max_id: paging.max_id,
        since_id: paging.since_id,
        min_id: paging.min_id,
        limit: OUTBOX_PAGE_SIZE,
    };
    let (views, _) = woolly
        .timelines()
        .account(
            requester.viewer(),
            actor.account.id,
            &woolly_core::AccountStatusesFilter::default(),
            page,
        )
        .await?;
    let context = render::note_context(&woolly, &views).await?;
    let items = views
        .iter()
        .map(|view| {
            let activity = render::activity(&woolly, view, &context);
            IdOrObject::Object(Box::new(Document::Activity(activity)))
        })
        .collect();
    let is_full = i64::try_from(views.len()).is_ok_and(|count| count >= OUTBOX_PAGE_SIZE);
    let next = views
        .last()
        .filter(|_| is_full)
        .map(|oldest| format!("{outbox}?max_id={}&page=true", oldest.status.id));
    let prev = views
        .first()
        .map(|newest| format!("{outbox}?min_id={}&page=true", newest.status.id));
    let page = render::ordered_collection_page(paging.page_url(&outbox), outbox, items, next, prev);
    Ok(document(Document::Collection(page)))
}

async fn followers(
    State(woolly): State<Woolly>,
    Path(username): Path<String>,
    query: Result<Query<PageQuery>, QueryRejection>,
) -> Result<Response, HttpError> {
    follows(&woolly, &username, query, FollowSide::Followers).await
}

async fn following(
    State(woolly): State<Woolly>,
    Path(username): Path<String>,
    query: Result<Query<PageQuery>, QueryRejection>,
) -> Result<Response, HttpError> {
    follows(&woolly, &username, query, FollowSide::Following).await
}

/// Followers or followed accounts, newest follow first, as actor ids. Woolly has no setting
/// to hide them yet, so the pages are always shown (Mastodon refuses them for
/// `hide_collections` accounts).
async fn follows(
    woolly: &Woolly,
    username: &str,
    query: Result<Query<PageQuery>, QueryRejection>,
    side: FollowSide,
) -> Result<Response, HttpError> {
    let paging = Paging::read(query)?;
    let actor = shown_local_actor(woolly, username).await?;
    let urls = ActorUrls::of(woolly, &actor.account.username);
    let (id, count) = match side {
        FollowSide::Followers => (urls.followers, actor.account.followers_count),
        FollowSide::Following => (urls.following, actor.account.following_count),
    };
    let total_items = u64::try_from(count).ok();
    if !paging.is_page {
        let first = Some(format!("{id}?page=true"));
        let collection = render::ordered_collection(id, total_items, first, None);
        return Ok(document(Document::Collection(collection)));
    }
    let page = Page {
        max_id: paging.max_id,
        since_id: paging.since_id,
        min_id: paging.min_id,
        limit: FOLLOWS_PAGE_SIZE,
    };
    let rows = woolly
        .relations()
        .follows(actor.account.id, side, page)
        .await?;
    let is_full = i64::try_from(rows.len()).is_ok_and(|count| count >= FOLLOWS_PAGE_SIZE);
    let next = rows
        .last()
        .filter(|_| is_full)
        .map(|(cursor, _)| format!("{id}?max_id={cursor}&page=true"));
    // The first page has nothing before it.
    let prev = rows
        .first()
        .filter(|_| paging.max_id.is_some() || paging.min_id.is_some())
        .map(|(cursor, _)| format!("{id}?min_id={cursor}&page=true"));
    let items = rows
        .iter()
        .map(|(_, account)| IdOrObject::Id(woolly.federation().actor_uri(account)))
        .collect();
    let mut collection =
        render::ordered_collection_page(paging.page_url(&id), id, items, next, prev);
    collection.total_items = total_items;
    Ok(document(Document::Collection(collection)))
}

/// Pinned posts, as notes, newest pin first.
async fn featured(
    State(woolly): State<Woolly>,
    Path(username): Path<String>,
    requester: Requester,
) -> Result<Response, HttpError> {
    let actor = shown_local_actor(&woolly, &username).await?;
    let id = ActorUrls::of(&woolly, &actor.account.username).featured;
    let views = woolly
        .statuses()
        .pinned_statuses(requester.viewer(), actor.account.id)
        .await?;
    let context = render::note_context(&woolly, &views).await?;
    let items = views
        .iter()
        .map(|view| {
            let note = render::note(&woolly, view, &context);
            IdOrObject::Object(Box::new(Document::Object(note)))
        })
        .collect();
    let collection = render::ordered_collection_of(id, items);
    Ok(document(Document::Collection(collection)))
}

/// Featured hashtags: Woolly has none yet, so the collection is empty (an unordered
/// `Collection`, as Mastodon writes this one).
async fn featured_tags(
    State(woolly): State<Woolly>,
    Path(username): Path<String>,
) -> Result<Response, HttpError> {
    let actor = shown_local_actor(&woolly, &username).await?;
    let id = ActorUrls::of(&woolly, &actor.account.username).featured_tags;
    Ok(document(Document::Collection(render::collection(
        id,
        Vec::new(),
    ))))
}
