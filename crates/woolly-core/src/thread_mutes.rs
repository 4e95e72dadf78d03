//! Thread mutes (`POST /api/v1/statuses/:id/mute` and `/unmute`): a user stops being notified
//! about a thread (Mastodon's conversation) without muting anyone.
//!
//! A status's thread is `Status::thread_id`, set when it is stored: a reply joins its parent's
//! thread, a reblog the reblogged status's, anything else starts its own. While a user mutes a
//! thread, no notification about any status in it is written for them (mentions and replies,
//! favourites, reblogs, edits, poll results), as Mastodon's `NotifyService` drops them; statuses
//! still show everywhere, with `muted: true`. The rule itself lives with notification writing in
//! `woolly_store` (`insert_notification`), so that every way a notification is made obeys it.
//!
//! Any status the user can see may be muted, as Mastodon's controller allows (its documentation
//! says "a thread in which you are a participant", which the code does not check).

use crate::accounts::Account;
use crate::areas::Statuses;
use crate::error::Result;
use crate::statuses::StatusView;

impl Statuses<'_> {
    /// Mutes the thread of a status the actor can see; returns the status as the actor now
    /// sees it. Muting twice changes nothing.
    pub async fn mute_thread(&self, actor: &Account, status_id: i64) -> Result<StatusView> {
        let view = self.view(Some(actor.id), status_id).await?;
        self.db()
            .insert_thread_mute(actor.id, view.status.thread_id, crate::now_millis())
            .await?;
        self.view(Some(actor.id), status_id).await
    }

    /// Unmutes the thread of a status the actor can see (whether or not it was muted).
    pub async fn unmute_thread(&self, actor: &Account, status_id: i64) -> Result<StatusView> {
        let view = self.view(Some(actor.id), status_id).await?;
        self.db()
            .delete_thread_mute(actor.id, view.status.thread_id)
            .await?;
        self.view(Some(actor.id), status_id).await
    }
}
