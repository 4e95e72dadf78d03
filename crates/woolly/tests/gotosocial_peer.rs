//! Woolly beside GoToSocial: a real Woolly server receives what a GoToSocial v0.20 server
//! sends, GoToSocial's own documents (`tests/fixtures/gotosocial/`) delivered and signed by the
//! fake peer of `common::gotosocial`, and shows it through the client API as Mastodon would.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::gotosocial::GtsPeer;
use common::{TestInstance, TestServer, account, eventually, http};
use serde_json::Value;

use common::fediverse::WAIT;

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
        let (token, _) = account(&instance, &server, "alice").await;
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
