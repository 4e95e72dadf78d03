//! The core error type. Front doors map each variant to their protocol (HTTP status, exit code).

use woolly_store::StoreError;

/// Why a use case refused or failed.
#[derive(Debug, thiserror::Error)]
pub enum CoreError {
    /// The input breaks a rule; the message is fit to show the user.
    #[error("{0}")]
    Validation(String),
    /// The thing asked for does not exist, or the caller may not know it exists.
    #[error("Record not found")]
    NotFound,
    /// The caller is not authenticated (no token, or a bad one).
    #[error("The access token is invalid")]
    Unauthenticated,
    /// The caller is authenticated but may not do this; the message is fit to show.
    #[error("{0}")]
    Forbidden(String),
    /// An OAuth request was refused, in OAuth's vocabulary.
    #[error(transparent)]
    OAuth(#[from] crate::oauth::OAuthError),
    /// Too many attempts (sign-in guesses); the caller must wait.
    #[error("Too many attempts. Please try again later.")]
    Throttled,
    /// The database failed; the cause is logged, never shown.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// Anything else that is our fault; the cause is logged, never shown.
    #[error("internal error: {0}")]
    Internal(String),
}

pub type Result<T, E = CoreError> = std::result::Result<T, E>;
