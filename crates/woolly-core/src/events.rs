//! Live events for the streaming API: what happened (a status posted, put into home feeds or
//! deleted, a notification written), published after the transaction that did it commits, and
//! what each subscriber receives of it.
//!
//! Events carry ids only. Each subscriber turns an event into a delivery for its own viewer with
//! the same reads the REST API uses ([`crate::areas::Statuses::view`] for visibility and blocks, plus
//! mutes), so streaming can never show what a timeline would hide.
//!
//! The bus is in-process (`tokio::sync::broadcast`): with several processes on one PostgreSQL,
//! a subscriber sees the events of the process it is connected to (see the issue notes).

use crate::areas::Streaming;
use crate::error::{CoreError, Result};
use crate::filters::FilterContext;
use crate::notifications::NotificationView;
use crate::state::Woolly;
use crate::statuses::StatusView;
use crate::visibility::Visibility;

/// Events a slow subscriber may fall behind before it starts missing some.
pub const BUS_CAPACITY: usize = 4096;

/// Something that happened, as the streaming API needs to know it.
#[derive(Debug, Clone)]
pub enum Event {
    /// A status (or reblog) was posted.
    StatusPosted {
        status_id: i64,
        author_id: i64,
        visibility: Visibility,
        is_local: bool,
        is_reblog: bool,
        has_media: bool,
        /// Lower-case hashtag names.
        tags: Vec<String>,
    },
    /// A status entered these accounts' home feeds.
    HomeFeed {
        status_id: i64,
        account_ids: Vec<i64>,
    },
    /// A status was edited.
    StatusEdited {
        status_id: i64,
        visibility: Visibility,
        is_local: bool,
        tags: Vec<String>,
    },
    /// A status was deleted.
    StatusDeleted {
        status_id: i64,
        author_id: i64,
        visibility: Visibility,
    },
    /// A status being deleted leaves the home feeds of these accounts (and the mentioned
    /// accounts' notifications) and these lists: the user and list streams told of it.
    LeftFeeds {
        status_id: i64,
        account_ids: Vec<i64>,
        list_ids: Vec<i64>,
    },
    /// A direct conversation of an account got a new status.
    Conversation {
        account_id: i64,
        conversation_id: i64,
    },
    /// A notification was written for an account.
    Notification {
        account_id: i64,
        notification_id: i64,
    },
    /// An account created, changed or deleted a filter, keyword or filtered status.
    FiltersChanged { account_id: i64 },
    /// An account accepted notification requests: what they held joined its notifications.
    NotificationsMerged { account_id: i64 },
    /// An announcement was published or changed while published.
    AnnouncementPublished { announcement_id: i64 },
    /// An announcement was deleted or taken back to a draft.
    AnnouncementWithdrawn { announcement_id: i64 },
    /// Members reacted to an announcement with `name` (or took a reaction back): `count` now.
    AnnouncementReaction {
        announcement_id: i64,
        name: String,
        count: i64,
    },
}

/// A stream a client subscribes to (Mastodon's channel names).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Stream {
    User,
    UserNotification,
    /// `local`: `Some(true)` for `public:local`, `Some(false)` for `public:remote`.
    Public {
        local: Option<bool>,
        only_media: bool,
    },
    Hashtag {
        tag: String,
        local: bool,
    },
    /// The viewer's direct conversations.
    Direct,
    /// One of the viewer's lists: what its list timeline shows.
    List {
        list_id: i64,
    },
}

impl Stream {
    /// Parses a channel name (`user`, `public:local:media`, `hashtag`, `list`…) with its `tag`
    /// or `list` parameter. Whether the viewer may subscribe is [`crate::areas::Streaming::authorize_stream`].
    pub fn parse(name: &str, tag: Option<&str>, list: Option<&str>) -> Result<Stream> {
        let unknown = || CoreError::Validation(format!("Unknown stream type {name:?}"));
        let stream = match name {
            "user" => Stream::User,
            "user:notification" => Stream::UserNotification,
            "direct" => Stream::Direct,
            "public" => Stream::Public {
                local: None,
                only_media: false,
            },
            "public:media" => Stream::Public {
                local: None,
                only_media: true,
            },
            "public:local" => Stream::Public {
                local: Some(true),
                only_media: false,
            },
            "public:local:media" => Stream::Public {
                local: Some(true),
                only_media: true,
            },
            "public:remote" => Stream::Public {
                local: Some(false),
                only_media: false,
            },
            "public:remote:media" => Stream::Public {
                local: Some(false),
                only_media: true,
            },
            "hashtag" | "hashtag:local" => {
                let tag = tag
                    .map(|tag| tag.trim_start_matches('#').to_lowercase())
                    .filter(|tag| !tag.is_empty())
                    .ok_or_else(|| CoreError::Validation("No tag for stream provided".into()))?;
                Stream::Hashtag {
                    tag,
                    local: name == "hashtag:local",
                }
            }
            "list" => {
                let list_id = list
                    .and_then(|list| list.trim().parse().ok())
                    .ok_or_else(|| CoreError::Validation("No list for stream provided".into()))?;
                Stream::List { list_id }
            }
            _ => return Err(unknown()),
        };
        Ok(stream)
    }

