//! HTTP signatures as the fediverse uses them (draft-cavage-http-signatures-12, the scheme
//! Mastodon signs with): signing outbound requests, and verifying inbound ones.
//!
//! Signing covers `(request-target) host date` plus `digest` and `content-type` for a body, or
//! `accept` for a fetch, with RSA-SHA256 (PKCS#1 v1.5) by `aws-lc-rs`, whose RSA is constant-time.
//! Verifying follows Mastodon's `SignedRequest`: `rsa-sha256` or `hs2019` (RSA-SHA256 here);
//! the signed headers must include `date` (or `(created)`), `(request-target)` (or `digest`),
//! `host`, and `digest` when there is a body; the `Digest` must match the body; the date must
//! lie within an hour in the future and an hour and five minutes in the past.
//!
//! Looking keys up is the caller's business: a [`SignatureError::BadSignature`] with a cached key
//! is the cue to refetch the key once (the actor may have rotated it) and verify again.
//!
//! RFC 9421 signatures (`Signature-Input` and `Signature`, which Fedify and newer servers send)
//! are verified too, for `rsa-v1_5-sha256`: the covered components must include `@method`, the
//! target (`@target-uri`, `@request-target` or `@path`) and, with a body, `content-digest`,
//! which must match the body; `created` must lie in the same window as a `Date`. The
//! `@signature-params` line is the received parameters as sent, which RFC 9421 senders
//! serialize canonically.

use aws_lc_rs::signature::{self, RsaKeyPair, UnparsedPublicKey};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use time::OffsetDateTime;
use time::format_description::FormatItem;
use time::macros::format_description;

/// `Sun, 06 Nov 1994 08:49:37 GMT` (IMF-fixdate, RFC 9110).
const HTTP_DATE: &[FormatItem<'static>] = format_description!(
    "[weekday repr:short], [day] [month repr:short] [year] [hour]:[minute]:[second] GMT"
);

/// How far a signature's date may lie in the future (Mastodon's clock-skew margin).
const MAX_FUTURE_SECONDS: i64 = 60 * 60;
/// How old a signature may be: five minutes of validity plus the same margin.
const MAX_AGE_SECONDS: i64 = 60 * 60 + 5 * 60;

/// Why a request's signature was not accepted.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SignatureError {
    #[error("Request not signed")]
    Missing,
    #[error("Malformed signature: {0}")]
    Malformed(String),
    #[error("Mastodon requires the {0} header or pseudo-header to be signed")]
    MissingComponent(&'static str),
    #[error("Unsupported signature algorithm {0}")]
    UnsupportedAlgorithm(String),
    #[error("Signed request date outside acceptable time window")]
    Expired,
    #[error("Invalid Digest value: it does not match the body")]
    DigestMismatch,
    #[error("Verification failed for {0}")]
    BadSignature(String),
    #[error("The signer's key could not be read")]
    BadKey,
}

impl SignatureError {
    /// The HTTP status Mastodon answers with: 400 for what cannot be parsed, 401 otherwise.
    pub fn status(&self) -> u16 {
        match self {
            SignatureError::Malformed(_) => 400,
            _ => 401,
        }
    }
}

/// A parsed `Signature` header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signature {
    pub key_id: String,
    pub algorithm: Option<String>,
    /// The covered headers, lower-case, in order (`(request-target)`, `host`, …).
    pub headers: Vec<String>,
    pub signature: Vec<u8>,
    pub created: Option<i64>,
    pub expires: Option<i64>,
    /// For an RFC 9421 signature: its parameters as received (the `@signature-params` value);
    /// `None` for draft-cavage.
    pub rfc9421_params: Option<String>,
}

/// What a request is, as far as signatures see it.
#[derive(Debug, Clone, Copy)]
pub struct RequestParts<'a> {
    /// `http` or `https`: how the request reached this server (RFC 9421's `@scheme`).
    pub scheme: &'a str,
    /// `GET`, `POST`…
    pub method: &'a str,
    /// The path with its query, as sent (`/users/alice/inbox`).
    pub path_and_query: &'a str,
    /// The request's headers; names are compared case-insensitively.
    pub headers: &'a [(String, String)],
    pub body: &'a [u8],
}

