//! Deleting one's own account: gone at once for everyone, purged afterwards.
//!
//! The request does only what does not grow with the account's history: it checks the password,
//! marks the account deleted (from then on every read that shows accounts or statuses leaves it
//! out, as Mastodon hides a suspended account while its data is deleted), signs it out, keeps its
//! name from ever being given again, and queues the `Delete` of its actor to every known server
//! and a purge job. The job deletes the statuses in batches, each in a short transaction of its
//! own, so that an account with a long history never holds the writer for long, and then the
//! account with what is left (follows, favourites…, taken out of others' counters) and its files.

use serde::{Deserialize, Serialize};

use crate::account_moderation::{Moderator, Target, log_action};
use crate::accounts::Account;
use crate::areas::Accounts;
use crate::error::{CoreError, FieldErrors, FieldRule, Result};
use crate::jobs::{DEFAULT_MAX_ATTEMPTS, Job, JobFuture, JobHandler, new_job};
use crate::state::Woolly;

/// The kind of the job that purges a deleted account.
pub const PURGE_ACCOUNT_KIND: &str = "account.purge";

/// How many statuses one transaction of the purge deletes. Each takes the statuses' rows in
/// home feeds, notifications… with it, so the batch stays small.
pub const PURGE_BATCH: i64 = 100;

#[derive(Debug, Serialize, Deserialize)]
struct PurgeAccount {
    account_id: i64,
}

impl Accounts<'_> {
    /// Deletes the user's own account, with their password (see the module documentation).
    /// Stored files are removed after the purge's last commit; one left behind is never shown
    /// (its path is gone).
    pub async fn delete_own_account(&self, account: &Account, password: &str) -> Result<()> {
        let user = self
            .db()
            .local_user(account.id)
            .await?
            .ok_or(CoreError::NotFound)?;
        if !self
            .password_matches_hash(password, user.password_hash)
            .await?
        {
            let mut errors = FieldErrors::default();
            errors.add("password", FieldRule::Invalid, "is invalid");
            return Err(CoreError::Fields(errors));
        }
        self.retire_local_account(account, None).await?;
        tracing::info!(account_id = account.id, "account deleted by its owner");
        Ok(())
    }
}

impl Woolly {
    /// Hides a local account at once and sets its purge going (see the module documentation):
    /// for its owner's deletion, and for a suspension whose data an admin or the 30 days end.
    /// `by`: who ended it, for the audit log (`None`: its owner, or the 30 days).
    pub(crate) async fn retire_local_account(
        &self,
        account: &Account,
        by: Option<Moderator<'_>>,
    ) -> Result<()> {
        let private_key_pem = self
            .db()
            .private_key_of(account.id)
            .await?
            .ok_or(CoreError::NotFound)?;
        let now = crate::now_millis();
        let mut tx = self.db().begin().await?;
        // The deliveries are written before the purge: they name who follows the account.
        crate::outbox::enqueue(
            &mut tx,
            &crate::outbox::Outbound::DeleteActor {
                username: account.username.clone(),
            },
            now,
        )
        .await?;
        tx.reserve_username(&account.username, now).await?;
        tx.keep_retired_key(
            &account.username,
            &private_key_pem,
            now + crate::outbox::RETIRED_KEY_KEPT_MILLIS,
        )
        .await?;
        if !tx.retire_local_account(account.id, now).await? {
            return Err(CoreError::NotFound);
        }
        tx.enqueue_job(&new_job(
            PURGE_ACCOUNT_KIND,
            &PurgeAccount {
                account_id: account.id,
            },
            now,
            DEFAULT_MAX_ATTEMPTS,
        )?)
        .await?;
        if let Some(by) = by {
            log_action(&mut tx, by, "destroy", Target::Account(account), now).await?;
        }
        tx.commit().await?;
        self.wake_workers();
        Ok(())
    }

