//! Limits on guessing passwords. Sign-in attempts (the OAuth password grant and the sign-in
//! form) are counted per client address, and failures per login as typed, as Mastodon's
//! rack-attack counts them (`throttle_login_attempts/ip` and `/email`). Past a limit every
//! attempt is refused until its window ends, the right password included, and the refusal is
//! the same whether or not the login names an account, so it tells an attacker nothing.
//!
//! Windows are fixed and kept in this process's memory, like the request rate limits
//! ([`crate::windows`]).

use std::net::IpAddr;

use crate::error::{CoreError, Result};
use crate::windows::FixedWindows;

/// Attempts from one address (or IPv6 /64) per window, whatever their outcome.
const ATTEMPTS_PER_ADDRESS: u32 = 25;
const ADDRESS_WINDOW_MILLIS: i64 = 5 * 60 * 1000;
/// Failed attempts at one login per window; past them the login is locked until it ends.
const FAILURES_PER_LOGIN: u32 = 10;
const LOGIN_WINDOW_MILLIS: i64 = 15 * 60 * 1000;
#[derive(Default)]
pub(crate) struct SignInThrottle {
    windows: FixedWindows,
}

/// How a client address is counted: alone, or by its /64 for IPv6, since one host holds a
/// whole /64. The request rate limits count addresses the same way.
pub fn address_key(address: IpAddr) -> String {
    match address {
        IpAddr::V6(ip) => match ip.to_ipv4_mapped() {
            Some(v4) => v4.to_string(),
            None => {
                let segments = ip.segments();
                format!(
                    "{:x}:{:x}:{:x}:{:x}::/64",
                    segments[0], segments[1], segments[2], segments[3]
                )
            }
        },
        IpAddr::V4(ip) => ip.to_string(),
    }
}

/// A login's key: a digest of it as typed (trimmed, any case), so that what a client sends as a
/// login takes the same few bytes in memory however long it is.
fn login_key(login: &str) -> String {
    let normalized = login.trim().to_lowercase();
    let digest = aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA256, normalized.as_bytes());
    format!("login:{}", crate::crypto::hex(&digest.as_ref()[..16]))
}

impl SignInThrottle {
    /// Counts an attempt at `login` from `address`; refuses it when the address made too many
    /// attempts or the login failed too often.
    pub(crate) fn attempt(&self, login: &str, address: Option<IpAddr>, now: i64) -> Result<()> {
        let locked = self.windows.peek(&login_key(login), now) >= FAILURES_PER_LOGIN;
        let flooding = address.is_some_and(|address| {
            let key = format!("ip:{}", address_key(address));
            self.windows.add(key, ADDRESS_WINDOW_MILLIS, now).count > ATTEMPTS_PER_ADDRESS
        });
        if locked || flooding {
            tracing::info!(locked, flooding, "sign-in attempt refused");
            return Err(CoreError::Throttled);
        }
        Ok(())
    }

    /// Counts a failed attempt at `login`.
    pub(crate) fn failed(&self, login: &str, now: i64) {
        self.windows.add(login_key(login), LOGIN_WINDOW_MILLIS, now);
    }

    /// Forgets the failures of a login its owner just signed in with.
    pub(crate) fn succeeded(&self, login: &str) {
        self.windows.forget(&login_key(login));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_login_that_failed_too_often_is_locked_until_its_window_ends() {
        let throttle = SignInThrottle::default();
        for _ in 0..FAILURES_PER_LOGIN {
            assert!(throttle.attempt("Alice@example.org", None, 0).is_ok());
            throttle.failed("alice@example.org ", 0);
        }
        assert!(matches!(
            throttle.attempt("alice@example.org", None, 1),
            Err(CoreError::Throttled)
        ));
        assert!(throttle.attempt("bob", None, 1).is_ok(), "others are not");
        // Signing in forgets a login's failures.
        throttle.succeeded("bob");
        for _ in 0..FAILURES_PER_LOGIN - 1 {
            throttle.failed("bob", 1);
        }
        throttle.succeeded("BOB");
        throttle.failed("bob", 1);
        assert!(throttle.attempt("bob", None, 2).is_ok());
        assert!(
            throttle
                .attempt("alice@example.org", None, LOGIN_WINDOW_MILLIS)
                .is_ok()
        );
    }

    #[test]
    fn an_address_gets_a_number_of_attempts_per_window() {
        let throttle = SignInThrottle::default();
        let address: IpAddr = "2001:db8:1:2:3::4".parse().unwrap();
        let neighbour: IpAddr = "2001:db8:1:2:ffff::1".parse().unwrap();
        for attempt in 0..ATTEMPTS_PER_ADDRESS {
            assert!(
                throttle
                    .attempt(&format!("user{attempt}"), Some(address), 0)
                    .is_ok()
            );
        }
        assert!(
            throttle.attempt("anyone", Some(neighbour), 0).is_err(),
            "same /64"
        );
        assert!(
            throttle
                .attempt("anyone", Some("192.0.2.1".parse().unwrap()), 0)
                .is_ok()
        );
        assert!(
            throttle
                .attempt("anyone", Some(address), ADDRESS_WINDOW_MILLIS)
                .is_ok()
        );
    }
}
