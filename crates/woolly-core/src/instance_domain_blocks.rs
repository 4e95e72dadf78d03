//! How this server deals with other servers, as Mastodon's domain blocks and allows do.
//!
//! A block names a domain (and so its subdomains) with a severity:
//! - `suspend` cuts it off: nothing is received from it, sent or fetched there; its accounts are
//!   suspended (hidden at once, with all they posted) and then purged by a job, account by
//!   account, with their statuses, media, follows and the rest;
//! - `silence` limits its accounts, those stored and those that arrive later: their posts reach
//!   only their followers;
//! - `noop` does neither, for its options alone.
//!
//! Its options: `reject_media` shows none of its media inline (they stay links to its server,
//! and its accounts have no pictures here), `reject_reports` ignores the reports it sends. A
//! block carries a private comment for moderators and a public one, shown with the public list
//! (`/api/v1/instance/domain_blocks`) as the operator chooses (`show_domain_blocks`), where
//! the domain can be obfuscated. The accounts a block limited are limited from the block's
//! creation time: lifting or easing it lifts exactly those.
//!
//! With limited federation (`limited_federation`), only the servers on the allow list are
//! talked to at all.
//!
//! Only roles with `manage_federation` (admins, owners) and the operator change these; every
//! change is written to the audit log.

use woolly_store::{AccountLimit, DomainAllowRow, DomainBlockRow, Page};

use crate::account_moderation::{Moderator, log_action};
use crate::accounts::permission;
use crate::areas::Instance;
use crate::config::Domain;
use crate::error::{CoreError, Result};
use crate::jobs::{DEFAULT_MAX_ATTEMPTS, Job, JobFuture, JobHandler, new_job};
use crate::state::Woolly;

/// What a domain block does to its domain's accounts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Severity {
    Suspend,
    Silence,
    Noop,
}

impl Severity {
    pub fn parse(text: &str) -> Result<Severity> {
        match text {
            "suspend" => Ok(Severity::Suspend),
            "silence" => Ok(Severity::Silence),
            "noop" => Ok(Severity::Noop),
            other => Err(CoreError::Validation(format!(
                "Validation failed: Severity {other:?} is not one of silence, suspend, noop"
            ))),
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Suspend => "suspend",
            Severity::Silence => "silence",
            Severity::Noop => "noop",
        }
    }

    /// The limit it puts on the domain's accounts.
    fn limit(self) -> Option<AccountLimit> {
        match self {
            Severity::Suspend => Some(AccountLimit::Suspended),
            Severity::Silence => Some(AccountLimit::Silenced),
            Severity::Noop => None,
        }
    }
}

/// Who may read the list of blocked servers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BlocksShownTo {
    Nobody,
    Users,
    All,
}

impl BlocksShownTo {
    pub fn parse(text: &str) -> Option<BlocksShownTo> {
        match text {
            "nobody" | "disabled" => Some(BlocksShownTo::Nobody),
            "users" => Some(BlocksShownTo::Users),
            "all" => Some(BlocksShownTo::All),
            _ => None,
        }
    }
}

/// A domain block.
#[derive(Debug, Clone)]
pub struct DomainBlock {
    pub id: i64,
    pub domain: String,
    pub severity: Severity,
    pub reject_media: bool,
    pub reject_reports: bool,
    pub private_comment: String,
    pub public_comment: String,
    pub obfuscate: bool,
    pub created_at: i64,
}

impl From<DomainBlockRow> for DomainBlock {
    fn from(row: DomainBlockRow) -> DomainBlock {
        DomainBlock {
            id: row.id,
            // A severity written by a newer version reads as the strictest.
            severity: Severity::parse(&row.severity).unwrap_or(Severity::Suspend),
            domain: row.domain,
            reject_media: row.reject_media,
            reject_reports: row.reject_reports,
            private_comment: row.private_comment,
            public_comment: row.public_comment,
            obfuscate: row.obfuscate,
            created_at: row.created_at,
        }
    }
}

impl DomainBlock {
    /// The domain as the public list shows it: with `obfuscate`, some of its letters starred
    /// (Mastodon's `DomainBlock#public_domain`), so that it reads as a hint, not a link.
    pub fn public_domain(&self) -> String {
        if !self.obfuscate {
            return self.domain.clone();
        }
        let length = self.domain.chars().count();
        self.domain
            .chars()
            .enumerate()
            .map(|(index, c)| {
                if c != '.' && index > 0 && index + 1 < length && index % 3 != 0 {
                    '*'
                } else {
                    c
                }
            })
            .collect()
    }

    /// The SHA-256 of the domain in hexadecimal, as Mastodon gives it beside an obfuscated
    /// domain: whoever knows a domain can check whether it is the one blocked.
    pub fn digest(&self) -> String {
        crate::crypto::token_digest(&self.domain)
    }

