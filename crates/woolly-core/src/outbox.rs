//! What other servers must hear of local actions: each action that Mastodon federates writes one
//! `federation.outbox` job, in the same transaction as the action itself, naming what happened.
//!
//! Core knows nothing of ActivityPub: the federation crate's handler for these jobs renders the
//! activity, finds the inboxes it goes to and writes one delivery job per inbox. The payload
//! carries what may be gone by the time the job runs (a deleted status's id, author and audience;
//! a follow's activity id), so that a `kill -9` between the action and the delivery loses
//! nothing and the activity sent is the one that happened.

use serde::{Deserialize, Serialize};
use woolly_store::Tx;

use crate::error::Result;
use crate::jobs::new_job;

/// The job kind the federation crate handles.
pub const OUTBOX_KIND: &str = "federation.outbox";

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
    /// `account_id` voted in a remote poll (`status_id`): one `Create` of a `Note` per choice.
    Vote {
        account_id: i64,
        status_id: i64,
        choices: Vec<i64>,
    },
}

/// Writes the outbox job for `outbound` in `tx`. Callers wake the workers after committing.
pub(crate) async fn enqueue(tx: &mut Tx, outbound: &Outbound, now: i64) -> Result<()> {
    tx.enqueue_job(&new_job(
        OUTBOX_KIND,
        outbound,
        now,
        crate::jobs::DEFAULT_MAX_ATTEMPTS,
    )?)
    .await?;
    Ok(())
}

/// The id Woolly gives the `Follow` a local account sends: unique per request, under the
/// follower's actor id, so that an `Accept` naming it points back at the follower.
pub fn follow_activity_uri(actor_uri: &str, target_id: i64, now: i64) -> String {
    format!("{actor_uri}#follows/{target_id}/{now}")
}
