//! Scheduled statuses (`methods/scheduled_statuses.md`): a post written now and published
//! later by the `status.publish_scheduled` job, through the same checks and the same writes as
//! posting at once ([`Woolly::prepare_post`], [`Woolly::write_post`]).
//!
//! The rules are Mastodon's (`ScheduledStatus`, `PostStatusService`,
//! `PublishScheduledStatusWorker`): the post is checked when it is scheduled, its time must be
//! more than five minutes away, an account has at most 300 scheduled statuses and 25 on one
//! (UTC) day, and its uploads are reserved for it. Parameters the author left out (visibility,
//! sensitivity) take the author's preferences at publication. A post that can no longer be
//! published then (its reply target is gone, its author is gone, it no longer passes the
//! checks) is dropped without a trace, as Mastodon drops it.
//!
//! Where Woolly differs: reserved uploads cannot be attached to another status meanwhile
//! (Mastodon lets them be taken, and the scheduled post then loses them); rescheduling does not
//! count the status being moved against the limits (Mastodon counts it, so that an account at
//! 300 cannot reschedule at all); a post whose application was deleted is published without
//! one (Mastodon drops it). Publication is safe to run twice: the row is deleted in the
//! transaction that writes the status, and a second run finds nothing.

use serde::{Deserialize, Serialize};
use time::format_description::well_known::{Iso8601, Rfc3339};
use time::{Date, OffsetDateTime, PrimitiveDateTime};
use woolly_store::{Page, ScheduledStatusRow, StoreError};

use crate::accounts::{Account, LocalUser};
use crate::areas::Statuses;
use crate::error::{CoreError, Result};
use crate::jobs::{DEFAULT_MAX_ATTEMPTS, Job, JobFuture, JobHandler, new_job};
use crate::media::Media;
use crate::polls::PollDraft;
use crate::state::Woolly;
use crate::statuses::{NewPost, invalid_media};
use crate::visibility::Visibility;

/// How far ahead a status must be scheduled (Mastodon's `ScheduledStatus::MINIMUM_OFFSET`).
pub const MINIMUM_OFFSET_MILLIS: i64 = 5 * 60 * 1000;
/// The most statuses one account may have scheduled (`ScheduledStatus::TOTAL_LIMIT`).
pub const TOTAL_LIMIT: i64 = 300;
/// The most statuses one account may have scheduled on one UTC day (`DAILY_LIMIT`).
pub const DAILY_LIMIT: i64 = 25;
/// The job that publishes a scheduled status at its time.
pub const PUBLISH_SCHEDULED_KIND: &str = "status.publish_scheduled";

const DAY_MILLIS: i64 = 24 * 60 * 60 * 1000;
/// How long an `Idempotency-Key` is remembered (Mastodon: one hour, as for posting).
const IDEMPOTENCY_WINDOW_MILLIS: i64 = 60 * 60 * 1000;

/// What a scheduled status will post: the parameters of `POST /api/v1/statuses` as they were
/// given, the author's defaults not yet applied.
#[derive(Debug, Clone, Default)]
pub struct ScheduledParams {
    pub text: Option<String>,
    pub spoiler_text: Option<String>,
    pub sensitive: Option<bool>,
    pub visibility: Option<Visibility>,
    pub language: Option<String>,
    pub in_reply_to_id: Option<i64>,
    /// Uploads to attach, in order; reserved for the scheduled status meanwhile.
    pub media_ids: Vec<i64>,
    pub poll: Option<PollDraft>,
    /// The application that scheduled it, which the status will name.
    pub application_id: Option<i64>,
}

/// A scheduled status as its author sees it.
#[derive(Debug, Clone)]
pub struct ScheduledStatus {
    pub id: i64,
    pub scheduled_at: i64,
    pub params: ScheduledParams,
    /// The uploads reserved for it, in upload order.
    pub media: Vec<Media>,
}

