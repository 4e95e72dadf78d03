//! A fake GoToSocial peer: a small HTTP server on its own `127.0.0.1:PORT` that serves
//! GoToSocial's own documents (`tests/fixtures/gotosocial/`) for its account `1happyturtle`,
//! and delivers activities to Woolly signed the way GoToSocial signs them (key id
//! `…/users/1happyturtle/main-key`). Tests read what Woolly made of them through the client API,
//! and what Woolly delivered to the peer (every POST it receives is kept, [`GtsPeer::received`]).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::SystemTime;

use axum::Router;
use axum::body::Bytes;
use axum::http::{Method, StatusCode, Uri, header};
use axum::response::IntoResponse;
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use serde_json::Value;

use super::http;

const ACTIVITY_JSON: &str = "application/activity+json";

/// What the peer answers at a path (the query is ignored): a status and a JSON body.
type Routes = Arc<Mutex<HashMap<String, (StatusCode, String)>>>;

pub struct GtsPeer {
    /// `http://127.0.0.1:PORT`.
    pub base: String,
    /// `127.0.0.1:PORT`, as accounts there are addressed.
    pub domain: String,
    public_key_pem: String,
    private_key_pem: String,
    routes: Routes,
    received: Arc<Mutex<Vec<Value>>>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for GtsPeer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// A fresh RSA key pair, (private PKCS#8 PEM, public SubjectPublicKeyInfo PEM).
fn key_pair() -> (String, String) {
    use aws_lc_rs::encoding::AsDer as _;
    use aws_lc_rs::rsa::{KeyPair, KeySize};
    use aws_lc_rs::signature::KeyPair as _;
    let pem = |label: &str, der: &[u8]| {
        format!(
            "-----BEGIN {label}-----\n{}\n-----END {label}-----\n",
            STANDARD.encode(der)
        )
    };
    let pair = KeyPair::generate(KeySize::Rsa2048).unwrap();
    (
        pem("PRIVATE KEY", pair.as_der().unwrap().as_ref()),
        pem("PUBLIC KEY", pair.public_key().as_der().unwrap().as_ref()),
    )
}

impl GtsPeer {
    /// Starts the peer with its account's WebFinger answer, actor (also at its key id),
    /// outbox and followers; whom it follows is hidden (403).
    pub async fn start() -> GtsPeer {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let domain = listener.local_addr().unwrap().to_string();
        let routes: Routes = Arc::default();
        let received: Arc<Mutex<Vec<Value>>> = Arc::default();
        let served = Arc::clone(&routes);
        let inbox = Arc::clone(&received);
        let app = Router::new().fallback(move |method: Method, uri: Uri, body: Bytes| {
            let served = Arc::clone(&served);
            let inbox = Arc::clone(&inbox);
            async move {
                if method == Method::POST {
                    if let Ok(activity) = serde_json::from_slice(&body) {
                        inbox.lock().unwrap().push(activity);
                    }
                    return StatusCode::ACCEPTED.into_response();
                }
                let found = served.lock().unwrap().get(uri.path()).cloned();
                match found {
                    Some((status, body)) => {
                        (status, [(header::CONTENT_TYPE, ACTIVITY_JSON)], body).into_response()
                    }
                    None => (StatusCode::NOT_FOUND, "{\"error\":\"Not Found\"}").into_response(),
                }
            }
        });
        let task = tokio::spawn(async move {
            axum::serve(listener, app).await.unwrap();
        });
        let (private_key_pem, public_key_pem) = key_pair();
        let peer = GtsPeer {
            base: format!("http://{domain}"),
            domain,
            public_key_pem,
            private_key_pem,
            routes,
            received,
            task,
        };
        peer.serve("/.well-known/webfinger", "webfinger.json");
        peer.serve("/users/1happyturtle", "actor.json");
        peer.serve("/users/1happyturtle/main-key", "actor.json");
        peer.serve("/users/1happyturtle/outbox", "outbox.json");
        peer.serve("/users/1happyturtle/followers", "followers.json");
        peer.answer(
            "/users/1happyturtle/following",
            StatusCode::FORBIDDEN,
            "{\"error\":\"Forbidden\"}",
        );
        peer
    }

    /// Every activity delivered to the peer so far, in the order they arrived.
    pub fn received(&self) -> Vec<Value> {
        self.received.lock().unwrap().clone()
    }

    /// The account's actor id.
    pub fn actor(&self) -> String {
        format!("{}/users/1happyturtle", self.base)
    }

    /// `1happyturtle@127.0.0.1:PORT`.
    pub fn handle(&self) -> String {
        format!("1happyturtle@{}", self.domain)
    }

    /// The fixture `name`, as this peer serves it.
    pub fn fixture(&self, name: &str) -> Value {
        let path = format!(
            "{}/tests/fixtures/gotosocial/{name}",
            env!("CARGO_MANIFEST_DIR")
        );
        let text = std::fs::read_to_string(&path).unwrap_or_else(|error| panic!("{path}: {error}"));
        let pem = serde_json::to_string(&self.public_key_pem).unwrap();
        let text = text
            .replace("{{BASE}}", &self.base)
            .replace("{{DOMAIN}}", &self.domain)
            .replace("{{PUBLIC_KEY_PEM}}", pem.trim_matches('"'));
        serde_json::from_str(&text).unwrap_or_else(|error| panic!("{path}: {error}"))
    }

    /// Serves the fixture `name` at `path`.
    pub fn serve(&self, path: &str, name: &str) {
        let document = self.fixture(name).to_string();
        self.answer(path, StatusCode::OK, &document);
    }

    /// Answers `body` with `status` at `path`.
    pub fn answer(&self, path: &str, status: StatusCode, body: &str) {
        self.routes
            .lock()
            .unwrap()
            .insert(path.to_owned(), (status, body.to_owned()));
    }

    /// Posts `activity` to `inbox` (a full URL), signed by 1happyturtle's key as GoToSocial
    /// signs; returns the status.
    pub async fn deliver(&self, inbox: &str, activity: &Value) -> u16 {
        let url = reqwest::Url::parse(inbox).unwrap();
        let host = format!("{}:{}", url.host_str().unwrap(), url.port().unwrap());
        let body = serde_json::to_vec(activity).unwrap();
        let headers = woolly_federation::signatures::sign(
            &woolly_federation::signatures::Outgoing {
                method: "POST",
                path_and_query: url.path(),
                host: &host,
                body: Some(&body),
                extra: &[("content-type", ACTIVITY_JSON)],
            },
            &format!("{}/main-key", self.actor()),
            &self.private_key_pem,
            SystemTime::now().into(),
        )
        .unwrap();
        let mut request = http()
            .post(inbox)
            .header("Content-Type", ACTIVITY_JSON)
            .body(body);
        for (name, value) in headers {
            request = request.header(name, value);
        }
        request.send().await.unwrap().status().as_u16()
    }
}
