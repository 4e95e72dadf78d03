//! Lists through the client API: managing lists and their members, the lists an account is in,
//! and list timelines, as apps use them (`methods/lists.md`).

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{TestInstance, TestServer, TestUser as User, http, user};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

/// Sends a JSON body (none for GET) and returns the status and the JSON answer.
async fn call(
    server: &TestServer,
    user: &User,
    method: Method,
    path: &str,
    body: Value,
) -> (StatusCode, Value) {
    server.call(method, path, Some(&user.token), body).await
}

async fn get(server: &TestServer, user: &User, path: &str) -> (StatusCode, Value) {
    call(server, user, Method::GET, path, Value::Null).await
}

async fn post(server: &TestServer, user: &User, path: &str, body: Value) -> (StatusCode, Value) {
    call(server, user, Method::POST, path, body).await
}

async fn follow(server: &TestServer, follower: &User, target: &User) {
    let (code, relationship) = post(
        server,
        follower,
        &format!("/api/v1/accounts/{}/follow", target.id),
        json!({}),
    )
    .await;
    assert_eq!(code, StatusCode::OK, "{relationship}");
    assert_eq!(relationship["following"], true, "{relationship}");
}

async fn create_list(server: &TestServer, owner: &User, body: Value) -> String {
    let (code, list) = post(server, owner, "/api/v1/lists", body).await;
    assert_eq!(code, StatusCode::OK, "{list}");
    list["id"].as_str().unwrap().to_owned()
}

/// Posts a status, optionally in reply to another; returns its id.
async fn status(
    server: &TestServer,
    author: &User,
    text: &str,
    in_reply_to: Option<&str>,
) -> String {
    let (code, body) = post(
        server,
        author,
        "/api/v1/statuses",
        json!({"status": text, "in_reply_to_id": in_reply_to}),
    )
    .await;
    assert_eq!(code, StatusCode::OK, "{body}");
    body["id"].as_str().unwrap().to_owned()
}

fn ids(list: &Value) -> Vec<String> {
    list.as_array()
        .unwrap_or_else(|| panic!("an array: {list}"))
        .iter()
        .map(|item| item["id"].as_str().unwrap().to_owned())
        .collect()
}

fn not_found() -> Value {
    json!({"error": "Record not found"})
}

#[tokio::test]
async fn lists_are_created_shown_updated_and_deleted() {
    let instance = TestInstance::new().await;
    let server = instance.start().await;
    let alice = user(&server, "alice").await;

    // Mastodon.py sends forms; the defaults are replies to list members and not exclusive.
    let response = http()
        .post(server.url("/api/v1/lists"))
        .bearer_auth(&alice.token)
        .form(&[("title", "Friends")])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let friends: Value = response.json().await.unwrap();
    let friends_id = friends["id"].as_str().unwrap().to_owned();
    assert_eq!(
        friends,
        json!({"id": friends_id, "title": "Friends", "replies_policy": "list", "exclusive": false})
    );
    // masto.js sends JSON.
    let (code, news) = post(
        &server,
        &alice,
        "/api/v1/lists",
        json!({"title": "News", "replies_policy": "none", "exclusive": true}),
    )
    .await;
    assert_eq!(code, StatusCode::OK);
    let news_id = news["id"].as_str().unwrap().to_owned();
    assert_eq!(
        news,
        json!({"id": news_id, "title": "News", "replies_policy": "none", "exclusive": true})
    );

    let (code, lists) = get(&server, &alice, "/api/v1/lists").await;
    assert_eq!(code, StatusCode::OK);
    assert_eq!(ids(&lists), vec![friends_id.clone(), news_id.clone()]);
    let (code, shown) = get(&server, &alice, &format!("/api/v1/lists/{news_id}")).await;
    assert_eq!(code, StatusCode::OK);
    assert_eq!(shown, news);

    // An update changes only what it names.
    let (code, updated) = call(
        &server,
        &alice,
        Method::PUT,
        &format!("/api/v1/lists/{news_id}"),
        json!({"title": "Headlines"}),
    )
    .await;
    assert_eq!(code, StatusCode::OK);
    assert_eq!(
        updated,
        json!({"id": news_id, "title": "Headlines", "replies_policy": "none", "exclusive": true})
    );
    let (_, updated) = call(
        &server,
        &alice,
        Method::PUT,
        &format!("/api/v1/lists/{news_id}"),
        json!({"replies_policy": "followed", "exclusive": "false"}),
    )
    .await;
    assert_eq!(
        updated,
        json!({"id": news_id, "title": "Headlines", "replies_policy": "followed", "exclusive": false})
    );
    let (_, shown) = get(&server, &alice, &format!("/api/v1/lists/{news_id}")).await;
    assert_eq!(shown, updated);

    let (code, deleted) = call(
        &server,
        &alice,
        Method::DELETE,
        &format!("/api/v1/lists/{news_id}"),
        Value::Null,
    )
    .await;
    assert_eq!(code, StatusCode::OK);
    assert_eq!(deleted, json!({}));
    let (code, body) = get(&server, &alice, &format!("/api/v1/lists/{news_id}")).await;
    assert_eq!(code, StatusCode::NOT_FOUND);
    assert_eq!(body, not_found());
    let (code, body) = call(
        &server,
        &alice,
        Method::DELETE,
        &format!("/api/v1/lists/{news_id}"),
        Value::Null,
    )
    .await;
    assert_eq!(code, StatusCode::NOT_FOUND, "deleting twice: {body}");
    let (_, lists) = get(&server, &alice, "/api/v1/lists").await;
    assert_eq!(ids(&lists), vec![friends_id]);
    server.stop().await;
}

