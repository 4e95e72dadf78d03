//! A local user's credentials over the account's life: changing the password (with the current
//! one), resetting it by e-mail, changing the e-mail address (confirmed at the new address), and
//! the operator setting a password.
//!
//! A password reset answers the same whether the address exists or not, so nobody learns who
//! has an account; its link works once, for an hour. Any new password signs out every other
//! session and is told to the owner by e-mail.

use woolly_store::EmailTokenPurpose;

use crate::accounts::{Account, LocalUser};
use crate::areas::Accounts;
use crate::crypto;
use crate::error::{CoreError, FieldErrors, FieldRule, Result};
use crate::mail::Message;

/// A reset link works for an hour.
const RESET_LIFETIME_MILLIS: i64 = 60 * 60 * 1000;

const MIN_PASSWORD_LENGTH: usize = 8;
const MAX_PASSWORD_LENGTH: usize = 72;

/// Adds to `errors` what is wrong with a new password, as field `field`.
pub(crate) fn check_new_password(password: &str, field: &'static str, errors: &mut FieldErrors) {
    let length = password.chars().count();
    if length == 0 {
        errors.add(field, FieldRule::Blank, "can't be blank");
    } else if length < MIN_PASSWORD_LENGTH {
        errors.add(
            field,
            FieldRule::TooShort,
            format!("is too short (minimum is {MIN_PASSWORD_LENGTH} characters)"),
        );
    } else if length > MAX_PASSWORD_LENGTH {
        errors.add(
            field,
            FieldRule::TooLong,
            format!("is too long (maximum is {MAX_PASSWORD_LENGTH} characters)"),
        );
    }
}

/// A new password's length, checked alone.
fn new_password(password: &str) -> Result<()> {
    let mut errors = FieldErrors::default();
    check_new_password(password, "password", &mut errors);
    errors.into_result()
}

