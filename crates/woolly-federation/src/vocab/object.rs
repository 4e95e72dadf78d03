//! Objects: what statuses are made of on the wire (`Note`, `Question`, and the `Article`, `Page`,
//! `Image`, `Video`, `Audio`, `Event` that Mastodon turns into statuses), their tags (mentions,
//! hashtags, custom emojis), attachments (media and profile fields) and links.

use std::collections::BTreeMap;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value;

use super::IdOrObject;
use super::collection::Collection;
use super::lenient::{self, Timestamp};

/// An object's type.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum ObjectType {
    Note,
    /// A poll.
    Question,
    Article,
    Page,
    Image,
    Video,
    Audio,
    Event,
    Document,
    /// What remains of a deleted object.
    Tombstone,
    /// Anything else (`ChatMessage`, `Place`, …).
    #[default]
    #[serde(other)]
    Unknown,
}

impl ObjectType {
    /// Whether Mastodon stores an object of this type as a status: notes and polls first-class,
    /// the others converted "as best as possible" (`spec/activitypub.md`).
    pub fn is_status_like(self) -> bool {
        matches!(
            self,
            ObjectType::Note
                | ObjectType::Question
                | ObjectType::Article
                | ObjectType::Page
                | ObjectType::Image
                | ObjectType::Video
                | ObjectType::Audio
                | ObjectType::Event
        )
    }
}

/// A status-like object (or a tombstone, or a poll option).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Object {
    #[serde(
        rename = "@context",
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient::any"
    )]
    pub context: Option<Value>,
    /// Absent on embedded parts such as poll options.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient::optional"
    )]
    pub id: Option<String>,
    #[serde(rename = "type", default, deserialize_with = "object_type")]
    pub kind: ObjectType,
    /// The content warning.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient::optional"
    )]
    pub summary: Option<String>,
    #[serde(
        default,
        skip_serializing_if = "BTreeMap::is_empty",
        deserialize_with = "lenient::language_map"
    )]
    pub summary_map: BTreeMap<String, String>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient::id"
    )]
    pub in_reply_to: Option<String>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient::optional"
    )]
    pub published: Option<Timestamp>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient::optional"
    )]
    pub updated: Option<Timestamp>,
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        serialize_with = "lenient::single_or_array",
        deserialize_with = "lenient::one_or_many"
    )]
    pub url: Vec<LinkRef>,
    /// Its authors' ids (PeerTube lists a channel beside the account).
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        serialize_with = "lenient::single_or_array",
        deserialize_with = "lenient::ids"
    )]
    pub attributed_to: Vec<String>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient::id"
    )]
    pub audience: Option<String>,
    #[serde(default, deserialize_with = "lenient::ids")]
    pub to: Vec<String>,
    #[serde(default, deserialize_with = "lenient::ids")]
    pub cc: Vec<String>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient::boolean"
    )]
    pub sensitive: Option<bool>,
    /// The title (articles, pages, videos) or a poll option's text.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient::optional"
    )]
    pub name: Option<String>,
    #[serde(
        default,
        skip_serializing_if = "BTreeMap::is_empty",
        deserialize_with = "lenient::language_map"
    )]
    pub name_map: BTreeMap<String, String>,
    /// HTML.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient::optional"
    )]
    pub content: Option<String>,
    #[serde(
        default,
        skip_serializing_if = "BTreeMap::is_empty",
        deserialize_with = "lenient::language_map"
    )]
    pub content_map: BTreeMap<String, String>,
    /// The content's media type when it is not HTML (Lemmy writes `text/html`; some write
    /// `text/markdown`).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient::optional"
    )]
    pub media_type: Option<String>,
    /// The text as its author wrote it (Misskey, Pleroma, Lemmy).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient::optional"
    )]
    pub source: Option<Source>,
    #[serde(default, deserialize_with = "lenient::one_or_many")]
    pub attachment: Vec<Attachment>,
    #[serde(default, deserialize_with = "lenient::one_or_many")]
    pub tag: Vec<Tag>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient::optional"
    )]
    pub replies: Option<IdOrObject<Collection>>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient::optional"
    )]
    pub likes: Option<IdOrObject<Collection>>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient::optional"
    )]
    pub shares: Option<IdOrObject<Collection>>,
    /// A single-choice poll's options.
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "lenient::one_or_many"
    )]
    pub one_of: Vec<PollOption>,
    /// A multiple-choice poll's options.
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "lenient::one_or_many"
    )]
    pub any_of: Vec<PollOption>,
    /// When a poll ends (or an event).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient::optional"
    )]
    pub end_time: Option<Timestamp>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient::optional"
    )]
    pub start_time: Option<Timestamp>,
    /// When a poll closed. Some servers write `true` instead of a time (read as
    /// `PollClosed::Yes`).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient::optional"
    )]
    pub closed: Option<PollClosed>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient::count"
    )]
    pub voters_count: Option<u64>,
    /// A thumbnail (videos) or an image.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient::optional"
    )]
    pub icon: Option<ImageObject>,
    /// A video's or audio's length, `xsd:duration` (`PT42S`).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient::optional"
    )]
    pub duration: Option<String>,
    /// The quoted post (FEP-044f).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient::id"
    )]
    pub quote: Option<String>,
    /// Older spellings of the quoted post, which Mastodon also reads.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient::id"
    )]
    pub quote_uri: Option<String>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient::id"
    )]
    pub quote_url: Option<String>,
    #[serde(
        rename = "_misskey_quote",
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient::id"
    )]
    pub misskey_quote: Option<String>,
    /// A tombstone's former type.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient::optional"
    )]
    pub former_type: Option<String>,
}

