//! Joining and the account's life: invites, single-use e-mail links, confirming, approving and
//! rejecting local users, changing their password or address, names kept from deleted
//! accounts, and settings the operator changes at run time. Whether a sign-up is allowed is
//! decided in `woolly-core`.

use crate::connect::{Db, Tx, on_reader, on_tx, on_writer};
use crate::error::Result;

/// One row of `invite`.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct InviteRow {
    pub id: i64,
    pub code: String,
    /// Who made it; `None` for the operator.
    pub account_id: Option<i64>,
    pub max_uses: Option<i64>,
    pub uses: i64,
    pub expires_at: Option<i64>,
    pub revoked_at: Option<i64>,
    pub created_at: i64,
}

const INVITE_COLUMNS: &str =
    "id, code, account_id, max_uses, uses, expires_at, revoked_at, created_at";

/// What an e-mail link is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EmailTokenPurpose {
    /// Confirms the address it was sent to (a new account's, or a changed one).
    Confirm,
    ResetPassword,
}

impl EmailTokenPurpose {
    fn as_str(self) -> &'static str {
        match self {
            EmailTokenPurpose::Confirm => "confirm",
            EmailTokenPurpose::ResetPassword => "reset_password",
        }
    }
}

/// What a claimed e-mail link was about.
#[derive(Debug, Clone)]
pub struct ClaimedEmailToken {
    pub account_id: i64,
    /// The address it was sent to.
    pub email: String,
}

