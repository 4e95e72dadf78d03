//! Account rows: every account (local and remote) in `account`, and what only local users have
//! (credentials, role, private key, posting defaults) in `local_user`.

use std::sync::LazyLock;

use crate::connect::{Db, Tx, on_reader, on_tx, on_writer};
use crate::error::Result;
use crate::status_pages::advance_stamp;

/// One row of `account`.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct AccountRow {
    pub id: i64,
    pub username: String,
    /// `None` for local accounts.
    pub domain: Option<String>,
    pub display_name: String,
    pub note: String,
    pub locked: bool,
    pub bot: bool,
    pub discoverable: bool,
    pub indexable: bool,
    pub public_key_pem: String,
    pub statuses_count: i64,
    pub followers_count: i64,
    pub following_count: i64,
    pub last_status_at: Option<i64>,
    pub created_at: i64,
    pub updated_at: i64,
    /// The note as its author typed it (local accounts).
    pub note_source: String,
    /// JSON array of profile fields.
    pub fields: String,
    /// The avatar's key in the media store; `None` for the default image.
    pub avatar_key: Option<String>,
    /// The header's key in the media store; `None` for the default image.
    pub header_key: Option<String>,
    /// A remote account's actor links (all `None` for local accounts).
    #[sqlx(flatten)]
    pub actor: ActorLinks,
    /// What moderators did to it.
    #[sqlx(flatten)]
    pub limits: AccountLimits,
    /// The account it moved to.
    pub moved_to_account_id: Option<i64>,
}

/// What moderators did to an account, each since when (`None`: not done).
#[derive(Debug, Clone, Default, PartialEq, Eq, sqlx::FromRow)]
pub struct AccountLimits {
    /// Hidden with all it posted; its data purged after 30 days unless lifted.
    pub suspended_at: Option<i64>,
    /// `local` when this server suspended it, `remote` when its own server did.
    pub suspension_origin: Option<String>,
    /// Limited: its posts reach only its followers.
    pub silenced_at: Option<i64>,
    /// Its media always behind a warning.
    pub sensitized_at: Option<i64>,
}

/// Where a remote account's actor document says things are.
#[derive(Debug, Clone, Default, PartialEq, Eq, sqlx::FromRow)]
pub struct ActorLinks {
    /// The actor's id.
    pub uri: Option<String>,
    /// Its profile page.
    pub url: Option<String>,
    pub inbox_url: Option<String>,
    pub shared_inbox_url: Option<String>,
    pub followers_url: Option<String>,
    /// `Person`, `Service`, `Group`, `Application` or `Organization`.
    pub actor_type: Option<String>,
    pub avatar_remote_url: Option<String>,
    pub header_remote_url: Option<String>,
}

/// Which of an account's profile images.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProfileImage {
    Avatar,
    Header,
}

impl ProfileImage {
    fn column(self) -> &'static str {
        match self {
            ProfileImage::Avatar => "avatar_key",
            ProfileImage::Header => "header_key",
        }
    }
}

/// One row of `local_user`.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct LocalUserRow {
    pub account_id: i64,
    pub email: String,
    pub password_hash: String,
    pub role: String,
    pub approved: bool,
    pub default_privacy: String,
    pub default_sensitive: bool,
    pub default_language: Option<String>,
    pub last_active_at: Option<i64>,
    /// Read as `user_created_at`, so that one row can hold a user beside its account.
    #[sqlx(rename = "user_created_at")]
    pub created_at: i64,
    /// When the e-mail address was confirmed; `None` until then.
    pub confirmed_at: Option<i64>,
    pub locale: String,
    /// A new address waiting for its confirmation.
    pub unconfirmed_email: Option<String>,
    /// The app that signed the user up through the API.
    pub sign_up_app_id: Option<i64>,
    pub sign_up_reason: Option<String>,
    /// `default`, `show_all` or `hide_all`: how media marked sensitive are shown.
    pub expand_media: String,
    /// Whether posts behind a content warning are shown opened.
    pub expand_spoilers: bool,
    /// Whether the web composer refuses an image without a description.
    pub require_alt_text: bool,
    /// Disabled by a moderator: no sign-in, no API.
    pub disabled: bool,
}

