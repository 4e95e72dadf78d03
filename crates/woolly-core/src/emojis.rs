//! Custom emojis: images the operator adds under a shortcode, shown wherever `:shortcode:` is
//! written in a post (and listed for clients' pickers by `/api/v1/custom_emojis`).
//!
//! Images go through the same processing as uploads (decoded with limits, metadata dropped,
//! re-encoded; animated images keep their first frame for now) and live in the media store.

use std::collections::HashMap;

use woolly_media::{ImageLimits, MediaError};
use woolly_store::CustomEmojiRow;

use crate::areas::{Federation, Instance};
use crate::error::{CoreError, Result};
use crate::state::Woolly;

/// Mastodon's limit for a local emoji image (`CustomEmoji::LOCAL_LIMIT`).
pub const MAX_EMOJI_BYTES: usize = 256 * 1024;
/// Emojis are shown at text size; nothing needs more than this.
const MAX_EMOJI_DIMENSION: u32 = 1024;

/// A custom emoji as clients see it.
#[derive(Debug, Clone, PartialEq)]
pub struct CustomEmoji {
    pub shortcode: String,
    pub url: String,
    pub static_url: String,
    pub visible_in_picker: bool,
    pub category: Option<String>,
}

/// A shortcode as Mastodon accepts it: two or more of `[A-Za-z0-9_]`.
fn check_shortcode(shortcode: &str) -> Result<()> {
    let valid = shortcode.len() >= 2
        && shortcode
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_');
    if valid {
        Ok(())
    } else {
        Err(CoreError::Validation(format!(
            "Validation failed: Shortcode {shortcode:?} must be at least 2 characters of letters, digits and underscores"
        )))
    }
}

impl Woolly {
    fn emoji_from_row(&self, row: CustomEmojiRow) -> Option<CustomEmoji> {
        let url = match (&row.file_key, row.remote_url) {
            (Some(key), _) => self.config().urls().media(key),
            (None, Some(remote)) => remote,
            (None, None) => return None,
        };
        Some(CustomEmoji {
            shortcode: row.shortcode,
            static_url: url.clone(),
            url,
            visible_in_picker: row.visible_in_picker,
            category: row.category,
        })
    }

    /// The emojis the given texts use, by shortcode, in one query.
    pub(crate) async fn emojis_used_in(&self, wanted: WantedEmojis) -> Result<EmojiSet> {
        let mut found = EmojiSet::new();
        for (domain, shortcodes) in wanted {
            for row in self
                .db()
                .custom_emojis_named(domain.as_deref(), &shortcodes)
                .await?
            {
                if let Some(emoji) = self.emoji_from_row(row) {
                    found.insert((domain.clone(), emoji.shortcode.clone()), emoji);
                }
            }
        }
        Ok(found)
    }
}

