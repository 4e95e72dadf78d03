//! `ScheduledStatus` (`entities/ScheduledStatus.md`), as Mastodon's
//! `REST::ScheduledStatusSerializer` renders it: `params` is the hash the status was posted
//! with, the values the client left out `null`, and `scheduled_at`, `idempotency` and
//! `with_rate_limit` always `null`, `null` and `false` (Mastodon clears them when it stores the
//! hash). Ids inside `params` are numbers, as Mastodon stores them; `media_ids` are strings.

use serde::Serialize;
use woolly_core::scheduled::ScheduledStatus;

use super::media::MediaEntity;
use woolly_http::time::iso8601;

#[derive(Debug, Clone, Serialize)]
pub struct ScheduledStatusEntity {
    pub id: String,
    pub scheduled_at: String,
    pub params: ScheduledParamsEntity,
    pub media_attachments: Vec<MediaEntity>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ScheduledParamsEntity {
    pub text: Option<String>,
    pub media_ids: Option<Vec<String>>,
    pub sensitive: Option<bool>,
    pub spoiler_text: Option<String>,
    pub visibility: Option<String>,
    pub language: Option<String>,
    pub scheduled_at: Option<String>,
    pub poll: Option<ScheduledPollEntity>,
    pub idempotency: Option<String>,
    pub with_rate_limit: bool,
    pub in_reply_to_id: Option<i64>,
    pub application_id: Option<i64>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ScheduledPollEntity {
    pub options: Vec<String>,
    pub expires_in: Option<i64>,
    pub multiple: bool,
    pub hide_totals: bool,
}

impl ScheduledStatusEntity {
    pub fn new(scheduled: &ScheduledStatus) -> ScheduledStatusEntity {
        let params = &scheduled.params;
        ScheduledStatusEntity {
            id: scheduled.id.to_string(),
            scheduled_at: iso8601(scheduled.scheduled_at),
            params: ScheduledParamsEntity {
                text: params.text.clone(),
                media_ids: (!params.media_ids.is_empty())
                    .then(|| params.media_ids.iter().map(i64::to_string).collect()),
                sensitive: params.sensitive,
                spoiler_text: params.spoiler_text.clone(),
                visibility: params
                    .visibility
                    .map(|visibility| visibility.as_str().to_owned()),
                language: params.language.clone(),
                scheduled_at: None,
                poll: params.poll.as_ref().map(|poll| ScheduledPollEntity {
                    options: poll.options.clone(),
                    expires_in: poll.expires_in,
                    multiple: poll.multiple,
                    hide_totals: poll.hide_totals,
                }),
                idempotency: None,
                with_rate_limit: false,
                in_reply_to_id: params.in_reply_to_id,
                application_id: params.application_id,
            },
            media_attachments: scheduled.media.iter().map(MediaEntity::new).collect(),
        }
    }
}
