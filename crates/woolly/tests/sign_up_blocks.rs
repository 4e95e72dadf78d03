//! Who may not join: e-mail domain blocks (matching the address's domain and its mail
//! servers), canonical e-mail blocks and IP blocks, made by admins through the admin API,
//! refusing or holding sign-ups and (for `no_access`) every request. The client address is the
//! one a trusted proxy forwards, as in production behind nginx; mail servers are named by a DNS
//! server on loopback.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{TestInstance, TestServer, staff_account};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

async fn call(
    server: &TestServer,
    method: Method,
    token: &str,
    path: &str,
    body: Value,
) -> (StatusCode, Value) {
    server.call(method, path, Some(token), body).await
}

/// An app token that may sign people up.
async fn app_token(server: &TestServer) -> String {
    let app = common::register_app(server, "Joiner", "read write").await;
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
    token["access_token"].as_str().unwrap().to_owned()
}

/// Signs up `name` with `email` from the client address `from` (forwarded by the proxy).
async fn sign_up(
    server: &TestServer,
    token: &str,
    name: &str,
    email: &str,
    from: &str,
) -> (StatusCode, Value) {
    let response = common::http()
        .post(server.url("/api/v1/accounts"))
        .bearer_auth(token)
        .header("X-Forwarded-For", from)
        .json(
            &json!({"username": name, "email": email, "password": "a long enough password",
                      "agreement": true, "locale": "en"}),
        )
        .send()
        .await
        .unwrap();
    let status = response.status();
    (status, response.json().await.unwrap_or(Value::Null))
}

/// An instance open to sign-ups, whose mail servers' lookups ask `dns_server` (on loopback,
/// never the network).
async fn open_server_with_mail_servers(
    instance: &TestInstance,
    mail_servers: &[(&str, &str)],
) -> TestServer {
    let dns = dns_server(mail_servers).await;
    instance
        .start_with({
            let mut settings = instance.settings();
            settings.registrations = "open".to_owned();
            settings.rate_limit_requests = 0;
            settings.dns_server = Some(dns);
            settings
        })
        .await
}

async fn open_server(instance: &TestInstance) -> TestServer {
    open_server_with_mail_servers(instance, &[]).await
}

