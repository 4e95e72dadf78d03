//! Accounts: what a valid username, e-mail address and role are, and creating local accounts.

use std::fmt;

pub use woolly_store::{AccountLimits, ActorLinks};
use woolly_store::{AccountRow, LocalUserRow, NewLocalAccount, StoreError};

use crate::areas::Accounts;
use crate::crypto;
use crate::error::{CoreError, FieldErrors, Result};
use crate::state::Woolly;

/// Mastodon's limit for local usernames (`app/validators/unreserved_username_validator.rb`).
pub(crate) const MAX_USERNAME_LENGTH: usize = 30;

/// A local username: 1 to 30 ASCII letters, digits and underscores, as Mastodon allows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Username(String);

impl Username {
    pub fn parse(text: &str) -> Result<Username> {
        let valid = !text.is_empty()
            && text.len() <= MAX_USERNAME_LENGTH
            && text.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
        if valid {
            Ok(Username(text.to_owned()))
        } else {
            Err(CoreError::Validation(format!(
                "Username {text:?} is invalid: use 1 to {MAX_USERNAME_LENGTH} letters, digits and underscores"
            )))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Username {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(&self.0)
    }
}

/// An e-mail address: one `@` between a non-empty local part and a dotted domain, no spaces.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Email(String);

impl Email {
    pub fn parse(text: &str) -> Result<Email> {
        let text = text.trim();
        let valid = text.len() <= 254
            && !text.chars().any(|c| c.is_whitespace() || c.is_control())
            && matches!(text.split_once('@'), Some((local, domain))
                if !local.is_empty() && !domain.contains('@') && domain.contains('.')
                    && !domain.starts_with('.') && !domain.ends_with('.'));
        if valid {
            Ok(Email(text.to_owned()))
        } else {
            Err(CoreError::Validation(format!(
                "E-mail address {text:?} is invalid"
            )))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// What a local user may do on the instance. Mastodon's default roles, in rising order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Role {
    User,
    Moderator,
    Admin,
    Owner,
}

impl Role {
    pub const ALL: [Role; 4] = [Role::User, Role::Moderator, Role::Admin, Role::Owner];

    pub fn parse(text: &str) -> Result<Role> {
        Role::ALL
            .into_iter()
            .find(|role| role.as_str() == text)
            .ok_or_else(|| {
                CoreError::Validation(format!(
                    "Role {text:?} is unknown: use user, moderator, admin or owner"
                ))
            })
    }

    /// Whether this role handles reports (Mastodon's `manage_reports`, or `administrator`).
    pub fn handles_reports(self) -> bool {
        self.can(permission::MANAGE_REPORTS)
    }

    /// Whether this role has the permission `flag`, or `administrator`, which has them all.
    pub fn can(self, flag: u64) -> bool {
        self.permissions() & (flag | permission::ADMINISTRATOR) != 0
    }

    /// Mastodon's permission bits for this role (`app/models/user_role.rb`), as clients read
    /// them from `CredentialAccount.role.permissions`.
    pub fn permissions(self) -> u64 {
        use permission::*;
        match self {
            Role::User => INVITE_USERS,
            Role::Moderator => {
                INVITE_USERS
                    | VIEW_DASHBOARD
                    | VIEW_AUDIT_LOG
                    | MANAGE_USERS
                    | MANAGE_REPORTS
                    | MANAGE_TAXONOMIES
                    | MANAGE_APPEALS
            }
            Role::Admin => ALL & !ADMINISTRATOR & !VIEW_DEVOPS,
            Role::Owner => ALL,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Role::User => "user",
            Role::Moderator => "moderator",
            Role::Admin => "admin",
            Role::Owner => "owner",
        }
    }
}

/// Mastodon's role permission flags (`UserRole::FLAGS`).
pub mod permission {
    pub const ADMINISTRATOR: u64 = 1 << 0;
    pub const VIEW_DEVOPS: u64 = 1 << 1;
    pub const VIEW_AUDIT_LOG: u64 = 1 << 2;
    pub const VIEW_DASHBOARD: u64 = 1 << 3;
    pub const MANAGE_REPORTS: u64 = 1 << 4;
    pub const MANAGE_TAXONOMIES: u64 = 1 << 8;
    pub const MANAGE_APPEALS: u64 = 1 << 9;
    pub const MANAGE_USERS: u64 = 1 << 10;
    pub const MANAGE_FEDERATION: u64 = 1 << 5;
    pub const MANAGE_SETTINGS: u64 = 1 << 6;
    pub const MANAGE_BLOCKS: u64 = 1 << 7;
    pub const MANAGE_INVITES: u64 = 1 << 12;
    pub const MANAGE_RULES: u64 = 1 << 13;
    pub const MANAGE_ANNOUNCEMENTS: u64 = 1 << 14;
    pub const MANAGE_ROLES: u64 = 1 << 17;
    pub const MANAGE_USER_ACCESS: u64 = 1 << 18;
    pub const DELETE_USER_DATA: u64 = 1 << 19;
    pub const INVITE_USERS: u64 = 1 << 16;
    /// Every flag Mastodon defines, `administrator` (bit 0) to `view_feeds` (bit 20).
    pub const ALL: u64 = (1 << 21) - 1;
}

/// An account, local or remote.
#[derive(Debug, Clone)]
pub struct Account {
    pub id: i64,
    pub username: String,
    /// `None` for local accounts.
    pub domain: Option<String>,
    pub display_name: String,
    /// HTML, already rendered (local) or sanitized (remote).
    pub note: String,
    pub locked: bool,
    pub bot: bool,
    pub discoverable: bool,
    pub indexable: bool,
    pub statuses_count: i64,
    pub followers_count: i64,
    pub following_count: i64,
    pub last_status_at: Option<i64>,
    pub created_at: i64,
    /// The note as typed (local accounts), for editing.
    pub note_source: String,
    pub fields: Vec<ProfileField>,
    /// The avatar's key in the media store; `None` for the default image.
    pub avatar_key: Option<String>,
    /// The header's key in the media store; `None` for the default image.
    pub header_key: Option<String>,
    /// A remote account's actor links (all `None` for local accounts).
    pub actor: ActorLinks,
    /// What moderators did to it (suspended, silenced, sensitized).
    pub limits: AccountLimits,
    /// The custom emojis its display name, note and fields use (filled by
    /// [`Woolly::accounts_from_rows`]).
    pub emojis: Vec<crate::emojis::CustomEmoji>,
    /// The account it moved to, by id.
    pub moved_to_account_id: Option<i64>,
    /// That account, when it can be shown (filled by [`Woolly::accounts_from_rows`], one
    /// level deep: the account it moved to shows no move of its own).
    pub moved: Option<Box<Account>>,
}

fn stored_or_remote_image(
    urls: &crate::urls::Urls,
    key: &Option<String>,
    remote: &Option<String>,
    missing: &str,
) -> String {
    match (key, remote) {
        (Some(key), _) => urls.media(key),
        (None, Some(remote)) => remote.clone(),
        (None, None) => urls.missing_image(missing),
    }
}

/// A profile field (`PropertyValue`): a name and a value rendered to HTML.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ProfileField {
    pub name: String,
    /// HTML.
    pub value: String,
    /// The value as typed.
    #[serde(default)]
    pub source: String,
}

impl Account {
    pub fn is_local(&self) -> bool {
        self.domain.is_none()
    }

    /// Its address as Mastodon's `acct`: `name` here, `name@domain` for remote accounts.
    pub fn acct(&self) -> String {
        match &self.domain {
            None => self.username.clone(),
            Some(domain) => format!("{}@{domain}", self.username),
        }
    }

    /// Its avatar: the stored image, a remote account's own until Woolly caches it, else the
    /// default image.
    pub fn avatar_url(&self, urls: &crate::urls::Urls) -> String {
        stored_or_remote_image(
            urls,
            &self.avatar_key,
            &self.actor.avatar_remote_url,
            "avatars",
        )
    }

    /// Its header image, found as [`Account::avatar_url`] finds the avatar.
    pub fn header_url(&self, urls: &crate::urls::Urls) -> String {
        stored_or_remote_image(
            urls,
            &self.header_key,
            &self.actor.header_remote_url,
            "headers",
        )
    }

    /// Where its `:shortcode:`s are written.
    fn emoji_sources(&self) -> Vec<&str> {
        let note = if self.note_source.is_empty() {
            &self.note
        } else {
            &self.note_source
        };
        let mut texts = vec![self.display_name.as_str(), note];
        for field in &self.fields {
            texts.push(&field.name);
            texts.push(if field.source.is_empty() {
                &field.value
            } else {
                &field.source
            });
        }
        texts
    }
}

impl From<AccountRow> for Account {
    fn from(row: AccountRow) -> Account {
        Account {
            id: row.id,
            username: row.username,
            domain: row.domain,
            display_name: row.display_name,
            note: row.note,
            locked: row.locked,
            bot: row.bot,
            discoverable: row.discoverable,
            indexable: row.indexable,
            statuses_count: row.statuses_count,
            followers_count: row.followers_count,
            following_count: row.following_count,
            last_status_at: row.last_status_at,
            created_at: row.created_at,
            note_source: row.note_source,
            // A malformed fields column loses the fields, not the account.
            fields: serde_json::from_str(&row.fields).unwrap_or_default(),
            avatar_key: row.avatar_key,
            header_key: row.header_key,
            actor: row.actor,
            limits: row.limits,
            emojis: Vec::new(),
            moved_to_account_id: row.moved_to_account_id,
            moved: None,
        }
    }
}

/// What only a local account has: its role and posting defaults (never its secrets).
#[derive(Debug, Clone)]
pub struct LocalUser {
    pub account_id: i64,
    pub email: String,
    pub role: Role,
    pub approved: bool,
    /// public, unlisted, private or direct.
    pub default_privacy: String,
    pub default_sensitive: bool,
    pub default_language: Option<String>,
    /// Whether the e-mail address was confirmed.
    pub confirmed: bool,
    /// The language of the messages the user is sent.
    pub locale: String,
    /// A new address waiting for confirmation.
    pub unconfirmed_email: Option<String>,
    /// The app that signed the user up through the API.
    pub sign_up_app_id: Option<i64>,
    /// Why they asked to join (approval mode).
    pub sign_up_reason: Option<String>,
    pub expand_media: crate::profile::MediaExpansion,
    /// Whether posts behind a content warning are shown opened.
    pub expand_spoilers: bool,
    /// Whether the web composer refuses an image without a description.
    pub require_alt_text: bool,
    /// Disabled by a moderator: no sign-in, no API.
    pub disabled: bool,
}

/// Whether a local user may use the API yet, and if not, why (Mastodon's `require_user!`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Standing {
    Functional,
    Unconfirmed,
    PendingApproval,
    /// A moderator disabled the user's login.
    Disabled,
    /// A moderator suspended the account.
    Suspended,
}

impl Standing {
    /// Mastodon's words for a user who may not use the API yet.
    pub fn refusal(self) -> Option<&'static str> {
        match self {
            Standing::Functional => None,
            Standing::Unconfirmed => Some("Your login is missing a confirmed e-mail address"),
            Standing::PendingApproval => Some("Your login is currently pending approval"),
            Standing::Disabled | Standing::Suspended => Some("Your login is currently disabled"),
        }
    }
}

impl LocalUser {
    /// Whether this user, of `account`, may use the server. A disabled or suspended one still
    /// signs in to the web, as in Mastodon, to read why and appeal; the API refuses them.
    pub fn standing(&self, account: &Account) -> Standing {
        if account.limits.suspended_at.is_some() {
            Standing::Suspended
        } else if self.disabled {
            Standing::Disabled
        } else if !self.confirmed {
            Standing::Unconfirmed
        } else if !self.approved {
            Standing::PendingApproval
        } else {
            Standing::Functional
        }
    }
}

impl TryFrom<LocalUserRow> for LocalUser {
    type Error = CoreError;

