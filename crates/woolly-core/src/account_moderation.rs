//! What moderators do to accounts, as Mastodon's `Admin::AccountAction` does it: warn
//! (`none`), mark its media sensitive, disable a local user's login, silence (limit) and suspend
//! an account, each optionally about a report and with a warning (a strike) its owner is told
//! of by a `moderation_warning` notification and an e-mail; and the reversals, approving and
//! rejecting sign-ups, and the moderators' list of accounts. Every action is written to the
//! audit log in the transaction that takes it; a refused one writes nothing.
//!
//! The effects live where accounts and statuses are read: a suspended account is left out of
//! every read that shows accounts (`woolly_store`'s `shown`), so its profile, posts, replies and
//! reblogs vanish everywhere at once; a silenced account's posts stay out of the public and
//! hashtag timelines, the directory and others' searches, and its notifications reach only its
//! followers; a sensitized account's media are shown behind a warning to everyone else. A
//! suspended or disabled user's sign-in reaches only the page that says why, where they may
//! appeal, and the API refuses them with Mastodon's words.

use std::collections::HashMap;

use woolly_store::{
    AccountLimit, AccountWarningRow, AdminAccountFilter, AdminActionRow, AppealRow, Page,
};

use crate::accounts::{Account, LocalUser, Role, permission};
use crate::areas::Moderation;
use crate::error::{CoreError, Result};
use crate::events::Event;
use crate::mail::Message;

/// What a moderator does to an account (`type` of `POST /api/v1/admin/accounts/:id/action`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AccountActionKind {
    /// Only a warning.
    None,
    Sensitive,
    Disable,
    Silence,
    Suspend,
}

impl AccountActionKind {
    pub fn parse(text: &str) -> Result<AccountActionKind> {
        match text {
            "none" => Ok(AccountActionKind::None),
            "sensitive" => Ok(AccountActionKind::Sensitive),
            "disable" => Ok(AccountActionKind::Disable),
            "silence" => Ok(AccountActionKind::Silence),
            "suspend" => Ok(AccountActionKind::Suspend),
            _ => Err(type_not_allowed()),
        }
    }

    fn warning(self) -> WarningAction {
        match self {
            AccountActionKind::None => WarningAction::None,
            AccountActionKind::Sensitive => WarningAction::Sensitive,
            AccountActionKind::Disable => WarningAction::Disable,
            AccountActionKind::Silence => WarningAction::Silence,
            AccountActionKind::Suspend => WarningAction::Suspend,
        }
    }
}

/// Mastodon's words for an action that does not apply (an unknown one, or disabling the login
/// of an account that has none here).
fn type_not_allowed() -> CoreError {
    CoreError::Validation("Validation failed: Type is not included in the list".into())
}

/// What a warning (strike) was given with (Mastodon's `AccountWarning#action`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WarningAction {
    None,
    Disable,
    MarkStatusesAsSensitive,
    DeleteStatuses,
    Sensitive,
    Silence,
    Suspend,
}

impl WarningAction {
    const ALL: [WarningAction; 7] = [
        WarningAction::None,
        WarningAction::Disable,
        WarningAction::MarkStatusesAsSensitive,
        WarningAction::DeleteStatuses,
        WarningAction::Sensitive,
        WarningAction::Silence,
        WarningAction::Suspend,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            WarningAction::None => "none",
            WarningAction::Disable => "disable",
            WarningAction::MarkStatusesAsSensitive => "mark_statuses_as_sensitive",
            WarningAction::DeleteStatuses => "delete_statuses",
            WarningAction::Sensitive => "sensitive",
            WarningAction::Silence => "silence",
            WarningAction::Suspend => "suspend",
        }
    }

    pub fn parse(text: &str) -> Option<WarningAction> {
        WarningAction::ALL
            .into_iter()
            .find(|action| action.as_str() == text)
    }

    /// How the e-mail's subject names it.
    pub(crate) fn english(self) -> &'static str {
        match self {
            WarningAction::None => "A warning from the moderators",
            WarningAction::Disable => "Your login was disabled",
            WarningAction::MarkStatusesAsSensitive => "Your posts were marked sensitive",
            WarningAction::DeleteStatuses => "Your posts were removed",
            WarningAction::Sensitive => "Your media will be marked sensitive",
            WarningAction::Silence => "Your account was limited",
            WarningAction::Suspend => "Your account was suspended",
        }
    }

    pub(crate) fn french(self) -> &'static str {
        match self {
            WarningAction::None => "Un avertissement de la modération",
            WarningAction::Disable => "Votre connexion a été désactivée",
            WarningAction::MarkStatusesAsSensitive => "Vos messages ont été marqués sensibles",
            WarningAction::DeleteStatuses => "Vos messages ont été retirés",
            WarningAction::Sensitive => "Vos médias seront marqués sensibles",
            WarningAction::Silence => "Votre compte a été limité",
            WarningAction::Suspend => "Votre compte a été suspendu",
        }
    }
}

