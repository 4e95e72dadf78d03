//! Polls (`methods/polls.md`): creating one with a status, reading it as a viewer may, voting,
//! and its end, when the `poll.expire` job notifies the author and the local voters.
//!
//! The rules are Mastodon's (`PollValidator`, `VoteValidator`, `PollExpirationNotifyWorker`):
//! two to four distinct options of at most 50 characters, an end between five minutes and a
//! month away, no votes after the end or on one's own poll. Where Woolly is stricter: a second
//! vote is refused on a multiple-choice poll too (Mastodon accepts further, different choices).
//! A poll is visible exactly when its status is; this module never decides visibility itself.

use serde::{Deserialize, Serialize};
use unicode_segmentation::UnicodeSegmentation as _;
use woolly_store::{PollOptionRow, PollRow, Tx};

use crate::accounts::Account;
use crate::areas::Statuses;
use crate::error::{CoreError, Result};
use crate::events::Event;
use crate::jobs::{DEFAULT_MAX_ATTEMPTS, Job, JobFuture, JobHandler, new_job};
use crate::state::Woolly;

/// The most options a poll has (Mastodon's `MAX_POLL_OPTIONS` as this instance advertises it).
pub const MAX_OPTIONS: usize = 4;
/// The longest an option may be, in grapheme clusters.
pub const MAX_OPTION_CHARACTERS: usize = 50;
/// The shortest a poll may run, in seconds (Mastodon: 5 minutes).
pub const MIN_EXPIRATION_SECONDS: i64 = 300;
/// The longest a poll may run, in seconds (Mastodon: `1.month`).
pub const MAX_EXPIRATION_SECONDS: i64 = 2_629_746;

/// The job that ends a poll at its `expires_at`.
pub const POLL_EXPIRE_KIND: &str = "poll.expire";

/// A poll as submitted with a new status, not yet checked.
#[derive(Debug, Clone, Default)]
pub struct PollDraft {
    pub options: Vec<String>,
    /// Seconds from now.
    pub expires_in: Option<i64>,
    pub multiple: bool,
    pub hide_totals: bool,
}

/// A poll that passed the checks, ready to be stored with its status.
#[derive(Debug, Clone)]
pub(crate) struct CheckedPoll {
    options: Vec<String>,
    expires_in_millis: i64,
    multiple: bool,
    hide_totals: bool,
}

/// A stored poll as one viewer sees it.
#[derive(Debug, Clone)]
pub struct Poll {
    pub id: i64,
    pub status_id: i64,
    pub account_id: i64,
    pub multiple: bool,
    pub hide_totals: bool,
    pub expires_at: i64,
    pub votes_count: i64,
    pub voters_count: i64,
    pub options: Vec<PollOption>,
    /// What the viewer did; `None` for anonymous viewers.
    pub viewer: Option<PollViewerState>,
}

#[derive(Debug, Clone)]
pub struct PollOption {
    pub title: String,
    pub votes_count: i64,
}

/// The viewer's part in a poll.
#[derive(Debug, Clone, Default)]
pub struct PollViewerState {
    /// True once the viewer voted, and always for the author (who cannot vote).
    pub voted: bool,
    /// The options the viewer chose, by index.
    pub own_votes: Vec<i64>,
}

impl Poll {
    /// Builds a poll from its rows, read for `viewer`.
    pub(crate) fn from_rows(
        row: PollRow,
        options: Vec<PollOptionRow>,
        viewer: Option<i64>,
    ) -> Poll {
        let own_votes: Vec<i64> = options
            .iter()
            .filter(|option| option.chosen)
            .map(|option| option.position)
            .collect();
        Poll {
            viewer: viewer.map(|viewer| PollViewerState {
                // Mastodon's `Poll#voted?`: the author counts as having voted.
                voted: viewer == row.account_id || !own_votes.is_empty(),
                own_votes,
            }),
            options: options
                .into_iter()
                .map(|option| PollOption {
                    title: option.title,
                    votes_count: option.votes_count,
                })
                .collect(),
            id: row.id,
            status_id: row.status_id,
            account_id: row.account_id,
            multiple: row.multiple,
            hide_totals: row.hide_totals,
            expires_at: row.expires_at,
            votes_count: row.votes_count,
            voters_count: row.voters_count,
        }
    }

    /// Whether voting has ended at `now` (Unix milliseconds).
    pub fn is_expired_at(&self, now: i64) -> bool {
        self.expires_at <= now
    }

