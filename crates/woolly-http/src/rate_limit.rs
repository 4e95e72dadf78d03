//! Rate limits as Mastodon applies them (`api/rate-limits.md`): 300 requests per 5 minutes for
//! each access token (an account's app) and for each other client address, and tighter
//! limits on uploads (30 per 30 minutes), on deleting statuses and reblogs (30 per 30
//! minutes) and on sign-ups (5 per 30 minutes per address). Every answer carries
//! `X-RateLimit-Limit`, `X-RateLimit-Remaining` and `X-RateLimit-Reset`; past the limit the
//! answer is 429 `{"error": "Too many requests"}`.
//!
//! Windows are fixed, like rack-attack's, and counted in this process's memory
//! ([`woolly_core::windows`]): with several processes behind a balancer each counts its own
//! share.
//!
//! A request counts against its token only once the token checks out; until then it counts
//! against its address, so that made-up tokens buy no requests (rack-attack does the same).
//! The checked token stays with the request ([`VerifiedToken`]) for the API to use. Client
//! addresses come from the connection ([`crate::caller::client_address`]); IPv6 clients are
//! counted by their /64, since one host holds a whole /64.

use std::sync::Arc;
use std::time::Duration;

use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use woolly_core::Woolly;
use woolly_core::sign_in_throttle::address_key;
use woolly_core::windows::FixedWindows;

use crate::caller::{VerifiedToken, bearer_token, client_address};
use crate::error::HttpError;
use crate::time::iso8601;

const GENERAL_WINDOW: Duration = Duration::from_secs(5 * 60);
const STRICT_WINDOW: Duration = Duration::from_secs(30 * 60);
const STRICT_LIMIT: u32 = 30;
/// Sign-ups per client address per 30 minutes, as Mastodon's rack-attack allows. Counted by
/// address even with a token: every sign-up of an app carries that app's one token.
const SIGN_UP_LIMIT: u32 = 5;

/// Counters of the current windows.
#[derive(Clone)]
pub struct RateLimiter {
    /// Requests per 5 minutes per token or address; 0 turns limits off.
    general_limit: u32,
    windows: Windows,
    /// Checks tokens.
    woolly: Woolly,
}

/// The current window of each key.
#[derive(Clone, Default)]
struct Windows(Arc<FixedWindows>);

/// What a request was allowed, for the headers.
struct Verdict {
    limit: u32,
    remaining: u32,
    reset_at: i64,
    allowed: bool,
}

impl RateLimiter {
    pub fn new(general_limit: u32, woolly: Woolly) -> RateLimiter {
        RateLimiter {
            general_limit,
            windows: Windows::default(),
            woolly,
        }
    }
}

impl Windows {
    fn count(&self, key: String, limit: u32, window: Duration, now: i64) -> Verdict {
        let length = i64::try_from(window.as_millis()).unwrap_or(i64::MAX);
        let counted = self.0.add(key, length, now);
        Verdict {
            limit,
            remaining: limit.saturating_sub(counted.count),
            reset_at: counted.ends_at,
            allowed: counted.count <= limit,
        }
    }
}

/// The key a request is counted under: its token once the token checks out (which then stays
/// with the request), else its client's address.
async fn client_key(woolly: &Woolly, request: &mut Request) -> String {
    if let Some(token) = bearer_token(request.headers(), request.uri())
        && let Ok(authenticated) = woolly.oauth().authenticate(&token).await
    {
        request
            .extensions_mut()
            .insert(VerifiedToken(authenticated));
        // Only a digest is kept in memory.
        return format!("token:{}", token_fingerprint(&token));
    }
    address_bucket(request)
}

/// The key a request is counted under by its client's address (IPv6 by /64).
fn address_bucket(request: &Request) -> String {
    match client_address(request.extensions()) {
        Some(address) => format!("ip:{}", address_key(address)),
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

/// Deliveries one server may make to the inboxes per 5 minutes, as a multiple of the general
/// limit: a large server sends many activities, from many addresses.
const INBOX_LIMIT_FACTOR: u32 = 10;

/// Whether a request is a delivery to an inbox (shared or personal).
fn is_inbox_delivery(method: &Method, path: &str) -> bool {
    method == Method::POST
        && (path == "/inbox" || (path.starts_with("/users/") && path.ends_with("/inbox")))
}

/// What an inbox delivery may still do, kept with the request: it is counted once the inbox
/// knows who signed it, against the sending server (behind a proxy, or from a large server's
/// many addresses, a count by address would be wrong both ways); a delivery whose signature
/// does not check out counts against its address instead.
#[derive(Clone)]
pub struct InboxAllowance {
    limiter: RateLimiter,
    address_key: String,
}

impl InboxAllowance {
    /// Counts a verified delivery from `domain`; false when that server is past its limit.
    pub fn allow_sender(&self, domain: &str) -> bool {
        let limit = self
            .limiter
            .general_limit
            .saturating_mul(INBOX_LIMIT_FACTOR);
        self.limiter
            .windows
            .count(
                format!("inbox:{}", domain.to_ascii_lowercase()),
                limit,
                GENERAL_WINDOW,
                woolly_core::now_millis(),
            )
            .allowed
    }

    /// Whether the address already sent as many refused deliveries as it may.
    pub fn address_exhausted(&self) -> bool {
        self.limiter
            .windows
            .0
            .peek(&self.address_key, woolly_core::now_millis())
            >= self.limiter.general_limit
    }

    /// Counts a delivery that was refused (malformed, unsigned, forged) against its address.
    pub fn count_refused(&self) {
        self.limiter.windows.count(
            self.address_key.clone(),
            self.limiter.general_limit,
            GENERAL_WINDOW,
            woolly_core::now_millis(),
        );
    }
}

/// Middleware counting each request and refusing those past the limit.
pub async fn limit_requests(
    State(limiter): State<RateLimiter>,
    mut request: Request,
    next: Next,
) -> Response {
    if limiter.general_limit == 0 {
        return next.run(request).await;
    }
    if is_inbox_delivery(request.method(), request.uri().path()) {
        let address_key = address_bucket(&request);
        request.extensions_mut().insert(InboxAllowance {
            limiter: limiter.clone(),
            address_key,
        });
        return next.run(request).await;
    }
    let now = woolly_core::now_millis();
    let key = client_key(&limiter.woolly, &mut request).await;
    let mut verdict =
        limiter
            .windows
            .count(key.clone(), limiter.general_limit, GENERAL_WINDOW, now);
    if request.method() == Method::POST && request.uri().path() == "/api/v1/accounts" {
        let sign_ups = limiter.windows.count(
            format!("sign_up:{}", address_bucket(&request)),
            SIGN_UP_LIMIT,
            STRICT_WINDOW,
            now,
        );
        if !sign_ups.allowed || sign_ups.remaining < verdict.remaining {
            verdict = sign_ups;
        }
    }
    if let Some(bucket) = strict_bucket(request.method(), request.uri().path()) {
        let strict =
            limiter
                .windows
                .count(format!("{bucket}:{key}"), STRICT_LIMIT, STRICT_WINDOW, now);
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
        let limiter = Windows::default();
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