/// Undoing what [`AccountActionKind`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reversal {
    Enable,
    Unsensitive,
    Unsilence,
    Unsuspend,
}

impl Reversal {
    /// The reversal an address names (`/accounts/:id/unsilence`…), as Mastodon's admin API
    /// names them.
    pub fn parse(name: &str) -> Option<Reversal> {
        match name {
            "enable" => Some(Reversal::Enable),
            "unsensitive" => Some(Reversal::Unsensitive),
            "unsilence" => Some(Reversal::Unsilence),
            "unsuspend" => Some(Reversal::Unsuspend),
            _ => None,
        }
    }

    fn as_str(self) -> &'static str {
        match self {
            Reversal::Enable => "enable",
            Reversal::Unsensitive => "unsensitive",
            Reversal::Unsilence => "unsilence",
            Reversal::Unsuspend => "unsuspend",
        }
    }
}

/// A moderator's action on an account.
#[derive(Debug, Clone)]
pub struct AccountAction {
    pub kind: AccountActionKind,
    /// The report it answers.
    pub report_id: Option<i64>,
    /// The warning's words to the account's owner.
    pub text: String,
    /// Whether a local owner is told (notification and e-mail); Mastodon's default is yes.
    pub notify: bool,
}

/// An account as moderators see it: suspended ones too, with the local user behind it.
#[derive(Debug, Clone)]
pub struct ModeratedAccount {
    pub account: Account,
    pub user: Option<LocalUser>,
}

/// A warning (strike) given to an account, with its appeal.
#[derive(Debug, Clone)]
pub struct AccountWarning {
    pub id: i64,
    pub target: Account,
    pub action: WarningAction,
    pub text: String,
    pub status_ids: Vec<i64>,
    pub report_id: Option<i64>,
    pub created_at: i64,
    pub overruled_at: Option<i64>,
    pub appeal: Option<Appeal>,
}

/// A user's appeal of a warning.
#[derive(Debug, Clone)]
pub struct Appeal {
    pub id: i64,
    pub warning_id: i64,
    pub account_id: i64,
    pub text: String,
    pub approved_at: Option<i64>,
    pub rejected_at: Option<i64>,
    pub created_at: i64,
}

impl Appeal {
    /// `approved`, `rejected` or `pending`, as Mastodon's `Appeal` entity says.
    pub fn state(&self) -> &'static str {
        match (self.approved_at, self.rejected_at) {
            (Some(_), _) => "approved",
            (None, Some(_)) => "rejected",
            (None, None) => "pending",
        }
    }
}

impl From<AppealRow> for Appeal {
    fn from(row: AppealRow) -> Appeal {
        Appeal {
            id: row.id,
            warning_id: row.account_warning_id,
            account_id: row.account_id,
            text: row.text,
            approved_at: row.approved_at,
            rejected_at: row.rejected_at,
            created_at: row.created_at,
        }
    }
}

