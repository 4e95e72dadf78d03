//! What an instance is: its public name and the knobs that shape what it reports and accepts.
//! Built by the binary from the operator's settings; read-only afterwards.

use std::fmt;

use crate::error::CoreError;

/// An instance's public name, `host` or `host:port`, lower-case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Domain(String);

impl Domain {
    /// Parses `host[:port]`: a DNS name or IP literal of valid characters, and an optional port.
    pub fn parse(text: &str) -> Result<Domain, CoreError> {
        let invalid = || {
            CoreError::Validation(format!(
                "{text:?} is not a domain: expected host or host:port, such as example.org or localhost:8080"
            ))
        };
        let text = text.trim().to_ascii_lowercase();
        let (host, port) = match text.rsplit_once(':') {
            Some((host, port)) if !host.contains(':') => (host, Some(port)),
            _ => (text.as_str(), None),
        };
        if host.is_empty() || host.len() > 253 || host.starts_with('.') || host.ends_with('.') {
            return Err(invalid());
        }
        let valid_host = host.split('.').all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        });
        if !valid_host {
            return Err(invalid());
        }
        if let Some(port) = port
            && port.parse::<u16>().map_or(true, |port| port == 0)
        {
            return Err(invalid());
        }
        Ok(Domain(text))
    }

    /// A domain as people type it into a block form or a client sends it, normalized the way
    /// Mastodon does (`TagManager#normalize_domain`): surrounding space and slashes go, the
    /// host is lower-cased and an internationalized name becomes its ASCII (punycode) form.
    /// A leading `scheme://` and a path are dropped too, where Mastodon would keep a useless
    /// string. `None` when what remains is not `host[:port]`.
    pub fn normalize(text: &str) -> Option<Domain> {
        let text = text.trim();
        let without_scheme = text.split_once("://").map_or(text, |(_, rest)| rest);
        let authority = without_scheme
            .trim_start_matches('/')
            .split('/')
            .next()
            .unwrap_or_default();
        let (host, port) = match authority.rsplit_once(':') {
            Some((host, port)) if !host.contains(':') => (host, Some(port)),
            _ => (authority, None),
        };
        // A fully qualified name's trailing dot names the same host.
        let host = host.strip_suffix('.').unwrap_or(host);
        let ascii = idna::domain_to_ascii(host).ok()?;
        let candidate = match port {
            Some(port) => format!("{ascii}:{port}"),
            None => ascii,
        };
        Domain::parse(&candidate).ok()
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Domain {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(&self.0)
    }
}

/// The instance as its operator configured it.
#[derive(Debug, Clone)]
pub struct InstanceConfig {
    pub domain: Domain,
    /// False only with `--insecure-http`: ids and links then use `http://`.
    pub https: bool,
    /// Federate with hosts on loopback and private networks (tests only).
    pub allow_private_addresses: bool,
    /// Serve actors and objects to signed requests only (Mastodon's authorized fetch).
    pub authorized_fetch: bool,
    /// The DNS server asked for mail servers (MX) instead of the system's.
    pub dns_server: Option<std::net::SocketAddr>,
    pub title: String,
    pub description: String,
    pub contact_email: String,
    pub max_status_characters: u32,
    /// Where uploaded media files are kept.
    pub media_dir: std::path::PathBuf,
    /// Where members' archives are kept (never served as files: only to their owner).
    pub archives_dir: std::path::PathBuf,
    /// The server's rules, in order (`/api/v1/instance/rules`).
    pub rules: Vec<String>,
    /// The long "about" text, in Markdown (`/api/v1/instance/extended_description`).
    pub extended_description: String,
    /// The privacy policy in Markdown; Woolly's own when empty.
    pub privacy_policy: String,
    /// The terms of service in Markdown; none when empty.
    pub terms_of_service: String,
    /// Who may sign up, until `woolly admin registrations` sets a mode at run time.
    pub registrations: crate::joining::RegistrationMode,
    /// Shown while sign-up is closed (Markdown), such as where to ask for an account.
    pub closed_registrations_message: String,
    /// The minimum age to sign up (a date of birth is then asked for); `None`: not asked.
    pub min_age: Option<u32>,
    /// Which users may make invites.
    pub invites_by: crate::joining::InvitePolicy,
    /// Whether visitors who are not signed in may read the public and hashtag timelines (and
    /// see the front page's preview of them), as Mastodon's `timeline_preview`.
    pub timeline_preview: bool,
    /// Limited federation (Mastodon's `LIMITED_FEDERATION_MODE`): only servers on the allow
    /// list are talked to; nothing is received from, sent to or fetched from the others.
    pub limited_federation: bool,
    /// Who may read the list of blocked servers (`/api/v1/instance/domain_blocks`).
    pub show_domain_blocks: crate::instance_domain_blocks::BlocksShownTo,
    /// Whether that list shows the public comments too.
    pub show_domain_blocks_rationale: bool,
    /// Local accounts (usernames) recommended to newcomers in their first steps, before the
    /// others of the directory (Mastodon's `bootstrap_timeline_accounts`).
    pub recommended_accounts: Vec<String>,
    /// Whether trends are shown (Mastodon's `trends` setting).
    pub trends: bool,
    /// Whether what trends is shown before it is reviewed (Mastodon's `trendable_by_default`).
    pub trendable_by_default: bool,
    /// Whether the first link of posts gets a preview card (read from its page by a job).
    pub link_previews: bool,
    /// Hosts whose players a card may embed (an `<iframe>`, sandboxed), as `host` or
    /// `host:port`; other cards are plain links.
    pub link_preview_embed_hosts: Vec<String>,
    /// How long reading a linked page (with its oEmbed document and image) may take.
    pub link_preview_timeout: std::time::Duration,
    /// How many RSA key pairs to keep made ahead of sign-ups (see `key_pool`).
    pub spare_key_pairs: usize,
    /// Seals two-factor secrets in the database; `None`: two-factor sign-in cannot be set up.
    pub sealing_key: Option<crate::crypto::SealingKey>,
    /// Built on first use, once the fields above are settled (entities ask for URLs often).
    urls: std::sync::OnceLock<crate::urls::Urls>,
}

