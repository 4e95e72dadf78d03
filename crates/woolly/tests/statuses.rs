//! Statuses, timelines, relations and notifications through the client API, as apps use them.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::time::Duration;

use common::{TestInstance, TestServer, TestUser as User, eventually, http, user};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

async fn get(server: &TestServer, user: Option<&User>, path: &str) -> (StatusCode, Value) {
    let token = user.map(|user| user.token.as_str());
    server.call(Method::GET, path, token, Value::Null).await
}

async fn post(server: &TestServer, user: &User, path: &str, body: Value) -> (StatusCode, Value) {
    server
        .call(Method::POST, path, Some(&user.token), body)
        .await
}

async fn status(server: &TestServer, user: &User, text: &str, visibility: &str) -> Value {
    let (code, body) = post(
        server,
        user,
        "/api/v1/statuses",
        json!({"status": text, "visibility": visibility}),
    )
    .await;
    assert_eq!(code, StatusCode::OK, "{body}");
    body
}

fn ids(list: &Value) -> Vec<String> {
    list.as_array()
        .unwrap()
        .iter()
        .map(|item| item["id"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn a_status_is_posted_rendered_read_and_deleted() {
    let instance = TestInstance::new().await;
    let server = instance.start().await;
    let alice = user(&server, "alice").await;
    let bob = user(&server, "bob").await;
    let (code, posted) = post(&server, &alice, "/api/v1/statuses", json!({
        "status": "Hello @bob, see https://example.org/a/very/long/path/that/goes/on and #Woolly <b>!</b>",
        "spoiler_text": "greetings", "sensitive": true, "language": "en",
    })).await;
    assert_eq!(code, StatusCode::OK, "{posted}");
    assert!(posted["id"].is_string());
    assert_eq!(posted["visibility"], "public");
    assert_eq!(posted["spoiler_text"], "greetings");
    assert_eq!(posted["sensitive"], true);
    assert_eq!(posted["language"], "en");
    assert_eq!(posted["account"]["username"], "alice");
    assert_eq!(
        posted["uri"],
        format!(
            "http://woolly.test/users/alice/statuses/{}",
            posted["id"].as_str().unwrap()
        )
    );
    let content = posted["content"].as_str().unwrap();
    assert!(content.starts_with("<p>Hello <span class=\"h-card\" translate=\"no\"><a href=\"http://woolly.test/@bob\" class=\"u-url mention\">@<span>bob</span></a></span>"), "{content}");
    assert!(
        content.contains("class=\"mention hashtag\" rel=\"tag\">#<span>Woolly</span></a>"),
        "{content}"
    );
    assert!(
        content.contains("&lt;b&gt;!&lt;/b&gt;"),
        "HTML is escaped: {content}"
    );
    assert_eq!(posted["mentions"][0]["acct"], "bob");
    assert_eq!(
        posted["tags"],
        json!([{"name": "woolly", "url": "http://woolly.test/tags/woolly"}])
    );
    assert_eq!(posted["favourited"], false);
    assert!(posted["media_attachments"].as_array().unwrap().is_empty());
    assert!(
        posted["application"].is_null(),
        "admin-CLI tokens have no application"
    );
    for field in ["in_reply_to_id", "edited_at", "reblog", "card", "poll"] {
        assert!(posted[field].is_null(), "{field}");
    }
    let id = posted["id"].as_str().unwrap();

    // Anyone can read a public status; anonymous readers get no viewer fields.
    let (code, anonymous) = get(&server, None, &format!("/api/v1/statuses/{id}")).await;
    assert_eq!(code, StatusCode::OK);
    assert!(anonymous.get("favourited").is_none());
    let (_, me) = get(&server, Some(&alice), "/api/v1/accounts/verify_credentials").await;
    assert_eq!(me["statuses_count"], 1);
    assert!(me["last_status_at"].is_string());

    // Bob was mentioned.
    let (_, notifications) = get(&server, Some(&bob), "/api/v1/notifications").await;
    assert_eq!(notifications[0]["type"], "mention");
    assert_eq!(notifications[0]["status"]["id"], id);
    assert_eq!(notifications[0]["account"]["id"], alice.id.as_str());

    // Only the author deletes (another's status is not found among one's own, as on
    // Mastodon); the answer carries the source text for redrafting.
    let response = http()
        .delete(server.url(&format!("/api/v1/statuses/{id}")))
        .bearer_auth(&bob.token)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    let response = http()
        .delete(server.url(&format!("/api/v1/statuses/{id}")))
        .bearer_auth(&alice.token)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let deleted: Value = response.json().await.unwrap();
    assert!(deleted["text"].as_str().unwrap().starts_with("Hello @bob"));
    let (code, body) = get(&server, None, &format!("/api/v1/statuses/{id}")).await;
    assert_eq!(
        (code, body),
        (StatusCode::NOT_FOUND, json!({"error": "Record not found"}))
    );
    let (_, notifications) = get(&server, Some(&bob), "/api/v1/notifications").await;
    assert_eq!(notifications, json!([]), "the mention went with the status");
    let (_, me) = get(&server, Some(&alice), "/api/v1/accounts/verify_credentials").await;
    assert_eq!(me["statuses_count"], 0);
    server.stop().await;
}

#[tokio::test]
async fn bad_statuses_are_refused_and_nothing_is_written() {
    let instance = TestInstance::new().await;
    let server = instance.start().await;
    let alice = user(&server, "alice").await;
    let cases = [
        (json!({"status": "   "}), StatusCode::UNPROCESSABLE_ENTITY),
        (
            json!({"status": "x".repeat(501)}),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            json!({"status": "hi", "visibility": "everyone"}),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            json!({"status": "hi", "in_reply_to_id": "999999"}),
            StatusCode::NOT_FOUND,
        ),
        (
            json!({"status": "hi", "media_ids": ["1"]}),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            json!({"status": "hi", "poll": {"options": ["a"], "expires_in": 600}}),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            json!({"status": ["not", "a", "string"]}),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
    ];
    for (body, expected) in cases {
        let (code, error) = post(&server, &alice, "/api/v1/statuses", body.clone()).await;
        assert_eq!(code, expected, "{body}: {error}");
        assert!(error["error"].is_string(), "{error}");
    }
    // 500 characters exactly is fine; a URL counts as 23 whatever its length.
    let long_url = format!("https://example.org/{}", "a".repeat(600));
    status(
        &server,
        &alice,
        &format!("{} {long_url}", "y".repeat(476)),
        "public",
    )
    .await;
    let read_only = instance.token("alice", "read").await;
    let response = http()
        .post(server.url("/api/v1/statuses"))
        .bearer_auth(&read_only)
        .json(&json!({"status": "hi"}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    let response = http()
        .post(server.url("/api/v1/statuses"))
        .json(&json!({"status": "hi"}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    let (_, statuses) = get(
        &server,
        None,
        &format!("/api/v1/accounts/{}/statuses", alice.id),
    )
    .await;
    assert_eq!(
        statuses.as_array().unwrap().len(),
        1,
        "only the valid one was written"
    );
    server.stop().await;
}

#[tokio::test]
async fn the_same_idempotency_key_posts_once() {
    let instance = TestInstance::new().await;
    let server = instance.start().await;
    let alice = user(&server, "alice").await;
    let send = || {
        http()
            .post(server.url("/api/v1/statuses"))
            .bearer_auth(&alice.token)
            .header("Idempotency-Key", "abc-123")
            .form(&[("status", "only once")])
            .send()
    };
    let first: Value = send().await.unwrap().json().await.unwrap();
    let second: Value = send().await.unwrap().json().await.unwrap();
    assert_eq!(first["id"], second["id"]);
    let (_, me) = get(&server, Some(&alice), "/api/v1/accounts/verify_credentials").await;
    assert_eq!(me["statuses_count"], 1);
    server.stop().await;
}

#[tokio::test]
async fn visibility_decides_who_sees_a_status_on_every_read_path() {
    let instance = TestInstance::new().await;
    let server = instance.start().await;
    let author = user(&server, "author").await;
    let follower = user(&server, "follower").await;
    let mentioned = user(&server, "mentioned").await;
    let stranger = user(&server, "stranger").await;
    let blocked = user(&server, "blocked").await;
    post(
        &server,
        &follower,
        &format!("/api/v1/accounts/{}/follow", author.id),
        json!({}),
    )
    .await;
    post(
        &server,
        &blocked,
        &format!("/api/v1/accounts/{}/follow", author.id),
        json!({}),
    )
    .await;
    post(
        &server,
        &author,
        &format!("/api/v1/accounts/{}/block", blocked.id),
        json!({}),
    )
    .await;

    let mut posted = Vec::new();
    for visibility in ["public", "unlisted", "private", "direct"] {
        let body = status(
            &server,
            &author,
            &format!("{visibility} post for @mentioned"),
            visibility,
        )
        .await;
        posted.push((visibility, body["id"].as_str().unwrap().to_owned()));
    }
    // Who may see each visibility (Mastodon's rules).
    let expected = |viewer: &str, visibility: &str| match (viewer, visibility) {
        ("blocked", _) => false,
        (_, "public" | "unlisted") => true,
        ("author" | "mentioned", _) => true,
        ("follower", "private") => true,
        _ => false,
    };
    let viewers: [(&str, Option<&User>); 6] = [
        ("anonymous", None),
        ("author", Some(&author)),
        ("follower", Some(&follower)),
        ("mentioned", Some(&mentioned)),
        ("stranger", Some(&stranger)),
        ("blocked", Some(&blocked)),
    ];
    for (viewer_name, viewer) in viewers {
        let (_, listed) = get(
            &server,
            viewer,
            &format!("/api/v1/accounts/{}/statuses", author.id),
        )
        .await;
        let listed = ids(&listed);
        for (visibility, id) in &posted {
            let visible = expected(viewer_name, visibility);
            let (code, _) = get(&server, viewer, &format!("/api/v1/statuses/{id}")).await;
            assert_eq!(
                code == StatusCode::OK,
                visible,
                "{viewer_name} reading a {visibility} status: {code}"
            );
            assert_eq!(
                listed.contains(id),
                visible,
                "{viewer_name} listing a {visibility} status"
            );
            let (code, _) = get(&server, viewer, &format!("/api/v1/statuses/{id}/context")).await;
            assert_eq!(
                code == StatusCode::OK,
                visible,
                "{viewer_name} reading the thread of a {visibility} status"
            );
            let (code, _) = get(
                &server,
                viewer,
                &format!("/api/v1/statuses/{id}/favourited_by"),
            )
            .await;
            assert_eq!(
                code == StatusCode::OK,
                visible,
                "{viewer_name}: favourited_by of a {visibility} status"
            );
        }
    }
    // Only public statuses reach the public timeline.
    let (_, public) = get(&server, None, "/api/v1/timelines/public").await;
    assert_eq!(ids(&public), vec![posted[0].1.clone()]);
    // Home timelines: the follower gets public, unlisted and private posts (not the direct one
    // that does not mention them); the blocked account, whose follow the block ended, nothing.
    let follower_home = eventually(Duration::from_secs(20), "the fan-out", || async {
        let (_, home) = get(&server, Some(&follower), "/api/v1/timelines/home").await;
        (home.as_array()?.len() == 3).then_some(home)
    })
    .await;
    let expected_home: Vec<String> = posted[..3].iter().rev().map(|(_, id)| id.clone()).collect();
    assert_eq!(ids(&follower_home), expected_home);
    let (_, blocked_home) = get(&server, Some(&blocked), "/api/v1/timelines/home").await;
    assert_eq!(blocked_home, json!([]));
    // A mentioned account is told of every post; the direct one, from someone it does not
    // follow, waits aside as a request (Mastodon's default notification policy).
    let (_, notifications) = get(
        &server,
        Some(&mentioned),
        "/api/v1/notifications?types[]=mention",
    )
    .await;
    assert_eq!(notifications.as_array().unwrap().len(), 3);
    let (_, requests) = get(&server, Some(&mentioned), "/api/v1/notifications/requests").await;
    assert_eq!(
        requests[0]["last_status"]["id"],
        posted[3].1.as_str(),
        "{requests}"
    );
    server.stop().await;
}

#[tokio::test]
async fn timelines_paginate_with_link_headers() {
    let instance = TestInstance::new().await;
    let server = instance.start().await;
    let alice = user(&server, "alice").await;
    let mut posted = Vec::new();
    for n in 0..5 {
        posted.push(
            status(&server, &alice, &format!("post {n}"), "public").await["id"]
                .as_str()
                .unwrap()
                .to_owned(),
        );
    }
    posted.reverse();
    let response = http()
        .get(server.url("/api/v1/timelines/public?limit=2&local=true"))
        .send()
        .await
        .unwrap();
    let link = response.headers()["link"].to_str().unwrap().to_owned();
    let page: Value = response.json().await.unwrap();
    assert_eq!(ids(&page), posted[..2].to_vec());
    assert_eq!(
        link,
        format!(
            "<http://woolly.test/api/v1/timelines/public?limit=2&local=true&max_id={}>; rel=\"next\", <http://woolly.test/api/v1/timelines/public?limit=2&local=true&min_id={}>; rel=\"prev\"",
            posted[1], posted[0]
        )
    );
    let (_, next) = get(
        &server,
        None,
        &format!("/api/v1/timelines/public?limit=2&max_id={}", posted[1]),
    )
    .await;
    assert_eq!(ids(&next), posted[2..4].to_vec());
    let (_, prev) = get(
        &server,
        None,
        &format!("/api/v1/timelines/public?limit=2&min_id={}", posted[3]),
    )
    .await;
    assert_eq!(
        ids(&prev),
        posted[1..3].to_vec(),
        "min_id pages forward from the cursor, newest first"
    );
    let (_, since) = get(
        &server,
        None,
        &format!("/api/v1/timelines/public?limit=2&since_id={}", posted[3]),
    )
    .await;
    assert_eq!(
        ids(&since),
        posted[..2].to_vec(),
        "since_id gives the newest"
    );
    let (code, _) = get(&server, None, "/api/v1/timelines/public?max_id=abc").await;
    assert_eq!(code, StatusCode::UNPROCESSABLE_ENTITY);
    server.stop().await;
}

#[tokio::test]
async fn a_timeline_gives_20_statuses_by_default_and_at_most_40_whatever_the_limit() {
    let instance = TestInstance::new().await;
    let server = instance.start().await;
    let alice = user(&server, "alice").await;
    // One more than Mastodon's cap on a page of statuses.
    for n in 0..41 {
        status(&server, &alice, &format!("post {n}"), "public").await;
    }
    for (query, expected) in [
        ("", 20),
        ("?limit=1000", 40),
        ("?limit=40", 40),
        ("?limit=41", 40),
    ] {
        let (code, page) = get(&server, None, &format!("/api/v1/timelines/public{query}")).await;
        assert_eq!(code, StatusCode::OK, "a large limit is capped, not refused");
        assert_eq!(page.as_array().unwrap().len(), expected, "limit {query:?}");
    }
    server.stop().await;
}

#[tokio::test]
async fn favourites_reblogs_and_bookmarks_count_notify_and_undo() {
    let instance = TestInstance::new().await;
    let server = instance.start().await;
    let alice = user(&server, "alice").await;
    let bob = user(&server, "bob").await;
    let id = status(&server, &alice, "like me", "public").await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    for _ in 0..2 {
        let (code, favourited) = post(
            &server,
            &bob,
            &format!("/api/v1/statuses/{id}/favourite"),
            json!({}),
        )
        .await;
        assert_eq!(code, StatusCode::OK);
        assert_eq!(
            (
                favourited["favourited"].clone(),
                favourited["favourites_count"].clone()
            ),
            (json!(true), json!(1)),
            "twice counts once"
        );
    }
    let (code, reblog) = post(
        &server,
        &bob,
        &format!("/api/v1/statuses/{id}/reblog"),
        json!({}),
    )
    .await;
    assert_eq!(code, StatusCode::OK);
    assert_eq!(reblog["reblog"]["id"], id.as_str());
    assert_eq!(reblog["reblog"]["reblogged"], true);
    assert_eq!(reblog["reblog"]["reblogs_count"], 1);
    let (_, bookmarked) = post(
        &server,
        &bob,
        &format!("/api/v1/statuses/{id}/bookmark"),
        json!({}),
    )
    .await;
    assert_eq!(bookmarked["bookmarked"], true);

    let (_, by) = get(
        &server,
        None,
        &format!("/api/v1/statuses/{id}/favourited_by"),
    )
    .await;
    assert_eq!(by[0]["id"], bob.id.as_str());
    let (_, by) = get(
        &server,
        None,
        &format!("/api/v1/statuses/{id}/reblogged_by"),
    )
    .await;
    assert_eq!(by[0]["id"], bob.id.as_str());
    let (_, favourites) = get(&server, Some(&bob), "/api/v1/favourites").await;
    assert_eq!(ids(&favourites), vec![id.clone()]);
    let (_, bookmarks) = get(&server, Some(&bob), "/api/v1/bookmarks").await;
    assert_eq!(ids(&bookmarks), vec![id.clone()]);
    let (_, notifications) = get(&server, Some(&alice), "/api/v1/notifications").await;
    let kinds: Vec<&str> = notifications
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["type"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["reblog", "favourite"]);
    let (_, only_favourites) = get(
        &server,
        Some(&alice),
        "/api/v1/notifications?exclude_types[]=reblog",
    )
    .await;
    assert_eq!(only_favourites.as_array().unwrap().len(), 1);

    let (_, undone) = post(
        &server,
        &bob,
        &format!("/api/v1/statuses/{id}/unfavourite"),
        json!({}),
    )
    .await;
    assert_eq!(
        (
            undone["favourited"].clone(),
            undone["favourites_count"].clone()
        ),
        (json!(false), json!(0))
    );
    let (_, undone) = post(
        &server,
        &bob,
        &format!("/api/v1/statuses/{id}/unreblog"),
        json!({}),
    )
    .await;
    assert_eq!(
        (undone["reblogged"].clone(), undone["reblogs_count"].clone()),
        (json!(false), json!(0))
    );
    let (_, notifications) = get(&server, Some(&alice), "/api/v1/notifications").await;
    assert_eq!(notifications, json!([]));

    // Private statuses of others cannot be reblogged.
    let private = status(&server, &alice, "followers only", "private").await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    post(
        &server,
        &bob,
        &format!("/api/v1/accounts/{}/follow", alice.id),
        json!({}),
    )
    .await;
    let (code, _) = post(
        &server,
        &bob,
        &format!("/api/v1/statuses/{private}/reblog"),
        json!({}),
    )
    .await;
    assert_eq!(code, StatusCode::FORBIDDEN);
    server.stop().await;
}

#[tokio::test]
async fn follows_relationships_and_threads() {
    let instance = TestInstance::new().await;
    let server = instance.start().await;
    let alice = user(&server, "alice").await;
    let bob = user(&server, "bob").await;
    let (code, relationship) = post(
        &server,
        &bob,
        &format!("/api/v1/accounts/{}/follow", alice.id),
        json!({"reblogs": false}),
    )
    .await;
    assert_eq!(code, StatusCode::OK);
    assert_eq!(relationship["following"], true);
    assert_eq!(relationship["showing_reblogs"], false);
    let (_, relationships) = get(
        &server,
        Some(&alice),
        &format!("/api/v1/accounts/relationships?id[]={}&id[]=999", bob.id),
    )
    .await;
    assert_eq!(relationships.as_array().unwrap().len(), 1);
    assert_eq!(relationships[0]["followed_by"], true);
    let (_, followers) = get(
        &server,
        None,
        &format!("/api/v1/accounts/{}/followers", alice.id),
    )
    .await;
    assert_eq!(ids(&followers), vec![bob.id.clone()]);
    let (_, following) = get(
        &server,
        None,
        &format!("/api/v1/accounts/{}/following", bob.id),
    )
    .await;
    assert_eq!(ids(&following), vec![alice.id.clone()]);
    let (_, account) = get(&server, None, &format!("/api/v1/accounts/{}", alice.id)).await;
    assert_eq!(account["followers_count"], 1);
    let (_, found) = get(
        &server,
        None,
        "/api/v1/accounts/lookup?acct=alice@woolly.test",
    )
    .await;
    assert_eq!(found["id"], alice.id.as_str());
    let (_, notifications) = get(&server, Some(&alice), "/api/v1/notifications").await;
    assert_eq!(notifications[0]["type"], "follow");

    // A thread: root by alice, reply by bob, reply to that by alice.
    let root = status(&server, &alice, "root", "public").await;
    let root_id = root["id"].as_str().unwrap();
    let (_, reply) = post(
        &server,
        &bob,
        "/api/v1/statuses",
        json!({"status": "@alice reply", "in_reply_to_id": root_id}),
    )
    .await;
    let reply_id = reply["id"].as_str().unwrap();
    assert_eq!(reply["in_reply_to_id"], root_id);
    assert_eq!(reply["in_reply_to_account_id"], alice.id.as_str());
    let (_, answer) = post(
        &server,
        &alice,
        "/api/v1/statuses",
        json!({"status": "answer", "in_reply_to_id": reply_id}),
    )
    .await;
    let (_, context) = get(
        &server,
        None,
        &format!("/api/v1/statuses/{reply_id}/context"),
    )
    .await;
    assert_eq!(ids(&context["ancestors"]), vec![root_id.to_owned()]);
    assert_eq!(
        ids(&context["descendants"]),
        vec![answer["id"].as_str().unwrap().to_owned()]
    );
    let (_, root_now) = get(&server, None, &format!("/api/v1/statuses/{root_id}")).await;
    assert_eq!(root_now["replies_count"], 1);
    let (_, without_replies) = get(
        &server,
        None,
        &format!("/api/v1/accounts/{}/statuses?exclude_replies=true", bob.id),
    )
    .await;
    assert_eq!(without_replies, json!([]));

    // Unfollowing takes alice's posts out of bob's home timeline. Both are there first: no
    // fan-out job of hers is left to run while bob unfollows.
    eventually(
        Duration::from_secs(20),
        "alice's posts in bob's home",
        || async {
            let (_, home) = get(&server, Some(&bob), "/api/v1/timelines/home").await;
            let home = home.as_array()?;
            let holds = |id: &str| home.iter().any(|status| status["id"] == id);
            (holds(root_id) && holds(answer["id"].as_str()?)).then_some(())
        },
    )
    .await;
    let (_, relationship) = post(
        &server,
        &bob,
        &format!("/api/v1/accounts/{}/unfollow", alice.id),
        json!({}),
    )
    .await;
    assert_eq!(relationship["following"], false);
    let (_, home) = get(&server, Some(&bob), "/api/v1/timelines/home").await;
    assert!(
        home.as_array()
            .unwrap()
            .iter()
            .all(|status| status["account"]["id"] != alice.id.as_str()),
        "{home}"
    );
    let (code, _) = post(
        &server,
        &bob,
        &format!("/api/v1/accounts/{}/follow", bob.id),
        json!({}),
    )
    .await;
    assert_eq!(
        code,
        StatusCode::UNPROCESSABLE_ENTITY,
        "no following oneself"
    );
    let (code, _) = post(&server, &bob, "/api/v1/accounts/12345/follow", json!({})).await;
    assert_eq!(code, StatusCode::NOT_FOUND);
    server.stop().await;
}

#[tokio::test]
async fn a_thread_leaves_out_the_replies_of_muted_accounts_but_not_their_replies() {
    let instance = TestInstance::new().await;
    let server = instance.start().await;
    let alice = user(&server, "alice").await;
    let bob = user(&server, "bob").await;
    let carol = user(&server, "carol").await;
    let root = status(&server, &alice, "root", "public").await;
    let root_id = root["id"].as_str().unwrap();
    let (_, bobs) = post(
        &server,
        &bob,
        "/api/v1/statuses",
        json!({"status": "bob replies", "in_reply_to_id": root_id}),
    )
    .await;
    let (_, carols) = post(
        &server,
        &carol,
        "/api/v1/statuses",
        json!({"status": "carol replies to bob", "in_reply_to_id": bobs["id"]}),
    )
    .await;
    let context = format!("/api/v1/statuses/{root_id}/context");
    let (_, before) = get(&server, Some(&alice), &context).await;
    assert_eq!(
        ids(&before["descendants"]),
        [bobs["id"].as_str().unwrap(), carols["id"].as_str().unwrap()]
    );
    let (code, _) = post(
        &server,
        &alice,
        &format!("/api/v1/accounts/{}/mute", bob.id),
        json!({}),
    )
    .await;
    assert_eq!(code, StatusCode::OK);
    let (_, after) = get(&server, Some(&alice), &context).await;
    assert_eq!(ids(&after["descendants"]), [carols["id"].as_str().unwrap()]);
    let (_, from_carol) = get(
        &server,
        Some(&alice),
        &format!(
            "/api/v1/statuses/{}/context",
            carols["id"].as_str().unwrap()
        ),
    )
    .await;
    assert_eq!(
        ids(&from_carol["ancestors"]),
        [root_id],
        "bob's reply is left out above too"
    );
    let (_, for_carol) = get(&server, Some(&carol), &context).await;
    assert_eq!(
        ids(&for_carol["descendants"]).len(),
        2,
        "only the muter's view changes"
    );
    server.stop().await;
}
