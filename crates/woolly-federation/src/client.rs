//! The one HTTP client for every request to another server, made so that a hostile peer can
//! make Woolly neither reach an internal address nor hang.
//!
//! Host names are resolved by our own resolver, which drops every address that is not globally
//! routable (loopback, private, link-local, shared, documentation, multicast…) unless the
//! operator allows private addresses (tests do), so the address checked is the address used.
//! Literal IP hosts are checked the same way before connecting. Redirects are followed by hand
//! (at most five), each hop checked again; connections time out after 5 s and whole requests
//! after 20 s, as Mastodon's do; bodies are read in chunks and refused past a cap.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use reqwest::dns::{Addrs, Name, Resolve, Resolving};
use reqwest::{Method, StatusCode, Url, header};

/// Mastodon's cap on an ActivityPub document.
pub const MAX_DOCUMENT_BYTES: usize = 1024 * 1024;
const MAX_REDIRECTS: usize = 5;
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
const REQUEST_TIMEOUT: Duration = Duration::from_secs(20);

/// What the accept header asks for when fetching ActivityPub documents.
pub const ACTIVITY_ACCEPT: &str = "application/activity+json, application/ld+json; profile=\"https://www.w3.org/ns/activitystreams\"";

/// Why a remote request failed.
#[derive(Debug, thiserror::Error)]
pub enum FetchError {
    #[error("refused to connect to {0}: not a public address")]
    RefusedAddress(String),
    #[error("refused URL {0}")]
    RefusedUrl(String),
    #[error("the response is larger than {0} bytes")]
    TooLarge(usize),
    #[error("timed out")]
    Timeout,
    #[error("too many redirects")]
    TooManyRedirects,
    #[error("the server answered {0}")]
    Status(StatusCode),
    #[error("the response is not JSON: {0}")]
    InvalidJson(String),
    #[error("request failed: {0}")]
    Transport(String),
}

impl From<reqwest::Error> for FetchError {
    fn from(error: reqwest::Error) -> FetchError {
        if error.is_timeout() {
            FetchError::Timeout
        } else {
            // The resolver's refusal surfaces as a connect error; keep its words.
            let mut text = error.to_string();
            let mut source = std::error::Error::source(&error);
            while let Some(inner) = source {
                text = inner.to_string();
                source = inner.source();
            }
            FetchError::Transport(text)
        }
    }
}

/// Whether an address may be reached from the public internet (and so may be fetched).
pub fn is_global(address: IpAddr) -> bool {
    match address {
        IpAddr::V4(v4) => is_global_v4(v4),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => is_global_v4(v4),
            None => is_global_v6(v6),
        },
    }
}

fn is_global_v4(address: Ipv4Addr) -> bool {
    let [a, b, c, _] = address.octets();
    !(address.is_unspecified()
        || address.is_loopback()
        || address.is_private()
        || address.is_link_local()
        || address.is_broadcast()
        || address.is_documentation()
        || address.is_multicast()
        || a == 0
        || (a == 100 && (64..128).contains(&b)) // shared address space (CGNAT)
        || (a == 192 && b == 0 && c == 0) // IETF protocol assignments
        || (a == 198 && (18..20).contains(&b)) // benchmarking
        || a >= 240) // reserved
}

fn is_global_v6(address: Ipv6Addr) -> bool {
    let segments = address.segments();
    let embedded_v4 =
        |high: u16, low: u16| Ipv4Addr::from((u32::from(high) << 16) | u32::from(low));
    !(address.is_unspecified()
        || address.is_loopback()
        || address.is_multicast()
        // IPv4-compatible addresses (`::127.0.0.1`, deprecated) and the rest of ::/96.
        || segments[..6] == [0; 6]
        || (segments[0] & 0xfe00) == 0xfc00 // unique local
        || (segments[0] & 0xffc0) == 0xfe80 // link-local
        || (segments[0] & 0xffc0) == 0xfec0 // site-local (deprecated)
        || (segments[0] == 0x2001 && segments[1] == 0x0db8) // documentation
        || (segments[0] == 0x0064 && segments[1] == 0xff9b) // NAT64, well-known and local-use
        || (segments[0] == 0x0100 && segments[1..4] == [0; 3]) // discard-only
        // IETF protocol assignments, Teredo (2001::/32, which tunnels to any IPv4) among them.
        || (segments[0] == 0x2001 && segments[1] < 0x0200)
        // 6to4 carrying an IPv4 address that is not global.
        || (segments[0] == 0x2002 && !is_global_v4(embedded_v4(segments[1], segments[2]))))
}

