//! Woolly's federation with the fediverse. So far: the discovery documents other servers and
//! crawlers read first (NodeInfo and host-meta). ActivityPub (actors, inboxes, signatures,
//! delivery) comes next and will live here too.

mod discovery;

use axum::Router;
use woolly_core::Woolly;

/// Every federation route.
pub fn router() -> Router<Woolly> {
    discovery::router()
}
