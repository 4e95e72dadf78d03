//! The operator's settings: one type read by every subcommand, from (highest first) command-line
//! flags, `WOOLLY_*` environment variables, a TOML file (`--config FILE`), and defaults.
//!
//! A bad value ends the process with a one-line error naming the setting: [`SettingsError`].

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

use figment::Figment;
use figment::providers::{Env, Format, Serialized, Toml};
use serde::{Deserialize, Serialize};
use woolly_core::jobs::WorkerOptions;
use woolly_core::joining::{InvitePolicy, RegistrationMode};
use woolly_core::{Domain, InstanceConfig};
use woolly_http::caller::TrustedProxies;
use woolly_mail::{Delivery, MailError, SendEmailJob, SmtpServer, TlsMode};

/// How logs are written to standard error.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    Text,
    Json,
}

/// Every setting. Field names are the TOML keys; `WOOLLY_` plus the upper-cased name is the
/// environment variable; `--` plus the name with dashes is the flag.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Settings {
    /// Where the SQLite database, media and other files live.
    pub data_dir: PathBuf,
    /// `sqlite://PATH` or `postgres://USER@HOST/DB`; default: SQLite in the data directory.
    pub database_url: Option<String>,
    /// The address the HTTP server listens on.
    pub listen: SocketAddr,
    /// The instance's public name, `host[:port]`.
    pub domain: String,
    /// Use `http://` in ids and links (development and tests only).
    pub insecure_http: bool,
    /// Federate with hosts on loopback and private networks (tests only).
    pub allow_private_addresses: bool,
    /// Serve actors and objects only to signed requests (Mastodon's secure mode).
    pub authorized_fetch: bool,
    pub log_format: LogFormat,
    /// Where to serve Prometheus metrics (`/metrics`); off when unset.
    pub metrics_listen: Option<SocketAddr>,
    pub title: String,
    pub description: String,
    pub contact_email: String,
    pub max_status_characters: u32,
    /// Jobs run at once by each worker (`serve` runs one worker; `worker` processes add more).
    pub job_concurrency: usize,
    /// How long a claimed job is leased; a crashed worker's jobs run again after it.
    pub job_lease_seconds: u64,
    /// The first retry delay of a failed job, doubled on each further failure…
    pub job_retry_base_ms: u64,
    /// …up to this delay (6 h).
    pub job_retry_max_ms: u64,
    /// Requests per 5 minutes per access token or client address (Mastodon: 300); 0 is off.
    pub rate_limit_requests: u32,
    /// The server's rules, shown to people before they join: a TOML array of strings (also
    /// in `WOOLLY_RULES`, written the same way: `["Be kind.", "No spam."]`).
    pub rules: Vec<String>,
    /// The long "about" text, in Markdown.
    pub extended_description: String,
    /// The privacy policy, in Markdown (Woolly's own when empty).
    pub privacy_policy: String,
    /// The terms of service, in Markdown (none when empty).
    pub terms_of_service: String,
    /// Who may sign up: `open`, `approval`, `invite` or `closed` (until `woolly admin
    /// registrations` sets a mode at run time).
    pub registrations: String,
    /// Shown while sign-up is closed, in Markdown (where to ask for an account, say).
    pub closed_registrations_message: String,
    /// The minimum age to sign up; 0 asks for no date of birth.
    pub min_age: u32,
    /// Who may make invites: `nobody`, `moderators` or `everyone`.
    pub invites_by: String,
    /// Whether visitors who are not signed in may read the public and hashtag timelines (in
    /// apps and on the web) and see the front page's preview of them.
    pub timeline_preview: bool,
    /// Talk only to the servers on the allow list (`woolly admin domain allow`).
    pub limited_federation: bool,
    /// Who may read the list of blocked servers: `nobody`, `users` or `all`.
    pub show_domain_blocks: String,
    /// Whether that list gives the blocks' public comments.
    pub show_domain_blocks_rationale: bool,
    /// Usernames of local accounts recommended to newcomers in their first steps: a TOML array
    /// (also in `WOOLLY_RECOMMENDED_ACCOUNTS`: `["alice", "news"]`).
    pub recommended_accounts: Vec<String>,
    /// Whether trending hashtags and posts are shown (`/api/v1/trends/*`); off, they are empty.
    pub trends: bool,
    /// Whether what trends is shown before moderators review it (they may still refuse it);
    /// off, nothing trends until a moderator allows it.
    pub trendable_by_default: bool,
    /// Whether the first link of posts gets a preview card, read from the linked page.
    pub link_previews: bool,
    /// Hosts (`host` or `host:port`) whose video players a preview card may embed; other cards
    /// show a title, text and image only. A TOML array.
    pub link_preview_embed_hosts: Vec<String>,
    /// How long reading a linked page for its preview may take, in seconds.
    pub link_preview_timeout_seconds: u64,
    /// The SMTP server that sends e-mail; when empty, each message is written to
    /// `DATA_DIR/mail/` and its link logged.
    pub smtp_host: String,
    pub smtp_port: u16,
    /// `none`, `starttls` or `tls`.
    pub smtp_tls: String,
    pub smtp_user: String,
    pub smtp_password: String,
    /// The sender of e-mail; default `Woolly <notifications@DOMAIN>` with the instance's title.
    pub mail_from: String,
    /// RSA key pairs kept made ahead of sign-ups, so that a flood of newcomers costs each only
    /// its password hash (made slowly while the server is idle; 0 makes none).
    pub spare_key_pairs: usize,
    /// Reverse proxies (addresses or CIDR ranges) whose `X-Forwarded-For` or `Forwarded`
    /// headers name the client; by default a proxy on the same machine.
    pub trusted_proxies: Vec<String>,
    /// The DNS server (`ADDRESS:PORT`) asked for the mail servers of joining addresses,
    /// instead of the system's (`/etc/resolv.conf`).
    pub dns_server: Option<SocketAddr>,
}

