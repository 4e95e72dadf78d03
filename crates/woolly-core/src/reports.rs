//! Reports: a user asks this server's moderators to look at an account and some of its posts
//! (`POST /api/v1/reports`), with a category, the rules it breaks and a comment; moderators
//! (roles with Mastodon's `manage_reports` permission) list them, take one on, resolve it and
//! reopen it (`/api/v1/admin/reports`).

use std::collections::HashMap;

use woolly_store::{Page, ReportChange, ReportFilter, ReportRow};

use crate::account_moderation::{Moderator, Target, log_action};
use crate::accounts::{Account, permission};
use crate::areas::Moderation;
use crate::error::{CoreError, Result};
use crate::mail::Message;
use crate::outbox::Outbound;

/// Mastodon's `Report::COMMENT_SIZE_LIMIT`.
const MAX_COMMENT: usize = 1000;
/// How many statuses one report may attach (Mastodon takes any number; a bound keeps a report
/// from being a way to make the server read thousands of rows).
const MAX_STATUSES: usize = 100;

/// Why something was reported (Mastodon's `Report.category`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReportCategory {
    Spam,
    Legal,
    Violation,
    Other,
}

impl ReportCategory {
    pub fn as_str(self) -> &'static str {
        match self {
            ReportCategory::Spam => "spam",
            ReportCategory::Legal => "legal",
            ReportCategory::Violation => "violation",
            ReportCategory::Other => "other",
        }
    }

    pub fn parse(text: &str) -> Result<ReportCategory> {
        [
            ReportCategory::Spam,
            ReportCategory::Legal,
            ReportCategory::Violation,
            ReportCategory::Other,
        ]
        .into_iter()
        .find(|category| category.as_str() == text)
        .ok_or_else(|| {
            CoreError::Validation(format!(
                "Validation failed: Category {text:?} is not one of spam, legal, violation or other"
            ))
        })
    }
}

/// A report as a user files it.
#[derive(Debug, Clone, Default)]
pub struct NewReport {
    pub target_account_id: i64,
    pub status_ids: Vec<i64>,
    pub comment: String,
    /// `None`: `violation` when rules are named, else `other`.
    pub category: Option<ReportCategory>,
    /// Ids of the server's rules (`/api/v1/instance/rules`), from 1.
    pub rule_ids: Vec<i64>,
    /// Whether to send it on to the reported account's server too.
    pub forward: bool,
}

/// A report, with the accounts it names.
#[derive(Debug, Clone)]
pub struct Report {
    pub id: i64,
    pub reporter: Account,
    pub target: Account,
    pub status_ids: Vec<i64>,
    pub rule_ids: Vec<i64>,
    pub comment: String,
    pub category: ReportCategory,
    pub forwarded: bool,
    pub assigned: Option<Account>,
    pub action_taken_at: Option<i64>,
    pub action_taken_by: Option<Account>,
    pub created_at: i64,
    pub updated_at: i64,
}

/// A report checked and ready to be written.
struct Filed {
    status_ids: Vec<i64>,
    rule_ids: Vec<i64>,
    comment: String,
    category: ReportCategory,
    /// A Flag's id.
    uri: Option<String>,
    /// Sent on to the target's server too.
    forward: bool,
}

/// What a moderator does with a report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReportAction {
    AssignToSelf,
    Unassign,
    Resolve,
    Reopen,
}

impl ReportAction {
    /// The action an address names (`/reports/:id/assign_to_self`…), as Mastodon's admin API
    /// names them.
    pub fn parse(name: &str) -> Option<ReportAction> {
        match name {
            "assign_to_self" => Some(ReportAction::AssignToSelf),
            "unassign" => Some(ReportAction::Unassign),
            "resolve" => Some(ReportAction::Resolve),
            "reopen" => Some(ReportAction::Reopen),
            _ => None,
        }
    }
}

fn ids_from_json(text: &str) -> Vec<i64> {
    serde_json::from_str(text).unwrap_or_default()
}

