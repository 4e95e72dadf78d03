//! Who is asking: the bearer token a request carries, the address it came from, and the token
//! once the rate limiter has checked it (so that the API does not check it twice).

use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;

use axum::extract::{ConnectInfo, FromRequestParts, Query, Request, State};
use axum::http::request::Parts;
use axum::http::{Extensions, HeaderMap, Uri, header};
use axum::middleware::Next;
use axum::response::Response;
use ipnet::IpNet;
use woolly_core::auth::Authenticated;

/// The bearer token of a request: `Authorization: Bearer …` or, as Doorkeeper also accepts,
/// an `access_token` query parameter.
pub fn bearer_token(headers: &HeaderMap, uri: &Uri) -> Option<String> {
    if let Some(value) = headers.get(header::AUTHORIZATION) {
        let value = value.to_str().ok()?;
        let (scheme, token) = value.split_once(' ')?;
        return scheme
            .eq_ignore_ascii_case("bearer")
            .then(|| token.trim().to_owned())
            .filter(|token| !token.is_empty());
    }
    let Query(params) = Query::<HashMap<String, String>>::try_from_uri(uri).ok()?;
    params
        .get("access_token")
        .filter(|token| !token.is_empty())
        .cloned()
}

/// The address a request came from: the one [`resolve_client_address`] found behind trusted
/// proxies, else the connection's.
pub fn client_address(extensions: &Extensions) -> Option<IpAddr> {
    extensions
        .get::<ResolvedAddress>()
        .map(|ResolvedAddress(address)| *address)
        .or_else(|| {
            extensions
                .get::<ConnectInfo<SocketAddr>>()
                .map(|ConnectInfo(address)| address.ip().to_canonical())
        })
}

/// The client address found behind trusted proxies, kept with the request.
#[derive(Debug, Clone, Copy)]
struct ResolvedAddress(IpAddr);

/// The proxies whose forwarding headers are believed (setting `trusted_proxies`).
#[derive(Debug, Clone, Default)]
pub struct TrustedProxies(Arc<Vec<IpNet>>);

impl TrustedProxies {
    /// Parses CIDR ranges (`10.0.0.0/8`) and single addresses (`::1`).
    pub fn parse(ranges: &[String]) -> Result<TrustedProxies, String> {
        let mut parsed = Vec::new();
        for range in ranges {
            let range = range.trim();
            let network = range
                .parse::<IpNet>()
                .or_else(|_| range.parse::<IpAddr>().map(IpNet::from))
                .map_err(|_| format!("{range:?} is not an address or a CIDR range"))?;
            parsed.push(network);
        }
        Ok(TrustedProxies(Arc::new(parsed)))
    }

    fn trusts(&self, address: IpAddr) -> bool {
        self.0.iter().any(|network| network.contains(&address))
    }

    /// The client behind `peer`: `peer` itself unless it is a trusted proxy; then the
    /// rightmost hop of `X-Forwarded-For` (else of `Forwarded`) that is not a trusted proxy,
    /// since a client may write anything to the left of what its proxies appended.
    fn client_behind(&self, peer: IpAddr, headers: &HeaderMap) -> IpAddr {
        if !self.trusts(peer) {
            return peer;
        }
        let mut hops = forwarded_for(headers);
        if hops.is_empty() {
            hops = forwarded(headers);
        }
        let mut client = peer;
        for hop in hops.into_iter().rev() {
            client = hop;
            if !self.trusts(hop) {
                break;
            }
        }
        client
    }
}

/// The addresses of every `X-Forwarded-For` header, in order; none when a hop is not an
/// address (such a list is not one a proxy wrote).
fn forwarded_for(headers: &HeaderMap) -> Vec<IpAddr> {
    headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .map(|hop| parse_hop(hop.trim()))
        .collect::<Option<Vec<_>>>()
        .unwrap_or_default()
}

/// The `for=` addresses of every `Forwarded` header (RFC 7239), in order.
fn forwarded(headers: &HeaderMap) -> Vec<IpAddr> {
    headers
        .get_all(header::FORWARDED)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .map(|element| {
            element.split(';').find_map(|pair| {
                let (name, value) = pair.trim().split_once('=')?;
                name.eq_ignore_ascii_case("for")
                    .then(|| parse_hop(value.trim()))
            })
        })
        .map(Option::flatten)
        .collect::<Option<Vec<_>>>()
        .unwrap_or_default()
}

