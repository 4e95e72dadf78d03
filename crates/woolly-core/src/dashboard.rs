//! The moderators' dashboard figures (`view_dashboard`), as Mastodon's admin API gives them:
//! measures counted per day over a period with the total of the period before
//! (`/api/v1/admin/measures`), dimensions that divide a whole (`/api/v1/admin/dimensions`), and
//! the retention of those who joined (`/api/v1/admin/retention`).
//!
//! Measured: `new_users`, `active_users` (local users who used the instance each day; the
//! totals count each user once), `interactions` (favourites, boosts and replies local posts
//! received), `opened_reports`, `resolved_reports`. Divided: `sources` (sign-ups by app),
//! `servers` (known accounts by server), `software_versions` (Woolly's and its database's),
//! and, a key of Woolly's own, `server_software` (known servers by the software their NodeInfo
//! names).
//! Keys Woolly does not know are left out of the answer, as Mastodon leaves them out.

use woolly_store::Measure;

use crate::account_moderation::Moderator;
use crate::accounts::permission;
use crate::areas::Moderation;
use crate::error::{CoreError, Result};

use woolly_store::DAY_MILLIS;
/// The longest period asked for at once (Mastodon's dashboard asks for 30 days at most).
const MAX_DAYS: i64 = 366;

/// A measure over a period.
#[derive(Debug, Clone)]
pub struct MeasureResult {
    pub key: &'static str,
    pub total: i64,
    /// The total over the period of the same length just before.
    pub previous_total: i64,
    /// Each day of the period (its start, in milliseconds) with its count, zeros included.
    pub data: Vec<(i64, i64)>,
}

/// A dimension: parts of a whole, biggest first.
#[derive(Debug, Clone)]
pub struct DimensionResult {
    pub key: &'static str,
    /// (key, human-readable key, value: a count, or a version).
    pub data: Vec<(String, String, String)>,
}

fn measure_named(key: &str) -> Option<(&'static str, Measure)> {
    match key {
        "new_users" => Some(("new_users", Measure::NewUsers)),
        "interactions" => Some(("interactions", Measure::Interactions)),
        "opened_reports" => Some(("opened_reports", Measure::OpenedReports)),
        "resolved_reports" => Some(("resolved_reports", Measure::ResolvedReports)),
        "active_users" => Some(("active_users", Measure::ActiveUsers)),
        _ => None,
    }
}

/// The period from `start` to `end` (days, both included), as milliseconds with `end`'s day
/// whole; refused when backwards or too long.
fn period(start: i64, end: i64) -> Result<(i64, i64)> {
    let start = start.div_euclid(DAY_MILLIS) * DAY_MILLIS;
    let end = (end.div_euclid(DAY_MILLIS) + 1) * DAY_MILLIS;
    if end <= start || (end - start) / DAY_MILLIS > MAX_DAYS {
        return Err(CoreError::Validation(format!(
            "Validation failed: the period must run forwards and last at most {MAX_DAYS} days"
        )));
    }
    Ok((start, end))
}

