//! The visibility matrix: one author posts one status of each visibility (plus a self-reply, a
//! reply to someone else, and a reblog by a third account), and every kind of viewer reads every
//! path: the status and its thread, timelines, profiles, lists, notifications, conversations,
//! search, bookmarks and favourites, and every stream.
//!
//! The expected answers are Mastodon 4.5's, read from its source, except for blocks: Woolly's
//! issue asks that a block hide both sides from each other everywhere, so a viewer who blocked
//! the author does not open the author's posts, profile or saved posts either (Mastodon's
//! `StatusPolicy#show?` would let them, and keeps bookmarks and favourites). The rest:
//! `StatusFilter` for threads and search (your own blocks and mutes hide too), `AccountStatusesFilter` for profiles, `FeedManager#filter_from_home`
//! for home and lists (replies to people you do not follow stay out), `PublicFeed` and `TagFeed`
//! (no replies to others on the public timeline, every reply on a tag), `MuteService` (a mute
//! with notifications clears the muted account's notifications), and the streaming server's
//! `streamFrom`.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use common::{TestInstance, TestServer, TestUser as User, eventually, http, user};
use futures_util::{SinkExt as _, StreamExt as _};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use tokio_tungstenite::tungstenite::Message;

/// The columns of every table below, in order.
const VIEWERS: [&str; 8] = [
    "anonymous", // no token
    "author",    // wrote the statuses
    "follower",  // follows the author
    "mentioned", // mentioned in the four visibility posts, does not follow
    "stranger",  // no relation (the reply answers their thread and mentions them)
    "blocked",   // followed, favourited and bookmarked; then the author blocked them
    "blocker",   // followed, favourited and bookmarked; then blocked the author
    "muter", // follows, favourited and bookmarked; then muted the author (mentioned in the self-reply)
];

