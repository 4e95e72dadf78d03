//! OAuth access tokens. Only the SHA-256 of a token is stored: a leaked database does not
//! leak working credentials.

use std::sync::LazyLock;

use crate::accounts::{AccountRow, LOCAL_USER_COLUMNS, LocalUserRow, exists};
use crate::connect::{Db, Pools, Tx, on_reader, on_tx, on_writer};
use crate::error::Result;
use crate::sqlite_reads::{Columns, ReadRow, concat_columns, fetch_all};

/// A live (unrevoked) token, with what authentication needs about its user. Its columns are
/// read as `token_…` where an account's or a user's have the same name, so that one row can
/// hold all three (see [`TOKEN_HOLDER`]).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct TokenRow {
    #[sqlx(rename = "token_id")]
    pub id: i64,
    /// `None` for an application-only token (client credentials).
    #[sqlx(rename = "token_account_id")]
    pub account_id: Option<i64>,
    /// Space-separated scope names, as granted.
    pub scopes: String,
    #[sqlx(rename = "token_created_at")]
    pub created_at: i64,
    /// The application the token was issued to (`None` for tokens made by the admin CLI).
    pub app_id: Option<i64>,
    /// The user's last activity, so that callers can refresh it without a write per request.
    pub last_active_at: Option<i64>,
    /// When and from where the token was last recorded in use.
    pub last_used_at: Option<i64>,
    pub last_used_ip: Option<String>,
}

/// A live token and, for a user's token, its user (see [`Db::token_holder`]).
#[derive(Debug, Clone)]
pub struct TokenHolder {
    pub token: TokenRow,
    pub account: Option<AccountRow>,
    pub user: Option<LocalUserRow>,
}

/// The columns [`TokenRow`] reads but the user's last activity, of `oauth_token` named `t`.
const TOKEN_COLUMNS: &str = "t.id AS token_id, t.account_id AS token_account_id, t.scopes, \
     t.created_at AS token_created_at, t.app_id, t.last_used_at, t.last_used_ip";

/// Whether the token named `t` is live and has the SHA-256 bound as `$1`.
const LIVE_TOKEN_BY_DIGEST: &str = "t.token_sha256 = $1 AND t.revoked_at IS NULL";

/// The live token with the SHA-256 bound as `$1` and, for a user's token, its account (unless
/// deleted) and user, in one row: on PostgreSQL one round trip instead of three, on SQLite one
/// statement and no read transaction around three, on every authenticated request.
static TOKEN_HOLDER: LazyLock<String> = LazyLock::new(|| {
    let account_columns = crate::accounts::ACCOUNT_COLUMNS
        .split(',')
        .map(|column| format!("a.{}", column.trim()))
        .collect::<Vec<_>>()
        .join(", ");
    format!(
        "SELECT {TOKEN_COLUMNS}, {account_columns}, {LOCAL_USER_COLUMNS} FROM oauth_token t \
         LEFT JOIN account a ON a.id = t.account_id AND {} \
         LEFT JOIN local_user u ON u.account_id = t.account_id WHERE {LIVE_TOKEN_BY_DIGEST}",
        exists("a")
    )
});

impl sqlx::FromRow<'_, sqlx::postgres::PgRow> for TokenHolder {
    fn from_row(row: &sqlx::postgres::PgRow) -> sqlx::Result<TokenHolder> {
        use sqlx::Row as _;
        let token = TokenRow::from_row(row)?;
        // The joined rows are all NULL when there is no account (an app's token) or no user.
        let account = match row.try_get::<Option<i64>, _>("id")? {
            Some(_) => Some(AccountRow::from_row(row)?),
            None => None,
        };
        let user = match row.try_get::<Option<i64>, _>("account_id")? {
            Some(_) => Some(LocalUserRow::from_row(row)?),
            None => None,
        };
        Ok(TokenHolder {
            token,
            account,
            user,
        })
    }
}

/// [`TOKEN_HOLDER`]'s columns, as the hot read path on SQLite reads them.
const TOKEN_HOLDER_COLUMNS: [&str;
    TokenRow::COLUMNS.len() + AccountRow::COLUMNS.len() + LocalUserRow::COLUMNS.len()] =
    concat_columns(&[
        TokenRow::COLUMNS,
        AccountRow::COLUMNS,
        LocalUserRow::COLUMNS,
    ]);

impl ReadRow for TokenHolder {
    const COLUMNS: &'static [&'static str] = &TOKEN_HOLDER_COLUMNS;

    fn read(columns: &mut Columns<'_, '_>) -> rusqlite::Result<Self> {
        let token = TokenRow::read(columns)?;
        // The joined rows are all NULL when there is no account (an app's token) or no user.
        let account = joined_row::<AccountRow>(columns)?;
        let user = joined_row::<LocalUserRow>(columns)?;
        Ok(TokenHolder {
            token,
            account,
            user,
        })
    }
}

/// The row of a `LEFT JOIN`, or `None` when it matched nothing (its first column, a key, is
/// NULL).
fn joined_row<T: ReadRow>(columns: &mut Columns<'_, '_>) -> rusqlite::Result<Option<T>> {
    if columns.next_is_null()? {
        columns.skip(T::COLUMNS.len());
        return Ok(None);
    }
    T::read(columns).map(Some)
}

