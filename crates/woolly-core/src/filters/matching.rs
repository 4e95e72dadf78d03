//! Applying a viewer's filters to the statuses they read, once, where status views are built.
//!
//! As in Mastodon (`CustomFilter.apply_cached_filters`), every active (unexpired) filter of the
//! viewer is tried on every status, whatever the context, and what matched is listed on the
//! status as `filtered`: clients pick the results for the context they show it in. A filter's
//! keywords match case-insensitively anywhere in the status's text (its content warning, its
//! text, its poll options and its media descriptions), or, with `whole_word`, only between word
//! boundaries (`CustomFilterKeyword#to_regex`); its statuses match by id, a reblog through the
//! status it reblogs.
//!
//! Where a status is listed in a context (home, notifications, public, thread, account), a
//! matching `hide` filter of that context takes it out of the answer altogether
//! ([`StatusView::is_hidden_in`]): Woolly applies that on the server rather than leaving it to
//! every client. A viewer's own statuses are never filtered for them, as Mastodon's web client
//! never filters them (`app/javascript/mastodon/selectors/index.js`).

use std::sync::Arc;

use regex::{Regex, RegexBuilder};

use super::{Filter, FilterAction, FilterContext};
use crate::error::Result;
use crate::state::Woolly;
use crate::statuses::StatusView;

/// What one filter matched in a status (`entities/FilterResult.md`).
#[derive(Debug, Clone)]
pub struct FilterResult {
    pub filter: Arc<Filter>,
    /// The text the filter's keywords matched, or `None` when they matched nothing.
    pub keyword_matches: Option<Vec<String>>,
    /// The ids under which the filter names the status; `None` when it names no status at all.
    pub status_matches: Option<Vec<i64>>,
}

/// A filter ready to match: its keywords as one expression.
struct CompiledFilter {
    filter: Arc<Filter>,
    keywords: Option<Arc<Regex>>,
}

/// How much keyword text is kept compiled, in bytes of expression source: the filters of a few
/// thousand active users. Weighed by size, since one filter may hold a great many keywords.
const KEYWORD_TEXT_KEPT: u64 = 1 << 20;
/// How many expressions the cache makes room for when it starts.
const KEYWORD_EXPRESSIONS_ROOM: usize = 64;

/// Weighs a cached expression by the length of its source, which its compiled size follows.
#[derive(Clone)]
struct SourceLength;

impl quick_cache::Weighter<String, Option<Arc<Regex>>> for SourceLength {
    fn weight(&self, source: &String, _: &Option<Arc<Regex>>) -> u64 {
        u64::try_from(source.len()).unwrap_or(u64::MAX).max(1)
    }
}

/// Filters' keyword expressions, compiled once and kept by their source: a viewer's filters
/// are read on every request (so that a change shows at once, in any process), but compiling
/// their keywords costs far more than reading them, and they rarely change.
pub(crate) struct KeywordExpressions {
    compiled: quick_cache::sync::Cache<String, Option<Arc<Regex>>, SourceLength>,
}

impl KeywordExpressions {
    pub(crate) fn new() -> KeywordExpressions {
        KeywordExpressions {
            compiled: quick_cache::sync::Cache::with_weighter(
                KEYWORD_EXPRESSIONS_ROOM,
                KEYWORD_TEXT_KEPT,
                SourceLength,
            ),
        }
    }

    /// The filter's keywords as one expression, if it has any, whose first match (leftmost,
    /// earlier keywords first) is the one reported, as Mastodon's `Regexp.union` reports it.
    fn of(&self, filter: &Filter) -> Option<Arc<Regex>> {
        if filter.keywords.is_empty() {
            return None;
        }
        let pattern = filter
            .keywords
            .iter()
            .map(|keyword| keyword_pattern(&keyword.keyword, keyword.whole_word))
            .collect::<Vec<_>>()
            .join("|");
        if let Some(known) = self.compiled.get(&pattern) {
            return known;
        }
        let expression = match RegexBuilder::new(&pattern)
            .size_limit(64 * (1 << 20))
            .build()
        {
            Ok(expression) => Some(Arc::new(expression)),
            Err(error) => {
                // Only a pathological number of long keywords gets here; the filter's statuses
                // still apply.
                tracing::warn!(filter_id = filter.id, %error, "a filter's keywords do not compile");
                None
            }
        };
        self.compiled.insert(pattern, expression.clone());
        expression
    }
}

