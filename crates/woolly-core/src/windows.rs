//! Counters over fixed windows of time, kept in this process's memory: what the request rate
//! limits and the sign-in throttle count with, as rack-attack counts. With several processes,
//! each counts what it serves.

use std::collections::HashMap;
use std::sync::Mutex;

/// Past this many windows, finished ones are forgotten before counting more.
const KEPT_WINDOWS: usize = 100_000;

#[derive(Debug, Clone, Copy)]
struct Window {
    ends_at: i64,
    count: u32,
}

/// A key's count in its current window, and when that window ends (Unix milliseconds).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Count {
    pub count: u32,
    pub ends_at: i64,
}

#[derive(Default)]
pub struct FixedWindows {
    windows: Mutex<HashMap<String, Window>>,
}

impl FixedWindows {
    /// Adds one to `key`'s window that holds `now`, a new one `length` milliseconds long when
    /// the last has ended.
    pub fn add(&self, key: String, length: i64, now: i64) -> Count {
        let mut windows = self.lock();
        if windows.len() > KEPT_WINDOWS {
            windows.retain(|_, window| window.ends_at > now);
        }
        let window = windows.entry(key).or_insert(Window {
            ends_at: now + length,
            count: 0,
        });
        if window.ends_at <= now {
            *window = Window {
                ends_at: now + length,
                count: 0,
            };
        }
        window.count = window.count.saturating_add(1);
        Count {
            count: window.count,
            ends_at: window.ends_at,
        }
    }

    /// Forgets `key`'s window.
    pub fn forget(&self, key: &str) {
        self.lock().remove(key);
    }

    /// `key`'s count in the window that holds `now`, without adding to it.
    pub fn peek(&self, key: &str, now: i64) -> u32 {
        self.lock()
            .get(key)
            .filter(|window| window.ends_at > now)
            .map_or(0, |window| window.count)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, Window>> {
        // Counters only; a panic elsewhere cannot leave one torn.
        self.windows
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_window_counts_until_it_ends_then_starts_again() {
        let windows = FixedWindows::default();
        let counts: Vec<u32> = (0..3)
            .map(|_| windows.add("k".into(), 60_000, 1_000).count)
            .collect();
        assert_eq!(counts, [1, 2, 3]);
        assert_eq!(windows.peek("k", 60_999), 3);
        assert_eq!(
            windows.add("other".into(), 60_000, 1_000).count,
            1,
            "keys apart"
        );
        assert_eq!(windows.peek("k", 61_000), 0);
        assert_eq!(
            windows.add("k".into(), 60_000, 61_000),
            Count {
                count: 1,
                ends_at: 121_000
            }
        );
    }
}
