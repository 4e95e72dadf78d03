//! Link previews (Mastodon's preview cards): the first link of a post, read once by a job and
//! shown under the post.
//!
//! A new or edited post with a link gets a job (written in the transaction that writes the
//! post). The job ([`Discovery::link_preview_task`]) finds the post's first link as Mastodon does
//! (not a mention, not a hashtag, not this server, none for a post with media), and either
//! attaches the card kept for that link (read in the last two weeks), or has the federation
//! crate fetch the page through its SSRF-guarded client and hand what it read to
//! [`Discovery::save_link_preview`]: the card is kept once per link, its image as a thumbnail in the
//! media store, and the post's viewers get `status.update`. A page that cannot be read is
//! recorded as such ([`Discovery::record_link_failure`]): no post retries it for a day.
//!
//! Embedded players are the one HTML a card carries: only an `<iframe>` of a host the operator
//! allows (`link_preview_embed_hosts`), written anew and sandboxed ([`page::embed_iframe`]).

pub mod page;

use serde::{Deserialize, Serialize};
use serde_json::Value;
use url::Url;
use woolly_store::{PreviewCardRow, Tx};

use crate::areas::Discovery;
use crate::error::{CoreError, Result};
use crate::events::Event;
use crate::jobs::new_job;
use crate::state::Woolly;
use page::PageDetails;

/// The job that previews a post's first link.
pub const LINK_PREVIEW_KIND: &str = "status.link_preview";
/// A page that does not answer is asked three times (after 30 s and 60 s), then left.
pub const LINK_PREVIEW_ATTEMPTS: i32 = 3;
/// The most of a page read (Mastodon's limit).
pub const MAX_PAGE_BYTES: usize = 1024 * 1024;
/// The largest image fetched for a thumbnail.
pub const MAX_IMAGE_BYTES: usize = 8 * 1024 * 1024;
/// How long a card serves new posts before its page is read again (Mastodon's two weeks).
const FRESH_FOR_MS: i64 = 14 * 24 * 3600 * 1000;
/// How long a page that could not be read is left alone.
const FAILED_FOR_MS: i64 = 24 * 3600 * 1000;

/// The payload of a link-preview job.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct LinkPreview {
    pub status_id: i64,
}

/// Whether a post's HTML may hold a link to preview (the job looks closer).
pub(crate) fn may_link(content: &str) -> bool {
    content.contains("http")
}

/// Queues, in the transaction that writes or edits a status, the preview of its first link.
pub(crate) async fn enqueue(tx: &mut Tx, status_id: i64, now: i64) -> Result<()> {
    tx.enqueue_job(&new_job(
        LINK_PREVIEW_KIND,
        &LinkPreview { status_id },
        now,
        LINK_PREVIEW_ATTEMPTS,
    )?)
    .await?;
    Ok(())
}

/// A link preview as posts show it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PreviewCard {
    pub id: i64,
    /// The address as the post gives it.
    pub link: String,
    /// The page's own address.
    pub url: String,
    pub card_type: String,
    pub title: String,
    pub description: String,
    pub author_name: String,
    pub author_url: String,
    pub provider_name: String,
    pub provider_url: String,
    pub html: String,
    pub embed_url: String,
    pub width: i64,
    pub height: i64,
    /// The thumbnail's public URL.
    pub image: Option<String>,
    pub image_description: String,
    pub blurhash: Option<String>,
    pub language: Option<String>,
    pub published_at: Option<i64>,
}

impl Woolly {
    pub(crate) fn card_from_row(&self, row: PreviewCardRow) -> PreviewCard {
        PreviewCard {
            id: row.id,
            link: row.link,
            url: row.url,
            card_type: row.card_type,
            title: row.title,
            description: row.description,
            author_name: row.author_name,
            author_url: row.author_url,
            provider_name: row.provider_name,
            provider_url: row.provider_url,
            html: row.html,
            embed_url: row.embed_url,
            width: row.width,
            height: row.height,
            image: row.image_key.map(|key| self.config().urls().media(&key)),
            image_description: row.image_description,
            blurhash: row.blurhash,
            language: row.language,
            published_at: row.published_at,
        }
    }
}

