//! Reading HTML we did not write: what a linked page says of itself (OpenGraph and Twitter
//! tags, JSON-LD, its oEmbed endpoint, `<title>`, `<html lang>`), and which link of a post's
//! HTML is the one to preview.
//!
//! html5ever's tokenizer reads the HTML once, as a browser would split it into tags and text
//! (the contents of `<script>`, `<style>` and `<title>` are text), without building a tree:
//! a hostile page costs one pass over at most the bytes its fetch allowed, and nothing in it
//! runs.

use std::cell::RefCell;
use std::collections::HashMap;

use html5ever::tendril::StrTendril;
use html5ever::tokenizer::states::RawKind;
use html5ever::tokenizer::{
    BufferQueue, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts,
};
use serde_json::Value;
use url::Url;

/// A piece of HTML as the tokenizer splits it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Piece {
    /// An element's start tag: its name and attributes (names in lower case, values with
    /// character references decoded).
    Start(String, Vec<(String, String)>),
    End(String),
    Text(String),
}

impl Piece {
    fn attribute<'a>(attributes: &'a [(String, String)], name: &str) -> Option<&'a str> {
        attributes
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
    }
}

#[derive(Default)]
struct Collect {
    pieces: RefCell<Vec<Piece>>,
}

impl TokenSink for Collect {
    type Handle = ();

    fn process_token(&self, token: Token, _line_number: u64) -> TokenSinkResult<()> {
        let mut pieces = self.pieces.borrow_mut();
        match token {
            Token::TagToken(tag) => {
                let name = tag.name.to_string();
                if tag.kind == TagKind::EndTag {
                    pieces.push(Piece::End(name));
                    return TokenSinkResult::Continue;
                }
                // What a tree builder would tell the tokenizer: these elements hold text.
                let raw = match name.as_str() {
                    "script" => Some(RawKind::ScriptData),
                    "style" | "xmp" | "iframe" | "noembed" | "noframes" => Some(RawKind::Rawtext),
                    "title" | "textarea" => Some(RawKind::Rcdata),
                    _ => None,
                };
                let attributes = tag
                    .attrs
                    .iter()
                    .map(|attribute| {
                        (
                            attribute.name.local.to_string(),
                            attribute.value.to_string(),
                        )
                    })
                    .collect();
                pieces.push(Piece::Start(name, attributes));
                match raw {
                    Some(kind) if !tag.self_closing => TokenSinkResult::RawData(kind),
                    _ => TokenSinkResult::Continue,
                }
            }
            Token::CharacterTokens(text) => {
                match pieces.last_mut() {
                    Some(Piece::Text(run)) => run.push_str(&text),
                    _ => pieces.push(Piece::Text(text.to_string())),
                }
                TokenSinkResult::Continue
            }
            _ => TokenSinkResult::Continue,
        }
    }
}

/// `html` split into tags and text.
pub(crate) fn pieces(html: &str) -> Vec<Piece> {
    let tokenizer = Tokenizer::new(Collect::default(), TokenizerOpts::default());
    let input = BufferQueue::default();
    input.push_back(StrTendril::from_slice(html));
    let _ = tokenizer.feed(&input);
    tokenizer.end();
    tokenizer.sink.pieces.into_inner()
}

/// What a page says of itself, as read from its HTML (nothing is resolved or checked yet but
/// the addresses, made absolute against the page's).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PageDetails {
    pub title: Option<String>,
    pub description: Option<String>,
    pub image: Option<Url>,
    pub image_description: Option<String>,
    /// The page's own address: its canonical link or `og:url` when on the same host.
    pub canonical_url: Option<Url>,
    pub site_name: Option<String>,
    pub site_url: Option<Url>,
    pub author_name: Option<String>,
    pub author_url: Option<Url>,
    /// RFC 3339, as the page gives it.
    pub published_at: Option<String>,
    pub language: Option<String>,
    /// A `twitter:player` page to embed, with its size.
    pub player: Option<(Url, i64, i64)>,
    /// `twitter:player:stream`: the media itself.
    pub stream: Option<Url>,
    /// Where its oEmbed document is (JSON only).
    pub oembed: Option<Url>,
}

