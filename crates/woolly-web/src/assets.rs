//! The web interface's own files: its stylesheet, compiled into the binary and served from this
//! server only (no CDN, no web fonts). Pages link it with a version taken from its content, so
//! browsers may keep it a year and still get a new one after an upgrade.

use std::sync::LazyLock;

use axum::Router;
use axum::http::{HeaderValue, header};
use axum::response::IntoResponse;
use axum::routing::get;
use woolly_core::Woolly;

const STYLESHEET: &str = include_str!("../assets/woolly.css");

/// The stylesheet's path with its version: an FNV-1a hash of its content.
static STYLESHEET_PATH: LazyLock<String> = LazyLock::new(|| {
    let hash = STYLESHEET
        .bytes()
        .fold(0xcbf2_9ce4_8422_2325_u64, |hash, byte| {
            (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3)
        });
    format!("/assets/woolly.css?v={:08x}", hash >> 32)
});

/// Where pages link the stylesheet.
pub fn stylesheet_path() -> &'static str {
    &STYLESHEET_PATH
}

pub(crate) fn router() -> Router<Woolly> {
    Router::new().route("/assets/woolly.css", get(stylesheet))
}

async fn stylesheet() -> impl IntoResponse {
    (
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/css; charset=utf-8"),
            ),
            (
                header::CACHE_CONTROL,
                HeaderValue::from_static("public, max-age=31536000, immutable"),
            ),
        ],
        STYLESHEET,
    )
}