/// The stored form of [`ScheduledParams`] (the `params` column). Its field names are
/// Mastodon's, so that the column reads like Mastodon's `params` hash.
#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(default)]
struct StoredParams {
    text: Option<String>,
    spoiler_text: Option<String>,
    sensitive: Option<bool>,
    visibility: Option<String>,
    language: Option<String>,
    in_reply_to_id: Option<i64>,
    media_ids: Vec<i64>,
    poll: Option<StoredPoll>,
    application_id: Option<i64>,
}

#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(default)]
struct StoredPoll {
    options: Vec<String>,
    expires_in: Option<i64>,
    multiple: bool,
    hide_totals: bool,
}

impl ScheduledParams {
    fn to_stored(&self) -> Result<String> {
        let stored = StoredParams {
            text: self.text.clone(),
            spoiler_text: self.spoiler_text.clone(),
            sensitive: self.sensitive,
            visibility: self
                .visibility
                .map(|visibility| visibility.as_str().to_owned()),
            language: self.language.clone(),
            in_reply_to_id: self.in_reply_to_id,
            media_ids: self.media_ids.clone(),
            poll: self.poll.as_ref().map(|poll| StoredPoll {
                options: poll.options.clone(),
                expires_in: poll.expires_in,
                multiple: poll.multiple,
                hide_totals: poll.hide_totals,
            }),
            application_id: self.application_id,
        };
        serde_json::to_string(&stored)
            .map_err(|error| CoreError::Internal(format!("scheduled status params: {error}")))
    }

    fn from_stored(text: &str) -> Result<ScheduledParams> {
        let corrupt = |detail: String| {
            CoreError::Store(StoreError::Corrupt(format!(
                "scheduled status params: {detail}"
            )))
        };
        let stored: StoredParams =
            serde_json::from_str(text).map_err(|error| corrupt(error.to_string()))?;
        let visibility = stored
            .visibility
            .as_deref()
            .map(Visibility::parse)
            .transpose()
            .map_err(|error| corrupt(error.to_string()))?;
        Ok(ScheduledParams {
            text: stored.text,
            spoiler_text: stored.spoiler_text,
            sensitive: stored.sensitive,
            visibility,
            language: stored.language,
            in_reply_to_id: stored.in_reply_to_id,
            media_ids: stored.media_ids,
            poll: stored.poll.map(|poll| PollDraft {
                options: poll.options,
                expires_in: poll.expires_in,
                multiple: poll.multiple,
                hide_totals: poll.hide_totals,
            }),
            application_id: stored.application_id,
        })
    }

    /// The post these parameters make for `user` now: what was left out takes the user's
    /// current preferences.
    fn to_post(&self, user: &LocalUser) -> NewPost {
        NewPost {
            text: self.text.clone().unwrap_or_default(),
            spoiler_text: self.spoiler_text.clone().unwrap_or_default(),
            sensitive: self.sensitive.unwrap_or(user.default_sensitive),
            visibility: self.visibility,
            language: self.language.clone(),
            in_reply_to_id: self.in_reply_to_id,
            idempotency_key: None,
            media_ids: self.media_ids.clone(),
            poll: self.poll.clone(),
        }
    }
}

/// The payload of a `status.publish_scheduled` job.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PublishScheduled {
    pub scheduled_status_id: i64,
}

/// Parses a `scheduled_at` as Rails' `to_datetime` reads the forms clients send: RFC 3339 and
/// ISO 8601 date-times (UTC when they carry no offset; a space may stand for the `T`), or a
/// date alone, meaning its midnight UTC. Returns Unix milliseconds.
pub fn parse_datetime(text: &str) -> Option<i64> {
    let text = text.trim();
    let normalized = match text.split_once(' ') {
        Some((date, time)) if !date.contains('T') => format!("{date}T{}", time.trim()),
        _ => text.to_owned(),
    };
    let text = normalized.as_str();
    let at = OffsetDateTime::parse(text, &Rfc3339)
        .or_else(|_| OffsetDateTime::parse(text, &Iso8601::DEFAULT))
        .or_else(|_| PrimitiveDateTime::parse(text, &Iso8601::DEFAULT).map(|at| at.assume_utc()))
        .or_else(|_| Date::parse(text, &Iso8601::DEFAULT).map(|day| day.midnight().assume_utc()))
        .ok()?;
    i64::try_from(at.unix_timestamp_nanos() / 1_000_000).ok()
}

