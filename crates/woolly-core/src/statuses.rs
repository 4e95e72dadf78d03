//! Statuses: posting, reading, deleting, threads, and the views every front door renders.
//!
//! A [`StatusView`] is a status with everything needed to show it (author, reblogged status,
//! mentions, tags, application, the viewer's own interactions), built for a whole page with a
//! fixed number of queries whatever the page size. What every viewer sees alike is shared
//! between requests (`status_cache`).

use std::collections::{HashMap, HashSet};
use std::ops::Deref;
use std::sync::Arc;

use woolly_store::{
    NewStatus, Page, StatusCounter, StatusRow, StatusStamp, TagSelection, Tx, ViewerMark,
};

pub use crate::status_cache::SharedStatus;

use crate::accounts::{Account, LocalUser};
use crate::areas::{Statuses, Timelines};
use crate::error::{CoreError, Result};
use crate::events::Event;
use crate::filters::{FilterContext, Listing};
use crate::jobs::new_job;
use crate::outbox::Outbound;
use crate::state::Woolly;
use crate::visibility::Visibility;

/// How long an `Idempotency-Key` is remembered (Mastodon: one hour).
const IDEMPOTENCY_WINDOW_MILLIS: i64 = 60 * 60 * 1000;
/// The most ancestors and descendants a thread shows.
const CONTEXT_LIMIT: i64 = 4096;

/// A stored status.
#[derive(Debug, Clone)]
pub struct Status {
    pub id: i64,
    pub uri: String,
    pub url: Option<String>,
    pub account_id: i64,
    pub is_local: bool,
    pub in_reply_to_id: Option<i64>,
    pub in_reply_to_account_id: Option<i64>,
    pub reblog_of_id: Option<i64>,
    /// The source text (local statuses).
    pub text: String,
    /// Rendered (local) or sanitized (remote) HTML.
    pub content: String,
    pub spoiler_text: String,
    pub sensitive: bool,
    pub visibility: Visibility,
    pub language: Option<String>,
    pub app_id: Option<i64>,
    pub replies_count: i64,
    pub reblogs_count: i64,
    pub favourites_count: i64,
    pub created_at: i64,
    pub edited_at: Option<i64>,
    /// The thread (Mastodon's conversation) it belongs to: the id of the thread's first status.
    pub thread_id: i64,
    /// The preview card it shows, if any.
    pub card_id: Option<i64>,
}

impl Status {
    /// Where its `:shortcode:`s are written: the source text of a local status, the content of
    /// others.
    pub(crate) fn emoji_source(&self) -> &str {
        if self.text.is_empty() {
            &self.content
        } else {
            &self.text
        }
    }
}

impl TryFrom<StatusRow> for Status {
    type Error = CoreError;

    fn try_from(row: StatusRow) -> Result<Status> {
        Ok(Status {
            visibility: Visibility::parse(&row.visibility)?,
            id: row.id,
            uri: row.uri,
            url: row.url,
            account_id: row.account_id,
            is_local: row.is_local,
            in_reply_to_id: row.in_reply_to_id,
            in_reply_to_account_id: row.in_reply_to_account_id,
            reblog_of_id: row.reblog_of_id,
            text: row.text,
            content: row.content,
            spoiler_text: row.spoiler_text,
            sensitive: row.sensitive,
            language: row.language,
            app_id: row.app_id,
            replies_count: row.replies_count,
            reblogs_count: row.reblogs_count,
            favourites_count: row.favourites_count,
            created_at: row.created_at,
            edited_at: row.edited_at,
            thread_id: row.thread_id,
            card_id: row.card_id,
        })
    }
}

/// What the viewer has done with a status (all false for anonymous viewers).
#[derive(Debug, Clone, Copy, Default)]
pub struct ViewerState {
    pub favourited: bool,
    pub reblogged: bool,
    pub bookmarked: bool,
    /// Pinned to the viewer's profile (only the viewer's own statuses can be).
    pub pinned: bool,
    /// The viewer muted the status's thread.
    pub muted: bool,
}

