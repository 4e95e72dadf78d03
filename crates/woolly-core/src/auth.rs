//! OAuth scopes and access tokens: issuing, authenticating and revoking them.
//!
//! Scopes follow Mastodon's (`api/oauth-scopes.md`): the top-level `read`, `write`, `push`,
//! `profile`, `admin:read` and `admin:write`, the deprecated `follow`, and granular scopes such as
//! `read:statuses`. A granted parent scope covers its children. A set of scopes is a bit set.

use std::fmt;

use crate::accounts::{Account, LocalUser};
use crate::areas::OAuth;
use crate::crypto;
use crate::error::{CoreError, Result};

/// Every scope Woolly knows, in a fixed order (the bit index).
const SCOPE_NAMES: [&str; 45] = [
    "read",
    "write",
    "follow",
    "push",
    "profile",
    "admin:read",
    "admin:write",
    "read:accounts",
    "read:blocks",
    "read:bookmarks",
    "read:favourites",
    "read:filters",
    "read:follows",
    "read:lists",
    "read:mutes",
    "read:notifications",
    "read:search",
    "read:statuses",
    "write:accounts",
    "write:blocks",
    "write:bookmarks",
    "write:conversations",
    "write:favourites",
    "write:filters",
    "write:follows",
    "write:lists",
    "write:media",
    "write:mutes",
    "write:notifications",
    "write:reports",
    "write:statuses",
    "admin:read:accounts",
    "admin:read:reports",
    "admin:read:domain_allows",
    "admin:read:domain_blocks",
    "admin:read:ip_blocks",
    "admin:read:email_domain_blocks",
    "admin:read:canonical_email_blocks",
    "admin:write:accounts",
    "admin:write:reports",
    "admin:write:domain_allows",
    "admin:write:domain_blocks",
    "admin:write:ip_blocks",
    "admin:write:email_domain_blocks",
    "admin:write:canonical_email_blocks",
];

/// The granular scopes that the deprecated `follow` scope grants (Mastodon `doorkeeper.rb`).
const FOLLOW_GRANTS: [&str; 6] = [
    "read:blocks",
    "write:blocks",
    "read:follows",
    "write:follows",
    "read:mutes",
    "write:mutes",
];

/// Every scope name Woolly knows (for `scopes_supported` in OAuth discovery).
pub fn scope_names() -> &'static [&'static str] {
    &SCOPE_NAMES
}

/// One scope, by name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Scope(u8);

impl Scope {
    pub const READ: Scope = Scope(0);
    pub const WRITE: Scope = Scope(1);
    pub const FOLLOW: Scope = Scope(2);
    pub const PUSH: Scope = Scope(3);
    pub const PROFILE: Scope = Scope(4);
    pub const READ_ACCOUNTS: Scope = Scope(7);
    pub const READ_BLOCKS: Scope = Scope(8);
    pub const READ_BOOKMARKS: Scope = Scope(9);
    pub const READ_FAVOURITES: Scope = Scope(10);
    pub const READ_FILTERS: Scope = Scope(11);
    pub const READ_FOLLOWS: Scope = Scope(12);
    pub const READ_LISTS: Scope = Scope(13);
    pub const READ_MUTES: Scope = Scope(14);
    pub const READ_NOTIFICATIONS: Scope = Scope(15);
    pub const READ_SEARCH: Scope = Scope(16);
    pub const READ_STATUSES: Scope = Scope(17);
    pub const WRITE_ACCOUNTS: Scope = Scope(18);
    pub const WRITE_BLOCKS: Scope = Scope(19);
    pub const WRITE_BOOKMARKS: Scope = Scope(20);
    pub const WRITE_CONVERSATIONS: Scope = Scope(21);
    pub const WRITE_FAVOURITES: Scope = Scope(22);
    pub const WRITE_FILTERS: Scope = Scope(23);
    pub const WRITE_FOLLOWS: Scope = Scope(24);
    pub const WRITE_LISTS: Scope = Scope(25);
    pub const WRITE_MEDIA: Scope = Scope(26);
    pub const WRITE_MUTES: Scope = Scope(27);
    pub const WRITE_NOTIFICATIONS: Scope = Scope(28);
    pub const WRITE_STATUSES: Scope = Scope(30);
    pub const WRITE_REPORTS: Scope = Scope(29);
    pub const ADMIN_READ: Scope = Scope(5);
    pub const ADMIN_WRITE: Scope = Scope(6);
    pub const ADMIN_READ_ACCOUNTS: Scope = Scope(31);
    pub const ADMIN_READ_REPORTS: Scope = Scope(32);
    pub const ADMIN_READ_DOMAIN_ALLOWS: Scope = Scope(33);
    pub const ADMIN_READ_DOMAIN_BLOCKS: Scope = Scope(34);
    pub const ADMIN_WRITE_ACCOUNTS: Scope = Scope(38);
    pub const ADMIN_WRITE_REPORTS: Scope = Scope(39);
    pub const ADMIN_WRITE_DOMAIN_ALLOWS: Scope = Scope(40);
    pub const ADMIN_WRITE_DOMAIN_BLOCKS: Scope = Scope(41);
    pub const ADMIN_READ_IP_BLOCKS: Scope = Scope(35);
    pub const ADMIN_READ_EMAIL_DOMAIN_BLOCKS: Scope = Scope(36);
    pub const ADMIN_READ_CANONICAL_EMAIL_BLOCKS: Scope = Scope(37);
    pub const ADMIN_WRITE_IP_BLOCKS: Scope = Scope(42);
    pub const ADMIN_WRITE_EMAIL_DOMAIN_BLOCKS: Scope = Scope(43);
    pub const ADMIN_WRITE_CANONICAL_EMAIL_BLOCKS: Scope = Scope(44);

