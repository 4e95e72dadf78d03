//! Who may see a status. Mastodon's four visibilities:
//!
//! - `public`: everyone, and the public timelines;
//! - `unlisted`: everyone, but not the public timelines or hashtag timelines;
//! - `private` (followers-only): the author's followers and the accounts it mentions;
//! - `direct`: only the accounts it mentions.
//!
//! The author always sees their own posts; a block hides each side from the other everywhere;
//! a reblog is visible only when the reblogged status is too. A status the viewer may not see
//! is answered exactly like one that does not exist (404).
//!
//! List queries need this rule in SQL; its one spelling is `woolly_store::statuses::visible_to`,
//! and every read path (single status, context, timelines, account statuses, favourited_by,
//! notifications) goes through the store queries that use it.

use std::fmt;

use crate::error::{CoreError, Result};

/// A status's audience.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Visibility {
    Public,
    Unlisted,
    Private,
    Direct,
}

impl Visibility {
    pub fn parse(text: &str) -> Result<Visibility> {
        match text {
            "public" => Ok(Visibility::Public),
            "unlisted" => Ok(Visibility::Unlisted),
            "private" => Ok(Visibility::Private),
            "direct" => Ok(Visibility::Direct),
            other => Err(CoreError::Validation(format!(
                "Validation failed: Visibility {other:?} is not one of public, unlisted, private, direct"
            ))),
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Visibility::Public => "public",
            Visibility::Unlisted => "unlisted",
            Visibility::Private => "private",
            Visibility::Direct => "direct",
        }
    }

    /// Whether others may reblog a status of this visibility (Mastodon: public and unlisted).
    pub fn is_reblogable(self) -> bool {
        matches!(self, Visibility::Public | Visibility::Unlisted)
    }
}

impl fmt::Display for Visibility {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(self.as_str())
    }
}
