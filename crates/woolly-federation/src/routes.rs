//! What the ActivityPub routes share: finding the local account a URL names, reading ids from
//! paths and paging parameters from queries, as Mastodon reads them.

use axum::extract::Query;
use axum::extract::rejection::QueryRejection;
use axum::http::StatusCode;
use serde::Deserialize;
use woolly_core::Woolly;
use woolly_core::actors::LocalActor;
use woolly_http::HttpError;

/// The local account called `username` (case-insensitive), or 404.
pub(crate) async fn local_actor(woolly: &Woolly, username: &str) -> Result<LocalActor, HttpError> {
    woolly
        .federation()
        .local_actor(username)
        .await?
        .ok_or_else(HttpError::not_found)
}

/// The local account called `username`, or 404 for a suspended one too: what it posted,
/// whom it follows and who follows it are hidden with it.
pub(crate) async fn shown_local_actor(
    woolly: &Woolly,
    username: &str,
) -> Result<LocalActor, HttpError> {
    let actor = local_actor(woolly, username).await?;
    if actor.account.limits.suspended_at.is_some() {
        return Err(HttpError::not_found());
    }
    Ok(actor)
}

/// A status id from a path: anything but a number names no status (404, as Mastodon's
/// `find` answers).
pub(crate) fn status_id(text: &str) -> Result<i64, HttpError> {
    text.parse().map_err(|_| HttpError::not_found())
}

/// The paging parameters of collections: `page` (any value but Rails' false ones asks for a
/// page), `max_id`, `min_id`, `since_id`, and the replies' `only_other_accounts`.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct PageQuery {
    page: Option<String>,
    max_id: Option<String>,
    min_id: Option<String>,
    since_id: Option<String>,
    only_other_accounts: Option<String>,
}

/// A boolean query parameter: absent is false, else as Rails casts it.
fn is_truthy(value: Option<&str>) -> bool {
    value.is_some_and(woolly_http::lenient::is_true)
}

fn cursor(value: Option<&str>, name: &str) -> Result<Option<i64>, HttpError> {
    value
        .filter(|value| !value.is_empty())
        .map(|value| {
            value.parse().map_err(|_| {
                HttpError::new(StatusCode::BAD_REQUEST, format!("{name} must be a number"))
            })
        })
        .transpose()
}

/// The query, read: a page request with its cursors.
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct Paging {
    pub is_page: bool,
    pub max_id: Option<i64>,
    pub min_id: Option<i64>,
    pub since_id: Option<i64>,
    pub only_other_accounts: bool,
}

impl Paging {
    pub(crate) fn read(
        query: Result<Query<PageQuery>, QueryRejection>,
    ) -> Result<Paging, HttpError> {
        let Query(query) = query
            .map_err(|rejection| HttpError::new(StatusCode::BAD_REQUEST, rejection.body_text()))?;
        Ok(Paging {
            is_page: is_truthy(query.page.as_deref()),
            max_id: cursor(query.max_id.as_deref(), "max_id")?,
            min_id: cursor(query.min_id.as_deref(), "min_id")?,
            since_id: cursor(query.since_id.as_deref(), "since_id")?,
            only_other_accounts: is_truthy(query.only_other_accounts.as_deref()),
        })
    }

    /// `{base}?page=true` with this page's cursors: the id of the page.
    pub(crate) fn page_url(&self, base: &str) -> String {
        let mut url = format!("{base}?page=true");
        for (name, value) in [
            ("max_id", self.max_id),
            ("min_id", self.min_id),
            ("since_id", self.since_id),
        ] {
            if let Some(value) = value {
                url.push_str(&format!("&{name}={value}"));
            }
        }
        url
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_flags_read_as_rails_reads_them() {
        for truthy in ["true", "1", "yes", "TRUE", "anything"] {
            assert!(is_truthy(Some(truthy)), "{truthy}");
        }
        for falsy in ["false", "0", "f", "off", "", "FALSE"] {
            assert!(!is_truthy(Some(falsy)), "{falsy}");
        }
        assert!(!is_truthy(None));
    }
}
