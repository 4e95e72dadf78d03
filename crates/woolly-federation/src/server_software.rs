//! Asking another server what software it runs: the `federation.server_software` job, which
//! core schedules when an account of a server is first stored (and weekly at most after). The
//! answer comes from the server's NodeInfo (`/.well-known/nodeinfo`, then the newest 2.x
//! document it links on its own host) and feeds the moderators' dashboard.

use std::time::Duration;

use rand::Rng as _;
use reqwest::Url;
use serde_json::Value;
use woolly_core::Woolly;
use woolly_core::jobs::{Job, JobError, JobFuture, JobHandler};
use woolly_core::known_servers::{SERVER_SOFTWARE_KIND, ServerSoftwareCheck};

use crate::client::FetchError;
use crate::remote::{Federation, FederationError, authority, invalid};

const NODEINFO_SCHEMA: &str = "http://nodeinfo.diaspora.software/ns/schema/";
const JSON_ACCEPT: &str = "application/json";

/// Runs `federation.server_software` jobs.
pub struct ServerSoftwareJob {
    pub federation: Federation,
}

impl JobHandler for ServerSoftwareJob {
    fn kind(&self) -> &'static str {
        SERVER_SOFTWARE_KIND
    }

    fn max_attempts(&self) -> i32 {
        3
    }

    fn run<'a>(&'a self, woolly: &'a Woolly, job: &'a Job) -> JobFuture<'a> {
        Box::pin(async move {
            let ServerSoftwareCheck { domain } = job.payload()?;
            // Asked as deliveries are made: never to a server resting after failures, and one
            // request at a time per server, deliveries included.
            if woolly
                .delivery_paused(&domain, woolly_core::now_millis())
                .await?
            {
                return Err(JobError::Retry(format!("{domain} is unavailable")));
            }
            let (domain_slot, _) = self.federation.delivery_slots(&domain);
            let Ok(_domain_permit) = domain_slot.try_acquire_owned() else {
                let wait = rand::rng().random_range(200..800);
                return Err(JobError::Defer(Duration::from_millis(wait)));
            };
            let software = match self.federation.server_software(woolly, &domain).await {
                Ok(software) => software,
                // A server that answers "not here" or with something else than NodeInfo has
                // said all it will: recorded as unknown rather than asked again.
                Err(FederationError::Fetch(FetchError::Status(status)))
                    if status.is_client_error() =>
                {
                    None
                }
                Err(FederationError::Fetch(FetchError::InvalidJson(_)))
                | Err(FederationError::Invalid(_)) => None,
                Err(error) => return Err(error.into()),
            };
            let named = software
                .as_ref()
                .map(|(name, version)| (name.as_str(), version.as_str()));
            woolly
                .federation()
                .record_server_software(&domain, named)
                .await?;
            tracing::info!(domain, software = ?software, "server software checked");
            Ok(())
        })
    }
}

impl Federation {
    /// What `domain` says it runs in its NodeInfo: `(name, version)`, `None` when its
    /// document names no software.
    pub async fn server_software(
        &self,
        woolly: &Woolly,
        domain: &str,
    ) -> Result<Option<(String, String)>, FederationError> {
        if woolly.instance().is_domain_blocked(domain).await? {
            return Err(invalid(format!("{domain} is blocked")));
        }
        let scheme = woolly.config().scheme();
        let accept = [("Accept".to_owned(), JSON_ACCEPT.to_owned())];
        let (found_at, links) = self
            .client()
            .get_document(
                &format!("{scheme}://{domain}/.well-known/nodeinfo"),
                &accept,
            )
            .await?;
        let document = newest_nodeinfo(&links)
            .and_then(|href| Url::parse(href).ok())
            // On its own host only: this server is not made to fetch elsewhere for another.
            .filter(|href| authority(href) == authority(&found_at))
            .ok_or_else(|| invalid(format!("{domain} links no NodeInfo 2.x document")))?;
        let (_, nodeinfo) = self
            .client()
            .get_document(document.as_str(), &accept)
            .await?;
        let software = &nodeinfo["software"];
        Ok(software["name"].as_str().map(|name| {
            let version = software["version"].as_str().unwrap_or_default();
            (name.to_owned(), version.to_owned())
        }))
    }
}

/// The address of the newest NodeInfo 2.x document a `/.well-known/nodeinfo` answer links.
fn newest_nodeinfo(links: &Value) -> Option<&str> {
    links["links"]
        .as_array()?
        .iter()
        .filter_map(|link| {
            let version = link["rel"].as_str()?.strip_prefix(NODEINFO_SCHEMA)?;
            let minor: u32 = version.strip_prefix("2.")?.parse().ok()?;
            Some((minor, link["href"].as_str()?))
        })
        .max_by_key(|(minor, _)| *minor)
        .map(|(_, href)| href)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_newest_nodeinfo_2_document_is_chosen() {
        let links = json!({"links": [
            {"rel": "http://nodeinfo.diaspora.software/ns/schema/2.0", "href": "https://a.example/ni/2.0"},
            {"rel": "http://nodeinfo.diaspora.software/ns/schema/2.1", "href": "https://a.example/ni/2.1"},
            {"rel": "http://nodeinfo.diaspora.software/ns/schema/1.0", "href": "https://a.example/ni/1.0"},
            {"rel": "https://example.org/other", "href": "https://a.example/other"},
        ]});
        assert_eq!(newest_nodeinfo(&links), Some("https://a.example/ni/2.1"));
        let old_only = json!({"links": [
            {"rel": "http://nodeinfo.diaspora.software/ns/schema/1.1", "href": "https://a.example/ni/1.1"},
        ]});
        assert_eq!(newest_nodeinfo(&old_only), None);
        assert_eq!(newest_nodeinfo(&json!({"links": "nope"})), None);
    }
}
