//! What accounts do to each other and to statuses: follow, block, mute; favourite, reblog,
//! bookmark. Each writes its rows, counters and notification in one transaction.

use woolly_store::{FollowSide, RelationshipRow, StatusCounter, StatusInteraction, StatusRelation};

use crate::accounts::Account;
use crate::areas::{Relations, Statuses};
use crate::error::{CoreError, Result};
use crate::events::Event;
use crate::outbox::Outbound;
use crate::state::Woolly;
use crate::statuses::StatusView;
use crate::visibility::Visibility;

pub use woolly_store::{FollowOptions, split_languages};

/// How the viewer relates to another account (Mastodon's `Relationship`).
pub type Relationship = RelationshipRow;

/// Mute options.
#[derive(Debug, Clone, Copy)]
pub struct MuteOptions {
    pub notifications: bool,
    /// Seconds; `None` or 0 for indefinitely.
    pub duration: Option<i64>,
}

/// How an account answers a request to follow it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FollowRequestAnswer {
    Authorize,
    Reject,
}

impl Woolly {
    /// Accounts in the order of `ids` (missing ones skipped), each paired with its cursor.
    pub(crate) async fn accounts_with_cursors(
        &self,
        rows: Vec<(i64, i64)>,
    ) -> Result<Vec<(i64, Account)>> {
        let ids: Vec<i64> = rows.iter().map(|(_, account)| *account).collect();
        let accounts = self.accounts_by_id(&ids).await?;
        Ok(rows
            .into_iter()
            .filter_map(|(cursor, id)| accounts.get(&id).map(|account| (cursor, account.clone())))
            .collect())
    }

    /// An account the viewer may act on: it exists, and it is not the viewer.
    pub(crate) async fn other_account(&self, actor: &Account, target_id: i64) -> Result<Account> {
        let target = self
            .accounts()
            .account(target_id)
            .await?
            .ok_or(CoreError::NotFound)?;
        if target.id == actor.id {
            return Err(CoreError::Validation(
                "You cannot do this to yourself".into(),
            ));
        }
        Ok(target)
    }

    async fn follow_with_uri(
        &self,
        actor: &Account,
        target_id: i64,
        options: FollowOptions,
        remote_follow_uri: Option<&str>,
        bypass_locked: bool,
    ) -> Result<Relationship> {
        if let Some(languages) = &options.languages {
            for language in languages {
                crate::compose::check_language_code(language)?;
            }
        }
        let target = self.other_account(actor, target_id).await?;
        let relation = self.relations().relationship(actor.id, target.id).await?;
        // Mastodon's `FollowService#following_not_allowed?`: a blocked domain's accounts too;
        // and, as its inbox rejects a `Follow`, a remote account whose domain the target blocks.
        let target_blocks_domain = !actor.is_local()
            && self
                .relations()
                .relationship(target.id, actor.id)
                .await?
                .domain_blocking;
        if relation.blocking
            || relation.blocked_by
            || relation.domain_blocking
            || target_blocks_domain
        {
            return Err(CoreError::Forbidden("This action is not allowed".into()));
        }
        let now = crate::now_millis();
        let mut tx = self.db().begin().await?;
        let mut notification = None;
        if !target.is_local() && !relation.following {
            // A remote follow waits for the other server's `Accept`, as in Mastodon.
            if tx
                .insert_follow_request(actor.id, target.id, &options, now)
                .await?
            {
                let uri = crate::outbox::follow_activity_uri(
                    &self.federation().actor_uri(actor),
                    target.id,
                    now,
                );
                tx.set_follow_uri(actor.id, target.id, &uri).await?;
                let outbound = Outbound::Follow {
                    account_id: actor.id,
                    target_id: target.id,
                    uri,
                };
                crate::outbox::enqueue(&mut tx, &outbound, now).await?;
            }
        } else if target.locked && !relation.following && !bypass_locked {
            if tx
                .insert_follow_request(actor.id, target.id, &options, now)
                .await?
            {
                notification = crate::notification_policy::notify(
                    &mut tx,
                    target.id,
                    actor.id,
                    "follow_request",
                    None,
                    now,
                )
                .await?;
            }
            if let Some(uri) = remote_follow_uri {
                tx.set_follow_uri(actor.id, target.id, uri).await?;
            }
        } else {
            if tx.upsert_follow(actor.id, target.id, &options, now).await? {
                notification = crate::notification_policy::notify(
                    &mut tx, target.id, actor.id, "follow", None, now,
                )
                .await?;
            }
            if let Some(uri) = remote_follow_uri {
                // Accepted at once; a repeated `Follow` is accepted again, as Mastodon does.
                tx.set_follow_uri(actor.id, target.id, uri).await?;
                let outbound = Outbound::Accept {
                    account_id: target.id,
                    follower_id: actor.id,
                    uri: Some(uri.to_owned()),
                };
                crate::outbox::enqueue(&mut tx, &outbound, now).await?;
            }
        }
        tx.commit().await?;
        self.wake_workers();
        self.publish(notification.map(|notification_id| Event::Notification {
            account_id: target.id,
            notification_id,
        }));
        self.relations().relationship(actor.id, target.id).await
    }

