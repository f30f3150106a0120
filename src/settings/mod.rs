//! The effective configuration: flags > environment variables (`GUANJIA_*`) > the optional
//! TOML file (`--config FILE` or `GUANJIA_CONFIG`) > defaults.
//!
//! - `file.rs`: the file's keys; unknown keys are an error.
//! - `checks.rs`: the rules between values, checked once everything is resolved.
//! - `logging.rs`: the log format and level.
//! - `layers.rs`: how one value is picked from the layers, and where it came from.
//! - `show.rs`: the `config` command's listing, secrets shown only as `<set>`/`<unset>`;
//!   `redact.rs`: a password inside a URL shown as `<hidden>`.
//! - `derived.rs`: the store, api, calendar and KPI configuration derived from the settings,
//!   and the read-model snapshot's path.
//! - `tests/`: the whole resolution, layers to listing.
//!
//! Every command resolves the whole configuration, so a bad value anywhere fails early with
//! its name, whichever command runs.

mod checks;
mod derived;
mod file;
mod layers;
mod logging;
mod redact;
mod show;
#[cfg(test)]
mod tests;

use std::net::SocketAddr;
use std::path::PathBuf;

use guanjia_api::config::DEFAULT_ADMIN_DIVISION;
use guanjia_api::Secret;
use guanjia_domain::calendar::{
    DEFAULT_CALLBACK_DAYS, DEFAULT_RECTIFICATION_DAYS, DEFAULT_WARNING_PERCENT,
};
use guanjia_read::follower::SNAPSHOT_EVERY;

pub use crate::cli::LogFormat;
pub use file::FileConfig;
use layers::{pick, pick_optional, pick_secret, Flag, Levels};
pub use layers::{EnvReader, Source, Sourced};
use logging::log_level;

use crate::cli::{GlobalArgs, ServeArgs};

/// The database used when none is configured: one SQLite file in the working directory.
pub const DEFAULT_DATABASE_URL: &str = "sqlite://./guanjia.db";

/// Every setting, resolved, with its source.
#[derive(Debug, Clone)]
pub struct Settings {
    /// The configuration file read, if any.
    pub config_file: Option<PathBuf>,
    pub database_url: Sourced<String>,
    pub listen: Sourced<SocketAddr>,
    pub log_format: Sourced<LogFormat>,
    pub log_level: Sourced<String>,
    pub calendar_file: Option<Sourced<PathBuf>>,
    /// `None`: automatic (load the demo into an empty SQLite database, never into PostgreSQL).
    pub load_demo: Option<Sourced<bool>>,
    pub request_timeout_secs: Sourced<u64>,
    pub max_body_bytes: Sourced<usize>,
    pub max_query_depth: Sourced<usize>,
    pub max_query_complexity: Sourced<usize>,
    pub token_ttl_hours: Sourced<u64>,
    pub admin_division: Sourced<String>,
    /// Where phones reach this server, for rating links and their QR codes; `None`:
    /// `http://<listen address>`.
    pub public_base_url: Option<Sourced<String>>,
    /// The header in which a trusted reverse proxy passes the client's address, for the rate
    /// limits; `None`: the TCP peer.
    pub client_ip_header: Option<Sourced<String>>,
    pub max_subscriptions: Sourced<usize>,
    pub shutdown_grace_secs: Sourced<u64>,
    pub max_connections: Sourced<u32>,
    pub poll_interval_ms: Sourced<u64>,
    /// The read-model snapshot's path as a layer set it; `None`: beside a SQLite database, none
    /// on PostgreSQL. [`Settings::snapshot_file`] gives the path in effect.
    pub snapshot_file: Option<Sourced<PathBuf>>,
    /// Events applied between two read-model snapshots. 0 turns snapshots off entirely: no
    /// image is read or written, whatever `snapshot_file` says.
    pub snapshot_every: Sourced<u64>,
    /// Where chain anchors are appended: a path, or `off`; `None`: the default
    /// ([`Settings::anchor_file_sourced`]).
    pub chain_anchor_file: Option<Sourced<PathBuf>>,
    /// A second database that receives chain anchors too (its URL may hold a password).
    pub chain_anchor_url: Option<Sourced<Secret>>,
    /// Seconds between two anchors (an anchor is written only when the chain has grown).
    pub chain_anchor_secs: Sourced<u64>,
    pub warning_percent: Sourced<u32>,
    pub call_back_days: Sourced<u32>,
    pub rectification_days: Sourced<u32>,
    /// Working days after which a step is a late entry (补录) and needs a reason.
    pub late_entry_days: Sourced<u32>,
    /// Whether a 办不成事 complaint is resolved only with a leader's sign-off.
    pub complaint_sign_off: Sourced<bool>,
    pub good_rating_levels: Sourced<Vec<u8>>,
    pub token_secret: Option<Sourced<Secret>>,
    pub admin_password: Option<Sourced<Secret>>,
    pub demo_password: Option<Sourced<Secret>>,
}