/// A status with everything needed to render it for one viewer.
#[derive(Debug, Clone)]
pub struct StatusView {
    /// What every viewer sees alike (`view.status`, `view.account`… read through it).
    pub shared: Arc<SharedStatus>,
    pub reblog: Option<Box<StatusView>>,
    /// Its poll, with the viewer's votes.
    pub poll: Option<crate::polls::Poll>,
    /// `None` for anonymous viewers.
    pub viewer: Option<ViewerState>,
    /// What the viewer's filters matched (always empty for anonymous viewers).
    pub filtered: Vec<crate::filters::FilterResult>,
}

impl Deref for StatusView {
    type Target = SharedStatus;

    fn deref(&self) -> &SharedStatus {
        &self.shared
    }
}

impl StatusView {
    /// The status that favourites, reblogs and bookmarks land on: the reblogged original for a
    /// reblog, the status itself otherwise.
    pub fn interaction_target(&self) -> &Status {
        self.reblog
            .as_deref()
            .map_or(&self.status, |original| &original.status)
    }
}

/// A status to post.
#[derive(Debug, Clone, Default)]
pub struct NewPost {
    pub text: String,
    pub spoiler_text: String,
    pub sensitive: bool,
    pub visibility: Option<Visibility>,
    pub language: Option<String>,
    pub in_reply_to_id: Option<i64>,
    pub idempotency_key: Option<String>,
    /// Uploads to attach, in order (at most four).
    pub media_ids: Vec<i64>,
    /// A poll to attach (never together with media).
    pub poll: Option<crate::polls::PollDraft>,
}

/// A post that passed the checks of [`Woolly::prepare_post`], ready to be written.
pub(crate) struct PreparedPost {
    checked: crate::compose::Checked,
    poll: Option<crate::polls::CheckedPoll>,
    visibility: Visibility,
    parent: Option<StatusRow>,
    sensitive: bool,
    media_ids: Vec<i64>,
}

/// A new status as every origin stores it: posted here, or received from another server.
pub(crate) struct NewStatusRecord<'a> {
    pub status: NewStatus,
    pub mentioned: &'a [Account],
    /// Hashtag names, as stored.
    pub tags: &'a [String],
    pub has_media: bool,
}

/// Writes in `tx` what every new status writes, local or remote: the status, its mentions and
/// hashtags, the author's and the parent's counters, mention notifications of local accounts,
/// and the fan-out job that brings it to followers' home feeds and lists. Returns the events to
/// publish once `tx` is committed, the status's own first. Polls, media, the author's own feed
/// and delivery to other servers differ by origin and are the caller's.
pub(crate) async fn insert_new_status(
    tx: &mut Tx,
    record: NewStatusRecord<'_>,
    now: i64,
) -> Result<Vec<Event>> {
    let NewStatusRecord {
        status,
        mentioned,
        tags,
        has_media,
    } = record;
    let visibility = Visibility::parse(&status.visibility)?;
    tx.insert_status(&status).await?;
    let id = status.id;
    for account in mentioned {
        tx.insert_mention(id, account.id).await?;
    }
    for tag in tags {
        tx.insert_tag(id, tag).await?;
    }
    tx.bump_account_statuses(status.account_id, 1, Some(status.created_at))
        .await?;
    if let Some(parent) = status.in_reply_to_id {
        tx.bump_status(parent, StatusCounter::Replies, 1).await?;
    }
    let mut events = vec![Event::StatusPosted {
        status_id: id,
        author_id: status.account_id,
        visibility,
        is_local: status.is_local,
        is_reblog: false,
        has_media,
        tags: tags.to_vec(),
    }];
    // Remote accounts hear of it from its own server (or through delivery), not from here.
    for account in mentioned.iter().filter(|account| account.is_local()) {
        if let Some(notification_id) = crate::notification_policy::notify(
            tx,
            account.id,
            status.account_id,
            "mention",
            Some(id),
            now,
        )
        .await?
        {
            events.push(Event::Notification {
                account_id: account.id,
                notification_id,
            });
        }
    }
    enqueue_fan_out(tx, id, now).await?;
    if crate::link_previews::may_link(&status.content) {
        crate::link_previews::enqueue(tx, id, now).await?;
    }
    Ok(events)
}

