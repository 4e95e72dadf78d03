//! Editing one's own profile (with avatar and header images) and posting defaults, pinning
//! statuses, and timeline markers.

use serde::{Deserialize, Serialize};
use woolly_media::{ImageLimits, MediaError};
pub use woolly_store::ProfileImage;
use woolly_store::ProfileUpdate;

use crate::accounts::{Account, LocalUser, ProfileField};
use crate::areas::{Accounts, Relations, Statuses};
use crate::error::{CoreError, Result};
use crate::state::Woolly;
use crate::text;
use crate::visibility::Visibility;

/// Mastodon's limits (`Account::DISPLAY_NAME_LENGTH_LIMIT`, `NOTE_LENGTH_LIMIT`,
/// `DEFAULT_FIELDS_SIZE`, and the field lengths).
const MAX_DISPLAY_NAME: usize = 30;
const MAX_NOTE: usize = 500;
const MAX_FIELDS: usize = 4;
const MAX_FIELD_LENGTH: usize = 255;
const MAX_PINNED: i64 = 5;
/// Mastodon's limit for avatars and headers.
const MAX_PROFILE_IMAGE_BYTES: usize = 8 * 1024 * 1024;

/// A profile edit as submitted; `None` leaves a value unchanged.
#[derive(Debug, Clone, Default)]
pub struct ProfileEdit {
    pub display_name: Option<String>,
    pub note: Option<String>,
    pub locked: Option<bool>,
    pub bot: Option<bool>,
    pub discoverable: Option<bool>,
    pub indexable: Option<bool>,
    /// (name, value) pairs, replacing all fields.
    pub fields: Option<Vec<(String, String)>>,
    pub privacy: Option<Visibility>,
    pub sensitive: Option<bool>,
    /// `Some("")` clears the default language.
    pub language: Option<String>,
    /// A new avatar image file.
    pub avatar: Option<Vec<u8>>,
    /// A new header image file.
    pub header: Option<Vec<u8>>,
    /// The language of the web interface and of e-mails (a language tag).
    pub locale: Option<String>,
    pub expand_media: Option<MediaExpansion>,
    /// Whether posts behind a content warning are shown opened.
    pub expand_spoilers: Option<bool>,
    /// Whether the web composer refuses an image without a description.
    pub require_alt_text: Option<bool>,
}

/// How a reader wants media shown (Mastodon's `reading:expand:media` preference).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum MediaExpansion {
    /// Hidden behind a click when marked sensitive.
    #[default]
    Default,
    /// Always shown, even when marked sensitive.
    ShowAll,
    /// Always hidden behind a click.
    HideAll,
}

impl MediaExpansion {
    pub const ALL: [MediaExpansion; 3] = [
        MediaExpansion::Default,
        MediaExpansion::ShowAll,
        MediaExpansion::HideAll,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            MediaExpansion::Default => "default",
            MediaExpansion::ShowAll => "show_all",
            MediaExpansion::HideAll => "hide_all",
        }
    }

    pub fn parse(text: &str) -> Result<MediaExpansion> {
        MediaExpansion::ALL
            .into_iter()
            .find(|choice| choice.as_str() == text)
            .ok_or_else(|| {
                CoreError::Validation(format!(
                    "Validation failed: {text:?} is not one of default, show_all or hide_all"
                ))
            })
    }

    /// Whether media the author marked `sensitive` are hidden until the reader asks.
    pub fn hides(self, sensitive: bool) -> bool {
        match self {
            MediaExpansion::Default => sensitive,
            MediaExpansion::ShowAll => false,
            MediaExpansion::HideAll => true,
        }
    }
}

/// A timeline read marker.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Marker {
    pub timeline: String,
    pub last_read_id: i64,
    pub version: i64,
    pub updated_at: i64,
}

fn too_long(what: &str, limit: usize) -> CoreError {
    CoreError::Validation(format!(
        "Validation failed: {what} is too long (maximum is {limit} characters)"
    ))
}

