//! Direct conversations (`methods/conversations.md`).

use axum::extract::{Path, State};
use axum::http::Uri;
use axum::routing::{delete, get, post};
use axum::{Json, Router};
use serde_json::{Value, json};
use woolly_core::auth::Scope;
use woolly_core::{ConversationChange, Woolly};

use crate::auth::{Auth, path_id};
use crate::entities::ConversationEntity;
use woolly_http::error::HttpError;
use woolly_http::extract::ApiQuery;
use woolly_http::pagination::{PageParams, PageSize, Paged};

pub(super) fn router() -> Router<Woolly> {
    Router::new()
        .route("/api/v1/conversations", get(list))
        .route("/api/v1/conversations/{id}", delete(remove))
        .route("/api/v1/conversations/{id}/read", post(read))
}

async fn list(
    State(woolly): State<Woolly>,
    auth: Auth,
    ApiQuery(params): ApiQuery<PageParams>,
    uri: Uri,
) -> Result<Paged<ConversationEntity>, HttpError> {
    let (account, _) = auth.require(&[Scope::READ_STATUSES])?.user()?;
    let (views, cursors) = woolly
        .conversations()
        .page(account.id, params.page(PageSize::CONVERSATIONS)?)
        .await?;
    let items = views
        .iter()
        .map(|view| ConversationEntity::new(view, account.id, woolly.config()))
        .collect();
    Ok(Paged::new(items, cursors, woolly.config(), &uri))
}

async fn read(
    State(woolly): State<Woolly>,
    auth: Auth,
    Path(id): Path<String>,
) -> Result<Json<ConversationEntity>, HttpError> {
    let (account, _) = auth.require(&[Scope::WRITE_CONVERSATIONS])?.user()?;
    let id = path_id(&id)?;
    woolly
        .conversations()
        .update(account.id, id, ConversationChange::MarkRead)
        .await?;
    let view = woolly.conversations().get(account.id, id).await?;
    Ok(Json(ConversationEntity::new(
        &view,
        account.id,
        woolly.config(),
    )))
}

async fn remove(
    State(woolly): State<Woolly>,
    auth: Auth,
    Path(id): Path<String>,
) -> Result<Json<Value>, HttpError> {
    let (account, _) = auth.require(&[Scope::WRITE_CONVERSATIONS])?.user()?;
    woolly
        .conversations()
        .update(account.id, path_id(&id)?, ConversationChange::Remove)
        .await?;
    Ok(Json(json!({})))
}
