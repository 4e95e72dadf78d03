//! The v1 filters API (Mastodon 2.4 to 3.5), where a filter was one phrase, mapped onto filters
//! the way Mastodon 4 maps it (`app/controllers/api/v1/filters_controller.rb`): a v1 filter is
//! one keyword of a filter. Its id is the keyword's; `phrase` and `whole_word` are the keyword's;
//! `context`, `expires_at` and `irreversible` (a `hide` action) are its filter's.
//!
//! Creating one makes a filter titled by the phrase, with that one keyword. Deleting one deletes
//! the keyword and leaves the filter. Changing the filter's context, action or expiry through it
//! is refused while the filter has other keywords, since they would change too. Where Mastodon's
//! code and documentation disagree, the documentation wins: changing the phrase is always
//! allowed (the title follows it only while the keyword is the filter's only one).

use woolly_store::FilterKeywordRow;

use super::{
    Filter, FilterAction, FilterKeyword, Violations, assemble, check_context, check_title,
    context_column, expiry,
};
use crate::accounts::Account;
use crate::areas::Filters;
use crate::error::{CoreError, Result};

/// A v1 filter: one keyword and the filter it belongs to.
#[derive(Debug, Clone)]
pub struct V1Filter {
    pub keyword: FilterKeyword,
    pub filter: Filter,
}

impl V1Filter {
    /// Mastodon 3's "drop on the server" flag, which became the `hide` action.
    pub fn irreversible(&self) -> bool {
        self.filter.action == FilterAction::Hide
    }
}

/// A v1 filter as submitted; `None` keeps a value (or, on creation, takes the default: not
/// irreversible, whole words, never expire). Creating one requires a phrase and a context.
#[derive(Debug, Clone, Default)]
pub struct V1FilterDraft {
    pub phrase: Option<String>,
    pub context: Option<Vec<String>>,
    pub irreversible: Option<bool>,
    pub whole_word: Option<bool>,
    /// Seconds from now; `Some(None)` removes the expiry.
    pub expires_in: Option<Option<i64>>,
}

fn action_of(irreversible: bool) -> FilterAction {
    if irreversible {
        FilterAction::Hide
    } else {
        FilterAction::Warn
    }
}

/// The message Mastodon answers with when a v1 change would reach other keywords.
const MULTIPLE_KEYWORDS: &str = "These parameters cannot be changed from this application \
     because they apply to more than one filter keyword. Use a more recent application or the \
     web interface.";

impl Filters<'_> {
    /// Every keyword of the viewer's filters as a v1 filter, oldest first; filters of statuses
    /// alone have no v1 form.
    pub async fn v1_filters(&self, viewer: i64) -> Result<Vec<V1Filter>> {
        let mut v1_filters: Vec<V1Filter> = self
            .all(viewer)
            .await?
            .into_iter()
            .flat_map(|filter| {
                let keywords = filter.keywords.clone();
                keywords.into_iter().map(move |keyword| V1Filter {
                    keyword,
                    filter: filter.clone(),
                })
            })
            .collect();
        v1_filters.sort_by_key(|v1_filter| v1_filter.keyword.id);
        Ok(v1_filters)
    }

    /// One of the viewer's keywords as a v1 filter.
    pub async fn v1_filter(&self, viewer: i64, keyword_id: i64) -> Result<V1Filter> {
        let (keyword, filter) = self
            .db()
            .owned_filter_keyword(viewer, keyword_id)
            .await?
            .ok_or(CoreError::NotFound)?;
        let filter = assemble(vec![filter], Vec::new(), Vec::new())?
            .into_iter()
            .next()
            .ok_or(CoreError::NotFound)?;
        Ok(V1Filter {
            keyword: keyword.into(),
            filter,
        })
    }

    /// Creates a filter titled by the phrase, with the phrase as its one keyword.
    pub async fn create_v1_filter(
        &self,
        owner: &Account,
        draft: V1FilterDraft,
    ) -> Result<V1Filter> {
        let mut violations = Violations::default();
        let phrase = draft.phrase.unwrap_or_default();
        check_title(&phrase, "Phrase", &mut violations);
        let context = check_context(&draft.context.unwrap_or_default(), &mut violations);
        violations.into_result()?;
        let now = crate::now_millis();
        let mut tx = self.db().begin().await?;
        let filter = woolly_store::FilterRow {
            id: tx.next_id(),
            account_id: owner.id,
            title: phrase.clone(),
            context: context_column(&context),
            action: action_of(draft.irreversible.unwrap_or(false))
                .as_str()
                .to_owned(),
            expires_at: expiry(now, draft.expires_in.flatten()),
            created_at: now,
        };
        tx.insert_filter(&filter).await?;
        let keyword = FilterKeywordRow {
            id: tx.next_id(),
            filter_id: filter.id,
            keyword: phrase,
            whole_word: draft.whole_word.unwrap_or(true),
            created_at: now,
        };
        tx.insert_filter_keyword(&keyword).await?;
        tx.commit().await?;
        self.filters_changed(owner.id);
        self.v1_filter(owner.id, keyword.id).await
    }

    /// Changes what the draft names; see the module notes for what may change when the filter
    /// has other keywords.
    pub async fn update_v1_filter(
        &self,
        owner: &Account,
        keyword_id: i64,
        draft: V1FilterDraft,
    ) -> Result<V1Filter> {
        let V1Filter {
            keyword: current,
            filter,
        } = self.v1_filter(owner.id, keyword_id).await?;
        let mut violations = Violations::default();
        if let Some(phrase) = &draft.phrase {
            check_title(phrase, "Phrase", &mut violations);
        }
        let context = match &draft.context {
            Some(names) => check_context(names, &mut violations),
            None => filter.context.clone(),
        };
        violations.into_result()?;
        let action = draft.irreversible.map_or(filter.action, action_of);
        let expires_at = match draft.expires_in {
            Some(expires_in) => expiry(crate::now_millis(), expires_in),
            None => filter.expires_at,
        };
        let filter_changes =
            context != filter.context || action != filter.action || expires_at != filter.expires_at;

        let mut tx = self.db().begin().await?;
        let alone = tx.count_filter_keywords(filter.id).await? <= 1;
        if filter_changes && !alone {
            return Err(CoreError::Validation(MULTIPLE_KEYWORDS.into()));
        }
        let phrase = draft.phrase.unwrap_or(current.keyword);
        let title = if alone {
            phrase.clone()
        } else {
            filter.title.clone()
        };
        let updated = tx
            .update_filter(&woolly_store::FilterRow {
                id: filter.id,
                account_id: owner.id,
                title,
                context: context_column(&context),
                action: action.as_str().to_owned(),
                expires_at,
                created_at: 0,
            })
            .await?
            && tx
                .update_filter_keyword(
                    owner.id,
                    &FilterKeywordRow {
                        id: keyword_id,
                        filter_id: filter.id,
                        keyword: phrase,
                        whole_word: draft.whole_word.unwrap_or(current.whole_word),
                        created_at: 0,
                    },
                )
                .await?;
        if !updated {
            return Err(CoreError::NotFound);
        }
        tx.commit().await?;
        self.filters_changed(owner.id);
        self.v1_filter(owner.id, keyword_id).await
    }

    /// Deletes the keyword behind a v1 filter (its filter stays, as in Mastodon 4).
    pub async fn delete_v1_filter(&self, owner: &Account, keyword_id: i64) -> Result<()> {
        self.delete_keyword(owner, keyword_id).await
    }
}
