//! The harness's only way to talk to a server: HTTP/1.1 over keep-alive TCP connections, on
//! hyper's low-level client. The client shares the machine's cores with the server it measures,
//! so it does as little as it can: no pool bookkeeping on the load path, no TLS, no redirects.
//!
//! Plain `http://` only: a benchmark runs over loopback or a private network, and TLS in the
//! client would measure the client.

use std::net::SocketAddr;
use std::sync::Mutex;

use anyhow::{Context as _, anyhow, bail};
use bytes::Bytes;
use http_body_util::{BodyExt as _, Full};
use hyper::client::conn::http1::SendRequest;
use hyper::header::{AUTHORIZATION, CONTENT_TYPE, COOKIE, HOST, HeaderValue};
use hyper::{Method, Request, StatusCode};
use hyper_util::rt::TokioIo;
use serde::de::DeserializeOwned;
use tokio::net::TcpStream;

/// The server under test: where to connect, what to call it in `Host`, and the path its API
/// lives under (empty for a server at the root).
#[derive(Debug, Clone)]
pub struct Target {
    pub base_url: String,
    address: SocketAddr,
    host: HeaderValue,
    path_prefix: String,
}

impl Target {
    /// Parses `http://HOST[:PORT][/PREFIX]` and resolves the host once, so that no request of
    /// the load pays for name resolution.
    pub async fn resolve(base_url: &str) -> anyhow::Result<Target> {
        let rest = base_url
            .strip_prefix("http://")
            .ok_or_else(|| anyhow!("only http:// servers can be measured, not {base_url}"))?;
        let (authority, path_prefix) = match rest.find('/') {
            Some(slash) => (&rest[..slash], rest[slash..].trim_end_matches('/')),
            None => (rest, ""),
        };
        if authority.is_empty() {
            bail!("no host in {base_url}");
        }
        // A port follows the last colon, unless that colon is inside an IPv6 literal.
        let has_port = authority
            .rsplit_once(':')
            .is_some_and(|(_, port)| !port.contains(']'));
        let with_port = if has_port {
            authority.to_owned()
        } else {
            format!("{authority}:80")
        };
        let address = tokio::net::lookup_host(&with_port)
            .await
            .with_context(|| format!("cannot resolve {authority}"))?
            .next()
            .ok_or_else(|| anyhow!("{authority} resolves to no address"))?;
        Ok(Target {
            base_url: base_url.trim_end_matches('/').to_owned(),
            address,
            host: HeaderValue::from_str(authority)
                .with_context(|| format!("{authority} is not a valid Host header"))?,
            path_prefix: path_prefix.to_owned(),
        })
    }
}

/// One request, ready to be sent any number of times. Cloning is cheap: the header values and
/// the body are reference-counted bytes.
#[derive(Debug, Clone)]
pub struct ApiRequest {
    method: Method,
    path: String,
    authorization: Option<HeaderValue>,
    cookie: Option<HeaderValue>,
    body: Option<(HeaderValue, Bytes)>,
}

impl ApiRequest {
    pub fn get(path: impl Into<String>) -> ApiRequest {
        ApiRequest {
            method: Method::GET,
            path: path.into(),
            authorization: None,
            cookie: None,
            body: None,
        }
    }

    /// A POST without a body, as Mastodon's action endpoints (follow, reblog) take.
    pub fn post(path: impl Into<String>) -> ApiRequest {
        ApiRequest {
            method: Method::POST,
            ..ApiRequest::get(path)
        }
    }

    pub fn post_json(path: impl Into<String>, body: &serde_json::Value) -> ApiRequest {
        ApiRequest::post(path).with_body(
            HeaderValue::from_static("application/json"),
            Bytes::from(body.to_string()),
        )
    }

    pub fn with_body(mut self, content_type: HeaderValue, body: Bytes) -> ApiRequest {
        self.body = Some((content_type, body));
        self
    }

    /// Sends the request as the holder of `token` (an OAuth access token).
    pub fn with_token(mut self, token: &str) -> anyhow::Result<ApiRequest> {
        self.authorization = Some(
            HeaderValue::from_str(&format!("Bearer {token}"))
                .context("a token holds characters a header cannot")?,
        );
        Ok(self)
    }

    /// Sends the request as a browser signed in to Woolly's web interface, whose session cookie
    /// holds an access token (`token`).
    pub fn with_session_cookie(mut self, token: &str) -> anyhow::Result<ApiRequest> {
        self.cookie = Some(
            HeaderValue::from_str(&format!("woolly_session={token}"))
                .context("a token holds characters a header cannot")?,
        );
        Ok(self)
    }

    pub fn describe(&self) -> String {
        format!("{} {}", self.method, self.path)
    }

