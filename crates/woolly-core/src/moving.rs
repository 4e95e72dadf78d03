//! Moving an account to another one, on this server or another, as Mastodon does it.
//!
//! - **Aliases**: before moving here, a user declares the old account as an alias of the new
//!   one; the actor document lists aliases as `alsoKnownAs`, which is what proves a move
//!   genuine: only the owner of the new account can make it name the old one.
//! - **Moving out**: the old account's owner names the new account with their password. The new
//!   one must list the old one among its aliases (checked on a fresh copy of its actor), must
//!   not have moved itself, and the old one may move once per [`MOVE_COOLDOWN_MILLIS`]. The old
//!   account then shows as moved (`moved`, `movedTo`) and posts no more; its followers' servers
//!   get a `Move`, and its followers here are moved by a job.
//! - **Moving in**: a `Move` from a remote account (verified by the federation crate: signed
//!   by the old actor, naming itself, with the target listing it as an alias) records the move
//!   and has the job move the followers here, once per [`MOVE_PROCESSING_COOLDOWN_MILLIS`].
//!
//! Moving the followers ([`MOVE_FOLLOWERS_KIND`], Mastodon's `MoveWorker` and
//! `UnfollowFollowWorker`): each local follower of the old account follows the new one with the
//! same options (reblogs, notifications, languages; a local new account accepts them without
//! asking), the new account joins the lists the old one was in, and the old one is unfollowed.
//! Local accounts that blocked or muted the old account block or mute the new one, unless they
//! follow it. Mastodon sends no notification of a move; neither does Woolly.

use serde::{Deserialize, Serialize};
use woolly_store::MigrationRow;

use crate::accounts::Account;
use crate::areas::{Accounts, Federation};
use crate::error::{CoreError, FieldErrors, FieldRule, Result};
use crate::jobs::{DEFAULT_MAX_ATTEMPTS, Job, JobFuture, JobHandler, new_job};
use crate::outbox::Outbound;
use crate::relations::MuteOptions;
use crate::remote::Resolved;
use crate::state::Woolly;

/// How long after a move an account may move again (Mastodon's `AccountMigration`'s).
pub const MOVE_COOLDOWN_MILLIS: i64 = 30 * 24 * 60 * 60 * 1000;
/// How long a remote account's move is not carried out again (Mastodon's processing
/// cooldown of `Move`).
pub const MOVE_PROCESSING_COOLDOWN_MILLIS: i64 = 7 * 24 * 60 * 60 * 1000;
/// The most aliases an account keeps.
pub const MAX_ALIASES: usize = 10;

/// The job kind that moves the local followers of an account to the one it moved to.
pub const MOVE_FOLLOWERS_KIND: &str = "account.move_followers";

/// What a [`MOVE_FOLLOWERS_KIND`] job moves.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct MoveFollowers {
    pub from_account_id: i64,
    pub to_account_id: i64,
}

/// An alias of an account: an actor id, with the account it names when it is known here.
#[derive(Debug, Clone)]
pub struct Alias {
    pub uri: String,
    pub account: Option<Account>,
}

/// A local account's move, as its settings show it.
#[derive(Debug, Clone)]
pub struct MoveState {
    /// The account it moved to, when it did.
    pub moved_to: Option<Account>,
    /// When it last moved, and until when it may not move again.
    pub last_move: Option<(i64, i64)>,
}

fn field_error(field: &'static str, message: &str) -> CoreError {
    let mut errors = FieldErrors::default();
    errors.add(field, FieldRule::Invalid, message);
    CoreError::Fields(errors)
}

