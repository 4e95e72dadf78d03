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

/// A staff member of `node` as a [`User`].
async fn staff(node: &Node, name: &str, role: &str) -> User {
    let (token, id) = common::staff_account(&node.server, name, role).await;
    User {
        base: node.server.base_url.clone(),
        token,
        id,
        handle: format!("{name}@{}", node.domain()),
    }
}

/// Posts `text` publicly in English, with `extra` fields; returns the status id.
async fn post(user: &User, text: &str, extra: Value) -> String {
    let mut body = json!({"status": text, "language": "en", "visibility": "public"});
    body.as_object_mut()
        .unwrap()
        .extend(extra.as_object().unwrap().clone());
    user.post("/api/v1/statuses", body).await["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

fn names(list: &Value, field: &str) -> Vec<String> {
    list.as_array()
        .unwrap()
        .iter()
        .map(|item| item[field].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn what_trends_waits_for_moderators_and_what_may_not_trend_never_does() {
    let a = Node::start().await;
    let users = [
        a.user("u1").await,
        a.user("u2").await,
        a.user("u3").await,
        a.user("u4").await,
        a.user("u5").await,
    ];
    let hidden = a.user("hidden").await;
    update_credentials(&hidden, json!({"discoverable": false})).await;
    let moderator = staff(&a, "mod", "moderator").await;

    // #rustlang: four authors who may trend, one who may not, and an unlisted use are not
    // enough; the fifth public author is.
    for user in &users[..4] {
        post(user, "Learning #rustlang", json!({})).await;
    }
    post(&hidden, "Me too #rustlang", json!({})).await;
    post(
        &users[4],
        "Quietly #rustlang",
        json!({"visibility": "unlisted"}),
    )
    .await;
    for user in &users {
        post(
            user,
            "Among friends #quiet",
            json!({"visibility": "private"}),
        )
        .await;
    }
    // #almost: the same four, the same account that may not trend, the same unlisted use,
    // and no fifth.
    for user in &users[..4] {
        post(user, "Nearly #almost", json!({})).await;
    }
    post(&hidden, "Nearly #almost", json!({})).await;
    post(
        &users[4],
        "Nearly #almost",
        json!({"visibility": "unlisted"}),
    )
    .await;
    post(&users[4], "Finally #rustlang", json!({})).await;

    // Posts: u1's two favourited posts (only the better one may trend), a reply and a
    // sensitive post favourited as much, which never trend.
    let first = post(&users[0], "Big news", json!({})).await;
    let better = post(&users[0], "Bigger news", json!({})).await;
    let reply = post(&users[1], "Indeed", json!({"in_reply_to_id": first})).await;
    let sensitive = post(&users[2], "Careful", json!({"sensitive": true})).await;
    let warned = post(&users[3], "Spoilers", json!({"spoiler_text": "the end"})).await;
    for (index, fan) in users.iter().chain([&hidden, &moderator]).enumerate() {
        for id in [&first, &reply, &sensitive, &warned] {
            if index < 5 {
                fan.post(&format!("/api/v1/statuses/{id}/favourite"), json!({}))
                    .await;
            }
        }
        fan.post(&format!("/api/v1/statuses/{better}/favourite"), json!({}))
            .await;
    }

    // Nothing is shown before review; moderators see what waits.
    let (status, shown) = users[0].get("/api/v1/trends/tags").await;
    assert_eq!((status, shown), (200, json!([])));
    let waiting = eventually(WAIT, "trending hashtags to review", || async {
        let listed = moderator.get_ok("/api/v1/admin/trends/tags").await;
        (!listed.as_array().unwrap().is_empty()).then_some(listed)
    })
    .await;
    assert_eq!(names(&waiting, "name"), ["rustlang"]);
    assert_eq!(waiting[0]["requires_review"], true);
    assert_eq!(waiting[0]["trendable"], false);
    let statuses = moderator.get_ok("/api/v1/admin/trends/statuses").await;
    assert_eq!(names(&statuses, "id"), [better.clone(), first.clone()]);
    assert_eq!(statuses[0]["requires_review"], true);
    assert_eq!(users[0].get_ok("/api/v1/trends/statuses").await, json!([]));

    // Members may not review.
    let (status, _) = users[0].get("/api/v1/admin/trends/tags").await;
    assert_eq!(status, 403);

    let tag_id = waiting[0]["id"].as_str().unwrap();
    let approved = moderator
        .post(
            &format!("/api/v1/admin/trends/tags/{tag_id}/approve"),
            json!({}),
        )
        .await;
    assert_eq!(
        (
            approved["trendable"].clone(),
            approved["requires_review"].clone()
        ),
        (json!(true), json!(false))
    );
    let trending = users[0].get_ok("/api/v1/trends/tags").await;
    assert_eq!(names(&trending, "name"), ["rustlang"]);
    let today = &trending[0]["history"][0];
    assert_eq!(
        (today["uses"].clone(), today["accounts"].clone()),
        (json!("7"), json!("6"))
    );
    assert_eq!(trending[0]["following"], false);
    // The old path answers the same.
    assert_eq!(users[0].get_ok("/api/v1/trends").await, trending);

    for id in [&first, &better] {
        moderator
            .post(
                &format!("/api/v1/admin/trends/statuses/{id}/approve"),
                json!({}),
            )
            .await;
    }
    // One post per author: the better one.
    let trending = users[1].get_ok("/api/v1/trends/statuses").await;
    assert_eq!(names(&trending, "id"), [better.as_str()]);
    // Rejected, it makes way for the author's other post; a blocked author is left out.
    moderator
        .post(
            &format!("/api/v1/admin/trends/statuses/{better}/reject"),
            json!({}),
        )
        .await;
    assert_eq!(
        names(&users[1].get_ok("/api/v1/trends/statuses").await, "id"),
        [first.as_str()]
    );
    users[1]
        .post(
            &format!("/api/v1/accounts/{}/block", users[0].id),
            json!({}),
        )
        .await;
    assert_eq!(users[1].get_ok("/api/v1/trends/statuses").await, json!([]));
    moderator
        .post(
            &format!("/api/v1/admin/trends/tags/{tag_id}/reject"),
            json!({}),
        )
        .await;
    assert_eq!(users[0].get_ok("/api/v1/trends/tags").await, json!([]));
}

#[tokio::test]
async fn trends_are_empty_when_the_server_turns_them_off_and_shown_at_once_when_trusted() {
    let instance = TestInstance::new().await;
    let server = instance
        .start_on_own_domain_with(|settings| {
            settings.rate_limit_requests = 0;
            settings.trends = false;
        })
        .await;
    let off = Node { instance, server };
    let instance = TestInstance::new().await;
    let server = instance
        .start_on_own_domain_with(|settings| {
            settings.rate_limit_requests = 0;
            settings.trendable_by_default = true;
        })
        .await;
    let trusted = Node { instance, server };
    for node in [&off, &trusted] {
        let mut users = Vec::new();
        for index in 0..6 {
            users.push(node.user(&format!("user{index}")).await);
        }
        let popular = post(&users[0], "Hello #fediverse", json!({})).await;
        for user in &users[1..] {
            post(user, "Hello #fediverse", json!({})).await;
            user.post(&format!("/api/v1/statuses/{popular}/favourite"), json!({}))
                .await;
        }
    }
    let user = off.user("reader").await;
    for path in [
        "/api/v1/trends/tags",
        "/api/v1/trends/statuses",
        "/api/v1/trends/links",
    ] {
        let response = common::http()
            .get(format!("{}{path}", user.base))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200);
        assert!(response.headers().get("link").is_none());
        assert_eq!(response.json::<Value>().await.unwrap(), json!([]));
    }
    let reader = trusted.user("reader").await;
    let tags = eventually(WAIT, "trends shown without review", || async {
        let tags = reader.get_ok("/api/v1/trends/tags?limit=1").await;
        (!tags.as_array().unwrap().is_empty()).then_some(tags)
    })
    .await;
    assert_eq!(names(&tags, "name"), ["fediverse"]);
    let statuses = reader.get_ok("/api/v1/trends/statuses").await;
    assert_eq!(statuses.as_array().unwrap().len(), 1);
    // Anonymous readers see them too, and a full page links to the next one.
    let response = common::http()
        .get(format!("{}/api/v1/trends/tags?limit=1", reader.base))
        .send()
        .await
        .unwrap();
    let link = response.headers()["link"].to_str().unwrap().to_owned();
    assert!(
        link.contains("offset=1") && link.contains("rel=\"next\""),
        "{link}"
    );
}
