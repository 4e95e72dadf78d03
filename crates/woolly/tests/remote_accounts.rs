//! Accounts of other servers as the client API shows them: their own links and images, and
//! the counts of their posts and follows, as federation stores them.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::gotosocial::GtsPeer;
use common::{TestInstance, account, http, remote_account};
use serde_json::Value;

#[tokio::test]
async fn a_remote_account_shows_its_actors_links() {
    let instance = TestInstance::new().await;
    let server = instance.start().await;
    let remote = remote_account(&server, "Bob", "Social.Example").await;
    let account: Value = http()
        .get(server.url(&format!("/api/v1/accounts/{}", remote.id)))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(account["acct"], "Bob@social.example");
    assert_eq!(account["url"], "https://social.example/@Bob");
    assert_eq!(account["uri"], "https://social.example/users/Bob");
    assert!(
        account["avatar"]
            .as_str()
            .unwrap()
            .ends_with("/avatars/original/missing.png"),
        "no image given: the default one"
    );
    let looked_up: Value = http()
        .get(server.url("/api/v1/accounts/lookup?acct=bob@social.example"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(looked_up["id"], account["id"]);
    server.stop().await;
}

/// Servers that stored another Woolly's instance actor under its old username (the domain,
/// `127.0.0.1:PORT`) find it again by its id when they refresh it, and rename it rather than
/// trip over the id they already hold.
#[tokio::test]
async fn an_instance_actor_stored_under_its_old_name_is_renamed_on_refresh() {
    let a_instance = TestInstance::new().await;
    let a = a_instance.start_on_own_domain().await;
    let b_instance = TestInstance::new().await;
    let b = b_instance.start_on_own_domain().await;
    let b_domain = b.base_url.trim_start_matches("http://").to_owned();
    let b_actor = format!("{}/actor", b.base_url);
    let old = a
        .woolly
        .federation()
        .store_remote_account(woolly_core::remote::RemoteAccount {
            username: b_domain.clone(),
            domain: woolly_core::Domain::normalize(&b_domain).unwrap(),
            display_name: String::new(),
            note: String::new(),
            note_html: None,
            locked: true,
            bot: true,
            discoverable: false,
            indexable: false,
            public_key_pem: String::new(),
            fields: Vec::new(),
            emojis: Vec::new(),
            counts: Default::default(),
            suspended: false,
            moves: Default::default(),
            actor: woolly_core::accounts::ActorLinks {
                uri: Some(b_actor.clone()),
                ..Default::default()
            },
        })
        .await
        .unwrap();

    let federation = woolly_federation::Federation::new(&a.woolly).unwrap();
    let refreshed = federation.fetch_actor(&a.woolly, &b_actor).await.unwrap();
    assert_eq!(refreshed.id, old.id);
    assert_eq!(refreshed.username, "mastodon.internal");
    let account: Value = http()
        .get(a.url(&format!("/api/v1/accounts/{}", old.id)))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(account["acct"], format!("mastodon.internal@{b_domain}"));
    a.stop().await;
    b.stop().await;
}

/// A GoToSocial account found by its handle shows the posts and followers its server counts
/// (the `totalItems` of its outbox and followers), not the none this server has seen; the
/// follows it hides stay unknown, 0, without failing the lookup.
#[tokio::test]
async fn a_gotosocial_account_shows_what_its_collections_count() {
    let peer = GtsPeer::start().await;
    let instance = TestInstance::new().await;
    let server = instance.start_on_own_domain().await;
    let (token, _) = account(&server, "alice").await;
    let found: Value = http()
        .get(server.url("/api/v2/search"))
        .query(&[
            ("q", format!("@{}", peer.handle()).as_str()),
            ("resolve", "true"),
            ("type", "accounts"),
        ])
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let turtle = &found["accounts"][0];
    assert_eq!(turtle["acct"], peer.handle(), "{found}");
    assert_eq!(turtle["statuses_count"], 7);
    assert_eq!(turtle["followers_count"], 3);
    assert_eq!(turtle["following_count"], 0);

    // A refresh takes the new counts; one no longer given keeps the last one known.
    let mut outbox = peer.fixture("outbox.json");
    outbox["totalItems"] = 8.into();
    peer.answer(
        "/users/1happyturtle/outbox",
        axum::http::StatusCode::OK,
        &outbox.to_string(),
    );
    peer.answer(
        "/users/1happyturtle/followers",
        axum::http::StatusCode::INTERNAL_SERVER_ERROR,
        "{}",
    );
    let federation = woolly_federation::Federation::new(&server.woolly).unwrap();
    federation
        .fetch_actor(&server.woolly, &peer.actor())
        .await
        .unwrap();
    let refreshed: Value = http()
        .get(server.url(&format!(
            "/api/v1/accounts/{}",
            turtle["id"].as_str().unwrap()
        )))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(refreshed["statuses_count"], 8);
    assert_eq!(refreshed["followers_count"], 3);
    server.stop().await;
}
