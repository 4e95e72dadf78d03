//! User-level domain blocks through the client API (`methods/domain_blocks.md`): listing,
//! blocking and unblocking with the parameter in a form, JSON or the query string, the pages,
//! the refusals (which write nothing), the scopes, and the effects of a block on timelines,
//! notifications, follows and relationships.
//!
//! Accounts of other servers cannot arrive by federation yet; the tests store them (and their
//! statuses) with the same `Woolly` methods the inbox will call.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::time::Duration;

use common::{TestInstance, TestServer, account, eventually, http, remote_account, remote_status};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use woolly_core::Domain;
use woolly_core::relations::FollowOptions;
use woolly_core::visibility::Visibility;
use woolly_store::StatusRelation;

async fn call(
    server: &TestServer,
    token: Option<&str>,
    method: Method,
    path: &str,
    body: Option<Value>,
) -> (StatusCode, Value, Option<String>) {
    server
        .call_with_link(method, path, token, body.unwrap_or(Value::Null))
        .await
}

async fn get(server: &TestServer, token: Option<&str>, path: &str) -> (StatusCode, Value) {
    let (code, body, _) = call(server, token, Method::GET, path, None).await;
    (code, body)
}

async fn post(server: &TestServer, token: &str, path: &str, body: Value) -> (StatusCode, Value) {
    let (code, body, _) = call(server, Some(token), Method::POST, path, Some(body)).await;
    (code, body)
}

async fn blocked_domains(server: &TestServer, token: &str) -> Value {
    let (code, domains) = get(server, Some(token), "/api/v1/domain_blocks").await;
    assert_eq!(code, StatusCode::OK, "{domains}");
    domains
}

async fn block(server: &TestServer, token: &str, domain: &str) {
    let (code, body) = post(
        server,
        token,
        "/api/v1/domain_blocks",
        json!({"domain": domain}),
    )
    .await;
    assert_eq!((code, body), (StatusCode::OK, json!({})));
}

fn ids(statuses: &Value) -> Vec<String> {
    statuses
        .as_array()
        .unwrap_or_else(|| panic!("an array: {statuses}"))
        .iter()
        .map(|status| status["id"].as_str().unwrap().to_owned())
        .collect()
}

fn error(message: &str) -> Value {
    json!({"error": message})
}

#[tokio::test]
async fn domains_are_blocked_listed_and_unblocked() {
    let instance = TestInstance::new().await;
    let server = instance.start().await;
    let (alice, _) = account(&server, "alice").await;
    let (bob, _) = account(&server, "bob").await;
    assert_eq!(blocked_domains(&server, &alice).await, json!([]));

    // masto.js sends JSON, Mastodon.py a form; some clients put it in the query string.
    block(&server, &alice, "Spam.Example").await;
    let response = http()
        .post(server.url("/api/v1/domain_blocks"))
        .bearer_auth(&alice)
        .form(&[("domain", "https://bücher.example/")])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.json::<Value>().await.unwrap(), json!({}));
    let (code, body, _) = call(
        &server,
        Some(&alice),
        Method::POST,
        "/api/v1/domain_blocks?domain=other.example",
        None,
    )
    .await;
    assert_eq!((code, body), (StatusCode::OK, json!({})));
    // Normalized as Mastodon stores them (lower-case, punycode), newest block first.
    let expected = json!(["other.example", "xn--bcher-kva.example", "spam.example"]);
    assert_eq!(blocked_domains(&server, &alice).await, expected);

    // Blocking again is fine and changes nothing; others' blocks are their own.
    block(&server, &alice, "spam.example").await;
    block(&server, &alice, "SPAM.EXAMPLE.").await;
    assert_eq!(blocked_domains(&server, &alice).await, expected);
    assert_eq!(blocked_domains(&server, &bob).await, json!([]));

    let (code, body, _) = call(
        &server,
        Some(&alice),
        Method::DELETE,
        "/api/v1/domain_blocks?domain=SPAM.example",
        None,
    )
    .await;
    assert_eq!((code, body), (StatusCode::OK, json!({})));
    let response = http()
        .delete(server.url("/api/v1/domain_blocks"))
        .bearer_auth(&alice)
        .form(&[("domain", "bücher.example")])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(
        blocked_domains(&server, &alice).await,
        json!(["other.example"])
    );
    // Unblocking a domain that is not blocked succeeds, as in Mastodon.
    let (code, body, _) = call(
        &server,
        Some(&alice),
        Method::DELETE,
        "/api/v1/domain_blocks",
        Some(json!({"domain": "never-blocked.example"})),
    )
    .await;
    assert_eq!((code, body), (StatusCode::OK, json!({})));
    assert_eq!(
        blocked_domains(&server, &alice).await,
        json!(["other.example"])
    );
}

