//! The cryptographic primitives the use cases need: password hashing (argon2id), RSA key pairs
//! for federation (aws-lc-rs, constant-time), random secrets and token digests.
//!
//! Every function here is CPU-bound or blocking-safe; callers run the slow ones through
//! [`crate::Woolly::run_cpu_bound`].

use argon2::password_hash::{PasswordHash, PasswordVerifier};
use argon2::{Algorithm, Argon2, Params, Version};
use aws_lc_rs::encoding::AsDer;
use aws_lc_rs::rsa::{KeyPair, KeySize};
use aws_lc_rs::signature::KeyPair as _;
use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD, URL_SAFE_NO_PAD};
use rand::Rng as _;

use crate::error::CoreError;

/// OWASP's argon2id recommendation: 19 MiB, two passes, one lane (~50 ms on one core here).
fn argon2() -> Result<Argon2<'static>, CoreError> {
    let params = Params::new(19 * 1024, 2, 1, None)
        .map_err(|error| CoreError::Internal(format!("argon2 parameters: {error}")))?;
    Ok(Argon2::new(Algorithm::Argon2id, Version::V0x13, params))
}

thread_local! {
    /// argon2's working memory, kept by each CPU thread for its next hash: 19 MiB allocated once
    /// per thread rather than once per hash (an allocator keeps freed blocks of that size per
    /// thread, which is how a sign-up flood once reached 394 MB).
    static ARGON2_MEMORY: std::cell::RefCell<Vec<argon2::Block>> =
        const { std::cell::RefCell::new(Vec::new()) };
}

/// Runs `argon2` over `password` and `salt` into `out`, in this thread's kept memory.
fn argon2_into(
    argon2: &Argon2<'_>,
    password: &[u8],
    salt: &[u8],
    out: &mut [u8],
) -> Result<(), argon2::Error> {
    ARGON2_MEMORY.with(|memory| {
        let mut memory = memory.borrow_mut();
        let needed = argon2.params().block_count();
        if memory.len() < needed {
            memory.resize(needed, argon2::Block::default());
        }
        argon2.hash_password_into_with_memory(password, salt, out, &mut memory[..needed])
    })
}

/// The length of the hashes Woolly writes (argon2's default output, 32 bytes).
const HASH_BYTES: usize = 32;

/// Hashes a password into a PHC string (`$argon2id$v=19$m=19456,t=2,p=1$…`).
pub(crate) fn hash_password(password: &str) -> Result<String, CoreError> {
    let mut salt = [0u8; 16];
    rand::rng().fill(&mut salt);
    let argon2 = argon2()?;
    let mut hash = [0u8; HASH_BYTES];
    argon2_into(&argon2, password.as_bytes(), &salt, &mut hash)
        .map_err(|error| CoreError::Internal(format!("password hashing: {error}")))?;
    let params = argon2.params();
    Ok(format!(
        "$argon2id$v=19$m={},t={},p={}${}${}",
        params.m_cost(),
        params.t_cost(),
        params.p_cost(),
        STANDARD_NO_PAD.encode(salt),
        STANDARD_NO_PAD.encode(hash)
    ))
}

/// A valid argon2id hash of a random password nobody knows: verified against when a sign-in names
/// no account, so that an unknown login costs as much time as a wrong password.
pub(crate) const DUMMY_PASSWORD_HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$TzmMRqzdxCStTzl3Bm1bpe8BCHx2/eDs+bm5czKrYGQ";

/// Whether `password` matches a stored PHC hash. A malformed hash never matches.
pub(crate) fn verify_password(password: &str, stored_hash: &str) -> bool {
    let Ok(parsed) = PasswordHash::new(stored_hash) else {
        return false;
    };
    // Woolly's own hashes are checked in this thread's kept memory; any other argon2 hash
    // (other parameters, another variant) by the library's own path.
    if let Some(matches) = verify_argon2id_in_kept_memory(password, &parsed) {
        return matches;
    }
    argon2().is_ok_and(|argon2| argon2.verify_password(password.as_bytes(), &parsed).is_ok())
}