impl crate::sqlite_reads::ReadRow for LocalUserRow {
    const COLUMNS: &'static [&'static str] = &[
        "account_id",
        "email",
        "password_hash",
        "role",
        "approved",
        "default_privacy",
        "default_sensitive",
        "default_language",
        "last_active_at",
        "user_created_at",
        "confirmed_at",
        "locale",
        "unconfirmed_email",
        "sign_up_app_id",
        "sign_up_reason",
        "expand_media",
        "expand_spoilers",
        "require_alt_text",
        "disabled",
    ];

    fn read(columns: &mut crate::sqlite_reads::Columns<'_, '_>) -> rusqlite::Result<Self> {
        Ok(LocalUserRow {
            account_id: columns.value()?,
            email: columns.value()?,
            password_hash: columns.value()?,
            role: columns.value()?,
            approved: columns.value()?,
            default_privacy: columns.value()?,
            default_sensitive: columns.value()?,
            default_language: columns.value()?,
            last_active_at: columns.value()?,
            created_at: columns.value()?,
            confirmed_at: columns.value()?,
            locale: columns.value()?,
            unconfirmed_email: columns.value()?,
            sign_up_app_id: columns.value()?,
            sign_up_reason: columns.value()?,
            expand_media: columns.value()?,
            expand_spoilers: columns.value()?,
            require_alt_text: columns.value()?,
            disabled: columns.value()?,
        })
    }
}

/// What creating a local account writes.
#[derive(Debug, Clone)]
pub struct NewLocalAccount {
    pub username: String,
    pub email: String,
    pub password_hash: String,
    pub role: String,
    pub public_key_pem: String,
    pub private_key_pem: String,
    /// Whether the address counts as confirmed from the start (accounts the operator makes).
    pub confirmed: bool,
    pub approved: bool,
    pub locale: String,
    pub sign_up_reason: Option<String>,
    pub invite_id: Option<i64>,
    pub sign_up_app_id: Option<i64>,
    pub sign_up_ip: Option<String>,
}

/// What this server knows of an account on another server (from its actor document).
#[derive(Debug, Clone)]
pub struct NewRemoteAccount {
    pub username: String,
    /// Normalized: lower-case ASCII host with an optional port.
    pub domain: String,
    pub display_name: String,
    /// Sanitized HTML.
    pub note: String,
    pub locked: bool,
    pub bot: bool,
    pub discoverable: bool,
    pub indexable: bool,
    pub public_key_pem: String,
    /// Profile fields, a JSON array as local accounts store them.
    pub fields: String,
    pub actor: ActorLinks,
    /// The counts its server gives; `None` keeps the stored one (0 for a new account).
    pub counts: RemoteCounts,
}

/// How many posts, followers and followed accounts a remote account has, as the `totalItems`
/// of its outbox, followers and following collections say; `None` where unknown.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RemoteCounts {
    pub statuses: Option<i64>,
    pub followers: Option<i64>,
    pub following: Option<i64>,
}