impl RequestParts<'_> {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    }
}

/// `SHA-256=<base64>` of a body, the `Digest` header's value.
pub fn digest_header(body: &[u8]) -> String {
    let digest = aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA256, body);
    format!("SHA-256={}", STANDARD.encode(digest.as_ref()))
}

/// The current time as an HTTP `Date` header.
pub fn http_date(now: OffsetDateTime) -> String {
    now.to_offset(time::UtcOffset::UTC)
        .format(HTTP_DATE)
        .unwrap_or_default()
}

fn der_from_pem(pem: &str) -> Result<Vec<u8>, SignatureError> {
    woolly_core::pem_decode(pem).ok_or(SignatureError::BadKey)
}

/// A request about to be sent, as signing sees it.
#[derive(Debug, Clone, Copy)]
pub struct Outgoing<'a> {
    pub method: &'a str,
    pub path_and_query: &'a str,
    pub host: &'a str,
    pub body: Option<&'a [u8]>,
    /// Other headers of the request to cover, with their values (`content-type` for a
    /// delivery, `accept` for a fetch).
    pub extra: &'a [(&'a str, &'a str)],
}

/// The headers to add to a request so that it is signed by `key_id` (draft-cavage, RSA-SHA256):
/// `Date`, `Digest` for a body, and `Signature`.
pub fn sign(
    request: &Outgoing<'_>,
    key_id: &str,
    private_key_pem: &str,
    now: OffsetDateTime,
) -> Result<Vec<(String, String)>, SignatureError> {
    let Outgoing {
        method,
        path_and_query,
        host,
        body,
        extra,
    } = *request;
    let key = RsaKeyPair::from_pkcs8(&der_from_pem(private_key_pem)?)
        .map_err(|_| SignatureError::BadKey)?;
    let date = http_date(now);
    let mut covered: Vec<(String, String)> = vec![
        (
            "(request-target)".to_owned(),
            format!("{} {path_and_query}", method.to_ascii_lowercase()),
        ),
        ("host".to_owned(), host.to_owned()),
        ("date".to_owned(), date.clone()),
    ];
    let mut added = vec![("Date".to_owned(), date)];
    if let Some(body) = body {
        let digest = digest_header(body);
        covered.push(("digest".to_owned(), digest.clone()));
        added.push(("Digest".to_owned(), digest));
    }
    for (name, value) in extra {
        covered.push((name.to_ascii_lowercase(), (*value).to_owned()));
    }
    let signing_string = covered
        .iter()
        .map(|(name, value)| format!("{name}: {value}"))
        .collect::<Vec<_>>()
        .join("\n");
    let mut signed = vec![0; key.public_modulus_len()];
    key.sign(
        &signature::RSA_PKCS1_SHA256,
        &aws_lc_rs::rand::SystemRandom::new(),
        signing_string.as_bytes(),
        &mut signed,
    )
    .map_err(|_| SignatureError::BadKey)?;
    let names = covered
        .iter()
        .map(|(name, _)| name.as_str())
        .collect::<Vec<_>>()
        .join(" ");
    added.push((
        "Signature".to_owned(),
        format!(
            "keyId=\"{key_id}\",algorithm=\"rsa-sha256\",headers=\"{names}\",signature=\"{}\"",
            STANDARD.encode(&signed)
        ),
    ));
    Ok(added)
}

