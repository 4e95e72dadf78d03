//! Polls through the client API: creating one with a status, its shape for the author, voters
//! and strangers, voting and the refusals (which change nothing), visibility, and the end of a
//! poll with its notifications.
//!
//! A poll runs five minutes at least, too long to wait for. The tests end polls early with
//! `woolly.statuses().end_poll`, the operator's action, which moves the end to now and lets the job queue
//! do the rest: the same `poll.expire` job and handler as a poll ending on time.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::time::Duration;

use common::{TestInstance, TestServer, account, eventually, http};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use woolly_api::entities::iso8601;
use woolly_store::JobState;

async fn get(server: &TestServer, token: Option<&str>, path: &str) -> (StatusCode, Value) {
    server.call(Method::GET, path, token, Value::Null).await
}

async fn post(server: &TestServer, token: &str, path: &str, body: Value) -> (StatusCode, Value) {
    server.call(Method::POST, path, Some(token), body).await
}

async fn post_form(
    server: &TestServer,
    token: &str,
    path: &str,
    form: &str,
) -> (StatusCode, Value) {
    let response = http()
        .post(server.url(path))
        .bearer_auth(token)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(form.to_owned())
        .send()
        .await
        .unwrap();
    (
        response.status(),
        response.json().await.unwrap_or(Value::Null),
    )
}

/// Posts a status with a poll and returns the status.
async fn post_poll(server: &TestServer, token: &str, body: Value) -> Value {
    let (code, status) = post(server, token, "/api/v1/statuses", body).await;
    assert_eq!(code, StatusCode::OK, "{status}");
    assert!(status["poll"].is_object(), "{status}");
    status
}

async fn vote(
    server: &TestServer,
    token: &str,
    poll_id: &str,
    choices: Value,
) -> (StatusCode, Value) {
    post(
        server,
        token,
        &format!("/api/v1/polls/{poll_id}/votes"),
        json!({ "choices": choices }),
    )
    .await
}

async fn poll_notifications(server: &TestServer, token: &str) -> Vec<Value> {
    let (code, notifications) =
        get(server, Some(token), "/api/v1/notifications?types[]=poll").await;
    assert_eq!(code, StatusCode::OK, "{notifications}");
    notifications.as_array().unwrap().clone()
}

/// Jobs of `kind` in `state`.
async fn job_count(server: &TestServer, kind: &str, state: JobState) -> i64 {
    server
        .woolly
        .jobs()
        .job_counts()
        .await
        .unwrap()
        .into_iter()
        .filter(|count| count.kind == kind && count.state == state)
        .map(|count| count.count)
        .sum()
}

