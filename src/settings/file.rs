//! The optional TOML configuration file: the lowest layer above the defaults.
//!
//! Every key is optional and typed here, so a wrong type is reported with its line by the
//! parser. Unknown keys are an error naming the key (`deny_unknown_fields`): a misspelt
//! `databse_url` silently ignored would run the service against the wrong database.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use anyhow::Context;
use serde::Deserialize;

use super::LogFormat;

/// The keys of the file; docs/operations.md describes each.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileConfig {
    pub database_url: Option<String>,
    pub listen: Option<SocketAddr>,
    pub log_format: Option<LogFormat>,
    pub log_level: Option<String>,
    pub calendar_file: Option<PathBuf>,
    pub load_demo: Option<bool>,
    pub request_timeout_secs: Option<u64>,
    pub max_body_bytes: Option<usize>,
    pub max_query_depth: Option<usize>,
    pub max_query_complexity: Option<usize>,
    pub token_ttl_hours: Option<u64>,
    pub admin_division: Option<String>,
    pub public_base_url: Option<String>,
    pub client_ip_header: Option<String>,
    pub max_subscriptions: Option<usize>,
    pub shutdown_grace_secs: Option<u64>,
    pub max_connections: Option<u32>,
    pub poll_interval_ms: Option<u64>,
    pub snapshot_file: Option<PathBuf>,
    pub snapshot_every: Option<u64>,
    pub chain_anchor_file: Option<PathBuf>,
    pub chain_anchor_url: Option<String>,
    pub chain_anchor_secs: Option<u64>,
    pub warning_percent: Option<u32>,
    pub call_back_days: Option<u32>,
    pub rectification_days: Option<u32>,
    pub late_entry_days: Option<u32>,
    pub complaint_sign_off: Option<bool>,
    pub good_rating_levels: Option<Vec<u8>>,
    pub token_secret: Option<String>,
    pub admin_password: Option<String>,
    pub demo_password: Option<String>,
}

impl FileConfig {
    /// Reads and checks the file at `path`.
    pub fn load(path: &Path) -> anyhow::Result<Self> {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("cannot read the configuration file {}", path.display()))?;
        Self::parse(&text)
            .with_context(|| format!("the configuration file {} is not valid", path.display()))
    }

    /// Parses the text of a configuration file. The error names the line and, for an unknown
    /// key, the key and the keys that exist.
    pub fn parse(text: &str) -> anyhow::Result<Self> {
        toml::from_str(text).map_err(|error| {
            let line = error
                .span()
                .and_then(|span| text.get(..span.start))
                .map_or(1, |before| before.matches('\n').count() + 1);
            anyhow::anyhow!("line {line}: {}", error.message().trim())
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_keys_parse_with_their_types() -> anyhow::Result<()> {
        let file = FileConfig::parse(
            "database_url = \"sqlite://x.db\"\nlisten = \"0.0.0.0:9000\"\nlog_format = \"json\"\n\
             good_rating_levels = [4, 5]\nload_demo = false\n",
        )?;
        assert_eq!(file.database_url.as_deref(), Some("sqlite://x.db"));
        assert_eq!(file.listen, Some(SocketAddr::from(([0, 0, 0, 0], 9000))));
        assert_eq!(file.log_format, Some(LogFormat::Json));
        assert_eq!(file.good_rating_levels, Some(vec![4, 5]));
        assert_eq!(file.load_demo, Some(false));
        Ok(())
    }

    #[test]
    fn an_unknown_key_is_named_with_its_line() {
        let error = FileConfig::parse("listen = \"127.0.0.1:1\"\ndatabse_url = \"x\"\n")
            .map(|_| ())
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(error.contains("line 2"), "{error}");
        assert!(error.contains("databse_url"), "{error}");
    }

    #[test]
    fn a_wrong_type_is_refused() {
        assert!(FileConfig::parse("max_body_bytes = \"big\"\n").is_err());
    }

    #[test]
    fn a_wrong_type_is_named_with_its_line() {
        for text in [
            "listen = \"127.0.0.1:1\"\nsnapshot_every = \"often\"\n",
            "listen = \"127.0.0.1:1\"\nsnapshot_file = 7\n",
        ] {
            let error = FileConfig::parse(text)
                .map(|_| ())
                .err()
                .map(|e| e.to_string())
                .unwrap_or_default();
            assert!(error.contains("line 2"), "{text}: {error}");
            assert!(error.contains("invalid type"), "{text}: {error}");
        }
    }
}
