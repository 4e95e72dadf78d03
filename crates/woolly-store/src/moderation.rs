//! What moderators do to accounts and what is kept of it: the limits on an account (suspended,
//! silenced, sensitized) and on a local user (disabled), the warnings (strikes) that come with
//! them and their appeals, the moderators' list of accounts with Mastodon's filters, and the
//! audit log of every moderator's and admin's action. Who may do what is decided in
//! `woolly-core`.

use crate::accounts::{ACCOUNT_COLUMNS, AccountRow, LOCAL_USER_COLUMNS, LocalUserRow, exists};
use crate::arrays::{List, in_list};
use crate::connect::{Db, Tx, on_reader, on_tx};
use crate::error::Result;
use crate::search::like_escape;
use crate::status_pages::advance_stamp;
use crate::statuses::Page;

/// A limit moderators put on an account, each kept as the moment it began.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AccountLimit {
    Suspended,
    Silenced,
    Sensitized,
}

impl AccountLimit {
    pub(crate) fn column(self) -> &'static str {
        match self {
            AccountLimit::Suspended => "suspended_at",
            AccountLimit::Silenced => "silenced_at",
            AccountLimit::Sensitized => "sensitized_at",
        }
    }
}

/// Which accounts a moderator's list shows (the filters of Mastodon's
/// `/api/v2/admin/accounts`, which v1's map onto).
#[derive(Debug, Clone, Default)]
pub struct AdminAccountFilter {
    /// `Some(true)`: only this server's; `Some(false)`: only other servers'.
    pub local: Option<bool>,
    pub state: Option<AccountState>,
    /// Only users whose role is one of these (`user`, `moderator`, `admin`, `owner`).
    pub roles: Vec<String>,
    /// Usernames starting with this (any case).
    pub username: Option<String>,
    /// Display names containing this (any case).
    pub display_name: Option<String>,
    /// Domains containing this (any case).
    pub domain: Option<String>,
    /// E-mail addresses starting with this (any case).
    pub email: Option<String>,
    /// Users who signed up from, or whose sessions were last used from, this address.
    pub ip: Option<String>,
    /// Users who joined with an invite of this account.
    pub invited_by: Option<i64>,
}

/// An account's standing, as moderators filter by it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AccountState {
    /// Not suspended.
    Active,
    /// A local user waiting for approval.
    Pending,
    Disabled,
    Silenced,
    Suspended,
    Sensitized,
}

impl AccountState {
    /// The state a filter names, in Mastodon's words (`active`, `pending`, `disabled`,
    /// `silenced`, `suspended`, `sensitized`).
    pub fn named(name: &str) -> Option<AccountState> {
        match name {
            "active" => Some(AccountState::Active),
            "pending" => Some(AccountState::Pending),
            "disabled" => Some(AccountState::Disabled),
            "silenced" => Some(AccountState::Silenced),
            "suspended" => Some(AccountState::Suspended),
            "sensitized" => Some(AccountState::Sensitized),
            _ => None,
        }
    }

    fn condition(self) -> &'static str {
        match self {
            AccountState::Active => "a.suspended_at IS NULL",
            AccountState::Pending => "u.account_id IS NOT NULL AND NOT u.approved",
            AccountState::Disabled => "u.disabled",
            AccountState::Silenced => "a.silenced_at IS NOT NULL",
            AccountState::Suspended => "a.suspended_at IS NOT NULL",
            AccountState::Sensitized => "a.sensitized_at IS NOT NULL",
        }
    }
}

/// One row of `account_warning`: a strike a moderator gave an account.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct AccountWarningRow {
    pub id: i64,
    pub account_id: i64,
    pub moderator_account_id: Option<i64>,
    /// Mastodon's strike actions: none, disable, mark_statuses_as_sensitive, delete_statuses,
    /// sensitive, silence, suspend.
    pub action: String,
    pub text: String,
    pub report_id: Option<i64>,
    /// A JSON array of status ids.
    pub status_ids: String,
    pub created_at: i64,
    pub overruled_at: Option<i64>,
}

const WARNING_COLUMNS: &str = "id, account_id, moderator_account_id, action, text, report_id, \
     status_ids, created_at, overruled_at";

