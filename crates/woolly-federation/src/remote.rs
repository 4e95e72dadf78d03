//! Reading other servers: [`Federation`] holds the one [`RemoteClient`] of an instance and
//! fetches actor documents and objects with requests signed by the instance actor, turns them
//! into accounts and statuses through core, and resolves `user@domain` handles with WebFinger.
//!
//! Whatever a document claims is checked against where it came from: an actor or object is
//! kept only when its id is on the host that served it, and an object's author only when the
//! author is on the object's own host, so that one server cannot speak for another.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use reqwest::Url;
use serde_json::Value;
use time::OffsetDateTime;
use tokio::sync::Semaphore;
use woolly_core::accounts::{Account, ActorLinks};
use woolly_core::remote::{
    RemoteAccount, RemoteCounts, RemoteMedia, RemotePoll, RemoteStatus, Resolved,
};
use woolly_core::visibility::Visibility;
use woolly_core::{CoreError, Domain, Woolly};

use crate::client::{ACTIVITY_ACCEPT, FetchError, RemoteClient};
use crate::signatures::{self, Outgoing, SignatureError};
use crate::vocab::{
    Actor, Attachment, AttachmentType, Document, LinkRef, Object, ObjectType, PollClosed, Tag,
    TagType, Timestamp, is_public,
};

/// How long a remote actor document is trusted before it is fetched again.
const ACTOR_REFRESH_MILLIS: i64 = 24 * 60 * 60 * 1000;
/// How many ancestors of a reply are fetched, at most.
pub const MAX_PARENT_DEPTH: usize = 8;
/// Deliveries in flight at once across all domains.
const MAX_DELIVERIES_IN_FLIGHT: usize = 16;

