//! Key pairs made ahead of sign-ups. An RSA-2048 pair costs 50–90 ms of CPU, more than the
//! password hash; during a burst of sign-ups the ones made while the CPU was idle are used
//! first, and the pool is refilled only when a CPU thread is free, so that refilling hardly
//! slows a request down.
//!
//! The pool starts empty and is filled after the first sign-up through the API: a server
//! nobody joins (or one whose operator makes accounts by hand) never spends CPU on it. Each
//! process keeps its own pool; nothing in it is state another process needs.

use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use crate::crypto::{self, RsaPemPair};
use crate::error::Result;
use crate::state::Woolly;

/// How many pairs are kept ready: a burst of this many sign-ups pays for no key.
const POOL_SIZE: usize = 8;
/// How long the refiller waits when every CPU permit is taken.
const BUSY_PAUSE: Duration = Duration::from_millis(100);

/// The ready key pairs.
#[derive(Default)]
pub(crate) struct KeyPool {
    ready: Mutex<Vec<RsaPemPair>>,
    /// Whether a refill task runs (at most one per process).
    refilling: AtomicBool,
}

impl KeyPool {
    fn take(&self) -> Option<RsaPemPair> {
        self.ready.lock().ok()?.pop()
    }

    fn len(&self) -> usize {
        self.ready.lock().map_or(POOL_SIZE, |ready| ready.len())
    }

    fn put(&self, pair: RsaPemPair) {
        if let Ok(mut ready) = self.ready.lock() {
            ready.push(pair);
        }
    }
}

impl Woolly {
    /// A new RSA key pair for a local account: one made ahead if there is one, else made now
    /// on the CPU pool.
    pub(crate) async fn key_pair(&self) -> Result<RsaPemPair> {
        if let Some(pair) = self.key_pool().take() {
            return Ok(pair);
        }
        self.run_cpu_bound(crypto::generate_rsa_key_pair).await?
    }

    /// Refills the pool in the background, if no refill runs yet.
    pub(crate) fn refill_key_pool(&self) {
        if self.key_pool().refilling.swap(true, Ordering::AcqRel) {
            return;
        }
        let woolly = self.clone();
        tokio::spawn(async move {
            let stopping = woolly.stopping();
            while woolly.key_pool().len() < POOL_SIZE && !stopping.is_cancelled() {
                // Only when a CPU thread is free: sign-ups and sign-ins come first.
                if !woolly.cpu_is_idle() {
                    tokio::time::sleep(BUSY_PAUSE).await;
                    continue;
                }
                match woolly.run_cpu_bound(crypto::generate_rsa_key_pair).await {
                    Ok(Ok(pair)) => woolly.key_pool().put(pair),
                    Ok(Err(error)) => {
                        tracing::warn!(%error, "could not make a key pair ahead");
                        break;
                    }
                    Err(error) => {
                        tracing::warn!(%error, "the key pair task failed");
                        break;
                    }
                }
            }
            woolly.key_pool().refilling.store(false, Ordering::Release);
        });
    }

    /// How many key pairs are ready (for tests and metrics).
    pub fn ready_key_pairs(&self) -> usize {
        self.key_pool().len()
    }
}
