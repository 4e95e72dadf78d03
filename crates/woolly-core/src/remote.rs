//! Accounts and statuses of other servers, stored the way the federation inbox will store what
//! it receives: an actor becomes (or refreshes) an `account` row with a domain, a `Create` of a
//! note becomes a status with its mentions, hashtags, notifications and fan-out, exactly as a
//! local post gets them.
//!
//! Nothing here fetches, verifies or trusts: callers (the inbox, once it has checked signatures
//! and ownership) hand over what they know. HTML from other servers goes through
//! [`crate::sanitize`] before it is stored; plain text is escaped, as local posts are.

use std::collections::HashSet;

pub use woolly_store::RemoteCounts;
use woolly_store::{NewRemoteAccount, NewStatus};

use crate::accounts::{Account, ActorLinks};
use crate::areas::Federation;
use crate::config::Domain;
use crate::error::{CoreError, Result};
use crate::events::Event;
use crate::jobs::new_job;
use crate::state::Woolly;
use crate::statuses::{NewStatusRecord, insert_new_status};
use crate::text;
use crate::visibility::Visibility;

/// What a remote lookup found, stored here.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Resolved {
    Account(i64),
    Status(i64),
}

/// Looks up `user@domain` handles and links on other servers (WebFinger and ActivityPub) and
/// stores what it finds: the federation crate provides it, core's search calls it.
pub trait RemoteResolver: Send + Sync + 'static {
    fn resolve<'a>(
        &'a self,
        woolly: &'a Woolly,
        query: &'a str,
    ) -> std::pin::Pin<Box<dyn std::future::Future<Output = Result<Option<Resolved>>> + Send + 'a>>;

    /// Where `username@domain`'s own server lets them follow or answer something of another
    /// server (their WebFinger's subscribe template, with `{uri}` to fill in); `None` when it
    /// names none or cannot be asked.
    fn interaction_template<'a>(
        &'a self,
        woolly: &'a Woolly,
        username: &'a str,
        domain: &'a str,
    ) -> std::pin::Pin<Box<dyn std::future::Future<Output = Result<Option<String>>> + Send + 'a>>;

    /// Fetches the actor document of the remote account stored as `account_id` again and
    /// stores what it says now (a move checks the new account's aliases as they are).
    fn refetch_account<'a>(
        &'a self,
        woolly: &'a Woolly,
        account_id: i64,
    ) -> std::pin::Pin<Box<dyn std::future::Future<Output = Result<()>> + Send + 'a>>;
}

/// An account on another server, as its actor document describes it.
#[derive(Debug, Clone)]
pub struct RemoteAccount {
    pub username: String,
    pub domain: Domain,
    pub display_name: String,
    /// The profile text, as plain text (used when `note_html` is `None`).
    pub note: String,
    /// The profile text as the actor document gives it, HTML to sanitize.
    pub note_html: Option<String>,
    pub locked: bool,
    pub bot: bool,
    pub discoverable: bool,
    pub indexable: bool,
    pub public_key_pem: String,
    /// Profile fields as (name, value) pairs of plain text.
    pub fields: Vec<(String, String)>,
    /// Where its actor document says things are.
    pub actor: ActorLinks,
    /// The custom emojis its profile uses: `(shortcode, image URL)`.
    pub emojis: Vec<(String, String)>,
    /// Its posts, followers and follows as its server counts them, where known (Mastodon
    /// shows these for remote accounts, not only what this server has seen).
    pub counts: RemoteCounts,
    /// Whether its own server says it suspended it (`toot:suspended`).
    pub suspended: bool,
    /// What its actor says of moves (`alsoKnownAs`, `movedTo`).
    pub moves: ActorMoves,
}

/// What an actor document says of moving accounts.
#[derive(Debug, Clone, Default)]
pub struct ActorMoves {
    /// The actor ids it says are also it (`alsoKnownAs`): where it may have moved from.
    pub also_known_as: Vec<String>,
    /// The actor it moved to (`movedTo`).
    pub moved_to: Option<String>,
}

