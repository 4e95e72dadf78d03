//! The streaming API against a real server: WebSocket with `?stream=` and with subscribe
//! messages (token in the subprotocol, echoed back), server-sent events, and the same visibility
//! rules as the REST reads.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::time::Duration;

use common::{TestInstance, TestServer, account as token_and_id, http, jobs_idle, post_status};
use futures_util::{SinkExt as _, StreamExt as _};
use serde_json::{Value, json};
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest as _;

type Socket =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

async fn connect(server: &TestServer, query: &str, protocol_token: Option<&str>) -> Socket {
    let url = format!(
        "{}/api/v1/streaming{query}",
        server.base_url.replace("http://", "ws://")
    );
    let mut request = url.into_client_request().unwrap();
    if let Some(token) = protocol_token {
        request
            .headers_mut()
            .insert("sec-websocket-protocol", token.parse().unwrap());
    }
    let (socket, response) = tokio_tungstenite::connect_async(request).await.unwrap();
    if let Some(token) = protocol_token {
        assert_eq!(
            response.headers()["sec-websocket-protocol"],
            token,
            "the subprotocol is echoed"
        );
    }
    socket
}

/// The first message of each of `events`, in whatever order they arrive (a status reaches a
/// follower's home through the fan-out job, so its notification may come first), failing after
/// a few seconds.
async fn next_events(socket: &mut Socket, events: &[&str]) -> Vec<Value> {
    let mut found: Vec<Option<Value>> = vec![None; events.len()];
    tokio::time::timeout(Duration::from_secs(15), async {
        while found.iter().any(Option::is_none) {
            if let Message::Text(text) = socket.next().await.unwrap().unwrap() {
                let message: Value = serde_json::from_str(&text).unwrap();
                if let Some(index) = events.iter().position(|event| message["event"] == *event)
                    && found[index].is_none()
                {
                    found[index] = Some(message);
                }
            }
        }
    })
    .await
    .unwrap_or_else(|_| panic!("not all of {events:?} arrived: {found:?}"));
    found.into_iter().flatten().collect()
}

/// The next message with `event`, failing after a few seconds.
async fn next_event(socket: &mut Socket, event: &str) -> Value {
    next_events(socket, &[event]).await.remove(0)
}

/// The next message, whatever its event, failing after a few seconds.
async fn next_message(socket: &mut Socket) -> Value {
    tokio::time::timeout(Duration::from_secs(15), async {
        loop {
            if let Message::Text(text) = socket.next().await.unwrap().unwrap() {
                return serde_json::from_str::<Value>(&text).unwrap();
            }
        }
    })
    .await
    .expect("a message")
}

/// Asserts that the next message is an `update` on `stream` of the status `id`. After
/// [`jobs_idle`], this is how a test proves that nothing else was streamed: an event that
/// should not have been sent would have been sent before this one.
async fn assert_next_update(socket: &mut Socket, stream: Value, id: &Value) {
    let message = next_message(socket).await;
    assert_eq!(message["event"], "update", "{message}");
    assert_eq!(message["stream"], stream, "{message}");
    let payload: Value = serde_json::from_str(message["payload"].as_str().unwrap()).unwrap();
    assert_eq!(payload["id"], *id, "{message}");
}

/// Asserts that the next two messages are the `update`s of the status `id` on the hashtag
/// stream `#wool` and on `public:local`, in either order.
async fn assert_next_updates_on_both(socket: &mut Socket, id: &Value) {
    let mut streams = Vec::new();
    for _ in 0..2 {
        let message = next_message(socket).await;
        assert_eq!(message["event"], "update", "{message}");
        let payload: Value = serde_json::from_str(message["payload"].as_str().unwrap()).unwrap();
        assert_eq!(payload["id"], *id, "{message}");
        streams.push(message["stream"].clone());
    }
    streams.sort_by_key(Value::to_string);
    assert_eq!(
        streams,
        vec![json!(["hashtag", "wool"]), json!(["public:local"])]
    );
}