fn object_type<'de, D: Deserializer<'de>>(deserializer: D) -> Result<ObjectType, D::Error> {
    lenient::kind(deserializer)
}

impl Object {
    /// The HTML content and its language: `content`, or failing that the `contentMap` entry
    /// whose text is the same, or the only entry (GoToSocial's documented algorithm, which
    /// Mastodon's parser approximates).
    pub fn content_and_language(&self) -> Option<(&str, Option<&str>)> {
        match &self.content {
            Some(content) => {
                let language = self
                    .content_map
                    .iter()
                    .find(|(_, text)| *text == content)
                    .map(|(language, _)| language.as_str());
                Some((content, language))
            }
            None => {
                let mut entries = self.content_map.iter();
                let (language, text) = entries.next()?;
                Some((text.as_str(), Some(language.as_str())))
            }
        }
    }

    /// The quoted post, by any of its spellings.
    pub fn quoted(&self) -> Option<&str> {
        self.quote
            .as_deref()
            .or(self.quote_uri.as_deref())
            .or(self.quote_url.as_deref())
            .or(self.misskey_quote.as_deref())
    }

    /// A poll's options, whichever of `oneOf` / `anyOf` holds them, and whether several may be
    /// chosen.
    pub fn poll_options(&self) -> (&[PollOption], bool) {
        if self.any_of.is_empty() {
            (&self.one_of, false)
        } else {
            (&self.any_of, true)
        }
    }
}

/// Whether a poll has closed: at a time, or just so.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum PollClosed {
    At(Timestamp),
    Flag(bool),
}

/// A poll option: a `Note` with a `name`, whose `replies.totalItems` counts its votes.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PollOption {
    #[serde(rename = "type", default, deserialize_with = "object_type")]
    pub kind: ObjectType,
    #[serde(default, deserialize_with = "lenient::optional")]
    pub name: Option<String>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient::optional"
    )]
    pub replies: Option<Collection>,
}

impl PollOption {
    /// Its votes, when the poll shows them.
    pub fn votes(&self) -> Option<u64> {
        self.replies
            .as_ref()
            .and_then(|replies| replies.total_items)
    }
}

/// The source text of an object and its media type (`text/x.misskeymarkdown`, `text/markdown`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Source {
    #[serde(default, deserialize_with = "lenient::optional")]
    pub content: Option<String>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient::optional"
    )]
    pub media_type: Option<String>,
}

/// A tag's type.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum TagType {
    Mention,
    Hashtag,
    /// A custom emoji.
    Emoji,
    /// A link, such as a FEP-e232 quote reference.
    Link,
    #[default]
    #[serde(other)]
    Unknown,
}

/// A tag of an object or actor: a mention (`href` the actor, `name` `@user@domain`), a hashtag
/// (`name` `#tag`), or a custom emoji (`name` `:code:`, `icon` its image).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Tag {
    #[serde(rename = "type", default, deserialize_with = "tag_type")]
    pub kind: TagType,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient::optional"
    )]
    pub id: Option<String>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient::id"
    )]
    pub href: Option<String>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient::optional"
    )]
    pub name: Option<String>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient::optional"
    )]
    pub updated: Option<Timestamp>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient::optional"
    )]
    pub icon: Option<ImageObject>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient::optional"
    )]
    pub media_type: Option<String>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient::optional"
    )]
    pub rel: Option<String>,
}

fn tag_type<'de, D: Deserializer<'de>>(deserializer: D) -> Result<TagType, D::Error> {
    lenient::kind(deserializer)
}

/// An attachment's type.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum AttachmentType {
    Document,
    Image,
    Video,
    Audio,
    /// A link (Lemmy attaches a post's link this way).
    Link,
    /// A profile field.
    PropertyValue,
    #[default]
    #[serde(other)]
    Unknown,
}

