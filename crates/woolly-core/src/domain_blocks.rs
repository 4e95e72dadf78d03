//! User-level domain blocks (`methods/domain_blocks.md`): a user hides a whole server.
//!
//! As in Mastodon (`Account#block_domain!` and `AfterBlockDomainFromAccountService`), blocking a
//! domain ends the follows between the user and the accounts on it (both ways), rejects their
//! pending follow requests and deletes their notifications to the user; from then on their
//! statuses stay out of the user's home, list, public and hashtag timelines (and streams), their
//! notifications are not written unless the user follows them, neither side can follow the
//! other, and relationships with them say `domain_blocking`. An account's own profile and statuses stay
//! readable, as in Mastodon. This is not the instance-wide block of the admin API.
//!
//! The clean-up happens in the block's own transaction rather than in a job: it touches only
//! rows of this database. When federation arrives, the follows it ends must also be undone
//! (`Undo Follow`, `Reject`) on the other server, by jobs written in that transaction.

use woolly_store::Page;

use crate::accounts::Account;
use crate::areas::Relations;
use crate::config::Domain;
use crate::error::{CoreError, Result};

/// Parses the `domain` parameter of the domain-block endpoints, with Mastodon's messages.
pub fn parse_blocked_domain(text: Option<&str>) -> Result<Domain> {
    let text = text.unwrap_or_default();
    if text.trim().is_empty() {
        return Err(CoreError::Validation(
            "Validation failed: Domain can't be blank".into(),
        ));
    }
    Domain::normalize(text).ok_or_else(|| {
        CoreError::Validation("Validation failed: Domain is not a valid domain name".into())
    })
}

impl Relations<'_> {
    /// Blocks a domain for the actor. Blocking it again changes nothing more, but clears away
    /// again whatever came from the domain since (as Mastodon, which runs its clean-up on every
    /// call).
    pub async fn block_domain(&self, actor: &Account, domain: &Domain) -> Result<()> {
        let domain = domain.as_str();
        let mut tx = self.db().begin().await?;
        tx.insert_domain_block(actor.id, domain, crate::now_millis())
            .await?;
        for (follower, followed) in tx.follows_with_domain(actor.id, domain).await? {
            tx.delete_follow(follower, followed).await?;
        }
        tx.reject_follow_requests_from_domain(actor.id, domain)
            .await?;
        tx.delete_notifications_from_domain(actor.id, domain)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Lifts the actor's block of a domain, if there is one. Ended follows stay ended.
    pub async fn unblock_domain(&self, actor: &Account, domain: &Domain) -> Result<()> {
        let mut tx = self.db().begin().await?;
        tx.delete_domain_block(actor.id, domain.as_str()).await?;
        tx.commit().await?;
        Ok(())
    }

    /// A page of the domains the viewer blocks, newest block first: (block id, domain) pairs,
    /// the ids being the page's cursors.
    pub async fn domain_blocks(&self, viewer: i64, page: Page) -> Result<Vec<(i64, String)>> {
        Ok(self.db().domain_blocks_page(viewer, page).await?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blank_and_malformed_domains_get_mastodons_messages() {
        for blank in [None, Some(""), Some("  ")] {
            let error = parse_blocked_domain(blank)
                .err()
                .map(|error| error.to_string());
            assert_eq!(
                error.as_deref(),
                Some("Validation failed: Domain can't be blank")
            );
        }
        let error = parse_blocked_domain(Some("not a domain"))
            .err()
            .map(|error| error.to_string());
        assert_eq!(
            error.as_deref(),
            Some("Validation failed: Domain is not a valid domain name")
        );
        assert_eq!(
            parse_blocked_domain(Some("Spam.Example"))
                .ok()
                .map(|domain| domain.as_str().to_owned()),
            Some("spam.example".to_owned())
        );
    }
}
