//! The web interface's own files: its stylesheet, its one script and its icon, compiled into the binary and served from this
//! server only (no CDN, no web fonts). Pages link it with a version taken from its content, so
//! browsers may keep it a year and still get a new one after an upgrade.

use std::sync::LazyLock;

use axum::Router;
use axum::http::{HeaderValue, header};
use axum::response::IntoResponse;
use axum::routing::get;
use woolly_core::Woolly;

const STYLESHEET: &str = include_str!("../assets/woolly.css");
const ICON: &str = include_str!("../assets/favicon.svg");
const SCRIPT: &str = include_str!("../assets/woolly.js");

/// A file's path with its version: an FNV-1a hash of its content.
fn versioned(path: &str, content: &str) -> String {
    let hash = content
        .bytes()
        .fold(0xcbf2_9ce4_8422_2325_u64, |hash, byte| {
            (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3)
        });
    format!("{path}?v={:08x}", hash >> 32)
}

static STYLESHEET_PATH: LazyLock<String> =
    LazyLock::new(|| versioned("/assets/woolly.css", STYLESHEET));
static SCRIPT_PATH: LazyLock<String> = LazyLock::new(|| versioned("/assets/woolly.js", SCRIPT));

/// Where pages link the stylesheet.
pub fn stylesheet_path() -> &'static str {
    &STYLESHEET_PATH
}

/// Where pages load the script that enhances them.
pub fn script_path() -> &'static str {
    &SCRIPT_PATH
}

pub(crate) fn router() -> Router<Woolly> {
    Router::new()
        .route(
            "/assets/woolly.css",
            get(|| file("text/css; charset=utf-8", STYLESHEET, YEAR)),
        )
        .route(
            "/assets/woolly.js",
            get(|| file("text/javascript; charset=utf-8", SCRIPT, YEAR)),
        )
        // Browsers ask for `/favicon.ico` on their own; an SVG answers both.
        .route("/favicon.svg", get(|| file("image/svg+xml", ICON, DAY)))
        .route("/favicon.ico", get(|| file("image/svg+xml", ICON, DAY)))
}

const YEAR: &str = "public, max-age=31536000, immutable";
const DAY: &str = "public, max-age=86400";

async fn file(
    content_type: &'static str,
    content: &'static str,
    cache: &'static str,
) -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, HeaderValue::from_static(content_type)),
            (header::CACHE_CONTROL, HeaderValue::from_static(cache)),
        ],
        content,
    )
}
