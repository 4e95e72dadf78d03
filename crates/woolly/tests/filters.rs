//! Filters through the client API (`methods/filters.md`): managing v2 filters, their keywords and
//! statuses, and the same filters through v1; refusals that write nothing; scopes; and filters
//! at work: what matches, `filtered` on statuses, `hide` per context, expiry, and the streaming
//! API (`filters_changed`, filtered updates and notifications).

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::time::Duration;

use common::{TestInstance, TestServer, account, eventually, http};
use futures_util::StreamExt as _;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use tokio_tungstenite::tungstenite::Message;
use woolly_api::entities::iso8601;

/// Sends a JSON body (none for GET and DELETE) and returns the status and the JSON answer.
async fn call(
    server: &TestServer,
    token: &str,
    method: Method,
    path: &str,
    body: Value,
) -> (StatusCode, Value) {
    server.call(method, path, Some(token), body).await
}

async fn get(server: &TestServer, token: &str, path: &str) -> (StatusCode, Value) {
    call(server, token, Method::GET, path, Value::Null).await
}

async fn post(server: &TestServer, token: &str, path: &str, body: Value) -> (StatusCode, Value) {
    call(server, token, Method::POST, path, body).await
}

async fn put(server: &TestServer, token: &str, path: &str, body: Value) -> (StatusCode, Value) {
    call(server, token, Method::PUT, path, body).await
}

async fn delete(server: &TestServer, token: &str, path: &str) -> (StatusCode, Value) {
    call(server, token, Method::DELETE, path, Value::Null).await
}

/// Sends a form body, as Mastodon.py and the documentation's examples do.
async fn form(
    server: &TestServer,
    token: &str,
    method: Method,
    path: &str,
    body: &str,
) -> (StatusCode, Value) {
    let response = http()
        .request(method, server.url(path))
        .bearer_auth(token)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(body.to_owned())
        .send()
        .await
        .unwrap();
    (
        response.status(),
        response.json().await.unwrap_or(Value::Null),
    )
}

fn not_found() -> Value {
    json!({"error": "Record not found"})
}

fn id(value: &Value) -> String {
    value["id"]
        .as_str()
        .unwrap_or_else(|| panic!("an id: {value}"))
        .to_owned()
}

fn ids(list: &Value) -> Vec<String> {
    list.as_array()
        .unwrap_or_else(|| panic!("an array: {list}"))
        .iter()
        .map(id)
        .collect()
}

/// Creates a v2 filter from a JSON body and returns it.
async fn create_filter(server: &TestServer, token: &str, body: Value) -> Value {
    let (code, filter) = post(server, token, "/api/v2/filters", body).await;
    assert_eq!(code, StatusCode::OK, "{filter}");
    filter
}

/// Uploads a small image with a description; returns the media id.
async fn upload_photo(server: &TestServer, token: &str, description: &str) -> String {
    let image = image::RgbImage::from_fn(8, 8, |x, y| {
        image::Rgb([
            u8::try_from(x * 30).unwrap(),
            u8::try_from(y * 30).unwrap(),
            90,
        ])
    });
    let mut png = Vec::new();
    image::DynamicImage::ImageRgb8(image)
        .write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
        .unwrap();
    let form = reqwest::multipart::Form::new()
        .part(
            "file",
            reqwest::multipart::Part::bytes(png)
                .file_name("photo.png")
                .mime_str("image/png")
                .unwrap(),
        )
        .text("description", description.to_owned());
    let media: Value = http()
        .post(server.url("/api/v2/media"))
        .bearer_auth(token)
        .multipart(form)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    id(&media)
}

/// Posts a status and returns it.
async fn status(server: &TestServer, token: &str, body: Value) -> Value {
    let (code, status) = post(server, token, "/api/v1/statuses", body).await;
    assert_eq!(code, StatusCode::OK, "{status}");
    status
}

async fn follow(server: &TestServer, token: &str, target_id: &str) {
    let (code, relationship) = post(
        server,
        token,
        &format!("/api/v1/accounts/{target_id}/follow"),
        json!({}),
    )
    .await;
    assert_eq!(code, StatusCode::OK, "{relationship}");
}

/// The statuses of a list answer by id.
fn find<'a>(list: &'a Value, status_id: &str) -> Option<&'a Value> {
    list.as_array()?
        .iter()
        .find(|status| status["id"] == status_id)
}

/// Waits until every status is in the viewer's home timeline (the fan-out job puts them there).
async fn await_home(server: &TestServer, token: &str, status_ids: &[&str]) {
    eventually(
        Duration::from_secs(20),
        "statuses in the home timeline",
        || async {
            let (_, home) = get(server, token, "/api/v1/timelines/home?limit=40").await;
            status_ids
                .iter()
                .all(|status_id| find(&home, status_id).is_some())
                .then_some(())
        },
    )
    .await;
}

