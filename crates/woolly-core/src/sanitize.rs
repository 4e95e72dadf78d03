//! Cleaning the HTML that other fediverse servers send us, the way Mastodon does.
//!
//! A remote status's `content` (and a remote profile's note) is HTML written by a server we do
//! not trust. Before it is stored or shown it goes through [`sanitize_remote_html`], which keeps
//! exactly what Mastodon 4.5's `Sanitize::Config::MASTODON_STRICT`
//! (`lib/sanitize_ext/sanitize_config.rb`) keeps, so that clients see the same markup on Woolly
//! as on Mastodon and nothing that could run script or restyle the page gets through.
//! [`html_to_plain_text`] turns that HTML into text for search and for a remote status's `text`.
//!
//! ammonia does the parsing and the allow-listing, but Mastodon's config also *rewrites* some
//! elements (its transformers), which ammonia cannot express. So the work is done in two ammonia
//! passes with a rewrite between them:
//!
//! 1. ammonia with the strict list plus the elements a transformer needs to see (`h1`–`h6`,
//!    `math`, and the block elements Sanitize replaces with spaces), class and `translate`
//!    filtering, and link schemes checked (relative links lose their `href`);
//! 2. a rewrite of ammonia's output (always well-formed, so a small tokenizer reads it):
//!    headings become `<p><strong>`, a link left without an `href` becomes its bare text,
//!    `<math>` becomes its TeX or plain-text annotation, removed block elements become spaces;
//! 3. ammonia again with exactly the strict list, which adds `rel` and `target` to links and
//!    also guarantees that nothing the rewrite could get wrong ends up in the output.
//!
//! Where Woolly differs from Mastodon, on purpose:
//! - An element whose classes are all dropped loses its `class` attribute; Mastodon leaves
//!   `class=""`.
//! - In plain text, paragraphs are separated by a blank line and every `<br>` is a line break;
//!   Mastodon's `PlainTextFormatter` puts a single newline after each run of `<br>`/`</p>`.
//!   List items and other blocks also start on a new line, so that their words do not run
//!   together in search.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

use ammonia::{Builder, UrlRelative};

/// The elements Mastodon keeps (`MASTODON_STRICT[:elements]`).
const ALLOWED_ELEMENTS: &[&str] = &[
    "p",
    "br",
    "span",
    "a",
    "del",
    "s",
    "pre",
    "blockquote",
    "code",
    "b",
    "strong",
    "u",
    "i",
    "em",
    "ul",
    "ol",
    "li",
    "ruby",
    "rt",
    "rp",
];

/// Mastodon's `LINK_PROTOCOLS`: the only schemes a link may keep.
const LINK_PROTOCOLS: &[&str] = &[
    "http", "https", "dat", "dweb", "ipfs", "ipns", "ssb", "gopher", "xmpp", "magnet", "gemini",
];

/// Mastodon's `add_attributes` for `a`: it replaces whatever `rel` the remote sent.
const LINK_REL: &str = "nofollow noopener";

/// Sanitize's default `remove_contents` (Mastodon's config inherits it): these go with
/// everything inside them. `math` is missing because the math transformer sees it first; a
/// `<math>` it cannot turn into text is dropped with its content in the rewrite.
const REMOVE_WITH_CONTENT: &[&str] = &[
    "iframe",
    "noembed",
    "noframes",
    "noscript",
    "plaintext",
    "script",
    "style",
    "svg",
    "xmp",
];

/// Sanitize's default `whitespace_elements` that Mastodon does not keep: Sanitize puts a space
/// on each side of them when it removes them, so `<div>a</div><div>b</div>` does not read "ab".
/// (`h1`–`h6` are on Sanitize's list too, but the heading transformer renames them first.)
const SPACED_BLOCKS: &[&str] = &[
    "address", "article", "aside", "dd", "div", "dl", "dt", "footer", "header", "hgroup", "hr",
    "nav", "section",
];

const HEADINGS: &[&str] = &["h1", "h2", "h3", "h4", "h5", "h6"];

/// The elements the rewrite needs to see in addition to the strict list.
const MATH_ELEMENTS: &[&str] = &["math", "semantics", "annotation"];

/// Elements serialized without an end tag, among those the first pass lets through.
const VOID_ELEMENTS: &[&str] = &["br", "hr"];