/// Why talking to another server did not give what was needed.
#[derive(Debug, thiserror::Error)]
pub enum FederationError {
    #[error(transparent)]
    Fetch(#[from] FetchError),
    #[error(transparent)]
    Core(#[from] CoreError),
    #[error(transparent)]
    Signature(#[from] SignatureError),
    /// The document is not what it must be (no id, a foreign id, the wrong type…).
    #[error("{0}")]
    Invalid(String),
}

pub(crate) fn invalid(message: impl Into<String>) -> FederationError {
    FederationError::Invalid(message.into())
}

/// An instance's connection to the rest of the fediverse. Cheap to clone.
#[derive(Clone)]
pub struct Federation {
    inner: Arc<Inner>,
}

struct Inner {
    client: RemoteClient,
    /// One delivery in flight per domain.
    domain_slots: Mutex<HashMap<String, Arc<Semaphore>>>,
    delivery_slots: Arc<Semaphore>,
}

/// `host[:port]` of a URL, as domains are stored.
pub fn authority(url: &Url) -> Option<String> {
    let host = url.host_str()?.to_ascii_lowercase();
    Some(match url.port() {
        Some(port) => format!("{host}:{port}"),
        None => host,
    })
}

/// `host[:port]` of a URL given as text.
pub fn authority_of(url: &str) -> Option<String> {
    Url::parse(url).ok().as_ref().and_then(authority)
}

impl Federation {
    pub fn new(woolly: &Woolly) -> Result<Federation, FetchError> {
        let config = woolly.config();
        let user_agent = format!(
            "Woolly/{} (+{})",
            woolly_core::WOOLLY_VERSION,
            config.base_url()
        );
        let client = RemoteClient::new(&user_agent, config.allow_private_addresses, !config.https)?;
        Ok(Federation {
            inner: Arc::new(Inner {
                client,
                domain_slots: Mutex::new(HashMap::new()),
                delivery_slots: Arc::new(Semaphore::new(MAX_DELIVERIES_IN_FLIGHT)),
            }),
        })
    }

    pub fn client(&self) -> &RemoteClient {
        &self.inner.client
    }

    /// The semaphores a delivery to `domain` holds: its domain's single slot, then one of the
    /// shared ones.
    pub(crate) fn delivery_slots(&self, domain: &str) -> (Arc<Semaphore>, Arc<Semaphore>) {
        let mut slots = match self.inner.domain_slots.lock() {
            Ok(slots) => slots,
            Err(poisoned) => poisoned.into_inner(),
        };
        let domain_slot = Arc::clone(
            slots
                .entry(domain.to_owned())
                .or_insert_with(|| Arc::new(Semaphore::new(1))),
        );
        (domain_slot, Arc::clone(&self.inner.delivery_slots))
    }

    /// Signature headers for a request by `key_id` with `private_key_pem`.
    pub(crate) fn signed_headers(
        url: &Url,
        method: &str,
        body: Option<&[u8]>,
        extra: &[(&str, &str)],
        key_id: &str,
        private_key_pem: &str,
    ) -> Result<Vec<(String, String)>, FederationError> {
        let host = authority(url).ok_or_else(|| invalid(format!("no host in {url}")))?;
        let path_and_query = match url.query() {
            Some(query) => format!("{}?{query}", url.path()),
            None => url.path().to_owned(),
        };
        let mut headers = signatures::sign(
            &Outgoing {
                method,
                path_and_query: &path_and_query,
                host: &host,
                body,
                extra,
            },
            key_id,
            private_key_pem,
            OffsetDateTime::now_utc(),
        )?;
        headers.extend(
            extra
                .iter()
                .map(|(name, value)| ((*name).to_owned(), (*value).to_owned())),
        );
        Ok(headers)
    }

    /// Fetches an ActivityPub document, signed by the instance actor (servers with authorized
    /// fetch answer only signed requests). Returns where it was finally found and the JSON.
    pub async fn fetch(&self, woolly: &Woolly, url: &str) -> Result<(Url, Value), FederationError> {
        let parsed = Url::parse(url).map_err(|_| invalid(format!("not a URL: {url}")))?;
        self.refuse_blocked(woolly, &parsed).await?;
        let key = woolly.instance_actor_key();
        let key_id = format!("{}#main-key", woolly.federation().instance_actor_uri());
        let mut headers = Self::signed_headers(
            &parsed,
            "GET",
            None,
            &[("accept", ACTIVITY_ACCEPT)],
            &key_id,
            &key.private_key_pem,
        )?;
        // The client adds its own Accept; the signed one is the same value.
        headers.retain(|(name, _)| !name.eq_ignore_ascii_case("accept"));
        Ok(self.client().get_json(url, &headers).await?)
    }

    /// The account whose actor id is `uri`: the one stored, unless it is stale (or `refresh`),
    /// else fetched and stored.
    pub async fn account_for_uri(
        &self,
        woolly: &Woolly,
        uri: &str,
        refresh: bool,
    ) -> Result<Account, FederationError> {
        if is_local_uri(woolly, uri) {
            let username = woolly
                .federation()
                .local_username_in(uri)
                .ok_or_else(|| invalid(format!("{uri} is no account here")))?;
            return woolly
                .accounts()
                .local_account(username)
                .await?
                .ok_or_else(|| invalid(format!("{uri} is no account here")));
        }
        if let Some(account) = woolly.federation().account_by_uri(uri).await? {
            let fetched_at = woolly
                .federation()
                .account_fetched_at(account.id)
                .await
                .ok()
                .flatten();
            let fresh =
                fetched_at.is_some_and(|at| woolly_core::now_millis() - at < ACTOR_REFRESH_MILLIS);
            if fresh && !refresh {
                return Ok(account);
            }
            return match self.fetch_actor(woolly, uri).await {
                Ok(account) => Ok(account),
                // A server that is down keeps its accounts as they were.
                Err(error) if !refresh => {
                    tracing::info!(uri, %error, "could not refresh a remote actor");
                    Ok(account)
                }
                Err(error) => Err(error),
            };
        }
        self.fetch_actor(woolly, uri).await
    }

    /// Fetches an actor document and stores (or refreshes) its account, with the counts of
    /// its collections.
    pub async fn fetch_actor(
        &self,
        woolly: &Woolly,
        uri: &str,
    ) -> Result<Account, FederationError> {
        let (found_at, json) = self.fetch(woolly, uri).await?;
        let actor: Actor = match Document::from_json(&json.to_string()) {
            Ok(Document::Actor(actor)) => actor,
            _ => return Err(invalid(format!("{uri} is not an actor"))),
        };
        let domain = authority_of(&actor.id)
            .ok_or_else(|| invalid(format!("actor id {:?} is not a URL", actor.id)))?;
        if authority(&found_at).as_deref() != Some(domain.as_str()) {
            return Err(invalid(format!(
                "actor {} was served by another host ({found_at})",
                actor.id
            )));
        }
        let mut remote = remote_account(&actor, &domain)?;
        remote.counts = self.collection_counts(woolly, &actor).await;
        let account = woolly.federation().store_remote_account(remote).await?;
        woolly
            .federation()
            .touch_account_fetched(account.id)
            .await?;
        Ok(account)
    }

    /// Refuses to talk to a domain the operator blocked.
    async fn refuse_blocked(&self, woolly: &Woolly, url: &Url) -> Result<(), FederationError> {
        if let Some(domain) = authority(url)
            && woolly.instance().is_domain_blocked(&domain).await?
        {
            return Err(invalid(format!("{domain} is blocked")));
        }
        Ok(())
    }

    /// The links of `user@domain`'s WebFinger document.
    async fn webfinger_links(
        &self,
        woolly: &Woolly,
        username: &str,
        domain: &str,
    ) -> Result<Vec<Value>, FederationError> {
        if woolly.instance().is_domain_blocked(domain).await? {
            return Err(invalid(format!("{domain} is blocked")));
        }
        let scheme = woolly.config().scheme();
        let url =
            format!("{scheme}://{domain}/.well-known/webfinger?resource=acct:{username}@{domain}");
        let accept = "application/jrd+json, application/json";
        let (_, json) = self
            .client()
            .get_document(&url, &[("Accept".to_owned(), accept.to_owned())])
            .await?;
        Ok(json
            .get("links")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default())
    }

    /// The actor id WebFinger gives for `user@domain`.
    pub async fn webfinger(
        &self,
        woolly: &Woolly,
        username: &str,
        domain: &str,
    ) -> Result<String, FederationError> {
        self.webfinger_links(woolly, username, domain)
            .await?
            .iter()
            .find(|link| {
                link.get("rel").and_then(Value::as_str) == Some("self")
                    && link
                        .get("type")
                        .and_then(Value::as_str)
                        .is_some_and(|kind| {
                            kind.contains("activity+json") || kind.contains("ld+json")
                        })
            })
            .and_then(|link| link.get("href").and_then(Value::as_str))
            .map(str::to_owned)
            .ok_or_else(|| invalid(format!("WebFinger for {username}@{domain} names no actor")))
    }

    /// Where `user@domain`'s server lets them act on something of another server: the
    /// OStatus subscribe template of their WebFinger document (`…?uri={uri}`), as Mastodon's
    /// "follow from your server" finds it.
    pub async fn interaction_template(
        &self,
        woolly: &Woolly,
        username: &str,
        domain: &str,
    ) -> Result<String, FederationError> {
        self.webfinger_links(woolly, username, domain)
            .await?
            .iter()
            .find(|link| {
                link.get("rel").and_then(Value::as_str)
                    == Some("http://ostatus.org/schema/1.0/subscribe")
            })
            .and_then(|link| link.get("template").and_then(Value::as_str))
            .filter(|template| {
                template.contains("{uri}")
                    && (template.starts_with("https://") || template.starts_with("http://"))
            })
            .map(str::to_owned)
            .ok_or_else(|| invalid(format!("{username}@{domain} has no interaction template")))
    }

    /// The account `user@domain`: stored, or found through WebFinger and fetched.
    pub async fn account_for_handle(
        &self,
        woolly: &Woolly,
        username: &str,
        domain: &str,
    ) -> Result<Account, FederationError> {
        let domain = Domain::parse(domain)?;
        if let Some(uri) = woolly
            .federation()
            .remote_actor_uri_by_acct(username, domain.as_str())
            .await?
        {
            return self.account_for_uri(woolly, &uri, false).await;
        }
        let uri = self.webfinger(woolly, username, domain.as_str()).await?;
        self.account_for_uri(woolly, &uri, false).await
    }

    /// The stored status with ActivityPub id `uri`, fetched (with up to `depth` ancestors)
    /// when unknown.
    pub async fn status_for_uri(
        &self,
        woolly: &Woolly,
        uri: &str,
        depth: usize,
    ) -> Result<i64, FederationError> {
        if let Some(id) = woolly.federation().status_id_by_uri(uri).await? {
            return Ok(id);
        }
        if is_local_uri(woolly, uri) {
            return Err(invalid(format!("{uri} is no status here")));
        }
        let (found_at, json) = self.fetch(woolly, uri).await?;
        let object = match Document::from_json(&json.to_string()) {
            Ok(Document::Object(object)) if object.kind.is_status_like() => object,
            _ => return Err(invalid(format!("{uri} is not a post"))),
        };
        let id = object.id.clone().unwrap_or_default();
        if authority_of(&id) != authority(&found_at) {
            return Err(invalid(format!(
                "{id} was served by another host ({found_at})"
            )));
        }
        self.store_object(woolly, &object, depth).await
    }

    /// Stores a status-like object whose origin was checked by the caller (it came in an
    /// activity signed by its author, or from its own host); returns its id here.
    pub async fn store_object(
        &self,
        woolly: &Woolly,
        object: &Object,
        depth: usize,
    ) -> Result<i64, FederationError> {
        let uri = object
            .id
            .clone()
            .ok_or_else(|| invalid("an object without an id"))?;
        if let Some(id) = woolly.federation().status_id_by_uri(&uri).await? {
            return Ok(id);
        }
        let author_uri = object
            .attributed_to
            .first()
            .ok_or_else(|| invalid(format!("{uri} has no author")))?;
        if authority_of(author_uri) != authority_of(&uri) {
            return Err(invalid(format!("{uri} claims an author of another host")));
        }
        let author = self.account_for_uri(woolly, author_uri, false).await?;
        let remote = self.remote_status(woolly, &author, object, depth).await?;
        Ok(woolly
            .federation()
            .store_remote_status(&author, remote)
            .await?)
    }

    /// Core's view of a remote object: [`draft_status`], with its mentions resolved to
    /// accounts and its parent fetched (up to `depth` ancestors).
    pub(crate) async fn remote_status(
        &self,
        woolly: &Woolly,
        author: &Account,
        object: &Object,
        depth: usize,
    ) -> Result<RemoteStatus, FederationError> {
        let draft = draft_status(object, author.actor.followers_url.as_deref());
        let mut status = draft.status;
        for mentioned in &draft.mention_uris {
            match self.account_for_uri(woolly, mentioned, false).await {
                Ok(account) => status.mentioned_account_ids.push(account.id),
                Err(error) => tracing::info!(mentioned, %error, "unknown mentioned actor skipped"),
            }
        }
        for address in draft
            .addressed
            .iter()
            .filter(|address| is_local_uri(woolly, address))
        {
            if let Ok(account) = self.account_for_uri(woolly, address, false).await
                && !status.mentioned_account_ids.contains(&account.id)
            {
                status.mentioned_account_ids.push(account.id);
            }
        }
        status.in_reply_to_id = match &draft.in_reply_to {
            Some(parent) if depth > 0 => {
                match Box::pin(self.status_for_uri(woolly, parent, depth - 1)).await {
                    Ok(id) => Some(id),
                    Err(error) => {
                        tracing::info!(parent, %error, "the parent of a reply could not be fetched");
                        None
                    }
                }
            }
            Some(parent) => woolly.federation().status_id_by_uri(parent).await?,
            None => None,
        };
        Ok(status)
    }

    /// Looks a handle or a link up on its server.
    pub async fn resolve(
        &self,
        woolly: &Woolly,
        query: &str,
    ) -> Result<Option<Resolved>, FederationError> {
        let query = query.trim();
        if query.starts_with("https://") || query.starts_with("http://") {
            if let Some(id) = woolly.federation().status_id_by_uri(query).await? {
                return Ok(Some(Resolved::Status(id)));
            }
            let (found_at, json) = self.fetch(woolly, query).await?;
            return match Document::from_json(&json.to_string()) {
                Ok(Document::Actor(actor)) => {
                    let account = self.account_for_uri(woolly, &actor.id, false).await?;
                    Ok(Some(Resolved::Account(account.id)))
                }
                Ok(Document::Object(object)) if object.kind.is_status_like() => {
                    let id = object.id.clone().unwrap_or_default();
                    // A post is trusted from its own host only; from elsewhere it is refetched.
                    let status = if authority_of(&id) == authority(&found_at) {
                        self.store_object(woolly, &object, MAX_PARENT_DEPTH).await?
                    } else {
                        self.status_for_uri(woolly, &id, MAX_PARENT_DEPTH).await?
                    };
                    Ok(Some(Resolved::Status(status)))
                }
                _ => Ok(None),
            };
        }
        let handle = query.trim_start_matches('@');
        let Some((username, domain)) = handle.split_once('@') else {
            return Ok(None);
        };
        let account = self.account_for_handle(woolly, username, domain).await?;
        Ok(Some(Resolved::Account(account.id)))
    }
}

/// What an object says about the status it makes, before anything is looked up: its
/// ActivityPub id and link, content (to sanitize), content warning, audience, language,
/// hashtags, poll, media and time, with the ids of the actors it mentions and of its parent.
#[derive(Debug, Clone)]
pub struct StatusDraft {
    /// Without mentions and parent, which [`Federation`] resolves.
    pub status: RemoteStatus,
    pub mention_uris: Vec<String>,
    /// Actors it is addressed to (`to`/`cc`) besides everyone and followers collections: local
    /// ones among them may see it even when not mentioned (Mastodon's silent mentions, which
    /// its "limited" posts rely on).
    pub addressed: Vec<String>,
    pub in_reply_to: Option<String>,
}

/// Reads a status-like object into a [`StatusDraft`]; `followers_url` is its author's
/// followers collection, which addressing to makes a post followers-only.
pub fn draft_status(object: &Object, followers_url: Option<&str>) -> StatusDraft {
    let uri = object.id.clone().unwrap_or_default();
    let mut mentioned_uris = Vec::new();
    let mut tags = Vec::new();
    for tag in &object.tag {
        match tag.kind {
            TagType::Mention => mentioned_uris.extend(tag.href.clone()),
            TagType::Hashtag => tags.extend(tag.name.clone()),
            _ => {}
        }
    }
    let visibility = visibility_of(object, followers_url);
    let (content, language) = match object.content_and_language() {
        Some((content, language)) => (content.to_owned(), language.map(str::to_owned)),
        None => (String::new(), None),
    };
    let page_url = LinkRef::html_url(&object.url).map(str::to_owned);
    let content = converted_content(object, content, page_url.as_deref());
    let poll = (object.kind == ObjectType::Question).then(|| {
        let (options, multiple) = object.poll_options();
        let closed_at = match object.closed {
            Some(PollClosed::At(at)) => Some(at.unix_millis()),
            Some(PollClosed::Flag(true)) => Some(woolly_core::now_millis()),
            _ => None,
        };
        RemotePoll {
            options: options
                .iter()
                .map(|option| {
                    let votes = option
                        .replies
                        .as_ref()
                        .and_then(|replies| replies.total_items)
                        .map_or(0, |total| i64::try_from(total).unwrap_or(i64::MAX));
                    (option.name.clone().unwrap_or_default(), votes)
                })
                .collect(),
            multiple,
            expires_at: closed_at
                .or(object.end_time.as_ref().map(Timestamp::unix_millis))
                // Without an end, a poll stays open (Mastodon's longest is a month).
                .unwrap_or_else(|| woolly_core::now_millis() + 30 * 24 * 60 * 60 * 1000),
            voters_count: object
                .voters_count
                .and_then(|count| i64::try_from(count).ok()),
        }
    });
    let media = object
        .attachment
        .iter()
        .filter_map(remote_media)
        .take(4)
        .collect();
    // `summary` is HTML in ActivityStreams, and GoToSocial writes it so (`&lt;3`); Mastodon
    // writes plain text. Either reads as plain text once tags are dropped and entities
    // decoded, as content warnings are kept.
    let spoiler_text = object
        .summary
        .as_deref()
        .map(woolly_core::sanitize::html_to_plain_text)
        .unwrap_or_default();
    let status = RemoteStatus {
        emojis: emoji_tags(&object.tag),
        media,
        poll,
        url: LinkRef::html_url(&object.url)
            .map(str::to_owned)
            .or(Some(uri.clone())),
        uri,
        text: String::new(),
        content_html: Some(content),
        sensitive: object.sensitive.unwrap_or(false) || !spoiler_text.is_empty(),
        spoiler_text,
        visibility,
        language,
        in_reply_to_id: None,
        mentioned_account_ids: Vec::new(),
        tags,
        created_at: object
            .published
            .as_ref()
            .map_or_else(woolly_core::now_millis, |published| published.unix_millis()),
        edited_at: object.updated.as_ref().map(Timestamp::unix_millis),
    };
    StatusDraft {
        status,
        addressed: object
            .to
            .iter()
            .chain(&object.cc)
            .filter(|address| {
                !is_public(address)
                    && !address.ends_with("/followers")
                    && Some(address.as_str()) != followers_url
            })
            .cloned()
            .collect(),
        mention_uris: mentioned_uris,
        in_reply_to: object.in_reply_to.clone(),
    }
}

/// The content of a post, with what Mastodon adds for types it converts (articles, pages,
/// videos, events…): their title first, and a link to them when they have no text.
fn converted_content(object: &Object, content: String, page_url: Option<&str>) -> String {
    let name = object
        .name
        .as_deref()
        .filter(|name| !name.trim().is_empty());
    let converted = matches!(
        object.kind,
        ObjectType::Article
            | ObjectType::Page
            | ObjectType::Image
            | ObjectType::Video
            | ObjectType::Audio
            | ObjectType::Event
    );
    if !converted {
        return match name {
            Some(name) if content.is_empty() => woolly_core::html::escape(name),
            _ => content,
        };
    }
    let mut html = String::new();
    if let Some(name) = name {
        html.push_str(&format!("<h2>{}</h2>", woolly_core::html::escape(name)));
    }
    if content.trim().is_empty() {
        if let Some(url) = page_url.or(object.id.as_deref()) {
            let url = woolly_core::html::escape(url);
            html.push_str(&format!("<p><a href=\"{url}\">{url}</a></p>"));
        }
    } else {
        html.push_str(&content);
    }
    html
}

/// The custom emojis among tags: `(shortcode, image URL)` of each `Emoji` tag.
fn emoji_tags(tags: &[Tag]) -> Vec<(String, String)> {
    tags.iter()
        .filter(|tag| tag.kind == TagType::Emoji)
        .filter_map(|tag| {
            let shortcode = tag.name.as_deref()?.trim_matches(':').to_owned();
            let url = tag.icon.as_ref()?.url.clone();
            (url.starts_with("https://") || url.starts_with("http://")).then_some((shortcode, url))
        })
        .collect()
}

/// A media attachment as core keeps it: documents, images, videos and audio with a URL.
fn remote_media(attachment: &Attachment) -> Option<RemoteMedia> {
    if matches!(
        attachment.kind,
        AttachmentType::Link | AttachmentType::PropertyValue | AttachmentType::Unknown
    ) {
        return None;
    }
    let url = attachment
        .url
        .first()
        .map(|link| link.href().to_owned())
        .or_else(|| attachment.href.clone())
        .filter(|url| url.starts_with("https://") || url.starts_with("http://"))?;
    let content_type = attachment.media_type.clone().unwrap_or_default();
    let kind = match content_type.split('/').next() {
        Some("image") => "image",
        Some("video") => "video",
        Some("audio") => "audio",
        _ => match attachment.kind {
            AttachmentType::Image => "image",
            AttachmentType::Video => "video",
            AttachmentType::Audio => "audio",
            _ => "unknown",
        },
    };
    let dimension = |value: Option<u64>| {
        value
            .and_then(|value| i64::try_from(value).ok())
            .unwrap_or(0)
    };
    Some(RemoteMedia {
        url,
        kind: kind.to_owned(),
        content_type,
        description: attachment.name.clone().filter(|name| !name.is_empty()),
        blurhash: attachment.blurhash.clone(),
        focus: attachment.focal_point.map_or((0.0, 0.0), |[x, y]| (x, y)),
        width: dimension(attachment.width),
        height: dimension(attachment.height),
    })
}

/// Whether `uri` is on this server.
pub(crate) fn is_local_uri(woolly: &Woolly, uri: &str) -> bool {
    woolly.config().urls().is_local(uri)
}

/// The visibility of an object (a status) from its addressing.
pub fn visibility_of(object: &Object, followers_url: Option<&str>) -> Visibility {
    visibility_of_audience(&object.to, &object.cc, followers_url)
}

/// Mastodon's addressing rules (`ActivityPub::Parser::StatusParser#visibility`), the one place
/// Woolly reads them: public when the public collection is in `to`, unlisted when it is in
/// `cc`, followers-only when the author's followers are addressed, direct otherwise. (An
/// `Announce` reads the same, but is never direct: see `inbound`.)
pub fn visibility_of_audience(
    to: &[String],
    cc: &[String],
    followers_url: Option<&str>,
) -> Visibility {
    let mut addressed = to.iter().chain(cc);
    if to.iter().any(|to| is_public(to)) {
        Visibility::Public
    } else if cc.iter().any(|cc| is_public(cc)) {
        Visibility::Unlisted
    } else if addressed.any(|address| {
        followers_url.is_some_and(|followers| address == followers)
            || address.ends_with("/followers")
    }) {
        Visibility::Private
    } else {
        Visibility::Direct
    }
}

/// Core's view of an actor document.
pub fn remote_account(actor: &Actor, domain: &str) -> Result<RemoteAccount, FederationError> {
    let username = actor
        .preferred_username
        .clone()
        .filter(|name| !name.is_empty())
        .ok_or_else(|| invalid(format!("actor {} has no preferredUsername", actor.id)))?;
    let public_key_pem = actor
        .public_key
        .as_ref()
        .map(|key| key.public_key_pem.clone())
        .unwrap_or_default();
    let fields = actor
        .attachment
        .iter()
        .filter_map(|attachment| {
            Some((
                attachment.name.clone()?,
                woolly_core::sanitize::html_to_plain_text(attachment.value.as_deref()?),
            ))
        })
        .collect();
    Ok(RemoteAccount {
        username,
        domain: Domain::parse(domain)?,
        display_name: actor.name.clone().unwrap_or_default(),
        note: String::new(),
        note_html: Some(actor.summary.clone().unwrap_or_default()),
        locked: actor.manually_approves_followers.unwrap_or(false),
        bot: actor.kind.is_automated(),
        discoverable: actor.discoverable.unwrap_or(false),
        indexable: actor.indexable.unwrap_or(false),
        public_key_pem,
        fields,
        emojis: emoji_tags(&actor.tag),
        // Only fetching the actor counts its collections (`Federation::collection_counts`).
        counts: RemoteCounts::default(),
        suspended: actor.suspended.unwrap_or(false),
        moves: woolly_core::remote::ActorMoves {
            also_known_as: actor.also_known_as.clone(),
            moved_to: actor.moved_to.clone(),
        },
        actor: ActorLinks {
            uri: Some(actor.id.clone()),
            url: LinkRef::html_url(&actor.url).map(str::to_owned),
            inbox_url: actor.inbox.clone(),
            shared_inbox_url: actor
                .endpoints
                .as_ref()
                .and_then(|endpoints| endpoints.shared_inbox.clone()),
            followers_url: actor.followers.clone(),
            actor_type: Some(format!("{:?}", actor.kind)),
            avatar_remote_url: actor.icon.as_ref().map(|icon| icon.url.clone()),
            header_remote_url: actor.image.as_ref().map(|image| image.url.clone()),
        },
    })
}

impl woolly_core::remote::RemoteResolver for Federation {
    fn resolve<'a>(
        &'a self,
        woolly: &'a Woolly,
        query: &'a str,
    ) -> std::pin::Pin<
        Box<dyn std::future::Future<Output = Result<Option<Resolved>, CoreError>> + Send + 'a>,
    > {
        Box::pin(async move {
            Federation::resolve(self, woolly, query)
                .await
                .map_err(|error| match error {
                    FederationError::Core(error) => error,
                    other => CoreError::Validation(other.to_string()),
                })
        })
    }

    fn refetch_account<'a>(
        &'a self,
        woolly: &'a Woolly,
        account_id: i64,
    ) -> std::pin::Pin<Box<dyn std::future::Future<Output = Result<(), CoreError>> + Send + 'a>>
    {
        Box::pin(async move {
            let Some(account) = woolly.accounts().account(account_id).await? else {
                return Err(CoreError::NotFound);
            };
            let Some(uri) = account.actor.uri.as_deref().filter(|_| !account.is_local()) else {
                return Ok(());
            };
            self.account_for_uri(woolly, uri, true)
                .await
                .map(|_| ())
                .map_err(|error| match error {
                    FederationError::Core(error) => error,
                    other => CoreError::Validation(other.to_string()),
                })
        })
    }

    fn interaction_template<'a>(
        &'a self,
        woolly: &'a Woolly,
        username: &'a str,
        domain: &'a str,
    ) -> std::pin::Pin<
        Box<dyn std::future::Future<Output = Result<Option<String>, CoreError>> + Send + 'a>,
    > {
        Box::pin(async move {
            match Federation::interaction_template(self, woolly, username, domain).await {
                Ok(template) => Ok(Some(template)),
                Err(FederationError::Core(error)) => Err(error),
                Err(error) => {
                    tracing::info!(username, domain, %error, "no interaction template");
                    Ok(None)
                }
            }
        })
    }
}
