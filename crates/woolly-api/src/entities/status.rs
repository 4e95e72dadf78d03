//! `Status` (`entities/Status.md`), with its `Mention` and `Tag` parts.

use serde::Serialize;
use serde_json::Value;
use woolly_core::InstanceConfig;
use woolly_core::statuses::StatusView;

use super::account::AccountEntity;
use super::emoji::CustomEmojiEntity;
use super::filter::FilterResultEntity;
use super::media::MediaEntity;
use super::poll::PollEntity;
use woolly_http::time::iso8601;

#[derive(Debug, Clone, Serialize)]
pub struct MentionEntity {
    pub id: String,
    pub username: String,
    pub url: String,
    pub acct: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct TagEntity {
    pub name: String,
    pub url: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct ApplicationRef {
    pub name: String,
    pub website: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct StatusEntity {
    pub id: String,
    pub created_at: String,
    pub in_reply_to_id: Option<String>,
    pub in_reply_to_account_id: Option<String>,
    pub sensitive: bool,
    pub spoiler_text: String,
    pub visibility: &'static str,
    pub language: Option<String>,
    pub uri: String,
    pub url: Option<String>,
    pub replies_count: i64,
    pub reblogs_count: i64,
    pub favourites_count: i64,
    pub quotes_count: i64,
    pub edited_at: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub favourited: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reblogged: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub muted: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bookmarked: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pinned: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub filtered: Option<Vec<FilterResultEntity>>,
    pub content: String,
    pub reblog: Option<Box<StatusEntity>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub application: Option<ApplicationRef>,
    pub account: AccountEntity,
    pub media_attachments: Vec<MediaEntity>,
    pub mentions: Vec<MentionEntity>,
    pub tags: Vec<TagEntity>,
    pub emojis: Vec<CustomEmojiEntity>,
    pub card: Option<Value>,
    pub poll: Option<PollEntity>,
    pub quote: Option<Value>,
    pub quote_approval: Value,
    /// The source text: only in answers that return it (deletion, for "delete and redraft").
    #[serde(skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
}

impl StatusEntity {
    pub fn new(view: &StatusView, viewer: Option<i64>, config: &InstanceConfig) -> StatusEntity {
        let status = &view.status;
        let urls = config.urls();
        let state = view.viewer;
        let is_own = viewer == Some(status.account_id);
        StatusEntity {
            id: status.id.to_string(),
            created_at: iso8601(status.created_at),
            in_reply_to_id: status.in_reply_to_id.map(|id| id.to_string()),
            in_reply_to_account_id: status.in_reply_to_account_id.map(|id| id.to_string()),
            sensitive: status.sensitive,
            spoiler_text: status.spoiler_text.clone(),
            visibility: status.visibility.as_str(),
            language: status.language.clone(),
            uri: status.uri.clone(),
            url: status.url.clone(),
            replies_count: status.replies_count,
            reblogs_count: status.reblogs_count,
            favourites_count: status.favourites_count,
            quotes_count: 0,
            edited_at: status.edited_at.map(iso8601),
            favourited: state.map(|state| state.favourited),
            reblogged: state.map(|state| state.reblogged),
            muted: state.map(|state| state.muted),
            bookmarked: state.map(|state| state.bookmarked),
            pinned: (is_own && status.reblog_of_id.is_none())
                .then(|| state.is_some_and(|state| state.pinned)),
            filtered: state.map(|_| view.filtered.iter().map(FilterResultEntity::new).collect()),
            content: status.content.clone(),
            reblog: view
                .reblog
                .as_ref()
                .map(|original| Box::new(StatusEntity::new(original, viewer, config))),
            // Mastodon shows the posting app to everyone unless the author hides it.
            application: view
                .application
                .as_ref()
                .map(|(name, website)| ApplicationRef {
                    name: name.clone(),
                    website: website.clone(),
                }),
            account: AccountEntity::new(&view.account, None, config),
            media_attachments: view.media.iter().map(MediaEntity::new).collect(),
            mentions: view
                .mentions
                .iter()
                .map(|account| {
                    let entity = AccountEntity::new(account, None, config);
                    MentionEntity {
                        id: entity.id,
                        username: entity.username,
                        url: entity.url,
                        acct: entity.acct,
                    }
                })
                .collect(),
            tags: view
                .tags
                .iter()
                .map(|name| TagEntity {
                    name: name.clone(),
                    url: urls.tag(name),
                })
                .collect(),
            emojis: view.emojis.iter().map(CustomEmojiEntity::new).collect(),
            card: None,
            poll: view.poll.as_ref().map(PollEntity::new),
            quote: None,
            quote_approval: serde_json::json!({
                "automatic": [],
                "manual": [],
                "current_user": "denied",
            }),
            text: None,
        }
    }

    /// The entity with its source text, as `DELETE /api/v1/statuses/:id` returns it.
    pub fn with_source(
        view: &StatusView,
        viewer: Option<i64>,
        config: &InstanceConfig,
    ) -> StatusEntity {
        StatusEntity {
            text: Some(view.status.text.clone()),
            ..StatusEntity::new(view, viewer, config)
        }
    }
}
