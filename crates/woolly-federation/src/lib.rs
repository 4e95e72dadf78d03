//! Woolly's federation with the fediverse: the ActivityPub vocabulary ([`vocab`]), how local
//! accounts and statuses look to other servers (actors, notes, activities and collections, with
//! content negotiation), WebFinger, and the discovery documents crawlers read first (NodeInfo,
//! host-meta).
//!
//! HTTP signatures (draft-cavage) are signed and verified by [`signatures`]. Activities arrive
//! at the [`inbox`] and are processed as jobs ([`inbound`]); local actions leave through
//! [`delivery`], also as jobs. [`remote::Federation`] fetches from other servers with the one
//! SSRF-safe [`client::RemoteClient`]. Signed fetches plug in at [`requester::Requester`].

mod actor_counts;
mod actors;
mod archive;
pub mod client;
mod collections;
pub mod delivery;
mod discovery;
pub mod inbound;
mod inbox;
mod link_previews;
pub mod negotiation;
pub mod remote;
pub mod render;
mod replies;
pub mod requester;
mod routes;
mod server_software;
pub mod signatures;
mod statuses;
pub mod vocab;
mod webfinger;

use std::sync::Arc;

use axum::routing::{MethodRouter, get};
use axum::{Extension, Router};
use woolly_core::Woolly;
use woolly_core::jobs::JobHandlers;

pub use remote::{Federation, FederationError};

/// Every federation route.
pub fn router(federation: Federation) -> Router<Woolly> {
    discovery::router()
        .merge(webfinger::router())
        .merge(actors::router())
        .merge(statuses::router())
        .merge(collections::router())
        .merge(inbox::router())
        .layer(Extension(federation))
}

/// The actor's document at the address of a person's page, `/@name`, for servers that ask
/// there; the binary pairs it with the web interface's page for people.
pub fn actor_at_profile_address(federation: &Federation) -> MethodRouter<Woolly> {
    get(actors::profile).layer(Extension(federation.clone()))
}

/// The Note at the address of a status's page, `/@name/:id`, paired likewise.
pub fn note_at_status_address(federation: &Federation) -> MethodRouter<Woolly> {
    get(statuses::status_page).layer(Extension(federation.clone()))
}

/// Connects an instance to the fediverse: its client for remote requests, and the remote
/// lookups core's search uses.
/// Connecting the same instance twice is an error.
pub fn connect(woolly: &Woolly) -> Result<Federation, FederationError> {
    let federation = Federation::new(woolly)?;
    woolly.install_remote_resolver(Arc::new(federation.clone()))?;
    Ok(federation)
}

/// Adds the jobs federation runs: processing received activities, delivering local ones,
/// fetching missing replies, asking servers what software they run, reading linked pages for
/// their previews.
pub fn register_jobs(handlers: &mut JobHandlers, federation: &Federation) {
    handlers.register(inbound::InboundJob {
        federation: federation.clone(),
    });
    handlers.register(delivery::DeliverJob {
        federation: federation.clone(),
    });
    handlers.register(replies::FetchRepliesJob {
        federation: federation.clone(),
    });
    handlers.register(server_software::ServerSoftwareJob {
        federation: federation.clone(),
    });
    handlers.register(archive::BuildArchiveJob);
    handlers.register(link_previews::LinkPreviewJob {
        federation: federation.clone(),
    });
}
