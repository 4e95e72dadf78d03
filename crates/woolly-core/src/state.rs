//! [`Woolly`]: everything one instance needs, in one value passed explicitly (no globals), so
//! that one process could serve several instances and tests can start many side by side.

use std::sync::Arc;

use tokio::sync::Notify;
use woolly_store::Db;

use crate::config::InstanceConfig;
use crate::crypto;
use crate::error::{CoreError, Result};

/// One instance: its database, configuration and shared machinery. Cheap to clone.
#[derive(Clone)]
pub struct Woolly {
    inner: Arc<Inner>,
}

struct Inner {
    db: Db,
    config: InstanceConfig,
    secrets: InstanceSecrets,
    /// The operator's texts, rendered, with when each last changed; recorded on first use, so
    /// that only processes serving them (not admin commands) record their configuration.
    site_texts: tokio::sync::OnceCell<crate::instance::SiteTexts>,
    /// Wakes this process's job workers when it enqueues a job.
    job_wakeup: Notify,
    /// Cancelled when the instance begins to stop: long-lived connections (streaming) end then.
    stopping: tokio_util::sync::CancellationToken,
    /// Live events for the streaming API.
    events: tokio::sync::broadcast::Sender<crate::events::Event>,
    /// The threads of CPU-heavy work (argon2, RSA, images): a sign-up flood cannot starve
    /// requests, nor spread argon2's memory over many threads.
    cpu_pool: crate::cpu_pool::CpuPool,
    /// The instance document's figures and contact, reused for a minute.
    overview: crate::instance::OverviewCache,
    /// What everyone sees of recently read statuses.
    status_cache: crate::status_cache::StatusCache,
    /// Filters' keyword expressions, compiled once (see `filters::matching`).
    keyword_expressions: crate::filters::KeywordExpressions,
    /// Sign-in attempts and failures, against password guessing.
    sign_ins: crate::sign_in_throttle::SignInThrottle,
    /// Whether this process refills the spare key pairs.
    key_pool: crate::key_pool::KeyPool,
    /// The IP blocks, read again a minute after the last read or at once after a change here.
    ip_blocks: crate::sign_up_blocks::IpBlockCache,
    /// Finds the mail servers of joining addresses' domains.
    mail_servers: crate::mail_servers::MailServerLookup,
    /// Looks accounts and statuses up on other servers (installed by federation).
    remote_resolver: std::sync::OnceLock<Arc<dyn crate::remote::RemoteResolver>>,
}

/// Keys the instance generates once and keeps in its database.
struct InstanceSecrets {
    /// The Web Push (VAPID) public key, uncompressed P-256 point in URL-safe base64, which
    /// clients read from the instance document before subscribing.
    vapid_public_key: String,
    /// The key pair of the instance actor (`/actor`).
    instance_actor_key: crate::actors::InstanceActorKey,
}

impl Woolly {
    /// Opens the instance on `db`: loads its secrets, generating them on first start.
    pub async fn open(db: Db, config: InstanceConfig) -> Result<Woolly> {
        let vapid_private = db
            .secret_or_insert("vapid_private_key", crypto::generate_p256_pkcs8)
            .await?;
        let secrets = InstanceSecrets {
            vapid_public_key: crypto::p256_public_key(&vapid_private)?,
            instance_actor_key: crate::actors::load_instance_actor_key(&db).await?,
        };
        let cpus = std::thread::available_parallelism().map_or(2, usize::from);
        let mail_servers = crate::mail_servers::MailServerLookup::new(config.dns_server);
        let woolly = Woolly {
            inner: Arc::new(Inner {
                db,
                config,
                secrets,
                site_texts: tokio::sync::OnceCell::new(),
                job_wakeup: Notify::new(),
                // One core is always left to requests: hashing and keys take the others.
                cpu_pool: crate::cpu_pool::CpuPool::start(cpus.saturating_sub(1).max(1)),
                events: tokio::sync::broadcast::channel(crate::events::BUS_CAPACITY).0,
                stopping: tokio_util::sync::CancellationToken::new(),
                overview: std::sync::Mutex::new(None),
                status_cache: crate::status_cache::StatusCache::new(),
                keyword_expressions: crate::filters::KeywordExpressions::new(),
                sign_ins: crate::sign_in_throttle::SignInThrottle::default(),
                key_pool: crate::key_pool::KeyPool::default(),
                ip_blocks: crate::sign_up_blocks::IpBlockCache::default(),
                mail_servers,
                remote_resolver: std::sync::OnceLock::new(),
            }),
        };
        woolly.seed_rules().await?;
        Ok(woolly)
    }