/// `Some(whether it matches)` for an argon2id v19 hash with Woolly's parameters.
fn verify_argon2id_in_kept_memory(password: &str, parsed: &PasswordHash<'_>) -> Option<bool> {
    let argon2 = argon2().ok()?;
    let stored = Params::try_from(parsed).ok()?;
    let wanted = argon2.params();
    let ours = parsed.algorithm.as_str() == "argon2id"
        && parsed.version == Some(0x13)
        && (stored.m_cost(), stored.t_cost(), stored.p_cost())
            == (wanted.m_cost(), wanted.t_cost(), wanted.p_cost());
    if !ours {
        return None;
    }
    let expected = parsed.hash?;
    let mut salt = [0u8; 64];
    let salt = parsed.salt?.decode_b64(&mut salt).ok()?;
    let mut computed = vec![0u8; expected.len()];
    argon2_into(&argon2, password.as_bytes(), salt, &mut computed).ok()?;
    // `Output`'s equality takes the same time wherever the bytes differ.
    Some(argon2::password_hash::Output::new(&computed).ok()? == expected)
}

/// An RSA key pair in PEM: PKCS#8 private key and SubjectPublicKeyInfo public key, the forms
/// ActivityPub peers expect in `publicKey.publicKeyPem`.
pub(crate) struct RsaPemPair {
    pub private_pem: String,
    pub public_pem: String,
}

/// Generates a 2048-bit RSA key pair (~100 ms of CPU).
pub(crate) fn generate_rsa_key_pair() -> Result<RsaPemPair, CoreError> {
    let failed = |what: &str| CoreError::Internal(format!("RSA key generation: {what}"));
    let key_pair = KeyPair::generate(KeySize::Rsa2048).map_err(|_| failed("generate"))?;
    let private_der = key_pair
        .as_der()
        .map_err(|_| failed("encode private key"))?;
    let public_der = key_pair
        .public_key()
        .as_der()
        .map_err(|_| failed("encode public key"))?;
    Ok(RsaPemPair {
        private_pem: pem_encode("PRIVATE KEY", private_der.as_ref()),
        public_pem: pem_encode("PUBLIC KEY", public_der.as_ref()),
    })
}

/// The public half of a PEM private key from [`generate_rsa_key_pair`], as SubjectPublicKeyInfo
/// PEM.
pub(crate) fn rsa_public_pem(private_pem: &str) -> Result<String, CoreError> {
    let corrupt = || CoreError::Internal("a stored RSA private key is unreadable".into());
    let der = pem_decode(private_pem).ok_or_else(corrupt)?;
    let key_pair = KeyPair::from_pkcs8(&der).map_err(|_| corrupt())?;
    let public_der = key_pair.public_key().as_der().map_err(|_| corrupt())?;
    Ok(pem_encode("PUBLIC KEY", public_der.as_ref()))
}

/// The DER inside a PEM block (its base64 lines between the `-----` markers).
pub fn pem_decode(pem: &str) -> Option<Vec<u8>> {
    let body: String = pem
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty() && !line.starts_with("-----"))
        .collect();
    STANDARD.decode(body).ok()
}

fn pem_encode(label: &str, der: &[u8]) -> String {
    let body = STANDARD.encode(der);
    let mut pem = format!("-----BEGIN {label}-----\n");
    for line in body.as_bytes().chunks(64) {
        pem.push_str(&String::from_utf8_lossy(line));
        pem.push('\n');
    }
    pem.push_str(&format!("-----END {label}-----\n"));
    pem
}