impl crate::sqlite_reads::ReadRow for AccountRow {
    const COLUMNS: &'static [&'static str] = &[
        "id",
        "username",
        "domain",
        "display_name",
        "note",
        "locked",
        "bot",
        "discoverable",
        "indexable",
        "public_key_pem",
        "statuses_count",
        "followers_count",
        "following_count",
        "last_status_at",
        "created_at",
        "updated_at",
        "note_source",
        "fields",
        "avatar_key",
        "header_key",
        "uri",
        "url",
        "inbox_url",
        "shared_inbox_url",
        "followers_url",
        "actor_type",
        "avatar_remote_url",
        "header_remote_url",
        "suspended_at",
        "suspension_origin",
        "silenced_at",
        "sensitized_at",
        "moved_to_account_id",
    ];

    fn read(columns: &mut crate::sqlite_reads::Columns<'_, '_>) -> rusqlite::Result<Self> {
        Ok(AccountRow {
            id: columns.value()?,
            username: columns.value()?,
            domain: columns.value()?,
            display_name: columns.value()?,
            note: columns.value()?,
            locked: columns.value()?,
            bot: columns.value()?,
            discoverable: columns.value()?,
            indexable: columns.value()?,
            public_key_pem: columns.value()?,
            statuses_count: columns.value()?,
            followers_count: columns.value()?,
            following_count: columns.value()?,
            last_status_at: columns.value()?,
            created_at: columns.value()?,
            updated_at: columns.value()?,
            note_source: columns.value()?,
            fields: columns.value()?,
            avatar_key: columns.value()?,
            header_key: columns.value()?,
            actor: ActorLinks {
                uri: columns.value()?,
                url: columns.value()?,
                inbox_url: columns.value()?,
                shared_inbox_url: columns.value()?,
                followers_url: columns.value()?,
                actor_type: columns.value()?,
                avatar_remote_url: columns.value()?,
                header_remote_url: columns.value()?,
            },
            limits: AccountLimits {
                suspended_at: columns.value()?,
                suspension_origin: columns.value()?,
                silenced_at: columns.value()?,
                sensitized_at: columns.value()?,
            },
            moved_to_account_id: columns.value()?,
        })
    }
}

/// A local user as every authenticated request reads it: without the private key, which only
/// signing needs ([`Db::private_key_of`]).
pub(crate) static LOCAL_USER_BY_ACCOUNT: LazyLock<String> = LazyLock::new(|| {
    format!("SELECT {LOCAL_USER_COLUMNS} FROM local_user u WHERE u.account_id = $1")
});

/// The columns [`LocalUserRow`] reads, of `local_user` named `u` (its `created_at` as
/// `user_created_at`, so that a row can hold an account's beside it).
pub(crate) const LOCAL_USER_COLUMNS: &str = "u.account_id, u.email, u.password_hash, u.role, \
     u.approved, u.default_privacy, u.default_sensitive, u.default_language, u.last_active_at, \
     u.created_at AS user_created_at, u.confirmed_at, u.locale, u.unconfirmed_email, \
     u.sign_up_app_id, u.sign_up_reason, u.expand_media, u.expand_spoilers, u.require_alt_text, \
     u.disabled";

/// An account by its id, bound as `$1`; a deleted one is not found.
pub(crate) static ACCOUNT_BY_ID: LazyLock<String> = LazyLock::new(|| {
    format!(
        "SELECT {ACCOUNT_COLUMNS} FROM account WHERE id = $1 AND {}",
        shown("account")
    )
});

/// The condition every read of accounts that shows them adds: a deleted account is hidden at
/// once, while a job purges what it left (see `Tx::retire_local_account`), and so is a
/// suspended one, with all it posted, until the suspension is lifted or its data purged.
pub(crate) fn shown(alias: &str) -> String {
    format!("{alias}.deleted_at IS NULL AND {alias}.suspended_at IS NULL")
}

/// The condition reads add that must still find a suspended account: moderators' own, and a
/// suspended user's sign-in, which is refused with a reason rather than as unknown.
pub(crate) fn exists(alias: &str) -> String {
    format!("{alias}.deleted_at IS NULL")
}

pub(crate) const ACCOUNT_COLUMNS: &str = "id, username, domain, display_name, note, locked, bot, \
     discoverable, indexable, public_key_pem, statuses_count, followers_count, following_count, \
     last_status_at, created_at, updated_at, note_source, fields, avatar_key, header_key, uri, url, \
     inbox_url, shared_inbox_url, followers_url, actor_type, avatar_remote_url, header_remote_url, \
     suspended_at, suspension_origin, silenced_at, sensitized_at, moved_to_account_id";