    fn try_from(row: LocalUserRow) -> Result<LocalUser> {
        Ok(LocalUser {
            account_id: row.account_id,
            email: row.email,
            role: Role::parse(&row.role).map_err(|_| {
                CoreError::Store(StoreError::Corrupt(format!("unknown role {:?}", row.role)))
            })?,
            approved: row.approved,
            default_privacy: row.default_privacy,
            default_sensitive: row.default_sensitive,
            default_language: row.default_language,
            confirmed: row.confirmed_at.is_some(),
            locale: row.locale,
            unconfirmed_email: row.unconfirmed_email,
            sign_up_app_id: row.sign_up_app_id,
            sign_up_reason: row.sign_up_reason,
            // An unknown value (written by a newer version) reads as the default.
            expand_media: crate::profile::MediaExpansion::parse(&row.expand_media)
                .unwrap_or_default(),
            expand_spoilers: row.expand_spoilers,
            require_alt_text: row.require_alt_text,
            disabled: row.disabled,
        })
    }
}

/// A request to create a local account.
#[derive(Debug, Clone)]
pub struct NewAccount {
    pub username: Username,
    pub email: Email,
    /// `None`: generate a strong password and return it.
    pub password: Option<String>,
    pub role: Role,
}

/// The result of creating an account.
#[derive(Debug, Clone)]
pub struct CreatedAccount {
    pub account_id: i64,
    /// The generated password, when none was given. Shown once, never stored in clear.
    pub generated_password: Option<String>,
}

impl Woolly {
    /// Accounts by id, keyed by id (unknown ids are left out), in one query.
    pub(crate) async fn accounts_by_id(
        &self,
        ids: &[i64],
    ) -> Result<std::collections::HashMap<i64, Account>> {
        let rows = self.db().accounts_by_ids(ids).await?;
        Ok(self
            .accounts_from_rows(rows)
            .await?
            .into_iter()
            .map(|account| (account.id, account))
            .collect())
    }

