//! Joining: who may sign up (the registration mode), signing up through an app as Mastodon's
//! `POST /api/v1/accounts` does, invites, confirming the e-mail address, and approving or
//! rejecting sign-ups in approval mode.
//!
//! A sign-up checks every field before spending CPU on the password hash and the key pair, then
//! writes the account, its token, its invite use, its confirmation link and the e-mail job in one
//! transaction: a refused sign-up leaves nothing behind, an accepted one loses nothing.

use crate::account_moderation::{Moderator, Target, log_action};
use crate::sign_up_blocks::IpSeverity;
use std::net::IpAddr;

use serde::{Deserialize, Serialize};
use woolly_store::{EmailTokenPurpose, InviteRow, NewLocalAccount, StoreError};

use crate::accounts::{Account, LocalUser, Role};
use crate::areas::SignUps;
use crate::crypto;
use crate::error::{CoreError, FieldErrors, FieldRule, Result};
use crate::mail::{Message, OutgoingEmail, SEND_EMAIL_ATTEMPTS, SEND_EMAIL_JOB};
use crate::oauth::IssuedToken;
use crate::state::Woolly;

/// Who may sign up.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RegistrationMode {
    /// Anyone; the account works once its address is confirmed.
    Open,
    /// Anyone may ask, with a reason; a moderator approves or rejects each account.
    Approval,
    /// Only holders of a valid invite.
    Invite,
    /// Nobody.
    Closed,
}

impl RegistrationMode {
    pub const ALL: [RegistrationMode; 4] = [
        RegistrationMode::Open,
        RegistrationMode::Approval,
        RegistrationMode::Invite,
        RegistrationMode::Closed,
    ];

    pub fn parse(text: &str) -> Result<RegistrationMode> {
        RegistrationMode::ALL
            .into_iter()
            .find(|mode| mode.as_str() == text.trim())
            .ok_or_else(|| {
                CoreError::Validation(format!(
                    "Registration mode {text:?} is unknown: use open, approval, invite or closed"
                ))
            })
    }

    pub fn as_str(self) -> &'static str {
        match self {
            RegistrationMode::Open => "open",
            RegistrationMode::Approval => "approval",
            RegistrationMode::Invite => "invite",
            RegistrationMode::Closed => "closed",
        }
    }
}

/// Which users may make invites.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum InvitePolicy {
    Nobody,
    Moderators,
    Everyone,
}

impl InvitePolicy {
    pub fn parse(text: &str) -> Result<InvitePolicy> {
        match text.trim() {
            "nobody" => Ok(InvitePolicy::Nobody),
            "moderators" => Ok(InvitePolicy::Moderators),
            "everyone" => Ok(InvitePolicy::Everyone),
            _ => Err(CoreError::Validation(format!(
                "Invite policy {text:?} is unknown: use nobody, moderators or everyone"
            ))),
        }
    }

    /// Whether a user with `role` may make invites.
    pub fn allows(self, role: Role) -> bool {
        match self {
            InvitePolicy::Nobody => false,
            InvitePolicy::Moderators => role >= Role::Moderator,
            InvitePolicy::Everyone => true,
        }
    }
}

/// What the instance document says about signing up (`registrations` in v2).
#[derive(Debug, Clone)]
pub struct Registrations {
    pub mode: RegistrationMode,
    /// Markdown from the operator, shown while sign-up is closed.
    pub closed_message: Option<String>,
    pub min_age: Option<u32>,
    /// Whether users of the default role may invite others (`invites_enabled` in v1).
    pub invites_enabled: bool,
}

impl Registrations {
    /// Whether anyone may sign up without an invite (`registrations.enabled`).
    pub fn enabled(&self) -> bool {
        matches!(
            self.mode,
            RegistrationMode::Open | RegistrationMode::Approval
        )
    }

    pub fn approval_required(&self) -> bool {
        self.mode == RegistrationMode::Approval
    }

    /// A reason is asked for whenever approval is.
    pub fn reason_required(&self) -> bool {
        self.approval_required()
    }
}

