//! Uploading images and describing them. Every upload is decoded, oriented and re-encoded by
//! `woolly-media` before anything is stored, so no metadata of the original file survives.

pub use woolly_media::ACCEPTED_TYPES;
use woolly_media::{FileStore, ImageLimits, MediaError, ProcessedImage};
use woolly_store::MediaRow;

use crate::accounts::Account;
use crate::areas::MediaUploads;
use crate::error::{CoreError, Result};
use crate::state::Woolly;

/// Mastodon's `MediaAttachment::MAX_DESCRIPTION_LENGTH`.
pub const MAX_DESCRIPTION_LENGTH: usize = 1500;

/// An upload, as the API shows it.
#[derive(Debug, Clone)]
pub struct Media {
    pub id: i64,
    pub account_id: i64,
    pub status_id: Option<i64>,
    pub kind: String,
    pub url: String,
    pub preview_url: Option<String>,
    pub width: i64,
    pub height: i64,
    pub preview_width: i64,
    pub preview_height: i64,
    pub description: Option<String>,
    pub focus: (f64, f64),
    pub blurhash: Option<String>,
    /// Where a remote status's media is; then also its `url`.
    pub remote_url: Option<String>,
}

impl Woolly {
    pub(crate) fn media_store(&self) -> FileStore {
        FileStore::new(&self.config().media_dir)
    }

    pub(crate) fn media_from_row(&self, row: MediaRow) -> Media {
        let urls = self.config().urls();
        let (url, preview_url) = match &row.remote_url {
            Some(remote) if row.file_key.is_empty() => (
                remote.clone(),
                (row.kind == "image").then(|| remote.clone()),
            ),
            _ => (
                urls.media(&row.file_key),
                row.preview_key.map(|key| urls.media(&key)),
            ),
        };
        Media {
            url,
            preview_url,
            remote_url: row.remote_url,
            id: row.id,
            account_id: row.account_id,
            status_id: row.status_id,
            kind: row.kind,
            width: row.width,
            height: row.height,
            preview_width: row.preview_width,
            preview_height: row.preview_height,
            description: row.description,
            focus: (row.focus_x, row.focus_y),
            blurhash: row.blurhash,
        }
    }
}

