//! Two-factor sign-in with time-based one-time passwords (TOTP, RFC 6238: HMAC-SHA1, 30-second
//! steps, six digits, what every authenticator app speaks), and ten single-use recovery codes
//! for when the phone is lost.
//!
//! A user sets it up in two steps: a new secret is shown (as an `otpauth://` link, which apps
//! read from a QR code), then a first code from the app turns it on, so that nobody is locked
//! out by a secret their app never saw. Once on, the sign-in form asks for a code and the
//! password grant refuses the user, as in Mastodon. A code is accepted once (its time step is
//! recorded), and wrong codes count as failed sign-ins against the lockout.

use aws_lc_rs::hmac;

use crate::accounts::{Account, LocalUser};
use crate::areas::Accounts;
use crate::crypto;
use crate::error::{CoreError, Result};

/// Seconds per step.
const STEP_SECONDS: i64 = 30;
/// Codes of the step before and after now are accepted too: clocks drift.
const ALLOWED_DRIFT_STEPS: i64 = 1;
const RECOVERY_CODES: usize = 10;
/// A secret of 160 bits, as RFC 4226 recommends.
const SECRET_BYTES: usize = 20;

/// What a user needs to add Woolly to their authenticator app.
#[derive(Debug, Clone)]
pub struct TwoFactorSetup {
    /// The secret in base32, for typing in.
    pub secret: String,
    /// `otpauth://totp/…`, for a QR code.
    pub uri: String,
}

const BASE32: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/// RFC 4648 base32 without padding.
fn base32_encode(bytes: &[u8]) -> String {
    let mut text = String::new();
    let mut buffer: u32 = 0;
    let mut bits = 0;
    for &byte in bytes {
        buffer = (buffer << 8) | u32::from(byte);
        bits += 8;
        while bits >= 5 {
            bits -= 5;
            text.push(char::from(BASE32[((buffer >> bits) & 31) as usize]));
        }
    }
    if bits > 0 {
        text.push(char::from(BASE32[((buffer << (5 - bits)) & 31) as usize]));
    }
    text
}

/// Decodes base32 (case and padding ignored); `None` for anything else.
fn base32_decode(text: &str) -> Option<Vec<u8>> {
    let mut bytes = Vec::new();
    let mut buffer: u32 = 0;
    let mut bits = 0;
    for character in text.trim_end_matches('=').chars() {
        let upper = character.to_ascii_uppercase() as u8;
        let value = BASE32.iter().position(|&known| known == upper)?;
        buffer = (buffer << 5) | u32::try_from(value).ok()?;
        bits += 5;
        if bits >= 8 {
            bits -= 8;
            bytes.push(u8::try_from((buffer >> bits) & 0xff).ok()?);
        }
    }
    Some(bytes)
}

/// The six-digit code of `step` (RFC 4226's HOTP with the step as counter).
fn code_at(secret: &[u8], step: i64) -> u32 {
    let key = hmac::Key::new(hmac::HMAC_SHA1_FOR_LEGACY_USE_ONLY, secret);
    let tag = hmac::sign(&key, &step.to_be_bytes());
    let digest = tag.as_ref();
    let offset = usize::from(digest[digest.len() - 1] & 0x0f);
    let truncated = u32::from_be_bytes([
        digest[offset] & 0x7f,
        digest[offset + 1],
        digest[offset + 2],
        digest[offset + 3],
    ]);
    truncated % 1_000_000
}

/// The step whose code `code` is, among those allowed around `now_millis`.
fn matching_step(secret_base32: &str, code: &str, now_millis: i64) -> Option<i64> {
    let code = code.trim().replace(' ', "");
    if code.len() != 6 || !code.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let wanted: u32 = code.parse().ok()?;
    let secret = base32_decode(secret_base32)?;
    let now_step = now_millis / 1000 / STEP_SECONDS;
    (now_step - ALLOWED_DRIFT_STEPS..=now_step + ALLOWED_DRIFT_STEPS)
        .find(|step| code_at(&secret, *step) == wanted)
}