    /// Whether this stream needs a signed-in user.
    pub fn needs_user(&self) -> bool {
        matches!(
            self,
            Stream::User | Stream::UserNotification | Stream::Direct | Stream::List { .. }
        )
    }

    /// The `stream` array of messages on this stream (`["hashtag", "tag"]`, `["user"]`…).
    pub fn names(&self) -> Vec<String> {
        let name = match self {
            Stream::User => "user",
            Stream::UserNotification => "user:notification",
            Stream::Direct => "direct",
            Stream::Public {
                local: None,
                only_media: false,
            } => "public",
            Stream::Public {
                local: None,
                only_media: true,
            } => "public:media",
            Stream::Public {
                local: Some(true),
                only_media: false,
            } => "public:local",
            Stream::Public {
                local: Some(true),
                only_media: true,
            } => "public:local:media",
            Stream::Public {
                local: Some(false),
                only_media: false,
            } => "public:remote",
            Stream::Public {
                local: Some(false),
                only_media: true,
            } => "public:remote:media",
            Stream::Hashtag { tag, local } => {
                let name = if *local { "hashtag:local" } else { "hashtag" };
                return vec![name.to_owned(), tag.clone()];
            }
            Stream::List { list_id } => return vec!["list".to_owned(), list_id.to_string()],
        };
        vec![name.to_owned()]
    }
}

/// What a subscriber receives for an event.
#[derive(Debug, Clone)]
pub enum Delivery {
    Update(Box<StatusView>),
    /// `status.update`: a status the subscriber may have shown changed.
    StatusUpdate(Box<StatusView>),
    Delete(i64),
    Notification(Box<NotificationView>),
    Conversation(Box<crate::conversations::ConversationView>),
    /// `filters_changed`: the subscriber's filters changed; clients reload them.
    FiltersChanged,
    /// `notifications_merged`: accepted requests joined the subscriber's notifications;
    /// clients reload them.
    NotificationsMerged,
    /// `announcement`: one published or changed, as the subscriber reads it.
    Announcement(Box<crate::announcements::Announcement>),
    /// `announcement.reaction`: how many reacted to an announcement with one emoji.
    AnnouncementReaction {
        announcement_id: i64,
        name: String,
        count: i64,
    },
    /// `announcement.delete`: one withdrawn.
    AnnouncementDelete(i64),
}

impl Woolly {
    /// Publishes events (after their transaction committed). Nobody listening is fine.
    pub(crate) fn publish(&self, events: impl IntoIterator<Item = Event>) {
        for event in events {
            let _ = self.event_bus().send(event);
        }
    }

    /// An update, unless the viewer hides the status in `context` (the stream's) with a filter,
    /// or [`Woolly::update_for`] holds it back. Edits (`status.update`) are not held back by
    /// filters: clients already show the status, and its `filtered` tells them what to do.
    async fn update_unless_hidden(
        &self,
        viewer: Option<i64>,
        status_id: i64,
        context: FilterContext,
    ) -> Result<Option<Delivery>> {
        let update = self.update_for(viewer, status_id).await?;
        Ok(update.filter(|update| match update {
            Delivery::Update(view) => !view.is_hidden_in(context),
            _ => true,
        }))
    }

    /// The event that tells the user and list streams which showed a status that it is being
    /// deleted; to be built before the deletion, while its feed entries and mentions exist.
    pub(crate) async fn leaving_feeds(&self, status_id: i64, author_id: i64) -> Result<Event> {
        let account_ids = self.db().status_audience(status_id).await?;
        let mut list_ids = Vec::new();
        for (list_id, owner) in self.db().lists_holding(author_id).await? {
            if self.db().list_shows(owner, list_id, status_id).await? {
                list_ids.push(list_id);
            }
        }
        Ok(Event::LeftFeeds {
            status_id,
            account_ids,
            list_ids,
        })
    }

