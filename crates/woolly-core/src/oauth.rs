//! Woolly's OAuth 2 provider (RFC 6749 as Mastodon's Doorkeeper setup uses it): registered
//! applications, the authorization-code grant with PKCE (S256), the password grant, the
//! client-credentials grant, and revocation.
//!
//! Secrets, codes and tokens are random 256-bit values stored only as SHA-256 digests. Codes
//! last ten minutes and are good for one exchange.

use std::net::IpAddr;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use woolly_store::{AppRow, CodeClaim, NewApp};

use crate::accounts::{Account, LocalUser};
use crate::areas::OAuth;
use crate::auth::Scopes;
use crate::crypto;
use crate::error::{CoreError, Result};
use crate::state::Woolly;

/// The redirect URI that asks the server to show the code instead of redirecting.
pub const OOB_REDIRECT_URI: &str = "urn:ietf:wg:oauth:2.0:oob";
const CODE_LIFETIME_MILLIS: i64 = 10 * 60 * 1000;
const MAX_APP_NAME_LENGTH: usize = 60;
const MAX_REDIRECT_URIS_LENGTH: usize = 2000;

/// A refusal in OAuth's own vocabulary (RFC 6749 §5.2).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OAuthError {
    #[error(
        "Client authentication failed due to unknown client, no client authentication included, or unsupported authentication method."
    )]
    InvalidClient,
    #[error("{0}")]
    InvalidGrant(String),
    #[error("{0}")]
    InvalidScope(String),
    #[error("{0}")]
    InvalidRequest(String),
    #[error("The authorization grant type is not supported by the authorization server.")]
    UnsupportedGrantType,
    /// The password was right, but the user turned two-factor sign-in on and gave no code (an
    /// `invalid_grant`, told apart so that a form can ask for the code).
    #[error("Enter the code from your two-factor app.")]
    SecondFactorNeeded,
}

impl OAuthError {
    /// The `error` code of the response.
    pub fn code(&self) -> &'static str {
        match self {
            OAuthError::InvalidClient => "invalid_client",
            OAuthError::InvalidGrant(_) | OAuthError::SecondFactorNeeded => "invalid_grant",
            OAuthError::InvalidScope(_) => "invalid_scope",
            OAuthError::InvalidRequest(_) => "invalid_request",
            OAuthError::UnsupportedGrantType => "unsupported_grant_type",
        }
    }
}

/// A registered application.
#[derive(Debug, Clone)]
pub struct App {
    pub id: i64,
    pub name: String,
    pub website: Option<String>,
    pub redirect_uris: Vec<String>,
    pub scopes: Scopes,
    pub client_id: String,
}

impl TryFrom<AppRow> for App {
    type Error = CoreError;

    fn try_from(row: AppRow) -> Result<App> {
        Ok(App {
            id: row.id,
            name: row.name,
            website: row.website,
            redirect_uris: row.redirect_uris.lines().map(str::to_owned).collect(),
            scopes: Scopes::parse(&row.scopes)?,
            client_id: row.client_id,
        })
    }
}

/// A request to register an application (`POST /api/v1/apps`).
#[derive(Debug, Clone)]
pub struct AppRegistration {
    pub name: String,
    pub website: Option<String>,
    pub redirect_uris: Vec<String>,
    pub scopes: String,
}

/// A newly registered application and its secret, shown once.
#[derive(Debug, Clone)]
pub struct RegisteredApp {
    pub app: App,
    pub client_secret: String,
}

/// A token just issued, as the token endpoint returns it.
#[derive(Debug, Clone)]
pub struct IssuedToken {
    pub access_token: String,
    pub scopes: Scopes,
    /// Unix seconds.
    pub created_at: i64,
}

/// What the sign-in form of `/oauth/authorize` submits.
#[derive(Debug, Clone)]
pub struct AuthorizationRequest {
    pub client_id: String,
    pub redirect_uri: String,
    pub scope: Option<String>,
    pub code_challenge: Option<String>,
    pub code_challenge_method: Option<String>,
}

