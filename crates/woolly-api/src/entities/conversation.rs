//! `Conversation` (`entities/Conversation.md`): a direct conversation as one participant sees it.

use serde::Serialize;
use woolly_core::InstanceConfig;
use woolly_core::conversations::ConversationView;

use super::{AccountEntity, StatusEntity};

#[derive(Debug, Clone, Serialize)]
pub struct ConversationEntity {
    pub id: String,
    pub unread: bool,
    /// The other participants.
    pub accounts: Vec<AccountEntity>,
    pub last_status: Option<StatusEntity>,
}

impl ConversationEntity {
    pub fn new(
        view: &ConversationView,
        viewer: i64,
        config: &InstanceConfig,
    ) -> ConversationEntity {
        ConversationEntity {
            id: view.id.to_string(),
            unread: view.unread,
            accounts: view
                .accounts
                .iter()
                .map(|account| AccountEntity::new(account, None, config))
                .collect(),
            last_status: view
                .last_status
                .as_ref()
                .map(|status| StatusEntity::new(status, Some(viewer), config)),
        }
    }
}
