//! Authorization over the whole client API route table, as Mastodon answers: no token → 401,
//! a token without the scope → 403, another user's resource → 404.
//!
//! The routes are read from the API crate's route files, so a route added later is checked
//! without anyone remembering to list it: it must refuse anonymous and unscoped requests, or be
//! named here as public (or as needing only some token).

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::collections::BTreeSet;

use common::{TestInstance, TestServer, account};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

/// (method, path) of every route of the client API, from `.route("PATH", get(…).post(…))`.
fn api_routes() -> BTreeSet<(String, String)> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../woolly-api/src/routes");
    let mut routes = BTreeSet::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let source = std::fs::read_to_string(entry.unwrap().path()).unwrap();
        let mut rest = source.as_str();
        while let Some(at) = rest.find(".route(") {
            rest = &rest[at + ".route(".len()..];
            let Some(quote) = rest.find('"') else { break };
            let after = &rest[quote + 1..];
            let end = after.find('"').unwrap();
            let path = after[..end].to_owned();
            // The method router: up to the parenthesis that closes `.route(`.
            let mut depth = 1;
            let mut close = 0;
            for (index, c) in rest.char_indices() {
                match c {
                    '(' => depth += 1,
                    ')' => {
                        depth -= 1;
                        if depth == 0 {
                            close = index;
                            break;
                        }
                    }
                    _ => {}
                }
            }
            let methods = &rest[quote + 1 + end + 1..close];
            for method in ["get", "post", "put", "patch", "delete"] {
                let called = methods
                    .match_indices(&format!("{method}("))
                    .any(|(index, _)| {
                        index == 0 || !methods.as_bytes()[index - 1].is_ascii_alphanumeric()
                    });
                if called {
                    routes.insert((method.to_uppercase(), path.clone()));
                }
            }
            rest = &rest[close..];
        }
    }
    routes
}

/// Routes anyone may call without a token, as on Mastodon (public profiles, statuses and
/// timelines, the instance, app registration and OAuth, assets).
const PUBLIC: &[(&str, &str)] = &[
    ("GET", "/.well-known/oauth-authorization-server"),
    ("GET", "/api/v1/accounts/lookup"),
    ("GET", "/api/v1/accounts/search"),
    ("GET", "/api/v1/accounts/{id}"),
    ("GET", "/api/v1/accounts/{id}/endorsements"),
    ("GET", "/api/v1/accounts/{id}/featured_tags"),
    ("GET", "/api/v1/accounts/{id}/followers"),
    ("GET", "/api/v1/accounts/{id}/following"),
    ("GET", "/api/v1/accounts/{id}/statuses"),
    ("POST", "/api/v1/apps"),
    ("GET", "/api/v1/custom_emojis"),
    ("GET", "/api/v1/directory"),
    ("GET", "/api/v1/instance"),
    ("GET", "/api/v1/instance/activity"),
    // Public when the operator shows it (`show_domain_blocks`), else 404 for everyone.
    ("GET", "/api/v1/instance/domain_blocks"),
    ("GET", "/api/v1/instance/extended_description"),
    ("GET", "/api/v1/instance/peers"),
    ("GET", "/api/v1/instance/privacy_policy"),
    ("GET", "/api/v1/instance/rules"),
    ("GET", "/api/v1/instance/terms_of_service"),
    ("GET", "/api/v1/polls/{id}"),
    ("GET", "/api/v1/statuses/{id}"),
    ("GET", "/api/v1/statuses/{id}/context"),
    ("GET", "/api/v1/statuses/{id}/favourited_by"),
    ("GET", "/api/v1/statuses/{id}/history"),
    ("GET", "/api/v1/statuses/{id}/reblogged_by"),
    ("GET", "/api/v1/streaming"),
    ("GET", "/api/v1/streaming/health"),
    ("GET", "/api/v1/streaming/{*channel}"),
    ("GET", "/api/v1/tags/{name}"),
    ("GET", "/api/v1/timelines/public"),
    ("GET", "/api/v1/trends"),
    ("GET", "/api/v1/trends/tags"),
    ("GET", "/api/v1/trends/statuses"),
    ("GET", "/api/v1/trends/links"),
    ("GET", "/api/v1/timelines/tag/{hashtag}"),
    ("GET", "/api/v2/instance"),
    ("GET", "/api/v2/search"),
    ("GET", "/avatars/original/missing.png"),
    ("GET", "/headers/original/missing.png"),
    ("GET", "/health"),
    ("GET", "/instance/thumbnail.png"),
    ("GET", "/media/{folder}/{file}"),
    ("POST", "/oauth/revoke"),
    ("POST", "/oauth/token"),
];

/// Routes any valid token may call, whatever its scopes (Mastodon: `doorkeeper_authorize!`
/// without a scope).
const ANY_TOKEN: &[(&str, &str)] = &[("GET", "/api/v1/apps/verify_credentials")];

fn listed(list: &[(&str, &str)], (method, path): &(String, String)) -> bool {
    list.iter().any(|(m, p)| m == method && p == path)
}