    /// Whether the tallies of the options may be shown at `now`: always, unless the author
    /// hid them until the end (`hide_totals`). The total of votes is never hidden.
    pub fn shows_tallies_at(&self, now: i64) -> bool {
        !self.hide_totals || self.is_expired_at(now)
    }
}

/// The payload of a `poll.expire` job.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PollExpiry {
    pub poll_id: i64,
}

fn invalid(message: &str) -> CoreError {
    CoreError::Validation(format!("Validation failed: {message}"))
}

impl Woolly {
    /// Checks a submitted poll as Mastodon's `PollValidator` does. Options are trimmed and blank
    /// ones dropped first (Mastodon's `Poll#prepare_options`), so an empty trailing field that
    /// a client sends along does no harm.
    pub(crate) fn check_poll(&self, draft: PollDraft) -> Result<CheckedPoll> {
        let options: Vec<String> = draft
            .options
            .iter()
            .map(|option| option.trim().to_owned())
            .filter(|option| !option.is_empty())
            .collect();
        if options.len() < 2 {
            return Err(invalid("Poll options must have more than one item"));
        }
        if options.len() > MAX_OPTIONS {
            return Err(invalid(&format!(
                "Poll options can't contain more than {MAX_OPTIONS} items"
            )));
        }
        if options
            .iter()
            .any(|option| option.graphemes(true).count() > MAX_OPTION_CHARACTERS)
        {
            return Err(invalid(&format!(
                "Poll options cannot be longer than {MAX_OPTION_CHARACTERS} characters each"
            )));
        }
        if options
            .iter()
            .enumerate()
            .any(|(index, option)| options[..index].contains(option))
        {
            return Err(invalid("Poll options contain duplicate items"));
        }
        let expires_in = draft
            .expires_in
            .ok_or_else(|| invalid("Poll expires in can't be blank"))?;
        if expires_in < MIN_EXPIRATION_SECONDS {
            return Err(invalid("Poll expires at is too soon"));
        }
        if expires_in > MAX_EXPIRATION_SECONDS {
            return Err(invalid("Poll expires at is too far into the future"));
        }
        Ok(CheckedPoll {
            options,
            expires_in_millis: expires_in * 1000,
            multiple: draft.multiple,
            hide_totals: draft.hide_totals,
        })
    }

    /// Stores the poll of a new status and schedules its end, in the status's transaction.
    pub(crate) async fn insert_poll(
        &self,
        tx: &mut Tx,
        status_id: i64,
        author_id: i64,
        poll: CheckedPoll,
        now: i64,
    ) -> Result<()> {
        let id = tx.next_id();
        let expires_at = now + poll.expires_in_millis;
        tx.insert_poll(&woolly_store::NewPoll {
            id,
            status_id,
            account_id: author_id,
            multiple: poll.multiple,
            hide_totals: poll.hide_totals,
            expires_at,
            created_at: now,
            options: poll.options,
        })
        .await?;
        tx.enqueue_job(&new_job(
            POLL_EXPIRE_KIND,
            &PollExpiry { poll_id: id },
            expires_at,
            DEFAULT_MAX_ATTEMPTS,
        )?)
        .await?;
        Ok(())
    }

    /// Closes a poll whose time has come and notifies its author and local voters (`poll`).
    /// Safe to run twice: a closed (or deleted) poll is left alone. A poll not yet due (a
    /// clock running ahead elsewhere) gets a new job at its end.
    async fn close_poll(&self, poll_id: i64) -> Result<()> {
        let now = crate::now_millis();
        let mut tx = self.db().begin().await?;
        let Some(poll) = tx.poll_for_update(poll_id).await? else {
            // Deleted with its status.
            return Ok(());
        };
        if poll.closed_at.is_some() {
            return Ok(());
        }
        if poll.expires_at > now {
            tx.enqueue_job(&new_job(
                POLL_EXPIRE_KIND,
                &PollExpiry { poll_id },
                poll.expires_at,
                DEFAULT_MAX_ATTEMPTS,
            )?)
            .await?;
            tx.commit().await?;
            return Ok(());
        }
        if !tx.close_poll(poll_id, now).await? {
            return Ok(());
        }
        let mut events = Vec::new();
        if let Some(notification_id) = tx
            .insert_poll_author_notification(poll.account_id, poll.status_id, now)
            .await?
        {
            events.push(Event::Notification {
                account_id: poll.account_id,
                notification_id,
            });
        }
        for voter in tx.local_poll_voters(poll_id).await? {
            if let Some(notification_id) = crate::notification_policy::notify(
                &mut tx,
                voter,
                poll.account_id,
                "poll",
                Some(poll.status_id),
                now,
            )
            .await?
            {
                events.push(Event::Notification {
                    account_id: voter,
                    notification_id,
                });
            }
        }
        tx.commit().await?;
        self.publish(events);
        Ok(())
    }
}