#[tokio::test]
async fn bad_domains_are_refused_and_nothing_is_written() {
    let instance = TestInstance::new().await;
    let server = instance.start().await;
    let (alice, _) = account(&server, "alice").await;
    block(&server, &alice, "kept.example").await;

    let blank = error("Validation failed: Domain can't be blank");
    let invalid = error("Validation failed: Domain is not a valid domain name");
    for method in [Method::POST, Method::DELETE] {
        for (body, expected) in [
            (json!({}), &blank),
            (json!({"domain": ""}), &blank),
            (json!({"domain": "   "}), &blank),
            (json!({"domain": "not a domain"}), &invalid),
            (json!({"domain": "exa_mple..org"}), &invalid),
            (json!({"domain": "@alice@spam.example"}), &invalid),
        ] {
            let (code, answer, _) = call(
                &server,
                Some(&alice),
                method.clone(),
                "/api/v1/domain_blocks",
                Some(body.clone()),
            )
            .await;
            assert_eq!(code, StatusCode::UNPROCESSABLE_ENTITY, "{method} {body}");
            assert_eq!(&answer, expected, "{method} {body}");
        }
        // A body that is not a string at all.
        let (code, answer, _) = call(
            &server,
            Some(&alice),
            method.clone(),
            "/api/v1/domain_blocks",
            Some(json!({"domain": ["spam.example"]})),
        )
        .await;
        assert_eq!(code, StatusCode::UNPROCESSABLE_ENTITY, "{answer}");
        assert!(answer["error"].is_string(), "{answer}");
    }
    assert_eq!(
        blocked_domains(&server, &alice).await,
        json!(["kept.example"])
    );
}

#[tokio::test]
async fn the_list_pages_on_the_blocks_with_link_headers() {
    let instance = TestInstance::new().await;
    let server = instance.start().await;
    let (alice, alice_id) = account(&server, "alice").await;
    let actor = server
        .woolly
        .accounts()
        .account(alice_id.parse().unwrap())
        .await
        .unwrap()
        .unwrap();
    // More than one default page and more than the largest one: the rate limit is for people.
    let mut domains = Vec::new();
    for n in 0..205 {
        let domain = format!("d{n:03}.example");
        let parsed = Domain::normalize(&domain).unwrap();
        server
            .woolly
            .relations()
            .block_domain(&actor, &parsed)
            .await
            .unwrap();
        domains.push(domain);
    }
    let newest_first: Vec<Value> = domains.iter().rev().map(|d| json!(d)).collect();

    let (code, page, _) = call(
        &server,
        Some(&alice),
        Method::GET,
        "/api/v1/domain_blocks",
        None,
    )
    .await;
    assert_eq!(code, StatusCode::OK);
    assert_eq!(
        page.as_array().unwrap().len(),
        100,
        "Mastodon's default limit"
    );
    assert_eq!(page.as_array().unwrap()[..], newest_first[..100]);
    let (_, page, _) = call(
        &server,
        Some(&alice),
        Method::GET,
        "/api/v1/domain_blocks?limit=500",
        None,
    )
    .await;
    assert_eq!(page.as_array().unwrap().len(), 200, "capped at 200");

    // Walk the whole list two at a time by the `next` links, then back by a `prev` link.
    let mut seen: Vec<Value> = Vec::new();
    let mut path = "/api/v1/domain_blocks?limit=2".to_owned();
    loop {
        let (code, page, link) = call(&server, Some(&alice), Method::GET, &path, None).await;
        assert_eq!(code, StatusCode::OK, "{page}");
        let items = page.as_array().unwrap().clone();
        if items.is_empty() {
            break;
        }
        assert!(items.len() <= 2);
        seen.extend(items);
        let link = link.expect("a Link header on a non-empty page");
        assert!(link.contains("limit=2"), "{link}");
        path = link_target(&link, "next");
    }
    assert_eq!(seen, newest_first);

    // From the second page, `prev` leads back to the first.
    let (_, second, link) = call(
        &server,
        Some(&alice),
        Method::GET,
        "/api/v1/domain_blocks?limit=2&max_id=0",
        None,
    )
    .await;
    assert_eq!(second, json!([]), "nothing is older than id 0");
    assert!(link.is_none());
    let (_, first, link) = call(
        &server,
        Some(&alice),
        Method::GET,
        "/api/v1/domain_blocks?limit=2",
        None,
    )
    .await;
    let (_, second, second_link) = call(
        &server,
        Some(&alice),
        Method::GET,
        &link_target(&link.unwrap(), "next"),
        None,
    )
    .await;
    assert_eq!(second.as_array().unwrap()[..], newest_first[2..4]);
    let (_, back, _) = call(
        &server,
        Some(&alice),
        Method::GET,
        &link_target(&second_link.unwrap(), "prev"),
        None,
    )
    .await;
    assert_eq!(back, first);
}

