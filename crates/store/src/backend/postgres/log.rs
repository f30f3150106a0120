//! Reading the global log on PostgreSQL: in `(transaction_id, global_position)` order, below
//! the horizon of `horizon.rs`, so that reading again from the last position returned never
//! skips an event.

use std::sync::LazyLock;

use futures_util::{stream, StreamExt};
use serde_json::value::RawValue;
use serde_json::Value;
use sqlx::postgres::PgRow;
use sqlx::types::Json;
use sqlx::Row;

use super::horizon::HORIZON;
use super::{position, PgDb};
use crate::backend::{stored_event, to_i64, to_u64, LogRow, LogRows};
use crate::{EventHeader, EventMetadata, LogPosition, RawRow, StoreError, StoredEvent};

/// Connections kept between reads of the log (`kept.rs`): the read model's follower and the
/// user directory's read at once.
pub(super) const READS_KEPT: usize = 2;

/// The columns of an event as the log reader hands it out.
const COLUMNS: &str = "transaction_id, global_position, aggregate_type, aggregate_id, sequence, \
                       event_type, event_version, payload, metadata, recorded_at";

/// The log after `($1, $2)`, at most `$3` rows, below the horizon: every event.
static LOG_AFTER: LazyLock<String> = LazyLock::new(|| after_query(COLUMNS, ""));
/// The same, events of one aggregate type (`$4`).
static TYPE_AFTER: LazyLock<String> =
    LazyLock::new(|| after_query(COLUMNS, " AND aggregate_type = $4"));
/// The same, positions and types only.
static HEADERS_AFTER: LazyLock<String> = LazyLock::new(|| {
    after_query(
        "transaction_id, global_position, aggregate_type, aggregate_id, event_type",
        "",
    )
});
/// The columns of a [`RawRow`].
const RAW_COLUMNS: &str = "transaction_id, global_position, aggregate_type, aggregate_id, \
     sequence, event_type, event_version, payload::text AS payload_text, \
     metadata::text AS metadata_text, \
     (extract(epoch FROM recorded_at) * 1000000)::bigint AS recorded_micros";
/// The same, rows as stored.
static RAW_AFTER: LazyLock<String> = LazyLock::new(|| after_query(RAW_COLUMNS, ""));
/// Rows as stored, every committed one, with no horizon.
static COMMITTED_RAW_AFTER: LazyLock<String> = LazyLock::new(|| {
    format!(
        "SELECT {RAW_COLUMNS} FROM events WHERE (transaction_id, global_position) > ($1, $2) \
         ORDER BY transaction_id, global_position LIMIT $3"
    )
});

fn after_query(columns: &str, extra: &str) -> String {
    format!(
        "SELECT {columns} FROM events \
         WHERE (transaction_id, global_position) > ($1, $2) \
           AND transaction_id < {HORIZON}{extra} \
         ORDER BY transaction_id, global_position LIMIT $3"
    )
}

impl PgDb {
    async fn rows_after(
        &self,
        sql: &str,
        after: LogPosition,
        limit: usize,
    ) -> Result<Vec<PgRow>, StoreError> {
        let (transaction, global) = after.parts();
        let mut connection = self.kept_reads.take().await?;
        let rows = sqlx::query(sql)
            .bind(to_i64(transaction)?)
            .bind(to_i64(global)?)
            .bind(i64::try_from(limit).unwrap_or(i64::MAX))
            .fetch_all(&mut *connection)
            .await?;
        self.kept_reads.keep(connection);
        Ok(rows)
    }

    pub async fn read_after(
        &self,
        after: LogPosition,
        limit: usize,
    ) -> Result<Vec<LogRow<Value>>, StoreError> {
        let rows = self.rows_after(&LOG_AFTER, after, limit).await?;
        rows.iter().map(value_row).collect()
    }

    pub async fn read_text_after(
        &self,
        after: LogPosition,
        limit: usize,
    ) -> Result<Vec<LogRow<Box<RawValue>>>, StoreError> {
        let rows = self.rows_after(&LOG_AFTER, after, limit).await?;
        rows.iter().map(text_row).collect()
    }

    /// As [`Self::read_after`], only events of `aggregate_type`.
    pub async fn read_type_after(
        &self,
        aggregate_type: &str,
        after: LogPosition,
        limit: usize,
    ) -> Result<Vec<LogRow<Value>>, StoreError> {
        let (transaction, global) = after.parts();
        let rows = sqlx::query(&TYPE_AFTER)
            .bind(to_i64(transaction)?)
            .bind(to_i64(global)?)
            .bind(i64::try_from(limit).unwrap_or(i64::MAX))
            .bind(aggregate_type)
            .fetch_all(self.pool())
            .await?;
        rows.iter().map(value_row).collect()
    }

