//! `CustomEmoji` (`entities/CustomEmoji.md`).

use serde::Serialize;
use woolly_core::emojis::CustomEmoji;

#[derive(Debug, Clone, Serialize)]
pub struct CustomEmojiEntity {
    pub shortcode: String,
    pub url: String,
    pub static_url: String,
    pub visible_in_picker: bool,
    pub category: Option<String>,
}

impl CustomEmojiEntity {
    pub fn new(emoji: &CustomEmoji) -> CustomEmojiEntity {
        CustomEmojiEntity {
            shortcode: emoji.shortcode.clone(),
            url: emoji.url.clone(),
            static_url: emoji.static_url.clone(),
            visible_in_picker: emoji.visible_in_picker,
            category: emoji.category.clone(),
        }
    }
}
