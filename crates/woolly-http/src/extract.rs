//! Our own JSON, form and query extractors. axum's rejections are plain text; Mastodon clients
//! expect `{"error": "..."}`, and Mastodon answers a malformed or ill-typed body with 422.

use std::collections::HashMap;

use axum::extract::rejection::{FormRejection, JsonRejection};
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::StatusCode;
use axum::http::request::Parts;
use serde::de::DeserializeOwned;
use woolly_core::urls::percent_encode;

use crate::error::HttpError;

/// A JSON body; malformed or ill-typed JSON is a 422, a wrong content type a 415.
pub struct ApiJson<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for ApiJson<T> {
    type Rejection = HttpError;

    async fn from_request(request: Request, state: &S) -> Result<Self, HttpError> {
        match axum::Json::<T>::from_request(request, state).await {
            Ok(axum::Json(value)) => Ok(ApiJson(value)),
            Err(rejection) => Err(json_rejection(rejection)),
        }
    }
}

fn json_rejection(rejection: JsonRejection) -> HttpError {
    match rejection {
        JsonRejection::MissingJsonContentType(_) => HttpError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "Expected a body of type application/json",
        ),
        JsonRejection::BytesRejection(rejection) => body_rejection(rejection.status()),
        other => HttpError::unprocessable(format!("Invalid JSON body: {}", other.body_text())),
    }
}

fn body_rejection(status: StatusCode) -> HttpError {
    if status == StatusCode::PAYLOAD_TOO_LARGE {
        HttpError::new(status, "Request body is too large")
    } else {
        HttpError::new(StatusCode::BAD_REQUEST, "Could not read the request body")
    }
}

/// A form body (`application/x-www-form-urlencoded`); bad fields are a 422.
pub struct ApiForm<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for ApiForm<T> {
    type Rejection = HttpError;

    async fn from_request(request: Request, state: &S) -> Result<Self, HttpError> {
        match axum::Form::<T>::from_request(request, state).await {
            Ok(axum::Form(value)) => Ok(ApiForm(value)),
            Err(FormRejection::BytesRejection(rejection)) => {
                Err(body_rejection(rejection.status()))
            }
            Err(rejection) => Err(HttpError::unprocessable(format!(
                "Invalid form body: {}",
                rejection.body_text()
            ))),
        }
    }
}

/// Query-string parameters; bad ones are a 422 (Mastodon's answer to ill-typed parameters).
pub struct ApiQuery<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = HttpError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, HttpError> {
        let _ = state;
        let query = number_arrays_of_hashes(parts.uri.query().unwrap_or(""));
        qs_config()
            .deserialize_str(&last_value_wins(&query))
            .map(ApiQuery)
            .map_err(|error| HttpError::unprocessable(format!("Invalid query: {error}")))
    }
}

/// Request parameters the way Mastodon (Rails) reads them: a JSON body, a form body
/// (`application/x-www-form-urlencoded`, with Rails brackets such as `media_ids[]=1` and
/// `poll[options][]=a`), or the text fields of a `multipart/form-data` body; with no body, the
/// query string. Clients use all of these: Mastodon.py sends forms, masto.js JSON.
pub struct ApiParams<T>(pub T);

const MAX_QS_DEPTH: usize = 5;

fn qs_config() -> serde_qs::Config {
    serde_qs::Config::new(MAX_QS_DEPTH, false)
}

fn parse_form<T: DeserializeOwned>(text: &str) -> Result<T, HttpError> {
    qs_config()
        .deserialize_str(&last_value_wins(&number_arrays_of_hashes(text)))
        .map_err(|error| HttpError::unprocessable(format!("Invalid parameters: {error}")))
}

/// Rails keeps the last of repeated plain keys (`a=1&a=2` is `a=2`); serde_qs refuses them.
/// Mastodon.py, for one, repeats keys it does not mean to send. Bracketed keys (`a[]=1&a[]=2`)
/// are lists and stay as they are.
fn last_value_wins(text: &str) -> String {
    let pairs: Vec<&str> = text.split('&').filter(|pair| !pair.is_empty()).collect();
    let key_of = |pair: &str| pair.split('=').next().unwrap_or("").to_owned();
    let is_plain = |key: &str| !key.contains('[') && !key.contains("%5B") && !key.contains("%5b");
    let kept: Vec<&str> = pairs
        .iter()
        .enumerate()
        .filter(|(index, pair)| {
            let key = key_of(pair);
            !is_plain(&key) || !pairs[index + 1..].iter().any(|later| key_of(later) == key)
        })
        .map(|(_, pair)| *pair)
        .collect();
    kept.join("&")
}

