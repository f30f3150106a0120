//! How the logs are written: the line format, and the level, which also answers to `RUST_LOG`.

use clap::ValueEnum;
use serde::Deserialize;

use super::layers::{pick, pick_optional, EnvReader};
use super::{Source, Sourced};

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

/// `log_level` takes `RUST_LOG`, the usual variable of Rust programs, when `GUANJIA_LOG_LEVEL`
/// is unset: operators who know one should not be surprised by the other.
pub(super) fn log_level(
    env: EnvReader<'_>,
    flag: Option<String>,
    file: Option<String>,
) -> anyhow::Result<Sourced<String>> {
    if let Some(found) = pick_optional(env, "log_level", flag, None)? {
        return Ok(found);
    }
    if let Some(value) = env("RUST_LOG").filter(|v| !v.trim().is_empty()) {
        return Ok(Sourced {
            value,
            source: Source::Env("RUST_LOG".to_owned()),
        });
    }
    pick(env, "log_level", None, file, "info".to_owned())
}
