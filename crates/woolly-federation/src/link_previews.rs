//! Reading linked pages for their previews: the `status.link_preview` job, which core queues
//! for a new or edited post with a link (core decides which link and what is kept; see
//! `woolly_core::link_previews`).
//!
//! Everything goes through the guarded client: http(s) only, no private address at any hop,
//! the page at most 1 MiB and HTML, the oEmbed document 1 MiB and JSON, the image 8 MiB; the
//! whole read is bounded by the operator's `link_preview_timeout`. A page that times out or
//! whose server fails (5xx, 429, no connection) is asked again twice with back-off; anything
//! else, and the last failure, is recorded so that no post asks again for a day.

use woolly_core::Woolly;
use woolly_core::jobs::{Job, JobError, JobFuture, JobHandler};
use woolly_core::link_previews::{
    CardDetails, FoundCard, LINK_PREVIEW_ATTEMPTS, LINK_PREVIEW_KIND, LinkPreview, LinkPreviewTask,
    MAX_IMAGE_BYTES, MAX_PAGE_BYTES, page,
};

use crate::client::{FetchError, RemoteClient};
use crate::remote::Federation;

const HTML_ACCEPT: &str = "text/html, application/xhtml+xml;q=0.9";
const OEMBED_ACCEPT: &str = "application/json";
const IMAGE_ACCEPT: &str = "image/*";

/// Runs `status.link_preview` jobs.
pub struct LinkPreviewJob {
    pub federation: Federation,
}

impl JobHandler for LinkPreviewJob {
    fn kind(&self) -> &'static str {
        LINK_PREVIEW_KIND
    }

    fn max_attempts(&self) -> i32 {
        LINK_PREVIEW_ATTEMPTS
    }

    fn run<'a>(&'a self, woolly: &'a Woolly, job: &'a Job) -> JobFuture<'a> {
        Box::pin(async move {
            let LinkPreview { status_id } = job.payload()?;
            let LinkPreviewTask::Fetch(link) =
                woolly.discovery().link_preview_task(status_id).await?
            else {
                return Ok(());
            };
            let config = woolly.config();
            let read = tokio::time::timeout(
                config.link_preview_timeout,
                read_card(
                    self.federation.client(),
                    &link,
                    &config.link_preview_embed_hosts,
                ),
            )
            .await
            .unwrap_or(Err(FetchError::Timeout));
            match read {
                Ok(Some(found)) => {
                    woolly
                        .discovery()
                        .save_link_preview(status_id, &link, found)
                        .await?;
                    tracing::debug!(%link, status_id, "link preview kept");
                    Ok(())
                }
                Ok(None) => {
                    tracing::debug!(%link, status_id, "the linked page makes no preview");
                    woolly
                        .discovery()
                        .record_link_failure(status_id, &link)
                        .await?;
                    Ok(())
                }
                Err(error) if worth_retrying(&error) && job.attempt < job.max_attempts => {
                    Err(JobError::Retry(format!("reading {link}: {error}")))
                }
                Err(error) => {
                    tracing::debug!(%link, status_id, %error, "the linked page could not be read");
                    woolly
                        .discovery()
                        .record_link_failure(status_id, &link)
                        .await?;
                    Ok(())
                }
            }
        })
    }
}

/// A failure that may pass: the server is down or busy, or slow this time.
fn worth_retrying(error: &FetchError) -> bool {
    match error {
        FetchError::Timeout | FetchError::Transport(_) => true,
        FetchError::Status(status) => status.is_server_error() || status.as_u16() == 429,
        _ => false,
    }
}

/// Reads the card of the page at `link`: its oEmbed document when it names one that makes a
/// card, else its own tags; then the card's image. `None` when the page is not HTML or makes
/// no card.
async fn read_card(
    client: &RemoteClient,
    link: &reqwest::Url,
    embed_hosts: &[String],
) -> Result<Option<FoundCard>, FetchError> {
    let answer = client
        .get_resource(link.as_str(), HTML_ACCEPT, MAX_PAGE_BYTES)
        .await?;
    if !answer.status.is_success() {
        return Err(FetchError::Status(answer.status));
    }
    let is_html = matches!(
        answer.media_type.as_deref(),
        Some("text/html" | "application/xhtml+xml")
    );
    if !is_html {
        return Ok(None);
    }
    let html = String::from_utf8_lossy(&answer.body);
    let page_url = answer.url;
    let details = page::read_page(&html, &page_url);
    let mut card = None;
    if let Some(endpoint) = &details.oembed {
        // A page's oEmbed that cannot be read leaves its own tags to make the card.
        match client
            .get_resource(endpoint.as_str(), OEMBED_ACCEPT, MAX_PAGE_BYTES)
            .await
        {
            Ok(oembed) if oembed.status.is_success() => {
                if let Ok(document) = serde_json::from_slice(&oembed.body) {
                    card = CardDetails::from_oembed(
                        &oembed.url,
                        &document,
                        &page_url,
                        &details,
                        embed_hosts,
                    );
                }
            }
            Ok(_) => {}
            Err(error) => tracing::debug!(%endpoint, %error, "oEmbed document not read"),
        }
    }
    let Some(details) = card.or_else(|| CardDetails::from_page(&page_url, &details, embed_hosts))
    else {
        return Ok(None);
    };
    let image = match &details.image {
        Some(address) => match client
            .get_resource(address.as_str(), IMAGE_ACCEPT, MAX_IMAGE_BYTES)
            .await
        {
            Ok(answer) if answer.status.is_success() => Some(answer.body),
            Ok(answer) => {
                tracing::debug!(%address, status = %answer.status, "card image not fetched");
                None
            }
            Err(error) => {
                tracing::debug!(%address, %error, "card image not fetched");
                None
            }
        },
        None => None,
    };
    Ok(Some(FoundCard { details, image }))
}
