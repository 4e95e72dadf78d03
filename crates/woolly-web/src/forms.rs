//! What the forms of the web interface share: how a refusal of core reads next to the fields it
//! names, in the visitor's language.

use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;
use woolly_core::oauth::OAuthError;
use woolly_core::{CoreError, FieldRule, Woolly};

use crate::i18n::Words;
use crate::page::message;
use crate::visitor::{SignedIn, Visitor};

/// A one-button form under a post or a profile (favourite, follow…): its anti-forgery token
/// and the page it was on, where the answer goes back to.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ButtonForm {
    pub authenticity_token: String,
    pub return_to: String,
}

impl ButtonForm {
    /// The page to go back to: a path of this server, never another site (`//host`,
    /// `https://…`); the home timeline otherwise.
    pub fn back(&self) -> &str {
        local_path(&self.return_to).unwrap_or("/home")
    }
}

/// `path` if it is a path of this server. Browsers drop tabs and line breaks from addresses and
/// read `\\` as `/`, so `/\t/evil.example` or `/\\evil.example` would lead to another site: no
/// control or blank character, and no second slash or backslash at the start.
pub fn local_path(path: &str) -> Option<&str> {
    let mut characters = path.chars();
    let well_formed = characters.next() == Some('/')
        && !matches!(characters.next(), Some('/' | '\\'))
        && !path.chars().any(|c| c.is_control() || c.is_whitespace());
    well_formed.then_some(path)
}

/// The member who pressed a one-button form, once its anti-forgery token checks out; else the
/// answer to give instead: the sign-in form, or the page saying the form expired.
pub fn button_presser<'v>(
    woolly: &Woolly,
    visitor: &'v Visitor,
    form: &ButtonForm,
) -> Result<&'v SignedIn, Box<Response>> {
    let Some(member) = visitor.member() else {
        return Err(Box::new(crate::page::redirect(visitor, "/auth/sign_in")));
    };
    if !visitor.form_is_genuine(&form.authenticity_token) {
        return Err(Box::new(expired(woolly, visitor, form.back())));
    }
    Ok(member)
}

/// Like [`button_presser`], for a form with fields of its own: its token alone is checked,
/// and an expired one leads back to `back`.
pub fn form_presser<'v>(
    woolly: &Woolly,
    visitor: &'v Visitor,
    authenticity_token: &str,
    back: &str,
) -> Result<&'v SignedIn, Box<Response>> {
    let button = ButtonForm {
        authenticity_token: authenticity_token.to_owned(),
        return_to: back.to_owned(),
    };
    button_presser(woolly, visitor, &button)
}

/// [`form_presser`] and [`button_presser_on`] together: a form with fields of its own, about
/// something numbered in its path.
pub fn form_presser_on<'v>(
    woolly: &Woolly,
    visitor: &'v Visitor,
    authenticity_token: &str,
    back: &str,
    id: &str,
) -> Result<(&'v SignedIn, i64), Box<Response>> {
    let button = ButtonForm {
        authenticity_token: authenticity_token.to_owned(),
        return_to: back.to_owned(),
    };
    button_presser_on(woolly, visitor, &button, id)
}

/// Like [`button_presser`], for a form about something numbered in its path (`/…/:id/…`):
/// the member and that number, or the answer to give instead (a number that is none names
/// nothing: not found).
pub fn button_presser_on<'v>(
    woolly: &Woolly,
    visitor: &'v Visitor,
    form: &ButtonForm,
    id: &str,
) -> Result<(&'v SignedIn, i64), Box<Response>> {
    let member = button_presser(woolly, visitor, form)?;
    let id = id
        .parse::<i64>()
        .map_err(|_| Box::new(crate::page::refusal(woolly, visitor, &CoreError::NotFound)))?;
    Ok((member, id))
}

/// The page for a one-button form that came without this browser's anti-forgery token.
pub fn expired(woolly: &Woolly, visitor: &Visitor, back: &str) -> Response {
    let words = visitor.words();
    message(
        woolly,
        visitor,
        StatusCode::FORBIDDEN,
        words.t("error-heading"),
        words.t("error-form-expired"),
        Some((back, words.t("back-home"))),
    )
}

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

/// The status of a page that shows a form again after core refused it: 422 for what the person
/// can mend, 403 for what they may not do, 429 when they must wait, 500 when the fault is ours.
pub fn status_of(error: &CoreError) -> StatusCode {
    match error {
        CoreError::Store(_) | CoreError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        CoreError::Throttled => StatusCode::TOO_MANY_REQUESTS,
        CoreError::Forbidden(_) => StatusCode::FORBIDDEN,
        CoreError::NotFound => StatusCode::NOT_FOUND,
        _ => StatusCode::UNPROCESSABLE_ENTITY,
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
        FieldRule::Blocked => "rule-blocked",
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

#[cfg(test)]
mod tests {
    use super::local_path;

    #[test]
    fn only_paths_of_this_server_are_gone_back_to() {
        for good in ["/", "/home", "/@ana/1?max_id=2#status-3", "/tags/caf%C3%A9"] {
            assert_eq!(local_path(good), Some(good), "{good}");
        }
        for bad in [
            "",
            "home",
            "//evil.example/",
            "/\\evil.example",
            "/\t/evil.example",
            "/\n/evil.example",
            "https://evil.example/",
            "/ /evil.example",
        ] {
            assert_eq!(local_path(bad), None, "{bad:?}");
        }
    }
}
