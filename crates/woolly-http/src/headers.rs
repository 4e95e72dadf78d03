//! Headers set on answers as a whole, not by any one route: cross-origin access for web clients
//! on other hosts, and the security headers of HTML pages.

use axum::extract::Request;
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// What a page of Woolly may load and who may frame it: its own stylesheet and scripts (files,
/// never inline), images and media from anywhere over HTTPS (remote avatars, attachments),
/// requests to itself only, no plugins, and no framing, so that a page taking a password cannot
/// be framed (clickjacking). `form-action` is left out: the app authorization form's answer
/// redirects to the app.
const CONTENT_SECURITY_POLICY: &str = "default-src 'none'; img-src 'self' https: data:; \
     media-src 'self' https:; style-src 'self'; script-src 'self'; connect-src 'self'; \
     frame-ancestors 'none'; base-uri 'none'";

/// Adds to every answer `X-Content-Type-Options: nosniff` and `Referrer-Policy: same-origin`
/// (as Mastodon sends them), and to HTML pages their content security policy and
/// `X-Frame-Options: DENY`.
pub async fn security_headers(request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    let is_html = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| value.starts_with("text/html"));
    let headers = response.headers_mut();
    headers
        .entry(header::X_CONTENT_TYPE_OPTIONS)
        .or_insert(HeaderValue::from_static("nosniff"));
    headers
        .entry(header::REFERRER_POLICY)
        .or_insert(HeaderValue::from_static("same-origin"));
    if is_html {
        headers.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(CONTENT_SECURITY_POLICY),
        );
        headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    }
    response
}

/// The methods other origins may use on `path`, as Mastodon's rack-cors configuration allows
/// them (any origin, no credentials); `None` where cross-origin requests get no blessing.
fn cross_origin_methods(path: &str) -> Option<&'static str> {
    if path.starts_with("/api/") {
        Some("POST, PUT, DELETE, GET, PATCH, OPTIONS")
    } else if path == "/oauth/token" || path == "/oauth/revoke" {
        Some("POST")
    } else if path.starts_with("/.well-known/")
        || path.starts_with("/nodeinfo/")
        || path.starts_with("/@")
        || path.starts_with("/users/")
    {
        Some("GET")
    } else {
        None
    }
}

/// Headers of its answers a page on another origin may read.
const EXPOSED_HEADERS: &str =
    "Link, X-RateLimit-Reset, X-RateLimit-Limit, X-RateLimit-Remaining, X-Request-Id";
/// How long a browser may reuse a preflight's answer, in seconds.
const PREFLIGHT_MAX_AGE: &str = "7200";

/// Cross-origin access for web clients served from other hosts (Elk, Phanpy, Mastodon's web
/// client elsewhere): preflight `OPTIONS` requests are answered here, and answers to requests
/// that name an `Origin` say that any origin may read them.
pub async fn cross_origin(request: Request, next: Next) -> Response {
    let Some(methods) = cross_origin_methods(request.uri().path()) else {
        return next.run(request).await;
    };
    let headers = request.headers();
    if !headers.contains_key(header::ORIGIN) {
        return next.run(request).await;
    }
    if request.method() == Method::OPTIONS
        && headers.contains_key(header::ACCESS_CONTROL_REQUEST_METHOD)
    {
        let allowed_headers = headers
            .get(header::ACCESS_CONTROL_REQUEST_HEADERS)
            .cloned()
            .unwrap_or(HeaderValue::from_static(""));
        return (
            StatusCode::OK,
            [
                (
                    header::ACCESS_CONTROL_ALLOW_ORIGIN,
                    HeaderValue::from_static("*"),
                ),
                (
                    header::ACCESS_CONTROL_ALLOW_METHODS,
                    HeaderValue::from_static(methods),
                ),
                (header::ACCESS_CONTROL_ALLOW_HEADERS, allowed_headers),
                (
                    header::ACCESS_CONTROL_EXPOSE_HEADERS,
                    HeaderValue::from_static(EXPOSED_HEADERS),
                ),
                (
                    header::ACCESS_CONTROL_MAX_AGE,
                    HeaderValue::from_static(PREFLIGHT_MAX_AGE),
                ),
            ],
        )
            .into_response();
    }
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    headers.insert(
        header::ACCESS_CONTROL_ALLOW_ORIGIN,
        HeaderValue::from_static("*"),
    );
    // Answers without `Origin` lack these headers: a shared cache must keep the two apart.
    headers.append(header::VARY, HeaderValue::from_static("Origin"));
    headers.insert(
        header::ACCESS_CONTROL_EXPOSE_HEADERS,
        HeaderValue::from_static(EXPOSED_HEADERS),
    );
    headers.insert(
        header::ACCESS_CONTROL_ALLOW_METHODS,
        HeaderValue::from_static(methods),
    );
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cross_origin_access_covers_what_mastodon_opens_and_nothing_else() {
        assert!(cross_origin_methods("/api/v1/timelines/home").is_some());
        assert_eq!(cross_origin_methods("/oauth/token"), Some("POST"));
        assert_eq!(cross_origin_methods("/.well-known/webfinger"), Some("GET"));
        assert_eq!(cross_origin_methods("/nodeinfo/2.0"), Some("GET"));
        assert_eq!(cross_origin_methods("/oauth/authorize"), None);
        assert_eq!(cross_origin_methods("/inbox"), None);
        assert_eq!(cross_origin_methods("/media/1/original.png"), None);
    }
}
