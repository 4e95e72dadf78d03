//! Who may not join, as Mastodon's admins keep it (`manage_blocks`: admins and owners):
//!
//! - **e-mail domain blocks**: no sign-up or address change with an address at the domain or
//!   under it ("uses a disallowed e-mail provider");
//! - **canonical e-mail blocks**: an address written another way (`a.b+x@example.org` for
//!   `ab@example.org`) is the same address; the list keeps only each one's SHA-256;
//! - **IP blocks**, CIDR ranges with a severity: sign-ups from there wait for approval, or are
//!   refused (403), or the addresses may not use the server at all (every request 403), until
//!   an optional expiry.
//!
//! An e-mail domain block also matches addresses whose domain's mail servers (MX hosts) are at
//! the blocked domain or under it, as Mastodon's do (`mail_servers`).

use std::net::IpAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use ipnet::IpNet;
use woolly_store::{IpBlockRow, Page, ValueBlock, ValueBlockRow};

use crate::account_moderation::{Moderator, Target, log_action};
use crate::accounts::permission;
use crate::areas::Moderation;
use crate::error::{CoreError, FieldErrors, FieldRule, Result};
use crate::state::Woolly;

/// What an IP block does (Mastodon's `IpBlock#severity`), mildest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum IpSeverity {
    SignUpRequiresApproval,
    SignUpBlock,
    NoAccess,
}

impl IpSeverity {
    pub fn parse(text: &str) -> Result<IpSeverity> {
        match text {
            "sign_up_requires_approval" => Ok(IpSeverity::SignUpRequiresApproval),
            "sign_up_block" => Ok(IpSeverity::SignUpBlock),
            "no_access" => Ok(IpSeverity::NoAccess),
            other => Err(CoreError::Validation(format!(
                "Validation failed: Severity {other:?} is not one of sign_up_requires_approval, sign_up_block, no_access"
            ))),
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            IpSeverity::SignUpRequiresApproval => "sign_up_requires_approval",
            IpSeverity::SignUpBlock => "sign_up_block",
            IpSeverity::NoAccess => "no_access",
        }
    }
}

/// A blocked range of client addresses.
#[derive(Debug, Clone)]
pub struct IpBlock {
    pub id: i64,
    pub ip: IpNet,
    pub severity: IpSeverity,
    pub comment: String,
    pub expires_at: Option<i64>,
    pub created_at: i64,
}

impl IpBlock {
    fn from_row(row: IpBlockRow) -> Option<IpBlock> {
        Some(IpBlock {
            id: row.id,
            ip: parse_range(&row.ip).ok()?,
            severity: IpSeverity::parse(&row.severity).ok()?,
            comment: row.comment,
            expires_at: row.expires_at,
            created_at: row.created_at,
        })
    }

    fn in_force(&self, now: i64) -> bool {
        self.expires_at.is_none_or(|at| at > now)
    }
}

/// An IP block as asked for; on an update, what is `None` stays as it was.
#[derive(Debug, Clone, Default)]
pub struct IpBlockChange {
    pub ip: Option<String>,
    pub severity: Option<IpSeverity>,
    pub comment: Option<String>,
    /// Seconds from now; `Some(None)`: never (on an update, clears the expiry).
    pub expires_in: Option<Option<i64>>,
}

/// An e-mail domain or canonical e-mail block (the value is a domain or a hash).
#[derive(Debug, Clone)]
pub struct ValueBlockEntry {
    pub id: i64,
    pub value: String,
    pub created_at: i64,
}

impl From<ValueBlockRow> for ValueBlockEntry {
    fn from(row: ValueBlockRow) -> ValueBlockEntry {
        ValueBlockEntry {
            id: row.id,
            value: row.value,
            created_at: row.created_at,
        }
    }
}

/// The IP blocks as last read, and when; and the right to read them again, which one request
/// at a time takes while the others go on with the copy they have (every request asks: all of
/// them reading the table at once when the copy ages would be a stampede).
#[derive(Default)]
pub(crate) struct IpBlockCache {
    copy: Mutex<Option<(Instant, Arc<Vec<IpBlock>>)>>,
    refresh: tokio::sync::Mutex<()>,
}

impl IpBlockCache {
    /// The copy, with whether it is still fresh.
    fn read(&self) -> Option<(bool, Arc<Vec<IpBlock>>)> {
        let guard = self.copy.lock().unwrap_or_else(|e| e.into_inner());
        guard
            .as_ref()
            .map(|(read, blocks)| (read.elapsed() < IP_BLOCKS_FRESH, blocks.clone()))
    }

