//! The PostgreSQL backend: many writers, many nodes.
//!
//! The subtle part is [`PgDb::read_after`]. `global_position` comes from a sequence at insert
//! time, and transactions commit in a different order than they insert: a reader that followed
//! `global_position` would pass a position whose transaction has not committed yet and never
//! come back for it. So the reader follows `(transaction_id, global_position)` and reads only
//! rows of transactions older than `pg_snapshot_xmin(pg_current_snapshot())`: every such
//! transaction has finished, so no row can ever appear below what the reader has seen.

use std::str::FromStr;

use cqrs_es::persist::{PersistedEventRepository, SerializedEvent};
use cqrs_es::Aggregate;
use futures_util::{stream, StreamExt};
use postgres_es::PostgresEventRepository;
use serde_json::value::RawValue;
use serde_json::Value;
use sqlx::migrate::{MigrateError, Migrator};
use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions, PgRow};
use sqlx::types::Json;
use sqlx::Row;

use super::{classify_persist_error, parse_count, stored_event, to_i64, to_u64};
use super::{AppendError, CommandRecord, RawEvent, RawSnapshot, TextEvents};
use crate::{CommittedEvent, EventMetadata, LogPosition, StoreError, StoreOptions, StoredEvent};

pub(super) static MIGRATOR: Migrator = sqlx::migrate!("../../migrations/postgres");

pub(crate) struct PgDb {
    pool: PgPool,
    /// postgres-es on the same pool: the only way events are appended.
    repository: PostgresEventRepository,
}

impl PgDb {
    pub async fn connect(url: &str, options: &StoreOptions) -> Result<Self, StoreError> {
        let connect = PgConnectOptions::from_str(url)
            .map_err(|_| StoreError::InvalidUrl {
                reason: "not a PostgreSQL URL".to_string(),
            })?
            .application_name("guanjia");
        // At least two: the LISTEN task keeps one connection for itself.
        let pool = PgPoolOptions::new()
            .max_connections(options.max_connections.max(2))
            .connect_with(connect)
            .await?;
        let repository = PostgresEventRepository::new(pool.clone());
        Ok(Self { pool, repository })
    }

    /// The pool, for the LISTEN task.
    pub fn pool(&self) -> &PgPool {
        &self.pool
    }

    pub async fn applied_migrations(&self) -> Result<Option<Vec<i64>>, StoreError> {
        let exists: bool = sqlx::query_scalar("SELECT to_regclass('_sqlx_migrations') IS NOT NULL")
            .fetch_one(&self.pool)
            .await?;
        if !exists {
            return Ok(None);
        }
        let versions = sqlx::query_scalar("SELECT version FROM _sqlx_migrations ORDER BY version")
            .fetch_all(&self.pool)
            .await?;
        Ok(Some(versions))
    }