/// A new P-256 private key (PKCS#8, base64): the instance's VAPID key for Web Push.
/// `None` only when the system's random source fails.
pub(crate) fn generate_p256_pkcs8() -> Option<String> {
    use aws_lc_rs::signature::{ECDSA_P256_SHA256_FIXED_SIGNING, EcdsaKeyPair};
    EcdsaKeyPair::generate(&ECDSA_P256_SHA256_FIXED_SIGNING)
        .ok()
        .and_then(|pair| pair.to_pkcs8v1().ok())
        .map(|der| STANDARD.encode(der.as_ref()))
}

/// The public half of a key from [`generate_p256_pkcs8`], as Web Push wants it: the
/// uncompressed point in URL-safe base64 without padding.
pub(crate) fn p256_public_key(pkcs8_base64: &str) -> Result<String, CoreError> {
    use aws_lc_rs::signature::{ECDSA_P256_SHA256_FIXED_SIGNING, EcdsaKeyPair};
    let corrupt = || CoreError::Internal("the stored VAPID key is unreadable".into());
    let der = STANDARD.decode(pkcs8_base64).map_err(|_| corrupt())?;
    let pair =
        EcdsaKeyPair::from_pkcs8(&ECDSA_P256_SHA256_FIXED_SIGNING, &der).map_err(|_| corrupt())?;
    Ok(URL_SAFE_NO_PAD.encode(pair.public_key().as_ref()))
}

/// The key that seals secrets Woolly must read back but that a copy of the database alone must
/// not give away (two-factor secrets), as Mastodon's `OTP_SECRET` does. It lives outside the
/// database: the binary keeps it in `DATA_DIR/secret.key`.
#[derive(Clone)]
pub struct SealingKey(std::sync::Arc<aws_lc_rs::aead::RandomizedNonceKey>);

impl std::fmt::Debug for SealingKey {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter.write_str("SealingKey(…)")
    }
}

/// What a sealed value starts with: the scheme, so that another can follow.
const SEALED_PREFIX: &str = "sealed1:";

impl SealingKey {
    /// Bytes a key is made of.
    pub const LENGTH: usize = 32;

    /// A new random key, in the hexadecimal [`SealingKey::from_hex`] reads.
    pub fn generate_hex() -> String {
        let mut bytes = [0u8; Self::LENGTH];
        rand::rng().fill(&mut bytes);
        hex(&bytes)
    }

    /// The key written in `text` in hexadecimal; `None` unless it holds exactly
    /// [`SealingKey::LENGTH`] bytes.
    pub fn from_hex(text: &str) -> Option<SealingKey> {
        if text.len() != 2 * Self::LENGTH {
            return None;
        }
        let bytes: Vec<u8> = (0..text.len())
            .step_by(2)
            .map(|at| u8::from_str_radix(text.get(at..at + 2)?, 16).ok())
            .collect::<Option<_>>()?;
        let key =
            aws_lc_rs::aead::RandomizedNonceKey::new(&aws_lc_rs::aead::AES_256_GCM, &bytes).ok()?;
        Some(SealingKey(std::sync::Arc::new(key)))
    }

    /// `plaintext` sealed (AES-256-GCM with a random nonce), as text to store.
    pub(crate) fn seal(&self, plaintext: &str) -> Result<String, CoreError> {
        let mut sealed = plaintext.as_bytes().to_vec();
        let nonce = self
            .0
            .seal_in_place_append_tag(aws_lc_rs::aead::Aad::empty(), &mut sealed)
            .map_err(|_| CoreError::Internal("could not seal a secret".into()))?;
        let mut stored = nonce.as_ref().to_vec();
        stored.append(&mut sealed);
        Ok(format!("{SEALED_PREFIX}{}", STANDARD_NO_PAD.encode(stored)))
    }