/// A concrete path for a route template; ids that name nothing (a status, an account…).
fn concrete(path: &str) -> String {
    path.replace("{id}", "1")
        .replace("{name}", "woolly")
        .replace("{hashtag}", "woolly")
        .replace("{group_key}", "ungrouped-1")
        .replace("{*channel}", "user")
        .replace("{file}", "original.png")
}

async fn call(server: &TestServer, method: &str, path: &str, token: Option<&str>) -> StatusCode {
    let method = Method::from_bytes(method.as_bytes()).unwrap();
    // Writes carry an (empty) body, as clients send them.
    let body = if method == Method::DELETE {
        Value::Null
    } else {
        json!({})
    };
    server.call(method, path, token, body).await.0
}

#[tokio::test]
async fn every_route_refuses_anonymous_and_unscoped_requests() {
    let instance = TestInstance::new().await;
    let server = instance
        .start_with({
            let mut settings = instance.settings();
            settings.rate_limit_requests = 0;
            settings
        })
        .await;
    account(&server, "alice").await;
    // A token for a scope no route below asks for.
    let unscoped = instance.token("alice", "push").await;
    let routes = api_routes();
    assert!(routes.len() > 100, "the route table was read: {routes:?}");
    for listed_route in PUBLIC.iter().chain(ANY_TOKEN) {
        assert!(
            routes.contains(&(listed_route.0.to_owned(), listed_route.1.to_owned())),
            "{listed_route:?} is listed here but is no route any more"
        );
    }

    let mut wrong = Vec::new();
    for route in &routes {
        if listed(PUBLIC, route) {
            continue;
        }
        let (method, template) = route;
        let path = concrete(template);
        let anonymous = call(&server, method, &path, None).await;
        if anonymous != StatusCode::UNAUTHORIZED {
            wrong.push(format!("{method} {template} without a token: {anonymous}"));
        }
        let forged = call(&server, method, &path, Some("not-a-token")).await;
        if forged != StatusCode::UNAUTHORIZED {
            wrong.push(format!("{method} {template} with a forged token: {forged}"));
        }
        if listed(ANY_TOKEN, route) {
            continue;
        }
        let unscoped_status = call(&server, method, &path, Some(&unscoped)).await;
        if unscoped_status != StatusCode::FORBIDDEN {
            wrong.push(format!(
                "{method} {template} with a token lacking its scope: {unscoped_status}"
            ));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    server.stop().await;
}

async fn send(
    server: &TestServer,
    token: &str,
    method: Method,
    path: &str,
    body: Value,
) -> (StatusCode, Value) {
    server.call(method, path, Some(token), body).await
}

#[tokio::test]
async fn another_users_resources_are_not_found() {
    let instance = TestInstance::new().await;
    let server = instance.start().await;
    let (alice, _) = account(&server, "alice").await;
    let (bob, _) = account(&server, "bob").await;
    let created = |path: &'static str, body: Value| {
        let server = &server;
        let alice = alice.clone();
        async move {
            let (status, entity) = send(server, &alice, Method::POST, path, body).await;
            assert!(status.is_success(), "{path}: {status} {entity}");
            entity["id"].as_str().unwrap().to_owned()
        }
    };
    let list = created("/api/v1/lists", json!({"title": "friends"})).await;
    let filter = created(
        "/api/v2/filters",
        json!({"title": "spoilers", "context": ["home"], "keywords_attributes": [{"keyword": "finale"}]}),
    )
    .await;
    let (_, filter_entity) = send(
        &server,
        &alice,
        Method::GET,
        &format!("/api/v2/filters/{filter}"),
        json!({}),
    )
    .await;
    let keyword = filter_entity["keywords"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let status = created("/api/v1/statuses", json!({"status": "mine"})).await;
    let filtered_status = {
        let (code, entity) = send(
            &server,
            &alice,
            Method::POST,
            &format!("/api/v2/filters/{filter}/statuses"),
            json!({"status_id": status}),
        )
        .await;
        assert!(code.is_success(), "{entity}");
        entity["id"].as_str().unwrap().to_owned()
    };
    let scheduled = created(
        "/api/v1/statuses",
        json!({"status": "later", "scheduled_at": "2999-01-01T00:00:00.000Z"}),
    )
    .await;
    // A direct message to Bob: Alice's conversation.
    created(
        "/api/v1/statuses",
        json!({"status": "@bob a secret", "visibility": "direct"}),
    )
    .await;
    // Bob mentions Alice: she has a notification, and (from her direct message) a conversation.
    let (code, _) = send(
        &server,
        &bob,
        Method::POST,
        "/api/v1/statuses",
        json!({"status": "@alice hello"}),
    )
    .await;
    assert!(code.is_success());
    let (_, notifications) = send(
        &server,
        &alice,
        Method::GET,
        "/api/v1/notifications",
        json!({}),
    )
    .await;
    let notification = notifications[0]["id"].as_str().unwrap().to_owned();
    let conversation = common::eventually(
        std::time::Duration::from_secs(20),
        "alice's conversation",
        || async {
            let (_, conversations) = send(
                &server,
                &alice,
                Method::GET,
                "/api/v1/conversations",
                json!({}),
            )
            .await;
            conversations[0]["id"].as_str().map(str::to_owned)
        },
    )
    .await;
    let group_key = {
        let (_, grouped) = send(
            &server,
            &alice,
            Method::GET,
            "/api/v2/notifications",
            json!({}),
        )
        .await;
        grouped["notification_groups"][0]["group_key"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    let upload = common::upload_png(&server, &alice).await;
    let (carol, _) = account(&server, "carol").await;

    let others = [
        (Method::GET, format!("/api/v1/lists/{list}")),
        (Method::PUT, format!("/api/v1/lists/{list}")),
        (Method::DELETE, format!("/api/v1/lists/{list}")),
        (Method::GET, format!("/api/v1/lists/{list}/accounts")),
        (Method::GET, format!("/api/v1/timelines/list/{list}")),
        (Method::GET, format!("/api/v2/filters/{filter}")),
        (Method::PUT, format!("/api/v2/filters/{filter}")),
        (Method::DELETE, format!("/api/v2/filters/{filter}")),
        (Method::GET, format!("/api/v2/filters/{filter}/keywords")),
        (Method::GET, format!("/api/v2/filters/{filter}/statuses")),
        (Method::GET, format!("/api/v2/filters/keywords/{keyword}")),
        (
            Method::DELETE,
            format!("/api/v2/filters/keywords/{keyword}"),
        ),
        (
            Method::GET,
            format!("/api/v2/filters/statuses/{filtered_status}"),
        ),
        (
            Method::DELETE,
            format!("/api/v2/filters/statuses/{filtered_status}"),
        ),
        (Method::GET, format!("/api/v1/filters/{keyword}")),
        (Method::DELETE, format!("/api/v1/filters/{keyword}")),
        (Method::DELETE, format!("/api/v1/statuses/{status}")),
        (Method::PUT, format!("/api/v1/statuses/{status}")),
        (Method::GET, format!("/api/v1/statuses/{status}/source")),
        (
            Method::GET,
            format!("/api/v1/scheduled_statuses/{scheduled}"),
        ),
        (
            Method::PUT,
            format!("/api/v1/scheduled_statuses/{scheduled}"),
        ),
        (
            Method::DELETE,
            format!("/api/v1/scheduled_statuses/{scheduled}"),
        ),
        (Method::GET, format!("/api/v1/media/{upload}")),
        (Method::PUT, format!("/api/v1/media/{upload}")),
    ];
    // Carol takes no part in Alice's conversation nor in her notifications.
    let not_carols = [
        (Method::GET, format!("/api/v1/notifications/{notification}")),
        (
            Method::POST,
            format!("/api/v1/notifications/{notification}/dismiss"),
        ),
        (
            Method::POST,
            format!("/api/v1/conversations/{conversation}/read"),
        ),
        (
            Method::DELETE,
            format!("/api/v1/conversations/{conversation}"),
        ),
        (Method::GET, format!("/api/v2/notifications/{group_key}")),
        (
            Method::GET,
            format!("/api/v2/notifications/{group_key}/accounts"),
        ),
        (
            Method::POST,
            format!("/api/v2/notifications/{group_key}/dismiss"),
        ),
    ];
    let mut wrong = Vec::new();
    let as_bob = others
        .into_iter()
        .map(|(method, path)| (&bob, method, path));
    let as_carol = not_carols
        .into_iter()
        .map(|(method, path)| (&carol, method, path));
    for (token, method, path) in as_bob.chain(as_carol) {
        let (code, body) = send(
            &server,
            token,
            method.clone(),
            &path,
            json!({"title": "taken"}),
        )
        .await;
        if code != StatusCode::NOT_FOUND {
            wrong.push(format!("{method} {path} as another user: {code} {body}"));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    // And nothing changed: Alice still has all of it.
    let (_, notifications) = send(
        &server,
        &alice,
        Method::GET,
        "/api/v1/notifications",
        json!({}),
    )
    .await;
    assert_eq!(notifications[0]["id"], notification.as_str());
    let (_, conversations) = send(
        &server,
        &alice,
        Method::GET,
        "/api/v1/conversations",
        json!({}),
    )
    .await;
    assert_eq!(conversations[0]["id"], conversation.as_str());
    for path in [
        format!("/api/v1/lists/{list}"),
        format!("/api/v1/statuses/{status}"),
        format!("/api/v2/filters/{filter}"),
        format!("/api/v1/media/{upload}"),
        format!("/api/v2/notifications/{group_key}"),
    ] {
        let (code, _) = send(&server, &alice, Method::GET, &path, json!({})).await;
        assert_eq!(code, StatusCode::OK, "{path}");
    }
    server.stop().await;
}