/// Parses a request's `Signature` header (or `Authorization: Signature …`).
pub fn parse(request: &RequestParts<'_>) -> Result<Signature, SignatureError> {
    if request.header("signature-input").is_some() {
        return parse_rfc9421(request);
    }
    let raw = match request.header("signature") {
        Some(value) => value,
        None => request
            .header("authorization")
            .and_then(|value| value.strip_prefix("Signature "))
            .ok_or(SignatureError::Missing)?,
    };
    let mut key_id = None;
    let mut algorithm = None;
    let mut headers = None;
    let mut signature_b64 = None;
    let mut created = None;
    let mut expires = None;
    for part in split_params(raw) {
        let (name, value) = part
            .split_once('=')
            .ok_or_else(|| SignatureError::Malformed(format!("no value in {part:?}")))?;
        let value = value.trim().trim_matches('"');
        match name.trim().to_ascii_lowercase().as_str() {
            "keyid" => key_id = Some(value.to_owned()),
            "algorithm" => algorithm = Some(value.to_ascii_lowercase()),
            "headers" => {
                headers = Some(
                    value
                        .split_whitespace()
                        .map(str::to_ascii_lowercase)
                        .collect(),
                )
            }
            "signature" => signature_b64 = Some(value.to_owned()),
            "created" => created = value.parse().ok(),
            "expires" => expires = value.parse().ok(),
            _ => {}
        }
    }
    let key_id = key_id.ok_or_else(|| SignatureError::Malformed("no keyId".into()))?;
    let signature = STANDARD
        .decode(signature_b64.ok_or_else(|| SignatureError::Malformed("no signature".into()))?)
        .map_err(|_| SignatureError::Malformed("the signature is not base64".into()))?;
    Ok(Signature {
        key_id,
        algorithm,
        // Without a list, the date alone is covered (the draft's default).
        headers: headers.unwrap_or_else(|| vec!["date".to_owned()]),
        signature,
        created,
        expires,
        rfc9421_params: None,
    })
}

/// The value of a header a signature covers, trimmed.
fn signed_header(request: &RequestParts<'_>, name: &str) -> Result<String, SignatureError> {
    request
        .header(name)
        .map(|value| value.trim().to_owned())
        .ok_or_else(|| SignatureError::Malformed(format!("signed header {name} is absent")))
}

/// Checks an RSASSA-PKCS1-v1_5 SHA-256 signature over `signed` with the signer's key.
fn verify_rsa_sha256(
    signed: &str,
    signature: &Signature,
    public_key_pem: &str,
) -> Result<(), SignatureError> {
    let der = der_from_pem(public_key_pem)?;
    UnparsedPublicKey::new(&signature::RSA_PKCS1_2048_8192_SHA256, der)
        .verify(signed.as_bytes(), &signature.signature)
        .map_err(|_| SignatureError::BadSignature(signature.key_id.clone()))
}

/// Splits `text` on `separator` outside double quotes and parentheses.
fn split_top_level(text: &str, separator: char) -> Vec<&str> {
    let mut parts = Vec::new();
    let (mut start, mut quoted, mut depth) = (0, false, 0_i32);
    let mut escaped = false;
    for (index, c) in text.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' if quoted => escaped = true,
            '"' => quoted = !quoted,
            '(' if !quoted => depth += 1,
            ')' if !quoted => depth -= 1,
            c if c == separator && !quoted && depth == 0 => {
                parts.push(text[start..index].trim());
                start = index + c.len_utf8();
            }
            _ => {}
        }
    }
    parts.push(text[start..].trim());
    parts.into_iter().filter(|part| !part.is_empty()).collect()
}

