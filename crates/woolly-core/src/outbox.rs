//! What other servers must hear of local actions: each action that Mastodon federates writes,
//! in the same transaction as the action itself, one `federation.deliver` job per inbox that
//! must hear of it — who hears of what is decided here, as Mastodon's `StatusReachFinder` and
//! delivery services decide it.
//!
//! Core knows nothing of ActivityPub: each job names what happened ([`Outbound`]) and the
//! federation crate renders the activity when it delivers. The payload carries what may be gone
//! by then (a deleted status's id, author and audience; a follow's activity id) and when the
//! action happened (activity ids derive from it), so that a `kill -9` at any moment loses no
//! delivery and every inbox gets the same activity.

use serde::{Deserialize, Serialize};
use woolly_store::Tx;

use crate::error::Result;
use crate::jobs::new_job;

/// The job kind of one delivery, which the federation crate handles.
pub const DELIVER_KIND: &str = "federation.deliver";

/// One inbox's delivery of a local action.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Delivery {
    pub inbox: String,
    pub outbound: Outbound,
    /// When the action happened (Unix milliseconds).
    pub at: i64,
}

/// A local action other servers must hear of.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Outbound {
    /// A status was posted (a `Create`), or a reblog made (an `Announce`).
    Create {
        status_id: i64,
    },
    /// A status was edited (an `Update`).
    Update {
        status_id: i64,
    },
    /// A status (or a reblog) was deleted: a `Delete` (or an `Undo` of the `Announce`).
    Delete {
        status_id: i64,
        account_id: i64,
        uri: String,
        /// `public`, `unlisted`, `private` or `direct`.
        visibility: String,
        /// The accounts it mentioned, who hear of its deletion too.
        mentioned: Vec<i64>,
        /// For a reblog: the original's id and author.
        reblog_of: Option<(i64, i64)>,
    },
    /// `account_id` asked to follow the remote `target_id`; `uri` is the `Follow`'s id.
    Follow {
        account_id: i64,
        target_id: i64,
        uri: String,
    },
    /// `account_id` unfollowed (or withdrew its request to follow) the remote `target_id`.
    Unfollow {
        account_id: i64,
        target_id: i64,
        uri: Option<String>,
    },
    /// The local `account_id` accepted the remote `follower_id`'s `Follow` (`uri`).
    Accept {
        account_id: i64,
        follower_id: i64,
        uri: Option<String>,
    },
    /// The local `account_id` rejected (or removed) the remote `follower_id`.
    Reject {
        account_id: i64,
        follower_id: i64,
        uri: Option<String>,
    },
    /// `account_id` favourited the remote author's `status_id` (a `Like`), or took it back.
    Like {
        account_id: i64,
        status_id: i64,
    },
    Unlike {
        account_id: i64,
        status_id: i64,
    },
    /// `account_id` blocked the remote `target_id`, or unblocked it.
    Block {
        account_id: i64,
        target_id: i64,
    },
    Unblock {
        account_id: i64,
        target_id: i64,
    },
    /// `account_id` pinned its `status_id` to its profile (an `Add` to `featured`), or
    /// unpinned it (a `Remove`).
    Pin {
        account_id: i64,
        status_id: i64,
    },
    Unpin {
        account_id: i64,
        status_id: i64,
    },
    /// `account_id`'s profile changed (an `Update` of the actor).
    UpdateProfile {
        account_id: i64,
    },
    /// `account_id` moved to the account `target_uri` (a `Move`, to its followers' servers,
    /// which move their followers of it); `migration_id` names the move.
    Move {
        account_id: i64,
        target_uri: String,
        migration_id: i64,
    },
    /// A local account was deleted: a `Delete` of its actor, to every server this one knows.
    /// The account is gone when this is delivered: it is signed with the key kept beside the
    /// reserved name (see [`RETIRED_KEY_KEPT_MILLIS`]).
    DeleteActor {
        username: String,
    },
    /// A report about the remote `target_id`, forwarded to its server: a `Flag` from the
    /// instance actor (so that the reporter stays unknown there), as Mastodon sends it.
    Flag {
        report_id: i64,
        target_id: i64,
        status_ids: Vec<i64>,
        comment: String,
    },
    /// `account_id` voted for `choice` in a remote poll (`status_id`): a `Create` of a `Note`
    /// per choice, as Mastodon sends votes.
    Vote {
        account_id: i64,
        status_id: i64,
        choice: i64,
    },
}

/// How long a deleted account's private key is kept for signing the deliveries of its deletion:
/// longer than a delivery keeps retrying (20 attempts, at most six hours apart).
pub const RETIRED_KEY_KEPT_MILLIS: i64 = 7 * DAY_MILLIS;

/// Writes the deliveries of `outbound` in `tx`, one per inbox that must hear of it. Callers
/// wake the workers after committing.
pub(crate) async fn enqueue(tx: &mut Tx, outbound: &Outbound, now: i64) -> Result<()> {
    let mut inboxes = audience(tx, outbound).await?;
    inboxes.sort();
    inboxes.dedup();
    for inbox in inboxes {
        let delivery = Delivery {
            inbox,
            outbound: outbound.clone(),
            at: now,
        };
        tx.enqueue_job(&new_job(
            DELIVER_KIND,
            &delivery,
            now,
            crate::jobs::DEFAULT_MAX_ATTEMPTS,
        )?)
        .await?;
    }
    Ok(())
}

