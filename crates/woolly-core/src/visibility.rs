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
//! Blocks, as Mastodon applies them: an author who blocks the viewer hides their public and
//! unlisted posts from the viewer everywhere (`StatusPolicy#show?`). Every list (timelines,
//! threads, search, streams, a profile's reblogs) also hides the posts of authors the viewer
//! blocks, and mutes hide posts from the muter's lists in the same way, but a viewer who blocked
//! or muted an author still opens that author's posts by id and reads their profile. Bookmarks
//! and favourites stay listed whatever happens later: they are the viewer's own.
//!
//! List queries need these rules in SQL; their one spelling is in `woolly_store::statuses`
//! (`visible_to` for lists, `shown_to` for a status's page, its thread's root and its
//! favourited_by/reblogged_by), and `crates/woolly/tests/visibility_matrix.rs` checks every
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
