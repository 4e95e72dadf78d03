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
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let connections = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&connections);
    let task = tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((socket, _)) = listener.accept().await {
            counter.fetch_add(1, Ordering::SeqCst);
            held.push(socket);
        }
    });
    (address, connections, task)
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
    for query in [
        format!("@someone@{address}"),
        format!("http://{address}/users/someone"),
        "http://169.254.169.254/latest/meta-data/".to_owned(),
    ] {
        let (status, found) = search(&server.base_url, &token, &query).await;
        assert_eq!(status, 200, "{query}: {found}");
        assert_eq!(found["accounts"], json!([]), "{query}");
        assert_eq!(found["statuses"], json!([]), "{query}");
    }

    // A delivery whose key lives on a private address is refused without fetching the key.
    let body = serde_json::to_vec(&json!({
        "id": format!("http://{address}/activities/1"),
        "type": "Create",
        "actor": format!("http://{address}/users/someone"),
        "object": {"id": format!("http://{address}/notes/1"), "type": "Note", "content": "x"},
    }))
    .unwrap();
    let host = server.base_url.trim_start_matches("http://").to_owned();
    let key = {
        use aws_lc_rs::encoding::AsDer as _;
        use base64::Engine as _;
        let pair = aws_lc_rs::rsa::KeyPair::generate(aws_lc_rs::rsa::KeySize::Rsa2048).unwrap();
        format!(
            "-----BEGIN PRIVATE KEY-----\n{}\n-----END PRIVATE KEY-----\n",
            base64::engine::general_purpose::STANDARD.encode(pair.as_der().unwrap().as_ref())
        )
    };
    let headers = woolly_federation::signatures::sign(
        &woolly_federation::signatures::Outgoing {
            method: "POST",
            path_and_query: "/inbox",
            host: &host,
            body: Some(&body),
            extra: &[("content-type", "application/activity+json")],
        },
        &format!("http://{address}/users/someone#main-key"),
        &key,
        time::OffsetDateTime::now_utc(),
    )
    .unwrap();
    let mut request = http()
        .post(format!("{}/inbox", server.base_url))
        .header("Content-Type", "application/activity+json")
        .body(body);
    for (name, value) in headers {
        request = request.header(name, value);
    }
    let response = request.send().await.unwrap();
    assert_eq!(response.status(), 401);

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
