//! A user's data as CSV files in Mastodon's export formats (`Settings › Import and export`), so
//! that what one follows, blocks, mutes, bookmarks and lists can be taken to any server that
//! imports them, Mastodon's included:
//!
//! | file | columns |
//! |---|---|
//! | `following_accounts.csv` | `Account address,Show boosts,Notify on new posts,Languages` |
//! | `followers.csv` | `Account address` |
//! | `lists.csv` | list title, account address (no header) |
//! | `blocked_accounts.csv` | account address (no header) |
//! | `muted_accounts.csv` | `Account address,Hide notifications` |
//! | `blocked_domains.csv` | domain (no header) |
//! | `bookmarks.csv` | the status's ActivityPub id (no header) |
//!
//! Addresses are always `user@domain`, this server's domain included, as Mastodon writes them.

use crate::accounts::Account;
use crate::areas::Relations;
use crate::error::Result;
use woolly_store::{BlockOrMute, FollowSide, Page, StatusRelation};

/// How many rows one read fetches while a file is made.
const BATCH: i64 = 200;

/// One of the files a user can export.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Export {
    Following,
    Followers,
    Lists,
    Blocks,
    Mutes,
    DomainBlocks,
    Bookmarks,
}

impl Export {
    pub const ALL: [Export; 7] = [
        Export::Following,
        Export::Followers,
        Export::Lists,
        Export::Blocks,
        Export::Mutes,
        Export::DomainBlocks,
        Export::Bookmarks,
    ];

    /// The file's name, as Mastodon names it.
    pub fn file_name(self) -> &'static str {
        match self {
            Export::Following => "following_accounts.csv",
            Export::Followers => "followers.csv",
            Export::Lists => "lists.csv",
            Export::Blocks => "blocked_accounts.csv",
            Export::Mutes => "muted_accounts.csv",
            Export::DomainBlocks => "blocked_domains.csv",
            Export::Bookmarks => "bookmarks.csv",
        }
    }

    /// The export a file name asks for.
    pub fn from_file_name(name: &str) -> Option<Export> {
        Export::ALL
            .into_iter()
            .find(|export| export.file_name() == name)
    }
}

/// A CSV field, quoted when it holds a comma, a quote or a line break (RFC 4180).
fn field(text: &str) -> String {
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_owned()
    }
}

/// Every entry of a paged read, `limit` at a time, oldest last: `read` is called with each
/// page's `max_id` and gives its entries and the cursor of its oldest row *as read*, before any
/// filter hid some (a listing's own cursor), so that a page thinned by filters does not end the
/// reading; a page without rows (no cursor) does.
pub async fn every_page<T, F, Fut>(limit: i64, mut read: F) -> Result<Vec<T>>
where
    F: FnMut(Page) -> Fut,
    Fut: std::future::Future<Output = Result<(Vec<T>, Option<i64>)>>,
{
    let mut all = Vec::new();
    let mut max_id = None;
    loop {
        let page = Page {
            max_id,
            since_id: None,
            min_id: None,
            limit,
        };
        let (entries, oldest) = read(page).await?;
        all.extend(entries);
        match oldest {
            Some(cursor) if Some(cursor) != max_id => max_id = Some(cursor),
            _ => return Ok(all),
        }
    }
}

