//! `Announcement` (`entities/Announcement.md`) and its `Reaction`s, as the REST API lists them
//! and the user stream sends them (`announcement`, `announcement.reaction`).

use serde::Serialize;
use serde_json::Value;
use woolly_core::announcements::Announcement;

use woolly_http::time::iso8601;

/// `Announcement` (`entities/Announcement.md`).
#[derive(Debug, Clone, Serialize)]
pub struct AnnouncementEntity {
    pub id: String,
    pub content: String,
    pub starts_at: Option<String>,
    pub ends_at: Option<String>,
    pub published: bool,
    pub all_day: bool,
    pub published_at: Option<String>,
    pub updated_at: String,
    pub read: bool,
    pub mentions: Vec<Value>,
    pub statuses: Vec<Value>,
    pub tags: Vec<Value>,
    pub emojis: Vec<Value>,
    pub reactions: Vec<ReactionEntity>,
}

/// `Reaction` (`entities/Reaction.md`).
#[derive(Debug, Clone, Serialize)]
pub struct ReactionEntity {
    pub name: String,
    pub count: i64,
    pub me: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub static_url: Option<String>,
}

impl AnnouncementEntity {
    pub fn new(announcement: &Announcement) -> AnnouncementEntity {
        AnnouncementEntity {
            id: announcement.id.to_string(),
            content: announcement.html.clone(),
            starts_at: announcement.starts_at.map(iso8601),
            ends_at: announcement.ends_at.map(iso8601),
            published: announcement.published_at.is_some(),
            all_day: announcement.all_day,
            published_at: announcement.published_at.map(iso8601),
            updated_at: iso8601(announcement.updated_at),
            read: announcement.read,
            // Announcements are plain text with links: no mentions, hashtags or emojis to list.
            mentions: Vec::new(),
            statuses: Vec::new(),
            tags: Vec::new(),
            emojis: Vec::new(),
            reactions: announcement
                .reactions
                .iter()
                .map(|reaction| ReactionEntity {
                    name: reaction.name.clone(),
                    count: reaction.count,
                    me: reaction.me,
                    url: reaction.custom.as_ref().map(|emoji| emoji.url.clone()),
                    static_url: reaction
                        .custom
                        .as_ref()
                        .map(|emoji| emoji.static_url.clone()),
                })
                .collect(),
        }
    }
}

/// The payload of `announcement.reaction`: how many reacted with `name` now.
#[derive(Debug, Clone, Serialize)]
pub struct ReactionCountEntity {
    pub name: String,
    pub count: i64,
    pub announcement_id: String,
}
