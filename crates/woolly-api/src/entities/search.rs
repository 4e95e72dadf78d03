//! `Search` (`entities/Search.md`): what `GET /api/v2/search` found.

use serde::Serialize;
use woolly_core::InstanceConfig;
use woolly_core::search::SearchResults;

use super::account::AccountEntity;
use super::status::StatusEntity;
use super::tag::HashtagEntity;

#[derive(Debug, Clone, Serialize)]
pub struct SearchEntity {
    pub accounts: Vec<AccountEntity>,
    pub statuses: Vec<StatusEntity>,
    pub hashtags: Vec<HashtagEntity>,
}

impl SearchEntity {
    pub fn new(
        results: &SearchResults,
        viewer: Option<i64>,
        config: &InstanceConfig,
    ) -> SearchEntity {
        SearchEntity {
            accounts: results
                .accounts
                .iter()
                .map(|account| AccountEntity::new(account, None, config))
                .collect(),
            statuses: results
                .statuses
                .iter()
                .map(|view| StatusEntity::new(view, viewer, config))
                .collect(),
            hashtags: results
                .hashtags
                .iter()
                .map(|tag| HashtagEntity::of_usage(tag, config))
                .collect(),
        }
    }
}