/// Attributes per element (`MASTODON_STRICT[:attributes]`, minus `a`'s `rel`, which ammonia
/// insists on setting itself).
fn strict_attributes() -> HashMap<&'static str, HashSet<&'static str>> {
    HashMap::from([
        ("a", HashSet::from(["href", "class", "translate"])),
        ("span", HashSet::from(["class", "translate"])),
        ("ol", HashSet::from(["start", "reversed"])),
        ("li", HashSet::from(["value"])),
        ("p", HashSet::from(["class"])),
    ])
}

/// The common settings of both passes.
fn base_builder(
    tags: HashSet<&'static str>,
    attributes: HashMap<&'static str, HashSet<&'static str>>,
) -> Builder<'static> {
    let mut builder = Builder::empty();
    builder
        .tags(tags)
        .clean_content_tags(REMOVE_WITH_CONTENT.iter().copied().collect())
        .tag_attributes(attributes)
        .generic_attributes(HashSet::from(["lang"]))
        .generic_attribute_prefixes(HashSet::new())
        .url_schemes(LINK_PROTOCOLS.iter().copied().collect())
        // Mastodon's href transformer treats a relative link as an unsupported scheme.
        .url_relative(UrlRelative::Deny)
        .link_rel(None)
        .strip_comments(true)
        .attribute_filter(filter_attribute);
    builder
}

static FIRST_PASS: LazyLock<Builder<'static>> = LazyLock::new(|| {
    let tags = ALLOWED_ELEMENTS
        .iter()
        .chain(HEADINGS)
        .chain(MATH_ELEMENTS)
        .chain(SPACED_BLOCKS)
        .copied()
        .collect();
    let mut attributes = strict_attributes();
    attributes.insert("math", HashSet::from(["display"]));
    attributes.insert("annotation", HashSet::from(["encoding"]));
    base_builder(tags, attributes)
});

static SECOND_PASS: LazyLock<Builder<'static>> = LazyLock::new(|| {
    let mut builder = base_builder(
        ALLOWED_ELEMENTS.iter().copied().collect(),
        strict_attributes(),
    );
    builder
        .link_rel(Some(LINK_REL))
        .set_tag_attribute_value("a", "target", "_blank");
    builder
});

/// Mastodon's class and `translate` transformers, as an ammonia attribute filter.
fn filter_attribute<'u>(_element: &str, attribute: &str, value: &'u str) -> Option<Cow<'u, str>> {
    match attribute {
        "class" => {
            let kept: Vec<&str> = value
                .split(['\t', '\n', '\u{c}', '\r', ' '])
                .filter(|class| is_allowed_class(class))
                .collect();
            if kept.is_empty() {
                None
            } else {
                Some(Cow::Owned(kept.join(" ")))
            }
        }
        // "yes" is the default anyway; only an explicit opt-out means anything to clients.
        "translate" => (value == "no").then_some(Cow::Borrowed(value)),
        _ => Some(Cow::Borrowed(value)),
    }
}

/// Microformats (`h-card`, `u-url`, …) and the few classes Mastodon's web UI styles links with.
fn is_allowed_class(class: &str) -> bool {
    ["h-", "p-", "u-", "dt-", "e-"]
        .iter()
        .any(|prefix| class.starts_with(prefix))
        || matches!(
            class,
            "mention" | "hashtag" | "ellipsis" | "invisible" | "quote-inline"
        )
}

/// Cleans HTML from another server the way Mastodon 4.5 does (`MASTODON_STRICT`).
///
/// Only `p br span a del s pre blockquote code b strong u i em ul ol li ruby rt rp` survive, with
/// `lang` anywhere, `href class translate` on `a`, `class translate` on `span`, `class` on `p`,
/// `start reversed` on `ol` and `value` on `li`. Other elements are unwrapped (their text stays),
/// except script-like ones, which go with their content; headings become `<p><strong>`. A link
/// whose `href` is missing, relative or of a scheme outside Mastodon's list becomes plain text;
/// every other link gets `target="_blank" rel="nofollow noopener"`.
pub fn sanitize_remote_html(html: &str) -> String {
    let first = FIRST_PASS.clean(html).to_string();
    let rewritten = rewrite(&tokenize(&first));
    SECOND_PASS.clean(&rewritten).to_string()
}