impl MediaUploads<'_> {
    /// Processes and stores an uploaded image. A refused upload leaves nothing behind.
    pub async fn upload(
        &self,
        actor: &Account,
        bytes: Vec<u8>,
        description: Option<String>,
        focus: Option<(f64, f64)>,
    ) -> Result<Media> {
        let description = check_description(description)?;
        let processed: ProcessedImage = self
            .run_cpu_bound(move || woolly_media::process_image(&bytes, &ImageLimits::default()))
            .await?
            .map_err(|error: MediaError| {
                CoreError::Validation(format!("Validation failed: {error}"))
            })?;
        let id = self.db().next_id();
        // Files are served without a token (as Mastodon serves them), so their path carries
        // 128 random bits: the image of a direct message cannot be found from its id or time.
        let folder = format!("{id}-{}", crate::crypto::random_secret(16));
        let file_key = format!("{folder}/original.{}", processed.extension);
        let preview_key = format!("{folder}/small.jpg");
        let store = self.media_store();
        let row = MediaRow {
            id,
            account_id: actor.id,
            status_id: None,
            kind: "image".to_owned(),
            file_key: file_key.clone(),
            content_type: processed.content_type.to_owned(),
            preview_key: Some(preview_key.clone()),
            width: i64::from(processed.width),
            height: i64::from(processed.height),
            preview_width: i64::from(processed.preview_width),
            preview_height: i64::from(processed.preview_height),
            file_size: i64::try_from(processed.original.len()).unwrap_or(i64::MAX),
            description,
            focus_x: focus.map_or(0.0, |(x, _)| x),
            focus_y: focus.map_or(0.0, |(_, y)| y),
            blurhash: Some(processed.blurhash.clone()),
            created_at: crate::now_millis(),
            remote_url: None,
        };
        let written = {
            let store = store.clone();
            tokio::task::spawn_blocking(move || {
                store.put(&file_key, &processed.original)?;
                store.put(&preview_key, &processed.preview)
            })
            .await
            .map_err(|error| CoreError::Internal(error.to_string()))?
        };
        let stored = match written {
            Ok(()) => self.db().insert_media(&row).await.map_err(CoreError::from),
            Err(error) => Err(CoreError::Internal(format!("writing media: {error}"))),
        };
        if let Err(error) = stored {
            // Files without a row would never be served or cleaned up.
            let directory = id.to_string();
            let _ = tokio::task::spawn_blocking(move || store.delete_dir(&directory)).await;
            return Err(error);
        }
        Ok(self.media_from_row(row))
    }

    /// One of the actor's own uploads not yet attached to a status. Once attached, an upload
    /// is changed only by editing its status (`media_attributes`), so that the change is part
    /// of the status's history; Mastodon answers 404 here too.
    pub async fn get(&self, actor: &Account, id: i64) -> Result<Media> {
        let row = self
            .db()
            .media_by_id(id)
            .await?
            .filter(|row| row.account_id == actor.id && row.status_id.is_none())
            .ok_or(CoreError::NotFound)?;
        Ok(self.media_from_row(row))
    }

    /// Changes the description or focus point of one of the actor's uploads.
    pub async fn update(
        &self,
        actor: &Account,
        id: i64,
        description: Option<String>,
        focus: Option<(f64, f64)>,
    ) -> Result<Media> {
        let description = check_description(description)?;
        // One statement checks that the upload is still the actor's and unattached, and
        // changes it: an upload attached meanwhile changes only through its status's edits.
        if !self
            .db()
            .update_unattached_media(id, actor.id, description.as_deref(), focus)
            .await?
        {
            return Err(CoreError::NotFound);
        }
        self.get(actor, id).await
    }

    /// Copies the uploads kept from before upload folders carried random bits into folders that
    /// do, so that none can be found by guessing. Runs once at start; several processes may run
    /// it at once, and it may stop at any moment without losing a file: a file is copied before
    /// its row points at the copy, and the old one is removed only after. Returns how many moved.
    pub async fn hide_old_uploads(&self) -> Result<usize> {
        const BATCH: i64 = 100;
        let store = self.media_store();
        let (mut after, mut moved) = (0, 0);
        loop {
            let rows = self.db().media_in_plain_folders(after, BATCH).await?;
            let Some(last) = rows.last() else {
                return Ok(moved);
            };
            after = last.id;
            for row in rows {
                let Some((folder, _)) = row.file_key.split_once('/') else {
                    continue;
                };
                let (folder, fresh) = (
                    folder.to_owned(),
                    format!("{folder}-{}", crate::crypto::random_secret(16)),
                );
                let rekey =
                    |key: &str| key.replacen(&format!("{folder}/"), &format!("{fresh}/"), 1);
                let keys: Vec<(String, String)> = std::iter::once(row.file_key.clone())
                    .chain(row.preview_key.clone())
                    .map(|key| (rekey(&key), key))
                    .collect();
                let copier = store.clone();
                let copied = tokio::task::spawn_blocking(move || {
                    keys.iter()
                        .try_for_each(|(new, old)| copier.put(new, &copier.read(old)?))
                })
                .await
                .map_err(|error| CoreError::Internal(error.to_string()))?;
                if let Err(error) = copied {
                    tracing::warn!(media_id = row.id, %error, "an old upload's files could not be copied");
                    continue;
                }
                let preview_key = row.preview_key.as_deref().map(rekey);
                let pointed = self
                    .db()
                    .move_media_keys(
                        row.id,
                        &row.file_key,
                        &rekey(&row.file_key),
                        preview_key.as_deref(),
                    )
                    .await?;
                // The old folder goes once nothing points at it; so does an unused copy.
                let unused = if pointed { folder } else { fresh };
                let remover = store.clone();
                let _ = tokio::task::spawn_blocking(move || remover.delete_dir(&unused)).await;
                moved += usize::from(pointed);
            }
        }
    }

    /// A stored media file and its content type, by the key in its URL.
    pub async fn file(&self, key: String) -> Result<(Vec<u8>, &'static str)> {
        let content_type = match key.rsplit_once('.').map(|(_, extension)| extension) {
            Some("jpg") => "image/jpeg",
            Some("png") => "image/png",
            _ => return Err(CoreError::NotFound),
        };
        let store = self.media_store();
        let bytes = tokio::task::spawn_blocking(move || store.read(&key))
            .await
            .map_err(|error| CoreError::Internal(error.to_string()))?
            .map_err(|_| CoreError::NotFound)?;
        Ok((bytes, content_type))
    }
}

pub(crate) fn check_description(description: Option<String>) -> Result<Option<String>> {
    let description = description.map(|text| text.trim().to_owned());
    if description
        .as_ref()
        .is_some_and(|text| text.chars().count() > MAX_DESCRIPTION_LENGTH)
    {
        return Err(CoreError::Validation(format!(
            "Validation failed: Description is too long (maximum is {MAX_DESCRIPTION_LENGTH} characters)"
        )));
    }
    Ok(description)
}

/// Parses Mastodon's focus parameter, `"x,y"` with both in -1.0..=1.0.
pub fn parse_focus(text: &str) -> Result<(f64, f64)> {
    let invalid = || {
        CoreError::Validation(format!(
            "Validation failed: Focus {text:?} must be two numbers from -1 to 1"
        ))
    };
    let (x, y) = text.split_once(',').ok_or_else(invalid)?;
    let x: f64 = x.trim().parse().map_err(|_| invalid())?;
    let y: f64 = y.trim().parse().map_err(|_| invalid())?;
    if !(-1.0..=1.0).contains(&x) || !(-1.0..=1.0).contains(&y) {
        return Err(invalid());
    }
    Ok((x, y))
}