#[tokio::test]
async fn the_user_stream_delivers_home_updates_notifications_and_deletes() {
    let instance = TestInstance::new().await;
    let server = instance.start().await;
    let (alice, alice_id) = token_and_id(&server, "alice").await;
    let (bob, _) = token_and_id(&server, "bob").await;
    http()
        .post(server.url(&format!("/api/v1/accounts/{alice_id}/follow")))
        .bearer_auth(&bob)
        .send()
        .await
        .unwrap();

    let mut socket = connect(&server, &format!("?stream=user&access_token={bob}"), None).await;
    let posted = post_status(&server, &alice, json!({"status": "hello @bob"})).await;
    let mut arrived = next_events(&mut socket, &["update", "notification"]).await;
    let notification = arrived.remove(1);
    let update = arrived.remove(0);
    assert_eq!(update["stream"], json!(["user"]));
    let payload: Value = serde_json::from_str(update["payload"].as_str().unwrap()).unwrap();
    assert_eq!(payload["id"], posted["id"]);
    let payload: Value = serde_json::from_str(notification["payload"].as_str().unwrap()).unwrap();
    assert_eq!(payload["type"], "mention");

    http()
        .delete(server.url(&format!(
            "/api/v1/statuses/{}",
            posted["id"].as_str().unwrap()
        )))
        .bearer_auth(&alice)
        .send()
        .await
        .unwrap();
    let deleted = next_event(&mut socket, "delete").await;
    assert_eq!(
        deleted["payload"], posted["id"],
        "a delete's payload is the bare id"
    );
    server.stop().await;
}

#[tokio::test]
async fn subscriptions_by_message_follow_visibility_and_mutes() {
    let instance = TestInstance::new().await;
    let server = instance.start().await;
    let (alice, alice_id) = token_and_id(&server, "alice").await;
    let (carol, _) = token_and_id(&server, "carol").await;
    let (dave, _) = token_and_id(&server, "dave").await;
    // Carol listens to public:local and a hashtag, authenticating with the subprotocol.
    let mut socket = connect(&server, "", Some(&carol)).await;
    socket
        .send(Message::Text(
            json!({"type": "subscribe", "stream": "public:local"})
                .to_string()
                .into(),
        ))
        .await
        .unwrap();
    socket
        .send(Message::Text(
            json!({"type": "subscribe", "stream": "hashtag", "tag": "Wool"})
                .to_string()
                .into(),
        ))
        .await
        .unwrap();
    socket
        .send(Message::Text(
            json!({"type": "subscribe", "stream": "nonsense"})
                .to_string()
                .into(),
        ))
        .await
        .unwrap();
    let error = tokio::time::timeout(Duration::from_secs(5), socket.next())
        .await
        .unwrap()
        .unwrap()
        .unwrap();
    assert!(error.to_text().unwrap().contains("\"error\""), "{error:?}");

    let public = post_status(
        &server,
        &alice,
        json!({"status": "public #wool", "visibility": "public"}),
    )
    .await;
    let first = next_event(&mut socket, "update").await;
    let second = next_event(&mut socket, "update").await;
    let mut streams = vec![first["stream"].clone(), second["stream"].clone()];
    streams.sort_by_key(Value::to_string);
    assert_eq!(
        streams,
        vec![json!(["hashtag", "wool"]), json!(["public:local"])]
    );
    assert_eq!(
        serde_json::from_str::<Value>(first["payload"].as_str().unwrap()).unwrap()["id"],
        public["id"]
    );

    // Unlisted, private and direct posts stay off public streams.
    for visibility in ["unlisted", "private", "direct"] {
        post_status(
            &server,
            &alice,
            json!({"status": format!("{visibility} #wool"), "visibility": visibility}),
        )
        .await;
    }
    // Once their jobs have run, a public post's events are the next to arrive.
    jobs_idle(&server).await;
    let after = post_status(&server, &alice, json!({"status": "public again #wool"})).await;
    assert_next_updates_on_both(&mut socket, &after["id"]).await;

    // After muting alice, carol's public stream no longer shows her, and shows dave.
    http()
        .post(server.url(&format!("/api/v1/accounts/{alice_id}/mute")))
        .bearer_auth(&carol)
        .send()
        .await
        .unwrap();
    post_status(&server, &alice, json!({"status": "muted now"})).await;
    jobs_idle(&server).await;
    let dave_post = post_status(&server, &dave, json!({"status": "dave #wool"})).await;
    assert_next_updates_on_both(&mut socket, &dave_post["id"]).await;

    // Unsubscribed from public:local, carol still has the hashtag stream, and only it. The
    // error answering a subscription to nothing proves that the server has read the
    // unsubscription before the posts below.
    for message in [
        json!({"type": "unsubscribe", "stream": "public:local"}),
        json!({"type": "subscribe", "stream": "nonsense"}),
    ] {
        socket
            .send(Message::Text(message.to_string().into()))
            .await
            .unwrap();
    }
    let error = next_message(&mut socket).await;
    assert!(error["error"].is_string(), "{error}");
    let first = post_status(&server, &dave, json!({"status": "first #wool"})).await;
    jobs_idle(&server).await;
    let second = post_status(&server, &dave, json!({"status": "second #wool"})).await;
    // Had `first` still gone to public:local, that event would come before `second`'s.
    assert_next_update(&mut socket, json!(["hashtag", "wool"]), &first["id"]).await;
    assert_next_update(&mut socket, json!(["hashtag", "wool"]), &second["id"]).await;
    server.stop().await;
}

