//! Our own JSON, form and query extractors. axum's rejections are plain text; Mastodon clients
//! expect `{"error": "..."}`, and Mastodon answers a malformed or ill-typed body with 422.

use axum::extract::rejection::{FormRejection, JsonRejection, QueryRejection};
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::StatusCode;
use axum::http::request::Parts;
use serde::de::DeserializeOwned;

use crate::error::ApiError;

/// A JSON body; malformed or ill-typed JSON is a 422, a wrong content type a 415.
pub struct ApiJson<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for ApiJson<T> {
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &S) -> Result<Self, ApiError> {
        match axum::Json::<T>::from_request(request, state).await {
            Ok(axum::Json(value)) => Ok(ApiJson(value)),
            Err(rejection) => Err(json_rejection(rejection)),
        }
    }
}

fn json_rejection(rejection: JsonRejection) -> ApiError {
    match rejection {
        JsonRejection::MissingJsonContentType(_) => ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "Expected a body of type application/json",
        ),
        JsonRejection::BytesRejection(rejection) => body_rejection(rejection.status()),
        other => ApiError::unprocessable(format!("Invalid JSON body: {}", other.body_text())),
    }
}

fn body_rejection(status: StatusCode) -> ApiError {
    if status == StatusCode::PAYLOAD_TOO_LARGE {
        ApiError::new(status, "Request body is too large")
    } else {
        ApiError::new(StatusCode::BAD_REQUEST, "Could not read the request body")
    }
}

/// A form body (`application/x-www-form-urlencoded`); bad fields are a 422.
pub struct ApiForm<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for ApiForm<T> {
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &S) -> Result<Self, ApiError> {
        match axum::Form::<T>::from_request(request, state).await {
            Ok(axum::Form(value)) => Ok(ApiForm(value)),
            Err(FormRejection::BytesRejection(rejection)) => {
                Err(body_rejection(rejection.status()))
            }
            Err(rejection) => Err(ApiError::unprocessable(format!(
                "Invalid form body: {}",
                rejection.body_text()
            ))),
        }
    }
}

/// Query-string parameters; bad ones are a 422 (Mastodon's answer to ill-typed parameters).
pub struct ApiQuery<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        match axum::extract::Query::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Query(value)) => Ok(ApiQuery(value)),
            Err(QueryRejection::FailedToDeserializeQueryString(rejection)) => Err(
                ApiError::unprocessable(format!("Invalid query: {}", rejection.body_text())),
            ),
            Err(rejection) => Err(ApiError::unprocessable(rejection.body_text())),
        }
    }
}
