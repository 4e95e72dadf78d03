//! How local accounts and statuses look to other servers, over HTTP as a peer fetches them:
//! actors (with keys that verify their signatures), the instance actor, WebFinger, notes and
//! polls addressed by visibility, the activities that published them, outbox, followers,
//! following, featured and replies collections with their paging, content negotiation (JSON for
//! servers, redirects and plain HTML pages for browsers), and the refusals.
//!
//! Every ActivityPub document fetched here is also read back with Woolly's own lenient
//! vocabulary types (`ap_get`), so what Woolly writes is what its inbox will read.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::time::Duration;

use common::{TestInstance, TestServer, account, remote_account};
use reqwest::StatusCode;
use reqwest::header::{ACCEPT, CONTENT_TYPE, LOCATION};
use serde_json::{Value, json};
use woolly_federation::vocab::{Document, PUBLIC};

const AP: &str = "application/activity+json";
const LD: &str = "application/ld+json; profile=\"https://www.w3.org/ns/activitystreams\"";
const BROWSER: &str = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";

/// A client that shows redirects instead of following them.
fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .timeout(Duration::from_secs(30))
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

/// Fetches `url` (a path or a full URL) as a peer does; returns the status and the body.
async fn fetch(server: &TestServer, url: &str, accept: Option<&str>) -> reqwest::Response {
    let url = if url.starts_with("http") {
        url.to_owned()
    } else {
        server.url(url)
    };
    let mut request = client().get(url);
    if let Some(accept) = accept {
        request = request.header(ACCEPT, accept);
    }
    request.send().await.unwrap()
}

/// Fetches an ActivityPub document that must exist: checks its media type and `@context`, reads
/// it back with the vocabulary types (its id must survive), and returns it as JSON.
async fn ap_get(server: &TestServer, url: &str) -> Value {
    let response = fetch(server, url, Some(AP)).await;
    assert_eq!(response.status(), StatusCode::OK, "GET {url}");
    assert_eq!(
        response.headers()[CONTENT_TYPE],
        "application/activity+json; charset=utf-8",
        "GET {url}"
    );
    let text = response.text().await.unwrap();
    let document = Document::from_json(&text)
        .unwrap_or_else(|error| panic!("{url} does not read back: {error}\n{text}"));
    let json: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(
        json["@context"][0], "https://www.w3.org/ns/activitystreams",
        "{url}"
    );
    assert_eq!(json["@context"][1], "https://w3id.org/security/v1", "{url}");
    assert_eq!(document.id(), json["id"].as_str(), "{url}");
    json
}

/// Fetches a URL that must not be served: 404, with Mastodon's error body for servers and a
/// page for browsers.
async fn assert_not_found(server: &TestServer, url: &str, accept: &str) {
    let response = fetch(server, url, Some(accept)).await;
    assert_eq!(
        response.status(),
        StatusCode::NOT_FOUND,
        "GET {url} ({accept})"
    );
    if accept == BROWSER && url.starts_with("/@") {
        let page = response.text().await.unwrap();
        assert!(page.starts_with("<!DOCTYPE html>"), "GET {url}: {page}");
        return;
    }
    let body: Value = response.json().await.unwrap();
    assert_eq!(body, json!({"error": "Record not found"}), "GET {url}");
}

async fn post(server: &TestServer, token: &str, path: &str, body: Value) -> Value {
    let (status, body) = server
        .call(reqwest::Method::POST, path, Some(token), body)
        .await;
    assert_eq!(status, StatusCode::OK, "POST {path}: {body}");
    body
}

async fn post_status(server: &TestServer, token: &str, body: Value) -> Value {
    post(server, token, "/api/v1/statuses", body).await
}

fn strings(value: &Value) -> Vec<&str> {
    value
        .as_array()
        .unwrap_or_else(|| panic!("not an array: {value}"))
        .iter()
        .map(|item| item.as_str().unwrap())
        .collect()
}

/// The server, calling itself `127.0.0.1:PORT`, so that the links it writes can be followed.
async fn start(instance: &TestInstance) -> TestServer {
    instance.start_on_own_domain().await
}

fn domain(server: &TestServer) -> String {
    server.base_url.trim_start_matches("http://").to_owned()
}