/// Resolves names, keeping only the addresses Woolly may connect to.
struct GuardedResolver {
    allow_private: bool,
}

impl Resolve for GuardedResolver {
    fn resolve(&self, name: Name) -> Resolving {
        let allow_private = self.allow_private;
        Box::pin(async move {
            let host = name.as_str().to_owned();
            let found: Vec<SocketAddr> = tokio::net::lookup_host((host.as_str(), 0))
                .await?
                .filter(|address| allow_private || is_global(address.ip()))
                .collect();
            if found.is_empty() {
                return Err(Box::new(FetchError::RefusedAddress(host)) as _);
            }
            let addresses: Addrs = Box::new(found.into_iter());
            Ok(addresses)
        })
    }
}

/// What a server answered.
#[derive(Debug)]
pub struct Answer {
    /// Where the answer came from, after redirects.
    pub url: Url,
    pub status: StatusCode,
    /// The `Content-Type`'s media type, in lower case.
    pub media_type: Option<String>,
    pub body: Vec<u8>,
}

/// The client, one per instance.
#[derive(Clone)]
pub struct RemoteClient {
    http: reqwest::Client,
    allow_private: bool,
    allow_http: bool,
}

impl RemoteClient {
    /// A client that refuses non-public addresses unless `allow_private`, and plain-HTTP URLs
    /// unless `allow_http` (an instance run with `--insecure-http`).
    pub fn new(
        user_agent: &str,
        allow_private: bool,
        allow_http: bool,
    ) -> Result<RemoteClient, FetchError> {
        let http = reqwest::Client::builder()
            .user_agent(user_agent)
            .dns_resolver(Arc::new(GuardedResolver { allow_private }))
            .redirect(reqwest::redirect::Policy::none())
            .connect_timeout(CONNECT_TIMEOUT)
            .timeout(REQUEST_TIMEOUT)
            .build()
            .map_err(|error| FetchError::Transport(error.to_string()))?;
        Ok(RemoteClient {
            http,
            allow_private,
            allow_http,
        })
    }

    /// Refuses what must not be fetched before any connection: other schemes, plain HTTP when
    /// not allowed, and literal addresses that are not public (names go through the resolver).
    fn check(&self, url: &Url) -> Result<(), FetchError> {
        match url.scheme() {
            "https" => {}
            "http" if self.allow_http => {}
            _ => return Err(FetchError::RefusedUrl(url.to_string())),
        }
        let host = url
            .host_str()
            .ok_or_else(|| FetchError::RefusedUrl(url.to_string()))?;
        let literal = host.trim_matches(['[', ']']).parse::<IpAddr>().ok();
        match literal {
            Some(address) if !self.allow_private && !is_global(address) => {
                Err(FetchError::RefusedAddress(address.to_string()))
            }
            _ => Ok(()),
        }
    }

    /// Sends a request and reads its body up to `max_bytes`, following a GET's redirects (each
    /// hop checked again); returns the final URL, status and body.
    pub async fn send(
        &self,
        method: Method,
        url: &str,
        headers: &[(String, String)],
        body: Option<Vec<u8>>,
        max_bytes: usize,
    ) -> Result<(Url, StatusCode, Vec<u8>), FetchError> {
        let answer = self.request(method, url, headers, body, max_bytes).await?;
        Ok((answer.url, answer.status, answer.body))
    }

    /// Fetches a web page or file with a GET (`accept` as the `Accept` header), as
    /// [`RemoteClient::send`] does, with its media type.
    pub async fn get_resource(
        &self,
        url: &str,
        accept: &str,
        max_bytes: usize,
    ) -> Result<Answer, FetchError> {
        let headers = [("Accept".to_owned(), accept.to_owned())];
        self.request(Method::GET, url, &headers, None, max_bytes)
            .await
    }