/// The refusal of uploads that are unknown, someone else's, or already used.
pub(crate) fn invalid_media() -> CoreError {
    CoreError::Validation(
        "Validation failed: Media attachments are invalid (unknown, not yours, or already attached)"
            .into(),
    )
}

/// A thread around a status.
#[derive(Debug, Clone)]
pub struct Context {
    pub ancestors: Vec<StatusView>,
    pub descendants: Vec<StatusView>,
}

impl Woolly {
    /// The id of a local reblog: its `Announce` activity's.
    pub(crate) fn reblog_uri(&self, username: &str, id: i64) -> String {
        format!("{}/activity", self.status_uri(username, id))
    }

    /// The URI of a local status (its ActivityPub id).
    fn status_uri(&self, username: &str, id: i64) -> String {
        self.config().urls().status(username, id)
    }

    /// The web page of a local status.
    fn status_url(&self, username: &str, id: i64) -> String {
        self.config().urls().status_page(username, id)
    }

    /// Checks a post as posting it would, without writing anything: its poll, text, content
    /// warning, language and media count, its visibility, and the status it replies to. Scheduling
    /// checks a post with this too, and so does its publication later.
    pub(crate) async fn prepare_post(
        &self,
        author: &Account,
        user: &LocalUser,
        post: NewPost,
    ) -> Result<PreparedPost> {
        // An account that moved speaks from its new home only (Mastodon refuses it too).
        if author.moved_to_account_id.is_some() {
            return Err(CoreError::Forbidden(
                "This account has moved and no longer posts".into(),
            ));
        }
        if post.poll.is_some() && !post.media_ids.is_empty() {
            return Err(poll_beside_media());
        }
        let poll = post.poll.map(|draft| self.check_poll(draft)).transpose()?;
        let checked = self.check_composition(
            &post.text,
            &post.spoiler_text,
            post.language,
            post.media_ids.len(),
        )?;
        let visibility = match post.visibility {
            Some(visibility) => visibility,
            None => Visibility::parse(&user.default_privacy)?,
        };
        let parent = match post.in_reply_to_id {
            Some(id) => Some(
                self.db()
                    .visible_status(id, Some(author.id))
                    .await?
                    .ok_or(CoreError::NotFound)?,
            ),
            None => None,
        };
        if let Some(parent) = &parent
            && parent.reblog_of_id.is_some()
        {
            return Err(CoreError::Validation(
                "Validation failed: A reblog cannot be replied to".into(),
            ));
        }
        Ok(PreparedPost {
            checked,
            poll,
            visibility,
            parent,
            sensitive: post.sensitive,
            media_ids: post.media_ids,
        })
    }

    /// Writes a checked post in `tx`: the status, its poll, media, mentions and hashtags, the
    /// counters, the author's feed, mention notifications and the fan-out job. Returns the new
    /// status's id and the events to publish once `tx` is committed. A post that was scheduled
    /// (`scheduled_status_id`) takes the uploads reserved for it.
    pub(crate) async fn write_post(
        &self,
        tx: &mut Tx,
        author: &Account,
        app_id: Option<i64>,
        post: PreparedPost,
        now: i64,
        scheduled_status_id: Option<i64>,
    ) -> Result<(i64, Vec<Event>)> {
        let PreparedPost {
            checked,
            poll,
            visibility,
            parent,
            sensitive,
            media_ids,
        } = post;
        let composed = self.compose(tx, &checked.text).await?;
        let (rendered, mentioned, tags) = (composed.html, composed.mentioned, composed.tags);
        let (text, spoiler_text, language) = (checked.text, checked.spoiler_text, checked.language);

        let id = tx.next_id();
        let status = NewStatus {
            id,
            uri: self.status_uri(&author.username, id),
            url: Some(self.status_url(&author.username, id)),
            account_id: author.id,
            is_local: true,
            in_reply_to_id: parent.as_ref().map(|parent| parent.id),
            in_reply_to_account_id: parent.as_ref().map(|parent| parent.account_id),
            reblog_of_id: None,
            text,
            content: rendered,
            spoiler_text,
            sensitive,
            visibility: visibility.as_str().to_owned(),
            language,
            app_id,
            created_at: now,
        };
        let mut events = insert_new_status(
            tx,
            NewStatusRecord {
                status,
                mentioned: &mentioned,
                tags: &tags,
                has_media: !media_ids.is_empty(),
            },
            now,
        )
        .await?;
        if let Some(poll) = poll {
            self.insert_poll(tx, id, author.id, poll, now).await?;
        }
        let attached = match scheduled_status_id {
            None => tx.attach_media(id, author.id, &media_ids).await?,
            Some(scheduled) => {
                tx.attach_scheduled_media(id, author.id, scheduled, &media_ids)
                    .await?
            }
        };
        if usize::try_from(attached).ok() != Some(media_ids.len()) {
            // Another user's upload, an unknown id, or one already used: nothing is written.
            return Err(invalid_media());
        }
        // The author sees their own post at once, before the fan-out reaches their followers.
        tx.add_to_home_feed(author.id, id).await?;
        events.insert(
            1,
            Event::HomeFeed {
                status_id: id,
                account_ids: vec![author.id],
            },
        );
        crate::outbox::enqueue(tx, &Outbound::Create { status_id: id }, now).await?;
        Ok((id, events))
    }

