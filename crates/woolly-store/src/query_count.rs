//! Counting the queries one piece of work runs (one HTTP request, say), so that a page whose
//! query count grows with its length shows up in metrics and tests instead of in production.
//!
//! The count lives in a task-local: work spawned onto other tasks (jobs, background refreshes)
//! is not counted against the request that started it.

use std::cell::Cell;
use std::future::Future;

tokio::task_local! {
    static QUERIES: Cell<u32>;
}

/// Runs `work`, returning its output and how many queries it ran on this task.
pub async fn counting_queries<F: Future>(work: F) -> (F::Output, u32) {
    QUERIES
        .scope(Cell::new(0), async {
            let output = work.await;
            (output, QUERIES.with(Cell::get))
        })
        .await
}

/// Counts one query, when the current task is counting.
pub(crate) fn count_query() {
    count_queries(1);
}

/// Counts `count` queries run on the current task's behalf (a batch run elsewhere).
pub(crate) fn count_queries(count: u32) {
    // Outside `counting_queries` (jobs, start-up) there is nothing to count into.
    let _ = QUERIES.try_with(|queries| queries.set(queries.get().saturating_add(count)));
}
