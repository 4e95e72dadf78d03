//! Collections and their pages, in the four shapes Mastodon writes
//! (`collection_serializer.rb`): a collection that only counts and links to its pages, a page
//! that lists items, ordered (newest first: outboxes, followers, pinned posts) or not (replies,
//! featured hashtags).

use crate::vocab::{Collection, CollectionType, Document, IdOrObject};

/// An ordered collection: its size and its first (and maybe last) page.
pub fn ordered_collection(
    id: String,
    total_items: Option<u64>,
    first: Option<String>,
    last: Option<String>,
) -> Collection {
    Collection {
        id: Some(id),
        kind: CollectionType::OrderedCollection,
        total_items,
        first: first.map(IdOrObject::Id),
        last: last.map(IdOrObject::Id),
        ..Collection::default()
    }
}

/// A page of an ordered collection.
pub fn ordered_collection_page(
    id: String,
    part_of: String,
    items: Vec<IdOrObject<Document>>,
    next: Option<String>,
    prev: Option<String>,
) -> Collection {
    Collection {
        id: Some(id),
        kind: CollectionType::OrderedCollectionPage,
        part_of: Some(part_of),
        ordered_items: Some(items),
        next: next.map(IdOrObject::Id),
        prev: prev.map(IdOrObject::Id),
        ..Collection::default()
    }
}

/// An unordered collection listing all its items.
pub fn collection(id: String, items: Vec<IdOrObject<Document>>) -> Collection {
    Collection {
        id: Some(id),
        kind: CollectionType::Collection,
        total_items: u64::try_from(items.len()).ok(),
        items: Some(items),
        ..Collection::default()
    }
}

/// A page of an unordered collection.
pub fn collection_page(
    id: String,
    part_of: String,
    items: Vec<IdOrObject<Document>>,
    next: Option<String>,
) -> Collection {
    Collection {
        id: Some(id),
        kind: CollectionType::CollectionPage,
        part_of: Some(part_of),
        items: Some(items),
        next: next.map(IdOrObject::Id),
        ..Collection::default()
    }
}

/// An ordered collection listing all its items (pinned posts).
pub fn ordered_collection_of(id: String, items: Vec<IdOrObject<Document>>) -> Collection {
    Collection {
        id: Some(id),
        kind: CollectionType::OrderedCollection,
        total_items: u64::try_from(items.len()).ok(),
        ordered_items: Some(items),
        ..Collection::default()
    }
}
