//! The level of the logs, which also answers to `RUST_LOG`; their line format is
//! [`LogFormat`](crate::cli::LogFormat), a value of the command line as of the file.

use super::layers::{pick, pick_optional, EnvReader};
use super::{Source, Sourced};

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