/// The text of a remote status's HTML, for search and for the status's `text`.
///
/// The HTML is sanitized first, so what was dropped from the display (scripts, styles) is not
/// searchable either. `<br>` is a line break, paragraphs are separated by a blank line, list
/// items start on a new line, tags are gone and entities decoded.
pub fn html_to_plain_text(html: &str) -> String {
    let clean = sanitize_remote_html(html);
    let mut out = String::new();
    for token in tokenize(&clean) {
        match token {
            Token::Text(text) => {
                // Whitespace between blocks is source formatting, not content.
                let at_line_start = out.is_empty() || out.ends_with('\n');
                if !(at_line_start && text.trim().is_empty()) {
                    out.push_str(&text);
                }
            }
            Token::Start { name, .. } if name == "br" => out.push('\n'),
            Token::Start { name, .. } | Token::End(name) => match name.as_str() {
                "p" | "blockquote" | "pre" | "ul" | "ol" => end_line(&mut out, 2),
                "li" => end_line(&mut out, 1),
                _ => {}
            },
        }
    }
    out.trim_end_matches('\n').to_owned()
}

/// Makes `out` end with at least `newlines` newlines, unless nothing has been written yet.
fn end_line(out: &mut String, newlines: usize) {
    if out.is_empty() {
        return;
    }
    let present = out.len() - out.trim_end_matches('\n').len();
    for _ in present..newlines {
        out.push('\n');
    }
}

/// A piece of ammonia's output, with entities decoded.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Token {
    Start {
        name: String,
        attrs: Vec<(String, String)>,
    },
    End(String),
    Text(String),
}

impl Token {
    fn attr(attrs: &[(String, String)], name: &str) -> Option<String> {
        attrs
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.clone())
    }
}

/// Reads HTML as html5ever serializes it (which is what ammonia returns): every `<` in text is
/// escaped, attributes are always `name="value"`, comments are gone. Not a general HTML
/// tokenizer; anything it does not recognise is kept as text, which the second pass escapes.
fn tokenize(html: &str) -> Vec<Token> {
    let mut tokens = Vec::new();
    let mut rest = html;
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix('<')
            && let Some((token, remaining)) = read_tag(after)
        {
            tokens.push(token);
            rest = remaining;
            continue;
        }
        // Text runs to the next `<` (a lone `<` that did not start a tag is text too).
        let skip = usize::from(rest.starts_with('<'));
        let end = rest[skip..].find('<').map_or(rest.len(), |i| i + skip);
        let text = crate::html::decode_entities(&rest[..end]);
        match tokens.last_mut() {
            Some(Token::Text(previous)) => previous.push_str(&text),
            _ => tokens.push(Token::Text(text)),
        }
        rest = &rest[end..];
    }
    tokens
}

/// Reads a start or end tag after its `<`; returns it and what follows its `>`.
fn read_tag(input: &str) -> Option<(Token, &str)> {
    let is_name_char = |c: char| c.is_ascii_alphanumeric() || c == '-' || c == ':';
    if let Some(after) = input.strip_prefix('/') {
        let name_len = after.find(|c: char| !is_name_char(c))?;
        let rest = after[name_len..].strip_prefix('>')?;
        return (name_len > 0).then(|| (Token::End(after[..name_len].to_owned()), rest));
    }
    let name_len = input.find(|c: char| !is_name_char(c))?;
    if name_len == 0 {
        return None;
    }
    let name = input[..name_len].to_owned();
    let mut rest = &input[name_len..];
    let mut attrs = Vec::new();
    loop {
        if let Some(after) = rest.strip_prefix('>') {
            return Some((Token::Start { name, attrs }, after));
        }
        let after_space = rest.strip_prefix(' ')?;
        let key_len = after_space.find('=')?;
        let key = &after_space[..key_len];
        let value_and_rest = after_space[key_len + 1..].strip_prefix('"')?;
        let value_len = value_and_rest.find('"')?;
        attrs.push((
            key.to_owned(),
            crate::html::decode_entities(&value_and_rest[..value_len]),
        ));
        rest = &value_and_rest[value_len + 1..];
    }
}