    /// Accounts ready to show: with the custom emojis their profiles use (one query for all,
    /// none when no profile writes a `:shortcode:`).
    pub(crate) async fn accounts_from_rows(&self, rows: Vec<AccountRow>) -> Result<Vec<Account>> {
        let mut accounts: Vec<Account> = rows.into_iter().map(Account::from).collect();
        let moved_to: Vec<i64> = accounts
            .iter()
            .filter_map(|account| account.moved_to_account_id)
            .collect();
        // Those that moved are few: one more query only when the page holds one.
        let mut targets: Vec<Account> = if moved_to.is_empty() {
            Vec::new()
        } else {
            let rows = self.db().accounts_by_ids(&moved_to).await?;
            rows.into_iter().map(Account::from).collect()
        };
        let wanted =
            crate::emojis::wanted_emojis(accounts.iter().chain(&targets).flat_map(|account| {
                let domain = account.domain.as_deref();
                account
                    .emoji_sources()
                    .into_iter()
                    .map(move |source| (domain, source))
            }));
        let emojis = self.emojis_used_in(wanted).await?;
        if !emojis.is_empty() {
            for account in accounts.iter_mut().chain(&mut targets) {
                account.emojis = crate::emojis::emojis_in(
                    account.domain.as_deref(),
                    &account.emoji_sources(),
                    &emojis,
                );
            }
        }
        for account in &mut accounts {
            account.moved = account.moved_to_account_id.and_then(|id| {
                let target = targets.iter().find(|target| target.id == id)?;
                Some(Box::new(target.clone()))
            });
        }
        Ok(accounts)
    }

