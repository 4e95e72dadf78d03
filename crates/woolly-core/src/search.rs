//! Search (`/api/v2/search`): accounts, hashtags, and statuses the searcher wrote or interacted
//! with; links to this server's own profiles and statuses resolve to them. Looking up remote
//! accounts and posts (`resolve=true`) comes with federation.

use crate::accounts::Account;
use crate::areas::{Accounts, Search, Tags};
use crate::error::{CoreError, Result};
use crate::remote::Resolved;
use crate::state::Woolly;
use crate::statuses::StatusView;

const DAY_MILLIS: i64 = 24 * 60 * 60 * 1000;

/// What to search for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SearchKind {
    Accounts,
    Hashtags,
    Statuses,
}

/// A search as asked.
#[derive(Debug, Clone)]
pub struct SearchQuery {
    pub text: String,
    /// `None`: every kind.
    pub kind: Option<SearchKind>,
    pub following: bool,
    pub account_id: Option<i64>,
    pub limit: i64,
    pub offset: i64,
    /// Look the query up on other servers when it is a handle or a link there.
    pub resolve: bool,
}

/// A hashtag with its use over the last week, newest day first.
#[derive(Debug, Clone)]
pub struct TagUsage {
    pub name: String,
    /// (day start in Unix seconds, uses, distinct accounts), seven days.
    pub history: Vec<(i64, i64, i64)>,
}

#[derive(Debug, Clone, Default)]
pub struct SearchResults {
    pub accounts: Vec<Account>,
    pub statuses: Vec<StatusView>,
    pub hashtags: Vec<TagUsage>,
}

impl TagUsage {
    /// The hashtag's id (Mastodon 4.3.1 shows one): hashtags are kept by name here, so the id
    /// is a stable number derived from the name, as opaque as Mastodon says ids are.
    pub fn id(&self) -> String {
        crate::crypto::name_number(&self.name).to_string()
    }
}

impl Woolly {
    /// A handle (`@user@domain`) or link of another server, looked up there. Failures are
    /// logged and searched no further, as Mastodon answers what it has locally then.
    async fn resolve_remotely(&self, text: &str) -> Option<Resolved> {
        let resolver = self.remote_resolver()?;
        let handle = text.trim_start_matches('@');
        let is_remote_handle = handle.split_once('@').is_some_and(|(name, domain)| {
            !name.is_empty()
                && !domain.is_empty()
                && !domain.eq_ignore_ascii_case(self.config().domain.as_str())
        });
        let is_link = text.starts_with("https://") || text.starts_with("http://");
        if !is_remote_handle && !is_link {
            return None;
        }
        match resolver.resolve(self, text).await {
            Ok(found) => found,
            Err(error) => {
                tracing::info!(query = text, %error, "remote lookup failed");
                None
            }
        }
    }

    async fn accounts_ordered(&self, ids: &[i64]) -> Result<Vec<Account>> {
        let mut found = self.accounts_by_id(ids).await?;
        Ok(ids.iter().filter_map(|id| found.remove(id)).collect())
    }
}

impl Search<'_> {
    /// Where someone with the handle `user@domain` acts on `uri` (an account or a status of
    /// this server) from their own server: its interaction template (found through WebFinger)
    /// with `uri` filled in. `None` when the handle is not one or its server names no template.
    pub async fn interaction_address(&self, handle: &str, uri: &str) -> Result<Option<String>> {
        let Some((username, domain)) = handle.trim().trim_start_matches('@').split_once('@') else {
            return Ok(None);
        };
        let Some(domain) = crate::config::Domain::normalize(domain) else {
            return Ok(None);
        };
        if username.is_empty() {
            return Ok(None);
        }
        let template = if domain == self.config().domain {
            Some(self.config().urls().interaction_template())
        } else {
            match self.remote_resolver() {
                Some(resolver) => {
                    resolver
                        .interaction_template(self, username, domain.as_str())
                        .await?
                }
                None => None,
            }
        };
        Ok(template.map(|template| template.replace("{uri}", &crate::urls::percent_encode(uri))))
    }

    pub async fn search(&self, viewer: Option<i64>, query: &SearchQuery) -> Result<SearchResults> {
        let text = query.text.trim();
        let mut results = SearchResults::default();
        if text.is_empty() {
            return Ok(results);
        }
        let wants = |kind: SearchKind| query.kind.is_none_or(|wanted| wanted == kind);
        if query.resolve
            && viewer.is_some()
            && let Some(found) = self.resolve_remotely(text).await
        {
            match found {
                Resolved::Account(id) if wants(SearchKind::Accounts) => {
                    results.accounts = self.accounts_ordered(&[id]).await?;
                    return Ok(results);
                }
                Resolved::Status(id) if wants(SearchKind::Statuses) => {
                    if let Ok(view) = self.statuses().view(viewer, id).await {
                        results.statuses.push(view);
                    }
                    return Ok(results);
                }
                _ => {}
            }
        }
        // A link to something on this server is that thing.
        let base = self.config().base_url();
        if let Some(path) = text.strip_prefix(&base) {
            if let Some(status_id) = local_status_id(path)
                && wants(SearchKind::Statuses)
                && let Ok(view) = self.statuses().view(viewer, status_id).await
            {
                results.statuses.push(view);
            } else if let Some(username) = local_username(path)
                && wants(SearchKind::Accounts)
                && let Some(account) = self.accounts().local_account(username).await?
            {
                results.accounts.push(account);
            }
            return Ok(results);
        }
        if wants(SearchKind::Accounts) {
            let handle = text.trim_start_matches('@');
            let (name, domain) = match handle.split_once('@') {
                Some((name, domain))
                    if domain.eq_ignore_ascii_case(self.config().domain.as_str()) =>
                {
                    (name, Some(""))
                }
                Some((name, domain)) => (name, Some(domain)),
                None => (handle, None),
            };
            let ids = self
                .db()
                .search_accounts(
                    name,
                    domain,
                    viewer,
                    query.following && viewer.is_some(),
                    query.limit,
                    query.offset,
                )
                .await?;
            results.accounts = self.accounts_ordered(&ids).await?;
        }
        if wants(SearchKind::Hashtags) && !text.contains(char::is_whitespace) {
            let name = text.trim_start_matches('#');
            if !name.is_empty() {
                let names = self
                    .db()
                    .search_tags(name, query.limit, query.offset)
                    .await?;
                results.hashtags = self.tags().tag_usage(&names).await?;
            }
        }
        if wants(SearchKind::Statuses)
            && let Some(viewer) = viewer
        {
            let ids = self.search_statuses(viewer, text, query).await?;
            results.statuses = self.statuses().views(Some(viewer), &ids).await?;
        }
        Ok(results)
    }
}