impl Statuses<'_> {
    /// A poll, if `viewer` may see the status it belongs to.
    pub async fn poll(&self, viewer: Option<i64>, poll_id: i64) -> Result<Poll> {
        let status_id = self
            .db()
            .poll_status(poll_id)
            .await?
            .ok_or(CoreError::NotFound)?;
        self.view(viewer, status_id)
            .await?
            .poll
            .ok_or(CoreError::NotFound)
    }

    /// Votes in a poll the voter can see: `choices` are option indexes, one unless the poll is
    /// multiple-choice. Nothing is recorded unless every check passes.
    pub async fn vote_in_poll(
        &self,
        voter: &Account,
        poll_id: i64,
        choices: &[i64],
    ) -> Result<Poll> {
        let poll = self.poll(Some(voter.id), poll_id).await?;
        let now = crate::now_millis();
        if poll.is_expired_at(now) {
            return Err(invalid("The poll has already ended"));
        }
        if poll.account_id == voter.id {
            return Err(invalid("You cannot vote in your own polls"));
        }
        let option_count = i64::try_from(poll.options.len()).unwrap_or(i64::MAX);
        if choices.is_empty()
            || choices
                .iter()
                .any(|choice| !(0..option_count).contains(choice))
        {
            return Err(invalid("The chosen vote option does not exist"));
        }
        if !poll.multiple && choices.len() > 1 {
            return Err(invalid("This poll allows only one choice"));
        }
        let repeats_a_choice = choices
            .iter()
            .enumerate()
            .any(|(index, choice)| choices[..index].contains(choice));
        if repeats_a_choice || poll.viewer.as_ref().is_some_and(|state| state.voted) {
            return Err(invalid("You have already voted on this poll"));
        }

        let mut tx = self.db().begin().await?;
        // Checked again on the locked row: the poll may have ended, or another request of the
        // same voter may have won the race, since the checks above.
        let row = tx
            .poll_for_update(poll.id)
            .await?
            .ok_or(CoreError::NotFound)?;
        if row.expires_at <= now {
            return Err(invalid("The poll has already ended"));
        }
        if tx.has_voted(poll.id, voter.id).await? {
            return Err(invalid("You have already voted on this poll"));
        }
        tx.insert_poll_votes(poll.id, voter.id, choices, now)
            .await?;
        let poll_status = tx
            .status_for_update(row.status_id)
            .await?
            .ok_or(CoreError::NotFound)?;
        if voter.is_local() && !poll_status.is_local {
            for choice in choices {
                let outbound = crate::outbox::Outbound::Vote {
                    account_id: voter.id,
                    status_id: poll_status.id,
                    choice: *choice,
                };
                crate::outbox::enqueue(&mut tx, &outbound, now).await?;
            }
        }
        tx.commit().await?;
        self.wake_workers();
        self.poll(Some(voter.id), poll_id).await
    }

    /// Ends a running poll now, ahead of its time: an operator's action (Mastodon offers
    /// authors none). Its end is then handled as any other, by a `poll.expire` job due at
    /// once; the job scheduled at creation later finds the poll closed and does nothing.
    /// Returns false when the poll had ended already.
    pub async fn end_poll(&self, poll_id: i64) -> Result<bool> {
        self.db()
            .poll_status(poll_id)
            .await?
            .ok_or(CoreError::NotFound)?;
        let now = crate::now_millis();
        let mut tx = self.db().begin().await?;
        if !tx.end_poll_now(poll_id, now).await? {
            tx.rollback().await?;
            return Ok(false);
        }
        tx.enqueue_job(&new_job(
            POLL_EXPIRE_KIND,
            &PollExpiry { poll_id },
            now,
            DEFAULT_MAX_ATTEMPTS,
        )?)
        .await?;
        tx.commit().await?;
        self.wake_workers();
        Ok(true)
    }
}

/// Ends a poll: see [`crate::areas::Statuses::end_poll`] and the module documentation.
pub struct PollExpiryJob;

impl JobHandler for PollExpiryJob {
    fn kind(&self) -> &'static str {
        POLL_EXPIRE_KIND
    }

    fn run<'a>(&'a self, woolly: &'a Woolly, job: &'a Job) -> JobFuture<'a> {
        Box::pin(async move {
            let PollExpiry { poll_id } = job.payload()?;
            woolly.close_poll(poll_id).await?;
            Ok(())
        })
    }
}