/// The path and query of the link with relation `rel` in a `Link` header.
fn link_target(link: &str, rel: &str) -> String {
    let part = link
        .split(", ")
        .find(|part| part.ends_with(&format!("rel=\"{rel}\"")))
        .unwrap_or_else(|| panic!("no {rel} in {link}"));
    let url = part
        .trim_start_matches('<')
        .split('>')
        .next()
        .unwrap()
        .to_owned();
    let path_start = url.find("/api/").unwrap();
    url[path_start..].to_owned()
}

#[tokio::test]
async fn the_endpoints_need_a_user_token_with_the_blocks_scopes() {
    let instance = TestInstance::new().await;
    let server = instance.start().await;
    let (alice, _) = account(&server, "alice").await;
    let read = instance.token("alice", "read").await;
    let read_blocks = instance.token("alice", "read:blocks").await;
    let write_blocks = instance.token("alice", "write:blocks").await;
    let write = instance.token("alice", "write").await;
    let follow = instance.token("alice", "follow").await;
    let statuses_only = instance
        .token("alice", "read:statuses write:statuses")
        .await;

    let (code, body) = get(&server, None, "/api/v1/domain_blocks").await;
    assert_eq!(code, StatusCode::UNAUTHORIZED);
    assert_eq!(body, error("The access token is invalid"));
    let (code, _, _) = call(
        &server,
        None,
        Method::POST,
        "/api/v1/domain_blocks",
        Some(json!({"domain": "spam.example"})),
    )
    .await;
    assert_eq!(code, StatusCode::UNAUTHORIZED);

    let missing = error("This action is outside the authorized scopes");
    for token in [&read, &read_blocks, &follow] {
        assert_eq!(
            get(&server, Some(token), "/api/v1/domain_blocks").await.0,
            StatusCode::OK
        );
    }
    for token in [&write_blocks, &write, &statuses_only] {
        assert_eq!(
            get(&server, Some(token), "/api/v1/domain_blocks").await,
            (StatusCode::FORBIDDEN, missing.clone())
        );
    }
    for method in [Method::POST, Method::DELETE] {
        for token in [&read, &read_blocks, &statuses_only] {
            let (code, body, _) = call(
                &server,
                Some(token),
                method.clone(),
                "/api/v1/domain_blocks",
                Some(json!({"domain": "refused.example"})),
            )
            .await;
            assert_eq!((code, body), (StatusCode::FORBIDDEN, missing.clone()));
        }
    }
    assert_eq!(blocked_domains(&server, &alice).await, json!([]));
    for (token, domain) in [
        (&write_blocks, "one.example"),
        (&write, "two.example"),
        (&follow, "three.example"),
    ] {
        block(&server, token, domain).await;
    }
    assert_eq!(
        blocked_domains(&server, &alice).await,
        json!(["three.example", "two.example", "one.example"])
    );
}

