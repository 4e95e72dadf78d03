//! The notification policy (Mastodon 4.3): each member says what happens to notifications from
//! people they may not know (accounts they don't follow, that don't follow them, new accounts,
//! unsolicited private mentions, accounts moderators limited): let through, filtered (kept
//! aside, mentions gathered into one request per sender) or dropped. Accepting a request lets
//! that sender through for good; dismissing it deletes what was kept aside.
//!
//! Every notification a user could get from others passes [`notify`], in the transaction of
//! the action that caused it.

use woolly_store::{NotificationFacts, NotificationPolicyRow, Page, Tx};

use crate::accounts::Account;
use crate::areas::Notifications;
use crate::error::{CoreError, Result};
use crate::statuses::StatusView;

/// What a policy does with the notifications one of its rules matches.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum PolicyAction {
    Accept,
    Filter,
    Drop,
}

impl PolicyAction {
    pub fn as_str(self) -> &'static str {
        match self {
            PolicyAction::Accept => "accept",
            PolicyAction::Filter => "filter",
            PolicyAction::Drop => "drop",
        }
    }

    pub fn parse(text: &str) -> Result<PolicyAction> {
        match text {
            "accept" => Ok(PolicyAction::Accept),
            "filter" => Ok(PolicyAction::Filter),
            "drop" => Ok(PolicyAction::Drop),
            other => Err(CoreError::Validation(format!(
                "{other:?} is not a policy: use accept, filter or drop"
            ))),
        }
    }

    /// A stored value; an unknown one (never written by this code) is read as `accept`, which
    /// loses no notification.
    fn stored(text: &str) -> PolicyAction {
        PolicyAction::parse(text).unwrap_or(PolicyAction::Accept)
    }
}

/// A member's policy, one action per kind of sender.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NotificationPolicy {
    /// Accounts the member does not follow.
    pub for_not_following: PolicyAction,
    /// Accounts that do not follow the member (or began less than three days ago).
    pub for_not_followers: PolicyAction,
    /// Accounts created less than 30 days ago.
    pub for_new_accounts: PolicyAction,
    /// Private mentions that do not answer one of the member's.
    pub for_private_mentions: PolicyAction,
    /// Accounts moderators limited (silenced).
    pub for_limited_accounts: PolicyAction,
}

impl Default for NotificationPolicy {
    /// Mastodon's defaults: unsolicited private mentions and limited accounts are filtered.
    fn default() -> Self {
        NotificationPolicy {
            for_not_following: PolicyAction::Accept,
            for_not_followers: PolicyAction::Accept,
            for_new_accounts: PolicyAction::Accept,
            for_private_mentions: PolicyAction::Filter,
            for_limited_accounts: PolicyAction::Filter,
        }
    }
}

impl From<NotificationPolicyRow> for NotificationPolicy {
    fn from(row: NotificationPolicyRow) -> Self {
        NotificationPolicy {
            for_not_following: PolicyAction::stored(&row.for_not_following),
            for_not_followers: PolicyAction::stored(&row.for_not_followers),
            for_new_accounts: PolicyAction::stored(&row.for_new_accounts),
            for_private_mentions: PolicyAction::stored(&row.for_private_mentions),
            for_limited_accounts: PolicyAction::stored(&row.for_limited_accounts),
        }
    }
}

impl NotificationPolicy {
    fn row(&self) -> NotificationPolicyRow {
        NotificationPolicyRow {
            for_not_following: self.for_not_following.as_str().to_owned(),
            for_not_followers: self.for_not_followers.as_str().to_owned(),
            for_new_accounts: self.for_new_accounts.as_str().to_owned(),
            for_private_mentions: self.for_private_mentions.as_str().to_owned(),
            for_limited_accounts: self.for_limited_accounts.as_str().to_owned(),
        }
    }
}

/// The policy with what waits behind it.
#[derive(Debug, Clone)]
pub struct PolicySummary {
    pub policy: NotificationPolicy,
    /// Requests waiting (counted up to [`MEANINGFUL_COUNT`]).
    pub pending_requests: i64,
    /// The filtered mentions they hold.
    pub pending_notifications: i64,
}

/// Mastodon stops counting waiting requests here.
pub const MEANINGFUL_COUNT: i64 = 100;

/// Changes to a policy; what is absent stays.
#[derive(Debug, Clone, Default)]
pub struct PolicyChanges {
    pub for_not_following: Option<PolicyAction>,
    pub for_not_followers: Option<PolicyAction>,
    pub for_new_accounts: Option<PolicyAction>,
    pub for_private_mentions: Option<PolicyAction>,
    pub for_limited_accounts: Option<PolicyAction>,
}

