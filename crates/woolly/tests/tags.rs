//! Hashtags to follow (and their posts in the home timeline), account notes, familiar followers.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::time::Duration;

use common::{TestInstance, account, eventually, http};
use reqwest::StatusCode;
use serde_json::{Value, json};

#[tokio::test]
async fn a_followed_hashtag_brings_public_posts_into_the_home_timeline() {
    let instance = TestInstance::new().await;
    let server = instance.start().await;
    let (alice, _) = account(&server, "alice").await;
    let (bob, _) = account(&server, "bob").await;
    let followed: Value = http()
        .post(server.url("/api/v1/tags/Knitting/follow"))
        .bearer_auth(&bob)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(followed["name"], "knitting");
    assert_eq!(followed["following"], true);
    assert_eq!(followed["history"].as_array().unwrap().len(), 7);
    let list: Value = http()
        .get(server.url("/api/v1/followed_tags"))
        .bearer_auth(&bob)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(list[0]["name"], "knitting");

    let public: Value = http()
        .post(server.url("/api/v1/statuses"))
        .bearer_auth(&alice)
        .json(&json!({"status": "new #knitting pattern"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    http()
        .post(server.url("/api/v1/statuses"))
        .bearer_auth(&alice)
        .json(&json!({"status": "unlisted #knitting", "visibility": "unlisted"}))
        .send()
        .await
        .unwrap();
    // Each post has its own fan-out job, run in no particular order: once both have run, the
    // unlisted one had its chance to arrive too.
    common::jobs_idle(&server).await;
    let home = eventually(
        Duration::from_secs(20),
        "the tagged post in bob's home",
        || async {
            let home = common::home_timeline(&server, &bob).await?;
            (!home.is_empty()).then_some(Value::Array(home))
        },
    )
    .await;
    assert_eq!(
        home.as_array().unwrap().len(),
        1,
        "only the public one: {home}"
    );
    assert_eq!(home[0]["id"], public["id"]);

    let tag: Value = http()
        .get(server.url("/api/v1/tags/knitting"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(
        tag.get("following").is_none(),
        "anonymous viewers get no following field"
    );
    // Today's, or yesterday's and today's when the test runs across midnight UTC.
    assert_eq!(common::history_total(&tag["history"], "uses"), 2, "{tag}");
    let unfollowed: Value = http()
        .post(server.url("/api/v1/tags/knitting/unfollow"))
        .bearer_auth(&bob)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(unfollowed["following"], false);
    let response = http()
        .get(server.url("/api/v1/tags/not%20a%20tag"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    server.stop().await;
}

#[tokio::test]
async fn notes_and_familiar_followers() {
    let instance = TestInstance::new().await;
    let server = instance.start().await;
    let (alice, _) = account(&server, "alice").await;
    let (bob, bob_id) = account(&server, "bob").await;
    let (carol, carol_id) = account(&server, "carol").await;
    let relationship: Value = http()
        .post(server.url(&format!("/api/v1/accounts/{bob_id}/note")))
        .bearer_auth(&alice)
        .form(&[("comment", "met at the knitting club")])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(relationship["note"], "met at the knitting club");
    let relationships: Value = http()
        .get(server.url(&format!("/api/v1/accounts/relationships?id[]={bob_id}")))
        .bearer_auth(&alice)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(relationships[0]["note"], "met at the knitting club");
    let relationships: Value = http()
        .get(server.url(&format!("/api/v1/accounts/relationships?id[]={bob_id}")))
        .bearer_auth(&carol)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(relationships[0]["note"], "", "notes are private");

    // Alice follows bob, bob follows carol: bob is a familiar follower of carol for alice.
    http()
        .post(server.url(&format!("/api/v1/accounts/{bob_id}/follow")))
        .bearer_auth(&alice)
        .send()
        .await
        .unwrap();
    http()
        .post(server.url(&format!("/api/v1/accounts/{carol_id}/follow")))
        .bearer_auth(&bob)
        .send()
        .await
        .unwrap();
    let familiar: Value = http()
        .get(server.url(&format!(
            "/api/v1/accounts/familiar_followers?id[]={carol_id}"
        )))
        .bearer_auth(&alice)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(familiar[0]["id"], carol_id.as_str());
    assert_eq!(familiar[0]["accounts"][0]["id"], bob_id.as_str());
    let _ = carol;
    server.stop().await;
}

#[tokio::test]
async fn the_tag_timeline_selects_with_any_all_and_none() {
    let instance = TestInstance::new().await;
    let server = instance.start().await;
    let (alice, _) = account(&server, "alice").await;
    let client = http();
    let mut posted = std::collections::HashMap::new();
    for (key, text, visibility) in [
        ("wool", "spinning #Wool", "public"),
        ("wool_knit", "#wool and #knitting", "public"),
        ("knit", "just #knitting", "public"),
        ("wool_dye", "#wool #dyeing", "public"),
        ("unlisted", "quiet #wool", "unlisted"),
        ("private", "followers #wool", "private"),
    ] {
        let status: Value = client
            .post(server.url("/api/v1/statuses"))
            .bearer_auth(&alice)
            .json(&json!({"status": text, "visibility": visibility}))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        posted.insert(status["id"].as_str().unwrap().to_owned(), key);
    }
    let timeline = |query: &'static str| {
        let client = client.clone();
        let url = server.url(&format!("/api/v1/timelines/tag/{query}"));
        let posted = posted.clone();
        async move {
            let response = client.get(url).send().await.unwrap();
            assert_eq!(response.status(), StatusCode::OK, "{query}");
            let statuses: Value = response.json().await.unwrap();
            statuses
                .as_array()
                .unwrap()
                .iter()
                .map(|status| posted[status["id"].as_str().unwrap()])
                .collect::<Vec<_>>()
        }
    };
    assert_eq!(
        timeline("WOOL").await,
        ["wool_dye", "wool_knit", "wool"],
        "public only, newest first, names compared case-insensitively"
    );
    assert_eq!(
        timeline("wool?any[]=knitting").await,
        ["wool_dye", "knit", "wool_knit", "wool"]
    );
    assert_eq!(timeline("wool?all[]=knitting").await, ["wool_knit"]);
    assert_eq!(
        timeline("wool?none[]=knitting&none[]=dyeing").await,
        ["wool"]
    );
    assert_eq!(
        timeline("wool?any[]=%23Knitting&none[]=wool").await,
        ["knit"],
        "none wins over any"
    );
    assert!(timeline("wool?all[]=nothing").await.is_empty());
    assert_eq!(timeline("wool?limit=1&local=true").await, ["wool_dye"]);
    assert!(timeline("unused").await.is_empty());
    server.stop().await;
}
