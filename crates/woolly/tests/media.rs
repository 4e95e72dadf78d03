//! Image uploads through the client API: metadata stripped, orientation applied, previews,
//! descriptions, attaching to statuses, and the refusals that leave nothing on disk.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::time::Duration;

use common::{TestInstance, TestServer, http};
use reqwest::multipart::{Form, Part};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

/// A 60×30 JPEG carrying EXIF orientation 6 (rotate 90°) and a GPS tag.
fn photo_with_gps() -> Vec<u8> {
    let image = image::RgbImage::from_fn(60, 30, |x, _| {
        image::Rgb([if x < 30 { 200 } else { 20 }, 90, 40])
    });
    let mut plain = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut plain, 90)
        .encode_image(&image)
        .unwrap();
    let mut tiff: Vec<u8> = vec![b'I', b'I', 42, 0, 8, 0, 0, 0, 2, 0];
    tiff.extend([0x12, 0x01, 3, 0, 1, 0, 0, 0, 6, 0, 0, 0]);
    tiff.extend([0x25, 0x88, 4, 0, 1, 0, 0, 0, 38, 0, 0, 0]);
    tiff.extend([0, 0, 0, 0, 1, 0]);
    tiff.extend([0x01, 0x00, 2, 0, 2, 0, 0, 0, b'N', 0, 0, 0, 0, 0, 0, 0]);
    let mut segment = b"Exif\0\0".to_vec();
    segment.extend(tiff);
    let length = u16::try_from(segment.len() + 2).unwrap().to_be_bytes();
    let mut bytes = vec![0xFF, 0xD8, 0xFF, 0xE1, length[0], length[1]];
    bytes.extend(segment);
    bytes.extend(&plain[2..]);
    bytes
}

async fn upload(
    server: &TestServer,
    token: &str,
    bytes: Vec<u8>,
    description: Option<&str>,
) -> reqwest::Response {
    let mut form = Form::new().part(
        "file",
        Part::bytes(bytes)
            .file_name("photo.jpg")
            .mime_str("image/jpeg")
            .unwrap(),
    );
    if let Some(description) = description {
        form = form.text("description", description.to_owned());
    }
    http()
        .post(server.url("/api/v2/media"))
        .bearer_auth(token)
        .multipart(form)
        .send()
        .await
        .unwrap()
}

fn files_under(dir: &std::path::Path) -> usize {
    std::fs::read_dir(dir).map_or(0, |entries| {
        entries
            .filter_map(Result::ok)
            .map(|entry| {
                if entry.path().is_dir() {
                    files_under(&entry.path())
                } else {
                    1
                }
            })
            .sum()
    })
}

