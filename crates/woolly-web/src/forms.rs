//! What the forms of the web interface share: how a refusal of core reads next to the fields it
//! names, in the visitor's language.

use axum::http::StatusCode;
use woolly_core::oauth::OAuthError;
use woolly_core::{CoreError, FieldRule};

use crate::i18n::Words;

/// What is wrong with a form: a sentence for the whole form, and one per field.
#[derive(Debug, Default)]
pub struct FormErrors {
    pub general: Option<String>,
    pub fields: Vec<(&'static str, String)>,
}

impl FormErrors {
    /// A sentence for the whole form.
    pub fn general(message: String) -> FormErrors {
        FormErrors {
            general: Some(message),
            fields: Vec::new(),
        }
    }

    /// What core's refusal says, field by field where it names fields.
    pub fn from_refusal(words: Words, error: &CoreError) -> FormErrors {
        match error {
            CoreError::Fields(errors) => FormErrors {
                general: Some(words.t("form-has-errors")),
                fields: errors
                    .0
                    .iter()
                    .map(|error| {
                        (
                            error.field,
                            rule_words(words, error.rule, &error.description),
                        )
                    })
                    .collect(),
            },
            CoreError::Validation(message) => FormErrors::general(message.clone()),
            CoreError::Throttled => FormErrors::general(words.t("error-throttled")),
            CoreError::Forbidden(_) => FormErrors::general(words.t("error-forbidden")),
            error => {
                tracing::error!(%error, "a form's request failed");
                FormErrors::general(words.t("error-internal"))
            }
        }
    }

    /// The message for `field`, if it broke a rule (templates: `errors.of("email")`).
    pub fn of(&self, field: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|(name, _)| *name == field)
            .map(|(_, message)| message.as_str())
    }
}

/// Why a sign-in failed, in the visitor's words. A wrong login, password or code gets one
/// answer; a missing code (the user turned two-factor sign-in on) is asked for.
pub fn sign_in_refusal(words: Words, error: &CoreError) -> (StatusCode, FormErrors) {
    match error {
        CoreError::OAuth(OAuthError::SecondFactorNeeded) => (
            StatusCode::UNAUTHORIZED,
            FormErrors::general(words.t("sign-in-code-needed")),
        ),
        CoreError::OAuth(_) => (
            StatusCode::UNAUTHORIZED,
            FormErrors::general(words.t("sign-in-failed")),
        ),
        CoreError::Throttled => (
            StatusCode::TOO_MANY_REQUESTS,
            FormErrors::general(words.t("error-throttled")),
        ),
        error => (
            StatusCode::INTERNAL_SERVER_ERROR,
            FormErrors::from_refusal(words, error),
        ),
    }
}

/// A broken rule in the visitor's words. Limits carry their number in core's English
/// description, which English readers get as it is.
fn rule_words(words: Words, rule: FieldRule, description: &str) -> String {
    let id = match rule {
        FieldRule::Blank => "rule-blank",
        FieldRule::Invalid => "rule-invalid",
        FieldRule::Taken => "rule-taken",
        FieldRule::Reserved => "rule-reserved",
        FieldRule::Accepted => "rule-accepted",
        FieldRule::Inclusion => "rule-inclusion",
        FieldRule::TooLong | FieldRule::TooShort | FieldRule::BelowLimit
            if words.locale() == crate::i18n::Locale::En =>
        {
            return description.to_owned();
        }
        FieldRule::TooLong => "rule-too-long",
        FieldRule::TooShort => "rule-too-short",
        FieldRule::BelowLimit => "rule-below-limit",
    };
    words.t(id)
}