    pub fn parse(name: &str) -> Option<Scope> {
        SCOPE_NAMES
            .iter()
            .position(|known| *known == name)
            .and_then(|index| u8::try_from(index).ok())
            .map(Scope)
    }

    pub fn name(self) -> &'static str {
        SCOPE_NAMES[usize::from(self.0)]
    }

    fn bit(self) -> u64 {
        1 << self.0
    }

    /// The top-level scope that covers this one (`read:statuses` → `read`).
    fn parent(self) -> Option<Scope> {
        let name = self.name();
        ["admin:read", "admin:write", "read", "write"]
            .into_iter()
            .find(|parent| {
                name.len() > parent.len()
                    && name.starts_with(parent)
                    && name.as_bytes()[parent.len()] == b':'
            })
            .and_then(Scope::parse)
    }
}

/// A set of scopes, as granted to a token or required by an endpoint.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Scopes(u64);

impl Scopes {
    /// Parses space-separated scope names (also `+`-separated, as some clients send them).
    /// An empty string means Mastodon's default, `read`.
    pub fn parse(text: &str) -> Result<Scopes> {
        let mut scopes = Scopes::default();
        for name in text.split([' ', '+']).filter(|name| !name.is_empty()) {
            let scope = Scope::parse(name)
                .ok_or_else(|| CoreError::Validation(format!("Unknown scope {name:?}")))?;
            scopes.0 |= scope.bit();
        }
        if scopes.0 == 0 {
            scopes.0 = Scope::READ.bit();
        }
        Ok(scopes)
    }

    fn contains(self, scope: Scope) -> bool {
        self.0 & scope.bit() != 0
    }

    /// Whether these granted scopes cover `required`, directly or through a parent scope.
    pub fn grants(self, required: Scope) -> bool {
        self.contains(required)
            || required
                .parent()
                .is_some_and(|parent| self.contains(parent))
            || (FOLLOW_GRANTS.contains(&required.name()) && self.contains(Scope::FOLLOW))
    }

    /// Whether these granted scopes cover at least one of `any_of` (endpoints name several).
    pub fn grants_any(self, any_of: &[Scope]) -> bool {
        any_of.iter().any(|scope| self.grants(*scope))
    }

    /// Whether every scope in `requested` is covered by these (an app may ask for no more than
    /// it registered).
    pub fn covers(self, requested: Scopes) -> bool {
        requested.iter().all(|scope| self.grants(scope))
    }