/// One hop: `192.0.2.1`, `192.0.2.1:4711`, `2001:db8::1`, `"[2001:db8::1]:4711"`.
fn parse_hop(hop: &str) -> Option<IpAddr> {
    let hop = hop.trim_matches('"');
    if let Ok(address) = hop.parse::<IpAddr>() {
        return Some(address.to_canonical());
    }
    if let Ok(socket) = hop.parse::<SocketAddr>() {
        return Some(socket.ip().to_canonical());
    }
    hop.strip_prefix('[')
        .and_then(|rest| rest.split(']').next())
        .and_then(|inner| inner.parse::<IpAddr>().ok())
        .map(|address| address.to_canonical())
}

/// Middleware: finds the client's address (behind trusted proxies) once, for the rate limiter,
/// the sign-in throttle and the logs.
pub async fn resolve_client_address(
    State(proxies): State<TrustedProxies>,
    mut request: Request,
    next: Next,
) -> Response {
    if let Some(ConnectInfo(peer)) = request.extensions().get::<ConnectInfo<SocketAddr>>() {
        let client = proxies.client_behind(peer.ip().to_canonical(), request.headers());
        request.extensions_mut().insert(ResolvedAddress(client));
    }
    next.run(request).await
}

/// The client address as an extractor, for handlers that count what an address does (sign-in).
pub struct ClientAddress(pub Option<IpAddr>);

impl<S: Send + Sync> FromRequestParts<S> for ClientAddress {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        Ok(ClientAddress(client_address(&parts.extensions)))
    }
}

/// A token the rate limiter checked, kept with the request.
#[derive(Debug, Clone)]
pub struct VerifiedToken(pub Authenticated);

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.append(*name, value.parse().unwrap_or_else(|_| panic!("{value}")));
        }
        map
    }

    fn ip(text: &str) -> IpAddr {
        text.parse().unwrap_or_else(|_| panic!("{text}"))
    }

    #[test]
    fn forwarding_headers_count_only_from_trusted_proxies() -> Result<(), String> {
        let proxies =
            TrustedProxies::parse(&["127.0.0.1/8".into(), "10.0.0.0/8".into(), "::1".into()])?;
        let forged = headers(&[("x-forwarded-for", "6.6.6.6")]);
        // An untrusted peer's headers are ignored.
        assert_eq!(
            proxies.client_behind(ip("203.0.113.9"), &forged),
            ip("203.0.113.9")
        );
        // Behind a trusted proxy, the rightmost untrusted hop: what the client wrote on the
        // left does not count.
        let chain = headers(&[("x-forwarded-for", "6.6.6.6, 198.51.100.7, 10.1.2.3")]);
        assert_eq!(
            proxies.client_behind(ip("127.0.0.1"), &chain),
            ip("198.51.100.7")
        );
        let two_headers = headers(&[
            ("x-forwarded-for", "6.6.6.6"),
            ("x-forwarded-for", "198.51.100.8"),
        ]);
        assert_eq!(
            proxies.client_behind(ip("::1"), &two_headers),
            ip("198.51.100.8")
        );
        let rfc7239 = headers(&[(
            "forwarded",
            "for=6.6.6.6, for=\"[2001:db8::7]:4711\";proto=https",
        )]);
        assert_eq!(
            proxies.client_behind(ip("127.0.0.1"), &rfc7239),
            ip("2001:db8::7")
        );
        // Garbage is not an address: the proxy itself is the client.
        let garbage = headers(&[("x-forwarded-for", "not-an-address")]);
        assert_eq!(
            proxies.client_behind(ip("127.0.0.1"), &garbage),
            ip("127.0.0.1")
        );
        // Only trusted hops: the leftmost.
        let internal = headers(&[("x-forwarded-for", "10.9.9.9")]);
        assert_eq!(
            proxies.client_behind(ip("127.0.0.1"), &internal),
            ip("10.9.9.9")
        );
        assert!(TrustedProxies::parse(&["10.0.0.0/33".into()]).is_err());
        Ok(())
    }
}
