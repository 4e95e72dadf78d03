//! Editing a status (`PUT /api/v1/statuses/:id`), its version history and its source.
//!
//! As in Mastodon, the first edit also records the original as a version, so the history
//! starts with what was first posted; accounts that reblogged the status are notified (`update`).
//! Mentions added by an edit are linked and notified; earlier mentions stay, so that an edit
//! never takes a post away from someone it was addressed to.

use woolly_store::StatusContent;

use crate::accounts::Account;
use crate::areas::Statuses;
use crate::emojis::CustomEmoji;
use crate::error::{CoreError, Result};
use crate::events::Event;
use crate::media::Media;
use crate::statuses::StatusView;

/// An edit as submitted.
#[derive(Debug, Clone, Default)]
pub struct StatusEdit {
    pub text: String,
    pub spoiler_text: String,
    pub sensitive: bool,
    pub language: Option<String>,
    /// The media the status shows after the edit (own uploads), in order.
    pub media_ids: Vec<i64>,
    /// New descriptions and focus points of some of those media.
    pub media_attributes: Vec<MediaAttributes>,
}

/// A change to one medium of an edited status (`media_attributes[]`).
#[derive(Debug, Clone, Default)]
pub struct MediaAttributes {
    pub id: i64,
    pub description: Option<String>,
    pub focus: Option<(f64, f64)>,
}

/// One version of a status (`StatusEdit` entity).
#[derive(Debug, Clone)]
pub struct StatusVersion {
    pub content: String,
    pub spoiler_text: String,
    pub sensitive: bool,
    pub created_at: i64,
    pub account: Account,
    pub media: Vec<Media>,
    /// The poll's option titles. Polls cannot be edited, so every version shows the status's
    /// one poll.
    pub poll_options: Option<Vec<String>>,
    /// The custom emojis this version's text uses.
    pub emojis: Vec<CustomEmoji>,
}