impl Default for Settings {
    fn default() -> Settings {
        Settings {
            data_dir: PathBuf::from("woolly-data"),
            database_url: None,
            listen: SocketAddr::from(([127, 0, 0, 1], 8080)),
            domain: "localhost:8080".to_owned(),
            insecure_http: false,
            allow_private_addresses: false,
            authorized_fetch: false,
            log_format: LogFormat::Text,
            metrics_listen: None,
            title: "Woolly".to_owned(),
            description: InstanceConfig::DEFAULT_DESCRIPTION.to_owned(),
            contact_email: String::new(),
            max_status_characters: 500,
            job_concurrency: 8,
            job_lease_seconds: 300,
            job_retry_base_ms: 30_000,
            job_retry_max_ms: 6 * 60 * 60 * 1000,
            rate_limit_requests: 300,
            rules: Vec::new(),
            extended_description: String::new(),
            privacy_policy: String::new(),
            terms_of_service: String::new(),
            registrations: "closed".to_owned(),
            closed_registrations_message: String::new(),
            min_age: 0,
            invites_by: "moderators".to_owned(),
            recommended_accounts: Vec::new(),
            trends: true,
            trendable_by_default: false,
            link_previews: true,
            link_preview_embed_hosts: InstanceConfig::DEFAULT_EMBED_HOSTS
                .iter()
                .map(|host| (*host).to_owned())
                .collect(),
            link_preview_timeout_seconds: 10,
            timeline_preview: true,
            limited_federation: false,
            show_domain_blocks: "nobody".to_owned(),
            show_domain_blocks_rationale: false,
            smtp_host: String::new(),
            smtp_port: 587,
            smtp_tls: "starttls".to_owned(),
            smtp_user: String::new(),
            smtp_password: String::new(),
            mail_from: String::new(),
            spare_key_pairs: 200,
            trusted_proxies: vec!["127.0.0.0/8".to_owned(), "::1/128".to_owned()],
            dns_server: None,
        }
    }
}

