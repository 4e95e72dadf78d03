//! The shapes around a status: `StatusEdit` (`entities/StatusEdit.md`), one version in its
//! history; `Context` (`entities/Context.md`), its thread; and `StatusSource`
//! (`entities/StatusSource.md`), the text its author typed.

use serde::Serialize;
use woolly_core::statuses::Context;
use woolly_core::{InstanceConfig, StatusVersion};
use woolly_http::time::iso8601;

use super::{AccountEntity, CustomEmojiEntity, MediaEntity, StatusEntity};

/// One version of a status, oldest first in its history.
#[derive(Debug, Clone, Serialize)]
pub struct StatusEditEntity {
    pub content: String,
    pub spoiler_text: String,
    pub sensitive: bool,
    pub created_at: String,
    pub account: AccountEntity,
    pub poll: Option<StatusEditPollEntity>,
    pub media_attachments: Vec<MediaEntity>,
    pub emojis: Vec<CustomEmojiEntity>,
}

/// A version's poll: its options' titles only.
#[derive(Debug, Clone, Serialize)]
pub struct StatusEditPollEntity {
    pub options: Vec<StatusEditPollOptionEntity>,
}

#[derive(Debug, Clone, Serialize)]
pub struct StatusEditPollOptionEntity {
    pub title: String,
}

impl StatusEditEntity {
    pub fn new(version: &StatusVersion, config: &InstanceConfig) -> StatusEditEntity {
        StatusEditEntity {
            content: version.content.clone(),
            spoiler_text: version.spoiler_text.clone(),
            sensitive: version.sensitive,
            created_at: iso8601(version.created_at),
            account: AccountEntity::new(&version.account, None, config),
            poll: version
                .poll_options
                .as_ref()
                .map(|options| StatusEditPollEntity {
                    options: options
                        .iter()
                        .map(|title| StatusEditPollOptionEntity {
                            title: title.clone(),
                        })
                        .collect(),
                }),
            media_attachments: version.media.iter().map(MediaEntity::new).collect(),
            emojis: version.emojis.iter().map(CustomEmojiEntity::new).collect(),
        }
    }
}

/// A status's thread: what it answers, and the answers to it.
#[derive(Debug, Clone, Serialize)]
pub struct ContextEntity {
    pub ancestors: Vec<StatusEntity>,
    pub descendants: Vec<StatusEntity>,
}

impl ContextEntity {
    pub fn new(context: &Context, viewer: Option<i64>, config: &InstanceConfig) -> ContextEntity {
        let render = |views: &[woolly_core::statuses::StatusView]| {
            views
                .iter()
                .map(|view| StatusEntity::new(view, viewer, config))
                .collect()
        };
        ContextEntity {
            ancestors: render(&context.ancestors),
            descendants: render(&context.descendants),
        }
    }
}

/// The plain text of a status as its author typed it, for editing.
#[derive(Debug, Clone, Serialize)]
pub struct StatusSourceEntity {
    pub id: String,
    pub text: String,
    pub spoiler_text: String,
}
