//! Filters (`methods/filters.md`): a user's named groups of keywords and statuses that, in the
//! contexts they choose (home, notifications, public, thread, account), warn about, blur or hide
//! the posts they match, until they expire.
//!
//! This module owns the filters themselves: what a valid one is (Mastodon's `CustomFilter`,
//! `CustomFilterKeyword` and `CustomFilterStatus` validations, with their messages), and creating,
//! changing and deleting them, each change announced on the owner's stream as
//! `filters_changed`. A filter is private to its owner: anyone else's is answered exactly like
//! one that does not exist. [`matching`] applies them to what the owner reads; [`v1`] is the
//! Mastodon 3 API, where a filter was one phrase, mapped onto these the way Mastodon 4 maps it.

mod matching;
mod v1;

use std::collections::HashMap;

use woolly_store::{FilterKeywordRow, FilterRow, FilterStatusRow, StoreError};

use crate::accounts::Account;
use crate::areas::Filters;
use crate::error::{CoreError, Result};
use crate::events::Event;
use crate::state::Woolly;

pub(crate) use matching::KeywordExpressions;
pub use matching::{FilterResult, Listing};
pub use v1::{V1Filter, V1FilterDraft};

/// The longest title (Mastodon's `CustomFilter::TITLE_LENGTH_LIMIT`).
const MAX_TITLE: usize = 256;
/// The longest keyword (Mastodon's `CustomFilterKeyword::KEYWORD_LENGTH_LIMIT`).
const MAX_KEYWORD: usize = 512;

/// Where a filter applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FilterContext {
    /// The home timeline and list timelines.
    Home,
    /// The notifications' statuses.
    Notifications,
    /// The public and hashtag timelines.
    Public,
    /// The ancestors and descendants of a status.
    Thread,
    /// An account's statuses.
    Account,
}

impl FilterContext {
    pub fn parse(name: &str) -> Option<FilterContext> {
        match name {
            "home" => Some(FilterContext::Home),
            "notifications" => Some(FilterContext::Notifications),
            "public" => Some(FilterContext::Public),
            "thread" => Some(FilterContext::Thread),
            "account" => Some(FilterContext::Account),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            FilterContext::Home => "home",
            FilterContext::Notifications => "notifications",
            FilterContext::Public => "public",
            FilterContext::Thread => "thread",
            FilterContext::Account => "account",
        }
    }
}

/// What happens to a status a filter matches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FilterAction {
    /// Shown behind a warning naming the filter.
    Warn,
    /// Left out of what the owner reads in the filter's contexts.
    Hide,
    /// Shown with its media blurred behind a warning (Mastodon 4.4).
    Blur,
}

impl FilterAction {
    pub fn parse(name: &str) -> Option<FilterAction> {
        match name {
            "warn" => Some(FilterAction::Warn),
            "hide" => Some(FilterAction::Hide),
            "blur" => Some(FilterAction::Blur),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            FilterAction::Warn => "warn",
            FilterAction::Hide => "hide",
            FilterAction::Blur => "blur",
        }
    }
}

/// A filter with its keywords and statuses.
#[derive(Debug, Clone)]
pub struct Filter {
    pub id: i64,
    pub account_id: i64,
    pub title: String,
    pub context: Vec<FilterContext>,
    pub action: FilterAction,
    /// Unix milliseconds; `None` never expires.
    pub expires_at: Option<i64>,
    pub keywords: Vec<FilterKeyword>,
    pub statuses: Vec<FilterStatus>,
}

impl Filter {
    pub fn applies_in(&self, context: FilterContext) -> bool {
        self.context.contains(&context)
    }
}

#[derive(Debug, Clone)]
pub struct FilterKeyword {
    pub id: i64,
    pub filter_id: i64,
    pub keyword: String,
    /// Only where the keyword starts and ends at word boundaries.
    pub whole_word: bool,
}

impl From<FilterKeywordRow> for FilterKeyword {
    fn from(row: FilterKeywordRow) -> FilterKeyword {
        FilterKeyword {
            id: row.id,
            filter_id: row.filter_id,
            keyword: row.keyword,
            whole_word: row.whole_word,
        }
    }
}

/// A status a filter names.
#[derive(Debug, Clone)]
pub struct FilterStatus {
    pub id: i64,
    pub filter_id: i64,
    pub status_id: i64,
}

