//! Who is asking: the bearer token a request carries, the address it came from, and the token
//! once the rate limiter has checked it (so that the API does not check it twice).

use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};

use axum::extract::{ConnectInfo, FromRequestParts, Query};
use axum::http::request::Parts;
use axum::http::{Extensions, HeaderMap, Uri, header};
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

/// The address of the connection a request came on. `X-Forwarded-For` is not trusted (a proxy
/// in front should set its own limits until trusted-proxy settings exist).
pub fn client_address(extensions: &Extensions) -> Option<IpAddr> {
    extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map(|ConnectInfo(address)| address.ip())
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