/// One row of `appeal`: a user asking moderators to reconsider a strike.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct AppealRow {
    pub id: i64,
    pub account_warning_id: i64,
    pub account_id: i64,
    pub text: String,
    pub approved_at: Option<i64>,
    pub rejected_at: Option<i64>,
    pub decided_by_account_id: Option<i64>,
    pub created_at: i64,
}

const APPEAL_COLUMNS: &str = "id, account_warning_id, account_id, text, approved_at, rejected_at, \
     decided_by_account_id, created_at";

/// One row of `admin_action_log`.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct AdminActionRow {
    pub id: i64,
    /// `None` for the operator at the terminal.
    pub account_id: Option<i64>,
    pub action: String,
    pub target_type: String,
    pub target_id: Option<i64>,
    pub target_label: String,
    pub actor_label: String,
    pub created_at: i64,
}

/// One row of `account_moderation_note`.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct AccountNoteRow {
    pub id: i64,
    pub account_id: i64,
    pub target_account_id: i64,
    pub content: String,
    pub created_at: i64,
}

impl Tx {
    pub async fn insert_account_note(&mut self, row: &AccountNoteRow) -> Result<()> {
        on_tx!(rows_affected, self, conn => sqlx::query(
            "INSERT INTO account_moderation_note (id, account_id, target_account_id, content, \
             created_at) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(row.id)
        .bind(row.account_id)
        .bind(row.target_account_id)
        .bind(&row.content)
        .bind(row.created_at)
        .execute(conn)
        .await)?;
        Ok(())
    }

    pub async fn delete_account_note(&mut self, id: i64) -> Result<bool> {
        let deleted = on_tx!(rows_affected, self, conn => sqlx::query(
            "DELETE FROM account_moderation_note WHERE id = $1",
        )
        .bind(id)
        .execute(conn)
        .await)?;
        Ok(deleted == 1)
    }

    /// Puts a limit on an account from `since`, or (`None`) lifts it; `origin` is kept with a
    /// suspension. Returns false when the account is unknown or already so.
    pub async fn set_account_limit(
        &mut self,
        account_id: i64,
        limit: AccountLimit,
        since: Option<i64>,
        origin: Option<&str>,
    ) -> Result<bool> {
        let column = limit.column();
        // `$3`, the origin, is NULL but for a suspension, which leaves the column as it is.
        let origin_change = if limit == AccountLimit::Suspended {
            ", suspension_origin = $3"
        } else {
            ", suspension_origin = coalesce($3, suspension_origin)"
        };
        // The account's stamp moves, so that statuses rendered with it are rendered again.
        let sql = format!(
            "UPDATE account SET {column} = $1, {}{origin_change} \
             WHERE id = $2 AND {} AND ({column} IS NULL) = ($1 IS NOT NULL)",
            advance_stamp("updated_at", "$4"),
            exists("account")
        );
        let now = crate::now_millis();
        let changed = on_tx!(rows_affected, self, conn => {
            let query = sqlx::query(&sql).bind(since).bind(account_id);
            let origin = if limit == AccountLimit::Suspended { since.and(origin) } else { None };
            query.bind(origin).bind(now).execute(conn).await
        })?;
        Ok(changed == 1)
    }

    /// Lifts the suspension of a remote account that its own server decided (and only such a
    /// one); returns whether there was one.
    pub async fn lift_remote_suspension(&mut self, account_id: i64) -> Result<bool> {
        let sql = format!(
            "UPDATE account SET suspended_at = NULL, suspension_origin = NULL, {} \
             WHERE id = $1 AND suspended_at IS NOT NULL AND suspension_origin = 'remote'",
            advance_stamp("updated_at", "$2")
        );
        let lifted = on_tx!(rows_affected, self, conn => sqlx::query(&sql)
            .bind(account_id)
            .bind(crate::now_millis())
            .execute(conn)
            .await)?;
        Ok(lifted == 1)
    }

    /// Gives a local user `role`; returns false when there is no such user or it already has it.
    pub async fn set_user_role(&mut self, account_id: i64, role: &str) -> Result<bool> {
        let changed = on_tx!(rows_affected, self, conn => sqlx::query(
            "UPDATE local_user SET role = $1 WHERE account_id = $2 AND role <> $1",
        )
        .bind(role)
        .bind(account_id)
        .execute(conn)
        .await)?;
        Ok(changed == 1)
    }

    /// Disables or enables a local user's login; returns false when it already was so.
    pub async fn set_user_disabled(&mut self, account_id: i64, disabled: bool) -> Result<bool> {
        let changed = on_tx!(rows_affected, self, conn => sqlx::query(
            "UPDATE local_user SET disabled = $1 WHERE account_id = $2 AND disabled <> $1",
        )
        .bind(disabled)
        .bind(account_id)
        .execute(conn)
        .await)?;
        Ok(changed == 1)
    }

    /// Resolves every open report about `target_account_id` by `moderator` (`None`: the
    /// operator); returns their ids.
    pub async fn resolve_reports_about(
        &mut self,
        target_account_id: i64,
        moderator: Option<i64>,
        now: i64,
    ) -> Result<Vec<i64>> {
        let rows: Vec<(i64,)> = on_tx!(self, conn => sqlx::query_as(
            "UPDATE report SET action_taken_at = $1, action_taken_by_account_id = $2, updated_at = $1 \
             WHERE target_account_id = $3 AND action_taken_at IS NULL RETURNING id",
        )
        .bind(now)
        .bind(moderator)
        .bind(target_account_id)
        .fetch_all(conn)
        .await)?;
        Ok(rows.into_iter().map(|(id,)| id).collect())
    }

    pub async fn insert_account_warning(&mut self, row: &AccountWarningRow) -> Result<()> {
        on_tx!(rows_affected, self, conn => sqlx::query(&format!(
            "INSERT INTO account_warning ({WARNING_COLUMNS}) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)"
        ))
        .bind(row.id)
        .bind(row.account_id)
        .bind(row.moderator_account_id)
        .bind(&row.action)
        .bind(&row.text)
        .bind(row.report_id)
        .bind(&row.status_ids)
        .bind(row.created_at)
        .bind(row.overruled_at)
        .execute(conn)
        .await)?;
        Ok(())
    }

    /// Files an appeal; returns false when the warning already has one.
    pub async fn insert_appeal(&mut self, row: &AppealRow) -> Result<bool> {
        let inserted = on_tx!(rows_affected, self, conn => sqlx::query(&format!(
            "INSERT INTO appeal ({APPEAL_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) \
             ON CONFLICT (account_warning_id) DO NOTHING"
        ))
        .bind(row.id)
        .bind(row.account_warning_id)
        .bind(row.account_id)
        .bind(&row.text)
        .bind(row.approved_at)
        .bind(row.rejected_at)
        .bind(row.decided_by_account_id)
        .bind(row.created_at)
        .execute(conn)
        .await)?;
        Ok(inserted == 1)
    }

    /// Approves (and overrules its warning) or rejects an undecided appeal; returns false when
    /// it is unknown or already decided.
    pub async fn decide_appeal(
        &mut self,
        id: i64,
        approve: bool,
        moderator: Option<i64>,
        now: i64,
    ) -> Result<bool> {
        let column = if approve {
            "approved_at"
        } else {
            "rejected_at"
        };
        let changed = on_tx!(rows_affected, self, conn => sqlx::query(&format!(
            "UPDATE appeal SET {column} = $1, decided_by_account_id = $2 \
             WHERE id = $3 AND approved_at IS NULL AND rejected_at IS NULL"
        ))
        .bind(now)
        .bind(moderator)
        .bind(id)
        .execute(conn)
        .await)?;
        if changed == 1 && approve {
            on_tx!(rows_affected, self, conn => sqlx::query(
                "UPDATE account_warning SET overruled_at = $1 \
                 WHERE id = (SELECT account_warning_id FROM appeal WHERE id = $2)",
            )
            .bind(now)
            .bind(id)
            .execute(conn)
            .await)?;
        }
        Ok(changed == 1)
    }

    pub async fn log_admin_action(&mut self, row: &AdminActionRow) -> Result<()> {
        on_tx!(rows_affected, self, conn => sqlx::query(
            "INSERT INTO admin_action_log (id, account_id, action, target_type, target_id, \
             target_label, actor_label, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(row.id)
        .bind(row.account_id)
        .bind(&row.action)
        .bind(&row.target_type)
        .bind(row.target_id)
        .bind(&row.target_label)
        .bind(&row.actor_label)
        .bind(row.created_at)
        .execute(conn)
        .await)?;
        Ok(())
    }
}

impl Db {
    /// An account by id, a suspended one too (a deleted one is gone): for moderators, for a
    /// suspended user's sign-in, and for the actor that tells other servers of a suspension.
    pub async fn account_including_suspended(&self, id: i64) -> Result<Option<AccountRow>> {
        let sql = format!(
            "SELECT {ACCOUNT_COLUMNS} FROM account WHERE id = $1 AND {}",
            exists("account")
        );
        let row = on_reader!(self, pool => sqlx::query_as::<_, AccountRow>(&sql)
            .bind(id)
            .fetch_optional(pool)
            .await)?;
        Ok(row)
    }

    /// Accounts by id, suspended ones too (see [`Db::account_including_suspended`]).
    pub async fn accounts_including_suspended(&self, ids: &[i64]) -> Result<Vec<AccountRow>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let sql = format!(
            "SELECT {ACCOUNT_COLUMNS} FROM account WHERE {} AND id {}",
            exists("account"),
            in_list(self.engine(), "$1")
        );
        let rows = on_reader!(self, pool => sqlx::query_as::<_, AccountRow>(&sql)
            .bind(List(ids))
            .fetch_all(pool)
            .await)?;
        Ok(rows)
    }

    /// The local account called `username` (any case), a suspended one too.
    pub async fn local_account_including_suspended(
        &self,
        username: &str,
    ) -> Result<Option<AccountRow>> {
        let sql = format!(
            "SELECT {ACCOUNT_COLUMNS} FROM account \
             WHERE lower(username) = lower($1) AND domain IS NULL AND {}",
            exists("account")
        );
        let row = on_reader!(self, pool => sqlx::query_as::<_, AccountRow>(&sql)
            .bind(username)
            .fetch_optional(pool)
            .await)?;
        Ok(row)
    }

    /// The local users among these accounts.
    pub async fn local_users_by_ids(&self, ids: &[i64]) -> Result<Vec<LocalUserRow>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let sql = format!(
            "SELECT {LOCAL_USER_COLUMNS} FROM local_user u WHERE u.account_id {}",
            in_list(self.engine(), "$1")
        );
        let rows = on_reader!(self, pool => sqlx::query_as::<_, LocalUserRow>(&sql)
            .bind(List(ids))
            .fetch_all(pool)
            .await)?;
        Ok(rows)
    }