    /// Positions and types only, for counting.
    pub async fn headers_after(
        &self,
        after: LogPosition,
        limit: usize,
    ) -> Result<Vec<EventHeader>, StoreError> {
        let rows = self.rows_after(&HEADERS_AFTER, after, limit).await?;
        rows.iter()
            .map(|row| {
                Ok(EventHeader {
                    position: position(row)?,
                    aggregate_type: row.try_get("aggregate_type")?,
                    aggregate_id: row.try_get("aggregate_id")?,
                    event_type: row.try_get("event_type")?,
                })
            })
            .collect()
    }

    /// Every event after `after` that the reader may see now, in log order, as one query
    /// whose rows are decoded as they arrive: the server keeps sending while the caller works.
    pub fn stream_text_after(&self, after: LogPosition) -> LogRows<'_> {
        let (transaction, global) = after.parts();
        let bounds = to_i64(transaction).and_then(|t| Ok((t, to_i64(global)?)));
        let (transaction, global) = match bounds {
            Ok(bounds) => bounds,
            Err(error) => return stream::once(async { Err(error) }).boxed(),
        };
        sqlx::query(&LOG_AFTER)
            .bind(transaction)
            .bind(global)
            .bind(i64::MAX)
            .fetch(self.pool())
            .map(|row| text_row(&row?))
            .boxed()
    }

    /// The raw rows the hash chain covers, after `after`, below the horizon.
    pub async fn raw_rows_after(
        &self,
        after: LogPosition,
        limit: usize,
    ) -> Result<Vec<RawRow>, StoreError> {
        let rows = self.rows_after(&RAW_AFTER, after, limit).await?;
        rows.iter().map(raw_row).collect()
    }

    /// Rows as stored after `after`, every committed one, not stopping at the horizon.
    pub async fn committed_raw_rows_after(
        &self,
        after: LogPosition,
        limit: usize,
    ) -> Result<Vec<RawRow>, StoreError> {
        let rows = self.rows_after(&COMMITTED_RAW_AFTER, after, limit).await?;
        rows.iter().map(raw_row).collect()
    }

    /// The row at exactly `position`, committed, whether readers may see it yet or not.
    pub async fn raw_row_at(&self, position: LogPosition) -> Result<Option<RawRow>, StoreError> {
        let (transaction, global) = position.parts();
        let sql = format!(
            "SELECT {RAW_COLUMNS} FROM events WHERE transaction_id = $1 AND global_position = $2"
        );
        let row = sqlx::query(&sql)
            .bind(to_i64(transaction)?)
            .bind(to_i64(global)?)
            .fetch_optional(self.pool())
            .await?;
        row.as_ref().map(raw_row).transpose()
    }

    pub async fn head(&self) -> Result<LogPosition, StoreError> {
        // Uses the log-order index backwards; no horizon: this is what has committed, not what
        // may be read yet.
        let row = sqlx::query(
            "SELECT transaction_id, global_position FROM events \
             ORDER BY transaction_id DESC, global_position DESC LIMIT 1",
        )
        .fetch_optional(self.pool())
        .await?;
        row.map_or(Ok(LogPosition::START), |row| position(&row))
    }
}

fn raw_row(row: &PgRow) -> Result<RawRow, StoreError> {
    Ok(RawRow {
        position: position(row)?,
        aggregate_type: row.try_get("aggregate_type")?,
        aggregate_id: row.try_get("aggregate_id")?,
        sequence: to_u64(row.try_get("sequence")?)?,
        event_type: row.try_get("event_type")?,
        event_version: row.try_get("event_version")?,
        recorded_micros: row.try_get("recorded_micros")?,
        payload: row.try_get("payload_text")?,
        metadata: row.try_get("metadata_text")?,
    })
}

/// A log row with its payload as a JSON tree (log reader and audit query).
pub(crate) fn event_row(row: &PgRow) -> Result<LogRow<Value>, StoreError> {
    value_row(row)
}

fn value_row(row: &PgRow) -> Result<LogRow<Value>, StoreError> {
    let at = position(row)?;
    Ok((
        at,
        row.try_get("payload")
            .map_err(StoreError::from)
            .and_then(|payload| decode(row, at, payload)),
    ))
}

/// As [`value_row`], with the payload left as the JSON text the database returned.
fn text_row(row: &PgRow) -> Result<LogRow<Box<RawValue>>, StoreError> {
    let at = position(row)?;
    let payload = row
        .try_get::<Json<Box<RawValue>>, _>("payload")
        .map(|Json(payload)| payload)
        .map_err(StoreError::from);
    Ok((at, payload.and_then(|payload| decode(row, at, payload))))
}

/// The event of a row whose position was read: a column that does not decode makes the row
/// unreadable, not the query.
fn decode<P>(row: &PgRow, at: LogPosition, payload: P) -> Result<StoredEvent<P>, StoreError> {
    let Json(metadata) = row
        .try_get::<Json<EventMetadata>, _>("metadata")
        .map_err(|error| StoreError::unreadable(at, format!("metadata: {error}")))?;
    stored_event(
        at,
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