#[tokio::test]
async fn user_streams_need_a_token_and_public_ones_do_not() {
    let instance = TestInstance::new().await;
    let server = instance.start().await;
    let url = format!(
        "{}/api/v1/streaming?stream=user",
        server.base_url.replace("http://", "ws://")
    );
    let refused = tokio_tungstenite::connect_async(url).await;
    match refused {
        Err(tokio_tungstenite::tungstenite::Error::Http(response)) => {
            assert_eq!(response.status(), 401)
        }
        other => panic!("expected a 401, got {other:?}"),
    }
    let response = http()
        .get(server.url("/api/v1/streaming/user"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 401);
    let response = http()
        .get(server.url("/api/v1/streaming/health"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.text().await.unwrap(), "OK");
    let _public = connect(&server, "?stream=public", None).await;
    server.stop().await;
}

#[tokio::test]
async fn server_sent_events_carry_the_same_events() {
    let instance = TestInstance::new().await;
    let server = instance.start().await;
    let (alice, _) = token_and_id(&server, "alice").await;
    let mut response = http()
        .get(server.url("/api/v1/streaming/public/local"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.headers()["content-type"], "text/event-stream");
    let posted = post_status(&server, &alice, json!({"status": "over SSE"})).await;
    let mut received = String::new();
    tokio::time::timeout(Duration::from_secs(15), async {
        while !received.contains("\n\n") || !received.contains("event: update") {
            let chunk = response.chunk().await.unwrap().unwrap();
            received.push_str(&String::from_utf8_lossy(&chunk));
        }
    })
    .await
    .unwrap();
    assert!(
        received.contains(&format!("\"id\":\"{}\"", posted["id"].as_str().unwrap())),
        "{received}"
    );
    server.stop().await;
}

#[tokio::test]
async fn a_list_stream_carries_what_the_list_timeline_shows_to_its_owner_only() {
    let instance = TestInstance::new().await;
    let server = instance.start().await;
    let (alice, alice_id) = token_and_id(&server, "alice").await;
    let (bob, _) = token_and_id(&server, "bob").await;
    let (carol, carol_id) = token_and_id(&server, "carol").await;
    for target in [&alice_id, &carol_id] {
        http()
            .post(server.url(&format!("/api/v1/accounts/{target}/follow")))
            .bearer_auth(&bob)
            .send()
            .await
            .unwrap();
    }
    let list: Value = http()
        .post(server.url("/api/v1/lists"))
        .bearer_auth(&bob)
        .json(&json!({"title": "friends"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let list_id = list["id"].as_str().unwrap().to_owned();
    let added = http()
        .post(server.url(&format!("/api/v1/lists/{list_id}/accounts")))
        .bearer_auth(&bob)
        .json(&json!({"account_ids": [alice_id]}))
        .send()
        .await
        .unwrap();
    assert!(added.status().is_success());

    let mut socket = connect(
        &server,
        &format!("?stream=list&list={list_id}&access_token={bob}"),
        None,
    )
    .await;
    post_status(
        &server,
        &carol,
        json!({"status": "carol is not on the list"}),
    )
    .await;
    let posted = post_status(&server, &alice, json!({"status": "alice is"})).await;
    let update = next_event(&mut socket, "update").await;
    assert_eq!(update["stream"], json!(["list", list_id]));
    let payload: Value = serde_json::from_str(update["payload"].as_str().unwrap()).unwrap();
    assert_eq!(payload["id"], posted["id"], "carol's post was not streamed");
    post_status(
        &server,
        &alice,
        json!({"status": "@carol only", "visibility": "direct"}),
    )
    .await;
    // Once its jobs have run, the delete below is the next event: the direct post sent none.
    jobs_idle(&server).await;
    http()
        .delete(server.url(&format!(
            "/api/v1/statuses/{}",
            posted["id"].as_str().unwrap()
        )))
        .bearer_auth(&alice)
        .send()
        .await
        .unwrap();
    let deleted = next_message(&mut socket).await;
    assert_eq!(deleted["event"], "delete", "{deleted}");
    assert_eq!(deleted["payload"], posted["id"]);

    // Someone else's list: refused on connect and by message, as Mastodon refuses it.
    let url = format!(
        "{}/api/v1/streaming?stream=list&list={list_id}&access_token={carol}",
        server.base_url.replace("http://", "ws://")
    );
    let refused = tokio_tungstenite::connect_async(url).await;
    assert!(refused.is_err(), "carol may not stream bob's list");
    let mut socket = connect(&server, &format!("?access_token={carol}"), None).await;
    socket
        .send(Message::Text(
            json!({"type": "subscribe", "stream": "list", "list": list_id})
                .to_string()
                .into(),
        ))
        .await
        .unwrap();
    let reply = tokio::time::timeout(Duration::from_secs(5), socket.next())
        .await
        .unwrap()
        .unwrap()
        .unwrap();
    let reply: Value = serde_json::from_str(reply.to_text().unwrap()).unwrap();
    assert_eq!(reply["error"], "Not authorized to stream this list");
    let response = http()
        .get(server.url(&format!("/api/v1/streaming/list?list={list_id}")))
        .bearer_auth(&carol)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), reqwest::StatusCode::UNAUTHORIZED);
    server.stop().await;
}

#[tokio::test]
async fn members_hear_of_announcements_their_reactions_and_their_withdrawal() {
    use woolly_core::account_moderation::Moderator;
    use woolly_core::announcements::AnnouncementDraft;
    let instance = TestInstance::new().await;
    let server = instance.start().await;
    let (bob, _) = token_and_id(&server, "bob").await;
    let mut socket = connect(&server, &format!("?stream=user&access_token={bob}"), None).await;
    // A draft is nobody's news yet.
    let draft = AnnouncementDraft {
        text: "Maintenance on Sunday".to_owned(),
        ..AnnouncementDraft::default()
    };
    let id = server
        .woolly
        .instance()
        .save_announcement(Moderator::Operator, None, draft.clone())
        .await
        .unwrap();
    let published = AnnouncementDraft {
        publish: true,
        ..draft
    };
    server
        .woolly
        .instance()
        .save_announcement(Moderator::Operator, Some(id), published)
        .await
        .unwrap();
    let message = next_message(&mut socket).await;
    assert_eq!(message["event"], "announcement", "{message}");
    assert_eq!(message["stream"], json!(["user"]));
    let payload: Value = serde_json::from_str(message["payload"].as_str().unwrap()).unwrap();
    assert_eq!(payload["id"], id.to_string());
    assert!(
        payload["content"]
            .as_str()
            .unwrap()
            .contains("Maintenance on Sunday"),
        "{payload}"
    );
    assert_eq!(payload["read"], false);

    let response = http()
        .put(server.url(&format!(
            "/api/v1/announcements/{id}/reactions/%F0%9F%91%8D"
        )))
        .bearer_auth(&bob)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let message = next_message(&mut socket).await;
    assert_eq!(message["event"], "announcement.reaction", "{message}");
    let payload: Value = serde_json::from_str(message["payload"].as_str().unwrap()).unwrap();
    assert_eq!(
        payload,
        json!({"name": "👍", "count": 1, "announcement_id": id.to_string()})
    );

    server
        .woolly
        .instance()
        .delete_announcement(Moderator::Operator, id)
        .await
        .unwrap();
    let message = next_message(&mut socket).await;
    assert_eq!(message["event"], "announcement.delete", "{message}");
    assert_eq!(message["payload"], id.to_string());
    server.stop().await;
}

#[tokio::test]
async fn accepting_a_notification_request_tells_the_notification_stream_to_reload() {
    let instance = TestInstance::new().await;
    let server = instance.start().await;
    let (ana, _) = token_and_id(&server, "ana").await;
    let (stranger, _) = token_and_id(&server, "stranger").await;
    let mut socket = connect(
        &server,
        &format!("?stream=user:notification&access_token={ana}"),
        None,
    )
    .await;
    post_status(
        &server,
        &stranger,
        json!({"status": "@ana psst", "visibility": "direct"}),
    )
    .await;
    jobs_idle(&server).await;
    let requests: Value = http()
        .get(server.url("/api/v1/notifications/requests"))
        .bearer_auth(&ana)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let id = requests[0]["id"].as_str().unwrap();
    let response = http()
        .post(server.url(&format!("/api/v1/notifications/requests/{id}/accept")))
        .bearer_auth(&ana)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    // The filtered mention was never streamed: the first message is the merge.
    let message = next_message(&mut socket).await;
    assert_eq!(message["event"], "notifications_merged", "{message}");
    assert_eq!(message["stream"], json!(["user:notification"]));
    assert_eq!(message["payload"], "1");
    server.stop().await;
}