    /// Ends what is kept of a suspended account, local or remote, if it is still suspended
    /// (and, with `since`, still by the suspension that began then: one lifted and given again
    /// waits its own 30 days). `by`: the admin who asked, else the delay ran out. Returns
    /// whether it was ended.
    pub(crate) async fn end_suspended_account(
        &self,
        account_id: i64,
        since: Option<i64>,
        by: Option<Moderator<'_>>,
    ) -> Result<bool> {
        let Some(row) = self.db().account_including_suspended(account_id).await? else {
            return Ok(false);
        };
        let account = Account::from(row);
        let suspended = match since {
            Some(since) => account.limits.suspended_at == Some(since),
            None => account.limits.suspended_at.is_some(),
        };
        if !suspended {
            return Ok(false);
        }
        if account.is_local() {
            self.retire_local_account(&account, by).await?;
        } else {
            let mut tx = self.db().begin().await?;
            let files = tx.media_keys_of(account.id).await?;
            if !tx.delete_remote_account(account.id).await? {
                return Ok(false);
            }
            if let Some(by) = by {
                let target = Target::Account(&account);
                log_action(&mut tx, by, "destroy", target, crate::now_millis()).await?;
            }
            tx.commit().await?;
            self.remove_media_files(files).await;
        }
        tracing::info!(account_id, "suspended account's data ended");
        Ok(true)
    }

    /// Purges a deleted local account (see the module documentation). Safe to run again after
    /// a crash: each batch is committed, and an account already gone is left alone.
    async fn purge_deleted_account(&self, account_id: i64) -> Result<()> {
        let mut statuses = 0;
        loop {
            let mut tx = self.db().begin().await?;
            let purged = tx.purge_statuses_of(account_id, PURGE_BATCH).await?;
            tx.commit().await?;
            statuses += purged;
            if purged < PURGE_BATCH as u64 {
                break;
            }
        }
        let mut tx = self.db().begin().await?;
        let files = tx.media_keys_of(account_id).await?;
        let removed = tx.delete_local_account(account_id).await?;
        tx.commit().await?;
        if removed {
            self.remove_media_files(files).await;
            // Its archives too: they hold its direct messages.
            let archives = woolly_media::FileStore::new(&self.config().archives_dir);
            let folder = account_id.to_string();
            if let Err(error) =
                tokio::task::spawn_blocking(move || archives.delete_dir(&folder)).await
            {
                tracing::warn!(account_id, %error, "the archives of a deleted account stay");
            }
        }
        tracing::info!(account_id, statuses, removed, "deleted account purged");
        Ok(())
    }
}

/// The kind of the job that ends a suspended account's data once the delay has passed.
pub const PURGE_SUSPENDED_KIND: &str = "account.purge_suspended";

#[derive(Debug, Serialize, Deserialize)]
pub(crate) struct PurgeSuspended {
    pub(crate) account_id: i64,
    /// When the suspension began: a later one is not this job's.
    pub(crate) suspended_at: i64,
}

/// Ends a suspended account's data 30 days after the suspension, unless it was lifted.
pub struct PurgeSuspendedJob;

impl JobHandler for PurgeSuspendedJob {
    fn kind(&self) -> &'static str {
        PURGE_SUSPENDED_KIND
    }

    fn run<'a>(&'a self, woolly: &'a Woolly, job: &'a Job) -> JobFuture<'a> {
        Box::pin(async move {
            let PurgeSuspended {
                account_id,
                suspended_at,
            } = job.payload()?;
            woolly
                .end_suspended_account(account_id, Some(suspended_at), None)
                .await?;
            Ok(())
        })
    }
}

/// Runs the purge of an account deleted by its owner.
pub struct PurgeAccountJob;

impl JobHandler for PurgeAccountJob {
    fn kind(&self) -> &'static str {
        PURGE_ACCOUNT_KIND
    }

    fn run<'a>(&'a self, woolly: &'a Woolly, job: &'a Job) -> JobFuture<'a> {
        Box::pin(async move {
            let PurgeAccount { account_id } = job.payload()?;
            woolly.purge_deleted_account(account_id).await?;
            Ok(())
        })
    }
}
