//! The notification policy (Mastodon 4.3): what a member does with notifications from people
//! they may not know. Filtered ones are kept out of the notifications (and their count) and
//! gathered, for mentions, into requests the member accepts or dismisses; dropped ones are
//! never written. Checked through the API a member's app uses.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{TestServer, account, jobs_idle};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

async fn get(server: &TestServer, token: &str, path: &str) -> (StatusCode, Value) {
    server
        .call(Method::GET, path, Some(token), Value::Null)
        .await
}

async fn post(server: &TestServer, token: &str, path: &str, body: Value) -> (StatusCode, Value) {
    server.call(Method::POST, path, Some(token), body).await
}

async fn patch(server: &TestServer, token: &str, path: &str, body: Value) -> (StatusCode, Value) {
    server.call(Method::PATCH, path, Some(token), body).await
}

/// `(type, sender's acct)` of each notification in a list answer, newest first.
fn told(list: &Value) -> Vec<(String, String)> {
    list.as_array()
        .unwrap_or_else(|| panic!("a list: {list}"))
        .iter()
        .map(|n| {
            (
                n["type"].as_str().unwrap().to_owned(),
                n["account"]["acct"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

fn pair(kind: &str, acct: &str) -> (String, String) {
    (kind.to_owned(), acct.to_owned())
}

async fn say(server: &TestServer, token: &str, body: Value) -> String {
    let (status, posted) = post(server, token, "/api/v1/statuses", body).await;
    assert_eq!(status, StatusCode::OK, "{posted}");
    posted["id"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn a_strangers_private_mention_waits_as_a_request_until_accepted() {
    let instance = common::TestInstance::new().await;
    let server = instance.start().await;
    let (ana, _) = account(&server, "ana").await;
    let (stranger, stranger_id) = account(&server, "stranger").await;
    let (friend, friend_id) = account(&server, "friend").await;
    post(
        &server,
        &ana,
        &format!("/api/v1/accounts/{friend_id}/follow"),
        Value::Null,
    )
    .await;

    // Mastodon's defaults.
    let (status, policy) = get(&server, &ana, "/api/v2/notifications/policy").await;
    assert_eq!(status, StatusCode::OK, "{policy}");
    assert_eq!(
        policy,
        json!({
            "for_not_following": "accept",
            "for_not_followers": "accept",
            "for_new_accounts": "accept",
            "for_private_mentions": "filter",
            "for_limited_accounts": "filter",
            "summary": {"pending_requests_count": 0, "pending_notifications_count": 0}
        })
    );

    let first = say(
        &server,
        &stranger,
        json!({"status": "@ana psst", "visibility": "direct"}),
    )
    .await;
    let second = say(
        &server,
        &stranger,
        json!({"status": "@ana psst again", "visibility": "direct"}),
    )
    .await;
    say(
        &server,
        &stranger,
        json!({"status": "@ana hello in public"}),
    )
    .await;
    say(
        &server,
        &friend,
        json!({"status": "@ana a friend's secret", "visibility": "direct"}),
    )
    .await;
    jobs_idle(&server).await;

    let (_, list) = get(&server, &ana, "/api/v1/notifications").await;
    assert_eq!(
        told(&list),
        vec![pair("mention", "friend"), pair("mention", "stranger")],
        "only the stranger's public mention and the friend's private one: {list}"
    );
    let (_, count) = get(&server, &ana, "/api/v1/notifications/unread_count").await;
    assert_eq!(count["count"], 2, "{count}");
    let (_, list) = get(&server, &ana, "/api/v1/notifications?include_filtered=true").await;
    assert_eq!(told(&list).len(), 4, "{list}");
    let (_, list) = get(
        &server,
        &ana,
        &format!("/api/v1/notifications?account_id={stranger_id}"),
    )
    .await;
    assert_eq!(told(&list).len(), 3, "a request's sender shows all: {list}");
    let (_, grouped) = get(&server, &ana, "/api/v2/notifications").await;
    assert_eq!(
        grouped["notification_groups"].as_array().unwrap().len(),
        2,
        "{grouped}"
    );

    let (_, policy) = get(&server, &ana, "/api/v2/notifications/policy").await;
    assert_eq!(
        policy["summary"],
        json!({"pending_requests_count": 1, "pending_notifications_count": 2})
    );
    let (status, requests) = get(&server, &ana, "/api/v1/notifications/requests").await;
    assert_eq!(status, StatusCode::OK, "{requests}");
    assert_eq!(requests.as_array().unwrap().len(), 1, "{requests}");
    let request = &requests[0];
    assert_eq!(request["account"]["id"], stranger_id.as_str());
    assert_eq!(request["notifications_count"], "2", "a string: {request}");
    assert_eq!(request["last_status"]["id"], second.as_str());
    assert!(request["created_at"].as_str().unwrap().ends_with('Z'));
    let request_id = request["id"].as_str().unwrap().to_owned();
    let (status, shown) = get(
        &server,
        &ana,
        &format!("/api/v1/notifications/requests/{request_id}"),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(shown["id"], request_id.as_str());

    // Nobody else sees or settles it.
    let (status, _) = get(
        &server,
        &friend,
        &format!("/api/v1/notifications/requests/{request_id}"),
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, body) = post(
        &server,
        &friend,
        &format!("/api/v1/notifications/requests/{request_id}/accept"),
        Value::Null,
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(body["error"].is_string(), "{body}");

    let (status, accepted) = post(
        &server,
        &ana,
        &format!("/api/v1/notifications/requests/{request_id}/accept"),
        Value::Null,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{accepted}");
    assert_eq!(accepted, json!({}));
    let (_, merged) = get(&server, &ana, "/api/v1/notifications/requests/merged").await;
    assert_eq!(merged, json!({"merged": true}));
    let (_, requests) = get(&server, &ana, "/api/v1/notifications/requests").await;
    assert_eq!(requests, json!([]));
    let (_, list) = get(&server, &ana, "/api/v1/notifications").await;
    assert_eq!(told(&list).len(), 4, "what waited joins the rest: {list}");
    assert!(
        list.as_array()
            .unwrap()
            .iter()
            .any(|n| n["status"]["id"] == first.as_str()),
        "{list}"
    );
    // From now on the stranger is let through.
    say(
        &server,
        &stranger,
        json!({"status": "@ana thanks!", "visibility": "direct"}),
    )
    .await;
    jobs_idle(&server).await;
    let (_, list) = get(&server, &ana, "/api/v1/notifications").await;
    assert_eq!(told(&list).len(), 5, "{list}");
    let (_, policy) = get(&server, &ana, "/api/v2/notifications/policy").await;
    assert_eq!(policy["summary"]["pending_requests_count"], 0);
    server.stop().await;
}

#[tokio::test]
async fn a_reply_to_ones_own_private_mention_is_not_filtered() {
    let instance = common::TestInstance::new().await;
    let server = instance.start().await;
    let (ana, _) = account(&server, "ana").await;
    let (bea, _) = account(&server, "bea").await;
    let asked = say(
        &server,
        &ana,
        json!({"status": "@bea are you coming?", "visibility": "direct"}),
    )
    .await;
    say(
        &server,
        &bea,
        json!({"status": "@ana yes!", "visibility": "direct", "in_reply_to_id": asked}),
    )
    .await;
    jobs_idle(&server).await;
    let (_, list) = get(&server, &ana, "/api/v1/notifications").await;
    assert_eq!(told(&list), vec![pair("mention", "bea")], "{list}");
    let (_, requests) = get(&server, &ana, "/api/v1/notifications/requests").await;
    assert_eq!(requests, json!([]));
    server.stop().await;
}

#[tokio::test]
async fn dropping_filtering_and_dismissing() {
    let instance = common::TestInstance::new().await;
    let server = instance.start().await;
    let (ana, _) = account(&server, "ana").await;
    let (stranger, _) = account(&server, "stranger").await;
    let (other, _) = account(&server, "other").await;
    let (follower, _) = account(&server, "follower").await;
    let post_id = say(&server, &ana, json!({"status": "A post of mine"})).await;

    // A wrong value changes nothing.
    let (status, body) = patch(
        &server,
        &ana,
        "/api/v2/notifications/policy",
        json!({"for_not_following": "drop", "for_new_accounts": "ignore"}),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(
        body["error"]
            .as_str()
            .unwrap()
            .contains("accept, filter or drop")
    );
    let (_, policy) = get(&server, &ana, "/api/v2/notifications/policy").await;
    assert_eq!(policy["for_not_following"], "accept");

    // Strangers' favourites are dropped; every account here is new, so new accounts' follows
    // are filtered (kept aside, but as no mention, in no request).
    let (status, policy) = patch(
        &server,
        &ana,
        "/api/v2/notifications/policy",
        json!({"for_not_following": "drop", "for_new_accounts": "filter"}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{policy}");
    assert_eq!(policy["for_not_following"], "drop");
    assert_eq!(policy["for_new_accounts"], "filter");
    assert_eq!(policy["for_private_mentions"], "filter", "untouched");
    let (_, v1) = get(&server, &ana, "/api/v1/notifications/policy").await;
    assert_eq!(
        v1,
        json!({
            "filter_not_following": true,
            "filter_not_followers": false,
            "filter_new_accounts": true,
            "filter_private_mentions": true,
            "summary": {"pending_requests_count": 0, "pending_notifications_count": 0}
        })
    );
    post(
        &server,
        &stranger,
        &format!("/api/v1/statuses/{post_id}/favourite"),
        Value::Null,
    )
    .await;
    jobs_idle(&server).await;
    let (_, list) = get(&server, &ana, "/api/v1/notifications?include_filtered=true").await;
    assert_eq!(
        told(&list),
        Vec::<(String, String)>::new(),
        "dropped: {list}"
    );

    // Accepting strangers again: a new account's follow is only filtered.
    let (_, policy) = patch(
        &server,
        &ana,
        "/api/v2/notifications/policy",
        json!({"for_not_following": "accept"}),
    )
    .await;
    assert_eq!(policy["for_new_accounts"], "filter");
    let (_, ana_account) = get(&server, &ana, "/api/v1/accounts/verify_credentials").await;
    let ana_id = ana_account["id"].as_str().unwrap().to_owned();
    post(
        &server,
        &follower,
        &format!("/api/v1/accounts/{ana_id}/follow"),
        Value::Null,
    )
    .await;
    jobs_idle(&server).await;
    let (_, list) = get(&server, &ana, "/api/v1/notifications").await;
    assert_eq!(told(&list), Vec::<(String, String)>::new(), "{list}");
    let (_, list) = get(&server, &ana, "/api/v1/notifications?include_filtered=true").await;
    assert_eq!(told(&list), vec![pair("follow", "follower")], "{list}");

    // v1 speaks booleans.
    let (status, v1) = server
        .call(
            Method::PUT,
            "/api/v1/notifications/policy",
            Some(&ana),
            json!({"filter_new_accounts": false, "filter_private_mentions": true}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{v1}");
    assert_eq!(v1["filter_new_accounts"], false);
    let (_, policy) = get(&server, &ana, "/api/v2/notifications/policy").await;
    assert_eq!(policy["for_new_accounts"], "accept");

    // Two strangers' private mentions; dismissing both at once deletes what they sent.
    for token in [&stranger, &other] {
        say(
            &server,
            token,
            json!({"status": "@ana hidden", "visibility": "direct"}),
        )
        .await;
    }
    jobs_idle(&server).await;
    let (_, requests) = get(&server, &ana, "/api/v1/notifications/requests").await;
    let request_ids: Vec<String> = requests
        .as_array()
        .unwrap()
        .iter()
        .map(|request| request["id"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(request_ids.len(), 2, "{requests}");
    let (status, _) = post(
        &server,
        &ana,
        "/api/v1/notifications/requests/dismiss",
        json!({"id": request_ids}),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let (_, requests) = get(&server, &ana, "/api/v1/notifications/requests").await;
    assert_eq!(requests, json!([]));
    let (_, list) = get(
        &server,
        &ana,
        "/api/v1/notifications?include_filtered=true&types[]=mention",
    )
    .await;
    assert_eq!(told(&list), Vec::<(String, String)>::new(), "{list}");
    let (status, _) = post(
        &server,
        &ana,
        &format!("/api/v1/notifications/requests/{}/dismiss", request_ids[0]),
        Value::Null,
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND, "already dismissed");

    // A dismissed sender is not let through: the next one waits again.
    say(
        &server,
        &stranger,
        json!({"status": "@ana hidden again", "visibility": "direct"}),
    )
    .await;
    jobs_idle(&server).await;
    let (_, requests) = get(&server, &ana, "/api/v1/notifications/requests").await;
    assert_eq!(requests.as_array().unwrap().len(), 1, "{requests}");
    server.stop().await;
}