/// A status received from another server.
#[derive(Debug, Clone)]
pub struct RemoteStatus {
    /// Its ActivityPub id; storing the same one twice stores it once.
    pub uri: String,
    pub url: Option<String>,
    /// The text, as plain text (used when `content_html` is `None`).
    pub text: String,
    /// The content as the object gives it, HTML to sanitize.
    pub content_html: Option<String>,
    pub spoiler_text: String,
    pub sensitive: bool,
    pub visibility: Visibility,
    pub language: Option<String>,
    /// The stored status it replies to, if it is known here.
    pub in_reply_to_id: Option<i64>,
    /// The accounts it mentions (local or remote), already resolved.
    pub mentioned_account_ids: Vec<i64>,
    /// Its hashtags, without `#`.
    pub tags: Vec<String>,
    pub created_at: i64,
    /// When its author last edited it, as its server says (an `Update`'s `updated`).
    pub edited_at: Option<i64>,
    /// Its poll (a `Question`), with the tallies its server reports.
    pub poll: Option<RemotePoll>,
    /// Its attachments (at most four are kept, as Mastodon keeps).
    pub media: Vec<RemoteMedia>,
    /// The custom emojis it uses: `(shortcode, image URL)`.
    pub emojis: Vec<(String, String)>,
}

/// A media attachment of another server's status, shown from where it is.
#[derive(Debug, Clone, Default)]
pub struct RemoteMedia {
    pub url: String,
    /// `image`, `gifv`, `video`, `audio` or `unknown`.
    pub kind: String,
    pub content_type: String,
    pub description: Option<String>,
    pub blurhash: Option<String>,
    /// The focal point, x and y in -1..1.
    pub focus: (f64, f64),
    pub width: i64,
    pub height: i64,
}

/// A poll of another server's status.
#[derive(Debug, Clone)]
pub struct RemotePoll {
    /// Option titles with their votes, in order.
    pub options: Vec<(String, i64)>,
    pub multiple: bool,
    pub expires_at: i64,
    pub voters_count: Option<i64>,
}

impl RemotePoll {
    /// The votes of each option, in order.
    pub fn tallies(&self) -> Vec<i64> {
        self.options.iter().map(|(_, votes)| *votes).collect()
    }
}

