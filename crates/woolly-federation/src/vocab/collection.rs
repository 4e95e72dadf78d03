//! Collections: outboxes, followers, pinned posts, replies, and their pages.

use serde::{Deserialize, Deserializer, Serialize};
use serde_json::Value;

use super::lenient;
use super::{Document, IdOrObject};

/// A collection's type.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum CollectionType {
    Collection,
    OrderedCollection,
    CollectionPage,
    OrderedCollectionPage,
    #[default]
    #[serde(other)]
    Unknown,
}

impl CollectionType {
    pub fn is_page(self) -> bool {
        matches!(
            self,
            CollectionType::CollectionPage | CollectionType::OrderedCollectionPage
        )
    }
}

/// A collection or a page of one. Items are ids or embedded documents; an ordered collection
/// lists them in `orderedItems`, another in `items` ([`Collection::all_items`] reads either).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Collection {
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
    #[serde(rename = "type", default, deserialize_with = "collection_type")]
    pub kind: CollectionType,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient::count"
    )]
    pub total_items: Option<u64>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient::optional"
    )]
    pub first: Option<IdOrObject<Collection>>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient::optional"
    )]
    pub last: Option<IdOrObject<Collection>>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient::optional"
    )]
    pub next: Option<IdOrObject<Collection>>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient::optional"
    )]
    pub prev: Option<IdOrObject<Collection>>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient::id"
    )]
    pub part_of: Option<String>,
    /// Items of an unordered collection (`None`: the field is absent, as in a collection that
    /// only links to its pages).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "items"
    )]
    pub items: Option<Vec<IdOrObject<Document>>>,
    /// Items of an ordered collection, newest first.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "items"
    )]
    pub ordered_items: Option<Vec<IdOrObject<Document>>>,
}

fn collection_type<'de, D: Deserializer<'de>>(deserializer: D) -> Result<CollectionType, D::Error> {
    lenient::kind(deserializer)
}

fn items<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<Vec<IdOrObject<Document>>>, D::Error> {
    Ok(Some(lenient::one_or_many(deserializer)?))
}

impl Collection {
    /// The items, whether listed as `orderedItems` or `items`.
    pub fn all_items(&self) -> &[IdOrObject<Document>] {
        self.ordered_items
            .as_deref()
            .or(self.items.as_deref())
            .unwrap_or_default()
    }
}