impl PolicyChanges {
    /// Changes from the words of a form or a request, in the order of the fields
    /// (not following, not followers, new accounts, private mentions, limited accounts); an
    /// unknown word is refused (422).
    pub fn parse(words: [Option<&str>; 5]) -> Result<PolicyChanges> {
        let [
            not_following,
            not_followers,
            new_accounts,
            private_mentions,
            limited_accounts,
        ] = words.map(|word| word.map(PolicyAction::parse).transpose());
        Ok(PolicyChanges {
            for_not_following: not_following?,
            for_not_followers: not_followers?,
            for_new_accounts: new_accounts?,
            for_private_mentions: private_mentions?,
            for_limited_accounts: limited_accounts?,
        })
    }
}

/// The filtered mentions one sender sent the member.
#[derive(Debug, Clone)]
pub struct NotificationRequest {
    pub id: i64,
    pub created_at: i64,
    pub updated_at: i64,
    pub account: Account,
    pub notifications_count: i64,
    /// The latest of them, when the member may still see it.
    pub last_status: Option<StatusView>,
}

/// Notification kinds no policy holds back: they come from the member's own actions or from
/// the server (Mastodon's non-filterable types).
const UNFILTERABLE: [&str; 6] = [
    "status",
    "poll",
    "update",
    "moderation_warning",
    "admin.sign_up",
    "admin.report",
];

const DAY_MILLIS: i64 = 24 * 60 * 60 * 1000;
/// Accounts younger than this are new (Mastodon's `NEW_ACCOUNT_THRESHOLD`).
const NEW_ACCOUNT_MILLIS: i64 = 30 * DAY_MILLIS;
/// A follower of less than this long does not yet count as one (`NEW_FOLLOWER_THRESHOLD`).
const NEW_FOLLOWER_MILLIS: i64 = 3 * DAY_MILLIS;

/// What becomes of one notification.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Verdict {
    Deliver,
    KeepAside,
    Drop,
}

/// Applies `policy` to the facts of a notification of `kind`; `unsolicited` says whether it is
/// a private mention that answers none of the recipient's (asked only when it matters). The
/// harshest matching rule wins, as Mastodon checks its drop conditions before its filters.
fn verdict(
    kind: &str,
    policy: &NotificationPolicy,
    facts: &NotificationFacts,
    unsolicited_private_mention: bool,
    now: i64,
) -> Verdict {
    if UNFILTERABLE.contains(&kind) || facts.permitted || facts.sender_is_staff {
        return Verdict::Deliver;
    }
    let not_following = !facts.following;
    let not_follower = facts
        .followed_since
        .is_none_or(|since| since > now - NEW_FOLLOWER_MILLIS);
    let new_account = facts.sender_created_at > now - NEW_ACCOUNT_MILLIS;
    let rules = [
        (policy.for_not_following, not_following),
        (policy.for_not_followers, not_follower),
        (policy.for_new_accounts, new_account && not_following),
        (
            policy.for_private_mentions,
            not_following && unsolicited_private_mention,
        ),
        (
            policy.for_limited_accounts,
            facts.sender_silenced && not_following,
        ),
    ];
    let harshest = rules
        .iter()
        .filter(|(_, matches)| *matches)
        .map(|(action, _)| *action)
        .max()
        .unwrap_or(PolicyAction::Accept);
    match harshest {
        PolicyAction::Accept => Verdict::Deliver,
        PolicyAction::Filter => Verdict::KeepAside,
        PolicyAction::Drop => Verdict::Drop,
    }
}

