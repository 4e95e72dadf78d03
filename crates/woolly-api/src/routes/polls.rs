//! Poll routes (`methods/polls.md`): view a poll, vote in it. Polls are created with their
//! status (`POST /api/v1/statuses` with `poll[…]`).

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use woolly_core::Woolly;
use woolly_core::auth::Scope;
use woolly_core::polls::PollDraft;

use crate::auth::{Auth, optional_viewer, path_id};
use crate::entities::PollEntity;
use woolly_http::error::HttpError;
use woolly_http::extract::ApiParams;
use woolly_http::lenient;

pub(super) fn router() -> Router<Woolly> {
    Router::new()
        .route("/api/v1/polls/{id}", get(show))
        .route("/api/v1/polls/{id}/votes", post(vote))
}

/// A poll is public when its status is: anonymous callers see public polls, and a token, when
/// given, must be able to read statuses.
async fn show(
    State(woolly): State<Woolly>,
    auth: Option<Auth>,
    Path(id): Path<String>,
) -> Result<Json<PollEntity>, HttpError> {
    let viewer = optional_viewer(&auth, &[Scope::READ_STATUSES])?;
    let poll = woolly.statuses().poll(viewer, path_id(&id)?).await?;
    Ok(Json(PollEntity::new(&poll)))
}

#[derive(Debug, Default, Deserialize)]
struct VoteParams {
    #[serde(default, deserialize_with = "lenient::integer_list")]
    choices: Vec<i64>,
}

async fn vote(
    State(woolly): State<Woolly>,
    auth: Auth,
    Path(id): Path<String>,
    ApiParams(params): ApiParams<VoteParams>,
) -> Result<Json<PollEntity>, HttpError> {
    let (account, _) = auth.require(&[Scope::WRITE_STATUSES])?.user()?;
    if params.choices.is_empty() {
        // Rails' `params.require(:choices)`.
        return Err(HttpError::new(
            StatusCode::BAD_REQUEST,
            "param is missing or the value is empty: choices",
        ));
    }
    let poll = woolly
        .statuses()
        .vote_in_poll(account, path_id(&id)?, &params.choices)
        .await?;
    Ok(Json(PollEntity::new(&poll)))
}

/// The `poll[…]` parameters of `POST /api/v1/statuses`.
#[derive(Debug, Default, Deserialize)]
pub(super) struct PollParams {
    #[serde(default, deserialize_with = "lenient::list")]
    options: Vec<String>,
    #[serde(default, deserialize_with = "lenient::integer")]
    expires_in: Option<i64>,
    #[serde(default, deserialize_with = "lenient::boolean")]
    multiple: Option<bool>,
    #[serde(default, deserialize_with = "lenient::boolean")]
    hide_totals: Option<bool>,
}

impl PollParams {
    /// The poll to create; none for an empty `poll` (Rails: `{}.present?` is false).
    pub(super) fn into_draft(self) -> Option<PollDraft> {
        let is_empty = self.options.is_empty()
            && self.expires_in.is_none()
            && self.multiple.is_none()
            && self.hide_totals.is_none();
        (!is_empty).then(|| PollDraft {
            options: self.options,
            expires_in: self.expires_in,
            multiple: self.multiple.unwrap_or(false),
            hide_totals: self.hide_totals.unwrap_or(false),
        })
    }
}