impl Accounts<'_> {
    /// The aliases of the local `account`, with the accounts they name.
    pub async fn aliases(&self, account: &Account) -> Result<Vec<Alias>> {
        let uris = self.db().also_known_as(account.id).await?;
        let mut aliases = Vec::with_capacity(uris.len());
        for uri in uris {
            let account = match self.federation().known_account_id(&uri).await? {
                Some(id) => self.accounts().account(id).await?,
                None => None,
            };
            aliases.push(Alias { uri, account });
        }
        Ok(aliases)
    }

    /// Declares the account `handle` (`user@domain`, looked up on its server when unknown) an
    /// alias of the local `account`: the account it may move here from.
    pub async fn add_alias(&self, account: &Account, handle: &str) -> Result<Vec<Alias>> {
        let alias = self.account_by_handle(handle, false).await.map_err(|_| {
            CoreError::Validation("No account could be found under that address".into())
        })?;
        if alias.id == account.id {
            return Err(CoreError::Validation("That is this account itself".into()));
        }
        let uri = self.federation().actor_uri(&alias);
        let mut uris = self.db().also_known_as(account.id).await?;
        if uris.contains(&uri) {
            return Err(CoreError::Validation(
                "That account is an alias already".into(),
            ));
        }
        if uris.len() >= MAX_ALIASES {
            return Err(CoreError::Validation(
                "An account keeps 10 aliases at most".into(),
            ));
        }
        uris.push(uri);
        self.save_aliases(account, &uris).await?;
        self.aliases(account).await
    }

    /// Removes the alias `uri` of the local `account`.
    pub async fn remove_alias(&self, account: &Account, uri: &str) -> Result<Vec<Alias>> {
        let mut uris = self.db().also_known_as(account.id).await?;
        let before = uris.len();
        uris.retain(|alias| alias != uri);
        if uris.len() == before {
            return Err(CoreError::NotFound);
        }
        self.save_aliases(account, &uris).await?;
        self.aliases(account).await
    }

    /// Stores the aliases and tells the servers of the account's followers (its actor changed).
    async fn save_aliases(&self, account: &Account, uris: &[String]) -> Result<()> {
        let now = crate::now_millis();
        let mut tx = self.db().begin().await?;
        tx.set_also_known_as(account.id, uris, now).await?;
        let update = Outbound::UpdateProfile {
            account_id: account.id,
        };
        crate::outbox::enqueue(&mut tx, &update, now).await?;
        tx.commit().await?;
        self.wake_workers();
        Ok(())
    }

    /// Where the local `account` moved, and when it may move again.
    pub async fn move_state(&self, account: &Account) -> Result<MoveState> {
        let moved_to = match account.moved_to_account_id {
            Some(id) => self.accounts().account(id).await?,
            None => None,
        };
        let last_move = self
            .db()
            .latest_migration(account.id)
            .await?
            .map(|row| (row.created_at, row.created_at + MOVE_COOLDOWN_MILLIS));
        Ok(MoveState {
            moved_to,
            last_move,
        })
    }

    /// Moves the local `account` to the account `handle`, with its owner's `password` (see
    /// the module documentation); returns the account it moved to.
    pub async fn move_to(
        &self,
        account: &Account,
        password: &str,
        handle: &str,
    ) -> Result<Account> {
        let user = self
            .db()
            .local_user(account.id)
            .await?
            .ok_or(CoreError::NotFound)?;
        if !self
            .password_matches_hash(password, user.password_hash)
            .await?
        {
            return Err(field_error("current_password", "is invalid"));
        }
        let now = crate::now_millis();
        if let Some(last) = self.db().latest_migration(account.id).await?
            && now - last.created_at < MOVE_COOLDOWN_MILLIS
        {
            return Err(CoreError::Validation(
                "This account moved less than 30 days ago: it cannot move again yet".into(),
            ));
        }
        // A fresh copy: the alias was most likely added moments ago.
        let target = self.account_by_handle(handle, true).await.map_err(|_| {
            CoreError::Validation("No account could be found under that address".into())
        })?;
        if target.id == account.id {
            return Err(CoreError::Validation("That is this account itself".into()));
        }
        if account.moved_to_account_id == Some(target.id) {
            return Err(CoreError::Validation(
                "This account moved there already".into(),
            ));
        }
        if target.moved_to_account_id.is_some() {
            return Err(CoreError::Validation(
                "That account moved elsewhere itself".into(),
            ));
        }
        let own_uri = self.federation().actor_uri(account);
        if !self.db().also_known_as(target.id).await?.contains(&own_uri) {
            return Err(CoreError::Validation(
                "That account does not name this one as an alias: add the alias there first".into(),
            ));
        }
        let mut tx = self.db().begin().await?;
        tx.set_moved_to(account.id, Some(target.id), now).await?;
        let migration = MigrationRow {
            id: tx.next_id(),
            account_id: account.id,
            target_account_id: target.id,
            followers_count: account.followers_count,
            created_at: now,
        };
        tx.insert_account_migration(&migration).await?;
        let update = Outbound::UpdateProfile {
            account_id: account.id,
        };
        crate::outbox::enqueue(&mut tx, &update, now).await?;
        let announce = Outbound::Move {
            account_id: account.id,
            target_uri: self.federation().actor_uri(&target),
            migration_id: migration.id,
        };
        crate::outbox::enqueue(&mut tx, &announce, now).await?;
        queue_follower_move(&mut tx, account.id, target.id, now).await?;
        tx.commit().await?;
        self.wake_workers();
        tracing::info!(account = account.id, target = target.id, "account moved");
        Ok(target)
    }

    /// The account `handle` names: a local one (`name` or `name@this.domain`), or one of
    /// another server, looked up there when unknown, or fetched again when `fresh`.
    pub(crate) async fn account_by_handle(&self, handle: &str, fresh: bool) -> Result<Account> {
        let handle = handle.trim().trim_start_matches('@');
        let elsewhere = handle.split_once('@').is_some_and(|(_, domain)| {
            !domain.is_empty() && !domain.eq_ignore_ascii_case(self.config().domain.as_str())
        });
        if !elsewhere {
            return self.lookup_account(handle.trim_end_matches('@')).await;
        }
        let resolver = self.remote_resolver().ok_or(CoreError::NotFound)?;
        let Some(Resolved::Account(id)) = resolver.resolve(self, handle).await? else {
            return Err(CoreError::NotFound);
        };
        if fresh {
            resolver.refetch_account(self, id).await?;
        }
        self.accounts()
            .account(id)
            .await?
            .ok_or(CoreError::NotFound)
    }
}