/// Mastodon's answer to a `scheduled_at` it cannot read (`ActiveRecord::RecordInvalid` with
/// no record).
pub fn unreadable_datetime() -> CoreError {
    CoreError::Validation("Record invalid".into())
}

/// Why a time, or the account's scheduled statuses, rule a schedule out, in Mastodon's words
/// and order (`ScheduledStatus` validations); `None` when nothing does.
fn schedule_refusal(
    scheduled_at: i64,
    now: i64,
    total: i64,
    on_that_day: i64,
) -> Option<CoreError> {
    let mut problems = Vec::new();
    if scheduled_at <= now + MINIMUM_OFFSET_MILLIS {
        problems.push("Scheduled at date must be in the future".to_owned());
    }
    if total >= TOTAL_LIMIT {
        problems.push(format!(
            "You have exceeded the limit of {TOTAL_LIMIT} scheduled posts"
        ));
    }
    if on_that_day >= DAILY_LIMIT {
        problems.push(format!(
            "You have exceeded the limit of {DAILY_LIMIT} scheduled posts for today"
        ));
    }
    (!problems.is_empty())
        .then(|| CoreError::Validation(format!("Validation failed: {}", problems.join(", "))))
}

/// The UTC day around a moment, as `[start, end)` in Unix milliseconds.
fn day_of(at: i64) -> (i64, i64) {
    let start = at - at.rem_euclid(DAY_MILLIS);
    (start, start + DAY_MILLIS)
}

fn publish_job(scheduled_status_id: i64, run_at: i64) -> Result<woolly_store::NewJob> {
    new_job(
        PUBLISH_SCHEDULED_KIND,
        &PublishScheduled {
            scheduled_status_id,
        },
        run_at,
        DEFAULT_MAX_ATTEMPTS,
    )
}

impl Woolly {
    /// Views of scheduled status rows, in their order, with two queries whatever the count.
    async fn scheduled_views(&self, rows: Vec<ScheduledStatusRow>) -> Result<Vec<ScheduledStatus>> {
        let ids: Vec<i64> = rows.iter().map(|row| row.id).collect();
        let mut reserved = self.db().media_reserved_for(&ids).await?;
        rows.into_iter()
            .map(|row| {
                let (mine, others) = reserved
                    .drain(..)
                    .partition::<Vec<_>, _>(|(owner, _)| *owner == row.id);
                reserved = others;
                Ok(ScheduledStatus {
                    id: row.id,
                    scheduled_at: row.scheduled_at,
                    params: ScheduledParams::from_stored(&row.params)?,
                    media: mine
                        .into_iter()
                        .map(|(_, media)| self.media_from_row(media))
                        .collect(),
                })
            })
            .collect()
    }

    /// Sets a scheduled status's time and makes its job due then: the same job moved while
    /// it waits, a new one when it has been claimed already (the old run then finds the status
    /// not due, or gone, and leaves it).
    async fn move_publication(
        &self,
        tx: &mut woolly_store::Tx,
        row: &ScheduledStatusRow,
        scheduled_at: i64,
    ) -> Result<()> {
        let moved = match row.job_id {
            Some(job_id) => tx.reschedule_queued_job(job_id, scheduled_at).await?,
            None => false,
        };
        let job_id = match (moved, row.job_id) {
            (true, Some(job_id)) => job_id,
            _ => tx.enqueue_job(&publish_job(row.id, scheduled_at)?).await?,
        };
        tx.reschedule_status(row.id, scheduled_at, job_id).await?;
        Ok(())
    }