/// A viewer's active filters, loaded once for a request and tried on each status it shows.
pub(crate) struct ActiveFilters {
    viewer: Option<i64>,
    filters: Vec<CompiledFilter>,
}

impl ActiveFilters {
    /// No filters: what anonymous viewers have.
    pub(crate) fn none() -> ActiveFilters {
        ActiveFilters {
            viewer: None,
            filters: Vec::new(),
        }
    }

    fn compile(viewer: i64, filters: Vec<Filter>, compiled: &KeywordExpressions) -> ActiveFilters {
        let filters = filters
            .into_iter()
            .map(|filter| CompiledFilter {
                keywords: compiled.of(&filter),
                filter: Arc::new(filter),
            })
            .collect();
        ActiveFilters {
            viewer: Some(viewer),
            filters,
        }
    }

    /// What the viewer's filters match in a status (for a reblog, in the status it reblogs).
    pub(crate) fn results_for(&self, view: &StatusView) -> Vec<FilterResult> {
        if self.filters.is_empty() {
            return Vec::new();
        }
        let proper = view.reblog.as_deref().unwrap_or(view);
        if Some(proper.account.id) == self.viewer {
            return Vec::new();
        }
        let text = searchable_text(proper);
        let ids: Vec<i64> = std::iter::once(view.status.id)
            .chain(view.status.reblog_of_id)
            .collect();
        self.filters
            .iter()
            .filter_map(|compiled| {
                let keyword_matches = compiled
                    .keywords
                    .as_ref()
                    .and_then(|expression| expression.find(&text))
                    .map(|found| vec![found.as_str().to_owned()]);
                let statuses = &compiled.filter.statuses;
                let status_matches = (!statuses.is_empty()).then(|| {
                    ids.iter()
                        .copied()
                        .filter(|id| statuses.iter().any(|named| named.status_id == *id))
                        .collect::<Vec<i64>>()
                });
                let matched = keyword_matches.is_some()
                    || status_matches.as_ref().is_some_and(|ids| !ids.is_empty());
                matched.then(|| FilterResult {
                    filter: Arc::clone(&compiled.filter),
                    keyword_matches,
                    status_matches,
                })
            })
            .collect()
    }
}

impl StatusView {
    /// Whether a `hide` filter that matched this status applies in `context`, so that it is
    /// left out where it is listed there.
    pub fn is_hidden_in(&self, context: FilterContext) -> bool {
        self.filtered.iter().any(|result| {
            result.filter.action == FilterAction::Hide && result.filter.applies_in(context)
        })
    }
}

/// A page of statuses as listed: their views, and the (newest, oldest) ids of the page as read,
/// before hiding, which `Link` headers page on.
pub type Listing = (Vec<StatusView>, Option<(i64, i64)>);

impl Woolly {
    /// Views of statuses listed in `context`, in order, without those the viewer hides there.
    /// The cursors are those of `ids`, so that paging goes on past statuses, or whole pages,
    /// that were hidden.
    pub(crate) async fn listed_views(
        &self,
        viewer: Option<i64>,
        ids: &[i64],
        context: FilterContext,
    ) -> Result<Listing> {
        let cursors = ids
            .first()
            .zip(ids.last())
            .map(|(newest, oldest)| (*newest, *oldest));
        let mut views = self.statuses().views(viewer, ids).await?;
        views.retain(|view| !view.is_hidden_in(context));
        Ok((views, cursors))
    }

    /// The viewer's filters that have not expired, ready to match (one query, three when there
    /// are any).
    pub(crate) async fn active_filters(&self, viewer: Option<i64>) -> Result<ActiveFilters> {
        let Some(viewer) = viewer else {
            return Ok(ActiveFilters::none());
        };
        let rows = self
            .db()
            .filters_of(viewer, Some(crate::now_millis()))
            .await?;
        let filters = if rows.is_empty() {
            Vec::new()
        } else {
            self.with_rules(rows).await?
        };
        Ok(ActiveFilters::compile(
            viewer,
            filters,
            self.keyword_expressions(),
        ))
    }
}

