//! Every entity Woolly serves, compared field by field with the example the Mastodon
//! documentation gives for it (`content/en/entities/*.md`, kept under `tests/fixtures/entities`):
//! every field of the example is there, with the same JSON type (ids are strings, counts
//! numbers or strings as Mastodon has them), and null only where the documentation says the
//! field may be null. Fields Woolly adds beyond an example (newer Mastodon versions) are allowed.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{TestInstance, TestServer, account, http};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

fn fixture(name: &str) -> Value {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/entities")
        .join(format!("{name}.json"));
    serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap()
}

fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "bool",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// The differences between an example and what Woolly sent, with their paths. `nullable` lists
/// the paths (`account.moved`, `media_attachments[].description`) the documentation allows to
/// be null or, for optional fields, absent.
fn differences(
    example: &Value,
    actual: &Value,
    path: &str,
    nullable: &[&str],
    found: &mut Vec<String>,
) {
    match (example, actual) {
        (Value::Null, _) => {}
        (_, Value::Null) if nullable.contains(&path) => {}
        // Maps keyed by data (languages), not by field names: only their type counts.
        (Value::Object(_), Value::Object(_)) if MAPS.contains(&path) => {}
        (Value::Object(expected), Value::Object(got)) => {
            for (key, value) in expected {
                let inner = if path.is_empty() {
                    key.clone()
                } else {
                    format!("{path}.{key}")
                };
                match got.get(key) {
                    Some(got_value) => differences(value, got_value, &inner, nullable, found),
                    // Mastodon leaves some optional fields out (`application` of others' posts).
                    None if nullable.contains(&inner.as_str()) => {}
                    None if NEWER_THAN_WOOLLYS_API.contains(&key.as_str())
                        || NEWER_THAN_WOOLLYS_API.contains(&inner.as_str()) => {}
                    None => found.push(format!("{inner}: missing")),
                }
            }
        }
        (Value::Array(expected), Value::Array(got)) => {
            if let (Some(first), Some(got_first)) = (expected.first(), got.first()) {
                differences(first, got_first, &format!("{path}[]"), nullable, found);
            }
        }
        (expected, got) if kind(expected) != kind(got) => {
            found.push(format!(
                "{path}: {} in the documentation, {} here ({got})",
                kind(expected),
                kind(got)
            ));
        }
        _ => {}
    }
}

/// Also keeps a snapshot of the entity (`tests/snapshots/entities__NAME.snap`), so that any
/// change of what Woolly serves shows in review.
fn assert_shaped_like(name: &str, actual: &Value, nullable: &[&str]) {
    insta::assert_json_snapshot!(name, common::snapshot::normalized(actual, &[]));
    let mut found = Vec::new();
    differences(&fixture(name), actual, "", nullable, &mut found);
    assert!(
        found.is_empty(),
        "{name} differs from the documentation:\n{}\n{actual:#}",
        found.join("\n")
    );
}

async fn call(
    server: &TestServer,
    method: Method,
    token: Option<&str>,
    path: &str,
    body: Value,
) -> Value {
    let (status, body) = server.call(method, path, token, body).await;
    assert!(
        status.is_success() || status == StatusCode::NOT_FOUND,
        "{path}: {status} {body}"
    );
    body
}

/// Fields the documentation's examples show that came after Mastodon 4.5, the version Woolly
/// reports (`4.6.0 - added` in the entity pages): clients check the version before using them.
const NEWER_THAN_WOOLLYS_API: &[&str] = &[
    "avatar_description",
    "header_description",
    "feature_approval",
    "show_featured",
    "show_media",
    "show_media_replies",
    "thumbnail.description",
    // The documentation's example spells `max_display_name_length` (4.6) so.
    "configuration.accounts.max_display_name_lenth",
];

/// Objects whose keys are data (a rule's translations by language).
const MAPS: &[&str] = &["rules[].translations", "translations"];

