//! Federation between real Woolly instances: two (or three) servers started by the test, each
//! on its own `127.0.0.1:PORT` domain over plain HTTP with private addresses allowed, talking
//! ActivityPub to each other. Everything is checked through the client API on the other side.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::fediverse::{Node, User, WAIT};
use common::{TestInstance, eventually, http};
use serde_json::{Value, json};

#[tokio::test]
async fn two_servers_follow_post_reply_like_boost_vote_edit_delete_and_unfollow_both_ways() {
    let a = Node::start().await;
    let b = Node::start().await;
    let alice = a.user("alice").await;
    let bob = b.user("bob").await;
    // alice@A reads and answers bob@B, then bob@B reads and answers alice@A.
    follow_and_interact(&alice, &bob).await;
    follow_and_interact(&bob, &alice).await;
    a.server.stop().await;
    b.server.stop().await;
}

/// `reader` follows `author` on another server; the author posts (text, then a poll and a
/// multiple-choice poll); the reader likes, boosts, replies (with and without a mention),
/// takes the like and boost back and votes; the author edits and deletes; the reader
/// unfollows. Each step is checked through the client API on the other side.
async fn follow_and_interact(reader: &User, author: &User) {
    // the reader finds the author through WebFinger and follows him; author's server accepts.
    let author_here = reader.follow_and_wait(&author.handle).await;
    let followers = author
        .get_ok(&format!("/api/v1/accounts/{}/followers", author.id))
        .await;
    assert_eq!(followers[0]["acct"], reader.handle, "{followers}");
    author.wait_notification("follow", &reader.handle).await;

    // author posts; it reaches reader's home timeline, as his.
    let post = author
        .post(
            "/api/v1/statuses",
            json!({"status": format!("Hello from {} #woolly", author.handle), "visibility": "public"}),
        )
        .await;
    let seen = reader
        .wait_home(&format!("Hello from {}", author.handle))
        .await;
    assert_eq!(seen["account"]["acct"], author.handle);
    assert_eq!(seen["account"]["id"], author_here);
    assert_eq!(seen["uri"], post["uri"]);
    assert_eq!(seen["visibility"], "public");
    assert_eq!(seen["tags"][0]["name"], "woolly");
    let remote_id = seen["id"].as_str().unwrap().to_owned();

    // reader likes, boosts and replies; author sees each on his server.
    reader
        .post(
            &format!("/api/v1/statuses/{remote_id}/favourite"),
            json!({}),
        )
        .await;
    reader
        .post(&format!("/api/v1/statuses/{remote_id}/reblog"), json!({}))
        .await;
    let reply = reader
        .post(
            "/api/v1/statuses",
            json!({"status": format!("@{} nice to meet you", author.handle), "in_reply_to_id": remote_id}),
        )
        .await;
    assert_eq!(reply["mentions"][0]["acct"], author.handle, "{reply}");
    author.wait_notification("favourite", &reader.handle).await;
    author.wait_notification("reblog", &reader.handle).await;
    let mention = author.wait_notification("mention", &reader.handle).await;
    assert!(
        mention["status"]["content"]
            .as_str()
            .unwrap()
            .contains("nice to meet you")
    );
    let post_id = post["id"].as_str().unwrap();
    let counts = author.get_ok(&format!("/api/v1/statuses/{post_id}")).await;
    assert_eq!(counts["favourites_count"], 1, "{counts}");
    assert_eq!(counts["reblogs_count"], 1, "{counts}");
    let context = author
        .get_ok(&format!("/api/v1/statuses/{post_id}/context"))
        .await;
    assert_eq!(context["descendants"][0]["account"]["acct"], reader.handle);

    // A reply without a mention reaches the author it answers too.
    reader
        .post(
            "/api/v1/statuses",
            json!({"status": "and without mentioning you", "in_reply_to_id": remote_id}),
        )
        .await;
    eventually(WAIT, "the unmentioning reply on B", || async {
        let context = author
            .get_ok(&format!("/api/v1/statuses/{post_id}/context"))
            .await;
        context["descendants"]
            .as_array()?
            .iter()
            .any(|reply| {
                reply["content"]
                    .as_str()
                    .is_some_and(|content| content.contains("without mentioning"))
            })
            .then_some(())
    })
    .await;

    // reader takes the like and the boost back.
    reader
        .post(
            &format!("/api/v1/statuses/{remote_id}/unfavourite"),
            json!({}),
        )
        .await;
    reader
        .post(&format!("/api/v1/statuses/{remote_id}/unreblog"), json!({}))
        .await;
    eventually(WAIT, "the like and boost undone on B", || async {
        let status = author.get_ok(&format!("/api/v1/statuses/{post_id}")).await;
        (status["favourites_count"] == 0 && status["reblogs_count"] == 0).then_some(())
    })
    .await;

    // author edits, then deletes; reader's server follows.
    author
        .put(
            &format!("/api/v1/statuses/{post_id}"),
            json!({"status": "Hello from B, edited"}),
        )
        .await;
    eventually(WAIT, "the edit on A", || async {
        let (_, status) = reader.get(&format!("/api/v1/statuses/{remote_id}")).await;
        (status["content"].as_str()?.contains("edited") && !status["edited_at"].is_null())
            .then_some(())
    })
    .await;
    author.delete(&format!("/api/v1/statuses/{post_id}")).await;
    eventually(WAIT, "the deletion on A", || async {
        let (status, _) = reader.get(&format!("/api/v1/statuses/{remote_id}")).await;
        (status == 404).then_some(())
    })
    .await;

    // A poll: reader votes from A, author's server counts it and sends the new tallies back.
    let poll_post = author
        .post(
            "/api/v1/statuses",
            json!({"status": &format!("Tea or coffee, {}?", author.handle), "poll": {"options": ["tea", "coffee"], "expires_in": 3600}}),
        )
        .await;
    let poll_seen = reader
        .wait_home(&format!("Tea or coffee, {}?", author.handle))
        .await;
    assert_eq!(
        poll_seen["poll"]["options"][1]["title"], "coffee",
        "{poll_seen}"
    );
    let poll_id = poll_seen["poll"]["id"].as_str().unwrap().to_owned();
    let voted = reader
        .post(
            &format!("/api/v1/polls/{poll_id}/votes"),
            json!({"choices": ["1"]}),
        )
        .await;
    assert_eq!(voted["voted"], true);
    let poll_there = poll_post["poll"]["id"].as_str().unwrap().to_owned();
    eventually(WAIT, "the vote counted on B", || async {
        let poll = author.get_ok(&format!("/api/v1/polls/{poll_there}")).await;
        (poll["options"][1]["votes_count"] == 1 && poll["votes_count"] == 1).then_some(())
    })
    .await;
    let tallied = eventually(WAIT, "the new tallies on A", || async {
        let (_, status) = reader
            .get(&format!("/api/v1/statuses/{}", poll_seen["id"].as_str()?))
            .await;
        (status["poll"]["options"][1]["votes_count"] == 1).then_some(status)
    })
    .await;
    assert_eq!(tallied["edited_at"], Value::Null, "new tallies are no edit");

    // Several choices arrive one per activity and still count one voter.
    let multiple = author
        .post(
            "/api/v1/statuses",
            json!({"status": &format!("Pick any, {}", author.handle), "poll": {"options": ["a", "b", "c"], "expires_in": 3600, "multiple": true}}),
        )
        .await;
    let multiple_seen = reader
        .wait_home(&format!("Pick any, {}", author.handle))
        .await;
    let multiple_poll_seen = multiple_seen["poll"]["id"].as_str().unwrap().to_owned();
    reader
        .post(
            &format!("/api/v1/polls/{multiple_poll_seen}/votes"),
            json!({"choices": ["0", "2"]}),
        )
        .await;
    let multiple_poll = multiple["poll"]["id"].as_str().unwrap().to_owned();
    eventually(WAIT, "both choices counted on B", || async {
        let poll = author
            .get_ok(&format!("/api/v1/polls/{multiple_poll}"))
            .await;
        (poll["votes_count"] == 2).then_some(poll)
    })
    .await;
    let poll = author
        .get_ok(&format!("/api/v1/polls/{multiple_poll}"))
        .await;
    assert_eq!(poll["voters_count"], 1, "{poll}");
    assert_eq!(poll["options"][0]["votes_count"], 1);
    assert_eq!(poll["options"][2]["votes_count"], 1);

    // Unfollows reach the other side.
    reader
        .post(
            &format!("/api/v1/accounts/{author_here}/unfollow"),
            json!({}),
        )
        .await;
    eventually(WAIT, "reader gone from author's followers", || async {
        let followers = author
            .get_ok(&format!("/api/v1/accounts/{}/followers", author.id))
            .await;
        followers.as_array()?.is_empty().then_some(())
    })
    .await;
}