impl From<FilterStatusRow> for FilterStatus {
    fn from(row: FilterStatusRow) -> FilterStatus {
        FilterStatus {
            id: row.id,
            filter_id: row.filter_id,
            status_id: row.status_id,
        }
    }
}

/// Builds filters from their rows; keywords and statuses of other filters are ignored.
fn assemble(
    rows: Vec<FilterRow>,
    keywords: Vec<FilterKeywordRow>,
    statuses: Vec<FilterStatusRow>,
) -> Result<Vec<Filter>> {
    let mut keywords_by_filter: HashMap<i64, Vec<FilterKeyword>> = HashMap::new();
    for row in keywords {
        keywords_by_filter
            .entry(row.filter_id)
            .or_default()
            .push(row.into());
    }
    let mut statuses_by_filter: HashMap<i64, Vec<FilterStatus>> = HashMap::new();
    for row in statuses {
        statuses_by_filter
            .entry(row.filter_id)
            .or_default()
            .push(row.into());
    }
    rows.into_iter()
        .map(|row| {
            let corrupt = |what: &str| {
                CoreError::from(StoreError::Corrupt(format!(
                    "filter {} has {what} {:?}",
                    row.id, row
                )))
            };
            let context = row
                .context
                .split(',')
                .filter(|name| !name.is_empty())
                .map(|name| FilterContext::parse(name).ok_or_else(|| corrupt("context")))
                .collect::<Result<Vec<_>>>()?;
            let action = FilterAction::parse(&row.action).ok_or_else(|| corrupt("action"))?;
            Ok(Filter {
                keywords: keywords_by_filter.remove(&row.id).unwrap_or_default(),
                statuses: statuses_by_filter.remove(&row.id).unwrap_or_default(),
                id: row.id,
                account_id: row.account_id,
                title: row.title,
                context,
                action,
                expires_at: row.expires_at,
            })
        })
        .collect()
}

/// A filter as submitted. `None` leaves a value as it is (or, on creation, takes the default:
/// warn, never expire); creating a filter requires a title and a context. Contexts and the action
/// stay text until checked, so that every broken rule is named in one answer, as Mastodon does.
#[derive(Debug, Clone, Default)]
pub struct FilterDraft {
    pub title: Option<String>,
    pub context: Option<Vec<String>>,
    pub action: Option<String>,
    /// Seconds from now; `Some(None)` removes the expiry.
    pub expires_in: Option<Option<i64>>,
    /// Rails' nested attributes (`keywords_attributes[]`).
    pub keywords: Vec<KeywordDraft>,
}

/// One entry of `keywords_attributes[]`: with an `id` it changes or (`destroy`) deletes that
/// keyword of the filter; without, it adds one.
#[derive(Debug, Clone, Default)]
pub struct KeywordDraft {
    pub id: Option<i64>,
    pub keyword: Option<String>,
    pub whole_word: Option<bool>,
    pub destroy: bool,
}

impl KeywordDraft {
    /// Rails' `reject_if: :all_blank`: an entry with nothing in it (`_destroy` aside) is ignored.
    fn is_blank(&self) -> bool {
        self.id.is_none()
            && self.keyword.as_deref().is_none_or(is_blank)
            && self.whole_word != Some(true)
    }
}

/// Rails' `blank?` on text.
fn is_blank(text: &str) -> bool {
    text.trim().is_empty()
}

/// The broken rules of one submission, reported together as Rails does.
#[derive(Default)]
struct Violations(Vec<String>);

impl Violations {
    fn add(&mut self, message: impl Into<String>) {
        self.0.push(message.into());
    }

    fn into_result(self) -> Result<()> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(CoreError::Validation(format!(
                "Validation failed: {}",
                self.0.join(", ")
            )))
        }
    }
}

/// Checks a title: present and at most [`MAX_TITLE`] characters. `name` is the attribute as
/// the message calls it (`Title`; v1 clients know it as `Phrase`).
fn check_title(title: &str, name: &str, violations: &mut Violations) {
    if is_blank(title) {
        violations.add(format!("{name} can't be blank"));
    } else if title.chars().count() > MAX_TITLE {
        violations.add(format!(
            "{name} is too long (maximum is {MAX_TITLE} characters)"
        ));
    }
}

