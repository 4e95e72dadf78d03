//! Sessions of the web interface. A browser that signs in (or signs up) holds an access token
//! of the server's own "Web" application in a cookie, as Mastodon's web interface holds one of
//! its own "Web" app: the same token checks, scopes and revocation as any app's, and the user's
//! list of sessions and authorized apps shows and ends browser sessions like the others.
//!
//! Also the secrets a browser keeps beside its session: the anti-forgery token its forms carry.

use crate::accounts::Account;
use crate::areas::{OAuth, SignUps};
use crate::auth::Scopes;
use crate::crypto;
use crate::error::Result;
use crate::joining::{SignUp, SignedUp};
use crate::oauth::{AppRegistration, IssuedToken, OOB_REDIRECT_URI};

/// The site setting that keeps the id of the "Web" application.
const WEB_APP_SETTING: &str = "web_app_id";
/// What a web session may do: everything a user may do through the API.
const WEB_SCOPES: &str = "read write follow push";

/// A new random secret for a browser to keep (256 bits, URL-safe).
pub fn new_browser_secret() -> String {
    crypto::random_secret(32)
}

/// Whether a secret a browser sent is the one expected, in a time that says nothing about how
/// much of it was guessed.
pub fn secrets_match(sent: &str, expected: &str) -> bool {
    !expected.is_empty()
        && aws_lc_rs::constant_time::verify_slices_are_equal(sent.as_bytes(), expected.as_bytes())
            .is_ok()
}

impl OAuth<'_> {
    /// The id of the application web sessions belong to, registered on first use and kept in
    /// the database, so that every process finds the same one.
    pub async fn web_app_id(&self) -> Result<i64> {
        if let Some(id) = self
            .db()
            .site_setting(WEB_APP_SETTING)
            .await?
            .and_then(|stored| stored.parse().ok())
        {
            return Ok(id);
        }
        let registered = self
            .register_app(AppRegistration {
                name: "Web".to_owned(),
                redirect_uris: vec![OOB_REDIRECT_URI.to_owned()],
                scopes: WEB_SCOPES.to_owned(),
                website: None,
            })
            .await?;
        let id = registered.app.id;
        self.db()
            .set_site_setting(WEB_APP_SETTING, Some(&id.to_string()), crate::now_millis())
            .await?;
        tracing::info!(app_id = id, "registered the web interface's application");
        Ok(id)
    }

    /// Opens a web session for a signed-in account: a new token of the Web application.
    pub async fn open_web_session(&self, account: &Account) -> Result<IssuedToken> {
        let app_id = self.web_app_id().await?;
        self.issue_app_token(app_id, Some(account.id), Scopes::parse(WEB_SCOPES)?)
            .await
    }
}

impl SignUps<'_> {
    /// Signs someone up from the web interface's form; the token in the answer is their first
    /// web session.
    pub async fn sign_up_on_web(&self, sign_up: SignUp) -> Result<SignedUp> {
        let app_id = self.oauth().web_app_id().await?;
        self.sign_up_with_app(app_id, sign_up).await
    }
}