/// An http(s) address with a host, relative ones made absolute against `base`.
pub(crate) fn web_address(base: &Url, text: &str) -> Option<Url> {
    let text = text.trim();
    if text.is_empty() || text == "null" {
        return None;
    }
    let url = base.join(text).ok()?;
    (matches!(url.scheme(), "http" | "https") && url.host_str().is_some()).then_some(url)
}

/// Text as a card shows it: whitespace runs made one space, at most `limit` characters.
fn clean_text(text: &str, limit: usize) -> Option<String> {
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if text.is_empty() {
        return None;
    }
    Some(match text.char_indices().nth(limit) {
        Some((end, _)) => format!("{}…", &text[..end]),
        None => text,
    })
}

/// A language tag's primary subtag (`en_US` → `en`), when it looks like one.
fn language_code(tag: &str) -> Option<String> {
    let primary = tag.trim().split(['-', '_']).next()?.to_ascii_lowercase();
    ((2..=3).contains(&primary.len()) && primary.chars().all(|c| c.is_ascii_lowercase()))
        .then_some(primary)
}

/// The longest title and description kept (a page may put a whole article in them).
const TITLE_LIMIT: usize = 300;
const DESCRIPTION_LIMIT: usize = 1000;

/// Reads what the page at `url` (after redirects) says of itself.
pub fn read_page(html: &str, url: &Url) -> PageDetails {
    let mut meta: HashMap<String, String> = HashMap::new();
    let mut named: HashMap<String, String> = HashMap::new();
    let mut canonical = None;
    let mut oembed = None;
    let mut title = None;
    let mut html_lang = None;
    let mut structured = Vec::new();
    let mut inside: Option<&'static str> = None;
    for piece in pieces(html) {
        match piece {
            Piece::Start(name, attributes) => {
                let get = |key| Piece::attribute(&attributes, key);
                inside = None;
                match name.as_str() {
                    "html" => html_lang = get("lang").map(str::to_owned),
                    "title" if title.is_none() => inside = Some("title"),
                    "script"
                        if get("type").is_some_and(|kind| {
                            kind.trim().eq_ignore_ascii_case("application/ld+json")
                        }) =>
                    {
                        inside = Some("json-ld");
                    }
                    "meta" => {
                        let Some(content) = get("content") else {
                            continue;
                        };
                        // The first of each wins, as Mastodon's XPath `pick` does.
                        if let Some(property) = get("property") {
                            meta.entry(property.trim().to_ascii_lowercase())
                                .or_insert_with(|| content.to_owned());
                        }
                        if let Some(name) = get("name") {
                            let name = name.trim().to_ascii_lowercase();
                            meta.entry(name.clone())
                                .or_insert_with(|| content.to_owned());
                            named.entry(name).or_insert_with(|| content.to_owned());
                        }
                    }
                    "link" => {
                        let rel = get("rel").unwrap_or_default().to_ascii_lowercase();
                        let href = get("href").unwrap_or_default();
                        let rels: Vec<&str> = rel.split_whitespace().collect();
                        if rels.contains(&"canonical") && canonical.is_none() {
                            canonical = Some(href.to_owned());
                        }
                        if rels.contains(&"alternate")
                            && get("type").is_some_and(|kind| {
                                kind.trim().eq_ignore_ascii_case("application/json+oembed")
                            })
                            && oembed.is_none()
                        {
                            oembed = web_address(url, href);
                        }
                    }
                    _ => {}
                }
            }
            Piece::Text(text) => match inside.take() {
                Some("title") => title = Some(text),
                Some(_) => structured.push(text),
                None => {}
            },
            Piece::End(_) => inside = None,
        }
    }
    let data = structured
        .iter()
        .find_map(|text| StructuredData::read(text))
        .unwrap_or_default();
    let tag = |name: &str| meta.get(name).map(String::as_str);
    let same_host = |candidate: Url| (candidate.host_str() == url.host_str()).then_some(candidate);
    let player = tag("twitter:player")
        .and_then(|player| web_address(url, player))
        .map(|player| {
            let size = |name| {
                tag(name)
                    .and_then(|value| value.trim().parse::<i64>().ok())
                    .unwrap_or(0)
            };
            (
                player,
                size("twitter:player:width"),
                size("twitter:player:height"),
            )
        });
    PageDetails {
        title: data
            .headline
            .as_deref()
            .or(tag("og:title"))
            .or(title.as_deref())
            .and_then(|text| clean_text(text, TITLE_LIMIT)),
        description: data
            .description
            .as_deref()
            .or(tag("og:description"))
            .or(named.get("description").map(String::as_str))
            .and_then(|text| clean_text(text, DESCRIPTION_LIMIT)),
        image: tag("og:image").and_then(|image| web_address(url, image)),
        image_description: tag("og:image:alt").and_then(|text| clean_text(text, TITLE_LIMIT)),
        canonical_url: canonical
            .as_deref()
            .or(tag("og:url"))
            .and_then(|address| web_address(url, address))
            .and_then(same_host),
        site_name: data
            .publisher_name
            .as_deref()
            .or(tag("og:site_name"))
            .and_then(|text| clean_text(text, TITLE_LIMIT)),
        site_url: tag("og:site").and_then(|site| {
            let site = site.trim();
            if site.starts_with("http://") || site.starts_with("https://") {
                web_address(url, site)
            } else {
                web_address(url, &format!("http://{site}"))
            }
        }),
        author_name: data
            .author_name
            .as_deref()
            .or(tag("og:author"))
            .or(tag("og:author:username"))
            .and_then(|text| clean_text(text, TITLE_LIMIT)),
        author_url: data
            .author_url
            .as_deref()
            .and_then(|address| web_address(url, address)),
        published_at: data
            .date_published
            .as_deref()
            .or(tag("article:published_time"))
            .map(|date| date.trim().to_owned()),
        language: data
            .language
            .as_deref()
            .or(tag("og:locale"))
            .or(html_lang.as_deref())
            .and_then(language_code),
        player,
        stream: tag("twitter:player:stream").and_then(|stream| web_address(url, stream)),
        oembed,
    }
}

