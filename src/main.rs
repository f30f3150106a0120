//! The `guanjia` binary: the command line over the store, the read model and the API.
//!
//! - `cli/`: the commands and their flags (clap).
//! - `settings/`: the effective configuration — flags > `GUANJIA_*` environment > TOML file >
//!   defaults — and its listing with secrets hidden.
//! - `telemetry/`: logs (text or JSON) and the binary's metrics.
//! - `commands/`: one module per command.
//!
//! stdout carries what the user asked for (addresses, passwords shown once, reports, the
//! schema); logs go to stderr.

mod cli;
mod commands;
mod settings;
mod telemetry;

use std::process::ExitCode;

use clap::Parser;

use cli::{Cli, Command, ServeArgs};
use settings::Settings;

/// mimalloc rather than the system allocator: building the read model at start-up is mostly
/// small, short-lived allocations, and with glibc's allocator a third of the replay went into
/// `malloc`/`free` (docs/benchmarks.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    let no_serve_flags = ServeArgs::default();
    let serve_flags = match &cli.command {
        Command::Serve(flags) | Command::Config(flags) => flags,
        _ => &no_serve_flags,
    };
    let env = |name: &str| std::env::var(name).ok();
    let settings = match Settings::resolve(&cli.global, serve_flags, &env) {
        Ok(settings) => settings,
        Err(error) => return fail(&error),
    };
    if let Err(error) = telemetry::init(&settings) {
        return fail(&error);
    }
    match commands::run(cli.command, &settings).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => fail(&error),
    }
}

/// Prints the error with its causes; exit status 3 when `verify` found the log altered, 4 when
/// it found rows that cannot be read.
fn fail(error: &anyhow::Error) -> ExitCode {
    eprintln!("error: {error:#}");
    if error.downcast_ref::<commands::ChainBroken>().is_some() {
        ExitCode::from(3)
    } else if error.downcast_ref::<commands::UnreadableRows>().is_some() {
        ExitCode::from(4)
    } else {
        ExitCode::FAILURE
    }
}
