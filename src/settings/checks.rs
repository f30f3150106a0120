//! The rules between settings that their types alone do not hold, checked once after every
//! layer is resolved, so that a bad value fails at start with the setting's name.

use anyhow::{anyhow, bail, Context};
use guanjia_store::Backend;

use super::Settings;

impl Settings {
    /// Rules between values that the types alone do not hold.
    pub(super) fn check(&self) -> anyhow::Result<()> {
        Backend::from_url(&self.database_url.value).context("database_url")?;
        if self.request_timeout_secs.value == 0 || self.token_ttl_hours.value == 0 {
            bail!("request_timeout_secs and token_ttl_hours must be at least 1");
        }
        if !(1..=100).contains(&self.warning_percent.value) {
            bail!("warning_percent must be between 1 and 100");
        }
        if self.max_connections.value == 0 || self.poll_interval_ms.value == 0 {
            bail!("max_connections and poll_interval_ms must be at least 1");
        }
        if self.max_subscriptions.value == 0 {
            bail!("max_subscriptions must be at least 1");
        }
        if let Some(url) = &self.public_base_url {
            guanjia_api::rating_link::checked_base_url(&url.value)
                .map_err(|why| anyhow!("{why} (from {})", url.source))?;
        }
        if let Some(header) = &self.client_ip_header {
            guanjia_api::throttle::header_name(&header.value)
                .map_err(|why| anyhow!("{why} (from {})", header.source))?;
        }
        if self.chain_anchor_secs.value == 0 {
            bail!("chain_anchor_secs must be at least 1");
        }
        if let Some(url) = &self.chain_anchor_url {
            Backend::from_url(url.value.expose()).context("chain_anchor_url")?;
        }
        self.kpi_config()?;
        self.check_snapshot_file()?;
        Ok(())
    }
}