impl Search<'_> {
    /// The posts a search of posts finds for `viewer` (see [`crate::search_query`]).
    async fn search_statuses(
        &self,
        viewer: i64,
        text: &str,
        query: &SearchQuery,
    ) -> Result<Vec<i64>> {
        let parsed = crate::search_query::parse(text)?;
        if parsed.impossible {
            return Ok(Vec::new());
        }
        let mut search = parsed.search;
        let from = match parsed.from.as_deref() {
            None => None,
            Some(me) if me.eq_ignore_ascii_case("me") => Some(Some(viewer)),
            // Only accounts known here: a search looks nothing up elsewhere.
            Some(handle) => match self.accounts().lookup_account(handle).await {
                Ok(account) => Some(Some(account.id)),
                Err(CoreError::NotFound) => Some(None),
                Err(error) => return Err(error),
            },
        };
        search.author = match (from, query.account_id) {
            (None, None) => None,
            (Some(from), None) => Some(from),
            (None, Some(id)) => Some(Some(id)),
            (Some(from), Some(id)) => Some(from.filter(|from| *from == id)),
        };
        self.db()
            .search_statuses(viewer, &search, query.limit, query.offset)
            .await
            .map_err(Into::into)
    }
}

impl Accounts<'_> {
    /// The local accounts the operator recommends to newcomers (`recommended_accounts`), in
    /// the operator's order. A name that matches no account (any more) is skipped, and logged.
    pub async fn recommended(&self) -> Result<Vec<Account>> {
        let mut accounts = Vec::new();
        for name in &self.config().recommended_accounts {
            match self.local_account(name).await? {
                Some(account) => accounts.push(account),
                None => tracing::warn!(name, "a recommended account does not exist"),
            }
        }
        Ok(accounts)
    }

    /// A page of the profile directory: discoverable accounts (only local ones with
    /// `local_only`), most recently active first or, with `newest`, newest first.
    pub async fn directory(
        &self,
        viewer: Option<i64>,
        local_only: bool,
        newest: bool,
        limit: i64,
        offset: i64,
    ) -> Result<Vec<Account>> {
        let ids = self
            .db()
            .directory(viewer, local_only, newest, limit, offset)
            .await?;
        let mut accounts = self.accounts_by_id(&ids).await?;
        Ok(ids.iter().filter_map(|id| accounts.remove(id)).collect())
    }
}

impl Tags<'_> {
    /// The last seven days of use of each hashtag (`Tag.history`), today first.
    pub async fn tag_usage(&self, names: &[String]) -> Result<Vec<TagUsage>> {
        let today = crate::now_millis() / DAY_MILLIS;
        let rows = self.db().tag_history(names, today - 6).await?;
        Ok(names
            .iter()
            .map(|name| TagUsage {
                name: name.clone(),
                history: (0..7)
                    .map(|back| {
                        let day = today - back;
                        let row = rows.iter().find(|row| row.name == *name && row.day == day);
                        (
                            day * 86_400,
                            row.map_or(0, |row| row.uses),
                            row.map_or(0, |row| row.accounts),
                        )
                    })
                    .collect(),
            })
            .collect())
    }
}

/// `/@user/123` or `/users/user/statuses/123` → 123.
fn local_status_id(path: &str) -> Option<i64> {
    let parts: Vec<&str> = path.trim_matches('/').split('/').collect();
    match parts.as_slice() {
        [user, id] if user.starts_with('@') => id.parse().ok(),
        ["users", _, "statuses", id] => id.parse().ok(),
        _ => None,
    }
}

/// `/@user` or `/users/user` → user.
fn local_username(path: &str) -> Option<&str> {
    let parts: Vec<&str> = path.trim_matches('/').split('/').collect();
    match parts.as_slice() {
        [user] => user.strip_prefix('@'),
        ["users", user] => Some(user),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn local_links_are_understood() {
        assert_eq!(local_status_id("/@alice/123"), Some(123));
        assert_eq!(local_status_id("/users/alice/statuses/123"), Some(123));
        assert_eq!(local_status_id("/@alice"), None);
        assert_eq!(local_username("/@alice"), Some("alice"));
        assert_eq!(local_username("/users/alice"), Some("alice"));
        assert_eq!(local_username("/about"), None);
    }
}