    pub(crate) async fn account_from_row(
        &self,
        row: Option<AccountRow>,
    ) -> Result<Option<Account>> {
        Ok(self
            .accounts_from_rows(row.into_iter().collect())
            .await?
            .pop())
    }
}

impl Accounts<'_> {
    /// Creates a local account with an argon2id password hash and an RSA-2048 key pair.
    pub async fn create_local(&self, new: NewAccount) -> Result<CreatedAccount> {
        let (password, generated_password) = match new.password {
            Some(password) => (password, None),
            None => {
                let password = crypto::random_password();
                (password.clone(), Some(password))
            }
        };
        // The same bounds as for a password people choose themselves.
        let mut errors = FieldErrors::default();
        crate::credentials::check_new_password(&password, "password", &mut errors);
        errors.into_result()?;
        // Refuse a taken name before spending CPU on hashing and key generation. A deleted
        // account's name stays taken; the list of names kept from sign-ups (`admin`…) does
        // not bind the operator.
        if self
            .db()
            .local_account_by_username(new.username.as_str())
            .await?
            .is_some()
            || self.db().username_reserved(new.username.as_str()).await?
        {
            return Err(username_taken(&new.username));
        }
        let password_hash = self
            .run_cpu_bound(move || crypto::hash_password(&password))
            .await??;
        let keys = self.key_pair().await?;
        let row = NewLocalAccount {
            username: new.username.as_str().to_owned(),
            email: new.email.as_str().to_owned(),
            password_hash,
            role: new.role.as_str().to_owned(),
            public_key_pem: keys.public_pem,
            private_key_pem: keys.private_pem,
            // The operator vouches for the accounts they make.
            confirmed: true,
            approved: true,
            locale: "en".to_owned(),
            sign_up_reason: None,
            invite_id: None,
            sign_up_app_id: None,
            sign_up_ip: None,
        };
        let mut tx = self.db().begin().await?;
        let account_id = match tx.insert_local_account(&row, crate::now_millis()).await {
            Ok(id) => id,
            Err(StoreError::Conflict(constraint)) if constraint.contains("email") => {
                return Err(CoreError::Validation(
                    "E-mail address is already taken".into(),
                ));
            }
            Err(StoreError::Conflict(_)) => return Err(username_taken(&new.username)),
            Err(error) => return Err(error.into()),
        };
        tx.commit().await?;
        tracing::info!(account_id, username = %new.username, role = new.role.as_str(), "local account created");
        Ok(CreatedAccount {
            account_id,
            generated_password,
        })
    }