/// Reads the first signature of an RFC 9421 request: `Signature-Input: sig1=("@method" …);
/// keyid="…";created=…` and `Signature: sig1=:base64:`.
fn parse_rfc9421(request: &RequestParts<'_>) -> Result<Signature, SignatureError> {
    let malformed = |what: &str| SignatureError::Malformed(what.to_owned());
    let input = request.header("signature-input").unwrap_or_default();
    let first = split_top_level(input, ',')
        .into_iter()
        .next()
        .ok_or_else(|| malformed("empty Signature-Input"))?;
    let (label, params) = first
        .split_once('=')
        .ok_or_else(|| malformed("no label in Signature-Input"))?;
    let params = params.trim();
    let list_end = params
        .find(')')
        .filter(|_| params.starts_with('('))
        .ok_or_else(|| malformed("Signature-Input is not an inner list"))?;
    let components: Vec<String> = params[1..list_end]
        .split_whitespace()
        .map(|component| {
            if component.contains(';') {
                // Component parameters (`;sf`, `;key`, `;req`) change the value signed.
                return Err(malformed("component parameters are not supported"));
            }
            Ok(component.trim_matches('"').to_ascii_lowercase())
        })
        .collect::<Result<_, _>>()?;
    let (mut key_id, mut algorithm, mut created, mut expires) = (None, None, None, None);
    for param in split_top_level(&params[list_end + 1..], ';') {
        let (name, value) = param.split_once('=').unwrap_or((param, ""));
        let value = value.trim().trim_matches('"');
        match name.trim() {
            "keyid" => key_id = Some(value.to_owned()),
            "alg" => algorithm = Some(value.to_ascii_lowercase()),
            "created" => created = value.parse().ok(),
            "expires" => expires = value.parse().ok(),
            _ => {}
        }
    }
    let signature_header = request.header("signature").ok_or(SignatureError::Missing)?;
    let encoded = split_top_level(signature_header, ',')
        .into_iter()
        .filter_map(|member| member.split_once('='))
        .find(|(name, _)| name.trim() == label.trim())
        .map(|(_, value)| value.trim().trim_matches(':'))
        .ok_or_else(|| malformed("no signature for the Signature-Input label"))?;
    let signature = STANDARD
        .decode(encoded)
        .map_err(|_| malformed("the signature is not base64"))?;
    Ok(Signature {
        key_id: key_id.ok_or_else(|| malformed("no keyid"))?,
        algorithm,
        headers: components,
        signature,
        created,
        expires,
        rfc9421_params: Some(params.to_owned()),
    })
}

/// Checks an RFC 9421 signature: required components, time window, `Content-Digest`, then the
/// RSA signature over the signature base.
fn check_rfc9421_before_key(
    request: &RequestParts<'_>,
    signature: &Signature,
    now: OffsetDateTime,
) -> Result<(), SignatureError> {
    match signature.algorithm.as_deref() {
        None | Some("rsa-v1_5-sha256") => {}
        Some(other) => return Err(SignatureError::UnsupportedAlgorithm(other.to_owned())),
    }
    let covers = |name: &str| signature.headers.iter().any(|header| header == name);
    if !covers("@method") {
        return Err(SignatureError::MissingComponent("@method"));
    }
    if !covers("@target-uri") && !covers("@request-target") && !covers("@path") {
        return Err(SignatureError::MissingComponent("@target-uri"));
    }
    let has_body = !request.body.is_empty() || request.method.eq_ignore_ascii_case("POST");
    if has_body && !covers("content-digest") {
        return Err(SignatureError::MissingComponent("content-digest"));
    }
    if signature.created.is_none() {
        return Err(SignatureError::MissingComponent("created"));
    }
    check_time(request, signature, now)?;
    if covers("content-digest") {
        check_content_digest(request)?;
    }
    Ok(())
}

fn verify_rfc9421(
    request: &RequestParts<'_>,
    signature: &Signature,
    params: &str,
    public_key_pem: &str,
) -> Result<(), SignatureError> {
    let authority = request
        .header("host")
        .ok_or(SignatureError::MissingComponent("host"))?
        .trim()
        .to_ascii_lowercase();
    let (path, query) = request
        .path_and_query
        .split_once('?')
        .unwrap_or((request.path_and_query, ""));
    let mut lines = Vec::with_capacity(signature.headers.len() + 1);
    for name in &signature.headers {
        let value = match name.as_str() {
            "@method" => request.method.to_ascii_uppercase(),
            "@target-uri" => format!("{}://{authority}{}", request.scheme, request.path_and_query),
            "@authority" => authority.clone(),
            "@scheme" => request.scheme.to_owned(),
            "@request-target" => request.path_and_query.to_owned(),
            "@path" => path.to_owned(),
            "@query" => format!("?{query}"),
            derived if derived.starts_with('@') => {
                return Err(SignatureError::Malformed(format!(
                    "unsupported component {derived}"
                )));
            }
            header => signed_header(request, header)?,
        };
        lines.push(format!("\"{name}\": {value}"));
    }
    lines.push(format!("\"@signature-params\": {params}"));
    verify_rsa_sha256(&lines.join("\n"), signature, public_key_pem)
}

