//! Plain text to HTML for local statuses, the way Mastodon's `TextFormatter` renders them.
//!
//! A local status is stored as the text its author typed; what clients and other servers see is
//! the HTML made here: everything escaped, links, mentions and hashtags linked, then paragraphs
//! and line breaks. Mastodon finds those entities with twitter-text's extractor as amended by
//! `app/lib/extractor.rb` and `config/initializers/twitter_regex.rb`, using `Account::MENTION_RE`
//! and `Tag::HASHTAG_RE`; this module follows the same rules, written out by hand instead of as
//! regular expressions, so that a status reads the same here as on Mastodon.
//! [`count_characters`] is `StatusLengthValidator`'s count, over the same entities.
//!
//! This module looks nothing up: the caller finds the mentions with [`scan`], resolves them (one
//! query) and passes a resolver. It does not strip the text either: Mastodon strips a status's
//! text before storing it (`Status#prepare_contents`), and the caller should do the same.
//!
//! Where Woolly differs from Mastodon, on purpose:
//! - Mastodon links a URL only if its host ends in a top-level domain on twitter-text's list.
//!   Here any plausible last label will do (ASCII letters and digits, or non-ASCII letters for
//!   IDN top-level domains), so new TLDs and IP addresses (`http://127.0.0.1:3000/`) link too;
//!   a host without a dot (`http://localhost/`) still does not, as on Mastodon.
//! - A mention's domain may carry a port (`@alice@localhost:3000`), which `MENTION_RE` does not
//!   allow: development and test instances live on `host:port`.
//! - twitter-text also matches URLs without a protocol and then drops them, which can swallow a
//!   real URL written right after one (`example.com/https://example.org`); not reproduced. Nor
//!   are t.co's special truncation and the `xmpp://node@domain/` authority form.

use std::collections::HashSet;
use std::fmt::{self, Write as _};

use unicode_properties::{GeneralCategory, GeneralCategoryGroup, UnicodeGeneralCategory};
use unicode_segmentation::UnicodeSegmentation;

use crate::html::Escaped;
use crate::urls::Urls;

/// An account a mention may point at, resolved by the caller.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MentionTarget {
    /// `user` for a local account, `user@domain` for a remote one (Mastodon's `pretty_acct`),
    /// shown instead of the username when two mentioned accounts share a username.
    pub acct: String,
    /// The profile page the mention links to.
    pub url: String,
    /// The username shown in the link.
    pub username: String,
}

/// A status's text as HTML, with the mentions and hashtags found in it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Rendered {
    /// The HTML, `""` for a blank text (Mastodon's content of a media-only post).
    pub html: String,
    /// Each mention written, resolved or not, as [`scan`] returns them.
    pub mentions: Vec<String>,
    /// Each hashtag written, as [`scan`] returns them.
    pub tags: Vec<String>,
}

/// What a URL counts as against the character limit, whatever its length
/// (`StatusLengthValidator::URL_PLACEHOLDER_CHARS`).
const URL_PLACEHOLDER_LENGTH: usize = 23;
/// Characters of a URL shown after its `https://www.` before the ellipsis (`TextFormatter`).
const DISPLAY_URL_LENGTH: usize = 30;
/// twitter-text's `MAX_URL_LENGTH`: a longer URL stays text.
const MAX_URL_LENGTH: usize = 4096;
/// `Extractor::MAX_DOMAIN_LENGTH`: a mention of a longer domain stays text.
const MAX_DOMAIN_LENGTH: usize = 253;
/// The protocols Mastodon links (`twitter_regex.rb`'s `valid_url`), longest spelling first.
const PROTOCOLS: [&str; 9] = [
    "https", "http", "dat", "dweb", "ipfs", "ipns", "ssb", "gopher", "gemini",
];
/// What a link hides before its shown part (`TextFormatter::URL_PREFIX_REGEX`, case-sensitive).
const URL_PREFIXES: [&str; 5] = [
    "https://www.",
    "http://www.",
    "https://",
    "http://",
    "xmpp:",
];

/// Renders a status's plain text to HTML as Mastodon's `TextFormatter#to_s` does.
///
/// Hashtags link to their page on this server ([`Urls::tag`]). `resolve` gets each
/// mention candidate once, as [`scan`] spells it (`user` or `user@domain`); it must treat this
/// server's own domain as local, as Mastodon does. A mention it returns `None` for stays plain
/// text, as Mastodon leaves a mention of an unknown account.
pub fn render_plain_text(
    text: &str,
    urls: &Urls,
    resolve: &dyn Fn(&str) -> Option<MentionTarget>,
) -> Rendered {
    let chars = Chars::new(text);
    let entities = extract_entities(&chars);
    let (mentions, tags) = entity_names(&entities);
    let mut html = String::new();
    if !is_blank(text) {
        let targets: Vec<(String, MentionTarget)> = mentions
            .iter()
            .filter_map(|acct| resolve(acct).map(|target| (acct.to_lowercase(), target)))
            .collect();
        // Writing to a `String` cannot fail.
        let _ = write_entities(&mut html, &chars, &entities, urls, &targets);
        html = format_paragraphs(&html);
    }
    Rendered {
        html,
        mentions,
        tags,
    }
}

/// The mentions and hashtags [`render_plain_text`] would find, without rendering, so that the
/// caller can resolve every account in one query first.
///
/// Mentions come as `user` or `user@domain`, the domain lowercased (with its port if written);
/// hashtags as written, without `#`. Both keep their first spelling, in order, deduplicated
/// case-insensitively.
pub fn scan(text: &str) -> (Vec<String>, Vec<String>) {
    entity_names(&extract_entities(&Chars::new(text)))
}

