//! The ActivityStreams vocabulary Woolly writes and reads: actors, objects (notes and the rest),
//! activities, collections, and their parts (tags, attachments, keys).
//!
//! One set of types serves both directions. Writing, they produce what Mastodon produces (field
//! names, the `@context` of [`context`]), leaving absent what is absent. Reading, they accept
//! what the fediverse actually sends (see [`lenient`]): a single value for an array and the
//! reverse, an embedded object for an id and the reverse, language maps, any `@context`, unknown
//! fields and types. [`Document::from_json`] reads any document and sorts it by its `type`.
//!
//! No JSON-LD processing happens: terms are read by their usual compact names, which is what
//! every server in the fediverse does (see ARCHITECTURE.md, "JSON-LD").

mod activity;
mod actor;
mod collection;
pub mod lenient;
mod object;

use serde::de::Error as _;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value;

pub use activity::{Activity, ActivityType};
pub use actor::{Actor, ActorType, Endpoints, PublicKey};
pub use collection::{Collection, CollectionType};
pub use lenient::{Timestamp, id_of};
pub use object::{
    Attachment, AttachmentType, ImageObject, LinkRef, Object, ObjectType, PollClosed, PollOption,
    Source, Tag, TagType,
};

/// The magic collection that addresses everyone.
pub const PUBLIC: &str = "https://www.w3.org/ns/activitystreams#Public";
/// The ActivityStreams context.
pub const ACTIVITYSTREAMS: &str = "https://www.w3.org/ns/activitystreams";
/// The media type of ActivityPub documents.
pub const ACTIVITY_JSON: &str = "application/activity+json";

/// Whether an addressee is the public collection, in any of its three spellings (Mastodon's
/// `TagManager#public_collection?`).
pub fn is_public(addressee: &str) -> bool {
    matches!(addressee, PUBLIC | "as:Public" | "Public")
}

/// The `@context` of every document Woolly writes: ActivityStreams, the security vocabulary
/// (for `publicKey`), and the extension terms Mastodon defines, under the names Mastodon gives
/// them (`app/lib/activitypub/adapter.rb`), so that peers reading compact terms and the rare
/// JSON-LD processor agree. One fixed context for all documents keeps them cacheable and simple;
/// terms a document does not use cost nothing.
pub fn context() -> Value {
    serde_json::json!([
        ACTIVITYSTREAMS,
        "https://w3id.org/security/v1",
        {
            "manuallyApprovesFollowers": "as:manuallyApprovesFollowers",
            "sensitive": "as:sensitive",
            "Hashtag": "as:Hashtag",
            "movedTo": { "@id": "as:movedTo", "@type": "@id" },
            "alsoKnownAs": { "@id": "as:alsoKnownAs", "@type": "@id" },
            "toot": "http://joinmastodon.org/ns#",
            "Emoji": "toot:Emoji",
            "featured": { "@id": "toot:featured", "@type": "@id" },
            "featuredTags": { "@id": "toot:featuredTags", "@type": "@id" },
            "discoverable": "toot:discoverable",
            "indexable": "toot:indexable",
            "memorial": "toot:memorial",
            "suspended": "toot:suspended",
            "votersCount": "toot:votersCount",
            "blurhash": "toot:blurhash",
            "focalPoint": { "@container": "@list", "@id": "toot:focalPoint" },
            "schema": "http://schema.org#",
            "PropertyValue": "schema:PropertyValue",
            "value": "schema:value"
        }
    ])
}

/// Any ActivityPub document, sorted by its `type`: an activity, an actor, a collection, or an
/// object (notes, articles, tombstones and everything else).
#[derive(Debug, Clone, PartialEq)]
pub enum Document {
    Activity(Activity),
    Actor(Actor),
    Collection(Collection),
    Object(Object),
}

impl Document {
    /// Reads a document from JSON text. Errors only for text that is not JSON, not an object,
    /// has no `type`, or lacks what its type requires (an actor's `id`).
    pub fn from_json(text: &str) -> Result<Document, serde_json::Error> {
        serde_json::from_str(text)
    }

    /// Its `id`, when it has one.
    pub fn id(&self) -> Option<&str> {
        match self {
            Document::Activity(activity) => activity.id.as_deref(),
            Document::Actor(actor) => Some(&actor.id),
            Document::Collection(collection) => collection.id.as_deref(),
            Document::Object(object) => object.id.as_deref(),
        }
    }

