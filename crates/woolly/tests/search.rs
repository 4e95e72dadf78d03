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
