//! What the settings mean for the other layers: the store's options, the api's
//! configuration, the working-day calendar (built-in years plus the calendar file) and the
//! KPI configuration. Each is derived here, once, so `serve`, `export` and `replay` agree.

use std::time::Duration;

use anyhow::Context;
use guanjia_api::AppConfig;
use guanjia_domain::calendar::WorkCalendar;
use guanjia_domain::values::RatingLevel;
use guanjia_read::KpiConfig;
use guanjia_store::{Backend, StoreOptions};

use super::Settings;

impl Settings {
    /// The store backend the database URL names.
    pub fn backend(&self) -> Backend {
        Backend::from_url(&self.database_url.value).unwrap_or(Backend::Sqlite)
    }

    /// Whether `serve` loads the demo into an empty database.
    pub fn loads_demo(&self) -> bool {
        self.load_demo
            .as_ref()
            .map_or(self.backend() == Backend::Sqlite, |choice| choice.value)
    }

    /// The store's tuning.
    pub fn store_options(&self) -> StoreOptions {
        StoreOptions {
            max_connections: self.max_connections.value,
            poll_interval: Duration::from_millis(self.poll_interval_ms.value),
            ..StoreOptions::default()
        }
    }

    /// The api layer's configuration, with the calendar file read.
    pub fn app_config(&self) -> anyhow::Result<AppConfig> {
        let mut config = AppConfig::new(self.database_url.value.clone());
        config.listen = self.listen.value;
        config.store = self.store_options();
        config.limits.request_timeout = Duration::from_secs(self.request_timeout_secs.value);
        config.limits.max_body_bytes = self.max_body_bytes.value;
        config.limits.max_depth = self.max_query_depth.value;
        config.limits.max_complexity = self.max_query_complexity.value;
        config.auth.token_ttl = Duration::from_secs(self.token_ttl_hours.value * 3600);
        config.auth.admin_division = self.admin_division.value.clone();
        config.auth.token_secret = self.token_secret.as_ref().map(|s| s.value.clone());
        config.auth.admin_password = self.admin_password.as_ref().map(|s| s.value.clone());
        config.shutdown_grace = Duration::from_secs(self.shutdown_grace_secs.value);
        config.calendar = self.calendar()?;
        config.kpi = self.kpi_config()?;
        Ok(config)
    }

    /// The working-day calendar: the built-in years, extended by `calendar_file` when set.
    pub fn calendar(&self) -> anyhow::Result<WorkCalendar> {
        let mut calendar = WorkCalendar::china();
        if let Some(path) = &self.calendar_file {
            let path = &path.value;
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("cannot read the calendar file {}", path.display()))?;
            calendar
                .extend_from_toml(&text)
                .with_context(|| format!("the calendar file {} is not valid", path.display()))?;
        }
        Ok(calendar)
    }

    /// The configurable parts of the KPIs.
    pub fn kpi_config(&self) -> anyhow::Result<KpiConfig> {
        let good_levels = self
            .good_rating_levels
            .value
            .iter()
            .map(|level| RatingLevel::new(*level))
            .collect::<Result<_, _>>()
            .context("good_rating_levels must be levels from 1 to 5")?;
        Ok(KpiConfig {
            good_levels,
            warning_percent: self.warning_percent.value,
            call_back_days: self.call_back_days.value,
            rectification_days: self.rectification_days.value,
        })
    }
}
