//! Who may see a status. Mastodon's four visibilities:
//!
//! - `public`: everyone, and the public timelines;
//! - `unlisted`: everyone, but not the public timelines or hashtag timelines;
//! - `private` (followers-only): the author's followers and the accounts it mentions;
//! - `direct`: only the accounts it mentions.
//!
//! The author always sees their own posts; a reblog is visible only when the reblogged status
//! is too. A status the viewer may not see is answered exactly like one that does not exist
//! (404).
//!
//! Blocks hide both sides from each other everywhere, as the issue that defines Woolly's safety
//! tools asks: a status page, a thread, a profile, bookmarks and favourites included. This is
//! stricter than Mastodon, where a viewer who blocked an author still opens that author's posts
//! by link (`StatusPolicy#show?` checks only the author's blocks) and keeps their bookmarks.
//! Mutes hide the muted account's posts from the muter's timelines, threads, search and
//! streams, but not from a status page or a profile.
//!
//! List queries need these rules in SQL; their one spelling is in `woolly_store::statuses`
//! (`visible_to`), and `crates/woolly/tests/visibility_matrix.rs` checks every
//! read path against Mastodon's answers.

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
