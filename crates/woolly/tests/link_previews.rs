//! Link previews (cards) read from a local test site by a real server: OpenGraph with its image
//! made a thumbnail, oEmbed players (kept only from allowed hosts, always rewritten), redirects,
//! pages that make no card (too large, not HTML, missing, too slow, at a private address), edits,
//! and the `status.update` that tells viewers a card arrived.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::extract::{Request, State};
use axum::http::{StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use common::fediverse::{Node, User, WAIT};
use common::{TestInstance, eventually, http, jobs_idle};
use futures_util::StreamExt as _;
use serde_json::{Value, json};
use tokio_tungstenite::tungstenite::Message;

/// A web site on loopback that counts the requests each of its paths receives.
struct Site {
    base: String,
    host: String,
    hits: Arc<Mutex<HashMap<String, usize>>>,
}

impl Site {
    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    fn hits(&self, path: &str) -> usize {
        self.hits.lock().unwrap().get(path).copied().unwrap_or(0)
    }
}

fn cover_png() -> Vec<u8> {
    let mut png = std::io::Cursor::new(Vec::new());
    image::RgbImage::from_fn(1200, 630, |x, y| {
        image::Rgb([(x % 256) as u8, (y % 256) as u8, 120])
    })
    .write_to(&mut png, image::ImageFormat::Png)
    .unwrap();
    png.into_inner()
}

fn html(body: String) -> Response {
    ([(header::CONTENT_TYPE, "text/html; charset=utf-8")], body).into_response()
}

async fn count(
    State(hits): State<Arc<Mutex<HashMap<String, usize>>>>,
    request: Request,
    next: Next,
) -> Response {
    *hits
        .lock()
        .unwrap()
        .entry(request.uri().path().to_owned())
        .or_default() += 1;
    next.run(request).await
}

async fn site() -> Site {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let host = listener.local_addr().unwrap().to_string();
    let base = format!("http://{host}");
    let hits = Arc::new(Mutex::new(HashMap::new()));
    let article = format!(
        r#"<!doctype html><html lang="en-GB"><head><title>Plain title</title>
        <meta property="og:title" content="Sheep &amp; the fediverse">
        <meta property="og:description" content="Why wool matters.">
        <meta property="og:image" content="/cover.png">
        <meta property="og:image:alt" content="A field of sheep">
        <meta property="og:site_name" content="The Woolly Times">
        <meta property="article:published_time" content="2026-11-30T08:00:00Z">
        <link rel="canonical" href="{base}/article">
        <script type="application/ld+json">{{"@type":"NewsArticle","author":{{"name":"Shaun","url":"/authors/shaun"}}}}</script>
        </head><body><p>Text</p></body></html>"#
    );
    let player = format!(
        r#"<script>alert(1)</script><iframe src="{base}/embed/1" width="640" height="360" onload="alert(2)" style="position:fixed"></iframe>"#
    );
    let video_oembed = json!({
        "version": "1.0", "type": "video", "title": "A video of sheep",
        "author_name": "Vid", "author_url": "/authors/vid",
        "provider_name": "Test Video", "provider_url": "/",
        "html": player, "width": 640, "height": 360, "thumbnail_url": "/cover.png",
    });
    let elsewhere_oembed = json!({
        "version": "1.0", "type": "rich", "title": "Rich",
        "html": "<iframe src=\"https://evil.example/embed\"></iframe><script>steal()</script>",
    });
    let page_with_oembed = |endpoint: &str, title: &str| {
        format!(
            r#"<html><head><meta property="og:title" content="{title}">
            <link rel="alternate" type="application/json+oembed" href="{endpoint}"></head></html>"#
        )
    };
    let video_page = page_with_oembed("/oembed/video", "Video page");
    let elsewhere_page = page_with_oembed("/oembed/elsewhere", "Fallback title");
    let cover = cover_png();
    let app = Router::new()
        .route("/article", get(move || async move { html(article) }))
        .route(
            "/second",
            get(|| async { html("<title>Second page</title>".to_owned()) }),
        )
        .route(
            "/cover.png",
            get(move || async move { ([(header::CONTENT_TYPE, "image/png")], cover) }),
        )
        .route("/video", get(move || async move { html(video_page) }))
        .route(
            "/elsewhere",
            get(move || async move { html(elsewhere_page) }),
        )
        .route(
            "/oembed/video",
            get(move || async move { axum::Json(video_oembed) }),
        )
        .route(
            "/oembed/elsewhere",
            get(move || async move { axum::Json(elsewhere_oembed) }),
        )
        .route(
            "/big",
            get(|| async {
                html(format!(
                    "<title>Big</title>{}",
                    "<p>wool</p>".repeat(200_000)
                ))
            }),
        )
        .route(
            "/slow",
            get(|| async {
                tokio::time::sleep(Duration::from_secs(30)).await;
                html("<title>Slow</title>".to_owned())
            }),
        )
        .route(
            "/text",
            get(|| async { "<title>Not HTML</title>".to_owned() }),
        )
        .route("/missing", get(|| async { StatusCode::NOT_FOUND }))
        .route(
            "/redirect",
            get(|| async { (StatusCode::FOUND, [(header::LOCATION, "/article")]) }),
        )
        .layer(axum::middleware::from_fn_with_state(hits.clone(), count));
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    Site { base, host, hits }
}

/// A server that embeds the players of `site` and gives up on a page after `timeout_seconds`.
async fn node_waiting(site: &Site, timeout_seconds: u64) -> Node {
    let instance = TestInstance::new().await;
    let host = site.host.clone();
    let server = instance
        .start_on_own_domain_with(move |settings| {
            settings.rate_limit_requests = 0;
            settings.link_preview_embed_hosts = vec![host];
            settings.link_preview_timeout_seconds = timeout_seconds;
        })
        .await;
    Node { instance, server }
}

/// A server that embeds the players of `site`, patient enough for a loaded test machine.
async fn node_for(site: &Site) -> Node {
    node_waiting(site, 10).await
}

async fn post(user: &User, text: &str) -> String {
    let status = user
        .post("/api/v1/statuses", json!({ "status": text }))
        .await;
    status["id"].as_str().expect("a posted status").to_owned()
}

/// The status's card once it has one.
async fn card_of(user: &User, id: &str) -> Value {
    eventually(WAIT, "a card", || async {
        let card = user.status(id).await["card"].clone();
        (!card.is_null()).then_some(card)
    })
    .await
}

/// The status's card once every job has run (null for none).
async fn settled_card(node: &Node, user: &User, id: &str) -> Value {
    jobs_idle(&node.server).await;
    user.status(id).await["card"].clone()
}

#[tokio::test]
async fn a_post_shows_the_card_of_its_first_link_with_a_thumbnail() {
    let site = site().await;
    let node = node_for(&site).await;
    let alice = node.user("alice").await;
    let link = site.url("/article");
    let id = post(
        &alice,
        &format!("#sheep news: {link} and also {}", site.url("/second")),
    )
    .await;
    let card = card_of(&alice, &id).await;
    assert_eq!(card["url"], link);
    assert_eq!(card["type"], "link");
    assert_eq!(card["title"], "Sheep & the fediverse");
    assert_eq!(card["description"], "Why wool matters.");
    assert_eq!(card["provider_name"], "The Woolly Times");
    assert_eq!(card["provider_url"], "");
    assert_eq!(card["author_name"], "Shaun");
    assert_eq!(card["author_url"], site.url("/authors/shaun"));
    assert_eq!(
        card["authors"],
        json!([{ "name": "Shaun", "url": site.url("/authors/shaun"), "account": null }])
    );
    assert_eq!(card["language"], "en");
    assert_eq!(card["published_at"], "2026-11-30T08:00:00.000Z");
    assert_eq!(card["html"], "");
    assert_eq!(card["embed_url"], "");
    assert_eq!(card["image_description"], "A field of sheep");
    assert!(
        card["blurhash"].as_str().is_some_and(|hash| hash.len() > 5),
        "{card}"
    );
    // The thumbnail is ours: made smaller, served from this server, a JPEG.
    assert_eq!(
        (card["width"].as_i64(), card["height"].as_i64()),
        (Some(640), Some(336))
    );
    let image = card["image"].as_str().unwrap();
    assert!(image.starts_with(&node.server.base_url), "{image}");
    let thumbnail = http().get(image).send().await.unwrap();
    assert_eq!(thumbnail.status(), 200);
    let bytes = thumbnail.bytes().await.unwrap();
    assert_eq!(&bytes[..3], &[0xff, 0xd8, 0xff], "a JPEG");
    assert_eq!(site.hits("/second"), 0, "only the first link is read");

    // Another post of the same link shows the same card without reading the page again; a link
    // that redirects shows the card of where it leads, under the address it gave.
    let again = post(&alice, &format!("Again: {link}")).await;
    assert_eq!(
        card_of(&alice, &again).await["title"],
        "Sheep & the fediverse"
    );
    let redirected = site.url("/redirect");
    let moved = post(&alice, &format!("Short link {redirected}")).await;
    let moved_card = card_of(&alice, &moved).await;
    assert_eq!(moved_card["url"], redirected);
    assert_eq!(moved_card["title"], "Sheep & the fediverse");
    assert_eq!(
        site.hits("/article"),
        2,
        "once for the link, once through the redirect"
    );
    assert_eq!(site.hits("/cover.png"), 2);

    // A post with media shows its media, not a card.
    let media_id = common::upload_png(&node.server, &alice.token).await;
    let with_media = alice
        .post(
            "/api/v1/statuses",
            json!({ "status": format!("Photo and {link}"), "media_ids": [media_id] }),
        )
        .await;
    let with_media = with_media["id"].as_str().unwrap();
    assert_eq!(settled_card(&node, &alice, with_media).await, Value::Null);
}

#[tokio::test]
async fn players_are_embedded_only_from_allowed_hosts_and_always_rewritten() {
    let site = site().await;
    let node = node_for(&site).await;
    let alice = node.user("alice").await;
    let id = post(&alice, &format!("Watch {}", site.url("/video"))).await;
    let card = card_of(&alice, &id).await;
    assert_eq!(card["type"], "video");
    assert_eq!(card["title"], "A video of sheep");
    assert_eq!(card["author_name"], "Vid");
    assert_eq!(card["author_url"], site.url("/authors/vid"));
    assert_eq!(card["provider_name"], "Test Video");
    assert_eq!(card["provider_url"], site.url("/"));
    assert_eq!(
        (card["width"].as_i64(), card["height"].as_i64()),
        (Some(640), Some(360))
    );
    let player = card["html"].as_str().unwrap();
    assert!(
        player.starts_with(&format!("<iframe src=\"{}\"", site.url("/embed/1"))),
        "{player}"
    );
    assert!(player.contains("sandbox=\""), "{player}");
    for hostile in ["<script", "alert", "onload", "style="] {
        assert!(!player.contains(hostile), "{hostile} in {player}");
    }
    assert!(card["image"].is_string(), "the oEmbed thumbnail: {card}");

    // A player of a host the operator does not allow leaves a plain link card from the page.
    let id = post(&alice, &format!("Look {}", site.url("/elsewhere"))).await;
    let card = card_of(&alice, &id).await;
    assert_eq!(card["type"], "link");
    assert_eq!(card["title"], "Fallback title");
    assert_eq!(card["html"], "");
}

#[tokio::test]
async fn pages_that_cannot_be_read_get_no_card_and_are_not_asked_again() {
    let site = site().await;
    let node = node_waiting(&site, 2).await;
    let alice = node.user("alice").await;
    let mut posts = Vec::new();
    for path in ["/big", "/text", "/missing", "/slow"] {
        posts.push(post(&alice, &format!("See {}", site.url(path))).await);
    }
    // A slow page is given three tries (each cut at the operator's two seconds), then left.
    eventually(WAIT, "three tries of the slow page", || async {
        (site.hits("/slow") == 3).then_some(())
    })
    .await;
    for id in &posts {
        assert_eq!(settled_card(&node, &alice, id).await, Value::Null, "{id}");
    }
    for path in ["/big", "/text", "/missing"] {
        assert_eq!(site.hits(path), 1, "{path} is read once");
    }
    // Posting those links again asks nothing for a day.
    for path in ["/big", "/slow"] {
        let id = post(&alice, &format!("Again {}", site.url(path))).await;
        assert_eq!(settled_card(&node, &alice, &id).await, Value::Null);
    }
    assert_eq!((site.hits("/big"), site.hits("/slow")), (1, 3));
}

#[tokio::test]
async fn pages_at_private_addresses_are_not_read_unless_the_operator_allows_them() {
    let site = site().await;
    let instance = TestInstance::new().await;
    let server = instance
        .start_on_own_domain_with(|settings| {
            settings.rate_limit_requests = 0;
            settings.allow_private_addresses = false;
        })
        .await;
    let node = Node { instance, server };
    let alice = node.user("alice").await;
    let id = post(&alice, &format!("Internal {}", site.url("/article"))).await;
    assert_eq!(settled_card(&node, &alice, &id).await, Value::Null);
    assert_eq!(site.hits("/article"), 0);
}

#[tokio::test]
async fn viewers_hear_when_a_card_arrives_and_edits_change_it() {
    let site = site().await;
    let node = node_for(&site).await;
    let alice = node.user("alice").await;
    let url = format!(
        "{}/api/v1/streaming?stream=public",
        node.server.base_url.replace("http://", "ws://")
    );
    let (mut socket, _) = tokio_tungstenite::connect_async(url).await.unwrap();
    let id = post(&alice, &format!("Read {}", site.url("/article"))).await;
    // `update` when posted, then `status.update` with the card.
    let updated = tokio::time::timeout(WAIT, async {
        loop {
            if let Message::Text(text) = socket.next().await.unwrap().unwrap() {
                let message: Value = serde_json::from_str(&text).unwrap();
                if message["event"] == "status.update" {
                    return serde_json::from_str::<Value>(message["payload"].as_str().unwrap())
                        .unwrap();
                }
            }
        }
    })
    .await
    .expect("a status.update");
    assert_eq!(updated["id"], id);
    assert_eq!(updated["card"]["title"], "Sheep & the fediverse");

    // An edit to another link shows that link's card; an edit without a link shows none.
    let edit = |text: String| {
        let alice = &alice;
        let id = &id;
        async move {
            let response = http()
                .put(format!("{}/api/v1/statuses/{id}", alice.base))
                .bearer_auth(&alice.token)
                .json(&json!({ "status": text }))
                .send()
                .await
                .unwrap();
            assert_eq!(response.status(), 200);
        }
    };
    edit(format!("Now {}", site.url("/second"))).await;
    eventually(WAIT, "the second page's card", || async {
        (alice.status(&id).await["card"]["title"] == "Second page").then_some(())
    })
    .await;
    edit("No link any more".to_owned()).await;
    assert_eq!(settled_card(&node, &alice, &id).await, Value::Null);
}

#[tokio::test]
async fn a_remote_post_gets_its_card_from_the_page_too() {
    let site = site().await;
    let a = node_for(&site).await;
    let b = node_for(&site).await;
    let alice = a.user("alice").await;
    let bob = b.user("bob").await;
    bob.follow_and_wait(&format!("alice@{}", a.domain())).await;
    post(&alice, &format!("From afar {}", site.url("/article"))).await;
    let seen = bob.wait_home("From afar").await;
    let id = seen["id"].as_str().unwrap();
    let card = card_of(&bob, id).await;
    assert_eq!(card["title"], "Sheep & the fediverse");
    assert!(
        card["image"]
            .as_str()
            .unwrap()
            .starts_with(&b.server.base_url)
    );
}

/// A staff member of `node` as a [`User`].
async fn moderator_of(node: &Node) -> User {
    let (token, id) = common::staff_account(&node.server, "mod", "moderator").await;
    User {
        base: node.server.base_url.clone(),
        token,
        id,
        handle: format!("mod@{}", node.domain()),
    }
}

#[tokio::test]
async fn links_shared_by_many_trend_once_moderators_allow_them_or_their_publisher() {
    let site = site().await;
    let node = node_for(&site).await;
    let mut users = Vec::new();
    for index in 0..5 {
        users.push(node.user(&format!("u{index}")).await);
    }
    let hidden = node.user("hidden").await;
    let response = http()
        .patch(format!(
            "{}/api/v1/accounts/update_credentials",
            hidden.base
        ))
        .bearer_auth(&hidden.token)
        .json(&json!({ "discoverable": false }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let moderator = moderator_of(&node).await;
    let article = site.url("/article");
    let second = site.url("/second");

    // The article: four posts who may trend, one of an account that may not, an unlisted one,
    // then the fifth sharer boosts. The second page (no image: too small a card) is posted by
    // all five and never trends.
    let mut shared = Vec::new();
    for user in &users[..4] {
        shared.push(post(user, &format!("Read {article}")).await);
    }
    shared.push(post(&hidden, &format!("Read {article}")).await);
    let unlisted = users[4]
        .post(
            "/api/v1/statuses",
            json!({ "status": format!("Quietly {article}"), "visibility": "unlisted" }),
        )
        .await;
    shared.push(unlisted["id"].as_str().unwrap().to_owned());
    for user in &users {
        shared.push(post(user, &format!("Also {second}")).await);
    }
    for id in &shared {
        card_of(&users[0], id).await;
    }
    users[4]
        .post(&format!("/api/v1/statuses/{}/reblog", shared[0]), json!({}))
        .await;

    // Nothing is shown before review; moderators see the article waiting, with its publisher.
    assert_eq!(users[0].get_ok("/api/v1/trends/links").await, json!([]));
    let waiting = eventually(WAIT, "trending links to review", || async {
        let listed = moderator.get_ok("/api/v1/admin/trends/links").await;
        (!listed.as_array().unwrap().is_empty()).then_some(listed)
    })
    .await;
    assert_eq!(waiting.as_array().unwrap().len(), 1, "{waiting}");
    let link = &waiting[0];
    assert_eq!(link["url"], article);
    assert_eq!(link["title"], "Sheep & the fediverse");
    assert_eq!(
        (link["requires_review"].clone(), link["trendable"].clone()),
        (json!(true), json!(false))
    );
    let today = &link["history"][0];
    assert_eq!(
        (today["uses"].clone(), today["accounts"].clone()),
        (json!("6"), json!("6"))
    );
    assert_eq!(link["history"].as_array().unwrap().len(), 7);
    let (status, _) = users[0].get("/api/v1/admin/trends/links").await;
    assert_eq!(status, 403, "members may not review");
    let publishers = moderator
        .get_ok("/api/v1/admin/trends/links/publishers")
        .await;
    assert_eq!(publishers.as_array().unwrap().len(), 1, "{publishers}");
    assert_eq!(publishers[0]["domain"], "127.0.0.1");
    assert_eq!(publishers[0]["requires_review"], true);

    // Allowing the publisher lets its links trend; refusing the link itself wins over it.
    let publisher_id = publishers[0]["id"].as_str().unwrap();
    let allowed = moderator
        .post(
            &format!("/api/v1/admin/trends/links/publishers/{publisher_id}/approve"),
            json!({}),
        )
        .await;
    assert_eq!(
        (
            allowed["trendable"].clone(),
            allowed["requires_review"].clone()
        ),
        (json!(true), json!(false))
    );
    assert!(allowed["reviewed_at"].is_string(), "{allowed}");
    let trending = users[0].get_ok("/api/v1/trends/links").await;
    assert_eq!(trending.as_array().unwrap().len(), 1, "{trending}");
    assert_eq!(trending[0]["url"], article);
    assert_eq!(trending[0]["type"], "link");
    assert!(trending[0]["image"].is_string());
    assert!(
        trending[0].get("requires_review").is_none(),
        "no moderation fields for members"
    );
    let link_id = link["id"].as_str().unwrap();
    let refused = moderator
        .post(
            &format!("/api/v1/admin/trends/links/{link_id}/reject"),
            json!({}),
        )
        .await;
    assert_eq!(
        (
            refused["trendable"].clone(),
            refused["requires_review"].clone()
        ),
        (json!(false), json!(false))
    );
    assert_eq!(users[0].get_ok("/api/v1/trends/links").await, json!([]));
    for path in ["links/publishers/12345", "links/12345", "links/abc"] {
        let response = http()
            .post(format!(
                "{}/api/v1/admin/trends/{path}/approve",
                moderator.base
            ))
            .bearer_auth(&moderator.token)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 404, "{path}");
    }
}