    fn row(&self, updated_at: i64) -> DomainBlockRow {
        DomainBlockRow {
            id: self.id,
            domain: self.domain.clone(),
            severity: self.severity.as_str().to_owned(),
            reject_media: self.reject_media,
            reject_reports: self.reject_reports,
            private_comment: self.private_comment.clone(),
            public_comment: self.public_comment.clone(),
            obfuscate: self.obfuscate,
            created_at: self.created_at,
            updated_at,
        }
    }
}

/// A block as asked for; on an update, what is `None` stays as it was.
#[derive(Debug, Clone, Default)]
pub struct DomainBlockChange {
    pub severity: Option<Severity>,
    pub reject_media: Option<bool>,
    pub reject_reports: Option<bool>,
    pub private_comment: Option<String>,
    pub public_comment: Option<String>,
    pub obfuscate: Option<bool>,
}

/// A server on the allow list.
#[derive(Debug, Clone)]
pub struct DomainAllow {
    pub id: i64,
    pub domain: String,
    pub created_at: i64,
}

impl From<DomainAllowRow> for DomainAllow {
    fn from(row: DomainAllowRow) -> DomainAllow {
        DomainAllow {
            id: row.id,
            domain: row.domain,
            created_at: row.created_at,
        }
    }
}

/// The kind of the job that purges what is stored from a suspended domain.
pub const PURGE_DOMAIN_KIND: &str = "domain.purge";

#[derive(Debug, serde::Serialize, serde::Deserialize)]
struct PurgeDomain {
    block_id: i64,
}

/// How many accounts the purge reads at a time (each is deleted in its own transaction).
const PURGE_BATCH: i64 = 50;

/// Mastodon's longest comment on a block.
const MAX_COMMENT: usize = 1000;

fn checked_comment(text: Option<String>) -> Result<Option<String>> {
    match text {
        Some(text) if text.chars().count() > MAX_COMMENT => Err(CoreError::Validation(format!(
            "Validation failed: Comment is too long (maximum is {MAX_COMMENT} characters)"
        ))),
        other => Ok(other.map(|text| text.trim().to_owned())),
    }
}

