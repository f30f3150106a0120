//! How a store is chosen (the URL) and tuned (the options).
//!
//! The URL picks the backend, so `guanjia serve` needs no other setting to run on SQLite or on
//! PostgreSQL. Everything else has a default that suits a district office; the knobs exist for
//! tests and for operators who measured a reason to turn them.

use std::collections::BTreeMap;
use std::time::Duration;

use crate::StoreError;

/// The database `guanjia serve` uses when none is configured: one SQLite file in the working
/// directory, created on first start.
pub const DEFAULT_URL: &str = "sqlite://guanjia.db";

/// The two database engines behind the store.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Backend {
    /// One SQLite file: the embedded default.
    Sqlite,
    /// PostgreSQL: production and several server nodes.
    Postgres,
}

impl Backend {
    /// Which backend a database URL names: `sqlite:` or `postgres:`/`postgresql:`.
    ///
    /// In-memory SQLite is refused: the store keeps a separate reader and writer pool, and
    /// each in-memory connection would see its own empty database.
    pub fn from_url(url: &str) -> Result<Self, StoreError> {
        let invalid = |reason: &str| StoreError::InvalidUrl {
            reason: reason.to_string(),
        };
        let (scheme, rest) = url
            .split_once(':')
            .ok_or_else(|| invalid("expected sqlite://FILE or postgres://…"))?;
        match scheme.to_ascii_lowercase().as_str() {
            "sqlite" => {
                if rest.contains(":memory:") || rest.contains("mode=memory") {
                    Err(invalid("in-memory SQLite is not supported; name a file"))
                } else if rest.trim_start_matches('/').is_empty() {
                    Err(invalid("the SQLite URL names no file"))
                } else {
                    Ok(Self::Sqlite)
                }
            }
            "postgres" | "postgresql" => Ok(Self::Postgres),
            _ => Err(invalid(
                "unknown scheme; expected sqlite://FILE or postgres://…",
            )),
        }
    }
}

/// Tuning of a [`Store`](crate::Store). `StoreOptions::default()` is what production uses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoreOptions {
    /// How many times a command is decided when the optimistic lock keeps refusing it, before
    /// [`StoreError::Conflict`]. At least 1. Default 5.
    pub max_attempts: u32,
    /// Write a snapshot of an aggregate each time its sequence crosses a multiple of this number.
    /// 0 turns snapshots off. Default 50.
    pub snapshot_every: u64,
    /// The safety-net interval of [`LogWatcher::changed`](crate::LogWatcher::changed): it returns
    /// at the latest after this long even when no signal arrived. Default 1 s.
    pub poll_interval: Duration,
    /// SQLite only: how long a writer waits for another process's write lock. Default 5 s.
    pub busy_timeout: Duration,
    /// PostgreSQL only: how long an operation waits for a connection (all busy, or the
    /// database away) before it fails with [`StoreError::Unavailable`]. Default 5 s.
    pub acquire_timeout: Duration,
    /// Connections of the PostgreSQL pool (one of them is held by the LISTEN task), or of the
    /// SQLite reader pool (the SQLite writer always has exactly one). Default 10.
    pub max_connections: u32,
    /// How many aggregates the store keeps in memory after loading or changing them, so that
    /// the next command on one reads only the events since (`recent.rs`). 0 keeps none.
    /// Default 4096.
    pub recent_aggregates: usize,
    /// The layout version of each aggregate type's state, by `Aggregate::TYPE`; a type not
    /// listed is version 1. Bump it when an aggregate's fields or its `apply` change meaning:
    /// snapshots taken under another version are then ignored and the aggregate is replayed.
    pub state_versions: BTreeMap<String, u32>,
}

impl Default for StoreOptions {
    fn default() -> Self {
        Self {
            max_attempts: 5,
            snapshot_every: 50,
            poll_interval: Duration::from_secs(1),
            busy_timeout: Duration::from_secs(5),
            acquire_timeout: Duration::from_secs(5),
            max_connections: 10,
            recent_aggregates: 4096,
            state_versions: BTreeMap::new(),
        }
    }
}

impl StoreOptions {
    /// Sets the state layout version of one aggregate type (see [`Self::state_versions`]).
    pub fn with_state_version(mut self, aggregate_type: &str, version: u32) -> Self {
        self.state_versions
            .insert(aggregate_type.to_string(), version);
        self
    }

    /// The state layout version of an aggregate type.
    pub fn state_version(&self, aggregate_type: &str) -> u32 {
        self.state_versions
            .get(aggregate_type)
            .copied()
            .unwrap_or(1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_url_picks_the_backend() {
        assert_eq!(Backend::from_url(DEFAULT_URL).ok(), Some(Backend::Sqlite));
        assert_eq!(
            Backend::from_url("sqlite:./data/g.db").ok(),
            Some(Backend::Sqlite)
        );
        assert_eq!(
            Backend::from_url("postgres://u@h/db").ok(),
            Some(Backend::Postgres)
        );
        assert_eq!(
            Backend::from_url("postgresql://u@h/db").ok(),
            Some(Backend::Postgres)
        );
    }

    #[test]
    fn unusable_urls_are_refused_without_echoing_them() {
        for url in [
            "sqlite::memory:",
            "sqlite://",
            "mysql://root:secret@h/db",
            "guanjia.db",
        ] {
            let error = Backend::from_url(url).err();
            assert!(
                matches!(error, Some(StoreError::InvalidUrl { .. })),
                "{url}"
            );
            assert!(!error
                .map(|e| e.to_string())
                .unwrap_or_default()
                .contains("secret"));
        }
    }
}