    pub fn iter(self) -> impl Iterator<Item = Scope> {
        (0..SCOPE_NAMES.len())
            .filter_map(|index| u8::try_from(index).ok())
            .map(Scope)
            .filter(move |scope| self.contains(*scope))
    }
}

impl fmt::Display for Scopes {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut first = true;
        for scope in self.iter() {
            if !first {
                formatter.write_str(" ")?;
            }
            formatter.write_str(scope.name())?;
            first = false;
        }
        Ok(())
    }
}

/// Who a request is from, once its bearer token checked out.
#[derive(Debug, Clone)]
pub struct Authenticated {
    pub token_id: i64,
    pub scopes: Scopes,
    /// The OAuth application the token was issued to (`None` for admin-CLI tokens).
    pub app_id: Option<i64>,
    /// `None` for an application-only token.
    pub user: Option<(Account, LocalUser)>,
    /// When and from where the token was last recorded in use.
    pub last_used_at: Option<i64>,
    pub last_used_ip: Option<String>,
}

/// A live token of a user, as their list of sessions and authorized apps shows it.
#[derive(Debug, Clone)]
pub struct Session {
    pub token_id: i64,
    pub scopes: Scopes,
    pub created_at: i64,
    pub last_used_at: Option<i64>,
    pub last_used_ip: Option<String>,
    pub user_agent: Option<String>,
    /// The app it was issued to (`None` for tokens the operator made).
    pub app_name: Option<String>,
    pub app_website: Option<String>,
}

/// How stale a token's recorded use may get before a request records it again (sooner when it
/// comes from another address).
const TOKEN_USE_REFRESH_MILLIS: i64 = 60 * 60 * 1000;
/// The longest user agent kept.
const MAX_USER_AGENT_LENGTH: usize = 512;

/// How stale `last_active_at` may get before a request refreshes it: one write an hour per user,
/// not one per request.
const ACTIVITY_REFRESH_MILLIS: i64 = 60 * 60 * 1000;

