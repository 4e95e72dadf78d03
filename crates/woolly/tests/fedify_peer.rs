//! Federation with a real third-party ActivityPub server: the Fedify peer of `tests/peers/fedify`
//! (see its README for the protocol), a Node process driven over stdin/stdout, against a real
//! Woolly server on its own `127.0.0.1:PORT` domain. `scripts/test` installs Node 22 and the peer
//! outside the clone and sets `WOOLLY_TEST_NODE` and `WOOLLY_TEST_FEDIFY_PEER`; without them these
//! tests say they were skipped, unless `WOOLLY_REQUIRE_PEERS=1`, which makes them fail instead.
//! Both HTTP signature specifications the peer speaks are exercised: draft-cavage and RFC 9421.
//! `RUST_LOG=info` shows Woolly's logs, `WOOLLY_PEER_LOG=debug` Fedify's.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::ffi::OsString;
use std::process::Stdio;
use std::time::Duration;

use common::eventually;
use common::fediverse::{Node, WAIT};
use serde_json::{Value, json};
use tokio::io::{AsyncBufReadExt as _, AsyncWriteExt as _, BufReader, Lines};
use tokio::process::{Child, ChildStdin, ChildStdout, Command};

/// How long the peer's `wait` command waits, in milliseconds.
const WAIT_MS: u64 = 30_000;
/// How long a reply to any command may take (a `wait` included).
const REPLY: Duration = Duration::from_secs(60);

const CAVAGE: &str = "draft-cavage";
const RFC9421: &str = "rfc9421";

/// Node and the peer's script, or `None` (the test is skipped) when they are not set up;
/// panics instead when `WOOLLY_REQUIRE_PEERS=1`.
fn peer_environment() -> Option<(OsString, OsString)> {
    let values = common::third_party(
        &["WOOLLY_TEST_NODE", "WOOLLY_TEST_FEDIFY_PEER"],
        "Node 22 and the Fedify peer",
    )?;
    let [node, peer]: [OsString; 2] = values.try_into().ok()?;
    Some((node, peer))
}

/// Woolly's logs on standard error when `RUST_LOG` is set.
fn show_logs() {
    if std::env::var_os("RUST_LOG").is_some() {
        let _ = tracing_subscriber::fmt()
            .with_env_filter(tracing_subscriber::EnvFilter::from_default_env())
            .with_test_writer()
            .try_init();
    }
}

/// The running Fedify peer.
struct Peer {
    _child: Child,
    stdin: ChildStdin,
    stdout: Lines<BufReader<ChildStdout>>,
    /// The peer actor's id.
    actor: String,
    /// `peer@127.0.0.1:PORT`
    handle: String,
}

impl Peer {
    /// Starts the peer, whose sends (and auto-Accepts) knock first with `spec`.
    async fn start(node: &OsString, script: &OsString, spec: &str) -> Peer {
        let mut child = Command::new(node)
            .arg(script)
            .args(["--port", "0", "--host", "127.0.0.1", "--spec", spec])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .kill_on_drop(true)
            .spawn()
            .unwrap_or_else(|error| panic!("could not start {script:?} with {node:?}: {error}"));
        let stdin = child.stdin.take().unwrap();
        let mut stdout = BufReader::new(child.stdout.take().unwrap()).lines();
        let ready = read_line(&mut stdout, "the peer's ready line").await;
        assert_eq!(ready["ready"], true, "{ready}");
        let field = |name: &str| ready[name].as_str().unwrap().to_owned();
        Peer {
            actor: field("actor"),
            handle: field("handle"),
            _child: child,
            stdin,
            stdout,
        }
    }

    /// Sends a command and returns its reply, whether it succeeded or not.
    async fn send(&mut self, command: Value) -> Value {
        let mut line = command.to_string();
        line.push('\n');
        self.stdin.write_all(line.as_bytes()).await.unwrap();
        self.stdin.flush().await.unwrap();
        read_line(&mut self.stdout, &format!("the reply to {command}")).await
    }

    /// Sends a command and insists that it succeeded.
    async fn ok(&mut self, command: Value) -> Value {
        let reply = self.send(command.clone()).await;
        assert_eq!(reply["ok"], true, "peer command {command} failed: {reply}");
        reply
    }