#[tokio::test]
async fn a_poll_is_created_with_its_status_in_mastodon_shape() {
    let instance = TestInstance::new().await;
    let server = instance.start().await;
    let (alice, _) = account(&server, "alice").await;
    let (bob, _) = account(&server, "bob").await;

    let before = woolly_core::now_millis();
    let status = post_poll(
        &server,
        &alice,
        json!({
            "status": "Tea or coffee?",
            "poll": {"options": ["Tea", " Coffee ", ""], "expires_in": 600},
        }),
    )
    .await;
    let poll = &status["poll"];
    let poll_id = poll["id"].as_str().unwrap();
    // Timestamps of one format compare as text.
    let expires_at = poll["expires_at"].as_str().unwrap();
    let after = woolly_core::now_millis();
    assert!(
        iso8601(before + 600_000).as_str() <= expires_at
            && expires_at <= iso8601(after + 600_000).as_str(),
        "{poll}"
    );
    // The author counts as having voted (Mastodon's `Poll#voted?`); blank options are dropped
    // and the others trimmed.
    assert_eq!(
        *poll,
        json!({
            "id": poll_id,
            "expires_at": poll["expires_at"],
            "expired": false,
            "multiple": false,
            "votes_count": 0,
            "voters_count": null,
            "voted": true,
            "own_votes": [],
            "options": [
                {"title": "Tea", "votes_count": 0},
                {"title": "Coffee", "votes_count": 0},
            ],
            "emojis": [],
        })
    );

    // Its end is scheduled with it.
    assert_eq!(job_count(&server, "poll.expire", JobState::Queued).await, 1);

    // The same poll from the poll endpoint, and through the status for others.
    let (code, fetched) = get(&server, Some(&alice), &format!("/api/v1/polls/{poll_id}")).await;
    assert_eq!(code, StatusCode::OK);
    assert_eq!(fetched, *poll);
    let (_, anonymous) = get(&server, None, &format!("/api/v1/polls/{poll_id}")).await;
    assert!(anonymous.get("voted").is_none() && anonymous.get("own_votes").is_none());
    let (_, for_bob) = get(
        &server,
        Some(&bob),
        &format!("/api/v1/statuses/{}", status["id"].as_str().unwrap()),
    )
    .await;
    assert_eq!(for_bob["poll"]["voted"], false);
    assert_eq!(for_bob["poll"]["own_votes"], json!([]));

    // A form body as Mastodon.py sends it: multiple choice with hidden tallies.
    let (code, status) = post_form(
        &server,
        &alice,
        "/api/v1/statuses",
        "status=Which%3F&poll[options][]=a&poll[options][]=b&poll[options][]=c\
         &poll[expires_in]=300&poll[multiple]=true&poll[hide_totals]=true",
    )
    .await;
    assert_eq!(code, StatusCode::OK, "{status}");
    let poll = &status["poll"];
    assert_eq!(poll["multiple"], true);
    assert_eq!(poll["voters_count"], 0);
    assert_eq!(
        poll["options"],
        json!([
            {"title": "a", "votes_count": null},
            {"title": "b", "votes_count": null},
            {"title": "c", "votes_count": null},
        ])
    );

    // Timelines carry polls too (loaded for the whole page).
    let (_, timeline) = get(&server, Some(&alice), "/api/v1/timelines/home").await;
    let polls: Vec<&Value> = timeline
        .as_array()
        .unwrap()
        .iter()
        .map(|status| &status["poll"])
        .collect();
    assert_eq!(polls.len(), 2);
    assert!(polls.iter().all(|poll| poll["options"].is_array()));
    assert_eq!(polls[0]["multiple"], true);
    assert_eq!(polls[1]["multiple"], false);
}

#[tokio::test]
async fn bad_polls_are_refused_and_nothing_is_posted() {
    let instance = TestInstance::new().await;
    let server = instance.start().await;
    let (alice, alice_id) = account(&server, "alice").await;
    let long = "x".repeat(51);
    let cases = [
        (
            json!({"options": ["only"], "expires_in": 600}),
            "more than one item",
        ),
        (
            json!({"options": ["", "  ", "a"], "expires_in": 600}),
            "more than one item",
        ),
        (
            json!({"options": ["a", "b", "c", "d", "e"], "expires_in": 600}),
            "more than 4 items",
        ),
        (
            json!({"options": ["a", long], "expires_in": 600}),
            "50 characters",
        ),
        (
            json!({"options": ["a", "a"], "expires_in": 600}),
            "duplicate",
        ),
        (
            json!({"options": ["a", "b"], "expires_in": 299}),
            "too soon",
        ),
        (
            json!({"options": ["a", "b"], "expires_in": 2_629_747}),
            "too far into the future",
        ),
        (json!({"options": ["a", "b"]}), "blank"),
        (
            json!({"options": ["a", "b"], "expires_in": "soon"}),
            "not an integer",
        ),
    ];
    for (poll, message) in cases {
        let (code, error) = post(
            &server,
            &alice,
            "/api/v1/statuses",
            json!({"status": "poll", "poll": poll}),
        )
        .await;
        assert_eq!(code, StatusCode::UNPROCESSABLE_ENTITY, "{poll}: {error}");
        assert!(
            error["error"].as_str().unwrap().contains(message),
            "{poll}: {error}"
        );
    }
    // Media and a poll together.
    let (code, error) = post(
        &server,
        &alice,
        "/api/v1/statuses",
        json!({"status": "poll", "media_ids": ["1"], "poll": {"options": ["a", "b"], "expires_in": 600}}),
    )
    .await;
    assert_eq!(code, StatusCode::UNPROCESSABLE_ENTITY, "{error}");
    assert!(error["error"].as_str().unwrap().contains("poll"), "{error}");
    // A poll still needs text.
    let (code, _) = post(
        &server,
        &alice,
        "/api/v1/statuses",
        json!({"status": "", "poll": {"options": ["a", "b"], "expires_in": 600}}),
    )
    .await;
    assert_eq!(code, StatusCode::UNPROCESSABLE_ENTITY);

    let (_, me) = get(
        &server,
        Some(&alice),
        &format!("/api/v1/accounts/{alice_id}"),
    )
    .await;
    assert_eq!(me["statuses_count"], 0);
    assert_eq!(job_count(&server, "poll.expire", JobState::Queued).await, 0);
}

