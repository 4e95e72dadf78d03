//! Content negotiation: which representation a request asks for, and the responses that carry
//! ActivityPub documents.
//!
//! Mastodon answers the same URL with HTML for browsers and ActivityStreams JSON for servers
//! that ask for `application/activity+json`, `application/ld+json` (with or without the
//! ActivityStreams profile) or plain `application/json`. A request without `Accept`, or with
//! only `*/*`, gets HTML, as Rails picks the first format of `respond_to`.

use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use woolly_http::HttpError;

/// The `Content-Type` of every ActivityPub document Woolly serves.
pub const ACTIVITY_JSON_UTF8: &str = "application/activity+json; charset=utf-8";

/// Whether the request asks for ActivityStreams JSON rather than a web page: an ActivityPub or
/// JSON media type accepted at least as strongly as HTML.
pub fn wants_activity_json(headers: &HeaderMap) -> bool {
    let mut json_quality = 0.0_f32;
    let mut html_quality = 0.0_f32;
    for accept in headers.get_all(header::ACCEPT) {
        let Ok(accept) = accept.to_str() else {
            continue;
        };
        for range in accept.split(',') {
            let mut parameters = range.split(';');
            let media_type = parameters
                .next()
                .unwrap_or_default()
                .trim()
                .to_ascii_lowercase();
            let quality = parameters
                .filter_map(|parameter| parameter.trim().strip_prefix("q="))
                .filter_map(|value| value.trim().parse::<f32>().ok())
                .find(|value| value.is_finite())
                .unwrap_or(1.0)
                .clamp(0.0, 1.0);
            match media_type.as_str() {
                "application/activity+json" | "application/ld+json" | "application/json" => {
                    json_quality = json_quality.max(quality);
                }
                "text/html" | "application/xhtml+xml" => html_quality = html_quality.max(quality),
                _ => {}
            }
        }
    }
    json_quality > 0.0 && json_quality >= html_quality
}

/// An ActivityPub document as a response: `application/activity+json`, varying on `Accept`
/// (the same URL also serves HTML), readable by any origin's scripts as Mastodon allows.
pub struct ActivityJson<T>(pub T);

impl<T: Serialize> IntoResponse for ActivityJson<T> {
    fn into_response(self) -> Response {
        match serde_json::to_vec(&self.0) {
            Ok(body) => (
                [
                    (
                        header::CONTENT_TYPE,
                        HeaderValue::from_static(ACTIVITY_JSON_UTF8),
                    ),
                    (header::VARY, HeaderValue::from_static("Accept")),
                    (
                        header::ACCESS_CONTROL_ALLOW_ORIGIN,
                        HeaderValue::from_static("*"),
                    ),
                ],
                body,
            )
                .into_response(),
            Err(error) => HttpError::internal(&error).into_response(),
        }
    }
}

/// A `302 Found` to `location`, varying on `Accept` (servers asking for JSON are not
/// redirected).
pub fn redirect(location: &str) -> Response {
    match HeaderValue::from_str(location) {
        Ok(location) => (
            StatusCode::FOUND,
            [
                (header::LOCATION, location),
                (header::VARY, HeaderValue::from_static("Accept")),
            ],
        )
            .into_response(),
        Err(error) => HttpError::internal(&error).into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn accepts(value: &str) -> bool {
        let mut headers = HeaderMap::new();
        headers.insert(header::ACCEPT, HeaderValue::from_str(value).unwrap());
        wants_activity_json(&headers)
    }

    #[test]
    fn servers_get_json_and_browsers_html() {
        for server in [
            "application/activity+json",
            "application/ld+json; profile=\"https://www.w3.org/ns/activitystreams\"",
            "application/activity+json, application/ld+json",
            "application/json",
            "application/activity+json;q=0.9, text/html;q=0.8",
            "text/html;q=0.5, application/ld+json",
        ] {
            assert!(accepts(server), "{server}");
        }
        for browser in [
            "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
            "*/*",
            "text/html",
            "text/html, application/json;q=0.5",
            "application/activity+json;q=0",
            "image/png",
        ] {
            assert!(!accepts(browser), "{browser}");
        }
        assert!(!wants_activity_json(&HeaderMap::new()));
    }
}