/// The inboxes that must hear of `outbound`: for statuses, the author's remote followers (but
/// for direct posts), the remote accounts mentioned (their own inbox for direct posts), the
/// author a reply answers and the author a reblog shares, and a poll's remote voters when it
/// changes; for what concerns one account (follows, likes, blocks, votes), that account's own
/// inbox; for profiles and pins, the followers.
async fn audience(tx: &mut Tx, outbound: &Outbound) -> Result<Vec<String>> {
    match outbound {
        Outbound::Create { status_id } | Outbound::Update { status_id } => {
            let Some(status) = tx.status_for_update(*status_id).await? else {
                return Ok(Vec::new());
            };
            if !status.is_local {
                return Ok(Vec::new());
            }
            let direct = status.visibility == "direct";
            let mut accounts = tx.mentioned_accounts(status.id).await?;
            if !direct {
                accounts.extend(status.in_reply_to_account_id);
            }
            if let Some(original) = status.reblog_of_id
                && let Some(original) = tx.status_for_update(original).await?
            {
                accounts.push(original.account_id);
            }
            if matches!(outbound, Outbound::Update { .. }) {
                // Voters hear of new tallies even when they do not follow the author.
                accounts.extend(tx.remote_poll_voters(status.id).await?);
            }
            let mut inboxes = tx.remote_inboxes_of(&accounts, direct).await?;
            if !direct {
                inboxes.extend(tx.remote_follower_inboxes(status.account_id).await?);
            }
            Ok(inboxes)
        }
        Outbound::Delete {
            account_id,
            visibility,
            mentioned,
            reblog_of,
            ..
        } => {
            let direct = visibility == "direct";
            let mut accounts = mentioned.clone();
            accounts.extend(reblog_of.map(|(_, author)| author));
            let mut inboxes = tx.remote_inboxes_of(&accounts, direct).await?;
            if !direct {
                inboxes.extend(tx.remote_follower_inboxes(*account_id).await?);
            }
            Ok(inboxes)
        }
        Outbound::Follow { target_id, .. }
        | Outbound::Unfollow { target_id, .. }
        | Outbound::Block { target_id, .. }
        | Outbound::Unblock { target_id, .. }
        | Outbound::Flag { target_id, .. } => tx
            .remote_inboxes_of(&[*target_id], true)
            .await
            .map_err(Into::into),
        Outbound::Accept { follower_id, .. } | Outbound::Reject { follower_id, .. } => {
            Ok(tx.remote_inboxes_of(&[*follower_id], true).await?)
        }
        Outbound::Like { status_id, .. }
        | Outbound::Unlike { status_id, .. }
        | Outbound::Vote { status_id, .. } => match tx.status_for_update(*status_id).await? {
            Some(status) => Ok(tx.remote_inboxes_of(&[status.account_id], true).await?),
            None => Ok(Vec::new()),
        },
        Outbound::DeleteActor { .. } => Ok(tx.all_remote_inboxes().await?),
        Outbound::UpdateProfile { account_id }
        | Outbound::Move { account_id, .. }
        | Outbound::Pin { account_id, .. }
        | Outbound::Unpin { account_id, .. } => Ok(tx.remote_follower_inboxes(*account_id).await?),
    }
}

/// The id Woolly gives the `Follow` a local account sends: unique per request, under the
/// follower's actor id, so that an `Accept` naming it points back at the follower.
pub fn follow_activity_uri(actor_uri: &str, target_id: i64, now: i64) -> String {
    format!("{actor_uri}#follows/{target_id}/{now}")
}

/// Failure days after which a domain counts as unavailable (Mastodon's threshold).
pub const UNAVAILABLE_AFTER_DAYS: i32 = 7;
/// How long deliveries to an unavailable domain wait after its last failure before trying again.
const UNAVAILABLE_PAUSE_MILLIS: i64 = 6 * 60 * 60 * 1000;
const DAY_MILLIS: i64 = 24 * 60 * 60 * 1000;

impl crate::Woolly {
    /// Whether deliveries to `domain` pause at `now`: it failed on
    /// [`UNAVAILABLE_AFTER_DAYS`] distinct days since its last success and failed again in the
    /// last hours. A paused delivery waits for its next retry without connecting.
    pub async fn delivery_paused(&self, domain: &str, now: i64) -> Result<bool> {
        let health = self.db().domain_health(domain).await?;
        Ok(health.is_some_and(|health| {
            health.unavailable
                && health
                    .last_failure_at
                    .is_some_and(|at| now - at < UNAVAILABLE_PAUSE_MILLIS)
        }))
    }

    /// A delivery to `domain` succeeded: its failures are forgotten and it is available again.
    pub async fn record_delivery_success(&self, domain: &str, now: i64) -> Result<()> {
        self.db().record_delivery_success(domain, now).await?;
        Ok(())
    }

    /// A delivery to `domain` failed (no answer, or a server error): one more failure day,
    /// counted once per day as Mastodon counts them.
    pub async fn record_delivery_failure(&self, domain: &str, now: i64) -> Result<()> {
        self.db()
            .record_delivery_failure(domain, now, now / DAY_MILLIS, UNAVAILABLE_AFTER_DAYS)
            .await?;
        Ok(())
    }
}