impl InstanceConfig {
    pub const DEFAULT_DESCRIPTION: &str =
        "A Woolly server: short posts, chronological timelines, and friends across the fediverse.";

    /// The video sites whose players cards embed unless the operator says otherwise.
    pub const DEFAULT_EMBED_HOSTS: [&str; 6] = [
        "www.youtube.com",
        "www.youtube-nocookie.com",
        "player.vimeo.com",
        "www.dailymotion.com",
        "embed.music.apple.com",
        "open.spotify.com",
    ];

    /// A configuration with defaults for everything but the domain.
    pub fn new(domain: Domain) -> InstanceConfig {
        InstanceConfig {
            domain,
            https: true,
            allow_private_addresses: false,
            authorized_fetch: false,
            dns_server: None,
            title: "Woolly".to_owned(),
            description: Self::DEFAULT_DESCRIPTION.to_owned(),
            contact_email: String::new(),
            max_status_characters: 500,
            media_dir: std::path::PathBuf::from("media"),
            archives_dir: std::path::PathBuf::from("archives"),
            rules: Vec::new(),
            extended_description: String::new(),
            privacy_policy: String::new(),
            terms_of_service: String::new(),
            registrations: crate::joining::RegistrationMode::Closed,
            closed_registrations_message: String::new(),
            min_age: None,
            invites_by: crate::joining::InvitePolicy::Moderators,
            recommended_accounts: Vec::new(),
            trends: true,
            trendable_by_default: false,
            link_previews: true,
            link_preview_embed_hosts: Self::DEFAULT_EMBED_HOSTS
                .iter()
                .map(|host| (*host).to_owned())
                .collect(),
            link_preview_timeout: std::time::Duration::from_secs(10),
            timeline_preview: true,
            limited_federation: false,
            show_domain_blocks: crate::instance_domain_blocks::BlocksShownTo::Nobody,
            show_domain_blocks_rationale: false,
            spare_key_pairs: 200,
            sealing_key: None,
            urls: std::sync::OnceLock::new(),
        }
    }

    /// `https://domain` (or `http://` with `--insecure-http`), without a trailing slash.
    pub fn base_url(&self) -> String {
        format!("{}://{}", self.scheme(), self.domain)
    }

    /// Every public URL of this instance (see [`crate::urls`]).
    pub fn urls(&self) -> &crate::urls::Urls {
        self.urls
            .get_or_init(|| crate::urls::Urls::new(self.base_url()))
    }

    /// `https`, or `http` with `--insecure-http`: how this instance and its peers are reached.
    pub fn scheme(&self) -> &'static str {
        if self.https { "https" } else { "http" }
    }

    /// `wss://domain` (or `ws://`), where clients open the streaming API.
    pub fn streaming_url(&self) -> String {
        let scheme = if self.https { "wss" } else { "ws" };
        format!("{scheme}://{}", self.domain)
    }
}

#[cfg(test)]
mod tests {
    use super::Domain;

    #[test]
    fn domains_with_and_without_ports_parse() {
        assert_eq!(
            Domain::parse("Example.ORG").map(|d| d.0).ok(),
            Some("example.org".into())
        );
        assert_eq!(
            Domain::parse("localhost:8080").map(|d| d.0).ok(),
            Some("localhost:8080".into())
        );
        assert_eq!(
            Domain::parse("127.0.0.1:3000").map(|d| d.0).ok(),
            Some("127.0.0.1:3000".into())
        );
    }

    #[test]
    fn typed_domains_are_normalized_as_mastodon_does() {
        for (typed, normalized) in [
            ("Example.ORG", "example.org"),
            ("  example.org \n", "example.org"),
            ("example.org/", "example.org"),
            ("https://Example.org/@alice", "example.org"),
            ("bücher.example", "xn--bcher-kva.example"),
            ("XN--BCHER-KVA.example", "xn--bcher-kva.example"),
            ("example.org.", "example.org"),
            ("127.0.0.1:3000", "127.0.0.1:3000"),
        ] {
            assert_eq!(
                Domain::normalize(typed).map(|domain| domain.0),
                Some(normalized.to_owned()),
                "{typed:?}"
            );
        }
        for bad in [
            "",
            "   ",
            "exa mple.org",
            "a..b",
            "example.org:http",
            "@alice@example.org",
        ] {
            assert!(
                Domain::normalize(bad).is_none(),
                "{bad:?} should be refused"
            );
        }
    }

    #[test]
    fn malformed_domains_are_refused() {
        for bad in [
            "",
            "http://example.org",
            "exa mple.org",
            "example.org:0",
            "example.org:99999",
            ".org",
            "a..b",
            "host:",
            "-x.org",
        ] {
            assert!(Domain::parse(bad).is_err(), "{bad:?} should be refused");
        }
    }
}
