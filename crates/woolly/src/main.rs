//! `woolly`: parse the command line, read the settings, run the command.

use std::process::ExitCode;

use clap::Parser;
use woolly::cli::{Cli, Command};
use woolly::{App, Settings, admin, app, logging};

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    let settings = match Settings::load(&cli.settings) {
        Ok(settings) => settings,
        Err(error) => return fail(&error),
    };
    logging::init(settings.log_format);
    let outcome = match cli.command {
        Command::Serve => serve(settings).await,
        Command::Worker => app::run_worker(&settings).await.map_err(Into::into),
        Command::Migrate => migrate(&settings).await,
        Command::Admin { command } => admin::run_on(&settings, command).await,
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => fail(&format!("{error:#}")),
    }
}

/// Prints a line for the operator. A closed standard output (a supervisor that stopped reading)
/// must not take the server down, so write errors are ignored, unlike `println!`'s panic.
fn announce(line: &str) {
    use std::io::Write as _;
    let mut stdout = std::io::stdout().lock();
    let _ = writeln!(stdout, "{line}").and_then(|()| stdout.flush());
}

fn fail(error: &dyn std::fmt::Display) -> ExitCode {
    eprintln!("woolly: {error}");
    ExitCode::FAILURE
}

async fn serve(settings: Settings) -> anyhow::Result<()> {
    let app = App::build(settings).await?;
    let address = app.local_addr();
    let domain = app.woolly().config().domain.clone();
    announce(&format!(
        "Woolly is listening on http://{address} as {domain}"
    ));
    if let Some(metrics) = app.metrics_addr() {
        announce(&format!("Metrics are served on http://{metrics}/metrics"));
    }
    if !app.woolly().accounts().has_owner().await? {
        announce(
            "No owner account yet. Create one with:\n  woolly admin account create USERNAME --email EMAIL --role owner",
        );
    }
    app.run_until_stopped().await?;
    Ok(())
}

async fn migrate(settings: &Settings) -> anyhow::Result<()> {
    let woolly = app::open_instance(settings, "migrate").await?;
    woolly.close().await;
    println!("The database is up to date.");
    Ok(())
}