/// An absolute URI with a scheme, or the out-of-band marker. Mastodon also allows custom
/// schemes (`myapp://callback`) for mobile apps.
fn is_valid_redirect_uri(uri: &str) -> bool {
    if uri == OOB_REDIRECT_URI {
        return true;
    }
    match uri.split_once("://") {
        Some((scheme, rest)) => {
            !scheme.is_empty()
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
                && !rest.is_empty()
                && !uri.contains('#')
                && !uri.chars().any(char::is_whitespace)
        }
        None => false,
    }
}

fn requested_scopes(scope: Option<&str>, allowed: Scopes) -> Result<Scopes> {
    let requested = Scopes::parse(scope.unwrap_or("")).map_err(|_| {
        OAuthError::InvalidScope(
            "The requested scope is invalid, unknown, or malformed.".to_owned(),
        )
    })?;
    if !allowed.covers(requested) {
        return Err(OAuthError::InvalidScope(
            "The requested scope is invalid, unknown, or malformed.".to_owned(),
        )
        .into());
    }
    Ok(requested)
}

/// RFC 7636 S256: BASE64URL(SHA-256(verifier)) must equal the challenge.
fn pkce_matches(verifier: &str, challenge: &str) -> bool {
    let digest = aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA256, verifier.as_bytes());
    let computed = URL_SAFE_NO_PAD.encode(digest.as_ref());
    aws_lc_rs::constant_time::verify_slices_are_equal(computed.as_bytes(), challenge.as_bytes())
        .is_ok()
}

impl Woolly {
    /// Checks client credentials. Without a secret, only the client id is checked (public
    /// clients using PKCE; the caller decides whether that is enough).
    async fn client(&self, client_id: &str, client_secret: Option<&str>) -> Result<App> {
        let row = self
            .db()
            .app_by_client_id(client_id)
            .await?
            .ok_or(OAuthError::InvalidClient)?;
        if let Some(secret) = client_secret {
            let given = crypto::token_digest(secret);
            aws_lc_rs::constant_time::verify_slices_are_equal(
                given.as_bytes(),
                row.client_secret_sha256.as_bytes(),
            )
            .map_err(|_| OAuthError::InvalidClient)?;
        }
        App::try_from(row)
    }

    pub(crate) async fn issue_app_token(
        &self,
        app_id: i64,
        account_id: Option<i64>,
        scopes: Scopes,
    ) -> Result<IssuedToken> {
        let mut tx = self.db().begin().await?;
        let (issued, _) =
            insert_app_token(&mut tx, app_id, account_id, scopes, crate::now_millis()).await?;
        tx.commit().await?;
        Ok(issued)
    }
}

/// Writes a new token of the app in `tx`; returns it, and its SHA-256 as stored.
pub(crate) async fn insert_app_token(
    tx: &mut woolly_store::Tx,
    app_id: i64,
    account_id: Option<i64>,
    scopes: Scopes,
    now: i64,
) -> Result<(IssuedToken, String)> {
    let token = crypto::random_secret(32);
    let token_sha256 = crypto::token_digest(&token);
    tx.insert_token(
        &token_sha256,
        account_id,
        Some(app_id),
        &scopes.to_string(),
        now,
    )
    .await?;
    let issued = IssuedToken {
        access_token: token,
        scopes,
        created_at: now / 1000,
    };
    Ok((issued, token_sha256))
}

/// The longest login (a username or an e-mail address) worth checking.
const MAX_LOGIN_LENGTH: usize = 320;