#[tokio::test]
async fn blocked_e_mail_providers_and_addresses_cannot_join() {
    let instance = TestInstance::new().await;
    let server = open_server(&instance).await;
    let (admin, _) = staff_account(&server, "ada", "admin").await;
    let (moderator, _) = staff_account(&server, "mo", "moderator").await;
    let joiner = app_token(&server).await;

    let (refused, _) = call(
        &server,
        Method::POST,
        &moderator,
        "/api/v1/admin/email_domain_blocks",
        json!({"domain": "spam.example"}),
    )
    .await;
    assert_eq!(
        refused,
        StatusCode::FORBIDDEN,
        "a moderator does not manage blocks"
    );
    let (status, block) = call(
        &server,
        Method::POST,
        &admin,
        "/api/v1/admin/email_domain_blocks",
        json!({"domain": "Spam.Example"}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{block}");
    assert_eq!(block["domain"], "spam.example");
    assert_eq!(block["history"], json!([]));
    let (again, _) = call(
        &server,
        Method::POST,
        &admin,
        "/api/v1/admin/email_domain_blocks",
        json!({"domain": "spam.example"}),
    )
    .await;
    assert_eq!(again, StatusCode::UNPROCESSABLE_ENTITY);

    let (status, body) = sign_up(
        &server,
        &joiner,
        "spammer",
        "x@mail.spam.example",
        "198.51.100.1",
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(
        body["details"]["email"][0]["error"], "ERR_BLOCKED",
        "{body}"
    );

    // One address in every spelling.
    let (status, blocked) = call(
        &server,
        Method::POST,
        &admin,
        "/api/v1/admin/canonical_email_blocks",
        json!({"email": "tro.ll+x@example.org"}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{blocked}");
    assert_eq!(blocked["canonical_email_hash"].as_str().unwrap().len(), 64);
    let (_, matched) = call(
        &server,
        Method::POST,
        &admin,
        "/api/v1/admin/canonical_email_blocks/test",
        json!({"email": "TROLL@example.org"}),
    )
    .await;
    assert_eq!(matched.as_array().unwrap().len(), 1, "{matched}");
    let (status, body) = sign_up(
        &server,
        &joiner,
        "troll",
        "t.r.o.l.l+again@example.org",
        "198.51.100.1",
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let (status, body) = sign_up(
        &server,
        &joiner,
        "friend",
        "friend@example.org",
        "198.51.100.1",
    )
    .await;
    assert_eq!(status, StatusCode::OK, "another address joins: {body}");

    // Lifted, the provider is welcome again.
    let (status, _) = call(
        &server,
        Method::DELETE,
        &admin,
        &format!(
            "/api/v1/admin/email_domain_blocks/{}",
            block["id"].as_str().unwrap()
        ),
        Value::Null,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let (status, body) = sign_up(
        &server,
        &joiner,
        "spammer",
        "x@mail.spam.example",
        "198.51.100.1",
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let log = instance.cli_ok(&["admin", "audit"]).await;
    let actions: Vec<&str> = log
        .lines()
        .map(|line| line.split('\t').nth(2).unwrap_or_default())
        .collect();
    assert_eq!(actions, vec!["destroy", "create", "create"], "{log}");
    server.stop().await;
}

#[tokio::test]
async fn ip_blocks_hold_refuse_or_shut_out_an_address() {
    let instance = TestInstance::new().await;
    let server = open_server(&instance).await;
    let (admin, _) = staff_account(&server, "ada", "admin").await;
    let joiner = app_token(&server).await;

    let (status, body) = call(
        &server,
        Method::POST,
        &admin,
        "/api/v1/admin/ip_blocks",
        json!({"ip": "300.1.2.3/8", "severity": "sign_up_block"}),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let (status, body) = call(
        &server,
        Method::POST,
        &admin,
        "/api/v1/admin/ip_blocks",
        json!({"ip": "203.0.113.9", "severity": "shout"}),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let (_, listed) = call(
        &server,
        Method::GET,
        &admin,
        "/api/v1/admin/ip_blocks",
        Value::Null,
    )
    .await;
    assert_eq!(listed, json!([]), "nothing written");

    // Held for approval.
    let (status, block) = call(
        &server,
        Method::POST,
        &admin,
        "/api/v1/admin/ip_blocks",
        json!({"ip": "203.0.113.0/24", "severity": "sign_up_requires_approval",
               "comment": "Spam wave", "expires_in": 3600}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{block}");
    assert_eq!(block["ip"], "203.0.113.0/24");
    assert!(block["expires_at"].is_string());
    let (status, body) = sign_up(&server, &joiner, "held", "held@example.org", "203.0.113.7").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (_, pending) = call(
        &server,
        Method::GET,
        &admin,
        "/api/v2/admin/accounts?status=pending",
        Value::Null,
    )
    .await;
    assert_eq!(pending[0]["username"], "held", "{pending}");
    let (status, body) =
        sign_up(&server, &joiner, "free", "free@example.org", "198.51.100.2").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (_, pending) = call(
        &server,
        Method::GET,
        &admin,
        "/api/v2/admin/accounts?status=pending",
        Value::Null,
    )
    .await;
    assert_eq!(
        pending.as_array().unwrap().len(),
        1,
        "another address is not held"
    );

    // Refused.
    let block_path = format!("/api/v1/admin/ip_blocks/{}", block["id"].as_str().unwrap());
    let (status, changed) = call(
        &server,
        Method::PUT,
        &admin,
        &block_path,
        json!({"severity": "sign_up_block"}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{changed}");
    assert_eq!(changed["comment"], "Spam wave", "what was not sent stays");
    let (status, body) = sign_up(
        &server,
        &joiner,
        "refused",
        "refused@example.org",
        "203.0.113.7",
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");

    // Shut out: every request.
    call(
        &server,
        Method::PUT,
        &admin,
        &block_path,
        json!({"severity": "no_access"}),
    )
    .await;
    let shut = common::http()
        .get(server.url("/api/v1/instance"))
        .header("X-Forwarded-For", "203.0.113.7")
        .send()
        .await
        .unwrap();
    assert_eq!(shut.status(), StatusCode::FORBIDDEN);
    let open = common::http()
        .get(server.url("/api/v1/instance"))
        .header("X-Forwarded-For", "198.51.100.2")
        .send()
        .await
        .unwrap();
    assert_eq!(open.status(), StatusCode::OK);
    let (status, _) = call(&server, Method::DELETE, &admin, &block_path, Value::Null).await;
    assert_eq!(status, StatusCode::OK);
    let back = common::http()
        .get(server.url("/api/v1/instance"))
        .header("X-Forwarded-For", "203.0.113.7")
        .send()
        .await
        .unwrap();
    assert_eq!(back.status(), StatusCode::OK, "lifted at once");
    server.stop().await;
}

/// A DNS server on loopback that names the mail servers of some domains (`(domain, host)`
/// pairs) and knows nothing else.
async fn dns_server(mail_servers: &[(&str, &str)]) -> std::net::SocketAddr {
    use hickory_resolver::proto::op::{Message, MessageType, ResponseCode};
    use hickory_resolver::proto::rr::rdata::MX;
    use hickory_resolver::proto::rr::{Name, RData, Record, RecordType};
    use hickory_resolver::proto::serialize::binary::BinEncodable as _;
    let socket = tokio::net::UdpSocket::bind("127.0.0.1:0").await.unwrap();
    let address = socket.local_addr().unwrap();
    let table: Vec<(String, String)> = mail_servers
        .iter()
        .map(|(domain, host)| ((*domain).to_owned(), (*host).to_owned()))
        .collect();
    tokio::spawn(async move {
        let mut buffer = [0_u8; 1500];
        loop {
            let Ok((length, from)) = socket.recv_from(&mut buffer).await else {
                return;
            };
            let Ok(query) = Message::from_vec(&buffer[..length]) else {
                continue;
            };
            let mut answer = Message::new();
            answer
                .set_id(query.id())
                .set_message_type(MessageType::Response)
                .set_op_code(query.op_code())
                .set_recursion_desired(true)
                .set_recursion_available(true);
            answer.add_queries(query.queries().to_vec());
            for question in query.queries() {
                let asked = question
                    .name()
                    .to_ascii()
                    .trim_end_matches('.')
                    .to_lowercase();
                if question.query_type() != RecordType::MX {
                    continue;
                }
                for (domain, host) in &table {
                    if *domain == asked {
                        let exchange = Name::from_ascii(format!("{host}.")).unwrap();
                        answer.add_answer(Record::from_rdata(
                            question.name().clone(),
                            300,
                            RData::MX(MX::new(10, exchange)),
                        ));
                    }
                }
            }
            if answer.answers().is_empty() {
                answer.set_response_code(ResponseCode::NXDomain);
            }
            let _ = socket.send_to(&answer.to_bytes().unwrap(), from).await;
        }
    });
    address
}

#[tokio::test]
async fn a_blocked_provider_is_refused_under_any_domain_it_receives_mail_for() {
    let instance = TestInstance::new().await;
    let server = open_server_with_mail_servers(
        &instance,
        &[
            ("disguised.example", "mx2.spamhost.example"),
            ("fine.example", "mx.fine.example"),
        ],
    )
    .await;
    let (admin, _) = staff_account(&server, "ada", "admin").await;
    let joiner = app_token(&server).await;
    let (status, _) = call(
        &server,
        Method::POST,
        &admin,
        "/api/v1/admin/email_domain_blocks",
        json!({"domain": "spamhost.example"}),
    )
    .await;
    assert_eq!(status, StatusCode::OK);

    let (status, body) = sign_up(
        &server,
        &joiner,
        "disguised",
        "x@disguised.example",
        "198.51.100.7",
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(
        body["details"]["email"][0]["error"], "ERR_BLOCKED",
        "{body}"
    );
    // Other providers, and domains DNS knows nothing of, join.
    for (name, email) in [("fine", "x@fine.example"), ("unknown", "x@unknown.example")] {
        let (status, body) = sign_up(&server, &joiner, name, email, "198.51.100.8").await;
        assert_eq!(status, StatusCode::OK, "{email}: {body}");
    }
    server.stop().await;
}
