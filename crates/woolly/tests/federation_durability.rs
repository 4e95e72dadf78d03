//! Deliveries survive what goes wrong between servers: a peer that is down gets them when it
//! comes back, a sender killed with SIGKILL delivers everything after its restart, and a
//! domain that hangs holds up only its own deliveries.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use common::{TestInstance, account, eventually};
use reqwest::Method;
use serde_json::{Value, json};

const WAIT: Duration = Duration::from_secs(40);

/// These tests poll timelines until deliveries arrive, for up to [`WAIT`]: faster than the
/// rate limits allow a client.
fn without_rate_limits(settings: &mut woolly::Settings) {
    settings.rate_limit_requests = 0;
}

async fn get(base: &str, token: &str, path: &str) -> Value {
    let (status, body, _) =
        common::call_at(base, Method::GET, path, Some(token), Value::Null).await;
    assert_eq!(status, 200, "GET {path}");
    body
}

async fn post(base: &str, token: &str, path: &str, body: Value) -> Value {
    let (status, body, _) = common::call_at(base, Method::POST, path, Some(token), body).await;
    assert_eq!(status, 200, "POST {path}");
    body
}

/// `follower` (token on `follower_base`) follows `handle` and waits for the Accept.
async fn follow(follower_base: &str, token: &str, handle: &str) {
    let found = get(
        follower_base,
        token,
        &format!("/api/v2/search?q=@{handle}&resolve=true&type=accounts"),
    )
    .await;
    let id = found["accounts"][0]["id"].as_str().unwrap().to_owned();
    post(
        follower_base,
        token,
        &format!("/api/v1/accounts/{id}/follow"),
        json!({}),
    )
    .await;
    eventually(WAIT, "the follow to be accepted", || async {
        let relationship = get(
            follower_base,
            token,
            &format!("/api/v1/accounts/relationships?id[]={id}"),
        )
        .await;
        (relationship[0]["following"] == true).then_some(())
    })
    .await;
}

/// The contents of the home timeline.
async fn home_contents(base: &str, token: &str) -> Vec<String> {
    get(base, token, "/api/v1/timelines/home?limit=40")
        .await
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|status| status["content"].as_str().map(str::to_owned))
        .collect()
}

async fn wait_home_has(base: &str, token: &str, texts: &[String]) {
    eventually(WAIT, &format!("{texts:?} in the home timeline"), || async {
        let contents = home_contents(base, token).await;
        texts
            .iter()
            .all(|text| contents.iter().any(|content| content.contains(text)))
            .then_some(())
    })
    .await;
}

#[tokio::test]
async fn deliveries_to_a_server_that_is_down_arrive_when_it_comes_back() {
    let a = TestInstance::new().await;
    let a_server = a.start_on_own_domain_with(without_rate_limits).await;
    let a_store = a.store().await;
    let b = TestInstance::new().await;
    let b_server = b.start_on_own_domain_with(without_rate_limits).await;
    let b_address: SocketAddr = b_server
        .base_url
        .trim_start_matches("http://")
        .parse()
        .unwrap();
    let (alice, _) = account(&a_server, "alice").await;
    let (bob, _) = account(&b_server, "bob").await;
    let alice_handle = format!("alice@{}", a_server.base_url.trim_start_matches("http://"));
    follow(&b_server.base_url, &bob, &alice_handle).await;

    // B goes down; alice posts meanwhile.
    b_server.stop().await;
    let texts: Vec<String> = (0..3)
        .map(|n| format!("posted while B was down {n}"))
        .collect();
    for text in &texts {
        post(
            &a_server.base_url,
            &alice,
            "/api/v1/statuses",
            json!({ "status": text }),
        )
        .await;
    }
    // Let the first attempts fail.
    eventually(WAIT, "a failed delivery to be recorded", || async {
        a_store
            .domain_health(&b_address.to_string())
            .await
            .unwrap()
            .filter(|health| health.last_failure_at.is_some())
    })
    .await;

    // B comes back on the same address, with the same data: everything arrives.
    let b_server = b.start_at_with(b_address, without_rate_limits).await;
    wait_home_has(&b_server.base_url, &bob, &texts).await;
    let health = a_store
        .domain_health(&b_address.to_string())
        .await
        .unwrap()
        .unwrap();
    assert!(health.last_success_at.is_some() && !health.unavailable);
    b_server.stop().await;
    a_server.stop().await;
}

