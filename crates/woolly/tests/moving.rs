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
    actor_at(&node.server.base_url, name).await
}

/// The actor document of `name` on the server at `base`.
async fn actor_at(base: &str, name: &str) -> serde_json::Value {
    common::http()
        .get(format!("{base}/users/{name}"))
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

/// The body of a GET of `url`.
async fn bytes_at(url: &str) -> Vec<u8> {
    common::http()
        .get(url)
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap()
        .to_vec()
}

/// The rows of each table of an instance export, sorted (the engines list rows in their own
/// order), without the id-generator's leases, which every process opening a database takes.
fn exported_rows(file: &std::path::Path) -> std::collections::BTreeMap<String, Vec<String>> {
    use std::io::Read as _;
    let mut zip = zip::ZipArchive::new(std::fs::File::open(file).unwrap()).unwrap();
    let mut tables = std::collections::BTreeMap::new();
    for index in 0..zip.len() {
        let mut entry = zip.by_index(index).unwrap();
        let name = entry.name().to_owned();
        let Some(table) = name
            .strip_prefix("tables/")
            .and_then(|name| name.strip_suffix(".jsonl"))
        else {
            continue;
        };
        if table == "id_node" {
            continue;
        }
        let mut text = String::new();
        entry.read_to_string(&mut text).unwrap();
        let mut rows: Vec<String> = text.lines().map(str::to_owned).collect();
        rows.sort();
        tables.insert(table.to_owned(), rows);
    }
    tables
}

/// Every file of an instance export but its tables, by name: media, archives, the secret key
/// and the manifest's word on the schema and domain.
fn exported_files(file: &std::path::Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    use std::io::Read as _;
    let mut zip = zip::ZipArchive::new(std::fs::File::open(file).unwrap()).unwrap();
    let mut files = std::collections::BTreeMap::new();
    for index in 0..zip.len() {
        let mut entry = zip.by_index(index).unwrap();
        let name = entry.name().to_owned();
        let mut bytes = Vec::new();
        entry.read_to_end(&mut bytes).unwrap();
        if name == "manifest.json" {
            let manifest: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
            let said = json!({"schema": manifest["schema_version"], "domain": manifest["domain"]});
            files.insert(name, said.to_string().into_bytes());
        } else if !name.starts_with("tables/") {
            files.insert(name, bytes);
        }
    }
    files
}

/// A copy of the export `from` at `to`, its manifest changed by `edit_manifest` and its entries
/// by `edit_entry` (which may drop one by returning `None`), with `extra` entries added.
fn altered_export(
    from: &std::path::Path,
    to: &std::path::Path,
    edit_manifest: impl Fn(&mut serde_json::Value),
    edit_entry: impl Fn(&str, Vec<u8>) -> Option<Vec<u8>>,
    extra: &[(&str, &[u8])],
) {
    use std::io::{Read as _, Write as _};
    let mut zip = zip::ZipArchive::new(std::fs::File::open(from).unwrap()).unwrap();
    let mut out = zip::ZipWriter::new(std::fs::File::create(to).unwrap());
    let options = zip::write::SimpleFileOptions::default();
    for index in 0..zip.len() {
        let mut entry = zip.by_index(index).unwrap();
        let name = entry.name().to_owned();
        let mut bytes = Vec::new();
        entry.read_to_end(&mut bytes).unwrap();
        let bytes = if name == "manifest.json" {
            let mut manifest = serde_json::from_slice(&bytes).unwrap();
            edit_manifest(&mut manifest);
            serde_json::to_vec(&manifest).unwrap()
        } else {
            match edit_entry(&name, bytes) {
                Some(bytes) => bytes,
                None => continue,
            }
        };
        out.start_file(name, options).unwrap();
        out.write_all(&bytes).unwrap();
    }
    for (name, bytes) in extra {
        out.start_file(*name, options).unwrap();
        out.write_all(bytes).unwrap();
    }
    out.finish().unwrap();
}

/// Runs `woolly admin import FILE` for `instance` as `domain`; its exit status and error line.
async fn import(
    instance: &common::TestInstance,
    domain: &str,
    file: &std::path::Path,
) -> (bool, String) {
    let output = instance
        .cli(&[
            "--domain",
            domain,
            "admin",
            "import",
            file.to_str().unwrap(),
        ])
        .await;
    (
        output.status.success(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

async fn export(instance: &common::TestInstance, domain: &str, file: &std::path::Path) {
    instance
        .cli_ok(&[
            "--domain",
            domain,
            "admin",
            "export",
            file.to_str().unwrap(),
        ])
        .await;
}

#[tokio::test]
async fn a_whole_instance_goes_from_sqlite_to_the_other_engine_and_back_with_every_row_and_file() {
    const DOMAIN: &str = "woolly.test";
    let dir = tempfile::tempdir().unwrap();
    let first = common::TestInstance::new_on_sqlite();
    let server = first.start().await;
    let (alice, _) = common::account(&server, "alice").await;
    let (bob, _) = common::account(&server, "bob").await;
    let media = common::upload_png(&server, &alice).await;
    let post = common::post_status(
        &server,
        &alice,
        json!({"status": "Packed for the move", "media_ids": [media], "visibility": "public"}),
    )
    .await;
    let alice_id = post["account"]["id"].as_str().unwrap().to_owned();
    let (status, _) = server
        .call(
            reqwest::Method::POST,
            &format!("/api/v1/accounts/{alice_id}/follow"),
            Some(&bob),
            json!({}),
        )
        .await;
    assert_eq!(status, 200);
    let media_url = post["media_attachments"][0]["url"]
        .as_str()
        .unwrap()
        .to_owned();
    let media_path = media_url.split_once("/media/").unwrap().1.to_owned();
    let media_bytes = bytes_at(&server.url(&format!("/media/{media_path}"))).await;
    let key_before = actor_at(&server.base_url, "alice").await["publicKey"].clone();

    // Exported while the server runs, imported into the engine of this run, exported from
    // there, and brought back to SQLite.
    let one = dir.path().join("one.zip");
    export(&first, DOMAIN, &one).await;
    server.stop().await;
    let middle = common::TestInstance::new().await;
    let (imported, error) = import(&middle, DOMAIN, &one).await;
    assert!(imported, "{error}");
    let two = dir.path().join("two.zip");
    export(&middle, DOMAIN, &two).await;
    let last = common::TestInstance::new_on_sqlite();
    let (imported, error) = import(&last, DOMAIN, &two).await;
    assert!(imported, "{error}");
    let three = dir.path().join("three.zip");
    export(&last, DOMAIN, &three).await;

    let rows = exported_rows(&one);
    assert!(
        rows["status"]
            .iter()
            .any(|row| row.contains("Packed for the move"))
    );
    assert!(!rows["follow"].is_empty() && !rows["media_attachment"].is_empty());
    assert_eq!(
        rows,
        exported_rows(&two),
        "every row, after the first import"
    );
    assert_eq!(rows, exported_rows(&three), "every row, after the second");
    let files = exported_files(&one);
    assert!(files.contains_key("secret.key"));
    assert!(files.keys().any(|name| name.starts_with("media/")));
    assert_eq!(files, exported_files(&two));
    assert_eq!(files, exported_files(&three));

    // The instance runs again from there: the same keys, tokens, posts and media.
    let server = last.start().await;
    assert_eq!(
        actor_at(&server.base_url, "alice").await["publicKey"],
        key_before
    );
    let (status, shown) = server
        .call(
            reqwest::Method::GET,
            &format!("/api/v1/statuses/{}", post["id"].as_str().unwrap()),
            Some(&alice),
            serde_json::Value::Null,
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(shown["media_attachments"][0]["url"], media_url.as_str());
    assert_eq!(
        bytes_at(&server.url(&format!("/media/{media_path}"))).await,
        media_bytes
    );
    let (status, relationships) = server
        .call(
            reqwest::Method::GET,
            &format!("/api/v1/accounts/relationships?id[]={alice_id}"),
            Some(&bob),
            serde_json::Value::Null,
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(relationships[0]["following"], true);
    // The search index is not copied but rebuilt: the post is found by its words.
    let (status, found) = server
        .call(
            reqwest::Method::GET,
            "/api/v2/search?q=packed+move&type=statuses",
            Some(&alice),
            serde_json::Value::Null,
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(found["statuses"][0]["id"], post["id"], "{found}");
    server.stop().await;
}

#[tokio::test]
async fn a_bad_or_foreign_instance_export_is_refused_with_one_line_and_nothing_imported() {
    const DOMAIN: &str = "woolly.test";
    let dir = tempfile::tempdir().unwrap();
    let source = common::TestInstance::new_on_sqlite();
    let server = source.start().await;
    let (alice, _) = common::account(&server, "alice").await;
    let media = common::upload_png(&server, &alice).await;
    common::post_status(
        &server,
        &alice,
        json!({"status": "Hello", "media_ids": [media]}),
    )
    .await;
    server.stop().await;
    let good = dir.path().join("good.zip");
    export(&source, DOMAIN, &good).await;

    let target = common::TestInstance::new().await;
    let refused = |file: &str, expected: &'static str| {
        let file = dir.path().join(file);
        let target = &target;
        async move {
            let (imported, error) = import(target, DOMAIN, &file).await;
            assert!(!imported, "{} was imported", file.display());
            assert!(
                error.contains(expected) && error.trim().lines().count() == 1,
                "{expected:?} not said in one line: {error}"
            );
        }
    };

    // Another instance's export.
    let (imported, error) = import(&target, "other.test", &good).await;
    assert!(
        !imported && error.contains("set `domain` to woolly.test"),
        "{error}"
    );
    // From a newer Woolly.
    altered_export(
        &good,
        &dir.path().join("newer.zip"),
        |manifest| manifest["schema_version"] = json!(1_000_000),
        |_, bytes| Some(bytes),
        &[],
    );
    refused("newer.zip", "upgrade Woolly").await;
    // Not an export at all.
    std::fs::write(dir.path().join("text.zip"), "hello").unwrap();
    refused("text.zip", "not a Woolly export").await;
    // A file reaching out of the data directory, after every row went in.
    altered_export(
        &good,
        &dir.path().join("escape.zip"),
        |_| {},
        |_, bytes| Some(bytes),
        &[("media/../../escaped.txt", b"out")],
    );
    refused("escape.zip", "outside its folders").await;
    assert!(!target.dir.path().join("escaped.txt").exists());
    // A table cut short, and a value of the wrong type.
    altered_export(
        &good,
        &dir.path().join("short.zip"),
        |_| {},
        |name, bytes| {
            if name != "tables/status.jsonl" {
                return Some(bytes);
            }
            Some(Vec::new())
        },
        &[],
    );
    refused("short.zip", "the export is incomplete").await;
    altered_export(
        &good,
        &dir.path().join("wrong.zip"),
        |_| {},
        |name, bytes| {
            if name != "tables/account.jsonl" {
                return Some(bytes);
            }
            let text = String::from_utf8(bytes).unwrap();
            let wrong: Vec<String> = text
                .lines()
                .map(|line| {
                    let mut values: Vec<serde_json::Value> = serde_json::from_str(line).unwrap();
                    values[0] = json!({"not": "a value"});
                    serde_json::to_string(&values).unwrap()
                })
                .collect();
            Some(wrong.join("\n").into_bytes())
        },
        &[],
    );
    refused("wrong.zip", "is not a value of type").await;

    // None of those left anything: the good export goes in whole, once.
    let (imported, error) = import(&target, DOMAIN, &good).await;
    assert!(imported, "{error}");
    let (imported, error) = import(&target, DOMAIN, &good).await;
    assert!(
        !imported && error.contains("already has accounts or posts"),
        "{error}"
    );
    let media_files = std::fs::read_dir(target.data_dir().join("media"))
        .map(|entries| entries.count())
        .unwrap_or(0);
    assert!(media_files > 0);

    // An export from a schema three migrations back (without the tables those add): it goes in
    // at that schema and the later migrations run after; a database already past it is refused.
    let older_schema = woolly_store::Db::latest_schema_version() - 3;
    let at_older = woolly_store::Db::connect_sqlite_file_up_to(
        &dir.path().join("older.sqlite3"),
        "test",
        Some(older_schema),
    )
    .await
    .unwrap();
    // The tables of that schema with their columns: later migrations add tables and columns.
    let older_tables: Vec<(String, Vec<String>)> = at_older
        .copied_tables()
        .await
        .unwrap()
        .into_iter()
        .map(|table| {
            let columns = table
                .columns
                .into_iter()
                .map(|column| column.name)
                .collect();
            (table.name, columns)
        })
        .collect();
    at_older.close().await;
    let older_columns = |name: &str| {
        older_tables
            .iter()
            .find(|(table, _)| table == name)
            .map(|(_, columns)| columns.clone())
    };
    // Which columns of each table of the good export stay, by position.
    let manifest: serde_json::Value = {
        use std::io::Read as _;
        let mut zip = zip::ZipArchive::new(std::fs::File::open(&good).unwrap()).unwrap();
        let mut text = String::new();
        zip.by_name("manifest.json")
            .unwrap()
            .read_to_string(&mut text)
            .unwrap();
        serde_json::from_str(&text).unwrap()
    };
    let kept_positions = |name: &str| -> Option<Vec<usize>> {
        let older = older_columns(name)?;
        let table = manifest["tables"]
            .as_array()
            .unwrap()
            .iter()
            .find(|table| table["name"] == name)?;
        Some(
            table["columns"]
                .as_array()
                .unwrap()
                .iter()
                .enumerate()
                .filter(|(_, column)| older.iter().any(|kept| column["name"] == *kept))
                .map(|(position, _)| position)
                .collect(),
        )
    };
    altered_export(
        &good,
        &dir.path().join("older.zip"),
        |manifest| {
            manifest["schema_version"] = json!(older_schema);
            let tables = manifest["tables"].as_array_mut().unwrap();
            tables.retain(|table| older_columns(table["name"].as_str().unwrap()).is_some());
            for table in tables {
                let older = older_columns(table["name"].as_str().unwrap()).unwrap();
                table["columns"]
                    .as_array_mut()
                    .unwrap()
                    .retain(|column| older.iter().any(|kept| column["name"] == *kept));
            }
        },
        |name, bytes| {
            let Some(table) = name
                .strip_prefix("tables/")
                .and_then(|name| name.strip_suffix(".jsonl"))
            else {
                return Some(bytes);
            };
            let positions = kept_positions(table)?;
            let mut rows = String::new();
            for line in String::from_utf8(bytes).unwrap().lines() {
                let row: Vec<serde_json::Value> = serde_json::from_str(line).unwrap();
                let kept: Vec<&serde_json::Value> =
                    positions.iter().map(|position| &row[*position]).collect();
                rows.push_str(&serde_json::to_string(&kept).unwrap());
                rows.push('\n');
            }
            Some(rows.into_bytes())
        },
        &[],
    );
    let migrated = common::TestInstance::new().await;
    migrated.cli_ok(&["migrate"]).await;
    let (imported, error) = import(&migrated, DOMAIN, &dir.path().join("older.zip")).await;
    assert!(!imported && error.contains("past the export's"), "{error}");
    let older = common::TestInstance::new().await;
    let (imported, error) = import(&older, DOMAIN, &dir.path().join("older.zip")).await;
    assert!(imported, "{error}");
    let store = older.store().await;
    assert_eq!(
        store.schema_version().await.unwrap(),
        woolly_store::Db::latest_schema_version()
    );
    store.close().await;
    let server = older.start().await;
    let (status, me) = server
        .call(
            reqwest::Method::GET,
            "/api/v1/accounts/verify_credentials",
            Some(&alice),
            serde_json::Value::Null,
        )
        .await;
    assert_eq!(
        (status.as_u16(), me["username"].as_str()),
        (200, Some("alice"))
    );
    server.stop().await;
}

#[tokio::test]
async fn a_remote_follower_keeps_receiving_posts_after_the_instance_moves_to_another_database() {
    let dir = tempfile::tempdir().unwrap();
    let old_home = common::TestInstance::new_on_sqlite();
    let server = old_home
        .start_on_own_domain_with(|settings| settings.rate_limit_requests = 0)
        .await;
    let a = Node {
        instance: old_home,
        server,
    };
    let b = Node::start().await;
    let alice = a.user("alice").await;
    let bob = b.user("bob").await;
    let alice_on_b = bob.follow_and_wait(&alice.handle).await;
    alice
        .post("/api/v1/statuses", json!({"status": "Before the move"}))
        .await;
    bob.wait_home("Before the move").await;

    // Exported while it runs, then served from a database of this run's engine at the same
    // address, under the same name.
    let file = dir.path().join("instance.zip");
    let domain = a.domain();
    export(&a.instance, &domain, &file).await;
    let address: std::net::SocketAddr = domain.parse().unwrap();
    let Node { instance, server } = a;
    server.stop().await;
    drop(instance);
    let new_home = common::TestInstance::new().await;
    let (imported, error) = import(&new_home, &domain, &file).await;
    assert!(imported, "{error}");
    let server = new_home
        .start_at_with(address, |settings| settings.rate_limit_requests = 0)
        .await;
    let a = Node {
        instance: new_home,
        server,
    };

    // Signed with the same key, which bob's server already knows; and bob's reply comes back.
    alice
        .post("/api/v1/statuses", json!({"status": "After the move"}))
        .await;
    bob.wait_home("After the move").await;
    assert!(follows(&bob, &alice_on_b).await);
    bob.post(
        "/api/v1/statuses",
        json!({"status": format!("@{} welcome back", alice.handle)}),
    )
    .await;
    alice.wait_notification("mention", &bob.handle).await;
    drop(a);
}
