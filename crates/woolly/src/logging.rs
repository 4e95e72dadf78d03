//! Logs: `tracing` to standard error, as text or JSON lines. `RUST_LOG` refines the filter.

use std::io::IsTerminal as _;

use tracing_subscriber::EnvFilter;

use crate::settings::LogFormat;

const DEFAULT_FILTER: &str = "info,sqlx=warn,tower_http=warn";

/// Installs the global subscriber. Called once, by `main`.
pub fn init(format: LogFormat) {
    let filter =
        EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(DEFAULT_FILTER));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(std::io::stderr().is_terminal())
        .with_writer(std::io::stderr);
    let installed = match format {
        LogFormat::Text => builder.try_init(),
        LogFormat::Json => builder
            .json()
            .flatten_event(true)
            .with_current_span(true)
            .with_span_list(false)
            .try_init(),
    };
    if let Err(error) = installed {
        eprintln!("woolly: logging was already set up: {error}");
    }
}