impl Tx {
    /// Inserts a local account and its user row; returns the new account id.
    /// A taken username or e-mail address is a [`crate::StoreError::Conflict`].
    pub async fn insert_local_account(&mut self, new: &NewLocalAccount, now: i64) -> Result<i64> {
        let id = self.next_id();
        on_tx!(rows_affected, self, conn => sqlx::query(
            // Found by full-text search only once its owner opts in, as in Mastodon.
            "INSERT INTO account (id, username, domain, public_key_pem, indexable, created_at, \
             updated_at) VALUES ($1, $2, NULL, $3, FALSE, $4, $4)",
        )
        .bind(id)
        .bind(&new.username)
        .bind(&new.public_key_pem)
        .bind(now)
        .execute(conn)
        .await)?;
        on_tx!(rows_affected, self, conn => sqlx::query(
            "INSERT INTO local_user (account_id, email, password_hash, role, private_key_pem, created_at, \
             confirmed_at, approved, locale, sign_up_reason, invite_id, sign_up_app_id, sign_up_ip) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
        )
        .bind(id)
        .bind(&new.email)
        .bind(&new.password_hash)
        .bind(&new.role)
        .bind(&new.private_key_pem)
        .bind(now)
        .bind(new.confirmed.then_some(now))
        .bind(new.approved)
        .bind(&new.locale)
        .bind(&new.sign_up_reason)
        .bind(new.invite_id)
        .bind(new.sign_up_app_id)
        .bind(&new.sign_up_ip)
        .execute(conn)
        .await)?;
        Ok(id)
    }
}

impl Tx {
    /// Stores a remote account, or refreshes the one with the same actor id or else the same
    /// username and domain (both compared case-insensitively, as the unique index does);
    /// returns its id. An actor found by its id takes the username it now gives (an instance
    /// actor renamed, as Mastodon renamed those with a colon in theirs).
    pub async fn upsert_remote_account(
        &mut self,
        account: &NewRemoteAccount,
        now: i64,
    ) -> Result<i64> {
        let mut existing: Option<(i64,)> = None;
        if let Some(uri) = &account.actor.uri {
            existing = on_tx!(self, conn => sqlx::query_as(
                "SELECT id FROM account WHERE uri = $1 AND domain IS NOT NULL",
            )
            .bind(uri)
            .fetch_optional(conn)
            .await)?;
        }
        let found_by_uri = existing.is_some();
        if existing.is_none() {
            existing = on_tx!(self, conn => sqlx::query_as(
                "SELECT id FROM account WHERE lower(username) = lower($1) AND coalesce(lower(domain), '') = lower($2)",
            )
            .bind(&account.username)
            .bind(&account.domain)
            .fetch_optional(conn)
            .await)?;
        }
        if let Some((id,)) = existing {
            on_tx!(rows_affected, self, conn => sqlx::query(&format!(
                "UPDATE account SET display_name = $1, note = $2, locked = $3, bot = $4, \
                 discoverable = $5, indexable = $6, public_key_pem = $7, {}, \
                 fields = $10, uri = $11, url = $12, inbox_url = $13, shared_inbox_url = $14, \
                 followers_url = $15, actor_type = $16, avatar_remote_url = $17, \
                 header_remote_url = $18, fetched_at = $8, \
                 username = CASE WHEN $23 THEN $19 ELSE username END, \
                 statuses_count = coalesce($20, statuses_count), \
                 followers_count = coalesce($21, followers_count), \
                 following_count = coalesce($22, following_count) WHERE id = $9",
                advance_stamp("updated_at", "$8")
            ))
            .bind(&account.display_name)
            .bind(&account.note)
            .bind(account.locked)
            .bind(account.bot)
            .bind(account.discoverable)
            .bind(account.indexable)
            .bind(&account.public_key_pem)
            .bind(now)
            .bind(id)
            .bind(&account.fields)
            .bind(&account.actor.uri)
            .bind(&account.actor.url)
            .bind(&account.actor.inbox_url)
            .bind(&account.actor.shared_inbox_url)
            .bind(&account.actor.followers_url)
            .bind(&account.actor.actor_type)
            .bind(&account.actor.avatar_remote_url)
            .bind(&account.actor.header_remote_url)
            .bind(&account.username)
            .bind(account.counts.statuses)
            .bind(account.counts.followers)
            .bind(account.counts.following)
            // Only an actor found by its id is renamed: one found by its name keeps the
            // spelling it was first stored with, as Mastodon keeps it.
            .bind(found_by_uri)
            .execute(conn)
            .await)?;
            return Ok(id);
        }
        let id = self.next_id();
        on_tx!(rows_affected, self, conn => sqlx::query(
            "INSERT INTO account (id, username, domain, display_name, note, locked, bot, discoverable, \
             indexable, public_key_pem, created_at, updated_at, fields, uri, url, inbox_url, \
             shared_inbox_url, followers_url, actor_type, avatar_remote_url, header_remote_url, \
             fetched_at, statuses_count, followers_count, following_count) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11, $12, $13, $14, $15, $16, \
             $17, $18, $19, $20, $11, coalesce($21, 0), coalesce($22, 0), coalesce($23, 0))",
        )
        .bind(id)
        .bind(&account.username)
        .bind(&account.domain)
        .bind(&account.display_name)
        .bind(&account.note)
        .bind(account.locked)
        .bind(account.bot)
        .bind(account.discoverable)
        .bind(account.indexable)
        .bind(&account.public_key_pem)
        .bind(now)
        .bind(&account.fields)
        .bind(&account.actor.uri)
        .bind(&account.actor.url)
        .bind(&account.actor.inbox_url)
        .bind(&account.actor.shared_inbox_url)
        .bind(&account.actor.followers_url)
        .bind(&account.actor.actor_type)
        .bind(&account.actor.avatar_remote_url)
        .bind(&account.actor.header_remote_url)
        .bind(account.counts.statuses)
        .bind(account.counts.followers)
        .bind(account.counts.following)
        .execute(conn)
        .await)?;
        Ok(id)
    }
}