#[tokio::test]
async fn v2_filters_are_created_shown_updated_and_deleted() {
    let instance = TestInstance::new().await;
    let server = instance.start().await;
    let (alice, _) = account(&server, "alice").await;

    // The documentation's example, as a form: keywords_attributes[][…] entries, a repeated key
    // starting the next entry as Rails reads them.
    let (code, filter) = form(
        &server,
        &alice,
        Method::POST,
        "/api/v2/filters",
        "title=test&context[]=public&keywords_attributes[][keyword]=foo\
         &keywords_attributes[][whole_word]=false&keywords_attributes[][keyword]=bar\
         &keywords_attributes[][whole_word]=true",
    )
    .await;
    assert_eq!(code, StatusCode::OK, "{filter}");
    let filter_id = id(&filter);
    let foo = id(&filter["keywords"][0]);
    let bar = id(&filter["keywords"][1]);
    assert_eq!(
        filter,
        json!({
            "id": filter_id,
            "title": "test",
            "context": ["public"],
            "expires_at": null,
            "filter_action": "warn",
            "keywords": [
                {"id": foo, "keyword": "foo", "whole_word": false},
                {"id": bar, "keyword": "bar", "whole_word": true},
            ],
            "statuses": [],
        })
    );

    // JSON, as masto.js sends it; a keyword without whole_word matches whole words, as
    // Mastodon's column default has it, and expires_in sets expires_at.
    let before = woolly_core::now_millis();
    let second = create_filter(
        &server,
        &alice,
        json!({
            "title": "Spoilers",
            "context": ["home", "thread"],
            "filter_action": "hide",
            "expires_in": 3600,
            "keywords_attributes": [{"keyword": "dune"}],
        }),
    )
    .await;
    let after = woolly_core::now_millis();
    assert_eq!(second["filter_action"], "hide");
    assert_eq!(second["context"], json!(["home", "thread"]));
    assert_eq!(second["keywords"][0]["whole_word"], true);
    let expires_at = second["expires_at"].as_str().unwrap().to_owned();
    assert!(
        iso8601(before + 3_600_000) <= expires_at && expires_at <= iso8601(after + 3_600_000),
        "{expires_at}"
    );
    let second_id = id(&second);

    let (code, listed) = get(&server, &alice, "/api/v2/filters").await;
    assert_eq!(code, StatusCode::OK);
    assert_eq!(ids(&listed), vec![filter_id.clone(), second_id.clone()]);
    assert_eq!(listed[0], filter);
    let (code, shown) = get(&server, &alice, &format!("/api/v2/filters/{filter_id}")).await;
    assert_eq!(code, StatusCode::OK);
    assert_eq!(shown, filter);

    // The documentation's update: remove foo, turn bar into baz (keeping its whole_word), add
    // qux; and what the update does not name stays.
    let (code, updated) = form(
        &server,
        &alice,
        Method::PUT,
        &format!("/api/v2/filters/{filter_id}"),
        &format!(
            "keywords_attributes[][id]={foo}&keywords_attributes[][_destroy]=true\
             &keywords_attributes[][id]={bar}&keywords_attributes[][keyword]=baz\
             &keywords_attributes[][keyword]=qux&keywords_attributes[][whole_word]=0"
        ),
    )
    .await;
    assert_eq!(code, StatusCode::OK, "{updated}");
    let qux = id(&updated["keywords"][1]);
    assert_eq!(
        updated["keywords"],
        json!([
            {"id": bar, "keyword": "baz", "whole_word": true},
            {"id": qux, "keyword": "qux", "whole_word": false},
        ])
    );
    assert_eq!(updated["title"], "test");
    assert_eq!(updated["context"], json!(["public"]));

    let (code, updated) = put(
        &server,
        &alice,
        &format!("/api/v2/filters/{second_id}"),
        json!({
            "title": "Dune spoilers",
            "context": ["public", "notifications", "account"],
            "filter_action": "blur",
            "expires_in": "",
        }),
    )
    .await;
    assert_eq!(code, StatusCode::OK, "{updated}");
    assert_eq!(updated["title"], "Dune spoilers");
    assert_eq!(
        updated["context"],
        json!(["public", "notifications", "account"])
    );
    assert_eq!(updated["filter_action"], "blur");
    assert_eq!(
        updated["expires_at"],
        Value::Null,
        "an empty expires_in never expires"
    );
    assert_eq!(updated["keywords"], second["keywords"]);

    let (code, deleted) = delete(&server, &alice, &format!("/api/v2/filters/{second_id}")).await;
    assert_eq!(code, StatusCode::OK);
    assert_eq!(deleted, json!({}));
    let (code, body) = get(&server, &alice, &format!("/api/v2/filters/{second_id}")).await;
    assert_eq!((code, body), (StatusCode::NOT_FOUND, not_found()));
    let (code, body) = delete(&server, &alice, &format!("/api/v2/filters/{second_id}")).await;
    assert_eq!((code, body), (StatusCode::NOT_FOUND, not_found()));
    let (_, listed) = get(&server, &alice, "/api/v2/filters").await;
    assert_eq!(ids(&listed), vec![filter_id]);
    server.stop().await;
}

