//! `/search?q=…`: people, hashtags and posts, as core's search finds them for the visitor. A
//! member's search also looks up a handle (`@name@server`) or a link on its own server, which
//! is how someone on another server is found to follow.

use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;
use serde::Deserialize;
use woolly_core::Woolly;
use woolly_core::search::SearchQuery;

use crate::cards::{Author, StatusCard};
use crate::page::{Chrome, refusal, render};
use crate::visitor::Visitor;

/// Results of each kind a search shows.
const RESULTS: i64 = 20;

pub(crate) fn router() -> Router<Woolly> {
    Router::new().route("/search", get(search))
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct SearchForm {
    q: String,
}

#[derive(Template)]
#[template(path = "search.html")]
struct SearchPage<'a> {
    c: Chrome<'a>,
    query: String,
    searched: bool,
    people: Vec<Author>,
    hashtags: Vec<String>,
    statuses: Vec<StatusCard>,
}

/// `GET /search?q=…`.
async fn search(
    State(woolly): State<Woolly>,
    visitor: Visitor,
    Query(form): Query<SearchForm>,
) -> Response {
    let text = form.q.trim().to_owned();
    let viewer = visitor.member().map(|member| member.account.id);
    let results = if text.is_empty() {
        Default::default()
    } else {
        let query = SearchQuery {
            text: text.clone(),
            kind: None,
            following: false,
            account_id: None,
            limit: RESULTS,
            offset: 0,
            resolve: viewer.is_some(),
        };
        match woolly.search().search(viewer, &query).await {
            Ok(results) => results,
            Err(error) => return refusal(&woolly, &visitor, &error),
        }
    };
    let words = visitor.words();
    render(
        &visitor,
        StatusCode::OK,
        &SearchPage {
            c: Chrome::new(&woolly, &visitor),
            searched: !text.is_empty(),
            query: text,
            people: results
                .accounts
                .iter()
                .map(|account| Author::of(&woolly, account))
                .collect(),
            hashtags: results.hashtags.into_iter().map(|tag| tag.name).collect(),
            statuses: results
                .statuses
                .iter()
                .map(|view| StatusCard::new(&woolly, words, view, viewer))
                .collect(),
        },
    )
}