/// An attachment: a media file of an object (`Document`, `Image`, … with `url`, `mediaType`,
/// `name` as its description, `blurhash`, `focalPoint`), a link, or a profile field of an actor
/// (`PropertyValue` with `name` and `value`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Attachment {
    #[serde(rename = "type", default, deserialize_with = "attachment_type")]
    pub kind: AttachmentType,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient::optional"
    )]
    pub media_type: Option<String>,
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        serialize_with = "lenient::single_or_array",
        deserialize_with = "lenient::one_or_many"
    )]
    pub url: Vec<LinkRef>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient::id"
    )]
    pub href: Option<String>,
    /// A media file's description, or a profile field's label.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient::optional"
    )]
    pub name: Option<String>,
    /// GoToSocial writes a media file's description here.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient::optional"
    )]
    pub summary: Option<String>,
    /// A profile field's value, HTML.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient::optional"
    )]
    pub value: Option<String>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient::optional"
    )]
    pub blurhash: Option<String>,
    /// `[x, y]`, each from -1 to 1 (Mastodon's focal point).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient::optional"
    )]
    pub focal_point: Option<[f64; 2]>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient::count"
    )]
    pub width: Option<u64>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient::count"
    )]
    pub height: Option<u64>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient::optional"
    )]
    pub duration: Option<String>,
    /// A thumbnail.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient::optional"
    )]
    pub icon: Option<ImageObject>,
}

fn attachment_type<'de, D: Deserializer<'de>>(deserializer: D) -> Result<AttachmentType, D::Error> {
    lenient::kind(deserializer)
}

impl Attachment {
    /// Where the file is: the first `url` (its `href` for a link), or `href`.
    pub fn file_url(&self) -> Option<&str> {
        self.url.first().map(LinkRef::href).or(self.href.as_deref())
    }

    /// The description, wherever the sender put it.
    pub fn description(&self) -> Option<&str> {
        self.name.as_deref().or(self.summary.as_deref())
    }
}

/// An image (an avatar, a header, an emoji, a thumbnail).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ImageObject {
    #[serde(
        rename = "type",
        default = "image_type",
        deserialize_with = "image_kind"
    )]
    pub kind: String,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient::optional"
    )]
    pub media_type: Option<String>,
    /// Required: an image without a location is of no use.
    #[serde(deserialize_with = "required_id")]
    pub url: String,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient::optional"
    )]
    pub name: Option<String>,
}

fn image_type() -> String {
    "Image".to_owned()
}

fn image_kind<'de, D: Deserializer<'de>>(deserializer: D) -> Result<String, D::Error> {
    Ok(lenient::optional::<D, String>(deserializer)?.unwrap_or_else(image_type))
}

fn required_id<'de, D: Deserializer<'de>>(deserializer: D) -> Result<String, D::Error> {
    lenient::id(deserializer)?.ok_or_else(|| serde::de::Error::custom("no URL"))
}

/// A link: a bare URL, or a `Link` object with its media type (PeerTube and Threads list several
/// links for one object).
#[derive(Debug, Clone, PartialEq)]
pub enum LinkRef {
    Url(String),
    Link {
        href: String,
        media_type: Option<String>,
        rel: Option<String>,
    },
}

impl LinkRef {
    pub fn href(&self) -> &str {
        match self {
            LinkRef::Url(href) | LinkRef::Link { href, .. } => href,
        }
    }

    /// Among links, the web page: the first `text/html` link, else the first bare URL or link.
    pub fn html_url(links: &[LinkRef]) -> Option<&str> {
        links
            .iter()
            .find(|link| {
                matches!(link, LinkRef::Link { media_type: Some(media_type), .. }
                    if media_type.starts_with("text/html"))
            })
            .or_else(|| {
                links.iter().find(|link| {
                    matches!(
                        link,
                        LinkRef::Url(_)
                            | LinkRef::Link {
                                media_type: None,
                                ..
                            }
                    )
                })
            })
            .or(links.first())
            .map(LinkRef::href)
    }
}

impl Serialize for LinkRef {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            LinkRef::Url(href) => serializer.serialize_str(href),
            LinkRef::Link {
                href,
                media_type,
                rel,
            } => {
                let mut link = serde_json::Map::new();
                link.insert("type".into(), "Link".into());
                link.insert("href".into(), href.clone().into());
                if let Some(media_type) = media_type {
                    link.insert("mediaType".into(), media_type.clone().into());
                }
                if let Some(rel) = rel {
                    link.insert("rel".into(), rel.clone().into());
                }
                link.serialize(serializer)
            }
        }
    }
}

impl<'de> Deserialize<'de> for LinkRef {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<LinkRef, D::Error> {
        match Value::deserialize(deserializer)? {
            Value::String(href) if !href.is_empty() => Ok(LinkRef::Url(href)),
            Value::Object(fields) => {
                let text = |key: &str| fields.get(key).and_then(Value::as_str).map(str::to_owned);
                let href = text("href")
                    .or_else(|| text("url"))
                    .filter(|href| !href.is_empty())
                    .ok_or_else(|| serde::de::Error::custom("a link needs an href"))?;
                Ok(LinkRef::Link {
                    href,
                    media_type: text("mediaType"),
                    rel: text("rel"),
                })
            }
            _ => Err(serde::de::Error::custom("a link is a URL or a Link object")),
        }
    }
}
