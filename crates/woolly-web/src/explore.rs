//! `/explore`: discovery without an algorithm, for members and visitors alike. Hashtags, links
//! and posts trending now (as moderators allowed them), and people to follow: a member's follow
//! suggestions (friends of friends, the server's recommendations and favourites), a visitor's
//! most active people of the directory. No timeline is ranked; this page is the only place
//! where anything is.

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;
use woolly_core::{CoreError, Woolly};

use crate::cards::{Author, LinkPreview, StatusCard};
use crate::page::{Chrome, refusal, render};
use crate::visitor::Visitor;

const TAGS: i64 = 10;
const POSTS: i64 = 10;
const LINKS: i64 = 5;
const PEOPLE: usize = 10;

pub(crate) fn router() -> Router<Woolly> {
    Router::new().route("/explore", get(explore))
}

struct TagLine {
    name: String,
    /// "N people" over the last two days.
    people: String,
}

#[derive(Template)]
#[template(path = "explore.html")]
struct ExplorePage<'a> {
    c: Chrome<'a>,
    tags: Vec<TagLine>,
    /// (account id, author, why) — why is empty for a visitor's directory.
    people: Vec<(i64, Author, String)>,
    statuses: Vec<StatusCard>,
    /// Trending links with "N people" who shared them over the last two days.
    links: Vec<(LinkPreview, String)>,
    trends_on: bool,
}

/// `GET /explore`.
async fn explore(State(woolly): State<Woolly>, visitor: Visitor) -> Response {
    let viewer = visitor.member().map(|member| member.account.id);
    let words = visitor.words();
    let read = async {
        let tags = woolly.discovery().trending_tags(viewer, TAGS, 0).await?;
        let statuses = woolly
            .discovery()
            .trending_statuses(viewer, POSTS, 0)
            .await?;
        let links = woolly.discovery().trending_links(LINKS, 0).await?;
        let people: Vec<(i64, Author, String)> = match viewer {
            Some(viewer) => woolly
                .discovery()
                .suggestions(viewer, PEOPLE, 0)
                .await?
                .iter()
                .map(|suggestion| {
                    let why = suggestion
                        .sources
                        .first()
                        .map(|source| words.t(&format!("explore-why-{}", source.name())))
                        .unwrap_or_default();
                    (
                        suggestion.account.id,
                        Author::of(&woolly, &suggestion.account),
                        why,
                    )
                })
                .collect(),
            None => woolly
                .accounts()
                .directory(None, true, false, PEOPLE as i64, 0)
                .await?
                .iter()
                .map(|account| (account.id, Author::of(&woolly, account), String::new()))
                .collect(),
        };
        Ok::<_, CoreError>((tags, statuses, links, people))
    };
    let (tags, statuses, links, people) = match read.await {
        Ok(read) => read,
        Err(error) => return refusal(&woolly, &visitor, &error),
    };
    render(
        &visitor,
        StatusCode::OK,
        &ExplorePage {
            c: Chrome::new(&woolly, &visitor),
            tags: tags
                .into_iter()
                .map(|tag| {
                    let people: i64 = tag
                        .usage
                        .history
                        .iter()
                        .take(2)
                        .map(|(_, _, accounts)| accounts)
                        .sum();
                    TagLine {
                        name: tag.usage.name,
                        people: words.count("explore-tag-people", people),
                    }
                })
                .collect(),
            people,
            links: links
                .iter()
                .map(|link| {
                    let people: i64 = link
                        .history
                        .iter()
                        .take(2)
                        .map(|(_, _, accounts)| accounts)
                        .sum();
                    (
                        LinkPreview::of(&link.card, &link.card.url),
                        words.count("explore-tag-people", people),
                    )
                })
                .collect(),
            statuses: statuses
                .iter()
                .map(|view| StatusCard::new(&woolly, words, view, viewer))
                .collect(),
            trends_on: woolly.config().trends,
        },
    )
}
