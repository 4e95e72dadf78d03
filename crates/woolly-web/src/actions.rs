//! What a member does to a status from any list or thread, each a small form under it:
//! favourite, boost, bookmark (and their undoing), and deleting their own
//! (`POST /statuses/:id/:action`). Each form says which page it came from, and the answer goes
//! back there, to the status itself.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::post;
use axum::{Form, Router};
use serde::Deserialize;
use woolly_core::{CoreError, StatusRelation, Woolly};

use crate::page::{message, redirect, refusal};
use crate::visitor::Visitor;

pub(crate) fn router() -> Router<Woolly> {
    Router::new().route("/statuses/{id}/{action}", post(act))
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct ActionForm {
    authenticity_token: String,
    /// The page the form was on (a path of this server).
    return_to: String,
}

/// A path of this server to go back to: never another site (`//host` or `https://…`).
pub fn local_path(path: &str) -> Option<&str> {
    (path.starts_with('/') && !path.starts_with("//") && !path.starts_with("/\\")).then_some(path)
}

/// `POST /statuses/:id/:action`.
async fn act(
    State(woolly): State<Woolly>,
    visitor: Visitor,
    Path((id, action)): Path<(String, String)>,
    Form(form): Form<ActionForm>,
) -> Response {
    let Some(member) = visitor.member() else {
        return redirect(&visitor, "/auth/sign_in");
    };
    let words = visitor.words();
    if !visitor.form_is_genuine(&form.authenticity_token) {
        return message(
            &woolly,
            &visitor,
            StatusCode::FORBIDDEN,
            words.t("error-heading"),
            words.t("error-form-expired"),
            Some((
                local_path(&form.return_to).unwrap_or("/home"),
                words.t("back-home"),
            )),
        );
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
            let back = local_path(&form.return_to).unwrap_or("/home");
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
