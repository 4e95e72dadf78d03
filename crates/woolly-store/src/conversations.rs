//! Direct conversations per participant.

use crate::arrays::{List, in_list};
use crate::connect::{Db, on_reader, on_writer};
use crate::error::Result;
use crate::statuses::Page;

/// One participant's view of a conversation.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ConversationRow {
    pub id: i64,
    pub account_id: i64,
    pub participant_ids: String,
    pub last_status_id: Option<i64>,
    pub unread: bool,
}

/// What a participant does with a conversation of theirs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConversationChange {
    MarkRead,
    /// Takes it off their list (a new message brings it back).
    Remove,
}

/// A conversation moves to the status only if it is not older than the one it shows (equal, for a
/// job run twice), or if it shows none (taken off the list).
const UPSERT_CONVERSATION: &str = "INSERT INTO account_conversation \
     (id, account_id, participant_ids, last_status_id, unread, updated_at) \
     VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (account_id, participant_ids) DO UPDATE SET \
     last_status_id = CASE WHEN account_conversation.last_status_id IS NULL \
       OR excluded.last_status_id >= account_conversation.last_status_id \
       THEN excluded.last_status_id ELSE account_conversation.last_status_id END, \
     unread = CASE WHEN account_conversation.last_status_id IS NULL \
       OR excluded.last_status_id >= account_conversation.last_status_id \
       THEN excluded.unread ELSE account_conversation.unread END, \
     updated_at = CASE WHEN account_conversation.last_status_id IS NULL \
       OR excluded.last_status_id >= account_conversation.last_status_id \
       THEN excluded.updated_at ELSE account_conversation.updated_at END \
     RETURNING id";

impl Db {
    /// Moves a participant's conversation to `status_id` (creating it); returns its id.
    /// Running it twice for the same status changes nothing more, and a status older than the
    /// conversation's last one (its fan-out job ran late) leaves the conversation as it is.
    pub async fn upsert_conversation(
        &self,
        account_id: i64,
        participant_ids: &str,
        status_id: i64,
        unread: bool,
        now: i64,
    ) -> Result<i64> {
        let id = self.next_id();
        let (conversation_id,): (i64,) = on_writer!(self, pool => sqlx::query_as(UPSERT_CONVERSATION)
        .bind(id)
        .bind(account_id)
        .bind(participant_ids)
        .bind(status_id)
        .bind(unread)
        .bind(now)
        .fetch_one(pool)
        .await)?;
        Ok(conversation_id)
    }

    /// A participant's conversations with a status, most recent first, paged on the latest
    /// status's id.
    pub async fn conversations_page(
        &self,
        account_id: i64,
        page: Page,
    ) -> Result<Vec<ConversationRow>> {
        let order = if page.min_id.is_some() { "ASC" } else { "DESC" };
        let sql = format!(
            "SELECT id, account_id, participant_ids, last_status_id, unread FROM account_conversation \
             WHERE account_id = $1 AND last_status_id IS NOT NULL AND ($2 IS NULL OR last_status_id < $2) \
             AND ($3 IS NULL OR last_status_id > $3) ORDER BY last_status_id {order} LIMIT $4"
        );
        let mut rows = on_reader!(self, pool => sqlx::query_as::<_, ConversationRow>(&sql)
            .bind(account_id)
            .bind(page.max_id)
            .bind(page.since_id.or(page.min_id))
            .bind(page.limit)
            .fetch_all(pool)
            .await)?;
        if page.min_id.is_some() {
            rows.reverse();
        }
        Ok(rows)
    }

    pub async fn conversation(&self, account_id: i64, id: i64) -> Result<Option<ConversationRow>> {
        let row = on_reader!(self, pool => sqlx::query_as::<_, ConversationRow>(
            "SELECT id, account_id, participant_ids, last_status_id, unread FROM account_conversation \
             WHERE account_id = $1 AND id = $2",
        )
        .bind(account_id)
        .bind(id)
        .fetch_optional(pool)
        .await)?;
        Ok(row)
    }

    /// Marks read or removes a participant's conversation; false if unknown.
    pub async fn update_conversation(
        &self,
        account_id: i64,
        id: i64,
        change: ConversationChange,
    ) -> Result<bool> {
        let sql = match change {
            ConversationChange::Remove => {
                "DELETE FROM account_conversation WHERE account_id = $1 AND id = $2"
            }
            ConversationChange::MarkRead => {
                "UPDATE account_conversation SET unread = FALSE WHERE account_id = $1 AND id = $2"
            }
        };
        let changed = on_writer!(rows_affected, self, pool => sqlx::query(sql)
            .bind(account_id)
            .bind(id)
            .execute(pool)
            .await)?;
        Ok(changed == 1)
    }

    /// Which of the accounts are local.
    pub async fn local_among(&self, account_ids: &[i64]) -> Result<Vec<i64>> {
        if account_ids.is_empty() {
            return Ok(Vec::new());
        }
        let sql = format!(
            "SELECT account_id FROM local_user WHERE account_id {}",
            in_list(self.engine(), "$1")
        );
        let rows: Vec<(i64,)> = on_reader!(self, pool => sqlx::query_as(&sql)
            .bind(List(account_ids))
            .fetch_all(pool)
            .await)?;
        Ok(rows.into_iter().map(|(id,)| id).collect())
    }
}