/// The custom emoji shortcodes in a text (`:blobcat:` gives `blobcat`), as Mastodon's
/// `CustomEmoji::SCAN_RE` finds them: two or more of `[A-Za-z0-9_]` between colons, with no
/// letter, digit or colon right outside them. Deduplicated, in order.
pub fn emoji_shortcodes(text: &str) -> Vec<String> {
    let chars: Vec<char> = text.chars().collect();
    let outside_ok = |index: Option<usize>| {
        index
            .and_then(|index| chars.get(index))
            .is_none_or(|c| !(c.is_alphanumeric() || *c == ':'))
    };
    let mut found: Vec<String> = Vec::new();
    let mut start = 0;
    while start < chars.len() {
        if chars[start] != ':' || !outside_ok(start.checked_sub(1)) {
            start += 1;
            continue;
        }
        let name_end = chars[start + 1..]
            .iter()
            .position(|c| !(c.is_ascii_alphanumeric() || *c == '_'))
            .map_or(chars.len(), |offset| start + 1 + offset);
        let closed = chars.get(name_end) == Some(&':');
        if closed && name_end - start > 2 && outside_ok(Some(name_end + 1)) {
            let name: String = chars[start + 1..name_end].iter().collect();
            if !found.contains(&name) {
                found.push(name);
            }
            start = name_end + 1;
        } else {
            start += 1;
        }
    }
    found
}

/// The length of a status's text as Mastodon's `StatusLengthValidator` counts it against
/// `max_characters`: in grapheme clusters, with every URL counting as 23 and a mention of
/// `@user@domain` as `@user`. A blank text counts 0.
///
/// Mastodon adds the content warning's length to this, counted as plain graphemes (no URL or
/// mention rule applies there).
pub fn count_characters(text: &str) -> usize {
    if is_blank(text) {
        return 0;
    }
    let chars = Chars::new(text);
    // Only URLs and mentions count differently, so only they compete for overlaps here.
    let mut entities = Vec::new();
    find_all(&chars, &mut entities, url_at);
    find_all(&chars, &mut entities, mention_at);
    let mut countable = String::with_capacity(text.len());
    let mut last = 0;
    for entity in remove_overlapping(entities) {
        countable.push_str(chars.slice(last, entity.start));
        match &entity.kind {
            Kind::Mention(screen_name) => {
                countable.push('@');
                countable.push_str(screen_name.split('@').next().unwrap_or(screen_name));
            }
            Kind::Url | Kind::Hashtag(_) => countable.push_str(&"x".repeat(URL_PLACEHOLDER_LENGTH)),
        }
        last = entity.end;
    }
    countable.push_str(chars.slice(last, chars.len()));
    countable.graphemes(true).count()
}

/// What an entity is; its text is the span it covers.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Kind {
    Url,
    /// The name, without `#`.
    Hashtag(String),
    /// Mastodon's `screen_name`: `user` or `user@domain`, as written.
    Mention(String),
}

/// A URL, hashtag or mention found in the text, over the characters `start..end`.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Entity {
    start: usize,
    end: usize,
    kind: Kind,
}

/// The text as characters, since Mastodon's rules look one character behind and ahead, with each
/// character's byte offset to slice the text back out.
struct Chars<'a> {
    text: &'a str,
    chars: Vec<char>,
    offsets: Vec<usize>,
}

impl<'a> Chars<'a> {
    fn new(text: &'a str) -> Self {
        let (offsets, chars) = text.char_indices().unzip();
        Self {
            text,
            chars,
            offsets,
        }
    }

    fn len(&self) -> usize {
        self.chars.len()
    }

    fn get(&self, index: usize) -> Option<char> {
        self.chars.get(index).copied()
    }

    fn before(&self, index: usize) -> Option<char> {
        index.checked_sub(1).and_then(|previous| self.get(previous))
    }

    fn slice(&self, start: usize, end: usize) -> &'a str {
        let byte = |index: usize| self.offsets.get(index).copied().unwrap_or(self.text.len());
        self.text.get(byte(start)..byte(end)).unwrap_or_default()
    }

    /// Where the run of characters `accept` takes, starting at `from`, ends.
    fn run_end(&self, from: usize, accept: impl Fn(char) -> bool) -> usize {
        let mut end = from;
        while self.get(end).is_some_and(&accept) {
            end += 1;
        }
        end
    }

    /// Whether `ascii` is written at `at`, in any case.
    fn matches_at(&self, at: usize, ascii: &str) -> bool {
        let mut expected = ascii.chars().enumerate();
        expected.all(|(offset, e)| {
            self.get(at + offset)
                .is_some_and(|c| c.eq_ignore_ascii_case(&e))
        })
    }
}

/// `Extractor.extract_entities_with_indices`: URLs, hashtags, mentions and `xmpp:`/`magnet:`
/// URIs, the first of overlapping ones kept.
fn extract_entities(chars: &Chars) -> Vec<Entity> {
    let mut entities = Vec::new();
    for find in [url_at, hashtag_at, mention_at, extra_uri_at] {
        find_all(chars, &mut entities, find);
    }
    remove_overlapping(entities)
}

/// Every entity `find` sees, looking on after each one found, as Ruby's `String#scan` does.
fn find_all(chars: &Chars, entities: &mut Vec<Entity>, find: fn(&Chars, usize) -> Option<Entity>) {
    let mut index = 0;
    while index < chars.len() {
        match find(chars, index) {
            Some(entity) => {
                index = entity.end.max(index + 1);
                entities.push(entity);
            }
            None => index += 1,
        }
    }
}

/// twitter-text's `remove_overlapping_entities`: by start, dropping any that begins inside the
/// last one kept.
fn remove_overlapping(mut entities: Vec<Entity>) -> Vec<Entity> {
    entities.sort_by_key(|entity| entity.start);
    let mut kept: Vec<Entity> = Vec::with_capacity(entities.len());
    for entity in entities {
        if kept
            .last()
            .is_none_or(|previous| previous.end <= entity.start)
        {
            kept.push(entity);
        }
    }
    kept
}

/// The deduplicated mention accts and hashtag names of `entities`, for [`scan`].
fn entity_names(entities: &[Entity]) -> (Vec<String>, Vec<String>) {
    let (mut mentions, mut tags) = (Vec::new(), Vec::new());
    let (mut seen_mentions, mut seen_tags) = (HashSet::new(), HashSet::new());
    for entity in entities {
        match &entity.kind {
            Kind::Mention(screen_name) => {
                let acct = normalize_acct(screen_name);
                if seen_mentions.insert(acct.to_lowercase()) {
                    mentions.push(acct);
                }
            }
            Kind::Hashtag(name) if seen_tags.insert(name.to_lowercase()) => tags.push(name.clone()),
            Kind::Hashtag(_) | Kind::Url => {}
        }
    }
    (mentions, tags)
}