/// The statuses of the tables: the author's `public`, `unlisted`, `private` and `direct` posts
/// (each mentions @mentioned and carries #matrix), the author's `self-reply` to the public one
/// (mentioning @muter), the author's `reply` to the stranger's thread (mentioning @stranger),
/// the booster's `reblog` of the public post, and the follower's `answer` to the self-reply.
///
/// Marks: `Y` there (or the request succeeds), `.` not there (404 for a single status), `-` not
/// asked (the path needs a signed-in user).
///
/// REST paths: `status` is GET /statuses/:id, /context, /favourited_by and /reblogged_by at once;
/// `thread` is the status among the descendants of its thread's root (the public post, or the
/// stranger's post for the reply); `public` is the public timeline, all and local; `account` is
/// the author's statuses (the booster's for the reblog); `list` is the viewer's own list, which
/// holds the author when the viewer followed them; `mentions` are mention notifications;
/// `search` is /api/v2/search for "matrix"; `saved` is /favourites and /bookmarks.
#[rustfmt::skip]
const READS: &[(&str, &str, &str)] = &[
    // path            status        anon auth foll ment stra bkd  bkr  mute
    ("status",        "public",     "Y    Y    Y    Y    Y    .    .    Y"),
    ("status",        "unlisted",   "Y    Y    Y    Y    Y    .    .    Y"),
    ("status",        "private",    ".    Y    Y    Y    .    .    .    Y"),
    ("status",        "direct",     ".    Y    .    Y    .    .    .    ."),
    ("status",        "self-reply", "Y    Y    Y    Y    Y    .    .    Y"),
    ("status",        "reply",      "Y    Y    Y    Y    Y    .    .    Y"),
    ("thread",        "self-reply", "Y    Y    Y    Y    Y    .    .    ."),
    ("thread",        "answer",     "Y    Y    Y    Y    Y    .    .    Y"),
    ("thread",        "reply",      "Y    Y    Y    Y    Y    .    .    ."),
    ("home",          "public",     "-    Y    Y    .    .    .    .    ."),
    ("home",          "unlisted",   "-    Y    Y    .    .    .    .    ."),
    ("home",          "private",    "-    Y    Y    .    .    .    .    ."),
    ("home",          "direct",     "-    Y    .    .    .    .    .    ."),
    ("home",          "self-reply", "-    Y    Y    .    .    .    .    ."),
    ("home",          "reply",      "-    Y    .    .    .    .    .    ."),
    ("home",          "reblog",     "-    .    .    Y    Y    .    .    ."),
    ("home",          "answer",     "-    .    Y    .    .    .    .    ."),
    ("public",        "public",     "Y    Y    Y    Y    Y    .    .    ."),
    ("public",        "unlisted",   ".    .    .    .    .    .    .    ."),
    ("public",        "private",    ".    .    .    .    .    .    .    ."),
    ("public",        "direct",     ".    .    .    .    .    .    .    ."),
    ("public",        "self-reply", "Y    Y    Y    Y    Y    .    .    ."),
    ("public",        "reply",      ".    .    .    .    .    .    .    ."),
    ("public",        "reblog",     ".    .    .    .    .    .    .    ."),
    ("public",        "answer",     ".    .    .    .    .    .    .    ."),
    ("tag",           "public",     "Y    Y    Y    Y    Y    .    .    ."),
    ("tag",           "unlisted",   ".    .    .    .    .    .    .    ."),
    ("tag",           "private",    ".    .    .    .    .    .    .    ."),
    ("tag",           "direct",     ".    .    .    .    .    .    .    ."),
    ("tag",           "self-reply", "Y    Y    Y    Y    Y    .    .    ."),
    ("tag",           "reply",      "Y    Y    Y    Y    Y    .    .    ."),
    ("account",       "public",     "Y    Y    Y    Y    Y    .    .    Y"),
    ("account",       "unlisted",   "Y    Y    Y    Y    Y    .    .    Y"),
    ("account",       "private",    ".    Y    Y    Y    .    .    .    Y"),
    ("account",       "direct",     ".    Y    .    Y    .    .    .    ."),
    ("account",       "self-reply", "Y    Y    Y    Y    Y    .    .    Y"),
    ("account",       "reply",      "Y    Y    Y    Y    Y    .    .    Y"),
    ("account",       "reblog",     "Y    Y    Y    Y    Y    .    .    ."),
    ("list",          "public",     "-    .    Y    .    .    .    .    ."),
    ("list",          "unlisted",   "-    .    Y    .    .    .    .    ."),
    ("list",          "private",    "-    .    Y    .    .    .    .    ."),
    ("list",          "direct",     "-    .    .    .    .    .    .    ."),
    ("list",          "self-reply", "-    .    Y    .    .    .    .    ."),
    ("list",          "reply",      "-    .    .    .    .    .    .    ."),
    ("mentions",      "public",     "-    .    .    Y    .    .    .    ."),
    ("mentions",      "unlisted",   "-    .    .    Y    .    .    .    ."),
    ("mentions",      "private",    "-    .    .    Y    .    .    .    ."),
    ("mentions",      "direct",     "-    .    .    Y    .    .    .    ."),
    ("mentions",      "self-reply", "-    .    .    .    .    .    .    ."),
    ("mentions",      "reply",      "-    .    .    .    Y    .    .    ."),
    ("conversations", "direct",     "-    Y    .    Y    .    .    .    ."),
    ("search",        "public",     ".    Y    .    Y    .    .    .    ."),
    ("search",        "unlisted",   ".    Y    .    Y    .    .    .    ."),
    ("search",        "private",    ".    Y    .    Y    .    .    .    ."),
    ("search",        "direct",     ".    Y    .    Y    .    .    .    ."),
    ("search",        "self-reply", ".    Y    .    .    .    .    .    ."),
    ("search",        "reply",      ".    Y    .    .    Y    .    .    ."),
    ("saved",         "public",     "-    .    .    .    .    .    .    Y"),
    ("saved",         "unlisted",   "-    .    .    .    .    .    .    Y"),
    ("saved",         "private",    "-    .    .    .    .    .    .    Y"),
    ("saved",         "direct",     "-    .    .    .    .    .    .    ."),
];

