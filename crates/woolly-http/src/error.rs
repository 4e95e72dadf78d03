//! [`HttpError`]: the one place where failures become HTTP responses, in Mastodon's shape
//! `{"error": "...", "error_description"?: "..."}` (`entities/Error.md`).
//!
//! Internal causes (SQL, paths) are logged here once, inside the request's span (which carries
//! the request id), and never sent to the client.

use std::collections::BTreeMap;

use axum::Json;
use axum::extract::Request;
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use woolly_core::CoreError;
use woolly_core::oauth::OAuthError;

/// An error response.
#[derive(Debug)]
pub struct HttpError {
    status: StatusCode,
    message: String,
    description: Option<String>,
    /// Per field, the rules it broke (Mastodon's sign-up and other form errors).
    details: Option<BTreeMap<&'static str, Vec<FieldDetail>>>,
}

#[derive(Serialize)]
struct ErrorBody<'a> {
    error: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    error_description: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    details: Option<&'a BTreeMap<&'static str, Vec<FieldDetail>>>,
}

/// One broken rule in `details`: `{"error": "ERR_TAKEN", "description": "has already been taken"}`.
#[derive(Debug, Serialize)]
struct FieldDetail {
    error: &'static str,
    description: String,
}

impl HttpError {
    pub fn new(status: StatusCode, message: impl Into<String>) -> HttpError {
        HttpError {
            status,
            message: message.into(),
            description: None,
            details: None,
        }
    }

    pub fn with_description(mut self, description: impl Into<String>) -> HttpError {
        self.description = Some(description.into());
        self
    }

    /// 401, as Doorkeeper words it for a missing, unknown or revoked token.
    pub fn unauthorized() -> HttpError {
        HttpError::new(StatusCode::UNAUTHORIZED, "The access token is invalid")
    }

    /// 403 for a token without the scope an endpoint needs.
    pub fn missing_scope() -> HttpError {
        HttpError::new(
            StatusCode::FORBIDDEN,
            "This action is outside the authorized scopes",
        )
    }

    /// 404 for a record that does not exist or that the caller may not see.
    pub fn not_found() -> HttpError {
        HttpError::new(StatusCode::NOT_FOUND, "Record not found")
    }

    /// 422 for input that breaks a rule.
    pub fn unprocessable(message: impl Into<String>) -> HttpError {
        HttpError::new(StatusCode::UNPROCESSABLE_ENTITY, message)
    }

    /// 500; `cause` is logged, the client sees a generic message.
    pub fn internal(cause: &dyn std::fmt::Display) -> HttpError {
        tracing::error!(%cause, "internal error");
        HttpError::new(StatusCode::INTERNAL_SERVER_ERROR, "Internal server error")
    }

    pub fn status(&self) -> StatusCode {
        self.status
    }
}

impl From<CoreError> for HttpError {
    fn from(error: CoreError) -> HttpError {
        match error {
            CoreError::Validation(message) => HttpError::unprocessable(message),
            CoreError::Fields(errors) => {
                let mut details: BTreeMap<&'static str, Vec<FieldDetail>> = BTreeMap::new();
                for error in &errors.0 {
                    details.entry(error.field).or_default().push(FieldDetail {
                        error: error.rule.code(),
                        description: error.description.clone(),
                    });
                }
                HttpError {
                    details: Some(details),
                    ..HttpError::unprocessable(errors.to_string())
                }
            }
            CoreError::NotFound => HttpError::not_found(),
            CoreError::Unauthenticated => HttpError::unauthorized(),
            CoreError::Forbidden(message) => HttpError::new(StatusCode::FORBIDDEN, message),
            CoreError::Throttled => {
                HttpError::new(StatusCode::TOO_MANY_REQUESTS, error.to_string())
            }
            CoreError::OAuth(error) => {
                let status = match error {
                    OAuthError::InvalidClient => StatusCode::UNAUTHORIZED,
                    _ => StatusCode::BAD_REQUEST,
                };
                HttpError::new(status, error.code()).with_description(error.to_string())
            }
            CoreError::Store(cause) => HttpError::internal(&cause),
            CoreError::Internal(cause) => HttpError::internal(&cause),
        }
    }
}

impl IntoResponse for HttpError {
    fn into_response(self) -> Response {
        let body = ErrorBody {
            error: &self.message,
            error_description: self.description.as_deref(),
            details: self.details.as_ref(),
        };
        let mut response = (self.status, Json(body)).into_response();
        if self.status == StatusCode::UNAUTHORIZED {
            // Doorkeeper's challenge; some OAuth libraries look for it.
            response.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static(
                    "Bearer realm=\"Doorkeeper\", error=\"invalid_token\", error_description=\"The access token is invalid\"",
                ),
            );
        }
        response
    }
}

/// Middleware that gives every error response without a JSON body one in Mastodon's shape:
/// unknown routes, wrong methods, oversized bodies, panics and anything else produced by a
/// layer rather than a handler.
pub async fn json_error_bodies(request: Request, next: Next) -> Response {
    let response = next.run(request).await;
    let status = response.status();
    if !(status.is_client_error() || status.is_server_error()) {
        return response;
    }
    // Handlers' own bodies (JSON errors, HTML pages such as the OAuth forms) stay as they are.
    let has_own_body = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| {
            value.starts_with("application/json") || value.starts_with("text/html")
        });
    if has_own_body {
        return response;
    }
    let message = match status {
        StatusCode::NOT_FOUND => "The page you are looking for isn't here.",
        StatusCode::METHOD_NOT_ALLOWED => "Method not allowed",
        StatusCode::PAYLOAD_TOO_LARGE => "Request body is too large",
        StatusCode::UNSUPPORTED_MEDIA_TYPE => "Unsupported media type",
        StatusCode::REQUEST_TIMEOUT => "Request timed out",
        status if status.is_server_error() => "Internal server error",
        status => status.canonical_reason().unwrap_or("Bad request"),
    };
    let (mut parts, _) = response.into_parts();
    parts.headers.remove(header::CONTENT_LENGTH);
    let mut fresh = HttpError::new(status, message).into_response();
    for (name, value) in parts.headers.iter() {
        if name != header::CONTENT_TYPE {
            fresh.headers_mut().insert(name.clone(), value.clone());
        }
    }
    fresh
}
