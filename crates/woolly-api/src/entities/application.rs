//! `Application` and `CredentialApplication` (`entities/Application.md`).

use serde::Serialize;
use woolly_core::oauth::App;

#[derive(Debug, Clone, Serialize)]
pub struct ApplicationEntity {
    pub id: String,
    pub name: String,
    pub website: Option<String>,
    pub scopes: Vec<&'static str>,
    /// Deprecated by Mastodon 4.3 but still read by clients: the URIs joined by newlines.
    pub redirect_uri: String,
    pub redirect_uris: Vec<String>,
    pub vapid_key: String,
    /// Only when the application is created (`CredentialApplication`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client_secret: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client_secret_expires_at: Option<i64>,
}

impl ApplicationEntity {
    pub fn new(app: &App, vapid_key: &str) -> ApplicationEntity {
        ApplicationEntity {
            id: app.id.to_string(),
            name: app.name.clone(),
            website: app.website.clone(),
            scopes: app.scopes.iter().map(|scope| scope.name()).collect(),
            redirect_uri: app.redirect_uris.join("\n"),
            redirect_uris: app.redirect_uris.clone(),
            vapid_key: vapid_key.to_owned(),
            client_id: None,
            client_secret: None,
            client_secret_expires_at: None,
        }
    }

    /// The entity returned once, at creation, with the client credentials.
    pub fn with_credentials(app: &App, client_secret: &str, vapid_key: &str) -> ApplicationEntity {
        ApplicationEntity {
            client_id: Some(app.client_id.clone()),
            client_secret: Some(client_secret.to_owned()),
            client_secret_expires_at: Some(0),
            ..ApplicationEntity::new(app, vapid_key)
        }
    }
}