impl Accounts<'_> {
    /// Whether `password` is the user's current one (on the CPU threads).
    pub(crate) async fn password_matches(&self, account_id: i64, password: &str) -> Result<bool> {
        let stored = self
            .db()
            .local_user(account_id)
            .await?
            .ok_or(CoreError::NotFound)?
            .password_hash;
        self.password_matches_hash(password, stored).await
    }

    /// Changes the password of a signed-in user, who gives the current one. Every other
    /// session (token) but `keep_token_id` is signed out.
    pub async fn change_password(
        &self,
        account: &Account,
        user: &LocalUser,
        current: &str,
        new: &str,
        keep_token_id: Option<i64>,
    ) -> Result<()> {
        if !self.password_matches(account.id, current).await? {
            let mut errors = FieldErrors::default();
            errors.add("current_password", FieldRule::Invalid, "is invalid");
            return Err(CoreError::Fields(errors));
        }
        new_password(new)?;
        self.store_new_password(account, user, new, keep_token_id)
            .await
    }

    /// Hashes and stores a new password, signs out other sessions, spends reset links, and
    /// tells the owner.
    async fn store_new_password(
        &self,
        account: &Account,
        user: &LocalUser,
        new: &str,
        keep_token_id: Option<i64>,
    ) -> Result<()> {
        let new = new.to_owned();
        let hash = self
            .run_cpu_bound(move || crypto::hash_password(&new))
            .await??;
        let now = crate::now_millis();
        let mut tx = self.db().begin().await?;
        tx.set_password_hash(account.id, &hash).await?;
        let signed_out = tx.revoke_tokens_of(account.id, keep_token_id, now).await?;
        tx.spend_email_tokens(account.id, EmailTokenPurpose::ResetPassword, now)
            .await?;
        let message = self.message_to(&Message::PasswordChanged, &user.email, account, user);
        self.commit_with_email(tx, &message).await?;
        tracing::info!(account_id = account.id, signed_out, "password changed");
        Ok(())
    }

    /// Sends a password-reset link to `email` if a local user has it. Answers the same either
    /// way.
    pub async fn request_password_reset(&self, email: &str) -> Result<()> {
        let email = email.trim();
        let Some(account_id) = self.db().account_id_by_email(email).await? else {
            tracing::info!("password reset asked for an unknown address");
            return Ok(());
        };
        let Some((account, user)) = self.local_user_with_account(account_id).await? else {
            return Ok(());
        };
        let mut tx = self.db().begin().await?;
        let secret = self
            .new_email_link(
                &mut tx,
                account.id,
                EmailTokenPurpose::ResetPassword,
                &user.email,
                RESET_LIFETIME_MILLIS,
            )
            .await?;
        let link = self.config().urls().password_reset(&secret);
        let message = self.message_to(
            &Message::ResetPassword { link: &link },
            &user.email,
            &account,
            &user,
        );
        self.commit_with_email(tx, &message).await?;
        tracing::info!(account_id, "password reset link sent");
        Ok(())
    }

    /// Follows a reset link with a new password: the link is spent, every session signed out.
    /// Following it also proves the address, so an unconfirmed one counts as confirmed.
    pub async fn reset_password(&self, secret: &str, new: &str) -> Result<()> {
        new_password(new)?;
        let now = crate::now_millis();
        let mut tx = self.db().begin().await?;
        let claimed = tx
            .claim_email_token(
                &crypto::token_digest(secret),
                EmailTokenPurpose::ResetPassword,
                now,
            )
            .await?
            .ok_or_else(crate::joining::invalid_link)?;
        tx.confirm_email(claimed.account_id, &claimed.email, now)
            .await?;
        tx.commit().await?;
        let (account, user) = self
            .local_user_with_account(claimed.account_id)
            .await?
            .ok_or(CoreError::NotFound)?;
        self.store_new_password(&account, &user, new, None).await
    }

    /// Asks to change a user's address: the current one stays until a link sent to the new
    /// one is followed.
    pub async fn change_email(
        &self,
        account: &Account,
        user: &LocalUser,
        current_password: &str,
        new_email: &str,
    ) -> Result<()> {
        let mut errors = FieldErrors::default();
        if !self.password_matches(account.id, current_password).await? {
            errors.add("current_password", FieldRule::Invalid, "is invalid");
        }
        let new_email = new_email.trim();
        if crate::accounts::Email::parse(new_email).is_err() {
            errors.add("email", FieldRule::Invalid, "is invalid");
        } else if self.db().email_in_use(new_email).await? {
            errors.add("email", FieldRule::Taken, "has already been taken");
        }
        errors.into_result()?;
        self.check_email_allowed(new_email).await?;
        let mut tx = self.db().begin().await?;
        tx.set_unconfirmed_email(account.id, Some(new_email))
            .await?;
        let secret = self
            .new_email_link(
                &mut tx,
                account.id,
                EmailTokenPurpose::Confirm,
                new_email,
                crate::joining::CONFIRMATION_LIFETIME_MILLIS,
            )
            .await?;
        let link = self.config().urls().email_confirmation(&secret);
        let message = self.message_to(
            &Message::ConfirmNewAddress { link: &link },
            new_email,
            account,
            user,
        );
        self.commit_with_email(tx, &message).await?;
        tracing::info!(account_id = account.id, "e-mail change asked");
        Ok(())
    }

    /// The operator sets a user's password (`woolly admin account password`); `None`
    /// generates one, which is returned. Every session is signed out.
    pub async fn set_password(
        &self,
        username: &str,
        new: Option<String>,
    ) -> Result<Option<String>> {
        let account = self.local_account_named(username).await?;
        let (account, user) = self
            .local_user_with_account(account.id)
            .await?
            .ok_or(CoreError::NotFound)?;
        let (password, generated) = match new {
            Some(password) => (password, None),
            None => {
                let password = crypto::random_password();
                (password.clone(), Some(password))
            }
        };
        new_password(&password).map_err(|error| match error {
            CoreError::Fields(errors) => CoreError::Validation(errors.to_string()),
            other => other,
        })?;
        self.store_new_password(&account, &user, &password, None)
            .await?;
        Ok(generated)
    }
}
