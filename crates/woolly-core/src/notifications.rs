//! Notifications: what happened to a user's account and posts (mentions, follows, favourites,
//! reblogs), written in the same transaction as the action that caused them; and the posts of
//! accounts a user follows with notifications on (`status`), written when the post reaches the
//! user's home feed.

use woolly_store::{NotificationQuery, Page};

use crate::accounts::Account;
use crate::areas::Notifications;
use crate::error::{CoreError, Result};
use crate::filters::FilterContext;
use crate::state::Woolly;
use crate::statuses::StatusView;

/// The notification types Woolly produces so far, by their Mastodon names.
pub const KINDS: [&str; 11] = [
    "mention",
    "status",
    "follow",
    "follow_request",
    "favourite",
    "reblog",
    "update",
    "poll",
    "moderation_warning",
    "admin.sign_up",
    "admin.report",
];

/// A notification with what it points at.
#[derive(Debug, Clone)]
pub struct NotificationView {
    pub id: i64,
    pub kind: String,
    pub created_at: i64,
    pub account: Account,
    pub status: Option<StatusView>,
    /// For a `moderation_warning`, the warning.
    pub warning: Option<crate::account_moderation::AccountWarning>,
    /// For an `admin.report`, the report.
    pub report: Option<crate::reports::Report>,
}

/// Notifications of these types about the same status (or, for follows, none) within one
/// span group together (Mastodon's defaults for `grouped_types`).
pub const GROUPED_KINDS: [&str; 3] = ["favourite", "follow", "reblog"];
/// Mastodon's `MAXIMUM_GROUP_SPAN_HOURS`: groups never span more than this.
const GROUP_SPAN_MILLIS: i64 = 12 * 60 * 60 * 1000;

impl NotificationView {
    /// The key of the group this notification belongs to, as Mastodon forms it:
    /// `favourite-STATUS-SPAN`, `reblog-STATUS-SPAN`, `follow-SPAN`, else `ungrouped-ID`.
    pub fn group_key(&self) -> String {
        let span = self.created_at / GROUP_SPAN_MILLIS;
        match (self.kind.as_str(), &self.status) {
            ("favourite" | "reblog", Some(status)) => {
                format!("{}-{}-{span}", self.kind, status.status.id)
            }
            ("follow", _) => format!("follow-{span}"),
            _ => format!("ungrouped-{}", self.id),
        }
    }
}

/// Notifications grouped as `/api/v2/notifications` shows them, most recent group first.
#[derive(Debug, Clone)]
pub struct NotificationGroup {
    pub key: String,
    pub kind: String,
    /// Newest first.
    pub notifications: Vec<NotificationView>,
}

/// Groups a page of notifications (newest first) by [`NotificationView::group_key`], keeping
/// `grouped_kinds` grouped and every other notification alone.
pub fn group_notifications(
    views: Vec<NotificationView>,
    grouped_kinds: &[String],
) -> Vec<NotificationGroup> {
    let mut groups: Vec<NotificationGroup> = Vec::new();
    for view in views {
        let key = if grouped_kinds.contains(&view.kind) {
            view.group_key()
        } else {
            format!("ungrouped-{}", view.id)
        };
        match groups.iter_mut().find(|group| group.key == key) {
            Some(group) => group.notifications.push(view),
            None => groups.push(NotificationGroup {
                key,
                kind: view.kind.clone(),
                notifications: vec![view],
            }),
        }
    }
    groups
}

impl Woolly {
    async fn notification_views(
        &self,
        viewer: i64,
        rows: Vec<woolly_store::NotificationRow>,
    ) -> Result<Vec<NotificationView>> {
        let account_ids: Vec<i64> = rows.iter().map(|row| row.from_account_id).collect();
        let accounts = self.accounts_by_id(&account_ids).await?;
        let report_ids: Vec<i64> = rows.iter().filter_map(|row| row.report_id).collect();
        let report_rows = self.db().reports_by_id(&report_ids).await?;
        let reports: std::collections::HashMap<i64, crate::reports::Report> = self
            .moderation()
            .reports_from_rows(report_rows)
            .await?
            .into_iter()
            .map(|report| (report.id, report))
            .collect();
        let status_ids: Vec<i64> = rows.iter().filter_map(|row| row.status_id).collect();
        let mut statuses = self.visible_views_by_id(viewer, &status_ids).await?;
        statuses.retain(|_, view| !view.is_hidden_in(FilterContext::Notifications));
        let warning_ids: Vec<i64> = rows
            .iter()
            .filter_map(|row| row.account_warning_id)
            .collect();
        let warnings = match accounts.get(&viewer) {
            Some(account) if !warning_ids.is_empty() => {
                self.moderation()
                    .warnings_by_id(account, &warning_ids)
                    .await?
            }
            _ => Default::default(),
        };
        Ok(rows
            .into_iter()
            .filter_map(|row| {
                let status = match row.status_id {
                    Some(id) => Some(statuses.get(&id)?.clone()),
                    None => None,
                };
                let warning = match row.account_warning_id {
                    Some(id) => Some(warnings.get(&id)?.clone()),
                    None => None,
                };
                let report = match row.report_id {
                    Some(id) => Some(reports.get(&id)?.clone()),
                    None => None,
                };
                Some(NotificationView {
                    id: row.id,
                    kind: row.kind,
                    created_at: row.created_at,
                    account: accounts.get(&row.from_account_id)?.clone(),
                    status,
                    warning,
                    report,
                })
            })
            .collect())
    }
}

impl Notifications<'_> {
    /// Notifications newer than the viewer's `notifications` marker (at most `limit`).
    pub async fn unread_count(&self, viewer: i64, limit: i64) -> Result<i64> {
        let marker = self
            .db()
            .markers(viewer)
            .await?
            .into_iter()
            .find(|marker| marker.timeline == "notifications")
            .map(|marker| marker.last_read_id);
        let page = Page {
            max_id: None,
            since_id: marker,
            min_id: None,
            limit,
        };
        Ok(i64::try_from(
            self.db()
                .notifications_page(viewer, &NotificationQuery::default(), page)
                .await?
                .len(),
        )
        .unwrap_or(0))
    }

    /// A page of the viewer's notifications, with the (newest, oldest) ids of the page as read;
    /// notifications about statuses the viewer can no longer see, or hides from notifications
    /// with a filter, are left out (the cursors still span them).
    pub async fn page(
        &self,
        viewer: i64,
        query: &NotificationQuery,
        page: Page,
    ) -> Result<(Vec<NotificationView>, Option<(i64, i64)>)> {
        let rows = self.db().notifications_page(viewer, query, page).await?;
        let cursors = rows
            .first()
            .zip(rows.last())
            .map(|(newest, oldest)| (newest.id, oldest.id));
        Ok((self.notification_views(viewer, rows).await?, cursors))
    }

    pub async fn get(&self, viewer: i64, id: i64) -> Result<NotificationView> {
        let row = self
            .db()
            .notification(viewer, id)
            .await?
            .ok_or(CoreError::NotFound)?;
        self.notification_views(viewer, vec![row])
            .await?
            .into_iter()
            .next()
            .ok_or(CoreError::NotFound)
    }

    /// Dismisses one notification (`Some(id)`) or all of them.
    pub async fn dismiss(&self, viewer: i64, id: Option<i64>) -> Result<()> {
        let dismissed = self.db().dismiss_notifications(viewer, id).await?;
        if id.is_some() && dismissed == 0 {
            return Err(CoreError::NotFound);
        }
        Ok(())
    }
}
