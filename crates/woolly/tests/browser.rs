//! Woolly from a real browser, Debian's Chromium (installed by scripts/test), headless:
//! - a page served from another origin uses the API with `fetch`, as web clients hosted
//!   elsewhere (Elk, Phanpy, Mastodon's web client on another host) do; the page writes what it
//!   got into its title, which the test reads from the DOM Chromium prints;
//! - a newcomer's first 30 seconds on the web interface, with JavaScript on and off, driven by
//!   playwright-core (`tests/clients/web_first_steps.mjs`), with axe-core checking each page,
//!   then the member's other pages, a follow of someone of a second server from her profile
//!   there, and an app's authorization with and without two-factor sign-in;
//!   screenshots of the pages at 390 px go to `target/web-screenshots/`.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::time::Duration;

use std::path::PathBuf;

use axum::response::Html;
use common::mail::{link_in, mail_to};
use common::{TestInstance, account, third_party};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};

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

/// Where the web interface's screenshots go: `target/web-screenshots/` of the workspace.
fn screenshot_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target/web-screenshots")
}

/// Runs `web_first_steps.mjs` in `mode` (`js` or `nojs`) against a new server open to sign-ups,
/// handing it the confirmation link from the e-mail the server sent; returns what it printed.
async fn first_steps(mode: &str) -> Option<String> {
    let found = third_party(
        &[
            "WOOLLY_TEST_CHROMIUM",
            "WOOLLY_TEST_NODE",
            "WOOLLY_TEST_PYTHON",
        ],
        "Chromium, playwright-core with Node 22, and Python",
    )?;
    let (chromium, node, python) = (&found[0], &found[1], &found[2]);
    let instance = TestInstance::new().await;
    let server = instance
        .start_on_own_domain_with(|settings| {
            settings.registrations = "open".to_owned();
            settings.rate_limit_requests = 0;
            settings.rules = vec!["Be kind to each other.".to_owned()];
        })
        .await;
    // A second server, whose user the newcomer follows from her profile there: on another
    // loopback address, so that the browser keeps its cookies apart as it would another host's.
    let other_instance = TestInstance::new().await;
    let other = other_instance
        .start_at_with("127.0.0.2:0".parse().unwrap(), |settings| {
            settings.rate_limit_requests = 0;
        })
        .await;
    account(&other, "bea").await;
    // An admin with a report waiting, for the moderators' pages.
    let (admin, _) = common::staff_account(&server, "root", "admin").await;
    let (troll, troll_id) = account(&server, "troll").await;
    let (status, post) = server
        .call(
            reqwest::Method::POST,
            "/api/v1/statuses",
            Some(&troll),
            serde_json::json!({"status": "Rude words"}),
        )
        .await;
    assert_eq!(status, reqwest::StatusCode::OK, "{post}");
    let (status, report) = server
        .call(
            reqwest::Method::POST,
            "/api/v1/reports",
            Some(&admin),
            serde_json::json!({"account_id": troll_id, "status_ids": [post["id"]], "comment": "Rude"}),
        )
        .await;
    assert_eq!(status, reqwest::StatusCode::OK, "{report}");
    let script =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/clients/web_first_steps.mjs");
    let mut child = tokio::process::Command::new(node)
        .arg(script)
        .arg(&server.base_url)
        .arg(chromium)
        .arg(mode)
        .arg(screenshot_dir())
        .arg(&other.base_url)
        .arg("root")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .expect("node runs");
    let mut stdin = child.stdin.take().unwrap();
    let mut stdout = BufReader::new(child.stdout.take().unwrap()).lines();
    let mut printed = String::new();
    let run = async {
        while let Some(line) = stdout.next_line().await.unwrap() {
            printed.push_str(&line);
            printed.push('\n');
            if let Some(address) = line.strip_prefix("AWAITING LINK FOR ") {
                let mail = mail_to(python, &instance.data_dir().join("mail"), address, "").await;
                let link = server.url(&link_in(&mail, "confirmation_token="));
                stdin
                    .write_all(format!("{link}\n").as_bytes())
                    .await
                    .unwrap();
            }
        }
    };
    tokio::time::timeout(Duration::from_secs(120), run)
        .await
        .expect("the browser finished within two minutes");
    let output = child.wait_with_output().await.unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{printed}\n{stderr}");
    server.stop().await;
    other.stop().await;
    Some(printed)
}

#[tokio::test]
async fn a_newcomer_signs_up_and_posts_within_thirty_seconds_with_javascript() {
    let Some(printed) = first_steps("js").await else {
        return;
    };
    print!("{printed}");
    assert!(
        printed.contains("web first steps (js): all checks passed"),
        "{printed}"
    );
}

#[tokio::test]
async fn a_newcomer_signs_up_and_posts_without_javascript() {
    let Some(printed) = first_steps("nojs").await else {
        return;
    };
    print!("{printed}");
    assert!(
        printed.contains("web first steps (nojs): all checks passed"),
        "{printed}"
    );
}