#[tokio::test]
async fn bad_filter_input_is_refused_and_writes_nothing() {
    let instance = TestInstance::new().await;
    let server = instance.start().await;
    let (alice, _) = account(&server, "alice").await;

    let refusals = [
        (
            json!({}),
            "Validation failed: Title can't be blank, Context can't be blank, \
             Context None or invalid context supplied",
        ),
        (
            json!({"title": "t", "context": ["home", "timeline"]}),
            "Validation failed: Context None or invalid context supplied",
        ),
        (
            json!({"title": "  ", "context": ["home"]}),
            "Validation failed: Title can't be blank",
        ),
        (
            json!({"title": "t", "context": ["home"], "filter_action": "drop"}),
            "Validation failed: Action is not included in the list",
        ),
        (
            json!({"title": "t", "context": ["home"], "keywords_attributes": [{"whole_word": true}]}),
            "Validation failed: Keywords keyword can't be blank",
        ),
        (
            json!({"title": "x".repeat(257), "context": ["home"]}),
            "Validation failed: Title is too long (maximum is 256 characters)",
        ),
        (
            json!({"title": "t", "context": ["home"], "keywords_attributes": [{"keyword": "k".repeat(513)}]}),
            "Validation failed: Keywords keyword is too long (maximum is 512 characters)",
        ),
    ];
    for (body, message) in refusals {
        let (code, error) = post(&server, &alice, "/api/v2/filters", body.clone()).await;
        assert_eq!(code, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert_eq!(error, json!({"error": message}), "{body}");
    }
    let (code, error) = post(
        &server,
        &alice,
        "/api/v2/filters",
        json!({"title": "t", "context": ["home"], "expires_in": "soon"}),
    )
    .await;
    assert_eq!(code, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(error["error"].is_string(), "{error}");
    // Naming a keyword that does not exist yet is a 404, as the documentation says.
    let (code, error) = post(
        &server,
        &alice,
        "/api/v2/filters",
        json!({"title": "t", "context": ["home"], "keywords_attributes": [{"id": "1", "keyword": "k"}]}),
    )
    .await;
    assert_eq!((code, error), (StatusCode::NOT_FOUND, not_found()));
    // Entries with nothing in them are ignored, as Rails' `all_blank` does.
    let filter = create_filter(
        &server,
        &alice,
        json!({"title": "t", "context": ["home"], "keywords_attributes": [{"keyword": "", "whole_word": false}]}),
    )
    .await;
    assert_eq!(filter["keywords"], json!([]));
    let (_, listed) = get(&server, &alice, "/api/v2/filters").await;
    assert_eq!(ids(&listed), vec![id(&filter)], "nothing else was written");

    // A refused update changes nothing, not even what it got right.
    let filter_id = id(&filter);
    let path = format!("/api/v2/filters/{filter_id}");
    for (body, code) in [
        (
            json!({"title": "new", "context": []}),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            json!({"title": "new", "keywords_attributes": [{"keyword": "fine"}, {"keyword": "", "whole_word": true}]}),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            json!({"title": "new", "keywords_attributes": [{"keyword": "fine"}, {"id": "12345", "_destroy": true}]}),
            StatusCode::NOT_FOUND,
        ),
    ] {
        let (answer, error) = put(&server, &alice, &path, body.clone()).await;
        assert_eq!(answer, code, "{body}: {error}");
    }
    let (_, unchanged) = get(&server, &alice, &path).await;
    assert_eq!(unchanged, filter);

    // Keywords and statuses one at a time refuse the same way.
    let keywords = format!("/api/v2/filters/{filter_id}/keywords");
    let (code, error) = post(&server, &alice, &keywords, json!({})).await;
    assert_eq!(code, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        error,
        json!({"error": "Validation failed: Keyword can't be blank"})
    );
    let (_, listed) = get(&server, &alice, &keywords).await;
    assert_eq!(listed, json!([]));
    let statuses = format!("/api/v2/filters/{filter_id}/statuses");
    for body in [
        json!({}),
        json!({"status_id": "999999"}),
        json!({"status_id": "nope"}),
    ] {
        let (code, error) = post(&server, &alice, &statuses, body).await;
        assert_eq!(code, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(
            error,
            json!({"error": "Validation failed: Status must exist"})
        );
    }
    let (_, listed) = get(&server, &alice, &statuses).await;
    assert_eq!(listed, json!([]));
    for path in [
        "/api/v2/filters/nope",
        "/api/v2/filters/keywords/1",
        "/api/v2/filters/statuses/1",
    ] {
        let (code, body) = get(&server, &alice, path).await;
        assert_eq!((code, body), (StatusCode::NOT_FOUND, not_found()), "{path}");
    }
    server.stop().await;
}

#[tokio::test]
async fn keywords_and_statuses_are_managed_one_at_a_time() {
    let instance = TestInstance::new().await;
    let server = instance.start().await;
    let (alice, _) = account(&server, "alice").await;
    let (bob, _) = account(&server, "bob").await;
    let filter = create_filter(
        &server,
        &alice,
        json!({"title": "Noise", "context": ["home"]}),
    )
    .await;
    let filter_id = id(&filter);
    let keywords = format!("/api/v2/filters/{filter_id}/keywords");

    let (code, first) = post(&server, &alice, &keywords, json!({"keyword": "crypto"})).await;
    assert_eq!(code, StatusCode::OK, "{first}");
    let first_id = id(&first);
    assert_eq!(
        first,
        json!({"id": first_id, "keyword": "crypto", "whole_word": true})
    );
    let (code, second) = form(
        &server,
        &alice,
        Method::POST,
        &keywords,
        "keyword=NFT&whole_word=false",
    )
    .await;
    assert_eq!(code, StatusCode::OK, "{second}");
    let second_id = id(&second);
    let (_, listed) = get(&server, &alice, &keywords).await;
    assert_eq!(listed, json!([first, second]));

    let one = format!("/api/v2/filters/keywords/{first_id}");
    let (code, shown) = get(&server, &alice, &one).await;
    assert_eq!((code, &shown), (StatusCode::OK, &first));
    let (code, changed) = put(&server, &alice, &one, json!({"whole_word": false})).await;
    assert_eq!(code, StatusCode::OK);
    assert_eq!(
        changed,
        json!({"id": first_id, "keyword": "crypto", "whole_word": false})
    );
    let (code, error) = put(&server, &alice, &one, json!({"keyword": ""})).await;
    assert_eq!(code, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        error,
        json!({"error": "Validation failed: Keyword can't be blank"})
    );
    let (_, shown) = get(&server, &alice, &one).await;
    assert_eq!(shown, changed, "a refused change writes nothing");
    let (code, deleted) = delete(&server, &alice, &one).await;
    assert_eq!((code, deleted), (StatusCode::OK, json!({})));
    let (code, body) = get(&server, &alice, &one).await;
    assert_eq!((code, body), (StatusCode::NOT_FOUND, not_found()));
    let (_, listed) = get(&server, &alice, &format!("/api/v2/filters/{filter_id}")).await;
    assert_eq!(ids(&listed["keywords"]), vec![second_id.clone()]);

    // Statuses: one the owner can see, once.
    let public = status(&server, &bob, json!({"status": "public noise"})).await;
    let private = status(
        &server,
        &bob,
        json!({"status": "followers only", "visibility": "private"}),
    )
    .await;
    let statuses = format!("/api/v2/filters/{filter_id}/statuses");
    let (code, added) = post(
        &server,
        &alice,
        &statuses,
        json!({"status_id": public["id"]}),
    )
    .await;
    assert_eq!(code, StatusCode::OK, "{added}");
    let added_id = id(&added);
    assert_eq!(added, json!({"id": added_id, "status_id": public["id"]}));
    let (code, error) = post(
        &server,
        &alice,
        &statuses,
        json!({"status_id": public["id"]}),
    )
    .await;
    assert_eq!(code, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        error,
        json!({"error": "Validation failed: Status has already been taken"})
    );
    // Alice does not follow bob, so his followers-only status is not hers to name.
    let (code, error) = form(
        &server,
        &alice,
        Method::POST,
        &statuses,
        &format!("status_id={}", private["id"].as_str().unwrap()),
    )
    .await;
    assert_eq!(code, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        error,
        json!({"error": "Validation failed: Status must exist"})
    );
    let (_, listed) = get(&server, &alice, &statuses).await;
    assert_eq!(listed, json!([added]));
    let (_, whole) = get(&server, &alice, &format!("/api/v2/filters/{filter_id}")).await;
    assert_eq!(whole["statuses"], json!([added]));

    let one = format!("/api/v2/filters/statuses/{added_id}");
    let (code, shown) = get(&server, &alice, &one).await;
    assert_eq!((code, &shown), (StatusCode::OK, &added));
    let (code, deleted) = delete(&server, &alice, &one).await;
    assert_eq!((code, deleted), (StatusCode::OK, json!({})));
    let (code, body) = get(&server, &alice, &one).await;
    assert_eq!((code, body), (StatusCode::NOT_FOUND, not_found()));
    let (_, listed) = get(&server, &alice, &statuses).await;
    assert_eq!(listed, json!([]));

    // Deleting the filter takes its keywords with it.
    let keyword = format!("/api/v2/filters/keywords/{second_id}");
    assert_eq!(get(&server, &alice, &keyword).await.0, StatusCode::OK);
    delete(&server, &alice, &format!("/api/v2/filters/{filter_id}")).await;
    let (code, body) = get(&server, &alice, &keyword).await;
    assert_eq!((code, body), (StatusCode::NOT_FOUND, not_found()));
    server.stop().await;
}

#[tokio::test]
async fn another_users_filters_are_not_found_and_stay_as_they_are() {
    let instance = TestInstance::new().await;
    let server = instance.start().await;
    let (alice, _) = account(&server, "alice").await;
    let (bob, _) = account(&server, "bob").await;
    let post_by_alice = status(&server, &alice, json!({"status": "mine"})).await;
    let filter = create_filter(
        &server,
        &alice,
        json!({"title": "Mine", "context": ["home"], "keywords_attributes": [{"keyword": "secret"}]}),
    )
    .await;
    let filter_id = id(&filter);
    let keyword_id = id(&filter["keywords"][0]);
    let (_, filtered_status) = post(
        &server,
        &alice,
        &format!("/api/v2/filters/{filter_id}/statuses"),
        json!({"status_id": post_by_alice["id"]}),
    )
    .await;
    let status_filter_id = id(&filtered_status);
    let (_, before) = get(&server, &alice, &format!("/api/v2/filters/{filter_id}")).await;

    let attempts = [
        (
            Method::GET,
            format!("/api/v2/filters/{filter_id}"),
            json!({}),
        ),
        (
            Method::PUT,
            format!("/api/v2/filters/{filter_id}"),
            json!({"title": "Bob's now"}),
        ),
        (
            Method::DELETE,
            format!("/api/v2/filters/{filter_id}"),
            json!({}),
        ),
        (
            Method::GET,
            format!("/api/v2/filters/{filter_id}/keywords"),
            json!({}),
        ),
        (
            Method::POST,
            format!("/api/v2/filters/{filter_id}/keywords"),
            json!({"keyword": "x"}),
        ),
        (
            Method::GET,
            format!("/api/v2/filters/keywords/{keyword_id}"),
            json!({}),
        ),
        (
            Method::PUT,
            format!("/api/v2/filters/keywords/{keyword_id}"),
            json!({"keyword": "x"}),
        ),
        (
            Method::DELETE,
            format!("/api/v2/filters/keywords/{keyword_id}"),
            json!({}),
        ),
        (
            Method::GET,
            format!("/api/v2/filters/{filter_id}/statuses"),
            json!({}),
        ),
        (
            Method::POST,
            format!("/api/v2/filters/{filter_id}/statuses"),
            json!({"status_id": post_by_alice["id"]}),
        ),
        (
            Method::GET,
            format!("/api/v2/filters/statuses/{status_filter_id}"),
            json!({}),
        ),
        (
            Method::DELETE,
            format!("/api/v2/filters/statuses/{status_filter_id}"),
            json!({}),
        ),
        (
            Method::GET,
            format!("/api/v1/filters/{keyword_id}"),
            json!({}),
        ),
        (
            Method::PUT,
            format!("/api/v1/filters/{keyword_id}"),
            json!({"phrase": "x"}),
        ),
        (
            Method::DELETE,
            format!("/api/v1/filters/{keyword_id}"),
            json!({}),
        ),
    ];
    for (method, path, body) in attempts {
        let (code, answer) = call(&server, &bob, method.clone(), &path, body).await;
        assert_eq!(
            (code, answer),
            (StatusCode::NOT_FOUND, not_found()),
            "{method} {path}"
        );
    }
    let (_, after) = get(&server, &alice, &format!("/api/v2/filters/{filter_id}")).await;
    assert_eq!(after, before);
    let (_, bobs) = get(&server, &bob, "/api/v2/filters").await;
    assert_eq!(bobs, json!([]));
    let (_, bobs) = get(&server, &bob, "/api/v1/filters").await;
    assert_eq!(bobs, json!([]));
    server.stop().await;
}

#[tokio::test]
async fn filter_endpoints_need_their_scopes() {
    let instance = TestInstance::new().await;
    let server = instance.start().await;
    let reader = instance.account_with_token("alice", "read:filters").await;
    let writer = instance.token("alice", "write:filters").await;
    let broad = instance.token("alice", "read write").await;
    let statuses_only = instance
        .token("alice", "read:statuses write:statuses")
        .await;

    let (code, filter) = post(
        &server,
        &writer,
        "/api/v2/filters",
        json!({"title": "t", "context": ["home"], "keywords_attributes": [{"keyword": "k"}]}),
    )
    .await;
    assert_eq!(code, StatusCode::OK, "{filter}");
    let filter_id = id(&filter);
    let keyword_id = id(&filter["keywords"][0]);
    let reads = [
        "/api/v2/filters".to_owned(),
        format!("/api/v2/filters/{filter_id}"),
        format!("/api/v2/filters/{filter_id}/keywords"),
        format!("/api/v2/filters/keywords/{keyword_id}"),
        format!("/api/v2/filters/{filter_id}/statuses"),
        "/api/v1/filters".to_owned(),
        format!("/api/v1/filters/{keyword_id}"),
    ];
    for path in &reads {
        assert_eq!(
            get(&server, &reader, path).await.0,
            StatusCode::OK,
            "{path}"
        );
        assert_eq!(get(&server, &broad, path).await.0, StatusCode::OK, "{path}");
        for token in [&writer, &statuses_only] {
            let (code, error) = get(&server, token, path).await;
            assert_eq!(code, StatusCode::FORBIDDEN, "{path}");
            assert_eq!(
                error,
                json!({"error": "This action is outside the authorized scopes"})
            );
        }
        let response = http().get(server.url(path)).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED, "{path}");
    }
    let writes = [
        (
            Method::POST,
            "/api/v2/filters".to_owned(),
            json!({"title": "u", "context": ["home"]}),
        ),
        (
            Method::PUT,
            format!("/api/v2/filters/{filter_id}"),
            json!({"title": "changed"}),
        ),
        (
            Method::POST,
            format!("/api/v2/filters/{filter_id}/keywords"),
            json!({"keyword": "x"}),
        ),
        (
            Method::PUT,
            format!("/api/v2/filters/keywords/{keyword_id}"),
            json!({"keyword": "y"}),
        ),
        (
            Method::POST,
            "/api/v1/filters".to_owned(),
            json!({"phrase": "p", "context": ["home"]}),
        ),
        (
            Method::PUT,
            format!("/api/v1/filters/{keyword_id}"),
            json!({"phrase": "z"}),
        ),
        (
            Method::DELETE,
            format!("/api/v1/filters/{keyword_id}"),
            json!({}),
        ),
        (
            Method::DELETE,
            format!("/api/v2/filters/{filter_id}"),
            json!({}),
        ),
    ];
    for (method, path, body) in &writes {
        for token in [&reader, &statuses_only] {
            let (code, _) = call(&server, token, method.clone(), path, body.clone()).await;
            assert_eq!(code, StatusCode::FORBIDDEN, "{method} {path}");
        }
    }
    let (_, unchanged) = get(&server, &reader, &format!("/api/v2/filters/{filter_id}")).await;
    assert_eq!(unchanged, filter, "refused writes wrote nothing");
    let (_, all) = get(&server, &reader, "/api/v2/filters").await;
    assert_eq!(ids(&all), vec![filter_id.clone()]);
    for (method, path, body) in &writes {
        let (code, answer) = call(&server, &broad, method.clone(), path, body.clone()).await;
        assert_eq!(code, StatusCode::OK, "{method} {path}: {answer}");
    }
    server.stop().await;
}

#[tokio::test]
async fn v1_filters_are_keywords_of_v2_filters() {
    let instance = TestInstance::new().await;
    let server = instance.start().await;
    let (alice, _) = account(&server, "alice").await;

    // A v1 filter becomes a v2 filter titled by its phrase, with that one keyword.
    let (code, v1) = form(
        &server,
        &alice,
        Method::POST,
        "/api/v1/filters",
        "phrase=Eurovision&context[]=home&context[]=notifications&irreversible=true&whole_word=false&expires_in=600",
    )
    .await;
    assert_eq!(code, StatusCode::OK, "{v1}");
    let keyword_id = id(&v1);
    let expires_at = v1["expires_at"].as_str().unwrap().to_owned();
    assert_eq!(
        v1,
        json!({
            "id": keyword_id,
            "phrase": "Eurovision",
            "context": ["home", "notifications"],
            "whole_word": false,
            "expires_at": expires_at,
            "irreversible": true,
        })
    );
    let (_, v2) = get(&server, &alice, "/api/v2/filters").await;
    assert_eq!(v2.as_array().unwrap().len(), 1);
    let filter_id = id(&v2[0]);
    assert_eq!(
        v2[0],
        json!({
            "id": filter_id,
            "title": "Eurovision",
            "context": ["home", "notifications"],
            "expires_at": expires_at,
            "filter_action": "hide",
            "keywords": [{"id": keyword_id, "keyword": "Eurovision", "whole_word": false}],
            "statuses": [],
        })
    );
    let (code, shown) = get(&server, &alice, &format!("/api/v1/filters/{keyword_id}")).await;
    assert_eq!((code, &shown), (StatusCode::OK, &v1));

    // Defaults: not irreversible (warn), whole words, never expires.
    let (code, plain) = post(
        &server,
        &alice,
        "/api/v1/filters",
        json!({"phrase": "cricket", "context": ["public"]}),
    )
    .await;
    assert_eq!(code, StatusCode::OK, "{plain}");
    assert_eq!(plain["irreversible"], false);
    assert_eq!(plain["whole_word"], true);
    assert_eq!(plain["expires_at"], Value::Null);

    // Changing a lone keyword's filter through v1 is fine, and the title follows the phrase.
    let (code, changed) = put(
        &server,
        &alice,
        &format!("/api/v1/filters/{}", id(&plain)),
        json!({"phrase": "rugby", "context": ["public", "thread"], "irreversible": true}),
    )
    .await;
    assert_eq!(code, StatusCode::OK, "{changed}");
    assert_eq!(changed["phrase"], "rugby");
    assert_eq!(changed["context"], json!(["public", "thread"]));
    assert_eq!(changed["irreversible"], true);
    let plain_filter = get(&server, &alice, "/api/v2/filters").await.1[1].clone();
    assert_eq!(plain_filter["title"], "rugby");
    assert_eq!(plain_filter["filter_action"], "hide");

    // A v2 filter with two keywords is two v1 filters sharing its settings.
    let shared = create_filter(
        &server,
        &alice,
        json!({
            "title": "Sport",
            "context": ["home"],
            "filter_action": "blur",
            "keywords_attributes": [{"keyword": "football"}, {"keyword": "tennis", "whole_word": false}],
        }),
    )
    .await;
    let football = id(&shared["keywords"][0]);
    let tennis = id(&shared["keywords"][1]);
    let (_, listed) = get(&server, &alice, "/api/v1/filters").await;
    assert_eq!(
        ids(&listed),
        vec![
            keyword_id.clone(),
            id(&plain),
            football.clone(),
            tennis.clone()
        ]
    );
    assert_eq!(
        listed[3],
        json!({
            "id": tennis,
            "phrase": "tennis",
            "context": ["home"],
            "whole_word": false,
            "expires_at": null,
            "irreversible": false,
        })
    );
    // Through v1, the shared settings cannot change; the keyword itself can.
    for body in [
        json!({"context": ["public"]}),
        json!({"irreversible": true}),
        json!({"expires_in": 60}),
    ] {
        let (code, error) = put(
            &server,
            &alice,
            &format!("/api/v1/filters/{football}"),
            body.clone(),
        )
        .await;
        assert_eq!(code, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert_eq!(
            error,
            json!({"error": "These parameters cannot be changed from this application because they apply to more than one filter keyword. Use a more recent application or the web interface."})
        );
    }
    let (code, changed) = put(
        &server,
        &alice,
        &format!("/api/v1/filters/{football}"),
        json!({"phrase": "soccer", "whole_word": false, "context": ["home"]}),
    )
    .await;
    assert_eq!(code, StatusCode::OK, "{changed}");
    assert_eq!(
        (changed["phrase"].clone(), changed["whole_word"].clone()),
        (json!("soccer"), json!(false))
    );
    let (_, shared_now) = get(&server, &alice, &format!("/api/v2/filters/{}", id(&shared))).await;
    assert_eq!(shared_now["title"], "Sport");
    assert_eq!(shared_now["context"], json!(["home"]));
    assert_eq!(shared_now["filter_action"], "blur");
    assert_eq!(shared_now["keywords"][0]["keyword"], "soccer");

    // Deleting a v1 filter deletes the keyword only.
    let (code, deleted) = delete(&server, &alice, &format!("/api/v1/filters/{football}")).await;
    assert_eq!((code, deleted), (StatusCode::OK, json!({})));
    let (_, shared_now) = get(&server, &alice, &format!("/api/v2/filters/{}", id(&shared))).await;
    assert_eq!(ids(&shared_now["keywords"]), vec![tennis.clone()]);
    let (code, body) = get(&server, &alice, &format!("/api/v1/filters/{football}")).await;
    assert_eq!((code, body), (StatusCode::NOT_FOUND, not_found()));

    // Refusals write nothing.
    let (_, before) = get(&server, &alice, "/api/v1/filters").await;
    for (body, message) in [
        (
            json!({"context": ["home"]}),
            "Validation failed: Phrase can't be blank",
        ),
        (
            json!({"phrase": "p"}),
            "Validation failed: Context can't be blank, Context None or invalid context supplied",
        ),
        (
            json!({"phrase": "p", "context": ["everywhere"]}),
            "Validation failed: Context None or invalid context supplied",
        ),
    ] {
        let (code, error) = post(&server, &alice, "/api/v1/filters", body.clone()).await;
        assert_eq!(code, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert_eq!(error, json!({"error": message}));
    }
    let (code, error) = put(
        &server,
        &alice,
        &format!("/api/v1/filters/{tennis}"),
        json!({"phrase": " "}),
    )
    .await;
    assert_eq!(code, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        error,
        json!({"error": "Validation failed: Phrase can't be blank"})
    );
    let (_, after) = get(&server, &alice, "/api/v1/filters").await;
    assert_eq!(after, before);
    server.stop().await;
}

#[tokio::test]
async fn keywords_match_text_content_warnings_poll_options_and_media_descriptions_case_insensitively()
 {
    let instance = TestInstance::new().await;
    let server = instance.start().await;
    let (alice, _) = account(&server, "alice").await;
    let (bob, _) = account(&server, "bob").await;

    let cats = status(&server, &bob, json!({"status": "I love CATS"})).await;
    let concatenate = status(&server, &bob, json!({"status": "concatenate the strings"})).await;
    let spoiler = status(
        &server,
        &bob,
        json!({"status": "he dies", "spoiler_text": "Spoilers for DUNE"}),
    )
    .await;
    let poll = status(
        &server,
        &bob,
        json!({"status": "Best book?", "poll": {"options": ["Dune", "Foundation"], "expires_in": 600}}),
    )
    .await;
    let nothing = status(&server, &bob, json!({"status": "nothing to see"})).await;
    let media_id = upload_photo(&server, &bob, "Sand dunes at dusk; a Dune poster").await;
    let photo = status(
        &server,
        &bob,
        json!({"status": "holiday", "media_ids": [media_id]}),
    )
    .await;

    let substring = create_filter(
        &server,
        &alice,
        json!({"title": "Cats", "context": ["public"], "keywords_attributes": [{"keyword": "cat", "whole_word": false}]}),
    )
    .await;
    let whole = create_filter(
        &server,
        &alice,
        json!({"title": "Whole cats", "context": ["public"], "keywords_attributes": [{"keyword": "Cats", "whole_word": true}]}),
    )
    .await;
    let dune = create_filter(
        &server,
        &alice,
        json!({"title": "Dune", "context": ["home"], "filter_action": "warn", "keywords_attributes": [{"keyword": "dune"}]}),
    )
    .await;

    let (code, public) = get(&server, &alice, "/api/v1/timelines/public?limit=40").await;
    assert_eq!(code, StatusCode::OK);
    let filtered_titles = |status: &Value| -> Vec<String> {
        let status = find(&public, status["id"].as_str().unwrap())
            .unwrap_or_else(|| panic!("{status} listed"));
        status["filtered"]
            .as_array()
            .unwrap()
            .iter()
            .map(|result| result["filter"]["title"].as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(filtered_titles(&cats), vec!["Cats", "Whole cats"]);
    assert_eq!(
        filtered_titles(&concatenate),
        vec!["Cats"],
        "whole words only"
    );
    // Every active filter is listed whatever the context; clients pick theirs.
    assert_eq!(filtered_titles(&spoiler), vec!["Dune"]);
    assert_eq!(filtered_titles(&poll), vec!["Dune"]);
    assert_eq!(filtered_titles(&photo), vec!["Dune"]);
    assert_eq!(filtered_titles(&nothing), Vec::<String>::new());

    // The shape of a FilterResult: the filter without its rules, the text matched as written.
    let cats_listed = find(&public, cats["id"].as_str().unwrap()).unwrap();
    assert_eq!(
        cats_listed["filtered"][0],
        json!({
            "filter": {
                "id": substring["id"],
                "title": "Cats",
                "context": ["public"],
                "expires_at": null,
                "filter_action": "warn",
            },
            "keyword_matches": ["CAT"],
            "status_matches": null,
        })
    );
    assert_eq!(cats_listed["filtered"][1]["filter"]["id"], whole["id"]);
    assert_eq!(
        cats_listed["filtered"][1]["keyword_matches"],
        json!(["CATS"])
    );
    let spoiler_listed = find(&public, spoiler["id"].as_str().unwrap()).unwrap();
    assert_eq!(spoiler_listed["filtered"][0]["filter"]["id"], dune["id"]);
    assert_eq!(
        spoiler_listed["filtered"][0]["keyword_matches"],
        json!(["DUNE"])
    );
    let photo_listed = find(&public, photo["id"].as_str().unwrap()).unwrap();
    assert_eq!(
        photo_listed["filtered"][0]["keyword_matches"],
        json!(["Dune"]),
        "\"dunes\" is not the whole word"
    );

    // The same on a status read alone, and nothing at all for strangers.
    let (_, alone) = get(
        &server,
        &alice,
        &format!("/api/v1/statuses/{}", cats["id"].as_str().unwrap()),
    )
    .await;
    assert_eq!(alone["filtered"], cats_listed["filtered"]);
    let (_, alone) = get(
        &server,
        &alice,
        &format!("/api/v1/statuses/{}", nothing["id"].as_str().unwrap()),
    )
    .await;
    assert_eq!(alone["filtered"], json!([]));
    let anonymous: Value = http()
        .get(server.url("/api/v1/timelines/public"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let anonymous_cats = find(&anonymous, cats["id"].as_str().unwrap()).unwrap();
    assert!(anonymous_cats.get("filtered").is_none(), "{anonymous_cats}");
    // Other users' filters are theirs alone.
    let (_, bobs_view) = get(&server, &bob, "/api/v1/timelines/public").await;
    assert_eq!(
        find(&bobs_view, cats["id"].as_str().unwrap()).unwrap()["filtered"],
        json!([])
    );
    server.stop().await;
}

#[tokio::test]
async fn filtered_statuses_match_by_id_and_reblogs_through_their_original() {
    let instance = TestInstance::new().await;
    let server = instance.start().await;
    let (alice, _) = account(&server, "alice").await;
    let (bob, bob_id) = account(&server, "bob").await;
    let (carol, carol_id) = account(&server, "carol").await;
    let original = status(&server, &bob, json!({"status": "an ordinary post"})).await;
    let original_id = original["id"].as_str().unwrap().to_owned();
    let (code, reblog) = post(
        &server,
        &carol,
        &format!("/api/v1/statuses/{original_id}/reblog"),
        json!({}),
    )
    .await;
    assert_eq!(code, StatusCode::OK, "{reblog}");
    let other = status(&server, &bob, json!({"status": "another ordinary post"})).await;

    let filter = create_filter(
        &server,
        &alice,
        json!({"title": "This one", "context": ["account"]}),
    )
    .await;
    let (_, named) = post(
        &server,
        &alice,
        &format!("/api/v2/filters/{}/statuses", id(&filter)),
        json!({"status_id": original_id}),
    )
    .await;
    assert_eq!(named["status_id"], original_id.as_str());

    let (_, bobs) = get(
        &server,
        &alice,
        &format!("/api/v1/accounts/{bob_id}/statuses"),
    )
    .await;
    assert_eq!(
        find(&bobs, &original_id).unwrap()["filtered"],
        json!([{
            "filter": {"id": filter["id"], "title": "This one", "context": ["account"], "expires_at": null, "filter_action": "warn"},
            "keyword_matches": null,
            "status_matches": [original_id],
        }])
    );
    assert_eq!(
        find(&bobs, other["id"].as_str().unwrap()).unwrap()["filtered"],
        json!([]),
        "a filter with statuses names only those"
    );
    // Carol's reblog of it matches through the original, and carries the result on both.
    let (_, carols) = get(
        &server,
        &alice,
        &format!("/api/v1/accounts/{carol_id}/statuses"),
    )
    .await;
    let listed = find(&carols, reblog["id"].as_str().unwrap()).unwrap();
    assert_eq!(
        listed["filtered"][0]["status_matches"],
        json!([original_id])
    );
    assert_eq!(listed["reblog"]["filtered"], listed["filtered"]);
    server.stop().await;
}

#[tokio::test]
async fn hide_takes_statuses_out_where_the_filter_applies_and_never_hides_ones_own() {
    let instance = TestInstance::new().await;
    let server = instance.start().await;
    let (alice, alice_id) = account(&server, "alice").await;
    let (bob, bob_id) = account(&server, "bob").await;
    let (carol, carol_id) = account(&server, "carol").await;
    follow(&server, &alice, &bob_id).await;
    follow(&server, &alice, &carol_id).await;

    let root = status(&server, &bob, json!({"status": "a thread about #plans"})).await;
    let root_id = root["id"].as_str().unwrap().to_owned();
    let secret = status(
        &server,
        &bob,
        json!({"status": "Secret #plans", "in_reply_to_id": root_id}),
    )
    .await;
    let secret_id = secret["id"].as_str().unwrap().to_owned();
    let plain = status(
        &server,
        &bob,
        json!({"status": "plain #plans", "in_reply_to_id": root_id}),
    )
    .await;
    let plain_id = plain["id"].as_str().unwrap().to_owned();
    let (_, reblog) = post(
        &server,
        &carol,
        &format!("/api/v1/statuses/{secret_id}/reblog"),
        json!({}),
    )
    .await;
    let reblog_id = reblog["id"].as_str().unwrap().to_owned();
    let own = status(&server, &alice, json!({"status": "my own secret"})).await;
    let own_id = own["id"].as_str().unwrap().to_owned();
    let mention = status(&server, &bob, json!({"status": "@alice a secret for you"})).await;
    let hello = status(&server, &bob, json!({"status": "@alice hello"})).await;
    await_home(
        &server,
        &alice,
        &[&root_id, &secret_id, &plain_id, &reblog_id, &own_id],
    )
    .await;

    // Hidden at home; warned about in public timelines.
    let home_filter = create_filter(
        &server,
        &alice,
        json!({"title": "Secrets", "context": ["home", "thread", "notifications"], "filter_action": "hide", "keywords_attributes": [{"keyword": "secret"}]}),
    )
    .await;

    let (_, home) = get(&server, &alice, "/api/v1/timelines/home?limit=40").await;
    assert!(find(&home, &secret_id).is_none(), "hidden at home");
    assert!(
        find(&home, &reblog_id).is_none(),
        "a reblog is hidden through its original"
    );
    assert!(find(&home, &plain_id).is_some());
    assert_eq!(find(&home, &plain_id).unwrap()["filtered"], json!([]));
    let own_listed = find(&home, &own_id).expect("one's own statuses are never hidden");
    assert_eq!(own_listed["filtered"], json!([]));

    // Outside its contexts the status stays, marked, and clients leave it be.
    let (_, public) = get(&server, &alice, "/api/v1/timelines/public?limit=40").await;
    let listed = find(&public, &secret_id).expect("public is not a context of the filter");
    assert_eq!(listed["filtered"][0]["filter"]["id"], home_filter["id"]);
    assert_eq!(listed["filtered"][0]["filter"]["filter_action"], "hide");
    assert_eq!(listed["filtered"][0]["keyword_matches"], json!(["Secret"]));
    let (_, tagged) = get(&server, &alice, "/api/v1/timelines/tag/plans").await;
    assert!(find(&tagged, &secret_id).is_some());
    let (_, bobs) = get(
        &server,
        &alice,
        &format!("/api/v1/accounts/{bob_id}/statuses"),
    )
    .await;
    assert!(find(&bobs, &secret_id).is_some());
    let (code, alone) = get(&server, &alice, &format!("/api/v1/statuses/{secret_id}")).await;
    assert_eq!(code, StatusCode::OK, "a status read alone is never hidden");
    assert_eq!(alone["filtered"][0]["filter"]["id"], home_filter["id"]);

    // In the thread, the hidden reply is gone and the other stays.
    let (_, context) = get(
        &server,
        &alice,
        &format!("/api/v1/statuses/{root_id}/context"),
    )
    .await;
    assert_eq!(ids(&context["descendants"]), vec![plain_id.clone()]);
    let (_, context) = get(
        &server,
        &alice,
        &format!("/api/v1/statuses/{plain_id}/context"),
    )
    .await;
    assert_eq!(ids(&context["ancestors"]), vec![root_id.clone()]);

    // Notifications about hidden statuses are left out, in both notification APIs.
    let (_, notifications) = get(&server, &alice, "/api/v1/notifications").await;
    let about: Vec<&Value> = notifications
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|notification| notification.get("status"))
        .map(|status| &status["id"])
        .collect();
    assert!(about.contains(&&hello["id"]), "{notifications}");
    assert!(!about.contains(&&mention["id"]), "{notifications}");
    let (_, grouped) = get(&server, &alice, "/api/v2/notifications").await;
    let grouped_ids: Vec<&Value> = grouped["statuses"]
        .as_array()
        .unwrap()
        .iter()
        .map(|status| &status["id"])
        .collect();
    assert!(
        grouped_ids.contains(&&hello["id"]) && !grouped_ids.contains(&&mention["id"]),
        "{grouped}"
    );

    // Paging goes on past hidden statuses: a page of one hidden status is empty, but its Link
    // leads on.
    let response = http()
        .get(server.url(&format!("/api/v1/timelines/home?limit=1&max_id={plain_id}")))
        .bearer_auth(&alice)
        .send()
        .await
        .unwrap();
    let link = response.headers()["link"].to_str().unwrap().to_owned();
    let page: Value = response.json().await.unwrap();
    assert_eq!(page, json!([]), "the only status of the page is hidden");
    assert!(link.contains(&format!("max_id={secret_id}")), "{link}");
    let (_, next) = get(
        &server,
        &alice,
        &format!("/api/v1/timelines/home?limit=1&max_id={secret_id}"),
    )
    .await;
    assert_eq!(ids(&next), vec![root_id.clone()]);

    // Warn keeps them, marked; and nothing is hidden once the filter is gone.
    put(
        &server,
        &alice,
        &format!("/api/v2/filters/{}", id(&home_filter)),
        json!({"filter_action": "warn"}),
    )
    .await;
    let (_, home) = get(&server, &alice, "/api/v1/timelines/home?limit=40").await;
    assert_eq!(
        find(&home, &secret_id).unwrap()["filtered"][0]["filter"]["filter_action"],
        "warn"
    );
    assert_eq!(
        find(&home, &reblog_id).unwrap()["filtered"][0]["filter"]["id"],
        home_filter["id"]
    );
    assert_eq!(
        find(&home, &reblog_id).unwrap()["reblog"]["filtered"][0]["filter"]["id"],
        home_filter["id"]
    );
    delete(
        &server,
        &alice,
        &format!("/api/v2/filters/{}", id(&home_filter)),
    )
    .await;
    let (_, home) = get(&server, &alice, "/api/v1/timelines/home?limit=40").await;
    assert_eq!(find(&home, &secret_id).unwrap()["filtered"], json!([]));

    // The account and public contexts hide there too.
    create_filter(
        &server,
        &alice,
        json!({"title": "Elsewhere", "context": ["account", "public"], "filter_action": "hide", "keywords_attributes": [{"keyword": "secret"}]}),
    )
    .await;
    let (_, bobs) = get(
        &server,
        &alice,
        &format!("/api/v1/accounts/{bob_id}/statuses"),
    )
    .await;
    assert!(find(&bobs, &secret_id).is_none() && find(&bobs, &plain_id).is_some());
    let (_, public) = get(&server, &alice, "/api/v1/timelines/public?limit=40").await;
    assert!(find(&public, &secret_id).is_none() && find(&public, &plain_id).is_some());
    let (_, tagged) = get(&server, &alice, "/api/v1/timelines/tag/plans").await;
    assert!(find(&tagged, &secret_id).is_none() && find(&tagged, &plain_id).is_some());
    let (_, mine) = get(
        &server,
        &alice,
        &format!("/api/v1/accounts/{alice_id}/statuses"),
    )
    .await;
    assert!(
        find(&mine, &own_id).is_some(),
        "one's own profile is never filtered"
    );
    server.stop().await;
}

#[tokio::test]
async fn expired_filters_no_longer_apply_until_extended() {
    let instance = TestInstance::new().await;
    let server = instance.start().await;
    let (alice, _) = account(&server, "alice").await;
    let (bob, _) = account(&server, "bob").await;
    let posted = status(&server, &bob, json!({"status": "Weather report"})).await;
    let posted_id = posted["id"].as_str().unwrap().to_owned();
    let filter = create_filter(
        &server,
        &alice,
        json!({"title": "Weather", "context": ["public"], "filter_action": "hide", "expires_in": 3600, "keywords_attributes": [{"keyword": "weather"}]}),
    )
    .await;
    let path = format!("/api/v2/filters/{}", id(&filter));
    let (_, public) = get(&server, &alice, "/api/v1/timelines/public").await;
    assert!(find(&public, &posted_id).is_none());

    let (code, soon) = put(&server, &alice, &path, json!({"expires_in": 1})).await;
    assert_eq!(code, StatusCode::OK);
    assert!(soon["expires_at"].is_string());
    eventually(Duration::from_secs(10), "the filter to expire", || async {
        let (_, public) = get(&server, &alice, "/api/v1/timelines/public").await;
        find(&public, &posted_id)
            .map(|status| status["filtered"].clone())
            .filter(|filtered| *filtered == json!([]))
    })
    .await;
    // An expired filter is kept, and applies again once extended.
    let (_, kept) = get(&server, &alice, &path).await;
    assert_eq!(kept["title"], "Weather");
    let (code, extended) = form(&server, &alice, Method::PUT, &path, "expires_in=").await;
    assert_eq!(code, StatusCode::OK);
    assert_eq!(extended["expires_at"], Value::Null);
    let (_, public) = get(&server, &alice, "/api/v1/timelines/public").await;
    assert!(find(&public, &posted_id).is_none());
    server.stop().await;
}

type Socket =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

async fn connect(server: &TestServer, token: &str, stream: &str) -> Socket {
    let url = format!(
        "{}/api/v1/streaming?stream={stream}&access_token={token}",
        server.base_url.replace("http://", "ws://")
    );
    tokio_tungstenite::connect_async(url).await.unwrap().0
}

/// The next text message, failing after a few seconds.
async fn next_message(socket: &mut Socket) -> Value {
    tokio::time::timeout(Duration::from_secs(15), async {
        loop {
            if let Message::Text(text) = socket.next().await.unwrap().unwrap() {
                return serde_json::from_str::<Value>(&text).unwrap();
            }
        }
    })
    .await
    .expect("a message")
}

/// Asserts that nothing arrives for a moment.
async fn assert_quiet(socket: &mut Socket) {
    let next = tokio::time::timeout(Duration::from_millis(700), async {
        loop {
            if let Message::Text(text) = socket.next().await.unwrap().unwrap() {
                return text.to_string();
            }
        }
    })
    .await;
    assert!(next.is_err(), "unexpected message: {next:?}");
}

fn payload(message: &Value) -> Value {
    serde_json::from_str(message["payload"].as_str().unwrap()).unwrap()
}

#[tokio::test]
async fn streams_announce_filter_changes_and_filter_what_they_deliver() {
    let instance = TestInstance::new().await;
    let server = instance.start().await;
    let (alice, _) = account(&server, "alice").await;
    let (bob, _) = account(&server, "bob").await;
    let mut alice_user = connect(&server, &alice, "user").await;
    let mut bob_user = connect(&server, &bob, "user").await;

    // Every change to a filter, keyword or status filter, on the owner's stream only.
    let filter = create_filter(
        &server,
        &alice,
        json!({"title": "Secrets", "context": ["public", "notifications"], "filter_action": "hide", "keywords_attributes": [{"keyword": "secret"}]}),
    )
    .await;
    let message = next_message(&mut alice_user).await;
    assert_eq!(
        message,
        json!({"stream": ["user"], "event": "filters_changed"})
    );
    let filter_path = format!("/api/v2/filters/{}", id(&filter));
    let warn = create_filter(
        &server,
        &alice,
        json!({"title": "Heads up", "context": ["public"], "keywords_attributes": [{"keyword": "heads"}]}),
    )
    .await;
    assert_eq!(
        next_message(&mut alice_user).await["event"],
        "filters_changed"
    );
    let keyword = post(
        &server,
        &alice,
        &format!("{filter_path}/keywords"),
        json!({"keyword": "hush"}),
    )
    .await
    .1;
    assert_eq!(
        next_message(&mut alice_user).await["event"],
        "filters_changed"
    );
    put(
        &server,
        &alice,
        &format!("/api/v2/filters/keywords/{}", id(&keyword)),
        json!({"keyword": "shh"}),
    )
    .await;
    assert_eq!(
        next_message(&mut alice_user).await["event"],
        "filters_changed"
    );
    delete(
        &server,
        &alice,
        &format!("/api/v2/filters/keywords/{}", id(&keyword)),
    )
    .await;
    assert_eq!(
        next_message(&mut alice_user).await["event"],
        "filters_changed"
    );
    let own = status(&server, &alice, json!({"status": "mine"})).await;
    assert_eq!(next_message(&mut alice_user).await["event"], "update");
    let named = post(
        &server,
        &alice,
        &format!("{filter_path}/statuses"),
        json!({"status_id": own["id"]}),
    )
    .await
    .1;
    assert_eq!(
        next_message(&mut alice_user).await["event"],
        "filters_changed"
    );
    delete(
        &server,
        &alice,
        &format!("/api/v2/filters/statuses/{}", id(&named)),
    )
    .await;
    assert_eq!(
        next_message(&mut alice_user).await["event"],
        "filters_changed"
    );
    put(
        &server,
        &alice,
        &filter_path,
        json!({"title": "Secret things"}),
    )
    .await;
    assert_eq!(
        next_message(&mut alice_user).await["event"],
        "filters_changed"
    );
    post(
        &server,
        &alice,
        "/api/v1/filters",
        json!({"phrase": "v1", "context": ["home"]}),
    )
    .await;
    assert_eq!(
        next_message(&mut alice_user).await["event"],
        "filters_changed"
    );
    assert_quiet(&mut bob_user).await;

    // Public updates: hidden ones never arrive; warned ones carry `filtered`.
    let mut alice_public = connect(&server, &alice, "public:local").await;
    status(&server, &bob, json!({"status": "a secret"})).await;
    let heads = status(&server, &bob, json!({"status": "heads up"})).await;
    let update = next_message(&mut alice_public).await;
    assert_eq!(update["event"], "update");
    let update = payload(&update);
    assert_eq!(update["id"], heads["id"], "the hidden status never arrived");
    assert_eq!(update["filtered"][0]["filter"]["id"], warn["id"]);
    assert_eq!(update["filtered"][0]["keyword_matches"], json!(["heads"]));

    // Notifications about hidden statuses are not delivered either.
    status(&server, &bob, json!({"status": "@alice another secret"})).await;
    let hello = status(&server, &bob, json!({"status": "@alice hello"})).await;
    let notification = next_message(&mut alice_user).await;
    assert_eq!(notification["event"], "notification");
    assert_eq!(payload(&notification)["status"]["id"], hello["id"]);

    // Server-sent events carry filters_changed too, with Mastodon's `undefined` data.
    let mut events = http()
        .get(server.url("/api/v1/streaming/user"))
        .bearer_auth(&alice)
        .send()
        .await
        .unwrap();
    delete(&server, &alice, &filter_path).await;
    let mut received = String::new();
    tokio::time::timeout(Duration::from_secs(15), async {
        while !received.contains("event: filters_changed") || !received.contains("\n\n") {
            let chunk = events.chunk().await.unwrap().unwrap();
            received.push_str(&String::from_utf8_lossy(&chunk));
        }
    })
    .await
    .unwrap();
    assert!(
        received.contains("event: filters_changed\ndata: undefined\n"),
        "{received}"
    );
    server.stop().await;
}
