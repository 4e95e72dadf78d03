//! What other servers see of this one: the ActivityPub ids of accounts, the keys their
//! signatures verify with, the statuses and replies federation serves, and the instance actor
//! (the server's own actor, which signs fetches and sends reports on the server's behalf).
//!
//! A fetch by another server is a read like any other: it goes through the same visibility
//! rules, with the fetching account as the viewer (anonymous until signed fetches are verified,
//! so only public and unlisted statuses are served).

use std::collections::HashMap;

use woolly_store::Db;

use crate::accounts::Account;
use crate::areas::Federation;
use crate::crypto;
use crate::emojis::CustomEmoji;
use crate::error::{CoreError, Result};
use crate::statuses::StatusView;

/// The database name of the instance actor's private key.
const INSTANCE_ACTOR_KEY: &str = "instance_actor_private_key";

/// The instance actor's username, the one Mastodon gives its own (`Account.representative`).
/// It was the domain, as it still is on Mastodon servers created before the change; but a
/// domain with a port (`localhost:8082`) has a colon, which GoToSocial reads as a link, so it
/// finds no username and answers 500 to every request the instance actor signs. A dot keeps it
/// apart from local usernames, which have none ([`crate::accounts::Username`]).
pub const INSTANCE_ACTOR_USERNAME: &str = "mastodon.internal";

/// A local account as its actor document shows it.
#[derive(Debug, Clone)]
pub struct LocalActor {
    pub account: Account,
    /// The key its signatures verify with (SubjectPublicKeyInfo PEM).
    pub public_key_pem: String,
    /// Its aliases: the actor ids it says are also it (`alsoKnownAs`).
    pub also_known_as: Vec<String>,
    /// The actor id of the account it moved to (`movedTo`).
    pub moved_to: Option<String>,
}

/// The instance actor's RSA key pair, in PEM (PKCS#8 private, SubjectPublicKeyInfo public).
#[derive(Clone)]
pub struct InstanceActorKey {
    pub public_key_pem: String,
    pub private_key_pem: String,
}

impl std::fmt::Debug for InstanceActorKey {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The private key never reaches a log.
        formatter
            .debug_struct("InstanceActorKey")
            .field("public_key_pem", &self.public_key_pem)
            .finish_non_exhaustive()
    }
}

/// The instance actor's key pair: generated on first start (off the async threads: RSA takes
/// a while) and kept in the database, so that every process and restart signs with the same
/// key, as the VAPID key is kept.
pub(crate) async fn load_instance_actor_key(db: &Db) -> Result<InstanceActorKey> {
    let private_key_pem = match db.secret(INSTANCE_ACTOR_KEY).await? {
        Some(pem) => pem,
        None => {
            let generated = tokio::task::spawn_blocking(crypto::generate_rsa_key_pair)
                .await
                .map_err(|error| {
                    CoreError::Internal(format!("key generation failed: {error}"))
                })??;
            db.secret_or_insert(INSTANCE_ACTOR_KEY, || Some(generated.private_pem))
                .await?
        }
    };
    Ok(InstanceActorKey {
        public_key_pem: crypto::rsa_public_pem(&private_key_pem)?,
        private_key_pem,
    })
}