#[tokio::test]
async fn a_blocked_domain_leaves_the_blockers_timelines() {
    let instance = TestInstance::new().await;
    let server = instance.start().await;
    let (alice, _) = account(&server, "alice").await;
    let (bob, bob_id) = account(&server, "bob").await;
    let (carol, _) = account(&server, "carol").await;
    let spammer = remote_account(&server, "spammer", "spam.example").await;
    let friend = remote_account(&server, "friend", "good.example").await;
    let spam = remote_status(
        &server,
        &spammer,
        "Buy now #deals",
        Visibility::Public,
        None,
    )
    .await;
    let good = remote_status(&server, &friend, "Honest #deals", Visibility::Public, None).await;

    // Alice follows Bob and keeps him on a list; Bob reblogs the spam and the good post.
    let (code, _) = post(
        &server,
        &alice,
        &format!("/api/v1/accounts/{bob_id}/follow"),
        json!({}),
    )
    .await;
    assert_eq!(code, StatusCode::OK);
    let (_, list) = post(&server, &alice, "/api/v1/lists", json!({"title": "Bob"})).await;
    let list_id = list["id"].as_str().unwrap().to_owned();
    let (code, _) = post(
        &server,
        &alice,
        &format!("/api/v1/lists/{list_id}/accounts"),
        json!({"account_ids": [bob_id]}),
    )
    .await;
    assert_eq!(code, StatusCode::OK);
    let (_, spam_reblog) = post(
        &server,
        &bob,
        &format!("/api/v1/statuses/{spam}/reblog"),
        json!({}),
    )
    .await;
    let spam_reblog = spam_reblog["id"].as_str().unwrap().to_owned();
    let (_, good_reblog) = post(
        &server,
        &bob,
        &format!("/api/v1/statuses/{good}/reblog"),
        json!({}),
    )
    .await;
    let good_reblog = good_reblog["id"].as_str().unwrap().to_owned();

    let home = "/api/v1/timelines/home";
    let list_path = format!("/api/v1/timelines/list/{list_id}");
    let timelines = [
        "/api/v1/timelines/public",
        "/api/v1/timelines/public?remote=true",
        "/api/v1/timelines/tag/deals",
    ];
    eventually(
        Duration::from_secs(15),
        "both reblogs in Alice's home",
        || async {
            let (_, statuses) = get(&server, Some(&alice), home).await;
            (ids(&statuses) == [good_reblog.clone(), spam_reblog.clone()]).then_some(())
        },
    )
    .await;
    assert_eq!(
        ids(&get(&server, Some(&alice), &list_path).await.1),
        [good_reblog.clone(), spam_reblog.clone()]
    );
    for path in timelines {
        assert_eq!(
            ids(&get(&server, Some(&alice), path).await.1),
            [good.clone(), spam.clone()],
            "{path}"
        );
    }

    block(&server, &alice, "spam.example").await;
    assert_eq!(
        ids(&get(&server, Some(&alice), home).await.1),
        vec![good_reblog.clone()]
    );
    assert_eq!(
        ids(&get(&server, Some(&alice), &list_path).await.1),
        vec![good_reblog.clone()]
    );
    for path in timelines {
        assert_eq!(
            ids(&get(&server, Some(&alice), path).await.1),
            vec![good.clone()],
            "{path}"
        );
    }
    // Only the blocker's timelines change; the status itself stays readable, as in Mastodon.
    for path in timelines {
        assert_eq!(
            ids(&get(&server, Some(&carol), path).await.1),
            [good.clone(), spam.clone()],
            "{path}"
        );
        assert_eq!(
            ids(&get(&server, None, path).await.1),
            [good.clone(), spam.clone()],
            "{path}"
        );
    }
    let (code, status) = get(&server, Some(&alice), &format!("/api/v1/statuses/{spam}")).await;
    assert_eq!(code, StatusCode::OK, "{status}");
    assert_eq!(status["account"]["acct"], "spammer@spam.example");

    // A new post from the domain stays out too.
    let later = remote_status(&server, &spammer, "More #deals", Visibility::Public, None).await;
    assert_eq!(
        ids(&get(&server, Some(&carol), "/api/v1/timelines/tag/deals")
            .await
            .1),
        [later.clone(), good.clone(), spam.clone()]
    );
    assert_eq!(
        ids(&get(&server, Some(&alice), "/api/v1/timelines/tag/deals")
            .await
            .1),
        vec![good.clone()]
    );

    let (code, _, _) = call(
        &server,
        Some(&alice),
        Method::DELETE,
        "/api/v1/domain_blocks",
        Some(json!({"domain": "spam.example"})),
    )
    .await;
    assert_eq!(code, StatusCode::OK);
    assert_eq!(
        ids(&get(&server, Some(&alice), "/api/v1/timelines/public")
            .await
            .1),
        [later, good, spam]
    );
    assert_eq!(
        ids(&get(&server, Some(&alice), home).await.1),
        [good_reblog, spam_reblog]
    );
}

