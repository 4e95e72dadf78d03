//! Reports: users report an account and some of its posts; moderators list, take on, resolve
//! and reopen them through the admin API. Users without the permission are refused, and a
//! refused report writes nothing.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{TestInstance, TestServer, account, staff_account};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

async fn open_reports(server: &TestServer, token: &str) -> Value {
    let (status, reports) = server
        .call(
            Method::GET,
            "/api/v1/admin/reports",
            Some(token),
            Value::Null,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{reports}");
    reports
}

#[tokio::test]
async fn a_report_reaches_the_moderators_who_take_it_on_and_resolve_it() {
    let instance = TestInstance::new().await;
    let server = instance
        .start_on_own_domain_with(|settings| {
            settings.rules = vec!["Be kind.".to_owned(), "No spam.".to_owned()];
        })
        .await;
    let (rita, _) = account(&server, "rita").await;
    let (troll, troll_id) = account(&server, "troll").await;
    let (_, bystander_id) = account(&server, "bystander").await;
    let (moderator, moderator_id) = staff_account(&server, "mo", "moderator").await;
    let (_, post) = server
        .call(
            Method::POST,
            "/api/v1/statuses",
            Some(&troll),
            json!({"status": "Buy my stuff"}),
        )
        .await;
    let post_id = post["id"].as_str().unwrap();

    let (status, report) = server
        .call(
            Method::POST,
            "/api/v1/reports",
            Some(&rita),
            json!({"account_id": troll_id, "status_ids": [post_id], "comment": "Spam again",
                   "rule_ids": ["2"], "forward": true}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{report}");
    assert_eq!(
        report["category"], "violation",
        "naming a rule makes it one"
    );
    assert_eq!(report["rule_ids"], json!(["2"]));
    assert_eq!(report["status_ids"], json!([post_id]));
    assert_eq!(report["action_taken"], false);
    assert_eq!(report["action_taken_at"], Value::Null);
    assert_eq!(
        report["forwarded"], false,
        "a local account's report stays here"
    );
    assert_eq!(report["comment"], "Spam again");
    assert_eq!(report["target_account"]["id"], troll_id.as_str());
    let report_id = report["id"].as_str().unwrap().to_owned();

    // A user, even with admin scopes, may not read reports.
    let (user_with_scopes, _) = staff_account(&server, "nosy", "user").await;
    let (status, refused) = server
        .call(
            Method::GET,
            "/api/v1/admin/reports",
            Some(&user_with_scopes),
            Value::Null,
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(refused, json!({"error": "This action is not allowed"}));
    // Nor may a moderator's token without the admin scopes.
    let (status, _) = server
        .call(
            Method::GET,
            "/api/v1/admin/reports",
            Some(&rita),
            Value::Null,
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    let reports = open_reports(&server, &moderator).await;
    assert_eq!(reports.as_array().unwrap().len(), 1, "{reports}");
    let listed = &reports[0];
    assert_eq!(listed["id"], report_id.as_str());
    assert_eq!(listed["account"]["username"], "rita");
    assert_eq!(listed["account"]["email"], "rita@example.org");
    assert_eq!(listed["account"]["account"]["acct"], "rita");
    assert_eq!(listed["target_account"]["id"], troll_id.as_str());
    assert_eq!(listed["statuses"][0]["id"], post_id);
    assert_eq!(listed["rules"][0]["text"], "No spam.");
    assert_eq!(listed["assigned_account"], Value::Null);

    let act = |action: &'static str| {
        let (server, moderator, report_id) = (&server, moderator.clone(), report_id.clone());
        async move {
            let (status, report) = server
                .call(
                    Method::POST,
                    &format!("/api/v1/admin/reports/{report_id}/{action}"),
                    Some(&moderator),
                    Value::Null,
                )
                .await;
            assert_eq!(status, StatusCode::OK, "{action}: {report}");
            report
        }
    };
    let assigned = act("assign_to_self").await;
    assert_eq!(assigned["assigned_account"]["id"], moderator_id.as_str());
    assert_eq!(assigned["assigned_account"]["role"]["name"], "Moderator");
    assert_eq!(act("unassign").await["assigned_account"], Value::Null);
    let resolved = act("resolve").await;
    assert_eq!(resolved["action_taken"], true);
    assert!(resolved["action_taken_at"].is_string());
    assert_eq!(
        resolved["action_taken_by_account"]["id"],
        moderator_id.as_str()
    );
    assert_eq!(open_reports(&server, &moderator).await, json!([]));
    let (_, closed) = server
        .call(
            Method::GET,
            "/api/v1/admin/reports?resolved=true",
            Some(&moderator),
            Value::Null,
        )
        .await;
    assert_eq!(closed[0]["id"], report_id.as_str());
    let (_, about_troll) = server
        .call(
            Method::GET,
            &format!("/api/v1/admin/reports?resolved=true&target_account_id={bystander_id}"),
            Some(&moderator),
            Value::Null,
        )
        .await;
    assert_eq!(about_troll, json!([]), "filtered by target");
    let reopened = act("reopen").await;
    assert_eq!(reopened["action_taken"], false);
    let (status, shown) = server
        .call(
            Method::GET,
            &format!("/api/v1/admin/reports/{report_id}"),
            Some(&moderator),
            Value::Null,
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(shown["action_taken"], false);

    for path in [
        format!("/api/v1/admin/reports/{report_id}/dismiss"),
        "/api/v1/admin/reports/999999/resolve".to_owned(),
    ] {
        let (status, _) = server
            .call(Method::POST, &path, Some(&moderator), Value::Null)
            .await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{path}");
    }
    server.stop().await;
}

#[tokio::test]
async fn a_bad_report_is_refused_and_writes_nothing() {
    let instance = TestInstance::new().await;
    let server = instance.start().await;
    let (rita, _) = account(&server, "rita").await;
    let (troll, troll_id) = account(&server, "troll").await;
    let (other, _) = account(&server, "other").await;
    let (moderator, _) = staff_account(&server, "mo", "admin").await;
    let (_, others_post) = server
        .call(
            Method::POST,
            "/api/v1/statuses",
            Some(&other),
            json!({"status": "Not the troll's"}),
        )
        .await;
    let (_, hidden) = server
        .call(
            Method::POST,
            "/api/v1/statuses",
            Some(&troll),
            json!({"status": "Only followers", "visibility": "private"}),
        )
        .await;
    for (body, expected) in [
        (json!({}), StatusCode::UNPROCESSABLE_ENTITY),
        (json!({"account_id": "999999"}), StatusCode::NOT_FOUND),
        (
            json!({"account_id": troll_id, "status_ids": [others_post["id"]]}),
            StatusCode::NOT_FOUND,
        ),
        (
            json!({"account_id": troll_id, "status_ids": [hidden["id"]]}),
            StatusCode::NOT_FOUND,
        ),
        (
            json!({"account_id": troll_id, "category": "rude"}),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            json!({"account_id": troll_id, "rule_ids": [1]}),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            json!({"account_id": troll_id, "comment": "x".repeat(1001)}),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
    ] {
        let (status, answer) = server
            .call(Method::POST, "/api/v1/reports", Some(&rita), body.clone())
            .await;
        assert_eq!(status, expected, "{body}: {answer}");
        assert!(answer["error"].is_string(), "{answer}");
    }
    assert_eq!(open_reports(&server, &moderator).await, json!([]));

    // Spam, with Mastodon.py's trailing slash, is a category of its own.
    let (status, report) = server
        .call(
            Method::POST,
            "/api/v1/reports/",
            Some(&rita),
            json!({"account_id": troll_id, "category": "spam"}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{report}");
    assert_eq!(report["category"], "spam");
    assert_eq!(report["status_ids"], Value::Null);
    server.stop().await;
}

#[tokio::test]
async fn a_report_about_someone_elsewhere_is_forwarded_to_their_server_when_asked() {
    use common::fediverse::{Node, WAIT};
    let here = Node::start().await;
    let there = Node::start().await;
    let rita = here.user("rita").await;
    let spammer = there.user("spammer").await;
    let (moderator_there, _) = staff_account(&there.server, "mo", "moderator").await;
    rita.follow_and_wait(&spammer.handle).await;
    let original = spammer
        .post("/api/v1/statuses", json!({"status": "Spam here"}))
        .await;
    let seen = rita.wait_home("Spam here").await;
    let target = seen["account"]["id"].as_str().unwrap().to_owned();

    let report = rita
        .post(
            "/api/v1/reports",
            json!({"account_id": target, "status_ids": [seen["id"]],
                   "comment": "Selling things", "forward": true}),
        )
        .await;
    assert_eq!(report["forwarded"], true, "{report}");
    // Without `forward`, it stays here.
    let kept = rita
        .post(
            "/api/v1/reports",
            json!({"account_id": target, "comment": "Only for my moderators"}),
        )
        .await;
    assert_eq!(kept["forwarded"], false);

    common::eventually(WAIT, "the forwarded report", || async {
        let reports = open_reports(&there.server, &moderator_there).await;
        (!reports.as_array().unwrap().is_empty()).then_some(reports)
    })
    .await;
    common::jobs_idle(&here.server).await;
    let reports = open_reports(&there.server, &moderator_there)
        .await
        .as_array()
        .unwrap()
        .clone();
    assert_eq!(reports.len(), 1, "only the forwarded one: {reports:?}");
    let report = &reports[0];
    assert_eq!(report["target_account"]["username"], "spammer");
    assert_eq!(report["comment"], "Selling things");
    assert_eq!(report["statuses"][0]["id"], original["id"]);
    // From the server, not from rita, whom the other server does not learn of.
    assert_eq!(report["account"]["domain"], here.domain().as_str());
    assert_ne!(report["account"]["username"], "rita");
}
