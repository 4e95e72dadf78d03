//! The outbound client against a real local HTTP server: refusals of private addresses (by
//! name and by literal), plain HTTP, redirects, size caps and non-JSON answers.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use axum::Router;
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;
use axum::routing::get;
use woolly_federation::client::{FetchError, MAX_DOCUMENT_BYTES, RemoteClient};

async fn serve() -> u16 {
    let app = Router::new()
        .route(
            "/doc",
            get(|| async {
                (
                    [(header::CONTENT_TYPE, "application/activity+json")],
                    r#"{"type":"Note"}"#,
                )
            }),
        )
        .route("/text", get(|| async { "not json" }))
        .route("/big", get(|| async { vec![b'x'; MAX_DOCUMENT_BYTES + 1] }))
        .route(
            "/hop",
            get(|| async { (StatusCode::FOUND, [(header::LOCATION, "/doc")]).into_response() }),
        )
        .route(
            "/loop",
            get(|| async { (StatusCode::FOUND, [(header::LOCATION, "/loop")]).into_response() }),
        );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    port
}

#[tokio::test]
async fn private_addresses_are_refused_unless_allowed() {
    let port = serve().await;
    let guarded = RemoteClient::new("Woolly test", false, true).unwrap();
    for url in [
        format!("http://127.0.0.1:{port}/doc"),
        format!("http://localhost:{port}/doc"),
        format!("http://[::1]:{port}/doc"),
    ] {
        let refused = guarded.get_json(&url, &[]).await;
        assert!(
            matches!(&refused, Err(FetchError::RefusedAddress(_)))
                || matches!(&refused, Err(FetchError::Transport(text)) if text.contains("not a public address")),
            "{url}: {refused:?}"
        );
    }
    let open = RemoteClient::new("Woolly test", true, true).unwrap();
    let (final_url, document) = open
        .get_json(&format!("http://localhost:{port}/doc"), &[])
        .await
        .unwrap();
    assert_eq!(document["type"], "Note");
    assert_eq!(final_url.path(), "/doc");
    let https_only = RemoteClient::new("Woolly test", true, false).unwrap();
    let refused = https_only
        .get_json(&format!("http://localhost:{port}/doc"), &[])
        .await;
    assert!(
        matches!(refused, Err(FetchError::RefusedUrl(_))),
        "{refused:?}"
    );
    let refused = open.get_json("file:///etc/passwd", &[]).await;
    assert!(
        matches!(refused, Err(FetchError::RefusedUrl(_))),
        "{refused:?}"
    );
}

#[tokio::test]
async fn redirects_sizes_and_bodies_are_checked() {
    let port = serve().await;
    let client = RemoteClient::new("Woolly test", true, true).unwrap();
    let base = format!("http://127.0.0.1:{port}");
    let (final_url, _) = client.get_json(&format!("{base}/hop"), &[]).await.unwrap();
    assert_eq!(final_url.path(), "/doc", "a redirect is followed");
    let looped = client.get_json(&format!("{base}/loop"), &[]).await;
    assert!(
        matches!(looped, Err(FetchError::TooManyRedirects)),
        "{looped:?}"
    );
    let big = client.get_json(&format!("{base}/big"), &[]).await;
    assert!(matches!(big, Err(FetchError::TooLarge(_))), "{big:?}");
    let text = client.get_json(&format!("{base}/text"), &[]).await;
    assert!(matches!(text, Err(FetchError::InvalidJson(_))), "{text:?}");
    let missing = client.get_json(&format!("{base}/nothing"), &[]).await;
    assert!(
        matches!(missing, Err(FetchError::Status(StatusCode::NOT_FOUND))),
        "{missing:?}"
    );
}
