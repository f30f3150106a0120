//! The SQLite backend: one file, one writer.
//!
//! Every write goes through a pool of exactly one connection, and SQLite lets one write
//! transaction run at a time even across processes; `global_position` is assigned inside that
//! transaction, so insertion order is commit order and a reader may simply follow
//! `global_position`. Reads use a separate pool (WAL lets them run beside the writer) whose
//! connections are `query_only`, so a stray write on them fails loudly.

use std::str::FromStr;

use cqrs_es::persist::{PersistedEventRepository, SerializedEvent};
use cqrs_es::Aggregate;
use futures_util::{stream, StreamExt};
use serde_json::value::RawValue;
use serde_json::Value;
use sqlite_es::SqliteEventRepository;
use sqlx::migrate::{MigrateError, Migrator};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions};
use sqlx::types::Json;
use sqlx::Row;

use super::{classify_persist_error, parse_count, stored_event, to_i64, to_u64};
use super::{AppendError, CommandRecord, RawEvent, RawSnapshot, TextEvents};
use crate::{CommittedEvent, EventMetadata, LogPosition, StoreError, StoreOptions, StoredEvent};

pub(super) static MIGRATOR: Migrator = sqlx::migrate!("../../migrations/sqlite");

pub(crate) struct SqliteDb {
    write: SqlitePool,
    read: SqlitePool,
    /// sqlite-es on the write pool: the only way events are appended.
    repository: SqliteEventRepository,
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
        let write = SqlitePoolOptions::new()
            .max_connections(1)
            .connect_with(base.clone().create_if_missing(true))
            .await?;
        let read = SqlitePoolOptions::new()
            // Two at least: a replay streams the log on one while unsealing asks for keys on
            // another.
            .max_connections(options.max_connections.max(2))
            .connect_with(base.pragma("query_only", "ON"))
            .await?;
        let repository = SqliteEventRepository::new(write.clone());
        Ok(Self {
            write,
            read,
            repository,
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

    pub async fn append<A: Aggregate>(
        &self,
        events: &[SerializedEvent],
    ) -> Result<(), AppendError> {
        self.repository
            .persist::<A>(events, None)
            .await
            .map_err(classify_persist_error)
    }

    pub async fn events_after(
        &self,
        aggregate_type: &str,
        aggregate_id: &str,
        after_sequence: u64,
    ) -> Result<Vec<RawEvent>, StoreError> {
        let rows = sqlx::query(
            "SELECT sequence, event_type, payload FROM events \
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
                    sequence: to_u64(row.try_get("sequence")?)?,
                    event_type: row.try_get("event_type")?,
                    payload: row.try_get("payload")?,
                })
            })
            .collect()
    }

    pub async fn snapshot(
        &self,
        aggregate_type: &str,
        aggregate_id: &str,
    ) -> Result<Option<RawSnapshot>, StoreError> {
        let row = sqlx::query(
            "SELECT last_sequence, state_version, payload FROM snapshots \
             WHERE aggregate_type = ? AND aggregate_id = ?",
        )
        .bind(aggregate_type)
        .bind(aggregate_id)
        .fetch_optional(&self.read)
        .await?;
        row.map(|row| {
            Ok(RawSnapshot {
                last_sequence: to_u64(row.try_get("last_sequence")?)?,
                state_version: row.try_get("state_version")?,
                payload: row.try_get("payload")?,
            })
        })
        .transpose()
    }

    pub async fn save_snapshot(
        &self,
        aggregate_type: &str,
        aggregate_id: &str,
        snapshot: &RawSnapshot,
    ) -> Result<(), StoreError> {
        // Never replace a newer snapshot of the same layout with an older one.
        sqlx::query(
            "INSERT INTO snapshots (aggregate_type, aggregate_id, last_sequence, state_version, payload) \
             VALUES (?, ?, ?, ?, ?) \
             ON CONFLICT (aggregate_type, aggregate_id) DO UPDATE SET \
               last_sequence = excluded.last_sequence, state_version = excluded.state_version, \
               payload = excluded.payload, taken_at = excluded.taken_at \
             WHERE excluded.last_sequence > snapshots.last_sequence \
                OR excluded.state_version <> snapshots.state_version",
        )
        .bind(aggregate_type)
        .bind(aggregate_id)
        .bind(to_i64(snapshot.last_sequence)?)
        .bind(snapshot.state_version)
        .bind(&snapshot.payload)
        .execute(&self.write)
        .await?;
        Ok(())
    }

    pub async fn find_command(
        &self,
        aggregate_type: &str,
        aggregate_id: &str,
        command_key: &str,
    ) -> Result<Option<CommandRecord>, StoreError> {
        // The expression matches the partial unique index `events_command_key`.
        let row = sqlx::query(
            "SELECT sequence, metadata ->> 'command_events' AS events FROM events \
             WHERE aggregate_type = ? AND aggregate_id = ? AND metadata ->> 'command_key' = ?",
        )
        .bind(aggregate_type)
        .bind(aggregate_id)
        .bind(command_key)
        .fetch_optional(&self.read)
        .await?;
        row.map(|row| {
            let events: Option<String> = row.try_get("events")?;
            Ok(CommandRecord {
                first_sequence: to_u64(row.try_get("sequence")?)?,
                events: parse_count(events)?,
            })
        })
        .transpose()
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

    /// The rows of the log after `after`, in log order, for [`event_row`] or [`text_event_row`].
    async fn log_rows(
        &self,
        after: LogPosition,
        limit: usize,
    ) -> Result<Vec<sqlx::sqlite::SqliteRow>, StoreError> {
        let rows = sqlx::query(LOG_AFTER)
            .bind(to_i64(after.parts().1)?)
            .bind(i64::try_from(limit).unwrap_or(i64::MAX))
            .fetch_all(&self.read)
            .await?;
        Ok(rows)
    }

    /// Every event after `after`, in log order, as one query whose rows are decoded as they
    /// arrive.
    pub fn stream_text_after(&self, after: LogPosition) -> TextEvents<'_> {
        let after_global = match to_i64(after.parts().1) {
            Ok(global) => global,
            Err(error) => return stream::once(async { Err(error) }).boxed(),
        };
        sqlx::query(LOG_AFTER)
            .bind(after_global)
            .bind(i64::MAX)
            .fetch(&self.read)
            .map(|row| text_event_row(&row?))
            .boxed()
    }

    pub async fn read_after(
        &self,
        after: LogPosition,
        limit: usize,
    ) -> Result<Vec<StoredEvent>, StoreError> {
        let rows = self.log_rows(after, limit).await?;
        rows.iter().map(event_row).collect()
    }

    pub async fn read_text_after(
        &self,
        after: LogPosition,
        limit: usize,
    ) -> Result<Vec<StoredEvent<Box<RawValue>>>, StoreError> {
        let rows = self.log_rows(after, limit).await?;
        rows.iter().map(text_event_row).collect()
    }

    pub async fn head(&self) -> Result<LogPosition, StoreError> {
        let last: Option<i64> = sqlx::query_scalar("SELECT max(global_position) FROM events")
            .fetch_one(&self.read)
            .await?;
        Ok(match last {
            Some(global) => LogPosition::from_parts(0, to_u64(global)?),
            None => LogPosition::START,
        })
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

/// A stored event from a row that selected the event columns (log reader and audit query).
/// The log after a position. One writer at a time: global_position is commit order, nothing
/// can appear below it.
const LOG_AFTER: &str = "\
    SELECT global_position, aggregate_type, aggregate_id, sequence, event_type, event_version, \
           payload, metadata, recorded_at \
    FROM events WHERE global_position > ? ORDER BY global_position LIMIT ?";

pub(super) fn event_row(row: &sqlx::sqlite::SqliteRow) -> Result<StoredEvent, StoreError> {
    event_row_with(row, row.try_get("payload")?)
}

/// As [`event_row`], with the payload left as the JSON text the database returned.
fn text_event_row(row: &sqlx::sqlite::SqliteRow) -> Result<StoredEvent<Box<RawValue>>, StoreError> {
    let Json(payload) = row.try_get::<Json<Box<RawValue>>, _>("payload")?;
    event_row_with(row, payload)
}

fn event_row_with<P>(
    row: &sqlx::sqlite::SqliteRow,
    payload: P,
) -> Result<StoredEvent<P>, StoreError> {
    let Json(metadata) = row.try_get::<Json<EventMetadata>, _>("metadata")?;
    stored_event(
        LogPosition::from_parts(0, to_u64(row.try_get("global_position")?)?),
        row.try_get("aggregate_type")?,
        row.try_get("aggregate_id")?,
        row.try_get("sequence")?,
        row.try_get("event_type")?,
        row.try_get("event_version")?,
        payload,
        metadata,
        row.try_get("recorded_at")?,
    )
}
