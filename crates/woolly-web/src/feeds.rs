//! RSS feeds, as Mastodon offers them: a person's public posts (`/@name.rss`, without replies
//! or boosts) and a hashtag's (`/tags/name.rss`), the latest twenty, read as an anonymous
//! visitor reads them, so that nothing private ever reaches a feed reader.

use askama::Template;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc2822;
use woolly_core::statuses::StatusView;
use woolly_core::{AccountStatusesFilter, CoreError, Page, TagSelection, Woolly};

use crate::cards::Author;

/// Items a feed carries.
const FEED_ITEMS: i64 = 20;

/// One post in a feed.
struct Item {
    link: String,
    /// The post's HTML (escaped again by the template, as RSS carries it).
    content: String,
    spoiler_text: String,
    published: String,
    tags: Vec<String>,
    media: Vec<(String, String)>,
}

#[derive(Template)]
#[template(path = "feed.xml")]
struct Feed {
    title: String,
    link: String,
    description: String,
    image: Option<String>,
    generator: &'static str,
    items: Vec<Item>,
}

fn rfc2822(millis: i64) -> String {
    OffsetDateTime::from_unix_timestamp_nanos(i128::from(millis) * 1_000_000)
        .ok()
        .and_then(|at| at.format(&Rfc2822).ok())
        .unwrap_or_default()
}

fn item(view: &StatusView) -> Item {
    let status = &view.status;
    Item {
        link: status.url.clone().unwrap_or_else(|| status.uri.clone()),
        content: status.content.clone(),
        spoiler_text: status.spoiler_text.clone(),
        published: rfc2822(status.created_at),
        tags: view.tags.clone(),
        media: view
            .media
            .iter()
            .map(|media| {
                let kind = match media.kind.as_str() {
                    "video" | "gifv" => "video/mp4",
                    "audio" => "audio/mpeg",
                    _ => "image/jpeg",
                };
                (media.url.clone(), kind.to_owned())
            })
            .collect(),
    }
}

fn answer(feed: &Feed) -> Response {
    match feed.render() {
        Ok(xml) => (
            [
                (
                    header::CONTENT_TYPE,
                    HeaderValue::from_static("application/rss+xml; charset=utf-8"),
                ),
                (
                    header::CACHE_CONTROL,
                    HeaderValue::from_static("public, max-age=60"),
                ),
            ],
            xml,
        )
            .into_response(),
        Err(error) => {
            tracing::error!(%error, "a feed did not render");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

fn latest() -> Page {
    Page {
        max_id: None,
        since_id: None,
        min_id: None,
        limit: FEED_ITEMS,
    }
}

/// A person's feed (people of this server only).
pub async fn account_feed(woolly: &Woolly, name: &str) -> Result<Response, CoreError> {
    let account = woolly.accounts().lookup_account(name).await?;
    if !account.is_local() {
        return Err(CoreError::NotFound);
    }
    let filter = AccountStatusesFilter {
        exclude_replies: true,
        exclude_reblogs: true,
        ..AccountStatusesFilter::default()
    };
    let (views, _) = woolly
        .timelines()
        .account(None, account.id, &filter, latest())
        .await?;
    let author = Author::of(woolly, &account);
    let urls = woolly.config().urls();
    Ok(answer(&Feed {
        title: author.name.clone(),
        link: urls.profile(&account.username),
        description: woolly_core::sanitize::html_to_plain_text(&account.note),
        image: Some(author.avatar),
        generator: "Woolly",
        items: views.iter().map(item).collect(),
    }))
}

/// A hashtag's feed: its latest public posts from everywhere.
pub async fn tag_feed(woolly: &Woolly, name: &str) -> Result<Response, CoreError> {
    let (views, _) = woolly
        .timelines()
        .tag(None, name, TagSelection::default(), false, false, latest())
        .await?;
    let urls = woolly.config().urls();
    Ok(answer(&Feed {
        title: format!("#{name}"),
        link: urls.tag(name),
        description: format!("#{name} · {}", woolly.config().title),
        image: None,
        generator: "Woolly",
        items: views.iter().map(item).collect(),
    }))
}