/// What a sign-up form or `POST /api/v1/accounts` sends.
#[derive(Debug, Clone, Default)]
pub struct SignUp {
    pub username: String,
    pub email: String,
    pub password: String,
    /// Whether the server's rules and policies were accepted.
    pub agreement: bool,
    pub locale: Option<String>,
    /// Why they want to join (approval mode).
    pub reason: Option<String>,
    pub invite_code: Option<String>,
    /// `YYYY-MM-DD`, asked for when the server sets a minimum age.
    pub date_of_birth: Option<String>,
    pub from: Option<IpAddr>,
}

/// A new account and the token its app gets.
#[derive(Debug, Clone)]
pub struct SignedUp {
    pub account_id: i64,
    pub token: IssuedToken,
}

/// An invitation code and how much of it is left.
#[derive(Debug, Clone)]
pub struct Invite {
    pub code: String,
    pub url: String,
    /// Who made it; `None` for the operator.
    pub inviter_id: Option<i64>,
    pub max_uses: Option<i64>,
    pub uses: i64,
    pub expires_at: Option<i64>,
    pub revoked: bool,
    pub created_at: i64,
}

/// The name of the run-time registration mode in `site_setting`.
const MODE_SETTING: &str = "registrations";

/// A confirmation link works for two days, as Devise's `confirm_within` in Mastodon.
pub(crate) const CONFIRMATION_LIFETIME_MILLIS: i64 = 2 * 24 * 60 * 60 * 1000;

/// Names nobody may sign up with (Mastodon's default `reserved_usernames`, and names that
/// would pass for the server's own voice).
const RESERVED_USERNAMES: &[&str] = &[
    "abuse",
    "admin",
    "administrator",
    "help",
    "hostmaster",
    "mod",
    "moderator",
    "moderators",
    "noreply",
    "owner",
    "postmaster",
    "root",
    "security",
    "staff",
    "support",
    "system",
    "webmaster",
    "woolly",
];

/// The longest reason kept; a longer one is refused rather than cut.
const MAX_REASON_LENGTH: usize = 2000;

impl Woolly {
    /// Whether `username` is one nobody may take: on the list, the instance actor's, or a
    /// deleted account's.
    pub(crate) async fn username_reserved(&self, username: &str) -> Result<bool> {
        let lower = username.to_ascii_lowercase();
        if RESERVED_USERNAMES.contains(&lower.as_str())
            || lower == crate::actors::INSTANCE_ACTOR_USERNAME
        {
            return Ok(true);
        }
        Ok(self.db().username_reserved(&lower).await?)
    }

    /// Queues `email` in `tx` (as a job, sent once `tx` commits); the caller wakes the workers.
    pub(crate) async fn queue_email(
        &self,
        tx: &mut woolly_store::Tx,
        email: &OutgoingEmail,
    ) -> Result<()> {
        let job = crate::jobs::new_job(
            SEND_EMAIL_JOB,
            email,
            crate::now_millis(),
            SEND_EMAIL_ATTEMPTS,
        )?;
        tx.enqueue_job(&job).await?;
        Ok(())
    }

    /// Commits `tx` with `email` queued in it (as a job, sent once `tx` commits), and wakes the
    /// workers to send it.
    pub(crate) async fn commit_with_email(
        &self,
        mut tx: woolly_store::Tx,
        email: &OutgoingEmail,
    ) -> Result<()> {
        let job = crate::jobs::new_job(
            SEND_EMAIL_JOB,
            email,
            crate::now_millis(),
            SEND_EMAIL_ATTEMPTS,
        )?;
        tx.enqueue_job(&job).await?;
        tx.commit().await?;
        self.wake_workers();
        Ok(())
    }

    /// Writes a new single-use link of `purpose` for `email` in `tx`; returns its secret.
    pub(crate) async fn new_email_link(
        &self,
        tx: &mut woolly_store::Tx,
        account_id: i64,
        purpose: EmailTokenPurpose,
        email: &str,
        lifetime_millis: i64,
    ) -> Result<String> {
        let now = crate::now_millis();
        // A new link replaces the older ones.
        tx.spend_email_tokens(account_id, purpose, now).await?;
        let secret = crypto::random_secret(32);
        tx.insert_email_token(
            &crypto::token_digest(&secret),
            account_id,
            purpose,
            email,
            now + lifetime_millis,
            now,
        )
        .await?;
        Ok(secret)
    }

