//! The arguments of each command. Doc comments are the `--help` text.

use std::net::SocketAddr;
use std::path::PathBuf;

use chrono::NaiveDate;
use clap::{Args, Subcommand, ValueEnum};
use guanjia_domain::user::Role;

/// The options of `serve` (and of `config`, which shows their effect). Each also has an
/// environment variable and a file key: `--max-body-bytes` is `GUANJIA_MAX_BODY_BYTES` and
/// `max_body_bytes`.
#[derive(Debug, Default, Args)]
pub struct ServeArgs {
    /// Address and port to listen on; port 0 picks a free port (default 127.0.0.1:8080).
    #[arg(long, value_name = "ADDR:PORT")]
    pub listen: Option<SocketAddr>,
    /// Load the demo data into an empty database (default: yes on SQLite, no on PostgreSQL).
    #[arg(long, conflicts_with = "no_demo")]
    pub demo: bool,
    /// Do not load the demo data into an empty database (env GUANJIA_LOAD_DEMO=false).
    #[arg(long)]
    pub no_demo: bool,
    /// Longest a GraphQL request may run before it is answered with REQUEST_TIMEOUT (default 30).
    #[arg(long, value_name = "SECONDS")]
    pub request_timeout_secs: Option<u64>,
    /// Largest request body in bytes; larger is HTTP 413 (default 1048576).
    #[arg(long, value_name = "BYTES")]
    pub max_body_bytes: Option<usize>,
    /// Deepest nesting a query may have (default 12).
    #[arg(long, value_name = "N")]
    pub max_query_depth: Option<usize>,
    /// Highest complexity a query may have (default 500).
    #[arg(long, value_name = "N")]
    pub max_query_complexity: Option<usize>,
    /// How long a sign-in token is valid, in hours (default 12).
    #[arg(long, value_name = "HOURS")]
    pub token_ttl_hours: Option<u64>,
    /// Division code of the first admin: 12 digits, district level (default 610902000000).
    #[arg(long, value_name = "CODE")]
    pub admin_division: Option<String>,
    /// Where phones reach this server, e.g. https://pj.example.gov.cn: rating links and their QR
    /// codes point there (default http://<listen address>).
    #[arg(long, value_name = "URL")]
    pub public_base_url: Option<String>,
    /// The header a trusted reverse proxy puts the client's address in, e.g. x-forwarded-for:
    /// the rate limits then key on the last address in it (default: the TCP peer; set it only
    /// behind a proxy that sets the header).
    #[arg(long, value_name = "HEADER")]
    pub client_ip_header: Option<String>,
}

impl ServeArgs {
    /// `Some(true)` for --demo, `Some(false)` for --no-demo, `None` when neither was given.
    pub fn demo_choice(&self) -> Option<bool> {
        match (self.demo, self.no_demo) {
            (true, _) => Some(true),
            (_, true) => Some(false),
            _ => None,
        }
    }
}

/// The options of `demo`.
#[derive(Debug, Args)]
pub struct DemoArgs {
    /// The date the demo treats as today: history before it, open work around it
    /// (default: today in Beijing).
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub today: Option<NaiveDate>,
    /// The seed of the generated years 2024–2025; the same seed gives the same data.
    #[arg(long, default_value_t = guanjia_demo::DEFAULT_SEED)]
    pub seed: u64,
}

/// `user` actions. New passwords are generated and printed once, or read from stdin with
/// --password-stdin; never given as a flag.
#[derive(Debug, Subcommand)]
pub enum UserAction {
    /// Create an account.
    Add {
        /// Login name: 3–32 of a-z, 0-9, '_', '.', '-'.
        username: String,
        /// steward, leader, auditor or admin.
        #[arg(long, value_parser = parse_role)]
        role: Role,
        /// The 12-digit division code that scopes what the user may see and do.
        #[arg(long, value_name = "CODE")]
        division: String,
        /// The name shown to others, e.g. 王磊.
        #[arg(long, value_name = "NAME")]
        name: String,
        /// Read the password from the first line of stdin instead of generating one.
        #[arg(long)]
        password_stdin: bool,
    },
    /// List every account with its role, division and status.
    List,
    /// Stop an account from signing in and revoke its tokens.
    Disable {
        username: String,
        /// Why, for the audit trail.
        #[arg(long)]
        reason: String,
    },
    /// Let a disabled account sign in again.
    Enable { username: String },
    /// Set a new password (generated unless --password-stdin) and revoke the account's tokens.
    ResetPassword {
        username: String,
        /// Read the password from the first line of stdin instead of generating one.
        #[arg(long)]
        password_stdin: bool,
    },
}