#[tokio::test]
async fn actor_document_has_mastodon_shape_and_a_key_that_verifies() {
    use aws_lc_rs::signature::{self, KeyPair as _, RsaKeyPair, UnparsedPublicKey};
    use base64::Engine as _;

    let instance = TestInstance::new().await;
    let server = start(&instance).await;
    let (token, id) = account(&server, "alice").await;
    let response = common::http()
        .patch(server.url("/api/v1/accounts/update_credentials"))
        .bearer_auth(&token)
        .form(&[
            ("display_name", "Alice Knits"),
            ("note", "I knit."),
            ("fields_attributes[0][name]", "Site"),
            ("fields_attributes[0][value]", "https://alice.example"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);

    let base = &server.base_url;
    let actor = ap_get(&server, "/users/alice").await;
    let me = format!("{base}/users/alice");
    assert_eq!(actor["id"], me);
    assert_eq!(actor["type"], "Person");
    assert_eq!(actor["preferredUsername"], "alice");
    assert_eq!(actor["name"], "Alice Knits");
    assert_eq!(actor["summary"], "<p>I knit.</p>");
    assert_eq!(actor["url"], format!("{base}/@alice"));
    for (field, path) in [
        ("inbox", "/inbox"),
        ("outbox", "/outbox"),
        ("followers", "/followers"),
        ("following", "/following"),
        ("featured", "/collections/featured"),
        ("featuredTags", "/collections/tags"),
    ] {
        assert_eq!(actor[field], format!("{me}{path}"), "{field}");
    }
    assert_eq!(actor["endpoints"]["sharedInbox"], format!("{base}/inbox"));
    assert_eq!(actor["manuallyApprovesFollowers"], false);
    assert_eq!(actor["discoverable"], true);
    // Found by full-text search only once its owner opts in.
    assert_eq!(actor["indexable"], false);
    assert_eq!(actor["memorial"], false);
    let published = actor["published"].as_str().unwrap();
    assert!(published.ends_with("T00:00:00Z"), "{published}");
    assert_eq!(actor["tag"], json!([]));
    assert_eq!(actor["attachment"][0]["type"], "PropertyValue");
    assert_eq!(actor["attachment"][0]["name"], "Site");
    assert!(
        actor["attachment"][0]["value"]
            .as_str()
            .unwrap()
            .contains("<a href=\"https://alice.example\"")
    );
    // The AS context and the extension terms the document uses.
    let extensions = &actor["@context"][2];
    for term in [
        "manuallyApprovesFollowers",
        "featured",
        "featuredTags",
        "discoverable",
        "indexable",
        "PropertyValue",
        "value",
    ] {
        assert!(
            extensions.get(term).is_some(),
            "{term} missing from the context"
        );
    }

    // The key: its id and owner, and it verifies what the account's private key signs.
    let key = &actor["publicKey"];
    assert_eq!(key["id"], format!("{me}#main-key"));
    assert_eq!(key["owner"], me);
    let pem = key["publicKeyPem"].as_str().unwrap();
    assert!(pem.starts_with("-----BEGIN PUBLIC KEY-----\n"), "{pem}");
    let der = |pem: &str| {
        let body: String = pem
            .lines()
            .filter(|line| !line.starts_with("-----"))
            .collect();
        base64::engine::general_purpose::STANDARD
            .decode(body)
            .unwrap()
    };
    let private_key_pem = server
        .woolly
        .federation()
        .account_private_key(id.parse().unwrap())
        .await
        .unwrap()
        .unwrap();
    let private = RsaKeyPair::from_pkcs8(&der(&private_key_pem)).unwrap();
    let message = b"(request-target): get /users/bob\nhost: example.org";
    let mut signed = vec![0; private.public_modulus_len()];
    private
        .sign(
            &signature::RSA_PKCS1_SHA256,
            &aws_lc_rs::rand::SystemRandom::new(),
            message,
            &mut signed,
        )
        .unwrap();
    let public = UnparsedPublicKey::new(&signature::RSA_PKCS1_2048_8192_SHA256, der(pem));
    public.verify(message, &signed).unwrap();
    assert!(public.verify(b"another message", &signed).is_err());
    assert_ne!(private.public_key().as_ref().len(), 0);

    // Bots are services; locked accounts approve their followers.
    let response = common::http()
        .patch(server.url("/api/v1/accounts/update_credentials"))
        .bearer_auth(&token)
        .form(&[("bot", "true"), ("locked", "true")])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let actor = ap_get(&server, "/users/ALICE").await;
    assert_eq!(actor["type"], "Service");
    assert_eq!(actor["manuallyApprovesFollowers"], true);
    assert_eq!(
        actor["id"], me,
        "the canonical name, whatever the URL's case"
    );
}

#[tokio::test]
async fn instance_actor_keeps_its_key_across_restarts() {
    let instance = TestInstance::new().await;
    let server = start(&instance).await;
    let actor = ap_get(&server, "/actor").await;
    let base = server.base_url.clone();
    assert_eq!(actor["id"], format!("{base}/actor"));
    assert_eq!(actor["type"], "Application");
    // Not the domain: with a port it has a colon, which GoToSocial cannot read as a username.
    assert_eq!(actor["preferredUsername"], "mastodon.internal");
    assert_eq!(actor["inbox"], format!("{base}/actor/inbox"));
    assert_eq!(actor["outbox"], format!("{base}/actor/outbox"));
    assert_eq!(actor["manuallyApprovesFollowers"], true);
    assert_eq!(actor["endpoints"]["sharedInbox"], format!("{base}/inbox"));
    assert_eq!(actor["publicKey"]["id"], format!("{base}/actor#main-key"));
    assert_eq!(actor["publicKey"]["owner"], format!("{base}/actor"));
    let pem = actor["publicKey"]["publicKeyPem"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(pem.starts_with("-----BEGIN PUBLIC KEY-----\n"));
    // Only what Mastodon shows of its own instance actor, and its (empty) pinned posts.
    assert!(actor.get("followers").is_none() && actor.get("summary").is_none());
    let outbox = ap_get(&server, "/actor/outbox").await;
    assert_eq!(outbox["type"], "OrderedCollection");
    assert_eq!(outbox["totalItems"], 0);
    // Pinned posts: none, but there to be read (GoToSocial logs an error otherwise).
    assert_eq!(
        actor["featured"],
        format!("{base}/actor/collections/featured")
    );
    let featured = ap_get(&server, "/actor/collections/featured").await;
    assert_eq!(featured["id"], format!("{base}/actor/collections/featured"));
    assert_eq!(featured["type"], "OrderedCollection");
    assert_eq!(featured["totalItems"], 0);
    assert_eq!(featured["orderedItems"], json!([]));
    // Servers ask for it with any Accept; it is JSON whatever they send.
    let response = fetch(&server, "/actor", Some(BROWSER)).await;
    assert_eq!(response.status(), StatusCode::OK);
    server.stop().await;

    let again = start(&instance).await;
    let actor = ap_get(&again, "/actor").await;
    assert_eq!(actor["publicKey"]["publicKeyPem"], pem.as_str());
    again.stop().await;
}

#[tokio::test]
async fn webfinger_finds_accounts_by_address_and_url() {
    let instance = TestInstance::new().await;
    let server = start(&instance).await;
    account(&server, "alice").await;
    let base = server.base_url.clone();
    let domain = domain(&server);
    for resource in [
        format!("acct:alice@{domain}"),
        format!("acct:ALICE@{domain}"),
        format!("alice@{domain}"),
        format!("{base}/@alice"),
        format!("{base}/users/alice"),
    ] {
        let response = client()
            .get(server.url("/.well-known/webfinger"))
            .query(&[("resource", &resource)])
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::OK, "{resource}");
        assert_eq!(
            response.headers()[CONTENT_TYPE],
            "application/jrd+json; charset=utf-8"
        );
        assert_eq!(response.headers()["access-control-allow-origin"], "*");
        let jrd: Value = response.json().await.unwrap();
        assert_eq!(
            jrd,
            json!({
                "subject": format!("acct:alice@{domain}"),
                "aliases": [format!("{base}/@alice"), format!("{base}/users/alice")],
                "links": [
                    {
                        "rel": "http://webfinger.net/rel/profile-page",
                        "type": "text/html",
                        "href": format!("{base}/@alice"),
                    },
                    {
                        "rel": "self",
                        "type": "application/activity+json",
                        "href": format!("{base}/users/alice"),
                    },
                    {
                        "rel": "http://ostatus.org/schema/1.0/subscribe",
                        "template": format!("{base}/authorize_interaction?uri={{uri}}"),
                    },
                ],
            }),
            "{resource}"
        );
    }
    // The `self` link leads to the actor.
    let actor = ap_get(&server, &format!("{base}/users/alice")).await;
    assert_eq!(actor["preferredUsername"], "alice");

    // The instance actor answers to its username, and to domain@domain as it was once named
    // (and as Mastodon's still answers); both give its username.
    for resource in [
        format!("acct:mastodon.internal@{domain}"),
        format!("acct:{domain}@{domain}"),
        format!("{base}/actor"),
    ] {
        let response = client()
            .get(server.url("/.well-known/webfinger"))
            .query(&[("resource", &resource)])
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::OK, "{resource}");
        let jrd: Value = response.json().await.unwrap();
        assert_eq!(jrd["subject"], format!("acct:mastodon.internal@{domain}"));
        assert_eq!(jrd["links"][1]["href"], format!("{base}/actor"));
    }

    for (query, status) in [
        (String::new(), StatusCode::BAD_REQUEST),
        ("?resource=".to_owned(), StatusCode::BAD_REQUEST),
        ("?resource=alice".to_owned(), StatusCode::BAD_REQUEST),
        ("?resource=acct%3A%40".to_owned(), StatusCode::BAD_REQUEST),
        (
            "?resource=mailto%3Aalice".to_owned(),
            StatusCode::BAD_REQUEST,
        ),
        ("?resource=%zz".to_owned(), StatusCode::BAD_REQUEST),
        (
            format!("?resource=acct:nobody@{domain}"),
            StatusCode::NOT_FOUND,
        ),
        (
            "?resource=acct:alice@elsewhere.example".to_owned(),
            StatusCode::NOT_FOUND,
        ),
        (
            "?resource=https://elsewhere.example/@alice".to_owned(),
            StatusCode::NOT_FOUND,
        ),
        (
            format!("?resource={base}/users/alice/statuses/1"),
            StatusCode::NOT_FOUND,
        ),
    ] {
        let response = client()
            .get(format!("{base}/.well-known/webfinger{query}"))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), status, "{query:?}");
        assert_eq!(response.headers()["access-control-allow-origin"], "*");
        let body: Value = response.json().await.unwrap();
        assert!(body["error"].is_string(), "{query:?}: {body}");
    }

    // host-meta points at WebFinger.
    let host_meta = client()
        .get(server.url("/.well-known/host-meta"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(host_meta.contains(&format!(
        "template=\"{base}/.well-known/webfinger?resource={{uri}}\""
    )));
}

#[tokio::test]
async fn notes_are_addressed_by_visibility_and_only_public_ones_are_served() {
    let instance = TestInstance::new().await;
    let server = start(&instance).await;
    let (alice, alice_id) = account(&server, "alice").await;
    account(&server, "bob").await;
    let base = server.base_url.clone();
    let me = format!("{base}/users/alice");
    let followers = format!("{me}/followers");
    let bob = format!("{base}/users/bob");

    let public = post_status(
        &server,
        &alice,
        json!({"status": "Hello @bob #Knitting", "visibility": "public", "language": "en"}),
    )
    .await;
    let uri = public["uri"].as_str().unwrap().to_owned();
    let id = public["id"].as_str().unwrap().to_owned();
    assert_eq!(uri, format!("{me}/statuses/{id}"));
    let note = ap_get(&server, &uri).await;
    assert_eq!(note["id"], uri);
    assert_eq!(note["type"], "Note");
    assert_eq!(note["attributedTo"], me);
    assert_eq!(note["url"], format!("{base}/@alice/{id}"));
    assert_eq!(strings(&note["to"]), [PUBLIC]);
    assert_eq!(strings(&note["cc"]), [followers.as_str(), bob.as_str()]);
    assert_eq!(note["content"], public["content"]);
    assert_eq!(note["contentMap"], json!({"en": public["content"]}));
    assert_eq!(note["sensitive"], false);
    assert!(note.get("summary").is_none() && note.get("inReplyTo").is_none());
    assert!(note.get("updated").is_none());
    let created_at = public["created_at"].as_str().unwrap();
    assert_eq!(note["published"], format!("{}Z", &created_at[..19]));
    assert_eq!(
        note["tag"],
        json!([
            {"type": "Mention", "href": bob, "name": "@bob"},
            {"type": "Hashtag", "href": format!("{base}/tags/knitting"), "name": "#knitting"},
        ])
    );
    assert_eq!(note["attachment"], json!([]));
    assert_eq!(note["replies"]["id"], format!("{uri}/replies"));
    // The first page is embedded, as Mastodon embeds it (GoToSocial reads no other): no
    // self-replies, so it leads straight to everyone else's.
    assert_eq!(
        note["replies"]["first"],
        json!({
            "type": "CollectionPage",
            "partOf": format!("{uri}/replies"),
            "items": [],
            "next": format!("{uri}/replies?page=true&only_other_accounts=true"),
        })
    );
    assert_eq!(
        note["likes"],
        json!({"id": format!("{uri}/likes"), "type": "Collection", "totalItems": 0})
    );
    assert_eq!(note["shares"]["totalItems"], 0);

    // Unlisted: followers first, everyone in copy; a reply names its parent; a content warning
    // is the summary.
    let unlisted = post_status(
        &server,
        &alice,
        json!({"status": "Quieter, @bob", "visibility": "unlisted", "in_reply_to_id": id,
               "spoiler_text": "yarn talk", "sensitive": true}),
    )
    .await;
    let note = ap_get(&server, unlisted["uri"].as_str().unwrap()).await;
    assert_eq!(strings(&note["to"]), [followers.as_str()]);
    assert_eq!(strings(&note["cc"]), [PUBLIC, bob.as_str()]);
    assert_eq!(note["inReplyTo"], uri);
    assert_eq!(note["summary"], "yarn talk");
    assert_eq!(note["sensitive"], true);

    // A content warning alone makes a note sensitive, as Mastodon marks it; and what would
    // read as markup in it is escaped, so that peers reading `summary` as HTML (GoToSocial)
    // keep it, while the rest is written as typed, as Mastodon writes it.
    let warned = post_status(
        &server,
        &alice,
        json!({"status": "Spoilers", "spoiler_text": "<3 the <b>finale</b> & more",
               "sensitive": false}),
    )
    .await;
    let note = ap_get(&server, warned["uri"].as_str().unwrap()).await;
    assert_eq!(note["summary"], "<3 the &lt;b>finale&lt;/b> & more");
    assert_eq!(note["sensitive"], true);

    // Followers-only and direct posts are not served to anonymous fetches, by any URL.
    for visibility in ["private", "direct"] {
        let status = post_status(
            &server,
            &alice,
            json!({"status": format!("Only for some, @bob ({visibility})"), "visibility": visibility}),
        )
        .await;
        let uri = status["uri"].as_str().unwrap();
        let id = status["id"].as_str().unwrap();
        for url in [
            uri.to_owned(),
            format!("{uri}/activity"),
            format!("{uri}/replies"),
            format!("{uri}/likes"),
            format!("{uri}/shares"),
            format!("/@alice/{id}"),
        ] {
            assert_not_found(&server, &url, AP).await;
        }
        assert_not_found(&server, &format!("/@alice/{id}"), BROWSER).await;

        // Their addressing, as the delivery will render it: followers or mentioned accounts
        // only, never the public collection.
        let view = server
            .woolly
            .statuses()
            .view(Some(alice_id.parse().unwrap()), id.parse().unwrap())
            .await
            .unwrap();
        let (to, cc) = woolly_federation::render::addressing(&server.woolly, &view);
        if visibility == "private" {
            assert_eq!((to, cc), (vec![followers.clone()], vec![bob.clone()]));
        } else {
            assert_eq!((to, cc), (vec![bob.clone()], Vec::<String>::new()));
        }
    }
}

#[tokio::test]
async fn polls_are_questions() {
    let instance = TestInstance::new().await;
    let server = start(&instance).await;
    let (alice, _) = account(&server, "alice").await;
    let single = post_status(
        &server,
        &alice,
        json!({"status": "Tea or coffee?",
               "poll": {"options": ["tea", "coffee"], "expires_in": 3600}}),
    )
    .await;
    let question = ap_get(&server, single["uri"].as_str().unwrap()).await;
    assert_eq!(question["type"], "Question");
    assert_eq!(
        question["oneOf"],
        json!([
            {"type": "Note", "name": "tea", "replies": {"type": "Collection", "totalItems": 0}},
            {"type": "Note", "name": "coffee", "replies": {"type": "Collection", "totalItems": 0}},
        ])
    );
    assert!(question.get("anyOf").is_none());
    assert_eq!(question["votersCount"], 0);
    let expires_at = single["poll"]["expires_at"].as_str().unwrap();
    assert_eq!(
        question["endTime"].as_str().unwrap(),
        format!("{}Z", &expires_at[..19])
    );
    assert!(question.get("closed").is_none());

    let multiple = post_status(
        &server,
        &alice,
        json!({"status": "Which yarns?",
               "poll": {"options": ["wool", "silk", "cotton"], "expires_in": 3600,
                        "multiple": true, "hide_totals": true}}),
    )
    .await;
    let question = ap_get(&server, multiple["uri"].as_str().unwrap()).await;
    assert_eq!(question["anyOf"].as_array().unwrap().len(), 3);
    assert!(question.get("oneOf").is_none());
    // Hidden tallies stay hidden until the end.
    assert!(question["anyOf"][0]["replies"].get("totalItems").is_none());

    let poll_id: i64 = multiple["poll"]["id"].as_str().unwrap().parse().unwrap();
    assert!(server.woolly.statuses().end_poll(poll_id).await.unwrap());
    let question = ap_get(&server, multiple["uri"].as_str().unwrap()).await;
    assert!(question["closed"].is_string(), "{question}");
    assert_eq!(question["closed"], question["endTime"]);
    assert_eq!(question["anyOf"][0]["replies"]["totalItems"], 0);
}

#[tokio::test]
async fn statuses_are_published_by_create_and_reblogs_by_announce() {
    let instance = TestInstance::new().await;
    let server = start(&instance).await;
    let (alice, _) = account(&server, "alice").await;
    let (bob, _) = account(&server, "bob").await;
    let base = server.base_url.clone();
    let status = post_status(&server, &alice, json!({"status": "Cast on today"})).await;
    let uri = status["uri"].as_str().unwrap().to_owned();
    let note = ap_get(&server, &uri).await;

    let create = ap_get(&server, &format!("{uri}/activity")).await;
    assert_eq!(create["id"], format!("{uri}/activity"));
    assert_eq!(create["type"], "Create");
    assert_eq!(create["actor"], format!("{base}/users/alice"));
    assert_eq!(create["published"], note["published"]);
    assert_eq!(create["to"], note["to"]);
    assert_eq!(create["cc"], note["cc"]);
    let mut embedded = note.clone();
    embedded.as_object_mut().unwrap().remove("@context");
    assert_eq!(create["object"], embedded);

    let reblog = post(
        &server,
        &bob,
        &format!("/api/v1/statuses/{}/reblog", status["id"].as_str().unwrap()),
        json!({}),
    )
    .await;
    let reblog_uri = reblog["uri"].as_str().unwrap().to_owned();
    let reblog_id = reblog["id"].as_str().unwrap();
    assert_eq!(
        reblog_uri,
        format!("{base}/users/bob/statuses/{reblog_id}/activity")
    );
    let announce = ap_get(&server, &reblog_uri).await;
    assert_eq!(announce["id"], reblog_uri);
    assert_eq!(announce["type"], "Announce");
    assert_eq!(announce["actor"], format!("{base}/users/bob"));
    assert_eq!(announce["object"], uri);
    assert_eq!(strings(&announce["to"]), [PUBLIC]);
    assert_eq!(
        strings(&announce["cc"]),
        [
            format!("{base}/users/alice").as_str(),
            format!("{base}/users/bob/followers").as_str()
        ]
    );
    // The reblog's own URL leads to what it reblogs: its id for servers, its page for people.
    let response = fetch(
        &server,
        &format!("/users/bob/statuses/{reblog_id}"),
        Some(AP),
    )
    .await;
    assert_eq!(response.status(), StatusCode::FOUND);
    assert_eq!(response.headers()[LOCATION], uri.as_str());
    let response = fetch(&server, &format!("/@bob/{reblog_id}"), Some(BROWSER)).await;
    assert_eq!(response.status(), StatusCode::FOUND);
    assert_eq!(
        response.headers()[LOCATION],
        status["url"].as_str().unwrap()
    );

    // Counted on the reblogged note.
    let note = ap_get(&server, &uri).await;
    assert_eq!(note["shares"]["totalItems"], 1);
    let shares = ap_get(&server, &format!("{uri}/shares")).await;
    assert_eq!(
        shares,
        json!({
            "@context": shares["@context"],
            "id": format!("{uri}/shares"),
            "type": "Collection",
            "totalItems": 1,
        })
    );
    post(
        &server,
        &bob,
        &format!(
            "/api/v1/statuses/{}/favourite",
            status["id"].as_str().unwrap()
        ),
        json!({}),
    )
    .await;
    let likes = ap_get(&server, &format!("{uri}/likes")).await;
    assert_eq!(likes["totalItems"], 1);
}

#[tokio::test]
async fn outbox_pages_through_public_activities() {
    let instance = TestInstance::new().await;
    let server = start(&instance).await;
    let (alice, _) = account(&server, "alice").await;
    let base = server.base_url.clone();
    let outbox_url = format!("{base}/users/alice/outbox");
    let mut public_ids = Vec::new();
    for number in 0..23 {
        let status = post_status(&server, &alice, json!({"status": format!("Row {number}")})).await;
        public_ids.push(status["uri"].as_str().unwrap().to_owned());
        if number == 10 {
            for visibility in ["private", "direct"] {
                post_status(
                    &server,
                    &alice,
                    json!({"status": format!("hidden {visibility}"), "visibility": visibility}),
                )
                .await;
            }
        }
    }
    public_ids.reverse();

    let outbox = ap_get(&server, "/users/alice/outbox").await;
    assert_eq!(outbox["id"], outbox_url);
    assert_eq!(outbox["type"], "OrderedCollection");
    // Mastodon counts all of the account's statuses, listing only those the reader may see.
    assert_eq!(outbox["totalItems"], 25);
    assert_eq!(outbox["first"], format!("{outbox_url}?page=true"));
    assert_eq!(outbox["last"], format!("{outbox_url}?min_id=0&page=true"));

    let first = ap_get(&server, outbox["first"].as_str().unwrap()).await;
    assert_eq!(first["type"], "OrderedCollectionPage");
    assert_eq!(first["partOf"], outbox_url);
    let items = first["orderedItems"].as_array().unwrap();
    assert_eq!(items.len(), 20);
    assert!(items.iter().all(|item| item["type"] == "Create"));
    let objects: Vec<&str> = items
        .iter()
        .map(|item| item["object"]["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        objects,
        public_ids[..20]
            .iter()
            .map(String::as_str)
            .collect::<Vec<_>>()
    );
    assert!(
        items
            .iter()
            .all(|item| !item.to_string().contains("hidden"))
    );

    let second = ap_get(&server, first["next"].as_str().unwrap()).await;
    let objects: Vec<&str> = second["orderedItems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|item| item["object"]["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        objects,
        public_ids[20..]
            .iter()
            .map(String::as_str)
            .collect::<Vec<_>>()
    );
    assert!(second.get("next").is_none(), "a short page is the last");
    // Back to newer ones.
    let previous = ap_get(&server, second["prev"].as_str().unwrap()).await;
    assert_eq!(previous["orderedItems"].as_array().unwrap().len(), 20);

    // The last page: the oldest twenty, newest first.
    let last = ap_get(&server, outbox["last"].as_str().unwrap()).await;
    let objects: Vec<&str> = last["orderedItems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|item| item["object"]["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        objects,
        public_ids[3..]
            .iter()
            .map(String::as_str)
            .collect::<Vec<_>>()
    );

    for bad in ["?page=true&max_id=abc", "?page=true&min_id=1.5"] {
        let response = fetch(&server, &format!("/users/alice/outbox{bad}"), Some(AP)).await;
        assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{bad}");
        let body: Value = response.json().await.unwrap();
        assert!(body["error"].as_str().unwrap().contains("must be a number"));
    }
}

#[tokio::test]
async fn followers_and_following_are_counted_and_paged() {
    let instance = TestInstance::new().await;
    let server = start(&instance).await;
    let (_, alice_id) = account(&server, "alice").await;
    let (bob, bob_id) = account(&server, "bob").await;
    let base = server.base_url.clone();
    post(
        &server,
        &bob,
        &format!("/api/v1/accounts/{alice_id}/follow"),
        json!({}),
    )
    .await;
    let alice_id: i64 = alice_id.parse().unwrap();
    // Thirteen followers from elsewhere, as the inbox will store them.
    let mut remote_followers = Vec::new();
    for number in 0..13 {
        let remote = remote_account(&server, &format!("fan{number}"), "fans.example").await;
        server
            .woolly
            .relations()
            .follow(&remote, alice_id, woolly_store::FollowOptions::default())
            .await
            .unwrap();
        remote_followers.push(format!("https://fans.example/users/fan{number}"));
    }

    let followers_url = format!("{base}/users/alice/followers");
    let followers = ap_get(&server, "/users/alice/followers").await;
    assert_eq!(
        followers,
        json!({
            "@context": followers["@context"],
            "id": followers_url,
            "type": "OrderedCollection",
            "totalItems": 14,
            "first": format!("{followers_url}?page=true"),
        })
    );
    let first = ap_get(&server, followers["first"].as_str().unwrap()).await;
    assert_eq!(first["type"], "OrderedCollectionPage");
    assert_eq!(first["partOf"], followers_url);
    assert_eq!(first["totalItems"], 14);
    assert!(first.get("prev").is_none());
    let mut newest_first: Vec<String> = remote_followers.iter().rev().cloned().collect();
    newest_first.push(format!("{base}/users/bob"));
    assert_eq!(strings(&first["orderedItems"]), newest_first[..12]);
    let second = ap_get(&server, first["next"].as_str().unwrap()).await;
    assert_eq!(strings(&second["orderedItems"]), newest_first[12..]);
    assert!(second.get("next").is_none());
    assert!(second["prev"].is_string());

    let following = ap_get(&server, "/users/bob/following").await;
    assert_eq!(following["totalItems"], 1);
    let page = ap_get(&server, following["first"].as_str().unwrap()).await;
    assert_eq!(
        strings(&page["orderedItems"]),
        [format!("{base}/users/alice")]
    );
    let nobody = ap_get(&server, "/users/bob/followers?page=true").await;
    assert_eq!(nobody["orderedItems"], json!([]));
    assert_eq!(nobody["totalItems"], 0);
    let _ = bob_id;
}

#[tokio::test]
async fn featured_lists_public_pins_and_featured_tags_is_empty() {
    let instance = TestInstance::new().await;
    let server = start(&instance).await;
    let (alice, _) = account(&server, "alice").await;
    let base = server.base_url.clone();
    let mut pinned = Vec::new();
    for (text, visibility) in [
        ("First pin", "public"),
        ("Followers-only pin", "private"),
        ("Second pin", "unlisted"),
    ] {
        let status = post_status(
            &server,
            &alice,
            json!({"status": text, "visibility": visibility}),
        )
        .await;
        let id = status["id"].as_str().unwrap();
        post(
            &server,
            &alice,
            &format!("/api/v1/statuses/{id}/pin"),
            json!({}),
        )
        .await;
        if visibility != "private" {
            pinned.push(status["uri"].as_str().unwrap().to_owned());
        }
    }
    pinned.reverse();
    let featured = ap_get(&server, "/users/alice/collections/featured").await;
    assert_eq!(
        featured["id"],
        format!("{base}/users/alice/collections/featured")
    );
    assert_eq!(featured["type"], "OrderedCollection");
    assert_eq!(featured["totalItems"], 2);
    let notes = featured["orderedItems"].as_array().unwrap();
    let ids: Vec<&str> = notes
        .iter()
        .map(|note| note["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, pinned);
    assert!(
        notes
            .iter()
            .all(|note| note["type"] == "Note" && note.get("@context").is_none())
    );

    let tags = ap_get(&server, "/users/alice/collections/tags").await;
    assert_eq!(
        tags,
        json!({
            "@context": tags["@context"],
            "id": format!("{base}/users/alice/collections/tags"),
            "type": "Collection",
            "totalItems": 0,
            "items": [],
        })
    );
}

#[tokio::test]
async fn replies_list_the_thread_then_everyone_else() {
    let instance = TestInstance::new().await;
    let server = start(&instance).await;
    let (alice, _) = account(&server, "alice").await;
    let (bob, _) = account(&server, "bob").await;
    let root = post_status(&server, &alice, json!({"status": "A thread"})).await;
    let root_id = root["id"].as_str().unwrap();
    let uri = root["uri"].as_str().unwrap().to_owned();
    let own = post_status(
        &server,
        &alice,
        json!({"status": "continued", "in_reply_to_id": root_id}),
    )
    .await;
    let theirs = post_status(
        &server,
        &bob,
        json!({"status": "@alice nice", "in_reply_to_id": root_id}),
    )
    .await;
    post_status(
        &server,
        &bob,
        json!({"status": "@alice just us", "in_reply_to_id": root_id, "visibility": "private"}),
    )
    .await;
    let remote = remote_account(&server, "carol", "elsewhere.example").await;
    let remote_reply = common::remote_status(
        &server,
        &remote,
        "@alice from afar",
        woolly_core::visibility::Visibility::Public,
        Some(root_id),
    )
    .await;
    let remote_uri = server
        .woolly
        .federation()
        .status_uris(&[remote_reply.parse().unwrap()])
        .await
        .unwrap()
        .into_values()
        .next()
        .unwrap();

    let replies = ap_get(&server, &format!("{uri}/replies")).await;
    assert_eq!(replies["id"], format!("{uri}/replies"));
    assert_eq!(replies["type"], "Collection");
    let first = &replies["first"];
    assert_eq!(first["type"], "CollectionPage");
    assert_eq!(first["partOf"], format!("{uri}/replies"));
    let items = first["items"].as_array().unwrap();
    assert_eq!(items.len(), 1);
    assert_eq!(items[0]["id"], own["uri"]);
    assert_eq!(items[0]["inReplyTo"], uri);
    assert_eq!(
        first["next"],
        format!("{uri}/replies?page=true&only_other_accounts=true")
    );
    let others = ap_get(&server, first["next"].as_str().unwrap()).await;
    let items = others["items"].as_array().unwrap();
    assert_eq!(items.len(), 2, "{others}");
    // Local replies embedded, remote ones by URI; the followers-only reply is left out.
    assert_eq!(items[0]["id"], theirs["uri"]);
    assert_eq!(items[1], json!(remote_uri));
    assert!(others.get("next").is_none());
    let page = ap_get(&server, &format!("{uri}/replies?page=true")).await;
    assert_eq!(page["type"], "CollectionPage");
    assert_eq!(page["items"].as_array().unwrap().len(), 1);

    // The note embeds the first page as Mastodon does: the author's replies by id, then on
    // to the rest of them, which leads on to everyone else's.
    let note = ap_get(&server, &uri).await;
    let own_id = own["id"].as_str().unwrap();
    assert_eq!(
        note["replies"],
        json!({
            "id": format!("{uri}/replies"),
            "type": "Collection",
            "first": {
                "type": "CollectionPage",
                "partOf": format!("{uri}/replies"),
                "items": [own["uri"]],
                "next": format!("{uri}/replies?page=true&min_id={own_id}"),
            },
        })
    );
    let rest = ap_get(&server, note["replies"]["first"]["next"].as_str().unwrap()).await;
    assert_eq!(rest["items"], json!([]));
    assert_eq!(
        rest["next"],
        format!("{uri}/replies?page=true&only_other_accounts=true")
    );
    // The reply has none of its own.
    let own_note = ap_get(&server, own["uri"].as_str().unwrap()).await;
    assert_eq!(own_note["replies"]["first"]["items"], json!([]));
}

#[tokio::test]
async fn media_and_custom_emojis_are_described() {
    use reqwest::multipart::{Form, Part};

    let instance = TestInstance::new().await;
    let server = start(&instance).await;
    let (alice, _) = account(&server, "alice").await;
    let base = server.base_url.clone();
    let image = image::RgbImage::from_fn(64, 48, |x, y| image::Rgb([x as u8 * 4, y as u8 * 5, 90]));
    let mut png = Vec::new();
    image
        .write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
        .unwrap();
    std::fs::write(instance.data_dir().join("blob.png"), &png).unwrap();
    let path = instance.data_dir().join("blob.png");
    instance
        .cli_ok(&["admin", "emoji", "add", "blobcat", path.to_str().unwrap()])
        .await;

    let form = Form::new()
        .part(
            "file",
            Part::bytes(png)
                .file_name("yarn.png")
                .mime_str("image/png")
                .unwrap(),
        )
        .text("description", "A ball of yarn")
        .text("focus", "0.5,-0.25");
    let media: Value = common::http()
        .post(server.url("/api/v2/media"))
        .bearer_auth(&alice)
        .multipart(form)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let status = post_status(
        &server,
        &alice,
        json!({"status": "New yarn :blobcat:", "media_ids": [media["id"]]}),
    )
    .await;
    let note = ap_get(&server, status["uri"].as_str().unwrap()).await;
    let attachment = &note["attachment"][0];
    assert_eq!(attachment["type"], "Document");
    assert_eq!(attachment["mediaType"], "image/png");
    assert_eq!(attachment["url"], media["url"]);
    assert_eq!(attachment["name"], "A ball of yarn");
    assert_eq!(attachment["blurhash"], media["blurhash"]);
    assert_eq!(attachment["focalPoint"], json!([0.5, -0.25]));
    assert_eq!(attachment["width"], 64);
    assert_eq!(attachment["height"], 48);

    let emoji = &note["tag"][0];
    assert_eq!(emoji["type"], "Emoji");
    assert_eq!(emoji["name"], ":blobcat:");
    assert_eq!(emoji["id"], format!("{base}/emojis/blobcat"));
    assert_eq!(emoji["icon"]["type"], "Image");
    assert_eq!(emoji["icon"]["mediaType"], "image/png");
    let served = ap_get(&server, "/emojis/blobcat").await;
    assert_eq!(served["id"], emoji["id"]);
    assert_eq!(served["icon"], emoji["icon"]);
    assert_not_found(&server, "/emojis/nosuchemoji", AP).await;
}

#[tokio::test]
async fn browsers_get_pages_and_servers_get_json() {
    let instance = TestInstance::new().await;
    let server = start(&instance).await;
    let (alice, _) = account(&server, "alice").await;
    let base = server.base_url.clone();
    let response = common::http()
        .patch(server.url("/api/v1/accounts/update_credentials"))
        .bearer_auth(&alice)
        .form(&[("display_name", "<script>x</script> Al")])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let status = post_status(
        &server,
        &alice,
        json!({"status": "Hello <b>world</b>", "spoiler_text": "<i>greeting</i>"}),
    )
    .await;
    let id = status["id"].as_str().unwrap();
    let uri = status["uri"].as_str().unwrap();

    // The actor's id sends browsers (and clients that ask for nothing) to the profile page.
    for accept in [Some(BROWSER), Some("*/*"), None] {
        let response = fetch(&server, "/users/alice", accept).await;
        assert_eq!(response.status(), StatusCode::FOUND, "{accept:?}");
        assert_eq!(response.headers()[LOCATION], format!("{base}/@alice"));
        assert_eq!(response.headers()["vary"], "Accept");
    }
    let response = fetch(&server, uri, Some(BROWSER)).await;
    assert_eq!(response.status(), StatusCode::FOUND);
    assert_eq!(response.headers()[LOCATION], format!("{base}/@alice/{id}"));

    // The pages: escaped, with a link to the ActivityPub document.
    let response = fetch(&server, "/@alice", Some(BROWSER)).await;
    assert_eq!(
        response.status(),
        StatusCode::OK,
        "{:?}",
        response.text().await
    );
    assert_eq!(response.headers()[CONTENT_TYPE], "text/html; charset=utf-8");
    let page = response.text().await.unwrap();
    assert!(
        page.contains("&#60;script&#62;x&#60;/script&#62; Al"),
        "{page}"
    );
    assert!(!page.contains("<script>"), "{page}");
    assert!(page.contains(&format!(
        "<link rel=\"alternate\" type=\"application/activity+json\" href=\"{base}/users/alice\">"
    )));
    let response = fetch(&server, &format!("/@alice/{id}"), Some(BROWSER)).await;
    assert_eq!(response.status(), StatusCode::OK);
    let page = response.text().await.unwrap();
    assert!(page.contains("Hello &lt;b&gt;world&lt;/b&gt;"), "{page}");
    assert!(page.contains("<span class=\"p-summary\">&#60;i&#62;greeting&#60;/i&#62;</span>"));
    assert!(!page.contains("<b>world</b>") && !page.contains("<script>"));
    assert!(page.contains(&format!("href=\"{uri}\"")));

    // Both spellings of the ActivityPub media type, on both URLs, get the same JSON.
    let actor = ap_get(&server, "/users/alice").await;
    for accept in [AP, LD, "application/json"] {
        for url in ["/users/alice", "/@alice"] {
            let response = fetch(&server, url, Some(accept)).await;
            assert_eq!(response.status(), StatusCode::OK, "{url} {accept}");
            assert_eq!(response.headers()["vary"], "Accept");
            let document: Value = response.json().await.unwrap();
            assert_eq!(document, actor, "{url} {accept}");
        }
    }
    let note = ap_get(&server, uri).await;
    let same = ap_get(&server, &format!("/@alice/{id}")).await;
    assert_eq!(same, note);
}

#[tokio::test]
async fn unknown_and_malformed_requests_are_refused() {
    let instance = TestInstance::new().await;
    let server = start(&instance).await;
    let (alice, _) = account(&server, "alice").await;
    let (bob, _) = account(&server, "bob").await;
    let alices = post_status(&server, &alice, json!({"status": "mine"})).await;
    let bobs = post_status(&server, &bob, json!({"status": "his"})).await;
    let alices_id = alices["id"].as_str().unwrap();
    let bobs_id = bobs["id"].as_str().unwrap();
    for url in [
        "/users/nobody".to_owned(),
        "/users/nobody/outbox".to_owned(),
        "/users/nobody/followers".to_owned(),
        "/users/nobody/following".to_owned(),
        "/users/nobody/collections/featured".to_owned(),
        "/users/nobody/collections/tags".to_owned(),
        "/@nobody".to_owned(),
        "/users/alice@elsewhere.example".to_owned(),
        "/users/alice/statuses/abc".to_owned(),
        "/users/alice/statuses/-1".to_owned(),
        "/users/alice/statuses/99999999999999999999".to_owned(),
        "/users/alice/statuses/123".to_owned(),
        format!("/users/alice/statuses/{bobs_id}"),
        format!("/users/bob/statuses/{alices_id}/activity"),
        format!("/@bob/{alices_id}"),
        "/@alice/abc".to_owned(),
        "/users/alice/statuses/abc/replies".to_owned(),
    ] {
        assert_not_found(&server, &url, AP).await;
    }
    assert_not_found(&server, "/users/nobody", BROWSER).await;
    assert_not_found(&server, "/@nobody", BROWSER).await;
    // Deleted statuses are gone.
    let response = common::http()
        .delete(server.url(&format!("/api/v1/statuses/{alices_id}")))
        .bearer_auth(&alice)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_not_found(&server, alices["uri"].as_str().unwrap(), AP).await;
}

#[tokio::test]
async fn the_actor_shows_the_accounts_avatar_and_header() {
    let instance = TestInstance::new().await;
    let server = start(&instance).await;
    let (token, _) = account(&server, "alice").await;
    let actor = ap_get(&server, "/users/alice").await;
    assert!(
        actor.get("icon").is_none(),
        "no avatar of her own yet: {actor}"
    );
    let png = |side: u32| {
        let mut bytes = Vec::new();
        image::RgbImage::from_pixel(side, side, image::Rgb([10, 90, 200]))
            .write_to(
                &mut std::io::Cursor::new(&mut bytes),
                image::ImageFormat::Png,
            )
            .unwrap();
        bytes
    };
    let form = reqwest::multipart::Form::new()
        .part(
            "avatar",
            reqwest::multipart::Part::bytes(png(40)).file_name("a.png"),
        )
        .part(
            "header",
            reqwest::multipart::Part::bytes(png(60)).file_name("h.png"),
        );
    let account: Value = common::http()
        .patch(server.url("/api/v1/accounts/update_credentials"))
        .bearer_auth(&token)
        .multipart(form)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let actor = ap_get(&server, "/users/alice").await;
    assert_eq!(actor["icon"]["type"], "Image");
    assert_eq!(actor["icon"]["mediaType"], "image/png");
    assert_eq!(actor["icon"]["url"], account["avatar"]);
    assert_eq!(actor["image"]["url"], account["header"]);
    server.stop().await;
}

#[tokio::test]
async fn an_instance_connects_to_the_fediverse_once() {
    let instance = TestInstance::new().await;
    let server = instance.start().await;
    // The running server connected it; a second connection would resolve remote lookups
    // through another client, so it is refused.
    assert!(woolly_federation::connect(&server.woolly).is_err());
}