    /// A message to a local user, in their language.
    pub(crate) fn message_to(
        &self,
        message: &Message<'_>,
        to: &str,
        account: &Account,
        user: &LocalUser,
    ) -> OutgoingEmail {
        message.compose(to, &user.locale, &account.username, &self.config().title)
    }
}

impl SignUps<'_> {
    /// The registration mode in force: the one `woolly admin registrations` set, else the
    /// configured one.
    pub async fn mode(&self) -> Result<RegistrationMode> {
        match self.db().site_setting(MODE_SETTING).await? {
            Some(stored) => RegistrationMode::parse(&stored).or_else(|_| {
                tracing::warn!(
                    stored,
                    "unknown stored registration mode; using the configured one"
                );
                Ok(self.config().registrations)
            }),
            None => Ok(self.config().registrations),
        }
    }

    /// Sets the registration mode at run time; `None` goes back to the configured one.
    pub async fn set_mode(&self, mode: Option<RegistrationMode>) -> Result<()> {
        self.db()
            .set_site_setting(
                MODE_SETTING,
                mode.map(RegistrationMode::as_str),
                crate::now_millis(),
            )
            .await?;
        tracing::info!(
            mode = mode.map(RegistrationMode::as_str).unwrap_or("configured"),
            "registration mode set"
        );
        Ok(())
    }

    /// What the instance document reports about signing up.
    pub async fn registrations(&self) -> Result<Registrations> {
        let config = self.config();
        Ok(Registrations {
            mode: self.mode().await?,
            closed_message: (!config.closed_registrations_message.trim().is_empty())
                .then(|| config.closed_registrations_message.clone()),
            min_age: config.min_age,
            invites_enabled: config.invites_by.allows(Role::User),
        })
    }

    /// Signs someone up through the app `app_id` (Mastodon's `POST /api/v1/accounts`): the
    /// account and a token with the app's scopes. The account can use the API once its address
    /// is confirmed (and, in approval mode, once a moderator approves it).
    pub async fn sign_up_with_app(&self, app_id: i64, sign_up: SignUp) -> Result<SignedUp> {
        let app = self
            .oauth()
            .app(app_id)
            .await?
            .ok_or(CoreError::Unauthenticated)?;
        let mode = self.mode().await?;
        let invite_code = sign_up
            .invite_code
            .as_deref()
            .map(str::trim)
            .filter(|code| !code.is_empty());
        let invite = match invite_code {
            Some(code) => self.db().invite_by_code(code).await?,
            None => None,
        };
        let now = crate::now_millis();
        let invite_valid = invite
            .as_ref()
            .is_some_and(|invite| invite_usable(invite, now));
        let allowed = match mode {
            RegistrationMode::Open | RegistrationMode::Approval => true,
            RegistrationMode::Invite => invite_valid,
            RegistrationMode::Closed => false,
        };
        if !allowed {
            tracing::info!(
                mode = mode.as_str(),
                invited = invite_code.is_some(),
                "sign-up refused: registrations closed"
            );
            return Err(CoreError::Forbidden("This action is not allowed".into()));
        }
        let needs_approval = mode == RegistrationMode::Approval && !invite_valid;
        // The moderators' IP blocks: sign-ups from there are refused, or wait for approval.
        let ip_severity = match sign_up.from {
            Some(address) => self.ip_severity(address).await?,
            None => None,
        };
        if ip_severity.is_some_and(|severity| severity >= IpSeverity::SignUpBlock) {
            tracing::info!(from = ?sign_up.from, "sign-up refused: blocked address");
            return Err(CoreError::Forbidden("This action is not allowed".into()));
        }
        let held_by_ip = ip_severity == Some(IpSeverity::SignUpRequiresApproval);

        let mut errors = FieldErrors::default();
        let username = sign_up.username.trim();
        if username.is_empty() {
            errors.add("username", FieldRule::Blank, "can't be blank");
        } else if username.chars().count() > crate::accounts::MAX_USERNAME_LENGTH {
            errors.add(
                "username",
                FieldRule::TooLong,
                format!(
                    "is too long (maximum is {} characters)",
                    crate::accounts::MAX_USERNAME_LENGTH
                ),
            );
        } else if crate::accounts::Username::parse(username).is_err() {
            // Neither blank nor too long: a character is not allowed.
            errors.add(
                "username",
                FieldRule::Invalid,
                "must contain only letters, numbers and underscores",
            );
        } else if self.username_reserved(username).await? {
            errors.add("username", FieldRule::Reserved, "is reserved");
        } else if self
            .db()
            .local_account_by_username(username)
            .await?
            .is_some()
        {
            errors.add("username", FieldRule::Taken, "has already been taken");
        }
        let email = sign_up.email.trim();
        if email.is_empty() {
            errors.add("email", FieldRule::Blank, "can't be blank");
        } else if crate::accounts::Email::parse(email).is_err() {
            errors.add("email", FieldRule::Invalid, "is invalid");
        } else if self.db().email_in_use(email).await? {
            errors.add("email", FieldRule::Taken, "has already been taken");
        }
        crate::credentials::check_new_password(&sign_up.password, "password", &mut errors);
        if !sign_up.agreement {
            errors.add("agreement", FieldRule::Accepted, "must be accepted");
        }
        let reason = sign_up
            .reason
            .as_deref()
            .map(str::trim)
            .filter(|reason| !reason.is_empty());
        if needs_approval && reason.is_none() {
            errors.add("reason", FieldRule::Blank, "can't be blank");
        } else if reason.is_some_and(|reason| reason.chars().count() > MAX_REASON_LENGTH) {
            errors.add(
                "reason",
                FieldRule::TooLong,
                format!("is too long (maximum is {MAX_REASON_LENGTH} characters)"),
            );
        }
        if invite_code.is_some() && !invite_valid {
            errors.add(
                "invite_code",
                FieldRule::Invalid,
                "is invalid, used up or expired",
            );
        }
        if let Some(min_age) = self.config().min_age {
            match sign_up
                .date_of_birth
                .as_deref()
                .map(str::trim)
                .filter(|date| !date.is_empty())
            {
                None => errors.add("date_of_birth", FieldRule::Blank, "can't be blank"),
                Some(date) => match age_on(date, now) {
                    None => errors.add("date_of_birth", FieldRule::Invalid, "is invalid"),
                    Some(age) if age < min_age => errors.add(
                        "date_of_birth",
                        FieldRule::BelowLimit,
                        format!("is below the age limit ({min_age})"),
                    ),
                    Some(_) => {}
                },
            }
        }
        let locale = match sign_up.locale.as_deref().map(str::trim) {
            None | Some("") => "en".to_owned(),
            Some(locale) => match language_tag(locale) {
                Some(tag) => tag,
                None => {
                    errors.add(
                        "locale",
                        FieldRule::Inclusion,
                        "is not included in the list",
                    );
                    "en".to_owned()
                }
            },
        };
        if let Err(refused) = errors.into_result() {
            tracing::info!(%refused, "sign-up refused");
            return Err(refused);
        }
        self.check_email_allowed(email).await?;

        let password = sign_up.password.clone();
        let password_hash = self
            .run_cpu_bound(move || crypto::hash_password(&password))
            .await??;
        let keys = self.key_pair().await?;
        // Mastodon's `admin.sign_up`: those who manage users hear of each new account.
        let staff: Vec<i64> = self
            .moderation()
            .staff_ids_with(crate::accounts::permission::MANAGE_USERS)
            .await?;
        let mut tx = self.db().begin().await?;
        let invite_id = match invite_code {
            Some(code) => match tx.use_invite(code, now).await? {
                Some(id) => Some(id),
                None => {
                    // Its last use went to someone else meanwhile.
                    let mut errors = FieldErrors::default();
                    errors.add(
                        "invite_code",
                        FieldRule::Invalid,
                        "is invalid, used up or expired",
                    );
                    return Err(CoreError::Fields(errors));
                }
            },
            None => None,
        };
        let row = NewLocalAccount {
            username: username.to_owned(),
            email: email.to_owned(),
            password_hash,
            role: Role::User.as_str().to_owned(),
            public_key_pem: keys.public_pem,
            private_key_pem: keys.private_pem,
            confirmed: false,
            approved: !needs_approval && !held_by_ip,
            locale: locale.clone(),
            sign_up_reason: reason.map(str::to_owned),
            invite_id,
            sign_up_app_id: Some(app.id),
            sign_up_ip: sign_up.from.map(|address| address.to_string()),
        };
        let account_id = match tx.insert_local_account(&row, now).await {
            Ok(id) => id,
            Err(StoreError::Conflict(constraint)) => {
                // Taken meanwhile by a sign-up that committed first.
                let mut errors = FieldErrors::default();
                if constraint.contains("email") {
                    errors.add("email", FieldRule::Taken, "has already been taken");
                } else {
                    errors.add("username", FieldRule::Taken, "has already been taken");
                }
                return Err(CoreError::Fields(errors));
            }
            Err(error) => return Err(error.into()),
        };
        let (token, _) =
            crate::oauth::insert_app_token(&mut tx, app.id, Some(account_id), app.scopes, now)
                .await?;
        let told = tx
            .insert_staff_notifications(&staff, "admin.sign_up", account_id, None, now)
            .await?;
        let secret = self
            .new_email_link(
                &mut tx,
                account_id,
                EmailTokenPurpose::Confirm,
                email,
                CONFIRMATION_LIFETIME_MILLIS,
            )
            .await?;
        let link = self.config().urls().email_confirmation(&secret);
        let message = Message::ConfirmAccount { link: &link }.compose(
            email,
            &locale,
            username,
            &self.config().title,
        );
        self.commit_with_email(tx, &message).await?;
        self.publish(told.into_iter().map(|(account_id, notification_id)| {
            crate::events::Event::Notification {
                account_id,
                notification_id,
            }
        }));
        // More sign-ups may follow: have their keys ready.
        self.refill_key_pool();
        tracing::info!(
            account_id,
            username,
            approval = needs_approval,
            invited = invite_id.is_some(),
            "signed up"
        );
        Ok(SignedUp { account_id, token })
    }

    /// Follows a confirmation link: confirms the address it was sent to. Returns the account.
    pub async fn confirm_email(&self, secret: &str) -> Result<i64> {
        let now = crate::now_millis();
        let mut tx = self.db().begin().await?;
        let claimed = tx
            .claim_email_token(
                &crypto::token_digest(secret),
                EmailTokenPurpose::Confirm,
                now,
            )
            .await?
            .ok_or_else(invalid_link)?;
        match tx
            .confirm_email(claimed.account_id, &claimed.email, now)
            .await
        {
            Ok(true) => {}
            Ok(false) => return Err(invalid_link()),
            // Two accounts asked for the same new address; the other confirmed it first.
            Err(StoreError::Conflict(_)) => {
                return Err(CoreError::Validation(
                    "Another account uses this address now".into(),
                ));
            }
            Err(error) => return Err(error.into()),
        }
        tx.commit().await?;
        tracing::info!(account_id = claimed.account_id, "e-mail address confirmed");
        Ok(claimed.account_id)
    }

    /// Sends the confirmation again, to a new address when `email` is given (Mastodon's
    /// `POST /api/v1/emails/confirmations`): only for the app the user signed up with, and only
    /// while the address awaits confirmation.
    pub async fn resend_confirmation(
        &self,
        account: &Account,
        user: &LocalUser,
        app_id: Option<i64>,
        email: Option<&str>,
    ) -> Result<()> {
        if user.sign_up_app_id.is_none() || user.sign_up_app_id != app_id {
            return Err(CoreError::Forbidden(
                "This method is only available to the application the user originally signed-up with".into(),
            ));
        }
        if user.confirmed {
            return Err(CoreError::Forbidden(
                "This method is only available while the e-mail is awaiting confirmation".into(),
            ));
        }
        let mut address = user.email.clone();
        if let Some(new) = email.map(str::trim) {
            let mut errors = FieldErrors::default();
            if new.is_empty() {
                errors.add("email", FieldRule::Blank, "can't be blank");
            } else if crate::accounts::Email::parse(new).is_err() {
                errors.add("email", FieldRule::Invalid, "is invalid");
            } else if !new.eq_ignore_ascii_case(&user.email) && self.db().email_in_use(new).await? {
                errors.add("email", FieldRule::Taken, "has already been taken");
            }
            errors.into_result()?;
            address = new.to_owned();
        }
        let mut tx = self.db().begin().await?;
        if address != user.email {
            match tx.replace_unconfirmed_email(account.id, &address).await {
                Err(StoreError::Conflict(_)) => {
                    let mut errors = FieldErrors::default();
                    errors.add("email", FieldRule::Taken, "has already been taken");
                    return Err(CoreError::Fields(errors));
                }
                other => other?,
            }
        }
        let secret = self
            .new_email_link(
                &mut tx,
                account.id,
                EmailTokenPurpose::Confirm,
                &address,
                CONFIRMATION_LIFETIME_MILLIS,
            )
            .await?;
        let link = self.config().urls().email_confirmation(&secret);
        let message = self.message_to(
            &Message::ConfirmAccount { link: &link },
            &address,
            account,
            user,
        );
        self.commit_with_email(tx, &message).await?;
        Ok(())
    }

    /// Local accounts waiting for approval, oldest first.
    pub async fn pending(&self) -> Result<Vec<(Account, LocalUser)>> {
        let mut pending = Vec::new();
        for id in self.db().pending_local_users().await? {
            if let Some(found) = self.accounts().local_user_with_account(id).await? {
                pending.push(found);
            }
        }
        Ok(pending)
    }

    /// Approves an account waiting for approval and tells its owner; the audit log names `by`.
    pub async fn approve(&self, username: &str, by: Moderator<'_>) -> Result<()> {
        let (account, user) = self.pending_by_name(username).await?;
        let mut tx = self.db().begin().await?;
        if !tx.approve_local_user(account.id).await? {
            return Err(not_pending(username));
        }
        let target = Target::User(&account);
        log_action(&mut tx, by, "approve", target, crate::now_millis()).await?;
        let link = self.config().urls().home_page();
        let message = self.message_to(
            &Message::Approved { link: &link },
            &user.email,
            &account,
            &user,
        );
        self.commit_with_email(tx, &message).await?;
        tracing::info!(account_id = account.id, "sign-up approved");
        Ok(())
    }

    /// Rejects an account waiting for approval: it is removed (its name may be taken again, as
    /// in Mastodon) and its owner told. `by` as for [`SignUps::approve`].
    pub async fn reject(&self, username: &str, by: Moderator<'_>) -> Result<()> {
        let (account, user) = self.pending_by_name(username).await?;
        let mut tx = self.db().begin().await?;
        if !tx.delete_pending_local_account(account.id).await? {
            return Err(not_pending(username));
        }
        let target = Target::User(&account);
        log_action(&mut tx, by, "reject", target, crate::now_millis()).await?;
        let message = self.message_to(&Message::Rejected, &user.email, &account, &user);
        self.commit_with_email(tx, &message).await?;
        tracing::info!(account_id = account.id, "sign-up rejected");
        Ok(())
    }

    async fn pending_by_name(&self, username: &str) -> Result<(Account, LocalUser)> {
        let account = self.accounts().local_account_named(username).await?;
        let (account, user) = self
            .accounts()
            .local_user_with_account(account.id)
            .await?
            .ok_or_else(|| not_pending(username))?;
        if user.approved {
            return Err(not_pending(username));
        }
        Ok((account, user))
    }

    /// Makes an invite. `by` is the inviting user (who must be allowed to by the invite
    /// policy), `None` for the operator. `expires_in_millis`: `None` never expires.
    pub async fn create_invite(
        &self,
        by: Option<(&Account, &LocalUser)>,
        max_uses: Option<i64>,
        expires_in_millis: Option<i64>,
    ) -> Result<Invite> {
        if let Some((_, user)) = by
            && !self.config().invites_by.allows(user.role)
        {
            return Err(CoreError::Forbidden("This action is not allowed".into()));
        }
        if max_uses.is_some_and(|uses| uses < 1) {
            return Err(CoreError::Validation(
                "An invite must allow at least one use".into(),
            ));
        }
        if expires_in_millis.is_some_and(|millis| millis < 1) {
            return Err(CoreError::Validation(
                "An invite must expire in the future".into(),
            ));
        }
        let now = crate::now_millis();
        // Eight letters and digits, as Mastodon's `Invite#generate_code`: short enough to type.
        let code = crypto::random_code(8);
        let inviter_id = by.map(|(account, _)| account.id);
        let expires_at = expires_in_millis.map(|millis| now.saturating_add(millis));
        let mut tx = self.db().begin().await?;
        tx.insert_invite(&code, inviter_id, max_uses, expires_at, now)
            .await?;
        tx.commit().await?;
        tracing::info!(inviter_id, max_uses, expires_at, "invite created");
        Ok(Invite {
            url: self.config().urls().invite(&code),
            code,
            inviter_id,
            max_uses,
            uses: 0,
            expires_at,
            revoked: false,
            created_at: now,
        })
    }

    /// Every invite (newest first), or only those `inviter_id` made.
    pub async fn invites(&self, inviter_id: Option<i64>) -> Result<Vec<Invite>> {
        Ok(self
            .db()
            .invites(inviter_id)
            .await?
            .into_iter()
            .map(|row| self.invite_from_row(row))
            .collect())
    }

    /// An invite by its code, to show on an invite link's page.
    pub async fn invite(&self, code: &str) -> Result<Option<Invite>> {
        Ok(self
            .db()
            .invite_by_code(code.trim())
            .await?
            .map(|row| self.invite_from_row(row)))
    }

    /// Revokes one of `inviter`'s own invites; another's, or an unknown code, is not found.
    pub async fn revoke_own_invite(&self, inviter: &Account, code: &str) -> Result<bool> {
        match self.invite(code).await? {
            Some(invite) if invite.inviter_id == Some(inviter.id) => {
                self.revoke_invite(&invite.code).await
            }
            _ => Err(CoreError::NotFound),
        }
    }

    /// Revokes an invite; false when it was unknown or already revoked.
    pub async fn revoke_invite(&self, code: &str) -> Result<bool> {
        let revoked = self
            .db()
            .revoke_invite(code.trim(), crate::now_millis())
            .await?;
        if revoked {
            tracing::info!("invite revoked");
        }
        Ok(revoked)
    }

    fn invite_from_row(&self, row: InviteRow) -> Invite {
        Invite {
            url: self.config().urls().invite(&row.code),
            code: row.code,
            inviter_id: row.account_id,
            max_uses: row.max_uses,
            uses: row.uses,
            expires_at: row.expires_at,
            revoked: row.revoked_at.is_some(),
            created_at: row.created_at,
        }
    }
}