    /// What [`SealingKey::seal`] sealed; `None` when `stored` was not sealed with this key.
    pub(crate) fn open(&self, stored: &str) -> Option<String> {
        let bytes = STANDARD_NO_PAD
            .decode(stored.strip_prefix(SEALED_PREFIX)?)
            .ok()?;
        if bytes.len() < aws_lc_rs::aead::NONCE_LEN {
            return None;
        }
        let (nonce, sealed) = bytes.split_at(aws_lc_rs::aead::NONCE_LEN);
        let nonce = aws_lc_rs::aead::Nonce::try_assume_unique_for_key(nonce).ok()?;
        let mut sealed = sealed.to_vec();
        let opened = self
            .0
            .open_in_place(nonce, aws_lc_rs::aead::Aad::empty(), &mut sealed)
            .ok()?;
        String::from_utf8(opened.to_vec()).ok()
    }
}

/// A new secret of `bytes` random bytes, URL-safe base64 without padding (32 bytes: 43
/// characters, the shape of Mastodon's access tokens).
pub(crate) fn random_secret(bytes: usize) -> String {
    let mut buffer = vec![0u8; bytes];
    rand::rng().fill(buffer.as_mut_slice());
    URL_SAFE_NO_PAD.encode(buffer)
}

/// A password for a person to type: 24 letters and digits (~142 bits).
pub(crate) fn random_password() -> String {
    random_code(24)
}

/// A short code for a person to type or paste: `length` letters and digits.
pub(crate) fn random_code(length: usize) -> String {
    rand::rng()
        .sample_iter(rand::distr::Alphanumeric)
        .take(length)
        .map(char::from)
        .collect()
}

/// The SHA-256 of a token, in lower-case hex: what the database stores and looks up.
pub(crate) fn token_digest(token: &str) -> String {
    hex(aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA256, token.as_bytes()).as_ref())
}

/// `bytes` in lower-case hexadecimal.
pub(crate) fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|byte| format!("{byte:02x}")).collect()
}

/// A stable positive 63-bit number for a name (the first bytes of its SHA-256).
pub(crate) fn name_number(name: &str) -> i64 {
    let digest = aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA256, name.as_bytes());
    let mut bytes = [0u8; 8];
    bytes.copy_from_slice(&digest.as_ref()[..8]);
    i64::from_be_bytes(bytes) & i64::MAX
}

#[cfg(test)]
mod tests {
    use super::*;
    use argon2::password_hash::{PasswordHasher, SaltString};

    #[test]
    fn sealed_secrets_open_with_their_key_only() -> Result<(), CoreError> {
        let key = SealingKey::from_hex(&SealingKey::generate_hex()).unwrap();
        let other = SealingKey::from_hex(&SealingKey::generate_hex()).unwrap();
        let sealed = key.seal("JBSWY3DPEHPK3PXP")?;
        assert!(sealed.starts_with(SEALED_PREFIX));
        assert!(!sealed.contains("JBSWY3DPEHPK3PXP"));
        assert_ne!(
            sealed,
            key.seal("JBSWY3DPEHPK3PXP")?,
            "a fresh nonce each time"
        );
        assert_eq!(key.open(&sealed).as_deref(), Some("JBSWY3DPEHPK3PXP"));
        assert_eq!(other.open(&sealed), None);
        assert_eq!(key.open("JBSWY3DPEHPK3PXP"), None);
        assert_eq!(key.open("sealed1:AAAA"), None);
        assert!(SealingKey::from_hex(&"00".repeat(16)).is_none());
        assert!(SealingKey::from_hex(&"zz".repeat(32)).is_none());
        assert!(SealingKey::from_hex(&"00".repeat(32)).is_some());
        Ok(())
    }