/// `user@Domain` → `user@domain`: domains are case-insensitive, and the resolver looks them up
/// in the form they are stored.
fn normalize_acct(screen_name: &str) -> String {
    match screen_name.split_once('@') {
        Some((username, domain)) => format!("{username}@{}", domain.to_lowercase()),
        None => screen_name.to_owned(),
    }
}

/// Rails' `blank?`: nothing but whitespace.
fn is_blank(text: &str) -> bool {
    text.chars().all(char::is_whitespace)
}

// --- Character classes, as Mastodon's expressions spell them -----------------------------------

/// Onigmo's `[[:word:]]` on Unicode text: letters, marks, decimal digits, connector punctuation.
pub(crate) fn is_word(c: char) -> bool {
    is_alpha(c)
        || matches!(
            c.general_category(),
            GeneralCategory::DecimalNumber | GeneralCategory::ConnectorPunctuation
        )
}

/// Onigmo's `[[:alpha:]]` on Unicode text: letters and marks.
fn is_alpha(c: char) -> bool {
    c.is_alphabetic() || c.general_category_group() == GeneralCategoryGroup::Mark
}

/// `Tag::HASHTAG_SEPARATORS`: underscore, middle dots (Catalan, Japanese) and the zero-width
/// non-joiner Persian words need.
fn is_hashtag_separator(c: char) -> bool {
    matches!(c, '_' | '\u{b7}' | '\u{30fb}' | '\u{200c}')
}

/// twitter-text's `DOMAIN_VALID_CHARS`: anything but ASCII punctuation, spaces and controls.
fn is_domain_char(c: char) -> bool {
    !(c.is_ascii_punctuation()
        || c.is_ascii_control()
        || c.is_whitespace()
        || "\u{180e}\u{fffe}\u{feff}\u{ffff}".contains(c))
}

/// twitter-text's `valid_url_preceding_chars`: a URL glued to a word, `@`, `$` or `#` is not one.
fn can_precede_url(c: char) -> bool {
    !c.is_ascii_alphanumeric() && !"@＠$#＃\u{fffe}\u{feff}\u{ffff}".contains(c)
}

/// Mastodon's `valid_general_url_path_chars`.
fn is_path_char(c: char) -> bool {
    !c.is_whitespace() && !"<>()?".contains(c)
}

/// Mastodon's `valid_url_path_ending_chars`: sentence punctuation after a link is not part of it.
fn can_end_path(c: char) -> bool {
    is_path_char(c) && !"!*\"'「」;:=,.$%[]~&|@".contains(c)
}

/// Mastodon's `valid_url_query_chars`.
fn is_query_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || "!?*'();:&=+$/%#[]-_.,~|@^".contains(c) || is_uri_unicode(c)
}

/// Mastodon's `valid_url_query_ending_chars`.
fn can_end_query(c: char) -> bool {
    c.is_ascii_alphanumeric() || "_&=#/-".contains(c) || is_uri_unicode(c)
}

/// `twitter_regex.rb`'s `UCHARS`, RFC 3987's `ucschar` and `iprivate`: non-ASCII characters a
/// query may hold, all but the noncharacters and the tag block.
fn is_uri_unicode(c: char) -> bool {
    let code = u32::from(c);
    code >= 0xa0
        && !(0xfdd0..=0xfdef).contains(&code)
        && !(0xfff0..=0xffff).contains(&code)
        && !(0xe0000..0xe1000).contains(&code)
        && (code < 0x10000 || code & 0xffff < 0xfffe)
}

/// twitter-text's `latin_accents`: a mention followed by one (`@josé`) was cut short, so it is
/// not one.
fn is_latin_accent(c: char) -> bool {
    matches!(u32::from(c),
        0xc0..=0xd6 | 0xd8..=0xf6 | 0xf8..=0x24f | 0x253..=0x254 | 0x256..=0x257 | 0x259 | 0x25b
        | 0x263 | 0x268 | 0x26f | 0x272 | 0x289 | 0x28b | 0x2bb | 0x300..=0x36f | 0x1e00..=0x1eff)
}

/// twitter-text's `validate_url_unreserved`, percent signs and `sub_delims` but `&'`: what an
/// `xmpp:` node may hold.
fn is_xmpp_node_char(c: char) -> bool {
    c.is_ascii_alphanumeric()
        || matches!(u32::from(c), 0x400..=0x52f)
        || "-._~%!$()*+,;=".contains(c)
}

// --- URLs --------------------------------------------------------------------------------------

/// The URL starting at `start`, by Mastodon's `valid_url` with a protocol (twitter-text's
/// `extract_urls_with_indices(text, extract_url_without_protocol: false)`).
fn url_at(chars: &Chars, start: usize) -> Option<Entity> {
    if !chars.before(start).is_none_or(can_precede_url) {
        return None;
    }
    let host = PROTOCOLS.iter().find_map(|protocol| {
        let colon = start + protocol.len();
        (chars.matches_at(start, protocol) && chars.matches_at(colon, "://")).then_some(colon + 3)
    })?;
    let mut end = domain_end(chars, host)?;
    let port_end = chars.run_end(end + 1, |c| c.is_ascii_digit());
    if chars.get(end) == Some(':') && port_end > end + 1 {
        end = port_end;
    }
    if chars.get(end) == Some('/') {
        end = path_end(chars, end + 1);
    }
    end = query_end(chars, end).unwrap_or(end);
    (end - start <= MAX_URL_LENGTH).then_some(Entity {
        start,
        end,
        kind: Kind::Url,
    })
}

/// The end of the host starting at `from`: labels of domain characters (with inner `-` and
/// `_`) joined by dots, at least two, the last a plausible top-level domain. The longest such
/// host wins, as twitter-text's greedy `valid_domain` does.
fn domain_end(chars: &Chars, from: usize) -> Option<usize> {
    let mut found = None;
    let mut label_start = from;
    loop {
        let label_end = chars.run_end(label_start, |c| is_domain_char(c) || c == '-' || c == '_');
        if label_start > from {
            found = top_level_domain_end(chars, label_start).or(found);
        }
        let is_label = chars.get(label_start).is_some_and(is_domain_char)
            && chars.before(label_end).is_some_and(is_domain_char);
        if !is_label || chars.get(label_end) != Some('.') {
            return found;
        }
        label_start = label_end + 1;
    }
}

