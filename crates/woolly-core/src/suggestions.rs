//! Follow suggestions (`/api/v2/suggestions`): the one recommendation Mastodon makes, "people
//! your friends follow", with its other sources where they apply: the accounts the operator
//! recommends (`recommended_accounts`), and the server's most followed and most interacted-with
//! accounts, for newcomers who follow nobody yet. Timelines stay chronological; nothing here
//! ranks posts.
//!
//! Friends of friends and the global sources are computed by jobs, at most every 15 minutes per
//! member and once a day for the server, when someone asks; a member's first request computes
//! theirs at once. Everything that must leave an account out (follows made since, blocks,
//! mutes, dismissals, suspensions) is applied when the suggestions are read, in one query.

use serde::{Deserialize, Serialize};

use crate::accounts::Account;
use crate::areas::Discovery;
use crate::error::Result;
use crate::jobs::{Job, JobFuture, JobHandler, new_job};
use crate::state::Woolly;

const FRIEND_SUGGESTIONS_KIND: &str = "discovery.friend_suggestions";
const GLOBAL_SUGGESTIONS_KIND: &str = "discovery.global_suggestions";
const GLOBAL_SUGGESTIONS: &str = "global_suggestions";
const MINUTE_MILLIS: i64 = 60 * 1000;
/// How long a member's friends of friends are used before they are computed again (Mastodon
/// caches a member's suggestions for 15 minutes).
const FRIENDS_FRESH_MILLIS: i64 = 15 * MINUTE_MILLIS;
const GLOBAL_FRESH_MILLIS: i64 = 24 * 60 * MINUTE_MILLIS;
/// How far back the global sources count follows and interactions.
const GLOBAL_WINDOW_MILLIS: i64 = 30 * 24 * 60 * MINUTE_MILLIS;

/// Why an account is suggested, in Mastodon's words (`Suggestion.sources`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SuggestionSource {
    /// Recommended by the operator.
    Featured,
    /// Followed by accounts the member follows.
    FriendsOfFriends,
    /// Much followed by this server's members lately.
    MostFollowed,
    /// Its recent posts were much favourited and boosted.
    MostInteractions,
}

impl SuggestionSource {
    pub fn name(self) -> &'static str {
        match self {
            SuggestionSource::Featured => "featured",
            SuggestionSource::FriendsOfFriends => "friends_of_friends",
            SuggestionSource::MostFollowed => "most_followed",
            SuggestionSource::MostInteractions => "most_interactions",
        }
    }

    /// The single `source` of Mastodon before 4.3, which clients still read.
    pub fn legacy_name(self) -> &'static str {
        match self {
            SuggestionSource::Featured => "staff",
            SuggestionSource::FriendsOfFriends => "past_interactions",
            SuggestionSource::MostFollowed | SuggestionSource::MostInteractions => "global",
        }
    }
}

/// A suggested account and why, its sources in Mastodon's order.
#[derive(Debug, Clone)]
pub struct Suggestion {
    pub account: Account,
    pub sources: Vec<SuggestionSource>,
}

#[derive(Serialize, Deserialize)]
struct FriendSuggestionsPayload {
    account_id: i64,
}

