//! `Suggestion` (`entities/Suggestion.md`): an account suggested to follow, and why.

use serde::Serialize;
use woolly_core::InstanceConfig;
use woolly_core::suggestions::Suggestion;

use super::AccountEntity;

#[derive(Debug, Serialize)]
pub struct SuggestionEntity {
    /// Mastodon's single reason before 4.3 (`staff`, `past_interactions`, `global`).
    pub source: &'static str,
    pub sources: Vec<&'static str>,
    pub account: AccountEntity,
}

impl SuggestionEntity {
    pub fn new(suggestion: &Suggestion, config: &InstanceConfig) -> SuggestionEntity {
        SuggestionEntity {
            source: suggestion
                .sources
                .first()
                .map_or("global", |source| source.legacy_name()),
            sources: suggestion
                .sources
                .iter()
                .map(|source| source.name())
                .collect(),
            account: AccountEntity::new(&suggestion.account, None, config),
        }
    }
}