/// The keys the environment may set (others starting with `WOOLLY_`, such as the test suite's
/// `WOOLLY_TEST_DATABASE_URL`, are not settings).
const KEYS: [&str; 46] = [
    "data_dir",
    "database_url",
    "listen",
    "domain",
    "insecure_http",
    "allow_private_addresses",
    "authorized_fetch",
    "log_format",
    "metrics_listen",
    "title",
    "description",
    "contact_email",
    "max_status_characters",
    "job_concurrency",
    "job_lease_seconds",
    "job_retry_base_ms",
    "job_retry_max_ms",
    "rate_limit_requests",
    "rules",
    "extended_description",
    "privacy_policy",
    "terms_of_service",
    "registrations",
    "closed_registrations_message",
    "min_age",
    "invites_by",
    "recommended_accounts",
    "trends",
    "trendable_by_default",
    "link_previews",
    "link_preview_embed_hosts",
    "link_preview_timeout_seconds",
    "timeline_preview",
    "limited_federation",
    "show_domain_blocks",
    "show_domain_blocks_rationale",
    "smtp_host",
    "smtp_port",
    "smtp_tls",
    "smtp_user",
    "smtp_password",
    "mail_from",
    "trusted_proxies",
    "dns_server",
    "spare_key_pairs",
    "config",
];

/// Why the settings could not be read. Displayed as the process's one-line error.
#[derive(Debug, thiserror::Error)]
pub enum SettingsError {
    #[error("cannot read config file {path}: {reason}")]
    ConfigFile { path: PathBuf, reason: String },
    #[error("invalid setting `{key}`{source_name}: {reason}")]
    Invalid {
        key: String,
        source_name: String,
        reason: String,
    },
}

impl SettingsError {
    pub fn invalid(key: &str, reason: impl std::fmt::Display) -> SettingsError {
        SettingsError::Invalid {
            key: key.to_owned(),
            source_name: String::new(),
            reason: reason.to_string(),
        }
    }
}

/// Settings given as command-line flags: only those present override the other sources.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct SettingsFlags {
    /// A TOML file of settings [env: WOOLLY_CONFIG]
    #[arg(long, global = true, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Where the database and media live [env: WOOLLY_DATA_DIR] [default: ./woolly-data]
    #[arg(long, global = true, value_name = "DIR")]
    pub data_dir: Option<PathBuf>,
    /// sqlite://PATH or postgres://USER@HOST/DB [env: WOOLLY_DATABASE_URL]
    #[arg(long, global = true, value_name = "URL")]
    pub database_url: Option<String>,
    /// Address to listen on [env: WOOLLY_LISTEN] [default: 127.0.0.1:8080]
    #[arg(long, global = true, value_name = "ADDR")]
    pub listen: Option<String>,
    /// The public name, host[:port] [env: WOOLLY_DOMAIN] [default: localhost:8080]
    #[arg(long, global = true, value_name = "HOST[:PORT]")]
    pub domain: Option<String>,
    /// Use http:// ids and links (development and tests only) [env: WOOLLY_INSECURE_HTTP]
    #[arg(long, global = true)]
    pub insecure_http: bool,
    /// Federate with loopback and private addresses (tests only) [env: WOOLLY_ALLOW_PRIVATE_ADDRESSES]
    #[arg(long, global = true)]
    pub allow_private_addresses: bool,
    /// Serve actors and posts to other servers only when their requests are signed
    /// [env: WOOLLY_AUTHORIZED_FETCH]
    #[arg(long, global = true)]
    pub authorized_fetch: bool,
    /// Log format [env: WOOLLY_LOG_FORMAT] [default: text]
    #[arg(long, global = true, value_enum)]
    pub log_format: Option<LogFormat>,
    /// Serve Prometheus metrics on this address [env: WOOLLY_METRICS_LISTEN]
    #[arg(long, global = true, value_name = "ADDR")]
    pub metrics_listen: Option<String>,
    /// Jobs run at once per worker [env: WOOLLY_JOB_CONCURRENCY] [default: 8]
    #[arg(long, global = true, value_name = "N")]
    pub job_concurrency: Option<usize>,
    /// Lease of a claimed job, in seconds [env: WOOLLY_JOB_LEASE_SECONDS] [default: 300]
    #[arg(long, global = true, value_name = "SECONDS")]
    pub job_lease_seconds: Option<u64>,
    /// First retry delay of a failed job [env: WOOLLY_JOB_RETRY_BASE_MS] [default: 30000]
    #[arg(long, global = true, value_name = "MS")]
    pub job_retry_base_ms: Option<u64>,
    /// Longest retry delay of a failed job [env: WOOLLY_JOB_RETRY_MAX_MS] [default: 21600000]
    #[arg(long, global = true, value_name = "MS")]
    pub job_retry_max_ms: Option<u64>,
    /// Requests per 5 minutes per token or address, 0 for none [env: WOOLLY_RATE_LIMIT_REQUESTS] [default: 300]
    #[arg(long, global = true, value_name = "N")]
    pub rate_limit_requests: Option<u32>,
}

