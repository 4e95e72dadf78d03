//! Actor documents: `/users/:username` (and `/@:username` for servers asking for JSON), the
//! instance actor at `/actor` with its empty outbox and pinned posts (`featured`), and custom
//! emojis at `/emojis/:shortcode`.
//! Browsers asking for `/users/:username` are sent to the profile page, `/@:username`.

use axum::Router;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use woolly_core::Woolly;
use woolly_http::HttpError;

use crate::negotiation::{ActivityJson, redirect, wants_activity_json};
use crate::render::{self, ActorUrls, with_context};
use crate::requester::Requester;
use crate::routes::local_actor;
use crate::vocab::{Collection, CollectionType, Document};

pub(crate) fn router() -> Router<Woolly> {
    Router::new()
        .route("/users/{username}", get(actor))
        .route("/actor", get(instance_actor))
        .route("/actor/outbox", get(instance_actor_outbox))
        .route("/actor/collections/featured", get(instance_actor_featured))
        .route("/emojis/{shortcode}", get(emoji))
}

async fn actor(
    State(woolly): State<Woolly>,
    Path(username): Path<String>,
    headers: HeaderMap,
    requester: Result<Requester, HttpError>,
) -> Result<Response, HttpError> {
    let actor = local_actor(&woolly, &username).await?;
    if wants_activity_json(&headers) {
        // With authorized fetch, only signed requests get the document.
        requester?;
        let document = render::local_actor(&woolly, &actor);
        Ok(ActivityJson(with_context(Document::Actor(document))).into_response())
    } else {
        Ok(redirect(
            &ActorUrls::of(&woolly, &actor.account.username).url,
        ))
    }
}

/// `/@name` for servers: the actor, as at its id (the binary sends browsers to the web
/// interface's profile page instead).
pub(crate) async fn profile(
    State(woolly): State<Woolly>,
    Path(username): Path<String>,
    requester: Result<Requester, HttpError>,
) -> Result<Response, HttpError> {
    let actor = local_actor(&woolly, &username).await?;
    requester?;
    let document = render::local_actor(&woolly, &actor);
    Ok(ActivityJson(with_context(Document::Actor(document))).into_response())
}

async fn instance_actor(State(woolly): State<Woolly>) -> Response {
    let document = render::instance_actor(&woolly);
    ActivityJson(with_context(Document::Actor(document))).into_response()
}

/// An empty ordered collection of the instance actor's.
fn empty_collection(id: String) -> Response {
    let collection = Collection {
        id: Some(id),
        kind: CollectionType::OrderedCollection,
        total_items: Some(0),
        ordered_items: Some(Vec::new()),
        ..Collection::default()
    };
    ActivityJson(with_context(Document::Collection(collection))).into_response()
}

/// The instance actor posts nothing.
async fn instance_actor_outbox(State(woolly): State<Woolly>) -> Response {
    empty_collection(ActorUrls::of_instance(&woolly).outbox)
}

/// Nor pins anything; but GoToSocial fetches every actor's `featured` and logs an error for
/// one it cannot read, so the instance actor has an empty one.
async fn instance_actor_featured(State(woolly): State<Woolly>) -> Response {
    empty_collection(ActorUrls::of_instance(&woolly).featured)
}

/// A custom emoji of this instance, where its `Emoji` tags' ids point.
async fn emoji(
    State(woolly): State<Woolly>,
    Path(shortcode): Path<String>,
) -> Result<Response, HttpError> {
    let emoji = woolly
        .federation()
        .local_emoji(&shortcode)
        .await?
        .ok_or_else(HttpError::not_found)?;
    let tag = render::emoji_tag(&woolly, &emoji);
    let mut document = serde_json::to_value(&tag).map_err(|error| HttpError::internal(&error))?;
    if let serde_json::Value::Object(fields) = &mut document {
        fields.insert("@context".to_owned(), crate::vocab::context());
    }
    Ok(ActivityJson(document).into_response())
}