/// What each viewer's streams carry when the same statuses are posted again after the blocks
/// and the mute, and when the unlisted, private and direct ones are then deleted and the
/// reblog undone: `(stream,
/// event, status)`, where the event is `update`, `delete`, `conversation`, or a notification's
/// type (`mention`, `reblog`). Every viewer subscribes to `public`, `public:local` and `hashtag`
/// (#matrix); signed-in viewers also to `user`, `user:notification`, `direct` and their list.
/// Anything that arrives and is not in this table fails the test.
#[rustfmt::skip]
const STREAMS: &[(&str, &str, &str, &str)] = &[
    // stream              event           status        anon auth foll ment stra bkd  bkr  mute
    ("user",              "update",       "public",     "-    Y    Y    .    .    .    .    ."),
    ("user",              "update",       "unlisted",   "-    Y    Y    .    .    .    .    ."),
    ("user",              "update",       "private",    "-    Y    Y    .    .    .    .    ."),
    ("user",              "update",       "direct",     "-    Y    .    .    .    .    .    ."),
    ("user",              "update",       "self-reply", "-    Y    Y    .    .    .    .    ."),
    ("user",              "update",       "reply",      "-    Y    .    .    .    .    .    ."),
    ("user",              "update",       "reblog",     "-    .    .    Y    Y    .    .    ."),
    ("user",              "mention",      "public",     "-    .    .    Y    .    .    .    ."),
    ("user",              "mention",      "unlisted",   "-    .    .    Y    .    .    .    ."),
    ("user",              "mention",      "private",    "-    .    .    Y    .    .    .    ."),
    ("user",              "mention",      "direct",     "-    .    .    Y    .    .    .    ."),
    ("user",              "mention",      "reply",      "-    .    .    .    Y    .    .    ."),
    ("user",              "reblog",       "public",     "-    Y    .    .    .    .    .    ."),
    ("user",              "delete",       "unlisted",   "-    Y    Y    Y    .    .    .    ."),
    ("user",              "delete",       "private",    "-    Y    Y    Y    .    .    .    ."),
    ("user",              "delete",       "direct",     "-    Y    .    Y    .    .    .    ."),
    ("user",              "delete",       "reblog",     "-    .    .    Y    Y    .    .    ."),
    ("user:notification", "mention",      "public",     "-    .    .    Y    .    .    .    ."),
    ("user:notification", "mention",      "unlisted",   "-    .    .    Y    .    .    .    ."),
    ("user:notification", "mention",      "private",    "-    .    .    Y    .    .    .    ."),
    ("user:notification", "mention",      "direct",     "-    .    .    Y    .    .    .    ."),
    ("user:notification", "mention",      "reply",      "-    .    .    .    Y    .    .    ."),
    ("user:notification", "reblog",       "public",     "-    Y    .    .    .    .    .    ."),
    ("public",            "update",       "public",     "Y    Y    Y    Y    Y    .    .    ."),
    ("public",            "update",       "self-reply", "Y    Y    Y    Y    Y    .    .    ."),
    ("public:local",      "update",       "public",     "Y    Y    Y    Y    Y    .    .    ."),
    ("public:local",      "update",       "self-reply", "Y    Y    Y    Y    Y    .    .    ."),
    ("hashtag",           "update",       "public",     "Y    Y    Y    Y    Y    .    .    ."),
    ("hashtag",           "update",       "self-reply", "Y    Y    Y    Y    Y    .    .    ."),
    ("hashtag",           "update",       "reply",      "Y    Y    Y    Y    Y    .    .    ."),
    ("list",              "update",       "public",     "-    .    Y    .    .    .    .    ."),
    ("list",              "update",       "unlisted",   "-    .    Y    .    .    .    .    ."),
    ("list",              "update",       "private",    "-    .    Y    .    .    .    .    ."),
    ("list",              "update",       "self-reply", "-    .    Y    .    .    .    .    ."),
    ("list",              "delete",       "unlisted",   "-    .    Y    .    .    .    .    ."),
    ("list",              "delete",       "private",    "-    .    Y    .    .    .    .    ."),
    ("direct",            "conversation", "direct",     "-    Y    .    Y    .    .    .    ."),
];

/// The viewers a row's marks select (`Y`), checking that the row is well formed.
fn marked(marks: &str) -> Vec<&'static str> {
    let marks: Vec<&str> = marks.split_whitespace().collect();
    assert_eq!(marks.len(), VIEWERS.len(), "a row has one mark per viewer");
    VIEWERS
        .iter()
        .zip(marks)
        .filter_map(|(viewer, mark)| match mark {
            "Y" => Some(*viewer),
            "." | "-" => None,
            other => panic!("unknown mark {other:?}"),
        })
        .collect()
}

async fn get(server: &TestServer, user: Option<&User>, path: &str) -> (StatusCode, Value) {
    let token = user.map(|user| user.token.as_str());
    server.call(Method::GET, path, token, Value::Null).await
}