impl OAuth<'_> {
    /// Registers an application; the secret in the result is never retrievable again.
    pub async fn register_app(&self, registration: AppRegistration) -> Result<RegisteredApp> {
        let name = registration.name.trim().to_owned();
        if name.is_empty() {
            return Err(CoreError::Validation(
                "Validation failed: Application name can't be blank".into(),
            ));
        }
        if name.chars().count() > MAX_APP_NAME_LENGTH {
            return Err(CoreError::Validation(format!(
                "Validation failed: Application name is too long (maximum is {MAX_APP_NAME_LENGTH} characters)"
            )));
        }
        let uris: Vec<String> = registration
            .redirect_uris
            .iter()
            .flat_map(|uris| uris.split(['\n', ' ']))
            .map(str::trim)
            .filter(|uri| !uri.is_empty())
            .map(str::to_owned)
            .collect();
        if uris.is_empty() {
            return Err(CoreError::Validation(
                "Validation failed: Redirect URI can't be blank".into(),
            ));
        }
        if let Some(bad) = uris.iter().find(|uri| !is_valid_redirect_uri(uri)) {
            return Err(CoreError::Validation(format!(
                "Validation failed: Redirect URI must be an absolute URI ({bad:?})"
            )));
        }
        let redirect_uris = uris.join("\n");
        if redirect_uris.len() > MAX_REDIRECT_URIS_LENGTH {
            return Err(CoreError::Validation(
                "Validation failed: Redirect URI is too long".into(),
            ));
        }
        let scopes = Scopes::parse(&registration.scopes)?;
        let website = registration
            .website
            .map(|site| site.trim().to_owned())
            .filter(|site| !site.is_empty());
        // Shown as a link on every status posted with the app, to anyone: only a web address
        // (Mastodon's UrlValidator), never `javascript:` or `data:`.
        if website.as_deref().is_some_and(|site| !is_web_address(site)) {
            return Err(CoreError::Validation(
                "Validation failed: Website is invalid".into(),
            ));
        }
        let client_id = crypto::random_secret(32);
        let client_secret = crypto::random_secret(32);
        let row = self
            .db()
            .insert_app(
                &NewApp {
                    name,
                    website,
                    redirect_uris,
                    scopes: scopes.to_string(),
                    client_id,
                    client_secret_sha256: crypto::token_digest(&client_secret),
                },
                crate::now_millis(),
            )
            .await?;
        Ok(RegisteredApp {
            app: App::try_from(row)?,
            client_secret,
        })
    }

    /// The application a token was issued to.
    pub async fn app(&self, id: i64) -> Result<Option<App>> {
        self.db()
            .app_by_id(id)
            .await?
            .map(App::try_from)
            .transpose()
    }

    /// Validates what `GET /oauth/authorize` was asked for, before showing the sign-in form.
    pub async fn authorization_target(
        &self,
        client_id: &str,
        redirect_uri: &str,
        scope: Option<&str>,
    ) -> Result<(App, Scopes)> {
        let app = self.client(client_id, None).await?;
        if !app.redirect_uris.iter().any(|uri| uri == redirect_uri) {
            return Err(OAuthError::InvalidRequest(
                "The requested redirect uri is malformed or doesn't match client redirect URI."
                    .to_owned(),
            )
            .into());
        }
        let scopes = requested_scopes(scope, app.scopes)?;
        Ok((app, scopes))
    }

    /// Signs a user in by username or e-mail and password, from the client address `from`. A
    /// wrong login and a wrong password take the same time and give the same answer; too many
    /// attempts are refused alike (see [`crate::sign_in_throttle`]).
    ///
    /// A user with two-factor sign-in on also gives `second_factor`: a code from their app or a
    /// recovery code. Without one (the password grant never has one, as in Mastodon) or with a
    /// wrong one, the sign-in fails, and a wrong one counts as a failure.
    pub async fn sign_in(
        &self,
        login: &str,
        password: &str,
        second_factor: Option<&str>,
        from: Option<IpAddr>,
    ) -> Result<(Account, LocalUser)> {
        // No account has a login this long: refused as a wrong one, before anything is kept.
        if login.len() > MAX_LOGIN_LENGTH {
            return Err(OAuthError::InvalidGrant("Invalid email or password.".to_owned()).into());
        }
        self.sign_ins().attempt(login, from, crate::now_millis())?;
        let found = self.db().local_account_by_login(login.trim()).await?;
        let (stored_hash, found) = match found {
            Some((account, user)) => (user.password_hash.clone(), Some((account, user))),
            None => (crypto::DUMMY_PASSWORD_HASH.to_owned(), None),
        };
        let matches = self.password_matches_hash(password, stored_hash).await?;
        match found {
            Some((account, user)) if matches => {
                let user = LocalUser::try_from(user)?;
                if !self.second_factor_passes(&user, second_factor).await? {
                    if second_factor.is_some_and(|code| !code.trim().is_empty()) {
                        self.sign_ins().failed(login, crate::now_millis());
                        return Err(OAuthError::InvalidGrant(
                            "The two-factor code is wrong or was already used.".to_owned(),
                        )
                        .into());
                    }
                    return Err(OAuthError::SecondFactorNeeded.into());
                }
                self.sign_ins().succeeded(login);
                // As in Mastodon, a user whose address is unconfirmed or whose sign-up awaits
                // approval signs in; the API then tells them why it refuses them.
                Ok((Account::from(account), user))
            }
            _ => {
                self.sign_ins().failed(login, crate::now_millis());
                Err(OAuthError::InvalidGrant("Invalid email or password.".to_owned()).into())
            }
        }
    }

    /// The user approved `request` after signing in: issues a one-time code.
    pub async fn issue_authorization_code(
        &self,
        request: &AuthorizationRequest,
        account: &Account,
    ) -> Result<String> {
        let (app, scopes) = self
            .authorization_target(
                &request.client_id,
                &request.redirect_uri,
                request.scope.as_deref(),
            )
            .await?;
        let challenge = match (
            &request.code_challenge,
            request.code_challenge_method.as_deref(),
        ) {
            (None, _) => None,
            (Some(challenge), None | Some("S256")) if !challenge.is_empty() => {
                Some(challenge.clone())
            }
            _ => {
                return Err(OAuthError::InvalidRequest(
                    "Only the S256 code challenge method is supported.".to_owned(),
                )
                .into());
            }
        };
        let code = crypto::random_secret(32);
        self.db()
            .insert_code(
                &crypto::token_digest(&code),
                app.id,
                account.id,
                &scopes.to_string(),
                &request.redirect_uri,
                challenge.as_deref(),
                crate::now_millis() + CODE_LIFETIME_MILLIS,
            )
            .await?;
        Ok(code)
    }

    /// The authorization-code grant. A client secret is required unless the code was issued
    /// with a PKCE challenge and the right verifier is given.
    pub async fn exchange_code(
        &self,
        client_id: &str,
        client_secret: Option<&str>,
        code: &str,
        redirect_uri: &str,
        code_verifier: Option<&str>,
    ) -> Result<IssuedToken> {
        let app = self.client(client_id, client_secret).await?;
        let invalid = || {
            CoreError::from(OAuthError::InvalidGrant(
                "The provided authorization grant is invalid, expired, revoked, does not match the redirection URI used in the authorization request, or was issued to another client.".to_owned(),
            ))
        };
        let code_sha256 = crypto::token_digest(code);
        let now = crate::now_millis();
        let mut tx = self.db().begin().await?;
        let row = match tx.claim_code(&code_sha256, now).await? {
            CodeClaim::First(row) => row,
            CodeClaim::Again { token_sha256 } => {
                // A code used twice may have leaked: what its first use gave is revoked too.
                if let Some(token_sha256) = token_sha256 {
                    tx.revoke_token(&token_sha256, now).await?;
                    tracing::info!(
                        app_id = app.id,
                        "authorization code reused; its token revoked"
                    );
                }
                tx.commit().await?;
                return Err(invalid());
            }
            CodeClaim::Unknown => return Err(invalid()),
        };
        let pkce = match (&row.code_challenge, code_verifier) {
            (Some(challenge), Some(verifier)) if pkce_matches(verifier, challenge) => Ok(()),
            (Some(_), _) => Err(invalid()),
            (None, _) if client_secret.is_none() => Err(OAuthError::InvalidClient.into()),
            (None, _) => Ok(()),
        };
        let checked =
            if row.app_id != app.id || row.redirect_uri != redirect_uri || row.expires_at < now {
                Err(invalid())
            } else {
                pkce
            };
        if let Err(error) = checked {
            // The code is spent all the same.
            tx.commit().await?;
            return Err(error);
        }
        let scopes = Scopes::parse(&row.scopes)?;
        let (issued, token_sha256) =
            insert_app_token(&mut tx, app.id, Some(row.account_id), scopes, now).await?;
        tx.record_code_token(&code_sha256, &token_sha256).await?;
        tx.commit().await?;
        Ok(issued)
    }

    /// The password grant (`grant_type=password`; `username` is the e-mail, as in Mastodon,
    /// or the username).
    pub async fn password_grant(
        &self,
        client_id: &str,
        client_secret: Option<&str>,
        login: &str,
        password: &str,
        scope: Option<&str>,
        from: Option<IpAddr>,
    ) -> Result<IssuedToken> {
        let app = self
            .client(client_id, Some(client_secret.unwrap_or_default()))
            .await?;
        let scopes = requested_scopes(scope, app.scopes)?;
        let (account, _) = self.sign_in(login, password, None, from).await?;
        self.issue_app_token(app.id, Some(account.id), scopes).await
    }

    /// The client-credentials grant: a token for the application itself, with no user.
    pub async fn client_credentials_grant(
        &self,
        client_id: &str,
        client_secret: Option<&str>,
        scope: Option<&str>,
    ) -> Result<IssuedToken> {
        let app = self
            .client(client_id, Some(client_secret.unwrap_or_default()))
            .await?;
        let scopes = requested_scopes(scope, app.scopes)?;
        self.issue_app_token(app.id, None, scopes).await
    }

    /// `POST /oauth/revoke`: revokes a token the client owns. Like RFC 7009, an unknown token
    /// is not an error.
    pub async fn revoke_app_token(
        &self,
        client_id: &str,
        client_secret: Option<&str>,
        token: &str,
    ) -> Result<()> {
        let app = self
            .client(client_id, Some(client_secret.unwrap_or_default()))
            .await?;
        self.db()
            .revoke_token(
                &crypto::token_digest(token),
                Some(app.id),
                crate::now_millis(),
            )
            .await?;
        Ok(())
    }
}