impl Settings {
    /// Resolves the configuration from the flags, the environment (`env`) and the file.
    pub fn resolve(
        global: &GlobalArgs,
        serve: &ServeArgs,
        env: EnvReader<'_>,
    ) -> anyhow::Result<Self> {
        let config_file = match &global.config {
            Some(path) => Some(path.clone()),
            None => env("GUANJIA_CONFIG")
                .filter(|v| !v.trim().is_empty())
                .map(PathBuf::from),
        };
        let file = match &config_file {
            Some(path) => FileConfig::load(path)?,
            None => FileConfig::default(),
        };
        let load_demo = serve.demo_choice().map(Flag);
        let settings = Self {
            database_url: pick(
                env,
                "database_url",
                global.database_url.clone(),
                file.database_url,
                DEFAULT_DATABASE_URL.to_owned(),
            )?,
            listen: pick(
                env,
                "listen",
                serve.listen,
                file.listen,
                SocketAddr::from(([127, 0, 0, 1], 8080)),
            )?,
            log_format: pick(
                env,
                "log_format",
                global.log_format,
                file.log_format,
                LogFormat::Text,
            )?,
            log_level: log_level(env, global.log_level.clone(), file.log_level)?,
            calendar_file: pick_optional(
                env,
                "calendar_file",
                global.calendar_file.clone(),
                file.calendar_file,
            )?,
            load_demo: pick_optional(env, "load_demo", load_demo, file.load_demo.map(Flag))?.map(
                |s| Sourced {
                    value: s.value.0,
                    source: s.source,
                },
            ),
            request_timeout_secs: pick(
                env,
                "request_timeout_secs",
                serve.request_timeout_secs,
                file.request_timeout_secs,
                30,
            )?,
            max_body_bytes: pick(
                env,
                "max_body_bytes",
                serve.max_body_bytes,
                file.max_body_bytes,
                1024 * 1024,
            )?,
            max_query_depth: pick(
                env,
                "max_query_depth",
                serve.max_query_depth,
                file.max_query_depth,
                12,
            )?,
            max_query_complexity: pick(
                env,
                "max_query_complexity",
                serve.max_query_complexity,
                file.max_query_complexity,
                500,
            )?,
            token_ttl_hours: pick(
                env,
                "token_ttl_hours",
                serve.token_ttl_hours,
                file.token_ttl_hours,
                12,
            )?,
            admin_division: pick(
                env,
                "admin_division",
                serve.admin_division.clone(),
                file.admin_division,
                DEFAULT_ADMIN_DIVISION.to_owned(),
            )?,
            public_base_url: pick_optional(
                env,
                "public_base_url",
                serve.public_base_url.clone(),
                file.public_base_url,
            )?,
            client_ip_header: pick_optional(
                env,
                "client_ip_header",
                serve.client_ip_header.clone(),
                file.client_ip_header,
            )?,
            max_subscriptions: pick(env, "max_subscriptions", None, file.max_subscriptions, 50)?,
            shutdown_grace_secs: pick(
                env,
                "shutdown_grace_secs",
                None,
                file.shutdown_grace_secs,
                30,
            )?,
            max_connections: pick(env, "max_connections", None, file.max_connections, 10)?,
            poll_interval_ms: pick(env, "poll_interval_ms", None, file.poll_interval_ms, 1000)?,
            snapshot_file: pick_optional(env, "snapshot_file", None, file.snapshot_file)?,
            snapshot_every: pick(
                env,
                "snapshot_every",
                None,
                file.snapshot_every,
                SNAPSHOT_EVERY,
            )?,
            chain_anchor_file: pick_optional(
                env,
                "chain_anchor_file",
                None,
                file.chain_anchor_file,
            )?,
            chain_anchor_url: pick_secret(env, "chain_anchor_url", file.chain_anchor_url),
            chain_anchor_secs: pick(env, "chain_anchor_secs", None, file.chain_anchor_secs, 10)?,
            warning_percent: pick(
                env,
                "warning_percent",
                None,
                file.warning_percent,
                DEFAULT_WARNING_PERCENT,
            )?,
            call_back_days: pick(
                env,
                "call_back_days",
                None,
                file.call_back_days,
                DEFAULT_CALLBACK_DAYS,
            )?,
            rectification_days: pick(
                env,
                "rectification_days",
                None,
                file.rectification_days,
                DEFAULT_RECTIFICATION_DAYS,
            )?,
            late_entry_days: pick(
                env,
                "late_entry_days",
                None,
                file.late_entry_days,
                guanjia_domain::case::late::DEFAULT_LATE_ENTRY_DAYS,
            )?,
            complaint_sign_off: pick(
                env,
                "complaint_sign_off",
                None,
                file.complaint_sign_off.map(Flag),
                Flag(true),
            )
            .map(|s| Sourced {
                value: s.value.0,
                source: s.source,
            })?,
            good_rating_levels: pick(
                env,
                "good_rating_levels",
                None,
                file.good_rating_levels.map(Levels),
                Levels(vec![4, 5]),
            )?
            .map_levels(),
            token_secret: pick_secret(env, "token_secret", file.token_secret),
            admin_password: pick_secret(env, "admin_password", file.admin_password),
            demo_password: pick_secret(env, "demo_password", file.demo_password),
            config_file,
        };
        settings.check()?;
        Ok(settings)
    }
}

impl Sourced<Levels> {
    fn map_levels(self) -> Sourced<Vec<u8>> {
        Sourced {
            value: self.value.0,
            source: self.source,
        }
    }
}