impl SettingsFlags {
    /// The flags as a partial settings document (strings stay strings, so that a bad value is
    /// reported by the same path as one from a file or the environment).
    fn as_overrides(&self) -> serde_json::Map<String, serde_json::Value> {
        let mut map = serde_json::Map::new();
        let mut put = |key: &str, value: Option<serde_json::Value>| {
            if let Some(value) = value {
                map.insert(key.to_owned(), value);
            }
        };
        put(
            "data_dir",
            self.data_dir
                .as_ref()
                .map(|dir| dir.display().to_string().into()),
        );
        put("database_url", self.database_url.clone().map(Into::into));
        put("listen", self.listen.clone().map(Into::into));
        put("domain", self.domain.clone().map(Into::into));
        put("insecure_http", self.insecure_http.then_some(true.into()));
        put(
            "allow_private_addresses",
            self.allow_private_addresses.then_some(true.into()),
        );
        put(
            "authorized_fetch",
            self.authorized_fetch.then_some(true.into()),
        );
        put(
            "log_format",
            self.log_format.map(|format| serde_json::json!(format)),
        );
        put(
            "metrics_listen",
            self.metrics_listen.clone().map(Into::into),
        );
        put("job_concurrency", self.job_concurrency.map(Into::into));
        put("job_lease_seconds", self.job_lease_seconds.map(Into::into));
        put("job_retry_base_ms", self.job_retry_base_ms.map(Into::into));
        put("job_retry_max_ms", self.job_retry_max_ms.map(Into::into));
        put(
            "rate_limit_requests",
            self.rate_limit_requests.map(Into::into),
        );
        map
    }
}

impl Settings {
    /// Reads the settings from every source, highest first: flags, environment, file, defaults.
    pub fn load(flags: &SettingsFlags) -> Result<Settings, SettingsError> {
        let mut figment = Figment::from(Serialized::defaults(Settings::default()));
        let config_file = flags
            .config
            .clone()
            .or_else(|| std::env::var_os("WOOLLY_CONFIG").map(PathBuf::from));
        if let Some(path) = config_file {
            check_readable(&path)?;
            figment = figment.merge(Toml::file_exact(&path));
        }
        let flag_values = flags.as_overrides();
        let flag_keys: Vec<String> = flag_values.keys().cloned().collect();
        figment = figment
            .merge(Env::prefixed("WOOLLY_").only(&KEYS).ignore(&["config"]))
            .merge(Serialized::defaults(flag_values));
        figment
            .extract()
            .map_err(|error| describe(error, &flag_keys))
    }

