//! What the instance says about itself over time: when its operator-written texts changed, and
//! its weekly activity (statuses, logins, registrations).

use crate::connect::{Db, on_reader, on_writer};
use crate::error::Result;

/// One week of `/api/v1/instance/activity`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct WeekActivity {
    /// Monday 00:00 UTC, Unix milliseconds.
    pub week_start: i64,
    pub statuses: i64,
    pub logins: i64,
    pub registrations: i64,
}

pub const WEEK_MILLIS: i64 = 7 * 24 * 60 * 60 * 1000;

pub const DAY_MILLIS: i64 = 24 * 60 * 60 * 1000;

/// The 00:00 UTC that starts the day of `millis`.
pub fn day_start(millis: i64) -> i64 {
    millis - millis.rem_euclid(DAY_MILLIS)
}

/// The Monday 00:00 UTC that starts the week of `millis` (the Unix epoch was a Thursday).
pub fn week_start(millis: i64) -> i64 {
    const FIRST_MONDAY: i64 = 4 * 24 * 60 * 60 * 1000;
    millis - (millis - FIRST_MONDAY).rem_euclid(WEEK_MILLIS)
}

impl Db {
    /// Records the hash of a site text as configured now and returns when it last changed:
    /// `now` the first time and whenever the hash differs from the recorded one.
    pub async fn record_site_text(
        &self,
        name: &str,
        content_sha256: &str,
        now: i64,
    ) -> Result<i64> {
        on_writer!(rows_affected, self, pool => sqlx::query(
            "INSERT INTO site_text (name, content_sha256, updated_at) VALUES ($1, $2, $3) \
             ON CONFLICT (name) DO UPDATE SET content_sha256 = $2, updated_at = $3 \
             WHERE site_text.content_sha256 <> $2",
        )
        .bind(name)
        .bind(content_sha256)
        .bind(now)
        .execute(pool)
        .await)?;
        let (updated_at,): (i64,) = on_reader!(self, pool => sqlx::query_as(
            "SELECT updated_at FROM site_text WHERE name = $1",
        )
        .bind(name)
        .fetch_one(pool)
        .await)?;
        Ok(updated_at)
    }

    /// Notes that a local user was active in the week starting at `week_start`.
    pub(crate) async fn record_weekly_login(&self, account_id: i64, week_start: i64) -> Result<()> {
        on_writer!(rows_affected, self, pool => sqlx::query(
            "INSERT INTO weekly_login (week_start, account_id) VALUES ($1, $2) ON CONFLICT DO NOTHING",
        )
        .bind(week_start)
        .bind(account_id)
        .execute(pool)
        .await)?;
        Ok(())
    }

    /// `weeks` weeks of activity, the week starting at `current_week_start` first.
    pub async fn weekly_activity(
        &self,
        current_week_start: i64,
        weeks: i64,
    ) -> Result<Vec<WeekActivity>> {
        let origin = current_week_start - (weeks - 1) * WEEK_MILLIS;
        let count_by_week = |table_query: &'static str| async move {
            let rows: Vec<(i64, i64)> = on_reader!(self, pool => sqlx::query_as(table_query)
                .bind(origin)
                .bind(WEEK_MILLIS)
                .fetch_all(pool)
                .await)?;
            Ok::<_, crate::error::StoreError>(rows)
        };
        let statuses = count_by_week(
            "SELECT (created_at - $1) / $2 AS week, count(*) FROM status \
             WHERE is_local AND created_at >= $1 GROUP BY week",
        )
        .await?;
        let registrations = count_by_week(
            "SELECT (created_at - $1) / $2 AS week, count(*) FROM local_user \
             WHERE created_at >= $1 GROUP BY week",
        )
        .await?;
        let logins = count_by_week(
            "SELECT (week_start - $1) / $2 AS week, count(*) FROM weekly_login \
             WHERE week_start >= $1 GROUP BY week",
        )
        .await?;
        let mut activity: Vec<WeekActivity> = (0..weeks)
            .map(|index| WeekActivity {
                week_start: origin + index * WEEK_MILLIS,
                ..WeekActivity::default()
            })
            .collect();
        let mut add = |rows: Vec<(i64, i64)>, field: fn(&mut WeekActivity) -> &mut i64| {
            for (week, count) in rows {
                if let Some(entry) = usize::try_from(week)
                    .ok()
                    .and_then(|week| activity.get_mut(week))
                {
                    *field(entry) += count;
                }
            }
        };
        add(statuses, |week| &mut week.statuses);
        add(registrations, |week| &mut week.registrations);
        add(logins, |week| &mut week.logins);
        activity.reverse();
        Ok(activity)
    }
}