async fn post(server: &TestServer, user: &User, path: &str, body: Value) -> Value {
    let (code, body) = server
        .call(Method::POST, path, Some(&user.token), body)
        .await;
    assert_eq!(code, StatusCode::OK, "POST {path}: {body}");
    body
}

async fn delete(server: &TestServer, user: &User, path: &str) {
    let response = http()
        .delete(server.url(path))
        .bearer_auth(&user.token)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK, "DELETE {path}");
}

fn ids(list: &Value) -> Vec<String> {
    list.as_array()
        .unwrap_or_else(|| panic!("a list: {list}"))
        .iter()
        .map(|item| item["id"].as_str().unwrap().to_owned())
        .collect()
}

/// Waits until every queued job (fan-out, conversations) has run.
async fn jobs_done(server: &TestServer) {
    eventually(Duration::from_secs(30), "the jobs to run", || async {
        let counts = server.woolly.jobs().job_counts().await.unwrap();
        counts
            .iter()
            .all(|count| {
                !matches!(
                    count.state,
                    woolly_store::JobState::Queued | woolly_store::JobState::Running
                )
            })
            .then_some(())
    })
    .await;
}

/// The rig: every viewer, the booster, and what they wrote.
struct Rig {
    server: TestServer,
    users: HashMap<&'static str, User>,
    /// Each viewer's list (signed-in viewers only).
    lists: HashMap<&'static str, String>,
}

impl Rig {
    fn user(&self, name: &str) -> &User {
        &self.users[name]
    }

    fn viewer(&self, name: &str) -> Option<&User> {
        self.users.get(name).filter(|_| name != "anonymous")
    }

    async fn follow(&self, follower: &str, target: &str) {
        let path = format!("/api/v1/accounts/{}/follow", self.user(target).id);
        post(&self.server, self.user(follower), &path, json!({})).await;
    }

    /// Posts as `author`; returns the status id.
    async fn status(&self, author: &str, body: Value) -> String {
        let posted = post(&self.server, self.user(author), "/api/v1/statuses", body).await;
        posted["id"].as_str().unwrap().to_owned()
    }

    /// The author's statuses (and the others' around them), posted in the order the tables name
    /// them; `root` is the stranger's thread that the reply answers.
    async fn post_everything(
        &self,
        root: &str,
        with_answer: bool,
    ) -> HashMap<String, &'static str> {
        let mut labels = HashMap::new();
        let mut posted = HashMap::new();
        for visibility in ["public", "unlisted", "private", "direct"] {
            let id = self
                .status(
                    "author",
                    json!({"status": format!("@mentioned a {visibility} post on #matrix"), "visibility": visibility}),
                )
                .await;
            posted.insert(visibility, id.clone());
            labels.insert(id, visibility);
        }
        let self_reply = self
            .status(
                "author",
                json!({"status": "@muter more on #matrix", "in_reply_to_id": posted["public"]}),
            )
            .await;
        labels.insert(self_reply.clone(), "self-reply");
        let reply = self
            .status(
                "author",
                json!({"status": "@stranger an answer on #matrix", "in_reply_to_id": root}),
            )
            .await;
        labels.insert(reply, "reply");
        if with_answer {
            let answer = self
                .status(
                    "follower",
                    json!({"status": "well said", "in_reply_to_id": self_reply}),
                )
                .await;
            labels.insert(answer, "answer");
        }
        labels
    }

    /// The booster reblogs the public post.
    async fn boost(&self, labels: &mut HashMap<String, &'static str>) {
        let public = labels
            .iter()
            .find(|(_, label)| **label == "public")
            .map(|(id, _)| id.clone())
            .unwrap();
        let reblog = post(
            &self.server,
            self.user("booster"),
            &format!("/api/v1/statuses/{public}/reblog"),
            json!({}),
        )
        .await;
        labels.insert(reblog["id"].as_str().unwrap().to_owned(), "reblog");
    }
}