/// `Content-Digest` (RFC 9530): its `sha-256` or `sha-512` entry must match the body.
fn check_content_digest(request: &RequestParts<'_>) -> Result<(), SignatureError> {
    let header = request
        .header("content-digest")
        .ok_or(SignatureError::MissingComponent("content-digest"))?;
    let mut checked = false;
    for entry in split_top_level(header, ',') {
        let Some((algorithm, value)) = entry.split_once('=') else {
            continue;
        };
        let algorithm = match algorithm.trim().to_ascii_lowercase().as_str() {
            "sha-256" => &aws_lc_rs::digest::SHA256,
            "sha-512" => &aws_lc_rs::digest::SHA512,
            _ => continue,
        };
        let expected = aws_lc_rs::digest::digest(algorithm, request.body);
        let given = STANDARD
            .decode(value.trim().trim_matches(':'))
            .map_err(|_| SignatureError::DigestMismatch)?;
        if given != expected.as_ref() {
            return Err(SignatureError::DigestMismatch);
        }
        checked = true;
    }
    if checked {
        Ok(())
    } else {
        Err(SignatureError::DigestMismatch)
    }
}

/// Splits `a="x,y",b="z"` on the commas outside quotes.
fn split_params(raw: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let mut start = 0;
    let mut quoted = false;
    for (index, c) in raw.char_indices() {
        match c {
            '"' => quoted = !quoted,
            ',' if !quoted => {
                parts.push(raw[start..index].trim());
                start = index + 1;
            }
            _ => {}
        }
    }
    parts.push(raw[start..].trim());
    parts.into_iter().filter(|part| !part.is_empty()).collect()
}

/// Checks a parsed signature against the request and the signer's public key (SPKI PEM):
/// everything [`check_before_key`] checks, then the signature itself.
pub fn verify(
    request: &RequestParts<'_>,
    signature: &Signature,
    public_key_pem: &str,
    now: OffsetDateTime,
) -> Result<(), SignatureError> {
    check_before_key(request, signature, now)?;
    match &signature.rfc9421_params {
        Some(params) => verify_rfc9421(request, signature, params, public_key_pem),
        None => verify_cavage(request, signature, public_key_pem),
    }
}

/// What can be checked of a signed request without the signer's key: the algorithm, Mastodon's
/// required components, the time window and the body's digest. The inbox checks these before
/// it fetches a key, so that a stale or altered delivery makes Woolly fetch nothing.
pub fn check_before_key(
    request: &RequestParts<'_>,
    signature: &Signature,
    now: OffsetDateTime,
) -> Result<(), SignatureError> {
    if signature.rfc9421_params.is_some() {
        return check_rfc9421_before_key(request, signature, now);
    }
    match signature.algorithm.as_deref() {
        None | Some("rsa-sha256") | Some("hs2019") => {}
        Some(other) => return Err(SignatureError::UnsupportedAlgorithm(other.to_owned())),
    }
    let covers = |name: &str| signature.headers.iter().any(|header| header == name);
    if !covers("date") && !covers("(created)") {
        return Err(SignatureError::MissingComponent("date"));
    }
    if !covers("(request-target)") && !covers("digest") {
        return Err(SignatureError::MissingComponent("(request-target)"));
    }
    if !covers("host") {
        return Err(SignatureError::MissingComponent("host"));
    }
    let has_body = !request.body.is_empty() || request.method.eq_ignore_ascii_case("POST");
    if has_body && !covers("digest") {
        return Err(SignatureError::MissingComponent("digest"));
    }
    check_time(request, signature, now)?;
    if covers("digest") {
        check_digest(request)?;
    }
    Ok(())
}