impl Federation<'_> {
    /// Stores an account of another server, or refreshes the one with the same username and
    /// domain.
    pub async fn store_remote_account(&self, remote: RemoteAccount) -> Result<Account> {
        if remote.domain.as_str() == self.config().domain.as_str() {
            return Err(CoreError::Validation(
                "An account of this server is not remote".into(),
            ));
        }
        if remote.username.is_empty() || remote.username.contains(['@', '/', ' ']) {
            return Err(CoreError::Validation(format!(
                "Username {:?} is invalid",
                remote.username
            )));
        }
        let block = self
            .instance()
            .domain_block_covering(remote.domain.as_str())
            .await?;
        let mut remote = remote;
        // Its server's media are not shown here: nor are its pictures.
        if block.as_ref().is_some_and(|block| block.reject_media) {
            remote.actor.avatar_remote_url = None;
            remote.actor.header_remote_url = None;
        }
        let urls = self.config().urls();
        let note = match &remote.note_html {
            Some(html) => crate::sanitize::sanitize_remote_html(html),
            None => text::render_plain_text(&remote.note, urls, &|_| None).html,
        };
        let fields: Vec<crate::accounts::ProfileField> = remote
            .fields
            .iter()
            .map(|(name, value)| crate::accounts::ProfileField {
                name: name.clone(),
                value: text::render_plain_text(value, urls, &|_| None).html,
                source: String::new(),
            })
            .collect();
        let row = NewRemoteAccount {
            username: remote.username,
            domain: remote.domain.as_str().to_owned(),
            display_name: remote.display_name,
            note,
            locked: remote.locked,
            bot: remote.bot,
            discoverable: remote.discoverable,
            indexable: remote.indexable,
            public_key_pem: remote.public_key_pem,
            fields: serde_json::to_string(&fields)
                .map_err(|error| CoreError::Internal(error.to_string()))?,
            actor: remote.actor,
            counts: remote.counts,
        };
        self.store_remote_emojis(&row.domain, &remote.emojis)
            .await?;
        let now = crate::now_millis();
        let mut tx = self.db().begin().await?;
        let id = tx.upsert_remote_account(&row, now).await?;
        // Its own server's suspension is kept as that server's (this server's moderators do
        // not lift it), and lifted when that server lifts it; one decided here stays.
        if remote.suspended {
            let limit = woolly_store::AccountLimit::Suspended;
            if tx
                .set_account_limit(id, limit, Some(now), Some("remote"))
                .await?
            {
                tracing::info!(account = id, "suspended by its own server");
            }
        } else if tx.lift_remote_suspension(id).await? {
            tracing::info!(account = id, "suspension lifted by its own server");
        }
        // An account of a server this one limits is limited too, from the block's creation,
        // so that lifting the block lifts it (a no-op for one limited already).
        if let Some(block) = &block
            && block.severity == crate::instance_domain_blocks::Severity::Silence
        {
            let limit = woolly_store::AccountLimit::Silenced;
            tx.set_account_limit(id, limit, Some(block.created_at), None)
                .await?;
        }
        let aliases: Vec<String> = remote
            .moves
            .also_known_as
            .iter()
            .take(crate::moving::MAX_ALIASES)
            .cloned()
            .collect();
        // Only an account known here: a move is followed by the `Move` activity, which fetches
        // what it names; a document alone does not make this server fetch anything.
        let moved_to = match &remote.moves.moved_to {
            Some(uri) => self
                .known_account_id(uri)
                .await?
                .filter(|target| *target != id),
            None => None,
        };
        tx.set_remote_moves(id, &aliases, moved_to).await?;
        tx.commit().await?;
        self.check_server_software(&row.domain).await?;
        // A suspended one too: the federation layer decides what such an account may still do.
        let row = self
            .db()
            .account_including_suspended(id)
            .await?
            .ok_or(CoreError::NotFound)?;
        self.accounts_from_rows(vec![row])
            .await?
            .pop()
            .ok_or(CoreError::NotFound)
    }

    /// Stores a status an account of another server posted and returns its id. Mentioned local
    /// accounts are notified and the author's local followers get it through the fan-out job,
    /// as for a local post. A status already stored (same `uri`) is not stored again.
    pub async fn store_remote_status(&self, author: &Account, remote: RemoteStatus) -> Result<i64> {
        if author.is_local() {
            return Err(CoreError::Validation(
                "A local account's statuses are posted, not received".into(),
            ));
        }
        let mut mentioned: Vec<i64> = remote.mentioned_account_ids.clone();
        mentioned.sort_unstable();
        mentioned.dedup();
        let mentioned_accounts = self.accounts_by_id(&mentioned).await?;
        if mentioned_accounts.len() != mentioned.len() {
            return Err(CoreError::NotFound);
        }
        let (text, content) = remote_content(&remote, self.config().urls());
        let tags = hashtag_names(&remote.tags);
        // Media of a server whose media this one rejects stay links to that server
        // (Mastodon's `unknown` attachments), shown inline nowhere here.
        let media_rejected = match &author.domain {
            Some(domain) => self
                .instance()
                .domain_block_covering(domain)
                .await?
                .is_some_and(|block| block.reject_media),
            None => false,
        };
        if let Some(domain) = &author.domain {
            self.store_remote_emojis(domain, &remote.emojis).await?;
        }
        let mut tx = self.db().begin().await?;
        if let Some(existing) = tx.status_id_by_uri(&remote.uri).await? {
            tx.rollback().await?;
            return Ok(existing);
        }
        let parent = match remote.in_reply_to_id {
            Some(id) => Some(tx.status_for_update(id).await?.ok_or(CoreError::NotFound)?),
            None => None,
        };
        let id = tx.next_id();
        let mentioned_accounts: Vec<Account> = mentioned_accounts.into_values().collect();
        let events = insert_new_status(
            &mut tx,
            NewStatusRecord {
                status: NewStatus {
                    id,
                    uri: remote.uri,
                    url: remote.url,
                    account_id: author.id,
                    is_local: false,
                    in_reply_to_id: parent.as_ref().map(|parent| parent.id),
                    in_reply_to_account_id: parent.as_ref().map(|parent| parent.account_id),
                    reblog_of_id: None,
                    text,
                    content,
                    spoiler_text: remote.spoiler_text,
                    sensitive: remote.sensitive,
                    visibility: remote.visibility.as_str().to_owned(),
                    language: remote.language,
                    app_id: None,
                    created_at: remote.created_at,
                },
                mentioned: &mentioned_accounts,
                tags: &tags,
                has_media: !remote.media.is_empty(),
            },
            crate::now_millis(),
        )
        .await?;
        for media in remote.media.iter().take(4) {
            let media_id = tx.next_id();
            tx.insert_media_row(&woolly_store::MediaRow {
                id: media_id,
                account_id: author.id,
                status_id: Some(id),
                kind: if media_rejected {
                    "unknown".to_owned()
                } else {
                    media.kind.clone()
                },
                file_key: String::new(),
                content_type: media.content_type.clone(),
                preview_key: None,
                width: media.width,
                height: media.height,
                preview_width: media.width,
                preview_height: media.height,
                file_size: 0,
                description: media.description.clone(),
                focus_x: media.focus.0.clamp(-1.0, 1.0),
                focus_y: media.focus.1.clamp(-1.0, 1.0),
                blurhash: media.blurhash.clone().filter(|_| !media_rejected),
                created_at: remote.created_at,
                remote_url: Some(media.url.clone()),
            })
            .await?;
        }
        if let Some(poll) = &remote.poll {
            let poll_id = tx.next_id();
            tx.insert_poll(&woolly_store::NewPoll {
                id: poll_id,
                status_id: id,
                account_id: author.id,
                multiple: poll.multiple,
                hide_totals: false,
                expires_at: poll.expires_at,
                created_at: remote.created_at,
                options: poll
                    .options
                    .iter()
                    .map(|(title, _)| title.clone())
                    .collect(),
            })
            .await?;
            tx.set_poll_counts(poll_id, &poll.tallies(), poll.voters_count, poll.expires_at)
                .await?;
        }
        tx.commit().await?;
        self.wake_workers();
        self.publish(events);
        Ok(id)
    }
}

