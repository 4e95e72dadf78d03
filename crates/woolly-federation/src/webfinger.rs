//! WebFinger (`/.well-known/webfinger`, RFC 7033): from `acct:user@domain` (or the actor's id,
//! or its profile page URL) to the actor's id, as Mastodon answers it
//! (`WellKnown::WebfingerController`, `WebfingerResource`, `WebfingerSerializer`).
//!
//! The instance actor answers to its username (`acct:mastodon.internal@domain`) and, as
//! Mastodon's does, to `acct:domain@domain`, its name before it had one without a colon. A resource on
//! another domain, or naming nobody here, is 404; a missing one, or one that is neither an
//! `acct:` address nor an http(s) URL, is 400. Every answer may be read by any origin.

use axum::Router;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde_json::json;
use woolly_core::Woolly;
use woolly_core::actors::INSTANCE_ACTOR_USERNAME;
use woolly_http::HttpError;

use crate::render::ActorUrls;
use crate::vocab::ACTIVITY_JSON;

pub(crate) fn router() -> Router<Woolly> {
    Router::new().route("/.well-known/webfinger", get(webfinger))
}

/// Whom a resource names.
#[derive(Debug, PartialEq, Eq)]
enum Subject {
    Account(String),
    InstanceActor,
}

/// Why a resource names nobody.
#[derive(Debug, PartialEq, Eq)]
enum Unresolved {
    /// Not a resource WebFinger can name (400).
    Invalid,
    /// Not one of this server's (404).
    Unknown,
}

/// Reads a resource: `acct:user@domain` (the `acct:` is optional, as Mastodon reads it), or an
/// http(s) URL of a profile page (`/@user`) or actor (`/users/user`, `/actor`) on this domain.
fn subject(resource: &str, domain: &str) -> Result<Subject, Unresolved> {
    let resource = resource.trim();
    let lowercase = resource.to_ascii_lowercase();
    if lowercase.starts_with("https://") || lowercase.starts_with("http://") {
        let (_, rest) = resource.split_once("://").ok_or(Unresolved::Invalid)?;
        let (host, path) = rest.split_once('/').unwrap_or((rest, ""));
        if !host.eq_ignore_ascii_case(domain) {
            return Err(Unresolved::Unknown);
        }
        let path = path.split(['?', '#']).next().unwrap_or_default();
        let path = path.trim_end_matches('/');
        if path == "actor" {
            return Ok(Subject::InstanceActor);
        }
        let username = path
            .strip_prefix('@')
            .or_else(|| path.strip_prefix("users/"))
            .filter(|username| !username.is_empty() && !username.contains('/'))
            .ok_or(Unresolved::Unknown)?;
        return Ok(Subject::Account(username.to_owned()));
    }
    let address = if lowercase.starts_with("acct:") {
        &resource["acct:".len()..]
    } else {
        resource
    };
    let address = address.strip_prefix('@').unwrap_or(address);
    let (username, host) = address.split_once('@').ok_or(Unresolved::Invalid)?;
    if username.is_empty() || host.is_empty() {
        return Err(Unresolved::Invalid);
    }
    if !host.eq_ignore_ascii_case(domain) {
        return Err(Unresolved::Unknown);
    }
    if username.eq_ignore_ascii_case(domain)
        || username.eq_ignore_ascii_case(INSTANCE_ACTOR_USERNAME)
    {
        return Ok(Subject::InstanceActor);
    }
    Ok(Subject::Account(username.to_owned()))
}

async fn webfinger(
    State(woolly): State<Woolly>,
    query: Result<Query<Vec<(String, String)>>, QueryRejection>,
) -> Response {
    let mut response = match answer(&woolly, query).await {
        Ok(document) => (
            [(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/jrd+json; charset=utf-8"),
            )],
            document.to_string(),
        )
            .into_response(),
        Err(error) => error.into_response(),
    };
    response.headers_mut().insert(
        header::ACCESS_CONTROL_ALLOW_ORIGIN,
        HeaderValue::from_static("*"),
    );
    response
}

