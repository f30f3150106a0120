//! What the settings mean for the other layers: the store's options, the api's
//! configuration, the working-day calendar (built-in years plus the calendar file), the
//! KPI configuration and where the read-model snapshot is kept. Each is derived here, once, so
//! `serve`, `export`, `replay` and `config` agree.

use std::path::{Component, Path, PathBuf};
use std::str::FromStr;
use std::time::Duration;

use anyhow::{bail, Context};
use guanjia_api::AppConfig;
use guanjia_domain::calendar::WorkCalendar;
use guanjia_domain::values::RatingLevel;
use guanjia_read::{KpiConfig, SnapshotFile};
use guanjia_store::{AnchorBook, AnchorSink, Backend, StoreOptions};
use sqlx::sqlite::SqliteConnectOptions;

use super::{Settings, Source, Sourced};

/// What the default snapshot path adds to the SQLite database file's name.
const SNAPSHOT_SUFFIX: &str = ".read-model";

/// What the default anchor file adds to the SQLite database file's name.
const ANCHOR_SUFFIX: &str = ".chain-anchors";

/// The default anchor file with PostgreSQL, in the working directory.
const ANCHOR_FILE: &str = "guanjia.chain-anchors";

/// The `chain_anchor_file` value that turns the file off.
const OFF: &str = "off";

impl Settings {
    /// The store backend the database URL names.
    pub fn backend(&self) -> Backend {
        Backend::from_url(&self.database_url.value).unwrap_or(Backend::Sqlite)
    }

    /// The SQLite database file the URL names; `None` for PostgreSQL.
    pub fn sqlite_database_file(&self) -> Option<PathBuf> {
        sqlite_file(&self.database_url.value)
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
        config.public_base_url = self.public_base_url.as_ref().map(|s| s.value.clone());
        config.limits.rate.client_ip_header =
            self.client_ip_header.as_ref().map(|s| s.value.clone());
        config.limits.max_subscriptions = self.max_subscriptions.value;
        config.auth.token_secret = self.token_secret.as_ref().map(|s| s.value.clone());
        config.auth.admin_password = self.admin_password.as_ref().map(|s| s.value.clone());
        config.shutdown_grace = Duration::from_secs(self.shutdown_grace_secs.value);
        config.calendar = self.calendar()?;
        config.kpi = self.kpi_config()?;
        config.late_entry_days = self.late_entry_days.value;
        config.complaint_sign_off = self.complaint_sign_off.value;
        config.snapshot = self.snapshot_file().map(SnapshotFile::new);
        config.snapshot_every = self.snapshot_every.value;
        config.anchors = self.anchor_book();
        config.anchor_every = Duration::from_secs(self.chain_anchor_secs.value);
        Ok(config)
    }

    /// Where chain anchors go: the anchor file unless it is `off`, and the anchor database
    /// when one is set. Empty only when both are off.
    pub fn anchor_book(&self) -> AnchorBook {
        let mut sinks = Vec::new();
        if let Some(file) = self.anchor_file_sourced() {
            sinks.push(AnchorSink::File(file.value));
        }
        if let Some(url) = &self.chain_anchor_url {
            sinks.push(AnchorSink::Database(url.value.expose().to_owned()));
        }
        AnchorBook::new(sinks)
    }

    /// The anchor file in effect and where it came from: `chain_anchor_file` when a layer sets
    /// it (`None` for `off`); else beside a SQLite database (`<database file>.chain-anchors`)
    /// or, with PostgreSQL, `guanjia.chain-anchors` in the working directory.
    pub fn anchor_file_sourced(&self) -> Option<Sourced<PathBuf>> {
        if let Some(configured) = &self.chain_anchor_file {
            if configured.value.as_os_str() == OFF {
                return None;
            }
            return Some(configured.clone());
        }
        let value = match sqlite_file(&self.database_url.value) {
            Some(database) => {
                let mut name = database.into_os_string();
                name.push(ANCHOR_SUFFIX);
                PathBuf::from(name)
            }
            None => PathBuf::from(ANCHOR_FILE),
        };
        Some(Sourced {
            value,
            source: Source::Default,
        })
    }

    /// Where the read model's snapshot is kept, `None` for none (every start replays the whole
    /// log). See [`Self::snapshot_file_sourced`].
    pub fn snapshot_file(&self) -> Option<PathBuf> {
        self.snapshot_file_sourced().map(|found| found.value)
    }

    /// The snapshot path in effect and where it came from: `snapshot_file` when a layer sets
    /// it; else, on SQLite, `<database file>.read-model` ([`Source::Default`]), beside the data
    /// and unique per database. PostgreSQL has no default: several nodes may share a working
    /// directory, and each needs its own image. `None` whenever `snapshot_every` is 0.
    pub fn snapshot_file_sourced(&self) -> Option<Sourced<PathBuf>> {
        if self.snapshot_every.value == 0 {
            return None;
        }
        if let Some(configured) = &self.snapshot_file {
            return Some(configured.clone());
        }
        let database = sqlite_file(&self.database_url.value)?;
        let mut name = database.into_os_string();
        name.push(SNAPSHOT_SUFFIX);
        Some(Sourced {
            value: PathBuf::from(name),
            source: Source::Default,
        })
    }

    /// Refuses a snapshot path that is the SQLite database itself: the image replaces its file
    /// by a rename, which would replace the event log.
    pub(super) fn check_snapshot_file(&self) -> anyhow::Result<()> {
        let (Some(snapshot), Some(database)) =
            (self.snapshot_file(), sqlite_file(&self.database_url.value))
        else {
            return Ok(());
        };
        if same_path(&snapshot, &database) {
            bail!(
                "snapshot_file is the database file {}; name another file (or leave it unset)",
                database.display()
            );
        }
        Ok(())
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

/// The file a SQLite URL names, read as the store reads it (sqlx's own parser, so a relative
/// path, `?mode=rwc` or percent-encoding mean the same here as there); `None` for PostgreSQL
/// and for in-memory SQLite, which the store refuses ([`Backend::from_url`]).
fn sqlite_file(url: &str) -> Option<PathBuf> {
    if Backend::from_url(url).ok()? != Backend::Sqlite {
        return None;
    }
    let options = SqliteConnectOptions::from_str(url).ok()?;
    Some(options.get_filename().to_path_buf())
}

/// The same path written two ways (`./g.db` and `g.db`); lexical, so it never touches the disk.
fn same_path(a: &Path, b: &Path) -> bool {
    let plain = |p: &Path| {
        p.components()
            .filter(|c| *c != Component::CurDir)
            .collect::<PathBuf>()
    };
    plain(a) == plain(b)
}
