//! Accounts of other servers as the client API shows them: their own links and images, as
//! federation stores them.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{TestInstance, http, remote_account};
use serde_json::Value;

#[tokio::test]
async fn a_remote_account_shows_its_actors_links() {
    let instance = TestInstance::new().await;
    let server = instance.start().await;
    let remote = remote_account(&server, "Bob", "Social.Example").await;
    let account: Value = http()
        .get(server.url(&format!("/api/v1/accounts/{}", remote.id)))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(account["acct"], "Bob@social.example");
    assert_eq!(account["url"], "https://social.example/@Bob");
    assert_eq!(account["uri"], "https://social.example/users/Bob");
    assert!(
        account["avatar"]
            .as_str()
            .unwrap()
            .ends_with("/avatars/original/missing.png"),
        "no image given: the default one"
    );
    let looked_up: Value = http()
        .get(server.url("/api/v1/accounts/lookup?acct=bob@social.example"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(looked_up["id"], account["id"]);
    server.stop().await;
}