/// Rails reads `a[][k]=1&a[][j]=2&a[][k]=3` as `[{k: 1, j: 2}, {k: 3}]`: a key already in the
/// last hash starts the next one. Mastodon documents `keywords_attributes[][keyword]=…` so, and
/// serde_qs refuses unnumbered sequences of structs; numbering them (`a[0][k]=1&a[0][j]=2&
/// a[1][k]=3`) says the same in a form it reads.
fn number_arrays_of_hashes(text: &str) -> String {
    if !text.contains("[][") && !text.to_ascii_lowercase().contains("%5b%5d%5b") {
        return text.to_owned();
    }
    // For each array (the key before `[]`): the index of its last hash, and that hash's keys.
    let mut arrays: HashMap<String, (usize, Vec<String>)> = HashMap::new();
    let mut pairs = Vec::new();
    for pair in text.split('&').filter(|pair| !pair.is_empty()) {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        let key = key
            .replace("%5B", "[")
            .replace("%5b", "[")
            .replace("%5D", "]")
            .replace("%5d", "]");
        let Some((prefix, field, rest)) = key.split_once("[][").and_then(|(prefix, after)| {
            after
                .split_once(']')
                .map(|(field, rest)| (prefix, field, rest))
        }) else {
            pairs.push(pair.to_owned());
            continue;
        };
        let (index, fields) = arrays.entry(prefix.to_owned()).or_default();
        if fields.iter().any(|seen| seen == field) {
            *index += 1;
            fields.clear();
        }
        fields.push(field.to_owned());
        pairs.push(format!("{prefix}[{index}][{field}]{rest}={value}"));
    }
    pairs.join("&")
}

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for ApiParams<T> {
    type Rejection = HttpError;

    async fn from_request(request: Request, state: &S) -> Result<Self, HttpError> {
        let content_type = request
            .headers()
            .get(axum::http::header::CONTENT_TYPE)
            .and_then(|value| value.to_str().ok())
            .unwrap_or("")
            .to_ascii_lowercase();
        if content_type.starts_with("application/json") {
            let ApiJson(value) = ApiJson::<T>::from_request(request, state).await?;
            return Ok(ApiParams(value));
        }
        if content_type.starts_with("multipart/form-data") {
            let (pairs, _) = read_multipart(request, state, &[]).await?;
            return parse_form(&pairs).map(ApiParams);
        }
        let query = request.uri().query().unwrap_or("").to_owned();
        let bytes = axum::body::Bytes::from_request(request, state)
            .await
            .map_err(|rejection| body_rejection(rejection.status()))?;
        let body = std::str::from_utf8(&bytes)
            .map_err(|_| HttpError::unprocessable("Invalid parameters: the body is not UTF-8"))?;
        let text = if body.trim().is_empty() {
            query.as_str()
        } else {
            body
        };
        parse_form(text).map(ApiParams)
    }
}

/// Like [`ApiParams`], with the files of a `multipart/form-data` body whose field names are
/// in `FILE_FIELDS` (`update_credentials` takes `avatar` and `header` so).
pub struct ApiParamsWithFiles<T>(pub T, pub Files);

/// Uploaded files by field name.
#[derive(Debug, Default)]
pub struct Files(HashMap<String, Vec<u8>>);

impl Files {
    pub fn take(&mut self, name: &str) -> Option<Vec<u8>> {
        self.0.remove(name)
    }
}

/// The file fields [`ApiParamsWithFiles`] keeps.
const FILE_FIELDS: [&str; 2] = ["avatar", "header"];

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for ApiParamsWithFiles<T> {
    type Rejection = HttpError;

    async fn from_request(request: Request, state: &S) -> Result<Self, HttpError> {
        let is_multipart = request
            .headers()
            .get(axum::http::header::CONTENT_TYPE)
            .and_then(|value| value.to_str().ok())
            .is_some_and(|value| {
                value
                    .to_ascii_lowercase()
                    .starts_with("multipart/form-data")
            });
        if !is_multipart {
            let ApiParams(params) = ApiParams::from_request(request, state).await?;
            return Ok(ApiParamsWithFiles(params, Files::default()));
        }
        let (pairs, files) = read_multipart(request, state, &FILE_FIELDS).await?;
        Ok(ApiParamsWithFiles(parse_form(&pairs)?, files))
    }
}

/// The text fields of a multipart body as a form string, and the files of `file_fields`
/// (other files are skipped).
async fn read_multipart<S: Send + Sync>(
    request: Request,
    state: &S,
    file_fields: &[&str],
) -> Result<(String, Files), HttpError> {
    let invalid = |error: axum::extract::multipart::MultipartError| {
        if error.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
            body_rejection(error.status())
        } else {
            HttpError::unprocessable(format!("Invalid multipart body: {}", error.body_text()))
        }
    };
    let mut multipart = axum::extract::Multipart::from_request(request, state)
        .await
        .map_err(|rejection| HttpError::unprocessable(rejection.body_text()))?;
    let mut pairs = FormPairs::default();
    let mut files = Files::default();
    while let Some(field) = multipart.next_field().await.map_err(invalid)? {
        let Some(name) = field.name().map(str::to_owned) else {
            continue;
        };
        if field.file_name().is_some()
            || field
                .content_type()
                .is_some_and(|kind| !kind.starts_with("text/"))
        {
            if file_fields.contains(&name.as_str()) {
                let bytes = field.bytes().await.map_err(invalid)?;
                files.0.insert(name, bytes.to_vec());
            }
            continue;
        }
        let value = field.text().await.map_err(invalid)?;
        pairs.append_pair(&name, &value);
    }
    Ok((pairs.finish(), files))
}