#[tokio::test]
async fn votes_are_counted_once_and_show_as_the_voters_own() {
    let instance = TestInstance::new().await;
    let server = instance.start().await;
    let (alice, _) = account(&server, "alice").await;
    let (bob, _) = account(&server, "bob").await;
    let (carol, _) = account(&server, "carol").await;

    // Single choice.
    let status = post_poll(
        &server,
        &alice,
        json!({"status": "One?", "poll": {"options": ["a", "b", "c"], "expires_in": 600}}),
    )
    .await;
    let single = status["poll"]["id"].as_str().unwrap().to_owned();
    let (code, poll) = vote(&server, &bob, &single, json!([1])).await;
    assert_eq!(code, StatusCode::OK, "{poll}");
    assert_eq!(poll["votes_count"], 1);
    assert_eq!(poll["voters_count"], Value::Null);
    assert_eq!(poll["voted"], true);
    assert_eq!(poll["own_votes"], json!([1]));
    assert_eq!(poll["options"][1]["votes_count"], 1);
    // Choices as a form, as text.
    let (code, poll) = post_form(
        &server,
        &carol,
        &format!("/api/v1/polls/{single}/votes"),
        "choices[]=1",
    )
    .await;
    assert_eq!(code, StatusCode::OK, "{poll}");
    assert_eq!(poll["votes_count"], 2);
    assert_eq!(poll["own_votes"], json!([1]));
    let tallies: Vec<&Value> = poll["options"]
        .as_array()
        .unwrap()
        .iter()
        .map(|option| &option["votes_count"])
        .collect();
    assert_eq!(tallies, [&json!(0), &json!(2), &json!(0)]);

    // Multiple choice.
    let status = post_poll(
        &server,
        &alice,
        json!({"status": "Several?", "poll": {"options": ["a", "b", "c"], "expires_in": 600, "multiple": true}}),
    )
    .await;
    let multiple = status["poll"]["id"].as_str().unwrap().to_owned();
    let (code, poll) = vote(&server, &carol, &multiple, json!(["0", 2])).await;
    assert_eq!(code, StatusCode::OK, "{poll}");
    assert_eq!(poll["votes_count"], 2);
    assert_eq!(poll["voters_count"], 1);
    assert_eq!(poll["own_votes"], json!([0, 2]));
    let (_, poll) = vote(&server, &bob, &multiple, json!([2])).await;
    assert_eq!(poll["votes_count"], 3);
    assert_eq!(poll["voters_count"], 2);
    assert_eq!(poll["own_votes"], json!([2]));
    // Each voter sees their own votes; the author sees the tallies.
    let (_, for_alice) = get(&server, Some(&alice), &format!("/api/v1/polls/{multiple}")).await;
    assert_eq!(for_alice["voted"], true);
    assert_eq!(for_alice["own_votes"], json!([]));
    assert_eq!(
        for_alice["options"],
        json!([
            {"title": "a", "votes_count": 1},
            {"title": "b", "votes_count": 0},
            {"title": "c", "votes_count": 2},
        ])
    );
    let (_, for_carol) = get(
        &server,
        Some(&carol),
        &format!("/api/v1/statuses/{}", status["id"].as_str().unwrap()),
    )
    .await;
    assert_eq!(for_carol["poll"]["own_votes"], json!([0, 2]));
}