    /// An update, unless the viewer may not see the status or has muted its author (or blocks
    /// the author's domain).
    async fn update_for(&self, viewer: Option<i64>, status_id: i64) -> Result<Option<Delivery>> {
        let view = match self.statuses().view(viewer, status_id).await {
            Ok(view) => view,
            Err(CoreError::NotFound) => return Ok(None),
            Err(error) => return Err(error),
        };
        if let Some(viewer) = viewer {
            let mut authors = vec![view.account.id];
            authors.extend(view.reblog.as_ref().map(|original| original.account.id));
            authors.retain(|author| *author != viewer);
            let hidden = self
                .relations()
                .relationships(viewer, &authors)
                .await?
                .iter()
                .any(|relation| {
                    relation.muting
                        || relation.blocking
                        || relation.blocked_by
                        || relation.domain_blocking
                });
            if hidden {
                return Ok(None);
            }
        }
        Ok(Some(Delivery::Update(Box::new(view))))
    }
}

impl Streaming<'_> {
    /// A receiver of every event published from now on.
    pub fn subscribe_events(&self) -> tokio::sync::broadcast::Receiver<Event> {
        self.event_bus().subscribe()
    }

    /// Whether `viewer` may subscribe to `stream`: a list stream is its owner's only (another's
    /// list is [`CoreError::NotFound`], as in the REST API).
    pub async fn authorize_stream(&self, viewer: Option<i64>, stream: &Stream) -> Result<()> {
        match (stream, viewer) {
            (Stream::List { list_id }, Some(viewer)) => {
                self.lists().get(viewer, *list_id).await.map(drop)
            }
            (Stream::List { .. }, None) => Err(CoreError::NotFound),
            // The operator keeps the public timelines to members (`timeline_preview` off): their
            // streams too.
            (Stream::Public { .. } | Stream::Hashtag { .. }, None)
                if !self.config().timeline_preview =>
            {
                Err(CoreError::Unauthenticated)
            }
            _ => Ok(()),
        }
    }

    /// What `viewer` subscribed to `stream` receives for `event`, if anything: the same
    /// visibility, block and mute rules as the REST reads.
    pub async fn deliver(
        &self,
        viewer: Option<i64>,
        stream: &Stream,
        event: &Event,
    ) -> Result<Option<Delivery>> {
        match (stream, event) {
            (
                Stream::User,
                Event::HomeFeed {
                    status_id,
                    account_ids,
                },
            ) => match viewer {
                Some(viewer) if account_ids.contains(&viewer) => {
                    self.update_unless_hidden(Some(viewer), *status_id, FilterContext::Home)
                        .await
                }
                _ => Ok(None),
            },
            (
                Stream::User | Stream::UserNotification,
                Event::Notification {
                    account_id,
                    notification_id,
                },
            ) => {
                if viewer != Some(*account_id) {
                    return Ok(None);
                }
                match self
                    .notifications()
                    .get(*account_id, *notification_id)
                    .await
                {
                    Ok(view) => Ok(Some(Delivery::Notification(Box::new(view)))),
                    Err(CoreError::NotFound) => Ok(None),
                    Err(error) => Err(error),
                }
            }
            (Stream::User, Event::StatusEdited { status_id, .. }) => match viewer {
                Some(viewer) if self.db().in_home_feed(viewer, *status_id).await? => Ok(self
                    .update_for(Some(viewer), *status_id)
                    .await?
                    .map(as_status_update)),
                _ => Ok(None),
            },
            (
                Stream::Public {
                    local,
                    only_media: false,
                },
                Event::StatusEdited {
                    status_id,
                    visibility,
                    is_local,
                    ..
                },
            ) => {
                let wanted = *visibility == Visibility::Public
                    && local.is_none_or(|local| local == *is_local);
                if wanted {
                    Ok(self
                        .update_for(viewer, *status_id)
                        .await?
                        .filter(is_not_a_reply_to_others)
                        .map(as_status_update))
                } else {
                    Ok(None)
                }
            }
            (
                Stream::Hashtag { tag, local },
                Event::StatusEdited {
                    status_id,
                    visibility,
                    is_local,
                    tags,
                },
            ) => {
                let wanted = *visibility == Visibility::Public
                    && tags.contains(tag)
                    && (!local || *is_local);
                if wanted {
                    Ok(self
                        .update_for(viewer, *status_id)
                        .await?
                        .map(as_status_update))
                } else {
                    Ok(None)
                }
            }
            // Announcements are for members: every signed-in user stream hears of them.
            (Stream::User, Event::AnnouncementPublished { announcement_id }) => match viewer {
                Some(viewer) => Ok(self
                    .instance()
                    .announcements(viewer, true)
                    .await?
                    .into_iter()
                    .find(|announcement| announcement.id == *announcement_id)
                    .map(|announcement| Delivery::Announcement(Box::new(announcement)))),
                None => Ok(None),
            },
            (Stream::User, Event::AnnouncementWithdrawn { announcement_id }) => {
                Ok(viewer.map(|_| Delivery::AnnouncementDelete(*announcement_id)))
            }
            (
                Stream::User,
                Event::AnnouncementReaction {
                    announcement_id,
                    name,
                    count,
                },
            ) => Ok(viewer.map(|_| Delivery::AnnouncementReaction {
                announcement_id: *announcement_id,
                name: name.clone(),
                count: *count,
            })),
            (
                Stream::Direct,
                Event::Conversation {
                    account_id,
                    conversation_id,
                },
            ) => {
                if viewer != Some(*account_id) {
                    return Ok(None);
                }
                match self
                    .conversations()
                    .get(*account_id, *conversation_id)
                    .await
                {
                    Ok(view) => Ok(Some(Delivery::Conversation(Box::new(view)))),
                    Err(CoreError::NotFound) => Ok(None),
                    Err(error) => Err(error),
                }
            }
            // Mastodon tells only those who had it in their feed or were mentioned in it; a
            // delete sent to everyone would reveal that a private or direct status existed.
            (
                Stream::User,
                Event::LeftFeeds {
                    status_id,
                    account_ids,
                    ..
                },
            ) => Ok(viewer
                .is_some_and(|viewer| account_ids.contains(&viewer))
                .then_some(Delivery::Delete(*status_id))),
            (
                Stream::List { list_id },
                Event::StatusPosted {
                    status_id,
                    visibility,
                    ..
                }
                | Event::StatusEdited {
                    status_id,
                    visibility,
                    ..
                },
            ) => match viewer {
                Some(viewer)
                    if *visibility != Visibility::Direct
                        && self.db().list_shows(viewer, *list_id, *status_id).await? =>
                {
                    // Lists are the home context for filters, as in Mastodon.
                    let update = self
                        .update_unless_hidden(Some(viewer), *status_id, FilterContext::Home)
                        .await?;
                    Ok(if matches!(event, Event::StatusEdited { .. }) {
                        update.map(as_status_update)
                    } else {
                        update
                    })
                }
                _ => Ok(None),
            },
            (
                Stream::List { list_id },
                Event::LeftFeeds {
                    status_id,
                    list_ids,
                    ..
                },
            ) => Ok(list_ids
                .contains(list_id)
                .then_some(Delivery::Delete(*status_id))),
            (
                Stream::Public { local, only_media },
                Event::StatusPosted {
                    status_id,
                    visibility,
                    is_local,
                    is_reblog,
                    has_media,
                    ..
                },
            ) => {
                let wanted = *visibility == Visibility::Public
                    && !is_reblog
                    && (*has_media || !only_media)
                    && local.is_none_or(|local| local == *is_local);
                if wanted {
                    Ok(self
                        .update_unless_hidden(viewer, *status_id, FilterContext::Public)
                        .await?
                        .filter(is_not_a_reply_to_others))
                } else {
                    Ok(None)
                }
            }
            (
                Stream::Hashtag { tag, local },
                Event::StatusPosted {
                    status_id,
                    visibility,
                    is_local,
                    is_reblog,
                    tags,
                    ..
                },
            ) => {
                let wanted = *visibility == Visibility::Public
                    && !is_reblog
                    && tags.contains(tag)
                    && (!local || *is_local);
                if wanted {
                    self.update_unless_hidden(viewer, *status_id, FilterContext::Public)
                        .await
                } else {
                    Ok(None)
                }
            }
            (
                Stream::Public { .. } | Stream::Hashtag { .. },
                Event::StatusDeleted {
                    status_id,
                    visibility,
                    ..
                },
            ) => Ok((*visibility == Visibility::Public).then_some(Delivery::Delete(*status_id))),
            (
                Stream::User | Stream::UserNotification,
                Event::NotificationsMerged { account_id },
            ) => Ok((viewer == Some(*account_id)).then_some(Delivery::NotificationsMerged)),
            (Stream::User, Event::FiltersChanged { account_id }) => {
                Ok((viewer == Some(*account_id)).then_some(Delivery::FiltersChanged))
            }
            _ => Ok(None),
        }
    }
}

/// Whether a delivery may go to the public streams: Mastodon's `broadcast_to_public_streams!`
/// leaves out replies to other accounts (hashtag streams keep them).
fn is_not_a_reply_to_others(delivery: &Delivery) -> bool {
    match delivery {
        Delivery::Update(view) | Delivery::StatusUpdate(view) => view
            .status
            .in_reply_to_account_id
            .is_none_or(|answered| answered == view.status.account_id),
        _ => true,
    }
}

/// Turns an `update` delivery into the `status.update` of an edit.
fn as_status_update(delivery: Delivery) -> Delivery {
    match delivery {
        Delivery::Update(view) => Delivery::StatusUpdate(view),
        other => other,
    }
}
