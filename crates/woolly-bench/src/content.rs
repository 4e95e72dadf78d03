//! What seeded statuses say and show: text of varying length with mentions and hashtags, and a
//! small image, so the server's text processing, tag index and media entities are exercised as
//! real posts exercise them.

use bytes::Bytes;
use hyper::header::HeaderValue;
use rand::Rng;
use rand::seq::IndexedRandom as _;

use crate::http_client::ApiRequest;

/// What the search measurement looks for: single words of [`WORDS`] and phrases of two.
pub fn search_words() -> Vec<String> {
    let mut searches: Vec<String> = WORDS.iter().map(|word| (*word).to_owned()).collect();
    searches.extend(
        WORDS
            .windows(2)
            .map(|pair| format!("\"{} {}\"", pair[0], pair[1])),
    );
    searches
}

const WORDS: &[&str] = &[
    "the",
    "a",
    "wool",
    "sheep",
    "morning",
    "coffee",
    "federation",
    "server",
    "timeline",
    "post",
    "garden",
    "rain",
    "today",
    "walk",
    "river",
    "book",
    "reading",
    "music",
    "train",
    "late",
    "bread",
    "baked",
    "cat",
    "asleep",
    "window",
    "sunny",
    "cold",
    "code",
    "compiles",
    "finally",
    "weekend",
    "hills",
    "knitting",
    "scarf",
    "blue",
    "green",
    "quiet",
    "noisy",
    "street",
    "market",
    "and",
    "with",
    "under",
    "over",
    "because",
    "maybe",
    "again",
    "never",
    "always",
    "small",
];

const HASHTAGS: &[&str] = &[
    "rust",
    "fediverse",
    "photography",
    "knitting",
    "caturday",
    "gardening",
    "music",
    "books",
    "coffee",
    "hiking",
    "linux",
    "opensource",
    "art",
    "cooking",
    "running",
    "science",
    "travel",
    "weather",
    "birds",
    "mastodon",
    "woolly",
    "sheep",
    "tea",
    "cycling",
    "history",
    "maps",
    "poetry",
    "film",
    "games",
    "space",
];

/// A 16×16 PNG of one colour (79 bytes): a valid image every decoder accepts, small enough
/// that uploads measure the server's media path rather than the network.
pub const SAMPLE_PNG: &[u8] = &[
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52,
    0x00, 0x00, 0x00, 0x10, 0x00, 0x00, 0x00, 0x10, 0x08, 0x02, 0x00, 0x00, 0x00, 0x90, 0x91, 0x68,
    0x36, 0x00, 0x00, 0x00, 0x16, 0x49, 0x44, 0x41, 0x54, 0x78, 0xda, 0x63, 0x38, 0x51, 0xa1, 0x41,
    0x12, 0x62, 0x18, 0xd5, 0x30, 0xaa, 0x61, 0xf8, 0x6a, 0x00, 0x00, 0x03, 0x68, 0x68, 0x10, 0xe1,
    0xad, 0xd9, 0x41, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82,
];

/// Random words, 5 to 40 of them, as short and long posts alternate in real timelines.
pub fn sentence(rng: &mut impl Rng) -> String {
    let length = rng.random_range(5..=40);
    let mut text = String::new();
    for index in 0..length {
        if index > 0 {
            text.push(' ');
        }
        text.push_str(WORDS.choose(rng).copied().unwrap_or("wool"));
    }
    text
}

/// One or two hashtags, written as people write them (`#rust`).
pub fn hashtags(rng: &mut impl Rng) -> String {
    let count = rng.random_range(1..=2);
    HASHTAGS
        .choose_multiple(rng, count)
        .map(|tag| format!("#{tag}"))
        .collect::<Vec<_>>()
        .join(" ")
}

/// `POST /api/v2/media` with [`SAMPLE_PNG`] as a multipart form, as apps upload.
pub fn image_upload() -> anyhow::Result<ApiRequest> {
    const BOUNDARY: &str = "woolly-bench-boundary-7MA4YWxkTrZu0gW";
    let mut body = Vec::with_capacity(SAMPLE_PNG.len() + 300);
    body.extend_from_slice(
        format!(
            "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"description\"\r\n\r\n\
             A square of one colour\r\n\
             --{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"square.png\"\r\n\
             Content-Type: image/png\r\n\r\n"
        )
        .as_bytes(),
    );
    body.extend_from_slice(SAMPLE_PNG);
    body.extend_from_slice(format!("\r\n--{BOUNDARY}--\r\n").as_bytes());
    let content_type = HeaderValue::from_str(&format!("multipart/form-data; boundary={BOUNDARY}"))?;
    Ok(ApiRequest::post("/api/v2/media").with_body(content_type, Bytes::from(body)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sample_image_is_a_png() {
        assert_eq!(&SAMPLE_PNG[1..4], b"PNG");
        assert_eq!(
            &SAMPLE_PNG[SAMPLE_PNG.len() - 8..SAMPLE_PNG.len() - 4],
            b"IEND"
        );
    }

    #[test]
    fn sentences_and_hashtags_vary() {
        let mut rng = rand::rng();
        let text = sentence(&mut rng);
        assert!(text.split(' ').count() >= 5);
        assert!(hashtags(&mut rng).starts_with('#'));
    }
}
