//! Actors: the people, bots, groups and servers that act (`Person`, `Service`, `Group`,
//! `Application`, `Organization`), with their collections, key and profile.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::lenient::{self, Timestamp};
use super::object::{Attachment, ImageObject, LinkRef, Tag};

/// An actor's type.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum ActorType {
    Person,
    /// Bots (Mastodon writes bots as `Service` and reads `Application` the same way).
    Service,
    Group,
    /// Server actors (Mastodon's instance actor).
    Application,
    Organization,
    /// Any other type; Mastodon treats such an actor as a `Person`.
    #[default]
    #[serde(other)]
    Unknown,
}

impl ActorType {
    /// Bots and server actors: Mastodon sets `bot` for both.
    pub fn is_automated(self) -> bool {
        matches!(self, ActorType::Service | ActorType::Application)
    }
}

/// An actor document.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Actor {
    #[serde(
        rename = "@context",
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient::any"
    )]
    pub context: Option<Value>,
    /// Required: an actor without an id cannot be referred to.
    pub id: String,
    #[serde(rename = "type", default, deserialize_with = "actor_type")]
    pub kind: ActorType,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient::optional"
    )]
    pub preferred_username: Option<String>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient::optional"
    )]
    pub name: Option<String>,
    #[serde(
        default,
        skip_serializing_if = "BTreeMap::is_empty",
        deserialize_with = "lenient::language_map"
    )]
    pub name_map: BTreeMap<String, String>,
    /// The profile text, HTML.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient::optional"
    )]
    pub summary: Option<String>,
    #[serde(
        default,
        skip_serializing_if = "BTreeMap::is_empty",
        deserialize_with = "lenient::language_map"
    )]
    pub summary_map: BTreeMap<String, String>,
    /// The profile page (`LinkRef::html_url` picks the HTML one when there are several).
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        serialize_with = "lenient::single_or_array",
        deserialize_with = "lenient::one_or_many"
    )]
    pub url: Vec<LinkRef>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient::id"
    )]
    pub inbox: Option<String>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient::id"
    )]
    pub outbox: Option<String>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient::id"
    )]
    pub following: Option<String>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient::id"
    )]
    pub followers: Option<String>,
    /// Pinned posts.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient::id"
    )]
    pub featured: Option<String>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient::id"
    )]
    pub featured_tags: Option<String>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient::optional"
    )]
    pub endpoints: Option<Endpoints>,
    /// The key its HTTP signatures verify with (the first, when a server lists several).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient::optional"
    )]
    pub public_key: Option<PublicKey>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient::boolean"
    )]
    pub manually_approves_followers: Option<bool>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient::boolean"
    )]
    pub discoverable: Option<bool>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient::boolean"
    )]
    pub indexable: Option<bool>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient::optional"
    )]
    pub published: Option<Timestamp>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient::boolean"
    )]
    pub memorial: Option<bool>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient::boolean"
    )]
    pub suspended: Option<bool>,
    /// The avatar.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient::optional"
    )]
    pub icon: Option<ImageObject>,
    /// The header image.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient::optional"
    )]
    pub image: Option<ImageObject>,
    /// Custom emojis (and hashtags) of the profile.
    #[serde(default, deserialize_with = "lenient::one_or_many")]
    pub tag: Vec<Tag>,
    /// Profile fields (`PropertyValue`).
    #[serde(default, deserialize_with = "lenient::one_or_many")]
    pub attachment: Vec<Attachment>,
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "lenient::ids"
    )]
    pub also_known_as: Vec<String>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient::id"
    )]
    pub moved_to: Option<String>,
}

fn actor_type<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<ActorType, D::Error> {
    lenient::kind(deserializer)
}

impl Actor {
    /// The inbox to deliver to: the shared one when the actor has one.
    pub fn preferred_inbox(&self) -> Option<&str> {
        self.endpoints
            .as_ref()
            .and_then(|endpoints| endpoints.shared_inbox.as_deref())
            .or(self.inbox.as_deref())
    }
}

/// An actor's other endpoints.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Endpoints {
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient::id"
    )]
    pub shared_inbox: Option<String>,
}

/// An actor's public key (`publicKey`), for HTTP signatures.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PublicKey {
    /// The key id (`…#main-key`) that signatures name as `keyId`.
    pub id: String,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient::id"
    )]
    pub owner: Option<String>,
    /// SubjectPublicKeyInfo in PEM.
    pub public_key_pem: String,
}
