//! Custom emojis: added by the operator (`woolly admin emoji`), listed by
//! `/api/v1/custom_emojis`, and attached to the statuses that write their `:shortcode:`.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{TestInstance, account, http};
use reqwest::StatusCode;
use serde_json::{Value, json};

fn write_png(instance: &TestInstance, name: &str, side: u32) -> String {
    let image =
        image::RgbaImage::from_fn(side, side, |x, y| image::Rgba([x as u8, y as u8, 90, 200]));
    let path = instance.data_dir().join(name);
    image.save(&path).unwrap();
    path.to_string_lossy().into_owned()
}

#[tokio::test]
async fn emojis_are_added_listed_used_in_statuses_and_removed() {
    let instance = TestInstance::new().await;
    let server = instance.start().await;
    let (alice, _) = account(&server, "alice").await;
    let png = write_png(&instance, "blob.png", 64);
    let added = instance
        .cli_ok(&[
            "admin",
            "emoji",
            "add",
            "blobcat",
            &png,
            "--category",
            "Blobs",
        ])
        .await;
    assert!(added.contains(":blobcat:"), "{added}");
    instance
        .cli_ok(&["admin", "emoji", "add", "secret_wave", &png, "--unlisted"])
        .await;

    let emojis: Value = http()
        .get(server.url("/api/v1/custom_emojis"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(emojis.as_array().unwrap().len(), 2);
    let blobcat = &emojis[0];
    assert_eq!(blobcat["shortcode"], "blobcat");
    assert_eq!(blobcat["category"], "Blobs");
    assert_eq!(blobcat["visible_in_picker"], true);
    assert_eq!(emojis[1]["visible_in_picker"], false);
    assert_eq!(emojis[1]["category"], Value::Null);
    let url = blobcat["url"].as_str().unwrap();
    assert_eq!(blobcat["static_url"], url);
    let local_url = url.replace("http://woolly.test", &server.base_url);
    let image = http().get(&local_url).send().await.unwrap();
    assert_eq!(image.status(), StatusCode::OK);
    assert_eq!(image.headers()["content-type"], "image/png");
    let decoded = image::load_from_memory(&image.bytes().await.unwrap()).unwrap();
    assert_eq!((decoded.width(), decoded.height()), (64, 64));

    let status: Value = http()
        .post(server.url("/api/v1/statuses"))
        .bearer_auth(&alice)
        .json(&json!({
            "status": "hello :blobcat: :nope: x:blobcat: :secret_wave:",
            "spoiler_text": ":blobcat: inside",
        }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let used: Vec<&str> = status["emojis"]
        .as_array()
        .unwrap()
        .iter()
        .map(|emoji| emoji["shortcode"].as_str().unwrap())
        .collect();
    assert_eq!(
        used,
        ["blobcat", "secret_wave"],
        "known shortcodes only, once each"
    );
    assert_eq!(status["emojis"][0]["url"], url);
    assert!(
        status["content"].as_str().unwrap().contains(":blobcat:"),
        "clients replace it"
    );

    // Profiles use them too: display name, note and fields.
    let updated: Value = http()
        .patch(server.url("/api/v1/accounts/update_credentials"))
        .bearer_auth(&alice)
        .json(&json!({
            "display_name": "Alice :blobcat:",
            "fields_attributes": {"0": {"name": "mood", "value": ":secret_wave:"}},
        }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let shortcodes = |account: &Value| -> Vec<String> {
        account["emojis"]
            .as_array()
            .unwrap()
            .iter()
            .map(|emoji| emoji["shortcode"].as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(shortcodes(&updated), ["blobcat", "secret_wave"]);
    let account_id = updated["id"].as_str().unwrap();
    let shown: Value = http()
        .get(server.url(&format!("/api/v1/accounts/{account_id}")))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(shortcodes(&shown), ["blobcat", "secret_wave"]);
    let reread: Value = http()
        .get(server.url(&format!(
            "/api/v1/statuses/{}",
            status["id"].as_str().unwrap()
        )))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(shortcodes(&reread["account"]), ["blobcat", "secret_wave"]);

    instance
        .cli_ok(&["admin", "emoji", "remove", "blobcat"])
        .await;
    let emojis: Value = http()
        .get(server.url("/api/v1/custom_emojis"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(emojis.as_array().unwrap().len(), 1);
    assert_eq!(
        http().get(&local_url).send().await.unwrap().status(),
        StatusCode::NOT_FOUND
    );
    let again: Value = http()
        .get(server.url(&format!(
            "/api/v1/statuses/{}",
            status["id"].as_str().unwrap()
        )))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(again["emojis"].as_array().unwrap().len(), 1);
    server.stop().await;
}

#[tokio::test]
async fn bad_emojis_are_refused_and_nothing_is_kept() {
    let instance = TestInstance::new().await;
    let server = instance.start().await;
    let png = write_png(&instance, "ok.png", 16);
    let huge = write_png(&instance, "huge.png", 2048);
    let not_image = instance.data_dir().join("notes.txt");
    std::fs::write(&not_image, "just text").unwrap();
    let not_image = not_image.to_string_lossy().into_owned();
    instance
        .cli_ok(&["admin", "emoji", "add", "taken", &png])
        .await;
    let media_files = || walk(&instance.data_dir().join("media")).len();
    let files_before = media_files();
    for (args, expected) in [
        (vec!["x", png.as_str()], "Shortcode"),
        (vec!["has-dash", png.as_str()], "Shortcode"),
        (vec!["taken", png.as_str()], "already been taken"),
        (vec!["huge", huge.as_str()], "too large"),
        (vec!["text", not_image.as_str()], "not supported"),
        (vec!["missing", "/nonexistent/file.png"], "cannot read"),
    ] {
        let mut full = vec!["admin", "emoji", "add"];
        full.extend(args.iter().copied());
        let output = instance.cli(&full).await;
        assert!(!output.status.success(), "{args:?} should fail");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains(expected), "{args:?}: {stderr}");
    }
    assert_eq!(media_files(), files_before, "no file left behind");
    let output = instance.cli(&["admin", "emoji", "remove", "absent"]).await;
    assert!(!output.status.success());
    let emojis: Value = http()
        .get(server.url("/api/v1/custom_emojis"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(emojis.as_array().unwrap().len(), 1);
    server.stop().await;
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut files = Vec::new();
    if let Ok(entries) = std::fs::read_dir(dir) {
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                files.extend(walk(&path));
            } else {
                files.push(path);
            }
        }
    }
    files
}
