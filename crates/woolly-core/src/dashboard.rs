//! The moderators' dashboard figures (`view_dashboard`), as Mastodon's admin API gives them:
//! measures counted per day over a period with the total of the period before
//! (`/api/v1/admin/measures`), and dimensions that divide a whole (`/api/v1/admin/dimensions`).
//!
//! Measured: `new_users`, `interactions` (favourites, boosts and replies local posts received),
//! `opened_reports`, `resolved_reports`. Divided: `sources` (sign-ups by app) and `servers`
//! (known accounts by server). Woolly keeps no per-day record of who was active, nor of the
//! software of other servers: `active_users`, `software_versions` and retention are not given,
//! and keys it does not know are left out of the answer.

use woolly_store::Measure;

use crate::account_moderation::Moderator;
use crate::accounts::permission;
use crate::areas::Moderation;
use crate::error::{CoreError, Result};

const DAY_MILLIS: i64 = 86_400_000;
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
    /// (key, human-readable key, value).
    pub data: Vec<(String, String, i64)>,
}

fn measure_named(key: &str) -> Option<(&'static str, Measure)> {
    match key {
        "new_users" => Some(("new_users", Measure::NewUsers)),
        "interactions" => Some(("interactions", Measure::Interactions)),
        "opened_reports" => Some(("opened_reports", Measure::OpenedReports)),
        "resolved_reports" => Some(("resolved_reports", Measure::ResolvedReports)),
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
            let previous: i64 = self
                .db()
                .daily_counts(measure, start - length, start)
                .await?
                .iter()
                .map(|(_, count)| count)
                .sum();
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
            results.push(MeasureResult {
                key,
                total: data.iter().map(|(_, count)| count).sum(),
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
                            (name.to_lowercase(), name, count)
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
                        .map(|(domain, count)| (domain.clone(), domain, count))
                        .collect();
                    results.push(DimensionResult {
                        key: "servers",
                        data,
                    });
                }
                _ => {}
            }
        }
        Ok(results)
    }
}