/// The draft-cavage signature itself, over the components it names.
fn verify_cavage(
    request: &RequestParts<'_>,
    signature: &Signature,
    public_key_pem: &str,
) -> Result<(), SignatureError> {
    let mut lines = Vec::with_capacity(signature.headers.len());
    for name in &signature.headers {
        let value = match name.as_str() {
            "(request-target)" => format!(
                "{} {}",
                request.method.to_ascii_lowercase(),
                request.path_and_query
            ),
            "(created)" => signature
                .created
                .ok_or_else(|| SignatureError::Malformed("(created) without created".into()))?
                .to_string(),
            "(expires)" => signature
                .expires
                .ok_or_else(|| SignatureError::Malformed("(expires) without expires".into()))?
                .to_string(),
            header => signed_header(request, header)?,
        };
        lines.push(format!("{name}: {value}"));
    }
    verify_rsa_sha256(&lines.join("\n"), signature, public_key_pem)
}

fn check_time(
    request: &RequestParts<'_>,
    signature: &Signature,
    now: OffsetDateTime,
) -> Result<(), SignatureError> {
    let now = now.unix_timestamp();
    let signed_at = match signature.created {
        Some(created) => created,
        None => {
            let date = request
                .header("date")
                .ok_or(SignatureError::MissingComponent("date"))?;
            OffsetDateTime::parse(date.trim(), HTTP_DATE)
                .or_else(|_| {
                    OffsetDateTime::parse(
                        date.trim(),
                        &time::format_description::well_known::Rfc2822,
                    )
                })
                .map_err(|_| SignatureError::Malformed(format!("unreadable Date {date:?}")))?
                .unix_timestamp()
        }
    };
    if signed_at > now + MAX_FUTURE_SECONDS {
        return Err(SignatureError::Expired);
    }
    let expired = match signature.expires {
        Some(expires) => expires < now,
        None => signed_at < now - MAX_AGE_SECONDS,
    };
    if expired {
        return Err(SignatureError::Expired);
    }
    Ok(())
}

fn check_digest(request: &RequestParts<'_>) -> Result<(), SignatureError> {
    let header = request
        .header("digest")
        .ok_or(SignatureError::MissingComponent("digest"))?;
    let expected = digest_header(request.body);
    // Several digests may be listed; the SHA-256 one must match.
    let matches = header
        .split(',')
        .filter_map(|entry| entry.trim().split_once('='))
        .filter(|(algorithm, _)| algorithm.eq_ignore_ascii_case("SHA-256"))
        .any(|(_, value)| expected == format!("SHA-256={}", value.trim()));
    if matches {
        Ok(())
    } else {
        Err(SignatureError::DigestMismatch)
    }
}

#[cfg(test)]
mod tests {
    use aws_lc_rs::encoding::AsDer as _;
    use aws_lc_rs::rsa::{KeyPair, KeySize};
    use aws_lc_rs::signature::KeyPair as _;

    use super::*;

    fn pem(label: &str, der: &[u8]) -> String {
        format!(
            "-----BEGIN {label}-----\n{}\n-----END {label}-----\n",
            STANDARD.encode(der)
        )
    }

    fn keys() -> (String, String) {
        let pair = KeyPair::generate(KeySize::Rsa2048).unwrap();
        let private = pem("PRIVATE KEY", pair.as_der().unwrap().as_ref());
        let public = pem("PUBLIC KEY", pair.public_key().as_der().unwrap().as_ref());
        (private, public)
    }

    fn now() -> OffsetDateTime {
        OffsetDateTime::from_unix_timestamp(1_763_900_000).unwrap()
    }

    /// A signed delivery as it arrives: the added headers plus Host and Content-Type.
    fn delivery(private: &str, body: &[u8]) -> Vec<(String, String)> {
        let outgoing = Outgoing {
            method: "POST",
            path_and_query: "/users/bob/inbox",
            host: "b.example",
            body: Some(body),
            extra: &[("content-type", "application/activity+json")],
        };
        let mut headers = sign(
            &outgoing,
            "https://a.example/users/alice#main-key",
            private,
            now(),
        )
        .unwrap();
        headers.push(("Host".into(), "b.example".into()));
        headers.push(("Content-Type".into(), "application/activity+json".into()));
        headers
    }