impl Instance<'_> {
    /// A domain as blocks and allows name it: a valid host (with a port, for tests and
    /// private networks), never this server's own.
    fn other_domain(&self, text: &str) -> Result<Domain> {
        let domain = Domain::parse(text.trim())?;
        let own = &self.config().domain;
        let own_host = own.as_str().split(':').next().unwrap_or_default();
        if domain == *own || domain.as_str() == own_host {
            return Err(CoreError::Validation(
                "Validation failed: Domain is this server's own".into(),
            ));
        }
        Ok(domain)
    }

    /// Blocks a domain (see the module documentation); a domain blocked already is refused
    /// (422), as Mastodon refuses it.
    pub async fn block_domain(
        &self,
        by: Moderator<'_>,
        domain: &str,
        change: DomainBlockChange,
    ) -> Result<DomainBlock> {
        by.require(permission::MANAGE_FEDERATION)?;
        let domain = self.other_domain(domain)?;
        let now = crate::now_millis();
        let mut tx = self.db().begin().await?;
        let block = DomainBlock {
            id: tx.next_id(),
            domain: domain.as_str().to_owned(),
            severity: change.severity.unwrap_or(Severity::Silence),
            reject_media: change.reject_media.unwrap_or(false),
            reject_reports: change.reject_reports.unwrap_or(false),
            private_comment: checked_comment(change.private_comment)?.unwrap_or_default(),
            public_comment: checked_comment(change.public_comment)?.unwrap_or_default(),
            obfuscate: change.obfuscate.unwrap_or(false),
            created_at: now,
        };
        if !tx.insert_server_block(&block.row(now)).await? {
            return Err(CoreError::Validation(
                "Validation failed: Domain has already been taken".into(),
            ));
        }
        apply_block(&mut tx, &block, now).await?;
        let target = crate::account_moderation::Target::DomainBlock(block.id, &block.domain);
        log_action(&mut tx, by, "create", target, now).await?;
        tx.commit().await?;
        self.wake_workers();
        tracing::info!(domain = %block.domain, severity = block.severity.as_str(), "domain blocked");
        Ok(block)
    }

    /// Changes a block: its effects are undone and those of the new severity applied.
    pub async fn update_domain_block(
        &self,
        by: Moderator<'_>,
        id: i64,
        change: DomainBlockChange,
    ) -> Result<DomainBlock> {
        by.require(permission::MANAGE_FEDERATION)?;
        let old = self.domain_block_row(id).await?;
        let mut block = old.clone();
        if let Some(severity) = change.severity {
            block.severity = severity;
        }
        block.reject_media = change.reject_media.unwrap_or(block.reject_media);
        block.reject_reports = change.reject_reports.unwrap_or(block.reject_reports);
        if let Some(comment) = checked_comment(change.private_comment)? {
            block.private_comment = comment;
        }
        if let Some(comment) = checked_comment(change.public_comment)? {
            block.public_comment = comment;
        }
        block.obfuscate = change.obfuscate.unwrap_or(block.obfuscate);
        let now = crate::now_millis();
        let mut tx = self.db().begin().await?;
        if !tx.update_server_block(&block.row(now)).await? {
            return Err(CoreError::NotFound);
        }
        if old.severity != block.severity {
            undo_block(&mut tx, &old).await?;
            apply_block(&mut tx, &block, now).await?;
        }
        let target = crate::account_moderation::Target::DomainBlock(block.id, &block.domain);
        log_action(&mut tx, by, "update", target, now).await?;
        tx.commit().await?;
        self.wake_workers();
        Ok(block)
    }

    /// Lifts a block: the accounts it limited are limited no more (those purged stay gone).
    pub async fn unblock_domain(&self, by: Moderator<'_>, id: i64) -> Result<DomainBlock> {
        by.require(permission::MANAGE_FEDERATION)?;
        let block = self.domain_block_row(id).await?;
        let now = crate::now_millis();
        let mut tx = self.db().begin().await?;
        if !tx.delete_server_block(id).await? {
            return Err(CoreError::NotFound);
        }
        undo_block(&mut tx, &block).await?;
        let target = crate::account_moderation::Target::DomainBlock(block.id, &block.domain);
        log_action(&mut tx, by, "destroy", target, now).await?;
        tx.commit().await?;
        tracing::info!(domain = %block.domain, "domain unblocked");
        Ok(block)
    }

    /// The block of exactly `domain`, for the operator who names it.
    pub async fn domain_block_named(&self, domain: &str) -> Result<DomainBlock> {
        let domain = Domain::parse(domain.trim())?;
        match self.db().server_block_covering(domain.as_str()).await? {
            Some(row) if row.domain == domain.as_str() => Ok(row.into()),
            _ => Err(CoreError::NotFound),
        }
    }

    async fn domain_block_row(&self, id: i64) -> Result<DomainBlock> {
        Ok(self
            .db()
            .server_block(id)
            .await?
            .ok_or(CoreError::NotFound)?
            .into())
    }

    /// One block, for those who may manage federation.
    pub async fn domain_block(&self, by: Moderator<'_>, id: i64) -> Result<DomainBlock> {
        by.require(permission::MANAGE_FEDERATION)?;
        self.domain_block_row(id).await
    }

    /// A page of blocks, newest first, for those who may manage federation.
    pub async fn domain_blocks_page(
        &self,
        by: Moderator<'_>,
        page: Page,
    ) -> Result<Vec<DomainBlock>> {
        by.require(permission::MANAGE_FEDERATION)?;
        let rows = self.db().server_blocks_page(page).await?;
        Ok(rows.into_iter().map(DomainBlock::from).collect())
    }

    /// Every block, by domain, as the public list shows it to `viewer` (signed in or not);
    /// `None` when the operator does not show it to them.
    pub async fn public_domain_blocks(&self, signed_in: bool) -> Result<Option<Vec<DomainBlock>>> {
        let shown = match self.config().show_domain_blocks {
            BlocksShownTo::All => true,
            BlocksShownTo::Users => signed_in,
            BlocksShownTo::Nobody => false,
        };
        if !shown {
            return Ok(None);
        }
        let rows = self.db().all_server_blocks().await?;
        Ok(Some(rows.into_iter().map(DomainBlock::from).collect()))
    }

    /// The block that covers `domain` (`host[:port]`), if any.
    pub async fn domain_block_covering(&self, domain: &str) -> Result<Option<DomainBlock>> {
        Ok(self
            .db()
            .server_block_covering(&domain.to_ascii_lowercase())
            .await?
            .map(DomainBlock::from))
    }

    /// Whether nothing is exchanged with `domain` (`host[:port]`): a block that suspends it
    /// (itself or a parent), or, with limited federation, no allow for it.
    pub async fn is_domain_blocked(&self, domain: &str) -> Result<bool> {
        let domain = domain.to_ascii_lowercase();
        if self.config().limited_federation && !self.db().is_domain_allowed(&domain).await? {
            return Ok(true);
        }
        Ok(self
            .db()
            .server_block_covering(&domain)
            .await?
            .is_some_and(|row| DomainBlock::from(row).severity == Severity::Suspend))
    }

    /// Puts a domain on the allow list (a domain on it already is refused, 422).
    pub async fn allow_domain(&self, by: Moderator<'_>, domain: &str) -> Result<DomainAllow> {
        by.require(permission::MANAGE_FEDERATION)?;
        let domain = self.other_domain(domain)?;
        let now = crate::now_millis();
        let mut tx = self.db().begin().await?;
        let row = DomainAllowRow {
            id: tx.next_id(),
            domain: domain.as_str().to_owned(),
            created_at: now,
        };
        if !tx.insert_domain_allow(&row).await? {
            return Err(CoreError::Validation(
                "Validation failed: Domain has already been taken".into(),
            ));
        }
        let target = crate::account_moderation::Target::DomainAllow(row.id, &row.domain);
        log_action(&mut tx, by, "create", target, now).await?;
        tx.commit().await?;
        Ok(row.into())
    }

    /// Takes a domain off the allow list.
    pub async fn disallow_domain(&self, by: Moderator<'_>, id: i64) -> Result<DomainAllow> {
        by.require(permission::MANAGE_FEDERATION)?;
        let allow: DomainAllow = self
            .db()
            .domain_allow(id)
            .await?
            .ok_or(CoreError::NotFound)?
            .into();
        let mut tx = self.db().begin().await?;
        if !tx.delete_domain_allow(id).await? {
            return Err(CoreError::NotFound);
        }
        let target = crate::account_moderation::Target::DomainAllow(allow.id, &allow.domain);
        log_action(&mut tx, by, "destroy", target, crate::now_millis()).await?;
        tx.commit().await?;
        Ok(allow)
    }

    pub async fn domain_allow(&self, by: Moderator<'_>, id: i64) -> Result<DomainAllow> {
        by.require(permission::MANAGE_FEDERATION)?;
        Ok(self
            .db()
            .domain_allow(id)
            .await?
            .ok_or(CoreError::NotFound)?
            .into())
    }

    pub async fn domain_allows_page(
        &self,
        by: Moderator<'_>,
        page: Page,
    ) -> Result<Vec<DomainAllow>> {
        by.require(permission::MANAGE_FEDERATION)?;
        let rows = self.db().domain_allows_page(page).await?;
        Ok(rows.into_iter().map(DomainAllow::from).collect())
    }
}

