//! The SQLite backend: one file, one writer. Reading the global log is in `log.rs`.
//!
//! Every write goes through a pool of exactly one connection, and SQLite lets one write
//! transaction run at a time even across processes; `global_position` is assigned inside that
//! transaction, so insertion order is commit order and a reader may simply follow
//! `global_position`. Reads use a separate pool (WAL lets them run beside the writer) whose
//! connections are `query_only`, so a stray write on them fails loudly.

mod append;
mod log;

use std::str::FromStr;

use cqrs_es::persist::SerializedEvent;
use cqrs_es::Aggregate;
use serde_json::Value;
use sqlx::migrate::{MigrateError, Migrator};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions};
use sqlx::Row;

use super::group_commit::GroupCommit;
use super::{to_i64, to_u64};
use super::{AppendError, RawEvent};
use crate::{CommittedEvent, LogPosition, StoreError, StoreOptions};

pub(crate) use log::event_row;

pub(super) static MIGRATOR: Migrator = sqlx::migrate!("../../migrations/sqlite");

pub(crate) struct SqliteDb {
    write: SqlitePool,
    read: SqlitePool,
    /// Appends, several commands to one commit (`append.rs`): the only way events are
    /// appended.
    appends: GroupCommit,
}

impl SqliteDb {
    /// The single-connection write pool, for the few writes besides appends (the hash chain).
    pub fn write_pool(&self) -> &SqlitePool {
        &self.write
    }

    /// The read-only pool, for queries that do not append.
    pub fn read_pool(&self) -> &SqlitePool {
        &self.read
    }

    pub async fn connect(url: &str, options: &StoreOptions) -> Result<Self, StoreError> {
        let base = SqliteConnectOptions::from_str(url)
            .map_err(|error| StoreError::InvalidUrl {
                reason: format!("not a SQLite URL ({})", error_kind(&error)),
            })?
            .journal_mode(SqliteJournalMode::Wal)
            .busy_timeout(options.busy_timeout);
        // synchronous stays FULL (sqlx's default): an audit log must survive a power cut.
        // No test of a connection as it is taken from the pool: a SQLite connection is a file
        // opened by this process, not a socket that can go stale, and each test is a round
        // trip to the connection's worker thread (sqlx tests it again as it is put back).
        let write = SqlitePoolOptions::new()
            .max_connections(1)
            .test_before_acquire(false)
            .connect_with(base.clone().create_if_missing(true))
            .await?;
        let read = SqlitePoolOptions::new()
            // Two at least: a replay streams the log on one while unsealing asks for keys on
            // another.
            .max_connections(options.max_connections.max(2))
            .test_before_acquire(false)
            .connect_with(base.pragma("query_only", "ON"))
            .await?;
        let appends = GroupCommit::start(append::SqliteCommitter(write.clone()), append::BATCHING);
        Ok(Self {
            write,
            read,
            appends,
        })
    }

    pub async fn applied_migrations(&self) -> Result<Option<Vec<i64>>, StoreError> {
        let exists: i64 = sqlx::query_scalar(
            "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = '_sqlx_migrations'",
        )
        .fetch_one(&self.read)
        .await?;
        if exists == 0 {
            return Ok(None);
        }
        let versions = sqlx::query_scalar("SELECT version FROM _sqlx_migrations ORDER BY version")
            .fetch_all(&self.read)
            .await?;
        Ok(Some(versions))
    }

    pub async fn run_migrations(&self) -> Result<(), MigrateError> {
        MIGRATOR.run(&self.write).await
    }

    /// Appends one command's events and returns the position of the last one.
    pub async fn append<A: Aggregate>(
        &self,
        events: Vec<SerializedEvent>,
    ) -> Result<LogPosition, AppendError> {
        self.appends.append(A::TYPE, events).await
    }

    pub async fn events_after(
        &self,
        aggregate_type: &str,
        aggregate_id: &str,
        after_sequence: u64,
    ) -> Result<Vec<RawEvent>, StoreError> {
        let rows = sqlx::query(
            "SELECT global_position, sequence, event_type, payload FROM events \
             WHERE aggregate_type = ? AND aggregate_id = ? AND sequence > ? ORDER BY sequence",
        )
        .bind(aggregate_type)
        .bind(aggregate_id)
        .bind(to_i64(after_sequence)?)
        .fetch_all(&self.read)
        .await?;
        rows.iter()
            .map(|row| {
                Ok(RawEvent {
                    position: LogPosition::from_parts(0, to_u64(row.try_get("global_position")?)?),
                    sequence: to_u64(row.try_get("sequence")?)?,
                    event_type: row.try_get("event_type")?,
                    payload: row.try_get("payload")?,
                })
            })
            .collect()
    }

    pub async fn committed(
        &self,
        aggregate_type: &str,
        aggregate_id: &str,
        first: u64,
        last: u64,
    ) -> Result<Vec<(CommittedEvent, LogPosition)>, StoreError> {
        let rows = sqlx::query(
            "SELECT sequence, event_type, payload, global_position FROM events \
             WHERE aggregate_type = ? AND aggregate_id = ? AND sequence BETWEEN ? AND ? \
             ORDER BY sequence",
        )
        .bind(aggregate_type)
        .bind(aggregate_id)
        .bind(to_i64(first)?)
        .bind(to_i64(last)?)
        .fetch_all(&self.read)
        .await?;
        rows.iter()
            .map(|row| {
                let event = CommittedEvent {
                    sequence: to_u64(row.try_get("sequence")?)?,
                    event_type: row.try_get("event_type")?,
                    payload: row.try_get::<Value, _>("payload")?,
                };
                let position = LogPosition::from_parts(0, to_u64(row.try_get("global_position")?)?);
                Ok((event, position))
            })
            .collect()
    }

    pub async fn close(&self) {
        self.write.close().await;
        self.read.close().await;
    }
}

/// The kind of a URL parse error without its text, which may quote the URL.
fn error_kind(error: &sqlx::Error) -> &'static str {
    match error {
        sqlx::Error::Configuration(_) => "bad configuration",
        _ => "unreadable",
    }
}