impl crate::sqlite_reads::ReadRow for TokenRow {
    const COLUMNS: &'static [&'static str] = &[
        "token_id",
        "token_account_id",
        "scopes",
        "token_created_at",
        "app_id",
        "last_active_at",
        "last_used_at",
        "last_used_ip",
    ];

    fn read(columns: &mut crate::sqlite_reads::Columns<'_, '_>) -> rusqlite::Result<Self> {
        Ok(TokenRow {
            id: columns.value()?,
            account_id: columns.value()?,
            scopes: columns.value()?,
            created_at: columns.value()?,
            app_id: columns.value()?,
            last_active_at: columns.value()?,
            last_used_at: columns.value()?,
            last_used_ip: columns.value()?,
        })
    }
}

impl Tx {
    /// Stores a new token by its SHA-256 (hex); returns the token row id.
    pub async fn insert_token(
        &mut self,
        token_sha256: &str,
        account_id: Option<i64>,
        app_id: Option<i64>,
        scopes: &str,
        now: i64,
    ) -> Result<i64> {
        let id = self.next_id();
        on_tx!(rows_affected, self, conn => sqlx::query(
            "INSERT INTO oauth_token (id, token_sha256, account_id, app_id, scopes, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(id)
        .bind(token_sha256)
        .bind(account_id)
        .bind(app_id)
        .bind(scopes)
        .bind(now)
        .execute(conn)
        .await)?;
        Ok(id)
    }
}

impl Db {
    /// The live token with this SHA-256 (hex) and, for a user's token, the user's account and
    /// local user rows: what authenticating a request reads, in one statement ([`TOKEN_HOLDER`]),
    /// as every request pays it.
    pub async fn token_holder(&self, token_sha256: &str) -> Result<Option<TokenHolder>> {
        crate::query_count::count_query();
        match self.pools() {
            Pools::Sqlite { fast_readers, .. } => {
                let digest = token_sha256.to_owned();
                fast_readers
                    .run(move |connection| {
                        Ok(fetch_all::<TokenHolder>(connection, &TOKEN_HOLDER, &[&digest])?.pop())
                    })
                    .await
            }
            Pools::Postgres(pool) => Ok(sqlx::query_as::<_, TokenHolder>(&TOKEN_HOLDER)
                .bind(token_sha256)
                .fetch_optional(pool)
                .await?),
        }
    }

    /// Revokes the token with this SHA-256 (hex); with `app_id`, only if it belongs to that
    /// application. Returns false when no live token matched.
    pub async fn revoke_token(
        &self,
        token_sha256: &str,
        app_id: Option<i64>,
        now: i64,
    ) -> Result<bool> {
        let revoked = on_writer!(rows_affected, self, pool => sqlx::query(
            "UPDATE oauth_token SET revoked_at = $1 WHERE token_sha256 = $2 AND revoked_at IS NULL \
             AND ($3 IS NULL OR app_id = $3)",
        )
        .bind(now)
        .bind(token_sha256)
        .bind(app_id)
        .execute(pool)
        .await)?;
        Ok(revoked == 1)
    }
}

/// A user's live token, as their list of sessions and authorized apps shows it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SessionRow {
    pub token_id: i64,
    pub scopes: String,
    pub created_at: i64,
    pub last_used_at: Option<i64>,
    pub last_used_ip: Option<String>,
    pub user_agent: Option<String>,
    pub app_id: Option<i64>,
    pub app_name: Option<String>,
    pub app_website: Option<String>,
}

impl Db {
    /// Records that a token was used at `now` from `ip` with `user_agent`.
    pub async fn touch_token(
        &self,
        token_id: i64,
        now: i64,
        ip: Option<&str>,
        user_agent: Option<&str>,
    ) -> Result<()> {
        on_writer!(rows_affected, self, pool => sqlx::query(
            "UPDATE oauth_token SET last_used_at = $2, last_used_ip = $3, \
             user_agent = coalesce($4, user_agent) WHERE id = $1",
        )
        .bind(token_id)
        .bind(now)
        .bind(ip)
        .bind(user_agent)
        .execute(pool)
        .await)?;
        Ok(())
    }

    /// An account's live tokens with their apps, most recently used first.
    pub async fn sessions(&self, account_id: i64) -> Result<Vec<SessionRow>> {
        let rows = on_reader!(self, pool => sqlx::query_as::<_, SessionRow>(
            "SELECT t.id AS token_id, t.scopes, t.created_at, t.last_used_at, t.last_used_ip, \
             t.user_agent, t.app_id, a.name AS app_name, a.website AS app_website \
             FROM oauth_token t LEFT JOIN oauth_app a ON a.id = t.app_id \
             WHERE t.account_id = $1 AND t.revoked_at IS NULL \
             ORDER BY coalesce(t.last_used_at, t.created_at) DESC, t.id DESC",
        )
        .bind(account_id)
        .fetch_all(pool)
        .await)?;
        Ok(rows)
    }

    /// Revokes one of an account's tokens; false when it is not theirs or not live.
    pub async fn revoke_token_of(&self, account_id: i64, token_id: i64, now: i64) -> Result<bool> {
        let changed = on_writer!(rows_affected, self, pool => sqlx::query(
            "UPDATE oauth_token SET revoked_at = $3 WHERE id = $2 AND account_id = $1 \
             AND revoked_at IS NULL",
        )
        .bind(account_id)
        .bind(token_id)
        .bind(now)
        .execute(pool)
        .await)?;
        Ok(changed == 1)
    }
}
