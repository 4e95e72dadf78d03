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

impl Tx {
    /// Removes and returns a code: a code is good for one exchange only, even when two
    /// requests race with it.
    pub async fn take_code(&mut self, code_sha256: &str) -> Result<Option<CodeRow>> {
        let row = on_tx!(self, conn => sqlx::query_as::<_, CodeRow>(
            "SELECT app_id, account_id, scopes, redirect_uri, code_challenge, expires_at \
             FROM oauth_code WHERE code_sha256 = $1",
        )
        .bind(code_sha256)
        .fetch_optional(&mut *conn)
        .await)?;
        if row.is_some() {
            let deleted = on_tx!(rows_affected, self, conn => sqlx::query(
                "DELETE FROM oauth_code WHERE code_sha256 = $1",
            )
            .bind(code_sha256)
            .execute(conn)
            .await)?;
            if deleted == 0 {
                return Ok(None);
            }
        }
        Ok(row)
    }
}
