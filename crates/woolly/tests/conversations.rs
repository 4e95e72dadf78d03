//! Direct conversations: listed per participant, unread until read, on the `direct` stream.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::time::Duration;

use common::{TestInstance, TestServer, account, eventually, http, post_status};
use futures_util::StreamExt as _;
use reqwest::StatusCode;
use serde_json::{Value, json};

async fn conversations(server: &TestServer, token: &str) -> Value {
    http()
        .get(server.url("/api/v1/conversations"))
        .bearer_auth(token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

#[tokio::test]
async fn direct_messages_make_conversations_for_their_participants() {
    let instance = TestInstance::new().await;
    let server = instance.start().await;
    let (alice, alice_id) = account(&server, "alice").await;
    let (bob, bob_id) = account(&server, "bob").await;
    let (carol, _) = account(&server, "carol").await;
    let url = format!(
        "{}/api/v1/streaming?stream=direct&access_token={bob}",
        server.base_url.replace("http://", "ws://")
    );
    let (mut socket, _) = tokio_tungstenite::connect_async(url).await.unwrap();

    let first = post_status(
        &server,
        &alice,
        json!({"status": "@bob psst", "visibility": "direct"}),
    )
    .await;
    let listed = eventually(Duration::from_secs(20), "bob's conversation", || async {
        let list = conversations(&server, &bob).await;
        (!list.as_array()?.is_empty()).then_some(list)
    })
    .await;
    assert_eq!(listed[0]["unread"], true);
    assert_eq!(listed[0]["accounts"][0]["id"], alice_id.as_str());
    assert_eq!(listed[0]["last_status"]["id"], first["id"]);
    let event = tokio::time::timeout(Duration::from_secs(15), async {
        loop {
            let message = socket.next().await.unwrap().unwrap();
            let value: Value =
                serde_json::from_str(message.to_text().unwrap_or("{}")).unwrap_or(Value::Null);
            if value["event"] == "conversation" {
                return value;
            }
        }
    })
    .await
    .unwrap();
    let payload: Value = serde_json::from_str(event["payload"].as_str().unwrap()).unwrap();
    assert_eq!(payload["id"], listed[0]["id"]);

    // The author's own conversation is read; a reply moves both to the new status.
    let mine = eventually(Duration::from_secs(20), "alice's conversation", || async {
        let list = conversations(&server, &alice).await;
        (!list.as_array()?.is_empty()).then_some(list)
    })
    .await;
    assert_eq!(mine[0]["unread"], false);
    assert_eq!(mine[0]["accounts"][0]["id"], bob_id.as_str());
    let reply = post_status(
        &server,
        &bob,
        json!({"status": "@alice hi", "visibility": "direct", "in_reply_to_id": first["id"]}),
    )
    .await;
    eventually(
        Duration::from_secs(20),
        "alice's conversation to move on",
        || async {
            let list = conversations(&server, &alice).await;
            (list[0]["last_status"]["id"] == reply["id"] && list[0]["unread"] == true).then_some(())
        },
    )
    .await;
    // The job records bob's own conversation too, perhaps after alice's: once it has, the
    // reading and deleting below cannot be undone by it.
    eventually(
        Duration::from_secs(20),
        "bob's conversation to move on",
        || async {
            let list = conversations(&server, &bob).await;
            (list[0]["last_status"]["id"] == reply["id"]).then_some(())
        },
    )
    .await;

    let id = listed[0]["id"].as_str().unwrap();
    let read: Value = http()
        .post(server.url(&format!("/api/v1/conversations/{id}/read")))
        .bearer_auth(&bob)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(read["unread"], false);
    let response = http()
        .post(server.url(&format!("/api/v1/conversations/{id}/read")))
        .bearer_auth(&carol)
        .send()
        .await
        .unwrap();
    assert_eq!(
        response.status(),
        StatusCode::NOT_FOUND,
        "someone else's conversation"
    );
    assert_eq!(conversations(&server, &carol).await, json!([]));
    let response = http()
        .delete(server.url(&format!("/api/v1/conversations/{id}")))
        .bearer_auth(&bob)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(conversations(&server, &bob).await, json!([]));
    server.stop().await;
}

#[tokio::test]
async fn a_late_fan_out_does_not_move_a_conversation_back() {
    let instance = TestInstance::new().await;
    let server = instance.start().await;
    let (alice, alice_id) = account(&server, "alice").await;
    let (bob, bob_id) = account(&server, "bob").await;
    let id = |status: Value| status["id"].as_str().unwrap().to_owned();
    let first = id(post_status(
        &server,
        &alice,
        json!({"status": "@bob first", "visibility": "direct"}),
    )
    .await);
    let second = id(post_status(
        &server,
        &bob,
        json!({"status": "@alice second", "visibility": "direct", "in_reply_to_id": first}),
    )
    .await);
    common::jobs_idle(&server).await;
    let shown = |list: &Value| {
        (
            list[0]["last_status"]["id"].as_str().unwrap().to_owned(),
            list[0]["unread"].as_bool().unwrap(),
        )
    };
    assert_eq!(
        shown(&conversations(&server, &bob).await),
        (second.clone(), false)
    );
    // The first message's fan-out job, run again after the second's (as when jobs run out of
    // order), records it in bob's conversation once more.
    instance
        .store()
        .await
        .upsert_conversation(
            bob_id.parse().unwrap(),
            &alice_id,
            first.parse().unwrap(),
            true,
            woolly_core::now_millis(),
        )
        .await
        .unwrap();
    assert_eq!(
        shown(&conversations(&server, &bob).await),
        (second, false),
        "the conversation still shows its latest message, read"
    );
    server.stop().await;
}
