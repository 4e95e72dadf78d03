//! Lists (`methods/lists.md`): named groups of accounts the owner follows, each with a timeline
//! of its members' posts.
//!
//! A list is private to its owner: anyone else's list is answered exactly like one that does not
//! exist. As in Mastodon, only followed accounts (and the owner) may be members, and a member
//! leaves every list of the owner's when the follow ends (`Tx::delete_follow` does it in the
//! same transaction). The rule for which replies a list timeline shows is spelled in SQL by
//! `woolly_store`'s `list_timeline`; this module only names the policies.

use std::collections::{HashMap, HashSet};
use std::fmt;

use woolly_store::{ListRow, Page, StoreError};

use crate::accounts::Account;
use crate::areas::{Lists, Timelines};
use crate::error::{CoreError, Result};

/// The longest title a list may have.
const MAX_TITLE: usize = 255;
/// How many lists one account may own (Mastodon's `List::PER_ACCOUNT_LIMIT`).
const MAX_LISTS: i64 = 50;

/// Which replies a list timeline shows, besides self-replies (threads), which it always shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RepliesPolicy {
    /// Replies to the owner and to any account the owner follows.
    Followed,
    /// Replies to the owner and to members of the list (Mastodon's default).
    List,
    /// No replies to others at all.
    None,
}

impl RepliesPolicy {
    pub fn parse(text: &str) -> Result<RepliesPolicy> {
        match text {
            "followed" => Ok(RepliesPolicy::Followed),
            "list" => Ok(RepliesPolicy::List),
            "none" => Ok(RepliesPolicy::None),
            other => Err(CoreError::Validation(format!(
                "Validation failed: Replies policy {other:?} is not one of followed, list, none"
            ))),
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            RepliesPolicy::Followed => "followed",
            RepliesPolicy::List => "list",
            RepliesPolicy::None => "none",
        }
    }
}

impl fmt::Display for RepliesPolicy {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(self.as_str())
    }
}

/// A list, as its owner sees it.
#[derive(Debug, Clone)]
pub struct List {
    pub id: i64,
    pub account_id: i64,
    pub title: String,
    pub replies_policy: RepliesPolicy,
    /// Mastodon 4.2's exclusive lists: members' posts are meant for the list rather than the
    /// home timeline.
    pub exclusive: bool,
}

impl TryFrom<ListRow> for List {
    type Error = CoreError;

    fn try_from(row: ListRow) -> Result<List> {
        let replies_policy = RepliesPolicy::parse(&row.replies_policy).map_err(|_| {
            StoreError::Corrupt(format!(
                "list {} has replies_policy {:?}",
                row.id, row.replies_policy
            ))
        })?;
        Ok(List {
            id: row.id,
            account_id: row.account_id,
            title: row.title,
            replies_policy,
            exclusive: row.exclusive,
        })
    }
}

/// A list's title and settings as submitted; `None` leaves a value as it is (or, on creation,
/// takes the default). Creating a list requires a title.
#[derive(Debug, Clone, Default)]
pub struct ListEdit {
    pub title: Option<String>,
    pub replies_policy: Option<RepliesPolicy>,
    pub exclusive: Option<bool>,
}

/// Mastodon's checks on a title: present, not blank, not too long.
fn check_title(title: &str) -> Result<()> {
    if title.trim().is_empty() {
        return Err(CoreError::Validation(
            "Validation failed: Title can't be blank".into(),
        ));
    }
    if title.chars().count() > MAX_TITLE {
        return Err(CoreError::Validation(format!(
            "Validation failed: Title is too long (maximum is {MAX_TITLE} characters)"
        )));
    }
    Ok(())
}