/// What Mastodon reads of a page's JSON-LD: the first object of a type it knows.
#[derive(Debug, Default)]
struct StructuredData {
    headline: Option<String>,
    description: Option<String>,
    author_name: Option<String>,
    author_url: Option<String>,
    publisher_name: Option<String>,
    date_published: Option<String>,
    language: Option<String>,
}

impl StructuredData {
    const TYPES: [&str; 5] = [
        "NewsArticle",
        "Article",
        "BlogPosting",
        "WebPage",
        "ReportageNewsArticle",
    ];

    fn read(text: &str) -> Option<StructuredData> {
        // Some pages wrap it in CDATA markers or HTML comments.
        let text = text
            .trim()
            .trim_start_matches("//<![CDATA[")
            .trim_end_matches("//]]>")
            .trim();
        let json: Value = serde_json::from_str(text).ok()?;
        let candidates: Vec<&Value> = match &json {
            Value::Array(items) => items.iter().collect(),
            Value::Object(object) => match object.get("@graph") {
                Some(Value::Array(items)) => items.iter().collect(),
                _ => vec![&json],
            },
            _ => Vec::new(),
        };
        let found = candidates.into_iter().find(|item| {
            let kind = &item["@type"];
            Self::TYPES.iter().any(|known| {
                kind.as_str() == Some(known)
                    || kind
                        .as_array()
                        .is_some_and(|kinds| kinds.iter().any(|k| k.as_str() == Some(known)))
            })
        })?;
        let first = |value: &Value| match value {
            Value::Array(items) => items.first().cloned().unwrap_or(Value::Null),
            other => other.clone(),
        };
        let text_of = |value: &Value| value.as_str().map(str::to_owned);
        let author = first(&found["author"]);
        let publisher = first(&found["publisher"]);
        Some(StructuredData {
            headline: text_of(&found["headline"]),
            description: text_of(&found["description"]),
            author_name: text_of(&author["name"]).or_else(|| text_of(&author)),
            author_url: text_of(&author["url"]),
            publisher_name: text_of(&publisher["name"]),
            date_published: text_of(&found["datePublished"]),
            language: text_of(&found["inLanguage"])
                .or_else(|| text_of(&found["inLanguage"]["name"])),
        })
    }
}