/// Whether an invite may still be used at `now`.
fn invite_usable(invite: &InviteRow, now: i64) -> bool {
    invite.revoked_at.is_none()
        && invite.expires_at.is_none_or(|expires_at| expires_at > now)
        && invite.max_uses.is_none_or(|max| invite.uses < max)
}

/// A link that is unknown, spent or expired (the three are not told apart).
pub(crate) fn invalid_link() -> CoreError {
    CoreError::Validation("This link is invalid, was already used, or has expired".into())
}

fn not_pending(username: &str) -> CoreError {
    CoreError::Validation(format!("{username} is not waiting for approval"))
}

/// `locale` as a language tag (`fr`, `pt-BR`, `zh-Hant`, `es-419`), with Rails' underscore
/// (`pt_BR`) accepted; `None` when it is not shaped like one. Messages fall back to English
/// for a language they are not written in, so any well-formed tag is kept.
pub(crate) fn language_tag(locale: &str) -> Option<String> {
    let mut subtags = locale.split(['-', '_']);
    let language = subtags.next()?;
    if !(2..=3).contains(&language.len()) || !language.chars().all(|c| c.is_ascii_alphabetic()) {
        return None;
    }
    let mut tag = language.to_ascii_lowercase();
    // At most a script then a region, in that order.
    let mut script_allowed = true;
    let mut region_allowed = true;
    for subtag in subtags {
        let letters = subtag.chars().all(|c| c.is_ascii_alphabetic());
        let normalized = match subtag.len() {
            4 if script_allowed && letters => {
                subtag[..1].to_ascii_uppercase() + &subtag[1..].to_ascii_lowercase()
            }
            2 if region_allowed && letters => subtag.to_ascii_uppercase(),
            3 if region_allowed && subtag.chars().all(|c| c.is_ascii_digit()) => subtag.to_owned(),
            _ => return None,
        };
        script_allowed = false;
        region_allowed &= subtag.len() == 4;
        tag.push('-');
        tag.push_str(&normalized);
    }
    Some(tag)
}