/// A profile edit: each `Some` replaces the stored value.
#[derive(Debug, Clone, Default)]
pub struct ProfileUpdate {
    pub display_name: Option<String>,
    pub note: Option<String>,
    pub note_source: Option<String>,
    pub locked: Option<bool>,
    pub bot: Option<bool>,
    pub discoverable: Option<bool>,
    pub indexable: Option<bool>,
    pub fields: Option<String>,
    pub default_privacy: Option<String>,
    pub default_sensitive: Option<bool>,
    pub default_language: Option<Option<String>>,
    /// The language of the web interface and of the e-mails the user is sent.
    pub locale: Option<String>,
    pub expand_media: Option<String>,
    pub expand_spoilers: Option<bool>,
    pub require_alt_text: Option<bool>,
}

impl Tx {
    /// Applies a profile edit to a local account.
    /// Sets (or, with `None`, clears) an account's avatar or header and returns the key it
    /// replaced, whose file the caller removes once this commits.
    pub async fn set_profile_image(
        &mut self,
        account_id: i64,
        image: ProfileImage,
        key: Option<&str>,
        now: i64,
    ) -> Result<Option<String>> {
        let column = image.column();
        let old: Option<(Option<String>,)> = on_tx!(self, conn => sqlx::query_as(&format!(
            "SELECT {column} FROM account WHERE id = $1"
        ))
        .bind(account_id)
        .fetch_optional(&mut *conn)
        .await)?;
        on_tx!(rows_affected, self, conn => sqlx::query(&format!(
            "UPDATE account SET {column} = $1, {} WHERE id = $3",
            advance_stamp("updated_at", "$2")
        ))
        .bind(key)
        .bind(now)
        .bind(account_id)
        .execute(conn)
        .await)?;
        Ok(old.and_then(|(key,)| key))
    }