/// What a card says, as read from a page or its oEmbed document.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CardDetails {
    /// The page's own address.
    pub url: String,
    /// `link`, `photo`, `video` or `rich`.
    pub card_type: &'static str,
    pub title: String,
    pub description: String,
    pub author_name: String,
    pub author_url: String,
    pub provider_name: String,
    pub provider_url: String,
    pub html: String,
    pub embed_url: String,
    pub width: i64,
    pub height: i64,
    /// Where its image is, to be fetched.
    pub image: Option<Url>,
    pub image_description: String,
    pub language: Option<String>,
    pub published_at: Option<i64>,
}

fn text(value: Option<&String>) -> String {
    value.cloned().unwrap_or_default()
}

fn address(value: Option<&Url>) -> String {
    value.map(|url| url.to_string()).unwrap_or_default()
}

/// An RFC 3339 date as milliseconds.
fn parse_date(date: &str) -> Option<i64> {
    let at =
        time::OffsetDateTime::parse(date, &time::format_description::well_known::Rfc3339).ok()?;
    i64::try_from(at.unix_timestamp_nanos() / 1_000_000).ok()
}

impl CardDetails {
    /// The card of the page at `url` from its OpenGraph (and Twitter, JSON-LD) tags; `None` when
    /// the page has neither a title nor a player to embed, as Mastodon.
    pub fn from_page(url: &Url, page: &PageDetails, embed_hosts: &[String]) -> Option<CardDetails> {
        let player = page.player.as_ref().and_then(|(player, width, height)| {
            page::player_iframe(player, *width, *height, embed_hosts)
                .map(|html| (html, *width, *height))
        });
        if page.title.is_none() && player.is_none() {
            return None;
        }
        let (card_type, html, width, height) = match player {
            Some((html, width, height)) => ("video", html, width, height),
            None => ("link", String::new(), 0, 0),
        };
        Some(CardDetails {
            url: page.canonical_url.as_ref().unwrap_or(url).to_string(),
            card_type,
            title: text(page.title.as_ref()),
            description: text(page.description.as_ref()),
            author_name: text(page.author_name.as_ref()),
            author_url: address(page.author_url.as_ref()),
            provider_name: text(page.site_name.as_ref()),
            provider_url: address(page.site_url.as_ref()),
            html,
            embed_url: address(page.stream.as_ref()),
            width,
            height,
            image: page.image.clone(),
            image_description: text(page.image_description.as_ref()),
            language: page.language.clone(),
            published_at: page.published_at.as_deref().and_then(parse_date),
        })
    }

    /// The card an oEmbed document (from `endpoint`) describes for the page at `url`, which
    /// adds what the page says and oEmbed does not. `None` for a document that is not oEmbed
    /// 1.0, a photo without its address, or a video or rich embed whose HTML holds no player of
    /// an allowed host (the page's own tags are used then).
    pub fn from_oembed(
        endpoint: &Url,
        oembed: &Value,
        url: &Url,
        page: &PageDetails,
        embed_hosts: &[String],
    ) -> Option<CardDetails> {
        let version_ok =
            oembed["version"].as_str() == Some("1.0") || oembed["version"].as_f64() == Some(1.0);
        let kind = oembed["type"].as_str()?;
        if !version_ok {
            return None;
        }
        let field = |name: &str| oembed[name].as_str().map(str::trim).unwrap_or_default();
        let resolve = |name: &str| page::web_address(endpoint, field(name));
        let size = |name: &str| {
            oembed[name]
                .as_i64()
                .or_else(|| oembed[name].as_str().and_then(|text| text.parse().ok()))
                .filter(|value| (0..=8192).contains(value))
                .unwrap_or(0)
        };
        let mut card = CardDetails::from_page(url, page, &[]).unwrap_or_else(|| CardDetails {
            url: page.canonical_url.as_ref().unwrap_or(url).to_string(),
            description: text(page.description.as_ref()),
            language: page.language.clone(),
            ..CardDetails::default()
        });
        card.card_type = "link";
        card.html = String::new();
        card.width = 0;
        card.height = 0;
        if !field("title").is_empty() {
            card.title = field("title").to_owned();
        }
        card.author_name = field("author_name").to_owned();
        card.author_url = address(resolve("author_url").as_ref());
        card.provider_name = field("provider_name").to_owned();
        card.provider_url = address(resolve("provider_url").as_ref());
        let thumbnail = resolve("thumbnail_url");
        match kind {
            "link" => card.image = thumbnail.or(card.image),
            "photo" => {
                let photo = resolve("url")?;
                card.card_type = "photo";
                card.embed_url = photo.to_string();
                card.image = Some(photo);
                card.width = size("width");
                card.height = size("height");
            }
            "video" | "rich" => {
                let (html, width, height) =
                    page::embed_iframe(field("html"), endpoint, embed_hosts)?;
                card.card_type = if kind == "video" { "video" } else { "rich" };
                card.html = html;
                card.width = if size("width") > 0 {
                    size("width")
                } else {
                    width
                };
                card.height = if size("height") > 0 {
                    size("height")
                } else {
                    height
                };
                card.image = thumbnail.or(card.image);
            }
            _ => return None,
        }
        (!card.title.is_empty() || !card.html.is_empty()).then_some(card)
    }
}

