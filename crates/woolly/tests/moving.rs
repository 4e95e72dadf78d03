//! Moving an account between servers: aliases, the move out with its `Move`, and the move in
//! on every server that followed the old account, with three real Woolly servers.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::eventually;
use common::fediverse::{Node, User, WAIT};
use serde_json::json;

/// The local account `name` of `node`, as core sees it.
async fn core_account(node: &Node, name: &str) -> woolly_core::accounts::Account {
    node.server
        .woolly
        .accounts()
        .local_account(name)
        .await
        .unwrap()
        .expect("a local account")
}

/// The actor document of `name` on `node`, as other servers read it.
async fn actor_document(node: &Node, name: &str) -> serde_json::Value {
    common::http()
        .get(format!("{}/users/{name}", node.server.base_url))
        .header("Accept", "application/activity+json")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

/// Whether `user` follows the account `id` (as their server knows it).
async fn follows(user: &User, id: &str) -> bool {
    user.relationship(id).await["following"] == true
}

#[tokio::test]
async fn an_account_moves_to_another_server_and_its_followers_everywhere_follow_it_there() {
    let a = Node::start().await;
    let b = Node::start().await;
    let c = Node::start().await;
    let old = a.user("alice").await;
    let new = b.user("alice").await;
    // Followers on the other server (C), on the old server (A) and on the new one (B).
    let bob = c.user("bob").await;
    let carol = a.user("carol").await;
    let dave = b.user("dave").await;
    let old_on_c = bob.follow_and_wait(&old.handle).await;
    carol
        .post(&format!("/api/v1/accounts/{}/follow", old.id), json!({}))
        .await;
    let old_on_b = dave.follow_and_wait(&old.handle).await;
    // bob keeps the old account in a list, and hears of its posts.
    let list = bob.post("/api/v1/lists", json!({"title": "Friends"})).await;
    let list_id = list["id"].as_str().unwrap().to_owned();
    bob.post(
        &format!("/api/v1/lists/{list_id}/accounts"),
        json!({"account_ids": [old_on_c]}),
    )
    .await;
    bob.post(
        &format!("/api/v1/accounts/{old_on_c}/follow"),
        json!({"notify": true}),
    )
    .await;

    // A move to an account that does not name the old one as an alias is refused.
    let alice_a = core_account(&a, "alice").await;
    let refused = a
        .server
        .woolly
        .accounts()
        .move_to(&alice_a, "a long enough password", &new.handle)
        .await;
    assert!(
        matches!(refused, Err(woolly_core::CoreError::Validation(ref message)) if message.contains("alias")),
        "{refused:?}"
    );
    // So is a wrong password, alias or not.
    let alice_b = core_account(&b, "alice").await;
    let aliases = b
        .server
        .woolly
        .accounts()
        .add_alias(&alice_b, &old.handle)
        .await
        .unwrap();
    assert_eq!(aliases.len(), 1);
    assert_eq!(
        aliases[0].uri,
        format!("{}/users/alice", a.server.base_url),
        "the alias is the old actor's id"
    );
    let wrong = a
        .server
        .woolly
        .accounts()
        .move_to(&alice_a, "not the password", &new.handle)
        .await;
    assert!(
        matches!(wrong, Err(woolly_core::CoreError::Fields(_))),
        "{wrong:?}"
    );
    // The new actor lists its alias for every server to check.
    let actor = actor_document(&b, "alice").await;
    assert_eq!(actor["alsoKnownAs"], json!([aliases[0].uri]), "{actor}");

    // The move.
    let target = a
        .server
        .woolly
        .accounts()
        .move_to(&alice_a, "a long enough password", &new.handle)
        .await
        .expect("the move");
    assert_eq!(target.username, "alice");
    let moved_actor = actor_document(&a, "alice").await;
    let new_uri = format!("{}/users/alice", b.server.base_url);
    assert_eq!(moved_actor["movedTo"], json!(new_uri), "{moved_actor}");
    let (status, _) = old.get("/api/v1/accounts/verify_credentials").await;
    assert_eq!(status, 200);
    let posting = common::http()
        .post(format!("{}/api/v1/statuses", old.base))
        .bearer_auth(&old.token)
        .json(&json!({"status": "still here?"}))
        .send()
        .await
        .unwrap();
    assert_eq!(
        posting.status().as_u16(),
        403,
        "a moved account posts no more"
    );
    let body: serde_json::Value = posting.json().await.unwrap();
    assert!(body["error"].as_str().is_some(), "{body}");

    // On C: bob follows the new account, as he followed the old one, and no longer the old.
    let new_on_c = bob.resolve(&new.handle).await;
    eventually(WAIT, "bob following alice on B", || async {
        (follows(&bob, &new_on_c).await && !follows(&bob, &old_on_c).await).then_some(())
    })
    .await;
    let relation = bob.relationship(&new_on_c).await;
    assert_eq!(relation["notifying"], true, "{relation}");
    let members = bob
        .get_ok(&format!("/api/v1/lists/{list_id}/accounts"))
        .await;
    let members: Vec<&str> = members
        .as_array()
        .unwrap()
        .iter()
        .map(|account| account["acct"].as_str().unwrap())
        .collect();
    assert_eq!(
        members,
        vec![new.handle.as_str()],
        "the list follows the move"
    );
    // The old account shows where it went, here and on C.
    let seen_on_c = bob.get_ok(&format!("/api/v1/accounts/{old_on_c}")).await;
    assert_eq!(seen_on_c["moved"]["acct"], new.handle, "{seen_on_c}");
    let seen_on_a = carol.get_ok(&format!("/api/v1/accounts/{}", old.id)).await;
    assert_eq!(seen_on_a["moved"]["acct"], new.handle, "{seen_on_a}");
    assert!(
        seen_on_a["moved"].get("moved").is_none(),
        "no move inside a move"
    );
    // On A, the old server: carol follows the new account on B.
    let new_on_a = carol.resolve(&new.handle).await;
    eventually(WAIT, "carol following alice on B", || async {
        (follows(&carol, &new_on_a).await && !follows(&carol, &old.id).await).then_some(())
    })
    .await;
    // On B, the new server: dave follows its own account, at once.
    eventually(WAIT, "dave following alice on B", || async {
        (follows(&dave, &new.id).await && !follows(&dave, &old_on_b).await).then_some(())
    })
    .await;

    // What the new account posts reaches its followers.
    new.post(
        "/api/v1/statuses",
        json!({"status": "hello from my new home"}),
    )
    .await;
    bob.wait_home("hello from my new home").await;
    carol.wait_home("hello from my new home").await;
    dave.wait_home("hello from my new home").await;

    // The old account cannot move again within 30 days.
    let alice_a = core_account(&a, "alice").await;
    let again = a
        .server
        .woolly
        .accounts()
        .move_to(&alice_a, "a long enough password", &new.handle)
        .await;
    assert!(again.is_err(), "{again:?}");

    for node in [a, b, c] {
        node.server.stop().await;
    }
}

/// The job kinds queued on `node`, with how many of each (any state).
async fn jobs_of(node: &Node, kind: &str) -> i64 {
    node.server
        .woolly
        .jobs()
        .job_counts()
        .await
        .unwrap()
        .iter()
        .filter(|count| count.kind == kind)
        .map(|count| count.count)
        .sum()
}

#[tokio::test]
async fn posts_come_along_from_an_archive_quietly_once_with_their_dates_and_threads() {
    let a = Node::start().await;
    let b = Node::start().await;
    let old = a.user("ola").await;
    let new = b.user("ola").await;
    let fan = b.user("fan").await;
    fan.post(&format!("/api/v1/accounts/{}/follow", new.id), json!({}))
        .await;
    // On the old server: a post with a picture, an answer to it, a private one, a boost.
    let media = common::upload_png(&a.server, &old.token).await;
    let first = old
        .post(
            "/api/v1/statuses",
            json!({"status": "My very first post", "media_ids": [media], "spoiler_text": "a picture"}),
        )
        .await;
    let answer = old
        .post(
            "/api/v1/statuses",
            json!({"status": "And its sequel", "in_reply_to_id": first["id"]}),
        )
        .await;
    old.post(
        "/api/v1/statuses",
        json!({"status": "For my followers", "visibility": "private"}),
    )
    .await;
    old.post(
        &format!("/api/v1/statuses/{}/reblog", first["id"].as_str().unwrap()),
        json!({}),
    )
    .await;
    let old_account = core_account(&a, "ola").await;
    let archive = a
        .server
        .woolly
        .accounts()
        .request_archive(&old_account)
        .await
        .unwrap();
    common::jobs_idle(&a.server).await;
    let zip = a
        .server
        .woolly
        .accounts()
        .archive_file(&old_account, archive.id)
        .await
        .unwrap();

    // Imported into the very account it was made of, it adds nothing.
    let into_itself = a
        .server
        .woolly
        .relations()
        .import(
            &old_account,
            woolly_core::imports::ImportKind::Posts,
            false,
            "archive.zip",
            &zip,
        )
        .await
        .unwrap();
    assert_eq!(into_itself.total, 0);

    // On the new server, the posts arrive through the import of the archive.
    let new_account = core_account(&b, "ola").await;
    let deliveries_before = jobs_of(&b, "federation.deliver").await;
    let import = |bytes: Vec<u8>| {
        let (b, account) = (&b, new_account.clone());
        async move {
            b.server
                .woolly
                .relations()
                .import(
                    &account,
                    woolly_core::imports::ImportKind::Posts,
                    false,
                    "archive.zip",
                    &bytes,
                )
                .await
        }
    };
    let queued = import(zip.clone()).await.unwrap();
    assert_eq!(queued.total, 3, "three posts of hers, not the boost");
    common::jobs_idle(&b.server).await;
    let statuses = new
        .get_ok(&format!("/api/v1/accounts/{}/statuses", new.id))
        .await;
    let statuses = statuses.as_array().unwrap();
    assert_eq!(statuses.len(), 3, "{statuses:?}");
    let find = |text: &str| {
        statuses
            .iter()
            .find(|status| status["content"].as_str().unwrap().contains(text))
            .cloned()
            .unwrap_or_else(|| panic!("{text} imported"))
    };
    let (first_here, answer_here) = (find("My very first post"), find("And its sequel"));
    // The archive dates posts to the second, as ActivityPub documents do.
    let second =
        |status: &serde_json::Value| status["created_at"].as_str().unwrap()[..19].to_owned();
    assert_eq!(second(&first_here), second(&first), "its original date");
    assert_eq!(first_here["spoiler_text"], "a picture");
    assert_eq!(first_here["media_attachments"].as_array().unwrap().len(), 1);
    assert_eq!(second(&answer_here), second(&answer));
    assert_eq!(
        answer_here["in_reply_to_id"], first_here["id"],
        "the thread kept"
    );
    assert_eq!(find("For my followers")["visibility"], "private");
    // Newest first on the profile, by their dates.
    assert!(statuses[0]["created_at"].as_str() >= statuses[2]["created_at"].as_str());
    // Quietly: nothing in the follower's home timeline, no notification, nothing delivered.
    assert!(fan.home().await.is_empty(), "{:?}", fan.home().await);
    assert!(fan.notifications("status").await.is_empty());
    assert_eq!(jobs_of(&b, "federation.deliver").await, deliveries_before);

    // Twice: nothing more.
    let again = import(zip).await.unwrap();
    assert_eq!(again.total, 0);
    common::jobs_idle(&b.server).await;
    let count = new.get_ok(&format!("/api/v1/accounts/{}", new.id)).await;
    assert_eq!(count["statuses_count"], 3, "{count}");

    // Not an archive, or one whose outbox unpacks to more than 64 MB: refused, nothing written.
    let not_zip = import(b"Account address\n".to_vec()).await;
    assert!(
        matches!(not_zip, Err(woolly_core::CoreError::Validation(_))),
        "{not_zip:?}"
    );
    let bomb = {
        use std::io::Write as _;
        let mut writer = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        writer.start_file("outbox.json", options).unwrap();
        let zeros = vec![b' '; 1024 * 1024];
        for _ in 0..65 {
            writer.write_all(&zeros).unwrap();
        }
        writer.finish().unwrap().into_inner()
    };
    assert!(bomb.len() < 1024 * 1024, "a small file");
    let refused = import(bomb).await;
    assert!(
        matches!(&refused, Err(woolly_core::CoreError::Validation(message)) if message.contains("larger than")),
        "{refused:?}"
    );
    a.server.stop().await;
    b.server.stop().await;
}