/// Hashtag names as they are stored: without `#`, lower-case, each once.
fn hashtag_names(tags: &[String]) -> Vec<String> {
    let mut seen = HashSet::new();
    tags.iter()
        .map(|tag| tag.trim_start_matches('#').to_lowercase())
        .filter(|tag| !tag.is_empty() && seen.insert(tag.clone()))
        .collect()
}

/// The plain text and the HTML content a remote status is stored with.
fn remote_content(remote: &RemoteStatus, urls: &crate::urls::Urls) -> (String, String) {
    match &remote.content_html {
        Some(html) => {
            let content = crate::sanitize::sanitize_remote_html(html);
            (crate::sanitize::html_to_plain_text(&content), content)
        }
        None => (
            remote.text.clone(),
            text::render_plain_text(&remote.text, urls, &|_| None).html,
        ),
    }
}

impl Federation<'_> {
    /// A remote account accepted the local `local_id`'s request to follow it: the request
    /// becomes a follow. False when no request was waiting.
    pub async fn remote_follow_accepted(&self, remote: &Account, local_id: i64) -> Result<bool> {
        let mut tx = self.db().begin().await?;
        let uri = tx.follow_uri(local_id, remote.id).await?;
        let Some(request) = tx.take_follow_request(local_id, remote.id).await? else {
            tx.rollback().await?;
            return Ok(false);
        };
        tx.upsert_follow(local_id, remote.id, &request, crate::now_millis())
            .await?;
        if let Some(uri) = &uri {
            tx.set_follow_uri(local_id, remote.id, uri).await?;
        }
        tx.commit().await?;
        Ok(true)
    }

    /// A remote account rejected the local `local_id`'s request to follow it, or removed it
    /// from its followers.
    pub async fn remote_follow_rejected(&self, remote: &Account, local_id: i64) -> Result<bool> {
        let mut tx = self.db().begin().await?;
        let request = tx.take_follow_request(local_id, remote.id).await?.is_some();
        let follow = tx.delete_follow(local_id, remote.id).await?;
        tx.commit().await?;
        Ok(request || follow)
    }

    /// The id of a stored status by its ActivityPub id.
    pub async fn status_id_by_uri(&self, uri: &str) -> Result<Option<i64>> {
        Ok(self.db().status_id_for_uri(uri).await?)
    }

    /// When a remote account's actor document was last fetched (Unix milliseconds).
    pub async fn account_fetched_at(&self, account_id: i64) -> Result<Option<i64>> {
        Ok(self.db().account_fetched_at(account_id).await?)
    }

    /// Records that a remote account's actor document was fetched just now.
    pub async fn touch_account_fetched(&self, account_id: i64) -> Result<()> {
        Ok(self
            .db()
            .touch_account_fetched(account_id, crate::now_millis())
            .await?)
    }

    /// The actor id of a known remote account, by username and domain (case-insensitive).
    pub async fn remote_actor_uri_by_acct(
        &self,
        username: &str,
        domain: &str,
    ) -> Result<Option<String>> {
        Ok(self
            .db()
            .remote_account_by_acct(username, domain)
            .await?
            .and_then(|row| row.actor.uri))
    }

    /// A known account by its ActivityPub id.
    pub async fn account_by_uri(&self, uri: &str) -> Result<Option<Account>> {
        let Some(row) = self.db().account_by_uri(uri).await? else {
            return Ok(None);
        };
        Ok(self.accounts_from_rows(vec![row]).await?.pop())
    }

    /// Deletes the remote `author`'s status (or reblog) with ActivityPub id `uri`, as its
    /// author would. False when it is unknown here or not the author's (then nothing changes).
    pub async fn delete_remote_status(&self, author: &Account, uri: &str) -> Result<bool> {
        if author.is_local() {
            return Ok(false);
        }
        let Some(id) = self.db().status_id_for_uri(uri).await? else {
            return Ok(false);
        };
        let theirs = self
            .db()
            .statuses_by_ids(&[id])
            .await?
            .first()
            .is_some_and(|row| row.account_id == author.id);
        if !theirs {
            return Ok(false);
        }
        match self.statuses().delete(author, id).await {
            Ok(_) | Err(CoreError::NotFound) => Ok(true),
            Err(error) => Err(error),
        }
    }

    /// A remote account reblogged the stored status `status_id` with the `Announce` `uri`.
    pub async fn store_remote_reblog(
        &self,
        author: &Account,
        status_id: i64,
        uri: String,
        visibility: Visibility,
    ) -> Result<i64> {
        if let Some(existing) = self.db().status_id_for_uri(&uri).await? {
            return Ok(existing);
        }
        let view = self
            .reblog_with_uri(author, status_id, Some(visibility), Some(uri))
            .await?;
        Ok(view.status.id)
    }

    /// A remote author edited its status: the new version is stored and the old one kept in
    /// its history, as local edits are. False when the status is unknown or not the author's.
    pub async fn update_remote_status(
        &self,
        author: &Account,
        remote: RemoteStatus,
    ) -> Result<bool> {
        let Some(id) = self.db().status_id_for_uri(&remote.uri).await? else {
            return Ok(false);
        };
        let view = self.statuses().view(Some(author.id), id).await?;
        if view.status.account_id != author.id {
            return Ok(false);
        }
        let (text, content) = remote_content(&remote, self.config().urls());
        if let Some(domain) = &author.domain {
            self.store_remote_emojis(domain, &remote.emojis).await?;
        }
        // An `Update` that changes only a poll's tallies is no edit (Mastodon shows none).
        let edited = content != view.status.content
            || remote.spoiler_text != view.status.spoiler_text
            || remote.sensitive != view.status.sensitive;
        let edited_at = edit_time(
            remote.edited_at,
            view.status.created_at,
            crate::now_millis(),
        );
        let mut tx = self.db().begin().await?;
        if edited {
            let media = crate::edits::json_ids(&tx.attached_media_ids(id).await?);
            crate::edits::keep_original_version(&mut tx, &view.status, &media).await?;
            let content = woolly_store::StatusContent {
                text,
                content,
                spoiler_text: remote.spoiler_text,
                sensitive: remote.sensitive,
                language: remote.language,
            };
            tx.update_status_content(id, &content, edited_at).await?;
            if crate::link_previews::may_link(&content.content) || view.status.card_id.is_some() {
                crate::link_previews::enqueue(&mut tx, id, crate::now_millis()).await?;
            }
            tx.insert_status_edit(id, &content, &media, edited_at)
                .await?;
        }
        let tags = hashtag_names(&remote.tags);
        tx.replace_tags(id, &tags).await?;
        if let Some(poll) = &remote.poll
            && let Some(row) = tx.poll_of_status(id).await?
        {
            tx.set_poll_counts(row.id, &poll.tallies(), poll.voters_count, poll.expires_at)
                .await?;
        }
        tx.commit().await?;
        self.publish([Event::StatusEdited {
            status_id: id,
            visibility: view.status.visibility,
            is_local: false,
            tags,
        }]);
        Ok(true)
    }
}

