//! `Notification` (`entities/Notification.md`).

use serde::Serialize;
use woolly_core::InstanceConfig;
use woolly_core::notifications::NotificationView;

use super::account::AccountEntity;
use super::status::StatusEntity;
use woolly_http::time::iso8601;

#[derive(Debug, Clone, Serialize)]
pub struct NotificationEntity {
    pub id: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub group_key: String,
    pub created_at: String,
    pub account: AccountEntity,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<StatusEntity>,
}

impl NotificationEntity {
    pub fn new(
        view: &NotificationView,
        viewer: i64,
        config: &InstanceConfig,
    ) -> NotificationEntity {
        NotificationEntity {
            id: view.id.to_string(),
            kind: view.kind.clone(),
            group_key: view.group_key(),
            created_at: iso8601(view.created_at),
            account: AccountEntity::new(&view.account, None, config),
            status: view
                .status
                .as_ref()
                .map(|status| StatusEntity::new(status, Some(viewer), config)),
        }
    }
}
