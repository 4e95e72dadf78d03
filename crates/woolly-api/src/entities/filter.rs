//! `Filter`, `FilterKeyword`, `FilterStatus` and `FilterResult` (`entities/Filter.md` and the
//! pages beside it), and the v1 filter (`entities/V1_Filter.md`), as Mastodon's serializers
//! render them: a filter lists its keywords and statuses, except inside a `FilterResult`.

use serde::Serialize;
use woolly_core::filters::{Filter, FilterKeyword, FilterResult, FilterStatus, V1Filter};

use woolly_http::time::iso8601;

#[derive(Debug, Clone, Serialize)]
pub struct FilterEntity {
    pub id: String,
    pub title: String,
    pub context: Vec<&'static str>,
    pub expires_at: Option<String>,
    pub filter_action: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub keywords: Option<Vec<FilterKeywordEntity>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub statuses: Option<Vec<FilterStatusEntity>>,
}

impl FilterEntity {
    /// The filter with its keywords and statuses, as the filters API returns it.
    pub fn new(filter: &Filter) -> FilterEntity {
        FilterEntity {
            keywords: Some(
                filter
                    .keywords
                    .iter()
                    .map(FilterKeywordEntity::new)
                    .collect(),
            ),
            statuses: Some(
                filter
                    .statuses
                    .iter()
                    .map(FilterStatusEntity::new)
                    .collect(),
            ),
            ..FilterEntity::summary(filter)
        }
    }

    /// The filter alone, as a `FilterResult` carries it.
    pub fn summary(filter: &Filter) -> FilterEntity {
        FilterEntity {
            id: filter.id.to_string(),
            title: filter.title.clone(),
            context: filter
                .context
                .iter()
                .map(|context| context.as_str())
                .collect(),
            expires_at: filter.expires_at.map(iso8601),
            filter_action: filter.action.as_str(),
            keywords: None,
            statuses: None,
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct FilterKeywordEntity {
    pub id: String,
    pub keyword: String,
    pub whole_word: bool,
}

impl FilterKeywordEntity {
    pub fn new(keyword: &FilterKeyword) -> FilterKeywordEntity {
        FilterKeywordEntity {
            id: keyword.id.to_string(),
            keyword: keyword.keyword.clone(),
            whole_word: keyword.whole_word,
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct FilterStatusEntity {
    pub id: String,
    pub status_id: String,
}

impl FilterStatusEntity {
    pub fn new(status: &FilterStatus) -> FilterStatusEntity {
        FilterStatusEntity {
            id: status.id.to_string(),
            status_id: status.status_id.to_string(),
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct FilterResultEntity {
    pub filter: FilterEntity,
    pub keyword_matches: Option<Vec<String>>,
    pub status_matches: Option<Vec<String>>,
}

impl FilterResultEntity {
    pub fn new(result: &FilterResult) -> FilterResultEntity {
        FilterResultEntity {
            filter: FilterEntity::summary(&result.filter),
            keyword_matches: result.keyword_matches.clone(),
            status_matches: result
                .status_matches
                .as_ref()
                .map(|ids| ids.iter().map(i64::to_string).collect()),
        }
    }
}

/// `V1::Filter`: one keyword of a filter, in the shape of Mastodon 3's filters.
#[derive(Debug, Clone, Serialize)]
pub struct V1FilterEntity {
    pub id: String,
    pub phrase: String,
    pub context: Vec<&'static str>,
    pub whole_word: bool,
    pub expires_at: Option<String>,
    pub irreversible: bool,
}

impl V1FilterEntity {
    pub fn new(v1_filter: &V1Filter) -> V1FilterEntity {
        V1FilterEntity {
            id: v1_filter.keyword.id.to_string(),
            phrase: v1_filter.keyword.keyword.clone(),
            context: v1_filter
                .filter
                .context
                .iter()
                .map(|context| context.as_str())
                .collect(),
            whole_word: v1_filter.keyword.whole_word,
            expires_at: v1_filter.filter.expires_at.map(iso8601),
            irreversible: v1_filter.irreversible(),
        }
    }
}
