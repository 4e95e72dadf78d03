//! `Tag` (`entities/Tag.md`), with its usage history, and `FeaturedTag`
//! (`entities/FeaturedTag.md`).

use serde::Serialize;
use woolly_core::InstanceConfig;
use woolly_core::accounts::Account;
use woolly_core::featured::FeaturedTag;
use woolly_core::search::TagUsage;
use woolly_core::tags::TagView;
use woolly_http::time::date;

/// A hashtag with its last week of use.
#[derive(Debug, Clone, Serialize)]
pub struct HashtagEntity {
    pub id: String,
    pub name: String,
    pub url: String,
    pub history: Vec<TagHistoryEntity>,
    /// Only for a signed-in viewer.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub following: Option<bool>,
    /// Only for a signed-in viewer.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub featuring: Option<bool>,
}

/// One day of a hashtag's use; Mastodon sends the numbers as strings.
#[derive(Debug, Clone, Serialize)]
pub struct TagHistoryEntity {
    pub day: String,
    pub uses: String,
    pub accounts: String,
}

impl HashtagEntity {
    /// A hashtag as search results show it (no viewer state).
    pub fn of_usage(usage: &TagUsage, config: &InstanceConfig) -> HashtagEntity {
        HashtagEntity {
            id: usage.id(),
            name: usage.name.clone(),
            url: config.urls().tag(&usage.name),
            history: usage
                .history
                .iter()
                .map(|(day, uses, accounts)| TagHistoryEntity {
                    day: day.to_string(),
                    uses: uses.to_string(),
                    accounts: accounts.to_string(),
                })
                .collect(),
            following: None,
            featuring: None,
        }
    }

    /// A hashtag with what the viewer does with it.
    pub fn new(tag: &TagView, config: &InstanceConfig) -> HashtagEntity {
        HashtagEntity {
            following: tag.following,
            featuring: tag.featuring,
            ..HashtagEntity::of_usage(&tag.usage, config)
        }
    }
}

/// A hashtag an account features on its profile: counts as strings and the last use as a date,
/// as Mastodon sends them.
#[derive(Debug, Clone, Serialize)]
pub struct FeaturedTagEntity {
    pub id: String,
    pub name: String,
    pub url: String,
    pub statuses_count: String,
    pub last_status_at: Option<String>,
}

impl FeaturedTagEntity {
    pub fn new(account: &Account, tag: &FeaturedTag, config: &InstanceConfig) -> FeaturedTagEntity {
        FeaturedTagEntity {
            id: tag.id.to_string(),
            name: tag.name.clone(),
            url: config.urls().tagged(&account.username, &tag.name),
            statuses_count: tag.statuses_count.to_string(),
            last_status_at: tag.last_status_at.map(date),
        }
    }
}