impl Tx {
    pub async fn insert_invite(
        &mut self,
        code: &str,
        account_id: Option<i64>,
        max_uses: Option<i64>,
        expires_at: Option<i64>,
        now: i64,
    ) -> Result<i64> {
        let id = self.next_id();
        on_tx!(rows_affected, self, conn => sqlx::query(
            "INSERT INTO invite (id, code, account_id, max_uses, expires_at, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(id)
        .bind(code)
        .bind(account_id)
        .bind(max_uses)
        .bind(expires_at)
        .bind(now)
        .execute(conn)
        .await)?;
        Ok(id)
    }

    /// Spends one use of the invite `code` if it can still be used at `now`; returns its id.
    /// One statement, so two sign-ups never both take the last use.
    pub async fn use_invite(&mut self, code: &str, now: i64) -> Result<Option<i64>> {
        let row: Option<(i64,)> = on_tx!(self, conn => sqlx::query_as(
            "UPDATE invite SET uses = uses + 1 WHERE code = $1 AND revoked_at IS NULL \
             AND (expires_at IS NULL OR expires_at > $2) AND (max_uses IS NULL OR uses < max_uses) \
             RETURNING id",
        )
        .bind(code)
        .bind(now)
        .fetch_optional(conn)
        .await)?;
        Ok(row.map(|(id,)| id))
    }

    /// Stores the digest of a link's secret, valid until `expires_at`.
    pub async fn insert_email_token(
        &mut self,
        token_sha256: &str,
        account_id: i64,
        purpose: EmailTokenPurpose,
        email: &str,
        expires_at: i64,
        now: i64,
    ) -> Result<()> {
        on_tx!(rows_affected, self, conn => sqlx::query(
            "INSERT INTO email_token (token_sha256, account_id, purpose, email, expires_at, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(token_sha256)
        .bind(account_id)
        .bind(purpose.as_str())
        .bind(email)
        .bind(expires_at)
        .bind(now)
        .execute(conn)
        .await)?;
        Ok(())
    }

    /// Uses up a link: `None` when it is unknown, for something else, used or expired.
    pub async fn claim_email_token(
        &mut self,
        token_sha256: &str,
        purpose: EmailTokenPurpose,
        now: i64,
    ) -> Result<Option<ClaimedEmailToken>> {
        let row: Option<(i64, String)> = on_tx!(self, conn => sqlx::query_as(
            "UPDATE email_token SET used_at = $3 WHERE token_sha256 = $1 AND purpose = $2 \
             AND used_at IS NULL AND expires_at > $3 RETURNING account_id, email",
        )
        .bind(token_sha256)
        .bind(purpose.as_str())
        .bind(now)
        .fetch_optional(conn)
        .await)?;
        Ok(row.map(|(account_id, email)| ClaimedEmailToken { account_id, email }))
    }

    /// Spends every unused link of `purpose` an account has (a newer one replaces them, or what
    /// they were for is done).
    pub async fn spend_email_tokens(
        &mut self,
        account_id: i64,
        purpose: EmailTokenPurpose,
        now: i64,
    ) -> Result<()> {
        on_tx!(rows_affected, self, conn => sqlx::query(
            "UPDATE email_token SET used_at = $3 WHERE account_id = $1 AND purpose = $2 \
             AND used_at IS NULL",
        )
        .bind(account_id)
        .bind(purpose.as_str())
        .bind(now)
        .execute(conn)
        .await)?;
        Ok(())
    }

    /// Marks `email` confirmed for the account: the address it signed up with, or the new one
    /// it asked for (which then replaces the old). Returns false when `email` is neither.
    pub async fn confirm_email(&mut self, account_id: i64, email: &str, now: i64) -> Result<bool> {
        let changed = on_tx!(rows_affected, self, conn => sqlx::query(
            "UPDATE local_user SET email = $2, unconfirmed_email = NULL, \
             confirmed_at = coalesce(confirmed_at, $3) \
             WHERE account_id = $1 AND (lower(email) = lower($2) OR lower(unconfirmed_email) = lower($2))",
        )
        .bind(account_id)
        .bind(email)
        .bind(now)
        .execute(conn)
        .await)?;
        Ok(changed == 1)
    }

    /// Sets the address of an account that has not confirmed one yet.
    pub async fn replace_unconfirmed_email(&mut self, account_id: i64, email: &str) -> Result<()> {
        on_tx!(rows_affected, self, conn => sqlx::query(
            "UPDATE local_user SET email = $2 WHERE account_id = $1 AND confirmed_at IS NULL",
        )
        .bind(account_id)
        .bind(email)
        .execute(conn)
        .await)?;
        Ok(())
    }

    /// Records a new address waiting for confirmation (`None` forgets it).
    pub async fn set_unconfirmed_email(
        &mut self,
        account_id: i64,
        email: Option<&str>,
    ) -> Result<()> {
        on_tx!(rows_affected, self, conn => sqlx::query(
            "UPDATE local_user SET unconfirmed_email = $2 WHERE account_id = $1",
        )
        .bind(account_id)
        .bind(email)
        .execute(conn)
        .await)?;
        Ok(())
    }

    pub async fn set_password_hash(&mut self, account_id: i64, password_hash: &str) -> Result<()> {
        on_tx!(rows_affected, self, conn => sqlx::query(
            "UPDATE local_user SET password_hash = $2 WHERE account_id = $1",
        )
        .bind(account_id)
        .bind(password_hash)
        .execute(conn)
        .await)?;
        Ok(())
    }

    /// Revokes every token of an account but `keep` (a password change signs out elsewhere).
    pub async fn revoke_tokens_of(
        &mut self,
        account_id: i64,
        keep: Option<i64>,
        now: i64,
    ) -> Result<u64> {
        let revoked = on_tx!(rows_affected, self, conn => sqlx::query(
            "UPDATE oauth_token SET revoked_at = $2 WHERE account_id = $1 AND revoked_at IS NULL \
             AND id <> coalesce($3, -1)",
        )
        .bind(account_id)
        .bind(now)
        .bind(keep)
        .execute(conn)
        .await)?;
        Ok(revoked)
    }

    /// Approves a local user waiting for approval; returns false when there was none.
    pub async fn approve_local_user(&mut self, account_id: i64) -> Result<bool> {
        let changed = on_tx!(rows_affected, self, conn => sqlx::query(
            "UPDATE local_user SET approved = TRUE WHERE account_id = $1 AND NOT approved",
        )
        .bind(account_id)
        .execute(conn)
        .await)?;
        Ok(changed == 1)
    }

    /// Removes a local account that was never approved (a rejected sign-up), with all its rows.
    /// Returns false when the account is approved or unknown.
    pub async fn delete_pending_local_account(&mut self, account_id: i64) -> Result<bool> {
        let pending: Option<(i64,)> = on_tx!(self, conn => sqlx::query_as(
            "SELECT account_id FROM local_user WHERE account_id = $1 AND NOT approved",
        )
        .bind(account_id)
        .fetch_optional(conn)
        .await)?;
        if pending.is_none() {
            return Ok(false);
        }
        on_tx!(rows_affected, self, conn => sqlx::query("DELETE FROM account WHERE id = $1")
            .bind(account_id)
            .execute(conn)
            .await)?;
        Ok(true)
    }

    /// Keeps `username` (lower-cased) from ever being taken again.
    pub async fn reserve_username(&mut self, username: &str, now: i64) -> Result<()> {
        on_tx!(rows_affected, self, conn => sqlx::query(
            "INSERT INTO reserved_username (username, reserved_at) VALUES (lower($1), $2) \
             ON CONFLICT (username) DO NOTHING",
        )
        .bind(username)
        .bind(now)
        .execute(conn)
        .await)?;
        Ok(())
    }

    /// Keeps the private key of the deleted account `username` (already reserved) until
    /// `forget_at`, for signing the deliveries of its deletion.
    pub async fn keep_retired_key(
        &mut self,
        username: &str,
        private_key_pem: &str,
        forget_at: i64,
    ) -> Result<()> {
        on_tx!(rows_affected, self, conn => sqlx::query(
            "UPDATE reserved_username SET private_key_pem = $2, key_forgotten_at = $3 \
             WHERE username = lower($1)",
        )
        .bind(username)
        .bind(private_key_pem)
        .bind(forget_at)
        .execute(conn)
        .await)?;
        Ok(())
    }

    /// Deletes a local account as far as anyone can see, at a cost that does not grow with its
    /// history: the account is marked deleted (every read that shows accounts, or the statuses
    /// of a page, leaves it out from then on), signed out everywhere, and its user (with its
    /// e-mail address) removed. What it leaves is purged later by [`Tx::purge_statuses_of`]
    /// and [`Tx::delete_local_account`]. False when there is no such live local account.
    pub async fn retire_local_account(&mut self, account_id: i64, now: i64) -> Result<bool> {
        let retired = on_tx!(rows_affected, self, conn => sqlx::query(
            "UPDATE account SET deleted_at = $2 WHERE id = $1 AND domain IS NULL AND deleted_at IS NULL",
        )
        .bind(account_id)
        .bind(now)
        .execute(conn)
        .await)?;
        if retired != 1 {
            return Ok(false);
        }
        for sql in [
            "DELETE FROM oauth_token WHERE account_id = $1",
            "DELETE FROM oauth_code WHERE account_id = $1",
            "DELETE FROM local_user WHERE account_id = $1",
        ] {
            on_tx!(rows_affected, self, conn => sqlx::query(sql)
                .bind(account_id)
                .execute(conn)
                .await)?;
        }
        // Others' statuses cached with this account among their mentions are shown again
        // without it.
        self.bump_render_generation().await?;
        Ok(true)
    }
}

impl Db {
    /// Every invite, newest first; with `account_id`, only those it made.
    pub async fn invites(&self, account_id: Option<i64>) -> Result<Vec<InviteRow>> {
        let sql = format!(
            "SELECT {INVITE_COLUMNS} FROM invite WHERE $1 IS NULL OR account_id = $1 ORDER BY id DESC"
        );
        let rows = on_reader!(self, pool => sqlx::query_as::<_, InviteRow>(&sql)
            .bind(account_id)
            .fetch_all(pool)
            .await)?;
        Ok(rows)
    }

    pub async fn invite_by_code(&self, code: &str) -> Result<Option<InviteRow>> {
        let sql = format!("SELECT {INVITE_COLUMNS} FROM invite WHERE code = $1");
        let row = on_reader!(self, pool => sqlx::query_as::<_, InviteRow>(&sql)
            .bind(code)
            .fetch_optional(pool)
            .await)?;
        Ok(row)
    }

    /// Revokes an invite by code; returns false when it was unknown or already revoked.
    pub async fn revoke_invite(&self, code: &str, now: i64) -> Result<bool> {
        let changed = on_writer!(rows_affected, self, pool => sqlx::query(
            "UPDATE invite SET revoked_at = $2 WHERE code = $1 AND revoked_at IS NULL",
        )
        .bind(code)
        .bind(now)
        .execute(pool)
        .await)?;
        Ok(changed == 1)
    }

    /// Whether `username` belonged to a deleted account (compared lower-case).
    pub async fn username_reserved(&self, username: &str) -> Result<bool> {
        let row: Option<(String,)> = on_reader!(self, pool => sqlx::query_as(
            "SELECT username FROM reserved_username WHERE username = lower($1)",
        )
        .bind(username)
        .fetch_optional(pool)
        .await)?;
        Ok(row.is_some())
    }

    /// The private key kept for the deleted account `username` (see
    /// [`Tx::keep_retired_key`]), while it is kept.
    pub async fn retired_key(&self, username: &str, now: i64) -> Result<Option<String>> {
        let row: Option<(Option<String>,)> = on_reader!(self, pool => sqlx::query_as(
            "SELECT private_key_pem FROM reserved_username \
             WHERE username = lower($1) AND key_forgotten_at > $2",
        )
        .bind(username)
        .bind(now)
        .fetch_optional(pool)
        .await)?;
        Ok(row.and_then(|(key,)| key))
    }

    /// Forgets the retired keys whose time is up. Returns how many.
    pub async fn forget_retired_keys(&self, now: i64) -> Result<u64> {
        let forgotten = on_writer!(rows_affected, self, pool => sqlx::query(
            "UPDATE reserved_username SET private_key_pem = NULL, key_forgotten_at = NULL \
             WHERE key_forgotten_at <= $1",
        )
        .bind(now)
        .execute(pool)
        .await)?;
        Ok(forgotten)
    }

    /// Whether a local user already has `email` (confirmed or waiting), case-insensitively.
    pub async fn email_in_use(&self, email: &str) -> Result<bool> {
        let row: Option<(i64,)> = on_reader!(self, pool => sqlx::query_as(
            "SELECT account_id FROM local_user WHERE lower(email) = lower($1) \
             OR lower(unconfirmed_email) = lower($1) LIMIT 1",
        )
        .bind(email)
        .fetch_optional(pool)
        .await)?;
        Ok(row.is_some())
    }

    /// The account holding a confirmed address (for password resets).
    pub async fn account_id_by_email(&self, email: &str) -> Result<Option<i64>> {
        let row: Option<(i64,)> = on_reader!(self, pool => sqlx::query_as(
            "SELECT account_id FROM local_user WHERE lower(email) = lower($1)",
        )
        .bind(email)
        .fetch_optional(pool)
        .await)?;
        Ok(row.map(|(id,)| id))
    }

    /// A run-time setting, if `woolly admin` set one.
    pub async fn site_setting(&self, name: &str) -> Result<Option<String>> {
        let row: Option<(String,)> = on_reader!(self, pool => sqlx::query_as(
            "SELECT value FROM site_setting WHERE name = $1",
        )
        .bind(name)
        .fetch_optional(pool)
        .await)?;
        Ok(row.map(|(value,)| value))
    }

    /// Sets a run-time setting; `None` removes it (the configured value applies again).
    pub async fn set_site_setting(&self, name: &str, value: Option<&str>, now: i64) -> Result<()> {
        match value {
            Some(value) => on_writer!(rows_affected, self, pool => sqlx::query(
                "INSERT INTO site_setting (name, value, updated_at) VALUES ($1, $2, $3) \
                 ON CONFLICT (name) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
            )
            .bind(name)
            .bind(value)
            .bind(now)
            .execute(pool)
            .await)?,
            None => on_writer!(rows_affected, self, pool => sqlx::query(
                "DELETE FROM site_setting WHERE name = $1",
            )
            .bind(name)
            .execute(pool)
            .await)?,
        };
        Ok(())
    }

    /// Local users waiting for approval, oldest first.
    pub async fn pending_local_users(&self) -> Result<Vec<i64>> {
        let rows: Vec<(i64,)> = on_reader!(self, pool => sqlx::query_as(
            "SELECT account_id FROM local_user WHERE NOT approved ORDER BY account_id",
        )
        .fetch_all(pool)
        .await)?;
        Ok(rows.into_iter().map(|(id,)| id).collect())
    }
}

/// A local user's two-factor secrets.
#[derive(Debug, Clone, Default, sqlx::FromRow)]
pub struct OtpSecrets {
    /// The secret in use (base32); `None` while two-factor sign-in is off.
    pub active: Option<String>,
    /// A secret being set up, until a first code confirms it.
    pub pending: Option<String>,
}

impl Db {
    pub async fn otp_secrets(&self, account_id: i64) -> Result<OtpSecrets> {
        let row = on_reader!(self, pool => sqlx::query_as::<_, OtpSecrets>(
            "SELECT otp_secret AS active, otp_pending_secret AS pending FROM local_user \
             WHERE account_id = $1",
        )
        .bind(account_id)
        .fetch_optional(pool)
        .await)?;
        Ok(row.unwrap_or_default())
    }

    pub async fn set_pending_otp_secret(&self, account_id: i64, secret: &str) -> Result<()> {
        on_writer!(rows_affected, self, pool => sqlx::query(
            "UPDATE local_user SET otp_pending_secret = $2 WHERE account_id = $1",
        )
        .bind(account_id)
        .bind(secret)
        .execute(pool)
        .await)?;
        Ok(())
    }

    /// Accepts a code for time step `step` once: false when a code for this step or a later
    /// one was already accepted (a code seen by someone else cannot be replayed).
    pub async fn claim_otp_step(&self, account_id: i64, step: i64) -> Result<bool> {
        let changed = on_writer!(rows_affected, self, pool => sqlx::query(
            "UPDATE local_user SET otp_last_step = $2 WHERE account_id = $1 \
             AND (otp_last_step IS NULL OR otp_last_step < $2)",
        )
        .bind(account_id)
        .bind(step)
        .execute(pool)
        .await)?;
        Ok(changed == 1)
    }

    /// Uses up a recovery code; false when it is unknown or used.
    pub async fn claim_recovery_code(
        &self,
        account_id: i64,
        code_sha256: &str,
        now: i64,
    ) -> Result<bool> {
        let changed = on_writer!(rows_affected, self, pool => sqlx::query(
            "UPDATE otp_recovery_code SET used_at = $3 WHERE account_id = $1 \
             AND code_sha256 = $2 AND used_at IS NULL",
        )
        .bind(account_id)
        .bind(code_sha256)
        .bind(now)
        .execute(pool)
        .await)?;
        Ok(changed == 1)
    }
}

impl Tx {
    /// Turns two-factor sign-in on with the pending secret (confirmed by a code for `step`),
    /// with new recovery codes in place of any old ones.
    pub async fn enable_otp(
        &mut self,
        account_id: i64,
        step: i64,
        recovery_code_digests: &[String],
    ) -> Result<bool> {
        let changed = on_tx!(rows_affected, self, conn => sqlx::query(
            "UPDATE local_user SET otp_secret = otp_pending_secret, otp_pending_secret = NULL, \
             otp_last_step = $2 WHERE account_id = $1 AND otp_pending_secret IS NOT NULL",
        )
        .bind(account_id)
        .bind(step)
        .execute(conn)
        .await)?;
        if changed != 1 {
            return Ok(false);
        }
        on_tx!(rows_affected, self, conn => sqlx::query(
            "DELETE FROM otp_recovery_code WHERE account_id = $1",
        )
        .bind(account_id)
        .execute(conn)
        .await)?;
        for digest in recovery_code_digests {
            on_tx!(rows_affected, self, conn => sqlx::query(
                "INSERT INTO otp_recovery_code (account_id, code_sha256) VALUES ($1, $2)",
            )
            .bind(account_id)
            .bind(digest)
            .execute(conn)
            .await)?;
        }
        Ok(true)
    }

    /// Turns two-factor sign-in off and forgets its secrets and recovery codes.
    pub async fn disable_otp(&mut self, account_id: i64) -> Result<()> {
        on_tx!(rows_affected, self, conn => sqlx::query(
            "UPDATE local_user SET otp_secret = NULL, otp_pending_secret = NULL, \
             otp_last_step = NULL WHERE account_id = $1",
        )
        .bind(account_id)
        .execute(conn)
        .await)?;
        on_tx!(rows_affected, self, conn => sqlx::query(
            "DELETE FROM otp_recovery_code WHERE account_id = $1",
        )
        .bind(account_id)
        .execute(conn)
        .await)?;
        Ok(())
    }
}

impl Tx {
    /// The stored files of an account: its uploads' and its avatar's and header's keys.
    pub async fn media_keys_of(&mut self, account_id: i64) -> Result<Vec<String>> {
        let rows: Vec<(Option<String>,)> = on_tx!(self, conn => sqlx::query_as(
            "SELECT file_key FROM media_attachment WHERE account_id = $1 \
             UNION ALL SELECT avatar_key FROM account WHERE id = $1 \
             UNION ALL SELECT header_key FROM account WHERE id = $1",
        )
        .bind(account_id)
        .fetch_all(&mut *conn)
        .await)?;
        Ok(rows.into_iter().filter_map(|(key,)| key).collect())
    }
}

impl Db {
    /// How many key pairs wait for new accounts.
    pub async fn count_spare_key_pairs(&self) -> Result<i64> {
        let (count,): (i64,) = on_reader!(self, pool => sqlx::query_as(
            "SELECT count(*) FROM spare_key_pair",
        )
        .fetch_one(pool)
        .await)?;
        Ok(count)
    }

    pub async fn insert_spare_key_pair(
        &self,
        private_key_pem: &str,
        public_key_pem: &str,
        now: i64,
    ) -> Result<()> {
        on_writer!(rows_affected, self, pool => sqlx::query(
            "INSERT INTO spare_key_pair (id, private_key_pem, public_key_pem, created_at) \
             VALUES ($1, $2, $3, $4)",
        )
        .bind(self.next_id())
        .bind(private_key_pem)
        .bind(public_key_pem)
        .bind(now)
        .execute(pool)
        .await)?;
        Ok(())
    }

    /// Takes the oldest spare key pair, as (private, public) PEM; `None` when there is none (or
    /// another process took it at the same moment).
    pub async fn take_spare_key_pair(&self) -> Result<Option<(String, String)>> {
        let row: Option<(String, String)> = on_writer!(self, pool => sqlx::query_as(
            "DELETE FROM spare_key_pair WHERE id = (SELECT min(id) FROM spare_key_pair) \
             RETURNING private_key_pem, public_key_pem",
        )
        .fetch_optional(pool)
        .await)?;
        Ok(row)
    }
}