/// What the documentation marks "or null" among the fields its examples fill in.
const ACCOUNT_NULLABLE: &[&str] = &[
    "last_status_at",
    "moved",
    "noindex",
    "suspended",
    "limited",
    "memorial",
];
const STATUS_NULLABLE: &[&str] = &[
    "url",
    "in_reply_to_id",
    "in_reply_to_account_id",
    "reblog",
    "poll",
    "card",
    "language",
    "text",
    "edited_at",
    "application",
    "application.website",
    "account.last_status_at",
    "quote",
    "media_attachments[].description",
    "media_attachments[].blurhash",
    "media_attachments[].remote_url",
    "media_attachments[].preview_remote_url",
    "media_attachments[].text_url",
    "filtered[].status_matches",
    "filtered[].keyword_matches",
];

#[tokio::test]
async fn every_entity_is_shaped_as_the_documentation_shows_it() {
    let instance = TestInstance::new().await;
    let mut settings = instance.settings();
    settings.rules = vec!["Be kind.".into()];
    settings.terms_of_service = "Be excellent.".into();
    settings.extended_description = "About us.".into();
    let server = instance.start_with(settings).await;
    let (alice, alice_id) = account(&server, "alice").await;
    let (bob, bob_id) = account(&server, "bob").await;
    let png = instance.data_dir().join("e.png");
    image::RgbImage::from_fn(8, 8, |x, _| image::Rgb([x as u8 * 30, 10, 10]))
        .save(&png)
        .unwrap();
    instance
        .cli_ok(&["admin", "emoji", "add", "blob", png.to_str().unwrap()])
        .await;

    // Application and Token, through OAuth.
    let app: Value = http()
        .post(server.url("/api/v1/apps"))
        .form(&[
            ("client_name", "Shapes"),
            ("redirect_uris", "urn:ietf:wg:oauth:2.0:oob"),
            ("scopes", "read write"),
            ("website", "https://client.example"),
        ])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_shaped_like(
        "Application",
        &app,
        &["website", "vapid_key", "client_secret_expires_at"],
    );
    let token: Value = http()
        .post(server.url("/oauth/token"))
        .form(&[
            ("grant_type", "client_credentials"),
            ("client_id", app["client_id"].as_str().unwrap()),
            ("client_secret", app["client_secret"].as_str().unwrap()),
            ("scope", "read"),
        ])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_shaped_like("Token", &token, &[]);

    // Statuses with media, a mention, a hashtag, an emoji; another with a poll.
    let media: Value = http()
        .post(server.url("/api/v2/media"))
        .bearer_auth(&alice)
        .multipart(
            reqwest::multipart::Form::new()
                .part(
                    "file",
                    reqwest::multipart::Part::bytes(std::fs::read(&png).unwrap())
                        .file_name("e.png")
                        .mime_str("image/png")
                        .unwrap(),
                )
                .text("description", "a square"),
        )
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_shaped_like(
        "MediaAttachment",
        &media,
        &[
            "remote_url",
            "preview_remote_url",
            "text_url",
            "description",
            "blurhash",
            "meta.focus",
        ],
    );
    let status = call(&server, Method::POST, Some(&alice), "/api/v1/statuses",
        json!({"status": "hello @bob #shapes :blob:", "media_ids": [media["id"]], "language": "en"})).await;
    assert_shaped_like("Status", &status, STATUS_NULLABLE);
    let poll_status = call(
        &server,
        Method::POST,
        Some(&alice),
        "/api/v1/statuses",
        json!({"status": "which?", "poll": {"options": ["a", "b"], "expires_in": 3600}}),
    )
    .await;
    assert_shaped_like(
        "Poll",
        &poll_status["poll"],
        &["expires_at", "voters_count", "own_votes"],
    );
    let status_id = status["id"].as_str().unwrap();
    assert_shaped_like("Account", &status["account"], ACCOUNT_NULLABLE);
    assert_shaped_like("CustomEmoji", &status["emojis"][0], &["category"]);
    let source = call(
        &server,
        Method::GET,
        Some(&alice),
        &format!("/api/v1/statuses/{status_id}/source"),
        Value::Null,
    )
    .await;
    assert_shaped_like("StatusSource", &source, &[]);

    // Relationships, notifications, lists, markers, tags, featured tags.
    call(
        &server,
        Method::POST,
        Some(&bob),
        &format!("/api/v1/accounts/{alice_id}/follow"),
        Value::Null,
    )
    .await;
    let relationships = call(
        &server,
        Method::GET,
        Some(&bob),
        &format!("/api/v1/accounts/relationships?id[]={alice_id}"),
        Value::Null,
    )
    .await;
    assert_shaped_like(
        "Relationship",
        &relationships[0],
        &["muting_expires_at", "languages"],
    );
    let list = call(
        &server,
        Method::POST,
        Some(&bob),
        "/api/v1/lists",
        json!({"title": "friends"}),
    )
    .await;
    assert_shaped_like("List", &list, &[]);
    call(
        &server,
        Method::POST,
        Some(&bob),
        "/api/v1/markers",
        json!({"home": {"last_read_id": status_id}}),
    )
    .await;
    let markers = call(
        &server,
        Method::GET,
        Some(&bob),
        "/api/v1/markers?timeline[]=home",
        Value::Null,
    )
    .await;
    assert_shaped_like("Marker", &markers["home"], &[]);
    let tag = call(
        &server,
        Method::GET,
        Some(&bob),
        "/api/v1/tags/shapes",
        Value::Null,
    )
    .await;
    assert_shaped_like("Tag", &tag, &[]);
    let featured = call(
        &server,
        Method::POST,
        Some(&alice),
        "/api/v1/featured_tags",
        json!({"name": "shapes"}),
    )
    .await;
    assert_shaped_like("FeaturedTag", &featured, &["last_status_at"]);
    let preferences = call(
        &server,
        Method::GET,
        Some(&bob),
        "/api/v1/preferences",
        Value::Null,
    )
    .await;
    assert_shaped_like("Preferences", &preferences, &["posting:default:language"]);

    // Filters, v2 and v1.
    let filter = call(&server, Method::POST, Some(&bob), "/api/v2/filters",
        json!({"title": "no shapes", "context": ["home"], "filter_action": "warn", "keywords_attributes": [{"keyword": "shapes"}]})).await;
    assert_shaped_like("Filter", &filter, &["expires_at"]);
    assert_shaped_like("FilterKeyword", &filter["keywords"][0], &[]);
    let filter_id = filter["id"].as_str().unwrap();
    let status_filter = call(
        &server,
        Method::POST,
        Some(&bob),
        &format!("/api/v2/filters/{filter_id}/statuses"),
        json!({"status_id": status_id}),
    )
    .await;
    assert_shaped_like("FilterStatus", &status_filter, &[]);
    let seen = call(
        &server,
        Method::GET,
        Some(&bob),
        &format!("/api/v1/statuses/{status_id}"),
        Value::Null,
    )
    .await;
    assert_shaped_like(
        "FilterResult",
        &seen["filtered"][0],
        &["status_matches", "keyword_matches", "filter.expires_at"],
    );
    let v1 = call(
        &server,
        Method::POST,
        Some(&bob),
        "/api/v1/filters",
        json!({"phrase": "circles", "context": ["home"]}),
    )
    .await;
    assert_shaped_like("V1_Filter", &v1, &["expires_at"]);

    // Scheduled statuses.
    let scheduled = call(
        &server,
        Method::POST,
        Some(&alice),
        "/api/v1/statuses",
        json!({"status": "later", "scheduled_at": "2099-01-01T00:00:00Z"}),
    )
    .await;
    assert_shaped_like(
        "ScheduledStatus",
        &scheduled,
        &[
            "params.poll",
            "params.media_ids",
            "params.sensitive",
            "params.spoiler_text",
            "params.visibility",
            "params.language",
            "params.in_reply_to_id",
            "params.application_id",
            "params.scheduled_at",
            "params.idempotency",
        ],
    );

    // Notifications, threads, conversations, familiar followers, edits.
    let notifications = call(
        &server,
        Method::GET,
        Some(&bob),
        "/api/v1/notifications?types[]=mention",
        Value::Null,
    )
    .await;
    assert_shaped_like(
        "Notification",
        &notifications[0],
        &["status.in_reply_to_id", "status.in_reply_to_account_id"],
    );
    let reply = call(
        &server,
        Method::POST,
        Some(&bob),
        "/api/v1/statuses",
        json!({"status": "@alice a reply", "in_reply_to_id": status_id}),
    )
    .await;
    let context = call(
        &server,
        Method::GET,
        Some(&bob),
        &format!("/api/v1/statuses/{}/context", reply["id"].as_str().unwrap()),
        Value::Null,
    )
    .await;
    assert_shaped_like(
        "Context",
        &context,
        &["ancestors[].in_reply_to_id", "descendants[].in_reply_to_id"],
    );
    call(
        &server,
        Method::POST,
        Some(&alice),
        "/api/v1/statuses",
        json!({"status": "@bob secret", "visibility": "direct"}),
    )
    .await;
    // Conversations are recorded by the fan-out job, after the post is answered.
    let conversations = common::eventually(
        std::time::Duration::from_secs(20),
        "bob's conversation",
        || async {
            let conversations = call(
                &server,
                Method::GET,
                Some(&bob),
                "/api/v1/conversations",
                Value::Null,
            )
            .await;
            conversations
                .as_array()
                .is_some_and(|all| !all.is_empty())
                .then_some(conversations)
        },
    )
    .await;
    assert_shaped_like(
        "Conversation",
        &conversations[0],
        &[
            "last_status",
            "last_status.in_reply_to_id",
            "last_status.in_reply_to_account_id",
        ],
    );
    let (carol, _) = account(&server, "carol").await;
    call(
        &server,
        Method::POST,
        Some(&carol),
        &format!("/api/v1/accounts/{alice_id}/follow"),
        Value::Null,
    )
    .await;
    call(
        &server,
        Method::POST,
        Some(&alice),
        &format!("/api/v1/accounts/{bob_id}/follow"),
        Value::Null,
    )
    .await;
    let familiar = call(
        &server,
        Method::GET,
        Some(&carol),
        &format!("/api/v1/accounts/familiar_followers?id[]={bob_id}"),
        Value::Null,
    )
    .await;
    assert_eq!(familiar[0]["accounts"][0]["id"], alice_id.as_str());
    assert_shaped_like("FamiliarFollowers", &familiar, &[]);
    call(
        &server,
        Method::PUT,
        Some(&alice),
        &format!("/api/v1/statuses/{status_id}"),
        json!({"status": "hello again @bob #shapes", "media_ids": [media["id"]]}),
    )
    .await;
    let history = call(
        &server,
        Method::GET,
        Some(&alice),
        &format!("/api/v1/statuses/{status_id}/history"),
        Value::Null,
    )
    .await;
    assert_shaped_like("StatusEdit", &history[1], &["poll"]);

    // The instance and its pages.
    let v2 = call(&server, Method::GET, None, "/api/v2/instance", Value::Null).await;
    assert_shaped_like(
        "Instance",
        &v2,
        &[
            "contact.account",
            "thumbnail.blurhash",
            "thumbnail.versions",
            "configuration.urls.about",
            "configuration.urls.privacy_policy",
            "configuration.urls.status",
            "configuration.urls.terms_of_service",
            "registrations.message",
            "registrations.url",
            "registrations.min_age",
        ],
    );
    let v1_instance = call(&server, Method::GET, None, "/api/v1/instance", Value::Null).await;
    assert_shaped_like(
        "V1_Instance",
        &v1_instance,
        &["contact_account", "thumbnail"],
    );
    let rules = call(
        &server,
        Method::GET,
        None,
        "/api/v1/instance/rules",
        Value::Null,
    )
    .await;
    assert_shaped_like("Rule", &rules[0], &[]);
    let about = call(
        &server,
        Method::GET,
        None,
        "/api/v1/instance/extended_description",
        Value::Null,
    )
    .await;
    assert_shaped_like("ExtendedDescription", &about, &[]);
    let policy = call(
        &server,
        Method::GET,
        None,
        "/api/v1/instance/privacy_policy",
        Value::Null,
    )
    .await;
    assert_shaped_like("PrivacyPolicy", &policy, &[]);
    let terms = call(
        &server,
        Method::GET,
        None,
        "/api/v1/instance/terms_of_service",
        Value::Null,
    )
    .await;
    assert_shaped_like("TermsOfService", &terms, &["succeeded_by"]);
    let missing = call(
        &server,
        Method::GET,
        None,
        "/api/v1/statuses/1",
        Value::Null,
    )
    .await;
    assert_shaped_like("Error", &missing, &["error_description"]);
    server.stop().await;
}
