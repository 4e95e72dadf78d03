//! A member's archive of their account, in Mastodon's format (its `BackupService`): a ZIP
//! file with `actor.json` (the profile, its images beside it), `outbox.json` (every post as its
//! `Create`, boosts as `Announce`), `likes.json` and `bookmarks.json` (the ids of the posts),
//! and the media files the posts attach, at the paths `outbox.json` names.
//!
//! Asked for once a week at most ([`ARCHIVE_INTERVAL_MILLIS`]); built by a job of the federation
//! crate ([`BUILD_ARCHIVE_KIND`]), which renders the ActivityPub documents; the member is
//! e-mailed a link, and only they can download it. Files are kept under the archives directory,
//! which is never served as such.

use serde::{Deserialize, Serialize};
use woolly_media::FileStore;
use woolly_store::ArchiveRecord;

use crate::accounts::Account;
use crate::areas::Accounts;
use crate::error::{CoreError, Result};
use crate::jobs::{DEFAULT_MAX_ATTEMPTS, new_job};
use crate::mail::Message;

/// How often a member may ask for an archive (Mastodon's: a week).
pub const ARCHIVE_INTERVAL_MILLIS: i64 = 7 * 24 * 60 * 60 * 1000;

/// The job kind that builds an archive.
pub const BUILD_ARCHIVE_KIND: &str = "account.build_archive";

/// What a [`BUILD_ARCHIVE_KIND`] job builds.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct BuildArchive {
    pub archive_id: i64,
}

/// An archive, as its owner sees it.
#[derive(Debug, Clone)]
pub struct Archive {
    pub id: i64,
    pub created_at: i64,
    /// When it was built; `None` while it is being built.
    pub ready_at: Option<i64>,
    pub size: Option<i64>,
}

impl From<ArchiveRecord> for Archive {
    fn from(row: ArchiveRecord) -> Archive {
        Archive {
            id: row.id,
            created_at: row.created_at,
            ready_at: row.ready_at,
            size: row.size,
        }
    }
}

impl Accounts<'_> {
    /// The member's archives, newest first.
    pub async fn archives(&self, account: &Account) -> Result<Vec<Archive>> {
        let rows = self.db().archives_of(account.id, 5).await?;
        Ok(rows.into_iter().map(Archive::from).collect())
    }

    /// Asks for an archive of the member's account, built by a job; refused within a week of
    /// the last one.
    pub async fn request_archive(&self, account: &Account) -> Result<Archive> {
        let now = crate::now_millis();
        if let Some(last) = self.db().archives_of(account.id, 1).await?.first()
            && now - last.created_at < ARCHIVE_INTERVAL_MILLIS
        {
            return Err(CoreError::Validation(
                "An archive can be asked for once a week: the last one is less than a week old"
                    .into(),
            ));
        }
        let mut tx = self.db().begin().await?;
        let id = tx.next_id();
        tx.insert_archive(id, account.id, now).await?;
        let job = new_job(
            BUILD_ARCHIVE_KIND,
            &BuildArchive { archive_id: id },
            now,
            DEFAULT_MAX_ATTEMPTS,
        )?;
        tx.enqueue_job(&job).await?;
        tx.commit().await?;
        self.wake_workers();
        tracing::info!(account = account.id, archive = id, "archive asked for");
        Ok(Archive {
            id,
            created_at: now,
            ready_at: None,
            size: None,
        })
    }

    /// The ZIP file of one of the member's ready archives.
    pub async fn archive_file(&self, account: &Account, id: i64) -> Result<Vec<u8>> {
        let row = self
            .db()
            .archive(id)
            .await?
            .filter(|row| row.account_id == account.id)
            .ok_or(CoreError::NotFound)?;
        let key = row.file_key.ok_or(CoreError::NotFound)?;
        self.archive_store()
            .read(&key)
            .map_err(|error| CoreError::Internal(format!("archive {id}: {error}")))
    }

    /// Which account an archive being built is of (the federation crate's job asks).
    pub async fn archive_owner(&self, id: i64) -> Result<Option<(Account, bool)>> {
        let Some(row) = self.db().archive(id).await? else {
            return Ok(None);
        };
        let account = self.accounts().account(row.account_id).await?;
        Ok(account.map(|account| (account, row.ready_at.is_some())))
    }

    /// Keeps the built `zip` of archive `id` and tells its owner by e-mail.
    pub async fn store_archive(&self, id: i64, account: &Account, zip: &[u8]) -> Result<()> {
        let key = format!("{}/{id}.zip", account.id);
        self.archive_store()
            .put(&key, zip)
            .map_err(|error| CoreError::Internal(format!("archive {id}: {error}")))?;
        let now = crate::now_millis();
        let size = i64::try_from(zip.len()).unwrap_or(i64::MAX);
        if !self.db().archive_ready(id, &key, size, now).await? {
            return Ok(());
        }
        if let Some((account, user)) = self.accounts().local_user_with_account(account.id).await? {
            let link = format!("{}/settings/export/archives/{id}", self.config().base_url());
            let message = Message::ArchiveReady { link: &link };
            let email = self.message_to(&message, &user.email, &account, &user);
            let mut tx = self.db().begin().await?;
            self.queue_email(&mut tx, &email).await?;
            tx.commit().await?;
            self.wake_workers();
        }
        tracing::info!(account = account.id, archive = id, size, "archive ready");
        Ok(())
    }

    /// The bytes of a media file the archive holds, by its key in the media store.
    pub fn media_bytes(&self, key: &str) -> Result<Vec<u8>> {
        self.media_store()
            .read(key)
            .map_err(|error| CoreError::Internal(format!("media {key}: {error}")))
    }

    fn archive_store(&self) -> FileStore {
        FileStore::new(&self.config().archives_dir)
    }
}