#[tokio::test]
async fn bad_list_input_is_refused_and_changes_nothing() {
    let instance = TestInstance::new().await;
    let server = instance.start().await;
    let alice = user(&server, "alice").await;
    let list_id = create_list(&server, &alice, json!({"title": "Friends"})).await;

    for body in [
        json!({}),
        json!({"title": ""}),
        json!({"title": "   "}),
        json!({"title": "x".repeat(256)}),
        json!({"title": "Bad", "replies_policy": "everyone"}),
    ] {
        let (code, error) = post(&server, &alice, "/api/v1/lists", body.clone()).await;
        assert_eq!(code, StatusCode::UNPROCESSABLE_ENTITY, "{body}: {error}");
        assert!(error["error"].is_string(), "{error}");
    }
    let (_, error) = post(&server, &alice, "/api/v1/lists", json!({})).await;
    assert_eq!(
        error,
        json!({"error": "Validation failed: Title can't be blank"})
    );
    for body in [
        json!({"title": ""}),
        json!({"title": "x".repeat(256)}),
        json!({"replies_policy": "everyone"}),
    ] {
        let (code, error) = call(
            &server,
            &alice,
            Method::PUT,
            &format!("/api/v1/lists/{list_id}"),
            body.clone(),
        )
        .await;
        assert_eq!(code, StatusCode::UNPROCESSABLE_ENTITY, "{body}: {error}");
    }
    let (_, lists) = get(&server, &alice, "/api/v1/lists").await;
    assert_eq!(
        lists,
        json!([{"id": list_id, "title": "Friends", "replies_policy": "list", "exclusive": false}])
    );
    // The longest title is fine.
    create_list(&server, &alice, json!({"title": "x".repeat(255)})).await;

    // Ids are numbers: anything else names no list.
    for (method, path) in [
        (Method::GET, "/api/v1/lists/abc"),
        (Method::PUT, "/api/v1/lists/abc"),
        (Method::DELETE, "/api/v1/lists/abc"),
        (Method::GET, "/api/v1/lists/abc/accounts"),
        (Method::POST, "/api/v1/lists/abc/accounts"),
        (Method::DELETE, "/api/v1/lists/abc/accounts"),
        (Method::GET, "/api/v1/timelines/list/abc"),
        (Method::GET, "/api/v1/accounts/abc/lists"),
    ] {
        let (code, body) = call(&server, &alice, method.clone(), path, json!({"title": "x"})).await;
        assert_eq!(code, StatusCode::NOT_FOUND, "{method} {path}: {body}");
        assert_eq!(body, not_found(), "{method} {path}");
    }

    // Lists need their own scopes.
    let reader = instance.token("alice", "read:statuses").await;
    let response = http()
        .get(server.url("/api/v1/lists"))
        .bearer_auth(&reader)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    let list_reader = instance.token("alice", "read:lists").await;
    let response = http()
        .get(server.url("/api/v1/lists"))
        .bearer_auth(&list_reader)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let response = http()
        .post(server.url("/api/v1/lists"))
        .bearer_auth(&list_reader)
        .json(&json!({"title": "Nope"}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    let response = http()
        .get(server.url("/api/v1/lists"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    server.stop().await;
}

#[tokio::test]
async fn another_users_list_is_answered_like_a_missing_one() {
    let instance = TestInstance::new().await;
    let server = instance.start().await;
    let alice = user(&server, "alice").await;
    let bob = user(&server, "bob").await;
    follow(&server, &bob, &alice).await;
    follow(&server, &alice, &bob).await;
    let bobs = create_list(&server, &bob, json!({"title": "Bob's"})).await;
    let (code, _) = post(
        &server,
        &bob,
        &format!("/api/v1/lists/{bobs}/accounts"),
        json!({"account_ids": [alice.id]}),
    )
    .await;
    assert_eq!(code, StatusCode::OK);

    for list in [bobs.as_str(), "12345"] {
        for (method, path, body) in [
            (Method::GET, format!("/api/v1/lists/{list}"), Value::Null),
            (
                Method::PUT,
                format!("/api/v1/lists/{list}"),
                json!({"title": "Mine now"}),
            ),
            (Method::DELETE, format!("/api/v1/lists/{list}"), Value::Null),
            (
                Method::GET,
                format!("/api/v1/lists/{list}/accounts"),
                Value::Null,
            ),
            (
                Method::POST,
                format!("/api/v1/lists/{list}/accounts"),
                json!({"account_ids": [bob.id]}),
            ),
            (
                Method::DELETE,
                format!("/api/v1/lists/{list}/accounts"),
                json!({"account_ids": [alice.id]}),
            ),
            (
                Method::GET,
                format!("/api/v1/timelines/list/{list}"),
                Value::Null,
            ),
        ] {
            let (code, answer) = call(&server, &alice, method.clone(), &path, body).await;
            assert_eq!(code, StatusCode::NOT_FOUND, "{method} {path}: {answer}");
            assert_eq!(answer, not_found(), "{method} {path}");
        }
    }
    // Nothing changed, and alice does not see bob's list among those she is in.
    let (_, lists) = get(&server, &bob, "/api/v1/lists").await;
    assert_eq!(
        lists,
        json!([{"id": bobs, "title": "Bob's", "replies_policy": "list", "exclusive": false}])
    );
    let (_, members) = get(&server, &bob, &format!("/api/v1/lists/{bobs}/accounts")).await;
    assert_eq!(ids(&members), vec![alice.id.clone()]);
    let (_, containing) = get(
        &server,
        &alice,
        &format!("/api/v1/accounts/{}/lists", alice.id),
    )
    .await;
    assert_eq!(containing, json!([]));
    server.stop().await;
}

#[tokio::test]
async fn only_followed_accounts_and_the_owner_can_be_members() {
    let instance = TestInstance::new().await;
    let server = instance.start().await;
    let alice = user(&server, "alice").await;
    let bob = user(&server, "bob").await;
    let carol = user(&server, "carol").await;
    let dave = user(&server, "dave").await;
    follow(&server, &alice, &bob).await;
    follow(&server, &alice, &carol).await;
    let friends = create_list(&server, &alice, json!({"title": "Friends"})).await;
    let other = create_list(&server, &alice, json!({"title": "Other"})).await;
    let members_path = format!("/api/v1/lists/{friends}/accounts");

    // All or nothing: dave is not followed, so bob is not added either.
    let (code, error) = post(
        &server,
        &alice,
        &members_path,
        json!({"account_ids": [bob.id, dave.id]}),
    )
    .await;
    assert_eq!(code, StatusCode::UNPROCESSABLE_ENTITY, "{error}");
    assert!(error["error"].is_string());
    let (_, members) = get(&server, &alice, &members_path).await;
    assert_eq!(members, json!([]));
    // An unknown account is a 404, and also changes nothing.
    let (code, _) = post(
        &server,
        &alice,
        &members_path,
        json!({"account_ids": [bob.id, "999999"]}),
    )
    .await;
    assert_eq!(code, StatusCode::NOT_FOUND);
    let (_, members) = get(&server, &alice, &members_path).await;
    assert_eq!(members, json!([]));

    // Mastodon.py sends `account_ids[]` in a form.
    let response = http()
        .post(server.url(&members_path))
        .bearer_auth(&alice.token)
        .form(&[
            ("account_ids[]", bob.id.as_str()),
            ("account_ids[]", carol.id.as_str()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.json::<Value>().await.unwrap(), json!({}));
    // Adding a member again is fine, and owners may list themselves.
    let (code, answer) = post(
        &server,
        &alice,
        &members_path,
        json!({"account_ids": [bob.id, alice.id]}),
    )
    .await;
    assert_eq!(code, StatusCode::OK, "{answer}");
    assert_eq!(answer, json!({}));
    let (code, members) = get(&server, &alice, &members_path).await;
    assert_eq!(code, StatusCode::OK);
    let mut expected = vec![alice.id.clone(), bob.id.clone(), carol.id.clone()];
    expected.sort_by_key(|id| std::cmp::Reverse(id.parse::<i64>().unwrap()));
    assert_eq!(ids(&members), expected);
    assert!(members[0]["acct"].is_string(), "{members}");
    post(
        &server,
        &alice,
        &format!("/api/v1/lists/{other}/accounts"),
        json!({"account_ids": [bob.id]}),
    )
    .await;

    // The lists an account is in.
    let (code, containing) = get(
        &server,
        &alice,
        &format!("/api/v1/accounts/{}/lists", bob.id),
    )
    .await;
    assert_eq!(code, StatusCode::OK);
    assert_eq!(ids(&containing), vec![friends.clone(), other.clone()]);
    assert_eq!(containing[0]["title"], "Friends");
    let (_, containing) = get(
        &server,
        &alice,
        &format!("/api/v1/accounts/{}/lists", dave.id),
    )
    .await;
    assert_eq!(containing, json!([]));
    let (code, _) = get(&server, &alice, "/api/v1/accounts/999999/lists").await;
    assert_eq!(code, StatusCode::NOT_FOUND);

    // Removing: by JSON body, then by query string; a non-member is ignored.
    let (code, answer) = call(
        &server,
        &alice,
        Method::DELETE,
        &members_path,
        json!({"account_ids": [bob.id, dave.id]}),
    )
    .await;
    assert_eq!(code, StatusCode::OK);
    assert_eq!(answer, json!({}));
    let response = http()
        .delete(server.url(&format!("{members_path}?account_ids[]={}", carol.id)))
        .bearer_auth(&alice.token)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let (_, members) = get(&server, &alice, &members_path).await;
    assert_eq!(ids(&members), vec![alice.id.clone()]);
    let (_, containing) = get(
        &server,
        &alice,
        &format!("/api/v1/accounts/{}/lists", bob.id),
    )
    .await;
    assert_eq!(ids(&containing), vec![other.clone()]);

    // Deleting a list takes its memberships with it.
    call(
        &server,
        &alice,
        Method::DELETE,
        &format!("/api/v1/lists/{other}"),
        Value::Null,
    )
    .await;
    let (_, containing) = get(
        &server,
        &alice,
        &format!("/api/v1/accounts/{}/lists", bob.id),
    )
    .await;
    assert_eq!(containing, json!([]));
    server.stop().await;
}

#[tokio::test]
async fn list_members_paginate_with_a_link_header() {
    let instance = TestInstance::new().await;
    let server = instance.start().await;
    let alice = user(&server, "alice").await;
    let mut member_ids = Vec::new();
    for name in ["bob", "carol", "dave"] {
        let member = user(&server, name).await;
        follow(&server, &alice, &member).await;
        member_ids.push(member.id);
    }
    let list = create_list(&server, &alice, json!({"title": "Friends"})).await;
    post(
        &server,
        &alice,
        &format!("/api/v1/lists/{list}/accounts"),
        json!({"account_ids": member_ids}),
    )
    .await;
    // Highest account id first.
    member_ids.sort_by_key(|id| std::cmp::Reverse(id.parse::<i64>().unwrap()));

    let response = http()
        .get(server.url(&format!("/api/v1/lists/{list}/accounts?limit=2")))
        .bearer_auth(&alice.token)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let link = response.headers()["link"].to_str().unwrap().to_owned();
    let page: Value = response.json().await.unwrap();
    assert_eq!(ids(&page), member_ids[..2].to_vec());
    assert_eq!(
        link,
        format!(
            "<http://woolly.test/api/v1/lists/{list}/accounts?limit=2&max_id={}>; rel=\"next\", <http://woolly.test/api/v1/lists/{list}/accounts?limit=2&min_id={}>; rel=\"prev\"",
            member_ids[1], member_ids[0]
        )
    );
    let (_, next) = get(
        &server,
        &alice,
        &format!(
            "/api/v1/lists/{list}/accounts?limit=2&max_id={}",
            member_ids[1]
        ),
    )
    .await;
    assert_eq!(ids(&next), member_ids[2..].to_vec());
    let (_, prev) = get(
        &server,
        &alice,
        &format!(
            "/api/v1/lists/{list}/accounts?limit=2&min_id={}",
            member_ids[2]
        ),
    )
    .await;
    assert_eq!(ids(&prev), member_ids[..2].to_vec());

    // limit=0 is everyone at once, without a Link header.
    let response = http()
        .get(server.url(&format!("/api/v1/lists/{list}/accounts?limit=0")))
        .bearer_auth(&alice.token)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert!(response.headers().get("link").is_none());
    let all: Value = response.json().await.unwrap();
    assert_eq!(ids(&all), member_ids);
    let (code, _) = get(
        &server,
        &alice,
        &format!("/api/v1/lists/{list}/accounts?limit=lots"),
    )
    .await;
    assert_eq!(code, StatusCode::UNPROCESSABLE_ENTITY);
    server.stop().await;
}

#[tokio::test]
async fn list_timeline_shows_members_posts_by_the_replies_policy() {
    let instance = TestInstance::new().await;
    let server = instance.start().await;
    let alice = user(&server, "alice").await;
    let bob = user(&server, "bob").await;
    let carol = user(&server, "carol").await;
    let dave = user(&server, "dave").await;
    follow(&server, &alice, &bob).await;
    follow(&server, &alice, &carol).await;
    let list = create_list(&server, &alice, json!({"title": "Bob"})).await;
    post(
        &server,
        &alice,
        &format!("/api/v1/lists/{list}/accounts"),
        json!({"account_ids": [bob.id]}),
    )
    .await;
    let timeline_path = format!("/api/v1/timelines/list/{list}");

    let alices = status(&server, &alice, "alice's question", None).await;
    let carols = status(&server, &carol, "carol's post", None).await;
    let daves = status(&server, &dave, "dave's post", None).await;
    let hello = status(&server, &bob, "hello", None).await;
    let (_, private) = post(
        &server,
        &bob,
        "/api/v1/statuses",
        json!({"status": "for followers", "visibility": "private"}),
    )
    .await;
    let private = private["id"].as_str().unwrap().to_owned();
    let (_, direct) = post(
        &server,
        &bob,
        "/api/v1/statuses",
        json!({"status": "@alice psst", "visibility": "direct"}),
    )
    .await;
    let direct = direct["id"].as_str().unwrap().to_owned();
    let to_alice = status(&server, &bob, "@alice an answer", Some(&alices)).await;
    let to_carol = status(&server, &bob, "@carol a reply", Some(&carols)).await;
    let to_dave = status(&server, &bob, "@dave a reply", Some(&daves)).await;
    let thread = status(&server, &bob, "and another thing", Some(&hello)).await;
    let (code, reblog) = post(
        &server,
        &bob,
        &format!("/api/v1/statuses/{daves}/reblog"),
        json!({}),
    )
    .await;
    assert_eq!(code, StatusCode::OK, "{reblog}");
    let reblog = reblog["id"].as_str().unwrap().to_owned();
    let newest_first = |mut expected: Vec<&String>| {
        expected.sort_by_key(|id| std::cmp::Reverse(id.parse::<i64>().unwrap()));
        expected.into_iter().cloned().collect::<Vec<String>>()
    };

    // `list` (the default): replies to the owner and to members, not to others.
    let (code, timeline) = get(&server, &alice, &timeline_path).await;
    assert_eq!(code, StatusCode::OK);
    assert_eq!(
        ids(&timeline),
        newest_first(vec![&hello, &private, &to_alice, &thread, &reblog]),
        "{timeline}"
    );
    assert!(
        !ids(&timeline).contains(&direct),
        "direct posts stay out of lists"
    );
    let reblogged = timeline
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["id"] == reblog.as_str())
        .unwrap();
    assert_eq!(reblogged["reblog"]["id"], daves.as_str());

    // `followed`: also replies to anyone the owner follows.
    call(
        &server,
        &alice,
        Method::PUT,
        &format!("/api/v1/lists/{list}"),
        json!({"replies_policy": "followed"}),
    )
    .await;
    let (_, timeline) = get(&server, &alice, &timeline_path).await;
    assert_eq!(
        ids(&timeline),
        newest_first(vec![
            &hello, &private, &to_alice, &to_carol, &thread, &reblog
        ])
    );

    // `none`: only self-replies (threads).
    call(
        &server,
        &alice,
        Method::PUT,
        &format!("/api/v1/lists/{list}"),
        json!({"replies_policy": "none"}),
    )
    .await;
    let (_, timeline) = get(&server, &alice, &timeline_path).await;
    assert_eq!(
        ids(&timeline),
        newest_first(vec![&hello, &private, &thread, &reblog])
    );

    // Back to `list`, with carol a member: replies to her show, and so do her posts.
    call(
        &server,
        &alice,
        Method::PUT,
        &format!("/api/v1/lists/{list}"),
        json!({"replies_policy": "list"}),
    )
    .await;
    post(
        &server,
        &alice,
        &format!("/api/v1/lists/{list}/accounts"),
        json!({"account_ids": [carol.id]}),
    )
    .await;
    let (_, timeline) = get(&server, &alice, &timeline_path).await;
    let everything = newest_first(vec![
        &carols, &hello, &private, &to_alice, &to_carol, &thread, &reblog,
    ]);
    assert_eq!(ids(&timeline), everything);
    assert!(!ids(&timeline).contains(&to_dave));

    // Paginated like the other timelines.
    let response = http()
        .get(server.url(&format!("{timeline_path}?limit=3")))
        .bearer_auth(&alice.token)
        .send()
        .await
        .unwrap();
    let link = response.headers()["link"].to_str().unwrap().to_owned();
    let page: Value = response.json().await.unwrap();
    assert_eq!(ids(&page), everything[..3].to_vec());
    assert!(
        link.contains(&format!("max_id={}>; rel=\"next\"", everything[2])),
        "{link}"
    );
    let (_, next) = get(
        &server,
        &alice,
        &format!("{timeline_path}?limit=3&max_id={}", everything[2]),
    )
    .await;
    assert_eq!(ids(&next), everything[3..6].to_vec());
    server.stop().await;
}

#[tokio::test]
async fn unfollowing_or_blocking_removes_the_account_from_the_followers_lists() {
    let instance = TestInstance::new().await;
    let server = instance.start().await;
    let alice = user(&server, "alice").await;
    let bob = user(&server, "bob").await;
    let carol = user(&server, "carol").await;
    follow(&server, &alice, &bob).await;
    follow(&server, &alice, &carol).await;
    let first = create_list(&server, &alice, json!({"title": "First"})).await;
    let second = create_list(&server, &alice, json!({"title": "Second"})).await;
    for list in [&first, &second] {
        let (code, _) = post(
            &server,
            &alice,
            &format!("/api/v1/lists/{list}/accounts"),
            json!({"account_ids": [bob.id, carol.id]}),
        )
        .await;
        assert_eq!(code, StatusCode::OK);
    }
    let hello = status(&server, &bob, "hello", None).await;
    let (_, timeline) = get(&server, &alice, &format!("/api/v1/timelines/list/{first}")).await;
    assert_eq!(ids(&timeline), vec![hello.clone()]);

    post(
        &server,
        &alice,
        &format!("/api/v1/accounts/{}/unfollow", bob.id),
        json!({}),
    )
    .await;
    let (_, containing) = get(
        &server,
        &alice,
        &format!("/api/v1/accounts/{}/lists", bob.id),
    )
    .await;
    assert_eq!(containing, json!([]));
    for list in [&first, &second] {
        let (_, members) = get(&server, &alice, &format!("/api/v1/lists/{list}/accounts")).await;
        assert_eq!(ids(&members), vec![carol.id.clone()]);
    }
    let (_, timeline) = get(&server, &alice, &format!("/api/v1/timelines/list/{first}")).await;
    assert_eq!(timeline, json!([]));
    // Following again does not bring the memberships back.
    follow(&server, &alice, &bob).await;
    let (_, containing) = get(
        &server,
        &alice,
        &format!("/api/v1/accounts/{}/lists", bob.id),
    )
    .await;
    assert_eq!(containing, json!([]));

    // A block ends the follow, and so the membership, whichever side blocks.
    post(
        &server,
        &carol,
        &format!("/api/v1/accounts/{}/block", alice.id),
        json!({}),
    )
    .await;
    let (_, members) = get(&server, &alice, &format!("/api/v1/lists/{first}/accounts")).await;
    assert_eq!(members, json!([]));
    server.stop().await;
}

#[tokio::test]
async fn members_of_an_exclusive_list_post_to_the_list_not_to_home() {
    let instance = TestInstance::new().await;
    let server = instance.start().await;
    let owner = user(&server, "owner").await;
    let news = user(&server, "news").await;
    let friend = user(&server, "friend").await;
    for followed in [&news, &friend] {
        call(
            &server,
            &owner,
            Method::POST,
            &format!("/api/v1/accounts/{}/follow", followed.id),
            json!({}),
        )
        .await;
    }
    let (_, list) = call(
        &server,
        &owner,
        Method::POST,
        "/api/v1/lists",
        json!({"title": "News", "exclusive": true}),
    )
    .await;
    let list_id = list["id"].as_str().unwrap().to_owned();
    let (status, _) = call(
        &server,
        &owner,
        Method::POST,
        &format!("/api/v1/lists/{list_id}/accounts"),
        json!({"account_ids": [news.id]}),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let (_, headline) = call(
        &server,
        &news,
        Method::POST,
        "/api/v1/statuses",
        json!({"status": "headline"}),
    )
    .await;
    let (_, chat) = call(
        &server,
        &friend,
        Method::POST,
        "/api/v1/statuses",
        json!({"status": "chat"}),
    )
    .await;
    let (_, mine) = call(
        &server,
        &owner,
        Method::POST,
        "/api/v1/statuses",
        json!({"status": "mine"}),
    )
    .await;
    // Each post has its own fan-out job, run in no particular order: waiting for chat's alone
    // would not prove that the headline's job had run (and kept it out).
    common::jobs_idle(&server).await;
    let home = common::eventually(
        std::time::Duration::from_secs(20),
        "the fan-out",
        || async {
            let (_, home) = call(
                &server,
                &owner,
                Method::GET,
                "/api/v1/timelines/home",
                Value::Null,
            )
            .await;
            home.as_array()?
                .iter()
                .any(|status| status["id"] == chat["id"])
                .then_some(home)
        },
    )
    .await;
    let ids: Vec<&Value> = home
        .as_array()
        .unwrap()
        .iter()
        .map(|status| &status["id"])
        .collect();
    assert_eq!(
        ids,
        [&mine["id"], &chat["id"]],
        "the news account's post stays out of home"
    );
    let (_, timeline) = call(
        &server,
        &owner,
        Method::GET,
        &format!("/api/v1/timelines/list/{list_id}"),
        Value::Null,
    )
    .await;
    assert_eq!(timeline[0]["id"], headline["id"]);
    server.stop().await;
}
