//! Importing one's posts from an archive (Mastodon's or Woolly's, see [`crate::archives`]),
//! which Mastodon cannot do: a member who arrives with the archive of an old account has its
//! posts on their profile here, with their original dates, content warnings, visibility and
//! images, threads kept where the parent is in the archive too.
//!
//! Imported posts are written quietly: not delivered to any server, not put in anyone's home
//! timeline, notifying nobody; their ids are dated as they were, so that they take their place
//! in the profile's history. Each is remembered by the id it had in the archive
//! (`imported_status`), so importing the same archive twice adds nothing.
//!
//! The archive is read with limits (its size, the size of `outbox.json` and of each image once
//! inflated, the number of posts), so a ZIP bomb is refused; entries are only looked up by the
//! names `outbox.json` gives, never written out, and a name that climbs out (`..`) or starts
//! at the root is ignored. Its posts then go through the import jobs of [`crate::imports`], a
//! batch at a time, with their progress and failures.

use std::io::Read as _;

use serde::{Deserialize, Serialize};
use serde_json::Value;
use woolly_store::NewStatus;

use crate::accounts::Account;
use crate::error::{CoreError, Result};
use crate::state::Woolly;
use crate::visibility::Visibility;

/// The largest archive taken.
pub const MAX_ARCHIVE_BYTES: usize = 100 * 1024 * 1024;
/// The most `outbox.json` may inflate to.
const MAX_OUTBOX_BYTES: u64 = 64 * 1024 * 1024;
/// The most one image may inflate to.
const MAX_IMAGE_BYTES: u64 = 16 * 1024 * 1024;
/// The most images one post keeps (Mastodon's four).
const MAX_IMAGES: usize = 4;
/// The most images one archive brings, and the most they may weigh once unpacked, whatever
/// its posts claim.
const MAX_ARCHIVE_IMAGES: usize = 2_000;
const MAX_ARCHIVE_IMAGE_BYTES: u64 = 1024 * 1024 * 1024;

/// One post of an archive, as an import row keeps it.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct ArchivedPost {
    /// Its id in the archive.
    pub uri: String,
    pub published: i64,
    /// HTML, sanitized when written.
    pub content: String,
    pub spoiler_text: String,
    pub sensitive: bool,
    pub visibility: String,
    pub language: Option<String>,
    /// The archive id of the post it answers.
    pub in_reply_to: Option<String>,
    /// Its images, stored already as uploads of the member.
    pub media_ids: Vec<i64>,
}

fn refused(message: impl Into<String>) -> CoreError {
    CoreError::Validation(message.into())
}

/// Whether an entry name stays inside the archive.
fn safe_name(name: &str) -> bool {
    !name.is_empty()
        && !name.starts_with('/')
        && !name.contains('\\')
        && name.split('/').all(|part| part != ".." && part != ".")
}

/// Reads an entry, refusing one that inflates past `limit`.
fn read_entry<R: std::io::Read + std::io::Seek>(
    zip: &mut zip::ZipArchive<R>,
    name: &str,
    limit: u64,
) -> Result<Option<Vec<u8>>> {
    if !safe_name(name) {
        return Ok(None);
    }
    let Ok(entry) = zip.by_name(name) else {
        return Ok(None);
    };
    let mut bytes = Vec::new();
    entry
        .take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(|error| refused(format!("The archive could not be read: {error}")))?;
    if bytes.len() as u64 > limit {
        return Err(refused(format!(
            "{name} in the archive is larger than {} MB once unpacked",
            limit / (1024 * 1024)
        )));
    }
    Ok(Some(bytes))
}

/// The audience of an archived note, as Mastodon addresses them.
fn visibility_of(object: &Value) -> Visibility {
    let addressed = |field: &str| -> Vec<String> {
        match &object[field] {
            Value::String(one) => vec![one.clone()],
            Value::Array(many) => many
                .iter()
                .filter_map(|item| item.as_str().map(str::to_owned))
                .collect(),
            _ => Vec::new(),
        }
    };
    let public = |list: &[String]| {
        list.iter().any(|to| {
            to == "https://www.w3.org/ns/activitystreams#Public"
                || to == "as:Public"
                || to == "Public"
        })
    };
    let (to, cc) = (addressed("to"), addressed("cc"));
    if public(&to) {
        Visibility::Public
    } else if public(&cc) {
        Visibility::Unlisted
    } else if to.iter().any(|to| to.ends_with("/followers")) {
        Visibility::Private
    } else {
        Visibility::Direct
    }
}