    /// What everyone sees of the statuses stamped `stamps`: from the cache where it holds them
    /// as they are now, read and cached otherwise.
    async fn shared_statuses(
        &self,
        stamps: &[StatusStamp],
    ) -> Result<HashMap<i64, Arc<SharedStatus>>> {
        let cache = self.status_cache();
        let mut shared = HashMap::with_capacity(stamps.len());
        let mut missing = Vec::new();
        for stamp in stamps {
            match cache.get(stamp) {
                Some(cached) => {
                    shared.insert(stamp.id, cached);
                }
                None => missing.push(stamp.id),
            }
        }
        if missing.is_empty() {
            return Ok(shared);
        }
        // Rows read after the stamps are at least as new as they say: at worst, the next read
        // finds a newer stamp and reads them again.
        let rows = self.db().status_page_rows(&missing).await?;
        let stamps: HashMap<i64, &StatusStamp> =
            stamps.iter().map(|stamp| (stamp.id, stamp)).collect();
        let statuses: Vec<Status> = rows
            .statuses
            .into_iter()
            .map(Status::try_from)
            .collect::<Result<_>>()?;
        let mentions = rows.mentions;
        let accounts: HashMap<i64, Account> = self
            .accounts_from_rows(rows.accounts)
            .await?
            .into_iter()
            .map(|account| (account.id, account))
            .collect();
        let mut media: HashMap<i64, Vec<crate::media::Media>> = HashMap::new();
        for row in rows.media {
            if let Some(status_id) = row.status_id {
                media
                    .entry(status_id)
                    .or_default()
                    .push(self.media_from_row(row));
            }
        }
        let mut tags: HashMap<i64, Vec<String>> = HashMap::new();
        for (status_id, name) in rows.tags {
            tags.entry(status_id).or_default().push(name);
        }
        let cards: HashMap<i64, crate::link_previews::PreviewCard> = rows
            .cards
            .into_iter()
            .filter(|card| !card.failed)
            .map(|card| (card.id, self.card_from_row(card)))
            .collect();
        let apps: HashMap<i64, (String, Option<String>)> = rows
            .apps
            .into_iter()
            .map(|app| (app.id, (app.name, app.website)))
            .collect();
        let domain_of = |account_id: i64| {
            accounts
                .get(&account_id)
                .and_then(|account| account.domain.as_deref())
        };
        let wanted = crate::emojis::wanted_emojis(statuses.iter().flat_map(|status| {
            let domain = domain_of(status.account_id);
            [
                (domain, status.emoji_source()),
                (domain, status.spoiler_text.as_str()),
            ]
        }));
        let emojis = self.emojis_used_in(wanted).await?;
        for status in statuses {
            let (Some(account), Some(stamp)) =
                (accounts.get(&status.account_id), stamps.get(&status.id))
            else {
                continue;
            };
            let id = status.id;
            let status_mentions = mentions
                .iter()
                .filter(|(status_id, _)| *status_id == id)
                .filter_map(|(_, account_id)| accounts.get(account_id).cloned())
                .collect();
            let application = status.app_id.and_then(|app_id| apps.get(&app_id).cloned());
            let card = status
                .card_id
                .and_then(|card_id| cards.get(&card_id).cloned());
            let status_emojis = crate::emojis::emojis_in(
                account.domain.as_deref(),
                &[status.emoji_source(), &status.spoiler_text],
                &emojis,
            );
            let entry = Arc::new(
                SharedStatus::new(
                    status,
                    account.clone(),
                    status_mentions,
                    tags.remove(&id).unwrap_or_default(),
                    media.remove(&id).unwrap_or_default(),
                    application,
                    status_emojis,
                )
                .with_card(card),
            );
            cache.insert(**stamp, Arc::clone(&entry));
            shared.insert(id, entry);
        }
        Ok(shared)
    }
}

