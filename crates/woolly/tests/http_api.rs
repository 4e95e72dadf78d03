//! The HTTP surface of the foundation, against a real server: instance and discovery documents,
//! authentication, and Mastodon-shaped errors.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{TestInstance, http};
use reqwest::StatusCode;
use serde_json::Value;

async fn get_json(url: &str, token: Option<&str>) -> (StatusCode, Value) {
    let (status, body, _) =
        common::call_at(url, reqwest::Method::GET, "", token, Value::Null).await;
    (status, body)
}

fn assert_string(value: &Value, field: &str) {
    assert!(
        value[field].is_string(),
        "{field} should be a string in {value}"
    );
}

#[tokio::test]
async fn instance_v2_has_every_documented_field() {
    let instance = TestInstance::new().await;
    let server = instance.start().await;
    let (status, body) = get_json(&server.url("/api/v2/instance"), None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["domain"], "woolly.test");
    assert!(
        body["version"]
            .as_str()
            .unwrap()
            .starts_with("4.5.0 (compatible; Woolly ")
    );
    for field in ["title", "source_url", "description"] {
        assert_string(&body, field);
    }
    assert!(body["usage"]["users"]["active_month"].is_i64());
    assert_string(&body["thumbnail"], "url");
    assert!(body["icon"].is_array() && body["languages"].is_array() && body["rules"].is_array());
    let configuration = &body["configuration"];
    assert_eq!(configuration["urls"]["streaming"], "ws://woolly.test");
    assert_eq!(configuration["statuses"]["max_characters"], 500);
    assert!(configuration["statuses"]["max_media_attachments"].is_u64());
    assert!(configuration["statuses"]["characters_reserved_per_url"].is_u64());
    assert!(configuration["media_attachments"]["supported_mime_types"].is_array());
    assert!(configuration["polls"]["max_options"].is_u64());
    assert!(configuration["accounts"]["max_featured_tags"].is_u64());
    assert_eq!(configuration["translation"]["enabled"], false);
    // A VAPID key is an uncompressed P-256 point: 65 bytes, 87 base64url characters.
    assert_eq!(
        configuration["vapid"]["public_key"].as_str().unwrap().len(),
        87
    );
    assert!(body["registrations"]["enabled"].is_boolean());
    assert!(body["registrations"]["approval_required"].is_boolean());
    assert_eq!(body["api_versions"]["mastodon"], 6);
    assert!(body["contact"]["email"].is_string());
    assert!(body["contact"]["account"].is_null(), "no owner yet");
    server.stop().await;
}

#[tokio::test]
async fn instance_v1_answers_with_trailing_slash_and_counts_users() {
    let instance = TestInstance::new().await;
    let server = instance.start().await;
    instance
        .cli_ok(&[
            "admin",
            "account",
            "create",
            "owner",
            "--email",
            "owner@example.org",
            "--role",
            "owner",
        ])
        .await;
    // Mastodon.py asks for `/api/v1/instance/` and recurses forever when it fails.
    let (status, body) = get_json(&server.url("/api/v1/instance/"), None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["uri"], "woolly.test");
    assert_eq!(body["urls"]["streaming_api"], "ws://woolly.test");
    assert_eq!(body["stats"]["user_count"], 1);
    assert_eq!(body["stats"]["status_count"], 0);
    assert!(body["version"].as_str().unwrap().starts_with("4.5.0"));
    assert_eq!(body["registrations"], false);
    assert_eq!(body["contact_account"]["username"], "owner");
    assert_eq!(body["contact_account"]["roles"][0]["name"], "Owner");
    let (_, v2) = get_json(&server.url("/api/v2/instance/"), None).await;
    assert_eq!(v2["contact"]["account"]["acct"], "owner");
    server.stop().await;
}