    /// The instance configuration these settings describe.
    pub fn instance_config(&self) -> Result<InstanceConfig, SettingsError> {
        let domain =
            Domain::parse(&self.domain).map_err(|error| SettingsError::invalid("domain", error))?;
        if self.max_status_characters == 0 {
            return Err(SettingsError::invalid(
                "max_status_characters",
                "must be at least 1",
            ));
        }
        let mut config = InstanceConfig::new(domain);
        config.https = !self.insecure_http;
        config.allow_private_addresses = self.allow_private_addresses;
        config.authorized_fetch = self.authorized_fetch;
        config.dns_server = self.dns_server;
        config.title = self.title.clone();
        config.description = self.description.clone();
        config.contact_email = self.contact_email.clone();
        config.max_status_characters = self.max_status_characters;
        config.media_dir = self.media_dir();
        config.archives_dir = self.archives_dir();
        config.rules = self
            .rules
            .iter()
            .map(|rule| rule.trim().to_owned())
            .filter(|rule| !rule.is_empty())
            .collect();
        config.extended_description = self.extended_description.trim().to_owned();
        config.privacy_policy = self.privacy_policy.trim().to_owned();
        config.terms_of_service = self.terms_of_service.trim().to_owned();
        config.registrations = RegistrationMode::parse(&self.registrations)
            .map_err(|error| SettingsError::invalid("registrations", error))?;
        config.closed_registrations_message = self.closed_registrations_message.trim().to_owned();
        config.min_age = (self.min_age > 0).then_some(self.min_age);
        config.invites_by = InvitePolicy::parse(&self.invites_by)
            .map_err(|error| SettingsError::invalid("invites_by", error))?;
        config.trends = self.trends;
        config.trendable_by_default = self.trendable_by_default;
        config.link_previews = self.link_previews;
        config.link_preview_embed_hosts = self
            .link_preview_embed_hosts
            .iter()
            .map(|host| host.trim().to_ascii_lowercase())
            .filter(|host| !host.is_empty())
            .collect();
        if self.link_preview_timeout_seconds == 0 {
            return Err(SettingsError::invalid(
                "link_preview_timeout_seconds",
                "must be at least 1",
            ));
        }
        config.link_preview_timeout = Duration::from_secs(self.link_preview_timeout_seconds);
        config.recommended_accounts = self
            .recommended_accounts
            .iter()
            .map(|name| name.trim().trim_start_matches('@').to_owned())
            .filter(|name| !name.is_empty())
            .collect();
        if let Some(name) = config
            .recommended_accounts
            .iter()
            .find(|name| name.contains('@'))
        {
            return Err(SettingsError::invalid(
                "recommended_accounts",
                format!("{name:?} is not a username of this server"),
            ));
        }
        config.timeline_preview = self.timeline_preview;
        config.limited_federation = self.limited_federation;
        config.show_domain_blocks =
            woolly_core::instance_domain_blocks::BlocksShownTo::parse(&self.show_domain_blocks)
                .ok_or_else(|| {
                    SettingsError::invalid(
                        "show_domain_blocks",
                        format!("{:?} is not nobody, users or all", self.show_domain_blocks),
                    )
                })?;
        config.show_domain_blocks_rationale = self.show_domain_blocks_rationale;
        config.spare_key_pairs = self.spare_key_pairs;
        Ok(config)
    }

    /// The proxies whose forwarding headers name the client.
    pub fn trusted_proxies(&self) -> Result<TrustedProxies, SettingsError> {
        TrustedProxies::parse(&self.trusted_proxies)
            .map_err(|error| SettingsError::invalid("trusted_proxies", error))
    }

    /// The handler that sends e-mail: through the SMTP server when one is set, else into
    /// `DATA_DIR/mail/`.
    pub fn mailer(&self) -> Result<SendEmailJob, SettingsError> {
        let delivery = if self.smtp_host.trim().is_empty() {
            Delivery::Files(self.data_dir.join("mail"))
        } else {
            let tls = TlsMode::parse(&self.smtp_tls)
                .ok_or_else(|| SettingsError::invalid("smtp_tls", "use none, starttls or tls"))?;
            Delivery::Smtp(SmtpServer {
                host: self.smtp_host.trim().to_owned(),
                port: self.smtp_port,
                tls,
                credentials: (!self.smtp_user.is_empty())
                    .then(|| (self.smtp_user.clone(), self.smtp_password.clone())),
            })
        };
        let from = if self.mail_from.trim().is_empty() {
            let host = self.domain.split(':').next().unwrap_or(&self.domain);
            let name: String = self
                .title
                .chars()
                .filter(|c| c.is_alphanumeric() || *c == ' ')
                .collect();
            format!("{} <notifications@{host}>", name.trim())
        } else {
            self.mail_from.trim().to_owned()
        };
        SendEmailJob::new(&from, delivery).map_err(|error| {
            let key = match error {
                MailError::InvalidFrom(_) => "mail_from",
                MailError::Smtp(_) => "smtp_host",
            };
            SettingsError::invalid(key, error)
        })
    }

