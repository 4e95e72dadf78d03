//! Status routes (`methods/statuses.md`): post, read, delete, thread, favourite, reblog,
//! bookmark, and who favourited or reblogged.

use axum::extract::{Path, State};
use axum::http::{HeaderMap, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::Value;
use woolly_core::Woolly;
use woolly_core::auth::Scope;
use woolly_core::media::parse_focus;
use woolly_core::scheduled::ScheduledParams;
use woolly_core::statuses::NewPost;
use woolly_core::visibility::Visibility;
use woolly_core::{MediaAttributes, StatusInteraction, StatusRelation};

use crate::auth::{Auth, optional_viewer, path_id};
use crate::entities::{
    AccountEntity, ContextEntity, StatusEditEntity, StatusEntity, StatusSourceEntity,
};
use woolly_http::error::HttpError;
use woolly_http::extract::{ApiParams, ApiQuery};
use woolly_http::lenient;
use woolly_http::pagination::{PageParams, PageSize, Paged};

pub(super) fn router() -> Router<Woolly> {
    Router::new()
        .route("/api/v1/statuses", post(create))
        .route("/api/v1/statuses/{id}", get(show).delete(delete).put(edit))
        .route("/api/v1/statuses/{id}/history", get(history))
        .route("/api/v1/statuses/{id}/source", get(source))
        .route("/api/v1/statuses/{id}/context", get(context))
        .route("/api/v1/statuses/{id}/favourite", post(favourite))
        .route("/api/v1/statuses/{id}/unfavourite", post(unfavourite))
        .route("/api/v1/statuses/{id}/bookmark", post(bookmark))
        .route("/api/v1/statuses/{id}/unbookmark", post(unbookmark))
        .route("/api/v1/statuses/{id}/reblog", post(reblog))
        .route("/api/v1/statuses/{id}/unreblog", post(unreblog))
        .route("/api/v1/statuses/{id}/pin", post(pin))
        .route("/api/v1/statuses/{id}/unpin", post(unpin))
        .route("/api/v1/statuses/{id}/favourited_by", get(favourited_by))
        .route("/api/v1/statuses/{id}/reblogged_by", get(reblogged_by))
}

#[derive(Debug, Default, Deserialize)]
struct CreateParams {
    status: Option<String>,
    #[serde(default, deserialize_with = "lenient::list")]
    media_ids: Vec<String>,
    poll: Option<super::polls::PollParams>,
    #[serde(default, deserialize_with = "lenient::id")]
    in_reply_to_id: Option<String>,
    #[serde(default, deserialize_with = "lenient::boolean")]
    sensitive: Option<bool>,
    spoiler_text: Option<String>,
    visibility: Option<String>,
    language: Option<String>,
    scheduled_at: Option<String>,
    #[serde(default, deserialize_with = "lenient::id")]
    quoted_status_id: Option<String>,
}

fn entity(
    woolly: &Woolly,
    view: &woolly_core::statuses::StatusView,
    viewer: Option<i64>,
) -> StatusEntity {
    StatusEntity::new(view, viewer, woolly.config())
}

/// With a `scheduled_at` more than a moment away the post is scheduled and the answer is a
/// ScheduledStatus; a `scheduled_at` already past posts at once, as in Mastodon.
async fn create(
    State(woolly): State<Woolly>,
    auth: Auth,
    headers: HeaderMap,
    ApiParams(params): ApiParams<CreateParams>,
) -> Result<Response, HttpError> {
    let (account, user) = auth.require(&[Scope::WRITE_STATUSES])?.user()?;
    let media_ids = parse_media_ids(&params.media_ids)?;
    let scheduled_at = super::scheduled_statuses::scheduled_at(params.scheduled_at.as_deref())?
        .filter(|at| *at > woolly_core::now_millis());
    // Refused rather than silently dropped: quotes are not built yet.
    if params.quoted_status_id.is_some() {
        return Err(HttpError::unprocessable(
            "Quotes are not supported on this server yet",
        ));
    }
    let visibility = match params.visibility.as_deref() {
        None | Some("") => None,
        Some(text) => Some(Visibility::parse(text)?),
    };
    let in_reply_to_id = match params.in_reply_to_id.as_deref() {
        None | Some("") => None,
        Some(text) => Some(text.parse().map_err(|_| HttpError::not_found())?),
    };
    let idempotency_key = headers
        .get("idempotency-key")
        .and_then(|value| value.to_str().ok())
        .map(str::to_owned)
        .filter(|key| !key.is_empty() && key.len() <= 256);
    if let Some(scheduled_at) = scheduled_at {
        let scheduled = ScheduledParams {
            text: params.status,
            spoiler_text: params.spoiler_text,
            sensitive: params.sensitive,
            visibility,
            language: params.language,
            in_reply_to_id,
            media_ids,
            poll: params.poll.and_then(super::polls::PollParams::into_draft),
            application_id: auth.0.app_id,
        };
        return Ok(super::scheduled_statuses::schedule(
            &woolly,
            account,
            user,
            scheduled_at,
            scheduled,
            idempotency_key,
        )
        .await?
        .into_response());
    }
    let view = woolly
        .statuses()
        .post(
            account,
            user,
            auth.0.app_id,
            NewPost {
                text: params.status.unwrap_or_default(),
                spoiler_text: params.spoiler_text.unwrap_or_default(),
                sensitive: params.sensitive.unwrap_or(user.default_sensitive),
                visibility,
                language: params.language,
                in_reply_to_id,
                idempotency_key,
                media_ids,
                poll: params.poll.and_then(super::polls::PollParams::into_draft),
            },
        )
        .await?;
    Ok(Json(entity(&woolly, &view, Some(account.id))).into_response())
}

async fn show(
    State(woolly): State<Woolly>,
    auth: Option<Auth>,
    Path(id): Path<String>,
) -> Result<Json<StatusEntity>, HttpError> {
    let viewer = optional_viewer(&auth, &[Scope::READ_STATUSES])?;
    let view = woolly.statuses().view(viewer, path_id(&id)?).await?;
    Ok(Json(entity(&woolly, &view, viewer)))
}

async fn delete(
    State(woolly): State<Woolly>,
    auth: Auth,
    Path(id): Path<String>,
) -> Result<Json<StatusEntity>, HttpError> {
    let (account, _) = auth.require(&[Scope::WRITE_STATUSES])?.user()?;
    let view = woolly.statuses().delete(account, path_id(&id)?).await?;
    Ok(Json(StatusEntity::with_source(
        &view,
        Some(account.id),
        woolly.config(),
    )))
}

async fn context(
    State(woolly): State<Woolly>,
    auth: Option<Auth>,
    Path(id): Path<String>,
) -> Result<Json<ContextEntity>, HttpError> {
    let viewer = optional_viewer(&auth, &[Scope::READ_STATUSES])?;
    let context = woolly.statuses().context(viewer, path_id(&id)?).await?;
    Ok(Json(ContextEntity::new(&context, viewer, woolly.config())))
}

async fn relate(
    woolly: &Woolly,
    auth: &Auth,
    scope: Scope,
    relation: StatusRelation,
    id: &str,
    add: bool,
) -> Result<Json<StatusEntity>, HttpError> {
    let (account, _) = auth.require(&[scope])?.user()?;
    let id = path_id(id)?;
    let view = if add {
        woolly
            .statuses()
            .add_status_relation(account, relation, id)
            .await?
    } else {
        woolly
            .statuses()
            .remove_status_relation(account, relation, id)
            .await?
    };
    Ok(Json(entity(woolly, &view, Some(account.id))))
}

async fn favourite(
    State(woolly): State<Woolly>,
    auth: Auth,
    Path(id): Path<String>,
) -> Result<Json<StatusEntity>, HttpError> {
    relate(
        &woolly,
        &auth,
        Scope::WRITE_FAVOURITES,
        StatusRelation::Favourite,
        &id,
        true,
    )
    .await
}

async fn unfavourite(
    State(woolly): State<Woolly>,
    auth: Auth,
    Path(id): Path<String>,
) -> Result<Json<StatusEntity>, HttpError> {
    relate(
        &woolly,
        &auth,
        Scope::WRITE_FAVOURITES,
        StatusRelation::Favourite,
        &id,
        false,
    )
    .await
}

async fn bookmark(
    State(woolly): State<Woolly>,
    auth: Auth,
    Path(id): Path<String>,
) -> Result<Json<StatusEntity>, HttpError> {
    relate(
        &woolly,
        &auth,
        Scope::WRITE_BOOKMARKS,
        StatusRelation::Bookmark,
        &id,
        true,
    )
    .await
}

async fn unbookmark(
    State(woolly): State<Woolly>,
    auth: Auth,
    Path(id): Path<String>,
) -> Result<Json<StatusEntity>, HttpError> {
    relate(
        &woolly,
        &auth,
        Scope::WRITE_BOOKMARKS,
        StatusRelation::Bookmark,
        &id,
        false,
    )
    .await
}

#[derive(Debug, Default, Deserialize)]
struct ReblogParams {
    visibility: Option<String>,
}

async fn reblog(
    State(woolly): State<Woolly>,
    auth: Auth,
    Path(id): Path<String>,
    ApiParams(params): ApiParams<ReblogParams>,
) -> Result<Json<StatusEntity>, HttpError> {
    let (account, _) = auth.require(&[Scope::WRITE_STATUSES])?.user()?;
    let visibility = match params.visibility.as_deref() {
        None | Some("") => None,
        Some(text) => Some(Visibility::parse(text)?),
    };
    let view = woolly
        .statuses()
        .reblog(account, path_id(&id)?, visibility)
        .await?;
    Ok(Json(entity(&woolly, &view, Some(account.id))))
}

async fn unreblog(
    State(woolly): State<Woolly>,
    auth: Auth,
    Path(id): Path<String>,
) -> Result<Json<StatusEntity>, HttpError> {
    let (account, _) = auth.require(&[Scope::WRITE_STATUSES])?.user()?;
    let view = woolly.statuses().unreblog(account, path_id(&id)?).await?;
    Ok(Json(entity(&woolly, &view, Some(account.id))))
}

async fn actors(
    woolly: &Woolly,
    auth: &Option<Auth>,
    id: &str,
    interaction: StatusInteraction,
    params: &PageParams,
    uri: &Uri,
) -> Result<Paged<AccountEntity>, HttpError> {
    let viewer = optional_viewer(auth, &[Scope::READ_ACCOUNTS])?;
    let rows = woolly
        .statuses()
        .actors(
            viewer,
            path_id(id)?,
            interaction,
            params.page(PageSize::ACCOUNTS)?,
        )
        .await?;
    Ok(accounts_page(woolly, rows, uri))
}

/// A page of accounts listed by some other row's id (a follow, a favourite): the cursors of the
/// `Link` header are those ids.
pub(super) fn accounts_page(
    woolly: &Woolly,
    rows: Vec<(i64, woolly_core::accounts::Account)>,
    uri: &Uri,
) -> Paged<AccountEntity> {
    let cursors = rows
        .first()
        .zip(rows.last())
        .map(|(first, last)| (first.0, last.0));
    let items = rows
        .iter()
        .map(|(_, account)| AccountEntity::new(account, None, woolly.config()))
        .collect();
    Paged::new(items, cursors, woolly.config(), uri)
}

async fn favourited_by(
    State(woolly): State<Woolly>,
    auth: Option<Auth>,
    Path(id): Path<String>,
    ApiQuery(params): ApiQuery<PageParams>,
    uri: Uri,
) -> Result<Paged<AccountEntity>, HttpError> {
    actors(
        &woolly,
        &auth,
        &id,
        StatusInteraction::Favourite,
        &params,
        &uri,
    )
    .await
}

async fn reblogged_by(
    State(woolly): State<Woolly>,
    auth: Option<Auth>,
    Path(id): Path<String>,
    ApiQuery(params): ApiQuery<PageParams>,
    uri: Uri,
) -> Result<Paged<AccountEntity>, HttpError> {
    actors(
        &woolly,
        &auth,
        &id,
        StatusInteraction::Reblog,
        &params,
        &uri,
    )
    .await
}

async fn pin(
    State(woolly): State<Woolly>,
    auth: Auth,
    Path(id): Path<String>,
) -> Result<Json<StatusEntity>, HttpError> {
    let (account, _) = auth.require(&[Scope::WRITE_ACCOUNTS])?.user()?;
    let view = woolly.statuses().pin(account, path_id(&id)?).await?;
    Ok(Json(entity(&woolly, &view, Some(account.id))))
}

async fn unpin(
    State(woolly): State<Woolly>,
    auth: Auth,
    Path(id): Path<String>,
) -> Result<Json<StatusEntity>, HttpError> {
    let (account, _) = auth.require(&[Scope::WRITE_ACCOUNTS])?.user()?;
    let view = woolly.statuses().unpin(account, path_id(&id)?).await?;
    Ok(Json(entity(&woolly, &view, Some(account.id))))
}

#[derive(Debug, Default, Deserialize)]
struct EditParams {
    status: Option<String>,
    spoiler_text: Option<String>,
    #[serde(default, deserialize_with = "lenient::boolean")]
    sensitive: Option<bool>,
    language: Option<String>,
    #[serde(default, deserialize_with = "lenient::list")]
    media_ids: Vec<String>,
    #[serde(default, deserialize_with = "lenient::nested_attributes")]
    media_attributes: Vec<MediaAttributesParams>,
    poll: Option<Value>,
}

/// `media_attributes[]` of an edit: a new description or focus for one of the status's media.
#[derive(Debug, Default, Deserialize)]
struct MediaAttributesParams {
    #[serde(default, deserialize_with = "lenient::id")]
    id: Option<String>,
    description: Option<String>,
    focus: Option<String>,
}

impl MediaAttributesParams {
    fn parse(self) -> Result<MediaAttributes, HttpError> {
        Ok(MediaAttributes {
            id: parse_media_id(self.id.as_deref().unwrap_or_default())?,
            description: self.description,
            focus: self.focus.as_deref().map(parse_focus).transpose()?,
        })
    }
}

async fn edit(
    State(woolly): State<Woolly>,
    auth: Auth,
    Path(id): Path<String>,
    ApiParams(params): ApiParams<EditParams>,
) -> Result<Json<StatusEntity>, HttpError> {
    let (account, _) = auth.require(&[Scope::WRITE_STATUSES])?.user()?;
    if params.poll.is_some() {
        return Err(HttpError::unprocessable(
            "Polls are not supported on this server yet",
        ));
    }
    let media_ids = parse_media_ids(&params.media_ids)?;
    let edit = woolly_core::StatusEdit {
        text: params.status.unwrap_or_default(),
        spoiler_text: params.spoiler_text.unwrap_or_default(),
        sensitive: params.sensitive.unwrap_or(false),
        language: params.language,
        media_ids,
        media_attributes: params
            .media_attributes
            .into_iter()
            .map(MediaAttributesParams::parse)
            .collect::<Result<_, _>>()?,
    };
    let view = woolly.statuses().edit(account, path_id(&id)?, edit).await?;
    Ok(Json(entity(&woolly, &view, Some(account.id))))
}

async fn history(
    State(woolly): State<Woolly>,
    auth: Option<Auth>,
    Path(id): Path<String>,
) -> Result<Json<Vec<StatusEditEntity>>, HttpError> {
    let viewer = optional_viewer(&auth, &[Scope::READ_STATUSES])?;
    let versions = woolly.statuses().history(viewer, path_id(&id)?).await?;
    Ok(Json(
        versions
            .iter()
            .map(|version| StatusEditEntity::new(version, woolly.config()))
            .collect(),
    ))
}

async fn source(
    State(woolly): State<Woolly>,
    auth: Auth,
    Path(id): Path<String>,
) -> Result<Json<StatusSourceEntity>, HttpError> {
    let (account, _) = auth.require(&[Scope::READ_STATUSES])?.user()?;
    let (text, spoiler_text) = woolly.statuses().source(account, path_id(&id)?).await?;
    Ok(Json(StatusSourceEntity {
        id,
        text,
        spoiler_text,
    }))
}

/// Upload ids as sent (strings); one that is not a number names no upload.
fn parse_media_ids(ids: &[String]) -> Result<Vec<i64>, HttpError> {
    ids.iter().map(|id| parse_media_id(id)).collect()
}

fn parse_media_id(id: &str) -> Result<i64, HttpError> {
    id.parse()
        .map_err(|_| HttpError::unprocessable("Validation failed: Media attachments are invalid"))
}
