//! Instance secrets, generated once and kept in the database so that every process sharing it
//! (and every restart) uses the same ones.

use crate::connect::{Db, on_reader, on_writer};
use crate::error::{Result, StoreError};

impl Db {
    /// The secret called `name`; on first use, stores `generate()`'s value (`None`: the
    /// generator failed, nothing is stored). When two processes race, the first insert wins and
    /// both return it.
    pub async fn secret_or_insert(
        &self,
        name: &str,
        generate: impl FnOnce() -> Option<String>,
    ) -> Result<String> {
        if let Some(value) = self.secret(name).await? {
            return Ok(value);
        }
        let value = generate()
            .ok_or_else(|| StoreError::Corrupt(format!("could not generate secret {name}")))?;
        on_writer!(rows_affected, self, pool => sqlx::query(
            "INSERT INTO instance_secret (name, value, created_at) VALUES ($1, $2, $3) \
             ON CONFLICT (name) DO NOTHING",
        )
        .bind(name)
        .bind(&value)
        .bind(crate::now_millis())
        .execute(pool)
        .await)?;
        self.secret(name)
            .await?
            .ok_or_else(|| StoreError::Corrupt(format!("secret {name} vanished after insert")))
    }

    /// The secret called `name`, if one was stored.
    pub async fn secret(&self, name: &str) -> Result<Option<String>> {
        let row: Option<(String,)> = on_reader!(self, pool => sqlx::query_as(
            "SELECT value FROM instance_secret WHERE name = $1",
        )
        .bind(name)
        .fetch_optional(pool)
        .await)?;
        Ok(row.map(|(value,)| value))
    }
}