    fn check(
        headers: &[(String, String)],
        body: &[u8],
        public: &str,
        at: OffsetDateTime,
    ) -> Result<(), SignatureError> {
        let request = RequestParts {
            scheme: "https",
            method: "POST",
            path_and_query: "/users/bob/inbox",
            headers,
            body,
        };
        let signature = parse(&request)?;
        verify(&request, &signature, public, at)
    }

    #[test]
    fn a_signed_delivery_verifies_and_any_change_breaks_it() {
        let (private, public) = keys();
        let body = br#"{"type":"Follow"}"#;
        let headers = delivery(&private, body);
        assert_eq!(check(&headers, body, &public, now()), Ok(()));
        let signature = parse(&RequestParts {
            scheme: "https",
            method: "POST",
            path_and_query: "/",
            headers: &headers,
            body,
        })
        .unwrap();
        assert_eq!(signature.key_id, "https://a.example/users/alice#main-key");
        assert_eq!(
            signature.headers,
            ["(request-target)", "host", "date", "digest", "content-type"]
        );

        assert_eq!(
            check(&headers, br#"{"type":"Like"}"#, &public, now()),
            Err(SignatureError::DigestMismatch)
        );
        let mut moved = headers.clone();
        moved.retain(|(name, _)| name != "Host");
        moved.push(("host".into(), "c.example".into()));
        assert!(matches!(
            check(&moved, body, &public, now()),
            Err(SignatureError::BadSignature(_))
        ));
        let (_, other_public) = keys();
        assert!(matches!(
            check(&headers, body, &other_public, now()),
            Err(SignatureError::BadSignature(_))
        ));
        let late = now() + time::Duration::minutes(66);
        assert_eq!(
            check(&headers, body, &public, late),
            Err(SignatureError::Expired)
        );
        let early = now() - time::Duration::minutes(61);
        assert_eq!(
            check(&headers, body, &public, early),
            Err(SignatureError::Expired)
        );
        assert_eq!(
            check(&headers, body, &public, now() + time::Duration::minutes(64)),
            Ok(())
        );
    }

    #[test]
    fn mastodons_required_components_and_odd_headers() {
        let (private, public) = keys();
        let body = b"{}";
        let headers = delivery(&private, body);
        let without = |name: &str| -> Vec<(String, String)> {
            headers
                .iter()
                .map(|(key, value)| {
                    if key == "Signature" {
                        let covered = value.replace(&format!(" {name}"), "");
                        (key.clone(), covered)
                    } else {
                        (key.clone(), value.clone())
                    }
                })
                .collect()
        };
        assert_eq!(
            check(&without("digest"), body, &public, now()),
            Err(SignatureError::MissingComponent("digest"))
        );
        assert_eq!(
            check(&without("host"), body, &public, now()),
            Err(SignatureError::MissingComponent("host"))
        );
        let unsigned: Vec<(String, String)> = headers
            .iter()
            .filter(|(key, _)| key != "Signature")
            .cloned()
            .collect();
        assert_eq!(
            check(&unsigned, body, &public, now()),
            Err(SignatureError::Missing)
        );
        for garbage in [
            "",
            "keyId",
            "keyId=\"x\"",
            "keyId=\"x\",signature=\"%%%\"",
            ",,,=,",
        ] {
            let mut odd = unsigned.clone();
            odd.push(("Signature".into(), garbage.into()));
            let result = check(&odd, body, &public, now());
            assert!(
                matches!(result, Err(SignatureError::Malformed(_))),
                "{garbage:?}: {result:?}"
            );
            assert_eq!(result.unwrap_err().status(), 400);
        }
        let hs2019: Vec<(String, String)> = headers
            .iter()
            .map(|(key, value)| (key.clone(), value.replace("rsa-sha256", "hs2019")))
            .collect();
        assert_eq!(
            check(&hs2019, body, &public, now()),
            Ok(()),
            "hs2019 is RSA-SHA256 here"
        );
        let shouted: Vec<(String, String)> = headers
            .iter()
            .map(|(key, value)| (key.to_uppercase(), value.clone()))
            .collect();
        assert_eq!(
            check(&shouted, body, &public, now()),
            Ok(()),
            "header names in any case"
        );
        assert_eq!(SignatureError::Expired.status(), 401);
    }

    #[test]
    fn dates_are_imf_fixdate() {
        assert_eq!(http_date(now()), "Sun, 23 Nov 2025 12:13:20 GMT");
        assert_eq!(
            digest_header(b""),
            "SHA-256=47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU="
        );
    }

    /// An RFC 9421 delivery as Fedify sends it, signed over `components` by `private`.
    fn rfc9421_delivery(
        private: &str,
        body: &[u8],
        components: &[&str],
        created: i64,
    ) -> Vec<(String, String)> {
        let digest = aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA256, body);
        let content_digest = format!("sha-256=:{}:", STANDARD.encode(digest.as_ref()));
        let list = components
            .iter()
            .map(|component| format!("\"{component}\""))
            .collect::<Vec<_>>()
            .join(" ");
        let params = format!(
            "({list});alg=\"rsa-v1_5-sha256\";keyid=\"https://a.example/users/alice#main-key\";created={created}"
        );
        let mut lines = Vec::new();
        for component in components {
            let value = match *component {
                "@method" => "POST".to_owned(),
                "@target-uri" => "https://b.example/users/bob/inbox".to_owned(),
                "@authority" => "b.example".to_owned(),
                "content-digest" => content_digest.clone(),
                other => panic!("{other}"),
            };
            lines.push(format!("\"{component}\": {value}"));
        }
        lines.push(format!("\"@signature-params\": {params}"));
        let key = RsaKeyPair::from_pkcs8(&der_from_pem(private).unwrap()).unwrap();
        let mut signed = vec![0; key.public_modulus_len()];
        key.sign(
            &signature::RSA_PKCS1_SHA256,
            &aws_lc_rs::rand::SystemRandom::new(),
            lines.join("\n").as_bytes(),
            &mut signed,
        )
        .unwrap();
        vec![
            ("Host".into(), "b.example".into()),
            ("Content-Digest".into(), content_digest),
            ("Signature-Input".into(), format!("sig1={params}")),
            (
                "Signature".into(),
                format!("sig1=:{}:", STANDARD.encode(&signed)),
            ),
        ]
    }