/// An `http` or `https` URL with a host, no longer than Mastodon allows and without spaces.
fn is_web_address(text: &str) -> bool {
    const MAX_WEBSITE_LENGTH: usize = 2000;
    let Some((scheme, rest)) = text.split_once("://") else {
        return false;
    };
    let host = rest.split(['/', '?', '#']).next().unwrap_or_default();
    matches!(scheme.to_ascii_lowercase().as_str(), "http" | "https")
        && !host.is_empty()
        && !host.starts_with(':')
        && text.len() <= MAX_WEBSITE_LENGTH
        && !text.chars().any(|c| c.is_whitespace() || c.is_control())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redirect_uris_must_be_absolute_or_oob() {
        for good in [
            OOB_REDIRECT_URI,
            "https://app.example/callback",
            "http://127.0.0.1:4000/cb?x=1",
            "myapp://oauth",
        ] {
            assert!(is_valid_redirect_uri(good), "{good}");
        }
        for bad in [
            "",
            "/relative",
            "app.example/callback",
            "https://a.example/#frag",
            "https://a b.example/",
        ] {
            assert!(!is_valid_redirect_uri(bad), "{bad}");
        }
    }

    #[test]
    fn pkce_s256_matches_the_rfc_example() {
        // RFC 7636 appendix B.
        assert!(pkce_matches(
            "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk",
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
        ));
        assert!(!pkce_matches(
            "another verifier",
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
        ));
    }

    #[test]
    fn an_app_website_is_a_web_address() {
        for good in [
            "https://client.example",
            "http://client.example/app?x=1",
            "HTTPS://a.b",
        ] {
            assert!(is_web_address(good), "{good}");
        }
        for bad in [
            "javascript:alert(1)",
            "data:text/html,<script>alert(1)</script>",
            "javascript://client.example/%0aalert(1)",
            "ftp://client.example",
            "https://",
            "https://:80/",
            "https://client.example/ x",
            "client.example",
        ] {
            assert!(!is_web_address(bad), "{bad}");
        }
    }
}
