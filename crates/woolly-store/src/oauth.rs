//! OAuth 2 rows: registered applications and short-lived authorization codes.

use crate::connect::{Db, Tx, on_reader, on_tx, on_writer};
use crate::error::Result;

/// One row of `oauth_app`.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct AppRow {
    pub id: i64,
    pub name: String,
    pub website: Option<String>,
    /// Newline-separated, as Mastodon returns them in `redirect_uri`.
    pub redirect_uris: String,
    pub scopes: String,
    pub client_id: String,
    pub client_secret_sha256: String,
    pub created_at: i64,
}

/// What registering an application writes.
#[derive(Debug, Clone)]
pub struct NewApp {
    pub name: String,
    pub website: Option<String>,
    pub redirect_uris: String,
    pub scopes: String,
    pub client_id: String,
    pub client_secret_sha256: String,
}

/// One row of `oauth_code`.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct CodeRow {
    pub app_id: i64,
    pub account_id: i64,
    pub scopes: String,
    pub redirect_uri: String,
    pub code_challenge: Option<String>,
    pub expires_at: i64,
}

pub(crate) const APP_COLUMNS: &str =
    "id, name, website, redirect_uris, scopes, client_id, client_secret_sha256, created_at";

impl crate::sqlite_reads::ReadRow for AppRow {
    const COLUMNS: &'static [&'static str] = &[
        "id",
        "name",
        "website",
        "redirect_uris",
        "scopes",
        "client_id",
        "client_secret_sha256",
        "created_at",
    ];

    fn read(columns: &mut crate::sqlite_reads::Columns<'_, '_>) -> rusqlite::Result<Self> {
        Ok(AppRow {
            id: columns.value()?,
            name: columns.value()?,
            website: columns.value()?,
            redirect_uris: columns.value()?,
            scopes: columns.value()?,
            client_id: columns.value()?,
            client_secret_sha256: columns.value()?,
            created_at: columns.value()?,
        })
    }
}

impl Db {
    pub async fn insert_app(&self, new: &NewApp, now: i64) -> Result<AppRow> {
        let id = self.next_id();
        on_writer!(rows_affected, self, pool => sqlx::query(
            "INSERT INTO oauth_app (id, name, website, redirect_uris, scopes, client_id, \
             client_secret_sha256, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(id)
        .bind(&new.name)
        .bind(&new.website)
        .bind(&new.redirect_uris)
        .bind(&new.scopes)
        .bind(&new.client_id)
        .bind(&new.client_secret_sha256)
        .bind(now)
        .execute(pool)
        .await)?;
        Ok(AppRow {
            id,
            name: new.name.clone(),
            website: new.website.clone(),
            redirect_uris: new.redirect_uris.clone(),
            scopes: new.scopes.clone(),
            client_id: new.client_id.clone(),
            client_secret_sha256: new.client_secret_sha256.clone(),
            created_at: now,
        })
    }

    pub async fn app_by_client_id(&self, client_id: &str) -> Result<Option<AppRow>> {
        let sql = format!("SELECT {APP_COLUMNS} FROM oauth_app WHERE client_id = $1");
        let row = on_reader!(self, pool => sqlx::query_as::<_, AppRow>(&sql)
            .bind(client_id)
            .fetch_optional(pool)
            .await)?;
        Ok(row)
    }

    pub async fn app_by_id(&self, id: i64) -> Result<Option<AppRow>> {
        let sql = format!("SELECT {APP_COLUMNS} FROM oauth_app WHERE id = $1");
        let row = on_reader!(self, pool => sqlx::query_as::<_, AppRow>(&sql)
            .bind(id)
            .fetch_optional(pool)
            .await)?;
        Ok(row)
    }

    #[allow(clippy::too_many_arguments)]
    pub async fn insert_code(
        &self,
        code_sha256: &str,
        app_id: i64,
        account_id: i64,
        scopes: &str,
        redirect_uri: &str,
        code_challenge: Option<&str>,
        expires_at: i64,
    ) -> Result<()> {
        on_writer!(rows_affected, self, pool => sqlx::query(
            "INSERT INTO oauth_code (code_sha256, app_id, account_id, scopes, redirect_uri, \
             code_challenge, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(code_sha256)
        .bind(app_id)
        .bind(account_id)
        .bind(scopes)
        .bind(redirect_uri)
        .bind(code_challenge)
        .bind(expires_at)
        .execute(pool)
        .await)?;
        Ok(())
    }
}

/// What presenting an authorization code found.
#[derive(Debug)]
pub enum CodeClaim {
    /// Its first use: the code, now spent.
    First(CodeRow),
    /// A use after the first, with the token the first one gave (if it gave one).
    Again {
        token_sha256: Option<String>,
    },
    Unknown,
}

/// How long a spent or expired code is kept to recognise its reuse (codes live ten minutes).
const SPENT_CODE_KEPT_MILLIS: i64 = 24 * 60 * 60 * 1000;

impl Tx {
    /// Spends a code: good for one exchange only, even when two requests race with it. A later
    /// use is told apart from an unknown code, so that the token of the first can be revoked.
    pub async fn claim_code(&mut self, code_sha256: &str, now: i64) -> Result<CodeClaim> {
        on_tx!(rows_affected, self, conn => sqlx::query(
            "DELETE FROM oauth_code WHERE expires_at < $1",
        )
        .bind(now - SPENT_CODE_KEPT_MILLIS)
        .execute(conn)
        .await)?;
        let first = on_tx!(self, conn => sqlx::query_as::<_, CodeRow>(
            "UPDATE oauth_code SET used_at = $2 WHERE code_sha256 = $1 AND used_at IS NULL \
             RETURNING app_id, account_id, scopes, redirect_uri, code_challenge, expires_at",
        )
        .bind(code_sha256)
        .bind(now)
        .fetch_optional(&mut *conn)
        .await)?;
        if let Some(row) = first {
            return Ok(CodeClaim::First(row));
        }
        let spent: Option<(Option<String>,)> = on_tx!(self, conn => sqlx::query_as(
            "SELECT token_sha256 FROM oauth_code WHERE code_sha256 = $1",
        )
        .bind(code_sha256)
        .fetch_optional(conn)
        .await)?;
        Ok(match spent {
            Some((token_sha256,)) => CodeClaim::Again { token_sha256 },
            None => CodeClaim::Unknown,
        })
    }

    /// Records the token a code's first use gave.
    pub async fn record_code_token(&mut self, code_sha256: &str, token_sha256: &str) -> Result<()> {
        on_tx!(rows_affected, self, conn => sqlx::query(
            "UPDATE oauth_code SET token_sha256 = $2 WHERE code_sha256 = $1",
        )
        .bind(code_sha256)
        .bind(token_sha256)
        .execute(conn)
        .await)?;
        Ok(())
    }

    /// Revokes a live token by its SHA-256 (hex).
    pub async fn revoke_token(&mut self, token_sha256: &str, now: i64) -> Result<()> {
        on_tx!(rows_affected, self, conn => sqlx::query(
            "UPDATE oauth_token SET revoked_at = $1 WHERE token_sha256 = $2 AND revoked_at IS NULL",
        )
        .bind(now)
        .bind(token_sha256)
        .execute(conn)
        .await)?;
        Ok(())
    }
}