#[tokio::test]
async fn refused_votes_change_nothing() {
    let instance = TestInstance::new().await;
    let server = instance.start().await;
    let (alice, _) = account(&server, "alice").await;
    let (bob, _) = account(&server, "bob").await;
    let status = post_poll(
        &server,
        &alice,
        json!({"status": "One?", "poll": {"options": ["a", "b"], "expires_in": 600}}),
    )
    .await;
    let poll_id = status["poll"]["id"].as_str().unwrap().to_owned();
    let (code, _) = vote(&server, &bob, &poll_id, json!([0])).await;
    assert_eq!(code, StatusCode::OK);
    let (_, before) = get(&server, Some(&bob), &format!("/api/v1/polls/{poll_id}")).await;

    let (carol, _) = account(&server, "carol").await;
    let cases = [
        (&bob, json!([1]), "You have already voted on this poll"),
        (&alice, json!([0]), "You cannot vote in your own polls"),
        (&carol, json!([0, 1]), "only one choice"),
        (&carol, json!([2]), "The chosen vote option does not exist"),
        (&carol, json!([-1]), "The chosen vote option does not exist"),
    ];
    for (token, choices, message) in cases {
        let (code, error) = vote(&server, token, &poll_id, choices.clone()).await;
        assert_eq!(code, StatusCode::UNPROCESSABLE_ENTITY, "{choices}: {error}");
        assert!(
            error["error"].as_str().unwrap().contains(message),
            "{choices}: {error}"
        );
    }
    let (code, _) = vote(&server, &carol, &poll_id, json!([])).await;
    assert_eq!(code, StatusCode::BAD_REQUEST);
    let (code, _) = vote(&server, &carol, "12345", json!([0])).await;
    assert_eq!(code, StatusCode::NOT_FOUND);
    let read_only = instance.token("carol", "read").await;
    let (code, _) = vote(&server, &read_only, &poll_id, json!([0])).await;
    assert_eq!(code, StatusCode::FORBIDDEN);
    let response = http()
        .post(server.url(&format!("/api/v1/polls/{poll_id}/votes")))
        .json(&json!({"choices": [0]}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);

    let (_, after) = get(&server, Some(&bob), &format!("/api/v1/polls/{poll_id}")).await;
    assert_eq!(after, before);
    let (_, for_carol) = get(&server, Some(&carol), &format!("/api/v1/polls/{poll_id}")).await;
    assert_eq!(for_carol["voted"], false);
    assert_eq!(for_carol["votes_count"], 1);
}

#[tokio::test]
async fn polls_of_statuses_the_viewer_cannot_see_are_not_found() {
    let instance = TestInstance::new().await;
    let server = instance.start().await;
    let (alice, alice_id) = account(&server, "alice").await;
    let (bob, _) = account(&server, "bob").await;
    let (carol, _) = account(&server, "carol").await;
    let (code, _) = post(
        &server,
        &carol,
        &format!("/api/v1/accounts/{alice_id}/follow"),
        json!({}),
    )
    .await;
    assert_eq!(code, StatusCode::OK);
    let status = post_poll(
        &server,
        &alice,
        json!({
            "status": "Followers only",
            "visibility": "private",
            "poll": {"options": ["a", "b"], "expires_in": 600},
        }),
    )
    .await;
    let poll_id = status["poll"]["id"].as_str().unwrap().to_owned();

    let (code, _) = get(&server, None, &format!("/api/v1/polls/{poll_id}")).await;
    assert_eq!(code, StatusCode::NOT_FOUND);
    let (code, _) = get(&server, Some(&bob), &format!("/api/v1/polls/{poll_id}")).await;
    assert_eq!(code, StatusCode::NOT_FOUND);
    let (code, _) = vote(&server, &bob, &poll_id, json!([0])).await;
    assert_eq!(code, StatusCode::NOT_FOUND);

    // A follower sees it and may vote.
    let (code, _) = get(&server, Some(&carol), &format!("/api/v1/polls/{poll_id}")).await;
    assert_eq!(code, StatusCode::OK);
    let (code, poll) = vote(&server, &carol, &poll_id, json!([0])).await;
    assert_eq!(code, StatusCode::OK, "{poll}");
    // The stranger's refusal changed nothing.
    assert_eq!(poll["votes_count"], 1);
}

#[tokio::test]
async fn an_ended_poll_notifies_its_author_and_voters_once() {
    let instance = TestInstance::new().await;
    let server = instance.start().await;
    let (alice, alice_id) = account(&server, "alice").await;
    let (bob, _) = account(&server, "bob").await;
    let (carol, _) = account(&server, "carol").await;
    let (dave, _) = account(&server, "dave").await;
    let status = post_poll(
        &server,
        &alice,
        json!({
            "status": "Secret ballot",
            "poll": {"options": ["a", "b"], "expires_in": 300, "hide_totals": true},
        }),
    )
    .await;
    let status_id = status["id"].as_str().unwrap().to_owned();
    let poll_id = status["poll"]["id"].as_str().unwrap().to_owned();
    vote(&server, &bob, &poll_id, json!([0])).await;
    let (_, poll) = vote(&server, &carol, &poll_id, json!([0])).await;
    assert_eq!(poll["votes_count"], 2);
    assert_eq!(
        poll["options"][0]["votes_count"],
        Value::Null,
        "hidden until the end"
    );

    let numeric_id: i64 = poll_id.parse().unwrap();
    assert!(server.woolly.statuses().end_poll(numeric_id).await.unwrap());
    for (name, token) in [("alice", &alice), ("bob", &bob), ("carol", &carol)] {
        let notifications = eventually(
            Duration::from_secs(15),
            &format!("{name}'s poll notification"),
            || async {
                let found = poll_notifications(&server, token).await;
                (!found.is_empty()).then_some(found)
            },
        )
        .await;
        assert_eq!(notifications.len(), 1, "{name}: {notifications:?}");
        assert_eq!(notifications[0]["type"], "poll");
        assert_eq!(notifications[0]["account"]["id"], alice_id.as_str());
        assert_eq!(notifications[0]["status"]["id"], status_id.as_str());
        assert_eq!(notifications[0]["status"]["poll"]["expired"], true);
    }
    assert!(poll_notifications(&server, &dave).await.is_empty());

    let (_, poll) = get(&server, Some(&bob), &format!("/api/v1/polls/{poll_id}")).await;
    assert_eq!(poll["expired"], true);
    assert_eq!(poll["options"][0]["votes_count"], 2, "shown once ended");
    let (code, error) = vote(&server, &dave, &poll_id, json!([1])).await;
    assert_eq!(code, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        error["error"],
        "Validation failed: The poll has already ended"
    );
    assert!(!server.woolly.statuses().end_poll(numeric_id).await.unwrap());

    // The job scheduled at creation (and any other) finds the poll closed: nothing new.
    let job = woolly_core::jobs::new_job(
        "poll.expire",
        &woolly_core::polls::PollExpiry {
            poll_id: numeric_id,
        },
        woolly_core::now_millis(),
        3,
    )
    .unwrap();
    let job_id = server.woolly.jobs().enqueue_job(&job).await.unwrap();
    eventually(
        Duration::from_secs(15),
        "the second poll.expire job",
        || async {
            let job = server.woolly.jobs().job(job_id).await.unwrap()?;
            (job.state == JobState::Done).then_some(())
        },
    )
    .await;
    for token in [&alice, &bob, &carol] {
        assert_eq!(poll_notifications(&server, token).await.len(), 1);
    }
}