    /// Waits for an activity of `kind` about `object` to reach the peer; insists that Fedify
    /// verified its signature.
    async fn wait_for(&mut self, kind: &str, object: Option<&str>) -> Value {
        let mut command = json!({"cmd": "wait", "type": kind, "timeout_ms": WAIT_MS});
        if let Some(object) = object {
            command["object"] = json!(object);
        }
        let activity = self.ok(command).await["activity"].clone();
        assert_eq!(activity["verified"], true, "{activity}");
        activity
    }
}

async fn read_line(stdout: &mut Lines<BufReader<ChildStdout>>, what: &str) -> Value {
    let line = tokio::time::timeout(REPLY, stdout.next_line())
        .await
        .unwrap_or_else(|_| panic!("timed out after {REPLY:?} waiting for {what}"))
        .unwrap()
        .unwrap_or_else(|| panic!("the peer exited before {what} (its log is above)"));
    serde_json::from_str(&line).unwrap_or_else(|error| panic!("{what}: {error}: {line:?}"))
}

/// Insists that the command behind `reply` POSTed to Woolly (`base`), each POST signed with
/// `spec` and answered 202 on the first knock: no POST was retried with the other spec.
fn assert_delivered(reply: &Value, base: &str, spec: &str) {
    let posts: Vec<&Value> = reply["requests"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|request| {
            request["method"] == "POST"
                && request["url"]
                    .as_str()
                    .is_some_and(|url| url.starts_with(&format!("{base}/")))
        })
        .collect();
    assert!(!posts.is_empty(), "no POST to Woolly: {reply}");
    for post in &posts {
        assert_eq!(post["signature"], spec, "signed with {spec}: {reply}");
        assert_eq!(post["status"], 202, "accepted at the first knock: {reply}");
    }
    let mut urls: Vec<&str> = posts
        .iter()
        .map(|post| post["url"].as_str().unwrap())
        .collect();
    urls.sort_unstable();
    urls.dedup();
    assert_eq!(urls.len(), posts.len(), "one POST per inbox: {reply}");
}

/// A Woolly server for a test, with its logs shown when asked for.
async fn woolly() -> Node {
    show_logs();
    Node::start().await
}

/// (a) The peer follows alice; Woolly accepts, lists the peer among alice's followers, and
/// delivers alice's public post to it, signed so that Fedify verifies it.
async fn peer_follows_woolly_user(spec: &str) {
    let Some((node, script)) = peer_environment() else {
        return;
    };
    let woolly = woolly().await;
    let alice = woolly.user("alice").await;
    let mut peer = Peer::start(&node, &script, spec).await;

    let follow = peer
        .ok(json!({"cmd": "follow", "target": alice.handle, "spec": spec}))
        .await;
    assert_delivered(&follow, &woolly.server.base_url, spec);
    let accept = peer
        .wait_for("Accept", Some(follow["id"].as_str().unwrap()))
        .await;
    assert_eq!(
        accept["signature"], CAVAGE,
        "Woolly signs with draft-cavage: {accept}"
    );
    let following = peer.ok(json!({"cmd": "following"})).await;
    assert_eq!(following["following"][0]["accepted"], true, "{following}");

    eventually(WAIT, "the peer among alice's followers", || async {
        let followers = alice
            .get_ok(&format!("/api/v1/accounts/{}/followers", alice.id))
            .await;
        followers
            .as_array()
            .unwrap()
            .iter()
            .any(|follower| follower["acct"] == peer.handle)
            .then_some(())
    })
    .await;

    let text = format!("Hello Fedify, alice here ({spec})");
    let status = alice
        .post(
            "/api/v1/statuses",
            json!({"status": text, "visibility": "public"}),
        )
        .await;
    let uri = status["uri"].as_str().unwrap();
    let create = peer.wait_for("Create", Some(uri)).await;
    assert_eq!(create["signature"], CAVAGE, "{create}");
    assert!(
        create["object"]["content"]
            .as_str()
            .is_some_and(|content| content.contains(&text)),
        "{create}"
    );
    woolly.server.stop().await;
}

