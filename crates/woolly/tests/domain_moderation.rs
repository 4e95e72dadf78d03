//! How this server deals with other servers: domain blocks with their severity and options
//! (`/api/v1/admin/domain_blocks`), the public list of them, and limited federation with its
//! allow list (`/api/v1/admin/domain_allows`). Effects are checked where users see them; a
//! refused change writes nothing.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::fediverse::{Node, WAIT};
use common::{TestInstance, TestServer, account, jobs_idle, remote_account, staff_account};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use woolly_core::visibility::Visibility;

async fn call(
    server: &TestServer,
    method: Method,
    token: Option<&str>,
    path: &str,
    body: Value,
) -> (StatusCode, Value) {
    server.call(method, path, token, body).await
}

#[tokio::test]
async fn blocks_limit_or_cut_off_a_domain_and_lifting_them_undoes_it() {
    let instance = TestInstance::new().await;
    let server = instance.start().await;
    let (reader, _) = account(&server, "reader").await;
    let (admin, _) = staff_account(&server, "ada", "admin").await;
    let (moderator, _) = staff_account(&server, "mo", "moderator").await;
    let loud = remote_account(&server, "loud", "loud.example").await;
    let status =
        common::remote_status(&server, &loud, "Hello from afar", Visibility::Public, None).await;

    // A moderator may not; the server's own domain may not be blocked; nothing is written.
    let (refused, _) = call(
        &server,
        Method::POST,
        Some(&moderator),
        "/api/v1/admin/domain_blocks",
        json!({"domain": "loud.example"}),
    )
    .await;
    assert_eq!(refused, StatusCode::FORBIDDEN);
    let own = server.woolly.config().domain.as_str().to_owned();
    let (refused, body) = call(
        &server,
        Method::POST,
        Some(&admin),
        "/api/v1/admin/domain_blocks",
        json!({"domain": own}),
    )
    .await;
    assert_eq!(refused, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let (_, listed) = call(
        &server,
        Method::GET,
        Some(&admin),
        "/api/v1/admin/domain_blocks",
        Value::Null,
    )
    .await;
    assert_eq!(listed, json!([]));

    // Silenced: its accounts are limited, old and new, and leave the public timelines.
    let (created, block) = call(
        &server,
        Method::POST,
        Some(&admin),
        "/api/v1/admin/domain_blocks",
        json!({"domain": "Loud.Example", "severity": "silence", "public_comment": "Spam",
               "private_comment": "Many reports", "obfuscate": true}),
    )
    .await;
    assert_eq!(created, StatusCode::OK, "{block}");
    assert_eq!(block["domain"], "loud.example");
    assert_eq!(block["severity"], "silence");
    assert_eq!(block["reject_media"], false);
    assert_eq!(block["private_comment"], "Many reports");
    assert_eq!(block["digest"].as_str().unwrap().len(), 64);
    let block_id = block["id"].as_str().unwrap().to_owned();
    let (again, _) = call(
        &server,
        Method::POST,
        Some(&admin),
        "/api/v1/admin/domain_blocks",
        json!({"domain": "loud.example"}),
    )
    .await;
    assert_eq!(again, StatusCode::UNPROCESSABLE_ENTITY, "already blocked");
    let admin_account = format!("/api/v1/admin/accounts/{}", loud.id);
    let (_, seen) = call(
        &server,
        Method::GET,
        Some(&admin),
        &admin_account,
        Value::Null,
    )
    .await;
    assert_eq!(seen["silenced"], true, "{seen}");
    let later = remote_account(&server, "later", "sub.loud.example").await;
    let (_, seen) = call(
        &server,
        Method::GET,
        Some(&admin),
        &format!("/api/v1/admin/accounts/{}", later.id),
        Value::Null,
    )
    .await;
    assert_eq!(
        seen["silenced"], true,
        "an account that arrives later: {seen}"
    );
    let (_, public) = call(
        &server,
        Method::GET,
        Some(&reader),
        "/api/v1/timelines/public",
        Value::Null,
    )
    .await;
    assert!(
        !public.to_string().contains(&status.to_string()),
        "{public}"
    );

    // The public list is the operator's to show: not by default.
    let (hidden, _) = call(
        &server,
        Method::GET,
        None,
        "/api/v1/instance/domain_blocks",
        Value::Null,
    )
    .await;
    assert_eq!(hidden, StatusCode::NOT_FOUND);

    // Suspended: its accounts vanish, then are purged.
    let block_path = format!("/api/v1/admin/domain_blocks/{block_id}");
    let (updated, block) = call(
        &server,
        Method::PUT,
        Some(&admin),
        &block_path,
        json!({"severity": "suspend"}),
    )
    .await;
    assert_eq!(updated, StatusCode::OK, "{block}");
    assert_eq!(block["severity"], "suspend");
    assert_eq!(block["public_comment"], "Spam", "what was not sent stays");
    jobs_idle(&server).await;
    let (gone, _) = call(
        &server,
        Method::GET,
        Some(&reader),
        &format!("/api/v1/accounts/{}", loud.id),
        Value::Null,
    )
    .await;
    assert_eq!(gone, StatusCode::NOT_FOUND);
    let (gone, _) = call(
        &server,
        Method::GET,
        Some(&admin),
        &admin_account,
        Value::Null,
    )
    .await;
    assert_eq!(gone, StatusCode::NOT_FOUND, "purged, even for moderators");
    let (gone, _) = call(
        &server,
        Method::GET,
        Some(&reader),
        &format!("/api/v1/statuses/{status}"),
        Value::Null,
    )
    .await;
    assert_eq!(gone, StatusCode::NOT_FOUND);

    // Lifted.
    let (lifted, body) = call(
        &server,
        Method::DELETE,
        Some(&admin),
        &block_path,
        Value::Null,
    )
    .await;
    assert_eq!(lifted, StatusCode::OK, "{body}");
    let (_, listed) = call(
        &server,
        Method::GET,
        Some(&admin),
        "/api/v1/admin/domain_blocks",
        Value::Null,
    )
    .await;
    assert_eq!(listed, json!([]));
    let back = remote_account(&server, "back", "loud.example").await;
    let (_, seen) = call(
        &server,
        Method::GET,
        Some(&admin),
        &format!("/api/v1/admin/accounts/{}", back.id),
        Value::Null,
    )
    .await;
    assert_eq!(seen["silenced"], false);
    assert_eq!(seen["suspended"], false);
    let log = instance.cli_ok(&["admin", "audit"]).await;
    let actions: Vec<&str> = log
        .lines()
        .map(|line| line.split('\t').nth(2).unwrap_or_default())
        .collect();
    assert_eq!(actions, vec!["destroy", "update", "create"], "{log}");
    assert!(log.contains("DomainBlock loud.example"), "{log}");
    server.stop().await;
}

#[tokio::test]
async fn a_limited_block_undone_lifts_only_what_it_limited_and_the_public_list_shows_what_the_operator_allows()
 {
    let instance = TestInstance::new().await;
    let server = instance
        .start_on_own_domain_with(|settings| {
            settings.show_domain_blocks = "all".to_owned();
            settings.show_domain_blocks_rationale = true;
        })
        .await;
    let (admin, _) = staff_account(&server, "ada", "admin").await;
    let (moderator, _) = staff_account(&server, "mo", "moderator").await;
    let quiet = remote_account(&server, "quiet", "media.example").await;
    // A moderator silenced this one on its own before the block: lifting the block keeps it.
    let (status, _) = server
        .call(
            Method::POST,
            &format!("/api/v1/admin/accounts/{}/action", quiet.id),
            Some(&moderator),
            json!({"type": "silence"}),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let (_, block) = call(
        &server,
        Method::POST,
        Some(&admin),
        "/api/v1/admin/domain_blocks",
        json!({"domain": "media.example", "severity": "noop", "reject_media": true,
               "reject_reports": true, "public_comment": "Heavy pictures", "obfuscate": true}),
    )
    .await;
    let block_id = block["id"].as_str().unwrap().to_owned();
    let (_, public) = call(
        &server,
        Method::GET,
        None,
        "/api/v1/instance/domain_blocks",
        Value::Null,
    )
    .await;
    assert_eq!(public[0]["severity"], "noop", "{public}");
    assert_eq!(public[0]["comment"], "Heavy pictures");
    assert_ne!(public[0]["domain"], "media.example", "obfuscated: {public}");
    assert_eq!(public[0]["digest"], block["digest"]);
    let about = common::http()
        .get(server.url("/about"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(about.contains("Heavy pictures"), "{about}");

    // Media of a server whose media are rejected stay links.
    let with_media = common::remote_status_with(
        &server,
        &quiet,
        "A picture",
        Visibility::Public,
        None,
        |status| {
            status.media.push(woolly_core::remote::RemoteMedia {
                url: "https://media.example/a.png".to_owned(),
                kind: "image".to_owned(),
                content_type: "image/png".to_owned(),
                description: None,
                blurhash: Some("LEHV6nWB2yk8pyo0adR*.7kCMdnj".to_owned()),
                focus: (0.0, 0.0),
                width: 10,
                height: 10,
            });
        },
    )
    .await;
    let (_, seen) = call(
        &server,
        Method::GET,
        Some(&admin),
        &format!("/api/v1/statuses/{with_media}"),
        Value::Null,
    )
    .await;
    assert_eq!(seen["media_attachments"][0]["type"], "unknown", "{seen}");
    assert_eq!(
        seen["media_attachments"][0]["remote_url"],
        "https://media.example/a.png"
    );

    // Silence it, then lift the block: the moderator's own limit stays.
    call(
        &server,
        Method::PUT,
        Some(&admin),
        &format!("/api/v1/admin/domain_blocks/{block_id}"),
        json!({"severity": "silence"}),
    )
    .await;
    call(
        &server,
        Method::DELETE,
        Some(&admin),
        &format!("/api/v1/admin/domain_blocks/{block_id}"),
        Value::Null,
    )
    .await;
    let (_, seen) = call(
        &server,
        Method::GET,
        Some(&admin),
        &format!("/api/v1/admin/accounts/{}", quiet.id),
        Value::Null,
    )
    .await;
    assert_eq!(seen["silenced"], true, "{seen}");
    server.stop().await;
}

#[tokio::test]
async fn limited_federation_talks_only_to_the_servers_it_allows() {
    let open = Node::start().await;
    let instance = TestInstance::new().await;
    let server = instance
        .start_on_own_domain_with(|settings| {
            settings.rate_limit_requests = 0;
            settings.limited_federation = true;
        })
        .await;
    let limited = Node { instance, server };
    let alice = limited.user("alice").await;
    let bob = open.user("bob").await;
    let (admin, _) = staff_account(&limited.server, "ada", "admin").await;

    // Nothing is fetched from a server not on the list.
    let found = alice
        .get_ok(&format!(
            "/api/v2/search?q=@{}&resolve=true&type=accounts",
            bob.handle
        ))
        .await;
    assert_eq!(found["accounts"], json!([]), "{found}");
    // Nor received from it: bob's follow is refused at the door, and ends dead there.
    let alice_there = bob.resolve(&alice.handle).await;
    bob.post(&format!("/api/v1/accounts/{alice_there}/follow"), json!({}))
        .await;
    wait_dead_deliveries(&open.server, 1).await;
    let followers = alice
        .get_ok(&format!("/api/v1/accounts/{}/followers", alice.id))
        .await;
    assert_eq!(followers, json!([]));

    let (allowed, allow) = call(
        &limited.server,
        Method::POST,
        Some(&admin),
        "/api/v1/admin/domain_allows",
        json!({"domain": open.domain()}),
    )
    .await;
    assert_eq!(allowed, StatusCode::OK, "{allow}");
    assert_eq!(allow["domain"], open.domain().as_str());
    let (again, _) = call(
        &limited.server,
        Method::POST,
        Some(&admin),
        "/api/v1/admin/domain_allows",
        json!({"domain": open.domain()}),
    )
    .await;
    assert_eq!(again, StatusCode::UNPROCESSABLE_ENTITY);
    let (_, listed) = call(
        &limited.server,
        Method::GET,
        Some(&admin),
        "/api/v1/admin/domain_allows",
        Value::Null,
    )
    .await;
    assert_eq!(listed.as_array().unwrap().len(), 1);
    alice.follow_and_wait(&bob.handle).await;
    bob.post("/api/v1/statuses", json!({"status": "Allowed in"}))
        .await;
    alice.wait_home("Allowed in").await;

    // Off the list again: its deliveries are refused.
    let allow_path = format!(
        "/api/v1/admin/domain_allows/{}",
        allow["id"].as_str().unwrap()
    );
    let (removed, _) = call(
        &limited.server,
        Method::DELETE,
        Some(&admin),
        &allow_path,
        Value::Null,
    )
    .await;
    assert_eq!(removed, StatusCode::OK);
    bob.post("/api/v1/statuses", json!({"status": "Not any more"}))
        .await;
    wait_dead_deliveries(&open.server, 2).await;
    assert!(
        alice
            .home()
            .await
            .iter()
            .all(|s| !s["content"].as_str().unwrap_or("").contains("Not any more"))
    );
    limited.server.stop().await;
    open.server.stop().await;
}

/// Waits until `server` has buried `count` deliveries (refused for good).
async fn wait_dead_deliveries(server: &TestServer, count: i64) {
    common::eventually(WAIT, "refused deliveries to end", || async {
        let dead: i64 = server
            .woolly
            .jobs()
            .job_counts()
            .await
            .unwrap()
            .iter()
            .filter(|c| c.kind == "federation.deliver" && c.state == woolly_store::JobState::Dead)
            .map(|c| c.count)
            .sum();
        (dead >= count).then_some(())
    })
    .await;
}
