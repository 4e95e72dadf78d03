//! [`Woolly`]: everything one instance needs, in one value passed explicitly (no globals), so
//! that one process could serve several instances and tests can start many side by side.

use std::sync::Arc;

use tokio::sync::{Notify, Semaphore};
use woolly_store::Db;

use crate::config::InstanceConfig;
use crate::error::{CoreError, Result};

/// One instance: its database, configuration and shared machinery. Cheap to clone.
#[derive(Clone)]
pub struct Woolly {
    inner: Arc<Inner>,
}

struct Inner {
    db: Db,
    config: InstanceConfig,
    /// Wakes this process's job workers when it enqueues a job.
    job_wakeup: Notify,
    /// Bounds CPU-heavy work (argon2, RSA) so that a sign-up flood cannot starve requests.
    cpu_permits: Semaphore,
}

impl Woolly {
    pub fn new(db: Db, config: InstanceConfig) -> Woolly {
        let cpus = std::thread::available_parallelism().map_or(2, usize::from);
        Woolly {
            inner: Arc::new(Inner {
                db,
                config,
                job_wakeup: Notify::new(),
                cpu_permits: Semaphore::new(cpus),
            }),
        }
    }

    pub fn db(&self) -> &Db {
        &self.inner.db
    }

    pub fn config(&self) -> &InstanceConfig {
        &self.inner.config
    }

    pub(crate) fn job_wakeup(&self) -> &Notify {
        &self.inner.job_wakeup
    }

    /// Runs CPU-heavy `work` on the blocking pool, at most one task per core at a time.
    pub(crate) async fn run_cpu_bound<T, F>(&self, work: F) -> Result<T>
    where
        F: FnOnce() -> T + Send + 'static,
        T: Send + 'static,
    {
        let _permit = self
            .inner
            .cpu_permits
            .acquire()
            .await
            .map_err(|_| CoreError::Internal("CPU pool closed".into()))?;
        tokio::task::spawn_blocking(work)
            .await
            .map_err(|error| CoreError::Internal(format!("CPU-bound task failed: {error}")))
    }
}
