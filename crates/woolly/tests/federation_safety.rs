//! What a hostile peer cannot make Woolly do: reach an internal address (for a lookup or for a
//! signer's key), or hang on a server that never answers.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use common::{TestInstance, account, http};
use serde_json::{Value, json};

/// A listener on loopback that counts connections and answers none of them.
async fn silent_listener() -> (
    std::net::SocketAddr,
    Arc<AtomicUsize>,
    tokio::task::JoinHandle<()>,
) {
    counting_listener(true).await
}

/// A listener on loopback that counts connections, and holds them open unanswered (`hold`) or
/// closes them at once.
async fn counting_listener(
    hold: bool,
) -> (
    std::net::SocketAddr,
    Arc<AtomicUsize>,
    tokio::task::JoinHandle<()>,
) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let connections = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&connections);
    let task = tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((socket, _)) = listener.accept().await {
            counter.fetch_add(1, Ordering::SeqCst);
            if hold {
                held.push(socket);
            }
        }
    });
    (address, connections, task)
}

/// How a test delivery differs from a well-formed one.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Tamper {
    Nothing,
    /// Signed three hours ago.
    StaleDate,
    /// Another body than the one signed (and digested).
    OtherBody,
}

/// Delivers a `Create` signed by `http://{key_host}/users/someone#main-key` (a fresh key no one
/// serves) to `base`'s shared inbox; returns the answer's status.
async fn deliver(base: &str, host: &str, key_host: std::net::SocketAddr, tamper: Tamper) -> u16 {
    let activity = |content: &str| {
        serde_json::to_vec(&json!({
            "id": format!("http://{key_host}/activities/1"),
            "type": "Create",
            "actor": format!("http://{key_host}/users/someone"),
            "object": {"id": format!("http://{key_host}/notes/1"), "type": "Note", "content": content},
        }))
        .unwrap()
    };
    let body = activity("x");
    let key = {
        use aws_lc_rs::encoding::AsDer as _;
        use base64::Engine as _;
        let pair = aws_lc_rs::rsa::KeyPair::generate(aws_lc_rs::rsa::KeySize::Rsa2048).unwrap();
        format!(
            "-----BEGIN PRIVATE KEY-----\n{}\n-----END PRIVATE KEY-----\n",
            base64::engine::general_purpose::STANDARD.encode(pair.as_der().unwrap().as_ref())
        )
    };
    let signed_at = match tamper {
        Tamper::StaleDate => time::OffsetDateTime::now_utc() - time::Duration::hours(3),
        _ => time::OffsetDateTime::now_utc(),
    };
    let headers = woolly_federation::signatures::sign(
        &woolly_federation::signatures::Outgoing {
            method: "POST",
            path_and_query: "/inbox",
            host,
            body: Some(&body),
            extra: &[("content-type", "application/activity+json")],
        },
        &format!("http://{key_host}/users/someone#main-key"),
        &key,
        signed_at,
    )
    .unwrap();
    let sent = match tamper {
        Tamper::OtherBody => activity("y"),
        _ => body,
    };
    let mut request = http()
        .post(format!("{base}/inbox"))
        .header("Content-Type", "application/activity+json")
        .body(sent);
    for (name, value) in headers {
        request = request.header(name, value);
    }
    request.send().await.unwrap().status().as_u16()
}