    /// The `status.publish_scheduled` job: posts a due scheduled status as its author, as
    /// `POST /api/v1/statuses` would have, and deletes it in the same transaction.
    async fn publish_scheduled_status(&self, job_id: i64, id: i64) -> Result<()> {
        let Some(row) = self.db().scheduled_status(id).await? else {
            // Published by an earlier run, or cancelled.
            return Ok(());
        };
        if row.scheduled_at > crate::now_millis() {
            if row.job_id == Some(job_id) {
                // Due by the worker's clock, not by this one: wait for the time itself.
                let mut tx = self.db().begin().await?;
                if let Some(current) = tx
                    .own_scheduled_status_for_update(row.account_id, id)
                    .await?
                    .filter(|current| current.job_id == Some(job_id))
                {
                    let job = tx
                        .enqueue_job(&publish_job(id, current.scheduled_at)?)
                        .await?;
                    tx.reschedule_status(id, current.scheduled_at, job).await?;
                }
                tx.commit().await?;
            }
            // Otherwise it was rescheduled and another job publishes it.
            return Ok(());
        }
        let mut params = match ScheduledParams::from_stored(&row.params) {
            Ok(params) => params,
            Err(error) => return self.drop_scheduled_status(id, &error.to_string()).await,
        };
        let (Some(author), Some(user)) = (
            self.accounts().account(row.account_id).await?,
            self.accounts().local_user(row.account_id).await?,
        ) else {
            return self.drop_scheduled_status(id, "its author is gone").await;
        };
        if let Some(app_id) = params.application_id
            && self.db().app_by_id(app_id).await?.is_none()
        {
            params.application_id = None;
        }
        let prepared = match self
            .prepare_post(&author, &user, params.to_post(&user))
            .await
        {
            Ok(prepared) => prepared,
            Err(
                error @ (CoreError::Validation(_) | CoreError::NotFound | CoreError::Forbidden(_)),
            ) => {
                return self.drop_scheduled_status(id, &error.to_string()).await;
            }
            Err(error) => return Err(error),
        };
        let now = crate::now_millis();
        let mut tx = self.db().begin().await?;
        if tx.claim_scheduled_status(id, now).await?.is_none() {
            // Published by a concurrent run, cancelled, or moved later (its new job publishes
            // it) since it was read above.
            tx.rollback().await?;
            return Ok(());
        }
        let written = self
            .write_post(
                &mut tx,
                &author,
                params.application_id,
                prepared,
                now,
                Some(id),
            )
            .await;
        let (status_id, events) = match written {
            Ok(written) => written,
            Err(error @ CoreError::Validation(_)) => {
                tx.rollback().await?;
                return self.drop_scheduled_status(id, &error.to_string()).await;
            }
            Err(error) => return Err(error),
        };
        tx.commit().await?;
        self.wake_workers();
        self.publish(events);
        tracing::info!(
            scheduled_status_id = id,
            status_id,
            "published a scheduled status"
        );
        Ok(())
    }

    /// Drops a scheduled status that can no longer be published, releasing its uploads.
    async fn drop_scheduled_status(&self, id: i64, reason: &str) -> Result<()> {
        tracing::info!(
            scheduled_status_id = id,
            reason,
            "dropped a scheduled status"
        );
        let mut tx = self.db().begin().await?;
        tx.delete_scheduled_status(id, None).await?;
        tx.commit().await?;
        Ok(())
    }
}

