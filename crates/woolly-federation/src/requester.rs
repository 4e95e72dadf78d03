//! Who is asking for an ActivityPub document: the seam where signed fetches plug in.
//!
//! Every read of an actor, object or collection takes a [`Requester`] and reads as its viewer,
//! so the rules of core decide what it may see: an anonymous requester sees public and unlisted
//! statuses only. The HTTP-signature module will verify a request's `Signature` (or RFC 9421
//! `Signature-Input`) here, resolve the signing key to an account, and make that account the
//! viewer, so that a follower's server can fetch followers-only posts; with authorized fetch
//! on, it will also refuse unsigned requests (401) here, in one place for every route.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use woolly_api::ApiError;
use woolly_core::Woolly;

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
    type Rejection = ApiError;

    async fn from_request_parts(
        _parts: &mut Parts,
        _woolly: &Woolly,
    ) -> Result<Requester, ApiError> {
        // No signature is verified yet, so none is trusted: every fetch is anonymous.
        Ok(Requester::anonymous())
    }
}
