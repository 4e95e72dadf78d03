//! The operator's announcements to every member, as Mastodon's: written by those who manage
//! announcements (admins, owners), published at once or kept as drafts, shown from an
//! optional start until an optional end; each member sees whether they read (dismissed) one,
//! dismisses it, and reacts to it with Unicode or this server's custom emojis.

use std::collections::HashMap;

use woolly_store::AnnouncementRow;

use crate::account_moderation::{Moderator, Target, log_action};
use crate::accounts::permission;
use crate::areas::Instance;
use crate::emojis::CustomEmoji;
use crate::error::{CoreError, Result};
use crate::events::Event;

/// Mastodon's limit on an announcement's text.
const MAX_TEXT: usize = 5000;

/// An announcement as a member reads it.
#[derive(Debug, Clone)]
pub struct Announcement {
    pub id: i64,
    pub text: String,
    pub html: String,
    pub starts_at: Option<i64>,
    pub ends_at: Option<i64>,
    pub all_day: bool,
    pub published_at: Option<i64>,
    pub updated_at: i64,
    /// Whether the reader dismissed it.
    pub read: bool,
    pub reactions: Vec<Reaction>,
}

/// The members who reacted with one emoji.
#[derive(Debug, Clone)]
pub struct Reaction {
    pub name: String,
    pub count: i64,
    /// Whether the reader is among them.
    pub me: bool,
    /// For a custom emoji, its images.
    pub custom: Option<CustomEmoji>,
}

/// An announcement as its author writes it.
#[derive(Debug, Clone, Default)]
pub struct AnnouncementDraft {
    pub text: String,
    pub starts_at: Option<i64>,
    pub ends_at: Option<i64>,
    pub all_day: bool,
    /// Published at once, or kept as a draft.
    pub publish: bool,
}

/// Whether `name` reads as one Unicode emoji (with its modifiers and joiners): no letters,
/// digits alone or spaces, and short.
fn is_unicode_emoji(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 32
        && !name.chars().any(|c| c.is_whitespace() || c.is_control())
        && (name.chars().all(|c| !c.is_ascii()) || name.contains(['\u{fe0f}', '\u{20e3}']))
}

