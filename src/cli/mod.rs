//! The command line: the commands and the options every command shares.
//!
//! Settings flags are plain options without defaults; `settings` fills in the environment, the
//! file and the defaults, so one place decides precedence and `guanjia config` can say where
//! each value came from. The arguments of each command are in `args.rs`.

mod args;

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};
use serde::Deserialize;

pub use args::{
    BackupArgs, CatalogAction, DemoArgs, ExportArgs, ExportFormat, QuarantineArgs, RestoreArgs,
    ServeArgs, UserAction, VerifyArgs,
};

const AFTER_HELP: &str = "\
Configuration, highest precedence first: flags, environment variables (GUANJIA_<KEY>), the TOML
file given by --config or GUANJIA_CONFIG, defaults. `guanjia config` prints the effective
configuration and where each value came from; docs/operations.md describes every key.

Secrets are read from the environment or the file, never from flags (flags show in `ps`):
  GUANJIA_TOKEN_SECRET    key that signs sign-in tokens (at least 32 characters). Required with
                          PostgreSQL; with SQLite a random key is kept in <database file>.token-key
  GUANJIA_ADMIN_PASSWORD  password of the first admin, created on the first start of an empty
                          database; when unset one is generated and printed once
  GUANJIA_DEMO_PASSWORD   password of the demo accounts; when unset one is generated and printed
                          once

Exit status: 0 success, 1 failure, 2 usage error, 3 `verify` found the log altered.";

/// Guanjia (项目管家): case tracking for steward teams, with a GraphQL API.
///
/// Start with `guanjia serve`: on an empty database it loads the Hengkou demo data, creates
/// the accounts, and prints where to go next.
#[derive(Debug, Parser)]
#[command(name = "guanjia", version, after_help = AFTER_HELP)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    #[command(subcommand)]
    pub command: Command,
}

/// Options every command takes.
#[derive(Debug, Default, Args)]
pub struct GlobalArgs {
    /// A TOML configuration file (env GUANJIA_CONFIG). Unknown keys are an error.
    #[arg(long, global = true, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// The event store: sqlite://FILE (created when missing) or postgres://USER@HOST/DB
    /// (env GUANJIA_DATABASE_URL; default sqlite://./guanjia.db).
    #[arg(long, global = true, value_name = "URL")]
    pub database_url: Option<String>,
    /// Log lines on stderr as text or JSON (env GUANJIA_LOG_FORMAT; default text).
    #[arg(long, global = true, value_enum)]
    pub log_format: Option<LogFormat>,
    /// Which log lines to write, e.g. `info` or `info,guanjia_store=debug`
    /// (env GUANJIA_LOG_LEVEL or RUST_LOG; default info).
    #[arg(long, global = true, value_name = "FILTER")]
    pub log_level: Option<String>,
    /// A TOML file of holiday arrangements that extends the built-in working-day calendar
    /// (format: crates/domain/data/calendar-example.toml; env GUANJIA_CALENDAR_FILE).
    #[arg(long, global = true, value_name = "FILE")]
    pub calendar_file: Option<PathBuf>,
}

/// What to do.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the server: GraphQL at /graphql (a query console on GET), subscriptions at
    /// /graphql/ws, health at /healthz and /readyz, Prometheus metrics at /metrics.
    ///
    /// Migrates the database first. On an empty database it creates the user `admin` and, on
    /// SQLite unless --no-demo, loads the demo data with one account per demo steward, leader
    /// and auditor; the passwords are printed once. Stops gracefully on Ctrl-C or SIGTERM.
    Serve(ServeArgs),
    /// Bring the database schema up to date and exit (`serve` does this too). Refuses a
    /// database that a newer guanjia has migrated.
    Migrate,
    /// Print the GraphQL schema (SDL) to stdout; the repository's schema.graphql is this output.
    Schema,
    /// Load the demo data set (Hengkou 2023 as reported, 2024–2025 from a seed) into an empty
    /// database, with the admin and the demo accounts.
    Demo(DemoArgs),
    /// Manage user accounts directly in the store (the server picks changes up by itself).
    User {
        #[command(subcommand)]
        action: UserAction,
    },
    /// Manage the service catalog (事项清单).
    Catalog {
        #[command(subcommand)]
        action: CatalogAction,
    },
    /// Write the case list, service items, ratings and the dashboard as CSV and XLSX files,
    /// from a read model rebuilt from the log.
    Export(ExportArgs),
    /// Rebuild the read model from the whole log and report what it saw: events, cases, the
    /// time it took and the position reached. Changes nothing.
    Replay,
    /// Copy the live log consistently to a new file: a SQLite database (VACUUM INTO), or for
    /// PostgreSQL a portable copy that `restore` loads onto any cluster.
    Backup(BackupArgs),
    /// Put a backup in place: into an empty PostgreSQL database, or as the SQLite file (which
    /// must not exist yet). The restored log is verified before the command succeeds.
    Restore(RestoreArgs),
    /// Print the effective configuration and where each value came from; secrets show only as
    /// <set> or <unset>. Takes the same options as `serve`.
    Config(ServeArgs),
    /// Check the log: link new events into the hash chain, recompute every link and check the
    /// chain anchors, naming the first event that was altered, deleted or inserted (exit
    /// status 3); then name every event that cannot be read (exit status 4).
    Verify(VerifyArgs),
    /// Put an event that cannot be read aside, on the record (an event in the log with who and
    /// why), so that readers on every node pass it. Refuses an event that reads fine.
    Quarantine(QuarantineArgs),
}

/// How log lines are written to stderr.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    /// One human-readable line per event.
    Text,
    /// One JSON object per line, with the request span's fields (for log collectors).
    Json,
}

impl std::str::FromStr for LogFormat {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        <Self as ValueEnum>::from_str(text, true).map_err(|_| "expected text or json".to_owned())
    }
}
