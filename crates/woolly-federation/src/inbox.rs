//! The inboxes: `POST /inbox` (shared) and `POST /users/:name/inbox`.
//!
//! An activity is accepted only with a valid HTTP signature by its own actor: the signer's key
//! comes from the stored account, or from its actor document (fetched, and fetched again once
//! when the stored key no longer verifies: the actor may have rotated it). An accepted activity
//! is recorded by id and stored as a job in one transaction, and the answer is 202 at once;
//! processing happens in the job (see [`crate::inbound`]), so a slow or failing step never
//! makes the sender wait or retry. A redelivered activity is acknowledged and not stored again.

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Extension, Path, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use serde_json::Value;
use time::OffsetDateTime;
use woolly_core::Woolly;
use woolly_core::accounts::Account;
use woolly_http::HttpError;
use woolly_http::rate_limit::InboxAllowance;

use crate::inbound::InboundPayload;
use crate::remote::{Federation, FederationError, authority_of};
use crate::signatures::{self, RequestParts, Signature, SignatureError};
use crate::vocab::lenient::id_of;

/// The largest activity accepted (Mastodon's limit is 1 MiB too).
const MAX_ACTIVITY_BYTES: usize = 1024 * 1024;

pub(crate) fn router() -> Router<Woolly> {
    Router::new()
        .route("/inbox", post(shared_inbox))
        .route("/users/{username}/inbox", post(user_inbox))
}

async fn shared_inbox(
    State(woolly): State<Woolly>,
    Extension(federation): Extension<Federation>,
    parts: Parts,
    body: Bytes,
) -> Response {
    receive(&woolly, &federation, &parts, &body).await
}

async fn user_inbox(
    State(woolly): State<Woolly>,
    Extension(federation): Extension<Federation>,
    Path(username): Path<String>,
    parts: Parts,
    body: Bytes,
) -> Response {
    match woolly.federation().local_actor(&username).await {
        Ok(Some(_)) => receive(&woolly, &federation, &parts, &body).await,
        Ok(None) => HttpError::not_found().into_response(),
        Err(error) => HttpError::from(error).into_response(),
    }
}

fn refuse(status: StatusCode, message: impl Into<String>) -> Response {
    let message = message.into();
    tracing::info!(status = status.as_u16(), %message, "inbound activity refused");
    HttpError::new(status, message).into_response()
}

/// Too many deliveries: from one server once it is known, else from one address.
fn too_many() -> Response {
    refuse(StatusCode::TOO_MANY_REQUESTS, "Too many requests")
}

/// Takes a delivery, under the rate limits when they are on (the limiter then left an
/// [`InboxAllowance`] with the request): an address that sent too many refused deliveries is
/// refused at once, and every refused delivery counts against it.
async fn receive(woolly: &Woolly, federation: &Federation, parts: &Parts, body: &[u8]) -> Response {
    let Some(allowance) = parts.extensions.get::<InboxAllowance>() else {
        return check_and_queue(woolly, federation, None, parts, body).await;
    };
    if allowance.address_exhausted() {
        return too_many();
    }
    let response = check_and_queue(woolly, federation, Some(allowance), parts, body).await;
    let status = response.status();
    if status.is_client_error() && status != StatusCode::TOO_MANY_REQUESTS {
        allowance.count_refused();
    }
    response
}

async fn check_and_queue(
    woolly: &Woolly,
    federation: &Federation,
    allowance: Option<&InboxAllowance>,
    parts: &Parts,
    body: &[u8],
) -> Response {
    let (method, uri, headers) = (&parts.method, &parts.uri, &parts.headers);
    if body.len() > MAX_ACTIVITY_BYTES {
        return refuse(StatusCode::PAYLOAD_TOO_LARGE, "Activity too large");
    }
    let received = Received::new(woolly, method, uri, headers);
    let request = received.parts(body);
    let signature = match signatures::parse(&request) {
        Ok(signature) => signature,
        Err(error) => return refuse(status_of(&error), error.to_string()),
    };
    let activity: Value = match serde_json::from_slice(body) {
        Ok(value @ Value::Object(_)) => value,
        Ok(_) => return refuse(StatusCode::BAD_REQUEST, "An activity must be a JSON object"),
        Err(error) => return refuse(StatusCode::BAD_REQUEST, format!("Malformed JSON: {error}")),
    };
    let Some(actor_uri) = activity.get("actor").and_then(id_of) else {
        return refuse(StatusCode::BAD_REQUEST, "The activity names no actor");
    };
    // The sender's domain policy, before any key is fetched from there.
    for uri in [signature.key_id.as_str(), actor_uri.as_str()] {
        if let Some(domain) = authority_of(uri) {
            match woolly.instance().is_domain_blocked(&domain).await {
                Ok(false) => {}
                Ok(true) => return refuse(StatusCode::FORBIDDEN, "This domain is blocked"),
                Err(error) => return HttpError::from(error).into_response(),
            }
        }
    }
    let signer = match authenticate(woolly, federation, &request, &signature).await {
        Ok(signer) => signer,
        Err((status, message)) => return refuse(status, message),
    };
    if let (Some(allowance), Some(domain)) = (allowance, authority_of(&signature.key_id))
        && !allowance.allow_sender(&domain)
    {
        return too_many();
    }
    let forwarded = signer.actor.uri.as_deref() != Some(actor_uri.as_str());
    if forwarded {
        // Someone else's activity, passed on (a reply forwarded to a thread's followers, a
        // relay). Woolly reads no LD signatures, so only a Create is taken, and its post is
        // then fetched from its origin rather than believed; anything else is refused.
        let is_create = activity.get("type").and_then(Value::as_str) == Some("Create");
        let object_id = activity.get("object").and_then(id_of);
        if !is_create || object_id.is_none_or(|id| authority_of(&id) != authority_of(&actor_uri)) {
            return refuse(
                StatusCode::UNAUTHORIZED,
                "The activity's actor is not the one who signed it",
            );
        }
    }
    let activity_id = match activity.get("id").and_then(id_of) {
        Some(id) => {
            if authority_of(&id) != authority_of(&actor_uri) {
                return refuse(
                    StatusCode::BAD_REQUEST,
                    "The activity's id is on another host than its actor",
                );
            }
            id
        }
        // Transient activities have no id: their body names them.
        None => format!("transient:{}", signatures::digest_header(body)),
    };
    let payload = InboundPayload {
        signer_id: signer.id,
        activity,
        forwarded,
    };
    match woolly
        .federation()
        .accept_inbound_activity(&activity_id, &payload)
        .await
    {
        Ok(fresh) => {
            if !fresh {
                tracing::debug!(activity_id, "activity received again: already stored");
            }
            StatusCode::ACCEPTED.into_response()
        }
        Err(error) => HttpError::from(error).into_response(),
    }
}