/// (b) alice follows the peer, which accepts; the peer's post, edit, like, boost, their undoing,
/// deletion and profile update all reach Woolly, signed with `spec` and accepted at once.
async fn woolly_user_follows_peer(spec: &str) {
    let Some((node, script)) = peer_environment() else {
        return;
    };
    let woolly = woolly().await;
    let base = woolly.server.base_url.clone();
    let alice = woolly.user("alice").await;
    let mut peer = Peer::start(&node, &script, spec).await;

    // The Follow reaches the peer verified; its auto-Accept (with the peer's default spec) is
    // accepted by Woolly.
    let peer_id = alice.follow_and_wait(&peer.handle).await;
    let follow = peer.wait_for("Follow", None).await;
    assert_eq!(follow["signature"], CAVAGE, "{follow}");
    assert_eq!(follow["object"]["id"], peer.actor.as_str(), "{follow}");
    assert!(follow["accepted"].is_string(), "{follow}");
    assert_delivered(&json!({"requests": follow["accept_requests"]}), &base, spec);

    // A public post of the peer reaches alice's home timeline.
    let text = format!("Hello Woolly, Fedify here ({spec})");
    let created = peer
        .ok(json!({"cmd": "create", "content": format!("<p>{text}</p>"), "spec": spec}))
        .await;
    assert_delivered(&created, &base, spec);
    let note = created["id"].as_str().unwrap().to_owned();
    let status = alice.wait_home(&text).await;
    assert_eq!(status["account"]["acct"], peer.handle, "{status}");
    let status_id = status["id"].as_str().unwrap().to_owned();

    // An edit.
    let updated = peer
        .ok(json!({"cmd": "update", "object": note, "content": "<p>edited by Fedify</p>", "spec": spec}))
        .await;
    assert_delivered(&updated, &base, spec);
    eventually(WAIT, "the peer's edit", || async {
        let status = alice.status(&status_id).await;
        (status["content"].as_str()?.contains("edited by Fedify") && !status["edited_at"].is_null())
            .then_some(())
    })
    .await;

    // A like and a boost of alice's post notify her and count.
    let mine = alice
        .post(
            "/api/v1/statuses",
            json!({"status": "alice's own post", "visibility": "public"}),
        )
        .await;
    let mine_id = mine["id"].as_str().unwrap().to_owned();
    let mine_uri = mine["uri"].as_str().unwrap();
    let like = peer
        .ok(json!({"cmd": "like", "object": mine_uri, "spec": spec}))
        .await;
    assert_delivered(&like, &base, spec);
    alice.wait_notification("favourite", &peer.handle).await;
    let announce = peer
        .ok(json!({"cmd": "announce", "object": mine_uri, "spec": spec}))
        .await;
    assert_delivered(&announce, &base, spec);
    alice.wait_notification("reblog", &peer.handle).await;
    eventually(WAIT, "a favourite and a reblog counted", || async {
        let status = alice.status(&mine_id).await;
        (status["favourites_count"] == 1 && status["reblogs_count"] == 1).then_some(())
    })
    .await;

    // Undoing them brings the counts back to zero.
    for activity in [&like, &announce] {
        let undo = peer
            .ok(json!({"cmd": "undo", "activity": activity["id"], "spec": spec}))
            .await;
        assert_delivered(&undo, &base, spec);
    }
    eventually(WAIT, "the favourite and the reblog undone", || async {
        let status = alice.status(&mine_id).await;
        (status["favourites_count"] == 0 && status["reblogs_count"] == 0).then_some(())
    })
    .await;

    // A deletion.
    let deleted = peer
        .ok(json!({"cmd": "delete", "object": note, "spec": spec}))
        .await;
    assert_delivered(&deleted, &base, spec);
    eventually(WAIT, "the peer's post deleted", || async {
        let (status, _) = alice.get(&format!("/api/v1/statuses/{status_id}")).await;
        (status == 404).then_some(())
    })
    .await;

    // A profile update.
    let name = format!("Renamed peer ({spec})");
    let profile = peer
        .ok(json!({"cmd": "update_profile", "name": name, "spec": spec}))
        .await;
    assert_delivered(&profile, &base, spec);
    eventually(WAIT, "the peer's new display name", || async {
        let account = alice.get_ok(&format!("/api/v1/accounts/{peer_id}")).await;
        (account["display_name"] == name.as_str()).then_some(())
    })
    .await;
    woolly.server.stop().await;
}

