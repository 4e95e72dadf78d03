//! Scheduled statuses through the client API (`methods/scheduled_statuses.md`): scheduling with
//! `POST /api/v1/statuses`, listing, reading, moving and cancelling, Mastodon's rules and
//! limits, scopes, and publication by the job queue.
//!
//! A status is scheduled five minutes ahead at least, too long to wait for. The tests publish
//! early with `woolly.statuses().publish_scheduled_status_now`, the operator's action, which moves the
//! time and the job to now and lets the job queue do the rest: the same
//! `status.publish_scheduled` job and handler as a status published on time.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::collections::BTreeSet;
use std::time::Duration;

use common::{TestInstance, TestServer, TestUser as User, eventually, http, user};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use woolly_api::entities::iso8601;
use woolly_core::scheduled::{PUBLISH_SCHEDULED_KIND, PublishScheduled, parse_datetime};
use woolly_store::JobState;

const MINUTE: i64 = 60 * 1000;
const HOUR: i64 = 60 * MINUTE;
const DAY: i64 = 24 * HOUR;
const PASSWORD: &str = "a long enough password";

/// A user holding `token`.
async fn user_with(token: String, server: &TestServer) -> User {
    let (code, me) = get(server, &token, "/api/v1/accounts/verify_credentials").await;
    assert_eq!(code, StatusCode::OK, "{me}");
    User {
        token,
        id: me["id"].as_str().unwrap().to_owned(),
    }
}

