//! Mastodon's pagination: `max_id`, `since_id`, `min_id` and `limit` in, a `Link` header with
//! `rel="next"` and `rel="prev"` out (`api/guidelines.md#pagination`).

use axum::http::{HeaderValue, Uri, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use woolly_core::{InstanceConfig, Page};

use crate::error::HttpError;
use woolly_core::urls::percent_encode;

/// The pagination parameters of a list endpoint.
#[derive(Debug, Default, Deserialize)]
pub struct PageParams {
    pub max_id: Option<String>,
    pub since_id: Option<String>,
    pub min_id: Option<String>,
    pub limit: Option<String>,
}

fn parse_id(name: &str, value: &Option<String>) -> Result<Option<i64>, HttpError> {
    match value.as_deref().map(str::trim) {
        None | Some("") => Ok(None),
        Some(text) => text.parse().map(Some).map_err(|_| {
            HttpError::unprocessable(format!("Invalid {name}: {text:?} is not an id"))
        }),
    }
}

/// How many items a list gives by default and at most, as Mastodon's controllers set them
/// (their `DEFAULT_*_LIMIT`, and twice that as `limit_param`'s cap).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageSize {
    pub default: i64,
    pub max: i64,
}

impl PageSize {
    /// Timelines, an account's statuses, favourites and bookmarks.
    pub const STATUSES: PageSize = PageSize {
        default: 20,
        max: 40,
    };
    /// Lists of accounts: followers, following, blocks, mutes, who favourited or reblogged,
    /// endorsements, list members, follow requests.
    pub const ACCOUNTS: PageSize = PageSize {
        default: 40,
        max: 80,
    };
    /// Notifications, v1 and grouped.
    pub const NOTIFICATIONS: PageSize = PageSize {
        default: 40,
        max: 80,
    };
    /// Direct conversations.
    pub const CONVERSATIONS: PageSize = PageSize {
        default: 20,
        max: 40,
    };
    /// Scheduled statuses.
    pub const SCHEDULED_STATUSES: PageSize = PageSize {
        default: 20,
        max: 40,
    };
    /// The viewer's blocked domains.
    pub const DOMAIN_BLOCKS: PageSize = PageSize {
        default: 100,
        max: 200,
    };
    /// Reports, for moderators.
    pub const REPORTS: PageSize = PageSize {
        default: 100,
        max: 200,
    };
    /// Accounts, for moderators.
    pub const ADMIN_ACCOUNTS: PageSize = PageSize {
        default: 100,
        max: 200,
    };
    /// Followed hashtags.
    pub const FOLLOWED_TAGS: PageSize = PageSize {
        default: 100,
        max: 200,
    };
}

impl PageParams {
    /// The page asked for; `limit` defaults to the size's default and is capped at its
    /// maximum, as Mastodon does (a larger limit is not an error).
    pub fn page(&self, size: PageSize) -> Result<Page, HttpError> {
        let limit = match self.limit.as_deref().map(str::trim) {
            None | Some("") => size.default,
            Some(text) => text
                .parse::<i64>()
                .map_err(|_| HttpError::unprocessable(format!("Invalid limit: {text:?}")))?
                .clamp(1, size.max),
        };
        Ok(Page {
            max_id: parse_id("max_id", &self.max_id)?,
            since_id: parse_id("since_id", &self.since_id)?,
            min_id: parse_id("min_id", &self.min_id)?,
            limit,
        })
    }
}

/// A page of entities with its `Link` header. `cursors` are (newest, oldest) ids of the page
/// in the list's own order, which for some lists (favourites, followers) are not entity ids.
pub struct Paged<T> {
    pub items: Vec<T>,
    pub link: Option<HeaderValue>,
}

impl<T> Paged<T> {
    pub fn new(
        items: Vec<T>,
        cursors: Option<(i64, i64)>,
        config: &InstanceConfig,
        uri: &Uri,
    ) -> Paged<T> {
        let link = cursors.and_then(|(newest, oldest)| link_header(config, uri, newest, oldest));
        Paged { items, link }
    }
}

impl<T> Paged<T> {
    /// A page of a list read by `offset` (trends): `next` when the page is full, `prev` when
    /// a whole page lies before it, as Mastodon links them.
    pub fn by_offset(
        items: Vec<T>,
        offset: i64,
        limit: i64,
        config: &InstanceConfig,
        uri: &Uri,
    ) -> Paged<T> {
        let kept: Vec<String> = uri
            .query()
            .unwrap_or("")
            .split('&')
            .filter(|pair| !pair.is_empty() && pair.split('=').next() != Some("offset"))
            .map(str::to_owned)
            .collect();
        let url = |offset: i64| {
            let mut query = kept.clone();
            query.push(format!("offset={offset}"));
            format!("{}{}?{}", config.base_url(), uri.path(), query.join("&"))
        };
        let mut links = Vec::new();
        if limit > 0 && items.len() as i64 == limit {
            links.push(format!("<{}>; rel=\"next\"", url(offset + limit)));
        }
        if offset > limit {
            links.push(format!("<{}>; rel=\"prev\"", url(offset - limit)));
        }
        let link = (!links.is_empty())
            .then(|| HeaderValue::from_str(&links.join(", ")).ok())
            .flatten();
        Paged { items, link }
    }
}

impl<T: serde::Serialize> IntoResponse for Paged<T> {
    fn into_response(self) -> Response {
        let mut response = axum::Json(self.items).into_response();
        if let Some(link) = self.link {
            response.headers_mut().insert(header::LINK, link);
        }
        response
    }
}

/// `<…?max_id=OLDEST>; rel="next", <…?min_id=NEWEST>; rel="prev"`, keeping the request's other
/// parameters.
fn link_header(
    config: &InstanceConfig,
    uri: &Uri,
    newest: i64,
    oldest: i64,
) -> Option<HeaderValue> {
    let kept: Vec<String> = uri
        .query()
        .unwrap_or("")
        .split('&')
        .filter(|pair| !pair.is_empty())
        .filter(|pair| {
            let key = pair.split('=').next().unwrap_or("");
            !matches!(key, "max_id" | "min_id" | "since_id")
        })
        .map(str::to_owned)
        .collect();
    let url = |cursor: &str, id: i64| {
        let mut query = kept.clone();
        query.push(format!("{cursor}={}", percent_encode(&id.to_string())));
        format!("{}{}?{}", config.base_url(), uri.path(), query.join("&"))
    };
    let value = format!(
        "<{}>; rel=\"next\", <{}>; rel=\"prev\"",
        url("max_id", oldest),
        url("min_id", newest)
    );
    HeaderValue::from_str(&value).ok()
}
