//! What every front door of Woolly shares over HTTP (the client API, federation, and the web
//! interface to come): the one error type and its Mastodon-shaped JSON body, the lenient
//! extractors Mastodon's clients rely on, page parameters and `Link` headers, timestamps in
//! Mastodon's shape, who is asking (token, address), and the rate limiter.
//!
//! It knows core's errors and page type and nothing of the store: a front door depends on this
//! crate and on core, never on another front door.

pub mod caller;
pub mod error;
pub mod extract;
pub mod headers;
pub mod lenient;
pub mod pagination;
pub mod rate_limit;
pub mod time;

pub use error::{HttpError, json_error_bodies};