/// A user whose token belongs to an application (`Test Client`), as apps' tokens do; returns
/// the application's id too.
async fn app_user(instance: &TestInstance, server: &TestServer, name: &str) -> (User, String) {
    instance.account_with_token(name, "read").await;
    let response = http()
        .post(server.url("/api/v1/apps"))
        .form(&[
            ("client_name", "Test Client"),
            ("redirect_uris", "urn:ietf:wg:oauth:2.0:oob"),
            ("scopes", "read write follow"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let app: Value = response.json().await.unwrap();
    let email = format!("{name}@example.org");
    let response = http()
        .post(server.url("/oauth/token"))
        .form(&[
            ("grant_type", "password"),
            ("client_id", app["client_id"].as_str().unwrap()),
            ("client_secret", app["client_secret"].as_str().unwrap()),
            ("username", email.as_str()),
            ("password", PASSWORD),
            ("scope", "read write follow"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let token: Value = response.json().await.unwrap();
    let user = user_with(token["access_token"].as_str().unwrap().to_owned(), server).await;
    (user, app["id"].as_str().unwrap().to_owned())
}

/// Sends a JSON body (none for GET) and returns the status and the JSON answer.
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
    call(server, token, Method::DELETE, path, json!({})).await
}

async fn post_form(
    server: &TestServer,
    token: &str,
    path: &str,
    form: &str,
) -> (StatusCode, Value) {
    let response = http()
        .post(server.url(path))
        .bearer_auth(token)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(form.to_owned())
        .send()
        .await
        .unwrap();
    (
        response.status(),
        response.json().await.unwrap_or(Value::Null),
    )
}

/// Schedules a status and returns the ScheduledStatus.
async fn schedule(server: &TestServer, user: &User, body: Value) -> Value {
    let (code, scheduled) = post(server, &user.token, "/api/v1/statuses", body).await;
    assert_eq!(code, StatusCode::OK, "{scheduled}");
    assert!(scheduled["params"].is_object(), "{scheduled}");
    scheduled
}

/// Every scheduled status of the user, following the `Link` header page by page.
async fn all_scheduled(server: &TestServer, user: &User) -> Vec<Value> {
    let mut found = Vec::new();
    let mut url = server.url("/api/v1/scheduled_statuses?limit=40");
    loop {
        let response = http()
            .get(&url)
            .bearer_auth(&user.token)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::OK);
        let next = next_link(&response);
        let page: Vec<Value> = response.json().await.unwrap();
        if page.is_empty() {
            return found;
        }
        found.extend(page);
        // The links name the instance's domain; the server listens elsewhere.
        url = server.url(&path_of(&next.expect("a next link")));
    }
}

fn links(response: &reqwest::Response) -> String {
    response
        .headers()
        .get("link")
        .map(|value| value.to_str().unwrap().to_owned())
        .unwrap_or_default()
}

fn next_link(response: &reqwest::Response) -> Option<String> {
    link_of(&links(response), "next")
}

fn link_of(header: &str, rel: &str) -> Option<String> {
    header
        .split(", ")
        .find(|link| link.ends_with(&format!("rel=\"{rel}\"")))
        .map(|link| link[1..link.find('>').unwrap()].to_owned())
}

fn path_of(url: &str) -> String {
    let without_scheme = url.split_once("://").unwrap().1;
    without_scheme[without_scheme.find('/').unwrap()..].to_owned()
}

async fn statuses_count(server: &TestServer, user: &User) -> i64 {
    let (_, me) = get(server, &user.token, "/api/v1/accounts/verify_credentials").await;
    me["statuses_count"].as_i64().unwrap()
}

async fn job_count(server: &TestServer, state: JobState) -> i64 {
    server
        .woolly
        .jobs()
        .job_counts()
        .await
        .unwrap()
        .into_iter()
        .filter(|count| count.kind == PUBLISH_SCHEDULED_KIND && count.state == state)
        .map(|count| count.count)
        .sum()
}

/// A small PNG uploaded as the user; returns the attachment's id.
async fn upload(server: &TestServer, user: &User) -> String {
    let image = image::RgbImage::from_fn(8, 6, |x, y| image::Rgb([x as u8 * 30, y as u8 * 40, 90]));
    let mut bytes = Vec::new();
    image::DynamicImage::ImageRgb8(image)
        .write_to(
            &mut std::io::Cursor::new(&mut bytes),
            image::ImageFormat::Png,
        )
        .unwrap();
    let form = reqwest::multipart::Form::new().part(
        "file",
        reqwest::multipart::Part::bytes(bytes)
            .file_name("tiny.png")
            .mime_str("image/png")
            .unwrap(),
    );
    let response = http()
        .post(server.url("/api/v2/media"))
        .bearer_auth(&user.token)
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let media: Value = response.json().await.unwrap();
    media["id"].as_str().unwrap().to_owned()
}

fn millis_of(at: &Value) -> i64 {
    parse_datetime(at.as_str().unwrap()).unwrap()
}

/// Noon UTC, `days` days from today, "today" being the day this function was first called in
/// this process: a test that runs across midnight UTC still means the same days by the same
/// numbers (the 25 posts of "tomorrow" all fall on one day), and `noon_in(1)` stays more than
/// 11 hours ahead.
fn noon_in(days: i64) -> i64 {
    static TODAY: std::sync::OnceLock<i64> = std::sync::OnceLock::new();
    let today = *TODAY.get_or_init(|| {
        let now = woolly_core::now_millis();
        now - now.rem_euclid(DAY)
    });
    today + days * DAY + 12 * HOUR
}

async fn publish_now(server: &TestServer, id: &str) {
    assert!(
        server
            .woolly
            .statuses()
            .publish_scheduled_status_now(id.parse().unwrap())
            .await
            .unwrap()
    );
}

/// Waits until the scheduled status is gone (published or dropped).
async fn wait_until_gone(server: &TestServer, user: &User, id: &str) {
    eventually(
        Duration::from_secs(15),
        "the scheduled status to go",
        || async {
            let (code, _) = get(
                server,
                &user.token,
                &format!("/api/v1/scheduled_statuses/{id}"),
            )
            .await;
            (code == StatusCode::NOT_FOUND).then_some(())
        },
    )
    .await;
}

#[tokio::test]
async fn scheduling_answers_with_a_scheduled_status_in_mastodon_shape_and_posts_nothing() {
    let instance = TestInstance::new().await;
    let server = instance.start().await;
    let (alice, app_id) = app_user(&instance, &server, "alice").await;

    let at = woolly_core::now_millis() + HOUR;
    let scheduled = schedule(
        &server,
        &alice,
        json!({"status": "Good morning, later", "scheduled_at": iso8601(at)}),
    )
    .await;
    let keys: BTreeSet<&str> = scheduled
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        keys,
        BTreeSet::from(["id", "scheduled_at", "params", "media_attachments"])
    );
    assert!(scheduled["id"].as_str().unwrap().parse::<i64>().is_ok());
    assert_eq!(scheduled["scheduled_at"], iso8601(at));
    assert_eq!(scheduled["media_attachments"], json!([]));
    assert_eq!(
        scheduled["params"],
        json!({
            "text": "Good morning, later",
            "media_ids": null,
            "sensitive": null,
            "spoiler_text": null,
            "visibility": null,
            "language": null,
            "scheduled_at": null,
            "poll": null,
            "idempotency": null,
            "with_rate_limit": false,
            "in_reply_to_id": null,
            "application_id": app_id.parse::<i64>().unwrap(),
        })
    );

    // Nothing is posted yet, and the same entity is read back.
    assert_eq!(statuses_count(&server, &alice).await, 0);
    let (_, statuses) = get(
        &server,
        &alice.token,
        &format!("/api/v1/accounts/{}/statuses", alice.id),
    )
    .await;
    assert_eq!(statuses, json!([]));
    let id = scheduled["id"].as_str().unwrap();
    let (code, read) = get(
        &server,
        &alice.token,
        &format!("/api/v1/scheduled_statuses/{id}"),
    )
    .await;
    assert_eq!(code, StatusCode::OK);
    assert_eq!(read, scheduled);
    assert_eq!(job_count(&server, JobState::Queued).await, 1);

    // A date alone means its midnight UTC, as Rails reads it.
    let day = noon_in(3) - 12 * HOUR;
    let date_only = schedule(
        &server,
        &alice,
        json!({"status": "on the day", "scheduled_at": &iso8601(day)[..10]}),
    )
    .await;
    assert_eq!(date_only["scheduled_at"], iso8601(day));
}

#[tokio::test]
async fn a_past_time_posts_at_once_and_a_near_or_unreadable_one_is_refused() {
    let instance = TestInstance::new().await;
    let server = instance.start().await;
    let alice = user(&server, "alice").await;

    let (code, posted) = post(
        &server,
        &alice.token,
        "/api/v1/statuses",
        json!({"status": "already late", "scheduled_at": iso8601(woolly_core::now_millis() - HOUR)}),
    )
    .await;
    assert_eq!(code, StatusCode::OK, "{posted}");
    assert_eq!(posted["content"], "<p>already late</p>");
    assert_eq!(statuses_count(&server, &alice).await, 1);

    for at in [
        woolly_core::now_millis() + MINUTE,
        woolly_core::now_millis() + 4 * MINUTE,
    ] {
        let (code, error) = post(
            &server,
            &alice.token,
            "/api/v1/statuses",
            json!({"status": "too soon", "scheduled_at": iso8601(at)}),
        )
        .await;
        assert_eq!(code, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(
            error,
            json!({"error": "Validation failed: Scheduled at date must be in the future"})
        );
    }
    let (code, error) = post(
        &server,
        &alice.token,
        "/api/v1/statuses",
        json!({"status": "when?", "scheduled_at": "next tuesday"}),
    )
    .await;
    assert_eq!(code, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(error, json!({"error": "Record invalid"}));

    assert!(all_scheduled(&server, &alice).await.is_empty());
    assert_eq!(statuses_count(&server, &alice).await, 1);
    assert_eq!(job_count(&server, JobState::Queued).await, 0);
}

#[tokio::test]
async fn the_post_is_checked_when_it_is_scheduled_and_a_refusal_writes_nothing() {
    let instance = TestInstance::new().await;
    let server = instance.start().await;
    let alice = user(&server, "alice").await;
    let bob = user(&server, "bob").await;
    let bobs_upload = upload(&server, &bob).await;
    let (_, secret) = post(
        &server,
        &bob.token,
        "/api/v1/statuses",
        json!({"status": "for nobody", "visibility": "direct"}),
    )
    .await;
    let at = iso8601(woolly_core::now_millis() + HOUR);

    for (body, code, message) in [
        (
            json!({"status": "x".repeat(501), "scheduled_at": at}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "Validation failed: Text character limit of 500 exceeded",
        ),
        (
            json!({"status": "", "scheduled_at": at}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "Validation failed: Text can't be blank",
        ),
        (
            json!({"status": "one way", "poll": {"options": ["only"], "expires_in": 600}, "scheduled_at": at}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "Validation failed: Poll options must have more than one item",
        ),
        (
            json!({"status": "not mine", "media_ids": [bobs_upload], "scheduled_at": at}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "Validation failed: Media attachments are invalid (unknown, not yours, or already attached)",
        ),
        (
            json!({"status": "nosy", "in_reply_to_id": secret["id"], "scheduled_at": at}),
            StatusCode::NOT_FOUND,
            "Record not found",
        ),
        (
            json!({"status": "where?", "visibility": "everywhere", "scheduled_at": at}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "Validation failed: Visibility \"everywhere\" is not one of public, unlisted, private, direct",
        ),
    ] {
        let (got, error) = post(&server, &alice.token, "/api/v1/statuses", body.clone()).await;
        assert_eq!(
            (got, error["error"].as_str()),
            (code, Some(message)),
            "{body}"
        );
    }

    assert!(all_scheduled(&server, &alice).await.is_empty());
    assert_eq!(statuses_count(&server, &alice).await, 0);
    assert_eq!(job_count(&server, JobState::Queued).await, 0);
    // Bob's upload was not reserved by the refused request: he can still use it.
    let (code, posted) = post(
        &server,
        &bob.token,
        "/api/v1/statuses",
        json!({"status": "mine", "media_ids": [bobs_upload]}),
    )
    .await;
    assert_eq!(code, StatusCode::OK, "{posted}");
}

#[tokio::test]
async fn the_list_pages_by_id_with_mastodon_limits_and_link_headers() {
    let instance = TestInstance::new().await;
    let server = instance.start().await;
    let alice = user(&server, "alice").await;
    let bob = user(&server, "bob").await;
    schedule(
        &server,
        &bob,
        json!({"status": "bob's own", "scheduled_at": iso8601(noon_in(2))}),
    )
    .await;

    let mut ids = Vec::new();
    for index in 0..45_i64 {
        // 25 a day at most: spread over two days, in no particular time order.
        let at = noon_in(2 + index % 2) + (45 - index) * MINUTE;
        let scheduled = schedule(
            &server,
            &alice,
            json!({"status": format!("number {index}"), "scheduled_at": iso8601(at)}),
        )
        .await;
        ids.push(scheduled["id"].as_str().unwrap().to_owned());
    }
    ids.reverse();

    let response = http()
        .get(server.url("/api/v1/scheduled_statuses"))
        .bearer_auth(&alice.token)
        .send()
        .await
        .unwrap();
    let link = links(&response);
    let page: Vec<Value> = response.json().await.unwrap();
    let page_ids: Vec<&str> = page
        .iter()
        .map(|item| item["id"].as_str().unwrap())
        .collect();
    assert_eq!(page_ids, ids[..20], "the default is 20, newest id first");
    assert_eq!(
        link_of(&link, "next").map(|url| path_of(&url)),
        Some(format!("/api/v1/scheduled_statuses?max_id={}", ids[19]))
    );
    assert_eq!(
        link_of(&link, "prev").map(|url| path_of(&url)),
        Some(format!("/api/v1/scheduled_statuses?min_id={}", ids[0]))
    );

    let (_, page) = get(
        &server,
        &alice.token,
        "/api/v1/scheduled_statuses?limit=100",
    )
    .await;
    assert_eq!(page.as_array().unwrap().len(), 40, "at most 40");
    let (_, page) = get(
        &server,
        &alice.token,
        &format!("/api/v1/scheduled_statuses?limit=3&min_id={}", ids[10]),
    )
    .await;
    let page_ids: Vec<&str> = page
        .as_array()
        .unwrap()
        .iter()
        .map(|item| item["id"].as_str().unwrap())
        .collect();
    assert_eq!(page_ids, ids[7..10], "right after min_id, newest first");

    let everything: Vec<String> = all_scheduled(&server, &alice)
        .await
        .iter()
        .map(|item| item["id"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(everything, ids, "only alice's, each once");
}

#[tokio::test]
async fn an_account_has_at_most_25_scheduled_statuses_a_day_and_300_in_all() {
    let instance = TestInstance::new().await;
    let mut settings = instance.settings();
    settings.rate_limit_requests = 0;
    let server = instance.start_with(settings).await;
    let alice = user(&server, "alice").await;

    // From the day after tomorrow: the start of tomorrow may be less than the five minutes
    // ahead a scheduled status needs when the test runs just before midnight UTC.
    let first_day = 2;
    let mut first_of_day = Vec::new();
    for day in 0..12 {
        for slot in 0..25 {
            let scheduled = schedule(
                &server,
                &alice,
                json!({"status": format!("day {day} slot {slot}"), "scheduled_at": iso8601(noon_in(first_day + day) + slot * MINUTE)}),
            )
            .await;
            if slot == 0 {
                first_of_day.push(scheduled["id"].as_str().unwrap().to_owned());
            }
        }
        if day == 0 {
            // The 26th on a UTC day is refused, at either end of the day.
            for at in [
                noon_in(first_day) + 11 * HOUR + 59 * MINUTE,
                noon_in(first_day) - 12 * HOUR,
            ] {
                let (code, error) = post(
                    &server,
                    &alice.token,
                    "/api/v1/statuses",
                    json!({"status": "one too many", "scheduled_at": iso8601(at)}),
                )
                .await;
                assert_eq!(code, StatusCode::UNPROCESSABLE_ENTITY);
                assert_eq!(
                    error,
                    json!({"error": "Validation failed: You have exceeded the limit of 25 scheduled posts for today"})
                );
            }
        }
    }
    assert_eq!(all_scheduled(&server, &alice).await.len(), 300);

    let (code, error) = post(
        &server,
        &alice.token,
        "/api/v1/statuses",
        json!({"status": "number 301", "scheduled_at": iso8601(noon_in(20))}),
    )
    .await;
    assert_eq!(code, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        error,
        json!({"error": "Validation failed: You have exceeded the limit of 300 scheduled posts"})
    );

    // Moving to a full day is refused; moving within one's own day is not (the status itself
    // does not count against the limit it already has a place in).
    let path = format!("/api/v1/scheduled_statuses/{}", first_of_day[0]);
    let (code, error) = put(
        &server,
        &alice.token,
        &path,
        json!({"scheduled_at": iso8601(noon_in(first_day + 1) + 3 * HOUR)}),
    )
    .await;
    assert_eq!(code, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        error,
        json!({"error": "Validation failed: You have exceeded the limit of 25 scheduled posts for today"})
    );
    let (code, moved) = put(
        &server,
        &alice.token,
        &path,
        json!({"scheduled_at": iso8601(noon_in(first_day) + 3 * HOUR)}),
    )
    .await;
    assert_eq!(code, StatusCode::OK, "{moved}");
    assert_eq!(
        moved["scheduled_at"],
        iso8601(noon_in(first_day) + 3 * HOUR)
    );

    // A cancellation makes room again.
    let (code, _) = delete(&server, &alice.token, &path).await;
    assert_eq!(code, StatusCode::OK);
    schedule(
        &server,
        &alice,
        json!({"status": "number 300 again", "scheduled_at": iso8601(noon_in(20))}),
    )
    .await;
    assert_eq!(all_scheduled(&server, &alice).await.len(), 300);
    assert_eq!(job_count(&server, JobState::Queued).await, 300);
}

#[tokio::test]
async fn rescheduling_moves_the_status_and_its_job_and_cancelling_releases_everything() {
    let instance = TestInstance::new().await;
    let server = instance.start().await;
    let alice = user(&server, "alice").await;
    let photo = upload(&server, &alice).await;
    let scheduled = schedule(
        &server,
        &alice,
        json!({"status": "with a photo", "media_ids": [photo], "scheduled_at": iso8601(noon_in(2))}),
    )
    .await;
    let id = scheduled["id"].as_str().unwrap();
    let path = format!("/api/v1/scheduled_statuses/{id}");
    assert_eq!(scheduled["params"]["media_ids"], json!([photo]));
    assert_eq!(scheduled["media_attachments"][0]["id"], photo.as_str());
    assert_eq!(scheduled["media_attachments"][0]["type"], "image");
    assert_eq!(
        server.woolly.jobs().next_job_due().await.unwrap(),
        Some(noon_in(2))
    );

    // Later: the job goes with it, and stays one job.
    let later = noon_in(2) + 5 * HOUR;
    let (code, moved) = put(
        &server,
        &alice.token,
        &path,
        json!({"scheduled_at": iso8601(later)}),
    )
    .await;
    assert_eq!(code, StatusCode::OK, "{moved}");
    assert_eq!(moved["scheduled_at"], iso8601(later));
    assert_eq!(moved["params"], scheduled["params"]);
    assert_eq!(moved["media_attachments"], scheduled["media_attachments"]);
    assert_eq!(
        server.woolly.jobs().next_job_due().await.unwrap(),
        Some(later)
    );
    assert_eq!(job_count(&server, JobState::Queued).await, 1);

    // Refusals change nothing; no time at all changes nothing either.
    for (body, message) in [
        (
            json!({"scheduled_at": iso8601(woolly_core::now_millis() + 2 * MINUTE)}),
            "Validation failed: Scheduled at date must be in the future",
        ),
        (
            json!({"scheduled_at": iso8601(woolly_core::now_millis() - DAY)}),
            "Validation failed: Scheduled at date must be in the future",
        ),
        (json!({"scheduled_at": "soonish"}), "Record invalid"),
    ] {
        let (code, error) = put(&server, &alice.token, &path, body.clone()).await;
        assert_eq!(code, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert_eq!(error, json!({"error": message}));
    }
    let (code, unchanged) = put(&server, &alice.token, &path, json!({})).await;
    assert_eq!(code, StatusCode::OK);
    assert_eq!(unchanged, moved);
    let (_, read) = get(&server, &alice.token, &path).await;
    assert_eq!(read, moved);
    assert_eq!(
        server.woolly.jobs().next_job_due().await.unwrap(),
        Some(later)
    );

    // The photo is reserved: no other post, scheduled or not, can take it.
    let (code, error) = post(
        &server,
        &alice.token,
        "/api/v1/statuses",
        json!({"status": "same photo now", "media_ids": [photo]}),
    )
    .await;
    assert_eq!(code, StatusCode::UNPROCESSABLE_ENTITY, "{error}");
    let (code, _) = post(
        &server,
        &alice.token,
        "/api/v1/statuses",
        json!({"status": "same photo later", "media_ids": [photo], "scheduled_at": iso8601(noon_in(3))}),
    )
    .await;
    assert_eq!(code, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(all_scheduled(&server, &alice).await.len(), 1);

    // Cancelled: gone, its job with it, and the photo free again.
    let (code, body) = delete(&server, &alice.token, &path).await;
    assert_eq!((code, body), (StatusCode::OK, json!({})));
    for (code, body) in [
        get(&server, &alice.token, &path).await,
        put(
            &server,
            &alice.token,
            &path,
            json!({"scheduled_at": iso8601(later)}),
        )
        .await,
        delete(&server, &alice.token, &path).await,
    ] {
        assert_eq!(
            (code, body),
            (StatusCode::NOT_FOUND, json!({"error": "Record not found"}))
        );
    }
    assert_eq!(job_count(&server, JobState::Queued).await, 0);
    let (code, posted) = post(
        &server,
        &alice.token,
        "/api/v1/statuses",
        json!({"status": "the photo, now", "media_ids": [photo]}),
    )
    .await;
    assert_eq!(code, StatusCode::OK, "{posted}");
    assert_eq!(posted["media_attachments"][0]["id"], photo.as_str());
}

#[tokio::test]
async fn another_users_scheduled_status_is_not_found() {
    let instance = TestInstance::new().await;
    let server = instance.start().await;
    let alice = user(&server, "alice").await;
    let bob = user(&server, "bob").await;
    let scheduled = schedule(
        &server,
        &alice,
        json!({"status": "mine", "scheduled_at": iso8601(noon_in(2))}),
    )
    .await;
    let id = scheduled["id"].as_str().unwrap();
    let path = format!("/api/v1/scheduled_statuses/{id}");

    let not_found = (StatusCode::NOT_FOUND, json!({"error": "Record not found"}));
    assert_eq!(get(&server, &bob.token, &path).await, not_found);
    assert_eq!(
        put(
            &server,
            &bob.token,
            &path,
            json!({"scheduled_at": iso8601(noon_in(3))})
        )
        .await,
        not_found
    );
    assert_eq!(
        put(
            &server,
            &bob.token,
            &path,
            json!({"scheduled_at": "whenever"})
        )
        .await,
        not_found,
        "a foreign id is a 404 before the time is read"
    );
    assert_eq!(delete(&server, &bob.token, &path).await, not_found);
    for path in [
        "/api/v1/scheduled_statuses/12345",
        "/api/v1/scheduled_statuses/not-a-number",
    ] {
        assert_eq!(get(&server, &alice.token, path).await, not_found, "{path}");
    }
    let (_, bobs) = get(&server, &bob.token, "/api/v1/scheduled_statuses").await;
    assert_eq!(bobs, json!([]));
    assert!(
        !server
            .woolly
            .statuses()
            .publish_scheduled_status_now(12345)
            .await
            .unwrap()
    );

    let (code, still) = get(&server, &alice.token, &path).await;
    assert_eq!(code, StatusCode::OK);
    assert_eq!(still, scheduled);
}

#[tokio::test]
async fn each_endpoint_needs_its_scope() {
    let instance = TestInstance::new().await;
    let server = instance.start().await;
    let alice = user(&server, "alice").await;
    let scheduled = schedule(
        &server,
        &alice,
        json!({"status": "scoped", "scheduled_at": iso8601(noon_in(2))}),
    )
    .await;
    let path = format!(
        "/api/v1/scheduled_statuses/{}",
        scheduled["id"].as_str().unwrap()
    );
    let reader = instance.token("alice", "read:statuses").await;
    let writer = instance.token("alice", "write:statuses").await;
    let other = instance.token("alice", "read:accounts write:media").await;
    let forbidden = (
        StatusCode::FORBIDDEN,
        json!({"error": "This action is outside the authorized scopes"}),
    );
    let later = json!({"scheduled_at": iso8601(noon_in(3))});

    // Reading needs read:statuses; changing needs write:statuses.
    for token in [&reader, &alice.token] {
        assert_eq!(get(&server, token, &path).await.0, StatusCode::OK);
        assert_eq!(
            get(&server, token, "/api/v1/scheduled_statuses").await.0,
            StatusCode::OK
        );
    }
    for token in [&writer, &other] {
        assert_eq!(get(&server, token, &path).await, forbidden);
        assert_eq!(
            get(&server, token, "/api/v1/scheduled_statuses").await,
            forbidden
        );
    }
    for token in [&reader, &other] {
        assert_eq!(put(&server, token, &path, later.clone()).await, forbidden);
        assert_eq!(delete(&server, token, &path).await, forbidden);
        let (code, _) = post(
            &server,
            token,
            "/api/v1/statuses",
            json!({"status": "no", "scheduled_at": iso8601(noon_in(3))}),
        )
        .await;
        assert_eq!(code, StatusCode::FORBIDDEN);
    }
    // Without a token: 401.
    for method in [Method::GET, Method::PUT, Method::DELETE] {
        let response = http()
            .request(method, server.url(&path))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    }
    let (code, _) = get(&server, &reader, &path).await;
    assert_eq!(code, StatusCode::OK, "nothing changed");
    assert_eq!(all_scheduled(&server, &alice).await.len(), 1);

    let (code, moved) = put(&server, &writer, &path, later.clone()).await;
    assert_eq!(code, StatusCode::OK, "{moved}");
    assert_eq!(
        delete(&server, &writer, &path).await,
        (StatusCode::OK, json!({}))
    );
}

#[tokio::test]
async fn an_idempotency_key_schedules_once() {
    let instance = TestInstance::new().await;
    let server = instance.start().await;
    let alice = user(&server, "alice").await;
    let send = |key: &'static str, text: &'static str| {
        let server = &server;
        let token = alice.token.clone();
        async move {
            let response = http()
                .post(server.url("/api/v1/statuses"))
                .bearer_auth(token)
                .header("Idempotency-Key", key)
                .json(&json!({"status": text, "scheduled_at": iso8601(noon_in(2))}))
                .send()
                .await
                .unwrap();
            let code = response.status();
            (code, response.json::<Value>().await.unwrap())
        }
    };
    let (code, first) = send("key-1", "once").await;
    assert_eq!(code, StatusCode::OK, "{first}");
    let (code, again) = send("key-1", "once").await;
    assert_eq!(code, StatusCode::OK);
    assert_eq!(again, first);
    let (_, other) = send("key-2", "twice").await;
    assert_ne!(other["id"], first["id"]);
    assert_eq!(all_scheduled(&server, &alice).await.len(), 2);
    // The header's key is not kept in the params (Mastodon clears it).
    assert_eq!(first["params"]["idempotency"], Value::Null);

    // Once the scheduled status is gone, the key within the hour finds nothing, as in Mastodon.
    let path = format!(
        "/api/v1/scheduled_statuses/{}",
        first["id"].as_str().unwrap()
    );
    delete(&server, &alice.token, &path).await;
    let (code, error) = send("key-1", "once").await;
    assert_eq!(
        (code, error),
        (StatusCode::NOT_FOUND, json!({"error": "Record not found"}))
    );
    assert_eq!(all_scheduled(&server, &alice).await.len(), 1);
}

#[tokio::test]
async fn publication_posts_the_scheduled_params_to_followers_through_the_job_queue() {
    let instance = TestInstance::new().await;
    let server = instance.start().await;
    let (alice, _) = app_user(&instance, &server, "alice").await;
    let bob = user(&server, "bob").await;
    let carol = user(&server, "carol").await;
    let (code, _) = post(
        &server,
        &bob.token,
        &format!("/api/v1/accounts/{}/follow", alice.id),
        json!({}),
    )
    .await;
    assert_eq!(code, StatusCode::OK);
    let (_, question) = post(
        &server,
        &bob.token,
        "/api/v1/statuses",
        json!({"status": "Anyone up for tea?"}),
    )
    .await;
    let question_id = question["id"].as_str().unwrap();
    let photo = upload(&server, &alice).await;

    let answer = schedule(
        &server,
        &alice,
        json!({
            "status": "Yes! cc @carol #teatime",
            "in_reply_to_id": question_id,
            "media_ids": [photo],
            "sensitive": true,
            "spoiler_text": "tea talk",
            "visibility": "unlisted",
            "language": "en",
            "scheduled_at": iso8601(noon_in(1)),
        }),
    )
    .await;
    assert_eq!(
        answer["params"]["in_reply_to_id"],
        question_id.parse::<i64>().unwrap()
    );
    assert_eq!(answer["params"]["visibility"], "unlisted");
    assert_eq!(answer["params"]["sensitive"], true);
    // A poll, scheduled from a form as Mastodon.py sends it.
    let (code, vote) = post_form(
        &server,
        &alice.token,
        "/api/v1/statuses",
        &format!(
            "status=Tea+or+coffee%3F&poll[options][]=tea&poll[options][]=coffee&poll[expires_in]=600&poll[multiple]=true&scheduled_at={}",
            iso8601(noon_in(1) + HOUR)
        ),
    )
    .await;
    assert_eq!(code, StatusCode::OK, "{vote}");
    assert_eq!(
        vote["params"]["poll"],
        json!({"options": ["tea", "coffee"], "expires_in": 600, "multiple": true, "hide_totals": false})
    );
    assert_eq!(statuses_count(&server, &alice).await, 0);

    let before = woolly_core::now_millis();
    for scheduled in [&answer, &vote] {
        let id = scheduled["id"].as_str().unwrap();
        publish_now(&server, id).await;
        wait_until_gone(&server, &alice, id).await;
    }
    let home = eventually(
        Duration::from_secs(15),
        "both posts in bob's home",
        || async {
            let (_, home) = get(&server, &bob.token, "/api/v1/timelines/home").await;
            let home = home.as_array().unwrap().clone();
            (home.len() == 3).then_some(home)
        },
    )
    .await;
    let (posted_vote, posted_answer) = (&home[0], &home[1]);
    assert_eq!(home[2]["id"], question_id);

    assert_eq!(posted_answer["account"]["id"], alice.id.as_str());
    assert!(
        posted_answer["content"]
            .as_str()
            .unwrap()
            .starts_with("<p>Yes! cc <span class=\"h-card\""),
        "{posted_answer}"
    );
    assert_eq!(posted_answer["in_reply_to_id"], question_id);
    assert_eq!(posted_answer["in_reply_to_account_id"], bob.id.as_str());
    assert_eq!(posted_answer["sensitive"], true);
    assert_eq!(posted_answer["spoiler_text"], "tea talk");
    assert_eq!(posted_answer["visibility"], "unlisted");
    assert_eq!(posted_answer["language"], "en");
    assert_eq!(posted_answer["application"]["name"], "Test Client");
    assert_eq!(posted_answer["media_attachments"][0]["id"], photo.as_str());
    assert_eq!(posted_answer["mentions"][0]["acct"], "carol");
    assert_eq!(posted_answer["tags"][0]["name"], "teatime");
    assert!(millis_of(&posted_answer["created_at"]) >= before);

    let poll = &posted_vote["poll"];
    let options: Vec<&str> = poll["options"]
        .as_array()
        .unwrap()
        .iter()
        .map(|option| option["title"].as_str().unwrap())
        .collect();
    assert_eq!(options, ["tea", "coffee"]);
    assert_eq!(poll["multiple"], true);
    assert_eq!(
        millis_of(&poll["expires_at"]) - millis_of(&posted_vote["created_at"]),
        600_000,
        "the poll runs from publication"
    );
    assert_eq!(
        posted_vote["visibility"], "public",
        "alice's default, applied at publication"
    );

    // Everything posting does: the mention notified, the reply counted, the author's count.
    let (_, notifications) = get(&server, &carol.token, "/api/v1/notifications").await;
    assert_eq!(notifications[0]["type"], "mention");
    assert_eq!(notifications[0]["status"]["id"], posted_answer["id"]);
    let (_, question) = get(
        &server,
        &bob.token,
        &format!("/api/v1/statuses/{question_id}"),
    )
    .await;
    assert_eq!(question["replies_count"], 1);
    assert_eq!(statuses_count(&server, &alice).await, 2);
    assert!(all_scheduled(&server, &alice).await.is_empty());
    eventually(Duration::from_secs(15), "both jobs done", || async {
        (job_count(&server, JobState::Done).await == 2).then_some(())
    })
    .await;
}

#[tokio::test]
async fn a_publication_that_runs_twice_posts_once() {
    let instance = TestInstance::new().await;
    let server = instance.start().await;
    let alice = user(&server, "alice").await;
    let scheduled = schedule(
        &server,
        &alice,
        json!({"status": "exactly once", "scheduled_at": iso8601(noon_in(1))}),
    )
    .await;
    let id = scheduled["id"].as_str().unwrap();
    let numeric: i64 = id.parse().unwrap();

    // A second job for the same status, due at the same moment: the two may run side by side.
    publish_now(&server, id).await;
    let duplicate = woolly_core::jobs::new_job(
        PUBLISH_SCHEDULED_KIND,
        &PublishScheduled {
            scheduled_status_id: numeric,
        },
        woolly_core::now_millis(),
        3,
    )
    .unwrap();
    let duplicate_id = server.woolly.jobs().enqueue_job(&duplicate).await.unwrap();
    eventually(Duration::from_secs(15), "both jobs done", || async {
        (job_count(&server, JobState::Done).await == 2).then_some(())
    })
    .await;
    assert_eq!(
        server
            .woolly
            .jobs()
            .job(duplicate_id)
            .await
            .unwrap()
            .unwrap()
            .state,
        JobState::Done
    );
    // And one more, after the fact, as a retry after a crash would be.
    let late_id = server.woolly.jobs().enqueue_job(&duplicate).await.unwrap();
    eventually(Duration::from_secs(15), "the late job done", || async {
        let job = server.woolly.jobs().job(late_id).await.unwrap()?;
        (job.state == JobState::Done).then_some(())
    })
    .await;

    let (_, statuses) = get(
        &server,
        &alice.token,
        &format!("/api/v1/accounts/{}/statuses", alice.id),
    )
    .await;
    let texts: Vec<&str> = statuses
        .as_array()
        .unwrap()
        .iter()
        .map(|status| status["content"].as_str().unwrap())
        .collect();
    assert_eq!(texts, ["<p>exactly once</p>"]);
    assert_eq!(statuses_count(&server, &alice).await, 1);
    assert!(
        !server
            .woolly
            .statuses()
            .publish_scheduled_status_now(numeric)
            .await
            .unwrap()
    );
    assert_eq!(job_count(&server, JobState::Dead).await, 0);
}

#[tokio::test]
async fn a_reply_whose_target_is_gone_is_dropped_and_its_media_released() {
    let instance = TestInstance::new().await;
    let server = instance.start().await;
    let alice = user(&server, "alice").await;
    let bob = user(&server, "bob").await;
    let (_, question) = post(
        &server,
        &bob.token,
        "/api/v1/statuses",
        json!({"status": "Delete me later"}),
    )
    .await;
    let question_id = question["id"].as_str().unwrap();
    let photo = upload(&server, &alice).await;
    let reply = schedule(
        &server,
        &alice,
        json!({"status": "a late answer", "in_reply_to_id": question_id, "media_ids": [photo], "scheduled_at": iso8601(noon_in(1))}),
    )
    .await;
    let (code, _) = delete(
        &server,
        &bob.token,
        &format!("/api/v1/statuses/{question_id}"),
    )
    .await;
    assert_eq!(code, StatusCode::OK);

    let id = reply["id"].as_str().unwrap();
    publish_now(&server, id).await;
    wait_until_gone(&server, &alice, id).await;
    eventually(Duration::from_secs(15), "the job done", || async {
        (job_count(&server, JobState::Done).await == 1).then_some(())
    })
    .await;
    assert_eq!(statuses_count(&server, &alice).await, 0);
    let (_, statuses) = get(
        &server,
        &alice.token,
        &format!("/api/v1/accounts/{}/statuses", alice.id),
    )
    .await;
    assert_eq!(statuses, json!([]));
    let (code, posted) = post(
        &server,
        &alice.token,
        "/api/v1/statuses",
        json!({"status": "the photo anyway", "media_ids": [photo]}),
    )
    .await;
    assert_eq!(code, StatusCode::OK, "the photo is free again: {posted}");
}