fn published_millis(text: &str) -> Option<i64> {
    let parsed =
        time::OffsetDateTime::parse(text, &time::format_description::well_known::Rfc3339).ok()?;
    i64::try_from(parsed.unix_timestamp_nanos() / 1_000_000).ok()
}

impl Woolly {
    /// Reads an archive's posts, storing their images as the member's uploads; those already
    /// imported are left out. Oldest first, so that a reply comes after what it answers.
    pub(crate) async fn read_archive(
        &self,
        actor: &Account,
        bytes: &[u8],
    ) -> Result<Vec<ArchivedPost>> {
        if bytes.len() > MAX_ARCHIVE_BYTES {
            return Err(refused("The archive is larger than 100 MB"));
        }
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes))
            .map_err(|_| refused("The file is not a ZIP archive"))?;
        let outbox = read_entry(&mut zip, "outbox.json", MAX_OUTBOX_BYTES)?
            .ok_or_else(|| refused("The archive has no outbox.json: is it a Mastodon archive?"))?;
        let outbox: Value = serde_json::from_slice(&outbox)
            .map_err(|error| refused(format!("outbox.json is not valid JSON: {error}")))?;
        let items = outbox["orderedItems"]
            .as_array()
            .ok_or_else(|| refused("outbox.json lists no posts"))?;
        if items.len() > crate::imports::MAX_ROWS {
            return Err(refused(format!(
                "The archive holds more than {} posts",
                crate::imports::MAX_ROWS
            )));
        }
        let known = self.db().imported_uris(actor.id).await?;
        let mut posts = Vec::new();
        // Each file is taken once, and all of them within the limits, so that many posts
        // naming one large image do not multiply it.
        let mut files_taken = std::collections::HashSet::new();
        let mut unpacked: u64 = 0;
        for item in items {
            // Boosts are not the member's posts; an activity without a note is not one.
            let object = &item["object"];
            if item["type"] != "Create" || !object.is_object() {
                continue;
            }
            let Some(uri) = object["id"].as_str().filter(|uri| !uri.is_empty()) else {
                continue;
            };
            if known.contains(uri) || self.is_own_post(actor, uri).await? {
                continue;
            }
            let published = object["published"]
                .as_str()
                .or_else(|| item["published"].as_str())
                .and_then(published_millis)
                .unwrap_or_else(crate::now_millis);
            let mut media_ids = Vec::new();
            for attachment in object["attachment"]
                .as_array()
                .into_iter()
                .flatten()
                .take(MAX_IMAGES)
            {
                let Some(path) = attachment["url"]
                    .as_str()
                    .map(|path| path.trim_start_matches("./"))
                else {
                    continue;
                };
                if files_taken.len() >= MAX_ARCHIVE_IMAGES || !files_taken.insert(path.to_owned()) {
                    continue;
                }
                let Some(image) = read_entry(&mut zip, path, MAX_IMAGE_BYTES)? else {
                    continue;
                };
                unpacked += image.len() as u64;
                if unpacked > MAX_ARCHIVE_IMAGE_BYTES {
                    return Err(refused(
                        "The archive's images weigh more than 1 GB once unpacked",
                    ));
                }
                let description = attachment["name"]
                    .as_str()
                    .or_else(|| attachment["summary"].as_str())
                    .map(str::to_owned)
                    .filter(|text| !text.is_empty());
                match self.media().upload(actor, image, description, None).await {
                    Ok(media) => media_ids.push(media.id),
                    // An image this server cannot read leaves the post without it.
                    Err(CoreError::Validation(_)) => {}
                    Err(error) => return Err(error),
                }
            }
            // A language is a short code; anything else is left out.
            let language = object["contentMap"]
                .as_object()
                .and_then(|map| map.keys().next().cloned())
                .filter(|code| {
                    (2..=10).contains(&code.len())
                        && code.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
                });
            let clean = |text: &str| text.replace('\0', "");
            let summary = object["summary"].as_str().unwrap_or_default();
            posts.push(ArchivedPost {
                uri: uri.to_owned(),
                published,
                content: clean(object["content"].as_str().unwrap_or_default()),
                spoiler_text: clean(&crate::sanitize::html_to_plain_text(summary)),
                sensitive: object["sensitive"].as_bool().unwrap_or(false),
                visibility: visibility_of(object).as_str().to_owned(),
                language,
                in_reply_to: object["inReplyTo"].as_str().map(str::to_owned),
                media_ids,
            });
        }
        // Dated to the second, an answer may share its parent's second: within one, the
        // deeper in its thread (within the archive) comes after.
        let parents: std::collections::HashMap<&str, &str> = posts
            .iter()
            .filter_map(|post| Some((post.uri.as_str(), post.in_reply_to.as_deref()?)))
            .collect();
        let depth = |uri: &str| {
            let (mut depth, mut at) = (0usize, uri);
            while let Some(parent) = parents.get(at) {
                depth += 1;
                at = parent;
                if depth > parents.len() {
                    break;
                }
            }
            depth
        };
        let mut keyed: Vec<((i64, usize), ArchivedPost)> = posts
            .iter()
            .map(|post| ((post.published, depth(&post.uri)), post.clone()))
            .collect();
        keyed.sort_by_key(|(key, _)| *key);
        Ok(keyed.into_iter().map(|(_, post)| post).collect())
    }

    /// Whether `uri` is the id of one of `actor`'s own posts here (an archive of this very
    /// account imported into it).
    async fn is_own_post(&self, actor: &Account, uri: &str) -> Result<bool> {
        let Some(id) = self.db().status_id_for_uri(uri).await? else {
            return Ok(false);
        };
        let rows = self.db().statuses_by_ids(&[id]).await?;
        Ok(rows.iter().any(|row| row.account_id == actor.id))
    }

    /// Writes one archived post quietly (see the module documentation); one imported already
    /// is done.
    pub(crate) async fn import_post(&self, actor: &Account, post: &ArchivedPost) -> Result<()> {
        if self
            .db()
            .imported_status(actor.id, &post.uri)
            .await?
            .is_some()
        {
            return Ok(());
        }
        let in_reply_to_id = match &post.in_reply_to {
            Some(parent) => self.db().imported_status(actor.id, parent).await?,
            None => None,
        };
        let visibility = Visibility::parse(&post.visibility)?;
        let content = crate::sanitize::sanitize_remote_html(&post.content);
        let text = crate::sanitize::html_to_plain_text(&post.content);
        // Dated as it was: its place in the profile's history (Mastodon's snowflakes are the
        // time in their high bits); the low bits keep two posts of one millisecond apart.
        let published = post.published.clamp(0, crate::now_millis());
        let mut tx = self.db().begin().await?;
        let id = (published << 16) | i64::from(rand::random::<u16>());
        let status = NewStatus {
            id,
            uri: self.config().urls().status(&actor.username, id),
            url: Some(self.config().urls().status_page(&actor.username, id)),
            account_id: actor.id,
            is_local: true,
            in_reply_to_id,
            in_reply_to_account_id: in_reply_to_id.map(|_| actor.id),
            reblog_of_id: None,
            text,
            content,
            spoiler_text: post.spoiler_text.chars().take(500).collect(),
            sensitive: post.sensitive || !post.spoiler_text.is_empty(),
            visibility: visibility.as_str().to_owned(),
            language: post.language.clone(),
            app_id: None,
            created_at: published,
        };
        tx.insert_status(&status).await?;
        tx.attach_media(id, actor.id, &post.media_ids).await?;
        tx.bump_account_statuses(actor.id, 1, None).await?;
        if let Some(parent) = in_reply_to_id {
            tx.bump_status(parent, woolly_store::StatusCounter::Replies, 1)
                .await?;
        }
        tx.remember_imported_status(actor.id, &post.uri, id).await?;
        tx.commit().await?;
        Ok(())
    }
}
