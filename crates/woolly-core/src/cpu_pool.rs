//! The threads that do CPU-heavy work (argon2 password hashes, RSA key pairs, image decoding):
//! one per core but one (one on a single core), started with the instance and kept.
//!
//! A fixed set of threads bounds the CPU such work takes, so that a flood of sign-ups or
//! sign-ins always leaves a core to requests, and it bounds the memory it keeps: an allocator
//! keeps, per thread, the 19 MiB an argon2 hash used for the next one, and spread over tokio's
//! blocking pool (which grows to hundreds of threads) that came to 394 MB at 12 sign-ups a
//! second.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, mpsc};

use crate::error::{CoreError, Result};

type Task = Box<dyn FnOnce() + Send>;

pub(crate) struct CpuPool {
    tasks: Mutex<mpsc::Sender<Task>>,
    /// Threads waiting for a task.
    idle: Arc<AtomicUsize>,
}

impl CpuPool {
    /// Starts `threads` worker threads (at least one). They end when the pool is dropped.
    pub(crate) fn start(threads: usize) -> CpuPool {
        let (sender, receiver) = mpsc::channel::<Task>();
        let receiver = Arc::new(Mutex::new(receiver));
        let idle = Arc::new(AtomicUsize::new(0));
        for number in 0..threads.max(1) {
            let receiver = Arc::clone(&receiver);
            let idle = Arc::clone(&idle);
            let started = std::thread::Builder::new()
                .name(format!("woolly-cpu-{number}"))
                .spawn(move || {
                    loop {
                        idle.fetch_add(1, Ordering::AcqRel);
                        let next = receiver.lock().ok().and_then(|tasks| tasks.recv().ok());
                        idle.fetch_sub(1, Ordering::AcqRel);
                        let Some(task) = next else {
                            // The pool is gone.
                            return;
                        };
                        // A panicking task (a decoder's bug) fails alone; the thread stays.
                        if std::panic::catch_unwind(std::panic::AssertUnwindSafe(task)).is_err() {
                            tracing::error!("a CPU-bound task panicked");
                        }
                    }
                });
            if let Err(error) = started {
                tracing::error!(%error, "could not start a CPU worker thread");
            }
        }
        CpuPool {
            tasks: Mutex::new(sender),
            idle,
        }
    }

    /// Whether a thread would start a task at once.
    pub(crate) fn has_idle_thread(&self) -> bool {
        self.idle.load(Ordering::Acquire) > 0
    }

    /// Runs `work` on one of the pool's threads, after the tasks queued before it.
    pub(crate) async fn run<T, F>(&self, work: F) -> Result<T>
    where
        F: FnOnce() -> T + Send + 'static,
        T: Send + 'static,
    {
        let (done, result) = tokio::sync::oneshot::channel();
        let task: Task = Box::new(move || {
            // A panic in `work` drops `done`, which the caller reads as a failure.
            let _ = done.send(work());
        });
        self.tasks
            .lock()
            .map_err(|_| CoreError::Internal("CPU pool poisoned".into()))?
            .send(task)
            .map_err(|_| CoreError::Internal("CPU pool closed".into()))?;
        result
            .await
            .map_err(|_| CoreError::Internal("a CPU-bound task failed".into()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn tasks_run_on_the_pool_and_a_panic_is_an_error() -> Result<()> {
        let pool = CpuPool::start(2);
        let name = pool
            .run(|| std::thread::current().name().unwrap_or_default().to_owned())
            .await?;
        assert!(name.starts_with("woolly-cpu-"), "{name}");
        let sums = futures_sum(&pool).await?;
        assert_eq!(sums, 4950);
        #[allow(clippy::panic)]
        let failed = pool.run(|| panic!("boom")).await;
        assert!(failed.is_err());
        // Both threads still work.
        for _ in 0..4 {
            assert_eq!(pool.run(|| 1 + 1).await?, 2);
        }
        Ok(())
    }

    async fn futures_sum(pool: &CpuPool) -> Result<u64> {
        let mut total = 0;
        for number in 0..100u64 {
            total += pool.run(move || number).await?;
        }
        Ok(total)
    }
}
