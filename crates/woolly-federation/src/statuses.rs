//! Status documents: a local status as a `Note` (or `Question`) at its URI
//! `/users/:username/statuses/:id` (and `/@:username/:id` for servers asking for JSON), the
//! activity that published it at `…/activity`, and its `replies`, `likes` and `shares`
//! collections. Browsers are sent to the status's page, `/@:username/:id`.
//!
//! Only what the requester may see is served: public and unlisted statuses to anonymous
//! requests; anything else is answered as if it did not exist.

use axum::Router;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use woolly_core::statuses::StatusView;
use woolly_core::{RepliesBy, Woolly};
use woolly_http::HttpError;

use crate::negotiation::{ActivityJson, redirect, wants_activity_json};
use crate::render::{self, status_collections, with_context};
use crate::requester::Requester;
use crate::routes::{PageQuery, Paging, status_id};
use crate::vocab::{Collection, CollectionType, Document, IdOrObject};

/// Replies per page, as Mastodon's `RepliesController::DESCENDANTS_LIMIT`.
const REPLIES_PER_PAGE: i64 = 60;

pub(crate) fn router() -> Router<Woolly> {
    Router::new()
        .route("/users/{username}/statuses/{id}", get(status))
        .route("/users/{username}/statuses/{id}/activity", get(activity))
        .route("/users/{username}/statuses/{id}/replies", get(replies))
        .route("/users/{username}/statuses/{id}/likes", get(likes))
        .route("/users/{username}/statuses/{id}/shares", get(shares))
}

async fn find(
    woolly: &Woolly,
    requester: Requester,
    username: &str,
    id: &str,
) -> Result<StatusView, HttpError> {
    let id = status_id(id)?;
    Ok(woolly
        .federation()
        .local_status(requester.viewer(), username, id)
        .await?)
}

/// The note of a status that is not a reblog, as a top-level document.
async fn note_document(woolly: &Woolly, view: &StatusView) -> Result<Response, HttpError> {
    let context = render::note_context(woolly, std::slice::from_ref(view)).await?;
    let note = render::note(woolly, view, &context);
    Ok(ActivityJson(with_context(Document::Object(note))).into_response())
}

/// Where a reblog sends its readers: the reblogged status (its id for servers, its page for
/// people), as Mastodon's `redirect_to_original` does.
fn original_of(view: &StatusView, wants_json: bool) -> Option<Response> {
    let original = &view.reblog.as_ref()?.status;
    let location = if wants_json {
        &original.uri
    } else {
        original.url.as_ref().unwrap_or(&original.uri)
    };
    Some(redirect(location))
}

async fn status(
    State(woolly): State<Woolly>,
    Path((username, id)): Path<(String, String)>,
    requester: Requester,
    headers: HeaderMap,
) -> Result<Response, HttpError> {
    let view = find(&woolly, requester, &username, &id).await?;
    let wants_json = wants_activity_json(&headers);
    if let Some(to_original) = original_of(&view, wants_json) {
        return Ok(to_original);
    }
    if wants_json {
        note_document(&woolly, &view).await
    } else {
        Ok(redirect(
            view.status.url.as_ref().unwrap_or(&view.status.uri),
        ))
    }
}

/// `/@name/:id` for servers: the Note, as at its id (the binary sends browsers to the web
/// interface's thread page instead).
pub(crate) async fn status_page(
    State(woolly): State<Woolly>,
    Path((username, id)): Path<(String, String)>,
    requester: Requester,
) -> Result<Response, HttpError> {
    let view = find(&woolly, requester, &username, &id).await?;
    if let Some(to_original) = original_of(&view, true) {
        return Ok(to_original);
    }
    note_document(&woolly, &view).await
}

async fn activity(
    State(woolly): State<Woolly>,
    Path((username, id)): Path<(String, String)>,
    requester: Requester,
) -> Result<Response, HttpError> {
    let view = find(&woolly, requester, &username, &id).await?;
    let context = render::note_context(&woolly, std::slice::from_ref(&view)).await?;
    let activity = render::activity(&woolly, &view, &context);
    Ok(ActivityJson(with_context(Document::Activity(activity))).into_response())
}

