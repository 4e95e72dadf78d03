//! Editing statuses: the new content everywhere, the history, the source, the notification to
//! rebloggers, `status.update` on the stream, and the refusals.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::time::Duration;

use common::{TestInstance, account, http};
use futures_util::StreamExt as _;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

#[tokio::test]
async fn an_edit_changes_the_status_keeps_its_history_and_tells_rebloggers() {
    let instance = TestInstance::new().await;
    let server = instance.start().await;
    let (alice, alice_id) = account(&server, "alice").await;
    let (bob, _) = account(&server, "bob").await;
    http()
        .post(server.url(&format!("/api/v1/accounts/{alice_id}/follow")))
        .bearer_auth(&bob)
        .send()
        .await
        .unwrap();
    let posted: Value = http()
        .post(server.url("/api/v1/statuses"))
        .bearer_auth(&alice)
        .json(&json!({"status": "first #draft", "spoiler_text": "cw"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let id = posted["id"].as_str().unwrap().to_owned();
    http()
        .post(server.url(&format!("/api/v1/statuses/{id}/reblog")))
        .bearer_auth(&bob)
        .send()
        .await
        .unwrap();
    // The user stream tells of an edit those whose home feed holds the status, which the
    // fan-out job puts there after the post is answered.
    common::eventually(
        Duration::from_secs(20),
        "the status in bob's home",
        || async {
            common::home_timeline(&server, &bob)
                .await?
                .iter()
                .any(|status| status["id"] == id.as_str())
                .then_some(())
        },
    )
    .await;

    // Bob watches his home stream.
    let url = format!(
        "{}/api/v1/streaming?stream=user&access_token={bob}",
        server.base_url.replace("http://", "ws://")
    );
    let (mut socket, _) = tokio_tungstenite::connect_async(url).await.unwrap();

    let response = http().put(server.url(&format!("/api/v1/statuses/{id}"))).bearer_auth(&alice).json(&json!({"status": "second #final, thanks @bob", "spoiler_text": "", "sensitive": false})).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let edited: Value = response.json().await.unwrap();
    assert_eq!(edited["id"], id.as_str());
    assert!(edited["edited_at"].is_string());
    assert!(edited["content"].as_str().unwrap().contains("second"));
    assert_eq!(
        edited["tags"],
        json!([{"name": "final", "url": "http://woolly.test/tags/final"}])
    );
    assert_eq!(edited["mentions"][0]["acct"], "bob");

    let history: Value = http()
        .get(server.url(&format!("/api/v1/statuses/{id}/history")))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let history = history.as_array().unwrap();
    assert_eq!(history.len(), 2, "the original, then the edit");
    assert!(history[0]["content"].as_str().unwrap().contains("first"));
    assert_eq!(history[0]["spoiler_text"], "cw");
    assert!(history[1]["content"].as_str().unwrap().contains("second"));
    assert_eq!(history[1]["account"]["id"], alice_id.as_str());

    let source: Value = http()
        .get(server.url(&format!("/api/v1/statuses/{id}/source")))
        .bearer_auth(&alice)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        source,
        json!({"id": id, "text": "second #final, thanks @bob", "spoiler_text": ""})
    );

    let notifications: Value = http()
        .get(server.url("/api/v1/notifications"))
        .bearer_auth(&bob)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let kinds: Vec<&str> = notifications
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["type"].as_str().unwrap())
        .collect();
    assert!(
        kinds.contains(&"update") && kinds.contains(&"mention"),
        "{kinds:?}"
    );

    let update = tokio::time::timeout(Duration::from_secs(15), async {
        loop {
            let message = socket.next().await.unwrap().unwrap();
            if let Ok(text) = message.to_text() {
                let value: Value = serde_json::from_str(text).unwrap_or(Value::Null);
                if value["event"] == "status.update" {
                    return value;
                }
            }
        }
    })
    .await
    .unwrap();
    let payload: Value = serde_json::from_str(update["payload"].as_str().unwrap()).unwrap();
    assert_eq!(payload["id"], id.as_str());
    server.stop().await;
}

#[tokio::test]
async fn only_the_author_edits_and_bad_edits_change_nothing() {
    let instance = TestInstance::new().await;
    let server = instance.start().await;
    let (alice, _) = account(&server, "alice").await;
    let (bob, _) = account(&server, "bob").await;
    let posted: Value = http()
        .post(server.url("/api/v1/statuses"))
        .bearer_auth(&alice)
        .json(&json!({"status": "original"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let id = posted["id"].as_str().unwrap();
    let response = http()
        .put(server.url(&format!("/api/v1/statuses/{id}")))
        .bearer_auth(&bob)
        .json(&json!({"status": "hijacked"}))
        .send()
        .await
        .unwrap();
    // Mastodon looks the status up among the editor's own: another's is not found.
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    for body in [
        json!({"status": ""}),
        json!({"status": "x".repeat(501)}),
        json!({"status": "ok", "media_ids": ["123"]}),
    ] {
        let response = http()
            .put(server.url(&format!("/api/v1/statuses/{id}")))
            .bearer_auth(&alice)
            .json(&body)
            .send()
            .await
            .unwrap();
        assert_eq!(
            response.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "{body}"
        );
    }
    let response = http()
        .get(server.url(&format!("/api/v1/statuses/{id}/source")))
        .bearer_auth(&bob)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    let unchanged: Value = http()
        .get(server.url(&format!("/api/v1/statuses/{id}")))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(unchanged["content"], "<p>original</p>");
    assert!(unchanged["edited_at"].is_null());
    let history: Value = http()
        .get(server.url(&format!("/api/v1/statuses/{id}/history")))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(history.as_array().unwrap().len(), 1);
    server.stop().await;
}

#[tokio::test]
async fn each_version_shows_the_poll_and_the_custom_emojis_its_text_used() {
    let instance = TestInstance::new().await;
    let server = instance.start().await;
    let (alice, _) = account(&server, "alice").await;
    let mut png = std::io::Cursor::new(Vec::new());
    image::RgbaImage::new(4, 4)
        .write_to(&mut png, image::ImageFormat::Png)
        .unwrap();
    server
        .woolly
        .instance()
        .add_custom_emoji("blobcat", png.into_inner(), None, true)
        .await
        .unwrap();
    let (_, posted) = server
        .call(
            Method::POST,
            "/api/v1/statuses",
            Some(&alice),
            json!({
                "status": "tea or coffee :blobcat:",
                "poll": {"options": ["tea", "coffee"], "expires_in": 3600},
            }),
        )
        .await;
    let path = format!("/api/v1/statuses/{}", posted["id"].as_str().unwrap());
    let (code, _) = server
        .call(
            Method::PUT,
            &path,
            Some(&alice),
            json!({"status": "tea or coffee?"}),
        )
        .await;
    assert_eq!(code, StatusCode::OK);
    let (_, history) = server
        .call(Method::GET, &format!("{path}/history"), None, Value::Null)
        .await;
    assert_eq!(history.as_array().unwrap().len(), 2);
    let poll = json!({"options": [{"title": "tea"}, {"title": "coffee"}]});
    assert_eq!(history[0]["poll"], poll);
    assert_eq!(history[1]["poll"], poll);
    assert_eq!(history[0]["emojis"][0]["shortcode"], "blobcat", "{history}");
    assert_eq!(
        history[1]["emojis"],
        json!([]),
        "the edit no longer uses it"
    );
    server.stop().await;
}