/// Sets up the rig: relations, lists, and the stranger's thread.
async fn rig(instance: &TestInstance) -> (Rig, String) {
    let server = instance.start().await;
    let mut users = HashMap::new();
    // The herald is nobody's friend nor foe: its public posts reach every viewer's stream.
    for name in VIEWERS.iter().skip(1).chain(&["booster", "herald"]) {
        users.insert(*name, user(&server, name).await);
    }
    let mut rig = Rig {
        server,
        users,
        lists: HashMap::new(),
    };
    for follower in ["follower", "blocked", "blocker", "muter"] {
        rig.follow(follower, "author").await;
    }
    for follower in ["mentioned", "stranger", "blocked", "blocker", "muter"] {
        rig.follow(follower, "booster").await;
    }
    // Mastodon's default policy keeps a private mention from someone not followed aside; the
    // mentioned viewer lets them through, so that every path shows what visibility allows.
    let response = http()
        .patch(rig.server.url("/api/v2/notifications/policy"))
        .bearer_auth(&rig.user("mentioned").token)
        .json(&json!({"for_private_mentions": "accept"}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    for owner in VIEWERS.iter().skip(1) {
        let list = post(
            &rig.server,
            rig.user(owner),
            "/api/v1/lists",
            json!({"title": "matrix"}),
        )
        .await;
        let list_id = list["id"].as_str().unwrap().to_owned();
        if ["follower", "blocked", "blocker", "muter"].contains(owner) {
            post(
                &rig.server,
                rig.user(owner),
                &format!("/api/v1/lists/{list_id}/accounts"),
                json!({"account_ids": [rig.user("author").id]}),
            )
            .await;
        }
        rig.lists.insert(owner, list_id);
    }
    let root = rig
        .status(
            "stranger",
            json!({"status": "a thread of my own", "visibility": "public"}),
        )
        .await;
    (rig, root)
}

/// Blocks and mutes, as the viewers' names say.
async fn fall_out(rig: &Rig) {
    let author = &rig.user("author").id;
    post(
        &rig.server,
        rig.user("author"),
        &format!("/api/v1/accounts/{}/block", rig.user("blocked").id),
        json!({}),
    )
    .await;
    post(
        &rig.server,
        rig.user("blocker"),
        &format!("/api/v1/accounts/{author}/block"),
        json!({}),
    )
    .await;
    post(
        &rig.server,
        rig.user("muter"),
        &format!("/api/v1/accounts/{author}/mute"),
        json!({}),
    )
    .await;
}

/// What `viewer` finds on `path`, as labels of the statuses in `labels`.
async fn read(
    rig: &Rig,
    path: &str,
    viewer: &str,
    labels: &HashMap<String, &'static str>,
    root: &str,
) -> Vec<&'static str> {
    let server = &rig.server;
    let user = rig.viewer(viewer);
    let label_of = |id: &str| labels.get(id).copied();
    let id_of = |label: &str| {
        labels
            .iter()
            .find(|(_, candidate)| **candidate == label)
            .map(|(id, _)| id.clone())
            .unwrap()
    };
    let listed = |list: &Value| -> Vec<&'static str> {
        ids(list).iter().filter_map(|id| label_of(id)).collect()
    };
    let mut found = Vec::new();
    match path {
        "status" => {
            for label in [
                "public",
                "unlisted",
                "private",
                "direct",
                "self-reply",
                "reply",
            ] {
                let id = id_of(label);
                let mut codes = Vec::new();
                for suffix in ["", "/context", "/favourited_by", "/reblogged_by"] {
                    let (code, body) =
                        get(server, user, &format!("/api/v1/statuses/{id}{suffix}")).await;
                    if code == StatusCode::NOT_FOUND {
                        assert_eq!(body, json!({"error": "Record not found"}));
                    } else {
                        assert_eq!(code, StatusCode::OK, "{viewer} {label}{suffix}: {body}");
                    }
                    codes.push(code);
                }
                assert!(
                    codes.iter().all(|code| *code == codes[0]),
                    "{viewer}: the page, thread and actors of the {label} status agree: {codes:?}"
                );
                if codes[0] == StatusCode::OK {
                    found.push(label);
                }
            }
        }
        "thread" => {
            for root in [id_of("public"), root.to_owned()] {
                let (code, context) =
                    get(server, user, &format!("/api/v1/statuses/{root}/context")).await;
                if code == StatusCode::OK {
                    found.extend(listed(&context["descendants"]));
                }
            }
        }
        "home" | "list" | "mentions" | "conversations" | "saved" => {
            let Some(user) = user else {
                let endpoint = match path {
                    "home" => "/api/v1/timelines/home".to_owned(),
                    "list" => format!("/api/v1/timelines/list/{}", rig.lists["follower"]),
                    "mentions" => "/api/v1/notifications".to_owned(),
                    "conversations" => "/api/v1/conversations".to_owned(),
                    _ => "/api/v1/bookmarks".to_owned(),
                };
                let (code, _) = get(server, None, &endpoint).await;
                assert_eq!(code, StatusCode::UNAUTHORIZED, "{endpoint} needs a token");
                return found;
            };
            match path {
                "home" => {
                    found = listed(&get(server, Some(user), "/api/v1/timelines/home").await.1)
                }
                "list" => {
                    let list = &rig.lists[viewer];
                    let (code, timeline) = get(
                        server,
                        Some(user),
                        &format!("/api/v1/timelines/list/{list}"),
                    )
                    .await;
                    assert_eq!(code, StatusCode::OK, "{timeline}");
                    found = listed(&timeline);
                }
                "mentions" => {
                    let (_, notifications) =
                        get(server, Some(user), "/api/v1/notifications?types[]=mention").await;
                    for notification in notifications.as_array().unwrap() {
                        found.extend(notification["status"]["id"].as_str().and_then(label_of));
                    }
                }
                "conversations" => {
                    let (_, conversations) = get(server, Some(user), "/api/v1/conversations").await;
                    for conversation in conversations.as_array().unwrap() {
                        found.extend(
                            conversation["last_status"]["id"]
                                .as_str()
                                .and_then(label_of),
                        );
                    }
                }
                _ => {
                    let favourites = listed(&get(server, Some(user), "/api/v1/favourites").await.1);
                    let bookmarks = listed(&get(server, Some(user), "/api/v1/bookmarks").await.1);
                    assert_eq!(
                        sorted(favourites.clone()),
                        sorted(bookmarks),
                        "{viewer} favourited and bookmarked the same statuses"
                    );
                    found = favourites;
                }
            }
        }
        "public" => {
            let all = listed(&get(server, user, "/api/v1/timelines/public").await.1);
            let local = listed(
                &get(server, user, "/api/v1/timelines/public?local=true")
                    .await
                    .1,
            );
            assert_eq!(
                sorted(all.clone()),
                sorted(local),
                "{viewer}: all is local here"
            );
            found = all;
        }
        "tag" => found = listed(&get(server, user, "/api/v1/timelines/tag/matrix").await.1),
        "account" => {
            for account in ["author", "booster"] {
                let id = &rig.user(account).id;
                let (code, statuses) =
                    get(server, user, &format!("/api/v1/accounts/{id}/statuses")).await;
                assert_eq!(code, StatusCode::OK, "{statuses}");
                found.extend(listed(&statuses));
            }
        }
        "search" => {
            let (code, results) = get(
                server,
                user,
                "/api/v2/search?q=matrix&type=statuses&limit=40",
            )
            .await;
            assert_eq!(code, StatusCode::OK, "{results}");
            found = listed(&results["statuses"]);
        }
        other => panic!("unknown path {other}"),
    }
    found
}