/// One keyword as Mastodon's `CustomFilterKeyword#to_regex` builds it: the literal text,
/// case-insensitive, and with `whole_word`, a word boundary at each end that starts or ends with
/// a word character (so that `#tag` or `c++` still match as whole words).
fn keyword_pattern(keyword: &str, whole_word: bool) -> String {
    let escaped = regex::escape(keyword);
    if !whole_word {
        return format!("(?i:{escaped})");
    }
    let boundary = |c: Option<char>| {
        if c.is_some_and(crate::text::is_word) {
            r"\b"
        } else {
            ""
        }
    };
    format!(
        "(?i:{}{escaped}{})",
        boundary(keyword.chars().next()),
        boundary(keyword.chars().next_back())
    )
}

/// The text keywords are matched against (Mastodon's `Status#searchable_text`): the content
/// warning, the text, the poll options and the media descriptions, a blank line apart.
fn searchable_text(view: &StatusView) -> String {
    let status = &view.status;
    // `text` is the text without markup: what a local author typed, or the plain text a remote
    // status was stored with (`sanitize::html_to_plain_text`, as Mastodon's
    // `PlainTextFormatter`).
    let mut parts = vec![status.spoiler_text.clone(), status.text.clone()];
    if let Some(poll) = &view.poll {
        parts.push(
            poll.options
                .iter()
                .map(|option| option.title.as_str())
                .collect::<Vec<_>>()
                .join("\n\n"),
        );
    }
    parts.push(
        view.media
            .iter()
            .map(|media| media.description.as_deref().unwrap_or(""))
            .collect::<Vec<_>>()
            .join("\n\n"),
    );
    parts.join("\n\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn first_match(keywords: &[(&str, bool)], text: &str) -> Option<String> {
        let pattern = keywords
            .iter()
            .map(|(keyword, whole_word)| keyword_pattern(keyword, *whole_word))
            .collect::<Vec<_>>()
            .join("|");
        let expression = Regex::new(&pattern).ok()?;
        expression.find(text).map(|found| found.as_str().to_owned())
    }

    #[test]
    fn keywords_match_case_insensitively_and_report_the_text_matched() {
        assert_eq!(
            first_match(&[("bad word", false)], "So BAD WORDs here"),
            Some("BAD WORD".into())
        );
        assert_eq!(
            first_match(&[("Über", false)], "das ist über"),
            Some("über".into())
        );
        assert_eq!(
            first_match(&[("cat", false)], "concatenate"),
            Some("cat".into())
        );
        assert_eq!(first_match(&[("dog", false)], "concatenate"), None);
    }

    #[test]
    fn whole_words_need_word_boundaries_where_the_keyword_has_word_characters() {
        assert_eq!(first_match(&[("cat", true)], "concatenate"), None);
        assert_eq!(
            first_match(&[("cat", true)], "a cat, sat"),
            Some("cat".into())
        );
        assert_eq!(first_match(&[("cat", true)], "Cat!"), Some("Cat".into()));
        // Letters outside ASCII are word characters too.
        assert_eq!(first_match(&[("caf", true)], "café"), None);
        // No boundary is asked for beside a non-word character.
        assert_eq!(
            first_match(&[("#tag", true)], "a#tag here"),
            Some("#tag".into())
        );
        assert_eq!(first_match(&[("#tag", true)], "#tagged"), None);
        assert_eq!(
            first_match(&[("c++", true)], "I like c++!"),
            Some("c++".into())
        );
        // Regular-expression characters are literal.
        assert_eq!(first_match(&[("a.c", false)], "abc"), None);
        assert_eq!(
            first_match(&[("(x)", true)], "f(x) = 1"),
            Some("(x)".into())
        );
    }

    #[test]
    fn the_leftmost_match_of_any_keyword_is_reported() {
        assert_eq!(
            first_match(&[("second", false), ("first", false)], "first then second"),
            Some("first".into())
        );
    }
}
