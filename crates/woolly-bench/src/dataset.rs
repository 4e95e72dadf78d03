//! The data set a benchmark runs on: how big it is ([`Dataset`]) and what seeding made of it
//! ([`Manifest`]: the accounts with their tokens, who follows whom for the measurements, and
//! some status ids to read). A manifest is saved beside a cached data directory, so a later run
//! on the same data knows everything the seeding run knew.

use serde::{Deserialize, Serialize};

/// The account every read is made as.
pub const VIEWER: usize = 0;
/// The account followed by [`Dataset::fanout_followers`] others, whose posts measure fan-out.
pub const CELEBRITY: usize = 1;
/// The account followed by exactly [`POSTER_FOLLOWERS`] others, whose posts measure posting.
pub const POSTER: usize = 2;
/// The first account with no special role.
pub const FIRST_REGULAR: usize = 3;
/// Followers of the posting account: posting cost includes a small fan-out, as a typical
/// user's post does.
pub const POSTER_FOLLOWERS: usize = 10;

/// How big the data set is. Part of the cache key: a different size is a different data set.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Dataset {
    pub accounts: usize,
    pub statuses: usize,
    /// How many random others each regular account follows.
    pub follows: usize,
    /// How many regular accounts the viewer follows.
    pub viewer_follows: usize,
    /// How many accounts follow the celebrity.
    pub fanout_followers: usize,
}

impl Dataset {
    pub const FULL: Dataset = Dataset {
        accounts: 1_000,
        statuses: 100_000,
        follows: 20,
        viewer_follows: 200,
        fanout_followers: 200,
    };

    /// Seconds on a debug build, for CI: every kind of seeded content, little of each.
    pub const SMOKE: Dataset = Dataset {
        accounts: 20,
        statuses: 300,
        follows: 5,
        viewer_follows: 10,
        fanout_followers: 10,
    };

    /// The same data set with every figure brought within what `accounts` allows (one cannot
    /// follow more accounts than exist), and a note for each change.
    pub fn fitted(mut self) -> (Dataset, Vec<String>) {
        let mut notes = Vec::new();
        let regular = self.accounts.saturating_sub(FIRST_REGULAR);
        let mut fit = |name: &str, value: &mut usize, limit: usize| {
            if *value > limit {
                notes.push(format!(
                    "{name} lowered from {value} to {limit} (only {regular} regular accounts)"
                ));
                *value = limit;
            }
        };
        fit("viewer follows", &mut self.viewer_follows, regular);
        fit("fan-out followers", &mut self.fanout_followers, regular);
        fit(
            "follows per account",
            &mut self.follows,
            regular.saturating_sub(1),
        );
        (self, notes)
    }

    /// A name for the cache directory of this data set.
    pub fn cache_key(&self) -> String {
        format!(
            "{}-{}-f{}-v{}-c{}",
            self.accounts, self.statuses, self.follows, self.viewer_follows, self.fanout_followers
        )
    }
}

/// One account of the data set, as the API knows it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Account {
    pub username: String,
    pub id: String,
    pub token: String,
}

/// What seeding made: enough to measure without asking the server for set-up data.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Manifest {
    pub dataset: Dataset,
    /// Indexed by role: [`VIEWER`], [`CELEBRITY`], [`POSTER`], then regular accounts.
    pub accounts: Vec<Account>,
    /// Indexes of the accounts the viewer follows.
    pub viewer_followed: Vec<usize>,
    /// Indexes of the accounts that follow the celebrity.
    pub celebrity_followers: Vec<usize>,
    /// Indexes of the accounts that follow the poster.
    pub poster_followers: Vec<usize>,
    /// Ids of statuses the viewer may read, to rotate over.
    pub status_ids: Vec<String>,
    pub seeding: SeedingFigures,
}

/// How long seeding took, to report (a cached data set reports its original seeding).
#[derive(Debug, Clone, Copy, Default, Serialize, Deserialize)]
pub struct SeedingFigures {
    pub accounts_seconds: f64,
    pub follows: usize,
    pub follows_seconds: f64,
    pub statuses: usize,
    pub statuses_seconds: f64,
    pub media: usize,
    /// Waiting for background jobs (fan-out) after the last post.
    pub jobs_seconds: f64,
}

impl Manifest {
    pub fn account(&self, index: usize) -> anyhow::Result<&Account> {
        self.accounts
            .get(index)
            .ok_or_else(|| anyhow::anyhow!("the data set has no account {index}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_small_data_set_is_fitted_to_its_accounts() {
        let (fitted, notes) = Dataset {
            accounts: 8,
            ..Dataset::FULL
        }
        .fitted();
        assert_eq!(fitted.viewer_follows, 5);
        assert_eq!(fitted.fanout_followers, 5);
        assert_eq!(fitted.follows, 4);
        assert_eq!(notes.len(), 3);
        assert!(Dataset::FULL.fitted().1.is_empty());
        assert!(Dataset::SMOKE.fitted().1.is_empty());
    }
}