#[tokio::test]
async fn nodeinfo_and_host_meta_describe_the_server() {
    let instance = TestInstance::new().await;
    let server = instance.start().await;
    let (status, links) = get_json(&server.url("/.well-known/nodeinfo"), None).await;
    assert_eq!(status, StatusCode::OK);
    let hrefs: Vec<&str> = links["links"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["href"].as_str().unwrap())
        .collect();
    assert_eq!(
        hrefs,
        [
            "http://woolly.test/nodeinfo/2.0",
            "http://woolly.test/nodeinfo/2.1"
        ]
    );
    for version in ["2.0", "2.1"] {
        let response = http()
            .get(server.url(&format!("/nodeinfo/{version}")))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::OK);
        let content_type = response.headers()["content-type"]
            .to_str()
            .unwrap()
            .to_owned();
        assert!(
            content_type.contains(&format!("schema/{version}#")),
            "{content_type}"
        );
        let body: Value = response.json().await.unwrap();
        assert_eq!(body["version"], version);
        assert_eq!(body["software"]["name"], "woolly");
        assert_eq!(body["protocols"][0], "activitypub");
        assert_eq!(body["usage"]["users"]["total"], 0);
        assert_eq!(body["usage"]["localPosts"], 0);
        assert!(body["openRegistrations"].is_boolean());
        assert_eq!(body["metadata"]["upstream"]["name"], "mastodon");
    }
    let (status, _) = get_json(&server.url("/nodeinfo/3.0"), None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let response = http()
        .get(server.url("/.well-known/host-meta"))
        .send()
        .await
        .unwrap();
    assert_eq!(
        response.headers()["content-type"],
        "application/xrd+xml; charset=utf-8"
    );
    let xml = response.text().await.unwrap();
    assert!(
        xml.contains("template=\"http://woolly.test/.well-known/webfinger?resource={uri}\""),
        "{xml}"
    );
    server.stop().await;
}