    fn keep(&self, blocks: Option<Arc<Vec<IpBlock>>>) {
        *self.copy.lock().unwrap_or_else(|e| e.into_inner()) =
            blocks.map(|blocks| (Instant::now(), blocks));
    }
}

/// How long a process trusts its copy of the IP blocks (another process may change them).
const IP_BLOCKS_FRESH: Duration = Duration::from_secs(60);

/// A range as typed: CIDR (`10.0.0.0/8`) or one address.
fn parse_range(text: &str) -> Result<IpNet> {
    let text = text.trim();
    text.parse::<IpNet>()
        .map(|net| net.trunc())
        .or_else(|_| text.parse::<IpAddr>().map(IpNet::from))
        .map_err(|_| CoreError::Validation(format!("Validation failed: Ip {text:?} is invalid")))
}

/// The SHA-256 of an address's canonical form (Mastodon's `email_to_canonical_email_hash`):
/// lower-case, and in the local part no dots and nothing from a `+` on.
pub fn canonical_email_hash(email: &str) -> String {
    let email = email.trim().to_lowercase();
    let (local, domain) = email.split_once('@').unwrap_or((email.as_str(), ""));
    let local: String = local
        .split('+')
        .next()
        .unwrap_or_default()
        .chars()
        .filter(|c| *c != '.')
        .collect();
    crate::crypto::token_digest(&format!("{local}@{domain}"))
}

/// The domain of an address, lower case (empty when it has none).
fn email_domain(email: &str) -> String {
    email
        .trim()
        .rsplit_once('@')
        .map(|(_, domain)| domain.to_lowercase())
        .unwrap_or_default()
}

/// `host` and each domain it is under (`mx.mail.example`, `mail.example`, `example`).
fn host_and_parents(host: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut rest = host;
    while !rest.is_empty() {
        found.push(rest.to_owned());
        rest = rest.split_once('.').map_or("", |(_, parent)| parent);
    }
    found
}

fn taken() -> CoreError {
    CoreError::Validation("Validation failed: It is blocked already".into())
}

impl Woolly {
    /// The IP blocks in force, from this process's copy (read again after a minute).
    async fn ip_blocks_in_force(&self) -> Result<Arc<Vec<IpBlock>>> {
        let cache = self.ip_block_cache();
        let stale = match cache.read() {
            Some((true, blocks)) => return Ok(blocks),
            Some((false, blocks)) => Some(blocks),
            None => None,
        };
        let _refreshing = match (stale, cache.refresh.try_lock()) {
            (_, Ok(guard)) => guard,
            // Another request is reading them: the old copy serves meanwhile.
            (Some(stale), Err(_)) => return Ok(stale),
            // None yet: wait for the one being read.
            (None, Err(_)) => cache.refresh.lock().await,
        };
        if let Some((true, blocks)) = cache.read() {
            return Ok(blocks);
        }
        let blocks: Arc<Vec<IpBlock>> = Arc::new(
            self.db()
                .ip_blocks()
                .await?
                .into_iter()
                .filter_map(IpBlock::from_row)
                .collect(),
        );
        cache.keep(Some(blocks.clone()));
        Ok(blocks)
    }

    fn forget_ip_blocks(&self) {
        self.ip_block_cache().keep(None);
    }

    /// The strictest IP block in force over `address`, if any.
    pub async fn ip_severity(&self, address: IpAddr) -> Result<Option<IpSeverity>> {
        let now = crate::now_millis();
        Ok(self
            .ip_blocks_in_force()
            .await?
            .iter()
            .filter(|block| block.in_force(now) && block.ip.contains(&address))
            .map(|block| block.severity)
            .max())
    }

    /// Refuses an address from a blocked e-mail domain or a blocked canonical address, as
    /// Mastodon's `BlacklistedEmailValidator` does, on the `email` field.
    pub(crate) async fn check_email_allowed(&self, email: &str) -> Result<()> {
        let domain = email_domain(email);
        let mut domains = host_and_parents(&domain);
        // DNS is asked only when some domain is blocked: most servers block none.
        if !domain.is_empty() && self.db().any_value_blocks(ValueBlock::EmailDomain).await? {
            for host in self.mail_server_lookup().mail_servers(&domain).await {
                domains.extend(host_and_parents(&host));
            }
        }
        let blocked_domain = !self
            .db()
            .value_blocks_matching(ValueBlock::EmailDomain, &domains)
            .await?
            .is_empty();
        let blocked_address = !self
            .db()
            .value_blocks_matching(ValueBlock::CanonicalEmail, &[canonical_email_hash(email)])
            .await?
            .is_empty();
        if blocked_domain || blocked_address {
            let mut errors = FieldErrors::default();
            errors.add(
                "email",
                FieldRule::Blocked,
                "uses a disallowed e-mail provider",
            );
            return Err(CoreError::Fields(errors));
        }
        Ok(())
    }
}

