//! Accounts and statuses of other servers, stored the way the federation inbox will store what
//! it receives: an actor becomes (or refreshes) an `account` row with a domain, a `Create` of a
//! note becomes a status with its mentions, hashtags, notifications and fan-out, exactly as a
//! local post gets them.
//!
//! Nothing here fetches, verifies or trusts: callers (the inbox, once it has checked signatures
//! and ownership) hand over what they know. Text arrives as plain text and is escaped, as local
//! posts are; remote HTML needs the sanitizer the architecture plans for (ammonia, Mastodon's
//! allowed classes) before it can be stored, and federation adds that entry point with it.

use std::collections::HashSet;

use woolly_store::{NewRemoteAccount, NewStatus, StatusCounter};

use crate::accounts::{Account, ActorLinks};
use crate::config::Domain;
use crate::error::{CoreError, Result};
use crate::events::Event;
use crate::jobs::new_job;
use crate::state::Woolly;
use crate::statuses::{FAN_OUT_KIND, FanOut};
use crate::text;
use crate::visibility::Visibility;

/// An account on another server, as its actor document describes it.
#[derive(Debug, Clone)]
pub struct RemoteAccount {
    pub username: String,
    pub domain: Domain,
    pub display_name: String,
    /// The profile text, as plain text.
    pub note: String,
    pub locked: bool,
    pub bot: bool,
    pub discoverable: bool,
    pub indexable: bool,
    pub public_key_pem: String,
    /// Profile fields as (name, value) pairs of plain text.
    pub fields: Vec<(String, String)>,
    /// Where its actor document says things are.
    pub actor: ActorLinks,
}

/// A status received from another server.
#[derive(Debug, Clone)]
pub struct RemoteStatus {
    /// Its ActivityPub id; storing the same one twice stores it once.
    pub uri: String,
    pub url: Option<String>,
    /// The text, as plain text.
    pub text: String,
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
}

impl Woolly {
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
        let base_url = self.config().base_url();
        let note = text::render_plain_text(&remote.note, &base_url, &|_| None).html;
        let fields: Vec<crate::accounts::ProfileField> = remote
            .fields
            .iter()
            .map(|(name, value)| crate::accounts::ProfileField {
                name: name.clone(),
                value: text::render_plain_text(value, &base_url, &|_| None).html,
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
        };
        let mut tx = self.db().begin().await?;
        let id = tx.upsert_remote_account(&row, crate::now_millis()).await?;
        tx.commit().await?;
        self.account(id).await?.ok_or(CoreError::NotFound)
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
        let base_url = self.config().base_url();
        let content = text::render_plain_text(&remote.text, &base_url, &|_| None).html;
        let mut seen = HashSet::new();
        let tags: Vec<String> = remote
            .tags
            .iter()
            .map(|tag| tag.trim_start_matches('#').to_lowercase())
            .filter(|tag| !tag.is_empty() && seen.insert(tag.clone()))
            .collect();

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
        tx.insert_status(&NewStatus {
            id,
            uri: remote.uri,
            url: remote.url,
            account_id: author.id,
            is_local: false,
            in_reply_to_id: parent.as_ref().map(|parent| parent.id),
            in_reply_to_account_id: parent.as_ref().map(|parent| parent.account_id),
            reblog_of_id: None,
            text: remote.text,
            content,
            spoiler_text: remote.spoiler_text,
            sensitive: remote.sensitive,
            visibility: remote.visibility.as_str().to_owned(),
            language: remote.language,
            app_id: None,
            created_at: remote.created_at,
        })
        .await?;
        for account_id in &mentioned {
            tx.insert_mention(id, *account_id).await?;
        }
        for tag in &tags {
            tx.insert_tag(id, tag).await?;
        }
        tx.bump_account_statuses(author.id, 1, Some(remote.created_at))
            .await?;
        if let Some(parent) = &parent {
            tx.bump_status(parent.id, StatusCounter::Replies, 1).await?;
        }
        let now = crate::now_millis();
        let mut events = vec![Event::StatusPosted {
            status_id: id,
            author_id: author.id,
            visibility: remote.visibility,
            is_local: false,
            is_reblog: false,
            has_media: false,
            tags,
        }];
        for account in mentioned_accounts
            .values()
            .filter(|account| account.is_local())
        {
            if let Some(notification_id) = tx
                .insert_notification(account.id, author.id, "mention", Some(id), now)
                .await?
            {
                events.push(Event::Notification {
                    account_id: account.id,
                    notification_id,
                });
            }
        }
        tx.enqueue_job(&new_job(
            FAN_OUT_KIND,
            &FanOut { status_id: id },
            now,
            crate::jobs::DEFAULT_MAX_ATTEMPTS,
        )?)
        .await?;
        tx.commit().await?;
        self.wake_workers();
        self.publish(events);
        Ok(id)
    }
}