impl OAuth<'_> {
    /// Issues a new access token for a local user. Returns the token itself, which is shown
    /// once and stored only as its SHA-256.
    pub async fn issue_token(&self, username: &str, scopes: Scopes) -> Result<String> {
        let account = self.accounts().local_account_named(username).await?;
        let token = crypto::random_secret(32);
        let mut tx = self.db().begin().await?;
        tx.insert_token(
            &crypto::token_digest(&token),
            Some(account.id),
            None,
            &scopes.to_string(),
            crate::now_millis(),
        )
        .await?;
        tx.commit().await?;
        Ok(token)
    }

    /// Revokes a token. Returns false when it was unknown or already revoked.
    pub async fn revoke_token(&self, token: &str) -> Result<bool> {
        Ok(self
            .db()
            .revoke_token(&crypto::token_digest(token), None, crate::now_millis())
            .await?)
    }

    /// Checks a bearer token. Unknown and revoked tokens are [`CoreError::Unauthenticated`];
    /// a user who may not use the API yet (address unconfirmed, approval pending) is
    /// [`CoreError::Forbidden`] with Mastodon's words.
    pub async fn authenticate(&self, token: &str) -> Result<Authenticated> {
        let authenticated = self.authenticate_any_standing(token).await?;
        if let Some((account, user)) = &authenticated.user
            && let Some(refusal) = user.standing(account).refusal()
        {
            return Err(CoreError::Forbidden(refusal.into()));
        }
        Ok(authenticated)
    }

    /// Checks a bearer token, letting through users who may not use the API yet: for the few
    /// doors they need (resending the confirmation).
    pub async fn authenticate_any_standing(&self, token: &str) -> Result<Authenticated> {
        let holder = self
            .db()
            .token_holder(&crypto::token_digest(token))
            .await?
            .ok_or(CoreError::Unauthenticated)?;
        let row = holder.token;
        let scopes = Scopes::parse(&row.scopes)?;
        let user = match row.account_id {
            None => None,
            Some(account_id) => {
                let account = self
                    .account_from_row(holder.account)
                    .await?
                    .ok_or(CoreError::Unauthenticated)?;
                let user = holder
                    .user
                    .map(LocalUser::try_from)
                    .transpose()?
                    .ok_or(CoreError::Unauthenticated)?;
                let now = crate::now_millis();
                if row.last_active_at.is_none_or(|last| {
                    // A new day is recorded at once, for the dashboard's daily figures.
                    now - last > ACTIVITY_REFRESH_MILLIS
                        || woolly_store::day_start(last) != woolly_store::day_start(now)
                }) {
                    // Off the request's path: a slow write must not slow the read it rides on.
                    let db = self.db().clone();
                    tokio::spawn(async move {
                        if let Err(error) = db.touch_local_user(account_id, now).await {
                            tracing::warn!(%error, account_id, "could not record user activity");
                        }
                    });
                }
                Some((account, user))
            }
        };
        Ok(Authenticated {
            token_id: row.id,
            scopes,
            app_id: row.app_id,
            user,
            last_used_at: row.last_used_at,
            last_used_ip: row.last_used_ip,
        })
    }

    /// Records where a user's token is used from: at most once an hour per token, or at once
    /// from a new address, and off the request's path.
    pub fn note_token_use(
        &self,
        authenticated: &Authenticated,
        from: Option<std::net::IpAddr>,
        user_agent: Option<&str>,
    ) {
        if authenticated.user.is_none() {
            return;
        }
        let now = crate::now_millis();
        let address = from.map(|address| address.to_string());
        let fresh = authenticated
            .last_used_at
            .is_some_and(|last| now - last < TOKEN_USE_REFRESH_MILLIS);
        if fresh && authenticated.last_used_ip == address {
            return;
        }
        let user_agent: Option<String> =
            user_agent.map(|agent| agent.chars().take(MAX_USER_AGENT_LENGTH).collect());
        let db = self.db().clone();
        let token_id = authenticated.token_id;
        tokio::spawn(async move {
            if let Err(error) = db
                .touch_token(token_id, now, address.as_deref(), user_agent.as_deref())
                .await
            {
                tracing::warn!(%error, token_id, "could not record a token's use");
            }
        });
    }

    /// A user's sessions and authorized apps: their live tokens, most recently used first.
    pub async fn sessions(&self, account_id: i64) -> Result<Vec<Session>> {
        self.db()
            .sessions(account_id)
            .await?
            .into_iter()
            .map(|row| {
                Ok(Session {
                    token_id: row.token_id,
                    scopes: Scopes::parse(&row.scopes)?,
                    created_at: row.created_at,
                    last_used_at: row.last_used_at,
                    last_used_ip: row.last_used_ip,
                    user_agent: row.user_agent,
                    app_name: row.app_name,
                    app_website: row.app_website,
                })
            })
            .collect()
    }

    /// Signs one of a user's sessions out (revokes the token); false when it is not theirs.
    pub async fn revoke_session(&self, account_id: i64, token_id: i64) -> Result<bool> {
        let revoked = self
            .db()
            .revoke_token_of(account_id, token_id, crate::now_millis())
            .await?;
        if revoked {
            tracing::info!(account_id, token_id, "session revoked");
        }
        Ok(revoked)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scope(name: &str) -> Scope {
        Scope::parse(name).unwrap_or_else(|| panic!("{name} is a known scope"))
    }

    #[test]
    fn scope_constants_name_the_right_scopes() {
        for (constant, name) in [
            (Scope::READ, "read"),
            (Scope::WRITE, "write"),
            (Scope::FOLLOW, "follow"),
            (Scope::PUSH, "push"),
            (Scope::PROFILE, "profile"),
            (Scope::WRITE_REPORTS, "write:reports"),
            (Scope::ADMIN_READ_REPORTS, "admin:read:reports"),
            (Scope::ADMIN_READ, "admin:read"),
            (Scope::ADMIN_WRITE, "admin:write"),
            (Scope::ADMIN_READ_ACCOUNTS, "admin:read:accounts"),
            (Scope::ADMIN_WRITE_ACCOUNTS, "admin:write:accounts"),
            (Scope::ADMIN_READ_DOMAIN_ALLOWS, "admin:read:domain_allows"),
            (Scope::ADMIN_READ_DOMAIN_BLOCKS, "admin:read:domain_blocks"),
            (
                Scope::ADMIN_WRITE_DOMAIN_ALLOWS,
                "admin:write:domain_allows",
            ),
            (
                Scope::ADMIN_WRITE_DOMAIN_BLOCKS,
                "admin:write:domain_blocks",
            ),
            (Scope::ADMIN_WRITE_REPORTS, "admin:write:reports"),
            (Scope::ADMIN_READ_IP_BLOCKS, "admin:read:ip_blocks"),
            (
                Scope::ADMIN_READ_EMAIL_DOMAIN_BLOCKS,
                "admin:read:email_domain_blocks",
            ),
            (
                Scope::ADMIN_READ_CANONICAL_EMAIL_BLOCKS,
                "admin:read:canonical_email_blocks",
            ),
            (Scope::ADMIN_WRITE_IP_BLOCKS, "admin:write:ip_blocks"),
            (
                Scope::ADMIN_WRITE_EMAIL_DOMAIN_BLOCKS,
                "admin:write:email_domain_blocks",
            ),
            (
                Scope::ADMIN_WRITE_CANONICAL_EMAIL_BLOCKS,
                "admin:write:canonical_email_blocks",
            ),
            (Scope::READ_ACCOUNTS, "read:accounts"),
            (Scope::READ_BLOCKS, "read:blocks"),
            (Scope::READ_BOOKMARKS, "read:bookmarks"),
            (Scope::READ_FAVOURITES, "read:favourites"),
            (Scope::READ_FOLLOWS, "read:follows"),
            (Scope::READ_LISTS, "read:lists"),
            (Scope::READ_MUTES, "read:mutes"),
            (Scope::READ_NOTIFICATIONS, "read:notifications"),
            (Scope::READ_SEARCH, "read:search"),
            (Scope::READ_STATUSES, "read:statuses"),
            (Scope::WRITE_ACCOUNTS, "write:accounts"),
            (Scope::WRITE_BLOCKS, "write:blocks"),
            (Scope::WRITE_BOOKMARKS, "write:bookmarks"),
            (Scope::WRITE_CONVERSATIONS, "write:conversations"),
            (Scope::WRITE_FAVOURITES, "write:favourites"),
            (Scope::WRITE_FOLLOWS, "write:follows"),
            (Scope::WRITE_LISTS, "write:lists"),
            (Scope::WRITE_MEDIA, "write:media"),
            (Scope::WRITE_MUTES, "write:mutes"),
            (Scope::WRITE_NOTIFICATIONS, "write:notifications"),
            (Scope::WRITE_STATUSES, "write:statuses"),
        ] {
            assert_eq!(constant.name(), name);
        }
    }

    #[test]
    fn parent_scopes_grant_their_children() -> Result<()> {
        let granted = Scopes::parse("read write:statuses")?;
        assert!(granted.grants(scope("read:accounts")));
        assert!(granted.grants(scope("write:statuses")));
        assert!(!granted.grants(scope("write:media")));
        assert!(!granted.grants(scope("write")));
        assert!(!granted.grants(scope("admin:read:accounts")));
        Ok(())
    }

    #[test]
    fn admin_scopes_do_not_leak_into_user_scopes() -> Result<()> {
        let granted = Scopes::parse("admin:read")?;
        assert!(granted.grants(scope("admin:read:reports")));
        assert!(!granted.grants(scope("read:statuses")));
        Ok(())
    }

    #[test]
    fn follow_grants_relationship_scopes() -> Result<()> {
        let granted = Scopes::parse("follow")?;
        assert!(granted.grants(scope("write:follows")));
        assert!(granted.grants(scope("read:mutes")));
        assert!(!granted.grants(scope("read:statuses")));
        Ok(())
    }

    #[test]
    fn scopes_parse_and_print() -> Result<()> {
        assert_eq!(Scopes::parse("write read")?.to_string(), "read write");
        assert_eq!(Scopes::parse("read+follow")?.to_string(), "read follow");
        assert_eq!(Scopes::parse("")?.to_string(), "read");
        assert!(Scopes::parse("read delete_everything").is_err());
        Ok(())
    }
}