impl Federation<'_> {
    /// The id of the account, local or stored, whose actor id is `uri`.
    pub(crate) async fn known_account_id(&self, uri: &str) -> Result<Option<i64>> {
        if let Some(username) = self.local_username_in(uri) {
            let account = self.accounts().local_account(username).await?;
            return Ok(account.map(|account| account.id));
        }
        Ok(self.db().account_by_uri(uri).await?.map(|row| row.id))
    }

    /// The remote account `origin` moved to `target`, as a `Move` the federation crate
    /// verified says: recorded, and its local followers moved by a job. False when nothing
    /// was done: `target` does not name `origin` as an alias, moved itself, or `origin` moved
    /// within [`MOVE_PROCESSING_COOLDOWN_MILLIS`] (to any account: moving followers back and
    /// forth is not repeated).
    pub async fn remote_account_moved(&self, origin: &Account, target: &Account) -> Result<bool> {
        if origin.is_local() || origin.id == target.id || target.moved_to_account_id.is_some() {
            return Ok(false);
        }
        let origin_uri = self.actor_uri(origin);
        if !self
            .db()
            .also_known_as(target.id)
            .await?
            .contains(&origin_uri)
        {
            return Ok(false);
        }
        let now = crate::now_millis();
        if let Some(last) = self.db().latest_migration(origin.id).await?
            && now - last.created_at < MOVE_PROCESSING_COOLDOWN_MILLIS
        {
            return Ok(false);
        }
        let mut tx = self.db().begin().await?;
        tx.set_moved_to(origin.id, Some(target.id), now).await?;
        let migration = MigrationRow {
            id: tx.next_id(),
            account_id: origin.id,
            target_account_id: target.id,
            followers_count: origin.followers_count,
            created_at: now,
        };
        tx.insert_account_migration(&migration).await?;
        queue_follower_move(&mut tx, origin.id, target.id, now).await?;
        tx.commit().await?;
        self.wake_workers();
        tracing::info!(
            account = origin.id,
            target = target.id,
            "remote account moved"
        );
        Ok(true)
    }
}