async fn search(base: &str, token: &str, query: &str) -> (u16, Value) {
    let response = http()
        .get(format!("{base}/api/v2/search"))
        .query(&[("q", query), ("resolve", "true")])
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

#[tokio::test]
async fn without_permission_no_private_address_is_ever_contacted() {
    let (address, connections, task) = silent_listener().await;
    let instance = TestInstance::new().await;
    let mut settings = instance.settings();
    settings.allow_private_addresses = false;
    let server = instance.start_with(settings).await;
    let (token, _) = account(&server, "alice").await;

    // A lookup of an account on a private address finds nothing and connects nowhere.
    let port = address.port();
    for query in [
        format!("@someone@{address}"),
        format!("http://{address}/users/someone"),
        "http://169.254.169.254/latest/meta-data/".to_owned(),
        // IPv6 forms that carry an IPv4 address: compatible, mapped, 6to4, NAT64.
        format!("http://[::127.0.0.1]:{port}/users/someone"),
        format!("http://[::ffff:127.0.0.1]:{port}/users/someone"),
        format!("http://[2002:7f00:1::1]:{port}/users/someone"),
        format!("http://[64:ff9b::7f00:1]:{port}/users/someone"),
    ] {
        let (status, found) = search(&server.base_url, &token, &query).await;
        assert_eq!(status, 200, "{query}: {found}");
        assert_eq!(found["accounts"], json!([]), "{query}");
        assert_eq!(found["statuses"], json!([]), "{query}");
    }

    // A delivery whose key lives on a private address is refused without fetching the key.
    let host = server.base_url.trim_start_matches("http://").to_owned();
    let status = deliver(&server.base_url, &host, address, Tamper::Nothing).await;
    assert_eq!(status, 401);

    assert_eq!(
        connections.load(Ordering::SeqCst),
        0,
        "nothing reached the private address"
    );
    task.abort();
    server.stop().await;
}

#[tokio::test]
async fn a_server_that_never_answers_does_not_hang_a_lookup() {
    let (address, connections, task) = silent_listener().await;
    let instance = TestInstance::new().await;
    let server = instance.start().await;
    let (token, _) = account(&server, "alice").await;

    // The lookup gives up on its own (Woolly's request timeout) and answers with nothing.
    let (status, found) = tokio::time::timeout(
        Duration::from_secs(60),
        search(&server.base_url, &token, &format!("@someone@{address}")),
    )
    .await
    .expect("the search answered");
    assert_eq!(status, 200, "{found}");
    assert_eq!(found["accounts"], json!([]));
    assert!(
        connections.load(Ordering::SeqCst) >= 1,
        "the server was asked"
    );
    task.abort();
    server.stop().await;
}

#[tokio::test]
async fn a_delivery_with_a_stale_date_or_an_altered_body_fetches_no_key() {
    let (address, connections, task) = counting_listener(false).await;
    let instance = TestInstance::new().await;
    // Private addresses are allowed here, so only the order of the checks keeps Woolly from
    // fetching the key from the listener.
    let server = instance.start().await;
    let host = server.base_url.trim_start_matches("http://").to_owned();
    for tamper in [Tamper::StaleDate, Tamper::OtherBody] {
        let status = deliver(&server.base_url, &host, address, tamper).await;
        assert_eq!(status, 401, "{tamper:?}");
    }
    assert_eq!(
        connections.load(Ordering::SeqCst),
        0,
        "no key was fetched for a delivery that fails without one"
    );
    // A well-formed delivery does make Woolly ask for the key (the listener hangs up): the
    // count above could have moved.
    let status = tokio::time::timeout(
        Duration::from_secs(60),
        deliver(&server.base_url, &host, address, Tamper::Nothing),
    )
    .await
    .expect("an answer");
    assert_eq!(status, 401);
    assert!(
        connections.load(Ordering::SeqCst) >= 1,
        "the key was asked for"
    );
    task.abort();
    server.stop().await;
}

#[tokio::test]
async fn a_post_cannot_make_woolly_contact_any_number_of_hosts() {
    let (address, connections, task) = counting_listener(false).await;
    let instance = TestInstance::new().await;
    let mut settings = instance.settings();
    // Long posts are allowed here, so that the cap on lookups is what holds them back.
    // (A remote mention counts as its username alone, as in Mastodon.)
    settings.max_status_characters = 20_000;
    let server = instance.start_with(settings).await;
    let (token, _) = account(&server, "alice").await;
    let post = |mentions: usize| {
        let text: String = (0..mentions)
            .map(|number| format!("@u{number}@{address} "))
            .collect();
        http()
            .post(server.url("/api/v1/statuses"))
            .bearer_auth(&token)
            .json(&json!({ "status": text }))
            .send()
    };

    // Ten thousand mentions are far over the length limit: refused before any lookup.
    let response = tokio::time::timeout(Duration::from_secs(10), post(10_000))
        .await
        .expect("an answer without lookups")
        .unwrap();
    assert_eq!(response.status(), 422);
    assert_eq!(connections.load(Ordering::SeqCst), 0, "no host was asked");

    // A hundred unknown accounts: the post goes out, after looking up only some of them.
    let response = tokio::time::timeout(Duration::from_secs(60), post(100))
        .await
        .expect("an answer within the lookup budget")
        .unwrap();
    assert_eq!(response.status(), 200);
    let asked = connections.load(Ordering::SeqCst);
    // Each lookup is one WebFinger request; 30 lookups at the most.
    assert!((1..=30).contains(&asked), "{asked} connections");
    task.abort();
    server.stop().await;
}

#[tokio::test]
async fn refused_deliveries_count_against_their_address() {
    let (address, _connections, task) = counting_listener(false).await;
    let instance = TestInstance::new().await;
    let server = instance
        .start_with(woolly::settings::Settings {
            rate_limit_requests: 3,
            ..instance.settings()
        })
        .await;
    let host = server.base_url.trim_start_matches("http://").to_owned();
    for attempt in 0..3 {
        let status = deliver(&server.base_url, &host, address, Tamper::StaleDate).await;
        assert_eq!(status, 401, "attempt {attempt}");
    }
    let status = deliver(&server.base_url, &host, address, Tamper::StaleDate).await;
    assert_eq!(status, 429, "a flood of forged deliveries is cut off");
    task.abort();
    server.stop().await;
}