    fn from_value(value: Value) -> Result<Document, serde_json::Error> {
        let Value::Object(fields) = &value else {
            return Err(serde_json::Error::custom("a document is a JSON object"));
        };
        let names: Vec<&str> = match fields.get("type") {
            Some(Value::String(name)) => vec![name.as_str()],
            Some(Value::Array(names)) => names.iter().filter_map(Value::as_str).collect(),
            _ => Vec::new(),
        };
        if names.is_empty() {
            return Err(serde_json::Error::custom("a document needs a type"));
        }
        let family = names
            .iter()
            .map(|name| Family::of(name))
            .find(|family| *family != Family::Object)
            .unwrap_or(Family::Object);
        Ok(match family {
            Family::Activity => Document::Activity(Activity::deserialize(value)?),
            Family::Actor => Document::Actor(Actor::deserialize(value)?),
            Family::Collection => Document::Collection(Collection::deserialize(value)?),
            Family::Object => Document::Object(Object::deserialize(value)?),
        })
    }
}

/// Which of the four document types a `type` name belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Family {
    Activity,
    Actor,
    Collection,
    Object,
}

impl Family {
    fn of(name: &str) -> Family {
        if is_known::<ActivityType>(name) {
            Family::Activity
        } else if is_known::<ActorType>(name) {
            Family::Actor
        } else if is_known::<CollectionType>(name) {
            Family::Collection
        } else {
            Family::Object
        }
    }
}

/// Whether `name` is one of the named variants of a type enum (not its `Unknown`).
fn is_known<T>(name: &str) -> bool
where
    T: serde::de::DeserializeOwned + Default + PartialEq,
{
    T::deserialize(Value::String(name.to_owned())).is_ok_and(|kind| kind != T::default())
}

impl<'de> Deserialize<'de> for Document {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Document, D::Error> {
        Document::from_value(Value::deserialize(deserializer)?).map_err(D::Error::custom)
    }
}

impl Serialize for Document {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Document::Activity(activity) => activity.serialize(serializer),
            Document::Actor(actor) => actor.serialize(serializer),
            Document::Collection(collection) => collection.serialize(serializer),
            Document::Object(object) => object.serialize(serializer),
        }
    }
}

/// A reference that is either an id or the embedded document itself: `"object":
/// "https://…/1"` and `"object": {"id": "https://…/1", "type": "Note", …}` are both common.
#[derive(Debug, Clone, PartialEq)]
pub enum IdOrObject<T> {
    Id(String),
    Object(Box<T>),
}

/// What has an id (the embedded side of [`IdOrObject`]).
pub trait HasId {
    fn id(&self) -> Option<&str>;
}

impl HasId for Document {
    fn id(&self) -> Option<&str> {
        Document::id(self)
    }
}

impl HasId for Collection {
    fn id(&self) -> Option<&str> {
        self.id.as_deref()
    }
}

impl HasId for Actor {
    fn id(&self) -> Option<&str> {
        Some(&self.id)
    }
}

impl<T: HasId> IdOrObject<T> {
    /// The id referred to: the string itself, or the embedded document's id.
    pub fn id(&self) -> Option<&str> {
        match self {
            IdOrObject::Id(id) => Some(id),
            IdOrObject::Object(object) => object.id(),
        }
    }
}

impl<T> IdOrObject<T> {
    /// The embedded document, when there is one.
    pub fn object(&self) -> Option<&T> {
        match self {
            IdOrObject::Id(_) => None,
            IdOrObject::Object(object) => Some(object),
        }
    }
}

impl<T: Serialize> Serialize for IdOrObject<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            IdOrObject::Id(id) => serializer.serialize_str(id),
            IdOrObject::Object(object) => object.serialize(serializer),
        }
    }
}

impl<'de, T: serde::de::DeserializeOwned> Deserialize<'de> for IdOrObject<T> {
    /// A string is an id. An object is the embedded document when it reads as one, and
    /// otherwise (an unknown shape with an id) a reference by its id.
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<IdOrObject<T>, D::Error> {
        match Value::deserialize(deserializer)? {
            Value::String(id) if !id.is_empty() => Ok(IdOrObject::Id(id)),
            object @ Value::Object(_) => match T::deserialize(object.clone()) {
                Ok(embedded) => Ok(IdOrObject::Object(Box::new(embedded))),
                Err(error) => id_of(&object)
                    .map(IdOrObject::Id)
                    .ok_or(D::Error::custom(error)),
            },
            Value::Array(items) => items
                .into_iter()
                .find_map(|item| IdOrObject::<T>::deserialize(item).ok())
                .ok_or(D::Error::custom("no usable reference in the array")),
            _ => Err(D::Error::custom("a reference is an id or an object")),
        }
    }
}