impl Lists<'_> {
    /// The viewer's lists, oldest first.
    pub async fn all(&self, viewer: i64) -> Result<Vec<List>> {
        self.db()
            .lists_of(viewer)
            .await?
            .into_iter()
            .map(List::try_from)
            .collect()
    }

    /// One of the viewer's lists; [`CoreError::NotFound`] for a missing or foreign one.
    pub async fn get(&self, viewer: i64, list_id: i64) -> Result<List> {
        self.db()
            .owned_list(viewer, list_id)
            .await?
            .ok_or(CoreError::NotFound)
            .and_then(List::try_from)
    }

    pub async fn create(&self, owner: &Account, edit: ListEdit) -> Result<List> {
        let title = edit.title.unwrap_or_default();
        check_title(&title)?;
        let mut tx = self.db().begin().await?;
        if tx.count_lists(owner.id).await? >= MAX_LISTS {
            return Err(CoreError::Validation(format!(
                "Validation failed: You cannot have more than {MAX_LISTS} lists"
            )));
        }
        let row = ListRow {
            id: tx.next_id(),
            account_id: owner.id,
            title,
            replies_policy: edit
                .replies_policy
                .unwrap_or(RepliesPolicy::List)
                .as_str()
                .to_owned(),
            exclusive: edit.exclusive.unwrap_or(false),
            created_at: crate::now_millis(),
        };
        tx.insert_list(&row).await?;
        tx.commit().await?;
        List::try_from(row)
    }

    /// Changes what the edit names and keeps the rest.
    pub async fn update(&self, owner: &Account, list_id: i64, edit: ListEdit) -> Result<List> {
        let mut row = self
            .db()
            .owned_list(owner.id, list_id)
            .await?
            .ok_or(CoreError::NotFound)?;
        if let Some(title) = edit.title {
            check_title(&title)?;
            row.title = title;
        }
        if let Some(policy) = edit.replies_policy {
            row.replies_policy = policy.as_str().to_owned();
        }
        if let Some(exclusive) = edit.exclusive {
            row.exclusive = exclusive;
        }
        let mut tx = self.db().begin().await?;
        if !tx.update_list(&row).await? {
            return Err(CoreError::NotFound);
        }
        tx.commit().await?;
        List::try_from(row)
    }

    pub async fn delete(&self, owner: &Account, list_id: i64) -> Result<()> {
        let mut tx = self.db().begin().await?;
        if !tx.delete_list(owner.id, list_id).await? {
            return Err(CoreError::NotFound);
        }
        tx.commit().await?;
        Ok(())
    }

    /// A page of a list's members, each paired with its cursor (its own id); `None` is every
    /// member at once.
    pub async fn members(
        &self,
        viewer: i64,
        list_id: i64,
        page: Option<Page>,
    ) -> Result<Vec<(i64, Account)>> {
        self.get(viewer, list_id).await?;
        let ids = self.db().list_account_ids(list_id, page).await?;
        let mut accounts: HashMap<i64, Account> = self.accounts_by_id(&ids).await?;
        Ok(ids
            .into_iter()
            .filter_map(|id| accounts.remove(&id).map(|account| (id, account)))
            .collect())
    }

    /// Adds accounts to one of the owner's lists, all or none: an unknown account is
    /// [`CoreError::NotFound`], one the owner does not follow a validation error. Adding a
    /// member again changes nothing.
    pub async fn add_members(
        &self,
        owner: &Account,
        list_id: i64,
        account_ids: &[i64],
    ) -> Result<()> {
        self.get(owner.id, list_id).await?;
        let mut seen = HashSet::new();
        let unique: Vec<i64> = account_ids
            .iter()
            .copied()
            .filter(|id| seen.insert(*id))
            .collect();
        if self.db().accounts_by_ids(&unique).await?.len() != unique.len() {
            return Err(CoreError::NotFound);
        }
        let now = crate::now_millis();
        let mut tx = self.db().begin().await?;
        for account_id in unique {
            // Owners may list themselves without following themselves, as in Mastodon.
            let follow_id = if account_id == owner.id {
                None
            } else {
                let follow_id = tx.follow_id(owner.id, account_id).await?.ok_or_else(|| {
                    CoreError::Validation(
                        "Validation failed: Account follow relationship missing".into(),
                    )
                })?;
                Some(follow_id)
            };
            tx.insert_list_account(list_id, account_id, follow_id, now)
                .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Removes accounts from one of the owner's lists; non-members are ignored.
    pub async fn remove_members(
        &self,
        owner: &Account,
        list_id: i64,
        account_ids: &[i64],
    ) -> Result<()> {
        self.get(owner.id, list_id).await?;
        let mut tx = self.db().begin().await?;
        for account_id in account_ids {
            tx.delete_list_account(list_id, *account_id).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// The viewer's lists that contain an account.
    pub async fn containing(&self, viewer: i64, account_id: i64) -> Result<Vec<List>> {
        self.accounts()
            .account(account_id)
            .await?
            .ok_or(CoreError::NotFound)?;
        self.db()
            .lists_containing(viewer, account_id)
            .await?
            .into_iter()
            .map(List::try_from)
            .collect()
    }
}

impl Timelines<'_> {
    /// A page of one of the viewer's list timelines.
    pub async fn list(
        &self,
        viewer: i64,
        list_id: i64,
        page: Page,
    ) -> Result<crate::filters::Listing> {
        self.lists().get(viewer, list_id).await?;
        let ids = self.db().list_timeline(viewer, list_id, page).await?;
        self.listed_views(Some(viewer), &ids, crate::filters::FilterContext::Home)
            .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replies_policies_parse_and_print() -> Result<()> {
        for name in ["followed", "list", "none"] {
            assert_eq!(RepliesPolicy::parse(name)?.as_str(), name);
        }
        assert!(RepliesPolicy::parse("everyone").is_err());
        assert!(RepliesPolicy::parse("").is_err());
        Ok(())
    }

    #[test]
    fn titles_must_be_present_and_short() {
        assert!(check_title("Friends").is_ok());
        assert!(check_title("   ").is_err());
        assert!(check_title(&"x".repeat(MAX_TITLE)).is_ok());
        assert!(check_title(&"x".repeat(MAX_TITLE + 1)).is_err());
    }
}