    /// How job workers behave.
    pub fn worker_options(&self) -> Result<WorkerOptions, SettingsError> {
        if self.job_concurrency == 0 {
            return Err(SettingsError::invalid(
                "job_concurrency",
                "must be at least 1",
            ));
        }
        if self.job_lease_seconds < 3 {
            return Err(SettingsError::invalid(
                "job_lease_seconds",
                "must be at least 3",
            ));
        }
        Ok(WorkerOptions {
            concurrency: self.job_concurrency,
            lease: Duration::from_secs(self.job_lease_seconds),
            backoff_base: Duration::from_millis(self.job_retry_base_ms.max(1)),
            backoff_cap: Duration::from_millis(self.job_retry_max_ms.max(self.job_retry_base_ms)),
            ..WorkerOptions::default()
        })
    }

    /// The SQLite file used when no `database_url` is set.
    pub fn default_sqlite_path(&self) -> PathBuf {
        self.data_dir.join("woolly.sqlite3")
    }

    pub fn media_dir(&self) -> PathBuf {
        self.data_dir.join("media")
    }

    /// Where the members' archives are built (`data_dir/archives`).
    pub fn archives_dir(&self) -> PathBuf {
        self.data_dir.join("archives")
    }
}

fn check_readable(path: &Path) -> Result<(), SettingsError> {
    std::fs::read_to_string(path)
        .map(drop)
        .map_err(|error| SettingsError::ConfigFile {
            path: path.to_owned(),
            reason: error.to_string(),
        })
}

/// Turns figment's error into one line that names the setting and where its value came from.
fn describe(error: figment::Error, flag_keys: &[String]) -> SettingsError {
    use figment::error::Kind;
    let key = match &error.kind {
        Kind::UnknownField(field, _) => field.clone(),
        _ => error.path.join("."),
    };
    let origin = if flag_keys.contains(&key) {
        Some(format!("--{}", key.replace('_', "-")))
    } else {
        error
            .metadata
            .as_ref()
            .map(|metadata| match &metadata.source {
                Some(source) => source.to_string(),
                None if metadata.name.contains("environment") && !error.path.is_empty() => {
                    format!("WOOLLY_{}", key.to_ascii_uppercase())
                }
                None => metadata.name.to_string(),
            })
    };
    let source_name = origin
        .map(|origin| format!(" (from {origin})"))
        .unwrap_or_default();
    let reason = match &error.kind {
        Kind::UnknownField(_, _) => "no such setting".to_owned(),
        kind => kind.to_string(),
    };
    SettingsError::Invalid {
        key,
        source_name,
        reason,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_the_zero_configuration_instance() {
        let settings = Settings::default();
        assert_eq!(settings.listen.to_string(), "127.0.0.1:8080");
        assert_eq!(settings.domain, "localhost:8080");
        assert_eq!(
            settings.default_sqlite_path(),
            PathBuf::from("woolly-data/woolly.sqlite3")
        );
    }

    #[test]
    fn flags_override_and_bad_values_name_the_setting() {
        let flags = SettingsFlags {
            listen: Some("not an address".into()),
            ..SettingsFlags::default()
        };
        let error = Settings::load(&flags)
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(
            error.starts_with("invalid setting `listen` (from --listen)"),
            "{error}"
        );
    }
}