/// Applies Mastodon's element transformers to the first pass's output; returns HTML for the
/// second pass.
fn rewrite(tokens: &[Token]) -> String {
    /// What an open element turned into, so its end tag can be written to match.
    enum Open {
        Kept(String),
        Heading,
        /// A link without a usable `href`, or anything inside one: only text is written.
        Unlinked,
        Spaced,
    }
    let mut out = String::new();
    let mut open: Vec<Open> = Vec::new();
    let mut unlinked_depth = 0usize;
    let mut index = 0;
    while let Some(token) = tokens.get(index) {
        index += 1;
        match token {
            Token::Text(text) => crate::html::push_text(&mut out, text),
            Token::Start { name, attrs } => {
                if name == "math" {
                    let end = matching_end(tokens, index);
                    let inner = tokens.get(index..end).unwrap_or_default();
                    let block = Token::attr(attrs, "display").as_deref() == Some("block");
                    if let Some(text) = math_text(inner, block) {
                        crate::html::push_text(&mut out, &text);
                    }
                    index = end + 1;
                    continue;
                }
                if VOID_ELEMENTS.contains(&name.as_str()) {
                    if name == "hr" {
                        out.push_str("  ");
                    } else if unlinked_depth == 0 {
                        out.push_str("<br>");
                    }
                    continue;
                }
                let unlinked =
                    unlinked_depth > 0 || (name == "a" && Token::attr(attrs, "href").is_none());
                let state = if unlinked {
                    Open::Unlinked
                } else if HEADINGS.contains(&name.as_str()) {
                    Open::Heading
                } else if SPACED_BLOCKS.contains(&name.as_str()) {
                    Open::Spaced
                } else {
                    Open::Kept(name.clone())
                };
                match &state {
                    Open::Kept(name) => {
                        out.push('<');
                        out.push_str(name);
                        for (key, value) in attrs {
                            out.push(' ');
                            out.push_str(key);
                            out.push_str("=\"");
                            crate::html::push_attribute(&mut out, value);
                            out.push('"');
                        }
                        out.push('>');
                    }
                    Open::Heading => out.push_str("<p><strong>"),
                    Open::Unlinked => unlinked_depth += 1,
                    Open::Spaced => out.push(' '),
                }
                open.push(state);
            }
            Token::End(_) => match open.pop() {
                Some(Open::Kept(name)) => {
                    out.push_str("</");
                    out.push_str(&name);
                    out.push('>');
                }
                Some(Open::Heading) => out.push_str("</strong></p>"),
                Some(Open::Unlinked) => unlinked_depth = unlinked_depth.saturating_sub(1),
                Some(Open::Spaced) => out.push(' '),
                None => {}
            },
        }
    }
    out
}

/// The index of the end tag closing the element whose content starts at `start`, or the
/// length of `tokens` if it is never closed.
fn matching_end(tokens: &[Token], start: usize) -> usize {
    let mut depth = 0usize;
    for (offset, token) in tokens.iter().enumerate().skip(start) {
        match token {
            Token::Start { name, .. } if !VOID_ELEMENTS.contains(&name.as_str()) => depth += 1,
            Token::End(_) if depth == 0 => return offset,
            Token::End(_) => depth -= 1,
            _ => {}
        }
    }
    tokens.len()
}