/// The link of a post to preview: the first link of its HTML that is neither a mention (of
/// `mentioned`, or marked as one) nor a hashtag, that leads to http(s) and not to this server
/// (`local_host`, host and port as in ids).
pub fn first_link(content: &str, mentioned: &[String], local_host: &str) -> Option<Url> {
    pieces(content).into_iter().find_map(|piece| {
        let Piece::Start(name, attributes) = piece else {
            return None;
        };
        if name != "a" {
            return None;
        }
        let get = |key| Piece::attribute(&attributes, key);
        let href = get("href")?;
        let rel = get("rel").unwrap_or_default();
        let class = get("class").unwrap_or_default();
        if rel
            .split_whitespace()
            .any(|token| token.eq_ignore_ascii_case("tag"))
            || class
                .split_whitespace()
                .any(|token| matches!(token, "mention" | "hashtag" | "u-url" | "h-card"))
            || mentioned.iter().any(|address| address == href)
        {
            return None;
        }
        let url = Url::parse(href.trim()).ok()?;
        let host = url.host_str()?;
        let authority = match url.port() {
            Some(port) => format!("{host}:{port}"),
            None => host.to_owned(),
        };
        (matches!(url.scheme(), "http" | "https")
            && !authority.eq_ignore_ascii_case(local_host)
            && !host.eq_ignore_ascii_case(local_host))
        .then_some(url)
    })
}

/// The one element an embed may be: an `<iframe>` of an allowed host, written anew by us (so
/// nothing else of the given HTML survives: no script, no handler, no style), sandboxed.
/// `None` when `html` holds no such iframe.
pub fn embed_iframe(
    html: &str,
    base: &Url,
    allowed_hosts: &[String],
) -> Option<(String, i64, i64)> {
    pieces(html).into_iter().find_map(|piece| {
        let Piece::Start(name, attributes) = piece else {
            return None;
        };
        if name != "iframe" {
            return None;
        }
        let get = |key| Piece::attribute(&attributes, key);
        let source = web_address(base, get("src")?)?;
        let size = |key| {
            get(key)
                .and_then(|value| value.trim().parse::<i64>().ok())
                .filter(|value| (0..=4096).contains(value))
                .unwrap_or(0)
        };
        player_iframe(&source, size("width"), size("height"), allowed_hosts)
            .map(|html| (html, size("width"), size("height")))
    })
}