/// Builds `a=1&b=2` with each key and value percent-encoded.
#[derive(Default)]
struct FormPairs(String);

impl FormPairs {
    fn append_pair(&mut self, name: &str, value: &str) {
        if !self.0.is_empty() {
            self.0.push('&');
        }
        self.0.push_str(&encode_query_part(name));
        self.0.push('=');
        self.0.push_str(&encode_query_part(value));
    }

    fn finish(self) -> String {
        self.0
    }
}

/// A query key or value re-encoded, keeping the brackets of Rails-style keys (`types[]`)
/// readable as serde_qs expects them.
fn encode_query_part(text: &str) -> String {
    percent_encode(text).replace("%5B", "[").replace("%5D", "]")
}

#[cfg(test)]
mod tests {
    use axum::Router;
    use axum::body::Body;
    use axum::http::{Request, StatusCode, header};
    use axum::routing::{get, post};
    use serde::Deserialize;
    use tower::ServiceExt as _;

    use super::*;

    #[derive(Deserialize)]
    struct Params {
        #[allow(dead_code)]
        limit: u32,
    }

    fn router() -> Router {
        Router::new()
            .route("/json", post(|ApiJson(_): ApiJson<Params>| async { "ok" }))
            .route("/form", post(|ApiForm(_): ApiForm<Params>| async { "ok" }))
            .route(
                "/query",
                get(|ApiQuery(_): ApiQuery<Params>| async { "ok" }),
            )
    }

    async fn call(request: Request<Body>) -> (StatusCode, serde_json::Value) {
        let response = router().oneshot(request).await.unwrap();
        let status = response.status();
        let bytes = axum::body::to_bytes(response.into_body(), 1 << 20)
            .await
            .unwrap();
        (
            status,
            serde_json::from_slice(&bytes).unwrap_or(serde_json::Value::Null),
        )
    }

    fn post_with(path: &str, content_type: &str, body: &'static str) -> Request<Body> {
        Request::post(path)
            .header(header::CONTENT_TYPE, content_type)
            .body(Body::from(body))
            .unwrap()
    }

    #[tokio::test]
    async fn malformed_and_ill_typed_json_is_a_422_in_mastodon_shape() {
        for body in ["{not json", "{\"limit\": \"many\"}", "[]"] {
            let (status, error) = call(post_with("/json", "application/json", body)).await;
            assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
            assert!(
                error["error"]
                    .as_str()
                    .unwrap()
                    .starts_with("Invalid JSON body"),
                "{error}"
            );
        }
        let (status, _) = call(post_with("/json", "application/json", "{\"limit\": 5}")).await;
        assert_eq!(status, StatusCode::OK);
    }

    #[test]
    fn repeated_plain_keys_keep_the_last_value_and_lists_stay_lists() {
        assert_eq!(last_value_wins("a=1&b=2&a=3"), "b=2&a=3");
        assert_eq!(last_value_wins("id[]=1&id[]=2&x=1"), "id[]=1&id[]=2&x=1");
        assert_eq!(
            last_value_wins("id%5B%5D=1&id%5B%5D=2"),
            "id%5B%5D=1&id%5B%5D=2"
        );
        assert_eq!(last_value_wins(""), "");
    }

    #[test]
    fn rails_arrays_of_hashes_are_numbered_a_repeated_key_starting_the_next() {
        assert_eq!(
            number_arrays_of_hashes(
                "title=t&k[][keyword]=a&k[][whole_word]=0&k[][keyword]=b&k%5B%5D%5Bid%5D=3&k[][keyword]=c&c[]=home"
            ),
            "title=t&k[0][keyword]=a&k[0][whole_word]=0&k[1][keyword]=b&k[1][id]=3&k[2][keyword]=c&c[]=home"
        );
        assert_eq!(number_arrays_of_hashes("a=1&b[]=2"), "a=1&b[]=2");
    }

    #[tokio::test]
    async fn json_without_its_content_type_is_a_415() {
        let (status, error) = call(post_with("/json", "text/plain", "{\"limit\": 5}")).await;
        assert_eq!(status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
        assert!(error["error"].is_string());
    }

    #[tokio::test]
    async fn bad_forms_and_queries_are_422s() {
        let (status, error) = call(post_with(
            "/form",
            "application/x-www-form-urlencoded",
            "limit=-3",
        ))
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(error["error"].is_string());
        let request = Request::get("/query?limit=lots")
            .body(Body::empty())
            .unwrap();
        let (status, error) = call(request).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            error["error"]
                .as_str()
                .unwrap()
                .starts_with("Invalid query")
        );
    }
}
