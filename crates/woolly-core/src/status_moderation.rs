//! Moderators' actions on the posts a report names, as Mastodon's status batch actions take
//! them from a report's page: remove them, or mark their media sensitive. Either comes with a
//! warning (strike) naming the posts, resolves the report and tells its reporters, and is
//! written in the audit log, all in one transaction.
//!
//! Removal runs by jobs (one per post, queued in that transaction), each deleting the post as
//! its author would: a local post's `Delete` goes to the servers that had it; a remote post is
//! remembered as deleted so that it is not fetched back. Marking sensitive changes the posts
//! at once and sends an `Update` of each local one.
//!
//! Approving an appeal of a warning that marked posts sensitive unmarks them; posts removed
//! are gone for good here (Mastodon keeps them soft-deleted and can bring them back), so
//! approving such an appeal overrules the warning only.

use serde::{Deserialize, Serialize};
use woolly_store::AccountWarningRow;

use crate::account_moderation::{Moderator, Target, WarningAction, check_outranks, log_action};
use crate::accounts::permission;
use crate::areas::Moderation;
use crate::error::{CoreError, Result};
use crate::jobs::{DEFAULT_MAX_ATTEMPTS, Job, JobFuture, JobHandler, new_job};
use crate::state::Woolly;

/// What a moderator does to reported posts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatusAction {
    Remove,
    MarkSensitive,
}

impl StatusAction {
    /// The action a form or address names (`remove`, `mark_sensitive`).
    pub fn parse(name: &str) -> Option<StatusAction> {
        match name {
            "remove" => Some(StatusAction::Remove),
            "mark_sensitive" => Some(StatusAction::MarkSensitive),
            _ => None,
        }
    }

    fn warning(self) -> WarningAction {
        match self {
            StatusAction::Remove => WarningAction::DeleteStatuses,
            StatusAction::MarkSensitive => WarningAction::MarkStatusesAsSensitive,
        }
    }
}

/// The job kind that removes one post a moderator took down.
pub const REMOVE_STATUS_KIND: &str = "moderation.remove_status";

/// What a [`REMOVE_STATUS_KIND`] job removes.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RemoveStatus {
    pub status_id: i64,
    pub account_id: i64,
}

impl Moderation<'_> {
    /// Takes `action` on the posts `status_ids` of the report `report_id` (all of them must be
    /// among the posts it names), with a warning saying `text` to their author, told when
    /// `notify`; returns how many posts it acted on.
    pub async fn act_on_reported_statuses(
        &self,
        by: Moderator<'_>,
        report_id: i64,
        status_ids: &[i64],
        action: StatusAction,
        text: &str,
        notify: bool,
    ) -> Result<usize> {
        by.require(permission::MANAGE_REPORTS)?;
        let report = self
            .db()
            .report(report_id)
            .await?
            .ok_or(CoreError::NotFound)?;
        let target = self.target_for(by, report.target_account_id).await?;
        check_outranks(by, &target)?;
        let reported: Vec<i64> = serde_json::from_str(&report.status_ids).unwrap_or_default();
        let mut chosen = status_ids.to_vec();
        chosen.sort_unstable();
        chosen.dedup();
        if chosen.is_empty() {
            return Err(CoreError::Validation(
                "Validation failed: No post was chosen".into(),
            ));
        }
        if chosen.iter().any(|id| !reported.contains(id)) {
            return Err(CoreError::Validation(
                "Validation failed: A chosen post is not part of the report".into(),
            ));
        }
        // Those still here (a post its author deleted since is not acted on).
        let present: Vec<i64> = self
            .db()
            .statuses_by_ids(&chosen)
            .await?
            .into_iter()
            .filter(|row| row.account_id == target.account.id)
            .map(|row| row.id)
            .collect();
        let now = crate::now_millis();
        let mut tx = self.db().begin().await?;
        let acted = match action {
            StatusAction::Remove => {
                for &status_id in &present {
                    let removal = RemoveStatus {
                        status_id,
                        account_id: target.account.id,
                    };
                    let job = new_job(REMOVE_STATUS_KIND, &removal, now, DEFAULT_MAX_ATTEMPTS)?;
                    tx.enqueue_job(&job).await?;
                    let logged = Target::Status(status_id, &target.account);
                    log_action(&mut tx, by, "destroy", logged, now).await?;
                }
                present
            }
            StatusAction::MarkSensitive => {
                let changed = tx
                    .set_statuses_sensitive(target.account.id, &present, true)
                    .await?;
                for &status_id in &changed {
                    if target.account.is_local() {
                        let update = crate::outbox::Outbound::Update { status_id };
                        crate::outbox::enqueue(&mut tx, &update, now).await?;
                    }
                    let logged = Target::Status(status_id, &target.account);
                    log_action(&mut tx, by, "update", logged, now).await?;
                }
                changed
            }
        };
        if acted.is_empty() {
            return Err(CoreError::Validation(match action {
                StatusAction::Remove => "Validation failed: These posts are already gone".into(),
                StatusAction::MarkSensitive => {
                    "Validation failed: None of these posts has media left to mark".into()
                }
            }));
        }
        let warning = AccountWarningRow {
            id: tx.next_id(),
            account_id: target.account.id,
            moderator_account_id: by.account_id(),
            action: action.warning().as_str().to_owned(),
            text: text.trim().to_owned(),
            report_id: Some(report_id),
            status_ids: serde_json::to_string(&acted)
                .map_err(|error| CoreError::Internal(error.to_string()))?,
            created_at: now,
            overruled_at: None,
        };
        tx.insert_account_warning(&warning).await?;
        let change = woolly_store::ReportChange::Resolve(by.account_id());
        if tx.change_report(report_id, change, now).await? {
            self.tell_reporters(&mut tx, &[report_id]).await?;
            log_action(&mut tx, by, "resolve", Target::Report(report_id), now).await?;
        }
        self.commit_warning(tx, &target, (action.warning(), &warning), notify, now)
            .await?;
        tracing::info!(
            report = report_id,
            moderator = %by,
            action = action.warning().as_str(),
            posts = acted.len(),
            "reported posts acted on"
        );
        Ok(acted.len())
    }
}

impl Woolly {
    /// Removes a post a moderator took down, as its author would delete it; one already gone
    /// is done.
    async fn remove_status(&self, removal: RemoveStatus) -> Result<()> {
        let Some(row) = self
            .db()
            .account_including_suspended(removal.account_id)
            .await?
        else {
            return Ok(());
        };
        let author = crate::accounts::Account::from(row);
        let uri = self
            .db()
            .statuses_by_ids(&[removal.status_id])
            .await?
            .pop()
            .filter(|status| status.account_id == author.id)
            .map(|status| status.uri);
        let Some(uri) = uri else {
            return Ok(());
        };
        if !author.is_local() {
            // Its server may send it again: what arrives under this id is dropped.
            self.federation().mark_deleted_before_arrival(&uri).await?;
        }
        match self.statuses().delete(&author, removal.status_id).await {
            Ok(_) | Err(CoreError::NotFound) => Ok(()),
            Err(error) => Err(error),
        }
    }
}

/// Runs `moderation.remove_status` jobs.
pub struct RemoveStatusJob;

impl JobHandler for RemoveStatusJob {
    fn kind(&self) -> &'static str {
        REMOVE_STATUS_KIND
    }

    fn run<'a>(&'a self, woolly: &'a Woolly, job: &'a Job) -> JobFuture<'a> {
        Box::pin(async move {
            woolly.remove_status(job.payload()?).await?;
            Ok(())
        })
    }
}