    /// An account by id.
    pub async fn account(&self, id: i64) -> Result<Option<Account>> {
        let row = self.db().account_by_id(id).await?;
        self.account_from_row(row).await
    }

    /// A local account by username, for the operator's commands: a missing one is an error
    /// that names it.
    pub async fn local_account_named(&self, username: &str) -> Result<Account> {
        self.local_account(username)
            .await?
            .ok_or_else(|| CoreError::Validation(format!("No local account called {username:?}")))
    }

    /// A local account by username (case-insensitive).
    pub async fn local_account(&self, username: &str) -> Result<Option<Account>> {
        let row = self.db().local_account_by_username(username).await?;
        self.account_from_row(row).await
    }

    /// An account by `acct` (`user`, `@user` or `user@domain`). Only accounts known here are
    /// found; fetching remote ones comes with federation.
    pub async fn lookup_account(&self, acct: &str) -> Result<Account> {
        let acct = acct.trim().trim_start_matches('@');
        let username = match acct.split_once('@') {
            None => acct,
            Some((name, domain)) if domain.eq_ignore_ascii_case(self.config().domain.as_str()) => {
                name
            }
            Some((name, domain)) => {
                let domain = crate::config::Domain::normalize(domain).ok_or(CoreError::NotFound)?;
                let row = self
                    .db()
                    .remote_account_by_acct(name, domain.as_str())
                    .await?;
                return self.account_from_row(row).await?.ok_or(CoreError::NotFound);
            }
        };
        self.local_account(username)
            .await?
            .ok_or(CoreError::NotFound)
    }

    /// The local-user part of a local account.
    pub async fn local_user(&self, account_id: i64) -> Result<Option<LocalUser>> {
        self.db()
            .local_user(account_id)
            .await?
            .map(LocalUser::try_from)
            .transpose()
    }

    /// A local account with its local-user part.
    pub async fn local_user_with_account(
        &self,
        account_id: i64,
    ) -> Result<Option<(Account, LocalUser)>> {
        let Some(user) = self.local_user(account_id).await? else {
            return Ok(None);
        };
        Ok(self
            .account(account_id)
            .await?
            .map(|account| (account, user)))
    }

    /// Whether the instance has an owner yet (the first-run hint asks the operator to create one).
    pub async fn has_owner(&self) -> Result<bool> {
        Ok(self
            .db()
            .count_local_users(Some(Role::Owner.as_str()))
            .await?
            > 0)
    }
}

fn username_taken(username: &Username) -> CoreError {
    CoreError::Validation(format!("Username {username} is already taken"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usernames_follow_mastodon_rules() {
        assert!(Username::parse("alice_99").is_ok());
        for bad in [
            "",
            "al ice",
            "alice@example.org",
            "élodie",
            "a-b",
            &"x".repeat(31),
        ] {
            assert!(Username::parse(bad).is_err(), "{bad:?} should be refused");
        }
    }

    #[test]
    fn emails_need_a_local_part_and_a_dotted_domain() {
        assert!(Email::parse("alice@example.org").is_ok());
        for bad in [
            "alice",
            "@example.org",
            "alice@",
            "alice@localhost",
            "a b@example.org",
            "a@b@c.org",
        ] {
            assert!(Email::parse(bad).is_err(), "{bad:?} should be refused");
        }
    }

    #[test]
    fn roles_round_trip() {
        for role in Role::ALL {
            assert_eq!(Role::parse(role.as_str()).ok(), Some(role));
        }
        assert!(Role::parse("superuser").is_err());
    }
}
