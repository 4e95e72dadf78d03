//! The `woolly` binary's library half: settings, wiring and the command implementations, kept
//! out of `main.rs` so that tests can build and run a real instance in-process.

pub mod admin;
pub mod app;
pub mod cli;
mod http;
mod instance_move;
pub mod logging;
mod metrics;
pub mod settings;

pub use app::{App, StartupError};
pub use settings::Settings;
