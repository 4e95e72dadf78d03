//! `Token` (`entities/Token.md`): what `POST /oauth/token` answers.

use serde::Serialize;
use woolly_core::oauth::IssuedToken;

#[derive(Debug, Clone, Serialize)]
pub struct TokenEntity {
    pub access_token: String,
    pub token_type: &'static str,
    pub scope: String,
    /// Unix seconds, a number (not a string), as Mastodon sends it.
    pub created_at: i64,
}

impl TokenEntity {
    pub fn new(issued: &IssuedToken) -> TokenEntity {
        TokenEntity {
            access_token: issued.access_token.clone(),
            token_type: "Bearer",
            scope: issued.scopes.to_string(),
            created_at: issued.created_at,
        }
    }
}
