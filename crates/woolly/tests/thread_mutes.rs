//! Thread mutes through the client API (`POST /api/v1/statuses/:id/mute` and `/unmute`): no
//! notifications about a muted thread (replies and mentions, favourites, reblogs, edits, poll
//! results), `muted` on the statuses of the thread, unmuting, statuses the caller cannot see,
//! and the scopes.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::time::Duration;

use common::{TestInstance, TestServer, account, eventually, http, remote_account, remote_status};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use woolly_core::visibility::Visibility;

async fn get(server: &TestServer, token: Option<&str>, path: &str) -> (StatusCode, Value) {
    server.call(Method::GET, path, token, Value::Null).await
}

async fn post(
    server: &TestServer,
    token: Option<&str>,
    path: &str,
    body: Value,
) -> (StatusCode, Value) {
    server.call(Method::POST, path, token, body).await
}

/// Posts a status (optionally a reply) and returns its id.
async fn status(server: &TestServer, token: &str, body: Value) -> String {
    let (code, status) = post(server, Some(token), "/api/v1/statuses", body).await;
    assert_eq!(code, StatusCode::OK, "{status}");
    status["id"].as_str().unwrap().to_owned()
}

async fn act(server: &TestServer, token: &str, id: &str, action: &str) -> Value {
    let (code, status) = post(
        server,
        Some(token),
        &format!("/api/v1/statuses/{id}/{action}"),
        json!({}),
    )
    .await;
    assert_eq!(code, StatusCode::OK, "{action} {id}: {status}");
    status
}

/// The viewer's notifications as "type status-id", newest first.
async fn notifications(server: &TestServer, token: &str) -> Vec<String> {
    let (code, list) = get(server, Some(token), "/api/v1/notifications").await;
    assert_eq!(code, StatusCode::OK, "{list}");
    list.as_array()
        .unwrap()
        .iter()
        .map(|n| {
            format!(
                "{} {}",
                n["type"].as_str().unwrap(),
                n["status"]["id"].as_str().unwrap_or("-")
            )
        })
        .collect()
}

fn note(kind: &str, id: &str) -> String {
    format!("{kind} {id}")
}

async fn muted(server: &TestServer, token: Option<&str>, id: &str) -> Value {
    let (code, status) = get(server, token, &format!("/api/v1/statuses/{id}")).await;
    assert_eq!(code, StatusCode::OK, "{status}");
    status["muted"].clone()
}

#[tokio::test]
async fn a_muted_thread_notifies_nothing_until_unmuted() {
    let instance = TestInstance::new().await;
    let server = instance.start().await;
    let (alice, _) = account(&server, "alice").await;
    let (bob, _) = account(&server, "bob").await;
    let (carol, _) = account(&server, "carol").await;
    let stranger = remote_account(&server, "stranger", "far.example").await;

    let root = status(&server, &alice, json!({"status": "A thread"})).await;
    let reply = status(
        &server,
        &bob,
        json!({"status": "@alice first reply", "in_reply_to_id": root}),
    )
    .await;
    let own_reply = status(
        &server,
        &alice,
        json!({"status": "@bob thanks", "in_reply_to_id": reply}),
    )
    .await;
    let elsewhere = status(&server, &alice, json!({"status": "Another thread"})).await;
    assert_eq!(
        notifications(&server, &alice).await,
        [note("mention", &reply)]
    );

    // Muting through any status of the thread mutes all of it, and says so.
    let answer = act(&server, &alice, &reply, "mute").await;
    assert_eq!(answer["id"], reply.as_str());
    assert_eq!(answer["muted"], true);
    for id in [&root, &reply, &own_reply] {
        assert_eq!(muted(&server, Some(&alice), id).await, true, "{id}");
    }
    assert_eq!(muted(&server, Some(&alice), &elsewhere).await, false);
    assert_eq!(
        muted(&server, Some(&carol), &root).await,
        false,
        "Carol's own state"
    );
    assert_eq!(
        muted(&server, None, &root).await,
        Value::Null,
        "absent for anonymous readers"
    );
    let (_, context) = get(
        &server,
        Some(&alice),
        &format!("/api/v1/statuses/{reply}/context"),
    )
    .await;
    assert_eq!(context["ancestors"][0]["muted"], true);
    assert_eq!(context["descendants"][0]["muted"], true);
    let (_, home) = get(&server, Some(&alice), "/api/v1/timelines/home").await;
    for status in home.as_array().unwrap() {
        let expected = status["id"] != elsewhere.as_str();
        assert_eq!(status["muted"], expected, "{status}");
    }

    // Replies, mentions, favourites and reblogs in the thread notify nothing now…
    let deeper = status(
        &server,
        &carol,
        json!({"status": "@alice @bob me too", "in_reply_to_id": own_reply}),
    )
    .await;
    assert_eq!(
        muted(&server, Some(&alice), &deeper).await,
        true,
        "replies join the thread"
    );
    act(&server, &bob, &root, "favourite").await;
    act(&server, &carol, &own_reply, "favourite").await;
    act(&server, &bob, &root, "reblog").await;
    remote_status(
        &server,
        &stranger,
        "@alice from afar",
        Visibility::Public,
        Some(&deeper),
    )
    .await;
    // …while Bob is still told about Carol's reply, and the rest of Alice's posts notify.
    assert!(
        notifications(&server, &bob)
            .await
            .contains(&note("mention", &deeper))
    );
    act(&server, &bob, &elsewhere, "favourite").await;
    assert_eq!(
        notifications(&server, &alice).await,
        [note("favourite", &elsewhere), note("mention", &reply)]
    );

    // Muting twice changes nothing; unmuting brings notifications back.
    assert_eq!(act(&server, &alice, &root, "mute").await["muted"], true);
    let answer = act(&server, &alice, &root, "unmute").await;
    assert_eq!(answer["id"], root.as_str());
    assert_eq!(answer["muted"], false);
    assert_eq!(act(&server, &alice, &root, "unmute").await["muted"], false);
    for id in [&root, &reply, &own_reply, &deeper] {
        assert_eq!(muted(&server, Some(&alice), id).await, false, "{id}");
    }
    act(&server, &carol, &root, "favourite").await;
    let last = status(
        &server,
        &bob,
        json!({"status": "@alice back again", "in_reply_to_id": deeper}),
    )
    .await;
    assert_eq!(
        notifications(&server, &alice).await,
        [
            note("mention", &last),
            note("favourite", &root),
            note("favourite", &elsewhere),
            note("mention", &reply),
        ]
    );
}