/// What the link-preview job is to do for a post.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LinkPreviewTask {
    /// Nothing more: the post shows what it should (a kept card, or none).
    Done,
    /// Read the page at this link.
    Fetch(Url),
}

/// A card read from a page, with its image's bytes when it has one that could be fetched.
#[derive(Debug, Clone)]
pub struct FoundCard {
    pub details: CardDetails,
    pub image: Option<Vec<u8>>,
}

impl Discovery<'_> {
    /// Decides what the link-preview job does for status `status_id`, attaching a kept card or
    /// removing one the post no longer links to on the way.
    pub async fn link_preview_task(&self, status_id: i64) -> Result<LinkPreviewTask> {
        if !self.config().link_previews {
            return Ok(LinkPreviewTask::Done);
        }
        let Some(source) = self.db().link_source(status_id).await? else {
            return Ok(LinkPreviewTask::Done);
        };
        if source.is_reblog {
            return Ok(LinkPreviewTask::Done);
        }
        let link = if source.has_media {
            // Mastodon shows media rather than a card, and fetches none.
            None
        } else {
            let mentioned = self.db().mentioned_addresses(status_id).await?;
            page::first_link(&source.content, &mentioned, self.config().domain.as_str())
        };
        let Some(link) = link else {
            self.show_card(status_id, None).await?;
            return Ok(LinkPreviewTask::Done);
        };
        if source.card_link.as_deref() == Some(link.as_str()) {
            return Ok(LinkPreviewTask::Done);
        }
        let now = crate::now_millis();
        match self.db().preview_card_for_link(link.as_str()).await? {
            Some(card) if !card.failed && now - card.fetched_at < FRESH_FOR_MS => {
                self.show_card(status_id, Some(card.id)).await?;
                Ok(LinkPreviewTask::Done)
            }
            Some(card) if card.failed && now - card.fetched_at < FAILED_FOR_MS => {
                self.show_card(status_id, None).await?;
                Ok(LinkPreviewTask::Done)
            }
            _ => Ok(LinkPreviewTask::Fetch(link)),
        }
    }

    /// Makes the post show `card_id` (or no card) and tells its viewers when that changed.
    async fn show_card(&self, status_id: i64, card_id: Option<i64>) -> Result<()> {
        let mut tx = self.db().begin().await?;
        let changed = tx.set_status_card(status_id, card_id).await?;
        tx.commit().await?;
        if changed {
            self.announce_card(status_id).await?;
        }
        Ok(())
    }

    /// `status.update` for a post whose card changed.
    async fn announce_card(&self, status_id: i64) -> Result<()> {
        if let Some(view) = self
            .statuses()
            .views(None, &[status_id])
            .await?
            .into_iter()
            .next()
        {
            self.publish([Event::StatusEdited {
                status_id,
                visibility: view.status.visibility,
                is_local: view.status.is_local,
                tags: view.tags.clone(),
            }]);
        }
        Ok(())
    }

    /// Keeps the card read for `link` (its image made a thumbnail with a blurhash; an image that
    /// cannot be read is left out) and shows it under status `status_id`.
    pub async fn save_link_preview(
        &self,
        status_id: i64,
        link: &Url,
        found: FoundCard,
    ) -> Result<()> {
        let FoundCard { details, image } = found;
        let thumbnail = match image {
            Some(bytes) => self
                .run_cpu_bound(move || {
                    woolly_media::process_image(&bytes, &woolly_media::ImageLimits::default())
                })
                .await?
                .inspect_err(|error| {
                    tracing::debug!(link = %link, %error, "link preview image not kept");
                })
                .ok(),
            None => None,
        };
        let id = self.db().next_id();
        let image_key = thumbnail
            .as_ref()
            .map(|_| format!("{id}-{}/card.jpg", crate::crypto::random_secret(16)));
        if let (Some(key), Some(thumbnail)) = (&image_key, &thumbnail) {
            let store = self.media_store();
            let key = key.clone();
            let bytes = thumbnail.preview.clone();
            tokio::task::spawn_blocking(move || store.put(&key, &bytes))
                .await
                .map_err(|error| CoreError::Internal(error.to_string()))?
                .map_err(|error| CoreError::Internal(format!("writing a card image: {error}")))?;
        }
        let (mut width, mut height) = (details.width, details.height);
        if details.card_type == "link"
            && let Some(thumbnail) = &thumbnail
        {
            // Mastodon gives a link card its image's size.
            width = i64::from(thumbnail.preview_width);
            height = i64::from(thumbnail.preview_height);
        }
        let row = PreviewCardRow {
            id,
            link: link.to_string(),
            url: details.url,
            fetched_at: crate::now_millis(),
            failed: false,
            card_type: details.card_type.to_owned(),
            title: details.title,
            description: details.description,
            author_name: details.author_name,
            author_url: details.author_url,
            provider_name: details.provider_name,
            provider_url: details.provider_url,
            html: details.html,
            embed_url: details.embed_url,
            width,
            height,
            image_key: image_key.clone(),
            image_width: thumbnail
                .as_ref()
                .map(|image| i64::from(image.preview_width)),
            image_height: thumbnail
                .as_ref()
                .map(|image| i64::from(image.preview_height)),
            image_description: details.image_description,
            blurhash: thumbnail.map(|image| image.blurhash),
            language: details.language,
            published_at: details.published_at,
        };
        self.keep_card(status_id, &row).await
    }

    /// Records that the page at `link` could not be read, so that posts linking it do not
    /// ask again for a day; status `status_id` shows no card.
    pub async fn record_link_failure(&self, status_id: i64, link: &Url) -> Result<()> {
        let row = PreviewCardRow {
            id: self.db().next_id(),
            link: link.to_string(),
            url: link.to_string(),
            fetched_at: crate::now_millis(),
            failed: true,
            card_type: "link".to_owned(),
            title: String::new(),
            description: String::new(),
            author_name: String::new(),
            author_url: String::new(),
            provider_name: String::new(),
            provider_url: String::new(),
            html: String::new(),
            embed_url: String::new(),
            width: 0,
            height: 0,
            image_key: None,
            image_width: None,
            image_height: None,
            image_description: String::new(),
            blurhash: None,
            language: None,
            published_at: None,
        };
        self.keep_card(status_id, &row).await
    }

    async fn keep_card(&self, status_id: i64, row: &PreviewCardRow) -> Result<()> {
        let mut tx = self.db().begin().await?;
        let (card_id, replaced_image) = tx.save_preview_card(row).await?;
        let shown = (!row.failed).then_some(card_id);
        let changed = tx.set_status_card(status_id, shown).await?;
        tx.commit().await?;
        if let Some((folder, _)) = replaced_image
            .as_deref()
            .and_then(|key| key.rsplit_once('/'))
        {
            let store = self.media_store();
            let folder = folder.to_owned();
            let _ = tokio::task::spawn_blocking(move || store.delete_dir(&folder)).await;
        }
        if changed {
            self.announce_card(status_id).await?;
        }
        Ok(())
    }
}
