//! Reading a search of posts as Mastodon reads one (`search_query_parser.rb`): words, quoted
//! phrases, `-` to exclude, and the operators `from:`, `has:`, `is:`, `language:`, `before:`,
//! `after:`, `during:` and `in:`. What is not an operator is text: `foo:bar` searches the words
//! foo and bar, and a quote left open runs to the end.

use woolly_store::{PostProperty, SearchScope, StatusSearch};

use crate::error::{CoreError, Result};

/// The longest search read, in characters.
pub const MAX_QUERY_CHARS: usize = 1_000;
const DAY_MILLIS: i64 = 86_400_000;

/// A search of posts as typed, before `from:` is looked up.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ParsedQuery {
    pub search: StatusSearch,
    /// What `from:` names: `me`, `user` or `user@domain`.
    pub from: Option<String>,
    /// An operator asked for what no post has (`has:nothing`): nothing is found.
    pub impossible: bool,
}

/// One piece of a query: its sign, its operator if any, and its text.
struct Clause {
    excluded: bool,
    prefix: Option<String>,
    text: String,
}

const PREFIXES: [&str; 8] = [
    "has", "is", "language", "from", "before", "after", "during", "in",
];

fn clauses(query: &str) -> Vec<Clause> {
    let mut clauses = Vec::new();
    let mut chars = query.chars().peekable();
    let read_quoted = |chars: &mut std::iter::Peekable<std::str::Chars<'_>>| {
        let mut text = String::new();
        for c in chars.by_ref() {
            if c == '"' {
                break;
            }
            text.push(c);
        }
        text
    };
    while let Some(&c) = chars.peek() {
        if c.is_whitespace() {
            chars.next();
            continue;
        }
        let mut excluded = false;
        if c == '-' || c == '+' {
            excluded = c == '-';
            chars.next();
        }
        if chars.peek() == Some(&'"') {
            chars.next();
            let text = read_quoted(&mut chars);
            clauses.push(Clause {
                excluded,
                prefix: None,
                text,
            });
            continue;
        }
        let mut word = String::new();
        while let Some(&c) = chars.peek() {
            if c.is_whitespace() {
                break;
            }
            chars.next();
            if c == ':' && PREFIXES.contains(&word.to_lowercase().as_str()) {
                let text = if chars.peek() == Some(&'"') {
                    chars.next();
                    read_quoted(&mut chars)
                } else {
                    let mut value = String::new();
                    while let Some(&c) = chars.peek() {
                        if c.is_whitespace() {
                            break;
                        }
                        value.push(c);
                        chars.next();
                    }
                    value
                };
                clauses.push(Clause {
                    excluded,
                    prefix: Some(word.to_lowercase()),
                    text,
                });
                word = String::new();
                break;
            }
            word.push(c);
        }
        if !word.is_empty() {
            clauses.push(Clause {
                excluded,
                prefix: None,
                // An operator Mastodon does not know is text.
                text: word.replace(':', " "),
            });
        }
    }
    clauses
}