/// The public replies, as Mastodon pages them: the author's own first (the rest of a thread),
/// then everyone else's; local replies embedded as notes, remote ones by URI.
async fn replies(
    State(woolly): State<Woolly>,
    Path((username, id)): Path<(String, String)>,
    requester: Requester,
    query: Result<Query<PageQuery>, QueryRejection>,
) -> Result<Response, HttpError> {
    let paging = Paging::read(query)?;
    let view = find(&woolly, requester, &username, &id).await?;
    if view.reblog.is_some() {
        return Err(HttpError::not_found());
    }
    let (collection_id, _, _) = status_collections(&view.status.uri);
    let by = if paging.only_other_accounts {
        RepliesBy::Others
    } else {
        RepliesBy::Author
    };
    let replies = woolly
        .federation()
        .public_replies(&view, by, paging.min_id, REPLIES_PER_PAGE)
        .await?;
    let is_full = i64::try_from(replies.len()).is_ok_and(|count| count >= REPLIES_PER_PAGE);
    let last_id = replies.last().map(|reply| reply.status.id);
    let page_url = |min_id: Option<i64>, by: RepliesBy| {
        let mut url = format!("{collection_id}?page=true");
        if let Some(min_id) = min_id {
            url.push_str(&format!("&min_id={min_id}"));
        }
        if by == RepliesBy::Others {
            url.push_str("&only_other_accounts=true");
        }
        url
    };
    let next = match by {
        RepliesBy::Others => is_full.then(|| page_url(last_id, RepliesBy::Others)),
        RepliesBy::Author if is_full => Some(page_url(last_id, RepliesBy::Author)),
        // The author's replies are done; everyone else's follow.
        RepliesBy::Author => Some(page_url(None, RepliesBy::Others)),
    };
    let context = render::note_context(&woolly, &replies).await?;
    let items = replies
        .iter()
        .map(|reply| {
            if reply.status.is_local {
                IdOrObject::Object(Box::new(Document::Object(render::note(
                    &woolly, reply, &context,
                ))))
            } else {
                IdOrObject::Id(reply.status.uri.clone())
            }
        })
        .collect();
    let page = render::collection_page(
        page_url(paging.min_id, by),
        collection_id.clone(),
        items,
        next,
    );
    let document = if paging.is_page {
        page
    } else {
        Collection {
            id: Some(collection_id),
            kind: CollectionType::Collection,
            first: Some(IdOrObject::Object(Box::new(page))),
            ..Collection::default()
        }
    };
    Ok(ActivityJson(with_context(Document::Collection(document))).into_response())
}

/// Likes and shares are counted, not listed, as Mastodon counts them.
async fn counted(
    woolly: &Woolly,
    requester: Requester,
    username: &str,
    id: &str,
    shares: bool,
) -> Result<Response, HttpError> {
    let view = find(woolly, requester, username, id).await?;
    if view.reblog.is_some() {
        return Err(HttpError::not_found());
    }
    let (_, likes_id, shares_id) = status_collections(&view.status.uri);
    let (id, count) = if shares {
        (shares_id, view.status.reblogs_count)
    } else {
        (likes_id, view.status.favourites_count)
    };
    let collection = Collection {
        id: Some(id),
        kind: CollectionType::Collection,
        total_items: u64::try_from(count).ok(),
        ..Collection::default()
    };
    Ok(ActivityJson(with_context(Document::Collection(collection))).into_response())
}

async fn likes(
    State(woolly): State<Woolly>,
    Path((username, id)): Path<(String, String)>,
    requester: Requester,
) -> Result<Response, HttpError> {
    counted(&woolly, requester, &username, &id, false).await
}

async fn shares(
    State(woolly): State<Woolly>,
    Path((username, id)): Path<(String, String)>,
    requester: Requester,
) -> Result<Response, HttpError> {
    counted(&woolly, requester, &username, &id, true).await
}