#[tokio::test]
async fn verify_credentials_returns_the_credential_account_of_a_cli_token() {
    let instance = TestInstance::new().await;
    let server = instance.start().await;
    // The admin CLI runs beside the server, on the same data.
    instance
        .cli_ok(&[
            "admin",
            "account",
            "create",
            "alice",
            "--email",
            "alice@example.org",
            "--password",
            "a long password",
            "--role",
            "owner",
        ])
        .await;
    let token = instance.token("alice", "read write follow push").await;
    assert_eq!(token.len(), 43);
    let (status, account) = get_json(
        &server.url("/api/v1/accounts/verify_credentials"),
        Some(&token),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{account}");
    assert!(account["id"].is_string());
    assert!(
        account["id"].as_str().unwrap().parse::<i64>().unwrap() > 1 << 16,
        "snowflake id"
    );
    assert_eq!(account["username"], "alice");
    assert_eq!(account["acct"], "alice");
    assert_eq!(account["url"], "http://woolly.test/@alice");
    assert_eq!(account["uri"], "http://woolly.test/users/alice");
    assert!(
        account["created_at"]
            .as_str()
            .unwrap()
            .ends_with("T00:00:00.000Z")
    );
    for field in [
        "display_name",
        "note",
        "avatar",
        "avatar_static",
        "header",
        "header_static",
    ] {
        assert_string(&account, field);
    }
    for field in [
        "locked",
        "bot",
        "group",
        "discoverable",
        "indexable",
        "hide_collections",
    ] {
        assert!(account[field].is_boolean(), "{field}");
    }
    for field in ["followers_count", "following_count", "statuses_count"] {
        assert_eq!(account[field], 0, "{field}");
    }
    assert!(account["last_status_at"].is_null());
    assert!(account["emojis"].is_array() && account["fields"].is_array());
    assert_eq!(account["source"]["privacy"], "public");
    assert_eq!(account["source"]["sensitive"], false);
    assert_eq!(account["source"]["follow_requests_count"], 0);
    assert_eq!(account["role"]["name"], "Owner");
    assert!(account["role"]["permissions"].is_string());
    assert_eq!(account["role"]["highlighted"], true);
    // The avatar it links to is served.
    let avatar = http()
        .get(
            account["avatar"]
                .as_str()
                .unwrap()
                .replace("http://woolly.test", &server.base_url),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(avatar.headers()["content-type"], "image/png");
    // The token also works as an `access_token` parameter, as Doorkeeper allows.
    let (status, _) = get_json(
        &server.url(&format!(
            "/api/v1/accounts/verify_credentials?access_token={token}"
        )),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    server.stop().await;
}

#[tokio::test]
async fn missing_garbage_and_revoked_tokens_are_refused_with_401() {
    let instance = TestInstance::new().await;
    let server = instance.start().await;
    let token = instance.account_with_token("bob", "read").await;
    let url = server.url("/api/v1/accounts/verify_credentials");
    let (status, body) = get_json(&url, None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(
        body,
        serde_json::json!({"error": "The access token is invalid"})
    );
    let (status, body) = get_json(&url, Some("not-a-token")).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(body["error"], "The access token is invalid");
    let (status, _) = get_json(&url, Some(&token)).await;
    assert_eq!(status, StatusCode::OK);
    instance.cli_ok(&["admin", "revoke-token", &token]).await;
    let response = http().get(&url).bearer_auth(&token).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    assert!(
        response.headers()["www-authenticate"]
            .to_str()
            .unwrap()
            .starts_with("Bearer")
    );
    server.stop().await;
}

#[tokio::test]
async fn a_token_without_the_needed_scope_gets_403() {
    let instance = TestInstance::new().await;
    let server = instance.start().await;
    let write_only = instance.account_with_token("carol", "write").await;
    let (status, body) = get_json(
        &server.url("/api/v1/accounts/verify_credentials"),
        Some(&write_only),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(
        body["error"],
        "This action is outside the authorized scopes"
    );
    // Mastodon 4.3+ lets the `profile` scope read the own account.
    let profile = instance.token("carol", "profile").await;
    let (status, _) = get_json(
        &server.url("/api/v1/accounts/verify_credentials"),
        Some(&profile),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    server.stop().await;
}

#[tokio::test]
async fn errors_from_routing_and_layers_are_mastodon_json() {
    let instance = TestInstance::new().await;
    let server = instance.start().await;
    let response = http()
        .get(server.url("/api/v1/no_such_thing"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    assert!(response.headers().contains_key("x-request-id"));
    let body: Value = response.json().await.unwrap();
    assert!(body["error"].is_string());

    let response = http()
        .delete(server.url("/api/v1/instance"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::METHOD_NOT_ALLOWED);
    let body: Value = response.json().await.unwrap();
    assert!(body["error"].is_string());

    // Bodies are capped where they are read: 2 MiB, except on upload routes; 20 MiB anywhere.
    let oversized = format!("{{\"client_name\": \"{}\"}}", "x".repeat(3 * 1024 * 1024));
    let response = http()
        .post(server.url("/api/v1/apps"))
        .header("content-type", "application/json")
        .body(oversized)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::PAYLOAD_TOO_LARGE);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["error"], "Request body is too large");
    let huge = vec![b'x'; 21 * 1024 * 1024];
    let response = http()
        .get(server.url("/api/v1/instance"))
        .body(huge)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::PAYLOAD_TOO_LARGE);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["error"], "Request body is too large");
    server.stop().await;
}

#[tokio::test]
async fn health_checks_the_database() {
    let instance = TestInstance::new().await;
    let server = instance.start().await;
    let response = http().get(server.url("/health")).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.text().await.unwrap(), "OK");
    server.stop().await;
}

#[tokio::test]
async fn metrics_count_requests_and_jobs_on_their_own_listener() {
    let instance = TestInstance::new().await;
    let mut settings = instance.settings();
    settings.metrics_listen = Some("127.0.0.1:0".parse().unwrap());
    let app = woolly::App::build(settings).await.unwrap();
    let metrics_addr = app.metrics_addr().unwrap();
    let base = format!("http://127.0.0.1:{}", app.port());
    let stop = app.stop_handle();
    let task = tokio::spawn(app.run_until_stopped());
    http()
        .get(format!("{base}/api/v2/instance"))
        .send()
        .await
        .unwrap();
    instance
        .cli_ok(&["admin", "jobs", "probe", "--fail", "--max-attempts", "1"])
        .await;
    let text = common::eventually(
        std::time::Duration::from_secs(20),
        "a dead probe in the metrics",
        || async {
            let text = http()
                .get(format!("http://{metrics_addr}/metrics"))
                .send()
                .await
                .ok()?
                .text()
                .await
                .ok()?;
            text.contains("woolly_jobs{kind=\"probe\",state=\"dead\"} 1")
                .then_some(text)
        },
    )
    .await;
    assert!(
        text.contains(
            "woolly_http_requests_total{method=\"GET\",path=\"/api/v2/instance\",status=\"200\"} 1"
        ),
        "{text}"
    );
    assert!(
        text.contains("woolly_http_request_duration_seconds_bucket"),
        "{text}"
    );
    // Metrics are not on the public listener.
    let public = http().get(format!("{base}/metrics")).send().await.unwrap();
    assert_eq!(public.status(), StatusCode::NOT_FOUND);
    stop.cancel();
    task.await.unwrap().unwrap();
}

#[tokio::test]
async fn requests_past_the_rate_limit_get_429_with_mastodon_headers() {
    let instance = TestInstance::new().await;
    let mut settings = instance.settings();
    settings.rate_limit_requests = 5;
    let server = instance.start_with(settings).await;
    let token = instance.account_with_token("busy", "read").await;
    let url = server.url("/api/v1/accounts/verify_credentials");
    for expected_remaining in (0..5).rev() {
        let response = http().get(&url).bearer_auth(&token).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::OK);
        assert_eq!(response.headers()["x-ratelimit-limit"], "5");
        assert_eq!(
            response.headers()["x-ratelimit-remaining"],
            expected_remaining.to_string().as_str()
        );
        assert!(
            response.headers()["x-ratelimit-reset"]
                .to_str()
                .unwrap()
                .ends_with('Z')
        );
    }
    let response = http().get(&url).bearer_auth(&token).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["error"], "Too many requests");
    // Another client (here, anonymous by address) has its own count.
    let response = http()
        .get(server.url("/api/v1/instance"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()["x-ratelimit-remaining"], "4");
    server.stop().await;
}

#[tokio::test]
async fn made_up_tokens_count_against_their_address() {
    let instance = TestInstance::new().await;
    let mut settings = instance.settings();
    settings.rate_limit_requests = 5;
    let server = instance.start_with(settings).await;
    let (token, _) = common::account(&server, "real").await;
    // Each request names another token that does not exist: all count against the address.
    let mut codes = Vec::new();
    for attempt in 0..7 {
        let request = http().get(server.url("/api/v1/instance"));
        let request = if attempt % 2 == 0 {
            request.bearer_auth(format!("junk{attempt}"))
        } else {
            request.query(&[("access_token", format!("junk{attempt}"))])
        };
        codes.push(request.send().await.unwrap().status().as_u16());
    }
    assert_eq!(codes, [200, 200, 200, 200, 200, 429, 429]);
    // A token that checks out is counted on its own.
    let response = http()
        .get(server.url("/api/v1/accounts/verify_credentials"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()["x-ratelimit-remaining"], "4");
    server.stop().await;
}

#[tokio::test]
async fn guessing_passwords_is_stopped_for_a_while_without_telling_who_exists() {
    let instance = TestInstance::new().await;
    let server = instance.start().await;
    common::account_with_password(&server, "alice", "correct horse battery").await;
    let app = common::register_app(&server, "Guesser", "read").await;
    let attempt = async |login: &str, password: &str| {
        let response = http()
            .post(server.url("/oauth/token"))
            .form(&[
                ("grant_type", "password"),
                ("client_id", app["client_id"].as_str().unwrap()),
                ("client_secret", app["client_secret"].as_str().unwrap()),
                ("username", login),
                ("password", password),
                ("scope", "read"),
            ])
            .send()
            .await
            .unwrap();
        let status = response.status().as_u16();
        (status, response.text().await.unwrap())
    };
    for login in ["alice@example.org", "nobody@example.org"] {
        for _ in 0..10 {
            let (status, _) = attempt(login, "wrong guess").await;
            assert_eq!(status, 400, "{login}");
        }
    }
    // The right password is refused too while the lock lasts, and a login that names no
    // account is refused the same way.
    let locked = attempt("alice@example.org", "correct horse battery").await;
    let unknown = attempt("nobody@example.org", "correct horse battery").await;
    assert_eq!(locked.0, 429, "{}", locked.1);
    assert_eq!(locked, unknown);
    // Others still sign in.
    common::account_with_password(&server, "bob", "another good password").await;
    let (status, body) = attempt("bob", "another good password").await;
    assert_eq!(status, 200, "{body}");
    server.stop().await;
}

#[tokio::test]
async fn html_pages_cannot_be_framed_and_load_nothing_foreign() {
    let instance = TestInstance::new().await;
    let server = instance.start().await;
    common::account(&server, "alice").await;
    let app = common::register_app(&server, "Framed", "read").await;
    let sign_in = format!(
        "/oauth/authorize?response_type=code&client_id={}&redirect_uri=urn:ietf:wg:oauth:2.0:oob&scope=read",
        app["client_id"].as_str().unwrap()
    );
    // The sign-in form (which takes a password), an OAuth error page, and a profile page.
    for path in [
        sign_in.as_str(),
        "/oauth/authorize?client_id=nobody",
        "/@alice",
    ] {
        let response = http()
            .get(server.url(path))
            .header("Accept", "text/html")
            .send()
            .await
            .unwrap();
        let headers = response.headers();
        assert!(
            headers["content-type"]
                .to_str()
                .unwrap()
                .starts_with("text/html"),
            "{path}"
        );
        let policy = headers["content-security-policy"].to_str().unwrap();
        assert!(
            policy.contains("frame-ancestors 'none'"),
            "{path}: {policy}"
        );
        assert!(policy.contains("default-src 'none'"), "{path}: {policy}");
        assert_eq!(headers["x-frame-options"], "DENY", "{path}");
        assert_eq!(headers["x-content-type-options"], "nosniff", "{path}");
        assert_eq!(headers["referrer-policy"], "same-origin", "{path}");
    }
    // JSON answers are not HTML pages, but are not sniffed either.
    let response = http()
        .get(server.url("/api/v1/instance"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.headers()["x-content-type-options"], "nosniff");
    assert!(response.headers().get("content-security-policy").is_none());
    server.stop().await;
}

#[tokio::test]
async fn web_clients_on_other_origins_may_use_the_api_as_on_mastodon() {
    let instance = TestInstance::new().await;
    let server = instance.start().await;
    let (token, _) = common::account(&server, "alice").await;
    let origin = "https://elk.example";
    // A preflight before an authenticated request from another origin.
    let response = http()
        .request(
            reqwest::Method::OPTIONS,
            server.url("/api/v1/timelines/home"),
        )
        .header("Origin", origin)
        .header("Access-Control-Request-Method", "GET")
        .header("Access-Control-Request-Headers", "authorization")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let headers = response.headers();
    assert_eq!(headers["access-control-allow-origin"], "*");
    assert!(
        headers["access-control-allow-methods"]
            .to_str()
            .unwrap()
            .contains("GET")
    );
    assert_eq!(headers["access-control-allow-headers"], "authorization");
    // The request itself, and what it may read of the answer.
    let response = http()
        .get(server.url("/api/v1/timelines/home"))
        .header("Origin", origin)
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()["access-control-allow-origin"], "*");
    assert!(
        response.headers()["access-control-expose-headers"]
            .to_str()
            .unwrap()
            .contains("Link")
    );
    for (method, path) in [
        (reqwest::Method::POST, "/oauth/token"),
        (
            reqwest::Method::GET,
            "/.well-known/webfinger?resource=acct:alice@woolly.test",
        ),
        (reqwest::Method::GET, "/nodeinfo/2.0"),
    ] {
        let response = http()
            .request(method, server.url(path))
            .header("Origin", origin)
            .send()
            .await
            .unwrap();
        assert_eq!(
            response.headers()["access-control-allow-origin"],
            "*",
            "{path}"
        );
    }
    // The sign-in page is not for other origins to read.
    let response = http()
        .get(server.url("/oauth/authorize?client_id=nobody"))
        .header("Origin", origin)
        .send()
        .await
        .unwrap();
    assert!(
        response
            .headers()
            .get("access-control-allow-origin")
            .is_none()
    );
    server.stop().await;
}

#[tokio::test]
async fn instance_rules_come_from_the_settings_and_peers_from_known_accounts() {
    let instance = TestInstance::new().await;
    let mut settings = instance.settings();
    settings.rules = vec!["Be kind.".into(), "  ".into(), "No spam.".into()];
    let server = instance.start_with(settings).await;
    let (_, rules) = get_json(&server.url("/api/v1/instance/rules"), None).await;
    assert_eq!(
        rules,
        serde_json::json!([
            {"id": "1", "text": "Be kind.", "hint": "", "translations": {}},
            {"id": "2", "text": "No spam.", "hint": "", "translations": {}}
        ])
    );
    let (_, v2) = get_json(&server.url("/api/v2/instance"), None).await;
    assert_eq!(v2["rules"], rules);
    let (_, v1) = get_json(&server.url("/api/v1/instance"), None).await;
    assert_eq!(v1["rules"], rules);
    // Only local accounts exist until federation: no peers.
    let (status, peers) = get_json(&server.url("/api/v1/instance/peers"), None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(peers, serde_json::json!([]));
    server.stop().await;
}

#[tokio::test]
async fn instance_pages_render_the_operators_markdown_and_activity_counts_weeks() {
    let instance = TestInstance::new().await;
    let mut settings = instance.settings();
    settings.extended_description = "We *knit*.".into();
    let server = instance.start_with(settings.clone()).await;
    let (status, about) =
        get_json(&server.url("/api/v1/instance/extended_description"), None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(about["content"], "<p>We <em>knit</em>.</p>\n");
    assert_string(&about, "updated_at");
    let (_, policy) = get_json(&server.url("/api/v1/instance/privacy_policy"), None).await;
    assert!(
        policy["content"]
            .as_str()
            .unwrap()
            .starts_with("<h1>Privacy policy</h1>"),
        "Woolly's own policy when the operator wrote none: {policy}"
    );
    let (status, terms) = get_json(&server.url("/api/v1/instance/terms_of_service"), None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(terms["error"], "Record not found");

    let token = instance.account_with_token("alice", "read write").await;
    http()
        .post(server.url("/api/v1/statuses"))
        .bearer_auth(&token)
        .json(&serde_json::json!({"status": "first"}))
        .send()
        .await
        .unwrap();
    let activity = common::eventually(
        std::time::Duration::from_secs(10),
        "alice's use counted as a login",
        || async {
            let (_, activity) = get_json(&server.url("/api/v1/instance/activity"), None).await;
            (common::history_total(&activity, "logins") >= 1).then_some(activity)
        },
    )
    .await;
    let weeks = activity.as_array().unwrap();
    assert_eq!(weeks.len(), 12);
    // In this week, or in the last one and this one when the test runs across Monday 00:00 UTC.
    assert_eq!(
        common::history_total(&activity, "statuses"),
        1,
        "{activity}"
    );
    assert_eq!(
        common::history_total(&activity, "registrations"),
        1,
        "{activity}"
    );
    assert!(
        weeks[2..].iter().all(|week| week["statuses"] == "0"),
        "{activity}"
    );
    for week in weeks {
        for field in ["week", "statuses", "logins", "registrations"] {
            assert_string(week, field);
        }
    }
    let this_week: i64 = weeks[0]["week"].as_str().unwrap().parse().unwrap();
    let last_week: i64 = weeks[1]["week"].as_str().unwrap().parse().unwrap();
    assert_eq!(this_week - last_week, 7 * 24 * 3600);
    assert_eq!((this_week / 86_400 + 4) % 7, 1, "weeks start on Mondays");
    server.stop().await;

    // Restarted with new texts: only what changed gets a new updated_at.
    tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    settings.privacy_policy = "# Ours\n\nWe keep nothing.".into();
    settings.terms_of_service = "Be excellent.".into();
    let server = instance.start_with(settings).await;
    let (_, about_again) =
        get_json(&server.url("/api/v1/instance/extended_description"), None).await;
    assert_eq!(about_again["updated_at"], about["updated_at"]);
    let (_, new_policy) = get_json(&server.url("/api/v1/instance/privacy_policy"), None).await;
    assert_eq!(
        new_policy["content"],
        "<h1>Ours</h1>\n<p>We keep nothing.</p>\n"
    );
    assert!(new_policy["updated_at"].as_str() > policy["updated_at"].as_str());
    let (status, terms) = get_json(&server.url("/api/v1/instance/terms_of_service"), None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(terms["content"], "<p>Be excellent.</p>\n");
    assert_eq!(terms["effective"], true);
    assert_eq!(terms["succeeded_by"], Value::Null);
    assert_eq!(terms["effective_date"].as_str().unwrap().len(), 10);
    server.stop().await;
}
