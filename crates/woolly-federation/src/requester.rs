//! Who is asking for an ActivityPub document: the seam where signed fetches are verified.
//!
//! Every read of an actor, object or collection takes a [`Requester`] and reads as its viewer,
//! so the rules of core decide what it may see: an anonymous requester sees public and unlisted
//! statuses only, while a signed fetch by a follower's server reads as that follower and sees
//! followers-only posts too. A request with a signature that does not verify reads as
//! anonymous (as Mastodon's does) — unless the instance runs with authorized fetch, where
//! every such read must be signed and anything else is refused with 401, here, in one place.

use axum::extract::FromRequestParts;
use axum::http::StatusCode;
use axum::http::request::Parts;
use woolly_core::Woolly;
use woolly_http::HttpError;

use crate::inbox::Received;
use crate::remote::Federation;
use crate::signatures;

/// The account a fetch is made for, if any.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Requester {
    account_id: Option<i64>,
}

impl Requester {
    /// A request nobody signed.
    pub fn anonymous() -> Requester {
        Requester { account_id: None }
    }

    /// A request signed by `account_id` (local or remote), once its signature is verified.
    pub fn signed_by(account_id: i64) -> Requester {
        Requester {
            account_id: Some(account_id),
        }
    }

    /// The viewer core reads as.
    pub fn viewer(&self) -> Option<i64> {
        self.account_id
    }
}

impl FromRequestParts<Woolly> for Requester {
    type Rejection = HttpError;

    async fn from_request_parts(
        parts: &mut Parts,
        woolly: &Woolly,
    ) -> Result<Requester, HttpError> {
        let required = woolly.config().authorized_fetch;
        let refused = |message: String| {
            if required {
                Err(HttpError::new(StatusCode::UNAUTHORIZED, message))
            } else {
                Ok(Requester::anonymous())
            }
        };
        let signed = parts.headers.contains_key("signature")
            || parts.headers.contains_key("signature-input");
        if !signed {
            return refused("Request not signed".to_owned());
        }
        let Some(federation) = parts.extensions.get::<Federation>().cloned() else {
            return refused("Signatures cannot be checked here".to_owned());
        };
        let received = Received::new(woolly, &parts.method, &parts.uri, &parts.headers);
        let request = received.parts(&[]);
        let signature = match signatures::parse(&request) {
            Ok(signature) => signature,
            Err(error) => return refused(error.to_string()),
        };
        match crate::inbox::authenticate(woolly, &federation, &request, &signature).await {
            Ok(account) => Ok(Requester::signed_by(account.id)),
            Err((_, message)) => {
                tracing::info!(%message, "signed fetch not verified");
                refused(message)
            }
        }
    }
}
