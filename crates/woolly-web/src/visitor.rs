//! Who is at the browser: their session, the anti-forgery token their forms carry, and the
//! language to answer them in.
//!
//! - **The session** is a cookie holding an access token of the server's "Web" application
//!   (see `woolly_core::web_sessions`), checked as any token is on every request. A cookie whose
//!   token no longer works (signed out elsewhere, revoked) is cleared with the answer.
//! - **Forms** carry the value of a second cookie, `woolly_csrf`, in a hidden field; a form
//!   posted without it, or with another value, is refused before anything is read or written.
//!   Another site can make a browser post a form here, but it can neither read nor set that
//!   cookie. Both cookies are `HttpOnly` and `SameSite=Lax`, and `Secure` on an HTTPS server.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use cookie::{Cookie, SameSite};
use woolly_core::accounts::{Account, LocalUser, Standing};
use woolly_core::web_sessions::{new_browser_secret, secrets_match};
use woolly_core::{CoreError, Woolly};

use crate::i18n::{Locale, Words};

const SESSION_COOKIE: &str = "woolly_session";
const CSRF_COOKIE: &str = "woolly_csrf";
/// How long a browser keeps its session: until it signs out, or a year without a visit.
const SESSION_DAYS: i64 = 365;

/// A signed-in user, as their session cookie names them.
#[derive(Debug, Clone)]
pub struct SignedIn {
    pub account: Account,
    pub user: LocalUser,
    /// The session's token, to end it on signing out.
    pub token: String,
    /// The token's row, to tell this session from the others in the list of sessions.
    pub token_id: i64,
    /// The application the token belongs to (the Web app).
    pub app_id: Option<i64>,
}

impl SignedIn {
    /// The member as a moderation use case's actor: core checks their role's permissions.
    pub fn moderator(&self) -> woolly_core::account_moderation::Moderator<'_> {
        woolly_core::account_moderation::Moderator::Staff {
            account: &self.account,
            user: &self.user,
        }
    }
}

/// The browser behind a request.
#[derive(Debug, Clone)]
pub struct Visitor {
    pub signed_in: Option<SignedIn>,
    pub locale: Locale,
    /// The path and query of the page asked for, for forms that come back to it.
    pub here: String,
    csrf: String,
    /// The anti-forgery token is new: its cookie goes out with the answer.
    csrf_is_new: bool,
    /// The session cookie names a session that ended: it is cleared with the answer.
    session_ended: bool,
    secure: bool,
}

impl Visitor {
    pub fn words(&self) -> Words {
        self.locale.words()
    }

    /// The value forms carry in their hidden `authenticity_token` field.
    pub fn csrf(&self) -> &str {
        &self.csrf
    }

    /// Whether a posted form came from one of this server's pages in this browser.
    pub fn form_is_genuine(&self, sent: &str) -> bool {
        !self.csrf_is_new && secrets_match(sent, &self.csrf)
    }

    /// The signed-in user, if they may use the server (address confirmed, sign-up approved).
    pub fn member(&self) -> Option<&SignedIn> {
        self.signed_in
            .as_ref()
            .filter(|signed_in| signed_in.user.standing(&signed_in.account) == Standing::Functional)
    }

