//! What moderators keep about an account for each other: notes (Mastodon's account moderation
//! notes), and its history, the audit log's entries about it. Neither is ever shown to the
//! account.

use woolly_store::{AccountNoteRow, AdminActionRow};

use crate::account_moderation::{ModeratedAccount, Moderator, Target, log_action};
use crate::accounts::{Account, permission};
use crate::areas::Moderation;
use crate::error::{CoreError, Result};

/// Mastodon's `AccountModerationNote::CONTENT_SIZE_LIMIT`.
const MAX_NOTE: usize = 2_000;
/// The entries of an account's history shown at once.
const HISTORY: i64 = 50;

/// A moderator's note about an account.
#[derive(Debug, Clone)]
pub struct AccountNote {
    pub id: i64,
    pub author: Account,
    pub content: String,
    pub created_at: i64,
    /// Whether the reader may delete it: its author, or one whose role outranks the author's.
    pub deletable: bool,
}

impl Moderation<'_> {
    /// The notes about `target_id`, oldest first.
    pub async fn account_notes(
        &self,
        by: Moderator<'_>,
        target_id: i64,
    ) -> Result<Vec<AccountNote>> {
        by.require(permission::MANAGE_USERS)?;
        let rows = self.db().account_notes(target_id).await?;
        let author_ids: Vec<i64> = rows.iter().map(|row| row.account_id).collect();
        let authors = self.moderated_accounts(&author_ids).await?;
        Ok(rows
            .into_iter()
            .filter_map(|row| {
                let author = authors
                    .iter()
                    .find(|found| found.account.id == row.account_id)?;
                let deletable = may_delete(by, author);
                Some(AccountNote {
                    id: row.id,
                    author: author.account.clone(),
                    content: row.content,
                    created_at: row.created_at,
                    deletable,
                })
            })
            .collect())
    }

    /// Writes a note about `target_id` (422 when empty or longer than 2,000 characters); the
    /// operator at the terminal writes none, having no account to sign it with.
    pub async fn add_account_note(
        &self,
        by: Moderator<'_>,
        target_id: i64,
        content: &str,
    ) -> Result<i64> {
        by.require(permission::MANAGE_USERS)?;
        let Some(author) = by.account_id() else {
            return Err(CoreError::Forbidden(
                "Notes are signed by a moderator's account".into(),
            ));
        };
        let content = content.trim();
        if content.is_empty() {
            return Err(CoreError::Validation(
                "Validation failed: Content can't be blank".into(),
            ));
        }
        if content.chars().count() > MAX_NOTE {
            return Err(CoreError::Validation(format!(
                "Validation failed: Content is too long (maximum is {MAX_NOTE} characters)"
            )));
        }
        let target = self
            .moderated_accounts(&[target_id])
            .await?
            .pop()
            .ok_or(CoreError::NotFound)?;
        let now = crate::now_millis();
        let mut tx = self.db().begin().await?;
        let id = tx.next_id();
        tx.insert_account_note(&AccountNoteRow {
            id,
            account_id: author,
            target_account_id: target_id,
            content: content.to_owned(),
            created_at: now,
        })
        .await?;
        log_action(
            &mut tx,
            by,
            "create",
            Target::AccountNote(id, &target.account),
            now,
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Deletes a note: its author may, and those whose role outranks the author's (403
    /// otherwise).
    pub async fn delete_account_note(&self, by: Moderator<'_>, note_id: i64) -> Result<()> {
        by.require(permission::MANAGE_USERS)?;
        let note = self
            .db()
            .account_note(note_id)
            .await?
            .ok_or(CoreError::NotFound)?;
        let found = self
            .moderated_accounts(&[note.account_id, note.target_account_id])
            .await?;
        let author = found
            .iter()
            .find(|found| found.account.id == note.account_id);
        let target = found
            .iter()
            .find(|found| found.account.id == note.target_account_id)
            .ok_or(CoreError::NotFound)?;
        if !author.is_some_and(|author| may_delete(by, author)) {
            return Err(CoreError::Forbidden("This action is not allowed".into()));
        }
        let now = crate::now_millis();
        let mut tx = self.db().begin().await?;
        tx.delete_account_note(note_id).await?;
        log_action(
            &mut tx,
            by,
            "destroy",
            Target::AccountNote(note_id, &target.account),
            now,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The latest actions on an account (on it or its user), newest first.
    pub async fn account_history(
        &self,
        by: Moderator<'_>,
        target_id: i64,
    ) -> Result<Vec<AdminActionRow>> {
        by.require(permission::MANAGE_USERS)?;
        let kinds = ["Account".to_owned(), "User".to_owned()];
        Ok(self
            .db()
            .admin_actions_on(&kinds, target_id, HISTORY)
            .await?)
    }
}

/// Whether `by` may delete a note `author` wrote: its author may, and those whose role
/// outranks the author's.
fn may_delete(by: Moderator<'_>, author: &ModeratedAccount) -> bool {
    by.account_id() == Some(author.account.id)
        || author
            .user
            .as_ref()
            .is_none_or(|user| by.outranks(user.role))
}