    /// [`crate::areas::Statuses::reblog`], with the `Announce` id a remote reblog has.
    pub(crate) async fn reblog_with_uri(
        &self,
        actor: &Account,
        status_id: i64,
        visibility: Option<Visibility>,
        remote_uri: Option<String>,
    ) -> Result<StatusView> {
        let view = self.statuses().view(Some(actor.id), status_id).await?;
        let original = view.interaction_target();
        let own_private =
            original.visibility == Visibility::Private && original.account_id == actor.id;
        if !original.visibility.is_reblogable() && !own_private {
            return Err(CoreError::Forbidden("This action is not allowed".into()));
        }
        let visibility = match visibility.unwrap_or(Visibility::Public) {
            Visibility::Direct => Visibility::Public,
            chosen if own_private => chosen.max(Visibility::Private),
            chosen => chosen,
        };
        let (original_id, author_id) = (original.id, original.account_id);
        let now = crate::now_millis();
        let mut tx = self.db().begin().await?;
        if let Some(existing) = tx.reblog_by(actor.id, original_id).await? {
            tx.rollback().await?;
            return self.statuses().view(Some(actor.id), existing).await;
        }
        let id = tx.next_id();
        tx.insert_status(&woolly_store::NewStatus {
            id,
            uri: remote_uri.unwrap_or_else(|| self.reblog_uri(&actor.username, id)),
            url: None,
            account_id: actor.id,
            is_local: actor.is_local(),
            in_reply_to_id: None,
            in_reply_to_account_id: None,
            reblog_of_id: Some(original_id),
            text: String::new(),
            content: String::new(),
            spoiler_text: String::new(),
            sensitive: false,
            visibility: visibility.as_str().to_owned(),
            language: None,
            app_id: None,
            created_at: now,
        })
        .await?;
        tx.bump_status(original_id, StatusCounter::Reblogs, 1)
            .await?;
        tx.bump_account_statuses(actor.id, 1, Some(now)).await?;
        tx.add_to_home_feed(actor.id, id).await?;
        let notification = crate::notification_policy::notify(
            &mut tx,
            author_id,
            actor.id,
            "reblog",
            Some(original_id),
            now,
        )
        .await?;
        crate::statuses::enqueue_fan_out(&mut tx, id, now).await?;
        if actor.is_local() {
            crate::outbox::enqueue(&mut tx, &Outbound::Create { status_id: id }, now).await?;
        }
        tx.commit().await?;
        self.wake_workers();
        let mut events = vec![
            Event::StatusPosted {
                status_id: id,
                author_id: actor.id,
                visibility,
                is_local: actor.is_local(),
                is_reblog: true,
                has_media: false,
                tags: Vec::new(),
            },
            Event::HomeFeed {
                status_id: id,
                account_ids: vec![actor.id],
            },
        ];
        events.extend(notification.map(|notification_id| Event::Notification {
            account_id: author_id,
            notification_id,
        }));
        let view = self.statuses().view(Some(actor.id), id).await;
        self.publish(events);
        view
    }
}

