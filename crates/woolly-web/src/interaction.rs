//! Acting across servers from a browser, as Mastodon's "follow from your server" works:
//!
//! - On someone's profile or post here, a visitor from another server types their handle;
//!   `/follow_remotely` asks their server's WebFinger where its people act on things of other
//!   servers (the subscribe template) and sends the browser there.
//! - `/authorize_interaction?uri=…` is that place on this server, for its own members: after
//!   signing in, it shows the account the address names with a follow button, or opens the post
//!   it names here, where it can be answered, boosted or favourited.

use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use serde::Deserialize;
use woolly_core::search::SearchQuery;
use woolly_core::urls::percent_encode;
use woolly_core::{CoreError, Woolly};

use crate::cards::Author;
use crate::page::{Chrome, message, redirect, refusal, render};
use crate::visitor::Visitor;

pub(crate) fn router() -> Router<Woolly> {
    Router::new()
        .route("/authorize_interaction", get(authorize_interaction))
        .route("/follow_remotely", get(follow_remotely))
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct InteractionQuery {
    /// What to act on: an account (`acct:user@domain`, `user@domain` or its address) or a post.
    uri: String,
}

#[derive(Template)]
#[template(path = "interaction.html")]
struct InteractionPage<'a> {
    c: Chrome<'a>,
    account_id: i64,
    person: Author,
    follows: bool,
}

/// `GET /authorize_interaction?uri=…`.
async fn authorize_interaction(
    State(woolly): State<Woolly>,
    visitor: Visitor,
    Query(query): Query<InteractionQuery>,
) -> Response {
    let member = match visitor.member_or_elsewhere() {
        Ok(member) => member,
        Err("/auth/sign_in") => {
            let back = format!("/authorize_interaction?uri={}", percent_encode(&query.uri));
            return redirect(
                &visitor,
                &format!("/auth/sign_in?return_to={}", percent_encode(&back)),
            );
        }
        Err(elsewhere) => return redirect(&visitor, elsewhere),
    };
    let text = query.uri.trim().trim_start_matches("acct:").to_owned();
    if text.is_empty() {
        return refusal(&woolly, &visitor, &CoreError::NotFound);
    }
    let search = SearchQuery {
        text,
        kind: None,
        following: false,
        account_id: None,
        limit: 1,
        offset: 0,
        resolve: true,
    };
    let found = match woolly
        .search()
        .search(Some(member.account.id), &search)
        .await
    {
        Ok(found) => found,
        Err(error) => return refusal(&woolly, &visitor, &error),
    };
    if let Some(view) = found.statuses.first() {
        let path = format!("/@{}/{}", view.account.acct(), view.status.id);
        return redirect(&visitor, &path);
    }
    let Some(account) = found.accounts.first() else {
        let words = visitor.words();
        return message(
            &woolly,
            &visitor,
            StatusCode::NOT_FOUND,
            words.t("interaction-not-found-heading"),
            words.t("interaction-not-found"),
            Some(("/home", words.t("back-home"))),
        );
    };
    let follows = match woolly
        .relations()
        .relationships(member.account.id, &[account.id])
        .await
    {
        Ok(relationships) => relationships
            .iter()
            .any(|relationship| relationship.following || relationship.requested),
        Err(error) => return refusal(&woolly, &visitor, &error),
    };
    render(
        &visitor,
        StatusCode::OK,
        &InteractionPage {
            c: Chrome::new(&woolly, &visitor),
            account_id: account.id,
            person: Author::of(&woolly, account),
            follows,
        },
    )
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct RemoteQuery {
    /// The form's anti-forgery token: without it, a link made elsewhere could send people
    /// through this server to wherever a made-up WebFinger document points.
    authenticity_token: String,
    /// What to act on: the ActivityPub id of an account or a post of this server.
    uri: String,
    /// The visitor's handle on their own server, `name@server`.
    handle: String,
}

/// `GET /follow_remotely?uri=…&handle=…`: on to the visitor's own server.
async fn follow_remotely(
    State(woolly): State<Woolly>,
    visitor: Visitor,
    Query(query): Query<RemoteQuery>,
) -> Response {
    let words = visitor.words();
    if !visitor.form_is_genuine(&query.authenticity_token) {
        return crate::forms::expired(&woolly, &visitor, "/");
    }
    if !woolly.config().urls().is_local(&query.uri) {
        return refusal(&woolly, &visitor, &CoreError::NotFound);
    }
    match woolly
        .search()
        .interaction_address(&query.handle, &query.uri)
        .await
    {
        Ok(Some(address)) => visitor.finish(Redirect::to(&address).into_response()),
        Ok(None) => message(
            &woolly,
            &visitor,
            StatusCode::UNPROCESSABLE_ENTITY,
            words.t("remote-follow-failed-heading"),
            words.t1("remote-follow-failed", "handle", &query.handle),
            None,
        ),
        Err(error) => refusal(&woolly, &visitor, &error),
    }
}