    /// A page of account ids for moderators, newest first (oldest first with `min_id`, then
    /// put back).
    pub async fn admin_account_ids(
        &self,
        filter: &AdminAccountFilter,
        page: Page,
    ) -> Result<Vec<i64>> {
        let origin = match filter.local {
            Some(true) => "AND a.domain IS NULL",
            Some(false) => "AND a.domain IS NOT NULL",
            None => "",
        };
        let state = filter
            .state
            .map(|state| format!("AND {}", state.condition()))
            .unwrap_or_default();
        let roles = if filter.roles.is_empty() {
            String::new()
        } else {
            format!("AND u.role {}", in_list(self.engine(), "$10"))
        };
        let sql = format!(
            "SELECT a.id FROM account a LEFT JOIN local_user u ON u.account_id = a.id \
             WHERE {} {origin} {state} {roles} \
             AND ($1 IS NULL OR a.id < $1) AND ($2 IS NULL OR a.id > $2) \
             AND ($4 IS NULL OR lower(a.username) LIKE $4 || '%' ESCAPE '\\') \
             AND ($5 IS NULL OR lower(a.display_name) LIKE '%' || $5 || '%' ESCAPE '\\') \
             AND ($6 IS NULL OR lower(a.domain) LIKE '%' || $6 || '%' ESCAPE '\\') \
             AND ($7 IS NULL OR lower(u.email) LIKE $7 || '%' ESCAPE '\\') \
             AND ($8 IS NULL OR u.sign_up_ip = $8 OR EXISTS (SELECT 1 FROM oauth_token t \
                   WHERE t.account_id = a.id AND t.last_used_ip = $8)) \
             AND ($9 IS NULL OR EXISTS (SELECT 1 FROM invite i \
                   WHERE i.id = u.invite_id AND i.account_id = $9)) \
             ORDER BY a.id {} LIMIT $3",
            exists("a"),
            page.order()
        );
        let pattern = |text: &Option<String>| text.as_deref().map(like_escape);
        let roles: Vec<&str> = filter.roles.iter().map(String::as_str).collect();
        let rows: Vec<(i64,)> = on_reader!(self, pool => {
            let query = sqlx::query_as(&sql)
                .bind(page.max_id)
                .bind(page.lower_bound())
                .bind(page.limit)
                .bind(pattern(&filter.username))
                .bind(pattern(&filter.display_name))
                .bind(pattern(&filter.domain))
                .bind(pattern(&filter.email))
                .bind(filter.ip.as_deref())
                .bind(filter.invited_by);
            let query = if roles.is_empty() { query } else { query.bind(List(&roles)) };
            query.fetch_all(pool).await
        })?;
        Ok(page.newest_first(rows.into_iter().map(|(id,)| id).collect()))
    }

