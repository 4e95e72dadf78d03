//! Moderators act on accounts through the admin API (`/api/v1/admin/accounts`): suspend,
//! silence, mark sensitive, disable and warn, and undo each. Every effect is checked where a
//! user would see it; every refusal changes nothing and leaves no line in the audit log.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{TestInstance, TestServer, account, jobs_idle, staff_account};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

async fn get(server: &TestServer, token: Option<&str>, path: &str) -> (StatusCode, Value) {
    server.call(Method::GET, path, token, Value::Null).await
}

async fn post(server: &TestServer, token: &str, path: &str, body: Value) -> (StatusCode, Value) {
    server.call(Method::POST, path, Some(token), body).await
}

async fn act(server: &TestServer, moderator: &str, id: &str, body: Value) -> (StatusCode, Value) {
    let path = format!("/api/v1/admin/accounts/{id}/action");
    post(server, moderator, &path, body).await
}

/// The ids of the statuses in a list answer.
fn ids(list: &Value) -> Vec<String> {
    list.as_array()
        .unwrap_or_else(|| panic!("a list: {list}"))
        .iter()
        .map(|item| item["id"].as_str().unwrap().to_owned())
        .collect()
}

/// How many lines the audit log holds, read from the store.
async fn audit_lines(instance: &TestInstance) -> Vec<(String, String, String)> {
    let page = woolly_store::Page {
        max_id: None,
        since_id: None,
        min_id: None,
        limit: 100,
    };
    instance
        .store()
        .await
        .admin_actions(page)
        .await
        .unwrap()
        .into_iter()
        .map(|row| (row.actor_label, row.action, row.target_label))
        .collect()
}

