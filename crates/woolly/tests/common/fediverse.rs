//! The fediverse in a test: real Woolly servers on their own `127.0.0.1:PORT` domains
//! ([`Node`]) and their users talking to them through the client API ([`User`]), for tests
//! where servers federate with each other or with third-party peers.

use std::time::Duration;

use serde_json::{Value, json};

use super::{TestInstance, TestServer, account, eventually, http};

/// How long federation is given to deliver what a test waits for.
pub const WAIT: Duration = Duration::from_secs(30);

/// A server and its instance, with the domain others know it by.
pub struct Node {
    pub instance: TestInstance,
    pub server: TestServer,
}

impl Node {
    pub async fn start() -> Node {
        let instance = TestInstance::new().await;
        // Tests poll while federation works; rate limits are tested elsewhere.
        let server = instance
            .start_on_own_domain_with(|settings| settings.rate_limit_requests = 0)
            .await;
        Node { instance, server }
    }

    pub fn domain(&self) -> String {
        self.server
            .base_url
            .trim_start_matches("http://")
            .to_owned()
    }

    pub async fn user(&self, name: &str) -> User {
        let (token, id) = account(&self.server, name).await;
        User {
            base: self.server.base_url.clone(),
            token,
            id,
            handle: format!("{name}@{}", self.domain()),
        }
    }
}

/// A local user of one node, talking to its own server.
#[derive(Clone)]
pub struct User {
    pub base: String,
    pub token: String,
    pub id: String,
    /// `name@domain`, as other servers address it.
    pub handle: String,
}

impl User {
    pub async fn get(&self, path: &str) -> (u16, Value) {
        let response = http()
            .get(format!("{}{path}", self.base))
            .bearer_auth(&self.token)
            .send()
            .await
            .unwrap();
        let status = response.status().as_u16();
        (status, response.json().await.unwrap_or(Value::Null))
    }

    pub async fn get_ok(&self, path: &str) -> Value {
        let (status, body) = self.get(path).await;
        assert_eq!(status, 200, "GET {path}: {body}");
        body
    }

    pub async fn post(&self, path: &str, body: Value) -> Value {
        let response = http()
            .post(format!("{}{path}", self.base))
            .bearer_auth(&self.token)
            .json(&body)
            .send()
            .await
            .unwrap();
        let status = response.status().as_u16();
        let body: Value = response.json().await.unwrap_or(Value::Null);
        assert_eq!(status, 200, "POST {path}: {body}");
        body
    }

    pub async fn put(&self, path: &str, body: Value) -> Value {
        let response = http()
            .put(format!("{}{path}", self.base))
            .bearer_auth(&self.token)
            .json(&body)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status().as_u16(), 200, "PUT {path}");
        response.json().await.unwrap()
    }

    pub async fn delete(&self, path: &str) {
        let response = http()
            .delete(format!("{}{path}", self.base))
            .bearer_auth(&self.token)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status().as_u16(), 200, "DELETE {path}");
    }

    /// The id here of another server's account, found with `resolve=true`.
    pub async fn resolve(&self, handle: &str) -> String {
        let found = self
            .get_ok(&format!(
                "/api/v2/search?q=@{handle}&resolve=true&type=accounts"
            ))
            .await;
        let accounts = found["accounts"].as_array().unwrap();
        assert_eq!(accounts.len(), 1, "{handle} resolves: {found}");
        assert_eq!(accounts[0]["acct"], handle);
        accounts[0]["id"].as_str().unwrap().to_owned()
    }

    pub async fn relationship(&self, id: &str) -> Value {
        self.get_ok(&format!("/api/v1/accounts/relationships?id[]={id}"))
            .await[0]
            .clone()
    }

    pub async fn follow_and_wait(&self, handle: &str) -> String {
        let id = self.resolve(handle).await;
        self.post(&format!("/api/v1/accounts/{id}/follow"), json!({}))
            .await;
        eventually(WAIT, "the follow to be accepted", || async {
            (self.relationship(&id).await["following"] == true).then_some(())
        })
        .await;
        id
    }

    /// A status by id, as this user sees it.
    pub async fn status(&self, id: &str) -> Value {
        self.get_ok(&format!("/api/v1/statuses/{id}")).await
    }

    /// The home timeline's statuses.
    pub async fn home(&self) -> Vec<Value> {
        self.get_ok("/api/v1/timelines/home")
            .await
            .as_array()
            .unwrap()
            .clone()
    }

    /// Waits for a status whose content contains `text` in the home timeline.
    pub async fn wait_home(&self, text: &str) -> Value {
        eventually(WAIT, &format!("{text:?} in the home timeline"), || async {
            self.home().await.into_iter().find(|status| {
                status["content"]
                    .as_str()
                    .is_some_and(|content| content.contains(text))
            })
        })
        .await
    }

    pub async fn notifications(&self, kind: &str) -> Vec<Value> {
        self.get_ok(&format!("/api/v1/notifications?types[]={kind}"))
            .await
            .as_array()
            .unwrap()
            .clone()
    }

    pub async fn wait_notification(&self, kind: &str, from: &str) -> Value {
        eventually(
            WAIT,
            &format!("a {kind} notification from {from}"),
            || async {
                self.notifications(kind)
                    .await
                    .into_iter()
                    .find(|notification| notification["account"]["acct"] == from)
            },
        )
        .await
    }
}
