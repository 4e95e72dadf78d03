//! Processing received activities: the `federation.inbound` job, one per accepted activity.
//!
//! The inbox has already checked that the signer is the activity's actor. Here each activity
//! becomes the core use case a local user's action would run (a `Follow` follows, a `Like`
//! favourites, an `Undo` undoes), with the remote account as the actor, so that every rule
//! (blocks, visibility, notifications, counters) applies once, in core. Objects are trusted only
//! from their own host: an embedded object whose id is on another host than the actor's is
//! fetched from its origin instead.

use serde::{Deserialize, Serialize};
use serde_json::Value;
use woolly_core::CoreError;
use woolly_core::StatusRelation;
use woolly_core::Woolly;
use woolly_core::accounts::Account;
use woolly_core::jobs::{Job, JobError, JobFuture, JobHandler};
use woolly_core::remote::INBOUND_KIND;
use woolly_core::visibility::Visibility;

use crate::remote::{
    Federation, FederationError, MAX_PARENT_DEPTH, authority_of, remote_account,
    visibility_of_audience,
};
use crate::vocab::{Activity, ActivityType, Document, IdOrObject};

/// What the inbox stores for a received activity.
#[derive(Debug, Serialize, Deserialize)]
pub struct InboundPayload {
    /// The account whose signature was verified: the activity's actor, unless `forwarded`.
    pub signer_id: i64,
    pub activity: Value,
    /// Passed on by someone other than its actor: only its object's id is believed.
    #[serde(default)]
    pub forwarded: bool,
}

/// Runs `federation.inbound` jobs.
pub struct InboundJob {
    pub federation: Federation,
}

impl JobHandler for InboundJob {
    fn kind(&self) -> &'static str {
        INBOUND_KIND
    }

    fn run<'a>(&'a self, woolly: &'a Woolly, job: &'a Job) -> JobFuture<'a> {
        Box::pin(async move {
            let payload: InboundPayload = job.payload()?;
            let activity = match Document::from_json(&payload.activity.to_string()) {
                Ok(Document::Activity(activity)) => activity,
                _ => {
                    tracing::info!("not an activity: dropped");
                    return Ok(());
                }
            };
            if payload.forwarded {
                let Some(uri) = activity.first_object().and_then(IdOrObject::id) else {
                    return Ok(());
                };
                return match self
                    .federation
                    .status_for_uri(woolly, uri, MAX_PARENT_DEPTH)
                    .await
                {
                    Ok(_) => Ok(()),
                    Err(FederationError::Fetch(error)) => Err(JobError::Retry(error.to_string())),
                    Err(error) => {
                        tracing::info!(uri, %error, "forwarded post dropped");
                        Ok(())
                    }
                };
            }
            let Some(mut actor) = woolly
                .federation()
                .account_including_suspended(payload.signer_id)
                .await?
            else {
                tracing::info!(activity = ?activity.id, "the signer is gone: dropped");
                return Ok(());
            };
            // A profile not fetched for a day is fetched again now (a failure keeps it as it was).
            if let Some(uri) = actor.actor.uri.clone()
                && let Ok(refreshed) = self.federation.account_for_uri(woolly, &uri, false).await
            {
                actor = refreshed;
            }
            if !allowed_while_suspended(&actor, &activity) {
                tracing::info!(activity = ?activity.id, "from a suspended account: dropped");
                return Ok(());
            }
            let processor = Processor {
                woolly,
                federation: &self.federation,
                actor: &actor,
            };
            match processor.process(&activity).await {
                Ok(()) => Ok(()),
                Err(FederationError::Fetch(error)) => Err(JobError::Retry(error.to_string())),
                Err(FederationError::Core(error)) => match error {
                    CoreError::Store(_) | CoreError::Internal(_) => {
                        Err(JobError::Retry(error.to_string()))
                    }
                    other => {
                        // Not allowed, not found, invalid: Mastodon drops such activities too.
                        tracing::info!(activity = ?activity.id, error = %other, "activity dropped");
                        Ok(())
                    }
                },
                Err(error) => {
                    tracing::info!(activity = ?activity.id, %error, "activity dropped");
                    Ok(())
                }
            }
        })
    }
}

/// Whether an activity is processed although its actor may be suspended, as Mastodon decides
/// (`ActivityPub::ProcessCollectionService#suspended_actor?`): everything from an account that is
/// not; from one its own server suspended, only the update of its actor (which may lift the
/// suspension) and deletions; from one this server suspended, nothing.
fn allowed_while_suspended(actor: &Account, activity: &Activity) -> bool {
    let limits = &actor.limits;
    if limits.suspended_at.is_none() {
        return true;
    }
    let by_its_server = limits.suspension_origin.as_deref() == Some("remote");
    by_its_server && matches!(activity.kind, ActivityType::Update | ActivityType::Delete)
}