impl Discovery<'_> {
    /// A page of the accounts suggested to `viewer`: the operator's recommendations first, in
    /// its order; then friends of friends, the most friends first (the less followed first
    /// among equals, as Mastodon: they gain most from it); then the server's most followed and
    /// interacted with.
    pub async fn suggestions(
        &self,
        viewer: i64,
        limit: usize,
        offset: usize,
    ) -> Result<Vec<Suggestion>> {
        self.keep_suggestions_fresh(viewer).await?;
        let recommended: Vec<i64> = self
            .accounts()
            .recommended()
            .await?
            .iter()
            .map(|account| account.id)
            .collect();
        let mut rows = self.db().suggestions(viewer, &recommended).await?;
        let featured_rank = |id: i64| recommended.iter().position(|listed| *listed == id);
        rows.sort_by_key(|row| {
            (
                featured_rank(row.account_id).unwrap_or(usize::MAX),
                std::cmp::Reverse(row.friends),
                if row.friends > 0 {
                    row.followers_count
                } else {
                    0
                },
                std::cmp::Reverse(row.follows + row.interactions),
                row.account_id,
            )
        });
        let page: Vec<_> = rows.into_iter().skip(offset).take(limit).collect();
        let ids: Vec<i64> = page.iter().map(|row| row.account_id).collect();
        let mut accounts = self.accounts_by_id(&ids).await?;
        Ok(page
            .into_iter()
            .filter_map(|row| {
                let account = accounts.remove(&row.account_id)?;
                let sources = [
                    (
                        featured_rank(row.account_id).is_some(),
                        SuggestionSource::Featured,
                    ),
                    (row.friends > 0, SuggestionSource::FriendsOfFriends),
                    (row.follows > 0, SuggestionSource::MostFollowed),
                    (row.interactions > 0, SuggestionSource::MostInteractions),
                ]
                .into_iter()
                .filter_map(|(applies, source)| applies.then_some(source))
                .collect();
                Some(Suggestion { account, sources })
            })
            .collect())
    }

    /// Never suggests `target` to `viewer` again (`DELETE /api/v1/suggestions/:id`). As in
    /// Mastodon, an id that is no account is accepted and changes nothing.
    pub async fn dismiss_suggestion(&self, viewer: i64, target: i64) -> Result<()> {
        self.db()
            .dismiss_suggestion(viewer, target, crate::now_millis())
            .await?;
        Ok(())
    }

    /// Computes `viewer`'s friends of friends now if they never were, or has a job compute
    /// them if they are stale; and the global sources likewise, by a job.
    async fn keep_suggestions_fresh(&self, viewer: i64) -> Result<()> {
        let now = crate::now_millis();
        let name = format!("friend_suggestions:{viewer}");
        let never = self.db().discovery_refreshed_at(&name).await?.is_none();
        if self
            .db()
            .claim_discovery_refresh(&name, now, now - FRIENDS_FRESH_MILLIS)
            .await?
        {
            if never {
                self.db().refresh_friend_suggestions(viewer).await?;
            } else {
                let payload = FriendSuggestionsPayload { account_id: viewer };
                let job = new_job(FRIEND_SUGGESTIONS_KIND, &payload, now, 3)?;
                self.jobs().enqueue_job(&job).await?;
            }
        }
        if self
            .db()
            .claim_discovery_refresh(GLOBAL_SUGGESTIONS, now, now - GLOBAL_FRESH_MILLIS)
            .await?
        {
            let job = new_job(GLOBAL_SUGGESTIONS_KIND, &(), now, 3)?;
            self.jobs().enqueue_job(&job).await?;
        }
        Ok(())
    }
}

/// Recomputes one member's friends of friends.
pub struct FriendSuggestionsJob;

impl JobHandler for FriendSuggestionsJob {
    fn kind(&self) -> &'static str {
        FRIEND_SUGGESTIONS_KIND
    }

    fn run<'a>(&'a self, woolly: &'a Woolly, job: &'a Job) -> JobFuture<'a> {
        Box::pin(async move {
            let payload: FriendSuggestionsPayload = job.payload()?;
            woolly
                .db()
                .refresh_friend_suggestions(payload.account_id)
                .await?;
            Ok(())
        })
    }
}

/// Recomputes the server's most followed and most interacted-with accounts.
pub struct GlobalSuggestionsJob;

impl JobHandler for GlobalSuggestionsJob {
    fn kind(&self) -> &'static str {
        GLOBAL_SUGGESTIONS_KIND
    }

    fn run<'a>(&'a self, woolly: &'a Woolly, _job: &'a Job) -> JobFuture<'a> {
        Box::pin(async move {
            let since = crate::now_millis() - GLOBAL_WINDOW_MILLIS;
            woolly.db().refresh_global_suggestions(since).await?;
            Ok(())
        })
    }
}
