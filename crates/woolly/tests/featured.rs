//! What accounts feature on their profiles: hashtags (with their use) and other accounts.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{TestInstance, TestServer, account};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

async fn call(
    server: &TestServer,
    method: Method,
    token: Option<&str>,
    path: &str,
    body: Value,
) -> (StatusCode, Value) {
    server.call(method, path, token, body).await
}

#[tokio::test]
async fn featured_hashtags_count_their_use_and_are_limited_to_ten() {
    let instance = TestInstance::new().await;
    let server = instance.start().await;
    let (alice, alice_id) = account(&server, "alice").await;
    for text in [
        "#Knitting one",
        "#knitting two",
        "#wool",
        "secret #knitting",
    ] {
        let visibility = if text.starts_with("secret") {
            "private"
        } else {
            "public"
        };
        call(
            &server,
            Method::POST,
            Some(&alice),
            "/api/v1/statuses",
            json!({"status": text, "visibility": visibility}),
        )
        .await;
    }
    let (status, suggestions) = call(
        &server,
        Method::GET,
        Some(&alice),
        "/api/v1/featured_tags/suggestions",
        Value::Null,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(suggestions[0]["name"], "knitting", "the most used first");
    assert_eq!(suggestions[1]["name"], "wool");

    let (status, featured) = call(
        &server,
        Method::POST,
        Some(&alice),
        "/api/v1/featured_tags",
        json!({"name": "#Knitting"}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{featured}");
    assert_eq!(featured["name"], "knitting");
    assert_eq!(
        featured["statuses_count"], "2",
        "public and unlisted only, as a string"
    );
    assert_eq!(
        featured["last_status_at"].as_str().unwrap().len(),
        10,
        "a date"
    );
    assert!(
        featured["url"]
            .as_str()
            .unwrap()
            .ends_with("/@alice/tagged/knitting")
    );
    let (_, again) = call(
        &server,
        Method::POST,
        Some(&alice),
        "/api/v1/featured_tags",
        json!({"name": "knitting"}),
    )
    .await;
    assert_eq!(again["id"], featured["id"], "featuring twice keeps one");
    let (_, suggestions) = call(
        &server,
        Method::GET,
        Some(&alice),
        "/api/v1/featured_tags/suggestions",
        Value::Null,
    )
    .await;
    assert_eq!(
        suggestions.as_array().unwrap().len(),
        1,
        "featured ones are not suggested"
    );

    let (_, public) = call(
        &server,
        Method::GET,
        None,
        &format!("/api/v1/accounts/{alice_id}/featured_tags"),
        Value::Null,
    )
    .await;
    assert_eq!(public.as_array().unwrap().len(), 1);
    let (_, tag) = call(
        &server,
        Method::POST,
        Some(&alice),
        "/api/v1/tags/wool/feature",
        Value::Null,
    )
    .await;
    assert_eq!(tag["name"], "wool");
    assert_eq!(tag["featuring"], true);
    let (_, mine) = call(
        &server,
        Method::GET,
        Some(&alice),
        "/api/v1/featured_tags",
        Value::Null,
    )
    .await;
    assert_eq!(mine.as_array().unwrap().len(), 2);

    for (name, expected) in [("", "Tag is invalid"), ("not a tag", "Tag is invalid")] {
        let (status, body) = call(
            &server,
            Method::POST,
            Some(&alice),
            "/api/v1/featured_tags",
            json!({"name": name}),
        )
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(body["error"].as_str().unwrap().contains(expected), "{body}");
    }
    for n in 0..8 {
        let (status, _) = call(
            &server,
            Method::POST,
            Some(&alice),
            "/api/v1/featured_tags",
            json!({"name": format!("tag{n}")}),
        )
        .await;
        assert_eq!(status, StatusCode::OK);
    }
    let (status, body) = call(
        &server,
        Method::POST,
        Some(&alice),
        "/api/v1/featured_tags",
        json!({"name": "eleventh"}),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        body["error"].as_str().unwrap().contains("more than 10"),
        "{body}"
    );
    let (_, mine) = call(
        &server,
        Method::GET,
        Some(&alice),
        "/api/v1/featured_tags",
        Value::Null,
    )
    .await;
    assert_eq!(mine.as_array().unwrap().len(), 10, "nothing written");

    let (_, tag) = call(
        &server,
        Method::POST,
        Some(&alice),
        "/api/v1/tags/wool/unfeature",
        Value::Null,
    )
    .await;
    assert_eq!(tag["featuring"], false);
    let id = featured["id"].as_str().unwrap();
    let (status, body) = call(
        &server,
        Method::DELETE,
        Some(&alice),
        &format!("/api/v1/featured_tags/{id}"),
        Value::Null,
    )
    .await;
    assert_eq!((status, body), (StatusCode::OK, json!({})));
    let (status, _) = call(
        &server,
        Method::DELETE,
        Some(&alice),
        &format!("/api/v1/featured_tags/{id}"),
        Value::Null,
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (bob, _) = account(&server, "bob").await;
    let (_, mine) = call(
        &server,
        Method::GET,
        Some(&alice),
        "/api/v1/featured_tags",
        Value::Null,
    )
    .await;
    let other = mine[0]["id"].as_str().unwrap();
    let (status, _) = call(
        &server,
        Method::DELETE,
        Some(&bob),
        &format!("/api/v1/featured_tags/{other}"),
        Value::Null,
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND, "another's featured tag");
    let (status, _) = call(
        &server,
        Method::GET,
        None,
        "/api/v1/featured_tags",
        Value::Null,
    )
    .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    server.stop().await;
}

#[tokio::test]
async fn endorsements_need_a_follow_and_end_with_it() {
    let instance = TestInstance::new().await;
    let server = instance.start().await;
    let (alice, alice_id) = account(&server, "alice").await;
    let (_, bob_id) = account(&server, "bob").await;
    let (_, carol_id) = account(&server, "carol").await;
    let (status, body) = call(
        &server,
        Method::POST,
        Some(&alice),
        &format!("/api/v1/accounts/{bob_id}/pin"),
        Value::Null,
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        body["error"],
        "Validation failed: You must be already following the person you want to endorse"
    );
    for id in [&bob_id, &carol_id] {
        call(
            &server,
            Method::POST,
            Some(&alice),
            &format!("/api/v1/accounts/{id}/follow"),
            Value::Null,
        )
        .await;
    }
    let (status, relationship) = call(
        &server,
        Method::POST,
        Some(&alice),
        &format!("/api/v1/accounts/{bob_id}/pin"),
        Value::Null,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(relationship["endorsed"], true);
    let (_, relationship) = call(
        &server,
        Method::POST,
        Some(&alice),
        &format!("/api/v1/accounts/{carol_id}/endorse"),
        Value::Null,
    )
    .await;
    assert_eq!(relationship["endorsed"], true);

    let (_, own) = call(
        &server,
        Method::GET,
        Some(&alice),
        "/api/v1/endorsements?limit=1",
        Value::Null,
    )
    .await;
    assert_eq!(own[0]["id"], carol_id.as_str(), "newest first");
    let (_, public) = call(
        &server,
        Method::GET,
        None,
        &format!("/api/v1/accounts/{alice_id}/endorsements"),
        Value::Null,
    )
    .await;
    let ids: Vec<&str> = public
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, [carol_id.as_str(), bob_id.as_str()]);

    let (_, relationship) = call(
        &server,
        Method::POST,
        Some(&alice),
        &format!("/api/v1/accounts/{carol_id}/unendorse"),
        Value::Null,
    )
    .await;
    assert_eq!(relationship["endorsed"], false);
    call(
        &server,
        Method::POST,
        Some(&alice),
        &format!("/api/v1/accounts/{bob_id}/unfollow"),
        Value::Null,
    )
    .await;
    let (_, relationships) = call(
        &server,
        Method::GET,
        Some(&alice),
        &format!("/api/v1/accounts/relationships?id[]={bob_id}"),
        Value::Null,
    )
    .await;
    assert_eq!(
        relationships[0]["endorsed"], false,
        "unfollowing ends the endorsement"
    );
    let (_, own) = call(
        &server,
        Method::GET,
        Some(&alice),
        "/api/v1/endorsements",
        Value::Null,
    )
    .await;
    assert_eq!(own, json!([]));
    let (status, _) = call(
        &server,
        Method::POST,
        Some(&alice),
        "/api/v1/accounts/999999/pin",
        Value::Null,
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    server.stop().await;
}
