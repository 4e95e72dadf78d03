//! Discovery without an algorithm: follow suggestions (friends of friends, the operator's
//! recommendations, the server's most followed and interacted with), on real servers.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::fediverse::{Node, User, WAIT};
use common::{TestInstance, eventually};
use serde_json::{Value, json};

/// `PATCH /api/v1/accounts/update_credentials` with `changes`.
async fn update_credentials(user: &User, changes: Value) {
    let response = common::http()
        .patch(format!("{}/api/v1/accounts/update_credentials", user.base))
        .bearer_auth(&user.token)
        .json(&changes)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
}

async fn follow(user: &User, target: &User) {
    user.post(&format!("/api/v1/accounts/{}/follow", target.id), json!({}))
        .await;
}

/// `user`'s suggestions as (username, sources).
async fn suggested(user: &User) -> Vec<(String, Vec<String>)> {
    user.get_ok("/api/v2/suggestions")
        .await
        .as_array()
        .unwrap()
        .iter()
        .map(|suggestion| {
            (
                suggestion["account"]["acct"].as_str().unwrap().to_owned(),
                suggestion["sources"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|source| source.as_str().unwrap().to_owned())
                    .collect(),
            )
        })
        .collect()
}

fn named(list: &[(&str, &[&str])]) -> Vec<(String, Vec<String>)> {
    list.iter()
        .map(|(name, sources)| {
            (
                (*name).to_owned(),
                sources.iter().map(|source| (*source).to_owned()).collect(),
            )
        })
        .collect()
}

#[tokio::test]
async fn suggestions_are_friends_of_friends_and_the_servers_favourites_without_anyone_left_out() {
    let instance = TestInstance::new().await;
    let server = instance
        .start_on_own_domain_with(|settings| {
            settings.rate_limit_requests = 0;
            settings.recommended_accounts = vec!["zoe".into()];
        })
        .await;
    let a = Node { instance, server };
    let b = Node::start().await;

    let me = a.user("me").await;
    let friends = [a.user("f1").await, a.user("f2").await, a.user("f3").await];
    let others = [a.user("p1").await, a.user("p2").await];
    let [xavier, yann, zoe, wendy, remy] = [
        a.user("xavier").await,
        a.user("yann").await,
        a.user("zoe").await,
        a.user("wendy").await,
        a.user("remy").await,
    ];
    // Followed by every friend, and each left out for its own reason.
    let [
        blocked,
        muted,
        blocker,
        hidden,
        suspended,
        dismissed,
        locked,
    ] = [
        a.user("blocked").await,
        a.user("muted").await,
        a.user("blocker").await,
        a.user("hidden").await,
        a.user("suspended").await,
        a.user("dismissed").await,
        a.user("locked").await,
    ];
    for friend in &friends {
        follow(&me, friend).await;
        follow(friend, &xavier).await;
        for excluded in [
            &blocked, &muted, &blocker, &hidden, &suspended, &dismissed, &locked,
        ] {
            follow(friend, excluded).await;
        }
    }
    follow(&friends[0], &yann).await;
    follow(&friends[1], &yann).await;
    follow(&friends[0], &zoe).await;
    follow(&friends[1], &wendy).await;
    for other in &others {
        // Five follows by members: xavier is among the most followed; wendy is more followed
        // than remy, who comes first among friends of one friend.
        follow(other, &xavier).await;
        follow(other, &wendy).await;
    }
    // A friend on another server follows remy.
    let friend_there = b.user("faraway").await;
    me.follow_and_wait(&friend_there.handle).await;
    friend_there.follow_and_wait(&remy.handle).await;
    // Five favourites of one of yann's posts: among the most interacted with.
    let post = yann
        .post("/api/v1/statuses", json!({"status": "Worth a star"}))
        .await;
    for fan in friends.iter().chain(&others) {
        fan.post(
            &format!(
                "/api/v1/statuses/{}/favourite",
                post["id"].as_str().unwrap()
            ),
            json!({}),
        )
        .await;
    }

    me.post(&format!("/api/v1/accounts/{}/block", blocked.id), json!({}))
        .await;
    me.post(&format!("/api/v1/accounts/{}/mute", muted.id), json!({}))
        .await;
    blocker
        .post(&format!("/api/v1/accounts/{}/block", me.id), json!({}))
        .await;
    update_credentials(&hidden, json!({"discoverable": false})).await;
    a.instance
        .cli_ok(&["admin", "account", "suspend", "suspended"])
        .await;
    update_credentials(&locked, json!({"locked": true})).await;
    follow(&me, &locked).await;

    // The operator's pick first, then friends of friends by how many friends follow them (the
    // less followed first among equals), with every source that applies.
    // The server's favourites are computed by a job the first request asks for.
    eventually(
        WAIT,
        "the server's favourites among the suggestions",
        || async {
            let now = suggested(&me).await;
            (now.iter().any(|(name, sources)| {
                name == "xavier" && sources.contains(&"most_followed".to_owned())
            }) && now.iter().any(|(name, sources)| {
                name == "yann" && sources.contains(&"most_interactions".to_owned())
            }))
            .then_some(())
        },
    )
    .await;
    // `dismissed` ties with xavier on three friends; it has fewer followers, so comes first.
    assert_eq!(
        suggested(&me).await,
        named(&[
            ("zoe", &["featured", "friends_of_friends"]),
            ("dismissed", &["friends_of_friends"]),
            ("xavier", &["friends_of_friends", "most_followed"]),
            ("yann", &["friends_of_friends", "most_interactions"]),
            ("remy", &["friends_of_friends"]),
            ("wendy", &["friends_of_friends"]),
        ])
    );
    me.delete(&format!("/api/v1/suggestions/{}", dismissed.id))
        .await;
    assert_eq!(
        suggested(&me).await,
        named(&[
            ("zoe", &["featured", "friends_of_friends"]),
            ("xavier", &["friends_of_friends", "most_followed"]),
            ("yann", &["friends_of_friends", "most_interactions"]),
            ("remy", &["friends_of_friends"]),
            ("wendy", &["friends_of_friends"]),
        ])
    );
    // The older shape: the accounts alone, and Mastodon's single `source`.
    let v1 = me.get_ok("/api/v1/suggestions?limit=2").await;
    let v1: Vec<_> = v1
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["acct"].clone())
        .collect();
    assert_eq!(v1, [json!("zoe"), json!("xavier")]);
    let v2 = me.get_ok("/api/v2/suggestions?limit=1&offset=1").await;
    assert_eq!(v2[0]["source"], "past_interactions");
    assert_eq!(v2[0]["account"]["acct"], "xavier");
    // Following one removes it at once; a newcomer following nobody gets the server's
    // favourites and the operator's pick.
    follow(&me, &xavier).await;
    assert!(
        !suggested(&me)
            .await
            .iter()
            .any(|(name, _)| name == "xavier")
    );
    let newcomer = a.user("newcomer").await;
    assert_eq!(
        suggested(&newcomer).await,
        named(&[
            ("zoe", &["featured"]),
            ("xavier", &["most_followed"]),
            ("yann", &["most_interactions"]),
        ])
    );
    // Dismissing what is no account, or no id at all, is accepted and changes nothing.
    for id in ["999999", "abc"] {
        newcomer.delete(&format!("/api/v1/suggestions/{id}")).await;
    }
    let (status, _) = me.get("/api/v2/suggestions?limit=abc").await;
    assert_eq!(status, 200);
}