impl Relations<'_> {
    /// The CSV file of one of `actor`'s exports.
    pub async fn export(&self, actor: &Account, export: Export) -> Result<String> {
        let domain = self.config().domain.as_str().to_owned();
        let address = |account: &Account| {
            let host = account.domain.as_deref().unwrap_or(&domain);
            format!("{}@{host}", account.username)
        };
        let me = actor.id;
        let accounts = |side: Option<FollowSide>, kind: BlockOrMute| async move {
            every_page(BATCH, |page| async move {
                let rows = match side {
                    Some(side) => self.follows(me, side, page).await?,
                    None => self.blocks_or_mutes(me, kind, page).await?,
                };
                let last = rows.last().map(|(cursor, _)| *cursor);
                Ok((rows, last))
            })
            .await
        };
        let mut csv = String::new();
        match export {
            Export::Following => {
                csv.push_str("Account address,Show boosts,Notify on new posts,Languages\n");
                let follows = accounts(Some(FollowSide::Following), BlockOrMute::Block).await?;
                let ids: Vec<i64> = follows.iter().map(|(_, account)| account.id).collect();
                let relationships = self.relationships(me, &ids).await?;
                for (_, account) in &follows {
                    let relationship = relationships
                        .iter()
                        .find(|relationship| relationship.target_id == account.id);
                    let languages = relationship
                        .map(|relationship| {
                            crate::relations::split_languages(relationship.languages.as_deref())
                                .unwrap_or_default()
                                .join(",")
                        })
                        .unwrap_or_default();
                    csv.push_str(&format!(
                        "{},{},{},{}\n",
                        field(&address(account)),
                        relationship.is_none_or(|relationship| relationship.showing_reblogs),
                        relationship.is_some_and(|relationship| relationship.notifying),
                        field(&languages),
                    ));
                }
            }
            Export::Followers => {
                csv.push_str("Account address\n");
                let followers = accounts(Some(FollowSide::Followers), BlockOrMute::Block).await?;
                for (_, account) in &followers {
                    csv.push_str(&field(&address(account)));
                    csv.push('\n');
                }
            }
            Export::Blocks | Export::Mutes => {
                let kind = if export == Export::Blocks {
                    BlockOrMute::Block
                } else {
                    BlockOrMute::Mute
                };
                if kind == BlockOrMute::Mute {
                    csv.push_str("Account address,Hide notifications\n");
                }
                let people = accounts(None, kind).await?;
                let ids: Vec<i64> = people.iter().map(|(_, account)| account.id).collect();
                let relationships = if kind == BlockOrMute::Mute {
                    self.relationships(me, &ids).await?
                } else {
                    Vec::new()
                };
                for (_, account) in &people {
                    csv.push_str(&field(&address(account)));
                    if kind == BlockOrMute::Mute {
                        let hides = relationships.iter().any(|relationship| {
                            relationship.target_id == account.id
                                && relationship.muting_notifications
                        });
                        csv.push_str(&format!(",{hides}"));
                    }
                    csv.push('\n');
                }
            }
            Export::DomainBlocks => {
                let domains = every_page(BATCH, |page| async move {
                    let rows = self.domain_blocks(me, page).await?;
                    let last = rows.last().map(|(cursor, _)| *cursor);
                    Ok((rows, last))
                })
                .await?;
                for (_, domain) in domains {
                    csv.push_str(&field(&domain));
                    csv.push('\n');
                }
            }
            Export::Bookmarks => {
                let bookmarks = every_page(BATCH, |page| async move {
                    let (views, cursors) = self
                        .statuses()
                        .relations_page(me, StatusRelation::Bookmark, page)
                        .await?;
                    Ok((views, cursors.map(|(_, oldest)| oldest)))
                })
                .await?;
                for view in bookmarks {
                    csv.push_str(&field(&view.status.uri));
                    csv.push('\n');
                }
            }
            Export::Lists => {
                for list in self.lists().all(me).await? {
                    for (_, account) in self.lists().members(me, list.id, None).await? {
                        csv.push_str(&format!(
                            "{},{}\n",
                            field(&list.title),
                            field(&address(&account))
                        ));
                    }
                }
            }
        }
        Ok(csv)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_are_quoted_only_when_they_must_be() {
        assert_eq!(field("alice@example.org"), "alice@example.org");
        assert_eq!(field("Friends, family"), "\"Friends, family\"");
        assert_eq!(field("The \"best\""), "\"The \"\"best\"\"\"");
        for export in Export::ALL {
            assert_eq!(Export::from_file_name(export.file_name()), Some(export));
        }
        assert_eq!(Export::from_file_name("../secret.key"), None);
    }
}
