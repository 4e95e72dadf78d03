//! Woolly's OAuth 2 provider (RFC 6749 as Mastodon's Doorkeeper setup uses it): registered
//! applications, the authorization-code grant with PKCE (S256), the password grant, the
//! client-credentials grant, and revocation.
//!
//! Secrets, codes and tokens are random 256-bit values stored only as SHA-256 digests. Codes
//! last ten minutes and are good for one exchange.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use woolly_store::{AppRow, NewApp};

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
}

impl OAuthError {
    /// The `error` code of the response.
    pub fn code(&self) -> &'static str {
        match self {
            OAuthError::InvalidClient => "invalid_client",
            OAuthError::InvalidGrant(_) => "invalid_grant",
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

    async fn issue_app_token(
        &self,
        app_id: i64,
        account_id: Option<i64>,
        scopes: Scopes,
    ) -> Result<IssuedToken> {
        let token = crypto::random_secret(32);
        let now = crate::now_millis();
        let mut tx = self.db().begin().await?;
        tx.insert_token(
            &crypto::token_digest(&token),
            account_id,
            Some(app_id),
            &scopes.to_string(),
            now,
        )
        .await?;
        tx.commit().await?;
        Ok(IssuedToken {
            access_token: token,
            scopes,
            created_at: now / 1000,
        })
    }
}

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

    /// Signs a user in by username or e-mail and password. A wrong login and a wrong password
    /// take the same time and give the same answer.
    pub async fn sign_in(&self, login: &str, password: &str) -> Result<(Account, LocalUser)> {
        let found = self.db().local_account_by_login(login.trim()).await?;
        let (stored_hash, found) = match found {
            Some((account, user)) => (user.password_hash.clone(), Some((account, user))),
            None => (crypto::DUMMY_PASSWORD_HASH.to_owned(), None),
        };
        let password = password.to_owned();
        let matches = self
            .run_cpu_bound(move || crypto::verify_password(&password, &stored_hash))
            .await?;
        match found {
            Some((account, user)) if matches => {
                let user = LocalUser::try_from(user)?;
                if !user.approved {
                    return Err(CoreError::Forbidden(
                        "Your login is currently pending approval".into(),
                    ));
                }
                Ok((Account::from(account), user))
            }
            _ => Err(OAuthError::InvalidGrant("Invalid email or password.".to_owned()).into()),
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
        let mut tx = self.db().begin().await?;
        let row = tx
            .take_code(&crypto::token_digest(code))
            .await?
            .ok_or_else(invalid)?;
        tx.commit().await?;
        if row.app_id != app.id
            || row.redirect_uri != redirect_uri
            || row.expires_at < crate::now_millis()
        {
            return Err(invalid());
        }
        match (&row.code_challenge, code_verifier) {
            (Some(challenge), Some(verifier)) if pkce_matches(verifier, challenge) => {}
            (Some(_), _) => return Err(invalid()),
            (None, _) if client_secret.is_none() => return Err(OAuthError::InvalidClient.into()),
            (None, _) => {}
        }
        self.issue_app_token(app.id, Some(row.account_id), Scopes::parse(&row.scopes)?)
            .await
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
    ) -> Result<IssuedToken> {
        let app = self
            .client(client_id, Some(client_secret.unwrap_or_default()))
            .await?;
        let scopes = requested_scopes(scope, app.scopes)?;
        let (account, _) = self.sign_in(login, password).await?;
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
}