struct Processor<'a> {
    woolly: &'a Woolly,
    federation: &'a Federation,
    actor: &'a Account,
}

type Outcome = Result<(), FederationError>;

impl Processor<'_> {
    fn actor_uri(&self) -> String {
        self.woolly.federation().actor_uri(self.actor)
    }

    /// Whether `uri` is on the actor's own host (what the actor may speak for).
    fn on_actor_host(&self, uri: &str) -> bool {
        authority_of(uri).is_some() && authority_of(uri) == authority_of(&self.actor_uri())
    }

    async fn process(&self, activity: &Activity) -> Outcome {
        let object = activity.first_object();
        match activity.kind {
            ActivityType::Create => self.create(object).await,
            ActivityType::Update => self.update(object).await,
            ActivityType::Delete => self.delete(object).await,
            ActivityType::Follow => self.follow(activity, object).await,
            ActivityType::Accept => self.answer(object, true).await,
            ActivityType::Reject => self.answer(object, false).await,
            ActivityType::Undo => self.undo(object).await,
            ActivityType::Like => self.like(object).await,
            ActivityType::Announce => self.announce(activity, object).await,
            ActivityType::Block => self.block(object).await,
            ActivityType::Flag => self.flag(activity).await,
            ActivityType::Add => self.feature(activity, object, true).await,
            ActivityType::Remove => self.feature(activity, object, false).await,
            ActivityType::Move => self.moved(activity, object).await,
            other => {
                tracing::info!(kind = ?other, id = ?activity.id, "activity type not handled: dropped");
                Ok(())
            }
        }
    }

    /// The local account a URI names, if it names one.
    async fn local_account(&self, uri: Option<&str>) -> Result<Option<Account>, FederationError> {
        match uri.and_then(|uri| self.woolly.federation().local_username_in(uri)) {
            Some(username) => Ok(self.woolly.accounts().local_account(username).await?),
            None => Ok(None),
        }
    }

    async fn create(&self, object: Option<&IdOrObject<Document>>) -> Outcome {
        let Some(Document::Object(note)) = object.and_then(IdOrObject::object) else {
            return Ok(());
        };
        if !note.kind.is_status_like() {
            return Ok(());
        }
        let Some(uri) = note.id.as_deref() else {
            return Ok(());
        };
        if let (Some(name), Some(parent)) = (&note.name, &note.in_reply_to)
            && note.content.as_deref().is_none_or(str::is_empty)
            && let Some(status_id) = self.woolly.federation().status_id_by_uri(parent).await?
        {
            // A vote: a named note answering a poll (Mastodon's and everyone's convention).
            if self
                .woolly
                .federation()
                .record_remote_vote(self.actor, status_id, name)
                .await?
            {
                return Ok(());
            }
        }
        if self
            .woolly
            .federation()
            .was_deleted_before_arrival(uri)
            .await?
        {
            tracing::info!(uri, "created after its deletion arrived: dropped");
            return Ok(());
        }
        let by_actor = note
            .attributed_to
            .first()
            .is_some_and(|author| *author == self.actor_uri());
        if by_actor && self.on_actor_host(uri) {
            self.federation
                .store_object(self.woolly, note, MAX_PARENT_DEPTH)
                .await?;
        } else {
            // Someone else's post: believed only from its origin.
            self.federation
                .status_for_uri(self.woolly, uri, MAX_PARENT_DEPTH)
                .await?;
        }
        Ok(())
    }

    async fn update(&self, object: Option<&IdOrObject<Document>>) -> Outcome {
        match object.and_then(IdOrObject::object) {
            Some(Document::Actor(actor)) if actor.id == self.actor_uri() => {
                let domain = authority_of(&actor.id).unwrap_or_default();
                self.woolly
                    .federation()
                    .store_remote_account(remote_account(actor, &domain)?)
                    .await?;
                Ok(())
            }
            Some(Document::Object(note)) if note.kind.is_status_like() => {
                let Some(uri) = note.id.as_deref() else {
                    return Ok(());
                };
                if !self.on_actor_host(uri) {
                    return Ok(());
                }
                let remote = self
                    .federation
                    .remote_status(self.woolly, self.actor, note, 0)
                    .await?;
                if !self
                    .woolly
                    .federation()
                    .update_remote_status(self.actor, remote)
                    .await?
                {
                    // An edit of something never received: keep it as a new post.
                    self.create(object).await?;
                }
                Ok(())
            }
            _ => Ok(()),
        }
    }

    async fn delete(&self, object: Option<&IdOrObject<Document>>) -> Outcome {
        let Some(uri) = object.and_then(IdOrObject::id) else {
            return Ok(());
        };
        if uri == self.actor_uri() {
            self.woolly
                .federation()
                .delete_remote_account(self.actor)
                .await?;
            return Ok(());
        }
        if !self.on_actor_host(uri) {
            return Ok(());
        }
        if !self
            .woolly
            .federation()
            .delete_remote_status(self.actor, uri)
            .await?
        {
            self.woolly
                .federation()
                .mark_deleted_before_arrival(uri)
                .await?;
        }
        Ok(())
    }

    async fn follow(&self, activity: &Activity, object: Option<&IdOrObject<Document>>) -> Outcome {
        let Some(target) = self.local_account(object.and_then(IdOrObject::id)).await? else {
            return Ok(());
        };
        let uri = activity.id.clone().unwrap_or_default();
        match self
            .woolly
            .relations()
            .follow_from_remote(self.actor, target.id, &uri)
            .await
        {
            Ok(_) => Ok(()),
            Err(CoreError::Forbidden(_)) => {
                // Blocked: the follower hears no (Mastodon answers with a Reject).
                self.woolly
                    .federation()
                    .reject_remote_follow(&target, self.actor, Some(uri))
                    .await?;
                Ok(())
            }
            Err(error) => Err(error.into()),
        }
    }

    /// An `Accept` or `Reject` of a local account's `Follow`.
    async fn answer(&self, object: Option<&IdOrObject<Document>>, accepted: bool) -> Outcome {
        let follower = match object {
            Some(IdOrObject::Object(document)) => {
                let Document::Activity(follow) = &**document else {
                    return Ok(());
                };
                let by_follower = self.local_account(follow.actor_id()).await?;
                match by_follower {
                    Some(account) => Some(account),
                    None => self.local_account(follow.id.as_deref()).await?,
                }
            }
            // Woolly's `Follow` ids start with the follower's actor id.
            Some(IdOrObject::Id(id)) => self.local_account(Some(id)).await?,
            _ => None,
        };
        let Some(follower) = follower else {
            return Ok(());
        };
        if accepted {
            self.woolly
                .federation()
                .remote_follow_accepted(self.actor, follower.id)
                .await?;
        } else {
            self.woolly
                .federation()
                .remote_follow_rejected(self.actor, follower.id)
                .await?;
        }
        Ok(())
    }

    async fn undo(&self, object: Option<&IdOrObject<Document>>) -> Outcome {
        match object {
            Some(IdOrObject::Object(document)) => {
                let Document::Activity(undone) = &**document else {
                    return Ok(());
                };
                let inner = undone.first_object().and_then(IdOrObject::id);
                match undone.kind {
                    ActivityType::Follow => {
                        if let Some(target) = self.local_account(inner).await? {
                            self.woolly
                                .relations()
                                .unfollow(self.actor, target.id)
                                .await?;
                        }
                    }
                    ActivityType::Like => {
                        if let Some(status_id) = self.known_status(inner).await? {
                            self.woolly
                                .statuses()
                                .remove_status_relation(
                                    self.actor,
                                    StatusRelation::Favourite,
                                    status_id,
                                )
                                .await?;
                        }
                    }
                    ActivityType::Announce => {
                        if let Some(id) = undone.id.as_deref() {
                            self.woolly
                                .federation()
                                .delete_remote_status(self.actor, id)
                                .await?;
                        }
                    }
                    ActivityType::Block => {
                        if let Some(target) = self.local_account(inner).await? {
                            self.woolly
                                .relations()
                                .unblock(self.actor, target.id)
                                .await?;
                        }
                    }
                    _ => {}
                }
                Ok(())
            }
            // Only an id: it can only be recognised as a reblog stored under that id.
            Some(IdOrObject::Id(id)) => {
                if self.on_actor_host(id) {
                    self.woolly
                        .federation()
                        .delete_remote_status(self.actor, id)
                        .await?;
                }
                Ok(())
            }
            _ => Ok(()),
        }
    }

    /// A report from another server (Mastodon sends it from its instance actor): its objects
    /// name the reported account and some of its statuses. Only an account of this server is
    /// this server's to look at; a Flag about anyone else is ignored.
    async fn flag(&self, activity: &Activity) -> Outcome {
        let Some(uri) = activity.id.as_deref().filter(|uri| self.on_actor_host(uri)) else {
            return Ok(());
        };
        // A server whose reports this one rejects (a domain block's `reject_reports`).
        if let Some(domain) = &self.actor.domain
            && let Some(block) = self.woolly.instance().domain_block_covering(domain).await?
            && block.reject_reports
        {
            tracing::info!(
                uri,
                domain,
                "report from a server whose reports are rejected"
            );
            return Ok(());
        }
        let mut target = None;
        let mut status_ids = Vec::new();
        for object in &activity.object {
            // A status's id names its author too (`/users/NAME/statuses/ID`): statuses first.
            let id = object.id();
            if let Some(status_id) = self.known_status(id).await? {
                status_ids.push(status_id);
            } else if let Some(account) = self.local_account(id).await? {
                target.get_or_insert(account);
            }
        }
        let Some(target) = target else {
            return Ok(());
        };
        let comment = activity.content.as_deref().unwrap_or_default();
        self.woolly
            .moderation()
            .report_from_elsewhere(self.actor, &target, status_ids, comment, uri)
            .await?;
        Ok(())
    }

    async fn known_status(&self, uri: Option<&str>) -> Result<Option<i64>, FederationError> {
        match uri {
            Some(uri) => Ok(self.woolly.federation().status_id_by_uri(uri).await?),
            None => Ok(None),
        }
    }

    async fn like(&self, object: Option<&IdOrObject<Document>>) -> Outcome {
        if let Some(status_id) = self.known_status(object.and_then(IdOrObject::id)).await? {
            self.woolly
                .statuses()
                .add_status_relation(self.actor, StatusRelation::Favourite, status_id)
                .await?;
        }
        Ok(())
    }

    async fn announce(
        &self,
        activity: &Activity,
        object: Option<&IdOrObject<Document>>,
    ) -> Outcome {
        let (Some(uri), Some(object_uri)) = (activity.id.clone(), object.and_then(IdOrObject::id))
        else {
            return Ok(());
        };
        if !self.on_actor_host(&uri) {
            return Ok(());
        }
        let status_id = match self
            .woolly
            .federation()
            .status_id_by_uri(object_uri)
            .await?
        {
            Some(id) => id,
            None => {
                self.federation
                    .status_for_uri(self.woolly, object_uri, MAX_PARENT_DEPTH)
                    .await?
            }
        };
        // Mastodon's `Announce#visibility_from_audience`: a reblog is never direct.
        let visibility = match visibility_of_audience(&activity.to, &activity.cc, None) {
            Visibility::Direct => Visibility::Private,
            visibility => visibility,
        };
        self.woolly
            .federation()
            .store_remote_reblog(self.actor, status_id, uri, visibility)
            .await?;
        Ok(())
    }

    /// An `Add` to (or `Remove` from) the actor's pinned posts, its `featured` collection.
    /// A `Move` of the actor to another account (Mastodon's `ActivityPub::Activity::Move`):
    /// only of itself (its object is its own id); the new account is fetched afresh, and must
    /// name the actor among its aliases (`alsoKnownAs`); core decides the rest.
    async fn moved(&self, activity: &Activity, object: Option<&IdOrObject<Document>>) -> Outcome {
        if self.actor.is_local() || object.and_then(IdOrObject::id) != Some(&self.actor_uri()) {
            return Ok(());
        }
        let Some(target_uri) = activity.target.as_ref().and_then(IdOrObject::id) else {
            return Ok(());
        };
        if target_uri == self.actor_uri() {
            return Ok(());
        }
        // Its aliases as they are now: an old copy might predate the alias, or name a
        // withdrawn one.
        let target = self
            .federation
            .account_for_uri(self.woolly, target_uri, true)
            .await?;
        let moved = self
            .woolly
            .federation()
            .remote_account_moved(self.actor, &target)
            .await?;
        if !moved {
            tracing::info!(
                actor = %self.actor_uri(),
                target = target_uri,
                "move not carried out: no alias, a moved target, or done already"
            );
        }
        Ok(())
    }

    async fn feature(
        &self,
        activity: &Activity,
        object: Option<&IdOrObject<Document>>,
        pinned: bool,
    ) -> Outcome {
        let target = activity.target.as_ref().and_then(IdOrObject::id);
        if !target.is_some_and(|target| self.on_actor_host(target)) {
            return Ok(());
        }
        let Some(uri) = object.and_then(IdOrObject::id) else {
            return Ok(());
        };
        let status_id = match self.woolly.federation().status_id_by_uri(uri).await? {
            Some(id) => id,
            None if pinned && self.on_actor_host(uri) => {
                self.federation.status_for_uri(self.woolly, uri, 0).await?
            }
            None => return Ok(()),
        };
        if pinned {
            self.woolly.statuses().pin(self.actor, status_id).await?;
        } else {
            self.woolly.statuses().unpin(self.actor, status_id).await?;
        }
        Ok(())
    }

    async fn block(&self, object: Option<&IdOrObject<Document>>) -> Outcome {
        if let Some(target) = self.local_account(object.and_then(IdOrObject::id)).await? {
            self.woolly.relations().block(self.actor, target.id).await?;
        }
        Ok(())
    }
}
