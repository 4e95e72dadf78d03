//! Key pairs made ahead of sign-ups. An RSA-2048 pair costs more CPU than the password hash
//! (50–150 ms against about 45), so a flood of sign-ups that had to make its keys would need
//! twice the machine. Spare pairs are kept in the database (`spare_key_pair`), shared by every
//! process and kept across restarts, and a new account takes one; only when none is left is a
//! pair made on the spot.
//!
//! The pool is refilled slowly, one pair a second and only while a CPU thread is free, up to the
//! operator's `spare_key_pairs`: a few percent of one core, which readers never notice. It is
//! refilled when `serve` starts with registrations open to anyone or by invitation, and after
//! each sign-up; a server nobody can join never spends CPU on it.

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use crate::crypto::{self, RsaPemPair};
use crate::error::Result;
use crate::state::Woolly;

/// The pause between two pairs made ahead.
const REFILL_PACE: Duration = Duration::from_secs(1);

/// Whether this process refills the pool (one refill task per process).
#[derive(Default)]
pub(crate) struct KeyPool {
    refilling: AtomicBool,
}

impl Woolly {
    /// A new RSA key pair for a local account: a spare one if there is one, else made now on the
    /// CPU threads.
    pub(crate) async fn key_pair(&self) -> Result<RsaPemPair> {
        if let Some((private_pem, public_pem)) = self.db().take_spare_key_pair().await? {
            return Ok(RsaPemPair {
                private_pem,
                public_pem,
            });
        }
        self.run_cpu_bound(crypto::generate_rsa_key_pair).await?
    }

    /// Refills the spare key pairs in the background, unless this process already does.
    pub fn refill_key_pool(&self) {
        let wanted = i64::try_from(self.config().spare_key_pairs).unwrap_or(i64::MAX);
        if wanted == 0 || self.key_pool().refilling.swap(true, Ordering::AcqRel) {
            return;
        }
        let woolly = self.clone();
        tokio::spawn(async move {
            let stopping = woolly.stopping();
            loop {
                match woolly.db().count_spare_key_pairs().await {
                    Ok(count) if count < wanted => {}
                    Ok(_) => break,
                    Err(error) => {
                        tracing::warn!(%error, "could not count the spare key pairs");
                        break;
                    }
                }
                tokio::select! {
                    () = stopping.cancelled() => break,
                    () = tokio::time::sleep(REFILL_PACE) => {}
                }
                // Sign-ups and sign-ins come first.
                if !woolly.cpu_is_idle() {
                    continue;
                }
                let made = match woolly.run_cpu_bound(crypto::generate_rsa_key_pair).await {
                    Ok(Ok(pair)) => pair,
                    Ok(Err(error)) | Err(error) => {
                        tracing::warn!(%error, "could not make a key pair ahead");
                        break;
                    }
                };
                if let Err(error) = woolly
                    .db()
                    .insert_spare_key_pair(&made.private_pem, &made.public_pem, crate::now_millis())
                    .await
                {
                    tracing::warn!(%error, "could not keep a key pair made ahead");
                    break;
                }
            }
            woolly.key_pool().refilling.store(false, Ordering::Release);
        });
    }

    /// How many spare key pairs wait for new accounts.
    pub async fn spare_key_pairs(&self) -> Result<i64> {
        Ok(self.db().count_spare_key_pairs().await?)
    }
}
