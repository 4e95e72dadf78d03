//! `Status` (`entities/Status.md`), with its `Mention` and `Tag` parts.
//!
//! Most of a status is the same for every viewer: those members are serialized once per cached
//! status (core's `SharedStatus::rendered`) and copied into each answer as they are; only what
//! concerns the viewer (`favourited`, `reblogged`, `muted`, `bookmarked`, `pinned`, `filtered`,
//! the poll's `voted` and `own_votes`) and the reblogged status are rendered per request.

use std::sync::Arc;

use serde::Serialize;
use serde::ser::{SerializeMap, Serializer};
use serde_json::value::RawValue;
use serde_json::{Value, json};
use woolly_core::InstanceConfig;
use woolly_core::statuses::{SharedStatus, StatusView};

use super::account::AccountEntity;
use super::emoji::CustomEmojiEntity;
use super::filter::FilterResultEntity;
use super::media::MediaEntity;
use super::poll::PollEntity;
use super::preview_card::PreviewCardEntity;
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

/// A status as one viewer sees it.
#[derive(Debug, Clone, Serialize)]
pub struct StatusEntity {
    #[serde(flatten)]
    everyones: EveryonesMembers,
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
    pub reblog: Option<Box<StatusEntity>>,
    pub poll: Option<PollEntity>,
    /// The source text: only in answers that return it (deletion, for "delete and redraft").
    #[serde(skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
}

/// The members of a status that every viewer sees alike, each already serialized: kept with
/// the shared status they were rendered from.
#[derive(Debug, Clone)]
struct EveryonesMembers(Arc<RenderedMembers>);

#[derive(Debug)]
struct RenderedMembers(Vec<(String, Box<RawValue>)>);

impl Serialize for EveryonesMembers {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let members = &self.0.0;
        let mut map = serializer.serialize_map(Some(members.len()))?;
        for (name, value) in members {
            map.serialize_entry(name, value)?;
        }
        map.end()
    }
}

/// What [`EveryonesMembers`] are serialized from.
#[derive(Serialize)]
struct EveryonesStatus<'a> {
    id: String,
    created_at: String,
    in_reply_to_id: Option<String>,
    in_reply_to_account_id: Option<String>,
    sensitive: bool,
    spoiler_text: &'a str,
    visibility: &'static str,
    language: Option<&'a str>,
    uri: &'a str,
    url: Option<&'a str>,
    replies_count: i64,
    reblogs_count: i64,
    favourites_count: i64,
    quotes_count: i64,
    edited_at: Option<String>,
    content: &'a str,
    // Mastodon shows the posting app to everyone unless the author hides it.
    #[serde(skip_serializing_if = "Option::is_none")]
    application: Option<ApplicationRef>,
    account: AccountEntity,
    media_attachments: Vec<MediaEntity>,
    mentions: Vec<MentionEntity>,
    tags: Vec<TagEntity>,
    emojis: Vec<CustomEmojiEntity>,
    card: Option<PreviewCardEntity>,
    quote: Option<Value>,
    quote_approval: Value,
}

impl RenderedMembers {
    fn render(shared: &SharedStatus, config: &InstanceConfig) -> RenderedMembers {
        let status = &shared.status;
        let urls = config.urls();
        let everyones = EveryonesStatus {
            id: status.id.to_string(),
            created_at: iso8601(status.created_at),
            in_reply_to_id: status.in_reply_to_id.map(|id| id.to_string()),
            in_reply_to_account_id: status.in_reply_to_account_id.map(|id| id.to_string()),
            // A sensitized author's posts are all behind a warning (Mastodon shows the author
            // their own as they marked them; one shared rendering shows everyone the same).
            sensitive: status.sensitive || shared.account.limits.sensitized_at.is_some(),
            spoiler_text: &status.spoiler_text,
            visibility: status.visibility.as_str(),
            language: status.language.as_deref(),
            uri: &status.uri,
            url: status.url.as_deref(),
            replies_count: status.replies_count,
            reblogs_count: status.reblogs_count,
            favourites_count: status.favourites_count,
            quotes_count: 0,
            edited_at: status.edited_at.map(iso8601),
            content: &status.content,
            application: shared
                .application
                .as_ref()
                .map(|(name, website)| ApplicationRef {
                    name: name.clone(),
                    website: website.clone(),
                }),
            account: AccountEntity::new(&shared.account, None, config),
            media_attachments: shared.media.iter().map(MediaEntity::new).collect(),
            mentions: shared
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
            tags: shared
                .tags
                .iter()
                .map(|name| TagEntity {
                    name: name.clone(),
                    url: urls.tag(name),
                })
                .collect(),
            emojis: shared.emojis.iter().map(CustomEmojiEntity::new).collect(),
            card: shared.card.as_ref().map(PreviewCardEntity::under_status),
            quote: None,
            quote_approval: json!({
                "automatic": [],
                "manual": [],
                "current_user": "denied",
            }),
        };
        let members = match serde_json::to_value(&everyones) {
            Ok(Value::Object(members)) => members
                .into_iter()
                .filter_map(|(name, value)| {
                    let raw = serde_json::value::to_raw_value(&value).ok()?;
                    Some((name, raw))
                })
                .collect(),
            // A struct of strings, numbers and lists always serializes to an object.
            _ => Vec::new(),
        };
        RenderedMembers(members)
    }
}

impl StatusEntity {
    pub fn new(view: &StatusView, viewer: Option<i64>, config: &InstanceConfig) -> StatusEntity {
        let status = &view.status;
        let state = view.viewer;
        let is_own = viewer == Some(status.account_id);
        let everyones = view
            .shared
            .rendered(|shared| RenderedMembers::render(shared, config));
        StatusEntity {
            everyones: EveryonesMembers(everyones),
            favourited: state.map(|state| state.favourited),
            reblogged: state.map(|state| state.reblogged),
            muted: state.map(|state| state.muted),
            bookmarked: state.map(|state| state.bookmarked),
            pinned: (is_own && status.reblog_of_id.is_none())
                .then(|| state.is_some_and(|state| state.pinned)),
            filtered: state.map(|_| view.filtered.iter().map(FilterResultEntity::new).collect()),
            reblog: view
                .reblog
                .as_ref()
                .map(|original| Box::new(StatusEntity::new(original, viewer, config))),
            poll: view.poll.as_ref().map(PollEntity::new),
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
