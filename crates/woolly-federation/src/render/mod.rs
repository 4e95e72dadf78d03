//! Local accounts and statuses as ActivityStreams documents, the way Mastodon's serializers
//! write them (`app/serializers/activitypub/*`): actors, notes and polls, the activities that
//! created them, and collections.
//!
//! Rendering is pure: callers read what they need through core (a status view, its parent's
//! URI) and these functions only arrange it. The delivery side will render the same documents
//! for the activities it sends. Documents come without `@context`; [`with_context`] adds it to
//! the top-level document only, as Mastodon does.

mod actor;
mod collection;
mod status;

use woolly_core::Woolly;

pub use actor::{instance_actor, local_actor};
pub use collection::{
    collection, collection_page, ordered_collection, ordered_collection_of, ordered_collection_page,
};
pub use status::{
    NoteContext, activity, addressing, announce, create, emoji_tag, note, note_context,
    status_collections,
};

use crate::vocab::Document;

/// Where a local actor's documents are: all of them follow from its id, `{base}/users/{name}`,
/// which is also what core stores as the prefix of its statuses' URIs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActorUrls {
    pub id: String,
    pub key_id: String,
    pub inbox: String,
    pub outbox: String,
    pub followers: String,
    pub following: String,
    pub featured: String,
    pub featured_tags: String,
    /// The profile page.
    pub url: String,
}

impl ActorUrls {
    pub fn of(woolly: &Woolly, username: &str) -> ActorUrls {
        ActorUrls::at(
            woolly.federation().local_actor_uri(username),
            woolly.config().urls().profile(username),
        )
    }

    /// The instance actor's (`/actor`), whose page is the home page.
    pub fn of_instance(woolly: &Woolly) -> ActorUrls {
        ActorUrls::at(
            woolly.federation().instance_actor_uri(),
            woolly.config().urls().home_page(),
        )
    }

    fn at(id: String, url: String) -> ActorUrls {
        ActorUrls {
            key_id: format!("{id}#main-key"),
            inbox: format!("{id}/inbox"),
            outbox: format!("{id}/outbox"),
            followers: format!("{id}/followers"),
            following: format!("{id}/following"),
            featured: format!("{id}/collections/featured"),
            featured_tags: format!("{id}/collections/tags"),
            url,
            id,
        }
    }
}

/// The instance's shared inbox.
pub fn shared_inbox(woolly: &Woolly) -> String {
    woolly.config().urls().shared_inbox()
}

/// A document with the `@context` every top-level document Woolly writes carries.
pub fn with_context(document: Document) -> Document {
    let context = Some(crate::vocab::context());
    match document {
        Document::Activity(mut activity) => {
            activity.context = context;
            Document::Activity(activity)
        }
        Document::Actor(mut actor) => {
            actor.context = context;
            Document::Actor(actor)
        }
        Document::Collection(mut collection) => {
            collection.context = context;
            Document::Collection(collection)
        }
        Document::Object(mut object) => {
            object.context = context;
            Document::Object(object)
        }
    }
}

/// The media type of a file Woolly stores, from the extension it gives each processed file
/// (`…/original.png`); `None` for anything else.
pub(crate) fn media_type_of(url: &str) -> Option<&'static str> {
    let extension = url.rsplit_once('.')?.1;
    match extension.to_ascii_lowercase().as_str() {
        "png" => Some("image/png"),
        "jpg" | "jpeg" => Some("image/jpeg"),
        "gif" => Some("image/gif"),
        "webp" => Some("image/webp"),
        _ => None,
    }
}