/// An `<iframe>` showing `source`, when its host is allowed.
pub fn player_iframe(
    source: &Url,
    width: i64,
    height: i64,
    allowed_hosts: &[String],
) -> Option<String> {
    let host = source.host_str()?;
    let allowed = allowed_hosts.iter().any(|allowed| {
        allowed.eq_ignore_ascii_case(host)
            || source
                .port()
                .is_some_and(|port| allowed.eq_ignore_ascii_case(&format!("{host}:{port}")))
    });
    allowed.then(|| {
        format!(
            "<iframe src=\"{}\" width=\"{width}\" height=\"{height}\" frameborder=\"0\" \
             allowfullscreen=\"true\" sandbox=\"allow-scripts allow-same-origin allow-popups \
             allow-popups-to-escape-sandbox\"></iframe>",
            crate::html::escape(source.as_str())
        )
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    fn page() -> Url {
        Url::parse("https://news.example/articles/1?ref=x").unwrap()
    }

    #[test]
    fn opengraph_wins_over_title_and_addresses_are_made_absolute() {
        let details = read_page(
            r#"<!doctype html><html lang="fr-CA"><head><title>Plain &amp; title</title>
            <meta property="og:title" content="The &quot;real&quot; title">
            <meta property="og:title" content="A second one">
            <meta name="description" content="  Spread
               over lines ">
            <meta property="og:image" content="/img/cover.png">
            <meta property="og:image:alt" content="A cover">
            <meta property="og:site_name" content="News">
            <link rel="canonical" href="https://news.example/articles/1">
            <link rel="alternate" type="application/json+oembed" href="/oembed?url=1">
            <script>var x = "<meta property='og:description' content='from a script'>";</script>
            </head><body></body></html>"#,
            &page(),
        );
        assert_eq!(details.title.as_deref(), Some("The \"real\" title"));
        assert_eq!(details.description.as_deref(), Some("Spread over lines"));
        assert_eq!(
            details.image.unwrap().as_str(),
            "https://news.example/img/cover.png"
        );
        assert_eq!(details.image_description.as_deref(), Some("A cover"));
        assert_eq!(details.site_name.as_deref(), Some("News"));
        assert_eq!(details.language.as_deref(), Some("fr"));
        assert_eq!(
            details.canonical_url.unwrap().as_str(),
            "https://news.example/articles/1"
        );
        assert_eq!(
            details.oembed.unwrap().as_str(),
            "https://news.example/oembed?url=1"
        );
    }

    #[test]
    fn json_ld_and_fallbacks() {
        let details = read_page(
            r#"<title>Fallback</title><meta property="og:url" content="https://elsewhere.example/x">
            <meta property="og:image" content="javascript:alert(1)">
            <script type="application/ld+json">{"@graph":[{"@type":"Person"},
              {"@type":"NewsArticle","headline":"From JSON-LD","author":[{"name":"Ada","url":"/ada"}],
               "publisher":{"name":"Daily"},"datePublished":"2026-01-02T03:04:05Z","inLanguage":"de"}]}</script>"#,
            &page(),
        );
        assert_eq!(details.title.as_deref(), Some("From JSON-LD"));
        assert_eq!(details.author_name.as_deref(), Some("Ada"));
        assert_eq!(
            details.author_url.unwrap().as_str(),
            "https://news.example/ada"
        );
        assert_eq!(details.site_name.as_deref(), Some("Daily"));
        assert_eq!(
            details.published_at.as_deref(),
            Some("2026-01-02T03:04:05Z")
        );
        assert_eq!(details.language.as_deref(), Some("de"));
        assert_eq!(details.image, None, "only http(s) images");
        assert_eq!(
            details.canonical_url, None,
            "another host is not the page's own address"
        );
        let plain = read_page("<title>\n  Only a title\n</title>", &page());
        assert_eq!(plain.title.as_deref(), Some("Only a title"));
        assert_eq!(plain.description, None);
    }

    #[test]
    fn the_first_link_skips_mentions_hashtags_and_local_addresses() {
        let content = r#"<p><span class="h-card"><a href="https://remote.example/@bob" class="u-url mention">@<span>bob</span></a></span>
            <a href="https://remote.example/users/carol">@carol</a>
            <a href="https://here.example/tags/rust" class="mention hashtag" rel="tag">#rust</a>
            <a href="https://here.example/@alice/1">mine</a>
            <a href="ftp://files.example/x">ftp</a>
            <a href="https://news.example/articles/1" rel="nofollow noopener">news</a>
            <a href="https://other.example/">other</a></p>"#;
        let mentioned = vec!["https://remote.example/users/carol".to_owned()];
        assert_eq!(
            first_link(content, &mentioned, "here.example")
                .unwrap()
                .as_str(),
            "https://news.example/articles/1"
        );
        assert_eq!(first_link("<p>no links</p>", &[], "here.example"), None);
        assert_eq!(
            first_link(
                r#"<a href="http://127.0.0.1:9000/x">me</a>"#,
                &[],
                "127.0.0.1:9000"
            ),
            None
        );
    }

    #[test]
    fn an_embed_keeps_only_an_iframe_of_an_allowed_host() {
        let allowed = vec!["video.example".to_owned()];
        let hostile = r#"<script>alert(1)</script><iframe src="https://video.example/embed/1" width="560" height="315" onload="alert(2)" style="position:fixed"></iframe><img src=x onerror=alert(3)>"#;
        let (html, width, height) = embed_iframe(hostile, &page(), &allowed).unwrap();
        assert_eq!((width, height), (560, 315));
        assert!(
            html.starts_with("<iframe src=\"https://video.example/embed/1\""),
            "{html}"
        );
        assert!(html.contains("sandbox="), "{html}");
        for banned in ["<script", "alert", "onload", "onerror", "style=", "<img"] {
            assert!(!html.contains(banned), "{banned} in {html}");
        }
        assert_eq!(
            embed_iframe(
                r#"<iframe src="https://evil.example/x"></iframe>"#,
                &page(),
                &allowed
            ),
            None
        );
        assert_eq!(
            embed_iframe(
                r#"<iframe src="javascript:alert(1)"></iframe>"#,
                &page(),
                &allowed
            ),
            None
        );
        assert_eq!(embed_iframe("<p>no frame</p>", &page(), &allowed), None);
    }
}
