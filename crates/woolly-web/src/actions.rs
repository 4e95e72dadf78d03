//! What a member does to a status from any list or thread, each a small form under it:
//! favourite, boost, bookmark (and their undoing), deleting their own
//! (`POST /statuses/:id/:action`), and voting in its poll (`POST /polls/:id/votes`). Each form says which page it came from, and the answer goes
//! back there, to the status itself.

use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::post;
use axum::{Form, Router};
use woolly_core::{CoreError, StatusRelation, Woolly};

use serde::Deserialize;
use woolly_http::extract::ApiParams;
use woolly_http::lenient;

use crate::forms::{ButtonForm, button_presser_on};
use crate::page::{redirect, refusal};
use crate::visitor::Visitor;

pub(crate) fn router() -> Router<Woolly> {
    Router::new()
        .route("/statuses/{id}/{action}", post(act))
        .route("/polls/{id}/votes", post(vote))
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct VoteForm {
    #[serde(flatten)]
    form: ButtonForm,
    #[serde(deserialize_with = "lenient::integer_list")]
    choices: Vec<i64>,
}

/// `POST /polls/:id/votes`: the viewer's choices in a poll.
async fn vote(
    State(woolly): State<Woolly>,
    visitor: Visitor,
    Path(id): Path<String>,
    ApiParams(vote): ApiParams<VoteForm>,
) -> Response {
    let (member, id) = match button_presser_on(&woolly, &visitor, &vote.form, &id) {
        Ok(pressed) => pressed,
        Err(answer) => return *answer,
    };
    if vote.choices.is_empty() {
        // Nothing chosen: back to the poll, which still asks.
        return redirect(&visitor, vote.form.back());
    }
    match woolly
        .statuses()
        .vote_in_poll(&member.account, id, &vote.choices)
        .await
    {
        Ok(poll) => redirect(
            &visitor,
            &format!("{}#status-{}", vote.form.back(), poll.status_id),
        ),
        Err(error) => refusal(&woolly, &visitor, &error),
    }
}

/// `POST /statuses/:id/:action`.
async fn act(
    State(woolly): State<Woolly>,
    visitor: Visitor,
    Path((id, action)): Path<(String, String)>,
    Form(form): Form<ButtonForm>,
) -> Response {
    let (member, id) = match button_presser_on(&woolly, &visitor, &form, &id) {
        Ok(pressed) => pressed,
        Err(answer) => return *answer,
    };
    let me = &member.account;
    let statuses = woolly.statuses();
    let done = match action.as_str() {
        "favourite" => statuses
            .add_status_relation(me, StatusRelation::Favourite, id)
            .await
            .map(drop),
        "unfavourite" => statuses
            .remove_status_relation(me, StatusRelation::Favourite, id)
            .await
            .map(drop),
        "bookmark" => statuses
            .add_status_relation(me, StatusRelation::Bookmark, id)
            .await
            .map(drop),
        "unbookmark" => statuses
            .remove_status_relation(me, StatusRelation::Bookmark, id)
            .await
            .map(drop),
        "reblog" => statuses.reblog(me, id, None).await.map(drop),
        "unreblog" => statuses.unreblog(me, id).await.map(drop),
        "delete" => statuses.delete(me, id).await.map(drop),
        _ => Err(CoreError::NotFound),
    };
    match done {
        Ok(()) => {
            let back = form.back();
            // A deleted status is gone from the page: back to the page, not to it.
            let to = if action == "delete" {
                back.to_owned()
            } else {
                format!("{back}#status-{id}")
            };
            redirect(&visitor, &to)
        }
        Err(error) => refusal(&woolly, &visitor, &error),
    }
}