    #[test]
    fn password_hash_verifies_only_the_right_password() -> Result<(), CoreError> {
        let hash = hash_password("correct horse battery staple")?;
        assert!(hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"));
        assert!(verify_password("correct horse battery staple", &hash));
        assert!(!verify_password("correct horse battery stapler", &hash));
        assert!(!verify_password("anything", "not a hash"));
        // The stand-in hash must parse, or unknown logins would answer faster than wrong passwords.
        assert!(PasswordHash::new(DUMMY_PASSWORD_HASH).is_ok());
        Ok(())
    }

    #[test]
    fn hashes_in_kept_memory_agree_with_the_library_both_ways() -> Result<(), CoreError> {
        // Written here, checked by the library.
        let ours = hash_password("correct horse")?;
        let parsed =
            PasswordHash::new(&ours).map_err(|error| CoreError::Internal(error.to_string()))?;
        assert!(argon2()?.verify_password(b"correct horse", &parsed).is_ok());
        assert!(argon2()?.verify_password(b"wrong horse", &parsed).is_err());
        // Written by the library (as before), checked here, in kept memory.
        let salt = SaltString::encode_b64(b"sixteen byte slt")
            .map_err(|error| CoreError::Internal(error.to_string()))?;
        let theirs = argon2()?
            .hash_password(b"battery staple", &salt)
            .map_err(|error| CoreError::Internal(error.to_string()))?
            .to_string();
        let parsed =
            PasswordHash::new(&theirs).map_err(|error| CoreError::Internal(error.to_string()))?;
        assert_eq!(
            verify_argon2id_in_kept_memory("battery staple", &parsed),
            Some(true)
        );
        assert_eq!(
            verify_argon2id_in_kept_memory("battery stapler", &parsed),
            Some(false)
        );
        // Other parameters take the library's path, and still verify.
        let light = Argon2::new(
            Algorithm::Argon2id,
            Version::V0x13,
            Params::new(1024, 1, 1, None)
                .map_err(|error| CoreError::Internal(error.to_string()))?,
        )
        .hash_password(b"light", &salt)
        .map_err(|error| CoreError::Internal(error.to_string()))?
        .to_string();
        assert!(verify_password("light", &light));
        assert!(!verify_password("heavy", &light));
        assert!(!verify_password("x", "$argon2id$not-a-hash"));
        Ok(())
    }

    #[test]
    fn rsa_key_pair_is_pem_encoded() -> Result<(), CoreError> {
        let pair = generate_rsa_key_pair()?;
        assert!(
            pair.private_pem
                .starts_with("-----BEGIN PRIVATE KEY-----\n")
        );
        assert!(pair.public_pem.starts_with("-----BEGIN PUBLIC KEY-----\n"));
        assert!(pair.public_pem.ends_with("-----END PUBLIC KEY-----\n"));
        // A 2048-bit SubjectPublicKeyInfo is 294 bytes, 392 base64 characters.
        let body: String = pair
            .public_pem
            .lines()
            .filter(|l| !l.starts_with("-----"))
            .collect();
        assert_eq!(body.len(), 392);
        Ok(())
    }

    #[test]
    fn rsa_public_key_is_derived_from_the_private_one() -> Result<(), CoreError> {
        let pair = generate_rsa_key_pair()?;
        assert_eq!(rsa_public_pem(&pair.private_pem)?, pair.public_pem);
        assert!(rsa_public_pem("-----BEGIN PRIVATE KEY-----\nnot base64!\n").is_err());
        Ok(())
    }

    #[test]
    fn vapid_public_key_is_an_uncompressed_p256_point() -> Result<(), CoreError> {
        let private = generate_p256_pkcs8().ok_or(CoreError::Internal("no key".into()))?;
        let public = p256_public_key(&private)?;
        let point = URL_SAFE_NO_PAD
            .decode(&public)
            .map_err(|e| CoreError::Internal(e.to_string()))?;
        assert_eq!(point.len(), 65);
        assert_eq!(point[0], 4);
        assert!(p256_public_key("garbage").is_err());
        Ok(())
    }

    #[test]
    fn secrets_and_digests_have_the_expected_shape() {
        let token = random_secret(32);
        assert_eq!(token.len(), 43);
        assert_ne!(token, random_secret(32));
        assert_eq!(random_password().len(), 24);
        assert_eq!(
            token_digest("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