impl Statuses<'_> {
    pub async fn edit(&self, actor: &Account, id: i64, edit: StatusEdit) -> Result<StatusView> {
        let view = self.view(Some(actor.id), id).await?;
        // Another account's status is not found, as Mastodon looks it up among the actor's own.
        if view.status.account_id != actor.id {
            return Err(CoreError::NotFound);
        }
        if view.status.reblog_of_id.is_some() {
            return Err(CoreError::Validation(
                "Validation failed: A reblog cannot be edited".into(),
            ));
        }
        let checked = self.check_composition(
            &edit.text,
            &edit.spoiler_text,
            edit.language,
            edit.media_ids.len(),
        )?;
        let now = crate::now_millis();
        let mut tx = self.db().begin().await?;
        let composed = self.compose(&mut tx, &checked.text).await?;
        let previous_media = tx.attached_media_ids(id).await?;
        keep_original_version(&mut tx, &view.status, &json_ids(&previous_media)).await?;
        tx.detach_media_except(id, &edit.media_ids).await?;
        let new_media: Vec<i64> = edit
            .media_ids
            .iter()
            .copied()
            .filter(|media| !previous_media.contains(media))
            .collect();
        let attached = tx.attach_media(id, actor.id, &new_media).await?;
        if usize::try_from(attached).ok() != Some(new_media.len()) {
            return Err(CoreError::Validation(
                "Validation failed: Media attachments are invalid (unknown, not yours, or already attached)".into(),
            ));
        }
        // As Mastodon, attributes of media the edited status does not show are ignored.
        for attributes in edit
            .media_attributes
            .into_iter()
            .filter(|attributes| edit.media_ids.contains(&attributes.id))
        {
            let description = crate::media::check_description(attributes.description)?;
            tx.describe_media(attributes.id, description.as_deref(), attributes.focus)
                .await?;
        }
        let content = StatusContent {
            text: checked.text,
            content: composed.html,
            spoiler_text: checked.spoiler_text,
            sensitive: edit.sensitive,
            language: checked.language,
        };
        tx.update_status_content(id, &content, now).await?;
        tx.insert_status_edit(id, &content, &json_ids(&edit.media_ids), now)
            .await?;
        if crate::link_previews::may_link(&content.content) || view.status.card_id.is_some() {
            crate::link_previews::enqueue(&mut tx, id, now).await?;
        }
        tx.replace_tags(id, &composed.tags).await?;
        let already_mentioned: Vec<i64> = view.mentions.iter().map(|account| account.id).collect();
        let mut events = Vec::new();
        for account in composed
            .mentioned
            .iter()
            .filter(|account| !already_mentioned.contains(&account.id))
        {
            tx.insert_mention(id, account.id).await?;
            if account.is_local()
                && let Some(notification_id) = crate::notification_policy::notify(
                    &mut tx,
                    account.id,
                    actor.id,
                    "mention",
                    Some(id),
                    now,
                )
                .await?
            {
                events.push(Event::Notification {
                    account_id: account.id,
                    notification_id,
                });
            }
        }
        for reblogger in tx.local_rebloggers(id).await? {
            if let Some(notification_id) = crate::notification_policy::notify(
                &mut tx,
                reblogger,
                actor.id,
                "update",
                Some(id),
                now,
            )
            .await?
            {
                events.push(Event::Notification {
                    account_id: reblogger,
                    notification_id,
                });
            }
        }
        if actor.is_local() {
            crate::outbox::enqueue(
                &mut tx,
                &crate::outbox::Outbound::Update { status_id: id },
                now,
            )
            .await?;
        }
        tx.commit().await?;
        self.wake_workers();
        events.push(Event::StatusEdited {
            status_id: id,
            visibility: view.status.visibility,
            is_local: view.status.is_local,
            tags: composed.tags,
        });
        let updated = self.view(Some(actor.id), id).await;
        self.publish(events);
        updated
    }

    /// Every version of a status the viewer may see, oldest first; an unedited status has
    /// one version, itself.
    pub async fn history(&self, viewer: Option<i64>, id: i64) -> Result<Vec<StatusVersion>> {
        let view = self.view(viewer, id).await?;
        let rows = self.db().status_edits(id).await?;
        let poll_options = view.poll.as_ref().map(|poll| {
            poll.options
                .iter()
                .map(|option| option.title.clone())
                .collect::<Vec<_>>()
        });
        if rows.is_empty() {
            return Ok(vec![StatusVersion {
                content: view.status.content.clone(),
                spoiler_text: view.status.spoiler_text.clone(),
                sensitive: view.status.sensitive,
                created_at: view.status.created_at,
                account: view.account.clone(),
                media: view.media.clone(),
                poll_options,
                emojis: view.emojis.clone(),
            }]);
        }
        let domain = view.account.domain.as_deref();
        let wanted = crate::emojis::wanted_emojis(rows.iter().flat_map(|row| {
            [
                (domain, row.content.as_str()),
                (domain, row.spoiler_text.as_str()),
            ]
        }));
        let emojis = self.emojis_used_in(wanted).await?;
        let mut versions = Vec::with_capacity(rows.len());
        for row in rows {
            let media_ids: Vec<i64> = serde_json::from_str(&row.media_ids).unwrap_or_default();
            // As the version described them, where it recorded that.
            let described: Vec<woolly_store::VersionMedia> = row
                .media_attributes
                .as_deref()
                .and_then(|json| serde_json::from_str(json).ok())
                .unwrap_or_default();
            let media = self
                .db()
                .media_by_ids(&media_ids)
                .await?
                .into_iter()
                .map(|mut media| {
                    if let Some(then) = described.iter().find(|then| then.id == media.id) {
                        media.description.clone_from(&then.description);
                        (media.focus_x, media.focus_y) = (then.focus_x, then.focus_y);
                    }
                    self.media_from_row(media)
                })
                .collect();
            versions.push(StatusVersion {
                emojis: crate::emojis::emojis_in(
                    domain,
                    &[&row.content, &row.spoiler_text],
                    &emojis,
                ),
                content: row.content,
                spoiler_text: row.spoiler_text,
                sensitive: row.sensitive,
                created_at: row.created_at,
                account: view.account.clone(),
                media,
                poll_options: poll_options.clone(),
            });
        }
        Ok(versions)
    }

    /// The source of the actor's own status, for editing: (text, spoiler text).
    pub async fn source(&self, actor: &Account, id: i64) -> Result<(String, String)> {
        let view = self.view(Some(actor.id), id).await?;
        if view.status.account_id != actor.id {
            return Err(CoreError::NotFound);
        }
        Ok((view.status.text.clone(), view.status.spoiler_text.clone()))
    }
}

/// Before a status's first edit, its history gets the version as first posted (Mastodon
/// shows it as the first entry), with the media it had.
pub(crate) async fn keep_original_version(
    tx: &mut woolly_store::Tx,
    status: &crate::statuses::Status,
    media_json: &str,
) -> Result<()> {
    if tx.count_status_edits(status.id).await? == 0 {
        let original = StatusContent {
            text: status.text.clone(),
            content: status.content.clone(),
            spoiler_text: status.spoiler_text.clone(),
            sensitive: status.sensitive,
            language: status.language.clone(),
        };
        tx.insert_status_edit(status.id, &original, media_json, status.created_at)
            .await?;
    }
    Ok(())
}

pub(crate) fn json_ids(ids: &[i64]) -> String {
    serde_json::to_string(ids).unwrap_or_else(|_| "[]".to_owned())
}
