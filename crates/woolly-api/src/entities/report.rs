//! `Report` (`entities/Report.md`), what the reporter gets back, and for moderators
//! `Admin::Report` (`entities/Admin_Report.md`) with `Admin::Account` (`entities/Admin_Account.md`).

use std::collections::HashMap;

use serde::Serialize;
use serde_json::Value;
use woolly_core::InstanceConfig;
use woolly_core::accounts::{Account, LocalUser};
use woolly_core::reports::Report;
use woolly_core::statuses::StatusView;

use super::{AccountEntity, RuleEntity, StatusEntity, iso8601};
use crate::entities::account::RoleEntity;

#[derive(Debug, Clone, Serialize)]
pub struct ReportEntity {
    pub id: String,
    pub action_taken: bool,
    pub action_taken_at: Option<String>,
    /// `spam`, `legal`, `violation` or `other`.
    pub category: &'static str,
    pub comment: String,
    pub forwarded: bool,
    pub created_at: String,
    pub status_ids: Option<Vec<String>>,
    pub rule_ids: Option<Vec<String>>,
    pub target_account: AccountEntity,
}

fn strings(ids: &[i64]) -> Option<Vec<String>> {
    (!ids.is_empty()).then(|| ids.iter().map(i64::to_string).collect())
}

impl ReportEntity {
    pub fn new(report: &Report, config: &InstanceConfig) -> ReportEntity {
        ReportEntity {
            id: report.id.to_string(),
            action_taken: report.action_taken_at.is_some(),
            action_taken_at: report.action_taken_at.map(iso8601),
            category: report.category.as_str(),
            comment: report.comment.clone(),
            forwarded: report.forwarded,
            created_at: iso8601(report.created_at),
            status_ids: strings(&report.status_ids),
            rule_ids: strings(&report.rule_ids),
            target_account: AccountEntity::new(&report.target, None, config),
        }
    }
}

/// An account as moderators see it: with the local user's address, language, state and role
/// (`null` or absent for accounts of other servers, as Mastodon's serializer leaves them).
#[derive(Debug, Clone, Serialize)]
pub struct AdminAccountEntity {
    pub id: String,
    pub username: String,
    pub domain: Option<String>,
    pub created_at: String,
    pub email: Option<String>,
    /// Woolly keeps the last address of each session, not of the account.
    pub ip: Option<String>,
    pub ips: Vec<Value>,
    pub locale: Option<String>,
    pub invite_request: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub role: Option<RoleEntity>,
    pub confirmed: bool,
    pub approved: bool,
    pub disabled: bool,
    pub silenced: bool,
    pub sensitized: bool,
    pub suspended: bool,
    pub account: AccountEntity,
}

impl AdminAccountEntity {
    pub fn new(
        account: &Account,
        user: Option<&LocalUser>,
        config: &InstanceConfig,
    ) -> AdminAccountEntity {
        AdminAccountEntity {
            id: account.id.to_string(),
            username: account.username.clone(),
            domain: account.domain.clone(),
            created_at: iso8601(account.created_at),
            email: user.map(|user| user.email.clone()),
            ip: None,
            ips: Vec::new(),
            locale: user.map(|user| user.locale.clone()),
            invite_request: user.and_then(|user| user.sign_up_reason.clone()),
            role: user.map(|user| RoleEntity::new(user.role)),
            // A remote account counts as confirmed and approved, as in Mastodon.
            confirmed: user.is_none_or(|user| user.confirmed),
            approved: user.is_none_or(|user| user.approved),
            disabled: user.is_some_and(|user| user.disabled),
            silenced: account.limits.silenced_at.is_some(),
            sensitized: account.limits.sensitized_at.is_some(),
            suspended: account.limits.suspended_at.is_some(),
            account: AccountEntity::new(account, user.map(|user| user.role), config),
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct AdminReportEntity {
    pub id: String,
    pub action_taken: bool,
    pub action_taken_at: Option<String>,
    pub category: &'static str,
    pub comment: String,
    pub forwarded: bool,
    pub created_at: String,
    pub updated_at: String,
    pub account: AdminAccountEntity,
    pub target_account: AdminAccountEntity,
    pub assigned_account: Option<AdminAccountEntity>,
    pub action_taken_by_account: Option<AdminAccountEntity>,
    pub statuses: Vec<StatusEntity>,
    pub rules: Vec<RuleEntity>,
}

/// What an `Admin::Report` needs besides the report: the local users behind its accounts, the
/// statuses it attaches as the moderator may see them, and the server's rules.
pub struct ReportContext<'a> {
    pub users: &'a HashMap<i64, LocalUser>,
    pub statuses: &'a HashMap<i64, StatusView>,
    pub moderator: i64,
    pub rules: &'a [RuleEntity],
    pub config: &'a InstanceConfig,
}

impl AdminReportEntity {
    pub fn new(report: &Report, context: &ReportContext<'_>) -> AdminReportEntity {
        let admin_account = |account: &Account| {
            AdminAccountEntity::new(account, context.users.get(&account.id), context.config)
        };
        AdminReportEntity {
            id: report.id.to_string(),
            action_taken: report.action_taken_at.is_some(),
            action_taken_at: report.action_taken_at.map(iso8601),
            category: report.category.as_str(),
            comment: report.comment.clone(),
            forwarded: report.forwarded,
            created_at: iso8601(report.created_at),
            updated_at: iso8601(report.updated_at),
            account: admin_account(&report.reporter),
            target_account: admin_account(&report.target),
            assigned_account: report.assigned.as_ref().map(admin_account),
            action_taken_by_account: report.action_taken_by.as_ref().map(admin_account),
            statuses: report
                .status_ids
                .iter()
                .filter_map(|id| context.statuses.get(id))
                .map(|view| StatusEntity::new(view, Some(context.moderator), context.config))
                .collect(),
            rules: context
                .rules
                .iter()
                .filter(|rule| report.rule_ids.iter().any(|id| id.to_string() == rule.id))
                .cloned()
                .collect(),
        }
    }
}
