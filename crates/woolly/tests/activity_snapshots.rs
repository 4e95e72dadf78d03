//! Snapshots of every kind of activity Woolly sends, and of its actor document, as a peer
//! receives them: a local user does everything that federates (follow, post, edit, pin, like,
//! reblog, undo each, update the profile, delete, block, accept and reject followers) towards
//! the fake GoToSocial peer, which keeps what arrives. A change in the shape of what other
//! servers read then shows in review (`tests/snapshots/activity_snapshots__*.snap`).

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::fediverse::WAIT;
use common::gotosocial::GtsPeer;
use common::snapshot::normalized;
use common::{TestInstance, TestServer, account, eventually};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

/// The name a snapshot of `activity` goes by: its type, and for `Undo` and `Update` the type of
/// what it undoes or updates.
fn name_of(activity: &Value) -> String {
    let kind = activity["type"].as_str().unwrap_or("untyped");
    match kind {
        "Undo" | "Update" => format!(
            "{kind}_{}",
            activity["object"]["type"].as_str().unwrap_or("reference")
        ),
        _ => kind.to_owned(),
    }
}

/// Waits until the peer has received activities of each of `names`: what Woolly delivers is
/// rendered when the delivery runs, so taking an action back before then sends only the undoing.
async fn arrived(peer: &GtsPeer, names: &[&str]) -> Vec<Value> {
    let deadline = std::time::Instant::now() + WAIT;
    loop {
        let received = peer.received();
        let got: Vec<String> = received.iter().map(name_of).collect();
        let missing: Vec<&str> = names
            .iter()
            .copied()
            .filter(|name| !got.iter().any(|found| found == name))
            .collect();
        if missing.is_empty() {
            return received;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the peer never received {missing:?}; it received {got:?}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
}

async fn call(server: &TestServer, token: &str, method: Method, path: &str, body: Value) -> Value {
    let (code, answer) = server.call(method.clone(), path, Some(token), body).await;
    assert_eq!(code, StatusCode::OK, "{method} {path}: {answer}");
    answer
}

#[tokio::test]
async fn every_activity_woolly_sends_keeps_its_shape() {
    let peer = GtsPeer::start().await;
    let instance = TestInstance::new().await;
    let server = instance.start_on_own_domain().await;
    let (alice, _) = account(&server, "alice").await;
    let (bob, _) = account(&server, "bob").await;
    let inbox = server.url("/inbox");
    let follow = |object: String, number: u32| {
        json!({
            "@context": "https://www.w3.org/ns/activitystreams",
            "id": format!("{}/follows/{number}", peer.actor()),
            "type": "Follow",
            "actor": peer.actor(),
            "object": object,
        })
    };

    // The peer follows Alice (accepted at once) and Bob, who approves followers (rejected).
    call(
        &server,
        &bob,
        Method::PATCH,
        "/api/v1/accounts/update_credentials",
        json!({"locked": true}),
    )
    .await;
    let alice_uri = server.url("/users/alice");
    assert_eq!(peer.deliver(&inbox, &follow(alice_uri, 1)).await, 202);
    assert_eq!(
        peer.deliver(&inbox, &follow(server.url("/users/bob"), 2))
            .await,
        202
    );
    let requests = eventually(WAIT, "bob's follow request", || async {
        let (_, requests) = server
            .call(
                Method::GET,
                "/api/v1/follow_requests",
                Some(&bob),
                Value::Null,
            )
            .await;
        requests[0]["id"].as_str().map(str::to_owned)
    })
    .await;
    call(
        &server,
        &bob,
        Method::POST,
        &format!("/api/v1/follow_requests/{requests}/reject"),
        Value::Null,
    )
    .await;

    // Alice follows the peer back, and posts, edits, pins, unpins and deletes.
    let found = call(
        &server,
        &alice,
        Method::GET,
        &format!(
            "/api/v2/search?q=@{}&resolve=true&type=accounts",
            peer.handle()
        ),
        Value::Null,
    )
    .await;
    let peer_id = found["accounts"][0]["id"].as_str().unwrap().to_owned();
    call(
        &server,
        &alice,
        Method::POST,
        &format!("/api/v1/accounts/{peer_id}/follow"),
        Value::Null,
    )
    .await;
    let posted = call(
        &server,
        &alice,
        Method::POST,
        "/api/v1/statuses",
        json!({
            "status": format!("hello @{} #wool", peer.handle()),
            "spoiler_text": "a greeting",
        }),
    )
    .await;
    let status = format!("/api/v1/statuses/{}", posted["id"].as_str().unwrap());
    arrived(&peer, &["Create"]).await;
    call(
        &server,
        &alice,
        Method::PUT,
        &status,
        json!({"status": format!("hello again @{} #wool", peer.handle())}),
    )
    .await;
    for action in ["pin", "unpin"] {
        if action == "unpin" {
            arrived(&peer, &["Add"]).await;
        }
        call(
            &server,
            &alice,
            Method::POST,
            &format!("{status}/{action}"),
            Value::Null,
        )
        .await;
    }

    // Alice likes and reblogs the peer's post, then takes both back.
    assert_eq!(
        peer.deliver(
            &inbox,
            &peer.fixture("create_note_with_content_warning.json")
        )
        .await,
        202
    );
    let note = peer.fixture("create_note_with_content_warning.json")["object"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let theirs = eventually(WAIT, "the peer's post on Woolly", || async {
        let (_, public) = server
            .call(
                Method::GET,
                "/api/v1/timelines/public",
                Some(&alice),
                Value::Null,
            )
            .await;
        public
            .as_array()?
            .iter()
            .find(|status| status["uri"] == note.as_str())
            .map(|status| status["id"].as_str().unwrap().to_owned())
    })
    .await;
    for action in ["favourite", "unfavourite", "reblog", "unreblog"] {
        match action {
            "unfavourite" => drop(arrived(&peer, &["Like"]).await),
            "unreblog" => drop(arrived(&peer, &["Announce"]).await),
            _ => {}
        }
        call(
            &server,
            &alice,
            Method::POST,
            &format!("/api/v1/statuses/{theirs}/{action}"),
            Value::Null,
        )
        .await;
    }

    // Her profile changes; her post goes; she unfollows, then blocks.
    call(
        &server,
        &alice,
        Method::PATCH,
        "/api/v1/accounts/update_credentials",
        json!({"display_name": "Alice", "note": "Knits."}),
    )
    .await;
    arrived(&peer, &["Create", "Update_Note", "Remove", "Follow"]).await;
    call(&server, &alice, Method::DELETE, &status, Value::Null).await;
    for action in ["unfollow", "block"] {
        call(
            &server,
            &alice,
            Method::POST,
            &format!("/api/v1/accounts/{peer_id}/{action}"),
            Value::Null,
        )
        .await;
    }

    let expected = [
        "Accept",
        "Reject",
        "Follow",
        "Create",
        "Update_Note",
        "Add",
        "Remove",
        "Like",
        "Undo_Like",
        "Announce",
        "Undo_Announce",
        "Update_Person",
        "Delete",
        "Undo_Follow",
        "Block",
    ];
    let received = arrived(&peer, &expected).await;
    let server_domain = server.base_url.trim_start_matches("http://").to_owned();
    let bases = [
        (server.base_url.as_str(), "http://woolly"),
        (peer.base.as_str(), "http://gotosocial"),
        (server_domain.as_str(), "woolly"),
        (peer.domain.as_str(), "gotosocial"),
    ];
    for name in expected {
        let activity = received
            .iter()
            .find(|activity| name_of(activity) == name)
            .unwrap();
        insta::assert_json_snapshot!(name, normalized(activity, &bases));
    }

    // The actor document, as peers fetch it.
    let actor: Value = common::http()
        .get(server.url("/users/alice"))
        .header("Accept", "application/activity+json")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    insta::assert_json_snapshot!("Person", normalized(&actor, &bases));
    server.stop().await;
}