/// The refusal of a post with both attachments and a poll, as Mastodon words it.
fn poll_beside_media() -> CoreError {
    CoreError::Validation(
        "Validation failed: A post cannot have both media attachments and a poll".into(),
    )
}

impl Statuses<'_> {
    /// Checks a draft's words, poll and number of attachments with the refusals [`Self::post`]
    /// would give, before anything is written or uploaded for it: a form that sends its images
    /// with the post uploads them only once this passes.
    pub fn check_draft(&self, post: &NewPost, media_count: usize) -> Result<()> {
        if post.poll.is_some() && media_count > 0 {
            return Err(poll_beside_media());
        }
        if let Some(poll) = &post.poll {
            self.check_poll(poll.clone())?;
        }
        self.check_composition(
            &post.text,
            &post.spoiler_text,
            post.language.clone(),
            media_count,
        )?;
        Ok(())
    }

    /// Posts a status as a local user. Mentions of local accounts are linked and notified;
    /// followers get it in their home feeds through the job queue.
    pub async fn post(
        &self,
        author: &Account,
        user: &LocalUser,
        app_id: Option<i64>,
        post: NewPost,
    ) -> Result<StatusView> {
        let idempotency_key = post.idempotency_key.clone();
        // Every limit is checked before any other server is asked about the mentions.
        let prepared = self.prepare_post(author, user, post).await?;
        self.resolve_remote_mentions(&prepared.checked.text).await;
        let now = crate::now_millis();
        let mut tx = self.db().begin().await?;
        if let Some(key) = &idempotency_key
            && let Some(existing) = tx
                .idempotent_status(author.id, key, now - IDEMPOTENCY_WINDOW_MILLIS)
                .await?
        {
            tx.rollback().await?;
            return self.view(Some(author.id), existing).await;
        }
        let (id, events) = self
            .write_post(&mut tx, author, app_id, prepared, now, None)
            .await?;
        if let Some(key) = &idempotency_key {
            tx.remember_idempotency_key(author.id, key, id, now).await?;
        }
        tx.commit().await?;
        self.wake_workers();
        let view = self.view(Some(author.id), id).await;
        self.publish(events);
        view
    }

    /// A status as `viewer` may see it; [`CoreError::NotFound`] otherwise.
    pub async fn view(&self, viewer: Option<i64>, id: i64) -> Result<StatusView> {
        if !self.db().status_is_visible(id, viewer).await? {
            return Err(CoreError::NotFound);
        }
        self.views(viewer, &[id])
            .await?
            .into_iter()
            .next()
            .ok_or(CoreError::NotFound)
    }

    /// Views of the given statuses, in the given order, skipping any that vanished. The
    /// caller has checked visibility (the timeline queries do).
    pub async fn views(&self, viewer: Option<i64>, ids: &[i64]) -> Result<Vec<StatusView>> {
        let filters = self.active_filters(viewer).await?;
        let state = self.db().status_page_state(ids, viewer).await?;
        let shared = self.shared_statuses(&state.stamps).await?;
        let polls: HashMap<i64, crate::polls::Poll> = state
            .polls
            .into_iter()
            .map(|(row, options)| {
                let poll = crate::polls::Poll::from_rows(row, options, viewer);
                (poll.status_id, poll)
            })
            .collect();
        let mut interactions: HashMap<i64, ViewerState> = HashMap::new();
        let mut muted_threads = HashSet::new();
        for (id, mark) in state.marks {
            match mark {
                ViewerMark::Favourited => interactions.entry(id).or_default().favourited = true,
                ViewerMark::Reblogged => interactions.entry(id).or_default().reblogged = true,
                ViewerMark::Bookmarked => interactions.entry(id).or_default().bookmarked = true,
                ViewerMark::Pinned => interactions.entry(id).or_default().pinned = true,
                ViewerMark::MutedThread => {
                    muted_threads.insert(id);
                }
            }
        }
        for stamp in state
            .stamps
            .iter()
            .filter(|stamp| muted_threads.contains(&stamp.thread_id))
        {
            interactions.entry(stamp.id).or_default().muted = true;
        }
        let build = |id: i64| -> Option<StatusView> {
            Some(StatusView {
                shared: Arc::clone(shared.get(&id)?),
                poll: polls.get(&id).cloned(),
                viewer: viewer.map(|_| interactions.get(&id).copied().unwrap_or_default()),
                filtered: Vec::new(),
                reblog: None,
            })
        };
        Ok(ids
            .iter()
            .filter_map(|id| {
                let mut view = build(*id)?;
                if let Some(original) = view.status.reblog_of_id {
                    view.reblog = Some(Box::new(build(original)?));
                }
                view.filtered = filters.results_for(&view);
                if let Some(original) = view.reblog.as_mut() {
                    original.filtered = view.filtered.clone();
                }
                Some(view)
            })
            .collect())
    }

    /// Deletes the actor's own status and returns it as it was (with its source text, for
    /// "delete and redraft"). Another account's status is [`CoreError::NotFound`], as Mastodon
    /// looks it up among the actor's own.
    pub async fn delete(&self, actor: &Account, id: i64) -> Result<StatusView> {
        let view = self.view(Some(actor.id), id).await?;
        if view.status.account_id != actor.id {
            return Err(CoreError::NotFound);
        }
        let left_feeds = self.leaving_feeds(id, actor.id).await?;
        let mut tx = self.db().begin().await?;
        let Some(row) = tx.status_for_update(id).await? else {
            return Err(CoreError::NotFound);
        };
        tx.delete_status(id).await?;
        tx.bump_account_statuses(actor.id, -1, None).await?;
        if let Some(parent) = row.in_reply_to_id {
            tx.bump_status(parent, StatusCounter::Replies, -1).await?;
        }
        if let Some(original) = row.reblog_of_id {
            tx.bump_status(original, StatusCounter::Reblogs, -1).await?;
        }
        if actor.is_local() {
            let outbound = Outbound::Delete {
                status_id: id,
                account_id: actor.id,
                uri: row.uri.clone(),
                visibility: view.status.visibility.as_str().to_owned(),
                mentioned: view.mentions.iter().map(|account| account.id).collect(),
                reblog_of: view
                    .reblog
                    .as_ref()
                    .map(|original| (original.status.id, original.account.id)),
            };
            crate::outbox::enqueue(&mut tx, &outbound, crate::now_millis()).await?;
        }
        tx.commit().await?;
        self.wake_workers();
        self.publish([
            Event::StatusDeleted {
                status_id: id,
                author_id: actor.id,
                visibility: view.status.visibility,
            },
            left_feeds,
        ]);
        Ok(view)
    }

    /// The visible thread around a status the viewer may see, without what the viewer hides
    /// in threads.
    pub async fn context(&self, viewer: Option<i64>, id: i64) -> Result<Context> {
        let status = self
            .db()
            .visible_status(id, viewer)
            .await?
            .ok_or(CoreError::NotFound)?;
        // What is missing shows up on a later look; this one answers with what is here.
        if let Err(error) = self.fetch_missing_replies(status.id, status.is_local).await {
            tracing::warn!(%error, "could not schedule the fetch of a thread's replies");
        }
        let ancestors = self.db().ancestors(&status, viewer, CONTEXT_LIMIT).await?;
        let descendants = self
            .db()
            .descendants(&status, viewer, CONTEXT_LIMIT)
            .await?;
        let is_ancestor: HashSet<i64> = ancestors.iter().copied().collect();
        let thread: Vec<i64> = ancestors.into_iter().chain(descendants).collect();
        let (views, _) = self
            .listed_views(viewer, &thread, FilterContext::Thread)
            .await?;
        let (ancestors, descendants) = views
            .into_iter()
            .partition(|view| is_ancestor.contains(&view.status.id));
        Ok(Context {
            ancestors,
            descendants,
        })
    }
}