/// When a remote edit was made: the time its server gives (Mastodon takes the `updated` of the
/// edited object), unless there is none or it cannot be, being after `now` or before the
/// status was posted; then `now`, when the edit arrived.
fn edit_time(claimed: Option<i64>, created_at: i64, now: i64) -> i64 {
    claimed
        .filter(|at| (created_at..=now).contains(at))
        .unwrap_or(now)
}

/// The job kind of a received activity, which the federation crate processes.
pub const INBOUND_KIND: &str = "federation.inbound";

/// The marker a `Delete` leaves for an object not received yet, so that its late `Create` is
/// dropped (deliveries are not ordered).
fn deleted_marker(uri: &str) -> String {
    format!("deleted:{uri}")
}

impl Federation<'_> {
    /// Accepts a received activity for processing: records its id and its job in one
    /// transaction. False when the same id arrived before (then nothing is written).
    pub async fn accept_inbound_activity(
        &self,
        activity_id: &str,
        payload: &impl serde::Serialize,
    ) -> Result<bool> {
        let now = crate::now_millis();
        let mut tx = self.db().begin().await?;
        if !tx.record_inbound_activity(activity_id, now).await? {
            tx.rollback().await?;
            return Ok(false);
        }
        tx.enqueue_job(&new_job(
            INBOUND_KIND,
            payload,
            now,
            crate::jobs::DEFAULT_MAX_ATTEMPTS,
        )?)
        .await?;
        tx.commit().await?;
        self.wake_workers();
        Ok(true)
    }

    /// Remembers that the object `uri` was deleted before it arrived.
    pub async fn mark_deleted_before_arrival(&self, uri: &str) -> Result<()> {
        let mut tx = self.db().begin().await?;
        tx.record_inbound_activity(&deleted_marker(uri), crate::now_millis())
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Whether a `Delete` of the object `uri` came before it.
    pub async fn was_deleted_before_arrival(&self, uri: &str) -> Result<bool> {
        Ok(self
            .db()
            .inbound_activity_seen(&deleted_marker(uri))
            .await?)
    }
}