#[tokio::test]
async fn fedify_follows_a_woolly_user_and_receives_its_posts_draft_cavage() {
    peer_follows_woolly_user(CAVAGE).await;
}

#[tokio::test]
async fn fedify_follows_a_woolly_user_and_receives_its_posts_rfc9421() {
    peer_follows_woolly_user(RFC9421).await;
}

#[tokio::test]
async fn a_woolly_user_follows_fedify_which_posts_edits_likes_boosts_undoes_and_deletes_draft_cavage()
 {
    woolly_user_follows_peer(CAVAGE).await;
}

#[tokio::test]
async fn a_woolly_user_follows_fedify_which_posts_edits_likes_boosts_undoes_and_deletes_rfc9421() {
    woolly_user_follows_peer(RFC9421).await;
}

/// (d) An unsigned POST to the shared inbox is refused with 401 and creates nothing, while the
/// same peer's signed post, sent after it, arrives.
#[tokio::test]
async fn an_unsigned_post_to_the_shared_inbox_is_refused_and_creates_nothing() {
    let Some((node, script)) = peer_environment() else {
        return;
    };
    let woolly = woolly().await;
    let alice = woolly.user("alice").await;
    let mut peer = Peer::start(&node, &script, CAVAGE).await;
    alice.follow_and_wait(&peer.handle).await;
    let before = alice.home().await;

    let unsigned = peer
        .ok(json!({
            "cmd": "unsigned_post",
            "inbox": woolly.server.url("/inbox"),
            "content": "<p>unsigned and unwelcome</p>",
        }))
        .await;
    assert_eq!(unsigned["status"], 401, "{unsigned}");

    // A signed post sent afterwards arrives; the unsigned one never did.
    peer.ok(json!({"cmd": "create", "content": "<p>signed and welcome</p>"}))
        .await;
    alice.wait_home("signed and welcome").await;
    let after = alice.home().await;
    assert_eq!(after.len(), before.len() + 1, "{after:?}");
    assert!(
        after.iter().all(|status| !status["content"]
            .as_str()
            .unwrap_or_default()
            .contains("unwelcome")),
        "{after:?}"
    );
    woolly.server.stop().await;
}

/// Reports both ways: Fedify flags a Woolly user and her post, which Woolly's moderators then
/// see; a Woolly user reports the Fedify actor with `forward`, and the Flag reaches Fedify from
/// Woolly's instance actor, signed so that Fedify verifies it.
#[tokio::test]
async fn reports_travel_both_ways_between_woolly_and_fedify() {
    let Some((node, script)) = peer_environment() else {
        return;
    };
    let woolly = woolly().await;
    let alice = woolly.user("alice").await;
    let mut peer = Peer::start(&node, &script, CAVAGE).await;
    let (moderator, _) = common::staff_account(&woolly.server, "mod", "moderator").await;
    let post = alice
        .post("/api/v1/statuses", json!({"status": "Reported by Fedify"}))
        .await;

    peer.ok(
        json!({"cmd": "flag", "target": alice.handle, "content": "Seen from Fedify",
                   "statuses": [post["uri"]]}),
    )
    .await;
    let report = eventually(WAIT, "Fedify's report", || async {
        let (status, reports) = woolly
            .server
            .call(
                reqwest::Method::GET,
                "/api/v1/admin/reports",
                Some(&moderator),
                Value::Null,
            )
            .await;
        assert_eq!(status, 200, "{reports}");
        reports.as_array().unwrap().first().cloned()
    })
    .await;
    assert_eq!(report["target_account"]["username"], "alice");
    assert_eq!(report["comment"], "Seen from Fedify");
    assert_eq!(report["statuses"][0]["id"], post["id"], "{report}");
    assert_eq!(report["account"]["account"]["acct"], peer.handle);

    let peer_id = alice.resolve(&peer.handle).await;
    let forwarded = alice
        .post(
            "/api/v1/reports",
            json!({"account_id": peer_id, "comment": "Seen from Woolly", "forward": true}),
        )
        .await;
    assert_eq!(forwarded["forwarded"], true);
    let flag = peer.wait_for("Flag", None).await;
    assert_eq!(
        flag["actor"],
        format!("{}/actor", woolly.server.base_url),
        "from the instance actor: {flag}"
    );
    assert_eq!(flag["raw"]["content"], "Seen from Woolly", "{flag}");
    woolly.server.stop().await;
}

