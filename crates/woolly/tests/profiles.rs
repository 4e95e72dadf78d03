//! Own profile and settings through the client API: update_credentials, preferences, pins,
//! markers, and the lists of blocked and muted accounts.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{TestInstance, account as me, http};
use reqwest::StatusCode;
use serde_json::{Value, json};

#[tokio::test]
async fn update_credentials_edits_the_profile_and_posting_defaults() {
    let instance = TestInstance::new().await;
    let server = instance.start().await;
    let (token, id) = me(&server, "alice").await;
    // Mastodon.py sends a form with Rails-style nested keys.
    let response = http()
        .patch(server.url("/api/v1/accounts/update_credentials"))
        .bearer_auth(&token)
        .form(&[
            ("display_name", "Alice <3"),
            ("note", "I knit.\nSee https://knit.example/alice #knitting"),
            ("locked", "false"),
            ("bot", "1"),
            ("fields_attributes[0][name]", "Site"),
            ("fields_attributes[0][value]", "https://alice.example"),
            ("fields_attributes[1][name]", "Pronouns"),
            ("fields_attributes[1][value]", "she/her"),
            ("source[privacy]", "unlisted"),
            ("source[sensitive]", "true"),
            ("source[language]", "en"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let account: Value = response.json().await.unwrap();
    assert_eq!(account["display_name"], "Alice <3");
    assert_eq!(account["bot"], true);
    assert!(
        account["note"]
            .as_str()
            .unwrap()
            .starts_with("<p>I knit.<br />See <a href=\"https://knit.example/alice\""),
        "{}",
        account["note"]
    );
    assert_eq!(
        account["source"]["note"],
        "I knit.\nSee https://knit.example/alice #knitting"
    );
    assert_eq!(account["fields"][0]["name"], "Site");
    assert!(
        account["fields"][0]["value"]
            .as_str()
            .unwrap()
            .contains("<a href=\"https://alice.example\"")
    );
    assert_eq!(
        account["source"]["fields"][1],
        json!({"name": "Pronouns", "value": "she/her", "verified_at": null})
    );
    assert_eq!(account["source"]["privacy"], "unlisted");
    assert_eq!(account["source"]["sensitive"], true);
    assert_eq!(account["source"]["language"], "en");

    // JSON works too; only given values change.
    let response = http()
        .patch(server.url("/api/v1/accounts/update_credentials"))
        .bearer_auth(&token)
        .json(&json!({"display_name": "Alice"}))
        .send()
        .await
        .unwrap();
    let account: Value = response.json().await.unwrap();
    assert_eq!(account["display_name"], "Alice");
    assert_eq!(account["bot"], true);

    // The new default visibility applies to new posts.
    let posted: Value = http()
        .post(server.url("/api/v1/statuses"))
        .bearer_auth(&token)
        .json(&json!({"status": "defaults"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(posted["visibility"], "unlisted");
    assert_eq!(posted["sensitive"], true);
    let preferences: Value = http()
        .get(server.url("/api/v1/preferences"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(preferences["posting:default:visibility"], "unlisted");
    assert_eq!(preferences["posting:default:sensitive"], true);
    assert_eq!(preferences["posting:default:language"], "en");

    // Bad edits change nothing.
    for body in [
        json!({"display_name": "x".repeat(31)}),
        json!({"source": {"privacy": "everyone"}}),
        json!({"fields_attributes": [{"name": "a", "value": "1"}, {"name": "b", "value": "2"}, {"name": "c", "value": "3"}, {"name": "d", "value": "4"}, {"name": "e", "value": "5"}]}),
    ] {
        let response = http()
            .patch(server.url("/api/v1/accounts/update_credentials"))
            .bearer_auth(&token)
            .json(&body)
            .send()
            .await
            .unwrap();
        assert_eq!(
            response.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "{body}"
        );
    }
    let public: Value = http()
        .get(server.url(&format!("/api/v1/accounts/{id}")))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(public["display_name"], "Alice");
    assert_eq!(public["fields"].as_array().unwrap().len(), 2);
    server.stop().await;
}

#[tokio::test]
async fn pins_markers_blocks_and_mutes() {
    let instance = TestInstance::new().await;
    let server = instance.start().await;
    let (alice, alice_id) = me(&server, "alice").await;
    let (bob, bob_id) = me(&server, "bob").await;
    let post = |text: &'static str| {
        let alice = alice.clone();
        let server = &server;
        async move {
            let posted: Value = http()
                .post(server.url("/api/v1/statuses"))
                .bearer_auth(&alice)
                .json(&json!({"status": text}))
                .send()
                .await
                .unwrap()
                .json()
                .await
                .unwrap();
            posted["id"].as_str().unwrap().to_owned()
        }
    };
    let first = post("first").await;
    let second = post("second").await;
    let pinned: Value = http()
        .post(server.url(&format!("/api/v1/statuses/{first}/pin")))
        .bearer_auth(&alice)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(pinned["pinned"], true);
    let list: Value = http()
        .get(server.url(&format!("/api/v1/accounts/{alice_id}/statuses?pinned=true")))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(list.as_array().unwrap().len(), 1);
    assert_eq!(list[0]["id"], first.as_str());
    let response = http()
        .post(server.url(&format!("/api/v1/statuses/{second}/pin")))
        .bearer_auth(&bob)
        .send()
        .await
        .unwrap();
    assert_eq!(
        response.status(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "only one's own statuses"
    );
    let unpinned: Value = http()
        .post(server.url(&format!("/api/v1/statuses/{first}/unpin")))
        .bearer_auth(&alice)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(unpinned["pinned"], false);

    // Markers keep the reading position; the version goes up on each move.
    let set: Value = http()
        .post(server.url("/api/v1/markers"))
        .bearer_auth(&bob)
        .form(&[("home[last_read_id]", first.as_str())])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(set["home"]["last_read_id"], first.as_str());
    assert_eq!(set["home"]["version"], 1);
    http()
        .post(server.url("/api/v1/markers"))
        .bearer_auth(&bob)
        .json(&json!({"home": {"last_read_id": second}}))
        .send()
        .await
        .unwrap();
    let markers: Value = http()
        .get(server.url("/api/v1/markers?timeline[]=home&timeline[]=notifications"))
        .bearer_auth(&bob)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(markers["home"]["last_read_id"], second.as_str());
    assert_eq!(markers["home"]["version"], 2);
    assert!(markers.get("notifications").is_none());
    let response = http()
        .post(server.url("/api/v1/markers"))
        .bearer_auth(&bob)
        .json(&json!({"elsewhere": {"last_read_id": "1"}}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);

    // Blocks and mutes are listed, and undone.
    http()
        .post(server.url(&format!("/api/v1/accounts/{alice_id}/block")))
        .bearer_auth(&bob)
        .send()
        .await
        .unwrap();
    let blocks: Value = http()
        .get(server.url("/api/v1/blocks"))
        .bearer_auth(&bob)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(blocks[0]["id"], alice_id.as_str());
    let relationship: Value = http()
        .post(server.url(&format!("/api/v1/accounts/{bob_id}/mute")))
        .bearer_auth(&alice)
        .form(&[("duration", "3600"), ("notifications", "false")])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(relationship["muting"], true);
    assert_eq!(relationship["muting_notifications"], false);
    assert!(relationship["muting_expires_at"].is_string());
    let mutes: Value = http()
        .get(server.url("/api/v1/mutes"))
        .bearer_auth(&alice)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(mutes[0]["id"], bob_id.as_str());
    http()
        .post(server.url(&format!("/api/v1/accounts/{alice_id}/unblock")))
        .bearer_auth(&bob)
        .send()
        .await
        .unwrap();
    let blocks: Value = http()
        .get(server.url("/api/v1/blocks"))
        .bearer_auth(&bob)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(blocks, json!([]));
    server.stop().await;
}

#[tokio::test]
async fn account_statuses_filter_by_hashtag() {
    let instance = TestInstance::new().await;
    let server = instance.start().await;
    let (token, id) = me(&server, "alice").await;
    let mut posted = Vec::new();
    for text in ["about #Knitting", "about nothing"] {
        let status: Value = http()
            .post(server.url("/api/v1/statuses"))
            .bearer_auth(&token)
            .json(&json!({"status": text}))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        posted.push(status["id"].as_str().unwrap().to_owned());
    }
    let tagged: Value = http()
        .get(server.url(&format!("/api/v1/accounts/{id}/statuses?tagged=knitting")))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(tagged.as_array().unwrap().len(), 1);
    assert_eq!(tagged[0]["id"], posted[0].as_str());
    server.stop().await;
}

fn png_bytes(width: u32, height: u32) -> Vec<u8> {
    let image = image::RgbImage::from_fn(width, height, |x, y| {
        image::Rgb([(x % 256) as u8, (y % 256) as u8, 60])
    });
    let mut bytes = Vec::new();
    image
        .write_to(
            &mut std::io::Cursor::new(&mut bytes),
            image::ImageFormat::Png,
        )
        .unwrap();
    bytes
}

fn media_files(instance: &TestInstance) -> usize {
    fn walk(dir: &std::path::Path) -> usize {
        std::fs::read_dir(dir).map_or(0, |entries| {
            entries
                .flatten()
                .map(|entry| {
                    if entry.path().is_dir() {
                        walk(&entry.path())
                    } else {
                        1
                    }
                })
                .sum()
        })
    }
    walk(&instance.data_dir().join("media"))
}

#[tokio::test]
async fn avatars_and_headers_are_uploaded_resized_served_replaced_and_removed() {
    use reqwest::multipart::{Form, Part};
    let instance = TestInstance::new().await;
    let server = instance.start().await;
    let (token, _) = me(&server, "alice").await;
    let update = |form: Form| {
        http()
            .patch(server.url("/api/v1/accounts/update_credentials"))
            .bearer_auth(&token)
            .multipart(form)
            .send()
    };
    let fetch_image = |url: &str| {
        let url = url.replace("http://woolly.test", &server.base_url);
        async move {
            let response = http().get(url).send().await.unwrap();
            assert_eq!(response.status(), StatusCode::OK);
            image::load_from_memory(&response.bytes().await.unwrap()).unwrap()
        }
    };
    let form = Form::new()
        .text("display_name", "Alice")
        .part(
            "avatar",
            Part::bytes(png_bytes(800, 600))
                .file_name("me.png")
                .mime_str("image/png")
                .unwrap(),
        )
        .part(
            "header",
            Part::bytes(png_bytes(3000, 1200))
                .file_name("h.png")
                .mime_str("image/png")
                .unwrap(),
        );
    let response = update(form).await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let account: Value = response.json().await.unwrap();
    assert_eq!(account["display_name"], "Alice");
    let avatar = account["avatar"].as_str().unwrap().to_owned();
    assert!(
        avatar.contains("/media/") && avatar.ends_with("/avatar.png"),
        "{avatar}"
    );
    assert_eq!(account["avatar_static"], avatar);
    let decoded = fetch_image(&avatar).await;
    assert_eq!(
        (decoded.width(), decoded.height()),
        (400, 400),
        "cropped to fill"
    );
    let decoded = fetch_image(account["header"].as_str().unwrap()).await;
    assert_eq!((decoded.width(), decoded.height()), (1500, 500));
    assert_eq!(media_files(&instance), 2);

    // A new avatar replaces the old file; a small one keeps its size.
    let response = update(Form::new().part(
        "avatar",
        Part::bytes(png_bytes(64, 48)).file_name("small.png"),
    ))
    .await
    .unwrap();
    let account: Value = response.json().await.unwrap();
    let new_avatar = account["avatar"].as_str().unwrap().to_owned();
    assert_ne!(new_avatar, avatar);
    let decoded = fetch_image(&new_avatar).await;
    assert_eq!((decoded.width(), decoded.height()), (64, 48));
    assert_eq!(
        media_files(&instance),
        2,
        "the replaced avatar's file is gone"
    );

    // Not an image: refused, nothing changes, nothing is kept.
    let response = update(Form::new().text("display_name", "Changed").part(
        "header",
        Part::bytes(b"not an image".to_vec()).file_name("x.png"),
    ))
    .await
    .unwrap();
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body: Value = response.json().await.unwrap();
    assert!(
        body["error"]
            .as_str()
            .unwrap()
            .starts_with("Validation failed"),
        "{body}"
    );
    let current: Value = http()
        .get(server.url("/api/v1/accounts/verify_credentials"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(current["display_name"], "Alice");
    assert_eq!(current["avatar"], new_avatar);
    assert_eq!(media_files(&instance), 2);

    let response = http()
        .delete(server.url("/api/v1/profile/avatar"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let account: Value = response.json().await.unwrap();
    assert!(
        account["avatar"]
            .as_str()
            .unwrap()
            .ends_with("/avatars/original/missing.png")
    );
    assert!(
        account["header"].as_str().unwrap().ends_with("/header.png"),
        "the header stays"
    );
    assert_eq!(media_files(&instance), 1);
    let response = http()
        .delete(server.url("/api/v1/profile/header"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    server.stop().await;
}