    pub async fn update_profile(
        &mut self,
        account_id: i64,
        update: &ProfileUpdate,
        now: i64,
    ) -> Result<()> {
        on_tx!(rows_affected, self, conn => sqlx::query(&format!(
            "UPDATE account SET display_name = coalesce($1, display_name), note = coalesce($2, note), \
             note_source = coalesce($3, note_source), locked = coalesce($4, locked), bot = coalesce($5, bot), \
             discoverable = coalesce($6, discoverable), indexable = coalesce($7, indexable), \
             fields = coalesce($8, fields), {} WHERE id = $10",
            advance_stamp("updated_at", "$9")
        ))
        .bind(&update.display_name)
        .bind(&update.note)
        .bind(&update.note_source)
        .bind(update.locked)
        .bind(update.bot)
        .bind(update.discoverable)
        .bind(update.indexable)
        .bind(&update.fields)
        .bind(now)
        .bind(account_id)
        .execute(conn)
        .await)?;
        let (language_given, language) = match &update.default_language {
            Some(language) => (true, language.clone()),
            None => (false, None),
        };
        on_tx!(rows_affected, self, conn => sqlx::query(
            "UPDATE local_user SET default_privacy = coalesce($1, default_privacy), \
             default_sensitive = coalesce($2, default_sensitive), \
             default_language = CASE WHEN $3 THEN $4 ELSE default_language END, \
             locale = coalesce($5, locale), expand_media = coalesce($6, expand_media), \
             expand_spoilers = coalesce($7, expand_spoilers), \
             require_alt_text = coalesce($8, require_alt_text) WHERE account_id = $9",
        )
        .bind(&update.default_privacy)
        .bind(update.default_sensitive)
        .bind(language_given)
        .bind(language)
        .bind(&update.locale)
        .bind(&update.expand_media)
        .bind(update.expand_spoilers)
        .bind(update.require_alt_text)
        .bind(account_id)
        .execute(conn)
        .await)?;
        Ok(())
    }
}

impl Db {
    pub async fn account_by_id(&self, id: i64) -> Result<Option<AccountRow>> {
        let row = on_reader!(self, pool => sqlx::query_as::<_, AccountRow>(&ACCOUNT_BY_ID)
            .bind(id)
            .fetch_optional(pool)
            .await)?;
        Ok(row)
    }

    /// An account of another server known here, by username and domain (case-insensitive).
    pub async fn remote_account_by_acct(
        &self,
        username: &str,
        domain: &str,
    ) -> Result<Option<AccountRow>> {
        let sql = format!(
            "SELECT {ACCOUNT_COLUMNS} FROM account \
             WHERE lower(username) = lower($1) AND coalesce(lower(domain), '') = lower($2)"
        );
        let row = on_reader!(self, pool => sqlx::query_as::<_, AccountRow>(&sql)
            .bind(username)
            .bind(domain)
            .fetch_optional(pool)
            .await)?;
        Ok(row)
    }

    /// A local account by username, case-insensitively as Mastodon matches them.
    pub async fn local_account_by_username(&self, username: &str) -> Result<Option<AccountRow>> {
        let sql = format!(
            "SELECT {ACCOUNT_COLUMNS} FROM account \
             WHERE lower(username) = lower($1) AND coalesce(lower(domain), '') = '' \
             AND {}",
            shown("account")
        );
        let row = on_reader!(self, pool => sqlx::query_as::<_, AccountRow>(&sql)
            .bind(username)
            .fetch_optional(pool)
            .await)?;
        Ok(row)
    }

    /// A local account by username or e-mail address (both case-insensitive): what people type
    /// into a sign-in form.
    pub async fn local_account_by_login(
        &self,
        login: &str,
    ) -> Result<Option<(AccountRow, LocalUserRow)>> {
        let account_id: Option<(i64,)> = on_reader!(self, pool => sqlx::query_as(
            "SELECT u.account_id FROM local_user u JOIN account a ON a.id = u.account_id \
             WHERE lower(u.email) = lower($1) \
                OR (lower(a.username) = lower($1) AND a.domain IS NULL)",
        )
        .bind(login)
        .fetch_optional(pool)
        .await)?;
        let Some((account_id,)) = account_id else {
            return Ok(None);
        };
        // A suspended user signs in too, to read why and appeal.
        match (
            self.account_including_suspended(account_id).await?,
            self.local_user(account_id).await?,
        ) {
            (Some(account), Some(user)) => Ok(Some((account, user))),
            _ => Ok(None),
        }
    }

    pub async fn local_user(&self, account_id: i64) -> Result<Option<LocalUserRow>> {
        let row = on_reader!(self, pool => sqlx::query_as::<_, LocalUserRow>(&LOCAL_USER_BY_ACCOUNT)
        .bind(account_id)
        .fetch_optional(pool)
        .await)?;
        Ok(row)
    }

