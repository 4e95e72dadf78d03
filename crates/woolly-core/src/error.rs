//! The core error type. Front doors map each variant to their protocol (HTTP status, exit code).

use woolly_store::StoreError;

/// Why a use case refused or failed.
#[derive(Debug, thiserror::Error)]
pub enum CoreError {
    /// The input breaks a rule; the message is fit to show the user.
    #[error("{0}")]
    Validation(String),
    /// A form's fields break rules, each named (Mastodon's sign-up answers with `details`).
    #[error("{0}")]
    Fields(FieldErrors),
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

/// Which fields of a form break which rule, in the order they were checked.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FieldErrors(pub Vec<FieldError>);

/// One broken rule of one field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    /// The parameter's name, such as `username`.
    pub field: &'static str,
    pub rule: FieldRule,
    /// What is wrong, fit to show after the field's name ("is too short").
    pub description: String,
}

/// The rules a field can break, as Mastodon names them (`ERR_TAKEN`, …).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldRule {
    Blank,
    Invalid,
    Taken,
    Reserved,
    Accepted,
    TooLong,
    TooShort,
    BelowLimit,
    /// Not one of the accepted values.
    Inclusion,
    /// Refused by a moderators' block (an e-mail provider).
    Blocked,
}

impl FieldRule {
    /// Mastodon's code for it, as clients read it from `details`.
    pub fn code(self) -> &'static str {
        match self {
            FieldRule::Blank => "ERR_BLANK",
            FieldRule::Blocked => "ERR_BLOCKED",
            FieldRule::Invalid => "ERR_INVALID",
            FieldRule::Taken => "ERR_TAKEN",
            FieldRule::Reserved => "ERR_RESERVED",
            FieldRule::Accepted => "ERR_ACCEPTED",
            FieldRule::TooLong => "ERR_TOO_LONG",
            FieldRule::TooShort => "ERR_TOO_SHORT",
            FieldRule::BelowLimit => "ERR_BELOW_LIMIT",
            FieldRule::Inclusion => "ERR_INCLUSION",
        }
    }
}

impl FieldErrors {
    pub fn add(&mut self, field: &'static str, rule: FieldRule, description: impl Into<String>) {
        self.0.push(FieldError {
            field,
            rule,
            description: description.into(),
        });
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// `Ok` when no rule is broken.
    pub fn into_result(self) -> Result<()> {
        if self.is_empty() {
            Ok(())
        } else {
            Err(CoreError::Fields(self))
        }
    }
}

impl std::fmt::Display for FieldErrors {
    /// Rails' wording: `Validation failed: Username has already been taken, …`.
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter.write_str("Validation failed: ")?;
        for (index, error) in self.0.iter().enumerate() {
            if index > 0 {
                formatter.write_str(", ")?;
            }
            let mut name = error.field.replace('_', " ");
            if let Some(first) = name.get_mut(0..1) {
                first.make_ascii_uppercase();
            }
            write!(formatter, "{name} {}", error.description)?;
        }
        Ok(())
    }
}
