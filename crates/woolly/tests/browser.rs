//! Woolly from a real browser: a page served from another origin uses the API with `fetch`, as
//! web clients hosted elsewhere (Elk, Phanpy, Mastodon's web client on another host) do.
//! Chromium (Debian's, installed by scripts/test) loads the page headless; the page writes what
//! it got into its title, which the test reads from the DOM Chromium prints.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::time::Duration;

use axum::response::Html;
use common::{TestInstance, account, third_party};

/// Serves `page` at `/` of a new loopback listener, addressed as `localhost` (another origin
/// than Woolly's `127.0.0.1`); returns its URL.
async fn serve_page(page: String) -> (String, tokio::task::JoinHandle<()>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let app = axum::Router::new().route(
        "/",
        axum::routing::get(move || {
            let page = page.clone();
            async move { Html(page) }
        }),
    );
    let task = tokio::spawn(async move {
        axum::serve(listener, app).await.unwrap();
    });
    (format!("http://localhost:{port}/"), task)
}

/// What the page at `url` wrote into its title once its script ran.
async fn title_after_scripts(chromium: &std::ffi::OsStr, url: &str) -> String {
    let output = tokio::time::timeout(
        Duration::from_secs(60),
        tokio::process::Command::new(chromium)
            .args([
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--no-first-run",
                "--virtual-time-budget=10000",
                "--dump-dom",
                url,
            ])
            .output(),
    )
    .await
    .expect("Chromium finished")
    .expect("Chromium ran");
    let dom = String::from_utf8_lossy(&output.stdout);
    let start = dom.find("<title>").map_or(0, |at| at + "<title>".len());
    let end = dom[start..].find("</title>").map_or(start, |at| start + at);
    dom[start..end].to_owned()
}

#[tokio::test]
async fn a_page_on_another_origin_reads_the_timeline_with_a_token() {
    let Some(found) = third_party(&["WOOLLY_TEST_CHROMIUM"], "Chromium") else {
        return;
    };
    let instance = TestInstance::new().await;
    let server = instance.start_on_own_domain().await;
    let (token, _) = account(&server, "alice").await;
    let (_, posted) = server
        .call(
            reqwest::Method::POST,
            "/api/v1/statuses",
            Some(&token),
            serde_json::json!({"status": "hello from another origin"}),
        )
        .await;
    assert!(posted["id"].is_string(), "{posted}");
    // `localhost` and `127.0.0.1` are different origins to a browser: the page's requests to
    // Woolly are cross-origin, with a preflight for the Authorization header.
    let page = format!(
        r#"<!DOCTYPE html><title>waiting</title><script>
fetch("{base}/api/v1/timelines/home", {{ headers: {{ Authorization: "Bearer {token}" }} }})
  .then(response => response.json().then(statuses =>
    document.title = "read " + statuses.length + " " + (response.headers.get("Link") ? "with" : "without") + " Link"))
  .catch(error => document.title = "refused: " + error);
</script>"#,
        base = server.base_url
    );
    let (url, task) = serve_page(page).await;
    let title = title_after_scripts(&found[0], &url).await;
    assert_eq!(title, "read 1 with Link");
    task.abort();
    server.stop().await;
}
