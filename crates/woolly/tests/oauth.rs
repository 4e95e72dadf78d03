//! Woolly's OAuth 2 provider against a real server: app registration, the HTML authorization
//! flow (with and without PKCE, out-of-band), the password and client-credentials grants,
//! revocation, discovery, and the refusals.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::time::Duration;

use base64::Engine as _;
use common::{TestInstance, TestServer, http};
use reqwest::StatusCode;
use serde_json::{Value, json};

const REDIRECT: &str = "http://127.0.0.1:9/callback";

async fn register(server: &TestServer, scopes: &str, redirect_uris: &str) -> Value {
    let response = http()
        .post(server.url("/api/v1/apps"))
        .form(&[
            ("client_name", "Test Client"),
            ("redirect_uris", redirect_uris),
            ("scopes", scopes),
            ("website", "https://client.example"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    response.json().await.unwrap()
}

/// A client that does not follow redirects and keeps cookies, as the browser that fills in the
/// authorization form keeps the cookie behind its anti-forgery token.
fn no_redirects() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .cookie_store(true)
        .build()
        .unwrap()
}

async fn post_token(server: &TestServer, form: &[(&str, &str)]) -> (StatusCode, Value) {
    let response = http()
        .post(server.url("/oauth/token"))
        .form(form)
        .send()
        .await
        .unwrap();
    (response.status(), response.json().await.unwrap())
}

async fn verify(server: &TestServer, token: &str) -> StatusCode {
    http()
        .get(server.url("/api/v1/accounts/verify_credentials"))
        .bearer_auth(token)
        .send()
        .await
        .unwrap()
        .status()
}

#[tokio::test]
async fn an_app_registers_and_is_shaped_like_mastodons() {
    let instance = TestInstance::new().await;
    let server = instance.start().await;
    let app = register(&server, "read write:statuses", REDIRECT).await;
    assert!(app["id"].is_string());
    assert_eq!(app["name"], "Test Client");
    assert_eq!(app["website"], "https://client.example");
    assert_eq!(app["scopes"], json!(["read", "write:statuses"]));
    assert_eq!(app["redirect_uri"], REDIRECT);
    assert_eq!(app["redirect_uris"], json!([REDIRECT]));
    assert_eq!(app["client_id"].as_str().unwrap().len(), 43);
    assert_eq!(app["client_secret"].as_str().unwrap().len(), 43);
    assert_eq!(app["client_secret_expires_at"], 0);
    assert!(app["vapid_key"].is_string());

    // JSON bodies and arrays of redirect URIs work too (masto.js sends JSON).
    let response = http()
        .post(server.url("/api/v1/apps"))
        .json(&json!({"client_name": "JSON", "redirect_uris": [REDIRECT, "urn:ietf:wg:oauth:2.0:oob"]}))
        .send()
        .await
        .unwrap();
    let app: Value = response.json().await.unwrap();
    assert_eq!(
        app["redirect_uris"],
        json!([REDIRECT, "urn:ietf:wg:oauth:2.0:oob"])
    );
    assert_eq!(app["scopes"], json!(["read"]), "Mastodon's default scope");

    // An application token verifies its application.
    let (_, token) = post_token(
        &server,
        &[
            ("grant_type", "client_credentials"),
            ("client_id", app["client_id"].as_str().unwrap()),
            ("client_secret", app["client_secret"].as_str().unwrap()),
        ],
    )
    .await;
    let verified: Value = http()
        .get(server.url("/api/v1/apps/verify_credentials"))
        .bearer_auth(token["access_token"].as_str().unwrap())
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(verified["name"], "JSON");
    assert!(
        verified.get("client_secret").is_none(),
        "the secret is shown once"
    );
    // …but it is not a user.
    let response = http()
        .get(server.url("/api/v1/accounts/verify_credentials"))
        .bearer_auth(token["access_token"].as_str().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    server.stop().await;
}

#[tokio::test]
async fn bad_app_registrations_are_refused_and_nothing_is_created() {
    let instance = TestInstance::new().await;
    let server = instance.start().await;
    for form in [
        vec![("redirect_uris", REDIRECT)],
        vec![("client_name", "No redirect")],
        vec![("client_name", "Relative"), ("redirect_uris", "/callback")],
        vec![
            ("client_name", "Bad scope"),
            ("redirect_uris", REDIRECT),
            ("scopes", "read launch_missiles"),
        ],
        // Shown as a link on every status posted with the app: web addresses only.
        vec![
            ("client_name", "Script"),
            ("redirect_uris", REDIRECT),
            ("website", "javascript:alert(document.cookie)"),
        ],
        vec![
            ("client_name", "Data"),
            ("redirect_uris", REDIRECT),
            ("website", "data:text/html,<script>alert(1)</script>"),
        ],
    ] {
        let response = http()
            .post(server.url("/api/v1/apps"))
            .form(&form)
            .send()
            .await
            .unwrap();
        assert_eq!(
            response.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "{form:?}"
        );
        let body: Value = response.json().await.unwrap();
        assert!(body["error"].is_string());
    }
    let response = http()
        .post(server.url("/api/v1/apps"))
        .header("content-type", "application/json")
        .body("{\"client_name\": ")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    server.stop().await;
}

/// Fills in and submits the authorization form as a browser would; returns the response.
async fn submit_form(
    server: &TestServer,
    query: &str,
    login: &str,
    password: &str,
    decision: &str,
) -> reqwest::Response {
    submit_form_with_code(server, query, (login, password, ""), decision).await
}

/// Like [`submit_form`], with a two-factor code: `(login, password, code)`.
async fn submit_form_with_code(
    server: &TestServer,
    query: &str,
    (login, password, code): (&str, &str, &str),
    decision: &str,
) -> reqwest::Response {
    let browser = no_redirects();
    let form_page = browser
        .get(server.url(&format!("/oauth/authorize?{query}")))
        .send()
        .await
        .unwrap();
    assert_eq!(form_page.status(), StatusCode::OK);
    let html = form_page.text().await.unwrap();
    assert!(
        html.contains("<form method=\"post\" action=\"/oauth/authorize\""),
        "{html}"
    );
    let hidden = |name: &str| -> String {
        let marker = format!("name=\"{name}\" value=\"");
        let start = html.find(&marker).unwrap() + marker.len();
        let end = start + html[start..].find('"').unwrap();
        html[start..end]
            .replace("&#x2f;", "/")
            .replace("&#x3a;", ":")
            .replace("&amp;", "&")
            .replace("&#43;", "+")
    };
    let mut form: Vec<(String, String)> = [
        "authenticity_token",
        "client_id",
        "redirect_uri",
        "scope",
        "state",
        "code_challenge",
        "code_challenge_method",
    ]
    .iter()
    .map(|name| (name.to_string(), hidden(name)))
    .collect();
    form.push(("login".into(), login.into()));
    form.push(("password".into(), password.into()));
    form.push(("otp_attempt".into(), code.into()));
    form.push(("decision".into(), decision.into()));
    browser
        .post(server.url("/oauth/authorize"))
        .form(&form)
        .send()
        .await
        .unwrap()
}

/// Exchanges an authorization code for a token, as the app that asked for it.
async fn exchange(
    server: &TestServer,
    code: &str,
    client_id: &str,
    client_secret: &str,
) -> (StatusCode, Value) {
    post_token(
        server,
        &[
            ("grant_type", "authorization_code"),
            ("code", code),
            ("client_id", client_id),
            ("client_secret", client_secret),
            ("redirect_uri", REDIRECT),
        ],
    )
    .await
}

fn query_param(location: &str, name: &str) -> Option<String> {
    let query = location.split_once('?')?.1;
    query.split('&').find_map(|pair| {
        let (key, value) = pair.split_once('=')?;
        (key == name).then(|| value.replace("%20", " "))
    })
}

#[tokio::test]
async fn the_authorization_code_flow_signs_in_through_the_html_form() {
    let instance = TestInstance::new().await;
    let server = instance.start().await;
    common::account_with_password(&server, "alice", "correct horse battery").await;
    let app = register(&server, "read write follow", REDIRECT).await;
    let client_id = app["client_id"].as_str().unwrap();
    let client_secret = app["client_secret"].as_str().unwrap();
    let query = format!(
        "response_type=code&client_id={client_id}&redirect_uri={REDIRECT}&scope=read+write&state=xyz123"
    );

    // A wrong password shows the form again, with an error, and issues nothing.
    let response = submit_form(
        &server,
        &query,
        "alice@example.org",
        "wrong password",
        "approve",
    )
    .await;
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    assert!(response.text().await.unwrap().contains("is wrong"));

    // Deny: back to the app with access_denied.
    let response = submit_form(&server, &query, "", "", "deny").await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let location = response.headers()["location"].to_str().unwrap().to_owned();
    assert_eq!(
        query_param(&location, "error").as_deref(),
        Some("access_denied")
    );
    assert_eq!(query_param(&location, "state").as_deref(), Some("xyz123"));

    // Approve with the username (the e-mail works too).
    let response = submit_form(&server, &query, "alice", "correct horse battery", "approve").await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let location = response.headers()["location"].to_str().unwrap().to_owned();
    assert!(location.starts_with(REDIRECT), "{location}");
    assert_eq!(query_param(&location, "state").as_deref(), Some("xyz123"));
    let code = query_param(&location, "code").unwrap();

    let (status, token) = exchange(&server, &code, client_id, client_secret).await;
    assert_eq!(status, StatusCode::OK, "{token}");
    assert_eq!(token["token_type"], "Bearer");
    assert_eq!(token["scope"], "read write");
    assert!(token["created_at"].is_i64());
    let access_token = token["access_token"].as_str().unwrap();
    assert_eq!(verify(&server, access_token).await, StatusCode::OK);

    // A code is good once.
    let (status, error) = exchange(&server, &code, client_id, client_secret).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(error["error"], "invalid_grant");
    assert!(error["error_description"].is_string());
    // And its second use revokes what the first gave: the code may have leaked (RFC 6749
    // section 4.1.2).
    assert_eq!(
        verify(&server, access_token).await,
        StatusCode::UNAUTHORIZED
    );

    // Revocation by the client ends a token.
    let response = submit_form(&server, &query, "alice", "correct horse battery", "approve").await;
    let location = response.headers()["location"].to_str().unwrap().to_owned();
    let code = query_param(&location, "code").unwrap();
    let (status, token) = exchange(&server, &code, client_id, client_secret).await;
    assert_eq!(status, StatusCode::OK, "{token}");
    let access_token = token["access_token"].as_str().unwrap();
    assert_eq!(verify(&server, access_token).await, StatusCode::OK);
    let response = http()
        .post(server.url("/oauth/revoke"))
        .form(&[
            ("client_id", client_id),
            ("client_secret", client_secret),
            ("token", access_token),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(
        verify(&server, access_token).await,
        StatusCode::UNAUTHORIZED
    );
    server.stop().await;
}

#[tokio::test]
async fn pkce_lets_a_public_client_exchange_its_code_and_checks_the_verifier() {
    let instance = TestInstance::new().await;
    let server = instance.start().await;
    instance
        .cli_ok(&[
            "admin",
            "account",
            "create",
            "bea",
            "--email",
            "bea@example.org",
            "--password",
            "correct horse battery",
        ])
        .await;
    let app = register(&server, "read", "urn:ietf:wg:oauth:2.0:oob").await;
    let client_id = app["client_id"].as_str().unwrap();
    let verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
    let challenge = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";
    let query = format!(
        "response_type=code&client_id={client_id}&redirect_uri=urn:ietf:wg:oauth:2.0:oob&code_challenge={challenge}&code_challenge_method=S256"
    );
    let get_code = || async {
        // Out of band: the code is shown on a page.
        let response = submit_form(
            &server,
            &query,
            "bea@example.org",
            "correct horse battery",
            "approve",
        )
        .await;
        assert_eq!(response.status(), StatusCode::OK);
        let html = response.text().await.unwrap();
        let start =
            html.find("id=\"authorization-code\">").unwrap() + "id=\"authorization-code\">".len();
        html[start..start + html[start..].find('<').unwrap()].to_owned()
    };
    let code = get_code().await;
    let (status, error) = post_token(
        &server,
        &[
            ("grant_type", "authorization_code"),
            ("code", &code),
            ("client_id", client_id),
            ("redirect_uri", "urn:ietf:wg:oauth:2.0:oob"),
            ("code_verifier", "the wrong verifier"),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(error["error"], "invalid_grant");
    let code = get_code().await;
    let (status, token) = post_token(
        &server,
        &[
            ("grant_type", "authorization_code"),
            ("code", &code),
            ("client_id", client_id),
            ("redirect_uri", "urn:ietf:wg:oauth:2.0:oob"),
            ("code_verifier", verifier),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{token}");
    assert_eq!(
        verify(&server, token["access_token"].as_str().unwrap()).await,
        StatusCode::OK
    );
    server.stop().await;
}

#[tokio::test]
async fn the_password_grant_issues_tokens_within_the_apps_scopes() {
    let instance = TestInstance::new().await;
    let server = instance.start().await;
    instance
        .cli_ok(&[
            "admin",
            "account",
            "create",
            "cleo",
            "--email",
            "cleo@example.org",
            "--password",
            "correct horse battery",
        ])
        .await;
    let app = register(&server, "read write", "urn:ietf:wg:oauth:2.0:oob").await;
    let client_id = app["client_id"].as_str().unwrap();
    let client_secret = app["client_secret"].as_str().unwrap();
    let grant = |login: &'static str, password: &'static str, scope: &'static str| {
        let form = vec![
            ("grant_type", "password"),
            ("client_id", client_id),
            ("client_secret", client_secret),
            ("username", login),
            ("password", password),
            ("scope", scope),
        ];
        let server = &server;
        async move { post_token(server, &form).await }
    };
    let (status, token) = grant(
        "cleo@example.org",
        "correct horse battery",
        "read write:statuses",
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{token}");
    assert_eq!(token["scope"], "read write:statuses");
    let (status, error) = grant("cleo@example.org", "wrong", "read").await;
    assert_eq!(
        (status, error["error"].as_str()),
        (StatusCode::BAD_REQUEST, Some("invalid_grant"))
    );
    let (status, error) = grant("nobody@example.org", "correct horse battery", "read").await;
    assert_eq!(
        (status, error["error"].as_str()),
        (StatusCode::BAD_REQUEST, Some("invalid_grant"))
    );
    let (status, error) = grant("cleo@example.org", "correct horse battery", "read push").await;
    assert_eq!(
        (status, error["error"].as_str()),
        (StatusCode::BAD_REQUEST, Some("invalid_scope")),
        "push was not registered"
    );

    // Client authentication: a wrong secret, an unknown client, HTTP Basic.
    let (status, error) = post_token(
        &server,
        &[
            ("grant_type", "password"),
            ("client_id", client_id),
            ("client_secret", "nope"),
            ("username", "cleo"),
            ("password", "correct horse battery"),
        ],
    )
    .await;
    assert_eq!(
        (status, error["error"].as_str()),
        (StatusCode::UNAUTHORIZED, Some("invalid_client"))
    );
    let basic =
        base64::engine::general_purpose::STANDARD.encode(format!("{client_id}:{client_secret}"));
    let response = http()
        .post(server.url("/oauth/token"))
        .header("authorization", format!("Basic {basic}"))
        .form(&[("grant_type", "client_credentials")])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let (status, error) = post_token(
        &server,
        &[
            ("grant_type", "implicit"),
            ("client_id", client_id),
            ("client_secret", client_secret),
        ],
    )
    .await;
    assert_eq!(
        (status, error["error"].as_str()),
        (StatusCode::BAD_REQUEST, Some("unsupported_grant_type"))
    );
    server.stop().await;
}

#[tokio::test]
async fn authorization_requests_for_unregistered_redirects_are_not_followed() {
    let instance = TestInstance::new().await;
    let server = instance.start().await;
    let app = register(&server, "read", REDIRECT).await;
    let client_id = app["client_id"].as_str().unwrap();
    for query in [
        format!("response_type=code&client_id={client_id}&redirect_uri=https://evil.example/steal"),
        format!("response_type=code&client_id=unknown&redirect_uri={REDIRECT}"),
        format!("response_type=token&client_id={client_id}&redirect_uri={REDIRECT}"),
        format!(
            "response_type=code&client_id={client_id}&redirect_uri={REDIRECT}&scope=admin:write"
        ),
    ] {
        let response = no_redirects()
            .get(server.url(&format!("/oauth/authorize?{query}")))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{query}");
        assert!(
            response.headers()["content-type"]
                .to_str()
                .unwrap()
                .starts_with("text/html")
        );
        assert!(response.headers().get("location").is_none());
    }
    let response = no_redirects()
        .post(server.url("/oauth/authorize"))
        .form(&[
            ("client_id", client_id),
            ("redirect_uri", "https://evil.example/steal"),
            ("decision", "deny"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    assert!(response.headers().get("location").is_none());
    server.stop().await;
}

#[tokio::test]
async fn oauth_discovery_advertises_the_endpoints_and_grants() {
    let instance = TestInstance::new().await;
    let server = instance.start().await;
    let metadata: Value = http()
        .get(server.url("/.well-known/oauth-authorization-server"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(metadata["issuer"], "http://woolly.test/");
    assert_eq!(
        metadata["authorization_endpoint"],
        "http://woolly.test/oauth/authorize"
    );
    assert_eq!(metadata["token_endpoint"], "http://woolly.test/oauth/token");
    assert_eq!(
        metadata["revocation_endpoint"],
        "http://woolly.test/oauth/revoke"
    );
    assert_eq!(
        metadata["app_registration_endpoint"],
        "http://woolly.test/api/v1/apps"
    );
    assert_eq!(
        metadata["code_challenge_methods_supported"],
        json!(["S256"])
    );
    assert!(
        metadata["grant_types_supported"]
            .as_array()
            .unwrap()
            .contains(&json!("password"))
    );
    assert!(
        metadata["scopes_supported"]
            .as_array()
            .unwrap()
            .contains(&json!("read:statuses"))
    );
    server.stop().await;
}

#[tokio::test]
async fn two_factor_sign_in_asks_for_a_code_once_and_refuses_the_password_grant() {
    let instance = TestInstance::new().await;
    let server = instance.start().await;
    common::account_with_password(&server, "tia", "correct horse battery").await;
    let account = server
        .woolly
        .accounts()
        .local_account("tia")
        .await
        .unwrap()
        .unwrap();
    let accounts = server.woolly.accounts();
    let setup = accounts.begin_two_factor(&account).await.unwrap();
    assert!(setup.uri.starts_with("otpauth://totp/"), "{}", setup.uri);
    let now = woolly_core::now_millis();
    let code_now = woolly_core::two_factor::current_code(&setup.secret, now).unwrap();
    let wrong = format!("{:06}", (code_now.parse::<u32>().unwrap() + 1) % 1_000_000);
    assert!(
        accounts.enable_two_factor(&account, &wrong).await.is_err(),
        "a wrong first code turns nothing on"
    );
    assert!(!accounts.two_factor_enabled(account.id).await.unwrap());
    let recovery = accounts
        .enable_two_factor(&account, &code_now)
        .await
        .unwrap();
    assert_eq!(recovery.len(), 10);
    // The database holds the secret sealed with the key kept beside it, not the secret.
    let stored = instance
        .store()
        .await
        .otp_secrets(account.id)
        .await
        .unwrap()
        .active
        .unwrap();
    assert!(stored.starts_with("sealed1:"), "{stored}");
    assert!(!stored.contains(&setup.secret), "{stored}");

    let app = register(&server, "read", REDIRECT).await;
    let client_id = app["client_id"].as_str().unwrap();
    let client_secret = app["client_secret"].as_str().unwrap();
    let (status, body) = post_token(
        &server,
        &[
            ("grant_type", "password"),
            ("client_id", client_id),
            ("client_secret", client_secret),
            ("username", "tia@example.org"),
            ("password", "correct horse battery"),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert_eq!(body["error"], "invalid_grant");

    let query =
        format!("response_type=code&client_id={client_id}&redirect_uri={REDIRECT}&scope=read");
    let password = "correct horse battery";
    let response = submit_form_with_code(&server, &query, ("tia", password, ""), "approve").await;
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    assert!(
        response
            .text()
            .await
            .unwrap()
            .contains("Enter the code from your two-factor app")
    );
    // The code that turned it on was used: it does not sign in again.
    let response =
        submit_form_with_code(&server, &query, ("tia", password, &code_now), "approve").await;
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    let next = woolly_core::two_factor::current_code(&setup.secret, now + 30_000).unwrap();
    let response =
        submit_form_with_code(&server, &query, ("tia", password, &next), "approve").await;
    assert_eq!(
        response.status(),
        StatusCode::SEE_OTHER,
        "the next step's code signs in"
    );
    let response =
        submit_form_with_code(&server, &query, ("tia", password, &next), "approve").await;
    assert_eq!(
        response.status(),
        StatusCode::UNAUTHORIZED,
        "a code works once"
    );
    // A recovery code works once, typed as people type it.
    let typed = recovery[0].to_uppercase().replace('-', " ");
    let response =
        submit_form_with_code(&server, &query, ("tia", password, &typed), "approve").await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let response =
        submit_form_with_code(&server, &query, ("tia", password, &recovery[0]), "approve").await;
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);

    // The operator turns it off for someone who lost everything.
    instance
        .cli_ok(&["admin", "account", "two-factor-off", "tia"])
        .await;
    let (status, _) = post_token(
        &server,
        &[
            ("grant_type", "password"),
            ("client_id", client_id),
            ("client_secret", client_secret),
            ("username", "tia@example.org"),
            ("password", password),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    server.stop().await;
}

#[tokio::test]
async fn a_user_sees_where_their_sessions_are_used_and_signs_one_out() {
    let instance = TestInstance::new().await;
    let server = instance.start().await;
    let account_id = common::account_with_password(&server, "ulla", "correct horse battery").await;
    let app = register(&server, "read", REDIRECT).await;
    let (status, body) = post_token(
        &server,
        &[
            ("grant_type", "password"),
            ("client_id", app["client_id"].as_str().unwrap()),
            ("client_secret", app["client_secret"].as_str().unwrap()),
            ("username", "ulla@example.org"),
            ("password", "correct horse battery"),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let token = body["access_token"].as_str().unwrap().to_owned();
    let other = instance.token("ulla", "read").await;
    let response = http()
        .get(server.url("/api/v1/accounts/verify_credentials"))
        .bearer_auth(&token)
        .header("user-agent", "Tusky/29.0")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);

    let sessions = common::eventually(
        Duration::from_secs(10),
        "the token's use recorded",
        || async {
            let sessions = server.woolly.oauth().sessions(account_id).await.unwrap();
            sessions
                .iter()
                .any(|session| session.user_agent.as_deref() == Some("Tusky/29.0"))
                .then_some(sessions)
        },
    )
    .await;
    assert_eq!(sessions.len(), 2, "{sessions:?}");
    let used = &sessions[0];
    assert_eq!(
        used.app_name.as_deref(),
        Some(app["name"].as_str().unwrap())
    );
    assert_eq!(used.last_used_ip.as_deref(), Some("127.0.0.1"));
    assert_eq!(used.scopes.to_string(), "read");
    assert!(
        sessions[1].app_name.is_none(),
        "the operator's token has no app"
    );

    // Someone else's session cannot be signed out; one's own can.
    let stranger = common::account_with_password(&server, "vic", "correct horse battery").await;
    assert!(
        !server
            .woolly
            .oauth()
            .revoke_session(stranger, used.token_id)
            .await
            .unwrap()
    );
    assert!(
        server
            .woolly
            .oauth()
            .revoke_session(account_id, used.token_id)
            .await
            .unwrap()
    );
    assert_eq!(verify(&server, &token).await, StatusCode::UNAUTHORIZED);
    assert_eq!(verify(&server, &other).await, StatusCode::OK);
    server.stop().await;
}
