//! What a snapshot keeps of a JSON document Woolly serves or sends: its shape and its stable
//! values. Ids become `[id1]`, `[id2]`… in the order they first appear in the document (so
//! equal ids stay visibly equal), times (also Unix milliseconds in ids) `[time]`, the random part
//! of upload paths `[random]`, secrets `[secret]`, and the given base URLs
//! (servers on ephemeral ports) names of their own. A change of shape then shows in review as
//! a changed `.snap` file.

use std::collections::HashMap;
use std::sync::LazyLock;

use regex::Regex;
use serde_json::Value;

/// Keys whose values are secrets or differ on every run whatever they hold.
const SECRET_KEYS: [&str; 6] = [
    "access_token",
    "client_id",
    "client_secret",
    "vapid_key",
    "public_key",
    "publicKeyPem",
];

/// Keys holding times as numbers or as Unix seconds in strings.
const TIME_KEYS: [&str; 4] = ["created_at", "day", "week", "expires_at"];

static TIME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})")
        .expect("a time pattern")
});
static DATE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\d{4}-\d{2}-\d{2}$").expect("a date pattern"));
/// The random part of an upload's folder (`/media/ID-RANDOM/…`).
static UPLOAD_FOLDER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"/media/(\d{15,20})-[A-Za-z0-9_-]{22}/").expect("a folder pattern")
});
/// Ids (snowflakes of 15 or more digits) and Unix milliseconds (13 digits) in any text.
static NUMBER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\d{13,20}").expect("a number pattern"));

/// `value` with its unstable parts replaced; `bases` are `(URL, name)` pairs such as
/// `("http://127.0.0.1:41234", "http://woolly")`.
pub fn normalized(value: &Value, bases: &[(&str, &str)]) -> Value {
    let mut ids = HashMap::new();
    walk(value, None, bases, &mut ids)
}

fn walk(
    value: &Value,
    key: Option<&str>,
    bases: &[(&str, &str)],
    ids: &mut HashMap<String, String>,
) -> Value {
    match value {
        Value::Object(fields) => Value::Object(
            fields
                .iter()
                .map(|(name, inner)| (name.clone(), walk(inner, Some(name), bases, ids)))
                .collect(),
        ),
        Value::Array(items) => Value::Array(
            items
                .iter()
                .map(|item| walk(item, key, bases, ids))
                .collect(),
        ),
        Value::String(_) | Value::Number(_)
            if key.is_some_and(|key| SECRET_KEYS.contains(&key)) =>
        {
            Value::String("[secret]".into())
        }
        Value::Number(_) if key.is_some_and(|key| TIME_KEYS.contains(&key)) => {
            Value::String("[time]".into())
        }
        Value::String(text)
            if key.is_some_and(|key| TIME_KEYS.contains(&key))
                && text.chars().all(|c| c.is_ascii_digit()) =>
        {
            Value::String("[time]".into())
        }
        Value::String(text) => Value::String(clean(text, bases, ids)),
        other => other.clone(),
    }
}

fn clean(text: &str, bases: &[(&str, &str)], ids: &mut HashMap<String, String>) -> String {
    let mut text = text.to_owned();
    for (base, name) in bases {
        text = text.replace(base, name);
    }
    let text = TIME.replace_all(&text, "[time]");
    let text = DATE.replace_all(&text, "[date]");
    let text = UPLOAD_FOLDER.replace_all(&text, "/media/$1-[random]/");
    NUMBER
        .replace_all(&text, |found: &regex::Captures| {
            if found[0].len() < 15 {
                return "[time]".to_owned();
            }
            let count = ids.len() + 1;
            ids.entry(found[0].to_owned())
                .or_insert_with(|| format!("[id{count}]"))
                .clone()
        })
        .into_owned()
}