/// The end of a top-level domain starting at `from`: ASCII letters and digits with inner
/// hyphens (`com`, `xn--p1ai`), or non-ASCII letters (`みんな`); so `https://example.comは` links
/// `https://example.com`. Like twitter-text's, it may not run on into `@`, `+` or `-`.
fn top_level_domain_end(chars: &Chars, from: usize) -> Option<usize> {
    let end = if chars.get(from)?.is_ascii_alphanumeric() {
        chars.run_end(from, |c| c.is_ascii_alphanumeric() || c == '-')
    } else {
        chars.run_end(from, |c| !c.is_ascii() && is_domain_char(c))
    };
    let runs_on = chars
        .get(end)
        .is_some_and(|c| c.is_ascii_alphanumeric() || "@+-".contains(c));
    (end > from && chars.before(end) != Some('-') && !runs_on).then_some(end)
}

/// The end of a path whose first character is at `from` (just after its `/`): path characters
/// and balanced parentheses, cut back to the last character a path may end with.
fn path_end(chars: &Chars, from: usize) -> usize {
    let (mut index, mut end) = (from, from);
    loop {
        match chars.get(index) {
            Some('(') => match balanced_parentheses_end(chars, index) {
                Some(after) => (index, end) = (after, after),
                None => return end,
            },
            Some(c) if is_path_char(c) => {
                index += 1;
                if can_end_path(c) {
                    end = index;
                }
            }
            _ => return end,
        }
    }
}

/// `valid_url_balanced_parens`: `(text)`, or one nested level `(a(b)c)`, as in Wikipedia's
/// `Diaspora_(software)`.
fn balanced_parentheses_end(chars: &Chars, open: usize) -> Option<usize> {
    let index = chars.run_end(open + 1, is_path_char);
    match chars.get(index)? {
        ')' if index > open + 1 => Some(index + 1),
        '(' => {
            let inner_end = chars.run_end(index + 1, is_path_char);
            if inner_end == index + 1 || chars.get(inner_end) != Some(')') {
                return None;
            }
            let close = chars.run_end(inner_end + 1, is_path_char);
            (chars.get(close) == Some(')')).then_some(close + 1)
        }
        _ => None,
    }
}

/// The end of the query whose `?` is at `at`, if one is there and it has a character a query may
/// end with.
fn query_end(chars: &Chars, at: usize) -> Option<usize> {
    if chars.get(at) != Some('?') {
        return None;
    }
    let mut end = None;
    let mut index = at + 1;
    while let Some(c) = chars.get(index).filter(|&c| is_query_char(c)) {
        index += 1;
        if can_end_query(c) {
            end = Some(index);
        }
    }
    end
}

/// The `xmpp:[node@]domain[/resource][?query]` or `magnet:?query` URI starting at `start`, which
/// Mastodon links too (`Extractor.extract_extra_uris_with_indices`).
fn extra_uri_at(chars: &Chars, start: usize) -> Option<Entity> {
    if !chars.before(start).is_none_or(can_precede_url) {
        return None;
    }
    let end = if chars.matches_at(start, "magnet:") {
        query_end(chars, start + 7)?
    } else if chars.matches_at(start, "xmpp:") {
        let node_end = chars.run_end(start + 5, is_xmpp_node_char);
        let has_node = node_end > start + 5 && chars.get(node_end) == Some('@');
        let mut end = domain_end(chars, if has_node { node_end + 1 } else { start + 5 })?;
        let resource_end = chars.run_end(end + 1, |c| is_xmpp_node_char(c) || "&'".contains(c));
        if chars.get(end) == Some('/') && resource_end > end + 1 {
            end = resource_end;
        }
        query_end(chars, end).unwrap_or(end)
    } else {
        return None;
    };
    Some(Entity {
        start,
        end,
        kind: Kind::Url,
    })
}

// --- Mentions and hashtags ---------------------------------------------------------------------

/// The mention starting at `start`, by `Account::MENTION_RE` and twitter-text's checks
/// (`Extractor.extract_mentions_or_lists_with_indices`): `@user` or `@user@domain`, not right
/// after `=`, `/` or a word character (so not in an email address or a URL), and not cut short.
fn mention_at(chars: &Chars, start: usize) -> Option<Entity> {
    let is_glued = || {
        chars
            .before(start)
            .is_some_and(|c| c == '=' || c == '/' || is_word(c))
    };
    if chars.get(start) != Some('@') || is_glued() {
        return None;
    }
    let username_end =
        separated_run_end(chars, start + 1, |c| c.is_ascii_alphanumeric() || c == '_')?;
    let domain_end = (chars.get(username_end) == Some('@'))
        .then(|| separated_run_end(chars, username_end + 1, is_word))
        .flatten();
    let mut end = domain_end.unwrap_or(username_end);
    // Woolly: a port after the domain (module docs).
    let port_end = chars.run_end(end + 1, |c| c.is_ascii_digit());
    if domain_end.is_some() && chars.get(end) == Some(':') && port_end > end + 1 {
        end = port_end;
    }
    // twitter-text's `end_mention_match`: `@josé`, `@user@` and `@user://` were cut short.
    let is_cut_short = chars
        .get(end)
        .is_some_and(|c| "@＠".contains(c) || is_latin_accent(c))
        || chars.matches_at(end, "://");
    let domain_length = domain_end.map_or(0, |domain_end| domain_end - username_end - 1);
    let screen_name = chars.slice(start + 1, end).to_owned();
    (!is_cut_short && domain_length <= MAX_DOMAIN_LENGTH).then_some(Entity {
        start,
        end,
        kind: Kind::Mention(screen_name),
    })
}

/// The end of `core+([.-]+core+)*` starting at `from`: a run of `core` characters, dots and
/// hyphens that starts and ends with a `core` one.
fn separated_run_end(chars: &Chars, from: usize, core: fn(char) -> bool) -> Option<usize> {
    if !chars.get(from).is_some_and(core) {
        return None;
    }
    let mut end = chars.run_end(from, |c| core(c) || c == '.' || c == '-');
    while !chars.before(end).is_some_and(core) {
        end -= 1;
    }
    Some(end)
}