#[tokio::test]
async fn locked_accounts_approve_remote_followers_and_private_posts_reach_only_their_audience() {
    let a = Node::start().await;
    let b = Node::start().await;
    let alice = a.user("alice").await;
    let carol = a.user("carol").await;
    let bob = b.user("bob").await;
    let response = http()
        .patch(format!("{}/api/v1/accounts/update_credentials", bob.base))
        .bearer_auth(&bob.token)
        .json(&json!({"locked": true}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);

    // alice asks; the request waits on B until bob authorizes it.
    let bob_on_a = alice.resolve(&bob.handle).await;
    let relationship = alice
        .post(&format!("/api/v1/accounts/{bob_on_a}/follow"), json!({}))
        .await;
    assert_eq!(relationship["requested"], true, "{relationship}");
    let request = eventually(WAIT, "the follow request on B", || async {
        bob.get_ok("/api/v1/follow_requests")
            .await
            .as_array()?
            .first()
            .cloned()
    })
    .await;
    assert_eq!(request["acct"], alice.handle);
    assert_eq!(alice.relationship(&bob_on_a).await["following"], false);
    let alice_on_b = request["id"].as_str().unwrap().to_owned();
    bob.post(
        &format!("/api/v1/follow_requests/{alice_on_b}/authorize"),
        json!({}),
    )
    .await;
    eventually(WAIT, "the authorization on A", || async {
        (alice.relationship(&bob_on_a).await["following"] == true).then_some(())
    })
    .await;

    // A followers-only post reaches alice (a follower), not carol on the same server.
    bob.post(
        "/api/v1/statuses",
        json!({"status": "for my followers only", "visibility": "private"}),
    )
    .await;
    let private = alice.wait_home("for my followers only").await;
    assert_eq!(private["visibility"], "private");
    let private_id = private["id"].as_str().unwrap();
    let (status, _) = carol.get(&format!("/api/v1/statuses/{private_id}")).await;
    assert_eq!(status, 404, "carol must not see a followers-only post");
    let (status, _) = http()
        .get(format!(
            "{}/api/v1/statuses/{private_id}",
            a.server.base_url
        ))
        .send()
        .await
        .map(|response| (response.status().as_u16(), ()))
        .unwrap();
    assert_eq!(status, 404, "nor may anonymous readers");

    // A direct message to carol reaches carol alone.
    let carol_on_b = bob.resolve(&carol.handle).await;
    assert!(!carol_on_b.is_empty());
    bob.post(
        "/api/v1/statuses",
        json!({"status": format!("@{} a secret", carol.handle), "visibility": "direct"}),
    )
    .await;
    // Carol does not follow bob: his private mention waits as a request (Mastodon's default
    // policy) until she accepts it.
    let request = eventually(WAIT, "bob's request", || async {
        carol
            .get_ok("/api/v1/notifications/requests")
            .await
            .as_array()?
            .first()
            .cloned()
    })
    .await;
    assert_eq!(request["account"]["acct"], bob.handle.as_str(), "{request}");
    assert!(carol.notifications("mention").await.is_empty());
    carol
        .post(
            &format!(
                "/api/v1/notifications/requests/{}/accept",
                request["id"].as_str().unwrap()
            ),
            json!({}),
        )
        .await;
    let dm = carol.wait_notification("mention", &bob.handle).await;
    assert_eq!(dm["status"]["visibility"], "direct");
    let dm_id = dm["status"]["id"].as_str().unwrap();
    let (status, _) = alice.get(&format!("/api/v1/statuses/{dm_id}")).await;
    assert_eq!(status, 404, "alice must not see carol's direct message");
    assert!(alice.notifications("mention").await.is_empty());

    a.server.stop().await;
    b.server.stop().await;
}

/// A GET of `url` signed by the local account `username` of `signer` (its key, its key id).
async fn signed_get(signer: &Node, username: &str, url: &str) -> reqwest::Response {
    let account = signer
        .server
        .woolly
        .accounts()
        .local_account(username)
        .await
        .unwrap()
        .unwrap();
    let key = signer
        .server
        .woolly
        .federation()
        .account_private_key(account.id)
        .await
        .unwrap()
        .unwrap();
    let parsed = reqwest::Url::parse(url).unwrap();
    let host = format!("{}:{}", parsed.host_str().unwrap(), parsed.port().unwrap());
    let accept = "application/activity+json";
    let headers = woolly_federation::signatures::sign(
        &woolly_federation::signatures::Outgoing {
            method: "GET",
            path_and_query: parsed.path(),
            host: &host,
            body: None,
            extra: &[("accept", accept)],
        },
        &format!("{}/users/{username}#main-key", signer.server.base_url),
        &key,
        time::OffsetDateTime::now_utc(),
    )
    .unwrap();
    let mut request = http().get(url).header("Accept", accept);
    for (name, value) in headers {
        request = request.header(name, value);
    }
    request.send().await.unwrap()
}

#[tokio::test]
async fn signed_fetches_read_as_their_signer_and_authorized_fetch_refuses_unsigned_ones() {
    let a_instance = TestInstance::new().await;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let settings = woolly::Settings {
        listen: address,
        domain: address.to_string(),
        authorized_fetch: true,
        ..a_instance.settings()
    };
    let app = woolly::App::build_with_listener(settings, listener)
        .await
        .unwrap();
    let stop = app.stop_handle();
    let woolly = app.woolly().clone();
    let task = tokio::spawn(app.run_until_stopped());
    let a_base = format!("http://{address}");
    let b = Node::start().await;
    let bob = b.user("bob").await;
    let _carol = b.user("carol").await;
    let (alice_token, _) = {
        let token = a_instance
            .account_with_token("alice", "read write follow")
            .await;
        (token, ())
    };
    let alice = User {
        base: a_base.clone(),
        token: alice_token,
        id: String::new(),
        handle: format!("alice@{address}"),
    };
    let _ = woolly;

    // Unsigned reads of actors are refused; the instance actor stays readable, so that others
    // can check its signatures.
    let unsigned = http()
        .get(format!("{a_base}/users/alice"))
        .header("Accept", "application/activity+json")
        .send()
        .await
        .unwrap();
    assert_eq!(unsigned.status(), 401);
    let instance_actor = http()
        .get(format!("{a_base}/actor"))
        .header("Accept", "application/activity+json")
        .send()
        .await
        .unwrap();
    assert_eq!(instance_actor.status(), 200);

    // Federation still works: B signs what it fetches.
    bob.follow_and_wait(&alice.handle).await;
    let post = alice
        .post(
            "/api/v1/statuses",
            json!({"status": "followers only, fetched", "visibility": "private"}),
        )
        .await;
    bob.wait_home("followers only, fetched").await;

    // The note itself: for bob's signature (a follower) yes, for carol's no, unsigned never.
    let uri = post["uri"].as_str().unwrap();
    let as_bob = signed_get(&b, "bob", uri).await;
    assert_eq!(as_bob.status(), 200);
    let note: Value = as_bob.json().await.unwrap();
    assert!(note["content"].as_str().unwrap().contains("followers only"));
    assert_eq!(signed_get(&b, "carol", uri).await.status(), 404);
    let unsigned = http()
        .get(uri)
        .header("Accept", "application/activity+json")
        .send()
        .await
        .unwrap();
    assert_eq!(unsigned.status(), 401);

    stop.cancel();
    task.await.unwrap().unwrap();
    b.server.stop().await;
}

#[tokio::test]
async fn a_block_ends_follows_on_both_servers_and_an_unblock_lifts_it() {
    let a = Node::start().await;
    let b = Node::start().await;
    let alice = a.user("alice").await;
    let bob = b.user("bob").await;
    let bob_on_a = alice.follow_and_wait(&bob.handle).await;
    let alice_on_b = bob.follow_and_wait(&alice.handle).await;

    bob.post(&format!("/api/v1/accounts/{alice_on_b}/block"), json!({}))
        .await;
    eventually(WAIT, "the block known on A", || async {
        let relationship = alice.relationship(&bob_on_a).await;
        (relationship["blocked_by"] == true
            && relationship["following"] == false
            && relationship["followed_by"] == false)
            .then_some(())
    })
    .await;
    let followers = bob
        .get_ok(&format!("/api/v1/accounts/{}/followers", bob.id))
        .await;
    assert_eq!(followers, json!([]));
    // alice may no longer follow bob.
    let response = http()
        .post(format!("{}/api/v1/accounts/{bob_on_a}/follow", alice.base))
        .bearer_auth(&alice.token)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 403);

    bob.post(&format!("/api/v1/accounts/{alice_on_b}/unblock"), json!({}))
        .await;
    eventually(WAIT, "the unblock known on A", || async {
        (alice.relationship(&bob_on_a).await["blocked_by"] == false).then_some(())
    })
    .await;
    a.server.stop().await;
    b.server.stop().await;
}