fn sorted<T: Ord>(mut items: Vec<T>) -> Vec<T> {
    items.sort();
    items
}

#[tokio::test]
async fn every_read_path_shows_each_viewer_what_mastodon_would() {
    let instance = TestInstance::new().await;
    let (rig, root) = rig(&instance).await;
    let mut labels = rig.post_everything(&root, true).await;
    // The ones who will fall out interact while they still may.
    for viewer in ["blocked", "blocker", "muter"] {
        for label in ["public", "unlisted", "private"] {
            let id = labels
                .iter()
                .find(|(_, candidate)| **candidate == label)
                .map(|(id, _)| id.clone())
                .unwrap();
            for action in ["favourite", "bookmark"] {
                let path = format!("/api/v1/statuses/{id}/{action}");
                post(&rig.server, rig.user(viewer), &path, json!({})).await;
            }
        }
    }
    jobs_done(&rig.server).await;
    fall_out(&rig).await;
    rig.boost(&mut labels).await;
    jobs_done(&rig.server).await;

    let mut paths: Vec<&str> = READS.iter().map(|(path, _, _)| *path).collect();
    paths.dedup();
    let mut failures = Vec::new();
    for path in paths {
        for viewer in VIEWERS {
            let rows: Vec<&(&str, &str, &str)> = READS
                .iter()
                .filter(|(row_path, _, _)| *row_path == path)
                .collect();
            let found = read(&rig, path, viewer, &labels, &root).await;
            for (_, label, marks) in &rows {
                let expected = marked(marks).contains(&viewer);
                let present = found.contains(label);
                if expected != present {
                    failures.push(format!(
                        "{path}: {viewer} {} the {label} status",
                        if present { "finds" } else { "misses" }
                    ));
                }
            }
            let mut unique = found.clone();
            unique.sort();
            unique.dedup();
            assert_eq!(
                unique.len(),
                found.len(),
                "{path}: {viewer} got duplicates: {found:?}"
            );
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));

    // The author's favourite notifications: the account the author blocked is gone from them;
    // the one that blocked the author and the one that muted them are not (Mastodon's
    // AfterBlockService clears the blocker's notifications only).
    let (_, notifications) = get(
        &rig.server,
        Some(rig.user("author")),
        "/api/v1/notifications?types[]=favourite",
    )
    .await;
    let mut from: Vec<String> = notifications
        .as_array()
        .unwrap()
        .iter()
        .map(|notification| {
            notification["account"]["username"]
                .as_str()
                .unwrap()
                .to_owned()
        })
        .collect();
    from.sort();
    assert_eq!(
        from,
        ["blocker", "blocker", "blocker", "muter", "muter", "muter"]
    );

    // Nothing is written for a status its reader may not see.
    let public = labels
        .iter()
        .find(|(_, label)| **label == "public")
        .map(|(id, _)| id.clone())
        .unwrap();
    let response = http()
        .post(rig.server.url(&format!("/api/v1/statuses/{public}/reblog")))
        .bearer_auth(&rig.user("blocked").token)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    let (_, seen) = get(
        &rig.server,
        Some(rig.user("author")),
        &format!("/api/v1/statuses/{public}"),
    )
    .await;
    assert_eq!(seen["reblogs_count"], 1, "only the booster's reblog counts");
    rig.server.stop().await;
}