/// Full years between a `YYYY-MM-DD` birth date and `now_millis`; `None` for a date that is
/// malformed or in the future.
fn age_on(date_of_birth: &str, now_millis: i64) -> Option<u32> {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    let born = time::Date::parse(date_of_birth, &format).ok()?;
    let today = time::OffsetDateTime::from_unix_timestamp(now_millis / 1000)
        .ok()?
        .date();
    if born > today {
        return None;
    }
    let mut years = today.year() - born.year();
    if (today.month() as u8, today.day()) < (born.month() as u8, born.day()) {
        years -= 1;
    }
    u32::try_from(years).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ages_count_full_years() {
        // 2026-12-06T00:00:00Z.
        let now = 1_796_515_200_000;
        assert_eq!(age_on("2010-12-06", now), Some(16));
        assert_eq!(age_on("2010-12-07", now), Some(15));
        assert_eq!(age_on("2027-01-01", now), None);
        assert_eq!(age_on("6 December 2010", now), None);
    }

    #[test]
    fn modes_parse_and_say_what_they_allow() -> Result<()> {
        for mode in RegistrationMode::ALL {
            assert_eq!(RegistrationMode::parse(mode.as_str())?, mode);
        }
        assert!(RegistrationMode::parse("none").is_err());
        let registrations = |mode| Registrations {
            mode,
            closed_message: None,
            min_age: None,
            invites_enabled: false,
        };
        assert!(registrations(RegistrationMode::Open).enabled());
        assert!(registrations(RegistrationMode::Approval).reason_required());
        assert!(!registrations(RegistrationMode::Invite).enabled());
        assert!(!registrations(RegistrationMode::Closed).enabled());
        Ok(())
    }

    #[test]
    fn invite_policy_follows_roles() {
        assert!(!InvitePolicy::Nobody.allows(Role::Owner));
        assert!(!InvitePolicy::Moderators.allows(Role::User));
        assert!(InvitePolicy::Moderators.allows(Role::Admin));
        assert!(InvitePolicy::Everyone.allows(Role::User));
    }

    #[test]
    fn locales_are_language_tags() {
        assert_eq!(language_tag("fr").as_deref(), Some("fr"));
        assert_eq!(language_tag("pt-BR").as_deref(), Some("pt-BR"));
        assert_eq!(language_tag("pt_br").as_deref(), Some("pt-BR"));
        assert_eq!(language_tag("zh-hant-TW").as_deref(), Some("zh-Hant-TW"));
        assert_eq!(language_tag("es-419").as_deref(), Some("es-419"));
        assert_eq!(language_tag("<script>"), None);
        assert_eq!(language_tag("english"), None);
        assert_eq!(language_tag("en-US-x"), None);
        assert_eq!(language_tag("en-US-Latn"), None);
        assert_eq!(language_tag("en-US-GB"), None);
        assert_eq!(language_tag(""), None);
    }
}
