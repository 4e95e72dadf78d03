//! `woolly-bench`: parse the command line, run the benchmark, print its report, and exit
//! non-zero when anything failed, including a single failed request.

mod admin;
mod benchmark;
mod cache;
mod cli;
mod content;
mod dataset;
mod engine;
mod fanout;
mod http_client;
mod load;
mod measure;
mod process_stats;
mod report;
mod seed;
mod server;

use std::process::ExitCode;

use clap::Parser as _;

fn main() -> ExitCode {
    let settings = match cli::Cli::parse().settings() {
        Ok(settings) => settings,
        Err(error) => return fail(&error),
    };
    // The load generator shares the machine with the server it measures: its threads are
    // counted, not one per core.
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(settings.client_threads)
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => return fail(&error.into()),
    };
    let json_path = settings.json.clone();
    let report = match runtime.block_on(benchmark::run(settings)) {
        Ok(report) => report,
        Err(error) => return fail(&error),
    };
    print!("{}", report.to_table());
    if let Some(path) = json_path
        && let Err(error) = report.write_json(&path)
    {
        return fail(&error);
    }
    let errors = report.errors();
    if errors > 0 {
        eprintln!("woolly-bench: {errors} requests failed; the figures are not valid");
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}

fn fail(error: &anyhow::Error) -> ExitCode {
    eprintln!("woolly-bench: {error:#}");
    ExitCode::FAILURE
}