/// Writes the notification of `kind` that `sender_id` caused `recipient_id` (about
/// `status_id`), as the recipient's policy and the store's drop conditions allow. Returns its
/// id when it is to be announced now (streamed); a filtered one is written but not announced.
pub(crate) async fn notify(
    tx: &mut Tx,
    recipient_id: i64,
    sender_id: i64,
    kind: &str,
    status_id: Option<i64>,
    now: i64,
) -> Result<Option<i64>> {
    let verdict = if UNFILTERABLE.contains(&kind) {
        Verdict::Deliver
    } else {
        match tx
            .notification_facts(recipient_id, sender_id, status_id)
            .await?
        {
            None => Verdict::Drop,
            Some(facts) => {
                let policy = facts
                    .policy
                    .clone()
                    .row()
                    .map(NotificationPolicy::from)
                    .unwrap_or_default();
                let unsolicited = match status_id {
                    Some(status_id)
                        if kind == "mention"
                            && facts.direct
                            && policy.for_private_mentions != PolicyAction::Accept =>
                    {
                        !tx.answers_private_mention_of(status_id, sender_id).await?
                    }
                    _ => false,
                };
                verdict(kind, &policy, &facts, unsolicited, now)
            }
        }
    };
    let filtered = match verdict {
        Verdict::Drop => return Ok(None),
        Verdict::KeepAside => true,
        Verdict::Deliver => false,
    };
    let written = tx
        .insert_notification(recipient_id, sender_id, kind, status_id, filtered, now)
        .await?;
    if !filtered {
        return Ok(written);
    }
    if written.is_some() && kind == "mention" {
        tx.upsert_notification_request(recipient_id, sender_id, status_id, now)
            .await?;
    }
    Ok(None)
}

impl Notifications<'_> {
    /// The member's policy and what waits behind it.
    pub async fn policy(&self, viewer: i64) -> Result<PolicySummary> {
        let policy = self
            .db()
            .notification_policy(viewer)
            .await?
            .map(NotificationPolicy::from)
            .unwrap_or_default();
        let (pending_requests, pending_notifications) = self
            .db()
            .notification_requests_summary(viewer, MEANINGFUL_COUNT)
            .await?;
        Ok(PolicySummary {
            policy,
            pending_requests,
            pending_notifications,
        })
    }

    /// Changes the member's policy; applies to notifications from now on.
    pub async fn change_policy(
        &self,
        viewer: i64,
        changes: PolicyChanges,
    ) -> Result<PolicySummary> {
        let current = self.policy(viewer).await?.policy;
        let changed = NotificationPolicy {
            for_not_following: changes
                .for_not_following
                .unwrap_or(current.for_not_following),
            for_not_followers: changes
                .for_not_followers
                .unwrap_or(current.for_not_followers),
            for_new_accounts: changes.for_new_accounts.unwrap_or(current.for_new_accounts),
            for_private_mentions: changes
                .for_private_mentions
                .unwrap_or(current.for_private_mentions),
            for_limited_accounts: changes
                .for_limited_accounts
                .unwrap_or(current.for_limited_accounts),
        };
        if changed != current {
            self.db()
                .save_notification_policy(viewer, &changed.row(), crate::now_millis())
                .await?;
        }
        self.policy(viewer).await
    }

    /// A page of the member's requests, newest first, with the (newest, oldest) ids read.
    pub async fn requests(
        &self,
        viewer: i64,
        page: Page,
    ) -> Result<(Vec<NotificationRequest>, Option<(i64, i64)>)> {
        let rows = self.db().notification_requests_page(viewer, page).await?;
        let cursors = rows
            .first()
            .zip(rows.last())
            .map(|(newest, oldest)| (newest.id, oldest.id));
        Ok((self.request_views(viewer, rows).await?, cursors))
    }

    pub async fn request(&self, viewer: i64, id: i64) -> Result<NotificationRequest> {
        let row = self
            .db()
            .notification_request(viewer, id)
            .await?
            .ok_or(CoreError::NotFound)?;
        self.request_views(viewer, vec![row])
            .await?
            .pop()
            .ok_or(CoreError::NotFound)
    }

    async fn request_views(
        &self,
        viewer: i64,
        rows: Vec<woolly_store::NotificationRequestRow>,
    ) -> Result<Vec<NotificationRequest>> {
        let account_ids: Vec<i64> = rows.iter().map(|row| row.from_account_id).collect();
        let accounts = self.accounts_by_id(&account_ids).await?;
        let status_ids: Vec<i64> = rows.iter().filter_map(|row| row.last_status_id).collect();
        let statuses = self.visible_views_by_id(viewer, &status_ids).await?;
        Ok(rows
            .into_iter()
            .filter_map(|row| {
                Some(NotificationRequest {
                    id: row.id,
                    created_at: row.created_at,
                    updated_at: row.updated_at,
                    account: accounts.get(&row.from_account_id)?.clone(),
                    notifications_count: row.notifications_count,
                    last_status: row.last_status_id.and_then(|id| statuses.get(&id).cloned()),
                })
            })
            .collect())
    }

    /// Accepts requests (their senders are let through from now on and what they sent joins
    /// the member's notifications, which the member's streams hear of) or dismisses them
    /// (what their senders sent is deleted). Ids that are not the member's requests are
    /// ignored; with `one`, an unknown id is 404.
    pub async fn settle_requests(
        &self,
        viewer: i64,
        ids: &[i64],
        settlement: Settlement,
        one: bool,
    ) -> Result<()> {
        let mut tx = self.db().begin().await?;
        let senders = match settlement {
            Settlement::Accept => {
                tx.accept_notification_requests(viewer, ids, crate::now_millis())
                    .await?
            }
            Settlement::Dismiss => tx.dismiss_notification_requests(viewer, ids).await?,
        };
        if one && senders.is_empty() {
            return Err(CoreError::NotFound);
        }
        tx.commit().await?;
        if settlement == Settlement::Accept && !senders.is_empty() {
            self.publish([crate::events::Event::NotificationsMerged { account_id: viewer }]);
        }
        Ok(())
    }
}

