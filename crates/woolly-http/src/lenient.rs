//! Lenient parameter types: form bodies and query strings carry everything as text, JSON bodies
//! as typed values, and clients send booleans as `true`, `"true"`, `1` or `"1"`.

use std::marker::PhantomData;

use serde::de::{MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Deserializer};

#[derive(Deserialize)]
#[serde(untagged)]
enum BoolLike {
    Bool(bool),
    Number(i64),
    Text(String),
}

/// Rails' boolean casting of a text parameter (`ActiveModel::Type::Boolean`): `false`, `0`,
/// `f`, `off` (in any case) and the empty string are false, anything else true. Every front
/// door reads a boolean parameter through this.
pub fn is_true(text: &str) -> bool {
    !matches!(
        text.trim().to_ascii_lowercase().as_str(),
        "" | "false" | "0" | "f" | "off"
    )
}

/// A boolean parameter as JSON (`true`, `1`) or text (see [`is_true`]).
pub fn boolean<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<bool>, D::Error> {
    Ok(
        Option::<BoolLike>::deserialize(deserializer)?.map(|value| match value {
            BoolLike::Bool(value) => value,
            BoolLike::Number(value) => value != 0,
            BoolLike::Text(text) => is_true(&text),
        }),
    )
}

/// An id given as a JSON string or number.
pub fn id<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<String>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum IdLike {
        Number(i64),
        Text(String),
    }
    Ok(
        Option::<IdLike>::deserialize(deserializer)?.map(|value| match value {
            IdLike::Number(number) => number.to_string(),
            IdLike::Text(text) => text,
        }),
    )
}

/// A list given as an array, or as one value (`types=mention` as well as `types[]=mention`).
pub fn list<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Vec<String>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum ListLike {
        Many(Vec<String>),
        One(String),
    }
    Ok(match Option::<ListLike>::deserialize(deserializer)? {
        None => Vec::new(),
        Some(ListLike::Many(values)) => values,
        Some(ListLike::One(value)) => vec![value],
    })
}

#[derive(Deserialize)]
#[serde(untagged)]
enum IntegerLike {
    Number(i64),
    Text(String),
}

impl IntegerLike {
    fn parse<E: serde::de::Error>(self) -> Result<i64, E> {
        match self {
            IntegerLike::Number(number) => Ok(number),
            IntegerLike::Text(text) => text
                .trim()
                .parse()
                .map_err(|_| E::custom(format!("{text:?} is not an integer"))),
        }
    }
}

/// An integer given as a JSON number or as text (`poll[expires_in]=300`).
pub fn integer<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<i64>, D::Error> {
    Option::<IntegerLike>::deserialize(deserializer)?
        .map(IntegerLike::parse)
        .transpose()
}

/// A list of integers given as numbers or text, or one such value (`choices[]=0`, `[0, 2]`).
pub fn integer_list<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Vec<i64>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum ListLike {
        Many(Vec<IntegerLike>),
        One(IntegerLike),
    }
    match Option::<ListLike>::deserialize(deserializer)? {
        None => Ok(Vec::new()),
        Some(ListLike::Many(values)) => values.into_iter().map(IntegerLike::parse).collect(),
        Some(ListLike::One(value)) => Ok(vec![value.parse()?]),
    }
}

/// Rails' nested attributes: an array of entries, or an object of them keyed by position
/// (`keywords_attributes[0][keyword]`, `media_attributes[0][id]`), taken in the order of their
/// keys.
pub fn nested_attributes<'de, D, T>(deserializer: D) -> Result<Vec<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    struct Entries<T>(PhantomData<T>);

    impl<'de, T: Deserialize<'de>> Visitor<'de> for Entries<T> {
        type Value = Vec<T>;

        fn expecting(&self, formatter: &mut std::fmt::Formatter) -> std::fmt::Result {
            formatter.write_str("a list of entries, or an object of them by position")
        }

        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
            let mut entries = Vec::new();
            while let Some(entry) = seq.next_element()? {
                entries.push(entry);
            }
            Ok(entries)
        }

        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
            let mut entries: Vec<(String, T)> = Vec::new();
            while let Some(entry) = map.next_entry()? {
                entries.push(entry);
            }
            entries.sort_by(|(left, _), (right, _)| {
                let number = |key: &str| key.parse::<u64>().unwrap_or(u64::MAX);
                number(left).cmp(&number(right)).then(left.cmp(right))
            });
            Ok(entries.into_iter().map(|(_, entry)| entry).collect())
        }

        fn visit_unit<E: serde::de::Error>(self) -> Result<Self::Value, E> {
            Ok(Vec::new())
        }
    }

    deserializer.deserialize_any(Entries(PhantomData))
}