impl Woolly {
    /// Renders profile text (note, field values) the way statuses are rendered: escaped,
    /// with links, mentions and hashtags.
    fn render_profile_text(&self, text: &str) -> String {
        text::render_plain_text(text, self.config().urls(), &|_| None).html
    }

    /// Processes an avatar (400 × 400) or header (1500 × 500) as Mastodon sizes them, stores it
    /// and returns its media-store key.
    async fn store_profile_image(&self, image: ProfileImage, bytes: Vec<u8>) -> Result<String> {
        let (name, width, height) = match image {
            ProfileImage::Avatar => ("avatar", 400, 400),
            ProfileImage::Header => ("header", 1500, 500),
        };
        let limits = ImageLimits {
            max_bytes: MAX_PROFILE_IMAGE_BYTES,
            ..ImageLimits::default()
        };
        let processed = self
            .run_cpu_bound(move || {
                woolly_media::process_profile_image(&bytes, &limits, width, height)
            })
            .await?
            .map_err(|error: MediaError| {
                CoreError::Validation(format!("Validation failed: {error}"))
            })?;
        let key = format!("{}/{name}.{}", self.db().next_id(), processed.extension);
        let store = self.media_store();
        let path = key.clone();
        tokio::task::spawn_blocking(move || store.put(&path, &processed.original))
            .await
            .map_err(|error| CoreError::Internal(error.to_string()))?
            .map_err(|error| CoreError::Internal(format!("writing a profile image: {error}")))?;
        Ok(key)
    }

    /// Removes stored files (their directories), logging what could not be removed: a file
    /// left behind wastes space, it never shows.
    pub(crate) async fn remove_media_files(&self, keys: Vec<String>) {
        for key in keys {
            let Some((directory, _)) = key.split_once('/') else {
                continue;
            };
            let directory = directory.to_owned();
            let store = self.media_store();
            let removed = tokio::task::spawn_blocking(move || store.delete_dir(&directory)).await;
            if !matches!(removed, Ok(Ok(()))) {
                tracing::warn!(key, "could not remove a replaced media file");
            }
        }
    }
}