/// The hashtag starting at `start`, by `Tag::HASHTAG_RE` (`Extractor.extract_hashtags_with_
/// indices`): `#name` or `＃name` at the start or after whitespace, so never inside a word or URL.
fn hashtag_at(chars: &Chars, start: usize) -> Option<Entity> {
    if !"#＃".contains(chars.get(start)?) || !chars.before(start).is_none_or(char::is_whitespace) {
        return None;
    }
    let mut end = hashtag_name_end(chars, start + 1)?;
    let mut name = chars.slice(start + 1, end);
    // `#tag` glued to a URL (`#taghttps://…`) leaves the protocol out of the tag.
    if chars.matches_at(end, "://") {
        let protocols = ["https", "http"].into_iter();
        if let Some(rest) = protocols
            .filter_map(|p| name.strip_suffix(p))
            .find(|r| !r.is_empty())
        {
            end -= name.len() - rest.len(); // ASCII: as many characters as bytes
            name = rest;
        }
    }
    Some(Entity {
        start,
        end,
        kind: Kind::Hashtag(name.to_owned()),
    })
}

/// The end of the hashtag name starting at `from`, by `Tag::HASHTAG_NAME_PAT`: either word
/// characters and separators that start and end with a word character and hold a letter or a
/// separator in between (`one·two`), or word characters holding a letter (`3d`, not `123`).
fn hashtag_name_end(chars: &Chars, from: usize) -> Option<usize> {
    let holds = |range: std::ops::Range<usize>, class: fn(char) -> bool| {
        range
            .into_iter()
            .any(|index| chars.get(index).is_some_and(class))
    };
    let run_end = chars.run_end(from, |c| is_word(c) || is_hashtag_separator(c));
    let last_word = (from..run_end)
        .rev()
        .find(|&index| chars.get(index).is_some_and(is_word));
    if let Some(last_word) = last_word
        && chars.get(from).is_some_and(is_word)
        && last_word >= from + 2
        && holds(from + 1..last_word, |c| {
            is_alpha(c) || is_hashtag_separator(c)
        })
    {
        return Some(last_word + 1);
    }
    let word_end = chars.run_end(from, is_word);
    holds(from..word_end, is_alpha).then_some(word_end)
}

// --- HTML --------------------------------------------------------------------------------------

/// `TextFormatter#rewrite`: the text escaped, each entity replaced by its link.
fn write_entities(
    html: &mut String,
    chars: &Chars,
    entities: &[Entity],
    urls: &Urls,
    targets: &[(String, MentionTarget)],
) -> fmt::Result {
    let mut last = 0;
    for entity in entities {
        write!(html, "{}", Escaped(chars.slice(last, entity.start)))?;
        let text = chars.slice(entity.start, entity.end);
        match &entity.kind {
            Kind::Url => write_link(html, text)?,
            Kind::Hashtag(name) => write_hashtag(html, urls, name)?,
            Kind::Mention(screen_name) => {
                let key = normalize_acct(screen_name).to_lowercase();
                match targets.iter().find(|(acct, _)| *acct == key) {
                    Some((_, target)) => write_mention(html, target, targets)?,
                    None => write!(html, "{}", Escaped(text))?,
                }
            }
        }
        last = entity.end;
    }
    write!(html, "{}", Escaped(chars.slice(last, chars.len())))
}

/// `TextFormatter.shortened_link`: the protocol (and `www.`) hidden, 30 characters shown and the
/// rest hidden behind an ellipsis, unless only one character would be.
fn write_link(html: &mut String, url: &str) -> fmt::Result {
    let prefix = URL_PREFIXES
        .into_iter()
        .find(|prefix| url.starts_with(prefix))
        .unwrap_or("");
    let rest = url.get(prefix.len()..).unwrap_or_default();
    let (display, hidden) = match rest.char_indices().nth(DISPLAY_URL_LENGTH) {
        Some((cut, _)) if rest[cut..].chars().nth(1).is_some() => rest.split_at(cut),
        _ => (rest, ""),
    };
    let class = if hidden.is_empty() { "" } else { "ellipsis" };
    write!(
        html,
        "<a href=\"{}\" target=\"_blank\" rel=\"nofollow noopener\" translate=\"no\">\
         <span class=\"invisible\">{}</span><span class=\"{class}\">{}</span>\
         <span class=\"invisible\">{}</span></a>",
        Escaped(url),
        Escaped(prefix),
        Escaped(display),
        Escaped(hidden),
    )
}

/// `TextFormatter#link_to_hashtag`, to the hashtag's page.
fn write_hashtag(html: &mut String, urls: &Urls, name: &str) -> fmt::Result {
    write!(
        html,
        "<a href=\"{}\" class=\"mention hashtag\" rel=\"tag\">#<span>{}</span></a>",
        Escaped(&urls.tag(name)),
        Escaped(name)
    )
}

/// `TextFormatter#link_to_mention`: the username alone, or the acct when another mentioned
/// account has the same username.
fn write_mention(
    html: &mut String,
    target: &MentionTarget,
    targets: &[(String, MentionTarget)],
) -> fmt::Result {
    let is_ambiguous = targets.iter().any(|(_, other)| {
        other.username.eq_ignore_ascii_case(&target.username)
            && !other.acct.eq_ignore_ascii_case(&target.acct)
    });
    let shown = if is_ambiguous {
        &target.acct
    } else {
        &target.username
    };
    write!(
        html,
        "<span class=\"h-card\" translate=\"no\"><a href=\"{}\" class=\"u-url mention\">\
         @<span>{}</span></a></span>",
        Escaped(&target.url),
        Escaped(shown),
    )
}