    pub async fn account_warning(&self, id: i64) -> Result<Option<AccountWarningRow>> {
        let sql = format!("SELECT {WARNING_COLUMNS} FROM account_warning WHERE id = $1");
        let row = on_reader!(self, pool => sqlx::query_as::<_, AccountWarningRow>(&sql)
            .bind(id)
            .fetch_optional(pool)
            .await)?;
        Ok(row)
    }

    /// An account's warnings, newest first.
    pub async fn account_warnings(&self, account_id: i64) -> Result<Vec<AccountWarningRow>> {
        let sql = format!(
            "SELECT {WARNING_COLUMNS} FROM account_warning WHERE account_id = $1 ORDER BY id DESC"
        );
        let rows = on_reader!(self, pool => sqlx::query_as::<_, AccountWarningRow>(&sql)
            .bind(account_id)
            .fetch_all(pool)
            .await)?;
        Ok(rows)
    }

    pub async fn appeal(&self, id: i64) -> Result<Option<AppealRow>> {
        let sql = format!("SELECT {APPEAL_COLUMNS} FROM appeal WHERE id = $1");
        let row = on_reader!(self, pool => sqlx::query_as::<_, AppealRow>(&sql)
            .bind(id)
            .fetch_optional(pool)
            .await)?;
        Ok(row)
    }