/// What a member does with notification requests.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Settlement {
    Accept,
    Dismiss,
}

#[cfg(test)]
mod tests {
    use super::*;
    use woolly_store::OptionalPolicy;

    const NOW: i64 = 1_800_000_000_000;

    /// A sender who is an old, mutual, unmoderated acquaintance.
    fn acquaintance() -> NotificationFacts {
        NotificationFacts {
            policy: OptionalPolicy {
                for_not_following: None,
                for_not_followers: None,
                for_new_accounts: None,
                for_private_mentions: None,
                for_limited_accounts: None,
            },
            following: true,
            followed_since: Some(NOW - 10 * DAY_MILLIS),
            sender_created_at: NOW - 365 * DAY_MILLIS,
            sender_silenced: false,
            sender_is_staff: false,
            permitted: false,
            direct: false,
        }
    }

    #[test]
    fn defaults_filter_strangers_private_mentions_and_limited_accounts_only() {
        let policy = NotificationPolicy::default();
        let stranger = NotificationFacts {
            following: false,
            followed_since: None,
            ..acquaintance()
        };
        assert_eq!(
            verdict("mention", &policy, &stranger, false, NOW),
            Verdict::Deliver
        );
        assert_eq!(
            verdict("mention", &policy, &stranger, true, NOW),
            Verdict::KeepAside
        );
        assert_eq!(
            verdict("mention", &policy, &acquaintance(), true, NOW),
            Verdict::Deliver
        );
        let limited = NotificationFacts {
            sender_silenced: true,
            ..stranger.clone()
        };
        assert_eq!(
            verdict("favourite", &policy, &limited, false, NOW),
            Verdict::KeepAside
        );
        let followed_limited = NotificationFacts {
            sender_silenced: true,
            ..acquaintance()
        };
        assert_eq!(
            verdict("favourite", &policy, &followed_limited, false, NOW),
            Verdict::Deliver
        );
    }

    #[test]
    fn the_harshest_matching_rule_wins_and_permissions_override() {
        let policy = NotificationPolicy {
            for_not_following: PolicyAction::Filter,
            for_new_accounts: PolicyAction::Drop,
            ..NotificationPolicy::default()
        };
        let newcomer = NotificationFacts {
            following: false,
            sender_created_at: NOW - DAY_MILLIS,
            ..acquaintance()
        };
        assert_eq!(
            verdict("follow", &policy, &newcomer, false, NOW),
            Verdict::Drop
        );
        let old = NotificationFacts {
            sender_created_at: NOW - 40 * DAY_MILLIS,
            ..newcomer.clone()
        };
        assert_eq!(
            verdict("follow", &policy, &old, false, NOW),
            Verdict::KeepAside
        );
        let permitted = NotificationFacts {
            permitted: true,
            ..newcomer.clone()
        };
        assert_eq!(
            verdict("follow", &policy, &permitted, false, NOW),
            Verdict::Deliver
        );
        assert_eq!(
            verdict("poll", &policy, &newcomer, false, NOW),
            Verdict::Deliver
        );
    }

    #[test]
    fn a_follower_of_less_than_three_days_is_not_yet_one() {
        let policy = NotificationPolicy {
            for_not_followers: PolicyAction::Filter,
            ..NotificationPolicy::default()
        };
        let recent = NotificationFacts {
            followed_since: Some(NOW - DAY_MILLIS),
            ..acquaintance()
        };
        assert_eq!(
            verdict("reblog", &policy, &recent, false, NOW),
            Verdict::KeepAside
        );
        assert_eq!(
            verdict("reblog", &policy, &acquaintance(), false, NOW),
            Verdict::Deliver
        );
    }
}