/// Mastodon strips the names and drops empty ones, then wants at least one, all known.
fn check_context(names: &[String], violations: &mut Violations) -> Vec<FilterContext> {
    let names: Vec<&str> = names
        .iter()
        .map(|name| name.trim())
        .filter(|name| !name.is_empty())
        .collect();
    if names.is_empty() {
        violations.add("Context can't be blank");
        violations.add("Context None or invalid context supplied");
        return Vec::new();
    }
    let mut contexts = Vec::new();
    for name in names {
        match FilterContext::parse(name) {
            Some(context) if !contexts.contains(&context) => contexts.push(context),
            Some(_) => {}
            None => {
                violations.add("Context None or invalid context supplied");
                return Vec::new();
            }
        }
    }
    contexts
}

/// An empty action is no action given, as the web form sends it.
fn check_action(name: Option<&str>, violations: &mut Violations) -> Option<FilterAction> {
    let name = name.filter(|name| !name.is_empty())?;
    let action = FilterAction::parse(name);
    if action.is_none() {
        violations.add("Action is not included in the list");
    }
    action
}

/// Checks a keyword; `name` is how the message calls it (`Keyword`, or `Keywords keyword`
/// inside a filter's nested attributes).
fn check_keyword(keyword: Option<&str>, name: &str, violations: &mut Violations) {
    match keyword {
        Some(keyword) if !is_blank(keyword) => {
            if keyword.chars().count() > MAX_KEYWORD {
                violations.add(format!(
                    "{name} is too long (maximum is {MAX_KEYWORD} characters)"
                ));
            }
        }
        _ => violations.add(format!("{name} can't be blank")),
    }
}

/// `expires_in` seconds from `now`, in milliseconds (Mastodon's `Expireable`).
fn expiry(now: i64, expires_in: Option<i64>) -> Option<i64> {
    expires_in.map(|seconds| now.saturating_add(seconds.saturating_mul(1000)))
}

fn context_column(context: &[FilterContext]) -> String {
    context
        .iter()
        .map(|context| context.as_str())
        .collect::<Vec<_>>()
        .join(",")
}

/// What a filter update does to one keyword.
enum KeywordChange {
    Add { keyword: String, whole_word: bool },
    Change(FilterKeywordRow),
    Remove(i64),
}

impl Woolly {
    /// Filters from their rows, with their keywords and statuses (two more queries).
    async fn with_rules(&self, rows: Vec<FilterRow>) -> Result<Vec<Filter>> {
        let ids: Vec<i64> = rows.iter().map(|row| row.id).collect();
        let keywords = self.db().keywords_of_filters(&ids).await?;
        let statuses = self.db().statuses_of_filters(&ids).await?;
        assemble(rows, keywords, statuses)
    }

    /// Announces on the owner's stream that their filters changed, so that clients reload them.
    fn filters_changed(&self, account_id: i64) {
        self.publish([Event::FiltersChanged { account_id }]);
    }
}