impl Federation<'_> {
    /// Answers a remote account's `Follow` of the local `target` with a `Reject` (a follow
    /// that is not allowed), without changing anything else.
    pub async fn reject_remote_follow(
        &self,
        target: &Account,
        follower: &Account,
        follow_uri: Option<String>,
    ) -> Result<()> {
        if !target.is_local() || follower.is_local() {
            return Ok(());
        }
        let mut tx = self.db().begin().await?;
        let outbound = crate::outbox::Outbound::Reject {
            account_id: target.id,
            follower_id: follower.id,
            uri: follow_uri,
        };
        crate::outbox::enqueue(&mut tx, &outbound, crate::now_millis()).await?;
        tx.commit().await?;
        self.wake_workers();
        Ok(())
    }
}

impl Federation<'_> {
    /// A remote account voted `option` (by title, as votes arrive) in the local poll of
    /// `status_id`. The poll's author then sends its new tallies to other servers. False when
    /// there is no such running poll or option, or the voter already chose it.
    pub async fn record_remote_vote(
        &self,
        voter: &Account,
        status_id: i64,
        option: &str,
    ) -> Result<bool> {
        let now = crate::now_millis();
        let mut tx = self.db().begin().await?;
        let Some(poll) = tx.poll_of_status(status_id).await? else {
            tx.rollback().await?;
            return Ok(false);
        };
        let Some(row) = tx.poll_for_update(poll.id).await? else {
            tx.rollback().await?;
            return Ok(false);
        };
        let status = tx.status_for_update(status_id).await?;
        let is_local_poll = status.as_ref().is_some_and(|status| status.is_local);
        let choice = self
            .statuses()
            .poll(Some(voter.id), poll.id)
            .await
            .ok()
            .and_then(|view| {
                view.options
                    .iter()
                    .position(|candidate| candidate.title == option)
            });
        let (Some(choice), true) = (choice, is_local_poll) else {
            tx.rollback().await?;
            return Ok(false);
        };
        let voted_before = tx.has_voted(poll.id, voter.id).await?;
        if row.expires_at <= now || (!row.multiple && voted_before) {
            tx.rollback().await?;
            return Ok(false);
        }
        let choice = i64::try_from(choice).unwrap_or(0);
        tx.insert_poll_votes(poll.id, voter.id, &[choice], now)
            .await?;
        if voted_before {
            // Another choice of the same voter (they arrive one per activity): one voter still.
            tx.uncount_poll_voter(poll.id).await?;
        }
        crate::outbox::enqueue(&mut tx, &crate::outbox::Outbound::Update { status_id }, now)
            .await?;
        tx.commit().await?;
        self.wake_workers();
        Ok(true)
    }
}