#[tokio::test]
async fn a_suspended_account_vanishes_everywhere_until_the_suspension_is_lifted() {
    let instance = TestInstance::new().await;
    let server = instance.start().await;
    let (rita, _) = account(&server, "rita").await;
    let (bob, _) = account(&server, "bob").await;
    let (troll, troll_id) = account(&server, "troll").await;
    let (moderator, _) = staff_account(&server, "mo", "moderator").await;
    let follow = format!("/api/v1/accounts/{troll_id}/follow");
    let (status, _) = post(&server, &rita, &follow, Value::Null).await;
    assert_eq!(status, StatusCode::OK);
    let (_, troll_post) = post(
        &server,
        &troll,
        "/api/v1/statuses",
        json!({"status": "Buy my #stuff"}),
    )
    .await;
    let post_id = troll_post["id"].as_str().unwrap().to_owned();
    let reblog_path = format!("/api/v1/statuses/{post_id}/reblog");
    let (status, reblog) = post(&server, &bob, &reblog_path, Value::Null).await;
    assert_eq!(status, StatusCode::OK, "{reblog}");
    let reblog_id = reblog["id"].as_str().unwrap().to_owned();
    jobs_idle(&server).await;
    let (_, home) = get(&server, Some(&rita), "/api/v1/timelines/home").await;
    assert!(ids(&home).contains(&post_id), "{home}");

    let (status, answer) = act(
        &server,
        &moderator,
        &troll_id,
        json!({"type": "suspend", "text": "Spam, again and again"}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    assert_eq!(answer, json!({}));
    jobs_idle(&server).await;

    // Gone for everyone, through every door.
    let account_path = format!("/api/v1/accounts/{troll_id}");
    let (status, _) = get(&server, Some(&rita), &account_path).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = get(&server, None, &format!("/api/v1/statuses/{post_id}")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = get(
        &server,
        Some(&bob),
        &format!("/api/v1/statuses/{reblog_id}"),
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND, "a reblog of it goes too");
    for (token, path) in [
        (Some(&rita), "/api/v1/timelines/home"),
        (None, "/api/v1/timelines/public"),
        (None, "/api/v1/timelines/tag/stuff"),
        (Some(&bob), "/api/v1/accounts/verify_credentials"),
    ] {
        let (status, list) = get(&server, token.map(String::as_str), path).await;
        assert_eq!(status, StatusCode::OK, "{path}: {list}");
        let text = list.to_string();
        assert!(!text.contains(&post_id), "{path} still shows it: {list}");
    }
    let (_, found) = get(&server, Some(&bob), "/api/v2/search?q=troll&type=accounts").await;
    assert_eq!(found["accounts"], json!([]), "{found}");
    let (status, refusal) = get(&server, Some(&troll), "/api/v1/timelines/home").await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(
        refusal,
        json!({"error": "Your login is currently disabled"})
    );
    let (status, page) = get(&server, None, "/@troll").await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{page}");

    // Moderators still see it, as suspended.
    let admin_path = format!("/api/v1/admin/accounts/{troll_id}");
    let (status, seen) = get(&server, Some(&moderator), &admin_path).await;
    assert_eq!(status, StatusCode::OK, "{seen}");
    assert_eq!(seen["suspended"], true);
    assert_eq!(seen["silenced"], false);
    assert_eq!(seen["account"]["suspended"], true);
    assert_eq!(seen["email"], "troll@example.org");
    let (_, listed) = get(
        &server,
        Some(&moderator),
        "/api/v2/admin/accounts?status=suspended",
    )
    .await;
    assert_eq!(ids(&listed), vec![troll_id.clone()], "{listed}");
    let (_, listed) = get(
        &server,
        Some(&moderator),
        "/api/v1/admin/accounts?suspended=true&local=true",
    )
    .await;
    assert_eq!(ids(&listed), vec![troll_id.clone()], "{listed}");

    // Suspending it again is refused and writes nothing.
    let before = audit_lines(&instance).await;
    assert_eq!(
        before,
        vec![("mo".to_owned(), "suspend".to_owned(), "troll".to_owned())]
    );
    let (status, refused) = act(&server, &moderator, &troll_id, json!({"type": "suspend"})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{refused}");
    assert!(refused["error"].as_str().unwrap().contains("already"));
    assert_eq!(audit_lines(&instance).await, before);

    // Lifted: back everywhere.
    let unsuspend = format!("/api/v1/admin/accounts/{troll_id}/unsuspend");
    let (status, lifted) = post(&server, &moderator, &unsuspend, Value::Null).await;
    assert_eq!(status, StatusCode::OK, "{lifted}");
    assert_eq!(lifted["suspended"], false);
    let (status, _) = get(&server, Some(&rita), &account_path).await;
    assert_eq!(status, StatusCode::OK);
    let (_, home) = get(&server, Some(&rita), "/api/v1/timelines/home").await;
    assert!(ids(&home).contains(&post_id), "{home}");
    let (status, _) = get(&server, Some(&troll), "/api/v1/timelines/home").await;
    assert_eq!(status, StatusCode::OK);
    let (status, again) = post(&server, &moderator, &unsuspend, Value::Null).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{again}");
    let lines = audit_lines(&instance).await;
    assert_eq!(lines.len(), 2, "{lines:?}");
    assert_eq!(lines[0].1, "unsuspend");
    server.stop().await;
}

#[tokio::test]
async fn a_silenced_account_reaches_only_its_followers() {
    let instance = TestInstance::new().await;
    let server = instance.start().await;
    let (follower, _) = account(&server, "follower").await;
    let (stranger, _) = account(&server, "stranger").await;
    let (loud, loud_id) = account(&server, "loud").await;
    let (moderator, _) = staff_account(&server, "mo", "moderator").await;
    let follow = format!("/api/v1/accounts/{loud_id}/follow");
    post(&server, &follower, &follow, Value::Null).await;

    let (status, _) = act(
        &server,
        &moderator,
        &loud_id,
        json!({"type": "silence", "text": "Please calm down"}),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let (_, loud_post) = post(
        &server,
        &loud,
        "/api/v1/statuses",
        json!({"status": "Hello @follower and @stranger #news"}),
    )
    .await;
    let post_id = loud_post["id"].as_str().unwrap().to_owned();
    assert_eq!(loud_post["account"]["limited"], true, "{loud_post}");
    jobs_idle(&server).await;

    for path in ["/api/v1/timelines/public", "/api/v1/timelines/tag/news"] {
        for token in [&follower, &stranger] {
            let (_, list) = get(&server, Some(token), path).await;
            assert!(!ids(&list).contains(&post_id), "{path}: {list}");
        }
    }
    let (_, home) = get(&server, Some(&follower), "/api/v1/timelines/home").await;
    assert!(ids(&home).contains(&post_id), "its followers still read it");
    let kinds = |list: &Value| -> Vec<String> {
        list.as_array()
            .unwrap()
            .iter()
            .map(|n| n["type"].as_str().unwrap().to_owned())
            .collect()
    };
    let (_, told) = get(&server, Some(&follower), "/api/v1/notifications").await;
    assert_eq!(kinds(&told), vec!["mention"], "{told}");
    let (_, told) = get(&server, Some(&stranger), "/api/v1/notifications").await;
    assert_eq!(kinds(&told), Vec::<String>::new(), "{told}");
    // Kept aside as a request, as Mastodon's default policy keeps limited accounts' mentions.
    let (_, requests) = get(&server, Some(&stranger), "/api/v1/notifications/requests").await;
    assert_eq!(requests[0]["account"]["id"], loud_id.as_str(), "{requests}");
    let (_, found) = get(
        &server,
        Some(&stranger),
        "/api/v2/search?q=loud&type=accounts",
    )
    .await;
    assert_eq!(found["accounts"], json!([]), "{found}");
    let (_, found) = get(
        &server,
        Some(&follower),
        "/api/v2/search?q=loud&type=accounts",
    )
    .await;
    assert_eq!(found["accounts"][0]["id"], loud_id.as_str(), "{found}");

    // The account's owner is told, with the moderator's words.
    let (_, told) = get(&server, Some(&loud), "/api/v1/notifications").await;
    assert_eq!(told[0]["type"], "moderation_warning", "{told}");
    let warning = &told[0]["moderation_warning"];
    assert_eq!(warning["action"], "silence");
    assert_eq!(warning["text"], "Please calm down");
    assert_eq!(warning["target_account"]["id"], loud_id.as_str());
    assert_eq!(warning["appeal"], Value::Null);
    assert_eq!(warning["status_ids"], Value::Null);
    let (_, grouped) = get(&server, Some(&loud), "/api/v2/notifications").await;
    assert_eq!(
        grouped["notification_groups"][0]["moderation_warning"]["action"],
        "silence"
    );

    let unsilence = format!("/api/v1/admin/accounts/{loud_id}/unsilence");
    let (status, lifted) = post(&server, &moderator, &unsilence, Value::Null).await;
    assert_eq!(status, StatusCode::OK, "{lifted}");
    assert_eq!(lifted["silenced"], false);
    let (_, list) = get(&server, Some(&stranger), "/api/v1/timelines/public").await;
    assert!(ids(&list).contains(&post_id), "{list}");
    server.stop().await;
}

#[tokio::test]
async fn sensitized_media_disabled_logins_and_warnings() {
    let instance = TestInstance::new().await;
    let server = instance.start().await;
    let (reader, _) = account(&server, "reader").await;
    let (user, user_id) = account(&server, "someone").await;
    let (moderator, _) = staff_account(&server, "mo", "moderator").await;
    let (_, before) = post(
        &server,
        &user,
        "/api/v1/statuses",
        json!({"status": "A picture"}),
    )
    .await;
    let status_path = format!("/api/v1/statuses/{}", before["id"].as_str().unwrap());
    let (_, seen) = get(&server, Some(&reader), &status_path).await;
    assert_eq!(seen["sensitive"], false);

    let (status, _) = act(&server, &moderator, &user_id, json!({"type": "sensitive"})).await;
    assert_eq!(status, StatusCode::OK);
    let (_, seen) = get(&server, Some(&reader), &status_path).await;
    assert_eq!(
        seen["sensitive"], true,
        "its posts are behind a warning now"
    );
    let unsensitive = format!("/api/v1/admin/accounts/{user_id}/unsensitive");
    let (status, _) = post(&server, &moderator, &unsensitive, Value::Null).await;
    assert_eq!(status, StatusCode::OK);
    let (_, seen) = get(&server, Some(&reader), &status_path).await;
    assert_eq!(seen["sensitive"], false);

    let (status, _) = act(
        &server,
        &moderator,
        &user_id,
        json!({"type": "disable", "send_email_notification": false}),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let (status, refusal) = get(&server, Some(&user), "/api/v1/accounts/verify_credentials").await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(
        refusal,
        json!({"error": "Your login is currently disabled"})
    );
    let (status, _) = get(
        &server,
        Some(&reader),
        &format!("/api/v1/accounts/{user_id}"),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "a disabled account stays visible");
    let (_, listed) = get(
        &server,
        Some(&moderator),
        "/api/v2/admin/accounts?status=disabled",
    )
    .await;
    assert_eq!(ids(&listed), vec![user_id.clone()]);
    assert_eq!(listed[0]["disabled"], true);
    let enable = format!("/api/v1/admin/accounts/{user_id}/enable");
    let (status, _) = post(&server, &moderator, &enable, Value::Null).await;
    assert_eq!(status, StatusCode::OK);
    let (status, _) = get(&server, Some(&user), "/api/v1/accounts/verify_credentials").await;
    assert_eq!(status, StatusCode::OK);
    let (_, told) = get(&server, Some(&user), "/api/v1/notifications").await;
    let warnings: Vec<&str> = told
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["moderation_warning"]["action"].as_str().unwrap())
        .collect();
    assert_eq!(
        warnings,
        vec!["sensitive"],
        "a warning without notice is not notified"
    );

    // A warning alone, with words.
    let (status, _) = act(
        &server,
        &moderator,
        &user_id,
        json!({"type": "none", "text": "Mind the rules"}),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let (_, told) = get(&server, Some(&user), "/api/v1/notifications").await;
    assert_eq!(told[0]["moderation_warning"]["action"], "none");
    assert_eq!(told[0]["moderation_warning"]["text"], "Mind the rules");
    let actions: Vec<String> = audit_lines(&instance)
        .await
        .into_iter()
        .map(|(_, action, _)| action)
        .collect();
    assert_eq!(
        actions,
        vec!["create", "enable", "disable", "unsensitive", "sensitive"]
    );
    server.stop().await;
}

#[tokio::test]
async fn an_action_answering_a_report_resolves_the_reports_about_the_account() {
    let instance = TestInstance::new().await;
    let server = instance.start().await;
    let (rita, _) = account(&server, "rita").await;
    let (sam, _) = account(&server, "sam").await;
    let (_, troll_id) = account(&server, "troll").await;
    let (_, other_id) = account(&server, "other").await;
    let (moderator, _) = staff_account(&server, "mo", "moderator").await;
    let mut report_ids = Vec::new();
    for (token, target) in [(&rita, &troll_id), (&sam, &troll_id), (&sam, &other_id)] {
        let (status, report) = post(
            &server,
            token,
            "/api/v1/reports",
            json!({"account_id": target, "comment": "Look"}),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{report}");
        report_ids.push(report["id"].as_str().unwrap().to_owned());
    }

    // A report about another account is refused, and nothing changes.
    let (status, refused) = act(
        &server,
        &moderator,
        &troll_id,
        json!({"type": "silence", "report_id": report_ids[2]}),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{refused}");
    let (_, seen) = get(
        &server,
        Some(&moderator),
        &format!("/api/v1/admin/accounts/{troll_id}"),
    )
    .await;
    assert_eq!(seen["silenced"], false);
    assert!(audit_lines(&instance).await.is_empty());

    let (status, _) = act(
        &server,
        &moderator,
        &troll_id,
        json!({"type": "silence", "report_id": report_ids[0], "text": "Reported twice"}),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let (_, open) = get(&server, Some(&moderator), "/api/v1/admin/reports").await;
    assert_eq!(ids(&open), vec![report_ids[2].clone()], "{open}");
    let (_, resolved) = get(
        &server,
        Some(&moderator),
        "/api/v1/admin/reports?resolved=true",
    )
    .await;
    assert_eq!(resolved.as_array().unwrap().len(), 2, "{resolved}");
    assert_eq!(resolved[0]["action_taken"], true);
    assert_eq!(resolved[0]["action_taken_by_account"]["username"], "mo");
    assert_eq!(resolved[0]["target_account"]["silenced"], true);
    let lines = audit_lines(&instance).await;
    let actions: Vec<&str> = lines.iter().map(|(_, action, _)| action.as_str()).collect();
    assert_eq!(actions, vec!["resolve", "resolve", "silence"], "{lines:?}");
    // The two reporters are told their reports were handled; the third report waits.
    jobs_idle(&server).await;
    let handled: Vec<String> = std::fs::read_dir(instance.data_dir().join("mail"))
        .unwrap()
        .map(|entry| std::fs::read_to_string(entry.unwrap().path()).unwrap())
        .filter(|mail| mail.contains("your report about troll was handled"))
        .collect();
    assert_eq!(handled.len(), 2, "{handled:?}");
    assert!(handled.iter().any(|mail| mail.contains("rita@example.org")));
    assert!(handled.iter().any(|mail| mail.contains("sam@example.org")));
    server.stop().await;
}

#[tokio::test]
async fn who_may_act_on_whom() {
    let instance = TestInstance::new().await;
    let server = instance.start().await;
    let (_, user_id) = account(&server, "someone").await;
    let (nosy, _) = staff_account(&server, "nosy", "user").await;
    let (moderator, moderator_id) = staff_account(&server, "mo", "moderator").await;
    let (admin, admin_id) = staff_account(&server, "ada", "admin").await;
    let (_, owner_id) = staff_account(&server, "olga", "owner").await;
    let remote = common::remote_account(&server, "far", "remote.example").await;
    let remote_id = remote.id.to_string();

    let (status, refused) = get(&server, Some(&nosy), "/api/v2/admin/accounts").await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(refused, json!({"error": "This action is not allowed"}));
    let (status, _) = act(&server, &nosy, &user_id, json!({"type": "suspend"})).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    // A moderator acts on users, not on admins, owners or themselves.
    for target in [&admin_id, &owner_id, &moderator_id] {
        let (status, _) = act(&server, &moderator, target, json!({"type": "silence"})).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "on {target}");
    }
    // An admin may not act on the owner.
    let (status, _) = act(&server, &admin, &owner_id, json!({"type": "silence"})).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    // Only an admin ends a suspended account's data.
    let (status, _) = act(&server, &moderator, &remote_id, json!({"type": "suspend"})).await;
    assert_eq!(status, StatusCode::OK);
    let remote_path = format!("/api/v1/admin/accounts/{remote_id}");
    let (status, _) = server
        .call(Method::DELETE, &remote_path, Some(&moderator), Value::Null)
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    // Another server's account has no login to disable and no inbox for a warning.
    for kind in ["disable", "none", "explode"] {
        let (status, refused) = act(&server, &admin, &user_id, json!({"type": kind})).await;
        let expected = if kind == "explode" {
            StatusCode::UNPROCESSABLE_ENTITY
        } else {
            StatusCode::OK
        };
        assert_eq!(status, expected, "{kind} on a local account: {refused}");
        let (status, refused) = act(&server, &admin, &remote_id, json!({"type": kind})).await;
        assert_eq!(
            status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{kind}: {refused}"
        );
    }
    let (status, _) = act(&server, &admin, "999999", json!({"type": "silence"})).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let lines = audit_lines(&instance).await;
    let actions: Vec<&str> = lines.iter().map(|(_, action, _)| action.as_str()).collect();
    // The warning alone without words leaves no line; nothing refused does.
    assert_eq!(actions, vec!["disable", "suspend"], "{lines:?}");

    // The admin ends the remote account's data: it is gone, even for moderators.
    let (status, ended) = server
        .call(Method::DELETE, &remote_path, Some(&admin), Value::Null)
        .await;
    assert_eq!(status, StatusCode::OK, "{ended}");
    let (status, _) = get(&server, Some(&admin), &remote_path).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = server
        .call(Method::DELETE, &remote_path, Some(&admin), Value::Null)
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    // Filters: origin, staff, role, username.
    let listed = |query: &'static str| {
        let (server, admin) = (&server, admin.clone());
        async move {
            let (status, list) = get(server, Some(&admin), query).await;
            assert_eq!(status, StatusCode::OK, "{query}: {list}");
            let mut names: Vec<String> = list
                .as_array()
                .unwrap()
                .iter()
                .map(|a| a["username"].as_str().unwrap().to_owned())
                .collect();
            names.sort();
            names
        }
    };
    assert_eq!(
        listed("/api/v2/admin/accounts?permissions=staff").await,
        vec!["ada", "mo", "olga"]
    );
    assert_eq!(
        listed("/api/v2/admin/accounts?role_ids[]=2").await,
        vec!["ada"]
    );
    assert_eq!(
        listed("/api/v2/admin/accounts?username=NO").await,
        vec!["nosy"]
    );
    assert_eq!(
        listed("/api/v1/admin/accounts?remote=true").await,
        Vec::<String>::new()
    );
    assert_eq!(
        listed("/api/v2/admin/accounts?origin=local&status=active").await,
        vec!["ada", "mo", "nosy", "olga", "someone"]
    );
    let (status, _) = get(&server, Some(&admin), "/api/v2/admin/accounts?status=odd").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    server.stop().await;
}

#[tokio::test]
async fn a_local_suspension_reaches_the_servers_of_its_followers_and_so_does_its_end() {
    use common::fediverse::{Node, WAIT};
    let home = Node::start().await;
    let elsewhere = Node::start().await;
    let spammer = home.user("spammer").await;
    let (moderator, _) = staff_account(&home.server, "mo", "moderator").await;
    let (moderator_elsewhere, _) = staff_account(&elsewhere.server, "eve", "admin").await;
    let reader = elsewhere.user("reader").await;
    let spammer_there = reader.follow_and_wait(&spammer.handle).await;
    spammer
        .post("/api/v1/statuses", json!({"status": "Cheap pills"}))
        .await;
    reader.wait_home("Cheap pills").await;

    let (status, _) = act(
        &home.server,
        &moderator,
        &spammer.id,
        json!({"type": "suspend"}),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let account_path = format!("/api/v1/accounts/{spammer_there}");
    common::eventually(WAIT, "the suspension to arrive", || async {
        let (status, _) = reader.get(&account_path).await;
        (status == 404).then_some(())
    })
    .await;
    assert!(
        !reader
            .home()
            .await
            .iter()
            .any(|s| s["content"].as_str().unwrap().contains("pills")),
        "its posts left the reader's home too"
    );
    // The other server sees it suspended by its own server, which only that server lifts.
    let admin_path = format!("/api/v1/admin/accounts/{spammer_there}");
    let (_, seen) = get(&elsewhere.server, Some(&moderator_elsewhere), &admin_path).await;
    assert_eq!(seen["suspended"], true, "{seen}");
    let lift = format!("{admin_path}/unsuspend");
    let (status, _) = post(&elsewhere.server, &moderator_elsewhere, &lift, Value::Null).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    // Its actor says so; its posts are gone from its own server's collections.
    let actor = common::http()
        .get(home.server.url("/users/spammer"))
        .header("Accept", "application/activity+json")
        .send()
        .await
        .unwrap();
    let actor: Value = actor.json().await.unwrap();
    assert_eq!(actor["suspended"], true, "{actor}");
    assert_eq!(actor["summary"], "");

    let unsuspend = format!("/api/v1/admin/accounts/{}/unsuspend", spammer.id);
    let (status, _) = post(&home.server, &moderator, &unsuspend, Value::Null).await;
    assert_eq!(status, StatusCode::OK);
    common::eventually(WAIT, "the end of the suspension to arrive", || async {
        let (status, _) = reader.get(&account_path).await;
        (status == 200).then_some(())
    })
    .await;
    reader.wait_home("Cheap pills").await;
}

#[tokio::test]
async fn the_operator_moderates_from_the_terminal_and_the_audit_log_names_everyone() {
    let instance = TestInstance::new().await;
    let server = instance.start().await;
    let (user, _) = account(&server, "someone").await;
    let (moderator, _) = staff_account(&server, "mo", "moderator").await;
    let printed = instance
        .cli_ok(&["admin", "account", "role", "someone", "moderator"])
        .await;
    assert!(printed.contains("someone is now moderator"), "{printed}");
    let (_, me) = get(&server, Some(&user), "/api/v1/accounts/verify_credentials").await;
    assert_eq!(me["role"]["name"], "Moderator", "{me}");
    // The same role twice is refused, and a moderator may not give roles at all.
    let refused = instance
        .cli(&["admin", "account", "role", "someone", "moderator"])
        .await;
    assert!(!refused.status.success());
    let printed = instance
        .cli_ok(&[
            "admin",
            "account",
            "suspend",
            "someone",
            "--reason",
            "Off-topic",
        ])
        .await;
    assert!(printed.contains("Suspended someone"), "{printed}");
    let (status, _) = get(&server, Some(&user), "/api/v1/timelines/home").await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    instance
        .cli_ok(&["admin", "account", "unsuspend", "someone"])
        .await;
    instance
        .cli_ok(&["admin", "account", "silence", "someone"])
        .await;
    let (_, seen) = get(
        &server,
        Some(&moderator),
        "/api/v2/admin/accounts?status=silenced",
    )
    .await;
    assert_eq!(seen[0]["username"], "someone", "{seen}");
    instance
        .cli_ok(&["admin", "account", "unsilence", "someone"])
        .await;
    let refused = instance
        .cli(&["admin", "account", "unsilence", "someone"])
        .await;
    assert!(!refused.status.success(), "nothing to lift");
    let log = instance.cli_ok(&["admin", "audit"]).await;
    let actions: Vec<&str> = log
        .lines()
        .map(|line| line.split('\t').nth(2).unwrap_or_default())
        .collect();
    assert_eq!(
        actions,
        vec![
            "unsilence",
            "silence",
            "unsuspend",
            "suspend",
            "change_role"
        ],
        "{log}"
    );
    assert!(
        log.lines()
            .all(|line| line.contains("(the operator, at the terminal)")),
        "{log}"
    );
    assert!(log.contains("User someone"), "{log}");
    server.stop().await;
}

#[tokio::test]
async fn moderators_hear_of_new_reports_and_sign_ups() {
    let instance = TestInstance::new().await;
    let server = instance
        .start_with({
            let mut settings = instance.settings();
            settings.registrations = "open".to_owned();
            settings.rate_limit_requests = 0;
            settings
        })
        .await;
    let (rita, _) = account(&server, "rita").await;
    let (_, troll_id) = account(&server, "troll").await;
    let (moderator, _) = staff_account(&server, "mo", "moderator").await;
    let (admin, _) = staff_account(&server, "ada", "admin").await;
    let (_, report) = post(
        &server,
        &rita,
        "/api/v1/reports",
        json!({"account_id": troll_id, "comment": "Look"}),
    )
    .await;
    for token in [&moderator, &admin] {
        let (_, told) = get(
            &server,
            Some(token),
            "/api/v1/notifications?types[]=admin.report",
        )
        .await;
        assert_eq!(told[0]["type"], "admin.report", "{told}");
        assert_eq!(told[0]["account"]["username"], "rita");
        assert_eq!(told[0]["report"]["id"], report["id"]);
        assert_eq!(told[0]["report"]["target_account"]["id"], troll_id.as_str());
    }
    let (_, told) = get(&server, Some(&rita), "/api/v1/notifications").await;
    assert_eq!(told, json!([]), "a user is not told of reports");
    // And by e-mail, each in their language.
    let mail_dir = instance.data_dir().join("mail");
    jobs_idle(&server).await;
    let mails: Vec<String> = std::fs::read_dir(&mail_dir)
        .unwrap()
        .map(|entry| std::fs::read_to_string(entry.unwrap().path()).unwrap())
        .filter(|mail| mail.contains("a new report about troll"))
        .collect();
    assert_eq!(mails.len(), 2, "one to each moderator");

    // A sign-up: those who manage users hear of it.
    let app = common::register_app(&server, "Joiner", "read write").await;
    let token: Value = common::http()
        .post(server.url("/oauth/token"))
        .form(&[
            ("grant_type", "client_credentials"),
            ("client_id", app["client_id"].as_str().unwrap()),
            ("client_secret", app["client_secret"].as_str().unwrap()),
            ("scope", "read write"),
        ])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let (status, _) = post(
        &server,
        token["access_token"].as_str().unwrap(),
        "/api/v1/accounts",
        json!({"username": "newcomer", "email": "newcomer@example.org",
               "password": "a long enough password", "agreement": true, "locale": "en"}),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let (_, told) = get(
        &server,
        Some(&admin),
        "/api/v1/notifications?types[]=admin.sign_up",
    )
    .await;
    assert_eq!(told[0]["account"]["username"], "newcomer", "{told}");
    let (_, told) = get(
        &server,
        Some(&moderator),
        "/api/v2/notifications?types[]=admin.sign_up",
    )
    .await;
    assert_eq!(
        told["notification_groups"][0]["type"], "admin.sign_up",
        "{told}"
    );
    server.stop().await;
}

#[tokio::test]
async fn the_dashboard_counts_each_day_and_divides_the_whole() {
    let instance = TestInstance::new().await;
    let server = instance.start().await;
    let (rita, _) = account(&server, "rita").await;
    let (troll, troll_id) = account(&server, "troll").await;
    let (moderator, _) = staff_account(&server, "mo", "moderator").await;
    common::remote_account(&server, "far", "far.example").await;
    let (_, status) = post(
        &server,
        &rita,
        "/api/v1/statuses",
        json!({"status": "Hello"}),
    )
    .await;
    let status_id = status["id"].as_str().unwrap();
    post(
        &server,
        &troll,
        &format!("/api/v1/statuses/{status_id}/favourite"),
        Value::Null,
    )
    .await;
    post(
        &server,
        &troll,
        "/api/v1/statuses",
        json!({"status": "@rita hi", "in_reply_to_id": status_id}),
    )
    .await;
    let (_, report) = post(
        &server,
        &rita,
        "/api/v1/reports",
        json!({"account_id": troll_id}),
    )
    .await;
    post(
        &server,
        &moderator,
        &format!(
            "/api/v1/admin/reports/{}/resolve",
            report["id"].as_str().unwrap()
        ),
        Value::Null,
    )
    .await;

    let today = woolly_http::time::date(woolly_core::now_millis());
    let (status, measures) = post(
        &server,
        &moderator,
        "/api/v1/admin/measures",
        json!({"keys": ["new_users", "interactions", "opened_reports", "resolved_reports", "active_users"],
               "start_at": today, "end_at": today}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{measures}");
    let total = |key: &str| {
        measures
            .as_array()
            .unwrap()
            .iter()
            .find(|measure| measure["key"] == key)
            .map(|measure| measure["total"].as_str().unwrap().to_owned())
    };
    assert_eq!(total("new_users").as_deref(), Some("3"), "{measures}");
    assert_eq!(
        total("interactions").as_deref(),
        Some("2"),
        "a favourite and a reply"
    );
    assert_eq!(total("opened_reports").as_deref(), Some("1"));
    assert_eq!(total("resolved_reports").as_deref(), Some("1"));
    assert_eq!(measures[0]["data"].as_array().unwrap().len(), 1);
    assert_eq!(measures[0]["previous_total"], "0");
    // Who used the server is recorded beside the request that shows it: wait for the three.
    let active = common::eventually(
        std::time::Duration::from_secs(10),
        "three active users",
        || async {
            let (_, measures) = post(
                &server,
                &moderator,
                "/api/v1/admin/measures",
                json!({"keys": ["active_users"], "start_at": today, "end_at": today}),
            )
            .await;
            (measures[0]["total"] == "3").then_some(measures)
        },
    )
    .await;
    assert_eq!(active[0]["data"][0]["value"], "3", "{active}");
    assert_eq!(active[0]["previous_total"], "0");
    let (status, dimensions) = post(
        &server,
        &moderator,
        "/api/v1/admin/dimensions",
        json!({"keys": ["servers", "sources", "software_versions"], "start_at": today, "end_at": today}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{dimensions}");
    assert_eq!(dimensions[0]["data"][0]["key"], "far.example");
    assert_eq!(dimensions[0]["data"][0]["value"], "1");
    assert_eq!(dimensions[1]["data"][0]["value"], "3", "{dimensions}");
    let software = &dimensions[2]["data"];
    assert_eq!(software[0]["key"], "woolly", "{dimensions}");
    assert_eq!(software[0]["value"], woolly_core::WOOLLY_VERSION);
    let database = software[1]["key"].as_str().unwrap();
    assert!(["sqlite", "postgresql"].contains(&database), "{dimensions}");
    assert!(
        software[1]["value"]
            .as_str()
            .unwrap()
            .starts_with(|c: char| c.is_ascii_digit()),
        "{dimensions}"
    );

    // The three who joined today were all seen today.
    for frequency in ["day", "month"] {
        let (status, cohorts) = post(
            &server,
            &moderator,
            "/api/v1/admin/retention",
            json!({"start_at": today, "end_at": today, "frequency": frequency}),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{cohorts}");
        assert_eq!(cohorts.as_array().unwrap().len(), 1, "{cohorts}");
        assert_eq!(cohorts[0]["frequency"], frequency);
        assert_eq!(cohorts[0]["data"][0]["value"], "3", "{cohorts}");
        assert_eq!(cohorts[0]["data"][0]["rate"], 1.0, "{cohorts}");
    }
    let (status, _) = post(
        &server,
        &moderator,
        "/api/v1/admin/retention",
        json!({"start_at": today, "end_at": today, "frequency": "year"}),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let (status, _) = post(
        &server,
        &rita,
        "/api/v1/admin/retention",
        json!({"start_at": today, "end_at": today, "frequency": "day"}),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = post(
        &server,
        &rita,
        "/api/v1/admin/measures",
        json!({"keys": ["new_users"], "start_at": today, "end_at": today}),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = post(
        &server,
        &moderator,
        "/api/v1/admin/measures",
        json!({"keys": ["new_users"], "start_at": "soon", "end_at": today}),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    server.stop().await;
}

#[tokio::test]
async fn the_operator_reads_and_resolves_reports_at_the_terminal() {
    let instance = TestInstance::new().await;
    let server = instance.start().await;
    let (rita, _) = account(&server, "rita").await;
    let (_, troll_id) = account(&server, "troll").await;
    let (moderator, _) = staff_account(&server, "mo", "moderator").await;
    let (_, report) = post(
        &server,
        &rita,
        "/api/v1/reports",
        json!({"account_id": troll_id, "comment": "Rude\nwords", "category": "spam"}),
    )
    .await;
    let id = report["id"].as_str().unwrap();
    let listed = instance.cli_ok(&["admin", "reports"]).await;
    assert!(listed.contains(id), "{listed}");
    assert!(
        listed.contains("rita about troll\tspam\tRude words"),
        "{listed}"
    );
    instance.cli_ok(&["admin", "report", "resolve", id]).await;
    let (_, seen) = get(
        &server,
        Some(&moderator),
        &format!("/api/v1/admin/reports/{id}"),
    )
    .await;
    assert_eq!(seen["action_taken"], true, "{seen}");
    assert_eq!(
        seen["action_taken_by_account"],
        Value::Null,
        "the operator has no account"
    );
    assert!(
        instance
            .cli_ok(&["admin", "reports"])
            .await
            .contains("No report.")
    );
    assert!(
        instance
            .cli_ok(&["admin", "reports", "--resolved"])
            .await
            .contains(id)
    );
    let refused = instance.cli(&["admin", "report", "resolve", "12345"]).await;
    assert!(!refused.status.success(), "an unknown report");
    let log = instance.cli_ok(&["admin", "audit"]).await;
    assert!(
        log.contains("(the operator, at the terminal)\tresolve\tReport #"),
        "{log}"
    );
    server.stop().await;
}