/// A recovery code as people type it: lower-case, without spaces or dashes.
fn normalized_recovery_code(code: &str) -> String {
    code.chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// The server's key that seals two-factor secrets.
fn sealing_key(config: &crate::InstanceConfig) -> Result<&crate::crypto::SealingKey> {
    config.sealing_key.as_ref().ok_or_else(|| {
        CoreError::Internal("two-factor sign-in needs the server's secret key".into())
    })
}

/// A two-factor secret as stored, opened with the server's key.
fn open_secret(config: &crate::InstanceConfig, sealed: &str) -> Result<String> {
    sealing_key(config)?.open(sealed).ok_or_else(|| {
        // `secret.key` was lost or replaced.
        CoreError::Internal(
            "a two-factor secret does not open with the server's secret key (was DATA_DIR/secret.key replaced?)"
                .into(),
        )
    })
}

fn wrong_code() -> CoreError {
    CoreError::Validation("The two-factor code is wrong or was already used".into())
}

impl Accounts<'_> {
    /// Whether the user signs in with a second factor.
    pub async fn two_factor_enabled(&self, account_id: i64) -> Result<bool> {
        Ok(self.db().otp_secrets(account_id).await?.active.is_some())
    }

    /// Starts setting two-factor sign-in up: a new secret to add to an authenticator app. It is
    /// not used until [`Accounts::enable_two_factor`] confirms a code from it.
    pub async fn begin_two_factor(&self, account: &Account) -> Result<TwoFactorSetup> {
        let mut secret = vec![0u8; SECRET_BYTES];
        rand::Rng::fill(&mut rand::rng(), secret.as_mut_slice());
        let secret = base32_encode(&secret);
        let sealed = sealing_key(self.config())?.seal(&secret)?;
        self.db()
            .set_pending_otp_secret(account.id, &sealed)
            .await?;
        let config = self.config();
        let issuer = crate::urls::percent_encode(&config.title);
        let label = crate::urls::percent_encode(&format!("{}@{}", account.username, config.domain));
        Ok(TwoFactorSetup {
            uri: format!(
                "otpauth://totp/{issuer}:{label}?secret={secret}&issuer={issuer}&algorithm=SHA1&digits=6&period=30"
            ),
            secret,
        })
    }

    /// Turns two-factor sign-in on once `code` comes from the secret being set up; returns the
    /// recovery codes, shown once.
    pub async fn enable_two_factor(&self, account: &Account, code: &str) -> Result<Vec<String>> {
        let pending = self
            .db()
            .otp_secrets(account.id)
            .await?
            .pending
            .ok_or_else(|| CoreError::Validation("Set two-factor sign-in up first".into()))?;
        let pending = open_secret(self.config(), &pending)?;
        let step = matching_step(&pending, code, crate::now_millis()).ok_or_else(wrong_code)?;
        let codes: Vec<String> = (0..RECOVERY_CODES)
            .map(|_| crypto::random_code(10).to_ascii_lowercase())
            .collect();
        let digests: Vec<String> = codes
            .iter()
            .map(|code| crypto::token_digest(code))
            .collect();
        let mut tx = self.db().begin().await?;
        if !tx.enable_otp(account.id, step, &digests).await? {
            return Err(CoreError::Validation(
                "Set two-factor sign-in up first".into(),
            ));
        }
        tx.commit().await?;
        tracing::info!(account_id = account.id, "two-factor sign-in turned on");
        Ok(codes
            .into_iter()
            .map(|code| format!("{}-{}", &code[..5], &code[5..]))
            .collect())
    }

    /// Turns two-factor sign-in off; the user gives their password.
    pub async fn disable_two_factor(&self, account: &Account, password: &str) -> Result<()> {
        if !self.password_matches(account.id, password).await? {
            return Err(CoreError::Validation("The password is wrong".into()));
        }
        self.turn_two_factor_off(account.id).await
    }

    /// The operator turns a user's two-factor sign-in off (`woolly admin account
    /// two-factor-off`), for someone who lost both their phone and their recovery codes.
    pub async fn disable_two_factor_for(&self, username: &str) -> Result<()> {
        let account = self.local_account_named(username).await?;
        self.turn_two_factor_off(account.id).await
    }

    async fn turn_two_factor_off(&self, account_id: i64) -> Result<()> {
        let mut tx = self.db().begin().await?;
        tx.disable_otp(account_id).await?;
        tx.commit().await?;
        tracing::info!(account_id, "two-factor sign-in turned off");
        Ok(())
    }
}

impl crate::state::Woolly {
    /// Checks a sign-in's second factor: a current code from the app, or an unused recovery
    /// code. `Ok(true)` when the user has no second factor.
    pub(crate) async fn second_factor_passes(
        &self,
        user: &LocalUser,
        code: Option<&str>,
    ) -> Result<bool> {
        let Some(sealed) = self.db().otp_secrets(user.account_id).await?.active else {
            return Ok(true);
        };
        let secret = open_secret(self.config(), &sealed)?;
        let Some(code) = code.map(str::trim).filter(|code| !code.is_empty()) else {
            return Ok(false);
        };
        if let Some(step) = matching_step(&secret, code, crate::now_millis()) {
            return Ok(self.db().claim_otp_step(user.account_id, step).await?);
        }
        let recovery = normalized_recovery_code(code);
        Ok(recovery.len() == 10
            && self
                .db()
                .claim_recovery_code(
                    user.account_id,
                    &crypto::token_digest(&recovery),
                    crate::now_millis(),
                )
                .await?)
    }
}

/// The current code of a base32 secret (for tests that play the authenticator app).
pub fn current_code(secret_base32: &str, now_millis: i64) -> Option<String> {
    let secret = base32_decode(secret_base32)?;
    Some(format!(
        "{:06}",
        code_at(&secret, now_millis / 1000 / STEP_SECONDS)
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_match_rfc_6238() {
        // RFC 6238 appendix B, SHA-1, secret "12345678901234567890", truncated to six digits.
        let secret = base32_encode(b"12345678901234567890");
        assert_eq!(secret, "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
        for (seconds, code) in [
            (59, "287082"),
            (1_111_111_109, "081804"),
            (1_234_567_890, "005924"),
            (2_000_000_000, "279037"),
        ] {
            assert_eq!(current_code(&secret, seconds * 1000).as_deref(), Some(code));
            assert_eq!(
                matching_step(&secret, code, seconds * 1000),
                Some(seconds / 30)
            );
        }
        assert_eq!(
            base32_decode(&secret).as_deref(),
            Some(&b"12345678901234567890"[..])
        );
    }

    #[test]
    fn codes_are_accepted_one_step_around_now_only() {
        let secret = base32_encode(b"12345678901234567890");
        let now = 1_234_567_890_000;
        let earlier = current_code(&secret, now - 30_000).unwrap_or_default();
        let much_earlier = current_code(&secret, now - 90_000).unwrap_or_default();
        assert!(matching_step(&secret, &earlier, now).is_some());
        assert!(matching_step(&secret, &much_earlier, now).is_none());
        assert!(matching_step(&secret, "12345", now).is_none());
        assert!(matching_step(&secret, "abcdef", now).is_none());
    }
}