#[tokio::test]
async fn a_sender_killed_with_sigkill_delivers_everything_after_restart() {
    let a = TestInstance::new().await;
    let b = TestInstance::new().await;
    let b_server = b.start_on_own_domain_with(without_rate_limits).await;
    let (bob, _) = account(&b_server, "bob").await;
    let alice = a.account_with_token("alice", "read write follow").await;
    let process = a.spawn_serve_on_a_free_port();
    let a_base = process.base_url.clone();
    let a_address = a_base.trim_start_matches("http://").to_owned();
    follow(&b_server.base_url, &bob, &format!("alice@{a_address}")).await;

    // Posts accepted, then the server is killed at once, before (or while) delivering them.
    let texts: Vec<String> = (0..5)
        .map(|n| format!("accepted before the crash {n}"))
        .collect();
    for text in &texts {
        post(
            &a_base,
            &alice,
            "/api/v1/statuses",
            json!({ "status": text }),
        )
        .await;
    }
    process.kill9();

    let process = a.spawn_serve_on(&a_address);
    // This wait timed out once in CI (December 2026) and could not be made to again: should it
    // recur, the restarted sender's log tells what became of the deliveries.
    let deadline = std::time::Instant::now() + WAIT;
    loop {
        let contents = home_contents(&b_server.base_url, &bob).await;
        if texts
            .iter()
            .all(|text| contents.iter().any(|content| content.contains(text)))
        {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "timed out waiting for {texts:?} in the home timeline, which has {contents:?}; \
             the restarted sender's log:\n{}",
            process.log()
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    // Each arrived once: redelivery after the crash is de-duplicated by activity id.
    let contents = home_contents(&b_server.base_url, &bob).await;
    for text in &texts {
        assert_eq!(
            contents
                .iter()
                .filter(|content| content.contains(text))
                .count(),
            1,
            "{text}"
        );
    }
    assert!(process.terminate().success());
    b_server.stop().await;
}

#[tokio::test]
async fn a_domain_that_hangs_does_not_hold_up_deliveries_to_others() {
    // A "server" that accepts connections and never answers. It counts the requests it ever
    // had, and the most it had open at once: a connection is open until the client closes it
    // (when its request times out, after 20 s).
    let hanging = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let hanging_address = hanging.local_addr().unwrap();
    let connections = Arc::new(AtomicUsize::new(0));
    let open = Arc::new(AtomicUsize::new(0));
    let most_open = Arc::new(AtomicUsize::new(0));
    let hanging_task = {
        let (connections, open, most_open) = (connections.clone(), open.clone(), most_open.clone());
        tokio::spawn(async move {
            while let Ok((mut socket, _)) = hanging.accept().await {
                connections.fetch_add(1, Ordering::SeqCst);
                let now_open = open.fetch_add(1, Ordering::SeqCst) + 1;
                most_open.fetch_max(now_open, Ordering::SeqCst);
                let open = open.clone();
                tokio::spawn(async move {
                    // Reads (and ignores) the request until the client hangs up.
                    let mut buffer = [0u8; 4096];
                    while let Ok(read) =
                        tokio::io::AsyncReadExt::read(&mut socket, &mut buffer).await
                    {
                        if read == 0 {
                            break;
                        }
                    }
                    open.fetch_sub(1, Ordering::SeqCst);
                });
            }
        })
    };

    let a = TestInstance::new().await;
    let a_server = a.start_on_own_domain_with(without_rate_limits).await;
    let b = TestInstance::new().await;
    let b_server = b.start_on_own_domain_with(without_rate_limits).await;
    let (alice, alice_id) = account(&a_server, "alice").await;
    let (bob, _) = account(&b_server, "bob").await;

    // Followers on the hanging domain.
    let hanging_domain = hanging_address.to_string();
    for name in ["stuck1", "stuck2"] {
        let stuck = a_server
            .woolly
            .federation()
            .store_remote_account(woolly_core::remote::RemoteAccount {
                username: name.to_owned(),
                domain: woolly_core::Domain::parse(&hanging_domain).unwrap(),
                display_name: String::new(),
                note: String::new(),
                note_html: None,
                locked: false,
                bot: false,
                discoverable: false,
                indexable: false,
                public_key_pem: String::new(),
                fields: Vec::new(),
                emojis: Vec::new(),
                counts: Default::default(),
                suspended: false,
                moves: Default::default(),
                actor: woolly_core::accounts::ActorLinks {
                    uri: Some(format!("http://{hanging_domain}/users/{name}")),
                    inbox_url: Some(format!("http://{hanging_domain}/users/{name}/inbox")),
                    ..Default::default()
                },
            })
            .await
            .unwrap();
        a_server
            .woolly
            .relations()
            .follow(&stuck, alice_id.parse().unwrap(), Default::default())
            .await
            .unwrap();
    }
    let alice_handle = format!("alice@{}", a_server.base_url.trim_start_matches("http://"));
    follow(&b_server.base_url, &bob, &alice_handle).await;

    let texts: Vec<String> = (0..4).map(|n| format!("not held up {n}")).collect();
    for text in &texts {
        post(
            &a_server.base_url,
            &alice,
            "/api/v1/statuses",
            json!({ "status": text }),
        )
        .await;
    }
    wait_home_has(&b_server.base_url, &bob, &texts).await;
    // Everything reached B although the hanging domain held a delivery, and only one request at
    // a time went to it, however many times it timed out and was retried meanwhile.
    assert!(connections.load(Ordering::SeqCst) >= 1);
    assert_eq!(
        most_open.load(Ordering::SeqCst),
        1,
        "one request in flight per domain"
    );
    hanging_task.abort();
    a_server.stop().await;
    b_server.stop().await;
}