/// Rails' `simple_format(html, {}, sanitize: false).delete("\n")`: paragraphs split on blank
/// lines, single line breaks as `<br />`.
fn format_paragraphs(html: &str) -> String {
    let html = html.replace("\r\n", "\n").replace('\r', "\n");
    let mut formatted = String::with_capacity(html.len() + 16);
    for (index, paragraph) in html.split("\n\n").enumerate() {
        // The odd newline of a longer run, and one at either end of the text, has no text on one
        // side: `simple_format` leaves it alone and `delete` drops it. `split(/\n\n+/)` keeps a
        // leading empty paragraph, but no other.
        let paragraph = paragraph.strip_prefix('\n').unwrap_or(paragraph);
        let paragraph = paragraph.strip_suffix('\n').unwrap_or(paragraph);
        if index == 0 || !paragraph.is_empty() {
            formatted.push_str("<p>");
            formatted.push_str(&paragraph.replace('\n', "<br />"));
            formatted.push_str("</p>");
        }
    }
    formatted
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emoji_shortcodes_are_found_as_mastodon_scans_them() {
        assert_eq!(
            emoji_shortcodes(":blobcat: hi :party_parrot:, :blobcat: again"),
            ["blobcat", "party_parrot"]
        );
        assert_eq!(
            emoji_shortcodes("x:blobcat: 12:30:45 :a: ::b:: :no space:"),
            Vec::<String>::new()
        );
        assert_eq!(emoji_shortcodes("(:ok_hand:)\n:wave:"), ["ok_hand", "wave"]);
    }

    const BASE: &str = "https://example.org";

    fn base() -> Urls {
        Urls::new(BASE.to_owned())
    }

    /// Knows every account, local (`alice`) or remote (`bob@remote.example`).
    fn everyone(acct: &str) -> Option<MentionTarget> {
        let username = acct.split('@').next().unwrap_or(acct).to_owned();
        let url = match acct.split_once('@') {
            Some((user, domain)) => format!("https://{domain}/@{user}"),
            None => format!("{BASE}/@{acct}"),
        };
        Some(MentionTarget {
            acct: acct.to_owned(),
            url,
            username,
        })
    }

    fn nobody(_: &str) -> Option<MentionTarget> {
        None
    }

    fn html(text: &str) -> String {
        render_plain_text(text, &base(), &everyone).html
    }

    fn link(url: &str, prefix: &str, display: &str, hidden: &str) -> String {
        let class = if hidden.is_empty() { "" } else { "ellipsis" };
        format!(
            "<a href=\"{url}\" target=\"_blank\" rel=\"nofollow noopener\" translate=\"no\"><span class=\"invisible\">{prefix}</span><span class=\"{class}\">{display}</span><span class=\"invisible\">{hidden}</span></a>"
        )
    }

    fn hashtag(href_name: &str, name: &str) -> String {
        format!(
            "<a href=\"{BASE}/tags/{href_name}\" class=\"mention hashtag\" rel=\"tag\">#<span>{name}</span></a>"
        )
    }

    fn mention(url: &str, shown: &str) -> String {
        format!(
            "<span class=\"h-card\" translate=\"no\"><a href=\"{url}\" class=\"u-url mention\">@<span>{shown}</span></a></span>"
        )
    }

    fn hrefs(text: &str) -> Vec<String> {
        html(text)
            .split("<a href=\"")
            .skip(1)
            .filter_map(|rest| rest.split('"').next().map(str::to_owned))
            .collect()
    }

    #[test]
    fn plain_text_becomes_a_paragraph() {
        assert_eq!(html("text"), "<p>text</p>");
    }

    #[test]
    fn empty_and_blank_text_render_nothing() {
        assert_eq!(html(""), "");
        assert_eq!(html(" \n\t "), "");
        assert_eq!(count_characters("  \n"), 0);
    }

    #[test]
    fn html_in_the_text_is_escaped() {
        assert_eq!(
            html("<script>alert(\"Hello\")</script>"),
            "<p>&lt;script&gt;alert(&quot;Hello&quot;)&lt;/script&gt;</p>"
        );
        assert_eq!(
            html("<img src=\"javascript:alert('XSS');\">"),
            "<p>&lt;img src=&quot;javascript:alert(&#39;XSS&#39;);&quot;&gt;</p>"
        );
        assert_eq!(html("fish & chips"), "<p>fish &amp; chips</p>");
    }

    #[test]
    fn blank_lines_split_paragraphs_and_single_newlines_break_lines() {
        assert_eq!(
            html("one\ntwo\n\nthree\n\n\n\nfour"),
            "<p>one<br />two</p><p>three</p><p>four</p>"
        );
        assert_eq!(html("a\r\nb\r\n\r\nc\rd"), "<p>a<br />b</p><p>c<br />d</p>");
        assert_eq!(html("trailing\n"), "<p>trailing</p>");
        assert_eq!(html("trailing\n\n\n"), "<p>trailing</p>");
    }

    #[test]
    fn a_short_url_is_shown_without_its_protocol() {
        assert_eq!(
            html("see https://example.com/ now"),
            format!(
                "<p>see {} now</p>",
                link("https://example.com/", "https://", "example.com/", "")
            )
        );
    }

    #[test]
    fn a_long_url_shows_thirty_characters_and_an_ellipsis() {
        let url = "https://www.example.com/a/very/long/path/that/goes/on/and/on";
        assert_eq!(
            html(url),
            format!(
                "<p>{}</p>",
                link(
                    url,
                    "https://www.",
                    "example.com/a/very/long/path/t",
                    "hat/goes/on/and/on"
                )
            )
        );
    }

    #[test]
    fn a_url_one_character_too_long_is_shown_whole() {
        let url = "http://example.com/abcdefghijklmnopqrs";
        assert_eq!(
            html(url),
            format!(
                "<p>{}</p>",
                link(url, "http://", "example.com/abcdefghijklmnopqrs", "")
            )
        );
    }

    #[test]
    fn trailing_punctuation_is_not_part_of_a_url() {
        assert_eq!(
            hrefs("look: https://example.com/search?q=rust&page=2."),
            ["https://example.com/search?q=rust&amp;page=2"]
        );
        assert_eq!(hrefs("(http://google.com/)"), ["http://google.com/"]);
        assert_eq!(
            hrefs("(see http://google.com/path)"),
            ["http://google.com/path"]
        );
        assert_eq!(hrefs("http://www.google.com!"), ["http://www.google.com"]);
        assert_eq!(hrefs("http://www.google.com'"), ["http://www.google.com"]);
        assert_eq!(hrefs("\"https://example.com/\""), ["https://example.com/"]);
        assert_eq!(hrefs("<https://example.com/>"), ["https://example.com/"]);
        assert_eq!(hrefs("「https://example.org/」"), ["https://example.org/"]);
        assert_eq!(
            hrefs("http://www.mcmansionhell.com/post/156408871451/50-states. "),
            ["http://www.mcmansionhell.com/post/156408871451/50-states"]
        );
    }

    #[test]
    fn urls_keep_balanced_parentheses_and_unicode() {
        assert_eq!(
            hrefs("https://en.wikipedia.org/wiki/Diaspora_(software)"),
            ["https://en.wikipedia.org/wiki/Diaspora_(software)"]
        );
        assert_eq!(
            hrefs("https://ja.wikipedia.org/wiki/日本"),
            ["https://ja.wikipedia.org/wiki/日本"]
        );
        assert_eq!(
            hrefs("https://example.com/　abc123"),
            ["https://example.com/"]
        );
        assert_eq!(
            hrefs("https://www.ruby-toolbox.com/search?utf8=✓&q=autolink"),
            ["https://www.ruby-toolbox.com/search?utf8=✓&amp;q=autolink"]
        );
        assert_eq!(hrefs("https://nic.みんな/"), ["https://nic.みんな/"]);
        assert_eq!(hrefs("https://example.comは次"), ["https://example.com"]);
    }

    #[test]
    fn urls_with_ports_and_ip_addresses_link() {
        assert_eq!(
            hrefs("http://127.0.0.1:3000/@alice"),
            ["http://127.0.0.1:3000/@alice"]
        );
        assert_eq!(
            hrefs("https://example.com:8443?x=1"),
            ["https://example.com:8443?x=1"]
        );
    }

    #[test]
    fn things_that_are_not_urls_stay_text() {
        assert_eq!(
            html("http://www\\.google\\.com"),
            "<p>http://www\\.google\\.com</p>"
        );
        assert_eq!(html("http://localhost/"), "<p>http://localhost/</p>");
        assert_eq!(html("example.com"), "<p>example.com</p>");
        assert_eq!(html("xhttps://example.com"), "<p>xhttps://example.com</p>");
        assert_eq!(
            html("https://example.com@evil.example"),
            "<p>https://example.com@evil.example</p>"
        );
        assert_eq!(html("javascript:alert(1)"), "<p>javascript:alert(1)</p>");
    }

    #[test]
    fn url_markup_in_the_url_is_cut_off_and_escaped() {
        let rendered =
            html("http://example.com/blahblahblahblah/a<script>alert(\"Hello\")</script>");
        assert!(rendered.contains("\"http://example.com/blahblahblahblah/a\""));
        assert!(rendered.contains("&lt;script&gt;alert(&quot;Hello&quot;)&lt;/script&gt;"));
    }

    #[test]
    fn xmpp_and_magnet_uris_link() {
        assert_eq!(
            hrefs("please join xmpp:muc@instance.com?join right now"),
            ["xmpp:muc@instance.com?join"]
        );
        assert!(html("xmpp:user@instance.com").contains("<span class=\"invisible\">xmpp:</span>"));
        let magnet = "magnet:?xt=urn:btih:c12fe1c06bba254a9dc9f519b335aa7c1367a88a";
        assert_eq!(hrefs(&format!("an example: {magnet}")), [magnet]);
    }

    #[test]
    fn a_resolved_mention_links_to_the_profile() {
        assert_eq!(
            html("hello @alice!"),
            format!(
                "<p>hello {}!</p>",
                mention("https://example.org/@alice", "alice")
            )
        );
    }

    #[test]
    fn an_unresolved_mention_stays_text() {
        let rendered = render_plain_text("hello @nobody <3", &base(), &nobody);
        assert_eq!(rendered.html, "<p>hello @nobody &lt;3</p>");
        assert_eq!(rendered.mentions, ["nobody"]);
    }

    #[test]
    fn a_remote_mention_is_resolved_with_its_domain_lowercased() {
        let asked = std::cell::RefCell::new(Vec::new());
        let resolve = |acct: &str| {
            asked.borrow_mut().push(acct.to_owned());
            everyone(acct)
        };
        let rendered = render_plain_text("cc @Bob@Remote.Example.", &base(), &resolve);
        assert_eq!(asked.into_inner(), ["Bob@remote.example"]);
        assert_eq!(
            rendered.html,
            format!(
                "<p>cc {}.</p>",
                mention("https://remote.example/@Bob", "Bob")
            )
        );
    }

    #[test]
    fn a_mention_domain_may_carry_a_port() {
        assert_eq!(scan("@carol@localhost:3000 hi").0, ["carol@localhost:3000"]);
        assert_eq!(
            scan("@carol@127.0.0.1:3000: hi").0,
            ["carol@127.0.0.1:3000"]
        );
        assert_eq!(scan("@carol@example.com: hi").0, ["carol@example.com"]);
        assert_eq!(
            html("@carol@localhost:3000"),
            format!(
                "<p>{}</p>",
                mention("https://localhost:3000/@carol", "carol")
            )
        );
    }

    #[test]
    fn mention_boundaries_follow_mastodon() {
        assert!(scan("mail bob@example.com").0.is_empty());
        assert!(scan("https://example.com/@alice").0.is_empty());
        assert!(scan("?user=@alice").0.is_empty());
        assert!(scan("@josé").0.is_empty());
        assert!(scan("@alice@").0.is_empty());
        assert_eq!(
            scan("(@alice.) @bob.smith-jones, @_x_").0,
            ["alice", "bob.smith-jones", "_x_"]
        );
        assert_eq!(scan("@alice@example.com's post").0, ["alice@example.com"]);
    }

    #[test]
    fn a_mention_inside_a_url_belongs_to_the_url() {
        let rendered = render_plain_text("https://example.com/a,@alice", &base(), &everyone);
        assert!(rendered.mentions.is_empty());
        assert_eq!(
            hrefs("https://example.com/a,@alice"),
            ["https://example.com/a,@alice"]
        );
    }

    #[test]
    fn two_accounts_with_one_username_show_their_accts() {
        assert_eq!(
            html("@alice @alice@remote.example"),
            format!(
                "<p>{} {}</p>",
                mention("https://example.org/@alice", "alice"),
                mention("https://remote.example/@alice", "alice@remote.example")
            )
        );
    }

    #[test]
    fn hashtags_link_to_the_tag_page() {
        assert_eq!(
            html("#hashtag"),
            format!("<p>{}</p>", hashtag("hashtag", "hashtag"))
        );
        assert_eq!(
            html("#hashtagタグ"),
            format!(
                "<p>{}</p>",
                hashtag("hashtag%E3%82%BF%E3%82%B0", "hashtagタグ")
            )
        );
        assert_eq!(
            html("＃fullwidth"),
            format!("<p>{}</p>", hashtag("fullwidth", "fullwidth"))
        );
    }

    #[test]
    fn hashtag_names_follow_mastodon() {
        let tags = |text: &str| scan(text).1;
        assert_eq!(tags("this is #ａｅｓｔｈｅｔｉｃ"), ["ａｅｓｔｈｅｔｉｃ"]);
        assert_eq!(
            tags("hello #3d #l33ts35k #world2016"),
            ["3d", "l33ts35k", "world2016"]
        );
        assert_eq!(
            tags("#_test #one_two_three #test_"),
            ["_test", "one_two_three", "test_"]
        );
        assert_eq!(tags("hello #one·two·three·"), ["one·two·three"]);
        assert_eq!(tags("testing #ぼっち・ざ・ろっく"), ["ぼっち・ざ・ろっく"]);
        assert_eq!(tags("just add #نرم\u{200c}افزار and"), ["نرم\u{200c}افزار"]);
        assert_eq!(tags("Hello toß #ruby"), ["ruby"]);
        assert_eq!(tags("#हिन्दी"), ["हिन्दी"]);
        assert_eq!(tags("#hashtaghttps://example.com"), ["hashtag"]);
    }

    #[test]
    fn things_that_are_not_hashtags_stay_text() {
        let tags = |text: &str| scan(text).1;
        assert!(tags("foo#bar").is_empty());
        assert!(tags("hello #·one·two·three").is_empty());
        assert!(tags("hello #0123456").is_empty());
        assert!(tags("https://medium.com/@alice/some-article#.abcdef123").is_empty());
        assert!(tags("https://en.wikipedia.org/wiki/Ghostbusters_(song)#Lawsuit").is_empty());
        assert!(tags("https://gcc.gnu.org/bugzilla/show_bug.cgi?id=111895#c4").is_empty());
        assert!(tags("https://example.org/testé#foo").is_empty());
        assert!(tags("https://en.wikipedia.org/wiki/Ghostbusters_(song)?foo=#Lawsuit").is_empty());
        assert!(tags("https://example.com/#frag").is_empty());
    }

    #[test]
    fn tags_and_mentions_are_deduplicated_in_order() {
        let (mentions, tags) =
            scan("#Rust @alice #rust @Alice @bob@EXAMPLE.com #go @bob@example.com #RUST");
        assert_eq!(mentions, ["alice", "bob@example.com"]);
        assert_eq!(tags, ["Rust", "go"]);
        let rendered = render_plain_text("#Rust #rust", &base(), &nobody);
        assert_eq!(rendered.tags, ["Rust"]);
        assert_eq!(
            rendered.html,
            format!(
                "<p>{} {}</p>",
                hashtag("Rust", "Rust"),
                hashtag("rust", "rust")
            )
        );
    }

    #[test]
    fn characters_are_counted_as_mastodon_counts_them() {
        assert_eq!(count_characters("hello"), 5);
        assert_eq!(
            count_characters("look https://example.com/a/very/long/path/that/goes/on/and/on"),
            5 + 23
        );
        assert_eq!(count_characters("https://a.co"), 23);
        assert_eq!(
            count_characters("@alice@remote.example hi"),
            "@alice hi".len()
        );
        assert_eq!(count_characters("@carol@localhost:3000"), "@carol".len());
        assert_eq!(count_characters("👨\u{200d}👩\u{200d}👧 e\u{301}"), 3);
        assert_eq!(count_characters("日本語"), 3);
        // Hashtags count as written.
        assert_eq!(count_characters("#tag"), 4);
    }

    /// Whatever the text, the only markup in the output is the renderer's own.
    #[test]
    fn hostile_text_never_produces_markup() {
        let hostile = [
            "<script>alert(1)</script>",
            "\"><img src=x onerror=alert(1)>",
            "https://example.com/<script>",
            "https://example.com/\"onmouseover=\"alert(1)",
            "https://example.com/?q=<x>&y='z'",
            "https://example.com/(<script>)",
            "@alice<b>bold</b> @bob@example.com\"><script>",
            "#tag<i> #<b>x</b> ＃'\"",
            "xmpp:a@b.com?<x> magnet:?xt=<x>",
            "<<>>&&''\"\"\n\n<p>\r\n</p>",
            "https://exa<mple.com https://example.com/a'b\"c<d>e",
        ];
        let allowed = [
            "<p>",
            "</p>",
            "<br />",
            "<a href=\"",
            "</a>",
            "<span class=\"",
            "<span>",
            "</span>",
        ];
        let sneaky = |acct: &str| {
            Some(MentionTarget {
                acct: format!("{acct}\"<x>"),
                url: format!("https://example.org/@{acct}\"><script>"),
                username: format!("{acct}<b>"),
            })
        };
        for text in hostile {
            for resolve in [
                &everyone as &dyn Fn(&str) -> Option<MentionTarget>,
                &nobody,
                &sneaky,
            ] {
                let rendered = render_plain_text(text, &base(), resolve).html;
                let mut rest = rendered.as_str();
                while let Some(open) = rest.find('<') {
                    let tag = &rest[open..];
                    assert!(
                        allowed.iter().any(|prefix| tag.starts_with(prefix)),
                        "{text:?} gave {rendered}"
                    );
                    let close = tag.find('>').unwrap_or(tag.len());
                    assert!(!tag[1..close].contains('<'), "{text:?} gave {rendered}");
                    let outside = &rest[..open];
                    assert!(
                        !outside.contains(['>', '"', '\'']),
                        "{text:?} gave {rendered}"
                    );
                    rest = &tag[(close + 1).min(tag.len())..];
                }
                assert!(!rest.contains(['>', '"', '\'']), "{text:?} gave {rendered}");
            }
        }
    }
}
