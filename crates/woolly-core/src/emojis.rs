//! Custom emojis: images the operator adds under a shortcode, shown wherever `:shortcode:` is
//! written in a post (and listed for clients' pickers by `/api/v1/custom_emojis`).
//!
//! Images go through the same processing as uploads (decoded with limits, metadata dropped,
//! re-encoded; animated images keep their first frame for now) and live in the media store.

use std::collections::HashMap;

use woolly_media::{ImageLimits, MediaError};
use woolly_store::CustomEmojiRow;

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
            (Some(key), _) => format!("{}/media/{key}", self.config().base_url()),
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

    /// The emojis the given texts use, by shortcode, in one query.
    pub(crate) async fn emojis_used_in<'a>(
        &self,
        texts: impl IntoIterator<Item = &'a str>,
    ) -> Result<HashMap<String, CustomEmoji>> {
        let mut shortcodes: Vec<String> = Vec::new();
        for text in texts {
            for shortcode in crate::text::emoji_shortcodes(text) {
                if !shortcodes.contains(&shortcode) {
                    shortcodes.push(shortcode);
                }
            }
        }
        Ok(self
            .db()
            .local_custom_emojis_named(&shortcodes)
            .await?
            .into_iter()
            .filter_map(|row| self.emoji_from_row(row))
            .map(|emoji| (emoji.shortcode.clone(), emoji))
            .collect())
    }
}

/// The emojis of `emojis` that `texts` use, in the order they first appear.
pub(crate) fn emojis_in(texts: &[&str], emojis: &HashMap<String, CustomEmoji>) -> Vec<CustomEmoji> {
    let mut used: Vec<CustomEmoji> = Vec::new();
    for text in texts {
        for shortcode in crate::text::emoji_shortcodes(text) {
            if let Some(emoji) = emojis.get(&shortcode)
                && !used.contains(emoji)
            {
                used.push(emoji.clone());
            }
        }
    }
    used
}
