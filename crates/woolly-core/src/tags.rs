//! Hashtags as things to look at and follow (`/api/v1/tags/:name`, followed tags), and the
//! smaller account tools: private notes and "followed by people you follow".

use crate::accounts::Account;
use crate::areas::{Relations, Tags};
use crate::error::{CoreError, Result};
use crate::relations::Relationship;
use crate::search::TagUsage;
use crate::state::Woolly;

const MAX_TAG_LENGTH: usize = 100;
const MAX_NOTE_LENGTH: usize = 2000;

/// A hashtag with its recent use and whether the viewer follows it.
#[derive(Debug, Clone)]
pub struct TagView {
    pub usage: TagUsage,
    /// `None` for anonymous viewers.
    pub following: Option<bool>,
    /// Whether the viewer features it on their profile; `None` for anonymous viewers.
    pub featuring: Option<bool>,
}

/// A hashtag name as given in a path (`Woolly`, `#woolly`): lower-cased and checked.
pub fn tag_name(text: &str) -> Result<String> {
    let name = text.trim().trim_start_matches('#').to_lowercase();
    let valid = !name.is_empty()
        && name.chars().count() <= MAX_TAG_LENGTH
        && name.chars().all(|c| {
            c.is_alphanumeric() || c == '_' || c == '\u{b7}' || c == '\u{30fb}' || c == '\u{200c}'
        });
    if valid {
        Ok(name)
    } else {
        Err(CoreError::NotFound)
    }
}

impl Woolly {
    /// Hashtags (valid, lower-case names) with their use and what the viewer does with them.
    pub(crate) async fn tag_views(
        &self,
        viewer: Option<i64>,
        names: &[String],
    ) -> Result<Vec<TagView>> {
        let usages = self.tags().tag_usage(names).await?;
        let (followed, featured) = match viewer {
            Some(viewer) => (
                Some(self.db().followed_tags_among(viewer, names).await?),
                Some(self.db().featured_among(viewer, names).await?),
            ),
            None => (None, None),
        };
        Ok(usages
            .into_iter()
            .map(|usage| TagView {
                following: followed.as_ref().map(|list| list.contains(&usage.name)),
                featuring: featured.as_ref().map(|list| list.contains(&usage.name)),
                usage,
            })
            .collect())
    }
}

impl Tags<'_> {
    pub async fn tag(&self, viewer: Option<i64>, name: &str) -> Result<TagView> {
        let name = tag_name(name)?;
        self.tag_views(viewer, std::slice::from_ref(&name))
            .await?
            .into_iter()
            .next()
            .ok_or(CoreError::NotFound)
    }

    /// Follows a hashtag: its public posts join the viewer's home timeline from now on.
    pub async fn follow_tag(&self, actor: &Account, name: &str, follow: bool) -> Result<TagView> {
        let name = tag_name(name)?;
        let mut tx = self.db().begin().await?;
        if follow {
            tx.follow_tag(actor.id, &name, crate::now_millis()).await?;
        } else {
            tx.unfollow_tag(actor.id, &name).await?;
        }
        tx.commit().await?;
        self.tag(Some(actor.id), &name).await
    }

    /// The hashtags the actor follows, paged on the follows' ids.
    pub async fn followed_tags(
        &self,
        actor: &Account,
        page: woolly_store::Page,
    ) -> Result<(Vec<TagView>, Option<(i64, i64)>)> {
        let rows = self.db().followed_tags_page(actor.id, page).await?;
        let cursors = rows
            .first()
            .zip(rows.last())
            .map(|(first, last)| (first.0, last.0));
        let names: Vec<String> = rows.into_iter().map(|(_, name)| name).collect();
        Ok((self.tag_views(Some(actor.id), &names).await?, cursors))
    }
}

impl Relations<'_> {
    /// Sets the actor's private note about an account (empty clears it).
    pub async fn set_note(
        &self,
        actor: &Account,
        target_id: i64,
        comment: &str,
    ) -> Result<Relationship> {
        let target = self
            .accounts()
            .account(target_id)
            .await?
            .ok_or(CoreError::NotFound)?;
        if comment.chars().count() > MAX_NOTE_LENGTH {
            return Err(CoreError::Validation(format!(
                "Validation failed: Comment is too long (maximum is {MAX_NOTE_LENGTH} characters)"
            )));
        }
        self.db()
            .set_account_note(actor.id, target.id, comment.trim(), crate::now_millis())
            .await?;
        self.relationship(actor.id, target.id).await
    }

    /// For each target: accounts the viewer follows that follow it.
    pub async fn familiar_followers(
        &self,
        viewer: i64,
        target_ids: &[i64],
    ) -> Result<Vec<(i64, Vec<Account>)>> {
        let mut result = Vec::with_capacity(target_ids.len());
        for target in target_ids {
            let ids = self.db().familiar_followers(viewer, *target, 40).await?;
            let rows = self.db().accounts_by_ids(&ids).await?;
            let accounts = self.accounts_from_rows(rows).await?;
            result.push((*target, accounts));
        }
        Ok(result)
    }
}

#[cfg(test)]
mod tests {
    use super::tag_name;

    #[test]
    fn tag_names_are_normalised_and_checked() {
        assert_eq!(tag_name("#Woolly").ok().as_deref(), Some("woolly"));
        assert_eq!(tag_name("café_2").ok().as_deref(), Some("café_2"));
        assert!(tag_name("no spaces").is_err());
        assert!(tag_name("").is_err());
        assert!(tag_name("a/b").is_err());
    }
}