async fn answer(
    woolly: &Woolly,
    query: Result<Query<Vec<(String, String)>>, QueryRejection>,
) -> Result<serde_json::Value, HttpError> {
    let bad_request = || HttpError::new(StatusCode::BAD_REQUEST, "Invalid resource");
    let Query(parameters) = query.map_err(|_| bad_request())?;
    let resource = parameters
        .iter()
        .find(|(name, _)| name == "resource")
        .map(|(_, value)| value.as_str())
        .filter(|value| !value.trim().is_empty())
        .ok_or_else(bad_request)?;
    let domain = woolly.config().domain.to_string();
    let subject = subject(resource, &domain).map_err(|unresolved| match unresolved {
        Unresolved::Invalid => bad_request(),
        Unresolved::Unknown => HttpError::not_found(),
    })?;
    let site = woolly.config().urls();
    Ok(match subject {
        Subject::InstanceActor => {
            let id = woolly.federation().instance_actor_uri();
            json!({
                "subject": format!("acct:{INSTANCE_ACTOR_USERNAME}@{domain}"),
                "aliases": [id],
                "links": [
                    { "rel": "http://webfinger.net/rel/profile-page", "type": "text/html", "href": site.home_page() },
                    { "rel": "self", "type": ACTIVITY_JSON, "href": id },
                ],
            })
        }
        Subject::Account(username) => {
            let actor = woolly
                .federation()
                .local_actor(&username)
                .await?
                .ok_or_else(HttpError::not_found)?;
            let username = &actor.account.username;
            let urls = ActorUrls::of(woolly, username);
            json!({
                "subject": format!("acct:{username}@{domain}"),
                "aliases": [urls.url, urls.id],
                "links": [
                    { "rel": "http://webfinger.net/rel/profile-page", "type": "text/html", "href": urls.url },
                    { "rel": "self", "type": ACTIVITY_JSON, "href": urls.id },
                    {
                        "rel": "http://ostatus.org/schema/1.0/subscribe",
                        "template": site.interaction_template(),
                    },
                ],
            })
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const DOMAIN: &str = "woolly.example:8443";

    fn account(name: &str) -> Result<Subject, Unresolved> {
        Ok(Subject::Account(name.to_owned()))
    }

    #[test]
    fn resources_name_accounts_by_address_or_url() {
        for (resource, expected) in [
            ("acct:alice@woolly.example:8443", account("alice")),
            ("ACCT:alice@WOOLLY.example:8443", account("alice")),
            ("alice@woolly.example:8443", account("alice")),
            ("@alice@woolly.example:8443", account("alice")),
            ("https://woolly.example:8443/@alice", account("alice")),
            ("http://woolly.example:8443/users/alice", account("alice")),
            ("https://woolly.example:8443/users/alice/", account("alice")),
            (
                "https://woolly.example:8443/actor",
                Ok(Subject::InstanceActor),
            ),
            (
                "acct:woolly.example:8443@woolly.example:8443",
                Ok(Subject::InstanceActor),
            ),
            (
                "acct:mastodon.internal@woolly.example:8443",
                Ok(Subject::InstanceActor),
            ),
            (
                "acct:Mastodon.Internal@woolly.example:8443",
                Ok(Subject::InstanceActor),
            ),
            (
                "acct:mastodon.internal@elsewhere.example",
                Err(Unresolved::Unknown),
            ),
            ("acct:alice@elsewhere.example", Err(Unresolved::Unknown)),
            ("acct:alice@woolly.example", Err(Unresolved::Unknown)),
            ("https://elsewhere.example/@alice", Err(Unresolved::Unknown)),
            (
                "https://woolly.example:8443/about",
                Err(Unresolved::Unknown),
            ),
            (
                "https://woolly.example:8443/users/alice/statuses/1",
                Err(Unresolved::Unknown),
            ),
            ("alice", Err(Unresolved::Invalid)),
            ("acct:@woolly.example:8443", Err(Unresolved::Invalid)),
            ("acct:alice@", Err(Unresolved::Invalid)),
            ("mailto:alice", Err(Unresolved::Invalid)),
        ] {
            assert_eq!(subject(resource, DOMAIN), expected, "{resource}");
        }
    }
}