    /// The appeal of each of these warnings that has one.
    pub async fn appeals_of(&self, warning_ids: &[i64]) -> Result<Vec<AppealRow>> {
        if warning_ids.is_empty() {
            return Ok(Vec::new());
        }
        let sql = format!(
            "SELECT {APPEAL_COLUMNS} FROM appeal WHERE account_warning_id {}",
            in_list(self.engine(), "$1")
        );
        let rows = on_reader!(self, pool => sqlx::query_as::<_, AppealRow>(&sql)
            .bind(List(warning_ids))
            .fetch_all(pool)
            .await)?;
        Ok(rows)
    }

    /// Appeals no moderator decided yet, oldest first.
    pub async fn undecided_appeals(&self, limit: i64) -> Result<Vec<AppealRow>> {
        let sql = format!(
            "SELECT {APPEAL_COLUMNS} FROM appeal WHERE approved_at IS NULL AND rejected_at IS NULL \
             ORDER BY id LIMIT $1"
        );
        let rows = on_reader!(self, pool => sqlx::query_as::<_, AppealRow>(&sql)
            .bind(limit)
            .fetch_all(pool)
            .await)?;
        Ok(rows)
    }

    /// A page of the audit log, newest first.
    /// The local users with one of `roles` who may act now (approved, not disabled, not
    /// suspended), at most 200: whom staff notifications go to.
    pub async fn active_staff_ids(&self, roles: &[String]) -> Result<Vec<i64>> {
        let sql = format!(
            "SELECT u.account_id FROM local_user u JOIN account a ON a.id = u.account_id \
             WHERE u.role {} AND u.approved AND NOT u.disabled AND {} \
             ORDER BY u.account_id LIMIT 200",
            in_list(self.engine(), "$1"),
            crate::accounts::shown("a")
        );
        let rows: Vec<(i64,)> = on_reader!(self, pool => sqlx::query_as(&sql)
            .bind(List(roles))
            .fetch_all(pool)
            .await)?;
        Ok(rows.into_iter().map(|(id,)| id).collect())
    }

