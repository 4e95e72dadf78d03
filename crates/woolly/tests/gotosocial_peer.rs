//! Woolly beside GoToSocial: a real Woolly server receives what a GoToSocial v0.20 server
//! sends, GoToSocial's own documents (`tests/fixtures/gotosocial/`) delivered and signed by the
//! fake peer of `common::gotosocial`, and shows it through the client API as Mastodon would.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::fediverse::WAIT;
use common::gotosocial::GtsPeer;
use common::{TestInstance, TestServer, account, eventually, http};
use serde_json::Value;

/// A Woolly server on its own domain, with a reader, and the GoToSocial peer.
struct Rig {
    _instance: TestInstance,
    server: TestServer,
    token: String,
    peer: GtsPeer,
}

impl Rig {
    async fn new() -> Rig {
        let peer = GtsPeer::start().await;
        let instance = TestInstance::new().await;
        let server = instance.start_on_own_domain().await;
        let (token, _) = account(&server, "alice").await;
        Rig {
            _instance: instance,
            server,
            token,
            peer,
        }
    }

    /// Delivers a fixture to Woolly's shared inbox, as the peer sends it.
    async fn deliver(&self, activity: &Value) {
        let status = self
            .peer
            .deliver(&self.server.url("/inbox"), activity)
            .await;
        assert_eq!(status, 202, "{activity}");
    }

    async fn get(&self, path: &str) -> Value {
        let response = http()
            .get(self.server.url(path))
            .bearer_auth(&self.token)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200, "GET {path}");
        response.json().await.unwrap()
    }

    /// The status with ActivityPub id `uri`, once Woolly shows it in its public timeline and
    /// `check` holds for it.
    async fn wait_status(&self, uri: &str, check: impl Fn(&Value) -> bool) -> Value {
        eventually(WAIT, &format!("{uri} on Woolly"), || async {
            self.get("/api/v1/timelines/public?limit=40")
                .await
                .as_array()?
                .iter()
                .find(|status| status["uri"] == uri && check(status))
                .cloned()
        })
        .await
    }
}

#[tokio::test]
async fn a_gotosocial_content_warning_reads_as_the_text_its_author_wrote() {
    let rig = Rig::new().await;
    let create = rig.peer.fixture("create_note_with_content_warning.json");
    rig.deliver(&create).await;
    let uri = create["object"]["id"].as_str().unwrap();
    let status = rig.wait_status(uri, |_| true).await;
    // GoToSocial escapes the warning as HTML (`&lt;3 … &amp; more`); its author wrote this.
    assert_eq!(status["spoiler_text"], "<3 spoilers for the finale & more");
    assert_eq!(status["sensitive"], true);
    assert_eq!(status["account"]["acct"], rig.peer.handle());
    assert!(
        status["content"]
            .as_str()
            .unwrap()
            .contains("the finale was something else")
    );
    rig.server.stop().await;
}

/// The time of an API timestamp, in Unix seconds.
fn unix_seconds(timestamp: &Value) -> i64 {
    let text = timestamp
        .as_str()
        .unwrap_or_else(|| panic!("not a time: {timestamp}"));
    time::OffsetDateTime::parse(text, &time::format_description::well_known::Rfc3339)
        .unwrap()
        .unix_timestamp()
}

#[tokio::test]
async fn a_gotosocial_edit_is_dated_when_it_was_made_not_when_it_arrived() {
    let rig = Rig::new().await;
    let create = rig.peer.fixture("create_note_with_content_warning.json");
    rig.deliver(&create).await;
    let uri = create["object"]["id"].as_str().unwrap();
    let status = rig.wait_status(uri, |_| true).await;
    assert!(status["edited_at"].is_null());

    let update = rig.peer.fixture("update_note.json");
    rig.deliver(&update).await;
    let edited = rig
        .wait_status(uri, |status| {
            status["content"]
                .as_str()
                .is_some_and(|content| content.contains("it was great"))
        })
        .await;
    let updated = &update["object"]["updated"];
    assert_eq!(unix_seconds(&edited["edited_at"]), unix_seconds(updated));
    let id = edited["id"].as_str().unwrap();
    let history = rig.get(&format!("/api/v1/statuses/{id}/history")).await;
    let versions = history.as_array().unwrap();
    assert_eq!(versions.len(), 2, "{history}");
    assert_eq!(
        unix_seconds(&versions[0]["created_at"]),
        unix_seconds(&create["object"]["published"])
    );
    assert_eq!(
        unix_seconds(&versions[1]["created_at"]),
        unix_seconds(updated)
    );

    // An edit dated in the future is dated when it arrived.
    let mut future = update.clone();
    future["id"] = format!("{uri}/activity#Update/01JFR9FUTURE").into();
    future["object"]["content"] = "<p>the finale, again</p>".into();
    future["object"]["contentMap"]["en"] = future["object"]["content"].clone();
    future["object"]["updated"] = "2999-01-01T00:00:00Z".into();
    let before = time::OffsetDateTime::now_utc().unix_timestamp();
    rig.deliver(&future).await;
    let edited = rig
        .wait_status(uri, |status| {
            status["content"]
                .as_str()
                .is_some_and(|content| content.contains("again"))
        })
        .await;
    let after = time::OffsetDateTime::now_utc().unix_timestamp();
    let edited_at = unix_seconds(&edited["edited_at"]);
    assert!(
        (before - 1..=after + 1).contains(&edited_at),
        "{edited_at} not between {before} and {after}"
    );
    rig.server.stop().await;
}
