//! The forgiving readers behind the vocabulary types: what peers send is JSON-LD written by many
//! hands, so a single value stands where an array is usual (and the reverse), an embedded object
//! where an id is usual (and the reverse), a number where a string is expected, and so on.
//!
//! Every reader here takes the field as a `serde_json::Value` (which any JSON is) and keeps what
//! it can use: a field of the wrong shape becomes absent, an array element of the wrong shape is
//! dropped. A document is refused only when it lacks what identifies it (its `id` or `type`, where
//! the type requires them), never because one field is odd. Nothing here can panic: serde_json
//! bounds nesting depth and every conversion is fallible.

use std::fmt;
use std::str::FromStr;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;
use time::macros::format_description;

/// Any value at all; `null` and absence are the same.
pub(crate) fn any<'de, D>(deserializer: D) -> Result<Option<Value>, D::Error>
where
    D: Deserializer<'de>,
{
    let value = Value::deserialize(deserializer)?;
    Ok((!value.is_null()).then_some(value))
}

/// A value of type `T`, or nothing when the field has another shape. An array stands for its
/// first usable element (some servers wrap single values).
pub(crate) fn optional<'de, D, T>(deserializer: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: DeserializeOwned,
{
    Ok(first_of(Value::deserialize(deserializer)?))
}

pub(crate) fn first_of<T: DeserializeOwned>(value: Value) -> Option<T> {
    match value {
        Value::Null => None,
        // `T` may itself be a list (a focal point is `[x, y]`): the whole array first.
        Value::Array(items) => T::deserialize(Value::Array(items.clone()))
            .ok()
            .or_else(|| items.into_iter().find_map(|item| T::deserialize(item).ok())),
        single => T::deserialize(single).ok(),
    }
}

/// A list of `T`: an array (its unusable elements dropped), a single value, or nothing.
pub(crate) fn one_or_many<'de, D, T>(deserializer: D) -> Result<Vec<T>, D::Error>
where
    D: Deserializer<'de>,
    T: DeserializeOwned,
{
    Ok(many_of(Value::deserialize(deserializer)?))
}

pub(crate) fn many_of<T: DeserializeOwned>(value: Value) -> Vec<T> {
    match value {
        Value::Null => Vec::new(),
        Value::Array(items) => items
            .into_iter()
            .filter_map(|item| T::deserialize(item).ok())
            .collect(),
        single => T::deserialize(single).ok().into_iter().collect(),
    }
}

/// Writes a list of one as the bare value (as Mastodon writes `url` and `attributedTo`), and
/// any other list as an array.
pub(crate) fn single_or_array<S, T>(items: &[T], serializer: S) -> Result<S::Ok, S::Error>
where
    S: Serializer,
    T: Serialize,
{
    match items {
        [one] => one.serialize(serializer),
        many => many.serialize(serializer),
    }
}

/// The id a value refers to: a string is an id; an object gives its `id` (or, for a `Link`, its
/// `href`); an array gives its first element's.
pub fn id_of(value: &Value) -> Option<String> {
    match value {
        Value::String(id) if !id.is_empty() => Some(id.clone()),
        Value::Object(object) => ["id", "href"]
            .iter()
            .find_map(|key| object.get(*key).and_then(Value::as_str))
            .filter(|id| !id.is_empty())
            .map(str::to_owned),
        Value::Array(items) => items.iter().find_map(id_of),
        _ => None,
    }
}

/// One id, from a string, an embedded object or a list.
pub(crate) fn id<'de, D>(deserializer: D) -> Result<Option<String>, D::Error>
where
    D: Deserializer<'de>,
{
    Ok(id_of(&Value::deserialize(deserializer)?))
}

/// Ids, from strings, embedded objects, or a mix, single or in an array.
pub(crate) fn ids<'de, D>(deserializer: D) -> Result<Vec<String>, D::Error>
where
    D: Deserializer<'de>,
{
    Ok(match Value::deserialize(deserializer)? {
        Value::Array(items) => items.iter().filter_map(id_of).collect(),
        single => id_of(&single).into_iter().collect(),
    })
}

/// A `type`: a known name, or the first known name of an array of types (JSON-LD allows
/// several); anything else is the type's `Default` (its `Unknown`).
pub(crate) fn kind<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: DeserializeOwned + Default + PartialEq,
{
    let unknown = T::default();
    Ok(match Value::deserialize(deserializer)? {
        Value::Array(items) => items
            .into_iter()
            .filter_map(|item| T::deserialize(item).ok())
            .find(|kind| *kind != unknown)
            .unwrap_or_default(),
        single => T::deserialize(single).unwrap_or_default(),
    })
}

/// A language map (`contentMap`, `nameMap`, `summaryMap`): language tag to text, keeping only
/// string values.
pub(crate) fn language_map<'de, D>(
    deserializer: D,
) -> Result<std::collections::BTreeMap<String, String>, D::Error>
where
    D: Deserializer<'de>,
{
    Ok(match Value::deserialize(deserializer)? {
        Value::Object(map) => map
            .into_iter()
            .filter_map(|(language, text)| match text {
                Value::String(text) => Some((language, text)),
                _ => None,
            })
            .collect(),
        _ => std::collections::BTreeMap::new(),
    })
}

/// A count: a non-negative integer, also when written as a string or a float (`"3"`, `3.0`).
pub(crate) fn count<'de, D>(deserializer: D) -> Result<Option<u64>, D::Error>
where
    D: Deserializer<'de>,
{
    Ok(match Value::deserialize(deserializer)? {
        Value::Number(number) => number.as_u64().or_else(|| {
            number
                .as_f64()
                .filter(|float| float.is_finite() && *float >= 0.0 && float.fract() == 0.0)
                // Checked above: a whole, finite, non-negative float; `as` saturates beyond u64.
                .map(|float| float as u64)
        }),
        Value::String(text) => text.trim().parse().ok(),
        _ => None,
    })
}