    /// The member, or where a visitor who is not one goes instead: what their new account
    /// waits for, or the sign-in form.
    pub fn member_or_elsewhere(&self) -> Result<&SignedIn, &'static str> {
        match (&self.signed_in, self.member()) {
            (_, Some(member)) => Ok(member),
            (Some(_), None) => Err("/auth/setup"),
            (None, None) => Err("/auth/sign_in"),
        }
    }

    /// Adds to an answer the cookies this visit changed.
    pub fn finish(&self, mut response: Response) -> Response {
        if self.csrf_is_new {
            self.set_cookie(&mut response, CSRF_COOKIE, &self.csrf, None);
        }
        if self.session_ended {
            self.clear_cookie(&mut response, SESSION_COOKIE);
        }
        response
    }

    /// Adds to an answer the cookie of a session just opened.
    pub fn start_session(&self, mut response: Response, token: &str) -> Response {
        self.set_cookie(
            &mut response,
            SESSION_COOKIE,
            token,
            Some(cookie::time::Duration::days(SESSION_DAYS)),
        );
        response
    }

    /// Adds to an answer the removal of the session cookie.
    pub fn end_session(&self, mut response: Response) -> Response {
        self.clear_cookie(&mut response, SESSION_COOKIE);
        response
    }

    fn set_cookie(
        &self,
        response: &mut Response,
        name: &'static str,
        value: &str,
        max_age: Option<cookie::time::Duration>,
    ) {
        let mut cookie = Cookie::build((name, value.to_owned()))
            .path("/")
            .http_only(true)
            .same_site(SameSite::Lax)
            .secure(self.secure);
        if let Some(max_age) = max_age {
            cookie = cookie.max_age(max_age);
        }
        if let Ok(value) = HeaderValue::from_str(&cookie.build().to_string()) {
            response.headers_mut().append(header::SET_COOKIE, value);
        }
    }

    fn clear_cookie(&self, response: &mut Response, name: &'static str) {
        self.set_cookie(response, name, "", Some(cookie::time::Duration::ZERO));
    }
}

/// A visitor who is a member (signed in, address confirmed, sign-up approved), for the pages and
/// forms only members use: extracting it sends anyone else where [`Visitor::member_or_elsewhere`]
/// says, before the handler runs.
pub struct Member {
    pub visitor: Visitor,
    pub member: SignedIn,
}

impl FromRequestParts<Woolly> for Member {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, woolly: &Woolly) -> Result<Self, Response> {
        let visitor = Visitor::from_request_parts(parts, woolly).await?;
        match visitor.member_or_elsewhere() {
            Ok(member) => Ok(Member {
                member: member.clone(),
                visitor,
            }),
            Err(elsewhere) => Err(crate::page::redirect(&visitor, elsewhere)),
        }
    }
}

/// The value of the cookie `name` among a request's `Cookie` headers.
fn cookie_value(parts: &Parts, name: &str) -> Option<String> {
    parts
        .headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(Cookie::split_parse)
        .filter_map(Result::ok)
        .find(|cookie| cookie.name() == name && !cookie.value().is_empty())
        .map(|cookie| cookie.value().to_owned())
}

impl FromRequestParts<Woolly> for Visitor {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, woolly: &Woolly) -> Result<Self, Response> {
        let mut session_ended = false;
        let signed_in = match cookie_value(parts, SESSION_COOKIE) {
            None => None,
            Some(token) => match woolly.oauth().authenticate_any_standing(&token).await {
                Ok(authenticated) => match authenticated.user {
                    Some((account, user)) => Some(SignedIn {
                        account,
                        user,
                        token,
                        token_id: authenticated.token_id,
                        app_id: authenticated.app_id,
                    }),
                    None => {
                        session_ended = true;
                        None
                    }
                },
                Err(CoreError::Unauthenticated) => {
                    session_ended = true;
                    None
                }
                Err(error) => {
                    tracing::error!(%error, "reading a web session failed");
                    return Err((
                        StatusCode::INTERNAL_SERVER_ERROR,
                        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
                        "Something went wrong on our side. Please try again.",
                    )
                        .into_response());
                }
            },
        };
        let locale = signed_in
            .as_ref()
            .and_then(|signed_in| Locale::from_tag(&signed_in.user.locale))
            .unwrap_or_else(|| {
                Locale::negotiate(
                    parts
                        .headers
                        .get(header::ACCEPT_LANGUAGE)
                        .and_then(|value| value.to_str().ok()),
                )
            });
        let (csrf, csrf_is_new) = match cookie_value(parts, CSRF_COOKIE) {
            Some(csrf) => (csrf, false),
            None => (new_browser_secret(), true),
        };
        Ok(Visitor {
            signed_in,
            locale,
            here: parts
                .uri
                .path_and_query()
                .map_or("/", |path| path.as_str())
                .to_owned(),
            csrf,
            csrf_is_new,
            session_ended,
            secure: woolly.config().https,
        })
    }
}
