//! Images that entities link to before any upload exists: the default avatar and header
//! (at Mastodon's paths, which some clients recognise as "no avatar"), and the instance thumbnail.

use axum::Router;
use axum::http::header;
use axum::response::IntoResponse;
use axum::routing::get;
use woolly_core::Woolly;

const AVATAR_MISSING: &[u8] = include_bytes!("../../assets/avatar-missing.png");
const HEADER_MISSING: &[u8] = include_bytes!("../../assets/header-missing.png");
const THUMBNAIL: &[u8] = include_bytes!("../../assets/thumbnail.png");

pub(super) fn router() -> Router<Woolly> {
    Router::new()
        .route("/avatars/original/missing.png", get(|| png(AVATAR_MISSING)))
        .route("/headers/original/missing.png", get(|| png(HEADER_MISSING)))
        .route("/instance/thumbnail.png", get(|| png(THUMBNAIL)))
}

async fn png(bytes: &'static [u8]) -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "image/png"),
            (header::CACHE_CONTROL, "public, max-age=86400"),
        ],
        bytes,
    )
}
