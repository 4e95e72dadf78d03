//! Search through the client API: accounts, hashtags with their history, statuses the searcher
//! took part in, and links to this server's own pages.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{TestInstance, TestServer, http};
use reqwest::StatusCode;
use serde_json::{Value, json};

async fn search(server: &TestServer, token: Option<&str>, query: &str) -> (StatusCode, Value) {
    let mut request = http().get(server.url(&format!("/api/v2/search?{query}")));
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    let response = request.send().await.unwrap();
    (
        response.status(),
        response.json().await.unwrap_or(Value::Null),
    )
}

fn field(list: &Value, name: &str) -> Vec<String> {
    list.as_array()
        .unwrap()
        .iter()
        .map(|item| item[name].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn search_finds_accounts_hashtags_and_own_statuses() {
    let instance = TestInstance::new().await;
    let server = instance.start().await;
    let alice = instance.account_with_token("alice", "read write").await;
    let bob = instance.account_with_token("alicia_b", "read write").await;
    let carol = instance.account_with_token("carol", "read write").await;
    let post = |token: &str, text: &str| {
        let request = http()
            .post(server.url("/api/v1/statuses"))
            .bearer_auth(token)
            .json(&json!({"status": text}));
        async move { request.send().await.unwrap().json::<Value>().await.unwrap() }
    };
    let knitting = post(&alice, "I love #Knitting and wool").await;
    post(&bob, "more #knitting patterns").await;
    let carol_post = post(&carol, "wool socks are warm").await;

    let (status, results) = search(&server, None, "q=ali&type=accounts").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        field(&results["accounts"], "username"),
        ["alice", "alicia_b"]
    );
    let (_, results) = search(&server, None, "q=@alice@woolly.test").await;
    assert_eq!(field(&results["accounts"], "username"), ["alice"]);

    let (_, results) = search(&server, None, "q=%23knit&type=hashtags").await;
    assert_eq!(results["hashtags"][0]["name"], "knitting");
    assert_eq!(
        results["hashtags"][0]["url"],
        "http://woolly.test/tags/knitting"
    );
    let history = results["hashtags"][0]["history"].as_array().unwrap();
    assert_eq!(history.len(), 7);
    // Two uses by two accounts: today, or across midnight UTC yesterday and today.
    let history = &results["hashtags"][0]["history"];
    assert_eq!(common::history_total(history, "uses"), 2, "{history}");
    assert_eq!(common::history_total(history, "accounts"), 2, "{history}");
    assert!(
        history[0]["uses"] != "0" || history[1]["uses"] != "0",
        "{history}"
    );

    // Statuses: only those the searcher wrote or interacted with.
    let (_, results) = search(&server, Some(&alice), "q=wool&type=statuses").await;
    assert_eq!(
        field(&results["statuses"], "id"),
        [knitting["id"].as_str().unwrap()]
    );
    http()
        .post(server.url(&format!(
            "/api/v1/statuses/{}/favourite",
            carol_post["id"].as_str().unwrap()
        )))
        .bearer_auth(&alice)
        .send()
        .await
        .unwrap();
    let (_, results) = search(&server, Some(&alice), "q=wool&type=statuses").await;
    assert_eq!(results["statuses"].as_array().unwrap().len(), 2);
    let (_, anonymous) = search(&server, None, "q=wool").await;
    assert_eq!(anonymous["statuses"], json!([]));

    // A link to a local status finds it.
    let url = knitting["url"].as_str().unwrap();
    let (_, results) = search(&server, Some(&carol), &format!("q={url}&resolve=true")).await;
    assert_eq!(
        field(&results["statuses"], "id"),
        [knitting["id"].as_str().unwrap()]
    );

    // Wildcards are literal; nonsense finds nothing; bad parameters are refused.
    let (_, results) = search(&server, Some(&alice), "q=%25%25").await;
    assert_eq!(
        results,
        json!({"accounts": [], "statuses": [], "hashtags": []})
    );
    let (status, _) = search(&server, Some(&alice), "q=x&type=everything").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let (status, _) = search(&server, None, "q=x&resolve=true").await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);

    let found: Value = http()
        .get(server.url("/api/v1/accounts/search?q=car"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(field(&found, "username"), ["carol"]);
    server.stop().await;
}

#[tokio::test]
async fn the_directory_lists_discoverable_accounts_by_activity_or_age() {
    let instance = TestInstance::new().await;
    let server = instance.start().await;
    let (alice, _) = common::account(&server, "alice").await;
    let (bob, _) = common::account(&server, "bob").await;
    let (hidden, _) = common::account(&server, "hidden").await;
    common::remote_account(&server, "remy", "other.example").await;
    let response = http()
        .patch(server.url("/api/v1/accounts/update_credentials"))
        .bearer_auth(&hidden)
        .json(&json!({"discoverable": false}))
        .send()
        .await
        .unwrap();
    assert!(response.status().is_success());
    http()
        .post(server.url("/api/v1/statuses"))
        .bearer_auth(&alice)
        .json(&json!({"status": "alice is active"}))
        .send()
        .await
        .unwrap();
    let names = |query: &'static str| {
        let url = server.url(&format!("/api/v1/directory{query}"));
        async move {
            let response = http().get(url).send().await.unwrap();
            assert_eq!(response.status(), StatusCode::OK, "{query}");
            let accounts: Value = response.json().await.unwrap();
            accounts
                .as_array()
                .unwrap()
                .iter()
                .map(|account| account["acct"].as_str().unwrap().to_owned())
                .collect::<Vec<_>>()
        }
    };
    assert_eq!(names("").await[0], "alice", "the active one first");
    assert_eq!(
        names("?order=new").await,
        ["remy@other.example", "bob", "alice"]
    );
    assert_eq!(names("?order=new&local=true").await, ["bob", "alice"]);
    assert_eq!(
        names("?order=new&local=true&limit=1&offset=1").await,
        ["alice"]
    );
    let response = http()
        .get(server.url("/api/v1/directory?order=popular"))
        .bearer_auth(&bob)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    server.stop().await;
}

fn ids(list: &[&String]) -> Vec<String> {
    list.iter().map(|id| (*id).clone()).collect()
}

/// Searches posts as `token`'s owner; the ids found, newest first.
async fn found(server: &TestServer, token: &str, query: &str) -> Vec<String> {
    let url = reqwest::Url::parse_with_params(
        &server.url("/api/v2/search"),
        &[("q", query), ("type", "statuses")],
    )
    .unwrap();
    let response = http().get(url).bearer_auth(token).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK, "{query}");
    let results: Value = response.json().await.unwrap();
    field(&results["statuses"], "id")
}