impl Accounts<'_> {
    /// Applies a profile edit to the actor's own account.
    pub async fn update_profile(
        &self,
        actor: &Account,
        edit: ProfileEdit,
    ) -> Result<(Account, LocalUser)> {
        let display_name = edit.display_name.map(|name| name.trim().to_owned());
        if display_name
            .as_ref()
            .is_some_and(|name| name.chars().count() > MAX_DISPLAY_NAME)
        {
            return Err(too_long("Display name", MAX_DISPLAY_NAME));
        }
        let note_source = edit.note.map(|note| note.trim().to_owned());
        if note_source
            .as_ref()
            .is_some_and(|note| text::count_characters(note) > MAX_NOTE)
        {
            return Err(too_long("Bio", MAX_NOTE));
        }
        let fields = match edit.fields {
            None => None,
            Some(pairs) => {
                let pairs: Vec<(String, String)> = pairs
                    .into_iter()
                    .map(|(name, value)| (name.trim().to_owned(), value.trim().to_owned()))
                    .filter(|(name, value)| !name.is_empty() || !value.is_empty())
                    .collect();
                if pairs.len() > MAX_FIELDS {
                    return Err(CoreError::Validation(format!(
                        "Validation failed: Fields are limited to {MAX_FIELDS}"
                    )));
                }
                if pairs.iter().any(|(name, value)| {
                    name.chars().count() > MAX_FIELD_LENGTH
                        || value.chars().count() > MAX_FIELD_LENGTH
                }) {
                    return Err(too_long("Field", MAX_FIELD_LENGTH));
                }
                let fields: Vec<ProfileField> = pairs
                    .into_iter()
                    .map(|(name, value)| ProfileField {
                        name,
                        value: self.render_profile_text(&value),
                        source: value,
                    })
                    .collect();
                Some(
                    serde_json::to_string(&fields)
                        .map_err(|error| CoreError::Internal(error.to_string()))?,
                )
            }
        };
        let language = match edit.language {
            None => None,
            Some(language) if language.is_empty() => Some(None),
            Some(language) => {
                crate::compose::check_language_code(&language)?;
                Some(Some(language))
            }
        };
        let locale = match edit.locale {
            None => None,
            Some(locale) => Some(crate::joining::language_tag(&locale).ok_or_else(|| {
                CoreError::Validation(format!(
                    "Validation failed: Locale {locale:?} is not a language tag"
                ))
            })?),
        };
        let update = ProfileUpdate {
            note: note_source
                .as_ref()
                .map(|note| self.render_profile_text(note)),
            note_source,
            display_name,
            locked: edit.locked,
            bot: edit.bot,
            discoverable: edit.discoverable,
            indexable: edit.indexable,
            fields,
            default_privacy: edit.privacy.map(|privacy| privacy.as_str().to_owned()),
            default_sensitive: edit.sensitive,
            default_language: language,
            locale,
            expand_media: edit.expand_media.map(|choice| choice.as_str().to_owned()),
            expand_spoilers: edit.expand_spoilers,
            require_alt_text: edit.require_alt_text,
        };
        // Images are processed and written first; a refused image changes nothing.
        let mut written: Vec<(ProfileImage, String)> = Vec::new();
        for (image, bytes) in [
            (ProfileImage::Avatar, edit.avatar),
            (ProfileImage::Header, edit.header),
        ] {
            if let Some(bytes) = bytes {
                match self.store_profile_image(image, bytes).await {
                    Ok(key) => written.push((image, key)),
                    Err(error) => {
                        let keys: Vec<String> = written.into_iter().map(|(_, key)| key).collect();
                        self.remove_media_files(keys).await;
                        return Err(error);
                    }
                }
            }
        }
        let now = crate::now_millis();
        let saved = async {
            let mut tx = self.db().begin().await?;
            tx.update_profile(actor.id, &update, now).await?;
            let outbound = crate::outbox::Outbound::UpdateProfile {
                account_id: actor.id,
            };
            crate::outbox::enqueue(&mut tx, &outbound, now).await?;
            let mut replaced = Vec::new();
            for (image, key) in &written {
                replaced.extend(
                    tx.set_profile_image(actor.id, *image, Some(key), now)
                        .await?,
                );
            }
            tx.commit().await?;
            self.wake_workers();
            Ok::<_, CoreError>(replaced)
        }
        .await;
        match saved {
            Ok(replaced) => self.remove_media_files(replaced).await,
            Err(error) => {
                let keys: Vec<String> = written.into_iter().map(|(_, key)| key).collect();
                self.remove_media_files(keys).await;
                return Err(error);
            }
        }
        let account = self.account(actor.id).await?.ok_or(CoreError::NotFound)?;
        let user = self
            .local_user(actor.id)
            .await?
            .ok_or(CoreError::NotFound)?;
        Ok((account, user))
    }

    /// Puts the actor's avatar or header back to the default image (`DELETE /api/v1/profile/…`).
    pub async fn remove_profile_image(
        &self,
        actor: &Account,
        image: ProfileImage,
    ) -> Result<(Account, LocalUser)> {
        let mut tx = self.db().begin().await?;
        let replaced = tx
            .set_profile_image(actor.id, image, None, crate::now_millis())
            .await?;
        tx.commit().await?;
        self.remove_media_files(replaced.into_iter().collect())
            .await;
        let account = self.account(actor.id).await?.ok_or(CoreError::NotFound)?;
        let user = self
            .local_user(actor.id)
            .await?
            .ok_or(CoreError::NotFound)?;
        Ok((account, user))
    }

    /// The viewer's markers for the named timelines (`home`, `notifications`).
    pub async fn markers(&self, viewer: i64, timelines: &[String]) -> Result<Vec<Marker>> {
        Ok(self
            .db()
            .markers(viewer)
            .await?
            .into_iter()
            .filter(|row| timelines.is_empty() || timelines.contains(&row.timeline))
            .map(|row| Marker {
                timeline: row.timeline,
                last_read_id: row.last_read_id,
                version: row.version,
                updated_at: row.updated_at,
            })
            .collect())
    }

    /// Moves the viewer's markers.
    pub async fn set_markers(
        &self,
        viewer: i64,
        positions: &[(String, i64)],
    ) -> Result<Vec<Marker>> {
        for (timeline, _) in positions {
            if timeline != "home" && timeline != "notifications" {
                return Err(CoreError::Validation(format!(
                    "Validation failed: Timeline {timeline:?} is not home or notifications"
                )));
            }
        }
        let mut tx = self.db().begin().await?;
        let now = crate::now_millis();
        for (timeline, last_read_id) in positions {
            tx.set_marker(viewer, timeline, *last_read_id, now).await?;
        }
        tx.commit().await?;
        let names: Vec<String> = positions
            .iter()
            .map(|(timeline, _)| timeline.clone())
            .collect();
        self.markers(viewer, &names).await
    }
}