impl Statuses<'_> {
    /// Who favourited (or reblogged) a status the viewer can see, paged on those rows' ids.
    pub async fn actors(
        &self,
        viewer: Option<i64>,
        status_id: i64,
        interaction: StatusInteraction,
        page: woolly_store::Page,
    ) -> Result<Vec<(i64, Account)>> {
        if !self.db().status_is_visible(status_id, viewer).await? {
            return Err(CoreError::NotFound);
        }
        let rows = self
            .db()
            .status_actors(status_id, interaction, page)
            .await?;
        self.accounts_with_cursors(rows).await
    }

    /// The viewer's favourites or bookmarks, paged on those rows' ids, hiding what the viewer
    /// can no longer see (after a block either way, or an unfollow for followers-only posts);
    /// Mastodon keeps them, but a block here hides both sides from each other everywhere.
    pub async fn relations_page(
        &self,
        viewer: i64,
        relation: StatusRelation,
        page: woolly_store::Page,
    ) -> Result<(Vec<StatusView>, Option<(i64, i64)>)> {
        let rows = self
            .db()
            .status_relations_page(relation, viewer, page)
            .await?;
        let cursors = rows
            .first()
            .zip(rows.last())
            .map(|(first, last)| (first.0, last.0));
        let ids: Vec<i64> = rows.iter().map(|(_, status)| *status).collect();
        let visible = self.db().visible_among(&ids, Some(viewer)).await?;
        let ids: Vec<i64> = ids.into_iter().filter(|id| visible.contains(id)).collect();
        Ok((self.views(Some(viewer), &ids).await?, cursors))
    }

    /// Favourites (or bookmarks) a status the actor can see; doing it twice changes nothing.
    pub async fn add_status_relation(
        &self,
        actor: &Account,
        relation: StatusRelation,
        status_id: i64,
    ) -> Result<StatusView> {
        let view = self.view(Some(actor.id), status_id).await?;
        // Interactions land on the original, not on a reblog of it.
        let target = view.interaction_target();
        let (target_id, author_id) = (target.id, target.account_id);
        let now = crate::now_millis();
        let mut tx = self.db().begin().await?;
        let mut notification = None;
        if tx
            .insert_status_relation(relation, actor.id, target_id, now)
            .await?
            && matches!(relation, StatusRelation::Favourite)
        {
            tx.bump_status(target_id, StatusCounter::Favourites, 1)
                .await?;
            notification = crate::notification_policy::notify(
                &mut tx,
                author_id,
                actor.id,
                "favourite",
                Some(target_id),
                now,
            )
            .await?;
            if actor.is_local() && !target.is_local {
                let outbound = Outbound::Like {
                    account_id: actor.id,
                    status_id: target_id,
                };
                crate::outbox::enqueue(&mut tx, &outbound, now).await?;
            }
        }
        tx.commit().await?;
        self.wake_workers();
        self.publish(notification.map(|notification_id| Event::Notification {
            account_id: author_id,
            notification_id,
        }));
        self.view(Some(actor.id), target_id).await
    }

    /// Undoes a favourite or bookmark. Mastodon answers with the status even when there was
    /// nothing to undo.
    pub async fn remove_status_relation(
        &self,
        actor: &Account,
        relation: StatusRelation,
        status_id: i64,
    ) -> Result<StatusView> {
        let view = self.view(Some(actor.id), status_id).await?;
        let target = view.interaction_target();
        let (target_id, author_id) = (target.id, target.account_id);
        let mut tx = self.db().begin().await?;
        if tx
            .delete_status_relation(relation, actor.id, target_id)
            .await?
            && matches!(relation, StatusRelation::Favourite)
        {
            tx.bump_status(target_id, StatusCounter::Favourites, -1)
                .await?;
            tx.delete_notification(author_id, actor.id, "favourite", Some(target_id))
                .await?;
            if actor.is_local() && !target.is_local {
                let outbound = Outbound::Unlike {
                    account_id: actor.id,
                    status_id: target_id,
                };
                crate::outbox::enqueue(&mut tx, &outbound, crate::now_millis()).await?;
            }
        }
        tx.commit().await?;
        self.wake_workers();
        self.view(Some(actor.id), target_id).await
    }

    /// Reblogs a status: public and unlisted statuses, or the actor's own private ones.
    /// Returns the reblog (whose `reblog` is the original). Reblogging twice returns the first.
    pub async fn reblog(
        &self,
        actor: &Account,
        status_id: i64,
        visibility: Option<Visibility>,
    ) -> Result<StatusView> {
        self.reblog_with_uri(actor, status_id, visibility, None)
            .await
    }

    /// Undoes the actor's reblog of a status; returns the original.
    pub async fn unreblog(&self, actor: &Account, status_id: i64) -> Result<StatusView> {
        let view = self.view(Some(actor.id), status_id).await?;
        let original = view.interaction_target();
        let (original_id, author_id) = (original.id, original.account_id);
        let left_feeds = match self.db().reblog_of_by(actor.id, original_id).await? {
            Some(reblog) => Some(self.leaving_feeds(reblog, actor.id).await?),
            None => None,
        };
        let mut tx = self.db().begin().await?;
        let removed = tx.reblog_by(actor.id, original_id).await?;
        if let Some(reblog) = removed {
            if actor.is_local() {
                let outbound = Outbound::Delete {
                    status_id: reblog,
                    account_id: actor.id,
                    uri: self.reblog_uri(&actor.username, reblog),
                    visibility: Visibility::Public.as_str().to_owned(),
                    mentioned: Vec::new(),
                    reblog_of: Some((original_id, author_id)),
                };
                crate::outbox::enqueue(&mut tx, &outbound, crate::now_millis()).await?;
            }
            tx.delete_status(reblog).await?;
            tx.bump_status(original_id, StatusCounter::Reblogs, -1)
                .await?;
            tx.bump_account_statuses(actor.id, -1, None).await?;
            tx.delete_notification(author_id, actor.id, "reblog", Some(original_id))
                .await?;
        }
        tx.commit().await?;
        // Only the feeds that had the reblog hear of it: Mastodon's `RemoveStatusService` skips
        // the public and hashtag streams for reblogs, which never appear there.
        if removed.is_some() {
            self.publish(left_feeds);
        }
        self.view(Some(actor.id), original_id).await
    }
}