/// What a block does to its domain's accounts, in `tx`: limits them, and for a suspension
/// queues their purge.
async fn apply_block(tx: &mut woolly_store::Tx, block: &DomainBlock, now: i64) -> Result<()> {
    if let Some(limit) = block.severity.limit() {
        tx.limit_accounts_of_domain(&block.domain, limit, block.created_at, true)
            .await?;
    }
    if block.severity == Severity::Suspend {
        let purge = PurgeDomain { block_id: block.id };
        tx.enqueue_job(&new_job(
            PURGE_DOMAIN_KIND,
            &purge,
            now,
            DEFAULT_MAX_ATTEMPTS,
        )?)
        .await?;
    }
    Ok(())
}

/// Undoes [`apply_block`]'s limits (what was purged stays gone).
async fn undo_block(tx: &mut woolly_store::Tx, block: &DomainBlock) -> Result<()> {
    if let Some(limit) = block.severity.limit() {
        tx.limit_accounts_of_domain(&block.domain, limit, block.created_at, false)
            .await?;
    }
    Ok(())
}

impl Woolly {
    /// Purges the accounts a suspending block suspended, each with what it left, while the
    /// block stands and suspends. Safe to run again: each account goes in its own transaction.
    async fn purge_domain(&self, block_id: i64) -> Result<()> {
        let mut purged = 0;
        loop {
            let Some(row) = self.db().server_block(block_id).await? else {
                break;
            };
            let block = DomainBlock::from(row);
            if block.severity != Severity::Suspend {
                break;
            }
            let ids = self
                .db()
                .suspended_accounts_of_domain(&block.domain, PURGE_BATCH)
                .await?;
            if ids.is_empty() {
                break;
            }
            for id in ids {
                if self.end_suspended_account(id, None, None).await? {
                    purged += 1;
                }
            }
        }
        tracing::info!(block_id, purged, "blocked domain purged");
        Ok(())
    }
}

/// Runs the purge of a suspended domain.
pub struct PurgeDomainJob;

impl JobHandler for PurgeDomainJob {
    fn kind(&self) -> &'static str {
        PURGE_DOMAIN_KIND
    }

    fn run<'a>(&'a self, woolly: &'a Woolly, job: &'a Job) -> JobFuture<'a> {
        Box::pin(async move {
            let PurgeDomain { block_id } = job.payload()?;
            woolly.purge_domain(block_id).await?;
            Ok(())
        })
    }
}