    /// Moderators' notes about `target_account_id`, oldest first.
    pub async fn account_notes(&self, target_account_id: i64) -> Result<Vec<AccountNoteRow>> {
        let rows = on_reader!(self, pool => sqlx::query_as::<_, AccountNoteRow>(
            "SELECT id, account_id, target_account_id, content, created_at \
             FROM account_moderation_note WHERE target_account_id = $1 ORDER BY id",
        )
        .bind(target_account_id)
        .fetch_all(pool)
        .await)?;
        Ok(rows)
    }

    pub async fn account_note(&self, id: i64) -> Result<Option<AccountNoteRow>> {
        let row = on_reader!(self, pool => sqlx::query_as::<_, AccountNoteRow>(
            "SELECT id, account_id, target_account_id, content, created_at \
             FROM account_moderation_note WHERE id = $1",
        )
        .bind(id)
        .fetch_optional(pool)
        .await)?;
        Ok(row)
    }

    /// The latest `limit` entries of the audit log about one thing, `target_id` under one of
    /// `target_types` (an account is both `Account` and `User`), newest first.
    pub async fn admin_actions_on(
        &self,
        target_types: &[String],
        target_id: i64,
        limit: i64,
    ) -> Result<Vec<AdminActionRow>> {
        let sql = format!(
            "SELECT id, account_id, action, target_type, target_id, target_label, actor_label, \
             created_at FROM admin_action_log WHERE target_type {} AND target_id = $2 \
             ORDER BY id DESC LIMIT $3",
            in_list(self.engine(), "$1")
        );
        let rows = on_reader!(self, pool => sqlx::query_as::<_, AdminActionRow>(&sql)
        .bind(List(target_types))
        .bind(target_id)
        .bind(limit)
        .fetch_all(pool)
        .await)?;
        Ok(rows)
    }

    pub async fn admin_actions(&self, page: Page) -> Result<Vec<AdminActionRow>> {
        let sql = format!(
            "SELECT id, account_id, action, target_type, target_id, target_label, actor_label, \
             created_at FROM admin_action_log \
             WHERE ($1 IS NULL OR id < $1) AND ($2 IS NULL OR id > $2) ORDER BY id {} LIMIT $3",
            page.order()
        );
        let rows = on_reader!(self, pool => sqlx::query_as::<_, AdminActionRow>(&sql)
            .bind(page.max_id)
            .bind(page.lower_bound())
            .bind(page.limit)
            .fetch_all(pool)
            .await)?;
        Ok(page.newest_first(rows))
    }
}

impl Tx {
    /// Marks (or unmarks) as sensitive those of `account_id`'s statuses `ids` that have media
    /// and are not so yet, as a moderator decides; returns the ones changed. How statuses show
    /// changed without an edit, so the rendering generation moves on.
    pub async fn set_statuses_sensitive(
        &mut self,
        account_id: i64,
        ids: &[i64],
        sensitive: bool,
    ) -> Result<Vec<i64>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let sql = format!(
            "UPDATE status SET sensitive = $3 WHERE account_id = $1 AND id {} \
             AND sensitive <> $3 \
             AND EXISTS (SELECT 1 FROM media_attachment m WHERE m.status_id = status.id) \
             RETURNING id",
            in_list(self.engine(), "$2")
        );
        let rows: Vec<(i64,)> = on_tx!(self, conn => sqlx::query_as(&sql)
            .bind(account_id)
            .bind(List(ids))
            .bind(sensitive)
            .fetch_all(conn)
            .await)?;
        if !rows.is_empty() {
            self.bump_render_generation().await?;
        }
        Ok(rows.into_iter().map(|(id,)| id).collect())
    }
}
