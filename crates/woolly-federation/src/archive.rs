//! Building a member's archive (see `woolly_core::archives`): the `account.build_archive` job,
//! here because the archive holds ActivityPub documents, rendered as other servers see them.
//! Media are stored, not compressed again; the JSON documents are deflated.

use std::io::Write as _;

use serde_json::{Value, json};
use woolly_core::archives::{BUILD_ARCHIVE_KIND, BuildArchive};
use woolly_core::export::every_page;
use woolly_core::jobs::{Job, JobError, JobFuture, JobHandler};
use woolly_core::{AccountStatusesFilter, CoreError, StatusRelation, Woolly};

use zip::write::SimpleFileOptions;

use crate::render;

/// Statuses (and liked or bookmarked posts) read at once.
const BATCH: i64 = 40;

/// Where an archive keeps a media file of the media store (Mastodon's layout).
fn media_path(key: &str) -> String {
    format!("media_attachments/files/{key}")
}

/// Runs `account.build_archive` jobs.
pub struct BuildArchiveJob;

impl JobHandler for BuildArchiveJob {
    fn kind(&self) -> &'static str {
        BUILD_ARCHIVE_KIND
    }

    fn max_attempts(&self) -> i32 {
        5
    }

    fn run<'a>(&'a self, woolly: &'a Woolly, job: &'a Job) -> JobFuture<'a> {
        Box::pin(async move {
            let BuildArchive { archive_id } = job.payload()?;
            let Some((account, ready)) = woolly.accounts().archive_owner(archive_id).await? else {
                return Ok(());
            };
            if ready {
                return Ok(());
            }
            let zip = build(woolly, &account)
                .await
                .map_err(|error| JobError::Retry(error.to_string()))?;
            woolly
                .accounts()
                .store_archive(archive_id, &account, &zip)
                .await?;
            Ok(())
        })
    }
}

/// A collection of the archive (`outbox.json`, `likes.json`, `bookmarks.json`).
fn collection(id: &str, items: Vec<Value>) -> Value {
    json!({
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": id,
        "type": "OrderedCollection",
        "totalItems": items.len(),
        "orderedItems": items,
    })
}

async fn build(
    woolly: &Woolly,
    account: &woolly_core::accounts::Account,
) -> Result<Vec<u8>, CoreError> {
    let internal = |error: &dyn std::fmt::Display| CoreError::Internal(error.to_string());
    let media_base = woolly.config().urls().media("");
    let mut files: Vec<(String, Vec<u8>, bool)> = Vec::new();

    // The posts, oldest last as Mastodon writes them, with their media beside them.
    let views = every_page(BATCH, |page| async move {
        let (views, cursors) = woolly
            .timelines()
            .account(
                Some(account.id),
                account.id,
                &AccountStatusesFilter::default(),
                page,
            )
            .await?;
        Ok((views, cursors.map(|(_, oldest)| oldest)))
    })
    .await?;
    let mut items = Vec::with_capacity(views.len());
    for chunk in views.chunks(BATCH as usize) {
        let context = render::note_context(woolly, chunk).await?;
        for view in chunk {
            let activity = render::activity(woolly, view, &context);
            let mut item = serde_json::to_value(&activity).map_err(|error| internal(&error))?;
            if let Some(object) = item.get_mut("object")
                && let Some(attachments) =
                    object.get_mut("attachment").and_then(Value::as_array_mut)
            {
                for attachment in attachments {
                    let Some(key) = attachment["url"]
                        .as_str()
                        .and_then(|url| url.strip_prefix(&media_base))
                        .map(str::to_owned)
                    else {
                        continue;
                    };
                    if let Ok(bytes) = woolly.accounts().media_bytes(&key) {
                        files.push((media_path(&key), bytes, false));
                    }
                    attachment["url"] = json!(media_path(&key));
                }
            }
            if let Some(object) = item.as_object_mut() {
                object.remove("@context");
            }
            items.push(item);
        }
    }
    let outbox = collection("outbox.json", items);

    // Liked and bookmarked posts, by their ids.
    let mut relations = Vec::new();
    for relation in [StatusRelation::Favourite, StatusRelation::Bookmark] {
        let uris = every_page(BATCH, |page| async move {
            let (views, cursors) = woolly
                .statuses()
                .relations_page(account.id, relation, page)
                .await?;
            let uris: Vec<Value> = views.iter().map(|view| json!(view.status.uri)).collect();
            Ok((uris, cursors.map(|(_, oldest)| oldest)))
        })
        .await?;
        relations.push(uris);
    }
    let bookmarks = collection("bookmarks.json", relations.pop().unwrap_or_default());
    let likes = collection("likes.json", relations.pop().unwrap_or_default());

    // The profile, its images beside it.
    let actor = woolly
        .federation()
        .local_actor_by_id(account.id)
        .await?
        .ok_or(CoreError::NotFound)?;
    let mut document = serde_json::to_value(render::local_actor(woolly, &actor))
        .map_err(|error| internal(&error))?;
    for (field, name, key) in [
        ("icon", "avatar", &account.avatar_key),
        ("image", "header", &account.header_key),
    ] {
        if let Some(key) = key
            && let Ok(bytes) = woolly.accounts().media_bytes(key)
        {
            let extension = key.rsplit_once('.').map(|(_, ext)| ext).unwrap_or("png");
            let file = format!("{name}.{extension}");
            document[field]["url"] = json!(file);
            files.push((file, bytes, false));
        }
    }
    document["@context"] = json!([
        "https://www.w3.org/ns/activitystreams",
        "https://w3id.org/security/v1"
    ]);
    document["outbox"] = json!("outbox.json");
    document["likes"] = json!("likes.json");
    document["bookmarks"] = json!("bookmarks.json");

    for (name, value) in [
        ("actor.json", &document),
        ("outbox.json", &outbox),
        ("likes.json", &likes),
        ("bookmarks.json", &bookmarks),
    ] {
        let bytes = serde_json::to_vec(value).map_err(|error| internal(&error))?;
        files.push((name.to_owned(), bytes, true));
    }

    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let mut written = std::collections::HashSet::new();
    for (name, bytes, compress) in files {
        if !written.insert(name.clone()) {
            continue;
        }
        let method = if compress {
            zip::CompressionMethod::Deflated
        } else {
            zip::CompressionMethod::Stored
        };
        let options = SimpleFileOptions::default()
            .compression_method(method)
            .large_file(bytes.len() > u32::MAX as usize / 2);
        zip.start_file(name, options)
            .map_err(|error| internal(&error))?;
        zip.write_all(&bytes).map_err(|error| internal(&error))?;
    }
    let cursor = zip.finish().map_err(|error| internal(&error))?;
    Ok(cursor.into_inner())
}
