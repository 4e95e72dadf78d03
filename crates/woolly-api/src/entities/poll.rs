//! `Poll` (`entities/Poll.md`), as Mastodon's `REST::PollSerializer` renders it: `voted` and
//! `own_votes` only for a signed-in viewer, `voters_count` only for multiple-choice polls, and
//! each option's `votes_count` null while the author hides the tallies until the end.

use serde::Serialize;
use serde_json::Value;
use woolly_core::polls::Poll;

use woolly_http::time::iso8601;

#[derive(Debug, Clone, Serialize)]
pub struct PollEntity {
    pub id: String,
    pub expires_at: Option<String>,
    pub expired: bool,
    pub multiple: bool,
    pub votes_count: i64,
    pub voters_count: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub voted: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub own_votes: Option<Vec<i64>>,
    pub options: Vec<PollOptionEntity>,
    pub emojis: Vec<Value>,
}

#[derive(Debug, Clone, Serialize)]
pub struct PollOptionEntity {
    pub title: String,
    pub votes_count: Option<i64>,
}

impl PollEntity {
    pub fn new(poll: &Poll) -> PollEntity {
        let now = woolly_core::now_millis();
        let shows_tallies = poll.shows_tallies_at(now);
        PollEntity {
            id: poll.id.to_string(),
            expires_at: Some(iso8601(poll.expires_at)),
            expired: poll.is_expired_at(now),
            multiple: poll.multiple,
            votes_count: poll.votes_count,
            voters_count: poll.multiple.then_some(poll.voters_count),
            voted: poll.viewer.as_ref().map(|state| state.voted),
            own_votes: poll.viewer.as_ref().map(|state| state.own_votes.clone()),
            options: poll
                .options
                .iter()
                .map(|option| PollOptionEntity {
                    title: option.title.clone(),
                    votes_count: shows_tallies.then_some(option.votes_count),
                })
                .collect(),
            emojis: Vec::new(),
        }
    }
}
