//! Media uploads (`methods/media.md`): `POST /api/v2/media` (and the older `/api/v1/media`),
//! `GET` and `PUT /api/v1/media/:id`, and serving the stored files.

use axum::extract::multipart::MultipartRejection;
use axum::extract::{DefaultBodyLimit, Multipart, Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use woolly_core::Woolly;
use woolly_core::auth::Scope;
use woolly_core::media::parse_focus;

use crate::auth::{Auth, path_id};
use crate::entities::MediaEntity;
use woolly_http::error::HttpError;
use woolly_http::extract::ApiParams;

/// Room for Mastodon's 16 MiB image limit plus the multipart framing; the image limit itself
/// is checked by the media processing (with its own error).
pub(super) const UPLOAD_BODY_LIMIT: usize = 17 * 1024 * 1024;

pub(super) fn router() -> Router<Woolly> {
    Router::new()
        .route("/api/v1/media", post(upload))
        .route("/api/v2/media", post(upload))
        .layer(DefaultBodyLimit::max(UPLOAD_BODY_LIMIT))
        .route("/api/v1/media/{id}", get(show).put(update))
        .route("/media/{folder}/{file}", get(file))
}

async fn upload(
    State(woolly): State<Woolly>,
    auth: Auth,
    multipart: Result<Multipart, MultipartRejection>,
) -> Result<Json<MediaEntity>, HttpError> {
    // The scope is checked before the body is read, as Mastodon authorizes before parsing.
    let (account, _) = auth.require(&[Scope::WRITE_MEDIA])?.user()?;
    let mut multipart = multipart
        .map_err(|rejection| multipart_error(&rejection.body_text(), rejection.status()))?;
    let mut bytes = None;
    let mut description = None;
    let mut focus = None;
    while let Some(field) = multipart
        .next_field()
        .await
        .map_err(|error| multipart_error(&error.body_text(), error.status()))?
    {
        match field.name() {
            Some("file") => {
                let data = field
                    .bytes()
                    .await
                    .map_err(|error| multipart_error(&error.body_text(), error.status()))?;
                bytes = Some(data.to_vec());
            }
            Some("description") => {
                description = Some(
                    field
                        .text()
                        .await
                        .map_err(|error| multipart_error(&error.body_text(), error.status()))?,
                )
            }
            Some("focus") => {
                let text = field
                    .text()
                    .await
                    .map_err(|error| multipart_error(&error.body_text(), error.status()))?;
                focus = Some(parse_focus(&text)?);
            }
            _ => {}
        }
    }
    let bytes =
        bytes.ok_or_else(|| HttpError::unprocessable("Validation failed: File can't be blank"))?;
    let media = woolly
        .media()
        .upload(account, bytes, description, focus)
        .await?;
    Ok(Json(MediaEntity::new(&media)))
}

fn multipart_error(message: &str, status: axum::http::StatusCode) -> HttpError {
    if status == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
        HttpError::new(status, "Request body is too large")
    } else {
        HttpError::unprocessable(format!("Invalid multipart body: {message}"))
    }
}

async fn show(
    State(woolly): State<Woolly>,
    auth: Auth,
    Path(id): Path<String>,
) -> Result<Json<MediaEntity>, HttpError> {
    let (account, _) = auth.require(&[Scope::WRITE_MEDIA])?.user()?;
    Ok(Json(MediaEntity::new(
        &woolly.media().get(account, path_id(&id)?).await?,
    )))
}

#[derive(Debug, Default, Deserialize)]
struct UpdateParams {
    description: Option<String>,
    focus: Option<String>,
}

async fn update(
    State(woolly): State<Woolly>,
    auth: Auth,
    Path(id): Path<String>,
    ApiParams(params): ApiParams<UpdateParams>,
) -> Result<Json<MediaEntity>, HttpError> {
    let (account, _) = auth.require(&[Scope::WRITE_MEDIA])?.user()?;
    let focus = params.focus.as_deref().map(parse_focus).transpose()?;
    let media = woolly
        .media()
        .update(account, path_id(&id)?, params.description, focus)
        .await?;
    Ok(Json(MediaEntity::new(&media)))
}

async fn file(
    State(woolly): State<Woolly>,
    Path((folder, file)): Path<(String, String)>,
) -> Result<Response, HttpError> {
    // A folder is an id, with the random part of an upload's (`ID-RANDOM`) for uploads.
    let (id, random) = folder.split_once('-').unwrap_or((&folder, ""));
    path_id(id)?;
    if !random
        .bytes()
        .all(|byte| byte.is_ascii_alphanumeric() || byte == b'-' || byte == b'_')
    {
        return Err(HttpError::not_found());
    }
    // Uploads (original and preview), custom emojis, profile images and link previews' images;
    // nothing else lives in the media store.
    if !matches!(
        file.as_str(),
        "original.jpg"
            | "original.png"
            | "small.jpg"
            | "emoji.png"
            | "emoji.jpg"
            | "avatar.png"
            | "avatar.jpg"
            | "header.png"
            | "header.jpg"
            | "card.jpg"
    ) {
        return Err(HttpError::not_found());
    }
    let (bytes, content_type) = woolly.media().file(format!("{folder}/{file}")).await?;
    Ok((
        [
            (header::CONTENT_TYPE, content_type),
            (header::CACHE_CONTROL, "public, max-age=31536000, immutable"),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        ],
        bytes,
    )
        .into_response())
}