/// What the audit log names an action's target by.
pub(crate) enum Target<'a> {
    Account(&'a Account),
    User(&'a Account),
    Report(i64),
    Warning(i64, &'a Account),
    Appeal(i64, &'a Account),
    DomainBlock(i64, &'a str),
    DomainAllow(i64, &'a str),
    EmailDomainBlock(i64, &'a str),
    CanonicalEmailBlock(i64, &'a str),
    IpBlock(i64, &'a str),
    Announcement(i64),
    /// A moderator's note (its id) about an account.
    AccountNote(i64, &'a Account),
    /// A server rule, by its text.
    Rule(i64, &'a str),
    /// A status (its id) of an account.
    Status(i64, &'a Account),
    /// A hashtag, by its name.
    Tag(&'a str),
    /// A link (its preview card's id), by its address.
    Link(i64, &'a str),
    /// A publisher of links, by its domain.
    Publisher(&'a str),
}

impl Target<'_> {
    fn parts(&self) -> (&'static str, Option<i64>, String) {
        match self {
            Target::Account(account) => ("Account", Some(account.id), account.acct()),
            Target::User(account) => ("User", Some(account.id), account.acct()),
            Target::Report(id) => ("Report", Some(*id), format!("#{id}")),
            Target::Warning(id, account) => ("AccountWarning", Some(*id), account.acct()),
            Target::Appeal(id, account) => ("Appeal", Some(*id), account.acct()),
            Target::DomainBlock(id, domain) => ("DomainBlock", Some(*id), (*domain).to_owned()),
            Target::DomainAllow(id, domain) => ("DomainAllow", Some(*id), (*domain).to_owned()),
            Target::EmailDomainBlock(id, domain) => {
                ("EmailDomainBlock", Some(*id), (*domain).to_owned())
            }
            // The hash names nobody; its start tells entries apart.
            Target::CanonicalEmailBlock(id, hash) => (
                "CanonicalEmailBlock",
                Some(*id),
                hash.chars().take(12).collect(),
            ),
            Target::IpBlock(id, range) => ("IpBlock", Some(*id), (*range).to_owned()),
            Target::Announcement(id) => ("Announcement", Some(*id), format!("#{id}")),
            Target::Rule(id, text) => ("Rule", Some(*id), text.chars().take(60).collect()),
            Target::Status(id, account) => ("Status", Some(*id), account.acct()),
            Target::Tag(name) => ("Tag", None, format!("#{name}")),
            Target::Link(id, url) => ("PreviewCard", Some(*id), (*url).to_owned()),
            Target::Publisher(domain) => ("PreviewCardProvider", None, (*domain).to_owned()),
            Target::AccountNote(id, account) => {
                ("AccountModerationNote", Some(*id), account.acct())
            }
        }
    }
}

/// Writes one entry of the audit log in `tx`.
pub(crate) async fn log_action(
    tx: &mut woolly_store::Tx,
    by: Moderator<'_>,
    action: &str,
    target: Target<'_>,
    now: i64,
) -> Result<()> {
    let (target_type, target_id, target_label) = target.parts();
    let row = AdminActionRow {
        id: tx.next_id(),
        account_id: by.account_id(),
        action: action.to_owned(),
        target_type: target_type.to_owned(),
        target_id,
        target_label,
        actor_label: by.to_string(),
        created_at: now,
    };
    tx.log_admin_action(&row).await?;
    Ok(())
}

/// Who takes a moderation action: a member of the staff (through the API or the web), whose
/// role's permissions are checked; or the operator at the terminal (`woolly admin`), who may do
/// everything.
#[derive(Debug, Clone, Copy)]
pub enum Moderator<'a> {
    Staff {
        account: &'a Account,
        user: &'a LocalUser,
    },
    Operator,
}

impl Moderator<'_> {
    /// Refuses (403) a member of the staff whose role lacks `flag`.
    pub fn require(self, flag: u64) -> Result<()> {
        match self {
            Moderator::Staff { user, .. } => require_permission(user, flag),
            Moderator::Operator => Ok(()),
        }
    }

    /// The staff member's account; `None` for the operator.
    pub fn account_id(self) -> Option<i64> {
        match self {
            Moderator::Staff { account, .. } => Some(account.id),
            Moderator::Operator => None,
        }
    }

    /// Whether it may act on a local user whose role is `role`: anyone's on a plain user's,
    /// else only a higher role's (Mastodon's `UserRole#overrides?`), and the operator's on
    /// anyone's.
    pub(crate) fn outranks(self, role: Role) -> bool {
        match self {
            Moderator::Staff { user, .. } => role == Role::User || user.role > role,
            Moderator::Operator => true,
        }
    }

    /// Whether it may give `role` to someone: an owner any role, an admin a lower one than
    /// its own, the operator any.
    fn may_give(self, role: Role) -> bool {
        match self {
            Moderator::Staff { user, .. } => user.role == Role::Owner || user.role > role,
            Moderator::Operator => true,
        }
    }
}

/// How the audit log names who did something.
impl std::fmt::Display for Moderator<'_> {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Moderator::Staff { account, .. } => formatter.write_str(&account.acct()),
            Moderator::Operator => formatter.write_str("(the operator, at the terminal)"),
        }
    }
}

/// Refuses (403) an action on a local user whose role `by` does not outrank.
pub(crate) fn check_outranks(by: Moderator<'_>, target: &ModeratedAccount) -> Result<()> {
    match &target.user {
        Some(user) if !by.outranks(user.role) => Err(not_allowed()),
        _ => Ok(()),
    }
}

/// Refuses a role that lacks `flag` (or `administrator`), as Mastodon's admin API does (403).
pub(crate) fn require_permission(user: &LocalUser, flag: u64) -> Result<()> {
    if user.role.can(flag) {
        Ok(())
    } else {
        Err(not_allowed())
    }
}

fn not_allowed() -> CoreError {
    CoreError::Forbidden("This action is not allowed".to_owned())
}

/// Mastodon's `Appeal::TEXT_LENGTH_LIMIT`.
const MAX_APPEAL: usize = 2000;
/// Mastodon's `Appeal::MAX_STRIKE_AGE`: a warning older than this cannot be appealed.
pub const APPEAL_WINDOW_MILLIS: i64 = 20 * 24 * 60 * 60 * 1000;

/// How long after a suspension its data is purged unless it is lifted (Mastodon's 30 days).
pub const SUSPENSION_PURGE_DELAY_MILLIS: i64 = 30 * 24 * 60 * 60 * 1000;

impl Moderation<'_> {
    /// A page of accounts for a moderator, newest first.
    pub async fn accounts_page(
        &self,
        by: Moderator<'_>,
        filter: &AdminAccountFilter,
        page: Page,
    ) -> Result<Vec<ModeratedAccount>> {
        by.require(permission::MANAGE_USERS)?;
        let ids = self.db().admin_account_ids(filter, page).await?;
        self.moderated_accounts(&ids).await
    }

    /// One account for a moderator (a suspended one too).
    pub async fn account_by_id(&self, by: Moderator<'_>, id: i64) -> Result<ModeratedAccount> {
        by.require(permission::MANAGE_USERS)?;
        self.moderated_accounts(&[id])
            .await?
            .pop()
            .ok_or(CoreError::NotFound)
    }

    /// Accounts by id as moderators see them, in the order asked, unknown ones left out.
    pub(crate) async fn moderated_accounts(&self, ids: &[i64]) -> Result<Vec<ModeratedAccount>> {
        let rows = self.db().accounts_including_suspended(ids).await?;
        let mut accounts: HashMap<i64, Account> = self
            .accounts_from_rows(rows)
            .await?
            .into_iter()
            .map(|account| (account.id, account))
            .collect();
        let mut users: HashMap<i64, LocalUser> = HashMap::new();
        for row in self.db().local_users_by_ids(ids).await? {
            users.insert(row.account_id, LocalUser::try_from(row)?);
        }
        Ok(ids
            .iter()
            .filter_map(|id| {
                Some(ModeratedAccount {
                    account: accounts.remove(id)?,
                    user: users.remove(id),
                })
            })
            .collect())
    }

    /// The ids of the active local staff whose role has `flag`: whom a new report, sign-up or
    /// appeal is told to.
    pub(crate) async fn staff_ids_with(&self, flag: u64) -> Result<Vec<i64>> {
        let roles: Vec<String> = Role::ALL
            .into_iter()
            .filter(|role| *role != Role::User && role.can(flag))
            .map(|role| role.as_str().to_owned())
            .collect();
        Ok(self.db().active_staff_ids(&roles).await?)
    }

    /// [`Self::staff_ids_with`], with their accounts and users (to e-mail them).
    pub(crate) async fn staff_with(&self, flag: u64) -> Result<Vec<ModeratedAccount>> {
        let ids = self.staff_ids_with(flag).await?;
        self.moderated_accounts(&ids).await
    }

    /// The account a moderator acts on: any but their own (403), which no one moderates.
    pub(crate) async fn target_for(&self, by: Moderator<'_>, id: i64) -> Result<ModeratedAccount> {
        let target = self
            .moderated_accounts(&[id])
            .await?
            .pop()
            .ok_or(CoreError::NotFound)?;
        if by.account_id() == Some(target.account.id) {
            return Err(not_allowed());
        }
        Ok(target)
    }

    /// Takes `action` on the account `target_id` (see the module documentation); returns the
    /// account as it now is.
    pub async fn act_on_account(
        &self,
        by: Moderator<'_>,
        target_id: i64,
        action: AccountAction,
    ) -> Result<ModeratedAccount> {
        by.require(permission::MANAGE_USERS)?;
        let target = self.target_for(by, target_id).await?;
        check_outranks(by, &target)?;
        let local = target.account.is_local();
        if !local
            && matches!(
                action.kind,
                AccountActionKind::None | AccountActionKind::Disable
            )
        {
            return Err(type_not_allowed());
        }
        if let Some(report_id) = action.report_id {
            let report = self
                .db()
                .report(report_id)
                .await?
                .ok_or(CoreError::NotFound)?;
            if report.target_account_id != target.account.id {
                return Err(CoreError::Validation(
                    "Validation failed: Report is about another account".into(),
                ));
            }
        }
        let now = crate::now_millis();
        let mut tx = self.db().begin().await?;
        let changed = match action.kind {
            AccountActionKind::None => true,
            AccountActionKind::Disable => tx.set_user_disabled(target.account.id, true).await?,
            AccountActionKind::Sensitive => {
                tx.set_account_limit(target.account.id, AccountLimit::Sensitized, Some(now), None)
                    .await?
            }
            AccountActionKind::Silence => {
                tx.set_account_limit(target.account.id, AccountLimit::Silenced, Some(now), None)
                    .await?
            }
            AccountActionKind::Suspend => {
                tx.set_account_limit(
                    target.account.id,
                    AccountLimit::Suspended,
                    Some(now),
                    Some("local"),
                )
                .await?
            }
        };
        if !changed {
            return Err(CoreError::Validation(format!(
                "Validation failed: The account is already {}",
                match action.kind {
                    AccountActionKind::Disable => "disabled",
                    AccountActionKind::Sensitive => "marked sensitive",
                    AccountActionKind::Silence => "limited",
                    _ => "suspended",
                }
            )));
        }
        let warning = AccountWarningRow {
            id: tx.next_id(),
            account_id: target.account.id,
            moderator_account_id: by.account_id(),
            action: action.kind.warning().as_str().to_owned(),
            text: action.text.trim().to_owned(),
            report_id: action.report_id,
            status_ids: "[]".to_owned(),
            created_at: now,
            overruled_at: None,
        };
        tx.insert_account_warning(&warning).await?;
        match action.kind {
            // A warning alone is worth a line only when it says something.
            AccountActionKind::None if !warning.text.is_empty() => {
                let target_warning = Target::Warning(warning.id, &target.account);
                log_action(&mut tx, by, "create", target_warning, now).await?;
            }
            AccountActionKind::None => {}
            AccountActionKind::Disable => {
                let user = Target::User(&target.account);
                log_action(&mut tx, by, "disable", user, now).await?;
            }
            kind => {
                let name = match kind {
                    AccountActionKind::Sensitive => "sensitive",
                    AccountActionKind::Silence => "silence",
                    _ => "suspend",
                };
                let account = Target::Account(&target.account);
                log_action(&mut tx, by, name, account, now).await?;
            }
        }
        // As Mastodon: a warning alone resolves only the report it answers; a sanction
        // resolves every open report about the account.
        let resolved = match (action.kind, action.report_id) {
            (AccountActionKind::None, Some(report_id)) => {
                let change = woolly_store::ReportChange::Resolve(by.account_id());
                if tx.change_report(report_id, change, now).await? {
                    vec![report_id]
                } else {
                    Vec::new()
                }
            }
            (AccountActionKind::None, None) => Vec::new(),
            _ => {
                tx.resolve_reports_about(target.account.id, by.account_id(), now)
                    .await?
            }
        };
        self.tell_reporters(&mut tx, &resolved).await?;
        for report_id in resolved {
            log_action(&mut tx, by, "resolve", Target::Report(report_id), now).await?;
        }
        if action.kind == AccountActionKind::Suspend {
            self.queue_suspension_effects(&mut tx, &target.account, now)
                .await?;
        }
        let warned = (action.kind.warning(), &warning);
        self.commit_warning(tx, &target, warned, action.notify, now)
            .await?;
        tracing::info!(
            account = target.account.id,
            moderator = %by,
            action = action.kind.warning().as_str(),
            "moderation action taken"
        );
        self.account_by_id(by, target.account.id).await
    }

    /// Commits `tx`, which wrote `warning`, having first told the account's local owner of it
    /// (a `moderation_warning` notification and an e-mail) when `notify`.
    pub(crate) async fn commit_warning(
        &self,
        mut tx: woolly_store::Tx,
        target: &ModeratedAccount,
        (action, warning): (WarningAction, &AccountWarningRow),
        notify: bool,
        now: i64,
    ) -> Result<()> {
        let mut events = Vec::new();
        if notify
            && target.account.is_local()
            && let Some(user) = &target.user
        {
            let notification_id = tx
                .insert_warning_notification(target.account.id, warning.id, now)
                .await?;
            events.push(Event::Notification {
                account_id: target.account.id,
                notification_id,
            });
            let link = self.config().urls().warning_page(warning.id);
            let message = Message::Warning {
                action,
                text: &warning.text,
                link: &link,
            };
            let email = self.message_to(&message, &user.email, &target.account, user);
            self.commit_with_email(tx, &email).await?;
        } else {
            tx.commit().await?;
            self.wake_workers();
        }
        self.publish(events);
        Ok(())
    }

    /// What a suspension sets going: for a local account, the `Update` that tells the servers
    /// of its followers (its actor now says `suspended`), and, for any account, the purge of its
    /// data once [`SUSPENSION_PURGE_DELAY_MILLIS`] have passed, unless it is lifted by then.
    async fn queue_suspension_effects(
        &self,
        tx: &mut woolly_store::Tx,
        account: &Account,
        now: i64,
    ) -> Result<()> {
        if account.is_local() {
            crate::outbox::enqueue(
                tx,
                &crate::outbox::Outbound::UpdateProfile {
                    account_id: account.id,
                },
                now,
            )
            .await?;
        }
        tx.enqueue_job(&crate::jobs::new_job(
            crate::account_deletion::PURGE_SUSPENDED_KIND,
            &crate::account_deletion::PurgeSuspended {
                account_id: account.id,
                suspended_at: now,
            },
            now + SUSPENSION_PURGE_DELAY_MILLIS,
            crate::jobs::DEFAULT_MAX_ATTEMPTS,
        )?)
        .await?;
        Ok(())
    }

    /// Undoes an action on the account `target_id`; returns the account as it now is. Lifting
    /// the suspension another server decided is not this server's to do (403).
    pub async fn reverse(
        &self,
        by: Moderator<'_>,
        target_id: i64,
        reversal: Reversal,
    ) -> Result<ModeratedAccount> {
        by.require(permission::MANAGE_USERS)?;
        let target = self.target_for(by, target_id).await?;
        check_outranks(by, &target)?;
        let limits = &target.account.limits;
        if reversal == Reversal::Unsuspend
            && limits.suspended_at.is_some()
            && limits.suspension_origin.as_deref() == Some("remote")
        {
            return Err(not_allowed());
        }
        if reversal == Reversal::Enable && target.user.is_none() {
            return Err(CoreError::NotFound);
        }
        let now = crate::now_millis();
        let id = target.account.id;
        let mut tx = self.db().begin().await?;
        let changed = match reversal {
            Reversal::Enable => tx.set_user_disabled(id, false).await?,
            Reversal::Unsensitive => {
                tx.set_account_limit(id, AccountLimit::Sensitized, None, None)
                    .await?
            }
            Reversal::Unsilence => {
                tx.set_account_limit(id, AccountLimit::Silenced, None, None)
                    .await?
            }
            Reversal::Unsuspend => {
                tx.set_account_limit(id, AccountLimit::Suspended, None, None)
                    .await?
            }
        };
        if !changed {
            return Err(CoreError::Validation(format!(
                "Validation failed: The account is not {}",
                match reversal {
                    Reversal::Enable => "disabled",
                    Reversal::Unsensitive => "marked sensitive",
                    Reversal::Unsilence => "limited",
                    Reversal::Unsuspend => "suspended",
                }
            )));
        }
        let logged = if reversal == Reversal::Enable {
            Target::User(&target.account)
        } else {
            Target::Account(&target.account)
        };
        log_action(&mut tx, by, reversal.as_str(), logged, now).await?;
        if reversal == Reversal::Unsuspend && target.account.is_local() {
            crate::outbox::enqueue(
                &mut tx,
                &crate::outbox::Outbound::UpdateProfile { account_id: id },
                now,
            )
            .await?;
        }
        tx.commit().await?;
        self.wake_workers();
        tracing::info!(
            account = id,
            moderator = %by,
            reversal = reversal.as_str(),
            "moderation action undone"
        );
        self.account_by_id(by, id).await
    }

    /// Ends now what is kept of a suspended account (Mastodon's `DELETE
    /// /api/v1/admin/accounts/:id`): an admin's power (`delete_user_data`), refused (403) for
    /// an account that is not suspended. Returns the account as it was.
    pub async fn delete_account_data(
        &self,
        by: Moderator<'_>,
        target_id: i64,
    ) -> Result<ModeratedAccount> {
        by.require(permission::DELETE_USER_DATA)?;
        let target = self.target_for(by, target_id).await?;
        check_outranks(by, &target)?;
        if target.account.limits.suspended_at.is_none() {
            return Err(not_allowed());
        }
        if !self
            .end_suspended_account(target.account.id, None, Some(by))
            .await?
        {
            return Err(CoreError::NotFound);
        }
        Ok(target)
    }

    /// Gives a local user another role (Mastodon's `change_role`): the power of roles with
    /// `manage_roles`, an owner's or an admin's. An admin gives only roles below its own and
    /// changes only the roles of those below it; nobody changes their own.
    pub async fn change_role(
        &self,
        by: Moderator<'_>,
        target_id: i64,
        role: Role,
    ) -> Result<ModeratedAccount> {
        by.require(permission::MANAGE_ROLES)?;
        let target = self.target_for(by, target_id).await?;
        if target.user.is_none() {
            // Another server's account has no role here.
            return Err(CoreError::NotFound);
        }
        check_outranks(by, &target)?;
        if !by.may_give(role) {
            return Err(not_allowed());
        }
        let mut tx = self.db().begin().await?;
        if !tx.set_user_role(target_id, role.as_str()).await? {
            return Err(CoreError::Validation(format!(
                "Validation failed: The user's role is already {}",
                role.as_str()
            )));
        }
        let now = crate::now_millis();
        log_action(
            &mut tx,
            by,
            "change_role",
            Target::User(&target.account),
            now,
        )
        .await?;
        tx.commit().await?;
        tracing::info!(account = target_id, role = role.as_str(), moderator = %by, "role changed");
        self.account_by_id(by, target_id).await
    }

    /// The id of the local account called `username`, a suspended one too: what the operator
    /// names at the terminal.
    pub async fn local_account_id(&self, username: &str) -> Result<i64> {
        self.db()
            .local_account_including_suspended(username)
            .await?
            .map(|row| row.id)
            .ok_or(CoreError::NotFound)
    }

    /// A page of the audit log, newest first, for roles with `view_audit_log`.
    pub async fn audit_log(&self, by: Moderator<'_>, page: Page) -> Result<Vec<AdminActionRow>> {
        by.require(permission::VIEW_AUDIT_LOG)?;
        Ok(self.db().admin_actions(page).await?)
    }

    /// Approves a local sign-up waiting for approval (403 when it is not waiting).
    pub async fn approve(&self, by: Moderator<'_>, target_id: i64) -> Result<ModeratedAccount> {
        self.decide_sign_up(by, target_id, true).await?;
        self.account_by_id(by, target_id).await
    }

    /// Rejects a local sign-up waiting for approval: the account is removed; returns it as it
    /// was.
    pub async fn reject(&self, by: Moderator<'_>, target_id: i64) -> Result<ModeratedAccount> {
        self.decide_sign_up(by, target_id, false).await
    }

    async fn decide_sign_up(
        &self,
        by: Moderator<'_>,
        target_id: i64,
        approve: bool,
    ) -> Result<ModeratedAccount> {
        by.require(permission::MANAGE_USERS)?;
        let target = self.target_for(by, target_id).await?;
        if target.user.as_ref().is_none_or(|user| user.approved) {
            return Err(not_allowed());
        }
        let username = &target.account.username;
        if approve {
            self.sign_ups().approve(username, by).await?;
        } else {
            self.sign_ups().reject(username, by).await?;
        }
        Ok(target)
    }

    /// Appeals `account`'s own warning `warning_id` (Mastodon: once, within 20 days, in at
    /// most 2,000 characters). Returns the warning with its appeal.
    pub async fn appeal(
        &self,
        account: &Account,
        warning_id: i64,
        text: &str,
    ) -> Result<AccountWarning> {
        let warning = self.warning(account, warning_id).await?;
        let text = text.trim();
        if text.is_empty() {
            return Err(CoreError::Validation(
                "Validation failed: Text can't be blank".into(),
            ));
        }
        if text.chars().count() > MAX_APPEAL {
            return Err(CoreError::Validation(format!(
                "Validation failed: Text is too long (maximum is {MAX_APPEAL} characters)"
            )));
        }
        let now = crate::now_millis();
        if warning.appeal.is_some() {
            return Err(CoreError::Validation(
                "Validation failed: This warning was already appealed".into(),
            ));
        }
        if now - warning.created_at > APPEAL_WINDOW_MILLIS {
            return Err(CoreError::Validation(
                "Validation failed: It is too late to appeal this warning".into(),
            ));
        }
        // Those who decide appeals are told by e-mail.
        let deciders = self.staff_with(permission::MANAGE_APPEALS).await?;
        let mut tx = self.db().begin().await?;
        let row = AppealRow {
            id: tx.next_id(),
            account_warning_id: warning.id,
            account_id: account.id,
            text: text.to_owned(),
            approved_at: None,
            rejected_at: None,
            decided_by_account_id: None,
            created_at: now,
        };
        if !tx.insert_appeal(&row).await? {
            return Err(CoreError::Validation(
                "Validation failed: This warning was already appealed".into(),
            ));
        }
        let link = format!("{}/admin/appeals", self.config().urls().base());
        let who = account.acct();
        for found in &deciders {
            if let Some(user) = &found.user {
                let message = Message::NewAppeal {
                    who: &who,
                    link: &link,
                };
                let email = self.message_to(&message, &user.email, &found.account, user);
                self.queue_email(&mut tx, &email).await?;
            }
        }
        tx.commit().await?;
        self.wake_workers();
        tracing::info!(
            account = account.id,
            warning = warning.id,
            "warning appealed"
        );
        self.warning(account, warning_id).await
    }

    /// Appeals waiting for a moderator, oldest first, with their warnings.
    pub async fn pending_appeals(&self, by: Moderator<'_>) -> Result<Vec<AccountWarning>> {
        by.require(permission::MANAGE_APPEALS)?;
        let appeals = self.db().undecided_appeals(100).await?;
        let mut account_ids: Vec<i64> = appeals.iter().map(|appeal| appeal.account_id).collect();
        account_ids.sort_unstable();
        account_ids.dedup();
        // Read per appellant, not per appeal: one account's appeals come in one read.
        let mut found: HashMap<i64, AccountWarning> = HashMap::new();
        for target in self.moderated_accounts(&account_ids).await? {
            let theirs: Vec<i64> = appeals
                .iter()
                .filter(|appeal| appeal.account_id == target.account.id)
                .map(|appeal| appeal.account_warning_id)
                .collect();
            found.extend(self.warnings_by_id(&target.account, &theirs).await?);
        }
        Ok(appeals
            .iter()
            .filter_map(|appeal| found.remove(&appeal.account_warning_id))
            .collect())
    }

    /// Approves an appeal, which overrules its warning and undoes what came with it, or
    /// rejects it; either way its author is told by e-mail. A decided appeal is not decided
    /// again (422).
    pub async fn decide_appeal(
        &self,
        by: Moderator<'_>,
        appeal_id: i64,
        approve: bool,
    ) -> Result<()> {
        by.require(permission::MANAGE_APPEALS)?;
        let appeal = self
            .db()
            .appeal(appeal_id)
            .await?
            .ok_or(CoreError::NotFound)?;
        let target = self
            .moderated_accounts(&[appeal.account_id])
            .await?
            .pop()
            .ok_or(CoreError::NotFound)?;
        let warning = self
            .warning(&target.account, appeal.account_warning_id)
            .await?;
        let now = crate::now_millis();
        let mut tx = self.db().begin().await?;
        if !tx
            .decide_appeal(appeal_id, approve, by.account_id(), now)
            .await?
        {
            return Err(CoreError::Validation(
                "Validation failed: This appeal was already decided".into(),
            ));
        }
        let id = target.account.id;
        if approve {
            // Mastodon's `ApproveAppealService`: what the warning came with is undone.
            match warning.action {
                WarningAction::Disable => {
                    tx.set_user_disabled(id, false).await?;
                }
                WarningAction::Sensitive => {
                    tx.set_account_limit(id, AccountLimit::Sensitized, None, None)
                        .await?;
                }
                WarningAction::Silence => {
                    tx.set_account_limit(id, AccountLimit::Silenced, None, None)
                        .await?;
                }
                WarningAction::Suspend => {
                    if tx
                        .set_account_limit(id, AccountLimit::Suspended, None, None)
                        .await?
                        && target.account.is_local()
                    {
                        crate::outbox::enqueue(
                            &mut tx,
                            &crate::outbox::Outbound::UpdateProfile { account_id: id },
                            now,
                        )
                        .await?;
                    }
                }
                WarningAction::MarkStatusesAsSensitive => {
                    let unmarked = tx
                        .set_statuses_sensitive(id, &warning.status_ids, false)
                        .await?;
                    if target.account.is_local() {
                        for status_id in unmarked {
                            let update = crate::outbox::Outbound::Update { status_id };
                            crate::outbox::enqueue(&mut tx, &update, now).await?;
                        }
                    }
                }
                // Removed posts are gone here (see `crate::status_moderation`): the warning
                // is overruled, nothing more.
                WarningAction::None | WarningAction::DeleteStatuses => {}
            }
        }
        let decision = if approve { "approve" } else { "reject" };
        let logged = Target::Appeal(appeal_id, &target.account);
        log_action(&mut tx, by, decision, logged, now).await?;
        match &target.user {
            Some(user) => {
                let link = self.config().urls().warning_page(warning.id);
                let message = Message::AppealDecided {
                    approved: approve,
                    link: &link,
                };
                let email = self.message_to(&message, &user.email, &target.account, user);
                self.commit_with_email(tx, &email).await?;
            }
            None => {
                tx.commit().await?;
                self.wake_workers();
            }
        }
        tracing::info!(
            appeal = appeal_id,
            moderator = %by,
            decision,
            "appeal decided"
        );
        Ok(())
    }

    /// An account's warnings, newest first, with their appeals.
    pub async fn warnings_of(&self, account: &Account) -> Result<Vec<AccountWarning>> {
        let rows = self.db().account_warnings(account.id).await?;
        self.warnings_from_rows(account, rows).await
    }

    /// One warning of `account` (its own, or for a moderator any account's).
    pub async fn warning(&self, account: &Account, id: i64) -> Result<AccountWarning> {
        let row = self
            .db()
            .account_warning(id)
            .await?
            .filter(|row| row.account_id == account.id)
            .ok_or(CoreError::NotFound)?;
        self.warnings_from_rows(account, vec![row])
            .await?
            .pop()
            .ok_or(CoreError::NotFound)
    }

    /// Warnings by id for the notifications that tell of them, keyed by id.
    pub(crate) async fn warnings_by_id(
        &self,
        target: &Account,
        ids: &[i64],
    ) -> Result<HashMap<i64, AccountWarning>> {
        // An account gets few warnings: reading all of them is one query, not one per id.
        let mut rows = self.db().account_warnings(target.id).await?;
        rows.retain(|row| ids.contains(&row.id));
        Ok(self
            .warnings_from_rows(target, rows)
            .await?
            .into_iter()
            .map(|warning| (warning.id, warning))
            .collect())
    }

    async fn warnings_from_rows(
        &self,
        target: &Account,
        rows: Vec<AccountWarningRow>,
    ) -> Result<Vec<AccountWarning>> {
        let ids: Vec<i64> = rows.iter().map(|row| row.id).collect();
        let mut appeals: HashMap<i64, Appeal> = self
            .db()
            .appeals_of(&ids)
            .await?
            .into_iter()
            .map(|row| (row.account_warning_id, Appeal::from(row)))
            .collect();
        Ok(rows
            .into_iter()
            .map(|row| AccountWarning {
                id: row.id,
                target: target.clone(),
                action: WarningAction::parse(&row.action).unwrap_or(WarningAction::None),
                text: row.text,
                status_ids: serde_json::from_str(&row.status_ids).unwrap_or_default(),
                report_id: row.report_id,
                created_at: row.created_at,
                overruled_at: row.overruled_at,
                appeal: appeals.remove(&row.id),
            })
            .collect())
    }
}
