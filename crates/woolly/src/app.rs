//! [`App`]: one running instance — its HTTP server, its job worker and its housekeeping — built
//! from [`Settings`] as a value, so that tests start the real server on port 0.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use tokio::net::TcpListener;
use tokio_util::sync::CancellationToken;
use woolly_core::jobs::{JobHandlers, Worker, WorkerOptions};
use woolly_core::{CoreError, Db, SealingKey, StoreError, Woolly};

use woolly_http::caller::TrustedProxies;
use woolly_http::rate_limit::RateLimiter;

use crate::http;
use crate::metrics::Metrics;
use crate::settings::{Settings, SettingsError};

/// Why an instance could not start. Each names the setting at fault where there is one.
#[derive(Debug, thiserror::Error)]
pub enum StartupError {
    #[error(transparent)]
    Settings(#[from] SettingsError),
    #[error("cannot create the data directory {path} (setting `data_dir`): {source}")]
    DataDir {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot use the secret key {path}: {reason}")]
    SecretKey { path: PathBuf, reason: String },
    #[error("cannot open the database (setting `database_url`): {0}")]
    Database(StoreError),
    #[error("cannot listen on {address} (setting `{setting}`): {source}")]
    Listen {
        setting: &'static str,
        address: SocketAddr,
        source: std::io::Error,
    },
    #[error("cannot start the instance: {0}")]
    Core(#[from] CoreError),
    #[error("cannot install signal handlers: {0}")]
    Signals(std::io::Error),
    #[error("cannot set up the client for other servers: {0}")]
    Federation(#[from] woolly_federation::FederationError),
}

/// Opens the instance the settings describe: creates the data directory, opens (and migrates)
/// the database, loads the instance's secrets. Every subcommand starts here.
pub async fn open_instance(settings: &Settings, role: &str) -> Result<Woolly, StartupError> {
    let mut config = settings.instance_config()?;
    let db = open_store(settings, role).await?;
    let opened = async {
        config.sealing_key = Some(sealing_key(&settings.data_dir.join("secret.key"))?);
        Ok::<_, StartupError>(Woolly::open(db.clone(), config).await?)
    }
    .await;
    if opened.is_err() {
        db.close().await;
    }
    opened
}

/// Opens (creating and migrating when needed) the database the settings name; `role` names
/// this process in the id generator's lease. Only the composition root and tests that inspect
/// the store directly call this: everything else goes through [`Woolly`].
pub async fn open_store(settings: &Settings, role: &str) -> Result<Db, StartupError> {
    open_store_up_to(settings, role, None).await
}

/// Like [`open_store`], migrating up to schema `version` only (see [`Db::connect_up_to`]).
pub async fn open_store_up_to(
    settings: &Settings,
    role: &str,
    version: Option<i64>,
) -> Result<Db, StartupError> {
    for dir in [settings.data_dir.clone(), settings.media_dir()] {
        std::fs::create_dir_all(&dir)
            .map_err(|source| StartupError::DataDir { path: dir, source })?;
    }
    let holder = format!("{}:{}:{role}", hostname(), std::process::id());
    match &settings.database_url {
        Some(url) => Db::connect_up_to(url, &holder, version).await,
        None => {
            Db::connect_sqlite_file_up_to(&settings.default_sqlite_path(), &holder, version).await
        }
    }
    .map_err(StartupError::Database)
}

/// The key that seals two-factor secrets (see [`SealingKey`]), kept in hexadecimal in `path`
/// (readable by its owner only) and made there on first start. Every process sharing the
/// database needs the same file.
fn sealing_key(path: &std::path::Path) -> Result<SealingKey, StartupError> {
    let failed = |reason: String| StartupError::SecretKey {
        path: path.to_owned(),
        reason,
    };
    if !path.exists() {
        // Written aside, then linked into place: a process starting alongside reads either no
        // file or a whole one, and the first link wins.
        let aside = path.with_extension(format!("new-{}", std::process::id()));
        let hex = SealingKey::generate_hex();
        write_private(&aside, format!("{hex}\n").as_bytes())
            .map_err(|error| failed(error.to_string()))?;
        let linked = std::fs::hard_link(&aside, path);
        let _ = std::fs::remove_file(&aside);
        match linked {
            Ok(()) => tracing::info!(
                path = %path.display(),
                "made a new secret key; back it up with the database"
            ),
            Err(error) if error.kind() == std::io::ErrorKind::AlreadyExists => {}
            Err(error) => return Err(failed(error.to_string())),
        }
    }
    let text = std::fs::read_to_string(path).map_err(|error| failed(error.to_string()))?;
    SealingKey::from_hex(text.trim()).ok_or_else(|| {
        failed(format!(
            "expected {} bytes in hexadecimal",
            SealingKey::LENGTH
        ))
    })
}

/// Writes `bytes` to `path` (replacing it), readable by its owner only, and syncs it: the secret
/// key, whether made at first start or restored by an import.
pub(crate) fn write_private(path: &std::path::Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write as _;
    use std::os::unix::fs::OpenOptionsExt as _;
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(path)?;
    file.write_all(bytes)?;
    file.sync_all()
}

fn hostname() -> String {
    std::fs::read_to_string("/proc/sys/kernel/hostname")
        .map(|name| name.trim().to_owned())
        .unwrap_or_else(|_| "woolly".to_owned())
}

/// A built instance, ready to run.
pub struct App {
    woolly: Woolly,
    federation: woolly_federation::Federation,
    listener: TcpListener,
    metrics_listener: Option<TcpListener>,
    worker_options: WorkerOptions,
    job_handlers: JobHandlers,
    trusted_proxies: TrustedProxies,
    metrics: Arc<Metrics>,
    stop: CancellationToken,
    rate_limit_requests: u32,
}

/// How often a long-running process renews its id-generator lease (the lease lasts an hour).
const ID_LEASE_RENEWAL: Duration = Duration::from_secs(10 * 60);

impl App {
    /// Opens the instance and binds its listeners; nothing is served until [`App::run_until_stopped`].
    pub async fn build(settings: Settings) -> Result<App, StartupError> {
        let listener =
            TcpListener::bind(settings.listen)
                .await
                .map_err(|source| StartupError::Listen {
                    setting: "listen",
                    address: settings.listen,
                    source,
                })?;
        Self::build_with_listener(settings, listener).await
    }

    /// Like [`App::build`], on a listener bound by the caller (tests that must know the port
    /// before choosing the domain, such as `127.0.0.1:PORT` for clients that follow links).
    pub async fn build_with_listener(
        settings: Settings,
        listener: TcpListener,
    ) -> Result<App, StartupError> {
        let worker_options = settings.worker_options()?;
        // Checked before anything starts, so that bad mail settings stop the server at once.
        settings.mailer()?;
        let trusted_proxies = settings.trusted_proxies()?;
        let bind = |setting: &'static str, address: SocketAddr| async move {
            TcpListener::bind(address)
                .await
                .map_err(|source| StartupError::Listen {
                    setting,
                    address,
                    source,
                })
        };
        // Listeners are bound before the database is opened, so that a taken port leaves
        // nothing half-started.
        let metrics_listener = match settings.metrics_listen {
            Some(address) => Some(bind("metrics_listen", address).await?),
            None => None,
        };
        let woolly = open_instance(&settings, "serve").await?;
        let federation = match woolly_federation::connect(&woolly) {
            Ok(federation) => federation,
            Err(error) => {
                woolly.close().await;
                return Err(error.into());
            }
        };
        let job_handlers = job_handlers(&settings, &federation)?;
        let stop = woolly.stopping();
        stop_on_signals(stop.clone()).map_err(StartupError::Signals)?;
        Ok(App {
            woolly,
            federation,
            listener,
            metrics_listener,
            worker_options,
            job_handlers,
            trusted_proxies,
            metrics: Arc::new(Metrics::new()),
            stop,
            rate_limit_requests: settings.rate_limit_requests,
        })
    }

    /// The port the HTTP server listens on (useful with `--listen 127.0.0.1:0`).
    pub fn port(&self) -> u16 {
        self.local_addr().port()
    }

    pub fn local_addr(&self) -> SocketAddr {
        self.listener
            .local_addr()
            .unwrap_or_else(|_| SocketAddr::from(([127, 0, 0, 1], 0)))
    }

    /// Where metrics are served, when enabled.
    pub fn metrics_addr(&self) -> Option<SocketAddr> {
        self.metrics_listener
            .as_ref()
            .and_then(|listener| listener.local_addr().ok())
    }

    pub fn woolly(&self) -> &Woolly {
        &self.woolly
    }

    /// Cancelling this token stops the instance as SIGINT or SIGTERM would.
    pub fn stop_handle(&self) -> CancellationToken {
        self.stop.clone()
    }

    /// Serves HTTP and runs the job worker until SIGINT, SIGTERM or the stop handle; then
    /// finishes in-flight requests, lets running jobs finish or releases them, and closes the
    /// database.
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        let App {
            woolly,
            federation,
            listener,
            metrics_listener,
            worker_options,
            job_handlers,
            trusted_proxies,
            metrics,
            stop,
            rate_limit_requests,
        } = self;
        let worker = Worker::new(woolly.clone(), job_handlers, worker_options);
        let worker_task = tokio::spawn(worker.run(stop.clone()));
        let renewal_task = tokio::spawn(renew_id_lease(woolly.clone(), stop.clone()));
        // A server people may join keeps key pairs ready for them.
        match woolly.sign_ups().mode().await {
            Ok(woolly_core::joining::RegistrationMode::Closed) => {}
            Ok(_) => woolly.refill_key_pool(),
            Err(error) => tracing::warn!(%error, "could not read the registration mode"),
        }
        let hider = woolly.clone();
        tokio::spawn(async move {
            match hider.media().hide_old_uploads().await {
                Ok(0) => {}
                Ok(moved) => tracing::info!(moved, "old uploads moved to unguessable folders"),
                Err(error) => {
                    tracing::warn!(%error, "moving old uploads failed; retried at next start")
                }
            }
        });
        if let Some(metrics_listener) = metrics_listener {
            let app = crate::metrics::router(Arc::clone(&metrics), woolly.clone());
            let stop = stop.clone();
            tokio::spawn(async move {
                let served = axum::serve(metrics_listener, app)
                    .with_graceful_shutdown(stop.cancelled_owned())
                    .await;
                if let Err(error) = served {
                    tracing::error!(%error, "metrics server failed");
                }
            });
        }
        let app = http::app(
            woolly.clone(),
            federation,
            metrics,
            RateLimiter::new(rate_limit_requests, woolly.clone()),
            trusted_proxies,
        );
        let served = axum::serve(listener, app)
            .with_graceful_shutdown(stop.clone().cancelled_owned())
            .await;
        // However the server ended, stop the rest too.
        stop.cancel();
        if let Err(error) = worker_task.await {
            tracing::error!(%error, "job worker ended abnormally");
        }
        renewal_task.abort();
        woolly.close().await;
        tracing::info!("stopped");
        served
    }
}

/// Every job kind this binary can run.
pub fn job_handlers(
    settings: &Settings,
    federation: &woolly_federation::Federation,
) -> Result<JobHandlers, SettingsError> {
    let mut handlers = JobHandlers::core();
    woolly_federation::register_jobs(&mut handlers, federation);
    handlers.register(settings.mailer()?);
    Ok(handlers)
}

/// Runs a worker-only process (`woolly worker`) until SIGINT or SIGTERM.
pub async fn run_worker(settings: &Settings) -> Result<(), StartupError> {
    let options = settings.worker_options()?;
    let woolly = open_instance(settings, "worker").await?;
    let federation = woolly_federation::connect(&woolly)?;
    let stop = CancellationToken::new();
    stop_on_signals(stop.clone()).map_err(StartupError::Signals)?;
    let renewal_task = tokio::spawn(renew_id_lease(woolly.clone(), stop.clone()));
    Worker::new(
        woolly.clone(),
        job_handlers(settings, &federation)?,
        options,
    )
    .run(stop)
    .await;
    renewal_task.abort();
    woolly.close().await;
    Ok(())
}

async fn renew_id_lease(woolly: Woolly, stop: CancellationToken) {
    loop {
        tokio::select! {
            () = stop.cancelled() => return,
            () = tokio::time::sleep(ID_LEASE_RENEWAL) => {}
        }
        if let Err(error) = woolly.renew_id_lease().await {
            tracing::error!(%error, "could not renew the id-generator lease");
        }
    }
}

/// Cancels `stop` on SIGINT or SIGTERM. The handlers are installed before this returns, so a
/// signal sent as soon as the process announces itself is never lost to the default action.
fn stop_on_signals(stop: CancellationToken) -> std::io::Result<()> {
    use tokio::signal::unix::{SignalKind, signal};
    let mut interrupt = signal(SignalKind::interrupt())?;
    let mut terminate = signal(SignalKind::terminate())?;
    tokio::spawn(async move {
        tokio::select! {
            _ = interrupt.recv() => tracing::info!("SIGINT received: stopping"),
            _ = terminate.recv() => tracing::info!("SIGTERM received: stopping"),
            () = stop.cancelled() => return,
        }
        stop.cancel();
    });
    Ok(())
}
