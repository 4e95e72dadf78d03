//! `AccountWarning` (`entities/AccountWarning.md`): a moderator's warning (strike) as its
//! recipient reads it in a `moderation_warning` notification, with `Appeal`
//! (`entities/Appeal.md`).

use serde::Serialize;
use woolly_core::InstanceConfig;
use woolly_core::account_moderation::AccountWarning;

use super::{AccountEntity, iso8601};

#[derive(Debug, Clone, Serialize)]
pub struct AccountWarningEntity {
    pub id: String,
    pub action: &'static str,
    pub text: String,
    /// `null` when it names no status, as Mastodon sends it.
    pub status_ids: Option<Vec<String>>,
    pub target_account: AccountEntity,
    pub appeal: Option<AppealEntity>,
    pub created_at: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct AppealEntity {
    pub text: String,
    /// `approved`, `rejected` or `pending`.
    pub state: &'static str,
}

impl AccountWarningEntity {
    pub fn new(warning: &AccountWarning, config: &InstanceConfig) -> AccountWarningEntity {
        AccountWarningEntity {
            id: warning.id.to_string(),
            action: warning.action.as_str(),
            text: warning.text.clone(),
            status_ids: (!warning.status_ids.is_empty())
                .then(|| warning.status_ids.iter().map(i64::to_string).collect()),
            target_account: AccountEntity::new(&warning.target, None, config),
            appeal: warning.appeal.as_ref().map(|appeal| AppealEntity {
                text: appeal.text.clone(),
                state: appeal.state(),
            }),
            created_at: iso8601(warning.created_at),
        }
    }
}
