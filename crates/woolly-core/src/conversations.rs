//! Direct conversations (`/api/v1/conversations`): each local participant of a direct status
//! sees one conversation per set of people, with its latest status, unread until they read it.
//! They are recorded by the fan-out job, so they are safe to record twice.

use woolly_store::Page;

use crate::accounts::Account;
use crate::areas::Conversations;
use crate::error::{CoreError, Result};
use crate::events::Event;
use crate::state::Woolly;
use crate::statuses::{Status, StatusView};

/// One participant's view of a conversation.
#[derive(Debug, Clone)]
pub struct ConversationView {
    pub id: i64,
    pub unread: bool,
    /// The other participants.
    pub accounts: Vec<Account>,
    pub last_status: Option<StatusView>,
}

impl Woolly {
    /// Records a direct status in the conversations of its local participants; returns the
    /// events that tell their `direct` streams.
    pub(crate) async fn record_conversation(&self, status: &Status) -> Result<Vec<Event>> {
        let mut participants: Vec<i64> = self
            .db()
            .mentions_of(&[status.id])
            .await?
            .into_iter()
            .map(|(_, account)| account)
            .collect();
        participants.push(status.account_id);
        participants.sort_unstable();
        participants.dedup();
        let mut events = Vec::new();
        let now = crate::now_millis();
        for participant in self.db().local_among(&participants).await? {
            let others: Vec<String> = participants
                .iter()
                .filter(|id| **id != participant)
                .map(i64::to_string)
                .collect();
            let unread = participant != status.account_id;
            let conversation_id = self
                .db()
                .upsert_conversation(participant, &others.join(","), status.id, unread, now)
                .await?;
            events.push(Event::Conversation {
                account_id: participant,
                conversation_id,
            });
        }
        Ok(events)
    }

    async fn conversation_views(
        &self,
        viewer: i64,
        rows: Vec<woolly_store::ConversationRow>,
    ) -> Result<Vec<ConversationView>> {
        let participant_ids: Vec<i64> = rows
            .iter()
            .flat_map(|row| {
                row.participant_ids
                    .split(',')
                    .filter_map(|id| id.parse().ok())
            })
            .collect();
        let accounts = self.accounts_by_id(&participant_ids).await?;
        let status_ids: Vec<i64> = rows.iter().filter_map(|row| row.last_status_id).collect();
        let statuses = self.visible_views_by_id(viewer, &status_ids).await?;
        Ok(rows
            .into_iter()
            .map(|row| ConversationView {
                id: row.id,
                unread: row.unread,
                accounts: row
                    .participant_ids
                    .split(',')
                    .filter_map(|id| id.parse::<i64>().ok())
                    .filter_map(|id| accounts.get(&id).cloned())
                    .collect(),
                last_status: row.last_status_id.and_then(|id| statuses.get(&id).cloned()),
            })
            .collect())
    }
}

impl Conversations<'_> {
    /// A page of the viewer's conversations, newest first, with cursors on the latest statuses.
    pub async fn page(
        &self,
        viewer: i64,
        page: Page,
    ) -> Result<(Vec<ConversationView>, Option<(i64, i64)>)> {
        let rows = self.db().conversations_page(viewer, page).await?;
        let cursors = rows
            .first()
            .zip(rows.last())
            .and_then(|(first, last)| first.last_status_id.zip(last.last_status_id));
        Ok((self.conversation_views(viewer, rows).await?, cursors))
    }

    pub async fn get(&self, viewer: i64, id: i64) -> Result<ConversationView> {
        let row = self
            .db()
            .conversation(viewer, id)
            .await?
            .ok_or(CoreError::NotFound)?;
        self.conversation_views(viewer, vec![row])
            .await?
            .into_iter()
            .next()
            .ok_or(CoreError::NotFound)
    }

    /// Marks a conversation read or removes it from the viewer's list.
    pub async fn update(
        &self,
        viewer: i64,
        id: i64,
        change: woolly_store::ConversationChange,
    ) -> Result<()> {
        if self.db().update_conversation(viewer, id, change).await? {
            Ok(())
        } else {
            Err(CoreError::NotFound)
        }
    }
}