impl Moderation<'_> {
    /// The measures named by `keys` from `start` to `end` (days, both included).
    pub async fn measures(
        &self,
        by: Moderator<'_>,
        keys: &[String],
        start: i64,
        end: i64,
    ) -> Result<Vec<MeasureResult>> {
        by.require(permission::VIEW_DASHBOARD)?;
        let (start, end) = period(start, end)?;
        let length = end - start;
        let mut results = Vec::new();
        for (key, measure) in keys.iter().filter_map(|key| measure_named(key)) {
            let counts = self.db().daily_counts(measure, start, end).await?;
            let previous: i64 = if measure == Measure::ActiveUsers {
                self.db()
                    .distinct_active_users(start - length, start)
                    .await?
            } else {
                self.db()
                    .daily_counts(measure, start - length, start)
                    .await?
                    .iter()
                    .map(|(_, count)| count)
                    .sum()
            };
            let data: Vec<(i64, i64)> = (0..length / DAY_MILLIS)
                .map(|day| {
                    let at = start + day * DAY_MILLIS;
                    let count = counts
                        .iter()
                        .find(|(counted, _)| *counted == at)
                        .map_or(0, |(_, count)| *count);
                    (at, count)
                })
                .collect();
            let total = if measure == Measure::ActiveUsers {
                self.db().distinct_active_users(start, end).await?
            } else {
                data.iter().map(|(_, count)| count).sum()
            };
            results.push(MeasureResult {
                key,
                total,
                previous_total: previous,
                data,
            });
        }
        Ok(results)
    }

    /// The dimensions named by `keys` over `start` to `end` (days, both included); `limit`
    /// parts at most each.
    pub async fn dimensions(
        &self,
        by: Moderator<'_>,
        keys: &[String],
        start: i64,
        end: i64,
        limit: i64,
    ) -> Result<Vec<DimensionResult>> {
        by.require(permission::VIEW_DASHBOARD)?;
        let (start, end) = period(start, end)?;
        let mut results = Vec::new();
        for key in keys {
            match key.as_str() {
                "sources" => {
                    let data = self
                        .db()
                        .sign_ups_by_app(start, end)
                        .await?
                        .into_iter()
                        .take(usize::try_from(limit).unwrap_or(0))
                        .map(|(app, count)| {
                            let name = app.unwrap_or_else(|| "operator".to_owned());
                            (name.to_lowercase(), name, count.to_string())
                        })
                        .collect();
                    results.push(DimensionResult {
                        key: "sources",
                        data,
                    });
                }
                "servers" => {
                    let data = self
                        .db()
                        .accounts_by_server(limit)
                        .await?
                        .into_iter()
                        .map(|(domain, count)| (domain.clone(), domain, count.to_string()))
                        .collect();
                    results.push(DimensionResult {
                        key: "servers",
                        data,
                    });
                }
                "server_software" => {
                    let data = self
                        .db()
                        .software_of_known_servers(limit)
                        .await?
                        .into_iter()
                        .map(|(software, count)| (software.clone(), software, count.to_string()))
                        .collect();
                    results.push(DimensionResult {
                        key: "server_software",
                        data,
                    });
                }
                "software_versions" => {
                    let (database, version) = self.db().engine_version().await?;
                    results.push(DimensionResult {
                        key: "software_versions",
                        data: vec![
                            (
                                "woolly".to_owned(),
                                "Woolly".to_owned(),
                                crate::WOOLLY_VERSION.to_owned(),
                            ),
                            (database.to_lowercase(), database.to_owned(), version),
                        ],
                    });
                }
                _ => {}
            }
        }
        Ok(results)
    }

    /// How many of those who joined in each period from `start` to `end` (days, both
    /// included) were still seen in each period since, by `frequency`, as Mastodon's
    /// retention counts them: a member counts for every period up to the last one they used
    /// the instance in.
    pub async fn retention(
        &self,
        by: Moderator<'_>,
        start: i64,
        end: i64,
        frequency: Frequency,
    ) -> Result<Vec<Cohort>> {
        by.require(permission::VIEW_DASHBOARD)?;
        let (start, end) = period(start, end)?;
        let periods = frequency.periods(start, end);
        let rows = self.db().joined_and_last_seen_days(start, end).await?;
        let mut cohorts = Vec::new();
        for (index, &cohort) in periods.iter().enumerate() {
            let joined =
                |(day, _, _): &&(i64, Option<i64>, i64)| frequency.start_of(*day) == cohort;
            let size: i64 = rows.iter().filter(joined).map(|(_, _, count)| count).sum();
            let data = periods[index..]
                .iter()
                .map(|&period| {
                    let value: i64 = rows
                        .iter()
                        .filter(joined)
                        .filter(|(_, seen, _)| seen.is_some_and(|seen| seen >= period))
                        .map(|(_, _, count)| count)
                        .sum();
                    // Mastodon's rate: 0 for an empty cohort, else a share of it.
                    #[allow(clippy::cast_precision_loss)]
                    let rate = if size == 0 {
                        0.0
                    } else {
                        value as f64 / size as f64
                    };
                    (period, rate, value)
                })
                .collect();
            cohorts.push(Cohort {
                period: cohort,
                frequency,
                data,
            });
        }
        Ok(cohorts)
    }
}

/// How retention is divided: by day or by calendar month (UTC).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Frequency {
    Day,
    Month,
}

impl Frequency {
    pub fn parse(text: &str) -> Result<Frequency> {
        match text {
            "day" => Ok(Frequency::Day),
            "month" => Ok(Frequency::Month),
            other => Err(CoreError::Validation(format!(
                "Validation failed: frequency {other:?} is not day or month"
            ))),
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Frequency::Day => "day",
            Frequency::Month => "month",
        }
    }

    /// The start (00:00 UTC, milliseconds) of the period holding `millis`.
    fn start_of(self, millis: i64) -> i64 {
        let day = woolly_store::day_start(millis);
        match self {
            Frequency::Day => day,
            Frequency::Month => {
                let date = time::OffsetDateTime::from_unix_timestamp(day / 1000)
                    .map_or(time::Date::MIN, time::OffsetDateTime::date);
                let first = date.replace_day(1).unwrap_or(date);
                first.midnight().assume_utc().unix_timestamp() * 1000
            }
        }
    }

    /// The starts of the periods that meet `start..end`, oldest first.
    fn periods(self, start: i64, end: i64) -> Vec<i64> {
        let mut periods = Vec::new();
        let mut at = self.start_of(start);
        while at < end {
            periods.push(at);
            at = match self {
                Frequency::Day => at + DAY_MILLIS,
                // The first of the next month: 32 days on always lands in it.
                Frequency::Month => self.start_of(at + 32 * DAY_MILLIS),
            };
        }
        periods
    }
}

/// Those who joined in one period, and how many of them were seen in each period since.
#[derive(Debug, Clone)]
pub struct Cohort {
    /// The start of the period they joined in.
    pub period: i64,
    pub frequency: Frequency,
    /// (the start of a period, the share of the cohort seen in it or later, how many).
    pub data: Vec<(i64, f64, i64)>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_start_on_their_first_day_and_follow_each_other() {
        // 2026-01-31T12:00Z and 2026-03-02T00:00Z.
        let start = 1_769_860_800_000;
        let end = 1_772_409_600_000;
        let months: Vec<String> = Frequency::Month
            .periods(start, end)
            .into_iter()
            .map(|at| {
                time::OffsetDateTime::from_unix_timestamp(at / 1000)
                    .unwrap()
                    .date()
                    .to_string()
            })
            .collect();
        assert_eq!(months, ["2026-01-01", "2026-02-01", "2026-03-01"]);
        assert_eq!(Frequency::Day.periods(start, start + 1).len(), 1);
    }
}
