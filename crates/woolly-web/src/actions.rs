//! What a member does to a status from any list or thread, each a small form under it:
//! favourite, boost, bookmark (and their undoing), and deleting their own
//! (`POST /statuses/:id/:action`). Each form says which page it came from, and the answer goes
//! back there, to the status itself.

use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::post;
use axum::{Form, Router};
use woolly_core::{CoreError, StatusRelation, Woolly};

use crate::forms::{ButtonForm, expired};
use crate::page::{redirect, refusal};
use crate::visitor::Visitor;

pub(crate) fn router() -> Router<Woolly> {
    Router::new().route("/statuses/{id}/{action}", post(act))
}

/// `POST /statuses/:id/:action`.
async fn act(
    State(woolly): State<Woolly>,
    visitor: Visitor,
    Path((id, action)): Path<(String, String)>,
    Form(form): Form<ButtonForm>,
) -> Response {
    let Some(member) = visitor.member() else {
        return redirect(&visitor, "/auth/sign_in");
    };
    if !visitor.form_is_genuine(&form.authenticity_token) {
        return expired(&woolly, &visitor, form.back());
    }
    let Ok(id) = id.parse::<i64>() else {
        return refusal(&woolly, &visitor, &CoreError::NotFound);
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
