//! `Notification` (`entities/Notification.md`) and its grouped shape, v2
//! (`entities/GroupedNotificationsResults.md`).

use std::collections::BTreeMap;

use serde::Serialize;
use woolly_core::InstanceConfig;
use woolly_core::notification_policy::{NotificationRequest, PolicyAction, PolicySummary};
use woolly_core::notifications::{NotificationGroup, NotificationView};

use super::account::AccountEntity;
use super::status::StatusEntity;
use super::{AccountWarningEntity, ReportEntity};
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
    #[serde(skip_serializing_if = "Option::is_none")]
    pub moderation_warning: Option<AccountWarningEntity>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub report: Option<ReportEntity>,
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
            moderation_warning: view
                .warning
                .as_ref()
                .map(|warning| AccountWarningEntity::new(warning, config)),
            report: view
                .report
                .as_ref()
                .map(|report| ReportEntity::new(report, config)),
        }
    }
}

/// `GroupedNotificationsResults` (`entities/GroupedNotificationsResults.md`): the groups, and
/// each account and status they mention listed once beside them.
#[derive(Debug, Clone, Serialize)]
pub struct GroupedNotificationsResultsEntity {
    pub accounts: Vec<AccountEntity>,
    pub statuses: Vec<StatusEntity>,
    pub notification_groups: Vec<NotificationGroupEntity>,
}

/// `NotificationGroup`: notifications of one kind (about one status) shown as one.
#[derive(Debug, Clone, Serialize)]
pub struct NotificationGroupEntity {
    pub group_key: String,
    pub notifications_count: usize,
    #[serde(rename = "type")]
    pub kind: String,
    pub most_recent_notification_id: String,
    pub page_min_id: String,
    pub page_max_id: String,
    pub latest_page_notification_at: String,
    /// At most 8, newest first.
    pub sample_account_ids: Vec<String>,
    pub status_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub moderation_warning: Option<AccountWarningEntity>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub report: Option<ReportEntity>,
}

/// How many of a group's accounts Mastodon samples.
const SAMPLE_ACCOUNTS: usize = 8;

impl GroupedNotificationsResultsEntity {
    pub fn new(
        groups: &[NotificationGroup],
        viewer: i64,
        config: &InstanceConfig,
    ) -> GroupedNotificationsResultsEntity {
        let mut accounts = BTreeMap::new();
        let mut statuses = BTreeMap::new();
        let notification_groups = groups
            .iter()
            .map(|group| {
                let newest = &group.notifications[0];
                let oldest = &group.notifications[group.notifications.len() - 1];
                let mut sample_account_ids = Vec::new();
                for notification in &group.notifications {
                    let id = notification.account.id.to_string();
                    if !sample_account_ids.contains(&id)
                        && sample_account_ids.len() < SAMPLE_ACCOUNTS
                    {
                        sample_account_ids.push(id.clone());
                    }
                    accounts
                        .entry(id)
                        .or_insert_with(|| AccountEntity::new(&notification.account, None, config));
                }
                if let Some(status) = &newest.status {
                    statuses
                        .entry(status.status.id.to_string())
                        .or_insert_with(|| StatusEntity::new(status, Some(viewer), config));
                }
                NotificationGroupEntity {
                    group_key: group.key.clone(),
                    notifications_count: group.notifications.len(),
                    kind: group.kind.clone(),
                    most_recent_notification_id: newest.id.to_string(),
                    page_min_id: oldest.id.to_string(),
                    page_max_id: newest.id.to_string(),
                    latest_page_notification_at: iso8601(newest.created_at),
                    sample_account_ids,
                    status_id: newest
                        .status
                        .as_ref()
                        .map(|status| status.status.id.to_string()),
                    moderation_warning: newest
                        .warning
                        .as_ref()
                        .map(|warning| AccountWarningEntity::new(warning, config)),
                    report: newest
                        .report
                        .as_ref()
                        .map(|report| ReportEntity::new(report, config)),
                }
            })
            .collect();
        GroupedNotificationsResultsEntity {
            accounts: accounts.into_values().collect(),
            statuses: statuses.into_values().collect(),
            notification_groups,
        }
    }
}

