//! Joining, end to end over HTTP: signing up through an app (`POST /api/v1/accounts`) in each
//! registration mode, invites, the e-mails a person is sent and the links in them (through a
//! real SMTP server, aiosmtpd from PyPI, or the `.eml` files written when none is configured),
//! password resets, approval, and every refused sign-up leaving nothing behind.
//!
//! Messages are read back with Python's own e-mail parser (`tests/clients/mailbox.py`), so the
//! tests that follow links need `WOOLLY_TEST_PYTHON` (scripts/test sets it).

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::time::Duration;

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use common::mail::{link_in, mail_to, mails};
use common::{TestInstance, TestServer, http};
use woolly::settings::Settings;

/// The Python that reads mailboxes, or `None` (the test is skipped) without one.
fn python() -> Option<std::ffi::OsString> {
    common::third_party(&["WOOLLY_TEST_PYTHON"], "a Python with aiosmtpd")
        .and_then(|values| values.into_iter().next())
}

/// Settings of a test server with registrations in `mode` and request limits off (every test
/// signs up from one address).
fn with_mode(mode: &str) -> impl FnOnce(&mut Settings) {
    let mode = mode.to_owned();
    move |settings| {
        settings.registrations = mode;
        settings.rate_limit_requests = 0;
    }
}

/// An app and a token of its own (`client_credentials`), as Mastodon.py gets before signing up.
async fn app_token(server: &TestServer) -> (Value, String) {
    let app = common::register_app(server, "Joiner", "read write follow push").await;
    let response = http()
        .post(server.url("/oauth/token"))
        .form(&[
            ("grant_type", "client_credentials"),
            ("client_id", app["client_id"].as_str().unwrap()),
            ("client_secret", app["client_secret"].as_str().unwrap()),
            ("scope", "read write follow push"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let token: Value = response.json().await.unwrap();
    (app, token["access_token"].as_str().unwrap().to_owned())
}

/// `POST /api/v1/accounts` as a form, as Mastodon.py sends it.
async fn sign_up(
    server: &TestServer,
    app_token: &str,
    fields: &[(&str, &str)],
) -> (StatusCode, Value) {
    let response = http()
        .post(server.url("/api/v1/accounts"))
        .bearer_auth(app_token)
        .form(fields)
        .send()
        .await
        .unwrap();
    let status = response.status();
    (status, response.json().await.unwrap_or(Value::Null))
}

/// A sign-up form's fields.
type Fields<'a> = Vec<(&'a str, &'a str)>;

/// The fields of a sign-up that breaks no rule.
fn good_fields<'a>(username: &'a str, email: &'a str) -> Fields<'a> {
    vec![
        ("username", username),
        ("email", email),
        ("password", "a long enough password"),
        ("agreement", "true"),
        ("locale", "en"),
    ]
}

async fn get_page(server: &TestServer, path: &str) -> (StatusCode, String) {
    let response = http().get(server.url(path)).send().await.unwrap();
    let status = response.status();
    (status, response.text().await.unwrap())
}

/// A real SMTP server (aiosmtpd's Mailbox handler) writing what it receives into a maildir.
struct SmtpServer {
    port: u16,
    maildir: tempfile::TempDir,
    child: tokio::process::Child,
}

impl SmtpServer {
    async fn start(python: &std::ffi::OsStr) -> SmtpServer {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let maildir = tempfile::tempdir().unwrap();
        let child = tokio::process::Command::new(python)
            .args(["-m", "aiosmtpd", "-n", "-l", &format!("127.0.0.1:{port}")])
            .args(["-c", "aiosmtpd.handlers.Mailbox"])
            .arg(maildir.path().join("box"))
            .kill_on_drop(true)
            .spawn()
            .unwrap();
        common::eventually(
            Duration::from_secs(20),
            "the SMTP server to listen",
            || async {
                tokio::net::TcpStream::connect(("127.0.0.1", port))
                    .await
                    .ok()
            },
        )
        .await;
        SmtpServer {
            port,
            maildir,
            child,
        }
    }
}

#[tokio::test]
async fn a_sign_up_through_smtp_works_once_its_address_is_confirmed() {
    let Some(python) = python() else { return };
    let smtp = SmtpServer::start(&python).await;
    let instance = TestInstance::new().await;
    let port = smtp.port;
    let server = instance
        .start_on_own_domain_with(move |settings| {
            with_mode("open")(settings);
            settings.title = "Woolly Test".into();
            settings.smtp_host = "127.0.0.1".into();
            settings.smtp_port = port;
            settings.smtp_tls = "none".into();
            settings.mail_from = "Woolly Test <hello@woolly.example>".into();
        })
        .await;
    let (_, app_token) = app_token(&server).await;
    let (status, token) = sign_up(
        &server,
        &app_token,
        &good_fields("newcomer", "newcomer@example.org"),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{token}");
    assert_eq!(token["token_type"], "Bearer");
    assert_eq!(token["scope"], "read write follow push");
    assert!(token["created_at"].is_i64());
    let user_token = token["access_token"].as_str().unwrap();

    // Until the address is confirmed the API refuses the token with Mastodon's words.
    let (status, body) = server
        .call(
            Method::GET,
            "/api/v1/accounts/verify_credentials",
            Some(user_token),
            Value::Null,
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(
        body["error"],
        "Your login is missing a confirmed e-mail address"
    );
    let (status, body) = server
        .call(
            Method::POST,
            "/api/v1/statuses",
            Some(user_token),
            json!({"status": "hi"}),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    let (status, confirmed) = server
        .call(
            Method::GET,
            "/api/v1/emails/check_confirmation",
            Some(user_token),
            Value::Null,
        )
        .await;
    assert_eq!((status, confirmed), (StatusCode::OK, json!(false)));

    let mail = mail_to(
        &python,
        smtp.maildir.path(),
        "newcomer@example.org",
        "confirm your e-mail address",
    )
    .await;
    assert!(
        mail["from"]
            .as_str()
            .unwrap()
            .contains("hello@woolly.example"),
        "{mail}"
    );
    assert_eq!(mail["auto_submitted"], "auto-generated");
    assert!(
        mail["text"]
            .as_str()
            .unwrap()
            .contains("Welcome, newcomer!"),
        "{mail}"
    );
    assert!(
        mail["html"].as_str().unwrap().contains("<a href="),
        "{mail}"
    );
    let link = link_in(&mail, "confirmation_token=");
    let (status, page) = get_page(&server, &link).await;
    assert_eq!(status, StatusCode::OK, "{page}");
    assert!(page.contains("confirmed"), "{page}");

    let (status, me) = server
        .call(
            Method::GET,
            "/api/v1/accounts/verify_credentials",
            Some(user_token),
            Value::Null,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{me}");
    assert_eq!(me["username"], "newcomer");
    let (_, confirmed) = server
        .call(
            Method::GET,
            "/api/v1/emails/check_confirmation",
            Some(user_token),
            Value::Null,
        )
        .await;
    assert_eq!(confirmed, json!(true));
    // A link works once.
    let (status, _) = get_page(&server, &link).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    server.stop().await;
    drop(smtp.child);
}

/// What a refused sign-up must not leave: accounts, jobs, mails.
async fn assert_nothing_written(server: &TestServer, instance: &TestInstance, users_before: i64) {
    let store = instance.store().await;
    assert_eq!(
        store.count_local_users(None).await.unwrap(),
        users_before,
        "no half-made account"
    );
    let counts = server.woolly.jobs().job_counts().await.unwrap();
    assert!(
        counts.iter().all(|count| count.kind != "send_email"),
        "no e-mail queued: {counts:?}"
    );
    assert!(
        !instance.data_dir().join("mail").exists(),
        "no e-mail written"
    );
}

#[tokio::test]
async fn every_refused_sign_up_names_its_fields_and_writes_nothing() {
    let instance = TestInstance::new().await;
    let server = instance.start_on_own_domain_with(with_mode("open")).await;
    common::account(&server, "alice").await;
    let (_, app_token) = app_token(&server).await;
    let before = instance
        .store()
        .await
        .count_local_users(None)
        .await
        .unwrap();

    let long_name = "a".repeat(31);
    // The fields sent, and the field and rule the answer must name.
    let cases: Vec<(Fields, &str, &str)> = vec![
        (
            good_fields("ALICE", "other@example.org"),
            "username",
            "ERR_TAKEN",
        ),
        (
            good_fields("admin", "other@example.org"),
            "username",
            "ERR_RESERVED",
        ),
        (
            good_fields("mastodon.internal", "other@example.org"),
            "username",
            "ERR_INVALID",
        ),
        (
            good_fields("al ice", "other@example.org"),
            "username",
            "ERR_INVALID",
        ),
        (
            good_fields(&long_name, "other@example.org"),
            "username",
            "ERR_TOO_LONG",
        ),
        (
            good_fields("", "other@example.org"),
            "username",
            "ERR_BLANK",
        ),
        (good_fields("bob", "not an address"), "email", "ERR_INVALID"),
        (
            good_fields("bob", "ALICE@example.org"),
            "email",
            "ERR_TAKEN",
        ),
        (
            vec![
                ("username", "bob"),
                ("email", "bob@example.org"),
                ("password", "short"),
                ("agreement", "true"),
            ],
            "password",
            "ERR_TOO_SHORT",
        ),
        (
            vec![
                ("username", "bob"),
                ("email", "bob@example.org"),
                ("password", "a long enough password"),
            ],
            "agreement",
            "ERR_ACCEPTED",
        ),
        (
            vec![
                ("username", "bob"),
                ("email", "bob@example.org"),
                ("password", "a long enough password"),
                ("agreement", "false"),
            ],
            "agreement",
            "ERR_ACCEPTED",
        ),
        (
            vec![
                ("username", "bob"),
                ("email", "bob@example.org"),
                ("password", "a long enough password"),
                ("agreement", "1"),
                ("invite_code", "nosuchcode"),
            ],
            "invite_code",
            "ERR_INVALID",
        ),
        (
            vec![
                ("username", "bob"),
                ("email", "bob@example.org"),
                ("password", "a long enough password"),
                ("agreement", "1"),
                ("locale", "klingon"),
            ],
            "locale",
            "ERR_INCLUSION",
        ),
    ];
    for (fields, field, code) in cases {
        let (status, body) = sign_up(&server, &app_token, &fields).await;
        assert_eq!(
            status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{fields:?}: {body}"
        );
        assert!(
            body["error"]
                .as_str()
                .unwrap()
                .starts_with("Validation failed: "),
            "{body}"
        );
        assert_eq!(
            body["details"][field][0]["error"], code,
            "{fields:?}: {body}"
        );
        assert!(
            body["details"][field][0]["description"].is_string(),
            "{body}"
        );
    }
    // Every broken rule at once, each under its field.
    let (status, body) = sign_up(
        &server,
        &app_token,
        &[("username", "admin"), ("email", "x"), ("password", "1")],
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    for field in ["username", "email", "password", "agreement"] {
        assert!(body["details"][field].is_array(), "{field} in {body}");
    }
    // JSON bodies are read as forms are; a malformed one is a 4xx with an error body.
    let (status, body) = server
        .call(Method::POST, "/api/v1/accounts", Some(&app_token), json!({"username": "alice", "email": "z@example.org", "password": "a long enough password", "agreement": true}))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["details"]["username"][0]["error"], "ERR_TAKEN");
    let response = http()
        .post(server.url("/api/v1/accounts"))
        .bearer_auth(&app_token)
        .header("content-type", "application/json")
        .body("{\"username\": ")
        .send()
        .await
        .unwrap();
    assert!(response.status().is_client_error());
    assert!(response.json::<Value>().await.unwrap()["error"].is_string());
    // Without a token, or with one lacking write:accounts, nothing happens either.
    let (status, _) = server
        .call(Method::POST, "/api/v1/accounts", None, json!({}))
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let alice_read = instance.token("alice", "read").await;
    let (status, _) = sign_up(
        &server,
        &alice_read,
        &good_fields("carol", "carol@example.org"),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    common::jobs_idle(&server).await;
    assert_nothing_written(&server, &instance, before).await;
    server.stop().await;
}

#[tokio::test]
async fn closed_and_invite_only_servers_refuse_sign_ups_without_a_valid_invite() {
    let instance = TestInstance::new().await;
    let server = instance
        .start_on_own_domain_with(|settings| {
            with_mode("closed")(settings);
            settings.closed_registrations_message = "Ask **us** for an invite.".into();
        })
        .await;
    let (_, app_token) = app_token(&server).await;
    let (status, body) = sign_up(
        &server,
        &app_token,
        &good_fields("dora", "dora@example.org"),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(body, json!({"error": "This action is not allowed"}));
    let (_, v2) = server
        .call(Method::GET, "/api/v2/instance", None, Value::Null)
        .await;
    assert_eq!(v2["registrations"]["enabled"], false);
    assert_eq!(v2["registrations"]["approval_required"], false);
    assert!(
        v2["registrations"]["message"]
            .as_str()
            .unwrap()
            .contains("<strong>us</strong>"),
        "{v2}"
    );
    let (_, v1) = server
        .call(Method::GET, "/api/v1/instance", None, Value::Null)
        .await;
    assert_eq!(v1["registrations"], false);
    let (_, nodeinfo) = server
        .call(Method::GET, "/nodeinfo/2.0", None, Value::Null)
        .await;
    assert_eq!(nodeinfo["openRegistrations"], false);

    // Even an invite does not open a closed server.
    let printed = instance
        .cli_ok(&["admin", "invite", "create", "--max-uses", "1"])
        .await;
    let code = printed
        .lines()
        .last()
        .unwrap()
        .rsplit('/')
        .next()
        .unwrap()
        .to_owned();
    let mut invited = good_fields("dora", "dora@example.org");
    invited.push(("invite_code", &code));
    let (status, _) = sign_up(&server, &app_token, &invited).await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    // Invite-only, set at run time by the operator: the invite works once.
    let printed = instance.cli_ok(&["admin", "registrations", "invite"]).await;
    assert!(printed.contains("Registrations: invite"), "{printed}");
    let (status, _) = sign_up(
        &server,
        &app_token,
        &good_fields("dora", "dora@example.org"),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "no invite, no account");
    let (status, body) = sign_up(&server, &app_token, &invited).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let mut again = good_fields("eve", "eve@example.org");
    again.push(("invite_code", &code));
    let (status, _) = sign_up(&server, &app_token, &again).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "the invite is used up");
    let listed = instance.cli_ok(&["admin", "invite", "list"]).await;
    assert!(listed.contains(&format!("{code}\t1/1 uses")), "{listed}");
    // A revoked invite opens nothing.
    let printed = instance.cli_ok(&["admin", "invite", "create"]).await;
    let revoked = printed
        .lines()
        .last()
        .unwrap()
        .rsplit('/')
        .next()
        .unwrap()
        .to_owned();
    instance
        .cli_ok(&["admin", "invite", "revoke", &revoked])
        .await;
    let mut with_revoked = good_fields("eve", "eve@example.org");
    with_revoked.push(("invite_code", &revoked));
    let (status, _) = sign_up(&server, &app_token, &with_revoked).await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    // Open, at run time: anyone may sign up.
    instance.cli_ok(&["admin", "registrations", "open"]).await;
    let (status, _) = sign_up(&server, &app_token, &good_fields("eve", "eve@example.org")).await;
    assert_eq!(status, StatusCode::OK);
    // And back to the configured mode.
    let printed = instance
        .cli_ok(&["admin", "registrations", "default"])
        .await;
    assert!(printed.contains("Registrations: closed"), "{printed}");
    let (status, _) = sign_up(&server, &app_token, &good_fields("fay", "fay@example.org")).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    server.stop().await;
}

#[tokio::test]
async fn approval_mode_asks_for_a_reason_and_the_operator_approves_or_rejects() {
    let Some(python) = python() else { return };
    let instance = TestInstance::new().await;
    let server = instance
        .start_on_own_domain_with(with_mode("approval"))
        .await;
    let (_, v2) = server
        .call(Method::GET, "/api/v2/instance", None, Value::Null)
        .await;
    assert_eq!(v2["registrations"]["enabled"], true);
    assert_eq!(v2["registrations"]["approval_required"], true);
    assert_eq!(v2["registrations"]["reason_required"], true);
    let (_, v1) = server
        .call(Method::GET, "/api/v1/instance", None, Value::Null)
        .await;
    assert_eq!(v1["approval_required"], true);
    let (_, nodeinfo) = server
        .call(Method::GET, "/nodeinfo/2.0", None, Value::Null)
        .await;
    assert_eq!(nodeinfo["openRegistrations"], true);

    let (_, app_token) = app_token(&server).await;
    let (status, body) = sign_up(&server, &app_token, &good_fields("gus", "gus@example.org")).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["details"]["reason"][0]["error"], "ERR_BLANK");

    let mut fields = good_fields("gus", "gus@example.org");
    fields.push(("reason", "I knit and I want to talk about it."));
    let (status, token) = sign_up(&server, &app_token, &fields).await;
    assert_eq!(status, StatusCode::OK, "{token}");
    let gus_token = token["access_token"].as_str().unwrap().to_owned();
    let mut fields = good_fields("hal", "hal@example.org");
    fields[4] = ("locale", "fr");
    fields.push(("reason", "Spam, mostly."));
    let (status, _) = sign_up(&server, &app_token, &fields).await;
    assert_eq!(status, StatusCode::OK);

    let mail_dir = instance.data_dir().join("mail");
    let mail = mail_to(
        &python,
        &mail_dir,
        "gus@example.org",
        "confirm your e-mail address",
    )
    .await;
    let (status, _) = get_page(&server, &link_in(&mail, "confirmation_token=")).await;
    assert_eq!(status, StatusCode::OK);
    let (status, body) = server
        .call(
            Method::GET,
            "/api/v1/accounts/verify_credentials",
            Some(&gus_token),
            Value::Null,
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(body["error"], "Your login is currently pending approval");

    let pending = instance.cli_ok(&["admin", "account", "pending"]).await;
    assert!(
        pending.contains("gus\tgus@example.org\tconfirmed\tI knit"),
        "{pending}"
    );
    assert!(
        pending.contains("hal\thal@example.org\tunconfirmed\tSpam"),
        "{pending}"
    );
    instance
        .cli_ok(&["admin", "account", "approve", "gus"])
        .await;
    let (status, _) = server
        .call(
            Method::GET,
            "/api/v1/accounts/verify_credentials",
            Some(&gus_token),
            Value::Null,
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    mail_to(
        &python,
        &mail_dir,
        "gus@example.org",
        "your account was approved",
    )
    .await;

    instance
        .cli_ok(&["admin", "account", "reject", "hal"])
        .await;
    // The French speaker is told in French, and the account is gone.
    let french = mail_to(
        &python,
        &mail_dir,
        "hal@example.org",
        "inscription a été refusée",
    )
    .await;
    assert!(
        french["text"].as_str().unwrap().contains("Bonjour hal"),
        "{french}"
    );
    let (status, _) = server
        .call(
            Method::GET,
            "/api/v1/accounts/lookup?acct=hal",
            None,
            Value::Null,
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let output = instance.cli(&["admin", "account", "approve", "gus"]).await;
    assert!(!output.status.success(), "gus is no longer pending");
    server.stop().await;
}

#[tokio::test]
async fn an_invite_skips_approval_and_records_its_use() {
    let instance = TestInstance::new().await;
    let server = instance
        .start_on_own_domain_with(with_mode("approval"))
        .await;
    let printed = instance
        .cli_ok(&[
            "admin",
            "invite",
            "create",
            "--max-uses",
            "2",
            "--expires-in-hours",
            "24",
        ])
        .await;
    let url = printed.lines().last().unwrap();
    assert!(url.contains("/invite/"), "{printed}");
    let code = url.rsplit('/').next().unwrap();
    let (_, app_token) = app_token(&server).await;
    let mut fields = good_fields("ida", "ida@example.org");
    fields.push(("invite_code", code));
    let (status, _) = sign_up(&server, &app_token, &fields).await;
    assert_eq!(status, StatusCode::OK, "no reason is needed with an invite");
    let pending = instance.cli_ok(&["admin", "account", "pending"]).await;
    assert!(
        !pending.contains("ida"),
        "an invited account needs no approval: {pending}"
    );
    let listed = instance.cli_ok(&["admin", "invite", "list"]).await;
    assert!(listed.contains(&format!("{code}\t1/2 uses")), "{listed}");
    server.stop().await;
}

#[tokio::test]
async fn a_password_reset_link_works_once_and_signs_out_everywhere() {
    let Some(python) = python() else { return };
    let instance = TestInstance::new().await;
    let server = instance.start_on_own_domain_with(with_mode("closed")).await;
    common::account_with_password(&server, "jan", "the old password").await;
    let old_token = instance.token("jan", "read").await;
    let mail_dir = instance.data_dir().join("mail");

    let (status, form) = get_page(&server, "/auth/password/new").await;
    assert_eq!(status, StatusCode::OK);
    assert!(form.contains("name=\"email\""), "{form}");
    for email in ["JAN@example.org", "nobody@example.org"] {
        let response = http()
            .post(server.url("/auth/password"))
            .form(&[("email", email)])
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::OK);
        assert!(
            response
                .text()
                .await
                .unwrap()
                .contains("If an account has this address")
        );
    }
    let mail = mail_to(&python, &mail_dir, "jan@example.org", "reset your password").await;
    common::jobs_idle(&server).await;
    let all = mails(&python, &mail_dir).await;
    assert_eq!(
        all.len(),
        1,
        "nothing is sent to an unknown address: {all:?}"
    );
    let link = link_in(&mail, "reset_password_token=");
    let token = link
        .split("reset_password_token=")
        .nth(1)
        .unwrap()
        .to_owned();
    let (status, page) = get_page(&server, &link).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains(&token), "the form carries the link's secret");

    let reset = |password: &'static str| {
        let token = token.clone();
        let url = server.url("/auth/password/edit");
        async move {
            http()
                .post(url)
                .form(&[
                    ("reset_password_token", token.as_str()),
                    ("password", password),
                ])
                .send()
                .await
                .unwrap()
                .status()
        }
    };
    assert_eq!(reset("short").await, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(reset("the new password").await, StatusCode::OK);
    assert_eq!(
        reset("another new password").await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "a link works once"
    );

    let (status, _) = server
        .call(
            Method::GET,
            "/api/v1/accounts/verify_credentials",
            Some(&old_token),
            Value::Null,
        )
        .await;
    assert_eq!(
        status,
        StatusCode::UNAUTHORIZED,
        "every session was signed out"
    );
    let grant = |password| common::password_grant(&server, "jan@example.org", password, "read");
    assert_eq!(grant("the old password").await.0, StatusCode::BAD_REQUEST);
    assert_eq!(grant("the new password").await.0, StatusCode::OK);
    mail_to(
        &python,
        &mail_dir,
        "jan@example.org",
        "your password was changed",
    )
    .await;
    server.stop().await;
}

#[tokio::test]
async fn the_signing_app_resends_the_confirmation_to_a_new_address() {
    let Some(python) = python() else { return };
    let instance = TestInstance::new().await;
    let server = instance.start_on_own_domain_with(with_mode("open")).await;
    let (_, app_token) = app_token(&server).await;
    let (_, token) = sign_up(
        &server,
        &app_token,
        &good_fields("kim", "kim@wrong.example"),
    )
    .await;
    let kim_token = token["access_token"].as_str().unwrap().to_owned();

    // Another app's token for the same user may not.
    let (status, other_token) = common::password_grant(
        &server,
        "kim@wrong.example",
        "a long enough password",
        "read write",
    )
    .await;
    assert_eq!(status, StatusCode::OK, "an unconfirmed user may sign in");
    let (status, _) = server
        .call(
            Method::POST,
            "/api/v1/emails/confirmations",
            other_token["access_token"].as_str(),
            json!({}),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    let (status, body) = server
        .call(
            Method::POST,
            "/api/v1/emails/confirmations",
            Some(&kim_token),
            json!({"email": "kim@right.example"}),
        )
        .await;
    assert_eq!((status, body), (StatusCode::OK, json!({})));
    let mail_dir = instance.data_dir().join("mail");
    let first = mail_to(&python, &mail_dir, "kim@wrong.example", "confirm").await;
    let second = mail_to(&python, &mail_dir, "kim@right.example", "confirm").await;
    let (status, _) = get_page(&server, &link_in(&first, "confirmation_token=")).await;
    assert_eq!(
        status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "the older link was replaced"
    );
    let (status, _) = get_page(&server, &link_in(&second, "confirmation_token=")).await;
    assert_eq!(status, StatusCode::OK);
    let (status, me) = server
        .call(
            Method::GET,
            "/api/v1/accounts/verify_credentials",
            Some(&kim_token),
            Value::Null,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{me}");
    let (status, body) = server
        .call(
            Method::POST,
            "/api/v1/emails/confirmations",
            Some(&kim_token),
            json!({}),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(
        body["error"],
        "This method is only available while the e-mail is awaiting confirmation"
    );
    server.stop().await;
}

#[tokio::test]
async fn sign_ups_are_limited_to_five_per_address_in_half_an_hour() {
    let instance = TestInstance::new().await;
    let server = instance
        .start_on_own_domain_with(|settings| settings.registrations = "open".into())
        .await;
    let (_, app_token) = app_token(&server).await;
    for attempt in 0..5 {
        // Refused sign-ups count too, as in Mastodon.
        let (status, _) = sign_up(&server, &app_token, &[("username", "admin")]).await;
        assert_eq!(
            status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "attempt {attempt}"
        );
    }
    let (status, body) = sign_up(&server, &app_token, &good_fields("lou", "lou@example.org")).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(body["error"], "Too many requests");
    // Other requests from the address are not held back by it.
    let (status, _) = server
        .call(Method::GET, "/api/v1/instance", None, Value::Null)
        .await;
    assert_eq!(status, StatusCode::OK);
    server.stop().await;
}

#[tokio::test]
async fn the_operator_sets_a_password_and_signs_the_user_out() {
    let instance = TestInstance::new().await;
    let server = instance.start().await;
    common::account_with_password(&server, "max", "a first password").await;
    let token = instance.token("max", "read").await;
    let printed = instance
        .cli_ok(&["admin", "account", "password", "max"])
        .await;
    assert!(printed.contains("shown once"), "{printed}");
    let (status, _) = server
        .call(
            Method::GET,
            "/api/v1/accounts/verify_credentials",
            Some(&token),
            Value::Null,
        )
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let output = instance
        .cli(&["admin", "account", "password", "max", "--password", "short"])
        .await;
    assert!(!output.status.success());
    server.stop().await;
}

/// A sign-up with `X-Forwarded-For: forwarded_for`, as a proxy on this machine passes it on.
async fn sign_up_via_proxy(
    server: &TestServer,
    app_token: &str,
    forwarded_for: &str,
) -> StatusCode {
    http()
        .post(server.url("/api/v1/accounts"))
        .bearer_auth(app_token)
        .header("x-forwarded-for", forwarded_for)
        .form(&[("username", "admin")])
        .send()
        .await
        .unwrap()
        .status()
}

/// Five refused sign-ups as `forwarded_for(attempt)` via a proxy, then a sixth as `next`:
/// its status.
async fn sixth_sign_up_via_proxy(
    server: &TestServer,
    forwarded_for: impl Fn(usize) -> String,
    next: &str,
) -> StatusCode {
    let (_, token) = app_token(server).await;
    for attempt in 0..5 {
        let status = sign_up_via_proxy(server, &token, &forwarded_for(attempt)).await;
        assert_eq!(
            status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "attempt {attempt}"
        );
    }
    sign_up_via_proxy(server, &token, next).await
}

#[tokio::test]
async fn behind_a_trusted_proxy_each_client_has_its_own_limit() {
    let instance = TestInstance::new().await;
    let server = instance
        .start_on_own_domain_with(|settings| settings.registrations = "open".into())
        .await;
    // The proxy on this machine (trusted by default) passes on the client's address; what the
    // client itself wrote to the left of it does not count.
    let same_client = |attempt| format!("10.{attempt}.0.1, 198.51.100.1");
    let status = sixth_sign_up_via_proxy(&server, same_client, "198.51.100.1").await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
    let (_, token) = app_token(&server).await;
    let other_client = sign_up_via_proxy(&server, &token, "198.51.100.2").await;
    assert_eq!(other_client, StatusCode::UNPROCESSABLE_ENTITY);
    server.stop().await;

    // A server that trusts no proxy counts the connection's address, whatever the headers say.
    let instance = TestInstance::new().await;
    let server = instance
        .start_on_own_domain_with(|settings| {
            settings.registrations = "open".into();
            settings.trusted_proxies = Vec::new();
        })
        .await;
    let any_client = |attempt| format!("198.51.100.{attempt}");
    let status = sixth_sign_up_via_proxy(&server, any_client, "198.51.100.99").await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
    server.stop().await;
}

#[tokio::test]
async fn key_pairs_are_made_ahead_once_people_sign_up() {
    let instance = TestInstance::new().await;
    let server = instance.start_on_own_domain_with(with_mode("closed")).await;
    common::account(&server, "made_by_hand").await;
    assert_eq!(
        server.woolly.spare_key_pairs().await.unwrap(),
        0,
        "nobody may sign up: no key is made ahead"
    );
    instance.cli_ok(&["admin", "registrations", "open"]).await;
    let (_, token) = app_token(&server).await;
    let (status, _) = sign_up(&server, &token, &good_fields("first", "first@example.org")).await;
    assert_eq!(status, StatusCode::OK);
    common::eventually(
        Duration::from_secs(30),
        "the spare key pairs made",
        || async { (server.woolly.spare_key_pairs().await.unwrap() == 3).then_some(()) },
    )
    .await;
    // The next sign-ups take theirs from the pool, and their accounts sign and federate as any.
    for name in ["second", "third"] {
        let (status, _) = sign_up(
            &server,
            &token,
            &good_fields(name, &format!("{name}@example.org")),
        )
        .await;
        assert_eq!(status, StatusCode::OK);
    }
    assert!(
        server.woolly.spare_key_pairs().await.unwrap() < 3,
        "taken from the pool"
    );
    server.stop().await;
    // A server people may join fills its pool when it starts.
    let server = instance.start_on_own_domain_with(with_mode("open")).await;
    common::eventually(
        Duration::from_secs(30),
        "the pool filled at start",
        || async { (server.woolly.spare_key_pairs().await.unwrap() == 3).then_some(()) },
    )
    .await;
    let key_of = |name: &'static str| {
        let url = server.url(&format!("/users/{name}"));
        async move {
            let actor: Value = http()
                .get(url)
                .header("accept", "application/activity+json")
                .send()
                .await
                .unwrap()
                .json()
                .await
                .unwrap();
            actor["publicKey"]["publicKeyPem"]
                .as_str()
                .unwrap()
                .to_owned()
        }
    };
    let second_key = key_of("second").await;
    assert!(
        second_key.starts_with("-----BEGIN PUBLIC KEY-----"),
        "{second_key}"
    );
    assert_ne!(
        key_of("third").await,
        second_key,
        "each account has its own key"
    );
    server.stop().await;
}

#[tokio::test]
async fn a_changed_address_counts_once_confirmed_from_the_new_one() {
    let Some(python) = python() else { return };
    let instance = TestInstance::new().await;
    let server = instance.start_on_own_domain_with(with_mode("closed")).await;
    let account_id = common::account_with_password(&server, "nell", "the password of nell").await;
    let accounts = server.woolly.accounts();
    let (account, user) = accounts
        .local_user_with_account(account_id)
        .await
        .unwrap()
        .unwrap();
    common::account(&server, "olga").await;

    let refused = accounts
        .change_email(&account, &user, "a wrong password", "nell@new.example")
        .await;
    assert!(
        matches!(refused, Err(woolly_core::CoreError::Fields(_))),
        "{refused:?}"
    );
    let taken = accounts
        .change_email(&account, &user, "the password of nell", "olga@example.org")
        .await;
    assert!(
        matches!(taken, Err(woolly_core::CoreError::Fields(_))),
        "{taken:?}"
    );
    accounts
        .change_email(&account, &user, "the password of nell", "nell@new.example")
        .await
        .unwrap();
    let (_, user) = accounts
        .local_user_with_account(account_id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        user.email, "nell@example.org",
        "the old address stays until the new one is confirmed"
    );
    assert_eq!(user.unconfirmed_email.as_deref(), Some("nell@new.example"));

    let mail_dir = instance.data_dir().join("mail");
    let mail = mail_to(
        &python,
        &mail_dir,
        "nell@new.example",
        "confirm your new e-mail address",
    )
    .await;
    let (status, _) = get_page(&server, &link_in(&mail, "confirmation_token=")).await;
    assert_eq!(status, StatusCode::OK);
    let (_, user) = accounts
        .local_user_with_account(account_id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(user.email, "nell@new.example");
    assert!(user.unconfirmed_email.is_none());
    // Two accounts asking for the same new address: the second to confirm is told, not failed.
    let olga_id = server
        .woolly
        .accounts()
        .local_account("olga")
        .await
        .unwrap()
        .unwrap()
        .id;
    let (olga, olga_user) = accounts
        .local_user_with_account(olga_id)
        .await
        .unwrap()
        .unwrap();
    let (nell, nell_user) = accounts
        .local_user_with_account(account_id)
        .await
        .unwrap()
        .unwrap();
    accounts
        .change_email(
            &nell,
            &nell_user,
            "the password of nell",
            "shared@new.example",
        )
        .await
        .unwrap();
    accounts
        .change_email(
            &olga,
            &olga_user,
            "a long enough password",
            "shared@new.example",
        )
        .await
        .unwrap_err();
    let (_, user) = accounts
        .local_user_with_account(account_id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        user.unconfirmed_email.as_deref(),
        Some("shared@new.example"),
        "nell's request stands"
    );

    // The new address signs in.
    let (status, _) =
        common::password_grant(&server, "nell@new.example", "the password of nell", "read").await;
    assert_eq!(status, StatusCode::OK);
    server.stop().await;
}

#[tokio::test]
async fn a_minimum_age_asks_for_a_date_of_birth() {
    let instance = TestInstance::new().await;
    let server = instance
        .start_on_own_domain_with(|settings| {
            with_mode("open")(settings);
            settings.min_age = 16;
        })
        .await;
    let (_, v2) = server
        .call(Method::GET, "/api/v2/instance", None, Value::Null)
        .await;
    assert_eq!(v2["registrations"]["min_age"], 16);
    let (_, token) = app_token(&server).await;
    let today = time::OffsetDateTime::now_utc().date();
    // About fifteen years (a few leap days short) and well over thirty.
    let fifteen = (today - time::Duration::days(15 * 365)).to_string();
    let thirty = (today - time::Duration::days(30 * 366)).to_string();
    for (date, code) in [
        (None, "ERR_BLANK"),
        (Some("30/01/1990"), "ERR_INVALID"),
        (Some(fifteen.as_str()), "ERR_BELOW_LIMIT"),
    ] {
        let mut fields = good_fields("pia", "pia@example.org");
        if let Some(date) = date {
            fields.push(("date_of_birth", date));
        }
        let (status, body) = sign_up(&server, &token, &fields).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{date:?}: {body}");
        assert_eq!(body["details"]["date_of_birth"][0]["error"], code, "{body}");
    }
    let mut fields = good_fields("pia", "pia@example.org");
    fields.push(("date_of_birth", &thirty));
    let (status, body) = sign_up(&server, &token, &fields).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    server.stop().await;
}

#[tokio::test]
async fn a_reset_link_past_its_hour_changes_nothing() {
    let instance = TestInstance::new().await;
    let server = instance.start().await;
    let account_id = common::account_with_password(&server, "quin", "the password of quin").await;
    // A link sent more than an hour ago, seeded as the server would have stored it.
    let secret = "an-old-reset-link-secret";
    let digest = aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA256, secret.as_bytes());
    let digest: String = digest
        .as_ref()
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect();
    let now = woolly_core::now_millis();
    let store = instance.store().await;
    let mut tx = store.begin().await.unwrap();
    tx.insert_email_token(
        &digest,
        account_id,
        woolly_store::EmailTokenPurpose::ResetPassword,
        "quin@example.org",
        now - 1,
        now - 60 * 60 * 1000 - 1,
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    let status = http()
        .post(server.url("/auth/password/edit"))
        .form(&[
            ("reset_password_token", secret),
            ("password", "a brand new password"),
        ])
        .send()
        .await
        .unwrap()
        .status();
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let (status, _) =
        common::password_grant(&server, "quin@example.org", "the password of quin", "read").await;
    assert_eq!(status, StatusCode::OK, "the old password still works");
    server.stop().await;
}

/// `GET path` as the holder of `token`; the status and the answer.
async fn get_as(server: &TestServer, token: &str, path: &str) -> (StatusCode, Value) {
    server
        .call(Method::GET, path, Some(token), Value::Null)
        .await
}

/// `POST path` with `body` as the holder of `token`; the answer, which must be a success.
async fn post_ok(server: &TestServer, token: &str, path: &str, body: Value) -> Value {
    let (status, answer) = server.call(Method::POST, path, Some(token), body).await;
    assert_eq!(status, StatusCode::OK, "{path}: {answer}");
    answer
}

#[tokio::test]
async fn a_deleted_account_is_hidden_everywhere_at_once_and_then_purged_in_batches() {
    use woolly_core::account_deletion::{PURGE_ACCOUNT_KIND, PURGE_BATCH};
    let instance = TestInstance::new().await;
    let server = instance.start().await;
    let (alice, alice_id) = common::account(&server, "alice").await;
    let (carol, carol_id) = common::account(&server, "carol").await;
    post_ok(
        &server,
        &carol,
        &format!("/api/v1/accounts/{alice_id}/follow"),
        json!({}),
    )
    .await;
    // More statuses than one batch of the purge deletes.
    let mut alices = Vec::new();
    for n in 0..=PURGE_BATCH {
        let status =
            common::post_status(&server, &alice, json!({"status": format!("Alice #{n}")})).await;
        alices.push(status["id"].as_str().unwrap().to_owned());
    }
    let last = alices.last().unwrap().clone();
    let carols = post_ok(
        &server,
        &carol,
        "/api/v1/statuses",
        json!({"status": "Hi @alice"}),
    )
    .await;
    let carols = carols["id"].as_str().unwrap().to_owned();
    post_ok(
        &server,
        &alice,
        &format!("/api/v1/statuses/{carols}/favourite"),
        json!({}),
    )
    .await;
    let reply = post_ok(
        &server,
        &alice,
        "/api/v1/statuses",
        json!({"status": "@carol hello", "in_reply_to_id": carols}),
    )
    .await;
    alices.push(reply["id"].as_str().unwrap().to_owned());
    let reblog = post_ok(
        &server,
        &carol,
        &format!("/api/v1/statuses/{last}/reblog"),
        json!({}),
    )
    .await;
    let reblog = reblog["id"].as_str().unwrap().to_owned();
    common::jobs_idle(&server).await;
    let (_, seen) = get_as(&server, &carol, &format!("/api/v1/statuses/{carols}")).await;
    assert_eq!(seen["mentions"].as_array().unwrap().len(), 1);
    assert_eq!(seen["favourites_count"], 1);
    assert_eq!(seen["replies_count"], 1);

    // Deleted as the request does it, without the purge: what everyone sees while it runs.
    let store = instance.store().await;
    let mut tx = store.begin().await.unwrap();
    let alice_number: i64 = alice_id.parse().unwrap();
    assert!(
        tx.retire_local_account(alice_number, woolly_core::now_millis())
            .await
            .unwrap()
    );
    tx.commit().await.unwrap();
    for path in [
        format!("/api/v1/accounts/{alice_id}"),
        "/api/v1/accounts/lookup?acct=alice".to_owned(),
        format!("/api/v1/accounts/{alice_id}/statuses"),
        format!("/api/v1/statuses/{last}"),
        format!("/api/v1/statuses/{reblog}"),
    ] {
        let (status, answer) = get_as(&server, &carol, &path).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{path}: {answer}");
    }
    let (status, _) = get_as(&server, &alice, "/api/v1/accounts/verify_credentials").await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "signed out at once");
    for timeline in ["/api/v1/timelines/home", "/api/v1/timelines/public"] {
        let (_, page) = get_as(&server, &carol, timeline).await;
        let page = page.as_array().unwrap();
        assert!(!page.is_empty(), "carol's own post stays");
        assert!(
            page.iter()
                .all(|status| status["account"]["id"] != alice_id && status["reblog"].is_null()),
            "{timeline}: {page:?}"
        );
    }
    let (_, seen) = get_as(&server, &carol, &format!("/api/v1/statuses/{carols}")).await;
    assert_eq!(
        seen["mentions"],
        json!([]),
        "cached mentions are rebuilt without her"
    );
    let (_, context) = get_as(
        &server,
        &carol,
        &format!("/api/v1/statuses/{carols}/context"),
    )
    .await;
    assert_eq!(context["descendants"], json!([]));
    for path in [
        format!("/api/v1/accounts/{carol_id}/following"),
        "/api/v1/accounts/search?q=alice".to_owned(),
        format!("/api/v1/statuses/{carols}/favourited_by"),
    ] {
        let (status, answer) = get_as(&server, &carol, &path).await;
        assert_eq!(status, StatusCode::OK, "{path}");
        assert_eq!(answer, json!([]), "{path}");
    }
    let webfinger = http()
        .get(server.url("/.well-known/webfinger?resource=acct:alice@woolly.test"))
        .send()
        .await
        .unwrap();
    assert_eq!(webfinger.status(), StatusCode::NOT_FOUND);
    let actor = http()
        .get(server.url("/users/alice"))
        .header("accept", "application/activity+json")
        .send()
        .await
        .unwrap();
    assert_eq!(actor.status(), StatusCode::NOT_FOUND);

    // Then the purge, in batches: nothing of hers is left, and others' counters come down.
    server
        .woolly
        .jobs()
        .enqueue_job(
            &woolly_core::jobs::new_job(
                PURGE_ACCOUNT_KIND,
                &json!({"account_id": alice_number}),
                woolly_core::now_millis(),
                1,
            )
            .unwrap(),
        )
        .await
        .unwrap();
    common::jobs_idle(&server).await;
    let ids: Vec<i64> = alices
        .iter()
        .chain([&reblog])
        .map(|id| id.parse().unwrap())
        .collect();
    assert!(store.statuses_by_ids(&ids).await.unwrap().is_empty());
    let mut tx = store.begin().await.unwrap();
    assert!(
        !tx.delete_local_account(alice_number).await.unwrap(),
        "the account's row is gone too"
    );
    tx.rollback().await.unwrap();
    let (_, seen) = get_as(&server, &carol, &format!("/api/v1/statuses/{carols}")).await;
    assert_eq!(seen["favourites_count"], 0);
    assert_eq!(seen["replies_count"], 0);
    let (_, carol_now) = get_as(&server, &carol, "/api/v1/accounts/verify_credentials").await;
    assert_eq!(carol_now["following_count"], 0);
    server.stop().await;
}
