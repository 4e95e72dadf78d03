//! Woolly's federation with the fediverse: the ActivityPub vocabulary ([`vocab`]), how local
//! accounts and statuses look to other servers (actors, notes, activities and collections, with
//! content negotiation), WebFinger, and the discovery documents crawlers read first (NodeInfo,
//! host-meta).
//!
//! HTTP signatures (draft-cavage) are signed and verified by [`signatures`]; inboxes and
//! delivery are not built yet. Signed fetches plug in at [`requester::Requester`].

mod actors;
pub mod client;
mod collections;
mod discovery;
pub mod negotiation;
pub mod render;
pub mod requester;
mod routes;
pub mod signatures;
mod statuses;
pub mod vocab;
mod web;
mod webfinger;

use axum::Router;
use woolly_core::Woolly;

/// Every federation route.
pub fn router() -> Router<Woolly> {
    discovery::router()
        .merge(webfinger::router())
        .merge(actors::router())
        .merge(statuses::router())
        .merge(collections::router())
}
