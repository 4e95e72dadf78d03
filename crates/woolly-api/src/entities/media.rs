//! `MediaAttachment` (`entities/MediaAttachment.md`).

use serde::Serialize;
use serde_json::{Value, json};
use woolly_core::media::Media;

#[derive(Debug, Clone, Serialize)]
pub struct MediaEntity {
    pub id: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub url: String,
    pub preview_url: Option<String>,
    pub remote_url: Option<String>,
    pub preview_remote_url: Option<String>,
    pub text_url: Option<String>,
    pub meta: Value,
    pub description: Option<String>,
    pub blurhash: Option<String>,
}

fn dimensions(width: i64, height: i64) -> Value {
    // Precision as Mastodon reports it; a zero height cannot happen for a decoded image.
    let aspect = if height > 0 {
        width as f64 / height as f64
    } else {
        0.0
    };
    json!({ "width": width, "height": height, "size": format!("{width}x{height}"), "aspect": aspect })
}

impl MediaEntity {
    pub fn new(media: &Media) -> MediaEntity {
        MediaEntity {
            id: media.id.to_string(),
            kind: media.kind.clone(),
            url: media.url.clone(),
            preview_url: media.preview_url.clone(),
            remote_url: media.remote_url.clone(),
            preview_remote_url: None,
            text_url: None,
            meta: json!({
                "original": dimensions(media.width, media.height),
                "small": dimensions(media.preview_width, media.preview_height),
                "focus": { "x": media.focus.0, "y": media.focus.1 },
            }),
            description: media.description.clone(),
            blurhash: media.blurhash.clone(),
        }
    }
}