impl Statuses<'_> {
    /// Schedules a post for `scheduled_at` (Unix milliseconds). The post is checked now as
    /// posting it would be; its uploads are reserved for it. With an `Idempotency-Key` seen in
    /// the last hour, returns the scheduled status that key created (not found when it has
    /// been published or cancelled since), as Mastodon does.
    pub async fn schedule_status(
        &self,
        author: &Account,
        user: &LocalUser,
        scheduled_at: i64,
        params: ScheduledParams,
        idempotency_key: Option<String>,
    ) -> Result<ScheduledStatus> {
        // Checked for its effect only: the post is written at publication, checked again then.
        self.prepare_post(author, user, params.to_post(user))
            .await?;
        let stored = params.to_stored()?;
        let now = crate::now_millis();
        let since = now - IDEMPOTENCY_WINDOW_MILLIS;
        let mut tx = self.db().begin().await?;
        tx.lock_account_scheduling(author.id).await?;
        if let Some(key) = &idempotency_key
            && let Some(existing) = tx.scheduled_idempotency_key(author.id, key, since).await?
        {
            tx.rollback().await?;
            return self.scheduled_status(author.id, existing).await;
        }
        let (day_start, day_end) = day_of(scheduled_at);
        let (total, on_that_day) = tx
            .count_scheduled_statuses(author.id, day_start, day_end, None)
            .await?;
        if let Some(refusal) = schedule_refusal(scheduled_at, now, total, on_that_day) {
            return Err(refusal);
        }
        let id = tx.next_id();
        let job_id = tx.enqueue_job(&publish_job(id, scheduled_at)?).await?;
        tx.insert_scheduled_status(&ScheduledStatusRow {
            id,
            account_id: author.id,
            scheduled_at,
            params: stored,
            job_id: Some(job_id),
            created_at: now,
        })
        .await?;
        let reserved = tx.reserve_media(id, author.id, &params.media_ids).await?;
        if usize::try_from(reserved).ok() != Some(params.media_ids.len()) {
            return Err(invalid_media());
        }
        if let Some(key) = &idempotency_key
            && !tx
                .remember_scheduled_idempotency_key(author.id, key, id, now, since)
                .await?
        {
            // A concurrent request with the same key committed first: answer with its status.
            tx.rollback().await?;
            let mut tx = self.db().begin().await?;
            let existing = tx.scheduled_idempotency_key(author.id, key, since).await?;
            tx.rollback().await?;
            return self
                .scheduled_status(author.id, existing.ok_or(CoreError::NotFound)?)
                .await;
        }
        tx.commit().await?;
        self.wake_workers();
        self.scheduled_status(author.id, id).await
    }

    /// A page of the account's scheduled statuses, newest first by id (as Mastodon pages them).
    pub async fn scheduled_statuses(
        &self,
        account_id: i64,
        page: Page,
    ) -> Result<Vec<ScheduledStatus>> {
        let rows = self.db().scheduled_statuses(account_id, page).await?;
        self.scheduled_views(rows).await
    }

    /// One of the account's scheduled statuses; another account's is not found.
    pub async fn scheduled_status(&self, account_id: i64, id: i64) -> Result<ScheduledStatus> {
        let row = self
            .db()
            .scheduled_status(id)
            .await?
            .filter(|row| row.account_id == account_id)
            .ok_or(CoreError::NotFound)?;
        self.scheduled_views(vec![row])
            .await?
            .into_iter()
            .next()
            .ok_or(CoreError::NotFound)
    }

    /// Moves one of the actor's scheduled statuses to `scheduled_at`, under the same rules as
    /// scheduling it (the status itself not counted against the limits), and its job with it.
    pub async fn reschedule_status(
        &self,
        actor: &Account,
        id: i64,
        scheduled_at: i64,
    ) -> Result<ScheduledStatus> {
        let now = crate::now_millis();
        let mut tx = self.db().begin().await?;
        tx.lock_account_scheduling(actor.id).await?;
        let row = tx
            .own_scheduled_status_for_update(actor.id, id)
            .await?
            .ok_or(CoreError::NotFound)?;
        let (day_start, day_end) = day_of(scheduled_at);
        let (total, on_that_day) = tx
            .count_scheduled_statuses(actor.id, day_start, day_end, Some(id))
            .await?;
        if let Some(refusal) = schedule_refusal(scheduled_at, now, total, on_that_day) {
            return Err(refusal);
        }
        self.move_publication(&mut tx, &row, scheduled_at).await?;
        tx.commit().await?;
        self.wake_workers();
        self.scheduled_status(actor.id, id).await
    }

    /// Cancels one of the actor's scheduled statuses: it is deleted, its uploads are released
    /// for other posts, and its waiting job is dropped.
    pub async fn cancel_scheduled_status(&self, actor: &Account, id: i64) -> Result<()> {
        let mut tx = self.db().begin().await?;
        let row = tx
            .own_scheduled_status_for_update(actor.id, id)
            .await?
            .ok_or(CoreError::NotFound)?;
        tx.delete_scheduled_status(id, Some(actor.id)).await?;
        if let Some(job_id) = row.job_id {
            tx.cancel_queued_job(job_id).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Publishes a scheduled status now, ahead of its time: an operator's action (Mastodon
    /// offers authors none), and the way tests run the publication. Its time is moved to now
    /// and its job with it, so the status is published by the job queue as at its time.
    /// Returns false when there is no such scheduled status (published, or cancelled).
    pub async fn publish_scheduled_status_now(&self, id: i64) -> Result<bool> {
        let Some(found) = self.db().scheduled_status(id).await? else {
            return Ok(false);
        };
        let now = crate::now_millis();
        let mut tx = self.db().begin().await?;
        let Some(row) = tx
            .own_scheduled_status_for_update(found.account_id, id)
            .await?
        else {
            tx.rollback().await?;
            return Ok(false);
        };
        self.move_publication(&mut tx, &row, now).await?;
        tx.commit().await?;
        self.wake_workers();
        Ok(true)
    }
}

/// Publishes a scheduled status at its time: see [`crate::areas::Statuses::schedule_status`] and the module
/// documentation.
pub struct PublishScheduledJob;

impl JobHandler for PublishScheduledJob {
    fn kind(&self) -> &'static str {
        PUBLISH_SCHEDULED_KIND
    }

    fn run<'a>(&'a self, woolly: &'a Woolly, job: &'a Job) -> JobFuture<'a> {
        Box::pin(async move {
            let PublishScheduled {
                scheduled_status_id,
            } = job.payload()?;
            woolly
                .publish_scheduled_status(job.id, scheduled_status_id)
                .await?;
            Ok(())
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn datetimes_are_read_in_the_forms_clients_send() {
        let noon = 1_664_452_800_000; // 2022-09-29T12:00:00Z
        for text in [
            "2022-09-29T12:00:00Z",
            "2022-09-29T12:00:00.000Z",
            "2022-09-29T14:00:00+02:00",
            "2022-09-29T12:00:00",
            "2022-09-29 12:00:00",
            " 2022-09-29T12:00:00Z ",
        ] {
            assert_eq!(parse_datetime(text), Some(noon), "{text}");
        }
        assert_eq!(parse_datetime("2022-09-29"), Some(noon - 12 * 3600 * 1000));
        assert_eq!(parse_datetime("2022-09-29T12:00:00.250Z"), Some(noon + 250));
        for text in ["", "tomorrow", "2022-13-01T00:00:00Z", "12345"] {
            assert_eq!(parse_datetime(text), None, "{text}");
        }
    }

    #[test]
    fn refusals_name_every_broken_rule_in_mastodon_words() {
        let now = 1_000_000_000;
        assert!(schedule_refusal(now + MINIMUM_OFFSET_MILLIS + 1, now, 299, 24).is_none());
        let message = |refusal: Option<CoreError>| refusal.map(|error| error.to_string());
        assert_eq!(
            message(schedule_refusal(now + MINIMUM_OFFSET_MILLIS, now, 0, 0)),
            Some("Validation failed: Scheduled at date must be in the future".into())
        );
        assert_eq!(
            message(schedule_refusal(now, now, 300, 25)),
            Some(
                "Validation failed: Scheduled at date must be in the future, You have exceeded \
                 the limit of 300 scheduled posts, You have exceeded the limit of 25 scheduled \
                 posts for today"
                    .into()
            )
        );
    }

    #[test]
    fn days_are_utc_days() {
        let noon = 1_664_452_800_000;
        assert_eq!(
            day_of(noon),
            (noon - 12 * 3600 * 1000, noon + 12 * 3600 * 1000)
        );
        assert_eq!(day_of(noon - 12 * 3600 * 1000).0, noon - 12 * 3600 * 1000);
    }
}