impl Federation<'_> {
    /// The ActivityPub id of an account: `{base}/users/{username}` for local ones.
    pub fn actor_uri(&self, account: &Account) -> String {
        match &account.domain {
            None => self.local_actor_uri(&account.username),
            // The id its actor document gave; Mastodon's layout for an account stored without
            // one.
            Some(domain) => account
                .actor
                .uri
                .clone()
                .unwrap_or_else(|| format!("https://{domain}/users/{}", account.username)),
        }
    }

    /// The ActivityPub id of the local account called `username`.
    pub fn local_actor_uri(&self, username: &str) -> String {
        self.config().urls().actor(username)
    }

    /// The username of the local account an ActivityPub id names (`{base}/users/{name}`, with
    /// whatever follows: a key, a follow), if it names one.
    pub fn local_username_in<'a>(&self, uri: &'a str) -> Option<&'a str> {
        self.config().urls().local_username_in(uri)
    }

    /// The instance actor's id.
    pub fn instance_actor_uri(&self) -> String {
        self.config().urls().instance_actor()
    }

    /// The private key (PKCS#8 PEM) a local account signs its deliveries with.
    pub async fn account_private_key(&self, account_id: i64) -> Result<Option<String>> {
        Ok(self.db().private_key_of(account_id).await?)
    }

    /// The private key of the deleted local account `username`, while the deliveries of its
    /// deletion may still need it.
    pub async fn retired_key(&self, username: &str, now: i64) -> Result<Option<String>> {
        Ok(self.db().retired_key(username, now).await?)
    }

    /// The public key (PEM) an account's signatures are checked with; empty when it has none.
    pub async fn account_public_key(&self, account_id: i64) -> Result<String> {
        Ok(self
            .db()
            .account_by_id(account_id)
            .await?
            .map(|row| row.public_key_pem)
            .unwrap_or_default())
    }

    /// A stored status's ActivityPub id.
    pub async fn stored_status_uri(&self, id: i64) -> Result<Option<String>> {
        Ok(self
            .db()
            .statuses_by_ids(&[id])
            .await?
            .pop()
            .map(|row| row.uri))
    }

    /// A local status as its author sees it, for delivery; `None` when it is gone or remote.
    pub async fn own_local_status(&self, id: i64) -> Result<Option<StatusView>> {
        let Some(row) = self.db().statuses_by_ids(&[id]).await?.pop() else {
            return Ok(None);
        };
        match self.statuses().view(Some(row.account_id), id).await {
            Ok(view) if view.account.is_local() => Ok(Some(view)),
            Ok(_) | Err(CoreError::NotFound) => Ok(None),
            Err(error) => Err(error),
        }
    }

    /// An account by id, a suspended one too: what an activity's signer is checked against.
    pub async fn account_including_suspended(&self, id: i64) -> Result<Option<Account>> {
        match self.db().account_including_suspended(id).await? {
            Some(row) => Ok(self.accounts_from_rows(vec![row]).await?.pop()),
            None => Ok(None),
        }
    }

    /// A local account with its public key, by id (a suspended one too, as for
    /// [`Federation::local_actor`]).
    pub async fn local_actor_by_id(&self, account_id: i64) -> Result<Option<LocalActor>> {
        match self.db().account_including_suspended(account_id).await? {
            Some(row) if row.domain.is_none() => self.local_actor(&row.username).await,
            _ => Ok(None),
        }
    }

    /// A local account with its public key, by username (case-insensitive). A suspended one
    /// too: its actor document stays, saying `suspended`, so that other servers learn of the
    /// suspension and can still check what it signed; what it posted and its collections do
    /// not (see `woolly_federation`'s routes).
    pub async fn local_actor(&self, username: &str) -> Result<Option<LocalActor>> {
        let Some(row) = self
            .db()
            .local_account_including_suspended(username)
            .await?
        else {
            return Ok(None);
        };
        let public_key_pem = row.public_key_pem.clone();
        let also_known_as = self.db().also_known_as(row.id).await?;
        Ok(self
            .accounts_from_rows(vec![row])
            .await?
            .pop()
            .map(|account| LocalActor {
                moved_to: account
                    .moved
                    .as_deref()
                    .map(|target| self.actor_uri(target)),
                account,
                public_key_pem,
                also_known_as,
            }))
    }

    /// A local status of the account called `username`, as `viewer` may see it;
    /// [`CoreError::NotFound`] when it is another account's, remote, or hidden from the viewer.
    pub async fn local_status(
        &self,
        viewer: Option<i64>,
        username: &str,
        id: i64,
    ) -> Result<StatusView> {
        let view = self.statuses().view(viewer, id).await?;
        let is_theirs = view.status.is_local
            && view.account.is_local()
            && view.account.username.eq_ignore_ascii_case(username);
        if is_theirs {
            Ok(view)
        } else {
            Err(CoreError::NotFound)
        }
    }

    /// The URIs of statuses by id (those that exist), in one query: what `inReplyTo` names.
    pub async fn status_uris(&self, ids: &[i64]) -> Result<HashMap<i64, String>> {
        Ok(self
            .db()
            .statuses_by_ids(ids)
            .await?
            .into_iter()
            .map(|row| (row.id, row.uri))
            .collect())
    }

    /// The first `limit` public and unlisted replies of each of the statuses by its own author,
    /// oldest first, as `(id, uri)` by the id of the status replied to (statuses without any
    /// are left out).
    pub async fn first_self_replies(
        &self,
        status_ids: &[i64],
        limit: i64,
    ) -> Result<HashMap<i64, Vec<(i64, String)>>> {
        let mut replies: HashMap<i64, Vec<(i64, String)>> = HashMap::new();
        for (parent, id, uri) in self.db().first_self_replies(status_ids, limit).await? {
            replies.entry(parent).or_default().push((id, uri));
        }
        Ok(replies)
    }

    /// A page of the public and unlisted replies to a status, oldest first after `min_id`:
    /// its author's own (the rest of a thread), or everyone else's.
    pub async fn public_replies(
        &self,
        status: &StatusView,
        by: woolly_store::RepliesBy,
        min_id: Option<i64>,
        limit: i64,
    ) -> Result<Vec<StatusView>> {
        let ids = self
            .db()
            .public_replies(
                status.status.id,
                status.status.account_id,
                by,
                min_id,
                limit,
            )
            .await?;
        self.statuses().views(None, &ids).await
    }

    /// One of the instance's enabled custom emojis, by shortcode.
    pub async fn local_emoji(&self, shortcode: &str) -> Result<Option<CustomEmoji>> {
        Ok(self
            .instance()
            .custom_emojis()
            .await?
            .into_iter()
            .find(|emoji| emoji.shortcode == shortcode))
    }
}