impl Statuses<'_> {
    /// Pins one of the actor's own statuses to their profile (not a reblog, not a direct one;
    /// at most five, as in Mastodon).
    pub async fn pin(
        &self,
        actor: &Account,
        status_id: i64,
    ) -> Result<crate::statuses::StatusView> {
        let view = self.view(Some(actor.id), status_id).await?;
        if view.status.account_id != actor.id {
            return Err(CoreError::Validation(
                "Validation failed: Status is not owned by you".into(),
            ));
        }
        if view.status.reblog_of_id.is_some() || view.status.visibility == Visibility::Direct {
            return Err(CoreError::Validation(
                "Validation failed: This status cannot be pinned".into(),
            ));
        }
        let mut tx = self.db().begin().await?;
        if tx.pin_count(actor.id).await? >= MAX_PINNED {
            return Err(CoreError::Validation(format!(
                "Validation failed: You can only pin up to {MAX_PINNED} statuses"
            )));
        }
        let now = crate::now_millis();
        if tx.pin(actor.id, status_id, now).await? && actor.is_local() {
            let outbound = crate::outbox::Outbound::Pin {
                account_id: actor.id,
                status_id,
            };
            crate::outbox::enqueue(&mut tx, &outbound, now).await?;
        }
        tx.commit().await?;
        self.wake_workers();
        self.view(Some(actor.id), status_id).await
    }

    pub async fn unpin(
        &self,
        actor: &Account,
        status_id: i64,
    ) -> Result<crate::statuses::StatusView> {
        self.view(Some(actor.id), status_id).await?;
        let mut tx = self.db().begin().await?;
        if tx.unpin(actor.id, status_id).await? && actor.is_local() {
            let outbound = crate::outbox::Outbound::Unpin {
                account_id: actor.id,
                status_id,
            };
            crate::outbox::enqueue(&mut tx, &outbound, crate::now_millis()).await?;
        }
        tx.commit().await?;
        self.wake_workers();
        self.view(Some(actor.id), status_id).await
    }

    /// An account's pinned statuses that the viewer may see.
    pub async fn pinned_statuses(
        &self,
        viewer: Option<i64>,
        account_id: i64,
    ) -> Result<Vec<crate::statuses::StatusView>> {
        let pinned = self.db().pinned_status_ids(account_id).await?;
        let visible = self.db().visible_among(&pinned, viewer).await?;
        let ids: Vec<i64> = pinned
            .into_iter()
            .filter(|id| visible.contains(id))
            .collect();
        let (views, _) = self
            .listed_views(viewer, &ids, crate::filters::FilterContext::Account)
            .await?;
        Ok(views)
    }
}

impl Relations<'_> {
    /// The accounts the viewer blocks (or mutes), paged on those rows' ids.
    pub async fn blocks_or_mutes(
        &self,
        viewer: i64,
        kind: woolly_store::BlockOrMute,
        page: woolly_store::Page,
    ) -> Result<Vec<(i64, Account)>> {
        let rows = self.db().blocks_or_mutes_page(viewer, kind, page).await?;
        self.accounts_with_cursors(rows).await
    }
}