impl Moderation<'_> {
    /// A page of e-mail domain or canonical e-mail blocks, newest first.
    pub async fn value_blocks_page(
        &self,
        by: Moderator<'_>,
        kind: ValueBlock,
        page: Page,
    ) -> Result<Vec<ValueBlockEntry>> {
        by.require(permission::MANAGE_BLOCKS)?;
        let rows = self.db().value_blocks_page(kind, page).await?;
        Ok(rows.into_iter().map(ValueBlockEntry::from).collect())
    }

    pub async fn value_block(
        &self,
        by: Moderator<'_>,
        kind: ValueBlock,
        id: i64,
    ) -> Result<ValueBlockEntry> {
        by.require(permission::MANAGE_BLOCKS)?;
        Ok(self
            .db()
            .value_block(kind, id)
            .await?
            .ok_or(CoreError::NotFound)?
            .into())
    }

    /// Blocks an e-mail domain (and its subdomains).
    pub async fn block_email_domain(
        &self,
        by: Moderator<'_>,
        domain: &str,
    ) -> Result<ValueBlockEntry> {
        let domain = crate::config::Domain::normalize(domain).ok_or_else(|| {
            CoreError::Validation(format!("Validation failed: Domain {domain:?} is invalid"))
        })?;
        self.insert_value_block(by, ValueBlock::EmailDomain, domain.as_str().to_owned())
            .await
    }

    /// Blocks an address in every spelling, by the address or (as Mastodon's API also takes)
    /// by its canonical hash.
    pub async fn block_canonical_email(
        &self,
        by: Moderator<'_>,
        email: Option<&str>,
        hash: Option<&str>,
    ) -> Result<ValueBlockEntry> {
        let hash = match (email, hash) {
            (Some(email), _) if !email.trim().is_empty() => {
                canonical_email_hash(crate::accounts::Email::parse(email)?.as_str())
            }
            (_, Some(hash)) if hash.len() == 64 && hash.chars().all(|c| c.is_ascii_hexdigit()) => {
                hash.to_lowercase()
            }
            _ => {
                return Err(CoreError::Validation(
                    "Validation failed: Canonical email hash can't be blank".into(),
                ));
            }
        };
        self.insert_value_block(by, ValueBlock::CanonicalEmail, hash)
            .await
    }

    /// The canonical e-mail blocks that `email` matches (Mastodon's `…/test`).
    pub async fn test_canonical_email(
        &self,
        by: Moderator<'_>,
        email: &str,
    ) -> Result<Vec<ValueBlockEntry>> {
        by.require(permission::MANAGE_BLOCKS)?;
        let rows = self
            .db()
            .value_blocks_matching(ValueBlock::CanonicalEmail, &[canonical_email_hash(email)])
            .await?;
        Ok(rows.into_iter().map(ValueBlockEntry::from).collect())
    }

    async fn insert_value_block(
        &self,
        by: Moderator<'_>,
        kind: ValueBlock,
        value: String,
    ) -> Result<ValueBlockEntry> {
        by.require(permission::MANAGE_BLOCKS)?;
        let now = crate::now_millis();
        let mut tx = self.db().begin().await?;
        let row = ValueBlockRow {
            id: tx.next_id(),
            value,
            created_at: now,
        };
        if !tx.insert_value_block(kind, &row).await? {
            return Err(taken());
        }
        log_action(&mut tx, by, "create", value_target(kind, &row), now).await?;
        tx.commit().await?;
        Ok(row.into())
    }

    /// Lifts an e-mail domain or canonical e-mail block.
    pub async fn unblock_value(
        &self,
        by: Moderator<'_>,
        kind: ValueBlock,
        id: i64,
    ) -> Result<ValueBlockEntry> {
        by.require(permission::MANAGE_BLOCKS)?;
        let row = self
            .db()
            .value_block(kind, id)
            .await?
            .ok_or(CoreError::NotFound)?;
        let mut tx = self.db().begin().await?;
        if !tx.delete_value_block(kind, id).await? {
            return Err(CoreError::NotFound);
        }
        let now = crate::now_millis();
        log_action(&mut tx, by, "destroy", value_target(kind, &row), now).await?;
        tx.commit().await?;
        Ok(row.into())
    }

    /// Every IP block, newest first.
    pub async fn ip_blocks(&self, by: Moderator<'_>) -> Result<Vec<IpBlock>> {
        by.require(permission::MANAGE_BLOCKS)?;
        Ok(self
            .db()
            .ip_blocks()
            .await?
            .into_iter()
            .filter_map(IpBlock::from_row)
            .collect())
    }

    pub async fn ip_block(&self, by: Moderator<'_>, id: i64) -> Result<IpBlock> {
        by.require(permission::MANAGE_BLOCKS)?;
        self.db()
            .ip_block(id)
            .await?
            .and_then(IpBlock::from_row)
            .ok_or(CoreError::NotFound)
    }

    /// Blocks a range (`id` `None`) or changes a block.
    pub async fn save_ip_block(
        &self,
        by: Moderator<'_>,
        id: Option<i64>,
        change: IpBlockChange,
    ) -> Result<IpBlock> {
        by.require(permission::MANAGE_BLOCKS)?;
        let now = crate::now_millis();
        let old = match id {
            Some(id) => Some(self.ip_block(by, id).await?),
            None => None,
        };
        let ip = match (&change.ip, &old) {
            (Some(text), _) => parse_range(text)?,
            (None, Some(old)) => old.ip,
            (None, None) => {
                return Err(CoreError::Validation(
                    "Validation failed: Ip can't be blank".into(),
                ));
            }
        };
        let severity = match (change.severity, &old) {
            (Some(severity), _) => severity,
            (None, Some(old)) => old.severity,
            (None, None) => {
                return Err(CoreError::Validation(
                    "Validation failed: Severity can't be blank".into(),
                ));
            }
        };
        let expires_at = match (change.expires_in, &old) {
            (Some(Some(seconds)), _) if seconds > 0 => Some(now + seconds * 1000),
            (Some(Some(_)), _) => {
                return Err(CoreError::Validation(
                    "Validation failed: Expires in must be greater than 0".into(),
                ));
            }
            (Some(None), _) => None,
            (None, old) => old.as_ref().and_then(|old| old.expires_at),
        };
        let mut tx = self.db().begin().await?;
        let block = IpBlock {
            id: old.as_ref().map_or_else(|| tx.next_id(), |old| old.id),
            ip,
            severity,
            comment: change
                .comment
                .or_else(|| old.as_ref().map(|old| old.comment.clone()))
                .unwrap_or_default(),
            expires_at,
            created_at: old.as_ref().map_or(now, |old| old.created_at),
        };
        let row = IpBlockRow {
            id: block.id,
            ip: block.ip.to_string(),
            severity: severity.as_str().to_owned(),
            comment: block.comment.clone(),
            expires_at,
            created_at: block.created_at,
        };
        if !tx.upsert_ip_block(&row).await? {
            return Err(taken());
        }
        let action = if old.is_some() { "update" } else { "create" };
        let target = Target::IpBlock(block.id, &row.ip);
        log_action(&mut tx, by, action, target, now).await?;
        tx.commit().await?;
        self.forget_ip_blocks();
        Ok(block)
    }

    pub async fn unblock_ip(&self, by: Moderator<'_>, id: i64) -> Result<IpBlock> {
        let block = self.ip_block(by, id).await?;
        let mut tx = self.db().begin().await?;
        if !tx.delete_ip_block(id).await? {
            return Err(CoreError::NotFound);
        }
        let label = block.ip.to_string();
        let now = crate::now_millis();
        log_action(&mut tx, by, "destroy", Target::IpBlock(id, &label), now).await?;
        tx.commit().await?;
        self.forget_ip_blocks();
        Ok(block)
    }
}

fn value_target(kind: ValueBlock, row: &ValueBlockRow) -> Target<'_> {
    match kind {
        ValueBlock::EmailDomain => Target::EmailDomainBlock(row.id, &row.value),
        ValueBlock::CanonicalEmail => Target::CanonicalEmailBlock(row.id, &row.value),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_address_written_many_ways_has_one_hash() {
        let hash = canonical_email_hash("ab@example.org");
        for spelling in [
            "A.B@example.org",
            "ab+news@Example.org",
            " a.b+x+y@example.org ",
        ] {
            assert_eq!(canonical_email_hash(spelling), hash, "{spelling}");
        }
        assert_ne!(canonical_email_hash("ab@example.com"), hash);
    }

    #[test]
    fn an_address_falls_under_its_domain_and_each_parent() {
        assert_eq!(
            host_and_parents(&email_domain("x@Mail.Spam.example")),
            vec!["mail.spam.example", "spam.example", "example"]
        );
    }
}