#[tokio::test]
async fn accounts_move_both_ways_between_woolly_and_fedify() {
    let Some((node, script)) = peer_environment() else {
        return;
    };
    let woolly = woolly().await;
    let base = woolly.server.base_url.clone();
    let alice = woolly.user("alice").await;
    let newcomer = woolly.user("newcomer").await;
    let fan = woolly.user("fan").await;
    let mut peer = Peer::start(&node, &script, CAVAGE).await;

    // The peer moves to newcomer, who named it as an alias: fan, who followed the peer,
    // follows newcomer (at once: both are here), and the peer shows as moved.
    let peer_id = fan.follow_and_wait(&peer.handle).await;
    let newcomer_account = woolly
        .server
        .woolly
        .accounts()
        .local_account("newcomer")
        .await
        .unwrap()
        .unwrap();
    woolly
        .server
        .woolly
        .accounts()
        .add_alias(&newcomer_account, &peer.handle)
        .await
        .unwrap();
    let moved = peer
        .ok(json!({"cmd": "move", "target": newcomer.handle}))
        .await;
    assert_delivered(&moved, &base, CAVAGE);
    eventually(
        WAIT,
        "fan following newcomer instead of the peer",
        || async {
            let (to_newcomer, to_peer) = (
                fan.relationship(&newcomer.id).await,
                fan.relationship(&peer_id).await,
            );
            (to_newcomer["following"] == true && to_peer["following"] == false).then_some(())
        },
    )
    .await;
    let shown = fan.get_ok(&format!("/api/v1/accounts/{peer_id}")).await;
    assert_eq!(shown["moved"]["acct"], "newcomer", "{shown}");
    // The unfollow of the moved peer reached it.
    peer.wait_for("Undo", None).await;

    // alice moves to a second Fedify peer, which names her as an alias: it receives a Move
    // it verifies, and her follower here asks to follow it.
    let mut second = Peer::start(&node, &script, CAVAGE).await;
    let second_id = alice.resolve(&second.handle).await;
    let follower = woolly.user("follower").await;
    follower
        .post(&format!("/api/v1/accounts/{}/follow", alice.id), json!({}))
        .await;
    // The second peer follows alice too, to hear of her move.
    let follow = second
        .ok(json!({"cmd": "follow", "target": alice.handle}))
        .await;
    second
        .wait_for("Accept", Some(follow["id"].as_str().unwrap()))
        .await;
    let alias = second
        .ok(json!({"cmd": "alias", "target": alice.handle}))
        .await;
    assert_eq!(
        alias["aliases"],
        json!([format!("{base}/users/alice")]),
        "{alias}"
    );
    let alice_account = woolly
        .server
        .woolly
        .accounts()
        .local_account("alice")
        .await
        .unwrap()
        .unwrap();
    woolly
        .server
        .woolly
        .accounts()
        .move_to(&alice_account, "a long enough password", &second.handle)
        .await
        .expect("alice moves to the second peer");
    let received = second
        .wait_for("Move", Some(&format!("{base}/users/alice")))
        .await;
    assert_eq!(received["verified"], true, "{received}");
    assert_eq!(received["signature"], CAVAGE, "{received}");
    assert_eq!(
        received["raw"]["target"],
        second.actor.as_str(),
        "{received}"
    );
    // The follower here follows the peer now (its Follow is accepted by the peer).
    second.wait_for("Follow", None).await;
    eventually(WAIT, "the follower following the second peer", || async {
        let relation = follower.relationship(&second_id).await;
        (relation["following"] == true).then_some(())
    })
    .await;
    woolly.server.stop().await;
}