#[tokio::test]
async fn media_content_warnings_and_hashtags_arrive_with_their_details() {
    let a = Node::start().await;
    let b = Node::start().await;
    let alice = a.user("alice").await;
    let bob = b.user("bob").await;
    alice.follow_and_wait(&bob.handle).await;

    let image = image::RgbImage::from_fn(40, 20, |x, _| {
        image::Rgb([if x < 20 { 220 } else { 10 }, 80, 40])
    });
    let mut png = Vec::new();
    image::DynamicImage::ImageRgb8(image)
        .write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
        .unwrap();
    let form = reqwest::multipart::Form::new()
        .part(
            "file",
            reqwest::multipart::Part::bytes(png)
                .file_name("red.png")
                .mime_str("image/png")
                .unwrap(),
        )
        .text("description", "a red and brown flag")
        .text("focus", "0.5,-0.25");
    let uploaded: Value = http()
        .post(format!("{}/api/v2/media", bob.base))
        .bearer_auth(&bob.token)
        .multipart(form)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let media_id = uploaded["id"].as_str().unwrap();
    let posted = bob
        .post(
            "/api/v1/statuses",
            json!({
                "status": "Look #flags",
                "spoiler_text": "colours & <b>shapes</b>",
                "sensitive": true,
                "media_ids": [media_id],
            }),
        )
        .await;

    let on_a = alice.wait_home("Look").await;
    // Written with its markup escaped, read back as the same plain text.
    assert_eq!(on_a["spoiler_text"], "colours & <b>shapes</b>");
    assert_eq!(on_a["sensitive"], true);
    assert_eq!(on_a["tags"][0]["name"], "flags");
    let media = &on_a["media_attachments"][0];
    assert_eq!(media["type"], "image", "{on_a}");
    assert_eq!(media["description"], "a red and brown flag");
    assert_eq!(media["url"], posted["media_attachments"][0]["url"]);
    assert_eq!(media["remote_url"], posted["media_attachments"][0]["url"]);
    assert_eq!(
        media["blurhash"],
        posted["media_attachments"][0]["blurhash"]
    );
    assert_eq!(media["meta"]["focus"]["x"], 0.5);
    assert_eq!(media["meta"]["focus"]["y"], -0.25);
    let only_media = alice
        .get_ok("/api/v1/timelines/public?only_media=true")
        .await;
    assert_eq!(only_media[0]["id"], on_a["id"]);
    a.server.stop().await;
    b.server.stop().await;
}