#[tokio::test]
async fn a_blocked_domain_loses_its_follows_notifications_and_new_notifications() {
    let instance = TestInstance::new().await;
    let server = instance.start().await;
    let (alice, alice_id) = account(&server, "alice").await;
    let alice_account = server
        .woolly
        .accounts()
        .account(alice_id.parse().unwrap())
        .await
        .unwrap()
        .unwrap();
    let follower = remote_account(&server, "follower", "spam.example").await;
    let followed = remote_account(&server, "followed", "Spam.Example").await;
    let requester = remote_account(&server, "requester", "spam.example").await;
    let friend = remote_account(&server, "friend", "good.example").await;
    assert_eq!(followed.domain.as_deref(), Some("spam.example"));
    // The same username on the same domain, however spelled, is the same account.
    assert_eq!(
        remote_account(&server, "Follower", "SPAM.example").await.id,
        follower.id
    );

    // A remote follower, a followed remote account, then (Alice locked) a follow request.
    server
        .woolly
        .relations()
        .follow(&follower, alice_account.id, FollowOptions::default())
        .await
        .unwrap();
    server
        .woolly
        .relations()
        .follow(&friend, alice_account.id, FollowOptions::default())
        .await
        .unwrap();
    let (code, relationship) = post(
        &server,
        &alice,
        &format!("/api/v1/accounts/{}/follow", followed.id),
        json!({}),
    )
    .await;
    assert_eq!(code, StatusCode::OK);
    // A remote follow waits for the other server's Accept, which is simulated here.
    assert_eq!(relationship["requested"], true);
    assert!(
        server
            .woolly
            .federation()
            .remote_follow_accepted(&followed, alice_account.id)
            .await
            .unwrap()
    );
    let response = http()
        .patch(server.url("/api/v1/accounts/update_credentials"))
        .bearer_auth(&alice)
        .json(&json!({"locked": true}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    server
        .woolly
        .relations()
        .follow(&requester, alice_account.id, FollowOptions::default())
        .await
        .unwrap();
    let (_, status) = post(
        &server,
        &alice,
        "/api/v1/statuses",
        json!({"status": "Hello"}),
    )
    .await;
    let status_id: i64 = status["id"].as_str().unwrap().parse().unwrap();
    for actor in [&follower, &friend] {
        server
            .woolly
            .statuses()
            .add_status_relation(actor, StatusRelation::Favourite, status_id)
            .await
            .unwrap();
    }
    remote_status(&server, &follower, "@alice hi", Visibility::Public, None).await;

    let notifications = |token: String| {
        let server = &server;
        async move {
            let (code, list) = get(server, Some(&token), "/api/v1/notifications").await;
            assert_eq!(code, StatusCode::OK);
            list.as_array()
                .unwrap()
                .iter()
                .map(|n| {
                    format!(
                        "{} {}",
                        n["type"].as_str().unwrap(),
                        n["account"]["acct"].as_str().unwrap()
                    )
                })
                .collect::<Vec<_>>()
        }
    };
    assert_eq!(
        notifications(alice.clone()).await,
        [
            "mention follower@spam.example",
            "favourite friend@good.example",
            "favourite follower@spam.example",
            "follow_request requester@spam.example",
            "follow friend@good.example",
            "follow follower@spam.example",
        ]
    );
    let relationships = |token: String| {
        let server = &server;
        let path = format!(
            "/api/v1/accounts/relationships?id[]={}&id[]={}&id[]={}&id[]={}",
            follower.id, followed.id, requester.id, friend.id
        );
        async move {
            let (code, list) = get(server, Some(&token), &path).await;
            assert_eq!(code, StatusCode::OK, "{list}");
            list
        }
    };
    let before = relationships(alice.clone()).await;
    assert_eq!(before[0]["followed_by"], true);
    assert_eq!(before[1]["following"], true);
    assert_eq!(before[2]["requested_by"], true);
    for relationship in before.as_array().unwrap() {
        assert_eq!(relationship["domain_blocking"], false);
    }
    let (_, me) = get(&server, Some(&alice), "/api/v1/accounts/verify_credentials").await;
    assert_eq!(
        (me["followers_count"].clone(), me["following_count"].clone()),
        (json!(2), json!(1))
    );

    block(&server, &alice, "spam.example").await;

    let after = relationships(alice.clone()).await;
    for (relationship, blocked) in after
        .as_array()
        .unwrap()
        .iter()
        .zip([true, true, true, false])
    {
        assert_eq!(relationship["domain_blocking"], blocked, "{relationship}");
        assert_eq!(relationship["following"], false, "{relationship}");
        assert_eq!(relationship["requested_by"], false, "{relationship}");
        // Nothing else in the relationship is a block or a mute.
        assert_eq!(relationship["blocking"], false, "{relationship}");
        assert_eq!(relationship["muting"], false, "{relationship}");
    }
    assert_eq!(after[0]["followed_by"], false);
    assert_eq!(
        after[3]["followed_by"], true,
        "other domains keep following"
    );
    let (_, me) = get(&server, Some(&alice), "/api/v1/accounts/verify_credentials").await;
    assert_eq!(
        (me["followers_count"].clone(), me["following_count"].clone()),
        (json!(1), json!(0))
    );
    assert_eq!(
        get(&server, Some(&alice), "/api/v1/follow_requests")
            .await
            .1,
        json!([])
    );
    assert_eq!(
        notifications(alice.clone()).await,
        [
            "favourite friend@good.example",
            "follow friend@good.example"
        ]
    );

    // From now on the domain's interactions notify nobody, and Alice cannot follow it.
    server
        .woolly
        .statuses()
        .remove_status_relation(&follower, StatusRelation::Favourite, status_id)
        .await
        .unwrap();
    server
        .woolly
        .statuses()
        .add_status_relation(&follower, StatusRelation::Favourite, status_id)
        .await
        .unwrap();
    remote_status(&server, &followed, "@alice again", Visibility::Public, None).await;
    let (_, status) = get(
        &server,
        Some(&alice),
        &format!("/api/v1/statuses/{status_id}"),
    )
    .await;
    assert_eq!(status["favourites_count"], 2, "the favourite itself counts");
    assert_eq!(
        notifications(alice.clone()).await,
        [
            "favourite friend@good.example",
            "follow friend@good.example"
        ]
    );
    let (code, body) = post(
        &server,
        &alice,
        &format!("/api/v1/accounts/{}/follow", followed.id),
        json!({}),
    )
    .await;
    assert_eq!(
        (code, body),
        (StatusCode::FORBIDDEN, error("This action is not allowed"))
    );
    assert_eq!(relationships(alice.clone()).await[1]["following"], false);
    // Nor can the domain's accounts follow Alice (the inbox will answer with a `Reject`).
    let refused = server
        .woolly
        .relations()
        .follow(&follower, alice_account.id, FollowOptions::default())
        .await;
    assert!(
        matches!(refused, Err(woolly_core::CoreError::Forbidden(_))),
        "{refused:?}"
    );
    assert_eq!(relationships(alice.clone()).await[0]["followed_by"], false);

    // Unblocking lifts the block, not what it ended.
    let (code, _, _) = call(
        &server,
        Some(&alice),
        Method::DELETE,
        "/api/v1/domain_blocks",
        Some(json!({"domain": "spam.example"})),
    )
    .await;
    assert_eq!(code, StatusCode::OK);
    let lifted = relationships(alice.clone()).await;
    assert_eq!(lifted[0]["domain_blocking"], false);
    assert_eq!(lifted[0]["followed_by"], false);
    assert_eq!(lifted[1]["following"], false);
    let (code, relationship) = post(
        &server,
        &alice,
        &format!("/api/v1/accounts/{}/follow", followed.id),
        json!({}),
    )
    .await;
    assert_eq!(code, StatusCode::OK);
    assert_eq!(
        relationship["requested"], true,
        "following again is allowed"
    );
}

#[tokio::test]
async fn the_public_stream_leaves_out_a_blocked_domain() {
    use futures_util::StreamExt as _;
    use tokio_tungstenite::tungstenite::Message;

    let instance = TestInstance::new().await;
    let server = instance.start().await;
    let (alice, _) = account(&server, "alice").await;
    let spammer = remote_account(&server, "spammer", "spam.example").await;
    let friend = remote_account(&server, "friend", "good.example").await;
    block(&server, &alice, "spam.example").await;
    let url = format!(
        "{}/api/v1/streaming?stream=public&access_token={alice}",
        server.base_url.replace("http://", "ws://")
    );
    let (mut socket, _) = tokio_tungstenite::connect_async(url).await.unwrap();

    // Events reach a subscriber in order: the first update is the later, allowed status.
    remote_status(&server, &spammer, "Spam", Visibility::Public, None).await;
    let good = remote_status(&server, &friend, "Good", Visibility::Public, None).await;
    let update = tokio::time::timeout(Duration::from_secs(15), async {
        loop {
            if let Message::Text(text) = socket.next().await.unwrap().unwrap() {
                let message: Value = serde_json::from_str(&text).unwrap();
                if message["event"] == "update" {
                    return message;
                }
            }
        }
    })
    .await
    .expect("an update");
    let payload: Value = serde_json::from_str(update["payload"].as_str().unwrap()).unwrap();
    assert_eq!(payload["id"], good.as_str());
}