    /// The private key (PKCS#8 PEM) the local account `account_id` signs with.
    pub async fn private_key_of(&self, account_id: i64) -> Result<Option<String>> {
        let row: Option<(String,)> = on_reader!(self, pool => sqlx::query_as(
            "SELECT private_key_pem FROM local_user WHERE account_id = $1",
        )
        .bind(account_id)
        .fetch_optional(pool)
        .await)?;
        Ok(row.map(|(key,)| key))
    }

    /// The oldest local account with `role` (the instance's contact is its first owner).
    pub async fn first_account_with_role(&self, role: &str) -> Result<Option<AccountRow>> {
        let sql = format!(
            "SELECT {ACCOUNT_COLUMNS} FROM account WHERE id = \
             (SELECT account_id FROM local_user WHERE role = $1 ORDER BY account_id LIMIT 1)"
        );
        let row = on_reader!(self, pool => sqlx::query_as::<_, AccountRow>(&sql)
            .bind(role)
            .fetch_optional(pool)
            .await)?;
        Ok(row)
    }

    /// Records that a local user used the instance at `now` (feeds "active users" figures and
    /// the weekly logins of the instance activity).
    pub async fn touch_local_user(&self, account_id: i64, now: i64) -> Result<()> {
        on_writer!(rows_affected, self, pool => sqlx::query(
            "UPDATE local_user SET last_active_at = $1 WHERE account_id = $2",
        )
        .bind(now)
        .bind(account_id)
        .execute(pool)
        .await)?;
        self.record_weekly_login(account_id, crate::week_start(now))
            .await?;
        on_writer!(rows_affected, self, pool => sqlx::query(
            "INSERT INTO daily_login (day, account_id) VALUES ($1, $2) ON CONFLICT DO NOTHING",
        )
        .bind(crate::site::day_start(now))
        .bind(account_id)
        .execute(pool)
        .await)?;
        Ok(())
    }

    /// How many local accounts exist; with `role`, how many have that role.
    pub async fn count_local_users(&self, role: Option<&str>) -> Result<i64> {
        let (count,): (i64,) = on_reader!(self, pool => sqlx::query_as(
            "SELECT count(*) FROM local_user WHERE role = coalesce($1, role)",
        )
        .bind(role)
        .fetch_one(pool)
        .await)?;
        Ok(count)
    }

    /// Local users active since `since` (Unix milliseconds).
    pub async fn count_active_local_users(&self, since: i64) -> Result<i64> {
        let (count,): (i64,) = on_reader!(self, pool => sqlx::query_as(
            "SELECT count(*) FROM local_user WHERE last_active_at >= $1",
        )
        .bind(since)
        .fetch_one(pool)
        .await)?;
        Ok(count)
    }

    /// The number of statuses written by local accounts.
    pub async fn count_local_statuses(&self) -> Result<i64> {
        let (count,): (i64,) = on_reader!(self, pool => sqlx::query_as(
            "SELECT CAST(coalesce(sum(statuses_count), 0) AS BIGINT) FROM account WHERE domain IS NULL",
        )
        .fetch_one(pool)
        .await)?;
        Ok(count)
    }

    /// The number of other servers this instance knows accounts of.
    /// The other servers this instance knows accounts of, sorted.
    pub async fn known_domains(&self) -> Result<Vec<String>> {
        let rows: Vec<(String,)> = on_reader!(self, pool => sqlx::query_as(
            "SELECT DISTINCT lower(domain) AS domain FROM account WHERE domain IS NOT NULL ORDER BY domain",
        )
        .fetch_all(pool)
        .await)?;
        Ok(rows.into_iter().map(|(domain,)| domain).collect())
    }

    pub async fn count_known_domains(&self) -> Result<i64> {
        let (count,): (i64,) = on_reader!(self, pool => sqlx::query_as(
            "SELECT count(DISTINCT lower(domain)) FROM account WHERE domain IS NOT NULL",
        )
        .fetch_one(pool)
        .await)?;
        Ok(count)
    }
}
