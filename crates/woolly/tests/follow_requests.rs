//! Follow options (reblogs, languages) and locked accounts: follows become requests that the
//! account authorizes or rejects.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::time::Duration;

use common::{TestInstance, TestServer, account, eventually, http};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

async fn post(server: &TestServer, token: &str, path: &str) -> (StatusCode, Value) {
    server
        .call(Method::POST, path, Some(token), Value::Null)
        .await
}

async fn get(server: &TestServer, token: &str, path: &str) -> Value {
    server
        .call(Method::GET, path, Some(token), Value::Null)
        .await
        .1
}

#[tokio::test]
async fn a_locked_account_authorizes_or_rejects_follow_requests() {
    let instance = TestInstance::new().await;
    let server = instance.start().await;
    let (locked, locked_id) = account(&server, "locked").await;
    let (bob, bob_id) = account(&server, "bob").await;
    let (carol, carol_id) = account(&server, "carol").await;
    http()
        .patch(server.url("/api/v1/accounts/update_credentials"))
        .bearer_auth(&locked)
        .json(&json!({"locked": true}))
        .send()
        .await
        .unwrap();
    let private: Value = http()
        .post(server.url("/api/v1/statuses"))
        .bearer_auth(&locked)
        .json(&json!({"status": "for followers", "visibility": "private"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let private_id = private["id"].as_str().unwrap();

    let (_, relationship) = post(
        &server,
        &bob,
        &format!("/api/v1/accounts/{locked_id}/follow"),
    )
    .await;
    assert_eq!(
        (
            relationship["following"].clone(),
            relationship["requested"].clone()
        ),
        (json!(false), json!(true))
    );
    post(
        &server,
        &carol,
        &format!("/api/v1/accounts/{locked_id}/follow"),
    )
    .await;
    let me = get(&server, &locked, "/api/v1/accounts/verify_credentials").await;
    assert_eq!(me["source"]["follow_requests_count"], 2);
    let requests = get(&server, &locked, "/api/v1/follow_requests").await;
    let ids: Vec<&str> = requests
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, [carol_id.as_str(), bob_id.as_str()]);
    let notifications = get(&server, &locked, "/api/v1/notifications").await;
    assert!(
        notifications
            .as_array()
            .unwrap()
            .iter()
            .all(|n| n["type"] == "follow_request")
    );
    let relationships = get(
        &server,
        &locked,
        &format!("/api/v1/accounts/relationships?id[]={bob_id}"),
    )
    .await;
    assert_eq!(relationships[0]["requested_by"], true);

    // Not yet a follower: the private post stays hidden.
    let response = http()
        .get(server.url(&format!("/api/v1/statuses/{private_id}")))
        .bearer_auth(&bob)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::NOT_FOUND);

    let (status, relationship) = post(
        &server,
        &locked,
        &format!("/api/v1/follow_requests/{bob_id}/authorize"),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(relationship["followed_by"], true);
    let response = http()
        .get(server.url(&format!("/api/v1/statuses/{private_id}")))
        .bearer_auth(&bob)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK, "a follower now");

    let (_, relationship) = post(
        &server,
        &locked,
        &format!("/api/v1/follow_requests/{carol_id}/reject"),
    )
    .await;
    assert_eq!(relationship["followed_by"], false);
    let (_, relationship) = post(
        &server,
        &carol,
        &format!("/api/v1/accounts/{locked_id}/unfollow"),
    )
    .await;
    assert_eq!(relationship["requested"], false);
    assert_eq!(
        get(&server, &locked, "/api/v1/follow_requests").await,
        json!([])
    );
    assert_eq!(
        get(&server, &locked, "/api/v1/notifications").await,
        json!([]),
        "answered requests leave no notification"
    );

    // Nothing to answer: 404.
    let (status, _) = post(
        &server,
        &locked,
        &format!("/api/v1/follow_requests/{carol_id}/authorize"),
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = post(&server, &locked, "/api/v1/follow_requests/nonsense/reject").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    server.stop().await;
}

#[tokio::test]
async fn grouped_notifications_gather_favourites_of_a_status() {
    let instance = TestInstance::new().await;
    let server = instance.start().await;
    let (alice, alice_id) = account(&server, "alice").await;
    let (bob, bob_id) = account(&server, "bob").await;
    let (carol, carol_id) = account(&server, "carol").await;
    let status: Value = http()
        .post(server.url("/api/v1/statuses"))
        .bearer_auth(&alice)
        .json(&json!({"status": "like this"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let id = status["id"].as_str().unwrap();
    for token in [&bob, &carol] {
        post(&server, token, &format!("/api/v1/statuses/{id}/favourite")).await;
        post(
            &server,
            token,
            &format!("/api/v1/accounts/{alice_id}/follow"),
        )
        .await;
    }
    http()
        .post(server.url("/api/v1/statuses"))
        .bearer_auth(&bob)
        .json(&json!({"status": "@alice hi"}))
        .send()
        .await
        .unwrap();

    let grouped = get(&server, &alice, "/api/v2/notifications").await;
    let groups = grouped["notification_groups"].as_array().unwrap();
    let kinds: Vec<&str> = groups.iter().map(|g| g["type"].as_str().unwrap()).collect();
    assert_eq!(kinds, ["mention", "follow", "favourite"], "{grouped}");
    let favourites = &groups[2];
    assert_eq!(favourites["notifications_count"], 2);
    assert_eq!(favourites["status_id"], id);
    assert!(
        favourites["group_key"]
            .as_str()
            .unwrap()
            .starts_with(&format!("favourite-{id}-"))
    );
    let mut sample: Vec<String> = favourites["sample_account_ids"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_owned())
        .collect();
    sample.sort();
    let mut expected = vec![bob_id.clone(), carol_id.clone()];
    expected.sort();
    assert_eq!(sample, expected);
    assert_eq!(
        grouped["accounts"].as_array().unwrap().len(),
        2,
        "each account once"
    );
    assert_eq!(grouped["statuses"].as_array().unwrap().len(), 2);

    // The v1 entity carries the same key, and a group can be read and dismissed by it.
    let v1 = get(&server, &alice, "/api/v1/notifications?types[]=favourite").await;
    assert_eq!(v1[0]["group_key"], favourites["group_key"]);
    let key = favourites["group_key"].as_str().unwrap();
    let accounts = get(
        &server,
        &alice,
        &format!("/api/v2/notifications/{key}/accounts"),
    )
    .await;
    assert_eq!(accounts.as_array().unwrap().len(), 2);
    assert_eq!(
        get(&server, &alice, "/api/v2/notifications/unread_count").await,
        json!({"count": 5})
    );
    let (status, _) = post(
        &server,
        &alice,
        &format!("/api/v2/notifications/{key}/dismiss"),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        get(&server, &alice, "/api/v2/notifications/unread_count").await,
        json!({"count": 3})
    );
    let response = http()
        .get(server.url("/api/v2/notifications/favourite-1-1"))
        .bearer_auth(&alice)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    server.stop().await;
}

async fn follow(server: &TestServer, token: &str, id: &str, body: Value) -> (StatusCode, Value) {
    let response = http()
        .post(server.url(&format!("/api/v1/accounts/{id}/follow")))
        .bearer_auth(token)
        .json(&body)
        .send()
        .await
        .unwrap();
    (response.status(), response.json().await.unwrap())
}

#[tokio::test]
async fn following_some_languages_keeps_the_others_out_of_the_home_timeline() {
    let instance = TestInstance::new().await;
    let server = instance.start().await;
    let (alice, alice_id) = account(&server, "alice").await;
    let (bob, _) = account(&server, "bob").await;
    let (locked, locked_id) = account(&server, "locked").await;

    let (status, relationship) =
        follow(&server, &bob, &alice_id, json!({"languages": ["de"]})).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(relationship["languages"], json!(["de"]));
    assert_eq!(relationship["showing_reblogs"], true);
    let mut posted = Vec::new();
    for (text, language) in [
        ("Hallo", json!("de")),
        ("Hello", json!("en")),
        ("Hm", Value::Null),
    ] {
        let status: Value = http()
            .post(server.url("/api/v1/statuses"))
            .bearer_auth(&alice)
            .json(&json!({"status": text, "language": language}))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        posted.push(status["id"].as_str().unwrap().to_owned());
    }
    // Each post has its own fan-out job, run in no particular order: two posts at home would
    // not prove that the English one's job had run (and kept it out).
    fan_outs_done(&server).await;
    let home = eventually(
        Duration::from_secs(20),
        "two posts in bob's home",
        || async {
            let home = get(&server, &bob, "/api/v1/timelines/home").await;
            (home.as_array()?.len() >= 2).then_some(home)
        },
    )
    .await;
    let ids: Vec<&str> = home
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        ids,
        [posted[2].as_str(), posted[0].as_str()],
        "German and unknown, not English"
    );

    // Following again changes only what is given (Mastodon's follow!).
    let (_, relationship) = follow(&server, &bob, &alice_id, json!({"reblogs": false})).await;
    assert_eq!(relationship["languages"], json!(["de"]));
    assert_eq!(relationship["showing_reblogs"], false);
    let (status, body) = follow(
        &server,
        &bob,
        &alice_id,
        json!({"languages": ["not a code!"]}),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        body["error"].as_str().unwrap().contains("language code"),
        "{body}"
    );
    let relationships = get(
        &server,
        &bob,
        &format!("/api/v1/accounts/relationships?id[]={alice_id}"),
    )
    .await;
    assert_eq!(
        relationships[0]["languages"],
        json!(["de"]),
        "nothing changed"
    );

    // A follow request keeps its languages until it is authorized.
    http()
        .patch(server.url("/api/v1/accounts/update_credentials"))
        .bearer_auth(&locked)
        .json(&json!({"locked": true}))
        .send()
        .await
        .unwrap();
    let (_, relationship) = follow(
        &server,
        &bob,
        &locked_id,
        json!({"languages": ["fr", "de"]}),
    )
    .await;
    assert_eq!(relationship["requested"], true);
    assert_eq!(relationship["languages"], Value::Null, "not following yet");
    let bob_id = get(&server, &bob, "/api/v1/accounts/verify_credentials").await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let (status, _) = post(
        &server,
        &locked,
        &format!("/api/v1/follow_requests/{bob_id}/authorize"),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let relationships = get(
        &server,
        &bob,
        &format!("/api/v1/accounts/relationships?id[]={locked_id}"),
    )
    .await;
    assert_eq!(relationships[0]["following"], true);
    assert_eq!(relationships[0]["languages"], json!(["fr", "de"]));
    server.stop().await;
}

async fn send(server: &TestServer, token: &str, path: &str, body: Value) -> Value {
    let (status, answer) = server.call(Method::POST, path, Some(token), body).await;
    assert!(status.is_success(), "{path}: {status}");
    answer
}

/// Waits until every fan-out job has run, so that absences can be asserted.
async fn fan_outs_done(server: &TestServer) {
    eventually(Duration::from_secs(20), "fan-out jobs done", || async {
        let counts = server.woolly.jobs().job_counts().await.unwrap();
        (!counts.iter().any(|count| {
            count.kind == woolly_core::statuses::FAN_OUT_KIND
                && matches!(
                    count.state,
                    woolly_store::JobState::Queued | woolly_store::JobState::Running
                )
        }))
        .then_some(())
    })
    .await;
}

/// (type, status text) of each notification, newest first, and the v2 groups' types.
async fn post_notifications(server: &TestServer, token: &str) -> (Vec<(String, String)>, Value) {
    let v1 = get(server, token, "/api/v1/notifications").await;
    let v2 = get(server, token, "/api/v2/notifications").await;
    let listed = v1
        .as_array()
        .unwrap()
        .iter()
        .map(|n| {
            (
                n["type"].as_str().unwrap().to_owned(),
                n["status"]["content"].as_str().unwrap_or("").to_owned(),
            )
        })
        .collect();
    (listed, v2)
}

#[tokio::test]
async fn following_with_notify_notifies_of_new_posts_local_and_remote() {
    let instance = TestInstance::new().await;
    let server = instance.start().await;
    let (alice, alice_id) = account(&server, "alice").await;
    let (bob, bob_id) = account(&server, "bob").await;
    let (carol, _) = account(&server, "carol").await;
    let (dave, _) = account(&server, "dave").await;
    let remote = common::remote_account(&server, "rita", "remote.example").await;
    // Bob wants to hear of Alice's and Rita's posts; Carol follows Alice quietly.
    let relationship = send(
        &server,
        &bob,
        &format!("/api/v1/accounts/{alice_id}/follow"),
        json!({"notify": true}),
    )
    .await;
    assert_eq!(relationship["notifying"], true);
    send(
        &server,
        &carol,
        &format!("/api/v1/accounts/{alice_id}/follow"),
        json!({}),
    )
    .await;
    send(
        &server,
        &bob,
        &format!("/api/v1/accounts/{}/follow", remote.id),
        json!({"notify": true}),
    )
    .await;
    let bob_account_id: i64 = bob_id.parse().unwrap();
    assert!(
        server
            .woolly
            .federation()
            .remote_follow_accepted(&remote, bob_account_id)
            .await
            .unwrap()
    );

    let first = send(
        &server,
        &alice,
        "/api/v1/statuses",
        json!({"status": "a post to reblog"}),
    )
    .await;
    fan_outs_done(&server).await;
    let (before, _) = post_notifications(&server, &bob).await;
    assert_eq!(before.len(), 1, "the first post notified: {before:?}");
    // Neither a reblog nor a reply to someone else notifies; a reply to oneself does.
    send(
        &server,
        &alice,
        &format!("/api/v1/statuses/{}/reblog", first["id"].as_str().unwrap()),
        json!({}),
    )
    .await;
    let daves = send(
        &server,
        &dave,
        "/api/v1/statuses",
        json!({"status": "dave's thoughts"}),
    )
    .await;
    send(
        &server,
        &alice,
        "/api/v1/statuses",
        json!({"status": "@dave hi", "in_reply_to_id": daves["id"]}),
    )
    .await;
    send(
        &server,
        &alice,
        "/api/v1/statuses",
        json!({"status": "a thread goes on", "in_reply_to_id": first["id"]}),
    )
    .await;
    // Notifications are listed newest first, and each post's are made by its own fan-out job:
    // the local thread's is done before the remote post arrives, so the order below is theirs.
    fan_outs_done(&server).await;
    common::remote_status(
        &server,
        &remote,
        "news from afar",
        woolly_core::visibility::Visibility::Public,
        None,
    )
    .await;
    fan_outs_done(&server).await;

    let (listed, grouped) = post_notifications(&server, &bob).await;
    let texts: Vec<&str> = listed
        .iter()
        .map(|(kind, content)| {
            assert_eq!(kind, "status");
            content.as_str()
        })
        .collect();
    assert_eq!(texts.len(), 3, "{listed:?}");
    assert!(texts[0].contains("news from afar"), "{texts:?}");
    assert!(texts[1].contains("a thread goes on"), "{texts:?}");
    assert!(texts[2].contains("a post to reblog"), "{texts:?}");
    let groups = grouped["notification_groups"].as_array().unwrap();
    assert_eq!(groups.len(), 3);
    assert!(groups.iter().all(|group| group["type"] == "status"
        && group["status_id"].is_string()
        && group["notifications_count"] == 1));
    // Carol, who follows without notifications, has none.
    let (quiet, _) = post_notifications(&server, &carol).await;
    assert!(quiet.is_empty(), "{quiet:?}");
}