#[tokio::test]
async fn full_text_search_finds_what_authors_let_be_found_with_mastodons_operators() {
    let instance = TestInstance::new().await;
    let server = instance.start().await;
    let token = |name: &'static str| instance.account_with_token(name, "read write follow");
    let (alice, bob, carol, dave, eve) = (
        token("alice").await,
        token("bob").await,
        token("carol").await,
        token("dave").await,
        token("eve").await,
    );
    // bob, dave and eve let their public posts be found; carol and alice do not.
    for opted_in in [&bob, &dave, &eve] {
        let response = http()
            .patch(server.url("/api/v1/accounts/update_credentials"))
            .bearer_auth(opted_in)
            .json(&json!({"indexable": true}))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::OK);
    }
    let post = |token: &str, body: Value| {
        let request = http()
            .post(server.url("/api/v1/statuses"))
            .bearer_auth(token)
            .json(&body);
        async move {
            let response = request.send().await.unwrap();
            assert_eq!(response.status(), StatusCode::OK);
            let posted: Value = response.json().await.unwrap();
            posted["id"].as_str().unwrap().to_owned()
        }
    };
    let media = common::upload_png(&server, &bob).await;
    let quick = post(
        &bob,
        json!({"status": "The quick brown fox jumps", "language": "en"}),
    )
    .await;
    let lazy = post(
        &bob,
        json!({"status": "A lazy dog sleeps by the fox", "media_ids": [media], "language": "en"}),
    )
    .await;
    let french = post(
        &bob,
        json!({"status": "Le fox du jardin", "language": "fr"}),
    )
    .await;
    let linked = post(
        &bob,
        json!({"status": "A fox at https://example.org/fox", "language": "en"}),
    )
    .await;
    post(
        &bob,
        json!({"status": "fox in the unlisted garden", "visibility": "unlisted"}),
    )
    .await;
    let zebra = post(&carol, json!({"status": "A fox and a zebra"})).await;
    post(
        &dave,
        json!({"status": "fox for followers", "visibility": "private"}),
    )
    .await;
    post(&eve, json!({"status": "fox from someone blocked"})).await;
    let own = post(&alice, json!({"status": "My own notes on the fox"})).await;
    let reply = post(
        &alice,
        json!({"status": "Which fox?", "in_reply_to_id": quick}),
    )
    .await;
    let eve_id = server
        .woolly
        .accounts()
        .local_account("eve")
        .await
        .unwrap()
        .unwrap()
        .id;
    http()
        .post(server.url(&format!("/api/v1/accounts/{eve_id}/block")))
        .bearer_auth(&alice)
        .send()
        .await
        .unwrap();

    // Public posts of those who opted in, and alice's own; never carol's (who did not opt in,
    // even by a word only her post has), an unlisted or followers-only post, or a blocked author.
    assert_eq!(
        found(&server, &alice, "fox").await,
        ids(&[&reply, &own, &linked, &french, &lazy, &quick])
    );
    assert_eq!(found(&server, &alice, "zebra").await, Vec::<String>::new());
    assert_eq!(found(&server, &carol, "zebra").await, ids(&[&zebra]));
    // Once she favourites it, it is in her library.
    http()
        .post(server.url(&format!("/api/v1/statuses/{zebra}/favourite")))
        .bearer_auth(&alice)
        .send()
        .await
        .unwrap();
    assert_eq!(found(&server, &alice, "zebra").await, ids(&[&zebra]));
    assert_eq!(
        found(&server, &alice, "zebra in:public").await,
        Vec::<String>::new()
    );
    // Each way of taking part puts a post in the library, and undoing it takes it out again.
    let act = |path: String| {
        let request = http().post(server.url(&path)).bearer_auth(&alice);
        async move {
            let response = request.send().await.unwrap();
            assert_eq!(response.status(), StatusCode::OK, "{path}");
        }
    };
    let yak = post(&carol, json!({"status": "A yak in the snow"})).await;
    act(format!("/api/v1/statuses/{yak}/bookmark")).await;
    assert_eq!(found(&server, &alice, "yak").await, ids(&[&yak]));
    act(format!("/api/v1/statuses/{yak}/unbookmark")).await;
    assert_eq!(found(&server, &alice, "yak").await, Vec::<String>::new());
    let okapi = post(&carol, json!({"status": "An okapi by the river"})).await;
    act(format!("/api/v1/statuses/{okapi}/reblog")).await;
    assert_eq!(found(&server, &alice, "okapi").await, ids(&[&okapi]));
    act(format!("/api/v1/statuses/{okapi}/unreblog")).await;
    assert_eq!(found(&server, &alice, "okapi").await, Vec::<String>::new());
    let narwhal = post(
        &carol,
        json!({"status": "Narwhal or unicorn?", "poll": {"options": ["narwhal", "unicorn"], "expires_in": 3600}}),
    )
    .await;
    assert_eq!(
        found(&server, &alice, "narwhal").await,
        Vec::<String>::new()
    );
    let poll = server
        .call(
            reqwest::Method::GET,
            &format!("/api/v1/statuses/{narwhal}"),
            Some(&alice),
            Value::Null,
        )
        .await
        .1["poll"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let voted = http()
        .post(server.url(&format!("/api/v1/polls/{poll}/votes")))
        .bearer_auth(&alice)
        .json(&json!({"choices": [0]}))
        .send()
        .await
        .unwrap();
    assert_eq!(voted.status(), StatusCode::OK);
    assert_eq!(found(&server, &alice, "narwhal").await, ids(&[&narwhal]));
    let walrus = post(&carol, json!({"status": "A walrus for @alice"})).await;
    assert_eq!(found(&server, &alice, "walrus").await, ids(&[&walrus]));
    assert_eq!(found(&server, &dave, "walrus").await, Vec::<String>::new());
    act(format!("/api/v1/statuses/{zebra}/unfavourite")).await;
    assert_eq!(found(&server, &alice, "zebra").await, Vec::<String>::new());
    act(format!("/api/v1/statuses/{zebra}/favourite")).await;
    assert_eq!(
        found(&server, &alice, "fox in:library").await,
        ids(&[&reply, &own, &zebra])
    );
    assert_eq!(
        found(&server, &alice, "fox in:public").await,
        ids(&[&linked, &french, &lazy, &quick])
    );

    // Mastodon's operators.
    let cases: [(&str, Vec<String>); 14] = [
        ("fox from:bob", ids(&[&linked, &french, &lazy, &quick])),
        ("fox from:me", ids(&[&reply, &own])),
        ("has:media", ids(&[&lazy])),
        ("fox -has:media from:bob", ids(&[&linked, &french, &quick])),
        ("fox has:link", ids(&[&linked])),
        ("fox is:reply", ids(&[&reply])),
        ("fox -is:reply from:me", ids(&[&own])),
        ("\"brown fox\"", ids(&[&quick])),
        ("\"fox brown\"", Vec::new()),
        ("fox -quick from:bob", ids(&[&linked, &french, &lazy])),
        ("fox language:fr", ids(&[&french])),
        ("fox before:2000-01-01", Vec::new()),
        ("jumps after:2000-01-01", ids(&[&quick])),
        ("fox has:nothing", Vec::new()),
    ];
    for (query, expected) in cases {
        assert_eq!(found(&server, &alice, query).await, expected, "{query}");
    }
    let today = time::OffsetDateTime::now_utc().date().to_string();
    assert_eq!(
        found(&server, &alice, &format!("jumps during:{today}")).await,
        ids(&[&quick])
    );
    // Unknown operators are words, an open quote runs to the end.
    assert_eq!(found(&server, &alice, "brown:fox").await, ids(&[&quick]));
    assert_eq!(
        found(&server, &alice, "\"quick brown").await,
        ids(&[&quick])
    );

    // Edits and deletions are searched as they now are.
    let edited = http()
        .put(server.url(&format!("/api/v1/statuses/{quick}")))
        .bearer_auth(&bob)
        .json(&json!({"status": "The quick brown cat jumps"}))
        .send()
        .await
        .unwrap();
    assert_eq!(edited.status(), StatusCode::OK);
    assert_eq!(
        found(&server, &alice, "brown fox").await,
        Vec::<String>::new()
    );
    assert_eq!(found(&server, &alice, "brown cat").await, ids(&[&quick]));
    http()
        .delete(server.url(&format!("/api/v1/statuses/{lazy}")))
        .bearer_auth(&bob)
        .send()
        .await
        .unwrap();
    assert_eq!(
        found(&server, &alice, "lazy dog").await,
        Vec::<String>::new()
    );
    // Opting out hides the rest at once.
    http()
        .patch(server.url("/api/v1/accounts/update_credentials"))
        .bearer_auth(&bob)
        .json(&json!({"indexable": false}))
        .send()
        .await
        .unwrap();
    assert_eq!(
        found(&server, &alice, "fox from:bob").await,
        Vec::<String>::new()
    );

    // Bad input: a clear refusal, never a server error.
    let long = "fox ".repeat(300);
    let (status, body) = search(
        &server,
        Some(&alice),
        &format!("q={}&type=statuses", long.replace(' ', "+")),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(body["error"].is_string());
    let (status, body) = search(&server, Some(&alice), "q=fox+before:someday&type=statuses").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    for query in [
        "q=%22%22%22",
        "q=-",
        "q=from:",
        "q=AND+OR+NOT+NEAR(fox)",
        "q=fox*",
    ] {
        let (status, _) = search(&server, Some(&alice), &format!("{query}&type=statuses")).await;
        assert_eq!(status, StatusCode::OK, "{query}");
    }
    server.stop().await;
}