    async fn request(
        &self,
        method: Method,
        url: &str,
        headers: &[(String, String)],
        body: Option<Vec<u8>>,
        max_bytes: usize,
    ) -> Result<Answer, FetchError> {
        let mut url = Url::parse(url).map_err(|_| FetchError::RefusedUrl(url.to_owned()))?;
        for _ in 0..=MAX_REDIRECTS {
            self.check(&url)?;
            let mut request = self.http.request(method.clone(), url.clone());
            for (name, value) in headers {
                request = request.header(name, value);
            }
            if let Some(body) = &body {
                request = request.body(body.clone());
            }
            let mut response = request.send().await?;
            let status = response.status();
            if status.is_redirection() && method == Method::GET {
                let location = response
                    .headers()
                    .get(header::LOCATION)
                    .and_then(|value| value.to_str().ok())
                    .ok_or(FetchError::Status(status))?;
                url = url
                    .join(location)
                    .map_err(|_| FetchError::RefusedUrl(location.to_owned()))?;
                continue;
            }
            if response
                .content_length()
                .is_some_and(|length| length > max_bytes as u64)
            {
                return Err(FetchError::TooLarge(max_bytes));
            }
            // The media type alone, lower case (`text/html; charset=utf-8` → `text/html`).
            let media_type = response
                .headers()
                .get(header::CONTENT_TYPE)
                .and_then(|value| value.to_str().ok())
                .and_then(|value| value.split(';').next())
                .map(|value| value.trim().to_ascii_lowercase());
            let mut bytes = Vec::new();
            while let Some(chunk) = response.chunk().await? {
                if bytes.len() + chunk.len() > max_bytes {
                    return Err(FetchError::TooLarge(max_bytes));
                }
                bytes.extend_from_slice(&chunk);
            }
            return Ok(Answer {
                url,
                status,
                media_type,
                body: bytes,
            });
        }
        Err(FetchError::TooManyRedirects)
    }

    /// Fetches an ActivityPub document (JSON, at most 1 MiB), following redirects; `headers`
    /// carries a signature when the fetch is signed.
    pub async fn get_json(
        &self,
        url: &str,
        headers: &[(String, String)],
    ) -> Result<(Url, serde_json::Value), FetchError> {
        let mut all = vec![("Accept".to_owned(), ACTIVITY_ACCEPT.to_owned())];
        all.extend_from_slice(headers);
        self.get_document(url, &all).await
    }

    /// Fetches a JSON document (at most 1 MiB) with exactly `headers` (WebFinger and NodeInfo
    /// documents, which are not ActivityPub's), following redirects.
    pub async fn get_document(
        &self,
        url: &str,
        headers: &[(String, String)],
    ) -> Result<(Url, serde_json::Value), FetchError> {
        let (url, status, body) = self
            .send(Method::GET, url, headers, None, MAX_DOCUMENT_BYTES)
            .await?;
        if !status.is_success() {
            return Err(FetchError::Status(status));
        }
        let json = serde_json::from_slice(&body)
            .map_err(|error| FetchError::InvalidJson(error.to_string()))?;
        Ok((url, json))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_public_addresses_are_global() {
        for private in [
            "127.0.0.1",
            "10.1.2.3",
            "172.16.0.1",
            "192.168.1.1",
            "169.254.169.254",
            "100.64.0.1",
            "0.0.0.0",
            "255.255.255.255",
            "192.0.2.1",
            "198.18.0.1",
            "240.0.0.1",
            "::1",
            "::",
            "fc00::1",
            "fd12::1",
            "fe80::1",
            "2001:db8::1",
            "::ffff:127.0.0.1",
            "::ffff:10.0.0.1",
            "64:ff9b::a00:1",
            "64:ff9b:1::a00:1",
            "ff02::1",
            "::127.0.0.1",
            "::10.0.0.1",
            "::169.254.169.254",
            "2002:7f00:1::1",
            "2002:a9fe:a9fe::1",
            "2001:0:4136:e378:8000:63bf:3fff:fdd2",
            "fec0::1",
            "100::1",
        ] {
            assert!(
                !is_global(private.parse().unwrap()),
                "{private} is not public"
            );
        }
        for public in [
            "1.1.1.1",
            "93.184.216.34",
            "2606:4700::1111",
            "::ffff:8.8.8.8",
            "2002:808:808::1",
            "2a01:4f8::1",
        ] {
            assert!(is_global(public.parse().unwrap()), "{public} is public");
        }
    }
}