    pub(crate) fn sign_ins(&self) -> &crate::sign_in_throttle::SignInThrottle {
        &self.inner.sign_ins
    }

    pub(crate) fn ip_block_cache(&self) -> &crate::sign_up_blocks::IpBlockCache {
        &self.inner.ip_blocks
    }

    pub(crate) fn mail_server_lookup(&self) -> &crate::mail_servers::MailServerLookup {
        &self.inner.mail_servers
    }

    pub(crate) fn key_pool(&self) -> &crate::key_pool::KeyPool {
        &self.inner.key_pool
    }

    /// Whether a CPU thread is free now (background work that must not queue before requests).
    pub(crate) fn cpu_is_idle(&self) -> bool {
        self.inner.cpu_pool.has_idle_thread()
    }

    pub(crate) fn status_cache(&self) -> &crate::status_cache::StatusCache {
        &self.inner.status_cache
    }

    pub(crate) fn keyword_expressions(&self) -> &crate::filters::KeywordExpressions {
        &self.inner.keyword_expressions
    }

    pub(crate) fn overview_cache(&self) -> &crate::instance::OverviewCache {
        &self.inner.overview
    }

    /// The Web Push (VAPID) public key clients subscribe with.
    pub fn vapid_public_key(&self) -> &str {
        &self.inner.secrets.vapid_public_key
    }

    pub fn instance_actor_key(&self) -> &crate::actors::InstanceActorKey {
        &self.inner.secrets.instance_actor_key
    }

    pub(crate) async fn site_texts(&self) -> Result<&crate::instance::SiteTexts> {
        self.inner
            .site_texts
            .get_or_try_init(|| crate::instance::SiteTexts::record(self.db(), self.config()))
            .await
    }

    /// Installs what looks things up on other servers, once: a second installation is an
    /// error (two federation connections would disagree on who resolves).
    pub fn install_remote_resolver(
        &self,
        resolver: Arc<dyn crate::remote::RemoteResolver>,
    ) -> Result<()> {
        self.inner
            .remote_resolver
            .set(resolver)
            .map_err(|_| CoreError::Internal("a remote resolver is already installed".into()))
    }

    pub(crate) fn remote_resolver(&self) -> Option<&Arc<dyn crate::remote::RemoteResolver>> {
        self.inner.remote_resolver.get()
    }

    /// The store, for core's use cases only: front doors call those, never the store.
    pub(crate) fn db(&self) -> &Db {
        &self.inner.db
    }

    /// Closes the database once the server has stopped (pending writes are flushed).
    pub async fn close(&self) {
        self.inner.db.close().await;
    }

    /// Renews this process's lease on its id-generator slot (call periodically while running).
    pub async fn renew_id_lease(&self) -> Result<()> {
        Ok(self.inner.db.renew_id_lease().await?)
    }

    pub fn config(&self) -> &InstanceConfig {
        &self.inner.config
    }

    /// Cancelled when the instance begins to stop; cancelling it stops the instance.
    pub fn stopping(&self) -> tokio_util::sync::CancellationToken {
        self.inner.stopping.clone()
    }

    pub(crate) fn event_bus(&self) -> &tokio::sync::broadcast::Sender<crate::events::Event> {
        &self.inner.events
    }

    pub(crate) fn job_wakeup(&self) -> &Notify {
        &self.inner.job_wakeup
    }

    /// Whether `password` matches a stored hash, checked on the CPU threads.
    pub(crate) async fn password_matches_hash(
        &self,
        password: &str,
        stored_hash: String,
    ) -> Result<bool> {
        let password = password.to_owned();
        self.run_cpu_bound(move || crate::crypto::verify_password(&password, &stored_hash))
            .await
    }

    /// Runs CPU-heavy `work` on the CPU threads (one per core), after the work queued before.
    pub(crate) async fn run_cpu_bound<T, F>(&self, work: F) -> Result<T>
    where
        F: FnOnce() -> T + Send + 'static,
        T: Send + 'static,
    {
        self.inner.cpu_pool.run(work).await
    }
}
