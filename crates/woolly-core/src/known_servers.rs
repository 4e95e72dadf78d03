//! The software other servers run, learnt from their NodeInfo, for the moderators' dashboard
//! ("software of known servers"). A server is asked when an account of it is first stored here
//! and at most once a week after that; the federation crate's job does the asking.

use serde::{Deserialize, Serialize};

use crate::areas::Federation;
use crate::error::Result;
use crate::jobs::new_job;

/// The job kind that asks a server what it runs.
pub const SERVER_SOFTWARE_KIND: &str = "federation.server_software";

/// What a [`SERVER_SOFTWARE_KIND`] job asks about.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ServerSoftwareCheck {
    pub domain: String,
}

/// How long what a server said it runs is taken as current.
const SOFTWARE_FRESH_MILLIS: i64 = 7 * 24 * 60 * 60 * 1000;

/// The longest software name or version kept: NodeInfo says 255 for the name.
const MAX_SOFTWARE_CHARS: usize = 100;

impl Federation<'_> {
    /// Has `domain` asked what it runs unless it was asked within the week (only when this
    /// server federates: tests and tools without federation ask nothing).
    pub(crate) async fn check_server_software(&self, domain: &str) -> Result<()> {
        if self.remote_resolver().is_none() {
            return Ok(());
        }
        let now = crate::now_millis();
        if self
            .db()
            .claim_server_check(domain, now, now - SOFTWARE_FRESH_MILLIS)
            .await?
        {
            let check = ServerSoftwareCheck {
                domain: domain.to_owned(),
            };
            self.jobs()
                .enqueue_job(&new_job(SERVER_SOFTWARE_KIND, &check, now, 3)?)
                .await?;
        }
        Ok(())
    }

    /// Records what `domain`'s NodeInfo says it runs (`None`: it said nothing usable). The
    /// name is lowercased, as NodeInfo requires it to be, so one software counts once.
    pub async fn record_server_software(
        &self,
        domain: &str,
        software: Option<(&str, &str)>,
    ) -> Result<()> {
        let clip = |text: &str| {
            text.trim()
                .chars()
                .take(MAX_SOFTWARE_CHARS)
                .collect::<String>()
        };
        let software = software
            .map(|(name, version)| (clip(name).to_lowercase(), clip(version)))
            .filter(|(name, _)| !name.is_empty());
        self.db()
            .record_server_software(
                domain,
                software
                    .as_ref()
                    .map(|(name, version)| (name.as_str(), version.as_str())),
            )
            .await?;
        Ok(())
    }

    /// What `domain` runs as last recorded: `(software, version)`.
    pub async fn server_software(&self, domain: &str) -> Result<Option<(String, String)>> {
        Ok(self.db().server_software(domain).await?)
    }
}