#[tokio::test]
async fn an_uploaded_photo_loses_its_metadata_and_can_be_attached() {
    let instance = TestInstance::new().await;
    let server = instance.start().await;
    let token = instance.account_with_token("alice", "read write").await;
    let upload_bytes = photo_with_gps();
    assert!(upload_bytes.windows(4).any(|window| window == b"Exif"));
    let response = upload(
        &server,
        &token,
        upload_bytes,
        Some("A red and green square"),
    )
    .await;
    assert_eq!(response.status(), StatusCode::OK);
    let media: Value = response.json().await.unwrap();
    assert_eq!(media["type"], "image");
    assert_eq!(media["description"], "A red and green square");
    assert_eq!(
        media["meta"]["original"]["width"], 30,
        "EXIF orientation applied"
    );
    assert_eq!(media["meta"]["original"]["height"], 60);
    assert_eq!(media["meta"]["original"]["size"], "30x60");
    assert!(media["blurhash"].as_str().unwrap().len() > 6);
    assert!(media["remote_url"].is_null());

    let local_url = |url: &Value| {
        url.as_str()
            .unwrap()
            .replace("http://woolly.test", &server.base_url)
    };
    let file = http().get(local_url(&media["url"])).send().await.unwrap();
    assert_eq!(file.headers()["content-type"], "image/jpeg");
    let stored = file.bytes().await.unwrap();
    assert!(
        !stored.windows(4).any(|window| window == b"Exif"),
        "no EXIF is served"
    );
    // The file's path carries 128 random bits beside the id: it cannot be derived from the
    // upload's id (nor from the time it was made), so a direct message's image cannot be found
    // by guessing.
    let id = media["id"].as_str().unwrap();
    let path = media["url"]
        .as_str()
        .unwrap()
        .replace("http://woolly.test", "");
    let folder = path
        .trim_start_matches("/media/")
        .split('/')
        .next()
        .unwrap();
    let random = folder.strip_prefix(&format!("{id}-")).unwrap();
    assert!(random.len() >= 22, "{path}");
    for guess in [
        format!("/media/{id}/original.jpg"),
        format!("/media/{id}-/original.jpg"),
        format!("/media/{id}-AAAAAAAAAAAAAAAAAAAAAA/original.jpg"),
    ] {
        let response = http().get(server.url(&guess)).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::NOT_FOUND, "{guess}");
    }
    let decoded = image::load_from_memory(&stored).unwrap();
    assert_eq!((decoded.width(), decoded.height()), (30, 60));
    let preview = http()
        .get(local_url(&media["preview_url"]))
        .send()
        .await
        .unwrap();
    assert_eq!(preview.status(), StatusCode::OK);

    let id = media["id"].as_str().unwrap();
    let updated: Value = http()
        .put(server.url(&format!("/api/v1/media/{id}")))
        .bearer_auth(&token)
        .form(&[("description", "Two colours"), ("focus", "0.5,-0.25")])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(updated["description"], "Two colours");
    assert_eq!(updated["meta"]["focus"], json!({"x": 0.5, "y": -0.25}));

    // A status of media alone is fine; the media then belongs to it.
    let posted: Value = http()
        .post(server.url("/api/v1/statuses"))
        .bearer_auth(&token)
        .json(&json!({"media_ids": [id]}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(posted["media_attachments"][0]["id"], id);
    assert_eq!(posted["content"], "");
    let status_id = posted["id"].as_str().unwrap();

    // Once attached, an upload is no longer found as an upload, as in Mastodon: it changes
    // with its status, through an edit's `media_attributes` (here in Rails' form brackets).
    for method in [Method::GET, Method::PUT] {
        let (code, _) = server
            .call(
                method.clone(),
                &format!("/api/v1/media/{id}"),
                Some(&token),
                json!({"description": "too late"}),
            )
            .await;
        assert_eq!(code, StatusCode::NOT_FOUND, "{method}");
    }
    let status_path = format!("/api/v1/statuses/{status_id}");
    let edited: Value = http()
        .put(server.url(&status_path))
        .bearer_auth(&token)
        .form(&[
            ("status", "now with words"),
            ("media_ids[]", id),
            ("media_attributes[][id]", id),
            ("media_attributes[][description]", "Two colours, edited"),
            ("media_attributes[][focus]", "-1,1"),
        ])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let attached = &edited["media_attachments"][0];
    assert_eq!(attached["description"], "Two colours, edited", "{edited}");
    assert_eq!(attached["meta"]["focus"], json!({"x": -1.0, "y": 1.0}));
    let (code, _) = server
        .call(
            Method::PUT,
            &status_path,
            Some(&token),
            json!({
                "status": "now with other words",
                "media_ids": [id],
                "media_attributes": [{"id": id, "description": "d".repeat(1501)}],
            }),
        )
        .await;
    assert_eq!(code, StatusCode::UNPROCESSABLE_ENTITY);
    let (_, unchanged) = server
        .call(Method::GET, &status_path, Some(&token), Value::Null)
        .await;
    assert_eq!(
        unchanged["content"], "<p>now with words</p>",
        "a refused edit writes nothing"
    );
    assert_eq!(
        unchanged["media_attachments"][0]["description"],
        "Two colours, edited"
    );
    // Each version keeps the description its image had then.
    let (_, history) = server
        .call(
            Method::GET,
            &format!("{status_path}/history"),
            Some(&token),
            Value::Null,
        )
        .await;
    let described: Vec<&Value> = history
        .as_array()
        .unwrap()
        .iter()
        .map(|version| &version["media_attachments"][0]["description"])
        .collect();
    assert_eq!(
        described,
        ["Two colours", "Two colours, edited"],
        "{history}"
    );

    let reused = http()
        .post(server.url("/api/v1/statuses"))
        .bearer_auth(&token)
        .json(&json!({"status": "again", "media_ids": [id]}))
        .send()
        .await
        .unwrap();
    assert_eq!(
        reused.status(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "an upload is attached once"
    );
    http()
        .post(server.url("/api/v1/statuses"))
        .bearer_auth(&token)
        .json(&json!({"status": "text only"}))
        .send()
        .await
        .unwrap();
    let media_only: Value = http()
        .get(server.url("/api/v1/timelines/public?only_media=true"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(media_only.as_array().unwrap().len(), 1);
    assert_eq!(media_only[0]["id"], posted["id"]);
    server.stop().await;
}

#[tokio::test]
async fn bad_uploads_are_refused_and_leave_nothing_behind() {
    let instance = TestInstance::new().await;
    let server = instance.start().await;
    let alice = instance.account_with_token("alice", "read write").await;
    let bob = instance.account_with_token("bob", "read write").await;
    let media_dir = instance.data_dir().join("media");
    let before = files_under(&media_dir);
    let jpeg = photo_with_gps();
    for (bytes, what) in [
        (b"GIF89a but not really".to_vec(), "a broken GIF"),
        (b"%PDF-1.7".to_vec(), "a PDF"),
        (jpeg[..jpeg.len() / 2].to_vec(), "a truncated JPEG"),
    ] {
        let response = upload(&server, &alice, bytes, None).await;
        assert_eq!(
            response.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "{what}"
        );
        let body: Value = response.json().await.unwrap();
        assert!(
            body["error"]
                .as_str()
                .unwrap()
                .starts_with("Validation failed"),
            "{what}: {body}"
        );
    }
    let response = upload(&server, &alice, jpeg.clone(), Some(&"x".repeat(1501))).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        files_under(&media_dir),
        before,
        "refused uploads keep no files"
    );

    // Someone else's upload can be neither read nor attached.
    let media: Value = upload(&server, &alice, jpeg, None)
        .await
        .json()
        .await
        .unwrap();
    let id = media["id"].as_str().unwrap();
    let response = http()
        .get(server.url(&format!("/api/v1/media/{id}")))
        .bearer_auth(&bob)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    let response = http()
        .post(server.url("/api/v1/statuses"))
        .bearer_auth(&bob)
        .json(&json!({"status": "mine now", "media_ids": [id]}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let bob_statuses: Value = http()
        .get(server.url("/api/v1/timelines/public"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        bob_statuses,
        json!([]),
        "the refused status was not written"
    );
    let no_token = http()
        .post(server.url("/api/v2/media"))
        .multipart(Form::new().text("description", "x"))
        .send()
        .await
        .unwrap();
    assert_eq!(no_token.status(), StatusCode::UNAUTHORIZED);
    server.stop().await;
}

#[tokio::test]
async fn uploads_kept_before_folders_were_random_move_to_random_folders_at_start() {
    let instance = TestInstance::new().await;
    let server = instance.start().await;
    let (token, _) = common::account(&server, "alice").await;
    let id = common::upload_png(&server, &token).await;
    let path = format!("/api/v1/media/{id}");
    let folder_of = |media: &Value| {
        let url = media["url"].as_str().unwrap().to_owned();
        url.rsplit('/').nth(1).unwrap().to_owned()
    };
    let (_, media) = server
        .call(Method::GET, &path, Some(&token), Value::Null)
        .await;
    let random = folder_of(&media);
    // Put it back as uploads were kept before: in a folder named by the id alone.
    let media_dir = instance.data_dir().join("media");
    std::fs::rename(media_dir.join(&random), media_dir.join(&id)).unwrap();
    let store = instance.store().await;
    let extension = media["url"]
        .as_str()
        .unwrap()
        .rsplit('.')
        .next()
        .unwrap()
        .to_owned();
    assert!(
        store
            .move_media_keys(
                id.parse().unwrap(),
                &format!("{random}/original.{extension}"),
                &format!("{id}/original.{extension}"),
                Some(&format!("{id}/small.jpg")),
            )
            .await
            .unwrap()
    );
    store.close().await;
    server.stop().await;

    // The next start moves it to a folder that cannot be guessed, and removes the old one.
    let server = instance.start().await;
    let moved = common::eventually(Duration::from_secs(20), "the upload moved", || async {
        let (_, media) = server
            .call(Method::GET, &path, Some(&token), Value::Null)
            .await;
        let folder = folder_of(&media);
        (folder != id).then_some(media)
    })
    .await;
    assert!(folder_of(&moved).starts_with(&format!("{id}-")));
    let url = moved["url"]
        .as_str()
        .unwrap()
        .replace("http://woolly.test", "");
    let file = http().get(server.url(&url)).send().await.unwrap();
    assert_eq!(file.status(), StatusCode::OK);
    // The old folder goes once the new key is stored, so a moment after the move shows.
    let old_url = server.url(&format!("/media/{id}/original.{extension}"));
    common::eventually(Duration::from_secs(20), "the old folder gone", || async {
        let old = http().get(&old_url).send().await.unwrap();
        (old.status() == StatusCode::NOT_FOUND && !media_dir.join(&id).exists()).then_some(())
    })
    .await;
    server.stop().await;
}
