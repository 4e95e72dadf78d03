//! Fetching a remote thread's missing replies: the `federation.fetch_replies` job, scheduled
//! when someone opens the thread of a remote status (core decides when). Replies that never
//! reached this server — from people nobody here follows — are read from the status's
//! `replies` collection on its server, a few pages and a few dozen replies at most, each
//! trusted only as far as its origin vouches for it.

use reqwest::Url;
use woolly_core::Woolly;
use woolly_core::jobs::{Job, JobFuture, JobHandler};
use woolly_core::remote::{FETCH_REPLIES_KIND, FetchReplies};

use crate::remote::{Federation, FederationError, authority, authority_of};
use crate::vocab::{Collection, Document, IdOrObject};

/// The most replies stored per fetch.
const MAX_REPLIES: usize = 40;
/// The most collection pages read per fetch.
const MAX_PAGES: usize = 4;

/// Runs `federation.fetch_replies` jobs.
pub struct FetchRepliesJob {
    pub federation: Federation,
}

impl JobHandler for FetchRepliesJob {
    fn kind(&self) -> &'static str {
        FETCH_REPLIES_KIND
    }

    fn max_attempts(&self) -> i32 {
        3
    }

    fn run<'a>(&'a self, woolly: &'a Woolly, job: &'a Job) -> JobFuture<'a> {
        Box::pin(async move {
            let FetchReplies { status_id } = job.payload()?;
            let Some(uri) = woolly.federation().stored_status_uri(status_id).await? else {
                return Ok(());
            };
            let stored = self.federation.fetch_replies(woolly, &uri).await?;
            tracing::info!(status_id, stored, "replies fetched");
            Ok(())
        })
    }
}

impl Federation {
    /// Reads the replies collection of the remote status `uri` and stores the replies not
    /// known here; returns how many it looked at.
    pub async fn fetch_replies(
        &self,
        woolly: &Woolly,
        uri: &str,
    ) -> Result<usize, FederationError> {
        let (found_at, json) = self.fetch(woolly, uri).await?;
        let Ok(Document::Object(object)) = Document::from_json(&json.to_string()) else {
            return Ok(0);
        };
        let mut page = match object.replies {
            Some(IdOrObject::Object(collection)) => Some((found_at, *collection)),
            Some(IdOrObject::Id(id)) if authority_of(&id) == authority(&found_at) => {
                Some(self.collection(woolly, &id).await?)
            }
            _ => None,
        };
        let (mut seen, mut pages) = (0, 0);
        while let Some((from, collection)) = page.take() {
            pages += 1;
            for item in collection.all_items() {
                if seen >= MAX_REPLIES {
                    return Ok(seen);
                }
                seen += 1;
                let stored = match item {
                    IdOrObject::Object(document) => match document.as_ref() {
                        // Served by its own host: as good as fetched from there.
                        Document::Object(note)
                            if note.id.as_deref().and_then(authority_of) == authority(&from) =>
                        {
                            self.store_object(woolly, note, 1).await
                        }
                        other => match other.id() {
                            Some(id) => self.status_for_uri(woolly, id, 1).await,
                            None => continue,
                        },
                    },
                    IdOrObject::Id(id) => self.status_for_uri(woolly, id, 1).await,
                };
                if let Err(error) = stored {
                    tracing::info!(%error, "a reply could not be stored");
                }
            }
            // A collection leads to its first page; a page to the next one.
            let next = collection.first.or(collection.next);
            page = match next {
                Some(IdOrObject::Object(next)) => Some((from, *next)),
                Some(IdOrObject::Id(id)) if pages < MAX_PAGES => {
                    Some(self.collection(woolly, &id).await?)
                }
                _ => None,
            };
        }
        Ok(seen)
    }

    async fn collection(
        &self,
        woolly: &Woolly,
        url: &str,
    ) -> Result<(Url, Collection), FederationError> {
        let (found_at, json) = self.fetch(woolly, url).await?;
        match Document::from_json(&json.to_string()) {
            Ok(Document::Collection(collection)) => Ok((found_at, collection)),
            _ => Err(crate::remote::invalid(format!("{url} is not a collection"))),
        }
    }
}