impl Federation<'_> {
    /// A remote actor was deleted on its server: the account and all it did here go (Mastodon
    /// deletes such accounts' data too). False when it was not known.
    pub async fn delete_remote_account(&self, account: &Account) -> Result<bool> {
        if account.is_local() {
            return Ok(false);
        }
        let mut tx = self.db().begin().await?;
        let deleted = tx.delete_remote_account(account.id).await?;
        tx.commit().await?;
        Ok(deleted)
    }
}

/// The job kind that fetches a remote thread's replies from its server.
pub const FETCH_REPLIES_KIND: &str = "federation.fetch_replies";

/// What a [`FETCH_REPLIES_KIND`] job fetches.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct FetchReplies {
    pub status_id: i64,
}

/// How long fetched replies are taken as current.
const REPLIES_FRESH_MILLIS: i64 = 15 * 60 * 1000;

impl Woolly {
    /// Has the replies of a remote status fetched from its server (missing replies are what
    /// Mastodon users miss most), at most once per quarter of an hour per status.
    pub(crate) async fn fetch_missing_replies(&self, status_id: i64, is_local: bool) -> Result<()> {
        if is_local || self.remote_resolver().is_none() {
            return Ok(());
        }
        let now = crate::now_millis();
        if self
            .db()
            .claim_replies_fetch(status_id, now, now - REPLIES_FRESH_MILLIS)
            .await?
        {
            self.jobs()
                .enqueue_job(&new_job(
                    FETCH_REPLIES_KIND,
                    &FetchReplies { status_id },
                    now,
                    3,
                )?)
                .await?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_edit_is_dated_by_its_server_unless_the_date_is_absurd() {
        let (created, now) = (1_000, 5_000);
        assert_eq!(edit_time(Some(3_000), created, now), 3_000);
        assert_eq!(edit_time(Some(created), created, now), created);
        assert_eq!(edit_time(Some(now), created, now), now);
        assert_eq!(edit_time(None, created, now), now, "none given");
        assert_eq!(edit_time(Some(9_000), created, now), now, "in the future");
        assert_eq!(edit_time(Some(500), created, now), now, "before the post");
    }
}