/// `catalog` actions.
#[derive(Debug, Subcommand)]
pub enum CatalogAction {
    /// Publish or revise catalog items and bundles from a CSV or JSON file.
    ///
    /// Every row is checked first — its fields, then against the catalog as it stands with the
    /// earlier rows applied — and nothing is written when any row is bad; the errors name the
    /// lines. Rows identical to the current version are skipped, so importing a file again
    /// changes nothing. Formats: docs/operations.md ("Catalog import").
    Import {
        /// A .csv or .json file.
        file: PathBuf,
        /// Only check the file; write nothing.
        #[arg(long)]
        dry_run: bool,
    },
    /// Write the live catalog (every item and bundle not retired, at its current version) to
    /// a CSV or JSON file, in the format `catalog import` reads: importing it into the same
    /// catalog changes nothing, into an empty one it publishes the same catalog.
    Export {
        /// A .csv or .json file (replaced if it exists).
        file: PathBuf,
    },
}

/// Which files `export` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportFormat {
    /// One UTF-8 CSV file per table (with a byte-order mark, so Excel reads Chinese correctly).
    Csv,
    /// One workbook, guanjia-export.xlsx, with a sheet per table.
    Xlsx,
    /// Both.
    Both,
}

/// The options of `export`.
#[derive(Debug, Args)]
pub struct ExportArgs {
    /// The directory to write into (created when missing).
    #[arg(long, value_name = "DIR", default_value = ".")]
    pub out: PathBuf,
    #[arg(long, value_enum, default_value = "both")]
    pub format: ExportFormat,
    /// The period's year (shorthand for --from YEAR-01-01 --to YEAR-12-31). A period limits
    /// every table to its cases, items and ratings, and is the dashboard's; without one,
    /// everything is exported and the dashboard covers this year up to today.
    #[arg(long, conflicts_with_all = ["from", "to"])]
    pub year: Option<i32>,
    /// First day of the period (default: 1 January of this year).
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub from: Option<NaiveDate>,
    /// Last day of the period (default: today).
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub to: Option<NaiveDate>,
    /// The date deadlines and "now" figures are computed for (default: today in Beijing).
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub today: Option<NaiveDate>,
    /// Include raters' and complainants' names and phone numbers (personal data; leave out
    /// unless the recipient needs them).
    #[arg(long)]
    pub with_personal_data: bool,
}

/// The options of `backup`.
#[derive(Debug, Args)]
pub struct BackupArgs {
    /// The new file; it must not exist yet.
    #[arg(long, value_name = "FILE")]
    pub to: PathBuf,
}

/// The options of `restore`.
#[derive(Debug, Args)]
pub struct RestoreArgs {
    /// The backup file written by `guanjia backup`.
    #[arg(long, value_name = "FILE")]
    pub from: PathBuf,
}

/// The options of `verify`.
#[derive(Debug, Args)]
pub struct VerifyArgs {
    /// Also prove that the log still extends this exported head
    /// ("guanjia-chain-head/1 POSITION EVENTS HASH").
    #[arg(long, value_name = "HEAD", conflicts_with = "export_head")]
    pub head: Option<String>,
    /// After a successful check, print only the head line, to print, sign or file elsewhere.
    #[arg(long)]
    pub export_head: bool,
}

/// `guanjia quarantine`.
#[derive(Debug, Args)]
pub struct QuarantineArgs {
    /// The log position of the unreadable event, as `/readyz`, the log or `guanjia verify`
    /// names it (e.g. 743-1021).
    pub position: String,
    /// Why it is put aside (what was found, where its content is kept): recorded in the log.
    #[arg(long)]
    pub reason: String,
}

fn parse_role(text: &str) -> Result<Role, String> {
    match text.to_ascii_lowercase().as_str() {
        "steward" => Ok(Role::Steward),
        "leader" => Ok(Role::Leader),
        "auditor" => Ok(Role::Auditor),
        "admin" => Ok(Role::Admin),
        "display" => Ok(Role::Display),
        _ => Err("expected steward, leader, auditor, admin or display".to_owned()),
    }
}