impl Timelines<'_> {
    /// A page of the viewer's home timeline, with its cursors (see [`Woolly::listed_views`]).
    pub async fn home(&self, viewer: i64, page: Page) -> Result<Listing> {
        let ids = self.db().home_timeline(viewer, page).await?;
        self.listed_views(Some(viewer), &ids, FilterContext::Home)
            .await
    }

    /// Refuses an anonymous reader when the operator keeps the public and hashtag timelines to
    /// members (`timeline_preview` off, as in Mastodon), in Mastodon's words.
    pub fn require_reader(&self, viewer: Option<i64>) -> Result<()> {
        if viewer.is_none() && !self.config().timeline_preview {
            return Err(CoreError::Validation(
                "This method requires an authenticated user".into(),
            ));
        }
        Ok(())
    }

    /// A page of the public timeline (`local`: only local, only remote, or both).
    pub async fn public(
        &self,
        viewer: Option<i64>,
        local: Option<bool>,
        only_media: bool,
        page: Page,
    ) -> Result<Listing> {
        self.require_reader(viewer)?;
        let ids = self
            .db()
            .public_timeline(viewer, local, only_media, page)
            .await?;
        self.listed_views(viewer, &ids, FilterContext::Public).await
    }

    /// A page of a hashtag's timeline: public statuses with `tag` or any of `tags.any`, all
    /// of `tags.all` and none of `tags.none` (Mastodon reads at most four names of each).
    pub async fn tag(
        &self,
        viewer: Option<i64>,
        tag: &str,
        tags: TagSelection,
        local_only: bool,
        only_media: bool,
        page: Page,
    ) -> Result<Listing> {
        self.require_reader(viewer)?;
        const NAMES_PER_MODE: usize = 4;
        let normalize = |names: Vec<String>| -> Vec<String> {
            names
                .iter()
                .map(|name| name.trim().trim_start_matches('#').to_lowercase())
                .filter(|name| !name.is_empty())
                .take(NAMES_PER_MODE)
                .collect()
        };
        let mut any = vec![tag.to_owned()];
        any.extend(tags.any);
        any.dedup();
        let selection = TagSelection {
            any: normalize(any),
            all: normalize(tags.all),
            none: normalize(tags.none),
        };
        let ids = self
            .db()
            .tag_timeline(viewer, &selection, local_only, only_media, page)
            .await?;
        self.listed_views(viewer, &ids, FilterContext::Public).await
    }

    /// A page of an account's statuses as the viewer may see them.
    pub async fn account(
        &self,
        viewer: Option<i64>,
        account_id: i64,
        filter: &woolly_store::AccountStatusesFilter,
        page: Page,
    ) -> Result<Listing> {
        let ids = self
            .db()
            .account_statuses(account_id, viewer, filter, page)
            .await?;
        self.listed_views(viewer, &ids, FilterContext::Account)
            .await
    }
}