impl Filters<'_> {
    /// The viewer's filters with their keywords and statuses, oldest first.
    pub async fn all(&self, viewer: i64) -> Result<Vec<Filter>> {
        let rows = self.db().filters_of(viewer, None).await?;
        self.with_rules(rows).await
    }

    /// One of the viewer's filters; [`CoreError::NotFound`] for a missing or foreign one.
    pub async fn get(&self, viewer: i64, filter_id: i64) -> Result<Filter> {
        let row = self
            .db()
            .owned_filter(viewer, filter_id)
            .await?
            .ok_or(CoreError::NotFound)?;
        self.with_rules(vec![row])
            .await?
            .into_iter()
            .next()
            .ok_or(CoreError::NotFound)
    }

    /// Creates a filter with the keywords of `draft.keywords` (which may not name existing
    /// keywords: [`CoreError::NotFound`], as in Mastodon).
    pub async fn create(&self, owner: &Account, draft: FilterDraft) -> Result<Filter> {
        if draft.keywords.iter().any(|keyword| keyword.id.is_some()) {
            return Err(CoreError::NotFound);
        }
        let mut violations = Violations::default();
        let action = check_action(draft.action.as_deref(), &mut violations);
        let keywords: Vec<&KeywordDraft> = draft
            .keywords
            .iter()
            .filter(|keyword| !keyword.destroy && !keyword.is_blank())
            .collect();
        for keyword in &keywords {
            check_keyword(
                keyword.keyword.as_deref(),
                "Keywords keyword",
                &mut violations,
            );
        }
        let title = draft.title.unwrap_or_default();
        check_title(&title, "Title", &mut violations);
        let context = check_context(&draft.context.unwrap_or_default(), &mut violations);
        violations.into_result()?;

        let now = crate::now_millis();
        let mut tx = self.db().begin().await?;
        let row = FilterRow {
            id: tx.next_id(),
            account_id: owner.id,
            title,
            context: context_column(&context),
            action: action.unwrap_or(FilterAction::Warn).as_str().to_owned(),
            expires_at: expiry(now, draft.expires_in.flatten()),
            created_at: now,
        };
        tx.insert_filter(&row).await?;
        for keyword in keywords {
            tx.insert_filter_keyword(&FilterKeywordRow {
                id: tx.next_id(),
                filter_id: row.id,
                keyword: keyword.keyword.clone().unwrap_or_default(),
                whole_word: keyword.whole_word.unwrap_or(true),
                created_at: now,
            })
            .await?;
        }
        tx.commit().await?;
        self.filters_changed(owner.id);
        self.get(owner.id, row.id).await
    }

    /// Changes what the draft names and keeps the rest; its keyword entries add, change or
    /// delete keywords, all or none. A keyword id that is not this filter's is
    /// [`CoreError::NotFound`].
    pub async fn update(
        &self,
        owner: &Account,
        filter_id: i64,
        draft: FilterDraft,
    ) -> Result<Filter> {
        let filter = self.get(owner.id, filter_id).await?;
        let mut changes = Vec::new();
        let mut violations = Violations::default();
        let action = check_action(draft.action.as_deref(), &mut violations);
        for entry in &draft.keywords {
            match entry.id {
                Some(id) => {
                    let existing = filter
                        .keywords
                        .iter()
                        .find(|keyword| keyword.id == id)
                        .ok_or(CoreError::NotFound)?;
                    if entry.destroy {
                        changes.push(KeywordChange::Remove(id));
                        continue;
                    }
                    if entry.keyword.is_some() {
                        check_keyword(
                            entry.keyword.as_deref(),
                            "Keywords keyword",
                            &mut violations,
                        );
                    }
                    changes.push(KeywordChange::Change(FilterKeywordRow {
                        id,
                        filter_id,
                        keyword: entry
                            .keyword
                            .clone()
                            .unwrap_or_else(|| existing.keyword.clone()),
                        whole_word: entry.whole_word.unwrap_or(existing.whole_word),
                        created_at: 0,
                    }));
                }
                None if entry.destroy || entry.is_blank() => {}
                None => {
                    check_keyword(
                        entry.keyword.as_deref(),
                        "Keywords keyword",
                        &mut violations,
                    );
                    changes.push(KeywordChange::Add {
                        keyword: entry.keyword.clone().unwrap_or_default(),
                        whole_word: entry.whole_word.unwrap_or(true),
                    });
                }
            }
        }
        let title = draft.title.unwrap_or(filter.title);
        check_title(&title, "Title", &mut violations);
        let context = match &draft.context {
            Some(names) => check_context(names, &mut violations),
            None => filter.context,
        };
        violations.into_result()?;

        let now = crate::now_millis();
        let row = FilterRow {
            id: filter_id,
            account_id: owner.id,
            title,
            context: context_column(&context),
            action: action.unwrap_or(filter.action).as_str().to_owned(),
            expires_at: match draft.expires_in {
                Some(expires_in) => expiry(now, expires_in),
                None => filter.expires_at,
            },
            created_at: 0,
        };
        let mut tx = self.db().begin().await?;
        if !tx.update_filter(&row).await? {
            return Err(CoreError::NotFound);
        }
        for change in changes {
            let applied = match change {
                KeywordChange::Add {
                    keyword,
                    whole_word,
                } => {
                    tx.insert_filter_keyword(&FilterKeywordRow {
                        id: tx.next_id(),
                        filter_id,
                        keyword,
                        whole_word,
                        created_at: now,
                    })
                    .await?;
                    true
                }
                KeywordChange::Change(row) => tx.update_filter_keyword(owner.id, &row).await?,
                KeywordChange::Remove(id) => tx.delete_filter_keyword(owner.id, id).await?,
            };
            if !applied {
                // Deleted meanwhile by another request: as if it had never been there.
                return Err(CoreError::NotFound);
            }
        }
        tx.commit().await?;
        self.filters_changed(owner.id);
        self.get(owner.id, filter_id).await
    }

    /// Deletes a filter with its keywords and statuses.
    pub async fn delete(&self, owner: &Account, filter_id: i64) -> Result<()> {
        let mut tx = self.db().begin().await?;
        if !tx.delete_filter(owner.id, filter_id).await? {
            return Err(CoreError::NotFound);
        }
        tx.commit().await?;
        self.filters_changed(owner.id);
        Ok(())
    }

    /// The keywords of one of the viewer's filters, oldest first.
    pub async fn keywords(&self, viewer: i64, filter_id: i64) -> Result<Vec<FilterKeyword>> {
        Ok(self.get(viewer, filter_id).await?.keywords)
    }

    /// One of the viewer's keywords.
    pub async fn keyword(&self, viewer: i64, keyword_id: i64) -> Result<FilterKeyword> {
        self.db()
            .owned_filter_keyword(viewer, keyword_id)
            .await?
            .map(|(keyword, _)| keyword.into())
            .ok_or(CoreError::NotFound)
    }

    /// Adds a keyword to one of the owner's filters; `whole_word` defaults to true, as
    /// Mastodon's column does.
    pub async fn add_keyword(
        &self,
        owner: &Account,
        filter_id: i64,
        keyword: Option<String>,
        whole_word: Option<bool>,
    ) -> Result<FilterKeyword> {
        self.db()
            .owned_filter(owner.id, filter_id)
            .await?
            .ok_or(CoreError::NotFound)?;
        let mut violations = Violations::default();
        check_keyword(keyword.as_deref(), "Keyword", &mut violations);
        violations.into_result()?;
        let mut tx = self.db().begin().await?;
        let row = FilterKeywordRow {
            id: tx.next_id(),
            filter_id,
            keyword: keyword.unwrap_or_default(),
            whole_word: whole_word.unwrap_or(true),
            created_at: crate::now_millis(),
        };
        tx.insert_filter_keyword(&row).await?;
        tx.commit().await?;
        self.filters_changed(owner.id);
        Ok(row.into())
    }

    /// Changes what is given of one of the owner's keywords.
    pub async fn update_keyword(
        &self,
        owner: &Account,
        keyword_id: i64,
        keyword: Option<String>,
        whole_word: Option<bool>,
    ) -> Result<FilterKeyword> {
        let (mut row, _) = self
            .db()
            .owned_filter_keyword(owner.id, keyword_id)
            .await?
            .ok_or(CoreError::NotFound)?;
        if let Some(keyword) = keyword {
            let mut violations = Violations::default();
            check_keyword(Some(&keyword), "Keyword", &mut violations);
            violations.into_result()?;
            row.keyword = keyword;
        }
        if let Some(whole_word) = whole_word {
            row.whole_word = whole_word;
        }
        let mut tx = self.db().begin().await?;
        if !tx.update_filter_keyword(owner.id, &row).await? {
            return Err(CoreError::NotFound);
        }
        tx.commit().await?;
        self.filters_changed(owner.id);
        Ok(row.into())
    }

    pub async fn delete_keyword(&self, owner: &Account, keyword_id: i64) -> Result<()> {
        let mut tx = self.db().begin().await?;
        if !tx.delete_filter_keyword(owner.id, keyword_id).await? {
            return Err(CoreError::NotFound);
        }
        tx.commit().await?;
        self.filters_changed(owner.id);
        Ok(())
    }

    /// The statuses of one of the viewer's filters, oldest first.
    pub async fn status_filters(&self, viewer: i64, filter_id: i64) -> Result<Vec<FilterStatus>> {
        Ok(self.get(viewer, filter_id).await?.statuses)
    }

    /// One of the viewer's filtered statuses.
    pub async fn status_filter(&self, viewer: i64, id: i64) -> Result<FilterStatus> {
        self.db()
            .owned_filter_status(viewer, id)
            .await?
            .map(FilterStatus::from)
            .ok_or(CoreError::NotFound)
    }

    /// Adds a status the owner can see to one of their filters, once. `None` is a status id
    /// that names no status.
    pub async fn add_status_filter(
        &self,
        owner: &Account,
        filter_id: i64,
        status_id: Option<i64>,
    ) -> Result<FilterStatus> {
        self.db()
            .owned_filter(owner.id, filter_id)
            .await?
            .ok_or(CoreError::NotFound)?;
        // Mastodon says "Status is invalid" for a status the owner may not see; saying the same
        // as for a missing one keeps private statuses from being probed for.
        let missing = || CoreError::Validation("Validation failed: Status must exist".into());
        let status_id = status_id.ok_or_else(missing)?;
        if !self
            .db()
            .status_is_visible(status_id, Some(owner.id))
            .await?
        {
            return Err(missing());
        }
        let mut tx = self.db().begin().await?;
        let row = FilterStatusRow {
            id: tx.next_id(),
            filter_id,
            status_id,
            created_at: crate::now_millis(),
        };
        match tx.insert_filter_status(&row).await {
            Ok(()) => {}
            Err(StoreError::Conflict(_)) => {
                return Err(CoreError::Validation(
                    "Validation failed: Status has already been taken".into(),
                ));
            }
            Err(error) => return Err(error.into()),
        }
        tx.commit().await?;
        self.filters_changed(owner.id);
        Ok(row.into())
    }

    pub async fn delete_status_filter(&self, owner: &Account, id: i64) -> Result<()> {
        let mut tx = self.db().begin().await?;
        if !tx.delete_filter_status(owner.id, id).await? {
            return Err(CoreError::NotFound);
        }
        tx.commit().await?;
        self.filters_changed(owner.id);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contexts_and_actions_parse_and_print() {
        for name in ["home", "notifications", "public", "thread", "account"] {
            assert_eq!(
                FilterContext::parse(name).map(FilterContext::as_str),
                Some(name)
            );
        }
        assert_eq!(FilterContext::parse("profile"), None);
        for name in ["warn", "hide", "blur"] {
            assert_eq!(
                FilterAction::parse(name).map(FilterAction::as_str),
                Some(name)
            );
        }
        assert_eq!(FilterAction::parse("drop"), None);
    }

    #[test]
    fn broken_rules_are_named_together_as_mastodon_names_them() {
        let mut violations = Violations::default();
        check_title("  ", "Title", &mut violations);
        let context = check_context(&[" ".to_owned()], &mut violations);
        assert!(context.is_empty());
        match violations.into_result() {
            Err(CoreError::Validation(message)) => assert_eq!(
                message,
                "Validation failed: Title can't be blank, Context can't be blank, \
                 Context None or invalid context supplied"
            ),
            other => panic!("expected a validation error, got {other:?}"),
        }
    }

    #[test]
    fn contexts_are_trimmed_deduplicated_and_must_all_be_known() {
        let mut violations = Violations::default();
        let names = [" home", "public ", "home", ""].map(str::to_owned);
        assert_eq!(
            check_context(&names, &mut violations),
            vec![FilterContext::Home, FilterContext::Public]
        );
        assert!(violations.0.is_empty());
        check_context(&["home".to_owned(), "timeline".to_owned()], &mut violations);
        assert_eq!(
            violations.0,
            vec!["Context None or invalid context supplied"]
        );
    }

    #[test]
    fn titles_and_keywords_have_mastodon_limits() {
        let mut violations = Violations::default();
        check_title(&"t".repeat(MAX_TITLE), "Title", &mut violations);
        check_keyword(Some(&"k".repeat(MAX_KEYWORD)), "Keyword", &mut violations);
        assert!(violations.0.is_empty());
        check_title(&"t".repeat(MAX_TITLE + 1), "Title", &mut violations);
        check_keyword(
            Some(&"k".repeat(MAX_KEYWORD + 1)),
            "Keyword",
            &mut violations,
        );
        check_keyword(None, "Keyword", &mut violations);
        assert_eq!(
            violations.0,
            vec![
                "Title is too long (maximum is 256 characters)",
                "Keyword is too long (maximum is 512 characters)",
                "Keyword can't be blank",
            ]
        );
    }

    #[test]
    fn an_empty_keyword_entry_is_ignored_as_rails_rejects_all_blank_ones() {
        assert!(KeywordDraft::default().is_blank());
        assert!(
            KeywordDraft {
                keyword: Some(" ".into()),
                whole_word: Some(false),
                ..KeywordDraft::default()
            }
            .is_blank()
        );
        assert!(
            !KeywordDraft {
                whole_word: Some(true),
                ..KeywordDraft::default()
            }
            .is_blank()
        );
    }
}
