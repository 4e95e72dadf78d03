//! HTML text in one place: escaping what goes into HTML, and decoding character references
//! in what comes out of it. Every renderer (status text, sanitized remote HTML, web pages,
//! ActivityPub documents) escapes through here, so none forgets a character.

use std::fmt::{self, Write as _};

/// Text written into HTML (a text node or a quoted attribute): `&`, `<`, `>`, `"` and `'`
/// escaped, as Rails' `html_escape` does.
pub struct Escaped<'a>(pub &'a str);

impl fmt::Display for Escaped<'_> {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_escaped(formatter, self.0, &['&', '<', '>', '"', '\''])
    }
}

/// Writes `text` with each of the `special` characters replaced by its character reference.
fn write_escaped(out: &mut impl fmt::Write, text: &str, special: &[char]) -> fmt::Result {
    let mut rest = text;
    while let Some(at) = rest.find(special) {
        out.write_str(&rest[..at])?;
        out.write_str(match rest.as_bytes()[at] {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            _ => "&#39;",
        })?;
        rest = &rest[at + 1..];
    }
    out.write_str(rest)
}

/// [`Escaped`] as a string.
pub fn escape(text: &str) -> String {
    Escaped(text).to_string()
}

/// Appends a text node: only `&`, `<` and `>` escaped, as HTML serializers write text (quotes
/// stay readable in stored HTML).
pub fn push_text(out: &mut String, text: &str) {
    // Writing to a `String` cannot fail.
    let _ = write_escaped(out, text, &['&', '<', '>']);
}

/// Appends an attribute value (to go between double quotes), fully escaped.
pub fn push_attribute(out: &mut String, value: &str) {
    // Writing to a `String` cannot fail.
    let _ = write!(out, "{}", Escaped(value));
}

/// Decodes the entities html5ever's serializer writes (`&amp; &lt; &gt; &quot; &nbsp;`) and the
/// numeric ones; anything else is left as it is.
pub fn decode_entities(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        let decoded = rest.find(';').and_then(|semicolon| {
            let decoded = decode_entity(&rest[1..semicolon])?;
            Some((decoded, semicolon + 1))
        });
        match decoded {
            Some((c, len)) => {
                out.push(c);
                rest = &rest[len..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// One entity's name (between `&` and `;`) to its character.
fn decode_entity(name: &str) -> Option<char> {
    let code = if let Some(number) = name.strip_prefix('#') {
        if let Some(hex) = number.strip_prefix(['x', 'X']) {
            u32::from_str_radix(hex, 16).ok()?
        } else {
            number.parse::<u32>().ok()?
        }
    } else {
        return match name {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            "nbsp" => Some('\u{a0}'),
            _ => None,
        };
    };
    // As browsers do: NUL, surrogates and out-of-range code points read as U+FFFD.
    Some(
        char::from_u32(code)
            .filter(|c| *c != '\0')
            .unwrap_or('\u{fffd}'),
    )
}

/// Plain text for a field that some readers take as HTML and others as plain text (a note's
/// `summary`: Mastodon writes and reads it as text, GoToSocial reads it as HTML, where a
/// warning about `<b>` would lose its tag and one with `&amp;` would show `&`). Only what an
/// HTML reader would take for markup is escaped, a `<` that starts a tag and a `&` that starts
/// a character reference, so that both show the text as written, and a plain-text reader sees
/// an escape only in text that looks like markup.
pub fn escape_markup(text: &str) -> String {
    let mut html = String::with_capacity(text.len());
    for (at, character) in text.char_indices() {
        let rest = &text[at + character.len_utf8()..];
        match character {
            '<' if rest
                .starts_with(|next: char| next.is_ascii_alphabetic() || "/!?".contains(next)) =>
            {
                html.push_str("&lt;");
            }
            '&' if starts_character_reference(rest) => html.push_str("&amp;"),
            other => html.push(other),
        }
    }
    html
}

/// Whether text after a `&` would be read as a character reference: `#…`, or a name ended by
/// `;` (`&lt;`).
fn starts_character_reference(rest: &str) -> bool {
    if rest.starts_with('#') {
        return true;
    }
    let name_length = rest
        .find(|next: char| !next.is_ascii_alphanumeric())
        .unwrap_or(rest.len());
    name_length > 0 && rest[name_length..].starts_with(';')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_special_character_is_escaped() {
        assert_eq!(
            escape(r#"<a href="x">'&'</a>"#),
            "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;"
        );
        let mut text = String::new();
        push_text(&mut text, r#"1 < 2 & "3" > '0'"#);
        assert_eq!(text, r#"1 &lt; 2 &amp; "3" &gt; '0'"#);
    }

    #[test]
    fn references_decode_and_the_unknown_stay() {
        assert_eq!(
            decode_entities("&amp;&lt;&gt;&quot;&#39;&#65;&#x42;&nbsp;&bogus; & &#xZZ;"),
            "&<>\"'AB\u{a0}&bogus; & &#xZZ;"
        );
        assert_eq!(
            decode_entities("&#0;&#xD800;&#x110000;"),
            "\u{fffd}\u{fffd}\u{fffd}"
        );
    }

    #[test]
    fn only_what_html_would_take_for_markup_is_escaped() {
        for (text, html) in [
            ("yarn talk", "yarn talk"),
            ("<3 you & me > them", "<3 you & me > them"),
            ("Q&A, a < b", "Q&A, a < b"),
            ("about <b>bold</b>", "about &lt;b>bold&lt;/b>"),
            ("<!-- hidden -->", "&lt;!-- hidden -->"),
            ("&lt; is an entity", "&amp;lt; is an entity"),
            ("&#60; too", "&amp;#60; too"),
            ("a lone &", "a lone &"),
            ("é <é", "é <é"),
        ] {
            assert_eq!(escape_markup(text), html, "{text}");
        }
    }
}
