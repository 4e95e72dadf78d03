//! Figures about the instance as a whole, for the instance and NodeInfo documents.

use crate::accounts::{Account, Role};
use crate::error::Result;
use crate::state::Woolly;

const DAY_MILLIS: i64 = 24 * 60 * 60 * 1000;

/// Counts reported by `/api/v1/instance`, `/api/v2/instance` and NodeInfo.
#[derive(Debug, Clone, Copy)]
pub struct InstanceStats {
    pub user_count: i64,
    pub status_count: i64,
    pub domain_count: i64,
    /// Local users active in the last 30 days.
    pub active_month: i64,
    /// Local users active in the last 180 days.
    pub active_halfyear: i64,
}

impl Woolly {
    pub async fn instance_stats(&self) -> Result<InstanceStats> {
        let db = self.db();
        let now = crate::now_millis();
        Ok(InstanceStats {
            user_count: db.count_local_users(None).await?,
            status_count: db.count_local_statuses().await?,
            domain_count: db.count_known_domains().await?,
            active_month: db.count_active_local_users(now - 30 * DAY_MILLIS).await?,
            active_halfyear: db.count_active_local_users(now - 180 * DAY_MILLIS).await?,
        })
    }

    /// The account people should contact about this instance: its first owner, if any.
    pub async fn contact_account(&self) -> Result<Option<Account>> {
        Ok(self
            .db()
            .first_account_with_role(Role::Owner.as_str())
            .await?
            .map(Account::from))
    }

    /// The servers this instance knows accounts of (`/api/v1/instance/peers`).
    pub async fn peers(&self) -> Result<Vec<String>> {
        Ok(self.db().known_domains().await?)
    }

    /// Whether the database answers (for `/health`).
    pub async fn check_health(&self) -> Result<()> {
        Ok(self.db().ping().await?)
    }
}