type Socket =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

/// One message a viewer received: (stream, event, status id).
type Received = Arc<Mutex<Vec<(String, String, String)>>>;

/// Opens a socket for `viewer`, subscribes it to every stream it may use, and collects what
/// arrives in the background.
async fn listen(rig: &Rig, viewer: &str, received: Received) {
    let mut url = format!(
        "{}/api/v1/streaming",
        rig.server.base_url.replace("http://", "ws://")
    );
    if let Some(user) = rig.viewer(viewer) {
        url.push_str(&format!("?access_token={}", user.token));
    }
    let (mut socket, _) = tokio_tungstenite::connect_async(url).await.unwrap();
    let mut subscriptions = vec![
        json!({"type": "subscribe", "stream": "public"}),
        json!({"type": "subscribe", "stream": "public:local"}),
        json!({"type": "subscribe", "stream": "hashtag", "tag": "matrix"}),
    ];
    if let Some(list) = rig.lists.get(viewer) {
        subscriptions.extend([
            json!({"type": "subscribe", "stream": "user"}),
            json!({"type": "subscribe", "stream": "user:notification"}),
            json!({"type": "subscribe", "stream": "direct"}),
            json!({"type": "subscribe", "stream": "list", "list": list}),
        ]);
    }
    // Subscriptions apply in order: the error for this one means all the others are in place.
    subscriptions.push(json!({"type": "subscribe", "stream": "no such stream"}));
    for subscription in subscriptions {
        socket
            .send(Message::Text(subscription.to_string().into()))
            .await
            .unwrap();
    }
    let reply = next_text(&mut socket).await;
    assert!(reply.contains("\"error\""), "{viewer}: {reply}");
    tokio::spawn(async move {
        while let Some(Ok(message)) = socket.next().await {
            let Message::Text(text) = message else {
                continue;
            };
            let message: Value = serde_json::from_str(&text).unwrap();
            let stream = message["stream"][0].as_str().unwrap_or_default().to_owned();
            let event = message["event"].as_str().unwrap_or_default().to_owned();
            let payload = message["payload"].as_str().unwrap_or_default();
            let (event, id) = match event.as_str() {
                "delete" => (event, payload.to_owned()),
                _ => {
                    let payload: Value = serde_json::from_str(payload).unwrap();
                    match event.as_str() {
                        "notification" => (
                            payload["type"].as_str().unwrap().to_owned(),
                            payload["status"]["id"]
                                .as_str()
                                .unwrap_or_default()
                                .to_owned(),
                        ),
                        "conversation" => (
                            event,
                            payload["last_status"]["id"]
                                .as_str()
                                .unwrap_or_default()
                                .to_owned(),
                        ),
                        _ => (event, payload["id"].as_str().unwrap_or_default().to_owned()),
                    }
                }
            };
            received.lock().unwrap().push((stream, event, id));
        }
    });
}