impl Relations<'_> {
    /// An account's followers (or the accounts it follows), paged on the follows' ids.
    pub async fn follows(
        &self,
        account_id: i64,
        side: FollowSide,
        page: woolly_store::Page,
    ) -> Result<Vec<(i64, Account)>> {
        self.accounts()
            .account(account_id)
            .await?
            .ok_or(CoreError::NotFound)?;
        let rows = self.db().follows_page(account_id, side, page).await?;
        self.accounts_with_cursors(rows).await
    }

    pub async fn relationships(
        &self,
        viewer: i64,
        target_ids: &[i64],
    ) -> Result<Vec<Relationship>> {
        Ok(self.db().relationships(viewer, target_ids).await?)
    }

    pub async fn relationship(&self, viewer: i64, target_id: i64) -> Result<Relationship> {
        self.relationships(viewer, &[target_id])
            .await?
            .into_iter()
            .next()
            .ok_or(CoreError::NotFound)
    }

    /// Follows a local account. (Locked accounts' follow requests and remote follows come with
    /// their own issues; until then a follow takes effect at once.)
    /// Follows an account; a locked account gets a follow request to authorize instead.
    /// Following again only changes the options (reblogs, notify).
    pub async fn follow(
        &self,
        actor: &Account,
        target_id: i64,
        options: FollowOptions,
    ) -> Result<Relationship> {
        self.follow_with_uri(actor, target_id, options, None, false)
            .await
    }

    /// Follows the account someone the actor followed moved to, as the actor followed the
    /// old one; a local account that moved here takes its followers without asking, as
    /// Mastodon's `bypass_locked`.
    pub(crate) async fn follow_moved(
        &self,
        actor: &Account,
        target: &Account,
        options: FollowOptions,
    ) -> Result<Relationship> {
        let bypass_locked = target.is_local();
        self.follow_with_uri(actor, target.id, options, None, bypass_locked)
            .await
    }

    /// [`crate::areas::Relations::follow`] for a `Follow` activity received from a remote actor, whose id the
    /// `Accept` or `Reject` must name.
    pub async fn follow_from_remote(
        &self,
        actor: &Account,
        target_id: i64,
        follow_uri: &str,
    ) -> Result<Relationship> {
        self.follow_with_uri(
            actor,
            target_id,
            FollowOptions::default(),
            Some(follow_uri),
            false,
        )
        .await
    }

    /// Unfollows an account, or withdraws a waiting follow request.
    pub async fn unfollow(&self, actor: &Account, target_id: i64) -> Result<Relationship> {
        let target = self.other_account(actor, target_id).await?;
        let mut tx = self.db().begin().await?;
        let uri = tx.follow_uri(actor.id, target.id).await?;
        let mut undone = false;
        if tx.delete_follow(actor.id, target.id).await? {
            undone = true;
            tx.delete_notification(target.id, actor.id, "follow", None)
                .await?;
        }
        if tx.take_follow_request(actor.id, target.id).await?.is_some() {
            undone = true;
            tx.delete_notification(target.id, actor.id, "follow_request", None)
                .await?;
        }
        if undone && actor.is_local() && !target.is_local() {
            let outbound = Outbound::Unfollow {
                account_id: actor.id,
                target_id: target.id,
                uri,
            };
            crate::outbox::enqueue(&mut tx, &outbound, crate::now_millis()).await?;
        }
        tx.commit().await?;
        self.wake_workers();
        self.relationship(actor.id, target.id).await
    }

    /// Answers a follow request to the actor: authorized, it becomes a follow.
    pub async fn answer_follow_request(
        &self,
        actor: &Account,
        requester_id: i64,
        answer: FollowRequestAnswer,
    ) -> Result<Relationship> {
        let authorize = answer == FollowRequestAnswer::Authorize;
        let requester = self.other_account(actor, requester_id).await?;
        let mut tx = self.db().begin().await?;
        let uri = tx.follow_uri(requester.id, actor.id).await?;
        let request = tx
            .take_follow_request(requester.id, actor.id)
            .await?
            .ok_or(CoreError::NotFound)?;
        tx.delete_notification(actor.id, requester.id, "follow_request", None)
            .await?;
        let now = crate::now_millis();
        if authorize {
            tx.upsert_follow(requester.id, actor.id, &request, now)
                .await?;
            if let Some(uri) = &uri {
                tx.set_follow_uri(requester.id, actor.id, uri).await?;
            }
        }
        if actor.is_local() && !requester.is_local() {
            let outbound = if authorize {
                Outbound::Accept {
                    account_id: actor.id,
                    follower_id: requester.id,
                    uri,
                }
            } else {
                Outbound::Reject {
                    account_id: actor.id,
                    follower_id: requester.id,
                    uri,
                }
            };
            crate::outbox::enqueue(&mut tx, &outbound, now).await?;
        }
        tx.commit().await?;
        self.wake_workers();
        self.relationship(actor.id, requester.id).await
    }

    /// Follow requests waiting for the actor, paged on the requests' ids.
    pub async fn follow_requests(
        &self,
        actor: &Account,
        page: woolly_store::Page,
    ) -> Result<Vec<(i64, Account)>> {
        let rows = self.db().follow_requests_page(actor.id, page).await?;
        self.accounts_with_cursors(rows).await
    }

    /// How many follow requests wait for an account.
    pub async fn follow_requests_count(&self, account_id: i64) -> Result<i64> {
        Ok(self.db().count_follow_requests(account_id).await?)
    }

    /// Removes `target_id` from the actor's followers.
    pub async fn remove_from_followers(
        &self,
        actor: &Account,
        target_id: i64,
    ) -> Result<Relationship> {
        let target = self.other_account(actor, target_id).await?;
        let mut tx = self.db().begin().await?;
        let uri = tx.follow_uri(target.id, actor.id).await?;
        if tx.delete_follow(target.id, actor.id).await? && actor.is_local() && !target.is_local() {
            let outbound = Outbound::Reject {
                account_id: actor.id,
                follower_id: target.id,
                uri,
            };
            crate::outbox::enqueue(&mut tx, &outbound, crate::now_millis()).await?;
        }
        tx.commit().await?;
        self.wake_workers();
        self.relationship(actor.id, target.id).await
    }

    pub async fn block(&self, actor: &Account, target_id: i64) -> Result<Relationship> {
        let target = self.other_account(actor, target_id).await?;
        let mut tx = self.db().begin().await?;
        let now = crate::now_millis();
        tx.insert_block(actor.id, target.id, now).await?;
        if actor.is_local() && !target.is_local() {
            let outbound = Outbound::Block {
                account_id: actor.id,
                target_id: target.id,
            };
            crate::outbox::enqueue(&mut tx, &outbound, now).await?;
        }
        tx.commit().await?;
        self.wake_workers();
        self.relationship(actor.id, target.id).await
    }

    pub async fn unblock(&self, actor: &Account, target_id: i64) -> Result<Relationship> {
        let target = self.other_account(actor, target_id).await?;
        let mut tx = self.db().begin().await?;
        if tx.delete_block(actor.id, target.id).await? && actor.is_local() && !target.is_local() {
            let outbound = Outbound::Unblock {
                account_id: actor.id,
                target_id: target.id,
            };
            crate::outbox::enqueue(&mut tx, &outbound, crate::now_millis()).await?;
        }
        tx.commit().await?;
        self.wake_workers();
        self.relationship(actor.id, target.id).await
    }

    pub async fn mute(
        &self,
        actor: &Account,
        target_id: i64,
        options: MuteOptions,
    ) -> Result<Relationship> {
        let target = self.other_account(actor, target_id).await?;
        let now = crate::now_millis();
        let expires_at = options
            .duration
            .filter(|seconds| *seconds > 0)
            .map(|seconds| now + seconds.saturating_mul(1000));
        let mut tx = self.db().begin().await?;
        tx.upsert_mute(actor.id, target.id, options.notifications, expires_at, now)
            .await?;
        if options.notifications {
            // Mastodon clears them (MuteService runs the block worker): they do not come back
            // when the mute ends.
            tx.delete_notifications_from(actor.id, target.id).await?;
        }
        tx.commit().await?;
        self.relationship(actor.id, target.id).await
    }

    pub async fn unmute(&self, actor: &Account, target_id: i64) -> Result<Relationship> {
        let target = self.other_account(actor, target_id).await?;
        let mut tx = self.db().begin().await?;
        tx.delete_mute(actor.id, target.id).await?;
        tx.commit().await?;
        self.relationship(actor.id, target.id).await
    }
}
