//! `Account` and `CredentialAccount` (`entities/Account.md`).

use serde::Serialize;
use woolly_core::InstanceConfig;
use woolly_core::accounts::{Account, LocalUser, Role};

use woolly_http::time::{date, iso8601_date_midnight};

/// The public view of an account.
#[derive(Debug, Clone, Serialize)]
pub struct AccountEntity {
    pub id: String,
    pub username: String,
    pub acct: String,
    pub display_name: String,
    pub locked: bool,
    pub bot: bool,
    pub discoverable: bool,
    pub indexable: bool,
    pub group: bool,
    pub created_at: String,
    pub note: String,
    pub url: String,
    pub uri: String,
    pub avatar: String,
    pub avatar_static: String,
    pub header: String,
    pub header_static: String,
    pub followers_count: i64,
    pub following_count: i64,
    pub statuses_count: i64,
    pub last_status_at: Option<String>,
    pub hide_collections: bool,
    /// Mastodon sends `noindex` for local accounts only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub noindex: Option<bool>,
    pub emojis: Vec<super::CustomEmojiEntity>,
    pub roles: Vec<AccountRoleEntity>,
    pub fields: Vec<FieldEntity>,
    /// Present (and true) only for a suspended account, as Mastodon sends it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub suspended: Option<bool>,
    /// Present (and true) only for a silenced account.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub limited: Option<bool>,
    /// The account it moved to; present only for one that moved (and not inside another
    /// account's `moved`), as Mastodon sends it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub moved: Option<Box<AccountEntity>>,
}

/// A role as shown on a public profile (only highlighted roles are shown).
#[derive(Debug, Clone, Serialize)]
pub struct AccountRoleEntity {
    pub id: String,
    pub name: String,
    pub color: String,
}

/// A profile field (`Field`).
#[derive(Debug, Clone, Serialize)]
pub struct FieldEntity {
    pub name: String,
    pub value: String,
    pub verified_at: Option<String>,
}

/// `verify_credentials` and `update_credentials`: the account plus its owner's settings.
#[derive(Debug, Clone, Serialize)]
pub struct CredentialAccountEntity {
    #[serde(flatten)]
    pub account: AccountEntity,
    pub source: SourceEntity,
    pub role: RoleEntity,
}

/// `CredentialAccount.source`: the raw values behind the rendered profile, and posting defaults.
#[derive(Debug, Clone, Serialize)]
pub struct SourceEntity {
    pub privacy: String,
    pub sensitive: bool,
    pub language: Option<String>,
    pub note: String,
    pub fields: Vec<FieldEntity>,
    pub follow_requests_count: i64,
    pub hide_collections: bool,
    pub discoverable: bool,
    pub indexable: bool,
    pub attribution_domains: Vec<String>,
}

/// The full `Role` entity of the authenticated user.
#[derive(Debug, Clone, Serialize)]
pub struct RoleEntity {
    pub id: String,
    pub name: String,
    /// A bit set, as a decimal string.
    pub permissions: String,
    pub color: String,
    pub highlighted: bool,
}

/// Mastodon's built-in roles: "everyone" is id -99 and not shown; the staff roles are.
fn role_identity(role: Role) -> (&'static str, &'static str, bool) {
    match role {
        Role::User => ("-99", "", false),
        Role::Moderator => ("1", "Moderator", true),
        Role::Admin => ("2", "Admin", true),
        Role::Owner => ("3", "Owner", true),
    }
}

/// The role a `Role` entity's id names (`role_ids[]` of the moderators' account list).
pub fn role_with_id(id: &str) -> Option<Role> {
    Role::ALL
        .into_iter()
        .find(|role| role_identity(*role).0 == id)
}

impl RoleEntity {
    pub fn new(role: Role) -> RoleEntity {
        let (id, name, highlighted) = role_identity(role);
        RoleEntity {
            id: id.to_owned(),
            name: name.to_owned(),
            permissions: role.permissions().to_string(),
            color: String::new(),
            highlighted,
        }
    }
}

