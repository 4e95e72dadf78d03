//! The mail servers (MX hosts) of an e-mail domain, looked up in DNS so that an e-mail domain
//! block also catches the other domains a blocked provider receives mail for (Mastodon's
//! `EmailMxValidator`). A lookup that fails or takes too long finds nothing: the block then
//! matches the address's own domain only, and nobody is refused because DNS is down.

use std::net::SocketAddr;
use std::time::Duration;

use hickory_resolver::TokioResolver;
use hickory_resolver::config::{NameServerConfig, ResolverConfig, ResolverOpts};
use hickory_resolver::name_server::TokioConnectionProvider;
use hickory_resolver::proto::xfer::Protocol;

/// How long one sign-up may wait for DNS.
const LOOKUP_TIMEOUT: Duration = Duration::from_secs(5);

/// A DNS resolver for MX lookups, made on first use.
pub(crate) struct MailServerLookup {
    /// The server to ask instead of the system's (`dns_server`, for tests and odd networks).
    server: Option<SocketAddr>,
    resolver: tokio::sync::OnceCell<Option<TokioResolver>>,
}

impl MailServerLookup {
    pub(crate) fn new(server: Option<SocketAddr>) -> MailServerLookup {
        MailServerLookup {
            server,
            resolver: tokio::sync::OnceCell::new(),
        }
    }

    fn build(&self) -> Option<TokioResolver> {
        let provider = TokioConnectionProvider::default();
        let mut builder = match self.server {
            Some(server) => {
                let mut config = ResolverConfig::new();
                config.add_name_server(NameServerConfig::new(server, Protocol::Udp));
                TokioResolver::builder_with_config(config, provider)
            }
            None => match TokioResolver::builder(provider) {
                Ok(builder) => builder,
                Err(error) => {
                    tracing::warn!(%error, "no DNS configuration: e-mail domain blocks will not match mail servers");
                    return None;
                }
            },
        };
        let options: &mut ResolverOpts = builder.options_mut();
        options.timeout = Duration::from_secs(2);
        options.attempts = 2;
        Some(builder.build())
    }

    /// The mail servers of `domain`, lower case and without the final dot; none when DNS
    /// does not answer.
    pub(crate) async fn mail_servers(&self, domain: &str) -> Vec<String> {
        let Some(resolver) = self.resolver.get_or_init(|| async { self.build() }).await else {
            return Vec::new();
        };
        // A trailing dot asks for the name as it is, not under the system's search domains.
        let name = format!("{}.", domain.trim_end_matches('.'));
        match tokio::time::timeout(LOOKUP_TIMEOUT, resolver.mx_lookup(name)).await {
            Ok(Ok(found)) => found
                .iter()
                .map(|mx| {
                    mx.exchange()
                        .to_ascii()
                        .trim_end_matches('.')
                        .to_ascii_lowercase()
                })
                .filter(|host| !host.is_empty())
                .collect(),
            Ok(Err(error)) => {
                tracing::debug!(%error, domain, "no mail servers found");
                Vec::new()
            }
            Err(_) => {
                tracing::warn!(domain, "the mail servers' lookup timed out");
                Vec::new()
            }
        }
    }
}
