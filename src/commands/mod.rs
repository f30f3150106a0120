//! One module per command; [`run`] dispatches. Each command opens the store it needs and closes
//! it before returning, so a SQLite file is never left locked by a finished command.
//!
//! - `serve.rs`: `serve` (first start included) and `demo`; `accounts.rs`: the admin and demo
//!   accounts of a fresh system.
//! - `users.rs`, `catalog/`: the store's users and catalog, through their aggregates.
//! - `replay.rs`, `export/`: the read model rebuilt from the log, reported or exported.
//! - `backup.rs`, `restore.rs`, `verify.rs`, `quarantine.rs`: the operator's and auditor's
//!   safeguards.
//! - `support.rs`: what several commands share.

mod accounts;
mod backup;
mod catalog;
mod export;
mod quarantine;
mod replay;
mod restore;
mod serve;
mod support;
mod users;
mod verify;

pub use verify::{ChainBroken, UnreadableRows};

use crate::cli::Command;
use crate::settings::Settings;

/// Runs one command with the resolved settings.
pub async fn run(command: Command, settings: &Settings) -> anyhow::Result<()> {
    match command {
        Command::Serve(_) => serve::serve(settings).await,
        Command::Migrate => migrate(settings).await,
        Command::Schema => {
            print!("{}", guanjia_api::graphql::sdl());
            Ok(())
        }
        Command::Demo(args) => serve::demo(settings, &args).await,
        Command::User { action } => users::run(settings, action).await,
        Command::Catalog { action } => catalog::run(settings, action).await,
        Command::Export(args) => export::run(settings, &args).await,
        Command::Replay => replay::run(settings).await,
        Command::Backup(args) => backup::run(settings, &args).await,
        Command::Restore(args) => restore::run(settings, &args).await,
        Command::Config(_) => {
            print!("{}", settings.listing());
            Ok(())
        }
        Command::Verify(args) => verify::run(settings, &args).await,
        Command::Quarantine(args) => quarantine::run(settings, &args).await,
    }
}

async fn migrate(settings: &Settings) -> anyhow::Result<()> {
    let report = guanjia_store::migrate(&settings.database_url.value)
        .await
        .map_err(|error| {
            let detail = error
                .detail()
                .map(|d| format!(" ({d})"))
                .unwrap_or_default();
            anyhow::anyhow!("{error}{detail}")
        })?;
    if report.applied.is_empty() {
        println!(
            "The database schema is current (version {}).",
            report.version
        );
    } else {
        println!(
            "Applied migrations {:?}; the schema is at version {}.",
            report.applied, report.version
        );
    }
    Ok(())
}