/// Mastodon's math transformer (FEP-dc88): a `<math>` whose first child is `<semantics>` is
/// replaced by its `application/x-tex` annotation, in `$…$` (`$$…$$` for display math), or else
/// by its `text/plain` one. `None` means the formula is dropped with its content.
fn math_text(inner: &[Token], block: bool) -> Option<String> {
    let mut depth = 0usize;
    let mut seen_first_element = false;
    // The annotation being read: its encoding and its text so far.
    let mut reading: Option<(Option<String>, String)> = None;
    let mut tex = None;
    let mut plain = None;
    for token in inner {
        match token {
            Token::Start { name, attrs } => {
                if depth == 0 {
                    if seen_first_element {
                        break;
                    }
                    seen_first_element = true;
                    if name != "semantics" {
                        return None;
                    }
                } else if depth == 1 && name == "annotation" {
                    reading = Some((Token::attr(attrs, "encoding"), String::new()));
                }
                if !VOID_ELEMENTS.contains(&name.as_str()) {
                    depth += 1;
                }
            }
            Token::End(_) => {
                depth = depth.saturating_sub(1);
                if depth == 1
                    && let Some((encoding, text)) = reading.take()
                {
                    match encoding.as_deref() {
                        Some("application/x-tex") if tex.is_none() => tex = Some(text),
                        Some("text/plain") if plain.is_none() => plain = Some(text),
                        _ => {}
                    }
                }
                if depth == 0 && seen_first_element {
                    break;
                }
            }
            Token::Text(text) => {
                if let Some((_, buffer)) = reading.as_mut() {
                    buffer.push_str(text);
                }
            }
        }
    }
    match (tex, plain) {
        (Some(tex), _) if block => Some(format!("$${tex}$$")),
        (Some(tex), _) => Some(format!("${tex}$")),
        (None, plain) => plain,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scripts_and_styles_are_removed_with_their_content() {
        let out = sanitize_remote_html(
            "<p>hi<script>alert(1)</script><style>p{color:red}</style> there</p>",
        );
        assert_eq!(out, "<p>hi there</p>");
    }

    #[test]
    fn event_handlers_and_styles_are_removed() {
        let out = sanitize_remote_html(
            r#"<p onclick="alert(1)" style="color:red">x <span onmouseover="alert(2)" style="x">y</span></p>"#,
        );
        assert_eq!(out, "<p>x <span>y</span></p>");
    }

    #[test]
    fn unsupported_link_schemes_become_text() {
        for href in [
            "javascript:alert(1)",
            "JaVaScRiPt:alert(1)",
            "data:text/html,<script>alert(1)</script>",
            "jav&#x61;script:alert(1)",
            "java\tscript:alert(1)",
            "/relative/path",
            "vbscript:msgbox(1)",
        ] {
            let out = sanitize_remote_html(&format!(r#"<p><a href="{href}">click</a></p>"#));
            assert_eq!(out, "<p>click</p>", "href {href}");
        }
        assert_eq!(sanitize_remote_html("<a>no <b>href</b></a>"), "no href");
    }

    #[test]
    fn mastodon_link_protocols_are_kept() {
        for href in [
            "https://ex.org/",
            "http://ex.org/",
            "gemini://ex.org/",
            "xmpp:a@ex.org",
            "magnet:?xt=urn:btih:abc",
        ] {
            let out = sanitize_remote_html(&format!(r#"<a href="{href}">x</a>"#));
            assert!(out.contains("href="), "{href}: {out}");
        }
    }

    #[test]
    fn links_get_rel_and_target() {
        let out =
            sanitize_remote_html(r#"<a href="https://ex.org/" rel="me" target="_self">x</a>"#);
        assert_eq!(
            out,
            r#"<a href="https://ex.org/" target="_blank" rel="nofollow noopener">x</a>"#
        );
    }

    #[test]
    fn mastodon_classes_are_kept_and_others_dropped() {
        let out = sanitize_remote_html(
            r#"<p class="evil"><span class="h-card big"><a href="https://ex.org/@a" class="u-url mention red">@a</a></span> <a href="https://ex.org/tags/t" class="mention hashtag" rel="tag">#t</a> <a href="https://ex.org/long"><span class="invisible">https://</span><span class="ellipsis">ex.org/lo</span><span class="x">ng</span></a></p>"#,
        );
        assert_eq!(
            out,
            concat!(
                r#"<p><span class="h-card"><a href="https://ex.org/@a" class="u-url mention" target="_blank" rel="nofollow noopener">@a</a></span> "#,
                r#"<a href="https://ex.org/tags/t" class="mention hashtag" target="_blank" rel="nofollow noopener">#t</a> "#,
                r#"<a href="https://ex.org/long" target="_blank" rel="nofollow noopener"><span class="invisible">https://</span><span class="ellipsis">ex.org/lo</span><span>ng</span></a></p>"#,
            )
        );
    }

    #[test]
    fn translate_is_kept_only_as_no() {
        assert_eq!(
            sanitize_remote_html(r#"<span translate="no">a</span><span translate="yes">b</span>"#),
            r#"<span translate="no">a</span><span>b</span>"#
        );
    }

    #[test]
    fn allowed_elements_and_attributes_are_kept() {
        let html = concat!(
            r#"<p lang="en">a<br>b</p><blockquote><p><del>c</del> <s>d</s> <b>e</b> "#,
            r#"<strong>f</strong> <u>g</u> <i>h</i> <em>i</em> <code>j</code></p></blockquote>"#,
            r#"<pre>k</pre><ol start="3" reversed=""><li value="5">l</li></ol><ul><li>m</li></ul>"#,
            r#"<ruby>漢<rp>(</rp><rt>kan</rt><rp>)</rp></ruby>"#,
        );
        assert_eq!(sanitize_remote_html(html), html);
    }

    #[test]
    fn unknown_elements_are_unwrapped_keeping_their_text() {
        assert_eq!(
            sanitize_remote_html(
                "<p><font color=red>red</font> <marquee>moving</marquee> <abbr title=t>x</abbr></p>"
            ),
            "<p>red moving x</p>"
        );
        // Sanitize replaces a removed block with spaces, so words do not run together.
        assert_eq!(sanitize_remote_html("<div>a</div><div>b</div>"), " a  b ");
    }

    #[test]
    fn headings_become_strong_paragraphs() {
        assert_eq!(
            sanitize_remote_html("<h1>Title</h1><h6>small</h6><p>text</p>"),
            "<p><strong>Title</strong></p><p><strong>small</strong></p><p>text</p>"
        );
    }

    #[test]
    fn hostile_input_is_neutralised() {
        assert_eq!(
            sanitize_remote_html("<p>a<img src=x onerror=alert(1)>b</p>"),
            "<p>ab</p>"
        );
        assert_eq!(
            sanitize_remote_html("<svg><script>alert(1)</script></svg>ok"),
            "ok"
        );
        assert_eq!(
            sanitize_remote_html(r#"<a href="jav&#x61;script:alert(1)">x</a>"#),
            "x"
        );
        let out = sanitize_remote_html(
            r#"<iframe src="https://evil"></iframe><object data=x></object><form><input onfocus=alert(1) autofocus></form><a href="https://ex.org/" onclick="alert(1)">y</a><!-- <script>alert(1)</script> -->"#,
        );
        assert!(
            !out.contains("script")
                && !out.contains("onclick")
                && !out.contains("iframe")
                && !out.contains("onfocus"),
            "{out}"
        );
        let out = sanitize_remote_html(r#"<p title="x&quot;><script>alert(1)</script>">t</p>"#);
        assert_eq!(out, "<p>t</p>");
        let out = sanitize_remote_html(
            "<math><mi xlink:href=\"javascript:alert(1)\">x</mi></math><noscript><p title=\"</noscript><img src=x onerror=alert(1)>\"></noscript>",
        );
        assert!(!out.contains('<'), "{out}");
    }

    #[test]
    fn math_becomes_its_annotation() {
        let inline = r#"<p>so <math><semantics><mrow><mi>x</mi></mrow><annotation encoding="application/x-tex">x^2 &lt; 1</annotation></semantics></math>.</p>"#;
        assert_eq!(sanitize_remote_html(inline), "<p>so $x^2 &lt; 1$.</p>");
        let block = r#"<math display="block"><semantics><mi>x</mi><annotation encoding="text/plain">x</annotation><annotation encoding="application/x-tex">\frac{1}{2}</annotation></semantics></math>"#;
        assert_eq!(sanitize_remote_html(block), r"$$\frac{1}{2}$$");
        let plain = r#"<math><semantics><mi>y</mi><annotation encoding="text/plain">y squared</annotation></semantics></math>"#;
        assert_eq!(sanitize_remote_html(plain), "y squared");
        assert_eq!(sanitize_remote_html("a<math><mi>z</mi></math>b"), "ab");
    }

    #[test]
    fn plain_text_of_a_typical_note() {
        let html = r#"<p>Hello <span class="h-card"><a href="https://ex.org/@a" class="u-url mention">@<span>a</span></a></span></p><p>line1<br>line2 &amp; more</p>"#;
        assert_eq!(html_to_plain_text(html), "Hello @a\n\nline1\nline2 & more");
    }

    #[test]
    fn plain_text_drops_scripts_and_decodes_entities() {
        assert_eq!(
            html_to_plain_text(
                "<p>a &lt;b&gt; &#39;c&#39; &#x263A; &quot;d&quot;<script>x()</script></p>\n<p>e</p>"
            ),
            "a <b> 'c' ☺ \"d\"\n\ne"
        );
        assert_eq!(
            html_to_plain_text("<ul><li>one</li><li>two</li></ul>"),
            "one\ntwo"
        );
        assert_eq!(html_to_plain_text("just text"), "just text");
    }
}