    fn verify_rfc9421_delivery(
        headers: &[(String, String)],
        body: &[u8],
        public: &str,
    ) -> Result<(), SignatureError> {
        let request = RequestParts {
            scheme: "https",
            method: "POST",
            path_and_query: "/users/bob/inbox",
            headers,
            body,
        };
        let signature = parse(&request)?;
        assert!(signature.rfc9421_params.is_some());
        verify(&request, &signature, public, now())
    }

    #[test]
    fn rfc9421_signatures_verify_and_tampering_fails() {
        let (private, public) = keys();
        let body = br#"{"type":"Create"}"#;
        let all = ["@method", "@target-uri", "@authority", "content-digest"];
        let headers = rfc9421_delivery(&private, body, &all, now().unix_timestamp());
        verify_rfc9421_delivery(&headers, body, &public).unwrap();
        // Another body: its digest no longer matches.
        assert_eq!(
            verify_rfc9421_delivery(&headers, br#"{"type":"Delete"}"#, &public),
            Err(SignatureError::DigestMismatch)
        );
        // Another key.
        let (_, other_public) = keys();
        assert!(matches!(
            verify_rfc9421_delivery(&headers, body, &other_public),
            Err(SignatureError::BadSignature(_))
        ));
        // Too old.
        let old = rfc9421_delivery(&private, body, &all, now().unix_timestamp() - 3 * 3600);
        assert_eq!(
            verify_rfc9421_delivery(&old, body, &public),
            Err(SignatureError::Expired)
        );
        // A body whose digest is not covered.
        let partial = rfc9421_delivery(
            &private,
            body,
            &["@method", "@target-uri"],
            now().unix_timestamp(),
        );
        assert_eq!(
            verify_rfc9421_delivery(&partial, body, &public),
            Err(SignatureError::MissingComponent("content-digest"))
        );
    }
}
