//! The figures of the moderators' dashboard: what happened each day (new users, active users,
//! interactions with local posts, reports opened and resolved), how things divide (sign-ups by
//! app, known accounts by server), and how many of those who joined came back (retention). Which figures are shown to whom is decided in `woolly-core`.

use crate::connect::{Db, on_reader};
use crate::error::Result;

/// A figure counted per day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Measure {
    /// Local accounts created.
    NewUsers,
    /// Favourites, boosts and replies that local posts received.
    Interactions,
    OpenedReports,
    ResolvedReports,
    /// Local users who used the instance (each once a day).
    ActiveUsers,
}

/// A day's count: the day as milliseconds since the epoch at its start (UTC), and the count.
pub type DailyCount = (i64, i64);

const DAY_MILLIS: i64 = 86_400_000;

impl Measure {
    /// The times (milliseconds) of what it counts between `$1` and `$2`, one row per thing.
    fn times(self) -> &'static str {
        match self {
            Measure::NewUsers => {
                "SELECT created_at AS at FROM account \
                 WHERE domain IS NULL AND created_at >= $1 AND created_at < $2"
            }
            Measure::Interactions => {
                "SELECT f.created_at AS at FROM favourite f JOIN status s ON s.id = f.status_id \
                 WHERE s.is_local AND f.created_at >= $1 AND f.created_at < $2 \
                 UNION ALL SELECT r.created_at AS at FROM status r JOIN status s \
                   ON s.id = coalesce(r.reblog_of_id, r.in_reply_to_id) \
                 WHERE s.is_local AND r.account_id <> s.account_id \
                   AND r.created_at >= $1 AND r.created_at < $2"
            }
            Measure::OpenedReports => {
                "SELECT created_at AS at FROM report WHERE created_at >= $1 AND created_at < $2"
            }
            Measure::ResolvedReports => {
                "SELECT action_taken_at AS at FROM report \
                 WHERE action_taken_at >= $1 AND action_taken_at < $2"
            }
            Measure::ActiveUsers => {
                "SELECT day AS at FROM daily_login WHERE day >= $1 AND day < $2"
            }
        }
    }
}

impl Db {
    /// `measure` counted per UTC day from `start` (inclusive) to `end` (exclusive), days
    /// without any left out.
    pub async fn daily_counts(
        &self,
        measure: Measure,
        start: i64,
        end: i64,
    ) -> Result<Vec<DailyCount>> {
        let sql = format!(
            "SELECT (at / {DAY_MILLIS}) * {DAY_MILLIS} AS day, count(*) AS n \
             FROM ({}) t GROUP BY day ORDER BY day",
            measure.times()
        );
        let rows: Vec<(i64, i64)> = on_reader!(self, pool => sqlx::query_as(&sql)
            .bind(start)
            .bind(end)
            .fetch_all(pool)
            .await)?;
        Ok(rows)
    }

    /// Local accounts created between `start` and `end`, by the app they signed up with (the
    /// web interface's own app too); those made by the operator under `None`.
    pub async fn sign_ups_by_app(
        &self,
        start: i64,
        end: i64,
    ) -> Result<Vec<(Option<String>, i64)>> {
        let rows = on_reader!(self, pool => sqlx::query_as(
            "SELECT app.name, count(*) AS n FROM local_user u \
             JOIN account a ON a.id = u.account_id \
             LEFT JOIN oauth_app app ON app.id = u.sign_up_app_id \
             WHERE a.created_at >= $1 AND a.created_at < $2 \
             GROUP BY app.name ORDER BY n DESC LIMIT 10",
        )
        .bind(start)
        .bind(end)
        .fetch_all(pool)
        .await)?;
        Ok(rows)
    }

    /// How many different local users used the instance between `start` and `end`.
    pub async fn distinct_active_users(&self, start: i64, end: i64) -> Result<i64> {
        let (count,): (i64,) = on_reader!(self, pool => sqlx::query_as(
            "SELECT count(DISTINCT account_id) FROM daily_login WHERE day >= $1 AND day < $2",
        )
        .bind(start)
        .bind(end)
        .fetch_one(pool)
        .await)?;
        Ok(count)
    }

    /// Local users who joined between `start` and `end`, counted by the day they joined and
    /// the day they last used the instance (`None`: never since joining).
    pub async fn joined_and_last_seen_days(
        &self,
        start: i64,
        end: i64,
    ) -> Result<Vec<(i64, Option<i64>, i64)>> {
        let sql = format!(
            "SELECT (a.created_at / {DAY_MILLIS}) * {DAY_MILLIS} AS joined, \
             (u.last_active_at / {DAY_MILLIS}) * {DAY_MILLIS} AS seen, count(*) AS n \
             FROM local_user u JOIN account a ON a.id = u.account_id \
             WHERE a.created_at >= $1 AND a.created_at < $2 GROUP BY joined, seen"
        );
        let rows = on_reader!(self, pool => sqlx::query_as(&sql)
            .bind(start)
            .bind(end)
            .fetch_all(pool)
            .await)?;
        Ok(rows)
    }

    /// The database's own name and version (`SQLite 3.46.0`, `PostgreSQL 16.2`).
    pub async fn engine_version(&self) -> Result<(&'static str, String)> {
        let (name, sql) = match self.engine() {
            crate::Engine::Sqlite => ("SQLite", "SELECT sqlite_version()"),
            crate::Engine::Postgres => ("PostgreSQL", "SELECT current_setting('server_version')"),
        };
        let (version,): (String,) = on_reader!(self, pool => sqlx::query_as(sql)
            .fetch_one(pool)
            .await)?;
        Ok((name, version))
    }

    /// The servers this one knows most accounts of, with how many.
    pub async fn accounts_by_server(&self, limit: i64) -> Result<Vec<(String, i64)>> {
        let rows = on_reader!(self, pool => sqlx::query_as(
            "SELECT domain, count(*) AS n FROM account WHERE domain IS NOT NULL \
             AND deleted_at IS NULL GROUP BY domain ORDER BY n DESC, domain LIMIT $1",
        )
        .bind(limit)
        .fetch_all(pool)
        .await)?;
        Ok(rows)
    }
}
