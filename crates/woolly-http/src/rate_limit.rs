//! Rate limits as Mastodon applies them (`api/rate-limits.md`): 300 requests per 5 minutes for
//! each access token (an account's app) and for each anonymous client address, and tighter
//! limits on uploads (30 per 30 minutes) and on deleting statuses and reblogs (30 per 30
//! minutes). Every answer carries `X-RateLimit-Limit`, `X-RateLimit-Remaining` and
//! `X-RateLimit-Reset`; past the limit the answer is 429 `{"error": "Too many requests"}`.
//!
//! Windows are fixed, like rack-attack's, and counted in this process's memory: with several
//! processes behind a balancer each counts its own share.
//!
//! Client addresses come from the connection; `X-Forwarded-For` is not trusted (a proxy in
//! front should set its own limits until trusted-proxy settings exist). IPv6 clients are
//! counted by their /64, since one host holds a whole /64.

use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::extract::{ConnectInfo, Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::error::HttpError;
use crate::time::iso8601;

const GENERAL_WINDOW: Duration = Duration::from_secs(5 * 60);
const STRICT_WINDOW: Duration = Duration::from_secs(30 * 60);
const STRICT_LIMIT: u32 = 30;

/// Counters of the current windows.
#[derive(Clone)]
pub struct RateLimiter {
    /// Requests per 5 minutes per token or address; 0 turns limits off.
    general_limit: u32,
    windows: Arc<Mutex<HashMap<String, Window>>>,
}

#[derive(Debug, Clone, Copy)]
struct Window {
    /// Unix milliseconds when the window ends.
    ends_at: i64,
    count: u32,
}

/// What a request was allowed, for the headers.
struct Verdict {
    limit: u32,
    remaining: u32,
    reset_at: i64,
    allowed: bool,
}

impl RateLimiter {
    pub fn new(general_limit: u32) -> RateLimiter {
        RateLimiter {
            general_limit,
            windows: Arc::new(Mutex::new(HashMap::new())),
        }
    }

    fn count(&self, key: String, limit: u32, window: Duration, now: i64) -> Verdict {
        let mut windows = self
            .windows
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if windows.len() > 100_000 {
            // Forget finished windows before the map grows without bound.
            windows.retain(|_, window| window.ends_at > now);
        }
        let length = i64::try_from(window.as_millis()).unwrap_or(i64::MAX);
        let entry = windows.entry(key).or_insert(Window {
            ends_at: now + length,
            count: 0,
        });
        if entry.ends_at <= now {
            *entry = Window {
                ends_at: now + length,
                count: 0,
            };
        }
        entry.count = entry.count.saturating_add(1);
        Verdict {
            limit,
            remaining: limit.saturating_sub(entry.count),
            reset_at: entry.ends_at,
            allowed: entry.count <= limit,
        }
    }
}

/// The key a request is counted under: its token, else its client's address.
fn client_key(request: &Request) -> String {
    let token = request
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.split_once(' '))
        .map(|(_, token)| token.trim().to_owned())
        .filter(|token| !token.is_empty());
    if let Some(token) = token {
        // Only a digest is kept in memory.
        let digest = token_fingerprint(&token);
        return format!("token:{digest}");
    }
    let address = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|ConnectInfo(address)| address.ip());
    match address {
        Some(IpAddr::V6(ip)) => {
            let segments = ip.segments();
            format!(
                "ip:{:x}:{:x}:{:x}:{:x}::/64",
                segments[0], segments[1], segments[2], segments[3]
            )
        }
        Some(ip) => format!("ip:{ip}"),
        None => "ip:unknown".to_owned(),
    }
}

/// A short, stable digest of a token (FNV-1a): enough to tell tokens apart in a map, without
/// keeping the token itself.
fn token_fingerprint(token: &str) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in token.bytes() {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{hash:016x}")
}

/// The stricter bucket a request also counts against, if any.
fn strict_bucket(method: &Method, path: &str) -> Option<&'static str> {
    let is_upload = method == Method::POST && (path == "/api/v1/media" || path == "/api/v2/media");
    let is_delete = (method == Method::DELETE && path.starts_with("/api/v1/statuses/"))
        || (method == Method::POST
            && path.starts_with("/api/v1/statuses/")
            && path.ends_with("/unreblog"));
    if is_upload {
        Some("media")
    } else if is_delete {
        Some("deletes")
    } else {
        None
    }
}

/// Middleware counting each request and refusing those past the limit.
pub async fn limit_requests(
    State(limiter): State<RateLimiter>,
    request: Request,
    next: Next,
) -> Response {
    if limiter.general_limit == 0 {
        return next.run(request).await;
    }
    let now = woolly_core::now_millis();
    let key = client_key(&request);
    let mut verdict = limiter.count(key.clone(), limiter.general_limit, GENERAL_WINDOW, now);
    if let Some(bucket) = strict_bucket(request.method(), request.uri().path()) {
        let strict = limiter.count(format!("{bucket}:{key}"), STRICT_LIMIT, STRICT_WINDOW, now);
        if !strict.allowed || strict.remaining < verdict.remaining {
            verdict = strict;
        }
    }
    let mut response = if verdict.allowed {
        next.run(request).await
    } else {
        tracing::info!("rate limit reached");
        HttpError::new(StatusCode::TOO_MANY_REQUESTS, "Too many requests").into_response()
    };
    let headers = response.headers_mut();
    for (name, value) in [
        ("x-ratelimit-limit", verdict.limit.to_string()),
        ("x-ratelimit-remaining", verdict.remaining.to_string()),
        ("x-ratelimit-reset", iso8601(verdict.reset_at)),
    ] {
        if let Ok(value) = HeaderValue::from_str(&value) {
            headers.insert(name, value);
        }
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_window_allows_its_limit_then_refuses_until_it_ends() {
        let limiter = RateLimiter::new(3);
        let window = Duration::from_secs(60);
        let verdicts: Vec<bool> = (0..4)
            .map(|_| limiter.count("k".into(), 3, window, 1_000).allowed)
            .collect();
        assert_eq!(verdicts, [true, true, true, false]);
        assert!(
            limiter.count("other".into(), 3, window, 1_000).allowed,
            "keys are counted apart"
        );
        let fresh = limiter.count("k".into(), 3, window, 61_001);
        assert!(fresh.allowed);
        assert_eq!(fresh.remaining, 2);
    }

    #[test]
    fn uploads_and_deletes_have_their_own_buckets() {
        assert_eq!(strict_bucket(&Method::POST, "/api/v2/media"), Some("media"));
        assert_eq!(
            strict_bucket(&Method::DELETE, "/api/v1/statuses/1"),
            Some("deletes")
        );
        assert_eq!(
            strict_bucket(&Method::POST, "/api/v1/statuses/1/unreblog"),
            Some("deletes")
        );
        assert_eq!(strict_bucket(&Method::GET, "/api/v1/statuses/1"), None);
    }
}