/// A received request as signatures read it, owned. Header values that are not text are left
/// out: no signature can cover them.
pub(crate) struct Received {
    scheme: &'static str,
    method: String,
    path_and_query: String,
    headers: Vec<(String, String)>,
}

impl Received {
    pub(crate) fn new(
        woolly: &Woolly,
        method: &Method,
        uri: &Uri,
        headers: &HeaderMap,
    ) -> Received {
        Received {
            scheme: woolly.config().scheme(),
            method: method.as_str().to_owned(),
            path_and_query: uri
                .path_and_query()
                .map_or_else(|| uri.path().to_owned(), |path| path.as_str().to_owned()),
            headers: headers
                .iter()
                .filter_map(|(name, value)| {
                    Some((name.as_str().to_owned(), value.to_str().ok()?.to_owned()))
                })
                .collect(),
        }
    }

    /// The request with `body`, as signatures see it.
    pub(crate) fn parts<'a>(&'a self, body: &'a [u8]) -> RequestParts<'a> {
        RequestParts {
            scheme: self.scheme,
            method: &self.method,
            path_and_query: &self.path_and_query,
            headers: &self.headers,
            body,
        }
    }
}

fn status_of(error: &SignatureError) -> StatusCode {
    StatusCode::from_u16(error.status()).unwrap_or(StatusCode::UNAUTHORIZED)
}

/// The account whose key signed `request`, once the signature is verified; otherwise the
/// status to answer and why.
pub(crate) async fn authenticate(
    woolly: &Woolly,
    federation: &Federation,
    request: &RequestParts<'_>,
    signature: &Signature,
) -> Result<Account, (StatusCode, String)> {
    // The date window, the digest and the required components need no key, nor does the
    // key's domain policy: a request that fails them makes Woolly fetch nothing from the URL
    // it names (deliveries to the inbox and signed fetches alike).
    signatures::check_before_key(request, signature, OffsetDateTime::now_utc())
        .map_err(|error| (status_of(&error), error.to_string()))?;
    if let Some(domain) = authority_of(&signature.key_id) {
        match woolly.instance().is_domain_blocked(&domain).await {
            Ok(false) => {}
            Ok(true) => return Err((StatusCode::FORBIDDEN, "This domain is blocked".to_owned())),
            Err(error) => {
                tracing::error!(%error, "reading the domain blocks");
                return Err((
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "Internal server error".to_owned(),
                ));
            }
        }
    }
    let (account, key) = signer(woolly, federation, &signature.key_id)
        .await
        .map_err(|error| {
            (
                StatusCode::UNAUTHORIZED,
                format!("Could not find the key {}: {error}", signature.key_id),
            )
        })?;
    let now = OffsetDateTime::now_utc();
    let verified = match signatures::verify(request, signature, &key, now) {
        Err(SignatureError::BadSignature(_)) if !account.is_local() => {
            // The actor may have a new key: fetch its document once more and try again.
            let uri = account.actor.uri.clone().unwrap_or_default();
            match federation.fetch_actor(woolly, &uri).await {
                Ok(refreshed) => {
                    let key = woolly
                        .federation()
                        .account_public_key(refreshed.id)
                        .await
                        .unwrap_or_default();
                    signatures::verify(request, signature, &key, now)
                }
                Err(_) => Err(SignatureError::BadSignature(signature.key_id.clone())),
            }
        }
        other => other,
    };
    match verified {
        Ok(()) => Ok(account),
        Err(error) => Err((status_of(&error), error.to_string())),
    }
}

/// The account that owns `key_id` and its public key: stored, or fetched from the key's
/// document (an actor, or a key naming its owner).
async fn signer(
    woolly: &Woolly,
    federation: &Federation,
    key_id: &str,
) -> Result<(Account, String), FederationError> {
    let document = key_id.split('#').next().unwrap_or(key_id);
    let account = match woolly.federation().account_by_uri(document).await? {
        Some(account) => account,
        None => {
            let (_, json) = federation.fetch(woolly, document).await?;
            let owner = match json.get("owner").and_then(id_of) {
                Some(owner) if json.get("inbox").is_none() => owner,
                _ => json
                    .get("id")
                    .and_then(id_of)
                    .unwrap_or_else(|| document.to_owned()),
            };
            federation.account_for_uri(woolly, &owner, false).await?
        }
    };
    let key = woolly.federation().account_public_key(account.id).await?;
    Ok((account, key))
}