#[tokio::test]
async fn a_muted_thread_hides_edits_and_poll_results() {
    let instance = TestInstance::new().await;
    let server = instance.start().await;
    let (alice, _) = account(&server, "alice").await;
    let (bob, _) = account(&server, "bob").await;
    let (carol, _) = account(&server, "carol").await;

    // Alice and Carol reblog Bob's post and vote in his poll; only Alice mutes the thread.
    let (code, posted) = post(
        &server,
        Some(&bob),
        "/api/v1/statuses",
        json!({"status": "Which?", "poll": {"options": ["a", "b"], "expires_in": 300}}),
    )
    .await;
    assert_eq!(code, StatusCode::OK, "{posted}");
    let id = posted["id"].as_str().unwrap().to_owned();
    let poll_id = posted["poll"]["id"].as_str().unwrap().to_owned();
    for token in [&alice, &carol] {
        act(&server, token, &id, "reblog").await;
        let (code, _) = post(
            &server,
            Some(token),
            &format!("/api/v1/polls/{poll_id}/votes"),
            json!({"choices": [0]}),
        )
        .await;
        assert_eq!(code, StatusCode::OK);
    }
    act(&server, &alice, &id, "mute").await;

    let response = http()
        .put(server.url(&format!("/api/v1/statuses/{id}")))
        .bearer_auth(&bob)
        .json(&json!({"status": "Which one?"}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert!(
        server
            .woolly
            .statuses()
            .end_poll(poll_id.parse().unwrap())
            .await
            .unwrap()
    );
    let carols = eventually(
        Duration::from_secs(15),
        "Carol's poll notification",
        || async {
            let found = notifications(&server, &carol).await;
            found.contains(&note("poll", &id)).then_some(found)
        },
    )
    .await;
    assert_eq!(carols, [note("poll", &id), note("update", &id)]);
    eventually(
        Duration::from_secs(15),
        "Bob's own poll notification",
        || async {
            notifications(&server, &bob)
                .await
                .contains(&note("poll", &id))
                .then_some(())
        },
    )
    .await;
    assert_eq!(notifications(&server, &alice).await, Vec::<String>::new());
}

#[tokio::test]
async fn an_author_who_mutes_the_thread_of_a_poll_is_not_told_it_ended() {
    let instance = TestInstance::new().await;
    let server = instance.start().await;
    let (alice, _) = account(&server, "alice").await;
    let (bob, _) = account(&server, "bob").await;
    let (code, posted) = post(
        &server,
        Some(&alice),
        "/api/v1/statuses",
        json!({"status": "Poll", "poll": {"options": ["a", "b"], "expires_in": 300}}),
    )
    .await;
    assert_eq!(code, StatusCode::OK);
    let id = posted["id"].as_str().unwrap().to_owned();
    let poll_id = posted["poll"]["id"].as_str().unwrap().to_owned();
    let (code, _) = post(
        &server,
        Some(&bob),
        &format!("/api/v1/polls/{poll_id}/votes"),
        json!({"choices": [1]}),
    )
    .await;
    assert_eq!(code, StatusCode::OK);
    act(&server, &alice, &id, "mute").await;
    assert!(
        server
            .woolly
            .statuses()
            .end_poll(poll_id.parse().unwrap())
            .await
            .unwrap()
    );
    eventually(
        Duration::from_secs(15),
        "Bob's poll notification",
        || async {
            notifications(&server, &bob)
                .await
                .contains(&note("poll", &id))
                .then_some(())
        },
    )
    .await;
    assert_eq!(notifications(&server, &alice).await, Vec::<String>::new());
}

#[tokio::test]
async fn muting_through_a_reblog_mutes_the_reblogged_thread() {
    let instance = TestInstance::new().await;
    let server = instance.start().await;
    let (alice, _) = account(&server, "alice").await;
    let (bob, _) = account(&server, "bob").await;
    let original = status(&server, &alice, json!({"status": "Original"})).await;
    let reblog = act(&server, &bob, &original, "reblog").await;
    let reblog_id = reblog["id"].as_str().unwrap().to_owned();

    let answer = act(&server, &alice, &reblog_id, "mute").await;
    assert_eq!(answer["id"], reblog_id.as_str());
    assert_eq!(answer["muted"], true);
    assert_eq!(answer["reblog"]["muted"], true);
    assert_eq!(muted(&server, Some(&alice), &original).await, true);
    act(&server, &bob, &original, "favourite").await;
    assert!(
        !notifications(&server, &alice)
            .await
            .contains(&note("favourite", &original))
    );
}

#[tokio::test]
async fn statuses_the_caller_cannot_see_are_not_found_and_nothing_is_muted() {
    let instance = TestInstance::new().await;
    let server = instance.start().await;
    let (alice, _) = account(&server, "alice").await;
    let (bob, bob_id) = account(&server, "bob").await;
    let (carol, _) = account(&server, "carol").await;
    let private = status(
        &server,
        &bob,
        json!({"status": "Followers only", "visibility": "private"}),
    )
    .await;
    let direct = status(
        &server,
        &bob,
        json!({"status": "@carol psst", "visibility": "direct"}),
    )
    .await;

    let not_found = json!({"error": "Record not found"});
    for id in [private.as_str(), direct.as_str(), "1", "not-an-id"] {
        for action in ["mute", "unmute"] {
            let (code, body) = post(
                &server,
                Some(&alice),
                &format!("/api/v1/statuses/{id}/{action}"),
                json!({}),
            )
            .await;
            assert_eq!(
                (code, &body),
                (StatusCode::NOT_FOUND, &not_found),
                "{action} {id}"
            );
        }
    }
    // Once Alice may see the private status, nothing shows as muted; then she can mute it.
    let (code, _) = post(
        &server,
        Some(&alice),
        &format!("/api/v1/accounts/{bob_id}/follow"),
        json!({}),
    )
    .await;
    assert_eq!(code, StatusCode::OK);
    assert_eq!(muted(&server, Some(&alice), &private).await, false);
    assert_eq!(act(&server, &alice, &private, "mute").await["muted"], true);
    // Carol, mentioned, can mute the direct message's thread.
    assert_eq!(act(&server, &carol, &direct, "mute").await["muted"], true);
}

#[tokio::test]
async fn muting_needs_a_user_token_with_write_mutes() {
    let instance = TestInstance::new().await;
    let server = instance.start().await;
    let (alice, _) = account(&server, "alice").await;
    let id = status(&server, &alice, json!({"status": "Mine"})).await;
    let read = instance.token("alice", "read").await;
    let write_statuses = instance.token("alice", "write:statuses").await;
    let write_mutes = instance.token("alice", "write:mutes").await;
    let write = instance.token("alice", "write").await;

    for action in ["mute", "unmute"] {
        let path = format!("/api/v1/statuses/{id}/{action}");
        let (code, body) = post(&server, None, &path, json!({})).await;
        assert_eq!(code, StatusCode::UNAUTHORIZED);
        assert_eq!(body, json!({"error": "The access token is invalid"}));
        for token in [&read, &write_statuses] {
            let (code, body) = post(&server, Some(token), &path, json!({})).await;
            assert_eq!(code, StatusCode::FORBIDDEN);
            assert_eq!(
                body,
                json!({"error": "This action is outside the authorized scopes"})
            );
        }
    }
    assert_eq!(
        muted(&server, Some(&alice), &id).await,
        false,
        "nothing was muted"
    );
    // `write:mutes` alone is enough, and so is `write`.
    let (code, answer) = post(
        &server,
        Some(&write_mutes),
        &format!("/api/v1/statuses/{id}/mute"),
        json!({}),
    )
    .await;
    assert_eq!(code, StatusCode::OK, "{answer}");
    assert_eq!(answer["muted"], true);
    assert_eq!(act(&server, &write, &id, "unmute").await["muted"], false);
}