/// `GET /api/v1/notifications/unread_count` and its v2 twin.
#[derive(Debug, Clone, Serialize)]
pub struct UnreadCountEntity {
    pub count: i64,
}

/// `NotificationPolicy` (`entities/NotificationPolicy.md`), v2: each rule's action.
#[derive(Debug, Clone, Serialize)]
pub struct NotificationPolicyEntity {
    pub for_not_following: &'static str,
    pub for_not_followers: &'static str,
    pub for_new_accounts: &'static str,
    pub for_private_mentions: &'static str,
    pub for_limited_accounts: &'static str,
    pub summary: PolicySummaryEntity,
}

#[derive(Debug, Clone, Serialize)]
pub struct PolicySummaryEntity {
    pub pending_requests_count: i64,
    pub pending_notifications_count: i64,
}

impl PolicySummaryEntity {
    fn new(summary: &PolicySummary) -> Self {
        PolicySummaryEntity {
            pending_requests_count: summary.pending_requests,
            pending_notifications_count: summary.pending_notifications,
        }
    }
}

impl NotificationPolicyEntity {
    pub fn new(summary: &PolicySummary) -> Self {
        let policy = &summary.policy;
        NotificationPolicyEntity {
            for_not_following: policy.for_not_following.as_str(),
            for_not_followers: policy.for_not_followers.as_str(),
            for_new_accounts: policy.for_new_accounts.as_str(),
            for_private_mentions: policy.for_private_mentions.as_str(),
            for_limited_accounts: policy.for_limited_accounts.as_str(),
            summary: PolicySummaryEntity::new(summary),
        }
    }
}

/// The v1 shape (Mastodon 4.3's first, kept for older apps): each rule filters or not; a
/// rule that drops counts as filtering, as Mastodon reports it.
#[derive(Debug, Clone, Serialize)]
pub struct V1NotificationPolicyEntity {
    pub filter_not_following: bool,
    pub filter_not_followers: bool,
    pub filter_new_accounts: bool,
    pub filter_private_mentions: bool,
    pub summary: PolicySummaryEntity,
}

impl V1NotificationPolicyEntity {
    pub fn new(summary: &PolicySummary) -> Self {
        let policy = &summary.policy;
        let filters = |action: PolicyAction| action != PolicyAction::Accept;
        V1NotificationPolicyEntity {
            filter_not_following: filters(policy.for_not_following),
            filter_not_followers: filters(policy.for_not_followers),
            filter_new_accounts: filters(policy.for_new_accounts),
            filter_private_mentions: filters(policy.for_private_mentions),
            summary: PolicySummaryEntity::new(summary),
        }
    }
}

/// `NotificationRequest` (`entities/NotificationRequest.md`): the filtered mentions of one
/// sender.
#[derive(Debug, Clone, Serialize)]
pub struct NotificationRequestEntity {
    pub id: String,
    pub created_at: String,
    pub updated_at: String,
    pub account: AccountEntity,
    /// A string, as Mastodon sends it.
    pub notifications_count: String,
    pub last_status: Option<StatusEntity>,
}

impl NotificationRequestEntity {
    pub fn new(request: &NotificationRequest, viewer: i64, config: &InstanceConfig) -> Self {
        NotificationRequestEntity {
            id: request.id.to_string(),
            created_at: iso8601(request.created_at),
            updated_at: iso8601(request.updated_at),
            account: AccountEntity::new(&request.account, None, config),
            notifications_count: request.notifications_count.to_string(),
            last_status: request
                .last_status
                .as_ref()
                .map(|status| StatusEntity::new(status, Some(viewer), config)),
        }
    }
}
