//! Follow requests to a locked account (`methods/follow_requests.md`).

use axum::extract::{Path, State};
use axum::http::Uri;
use axum::routing::{get, post};
use axum::{Json, Router};
use woolly_core::Woolly;
use woolly_core::auth::Scope;
use woolly_core::relations::FollowRequestAnswer;

use crate::auth::{Auth, path_id};
use crate::entities::{AccountEntity, RelationshipEntity};
use woolly_http::error::HttpError;
use woolly_http::extract::ApiQuery;
use woolly_http::pagination::{PageParams, PageSize, Paged};

pub(super) fn router() -> Router<Woolly> {
    Router::new()
        .route("/api/v1/follow_requests", get(list))
        .route("/api/v1/follow_requests/{id}/authorize", post(authorize))
        .route("/api/v1/follow_requests/{id}/reject", post(reject))
}

async fn list(
    State(woolly): State<Woolly>,
    auth: Auth,
    ApiQuery(params): ApiQuery<PageParams>,
    uri: Uri,
) -> Result<Paged<AccountEntity>, HttpError> {
    let (account, _) = auth
        .require(&[Scope::FOLLOW, Scope::READ_FOLLOWS])?
        .user()?;
    let rows = woolly
        .relations()
        .follow_requests(account, params.page(PageSize::ACCOUNTS)?)
        .await?;
    Ok(super::statuses::accounts_page(&woolly, rows, &uri))
}

async fn answer(
    woolly: &Woolly,
    auth: &Auth,
    id: &str,
    answer: FollowRequestAnswer,
) -> Result<Json<RelationshipEntity>, HttpError> {
    let (account, _) = auth
        .require(&[Scope::FOLLOW, Scope::WRITE_FOLLOWS])?
        .user()?;
    let relationship = woolly
        .relations()
        .answer_follow_request(account, path_id(id)?, answer)
        .await?;
    Ok(Json(RelationshipEntity::new(&relationship)))
}

async fn authorize(
    State(woolly): State<Woolly>,
    auth: Auth,
    Path(id): Path<String>,
) -> Result<Json<RelationshipEntity>, HttpError> {
    answer(&woolly, &auth, &id, FollowRequestAnswer::Authorize).await
}

async fn reject(
    State(woolly): State<Woolly>,
    auth: Auth,
    Path(id): Path<String>,
) -> Result<Json<RelationshipEntity>, HttpError> {
    answer(&woolly, &auth, &id, FollowRequestAnswer::Reject).await
}