async fn next_text(socket: &mut Socket) -> String {
    tokio::time::timeout(Duration::from_secs(10), async {
        loop {
            if let Message::Text(text) = socket.next().await.unwrap().unwrap() {
                return text.to_string();
            }
        }
    })
    .await
    .expect("a reply")
}

/// Waits until every viewer's socket has carried everything published so far: the herald posts
/// a public status, published after all of it, and a socket's messages arrive in order. Returns
/// the herald's status, which the comparison leaves out.
async fn heard_everything(rig: &Rig, received: &[Received]) -> String {
    let posted = post(
        &rig.server,
        rig.user("herald"),
        "/api/v1/statuses",
        json!({"status": "hear ye"}),
    )
    .await;
    let id = posted["id"].as_str().unwrap().to_owned();
    eventually(
        Duration::from_secs(20),
        "the herald's post on every viewer's public stream",
        || async {
            received
                .iter()
                .all(|collected| {
                    collected
                        .lock()
                        .unwrap()
                        .iter()
                        .any(|(stream, event, got)| {
                            stream == "public" && event == "update" && *got == id
                        })
                })
                .then_some(())
        },
    )
    .await;
    id
}

#[tokio::test]
async fn every_stream_carries_to_each_viewer_what_mastodon_would() {
    let instance = TestInstance::new().await;
    let (rig, root) = rig(&instance).await;
    jobs_done(&rig.server).await;
    fall_out(&rig).await;

    let mut received: Vec<Received> = Vec::new();
    for viewer in VIEWERS {
        let collected = Received::default();
        listen(&rig, viewer, collected.clone()).await;
        received.push(collected);
    }
    let mut labels = rig.post_everything(&root, false).await;
    rig.boost(&mut labels).await;
    jobs_done(&rig.server).await;
    let mut heralds = vec![heard_everything(&rig, &received).await];
    for label in ["unlisted", "private", "direct"] {
        let id = labels
            .iter()
            .find(|(_, candidate)| **candidate == label)
            .map(|(id, _)| id.clone())
            .unwrap();
        delete(
            &rig.server,
            rig.user("author"),
            &format!("/api/v1/statuses/{id}"),
        )
        .await;
    }
    let public = labels
        .iter()
        .find(|(_, label)| **label == "public")
        .map(|(id, _)| id.clone())
        .unwrap();
    let path = format!("/api/v1/statuses/{public}/unreblog");
    post(&rig.server, rig.user("booster"), &path, json!({})).await;
    jobs_done(&rig.server).await;
    heralds.push(heard_everything(&rig, &received).await);

    let mut failures = Vec::new();
    for (viewer, collected) in VIEWERS.iter().zip(&received) {
        let mut got: Vec<(String, String, String)> = collected
            .lock()
            .unwrap()
            .iter()
            .filter(|(_, _, id)| !heralds.contains(id))
            .map(|(stream, event, id)| {
                let label = labels.get(id).copied().unwrap_or("an unknown status");
                (stream.clone(), event.clone(), label.to_owned())
            })
            .collect();
        got.sort();
        let mut expected: Vec<(String, String, String)> = STREAMS
            .iter()
            .filter(|(_, _, _, marks)| marked(marks).contains(viewer))
            .map(|(stream, event, label, _)| {
                (
                    (*stream).to_owned(),
                    (*event).to_owned(),
                    (*label).to_owned(),
                )
            })
            .collect();
        expected.sort();
        for item in &got {
            if !expected.contains(item) {
                failures.push(format!("{viewer} received {item:?}"));
            }
        }
        for item in &expected {
            if !got.contains(item) {
                failures.push(format!("{viewer} missed {item:?}"));
            }
        }
        let mut unique = got.clone();
        unique.dedup();
        if unique.len() != got.len() {
            failures.push(format!("{viewer} received duplicates: {got:?}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    rig.server.stop().await;
}
