//! What an account features on its profile: up to ten hashtags, with their use, and the
//! accounts it endorses (only ones it follows; unfollowing or blocking ends an endorsement).

use crate::accounts::Account;
use crate::areas::{Relations, Tags};
use crate::error::{CoreError, Result};
use crate::relations::Relationship;

/// Mastodon's `FeaturedTag::LIMIT` (also `configuration.accounts.max_featured_tags`).
pub const MAX_FEATURED_TAGS: i64 = 10;
/// How many hashtags `/api/v1/featured_tags/suggestions` offers.
const SUGGESTIONS: i64 = 10;

/// A featured hashtag as clients see it.
#[derive(Debug, Clone)]
pub struct FeaturedTag {
    pub id: i64,
    pub name: String,
    pub statuses_count: i64,
    pub last_status_at: Option<i64>,
}

impl From<woolly_store::FeaturedTagRow> for FeaturedTag {
    fn from(row: woolly_store::FeaturedTagRow) -> FeaturedTag {
        FeaturedTag {
            id: row.id,
            name: row.name,
            statuses_count: row.statuses_count,
            last_status_at: row.last_status_at,
        }
    }
}

/// Whether an account features another on its profile, or stops.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Endorsement {
    Endorse,
    Unendorse,
}

impl Tags<'_> {
    /// An account's featured hashtags.
    pub async fn featured_tags(&self, account_id: i64) -> Result<Vec<FeaturedTag>> {
        Ok(self
            .db()
            .featured_tags(account_id)
            .await?
            .into_iter()
            .map(FeaturedTag::from)
            .collect())
    }

    /// Features a hashtag on the actor's profile (featuring it again changes nothing).
    pub async fn feature_tag(&self, actor: &Account, name: &str) -> Result<FeaturedTag> {
        let name = crate::tags::tag_name(name)
            .map_err(|_| CoreError::Validation("Validation failed: Tag is invalid".into()))?;
        let mut tx = self.db().begin().await?;
        let id = tx
            .insert_featured_tag(actor.id, &name, MAX_FEATURED_TAGS, crate::now_millis())
            .await?
            .ok_or_else(|| {
                CoreError::Validation(format!(
                    "Validation failed: You cannot feature more than {MAX_FEATURED_TAGS} hashtags"
                ))
            })?;
        tx.commit().await?;
        self.featured_tags(actor.id)
            .await?
            .into_iter()
            .find(|tag| tag.id == id)
            .ok_or(CoreError::NotFound)
    }

    /// Stops featuring a hashtag, by its featured-tag id or by name.
    pub async fn unfeature_tag(
        &self,
        actor: &Account,
        id: Option<i64>,
        name: Option<&str>,
    ) -> Result<()> {
        let name = name.map(crate::tags::tag_name).transpose()?;
        let mut tx = self.db().begin().await?;
        let deleted = tx
            .delete_featured_tag(actor.id, id, name.as_deref())
            .await?;
        tx.commit().await?;
        if deleted || name.is_some() {
            Ok(())
        } else {
            Err(CoreError::NotFound)
        }
    }

    /// Hashtags the actor uses most and does not feature yet.
    pub async fn featured_tag_suggestions(
        &self,
        actor: &Account,
    ) -> Result<Vec<crate::tags::TagView>> {
        let names = self
            .db()
            .featured_tag_suggestions(actor.id, SUGGESTIONS)
            .await?;
        self.tag_views(Some(actor.id), &names).await
    }
}

impl Relations<'_> {
    /// Endorses (features) an account the actor follows.
    pub async fn endorse(
        &self,
        actor: &Account,
        target_id: i64,
        endorsement: Endorsement,
    ) -> Result<Relationship> {
        let endorse = endorsement == Endorsement::Endorse;
        let target = self.other_account(actor, target_id).await?;
        if endorse && !self.relationship(actor.id, target.id).await?.following {
            return Err(CoreError::Validation(
                "Validation failed: You must be already following the person you want to endorse"
                    .into(),
            ));
        }
        let mut tx = self.db().begin().await?;
        if endorse {
            tx.insert_endorsement(actor.id, target.id, crate::now_millis())
                .await?;
        } else {
            tx.delete_endorsement(actor.id, target.id).await?;
        }
        tx.commit().await?;
        self.relationship(actor.id, target.id).await
    }

    /// The accounts an account endorses that the viewer may see, paged on the endorsements.
    pub async fn endorsements(
        &self,
        viewer: Option<i64>,
        account_id: i64,
        page: woolly_store::Page,
    ) -> Result<Vec<(i64, Account)>> {
        let mut rows = self.db().endorsements_page(account_id, page).await?;
        if let Some(viewer) = viewer {
            let targets: Vec<i64> = rows.iter().map(|(_, target)| *target).collect();
            let hidden: Vec<i64> = self
                .relationships(viewer, &targets)
                .await?
                .into_iter()
                .filter(|relation| relation.blocking || relation.blocked_by)
                .map(|relation| relation.target_id)
                .collect();
            rows.retain(|(_, target)| !hidden.contains(target));
        }
        self.accounts_with_cursors(rows).await
    }
}