impl Instance<'_> {
    /// Adds a local emoji from an image file. A refused image leaves nothing behind.
    pub async fn add_custom_emoji(
        &self,
        shortcode: &str,
        bytes: Vec<u8>,
        category: Option<String>,
        visible_in_picker: bool,
    ) -> Result<CustomEmoji> {
        check_shortcode(shortcode)?;
        let category = category
            .map(|category| category.trim().to_owned())
            .filter(|category| !category.is_empty());
        let limits = ImageLimits {
            max_bytes: MAX_EMOJI_BYTES,
            max_pixels: u64::from(MAX_EMOJI_DIMENSION) * u64::from(MAX_EMOJI_DIMENSION),
            max_dimension: MAX_EMOJI_DIMENSION,
        };
        let processed = self
            .run_cpu_bound(move || woolly_media::process_image(&bytes, &limits))
            .await?
            .map_err(|error: MediaError| {
                CoreError::Validation(format!("Validation failed: {error}"))
            })?;
        let id = self.db().next_id();
        let file_key = format!("{id}/emoji.{}", processed.extension);
        let row = CustomEmojiRow {
            id,
            shortcode: shortcode.to_owned(),
            domain: None,
            file_key: Some(file_key.clone()),
            remote_url: None,
            visible_in_picker,
            category,
            disabled: false,
            created_at: crate::now_millis(),
        };
        let store = self.media_store();
        {
            let store = store.clone();
            tokio::task::spawn_blocking(move || store.put(&file_key, &processed.original))
                .await
                .map_err(|error| CoreError::Internal(error.to_string()))?
                .map_err(|error| CoreError::Internal(format!("writing an emoji: {error}")))?;
        }
        let inserted = self.db().insert_custom_emoji(&row).await;
        if !matches!(inserted, Ok(true)) {
            let directory = id.to_string();
            let _ = tokio::task::spawn_blocking(move || store.delete_dir(&directory)).await;
            inserted?;
            return Err(CoreError::Validation(format!(
                "Validation failed: Shortcode :{shortcode}: has already been taken"
            )));
        }
        self.emoji_from_row(row)
            .ok_or_else(|| CoreError::Internal("a new emoji without an image".into()))
    }

    /// Removes a local emoji and its image; [`CoreError::NotFound`] when there is none.
    pub async fn remove_custom_emoji(&self, shortcode: &str) -> Result<()> {
        let row = self
            .db()
            .delete_local_custom_emoji(shortcode)
            .await?
            .ok_or(CoreError::NotFound)?;
        let store = self.media_store();
        let directory = row.id.to_string();
        tokio::task::spawn_blocking(move || store.delete_dir(&directory))
            .await
            .map_err(|error| CoreError::Internal(error.to_string()))?
            .map_err(|error| CoreError::Internal(format!("removing an emoji: {error}")))?;
        Ok(())
    }

    /// The instance's enabled emojis, by shortcode (`/api/v1/custom_emojis`).
    pub async fn custom_emojis(&self) -> Result<Vec<CustomEmoji>> {
        Ok(self
            .db()
            .local_custom_emojis()
            .await?
            .into_iter()
            .filter(|row| !row.disabled)
            .filter_map(|row| self.emoji_from_row(row))
            .collect())
    }
}

impl Federation<'_> {
    /// Records the custom emojis a remote post or profile of `domain` uses, as
    /// `(shortcode, image URL)` pairs from its tags.
    pub async fn store_remote_emojis(
        &self,
        domain: &str,
        emojis: &[(String, String)],
    ) -> Result<()> {
        for (shortcode, url) in emojis {
            if check_shortcode(shortcode).is_err() {
                continue;
            }
            self.db()
                .upsert_remote_emoji(
                    self.db().next_id(),
                    shortcode,
                    domain,
                    url,
                    crate::now_millis(),
                )
                .await?;
        }
        Ok(())
    }
}

/// The shortcodes that texts use, by the domain of whoever wrote them (see [`wanted_emojis`]).
pub(crate) type WantedEmojis = HashMap<Option<String>, Vec<String>>;

/// The shortcodes `texts` use, each text with the domain of its writer (`None`: this instance).
pub(crate) fn wanted_emojis<'a>(
    texts: impl IntoIterator<Item = (Option<&'a str>, &'a str)>,
) -> WantedEmojis {
    let mut wanted = WantedEmojis::new();
    for (domain, text) in texts {
        let shortcodes = wanted.entry(domain.map(str::to_owned)).or_default();
        for shortcode in crate::text::emoji_shortcodes(text) {
            if !shortcodes.contains(&shortcode) {
                shortcodes.push(shortcode);
            }
        }
    }
    wanted.retain(|_, shortcodes| !shortcodes.is_empty());
    wanted
}

/// Custom emojis by the domain they belong to (`None`: this instance) and shortcode.
pub(crate) type EmojiSet = HashMap<(Option<String>, String), CustomEmoji>;

/// The emojis of `domain` that `texts` use, in the order they first appear.
pub(crate) fn emojis_in(
    domain: Option<&str>,
    texts: &[&str],
    emojis: &EmojiSet,
) -> Vec<CustomEmoji> {
    let mut used: Vec<CustomEmoji> = Vec::new();
    let domain = domain.map(str::to_owned);
    for text in texts {
        for shortcode in crate::text::emoji_shortcodes(text) {
            if let Some(emoji) = emojis.get(&(domain.clone(), shortcode))
                && !used.contains(emoji)
            {
                used.push(emoji.clone());
            }
        }
    }
    used
}