/// Days since the Unix epoch of a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let month_index = (month + 9) % 12;
    let day_of_year = (153 * month_index + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

/// The start of a day given as `YYYY-MM-DD` (UTC), or a time given in Unix milliseconds.
fn parse_date(operator: &str, text: &str) -> Result<(i64, bool)> {
    let invalid = || CoreError::Validation(format!("{operator}:{text} is not a date (YYYY-MM-DD)"));
    if !text.is_empty() && text.chars().all(|c| c.is_ascii_digit()) {
        return Ok((text.parse().map_err(|_| invalid())?, false));
    }
    let date = text.get(..10).ok_or_else(invalid)?;
    let mut parts = date.split('-');
    let (Some(year), Some(month), Some(day), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(invalid());
    };
    let (year, month, day): (i64, i64, i64) = (
        year.parse().map_err(|_| invalid())?,
        month.parse().map_err(|_| invalid())?,
        day.parse().map_err(|_| invalid())?,
    );
    if !(1..=12).contains(&month) || !(1..=31).contains(&day) || !(1..=9999).contains(&year) {
        return Err(invalid());
    }
    Ok((days_from_civil(year, month, day) * DAY_MILLIS, true))
}

/// Reads `query`. A query longer than [`MAX_QUERY_CHARS`] or a date that is none is refused.
pub fn parse(query: &str) -> Result<ParsedQuery> {
    if query.chars().count() > MAX_QUERY_CHARS {
        return Err(CoreError::Validation(format!(
            "The search is longer than {MAX_QUERY_CHARS} characters"
        )));
    }
    let mut parsed = ParsedQuery::default();
    for clause in clauses(query) {
        let text = clause.text.trim();
        match clause.prefix.as_deref() {
            None => {
                if text.chars().any(char::is_alphanumeric) {
                    let list = if clause.excluded {
                        &mut parsed.search.excluded
                    } else {
                        &mut parsed.search.phrases
                    };
                    list.push(text.to_owned());
                }
            }
            Some("has" | "is") => {
                let property = match text.to_lowercase().as_str() {
                    "media" => Some(PostProperty::Media),
                    "image" => Some(PostProperty::Image),
                    "video" => Some(PostProperty::Video),
                    "audio" => Some(PostProperty::Audio),
                    "poll" => Some(PostProperty::Poll),
                    "link" => Some(PostProperty::Link),
                    "reply" => Some(PostProperty::Reply),
                    "sensitive" => Some(PostProperty::Sensitive),
                    _ => None,
                };
                match property {
                    Some(property) => parsed.search.properties.push((property, !clause.excluded)),
                    // A property no post has: found by nothing, and excluded from nothing.
                    None => parsed.impossible |= !clause.excluded,
                }
            }
            Some("language") if !clause.excluded => {
                let language = text
                    .split(['-', '_'])
                    .next()
                    .unwrap_or_default()
                    .to_lowercase();
                if !language.is_empty() {
                    parsed.search.language = Some(language);
                }
            }
            Some("from") if !clause.excluded && !text.is_empty() => {
                parsed.from = Some(text.trim_start_matches('@').to_owned());
            }
            Some(operator @ ("before" | "after" | "during")) if !clause.excluded => {
                let (at, whole_day) = parse_date(operator, text)?;
                match operator {
                    "before" => parsed.search.before = Some(at),
                    "after" => {
                        // After a day: from the next one on, as Mastodon's `gt` reads it.
                        parsed.search.after =
                            Some(if whole_day { at + DAY_MILLIS } else { at + 1 });
                    }
                    _ => {
                        parsed.search.after = Some(at);
                        parsed.search.before = Some(at + if whole_day { DAY_MILLIS } else { 1 });
                    }
                }
            }
            Some("in") => {
                parsed.search.scope = match text.to_lowercase().as_str() {
                    "library" => SearchScope::Library,
                    "public" => SearchScope::Public,
                    _ => SearchScope::All,
                };
            }
            // Excluding an author, a language or a date is not supported: ignored.
            Some(_) => {}
        }
    }
    Ok(parsed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_phrases_and_exclusions() {
        let parsed = parse(r#"cats "black dogs" -mice +owls"#).unwrap();
        assert_eq!(parsed.search.phrases, ["cats", "black dogs", "owls"]);
        assert_eq!(parsed.search.excluded, ["mice"]);
    }

    #[test]
    fn operators_as_mastodon_reads_them() {
        let parsed =
            parse("from:@alice@example.org has:media -is:reply language:fr-CA in:library tea")
                .unwrap();
        assert_eq!(parsed.from.as_deref(), Some("alice@example.org"));
        assert_eq!(
            parsed.search.properties,
            [(PostProperty::Media, true), (PostProperty::Reply, false)]
        );
        assert_eq!(parsed.search.language.as_deref(), Some("fr"));
        assert_eq!(parsed.search.scope, SearchScope::Library);
        assert_eq!(parsed.search.phrases, ["tea"]);
    }

    #[test]
    fn dates_are_days_in_utc() {
        let parsed = parse("during:2024-02-29").unwrap();
        assert_eq!(parsed.search.after, Some(1_709_164_800_000));
        assert_eq!(parsed.search.before, Some(1_709_164_800_000 + DAY_MILLIS));
        let parsed = parse(r#"before:"2024-01-01" after:2023-12-30"#).unwrap();
        assert_eq!(parsed.search.before, Some(1_704_067_200_000));
        assert_eq!(parsed.search.after, Some(1_704_067_200_000 - DAY_MILLIS));
        assert!(matches!(
            parse("before:yesterday"),
            Err(CoreError::Validation(_))
        ));
        assert!(matches!(
            parse("after:2024-13-01"),
            Err(CoreError::Validation(_))
        ));
    }

    #[test]
    fn what_is_no_operator_is_text_and_open_quotes_run_to_the_end() {
        let parsed = parse(r#"foo:bar "never closed"#).unwrap();
        assert_eq!(parsed.search.phrases, ["foo bar", "never closed"]);
        assert!(parse("has:nothing").unwrap().impossible);
        assert!(!parse("-has:nothing").unwrap().impossible);
        assert!(parse(&"a".repeat(MAX_QUERY_CHARS + 1)).is_err());
        assert_eq!(parse(r#"" - -- """#).unwrap(), ParsedQuery::default());
    }
}