async fn queue_follower_move(
    tx: &mut woolly_store::Tx,
    from_account_id: i64,
    to_account_id: i64,
    now: i64,
) -> Result<()> {
    let payload = MoveFollowers {
        from_account_id,
        to_account_id,
    };
    let job = new_job(MOVE_FOLLOWERS_KIND, &payload, now, DEFAULT_MAX_ATTEMPTS)?;
    tx.enqueue_job(&job).await?;
    Ok(())
}

impl Woolly {
    /// Moves the local followers, blocks and mutes of `from` to `to` (see the module
    /// documentation). Safe to run again: what was moved already is skipped.
    async fn move_followers(&self, job: MoveFollowers) -> Result<()> {
        let accounts = self
            .accounts_by_id(&[job.from_account_id, job.to_account_id])
            .await?;
        let (Some(from), Some(to)) = (
            accounts.get(&job.from_account_id),
            accounts.get(&job.to_account_id),
        ) else {
            return Ok(());
        };
        let mut moved = 0;
        for (follower_id, options) in self.db().local_follows_of(from.id).await? {
            if follower_id == to.id {
                continue;
            }
            let Some(follower) = self.accounts().account(follower_id).await? else {
                continue;
            };
            match self.relations().follow_moved(&follower, to, options).await {
                Ok(_) => {}
                // Blocked either way, or the like: that follower stays behind.
                Err(CoreError::Forbidden(_) | CoreError::Validation(_) | CoreError::NotFound) => {
                    continue;
                }
                Err(error) => return Err(error),
            }
            let mut tx = self.db().begin().await?;
            tx.copy_list_memberships(follower.id, from.id, to.id, crate::now_millis())
                .await?;
            tx.commit().await?;
            self.relations().unfollow(&follower, from.id).await?;
            moved += 1;
        }
        for blocker_id in self.db().local_blockers_of(from.id).await? {
            let Some(blocker) = self.accounts().account(blocker_id).await? else {
                continue;
            };
            let relation = self.relations().relationship(blocker.id, to.id).await?;
            if blocker.id != to.id && !relation.following && !relation.blocking {
                self.relations().block(&blocker, to.id).await?;
            }
        }
        for (muter_id, hide_notifications) in self.db().local_muters_of(from.id).await? {
            let Some(muter) = self.accounts().account(muter_id).await? else {
                continue;
            };
            let relation = self.relations().relationship(muter.id, to.id).await?;
            if muter.id != to.id && !relation.following && !relation.muting {
                let options = MuteOptions {
                    notifications: hide_notifications,
                    duration: None,
                };
                self.relations().mute(&muter, to.id, options).await?;
            }
        }
        tracing::info!(from = from.id, to = to.id, moved, "followers moved");
        Ok(())
    }
}

/// Runs `account.move_followers` jobs.
pub struct MoveFollowersJob;

impl JobHandler for MoveFollowersJob {
    fn kind(&self) -> &'static str {
        MOVE_FOLLOWERS_KIND
    }

    fn run<'a>(&'a self, woolly: &'a Woolly, job: &'a Job) -> JobFuture<'a> {
        Box::pin(async move {
            woolly.move_followers(job.payload()?).await?;
            Ok(())
        })
    }
}
