//! Lenient parameter types: form bodies and query strings carry everything as text, JSON bodies
//! as typed values, and clients send booleans as `true`, `"true"`, `1` or `"1"`.

use serde::{Deserialize, Deserializer};

#[derive(Deserialize)]
#[serde(untagged)]
enum BoolLike {
    Bool(bool),
    Number(i64),
    Text(String),
}

/// Rails' boolean casting (`ActiveModel::Type::Boolean`): `false`, `0`, `f`, `off`, `no` and
/// the empty string are false, anything else true.
pub fn boolean<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<bool>, D::Error> {
    Ok(
        Option::<BoolLike>::deserialize(deserializer)?.map(|value| match value {
            BoolLike::Bool(value) => value,
            BoolLike::Number(value) => value != 0,
            BoolLike::Text(text) => !matches!(
                text.trim().to_ascii_lowercase().as_str(),
                "" | "false" | "0" | "f" | "off" | "no" | "n"
            ),
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