    fn build(&self, target: &Target) -> anyhow::Result<Request<Full<Bytes>>> {
        let mut builder = Request::builder()
            .method(self.method.clone())
            .uri(format!("{}{}", target.path_prefix, self.path))
            .header(HOST, target.host.clone());
        if let Some(authorization) = &self.authorization {
            builder = builder.header(AUTHORIZATION, authorization.clone());
        }
        if let Some(cookie) = &self.cookie {
            builder = builder.header(COOKIE, cookie.clone());
        }
        let body = match &self.body {
            Some((content_type, body)) => {
                builder = builder.header(CONTENT_TYPE, content_type.clone());
                body.clone()
            }
            None => Bytes::new(),
        };
        builder
            .body(Full::new(body))
            .with_context(|| format!("cannot build {}", self.describe()))
    }
}

/// A server's answer, read in full.
#[derive(Debug)]
pub struct ApiResponse {
    pub status: StatusCode,
    pub body: Bytes,
}

impl ApiResponse {
    /// The answer itself when it is a success; otherwise an error naming the request, the
    /// status and the start of the body (where Mastodon puts `{"error": …}`).
    pub fn success(self, request: &ApiRequest) -> anyhow::Result<ApiResponse> {
        if self.status.is_success() {
            Ok(self)
        } else {
            bail!(
                "{} answered {}: {}",
                request.describe(),
                self.status,
                self.body_excerpt()
            )
        }
    }

    pub fn json<T: DeserializeOwned>(&self) -> anyhow::Result<T> {
        serde_json::from_slice(&self.body)
            .with_context(|| format!("unexpected JSON: {}", self.body_excerpt()))
    }

    pub fn body_excerpt(&self) -> String {
        let text = String::from_utf8_lossy(&self.body);
        text.chars().take(200).collect()
    }
}

/// One keep-alive connection. Requests on it go one after another, as HTTP/1.1 requires.
pub struct Connection {
    target: Target,
    sender: SendRequest<Full<Bytes>>,
}

impl Connection {
    pub async fn open(target: &Target) -> anyhow::Result<Connection> {
        let stream = TcpStream::connect(target.address)
            .await
            .with_context(|| format!("cannot connect to {}", target.base_url))?;
        // Requests are small and latency is what is measured: do not let Nagle hold them back.
        stream.set_nodelay(true)?;
        let (sender, connection) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
            .await
            .context("HTTP handshake failed")?;
        // The connection's own task moves the bytes; its errors surface through `sender`.
        tokio::spawn(connection);
        Ok(Connection {
            target: target.clone(),
            sender,
        })
    }

    /// Sends one request and reads the whole answer.
    pub async fn send(&mut self, request: &ApiRequest) -> anyhow::Result<ApiResponse> {
        let built = request.build(&self.target)?;
        self.sender.ready().await.context("the connection closed")?;
        let response = self
            .sender
            .send_request(built)
            .await
            .with_context(|| format!("{} failed", request.describe()))?;
        let status = response.status();
        let body = response
            .into_body()
            .collect()
            .await
            .with_context(|| format!("reading the answer to {} failed", request.describe()))?
            .to_bytes();
        Ok(ApiResponse { status, body })
    }
}

/// Idle connections shared by many concurrent callers, for seeding and set-up, where
/// convenience matters more than the last microsecond. The load itself holds its own
/// [`Connection`]s.
pub struct ApiClient {
    pub target: Target,
    idle: Mutex<Vec<Connection>>,
}

impl ApiClient {
    pub fn new(target: Target) -> ApiClient {
        ApiClient {
            target,
            idle: Mutex::new(Vec::new()),
        }
    }

    /// Sends a request on an idle connection (or a new one) and fails unless it succeeds.
    pub async fn call(&self, request: &ApiRequest) -> anyhow::Result<ApiResponse> {
        self.send(request).await?.success(request)
    }

    /// Sends a request and returns whatever the server answered.
    pub async fn send(&self, request: &ApiRequest) -> anyhow::Result<ApiResponse> {
        let mut connection = match self.take_idle() {
            Some(connection) => connection,
            None => Connection::open(&self.target).await?,
        };
        let response = connection.send(request).await?;
        self.give_back(connection);
        Ok(response)
    }

    /// An idle connection the server has not closed meanwhile (servers close keep-alive
    /// connections that sat idle too long; sending on one would fail for no fault of the server).
    fn take_idle(&self) -> Option<Connection> {
        let mut idle = self
            .idle
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        while let Some(connection) = idle.pop() {
            if !connection.sender.is_closed() {
                return Some(connection);
            }
        }
        None
    }

    fn give_back(&self, connection: Connection) {
        self.idle
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .push(connection);
    }
}
