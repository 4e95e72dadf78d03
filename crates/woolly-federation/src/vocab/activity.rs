//! Activities: what actors do (`Create`, `Update`, `Delete`, `Follow`, `Accept`, `Reject`,
//! `Undo`, `Like`, `Announce`, `Block`, `Flag`, `Add`, `Remove`, `Move`, and the `EmojiReact`
//! of Pleroma and Misskey).

use serde::{Deserialize, Deserializer, Serialize};
use serde_json::Value;

use super::lenient::{self, Timestamp};
use super::object::Tag;
use super::{Actor, Document, IdOrObject};

/// An activity's type.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum ActivityType {
    Create,
    Update,
    Delete,
    Follow,
    Accept,
    Reject,
    Undo,
    Like,
    Announce,
    Block,
    /// A report.
    Flag,
    /// Pinning (to `featured`).
    Add,
    Remove,
    /// Account migration.
    Move,
    EmojiReact,
    /// Any other activity; servers ignore those they do not know.
    #[default]
    #[serde(other)]
    Unknown,
}

/// An activity.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Activity {
    #[serde(
        rename = "@context",
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient::any"
    )]
    pub context: Option<Value>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient::optional"
    )]
    pub id: Option<String>,
    #[serde(rename = "type", default, deserialize_with = "activity_type")]
    pub kind: ActivityType,
    /// Who acts: usually an id, sometimes the embedded actor.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient::optional"
    )]
    pub actor: Option<IdOrObject<Actor>>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient::optional"
    )]
    pub published: Option<Timestamp>,
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "lenient::ids"
    )]
    pub to: Vec<String>,
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "lenient::ids"
    )]
    pub cc: Vec<String>,
    /// What it acts on: an id or an embedded document, or several (a `Flag` lists the reported
    /// account and statuses).
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        serialize_with = "lenient::single_or_array",
        deserialize_with = "lenient::one_or_many"
    )]
    pub object: Vec<IdOrObject<Document>>,
    /// Where it acts (`Add`/`Remove`: the collection; `Move`: the new account).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient::optional"
    )]
    pub target: Option<IdOrObject<Document>>,
    /// A report's comment, or a reaction's emoji.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient::optional"
    )]
    pub content: Option<String>,
    /// A custom emoji reaction's emoji.
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "lenient::one_or_many"
    )]
    pub tag: Vec<Tag>,
}

fn activity_type<'de, D: Deserializer<'de>>(deserializer: D) -> Result<ActivityType, D::Error> {
    lenient::kind(deserializer)
}

impl Activity {
    /// The acting actor's id.
    pub fn actor_id(&self) -> Option<&str> {
        self.actor.as_ref().and_then(IdOrObject::id)
    }

    /// The (first) object acted on.
    pub fn first_object(&self) -> Option<&IdOrObject<Document>> {
        self.object.first()
    }
}