#[tokio::test]
async fn profile_updates_and_pins_reach_followers() {
    let a = Node::start().await;
    let b = Node::start().await;
    let alice = a.user("alice").await;
    let bob = b.user("bob").await;
    let bob_on_a = alice.follow_and_wait(&bob.handle).await;

    let response = http()
        .patch(format!("{}/api/v1/accounts/update_credentials", bob.base))
        .bearer_auth(&bob.token)
        .json(&json!({"display_name": "Bob the Builder", "note": "I build #things"}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let updated = eventually(WAIT, "the new profile on A", || async {
        let account = alice.get_ok(&format!("/api/v1/accounts/{bob_on_a}")).await;
        (account["display_name"] == "Bob the Builder").then_some(account)
    })
    .await;
    assert!(updated["note"].as_str().unwrap().contains("I build"));

    let post = bob
        .post("/api/v1/statuses", json!({"status": "pin me"}))
        .await;
    alice.wait_home("pin me").await;
    let post_id = post["id"].as_str().unwrap();
    bob.post(&format!("/api/v1/statuses/{post_id}/pin"), json!({}))
        .await;
    let pinned_path = format!("/api/v1/accounts/{bob_on_a}/statuses?pinned=true");
    eventually(WAIT, "the pin on A", || async {
        let pinned = alice.get_ok(&pinned_path).await;
        (pinned[0]["content"].as_str()?.contains("pin me")).then_some(())
    })
    .await;
    bob.post(&format!("/api/v1/statuses/{post_id}/unpin"), json!({}))
        .await;
    eventually(WAIT, "the unpin on A", || async {
        alice
            .get_ok(&pinned_path)
            .await
            .as_array()?
            .is_empty()
            .then_some(())
    })
    .await;
    a.server.stop().await;
    b.server.stop().await;
}

#[tokio::test]
async fn the_dashboard_names_the_software_of_servers_this_one_knows() {
    let a = Node::start().await;
    let b = Node::start().await;
    let (admin_token, _) = common::staff_account(&a.server, "root", "admin").await;
    let admin = User {
        base: a.server.base_url.clone(),
        token: admin_token,
        id: String::new(),
        handle: format!("root@{}", a.domain()),
    };
    let today = woolly_http::time::date(woolly_core::now_millis());
    let software = || async {
        let dimensions = admin
            .post(
                "/api/v1/admin/dimensions",
                json!({"keys": ["server_software"], "start_at": today, "end_at": today}),
            )
            .await;
        assert_eq!(dimensions[0]["key"], "server_software", "{dimensions}");
        dimensions[0]["data"]
            .as_array()
            .cloned()
            .unwrap_or_default()
    };
    // Nobody of another server is known yet.
    assert!(software().await.is_empty());

    let bob = b.user("bob").await;
    admin.resolve(&bob.handle).await;
    // Storing bob had B asked for its NodeInfo, by a job.
    let data = eventually(WAIT, "B's software on A's dashboard", || async {
        let data = software().await;
        (!data.is_empty()).then_some(data)
    })
    .await;
    assert_eq!(data[0]["key"], "woolly", "{data:?}");
    assert_eq!(data[0]["value"], "1", "{data:?}");
    a.server.stop().await;
    b.server.stop().await;
}

#[tokio::test]
async fn opening_a_remote_thread_fetches_the_replies_that_never_arrived() {
    let a = Node::start().await;
    let b = Node::start().await;
    let alice = a.user("alice").await;
    let bob = b.user("bob").await;
    let dave = b.user("dave").await;
    alice.follow_and_wait(&bob.handle).await;

    let post = bob
        .post("/api/v1/statuses", json!({"status": "a thread starts"}))
        .await;
    let on_a = alice.wait_home("a thread starts").await;
    // dave, whom nobody on A follows, answers: his reply is not delivered to A.
    dave.post(
        "/api/v1/statuses",
        json!({"status": "an answer A never got", "in_reply_to_id": post["id"]}),
    )
    .await;
    let thread = format!("/api/v1/statuses/{}/context", on_a["id"].as_str().unwrap());
    // (The first look answers with what A has; the fetch it starts may already be done.)
    alice.get_ok(&thread).await;

    // Opening the thread had its replies fetched from B.
    let reply = eventually(WAIT, "the missing reply on A", || async {
        alice.get_ok(&thread).await["descendants"]
            .as_array()?
            .first()
            .cloned()
    })
    .await;
    assert_eq!(reply["account"]["acct"], dave.handle);
    assert!(reply["content"].as_str().unwrap().contains("never got"));
    assert_eq!(reply["in_reply_to_id"], on_a["id"]);
    a.server.stop().await;
    b.server.stop().await;
}

#[tokio::test]
async fn custom_emojis_travel_with_posts_and_profiles() {
    let a = Node::start().await;
    let b = Node::start().await;
    let alice = a.user("alice").await;
    let bob = b.user("bob").await;
    let png = b.instance.data_dir().join("sheep.png");
    image::RgbaImage::from_fn(32, 32, |x, y| image::Rgba([x as u8, y as u8, 90, 255]))
        .save(&png)
        .unwrap();
    b.instance
        .cli_ok(&["admin", "emoji", "add", "sheep", &png.to_string_lossy()])
        .await;
    let response = http()
        .patch(format!("{}/api/v1/accounts/update_credentials", bob.base))
        .bearer_auth(&bob.token)
        .json(&json!({"display_name": "Bob :sheep:"}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let bob_on_a = alice.follow_and_wait(&bob.handle).await;
    let posted = bob
        .post("/api/v1/statuses", json!({"status": "baa :sheep:"}))
        .await;
    let on_a = alice.wait_home("baa").await;
    assert_eq!(on_a["emojis"][0]["shortcode"], "sheep", "{on_a}");
    assert_eq!(on_a["emojis"][0]["url"], posted["emojis"][0]["url"]);
    let account = alice.get_ok(&format!("/api/v1/accounts/{bob_on_a}")).await;
    assert_eq!(account["emojis"][0]["shortcode"], "sheep", "{account}");
    // A remote emoji is not offered in this server's picker.
    let local = http()
        .get(format!("{}/api/v1/custom_emojis", alice.base))
        .send()
        .await
        .unwrap()
        .json::<Value>()
        .await
        .unwrap();
    assert_eq!(local, json!([]));
    a.server.stop().await;
    b.server.stop().await;
}

#[tokio::test]
async fn remote_posts_and_interactions_are_streamed_to_local_users() {
    let a = Node::start().await;
    let b = Node::start().await;
    let alice = a.user("alice").await;
    let bob = b.user("bob").await;
    alice.follow_and_wait(&bob.handle).await;
    let mut stream = http()
        .get(format!("{}/api/v1/streaming/user", alice.base))
        .bearer_auth(&alice.token)
        .send()
        .await
        .unwrap();
    assert_eq!(stream.status(), 200);
    bob.follow_and_wait(&alice.handle).await;
    let mine = alice
        .post("/api/v1/statuses", json!({"status": "like this, bob"}))
        .await;
    bob.post("/api/v1/statuses", json!({"status": "streamed from B"}))
        .await;
    let mine_on_b = bob.wait_home("like this, bob").await;
    bob.post(
        &format!(
            "/api/v1/statuses/{}/favourite",
            mine_on_b["id"].as_str().unwrap()
        ),
        json!({}),
    )
    .await;

    // alice's stream carries bob's post (an update) and his like of hers (a notification).
    let mut received = String::new();
    tokio::time::timeout(WAIT, async {
        while !(received.contains("streamed from B") && received.contains("\"type\":\"favourite\""))
        {
            let chunk = stream.chunk().await.unwrap().unwrap();
            received.push_str(&String::from_utf8_lossy(&chunk));
        }
    })
    .await
    .unwrap_or_else(|_| panic!("stream so far: {received}"));
    assert!(received.contains("event: update"), "{received}");
    assert!(received.contains("event: notification"), "{received}");
    assert!(
        received.contains(mine["id"].as_str().unwrap()),
        "the notification names alice's status: {received}"
    );
    drop(stream);
    a.server.stop().await;
    b.server.stop().await;
}

#[tokio::test]
async fn a_blocked_domain_is_neither_heard_nor_reached() {
    let a = Node::start().await;
    let b = Node::start().await;
    let alice = a.user("alice").await;
    let bob = b.user("bob").await;
    let bob_on_a = alice.follow_and_wait(&bob.handle).await;

    let blocked = a
        .instance
        .cli_ok(&["admin", "domain", "block", &b.domain()])
        .await;
    assert!(blocked.contains("Blocked"), "{blocked}");
    assert!(
        a.instance
            .cli_ok(&["admin", "domain", "list"])
            .await
            .contains(&b.domain())
    );

    // B's deliveries are refused: bob's next post ends as a dead delivery on B, not on A.
    bob.post("/api/v1/statuses", json!({"status": "after the block"}))
        .await;
    eventually(WAIT, "B's delivery refused for good", || async {
        b.server
            .woolly
            .jobs()
            .job_counts()
            .await
            .unwrap()
            .iter()
            .any(|count| {
                count.kind == "federation.deliver" && count.state == woolly_store::JobState::Dead
            })
            .then_some(())
    })
    .await;
    assert!(alice.home().await.iter().all(|status| {
        !status["content"]
            .as_str()
            .unwrap_or("")
            .contains("after the block")
    }));
    // What was stored from there is purged: bob's account and the follow with it.
    eventually(WAIT, "B's accounts purged", || async {
        let (status, _) = alice.get(&format!("/api/v1/accounts/{bob_on_a}")).await;
        (status == 404).then_some(())
    })
    .await;
    common::jobs_idle(&a.server).await;
    let following = alice
        .get_ok(&format!("/api/v1/accounts/{}/following", alice.id))
        .await;
    assert_eq!(following, json!([]), "the follow went with the account");
    // Nothing is looked up there.
    let found = alice
        .get_ok(&format!(
            "/api/v2/search?q=@{}&resolve=true&type=accounts&limit=5",
            bob.handle.replace("bob@", "nobody@")
        ))
        .await;
    assert_eq!(found["accounts"], json!([]));

    // Unblocked, the domain is heard again.
    a.instance
        .cli_ok(&["admin", "domain", "unblock", &b.domain()])
        .await;
    alice.follow_and_wait(&bob.handle).await;
    a.server.stop().await;
    b.server.stop().await;
}

#[tokio::test]
async fn a_deleted_account_is_gone_at_once_here_and_then_on_every_server_that_knew_it() {
    let a = Node::start().await;
    let b = Node::start().await;
    let alice = a.user("alice").await;
    let carol = a.user("carol").await;
    let bob = b.user("bob").await;
    let alice_on_b = bob.follow_and_wait(&alice.handle).await;
    let bob_on_a = alice.follow_and_wait(&bob.handle).await;
    let post = alice
        .post(
            "/api/v1/statuses",
            json!({"status": "Goodbye soon", "visibility": "public"}),
        )
        .await;
    bob.wait_home("Goodbye soon").await;
    // carol favourites alice's post and follows her: counters that must come back down.
    carol
        .post(&format!("/api/v1/accounts/{}/follow", alice.id), json!({}))
        .await;
    let carol_post = carol
        .post("/api/v1/statuses", json!({"status": "Hello"}))
        .await;
    alice
        .post(
            &format!(
                "/api/v1/statuses/{}/favourite",
                carol_post["id"].as_str().unwrap()
            ),
            json!({}),
        )
        .await;

    let woolly = &a.server.woolly;
    let account = woolly
        .accounts()
        .local_account("alice")
        .await
        .unwrap()
        .unwrap();
    let refused = woolly
        .accounts()
        .delete_own_account(&account, "not her password")
        .await;
    assert!(
        matches!(refused, Err(woolly_core::CoreError::Fields(_))),
        "{refused:?}"
    );
    woolly
        .accounts()
        .delete_own_account(&account, "a long enough password")
        .await
        .unwrap();

    // Gone at once here: the profile, the post, her token; others' counters corrected by the
    // purge that follows.
    let (status, _) = carol.get(&format!("/api/v1/accounts/{}", alice.id)).await;
    assert_eq!(status, 404);
    let (status, _) = carol
        .get(&format!(
            "/api/v1/statuses/{}",
            post["id"].as_str().unwrap()
        ))
        .await;
    assert_eq!(status, 404);
    let (status, _) = alice.get("/api/v1/accounts/verify_credentials").await;
    assert_eq!(status, 401);
    eventually(WAIT, "alice's follows and favourites purged", || async {
        let carol_now = carol.get_ok("/api/v1/accounts/verify_credentials").await;
        let favourites =
            carol.status(carol_post["id"].as_str().unwrap()).await["favourites_count"].clone();
        let bob_here = carol.get_ok(&format!("/api/v1/accounts/{bob_on_a}")).await;
        (carol_now["following_count"] == 0 && favourites == 0 && bob_here["followers_count"] == 0)
            .then_some(())
    })
    .await;
    let webfinger = http()
        .get(format!(
            "{}/.well-known/webfinger?resource=acct:alice@{}",
            a.server.base_url,
            a.domain()
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(webfinger.status(), 404);

    // Then on the server that knew her, by the Delete of her actor.
    eventually(WAIT, "alice gone from B", || async {
        let (status, _) = bob.get(&format!("/api/v1/accounts/{alice_on_b}")).await;
        (status == 404).then_some(())
    })
    .await;
    let bob_now = bob.get_ok("/api/v1/accounts/verify_credentials").await;
    assert_eq!(bob_now["following_count"], 0);
    assert!(
        bob.home()
            .await
            .iter()
            .all(|status| status["content"].as_str() != Some("<p>Goodbye soon</p>"))
    );

    // Her name is never given again.
    let output = a
        .instance
        .cli(&[
            "admin",
            "account",
            "create",
            "alice",
            "--email",
            "new@example.org",
        ])
        .await;
    assert!(!output.status.success(), "the name stays reserved");

    // Her key signed those deliveries from beside her reserved name, not from each delivery,
    // and is forgotten once no delivery can still need it.
    let store = a.instance.store().await;
    let now = woolly_store::now_millis();
    assert!(store.retired_key("alice", now).await.unwrap().is_some());
    let a_week_on = now + woolly_core::outbox::RETIRED_KEY_KEPT_MILLIS;
    assert_eq!(store.forget_retired_keys(a_week_on).await.unwrap(), 1);
    assert!(store.retired_key("alice", now).await.unwrap().is_none());
    a.server.stop().await;
    b.server.stop().await;
}
