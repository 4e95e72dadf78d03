//! Woolly's Mastodon client API: the routes real Mastodon apps call, the entities they read, and
//! the error shape they expect.
//!
//! Handlers parse input with the shared extractors of [`woolly_http`], authenticate with
//! [`auth::Auth`], call a use case on [`woolly_core::Woolly`], and render an entity from
//! [`entities`]. Every error leaves as Mastodon's `{"error": "..."}` ([`woolly_http::HttpError`]);
//! no handler writes SQL or decides a rule.

pub mod auth;
pub mod entities;
mod routes;

use axum::Router;
use woolly_core::Woolly;

/// Every route of the client API (and the static assets its entities link to).
pub fn router() -> Router<Woolly> {
    routes::router()
}