impl AccountEntity {
    /// Renders an account; `role` is the local user's role, when the caller knows it.
    pub fn new(account: &Account, role: Option<Role>, config: &InstanceConfig) -> AccountEntity {
        let urls = config.urls();
        let (acct, url, uri) = match &account.domain {
            None => (
                account.username.clone(),
                urls.profile(&account.username),
                urls.actor(&account.username),
            ),
            // Remote accounts: their actor's links; a local page until the actor gave some.
            Some(domain) => {
                let local_page = urls.remote_profile(&account.username, domain);
                (
                    format!("{}@{domain}", account.username),
                    account
                        .actor
                        .url
                        .clone()
                        .unwrap_or_else(|| local_page.clone()),
                    account.actor.uri.clone().unwrap_or(local_page),
                )
            }
        };
        let avatar = account.avatar_url(urls);
        let header = account.header_url(urls);
        let roles = role
            .map(role_identity)
            .filter(|(_, _, highlighted)| *highlighted)
            .map(|(id, name, _)| AccountRoleEntity {
                id: id.to_owned(),
                name: name.to_owned(),
                color: String::new(),
            })
            .into_iter()
            .collect();
        AccountEntity {
            id: account.id.to_string(),
            username: account.username.clone(),
            acct,
            display_name: account.display_name.clone(),
            locked: account.locked,
            bot: account.bot,
            discoverable: account.discoverable,
            indexable: account.indexable,
            group: false,
            created_at: iso8601_date_midnight(account.created_at),
            note: account.note.clone(),
            url,
            uri,
            avatar: avatar.clone(),
            avatar_static: avatar,
            header: header.clone(),
            header_static: header,
            followers_count: account.followers_count,
            following_count: account.following_count,
            statuses_count: account.statuses_count,
            last_status_at: account.last_status_at.map(date),
            hide_collections: false,
            noindex: account.is_local().then_some(!account.indexable),
            emojis: account
                .emojis
                .iter()
                .map(super::CustomEmojiEntity::new)
                .collect(),
            roles,
            fields: account
                .fields
                .iter()
                .map(|field| FieldEntity {
                    name: field.name.clone(),
                    value: field.value.clone(),
                    verified_at: None,
                })
                .collect(),
            suspended: account.limits.suspended_at.map(|_| true),
            limited: account.limits.silenced_at.map(|_| true),
            moved: account
                .moved
                .as_deref()
                .map(|target| Box::new(AccountEntity::new(target, None, config))),
        }
    }
}

impl CredentialAccountEntity {
    pub fn new(
        account: &Account,
        user: &LocalUser,
        follow_requests_count: i64,
        config: &InstanceConfig,
    ) -> CredentialAccountEntity {
        let public = AccountEntity::new(account, Some(user.role), config);
        CredentialAccountEntity {
            source: SourceEntity {
                privacy: user.default_privacy.clone(),
                sensitive: user.default_sensitive,
                language: user.default_language.clone(),
                note: account.note_source.clone(),
                fields: account
                    .fields
                    .iter()
                    .map(|field| FieldEntity {
                        name: field.name.clone(),
                        value: field.source.clone(),
                        verified_at: None,
                    })
                    .collect(),
                follow_requests_count,
                hide_collections: public.hide_collections,
                discoverable: public.discoverable,
                indexable: public.indexable,
                attribution_domains: Vec::new(),
            },
            role: RoleEntity::new(user.role),
            account: public,
        }
    }
}

/// `FamiliarFollowers`: which of the accounts the viewer follows also follow account `id`.
#[derive(Debug, Clone, Serialize)]
pub struct FamiliarFollowersEntity {
    pub id: String,
    pub accounts: Vec<AccountEntity>,
}

/// `Preferences` (`entities/Preferences.md`): the user's defaults that clients apply.
#[derive(Debug, Clone, Serialize)]
pub struct PreferencesEntity {
    #[serde(rename = "posting:default:visibility")]
    pub default_visibility: String,
    #[serde(rename = "posting:default:sensitive")]
    pub default_sensitive: bool,
    #[serde(rename = "posting:default:language")]
    pub default_language: Option<String>,
    /// `default`, `show_all` or `hide_all`.
    #[serde(rename = "reading:expand:media")]
    pub expand_media: &'static str,
    #[serde(rename = "reading:expand:spoilers")]
    pub expand_spoilers: bool,
}

impl PreferencesEntity {
    pub fn new(user: &LocalUser) -> PreferencesEntity {
        PreferencesEntity {
            default_visibility: user.default_privacy.clone(),
            default_sensitive: user.default_sensitive,
            default_language: user.default_language.clone(),
            expand_media: user.expand_media.as_str(),
            expand_spoilers: user.expand_spoilers,
        }
    }
}