impl Woolly {
    /// The statuses among `ids` the viewer may see, by id (for entities that point at one:
    /// notifications, conversations).
    pub(crate) async fn visible_views_by_id(
        &self,
        viewer: i64,
        ids: &[i64],
    ) -> Result<HashMap<i64, StatusView>> {
        let visible = self.db().visible_among(ids, Some(viewer)).await?;
        Ok(self
            .statuses()
            .views(Some(viewer), &visible)
            .await?
            .into_iter()
            .map(|view| (view.status.id, view))
            .collect())
    }
    /// Notifies those of the followers whose home feeds just got `status` who asked to hear of
    /// the author's posts (`notify` on the follow), as Mastodon's `FeedInsertWorker` does: not
    /// for a reblog, nor for a reply to someone else. Runs once per feed insertion, so a fan-out
    /// that runs again notifies nobody twice.
    async fn notify_of_post(&self, status: &Status, home_feed_ids: &[i64]) -> Result<()> {
        let replies_to_other = status
            .in_reply_to_account_id
            .is_some_and(|account_id| account_id != status.account_id);
        if status.reblog_of_id.is_some() || replies_to_other || home_feed_ids.is_empty() {
            return Ok(());
        }
        // Read first: most posts notify nobody, and then need no write transaction.
        let followers = self
            .db()
            .followers_notified_of_posts(status.account_id, home_feed_ids)
            .await?;
        if followers.is_empty() {
            return Ok(());
        }
        let now = crate::now_millis();
        let mut tx = self.db().begin().await?;
        let mut events = Vec::new();
        for follower in followers {
            if let Some(notification_id) = crate::notification_policy::notify(
                &mut tx,
                follower,
                status.account_id,
                "status",
                Some(status.id),
                now,
            )
            .await?
            {
                events.push(Event::Notification {
                    account_id: follower,
                    notification_id,
                });
            }
        }
        tx.commit().await?;
        self.publish(events);
        Ok(())
    }
}