impl Moderation<'_> {
    /// Files `reporter`'s report. The target must be an account this server knows, each
    /// status one of the target's that the reporter can see, each rule one of this server's.
    pub async fn report(&self, reporter: &Account, new: NewReport) -> Result<Report> {
        let target = self
            .accounts()
            .account(new.target_account_id)
            .await?
            .ok_or(CoreError::NotFound)?;
        let comment = new.comment.trim().to_owned();
        if comment.chars().count() > MAX_COMMENT {
            return Err(CoreError::Validation(format!(
                "Validation failed: Comment is too long (maximum is {MAX_COMMENT} characters)"
            )));
        }
        if new.status_ids.len() > MAX_STATUSES {
            return Err(CoreError::Validation(format!(
                "Validation failed: A report may attach at most {MAX_STATUSES} posts"
            )));
        }
        let mut status_ids = new.status_ids.clone();
        status_ids.sort_unstable();
        status_ids.dedup();
        for id in &status_ids {
            let status = self.db().visible_status(*id, Some(reporter.id)).await?;
            if status.is_none_or(|status| status.account_id != target.id) {
                return Err(CoreError::NotFound);
            }
        }
        let rules = self.instance().rules().await?;
        let mut rule_ids = new.rule_ids.clone();
        rule_ids.sort_unstable();
        rule_ids.dedup();
        if rule_ids
            .iter()
            .any(|id| !rules.iter().any(|rule| rule.id == *id))
        {
            return Err(CoreError::Validation(
                "Validation failed: Rules are not among this server's rules".into(),
            ));
        }
        // As Mastodon: naming rules makes it a report of their violation.
        let category = if rule_ids.is_empty() {
            new.category.unwrap_or(ReportCategory::Other)
        } else {
            ReportCategory::Violation
        };
        let filed = Filed {
            status_ids,
            rule_ids,
            comment,
            category,
            uri: None,
            // Only another server's account has a server to forward to.
            forward: new.forward && !target.is_local(),
        };
        let row = self.file(reporter, &target, filed).await?;
        let row = row.ok_or(CoreError::NotFound)?;
        let mut reports = self.reports_from_rows(vec![row]).await?;
        reports.pop().ok_or(CoreError::NotFound)
    }

    /// Files a report that another server sent (a `Flag`, with its `uri`) from `reporter`, its
    /// instance actor or one of its users, about the local `target`. Statuses that are not the
    /// target's are left out, as Mastodon leaves them; a report about an account of another
    /// server is not this server's to handle and is ignored, as is a Flag delivered again.
    /// Returns the new report's id.
    pub async fn report_from_elsewhere(
        &self,
        reporter: &Account,
        target: &Account,
        status_ids: Vec<i64>,
        comment: &str,
        uri: &str,
    ) -> Result<Option<i64>> {
        if !target.is_local() {
            return Ok(None);
        }
        // Whatever their visibility: the reporting server had them, so their author sent them.
        let mut kept: Vec<i64> = self
            .db()
            .statuses_by_ids(&status_ids)
            .await?
            .into_iter()
            .filter(|status| status.account_id == target.id)
            .map(|status| status.id)
            .take(MAX_STATUSES)
            .collect();
        kept.sort_unstable();
        kept.dedup();
        let filed = Filed {
            status_ids: kept,
            rule_ids: Vec::new(),
            comment: comment.trim().chars().take(MAX_COMMENT).collect(),
            category: ReportCategory::Other,
            uri: Some(uri.to_owned()),
            forward: false,
        };
        Ok(self.file(reporter, target, filed).await?.map(|row| row.id))
    }

    /// Writes a checked report; `None` when one with its `uri` is already filed.
    async fn file(
        &self,
        reporter: &Account,
        target: &Account,
        filed: Filed,
    ) -> Result<Option<ReportRow>> {
        let now = crate::now_millis();
        let staff = self.staff_with(permission::MANAGE_REPORTS).await?;
        let json = |ids: &[i64]| {
            serde_json::to_string(ids).map_err(|error| CoreError::Internal(error.to_string()))
        };
        let mut tx = self.db().begin().await?;
        let row = ReportRow {
            id: tx.next_id(),
            account_id: reporter.id,
            target_account_id: target.id,
            status_ids: json(&filed.status_ids)?,
            rule_ids: json(&filed.rule_ids)?,
            comment: filed.comment,
            category: filed.category.as_str().to_owned(),
            forwarded: filed.forward,
            uri: filed.uri,
            assigned_account_id: None,
            action_taken_at: None,
            action_taken_by_account_id: None,
            created_at: now,
            updated_at: now,
        };
        if !tx.insert_report(&row).await? {
            return Ok(None);
        }
        // The moderators are told, by a notification and an e-mail (Mastodon's `admin.report`
        // and `AdminMailer#new_report`).
        let recipients: Vec<i64> = staff.iter().map(|found| found.account.id).collect();
        let told = tx
            .insert_staff_notifications(&recipients, "admin.report", reporter.id, Some(row.id), now)
            .await?;
        let link = format!("{}/admin/reports", self.config().urls().base());
        for found in &staff {
            if let Some(user) = &found.user {
                let message = Message::NewReport {
                    target: &target.acct(),
                    link: &link,
                };
                let email = self.message_to(&message, &user.email, &found.account, user);
                self.queue_email(&mut tx, &email).await?;
            }
        }
        if filed.forward {
            let flag = Outbound::Flag {
                report_id: row.id,
                target_id: target.id,
                status_ids: filed.status_ids.clone(),
                comment: row.comment.clone(),
            };
            crate::outbox::enqueue(&mut tx, &flag, now).await?;
        }
        tx.commit().await?;
        self.wake_workers();
        self.publish(told.into_iter().map(|(account_id, notification_id)| {
            crate::events::Event::Notification {
                account_id,
                notification_id,
            }
        }));
        tracing::info!(
            report = row.id,
            reporter = reporter.id,
            target = target.id,
            "report filed"
        );
        Ok(Some(row))
    }

    /// Tells the local reporters of the reports `ids`, just resolved in `tx`, that they were
    /// handled (an e-mail in their language; reports from other servers have nobody here to
    /// tell). The caller commits and wakes the workers.
    pub(crate) async fn tell_reporters(
        &self,
        tx: &mut woolly_store::Tx,
        ids: &[i64],
    ) -> Result<()> {
        for row in self.db().reports_by_id(ids).await? {
            let Some((reporter, user)) = self
                .accounts()
                .local_user_with_account(row.account_id)
                .await?
            else {
                continue;
            };
            let Some(target) = self
                .db()
                .account_including_suspended(row.target_account_id)
                .await?
            else {
                continue;
            };
            let target = Account::from(target).acct();
            let message = Message::ReportResolved { target: &target };
            let email = self.message_to(&message, &user.email, &reporter, &user);
            self.queue_email(tx, &email).await?;
        }
        Ok(())
    }

    /// A page of reports for a moderator, newest first.
    pub async fn reports(
        &self,
        by: Moderator<'_>,
        filter: ReportFilter,
        page: Page,
    ) -> Result<Vec<Report>> {
        by.require(permission::MANAGE_REPORTS)?;
        let rows = self.db().reports_page(filter, page).await?;
        self.reports_from_rows(rows).await
    }

    /// One report, for a moderator.
    pub async fn report_by_id(&self, by: Moderator<'_>, id: i64) -> Result<Report> {
        by.require(permission::MANAGE_REPORTS)?;
        let row = self.db().report(id).await?.ok_or(CoreError::NotFound)?;
        let mut reports = self.reports_from_rows(vec![row]).await?;
        reports.pop().ok_or(CoreError::NotFound)
    }

    /// Takes a report on, lets it go, resolves it or reopens it; returns it as it now is. The
    /// operator at the terminal has no account to take one on with (422).
    pub async fn handle_report(
        &self,
        by: Moderator<'_>,
        id: i64,
        action: ReportAction,
    ) -> Result<Report> {
        by.require(permission::MANAGE_REPORTS)?;
        let change = match action {
            ReportAction::AssignToSelf => match by.account_id() {
                Some(moderator) => ReportChange::Assign(Some(moderator)),
                None => {
                    return Err(CoreError::Validation(
                        "Validation failed: only a moderator's account takes a report on".into(),
                    ));
                }
            },
            ReportAction::Unassign => ReportChange::Assign(None),
            ReportAction::Resolve => ReportChange::Resolve(by.account_id()),
            ReportAction::Reopen => ReportChange::Reopen,
        };
        let now = crate::now_millis();
        let mut tx = self.db().begin().await?;
        let changed = tx.change_report(id, change, now).await?;
        if !changed {
            return Err(CoreError::NotFound);
        }
        // Mastodon's names for these in the audit log.
        let logged = match action {
            ReportAction::AssignToSelf => "assigned_to_self",
            ReportAction::Unassign => "unassigned",
            ReportAction::Resolve => "resolve",
            ReportAction::Reopen => "reopen",
        };
        log_action(&mut tx, by, logged, Target::Report(id), now).await?;
        if action == ReportAction::Resolve {
            self.tell_reporters(&mut tx, &[id]).await?;
        }
        tx.commit().await?;
        self.wake_workers();
        tracing::info!(report = id, moderator = %by, ?action, "report handled");
        self.report_by_id(by, id).await
    }

    /// Reports with their accounts, read at once; a report whose accounts are gone is left out.
    pub(crate) async fn reports_from_rows(&self, rows: Vec<ReportRow>) -> Result<Vec<Report>> {
        let mut ids: Vec<i64> = rows
            .iter()
            .flat_map(|row| {
                [
                    Some(row.account_id),
                    Some(row.target_account_id),
                    row.assigned_account_id,
                    row.action_taken_by_account_id,
                ]
            })
            .flatten()
            .collect();
        ids.sort_unstable();
        ids.dedup();
        // Suspended accounts too: a report stays readable after the action it led to.
        let account_rows = self.db().accounts_including_suspended(&ids).await?;
        let accounts: HashMap<i64, Account> = self
            .accounts_from_rows(account_rows)
            .await?
            .into_iter()
            .map(|account| (account.id, account))
            .collect();
        let find = |id: Option<i64>| id.and_then(|id| accounts.get(&id).cloned());
        Ok(rows
            .into_iter()
            .filter_map(|row| {
                Some(Report {
                    id: row.id,
                    reporter: find(Some(row.account_id))?,
                    target: find(Some(row.target_account_id))?,
                    status_ids: ids_from_json(&row.status_ids),
                    rule_ids: ids_from_json(&row.rule_ids),
                    comment: row.comment,
                    category: ReportCategory::parse(&row.category).unwrap_or(ReportCategory::Other),
                    forwarded: row.forwarded,
                    assigned: find(row.assigned_account_id),
                    action_taken_at: row.action_taken_at,
                    action_taken_by: find(row.action_taken_by_account_id),
                    created_at: row.created_at,
                    updated_at: row.updated_at,
                })
            })
            .collect())
    }
}