/// A boolean, also when written as `"true"` / `"false"`.
pub(crate) fn boolean<'de, D>(deserializer: D) -> Result<Option<bool>, D::Error>
where
    D: Deserializer<'de>,
{
    Ok(match Value::deserialize(deserializer)? {
        Value::Bool(flag) => Some(flag),
        Value::String(text) => text.trim().parse().ok(),
        _ => None,
    })
}

/// A point in time as ActivityStreams writes it (`xsd:dateTime`). Read leniently: RFC 3339 with
/// or without fractional seconds, and offsets written without a colon (`+0000`, as Threads and
/// PHP's Atom format produce). Written as Mastodon writes it: UTC, whole seconds,
/// `2024-01-10T07:13:25Z`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp(OffsetDateTime);

impl Timestamp {
    /// The time `unix_millis` milliseconds after the epoch (the unit of Woolly's database).
    pub fn from_unix_millis(unix_millis: i64) -> Timestamp {
        let nanos = i128::from(unix_millis) * 1_000_000;
        Timestamp(
            OffsetDateTime::from_unix_timestamp_nanos(nanos).unwrap_or(OffsetDateTime::UNIX_EPOCH),
        )
    }

    pub fn unix_millis(&self) -> i64 {
        i64::try_from(self.0.unix_timestamp_nanos() / 1_000_000).unwrap_or(i64::MAX)
    }

    /// The same day at 00:00 UTC (Mastodon gives an actor's `published` to the day).
    pub fn midnight(&self) -> Timestamp {
        let utc = self.0.to_offset(time::UtcOffset::UTC);
        Timestamp(utc.replace_time(time::Time::MIDNIGHT))
    }
}

impl FromStr for Timestamp {
    type Err = time::error::Parse;

    fn from_str(text: &str) -> Result<Timestamp, Self::Err> {
        let text = text.trim();
        match OffsetDateTime::parse(text, &Rfc3339) {
            Ok(parsed) => Ok(Timestamp(parsed)),
            Err(error) => {
                // `2026-10-05T15:00:00+0000`: put the colon back into the offset.
                let bytes = text.as_bytes();
                let len = bytes.len();
                let colonless = len > 5
                    && matches!(bytes[len - 5], b'+' | b'-')
                    && bytes[len - 4..].iter().all(u8::is_ascii_digit);
                if colonless && text.is_char_boundary(len - 2) {
                    let fixed = format!("{}:{}", &text[..len - 2], &text[len - 2..]);
                    OffsetDateTime::parse(&fixed, &Rfc3339).map(Timestamp)
                } else {
                    Err(error)
                }
            }
        }
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        let format = format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]Z");
        let utc = self.0.to_offset(time::UtcOffset::UTC);
        match utc.format(format) {
            Ok(text) => formatter.write_str(&text),
            Err(_) => Err(fmt::Error),
        }
    }
}

impl Serialize for Timestamp {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Timestamp {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Timestamp, D::Error> {
        let text = String::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn timestamps_read_every_common_spelling() {
        let expected = Timestamp::from_unix_millis(1_704_870_805_000);
        for text in [
            "2024-01-10T07:13:25Z",
            "2024-01-10T07:13:25.000Z",
            "2024-01-10T07:13:25+00:00",
            "2024-01-10T07:13:25+0000",
            "2024-01-10T08:13:25+01:00",
            "2024-01-10T08:13:25+0100",
        ] {
            let parsed: Timestamp = text.parse().unwrap_or_else(|_| panic!("{text}"));
            assert_eq!(parsed, expected, "{text}");
        }
        for bad in [
            "",
            "yesterday",
            "2024-01-10",
            "2024-01-10T07:13:25+00",
            "+0000",
        ] {
            assert!(bad.parse::<Timestamp>().is_err(), "{bad:?}");
        }
        assert_eq!(expected.to_string(), "2024-01-10T07:13:25Z");
        assert_eq!(expected.midnight().to_string(), "2024-01-10T00:00:00Z");
        assert_eq!(expected.unix_millis(), 1_704_870_805_000);
    }

    #[test]
    fn ids_come_from_strings_objects_and_links() {
        assert_eq!(
            id_of(&json!("https://a.example/1")).as_deref(),
            Some("https://a.example/1")
        );
        assert_eq!(
            id_of(&json!({"type": "Person", "id": "https://a.example/u"})).as_deref(),
            Some("https://a.example/u")
        );
        assert_eq!(
            id_of(&json!({"type": "Link", "href": "https://a.example/l"})).as_deref(),
            Some("https://a.example/l")
        );
        assert_eq!(
            id_of(&json!([{"type": "Person"}, "https://a.example/2"])).as_deref(),
            Some("https://a.example/2")
        );
        for nothing in [
            json!(null),
            json!(""),
            json!(7),
            json!({"type": "Note"}),
            json!([]),
        ] {
            assert_eq!(id_of(&nothing), None, "{nothing}");
        }
    }

    #[test]
    fn lists_keep_what_they_can_use() {
        let numbers: Vec<u32> = many_of(json!([1, "two", 3, null, {"x": 4}]));
        assert_eq!(numbers, vec![1, 3]);
        let single: Vec<String> = many_of(json!("only"));
        assert_eq!(single, vec!["only".to_owned()]);
        let none: Vec<String> = many_of(json!(null));
        assert!(none.is_empty());
        let first: Option<String> = first_of(json!([1, "first", "second"]));
        assert_eq!(first.as_deref(), Some("first"));
    }
}