/// The job that puts a new status into its audience's home feeds.
pub const FAN_OUT_KIND: &str = "status.fan_out";

/// The payload of a fan-out job.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct FanOut {
    pub status_id: i64,
}

/// Queues, in the transaction that writes a new status or reblog, its fan-out to followers.
pub(crate) async fn enqueue_fan_out(tx: &mut Tx, status_id: i64, now: i64) -> Result<()> {
    tx.enqueue_job(&new_job(
        FAN_OUT_KIND,
        &FanOut { status_id },
        now,
        crate::jobs::DEFAULT_MAX_ATTEMPTS,
    )?)
    .await?;
    Ok(())
}

/// Inserts a status into the home feeds of the author's local followers (and, for a direct
/// status, of the mentioned followers only). Inserting twice is harmless.
pub struct FanOutJob;

impl crate::jobs::JobHandler for FanOutJob {
    fn kind(&self) -> &'static str {
        FAN_OUT_KIND
    }

    fn run<'a>(
        &'a self,
        woolly: &'a Woolly,
        job: &'a crate::jobs::Job,
    ) -> crate::jobs::JobFuture<'a> {
        Box::pin(async move {
            let FanOut { status_id } = job.payload()?;
            let Some(row) = woolly
                .db()
                .statuses_by_ids(&[status_id])
                .await?
                .into_iter()
                .next()
            else {
                // Deleted before it was fanned out: nothing to do.
                return Ok(());
            };
            let status = Status::try_from(row)?;
            let account_ids = if status.visibility == Visibility::Direct {
                woolly
                    .db()
                    .fan_out_to_mentioned_followers(status.id, status.account_id)
                    .await?
            } else {
                woolly
                    .db()
                    .fan_out_to_followers(
                        status.id,
                        status.account_id,
                        status.reblog_of_id.is_some(),
                    )
                    .await?
            };
            if status.visibility == Visibility::Direct {
                let events = woolly.record_conversation(&status).await?;
                woolly.publish(events);
            }
            woolly.notify_of_post(&status, &account_ids).await?;
            let mut account_ids = account_ids;
            if status.visibility == Visibility::Public && status.reblog_of_id.is_none() {
                // Followers of its hashtags get public posts too.
                account_ids.extend(
                    woolly
                        .db()
                        .fan_out_to_tag_followers(status.id, status.account_id)
                        .await?,
                );
            }
            if !account_ids.is_empty() {
                woolly.publish([Event::HomeFeed {
                    status_id: status.id,
                    account_ids,
                }]);
            }
            Ok(())
        })
    }
}
