//! The operator's domain blocks: whole servers cut off (Mastodon's "suspend"). Nothing from a
//! blocked domain is received, nothing is sent or fetched there, and its subdomains go with it.
//! Blocking a domain leaves what is stored from it (Mastodon purges it; not yet here).

use crate::areas::Instance;
use crate::config::Domain;
use crate::error::Result;

impl Instance<'_> {
    /// Blocks a domain; false when it already was.
    pub async fn block_domain(&self, domain: &str) -> Result<bool> {
        let domain = Domain::parse(domain)?;
        Ok(self
            .db()
            .insert_instance_domain_block(domain.as_str(), crate::now_millis())
            .await?)
    }

    /// Lifts a domain's block; false when there was none.
    pub async fn unblock_domain(&self, domain: &str) -> Result<bool> {
        let domain = Domain::parse(domain)?;
        Ok(self
            .db()
            .delete_instance_domain_block(domain.as_str())
            .await?)
    }

    pub async fn domain_blocks(&self) -> Result<Vec<String>> {
        Ok(self.db().instance_domain_blocks().await?)
    }

    /// Whether `domain` (`host[:port]`) is cut off, itself or as a subdomain of a blocked one.
    pub async fn is_domain_blocked(&self, domain: &str) -> Result<bool> {
        Ok(self
            .db()
            .is_instance_domain_blocked(&domain.to_ascii_lowercase())
            .await?)
    }
}