    pub async fn run_migrations(&self) -> Result<(), MigrateError> {
        MIGRATOR.run(&self.pool).await
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
             WHERE aggregate_type = $1 AND aggregate_id = $2 AND sequence > $3 ORDER BY sequence",
        )
        .bind(aggregate_type)
        .bind(aggregate_id)
        .bind(to_i64(after_sequence)?)
        .fetch_all(&self.pool)
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
             WHERE aggregate_type = $1 AND aggregate_id = $2",
        )
        .bind(aggregate_type)
        .bind(aggregate_id)
        .fetch_optional(&self.pool)
        .await?;
        row.map(|row| {
            let version: i32 = row.try_get("state_version")?;
            Ok(RawSnapshot {
                last_sequence: to_u64(row.try_get("last_sequence")?)?,
                state_version: u32::try_from(version).map_err(StoreError::decode)?,
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
             VALUES ($1, $2, $3, $4, $5) \
             ON CONFLICT (aggregate_type, aggregate_id) DO UPDATE SET \
               last_sequence = excluded.last_sequence, state_version = excluded.state_version, \
               payload = excluded.payload, taken_at = excluded.taken_at \
             WHERE excluded.last_sequence > snapshots.last_sequence \
                OR excluded.state_version <> snapshots.state_version",
        )
        .bind(aggregate_type)
        .bind(aggregate_id)
        .bind(to_i64(snapshot.last_sequence)?)
        .bind(i32::try_from(snapshot.state_version).map_err(StoreError::decode)?)
        .bind(&snapshot.payload)
        .execute(&self.pool)
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
             WHERE aggregate_type = $1 AND aggregate_id = $2 AND (metadata ->> 'command_key') = $3",
        )
        .bind(aggregate_type)
        .bind(aggregate_id)
        .bind(command_key)
        .fetch_optional(&self.pool)
        .await?;
        row.map(|row| {
            Ok(CommandRecord {
                first_sequence: to_u64(row.try_get("sequence")?)?,
                events: parse_count(row.try_get("events")?)?,
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
            "SELECT sequence, event_type, payload, transaction_id::text AS transaction_text, \
                    global_position \
             FROM events \
             WHERE aggregate_type = $1 AND aggregate_id = $2 AND sequence BETWEEN $3 AND $4 \
             ORDER BY sequence",
        )
        .bind(aggregate_type)
        .bind(aggregate_id)
        .bind(to_i64(first)?)
        .bind(to_i64(last)?)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|row| {
                let event = CommittedEvent {
                    sequence: to_u64(row.try_get("sequence")?)?,
                    event_type: row.try_get("event_type")?,
                    payload: row.try_get::<Value, _>("payload")?,
                };
                Ok((event, position(row)?))
            })
            .collect()
    }

    /// The rows of the log after `after`, in log order, for [`event_row`] or [`text_event_row`].
    async fn log_rows(&self, after: LogPosition, limit: usize) -> Result<Vec<PgRow>, StoreError> {
        let (after_transaction, after_global) = after.parts();
        let rows = sqlx::query(LOG_AFTER)
            .bind(after_transaction.to_string())
            .bind(to_i64(after_global)?)
            .bind(i64::try_from(limit).unwrap_or(i64::MAX))
            .fetch_all(&self.pool)
            .await?;
        Ok(rows)
    }

    /// Every event after `after` that the reader may see now, in log order, as one query
    /// whose rows are decoded as they arrive: the server keeps sending while the caller works.
    pub fn stream_text_after(&self, after: LogPosition) -> TextEvents<'_> {
        let (after_transaction, after_global) = after.parts();
        let after_global = match to_i64(after_global) {
            Ok(global) => global,
            Err(error) => return stream::once(async { Err(error) }).boxed(),
        };
        sqlx::query(LOG_AFTER)
            .bind(after_transaction.to_string())
            .bind(after_global)
            .bind(i64::MAX)
            .fetch(&self.pool)
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
        // Uses the log-order index backwards; no xmin bound: this is what has committed, not
        // what may be read yet.
        let row = sqlx::query(
            "SELECT transaction_id::text AS transaction_text, global_position FROM events \
             ORDER BY transaction_id DESC, global_position DESC LIMIT 1",
        )
        .fetch_optional(&self.pool)
        .await?;
        row.map_or(Ok(LogPosition::START), |row| position(&row))
    }

    pub async fn close(&self) {
        self.pool.close().await;
    }
}

/// The log after a position, in log order. sqlx has no xid8 type: transaction ids travel as
/// text. The xmin bound is evaluated in the statement's own snapshot, so every row below it
/// is visible to this very query (architecture.md, "the one subtle part of the store").
const LOG_AFTER: &str = "\
    SELECT transaction_id::text AS transaction_text, global_position, aggregate_type, \
           aggregate_id, sequence, event_type, event_version, payload, metadata, recorded_at \
    FROM events \
    WHERE transaction_id < pg_snapshot_xmin(pg_current_snapshot()) \
      AND (transaction_id, global_position) > ($1::text::xid8, $2) \
    ORDER BY transaction_id, global_position \
    LIMIT $3";

/// A stored event from a row that selected the event columns with
/// `transaction_id::text AS transaction_text` (log reader and audit query).
pub(super) fn event_row(row: &PgRow) -> Result<StoredEvent, StoreError> {
    event_row_with(row, row.try_get("payload")?)
}

/// As [`event_row`], with the payload left as the JSON text the database returned.
fn text_event_row(row: &PgRow) -> Result<StoredEvent<Box<RawValue>>, StoreError> {
    let Json(payload) = row.try_get::<Json<Box<RawValue>>, _>("payload")?;
    event_row_with(row, payload)
}

fn event_row_with<P>(row: &PgRow, payload: P) -> Result<StoredEvent<P>, StoreError> {
    let Json(metadata) = row.try_get::<Json<EventMetadata>, _>("metadata")?;
    stored_event(
        position(row)?,
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

/// The position of a row that selected `transaction_id::text AS transaction_text` and
/// `global_position`.
fn position(row: &PgRow) -> Result<LogPosition, StoreError> {
    let transaction: String = row.try_get("transaction_text")?;
    let transaction = transaction
        .parse::<u64>()
        .map_err(|_| StoreError::decode(format!("bad transaction id {transaction:?}")))?;
    Ok(LogPosition::from_parts(
        transaction,
        to_u64(row.try_get("global_position")?)?,
    ))
}