impl Instance<'_> {
    /// The published announcements in force, oldest first, as `viewer` sees them (those they
    /// dismissed only `with_dismissed`).
    pub async fn announcements(
        &self,
        viewer: i64,
        with_dismissed: bool,
    ) -> Result<Vec<Announcement>> {
        let rows = self
            .db()
            .announcements_in_force(viewer, crate::now_millis())
            .await?;
        let rows: Vec<(AnnouncementRow, bool)> = rows
            .into_iter()
            .filter(|(_, dismissed)| with_dismissed || !dismissed)
            .collect();
        // The web's home page asks on every visit: with none to show, nothing more is read.
        if rows.is_empty() {
            return Ok(Vec::new());
        }
        let ids: Vec<i64> = rows.iter().map(|(row, _)| row.id).collect();
        let emojis: HashMap<String, CustomEmoji> = self
            .custom_emojis()
            .await?
            .into_iter()
            .map(|emoji| (emoji.shortcode.clone(), emoji))
            .collect();
        let mut reactions: HashMap<i64, Vec<Reaction>> = HashMap::new();
        for count in self.db().announcement_reactions(&ids, viewer).await? {
            reactions
                .entry(count.announcement_id)
                .or_default()
                .push(Reaction {
                    custom: emojis.get(&count.name).cloned(),
                    name: count.name,
                    count: count.count,
                    me: count.mine,
                });
        }
        Ok(rows
            .into_iter()
            .map(|(row, dismissed)| Announcement {
                reactions: reactions.remove(&row.id).unwrap_or_default(),
                id: row.id,
                text: row.text,
                html: row.html,
                starts_at: row.starts_at,
                ends_at: row.ends_at,
                all_day: row.all_day,
                published_at: row.published_at,
                updated_at: row.updated_at,
                read: dismissed,
            })
            .collect())
    }

    /// An announcement in force, for a member acting on it; 404 otherwise.
    async fn announcement_in_force(&self, viewer: i64, id: i64) -> Result<()> {
        let in_force = self
            .db()
            .announcements_in_force(viewer, crate::now_millis())
            .await?
            .iter()
            .any(|(row, _)| row.id == id);
        if in_force {
            Ok(())
        } else {
            Err(CoreError::NotFound)
        }
    }

    /// Marks an announcement read for `viewer`.
    pub async fn dismiss_announcement(&self, viewer: i64, id: i64) -> Result<()> {
        self.announcement_in_force(viewer, id).await?;
        let mut tx = self.db().begin().await?;
        tx.dismiss_announcement(viewer, id).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Adds (`on`) or takes back `viewer`'s reaction `name`: a Unicode emoji or the shortcode
    /// of one of this server's custom emojis (422 otherwise).
    pub async fn react_to_announcement(
        &self,
        viewer: i64,
        id: i64,
        name: &str,
        on: bool,
    ) -> Result<()> {
        self.announcement_in_force(viewer, id).await?;
        let name = name.trim();
        let custom = self
            .custom_emojis()
            .await?
            .iter()
            .any(|emoji| emoji.shortcode == name);
        if on && !custom && !is_unicode_emoji(name) {
            return Err(CoreError::Validation(
                "Validation failed: Name is not a recognized emoji".into(),
            ));
        }
        let mut tx = self.db().begin().await?;
        tx.react_to_announcement(viewer, id, name, on, crate::now_millis())
            .await?;
        tx.commit().await?;
        let count = self
            .db()
            .announcement_reactions(&[id], viewer)
            .await?
            .into_iter()
            .find(|reaction| reaction.name == name)
            .map_or(0, |reaction| reaction.count);
        self.publish([Event::AnnouncementReaction {
            announcement_id: id,
            name: name.to_owned(),
            count,
        }]);
        Ok(())
    }

    /// Every announcement, drafts and past ones too, newest first, for those who manage them.
    pub async fn all_announcements(&self, by: Moderator<'_>) -> Result<Vec<Announcement>> {
        by.require(permission::MANAGE_ANNOUNCEMENTS)?;
        Ok(self
            .db()
            .all_announcements()
            .await?
            .into_iter()
            .map(|row| Announcement {
                id: row.id,
                text: row.text,
                html: row.html,
                starts_at: row.starts_at,
                ends_at: row.ends_at,
                all_day: row.all_day,
                published_at: row.published_at,
                updated_at: row.updated_at,
                read: false,
                reactions: Vec::new(),
            })
            .collect())
    }

    /// Writes a new announcement (`id` `None`) or rewrites one; returns its id.
    pub async fn save_announcement(
        &self,
        by: Moderator<'_>,
        id: Option<i64>,
        draft: AnnouncementDraft,
    ) -> Result<i64> {
        by.require(permission::MANAGE_ANNOUNCEMENTS)?;
        let text = draft.text.trim();
        if text.is_empty() {
            return Err(CoreError::Validation(
                "Validation failed: Text can't be blank".into(),
            ));
        }
        if text.chars().count() > MAX_TEXT {
            return Err(CoreError::Validation(format!(
                "Validation failed: Text is too long (maximum is {MAX_TEXT} characters)"
            )));
        }
        if let (Some(starts), Some(ends)) = (draft.starts_at, draft.ends_at)
            && ends <= starts
        {
            return Err(CoreError::Validation(
                "Validation failed: Ends at must be after its start".into(),
            ));
        }
        let now = crate::now_millis();
        let old = match id {
            Some(id) => Some(
                self.db()
                    .announcement(id)
                    .await?
                    .ok_or(CoreError::NotFound)?,
            ),
            None => None,
        };
        let html = crate::text::render_plain_text(text, self.config().urls(), &|_| None).html;
        let mut tx = self.db().begin().await?;
        let row = AnnouncementRow {
            id: old.as_ref().map_or_else(|| tx.next_id(), |old| old.id),
            text: text.to_owned(),
            html,
            starts_at: draft.starts_at,
            ends_at: draft.ends_at,
            all_day: draft.all_day,
            published_at: match (draft.publish, &old) {
                (false, _) => None,
                (true, Some(old)) => old.published_at.or(Some(now)),
                (true, None) => Some(now),
            },
            created_at: old.as_ref().map_or(now, |old| old.created_at),
            updated_at: now,
        };
        tx.save_announcement(&row).await?;
        let action = if old.is_some() { "update" } else { "create" };
        log_action(&mut tx, by, action, Target::Announcement(row.id), now).await?;
        tx.commit().await?;
        let was_published = old.is_some_and(|old| old.published_at.is_some());
        if row.published_at.is_some() {
            self.publish([Event::AnnouncementPublished {
                announcement_id: row.id,
            }]);
        } else if was_published {
            self.publish([Event::AnnouncementWithdrawn {
                announcement_id: row.id,
            }]);
        }
        Ok(row.id)
    }

    pub async fn delete_announcement(&self, by: Moderator<'_>, id: i64) -> Result<()> {
        by.require(permission::MANAGE_ANNOUNCEMENTS)?;
        let mut tx = self.db().begin().await?;
        if !tx.delete_announcement(id).await? {
            return Err(CoreError::NotFound);
        }
        let now = crate::now_millis();
        log_action(&mut tx, by, "destroy", Target::Announcement(id), now).await?;
        tx.commit().await?;
        self.publish([Event::AnnouncementWithdrawn {
            announcement_id: id,
        }]);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::is_unicode_emoji;

    #[test]
    fn emojis_are_told_from_words() {
        for emoji in ["👍", "👍🏽", "🇫🇷", "1️⃣", "❤️", "👩‍💻"] {
            assert!(is_unicode_emoji(emoji), "{emoji}");
        }
        for word in ["", "ok", "a b", ":blobcat:", "12"] {
            assert!(!is_unicode_emoji(word), "{word:?}");
        }
    }
}
