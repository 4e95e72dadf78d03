//! What software the servers this one knows of run, from their NodeInfo.

use crate::connect::{Db, on_reader, on_writer};
use crate::error::Result;

impl Db {
    /// Claims the check of `domain`'s software: true when it was never checked or was last
    /// checked before `checked_before` (the caller then asks it), false when it is current or
    /// another caller has just claimed it.
    pub async fn claim_server_check(
        &self,
        domain: &str,
        now: i64,
        checked_before: i64,
    ) -> Result<bool> {
        let claimed = on_writer!(rows_affected, self, pool => sqlx::query(
            "INSERT INTO known_server (domain, checked_at) VALUES ($1, $2) \
             ON CONFLICT (domain) DO UPDATE SET checked_at = $2 \
             WHERE known_server.checked_at < $3",
        )
        .bind(domain)
        .bind(now)
        .bind(checked_before)
        .execute(pool)
        .await)?;
        Ok(claimed == 1)
    }

    /// Records what `domain` said it runs (`None`: it did not say).
    pub async fn record_server_software(
        &self,
        domain: &str,
        software: Option<(&str, &str)>,
    ) -> Result<()> {
        let (name, version) = software.unzip();
        on_writer!(rows_affected, self, pool => sqlx::query(
            "UPDATE known_server SET software = $2, version = $3 WHERE domain = $1",
        )
        .bind(domain)
        .bind(name)
        .bind(version)
        .execute(pool)
        .await)?;
        Ok(())
    }

    /// The software of known servers with how many run each, the most common first.
    pub async fn software_of_known_servers(&self, limit: i64) -> Result<Vec<(String, i64)>> {
        let rows = on_reader!(self, pool => sqlx::query_as(
            "SELECT software, count(*) AS n FROM known_server WHERE software IS NOT NULL \
             GROUP BY software ORDER BY n DESC, software LIMIT $1",
        )
        .bind(limit)
        .fetch_all(pool)
        .await)?;
        Ok(rows)
    }

    /// What `domain` runs, as last recorded: `(software, version)`.
    pub async fn server_software(&self, domain: &str) -> Result<Option<(String, String)>> {
        let row: Option<(Option<String>, Option<String>)> = on_reader!(self, pool => sqlx::query_as(
            "SELECT software, version FROM known_server WHERE domain = $1",
        )
        .bind(domain)
        .fetch_optional(pool)
        .await)?;
        Ok(row.and_then(|(software, version)| Some((software?, version.unwrap_or_default()))))
    }
}
