//! Reading the global log on SQLite. One writer at a time: `global_position` is assigned inside
//! the write transaction, so it is commit order and nothing can appear below it; the reader
//! simply follows it (the transaction part of a position is always 0).

use futures_util::{stream, StreamExt};
use serde_json::value::RawValue;
use serde_json::Value;
use sqlx::sqlite::SqliteRow;
use sqlx::types::Json;
use sqlx::Row;

use super::SqliteDb;
use crate::backend::{stored_event, to_i64, to_u64, LogRow, LogRows};
use crate::{EventHeader, EventMetadata, LogPosition, RawRow, StoreError, StoredEvent};

/// The log after a position, every column a reader hands out.
const LOG_AFTER: &str = "\
    SELECT global_position, aggregate_type, aggregate_id, sequence, event_type, event_version, \
           payload, metadata, recorded_at \
    FROM events WHERE global_position > ? ORDER BY global_position LIMIT ?";

/// The same, one aggregate type.
const TYPE_AFTER: &str = "\
    SELECT global_position, aggregate_type, aggregate_id, sequence, event_type, event_version, \
           payload, metadata, recorded_at \
    FROM events WHERE global_position > ? AND aggregate_type = ? ORDER BY global_position LIMIT ?";

/// The same, positions and types only.
const HEADERS_AFTER: &str = "\
    SELECT global_position, aggregate_type, aggregate_id, event_type \
    FROM events WHERE global_position > ? ORDER BY global_position LIMIT ?";

/// The columns of a [`RawRow`] (the time is decoded in Rust: SQLite keeps ISO-8601 text).
const RAW_COLUMNS: &str = "global_position, aggregate_type, aggregate_id, sequence, event_type, \
                           event_version, payload, metadata, recorded_at";

fn at(row: &SqliteRow) -> Result<LogPosition, StoreError> {
    Ok(LogPosition::from_parts(
        0,
        to_u64(row.try_get("global_position")?)?,
    ))
}

impl SqliteDb {
    async fn rows_after(
        &self,
        sql: &str,
        after: LogPosition,
        limit: usize,
    ) -> Result<Vec<SqliteRow>, StoreError> {
        Ok(sqlx::query(sql)
            .bind(to_i64(after.parts().1)?)
            .bind(i64::try_from(limit).unwrap_or(i64::MAX))
            .fetch_all(self.read_pool())
            .await?)
    }

    pub async fn read_after(
        &self,
        after: LogPosition,
        limit: usize,
    ) -> Result<Vec<LogRow<Value>>, StoreError> {
        let rows = self.rows_after(LOG_AFTER, after, limit).await?;
        rows.iter().map(event_row).collect()
    }

    pub async fn read_text_after(
        &self,
        after: LogPosition,
        limit: usize,
    ) -> Result<Vec<LogRow<Box<RawValue>>>, StoreError> {
        let rows = self.rows_after(LOG_AFTER, after, limit).await?;
        rows.iter().map(text_row).collect()
    }

    pub async fn read_type_after(
        &self,
        aggregate_type: &str,
        after: LogPosition,
        limit: usize,
    ) -> Result<Vec<LogRow<Value>>, StoreError> {
        let rows = sqlx::query(TYPE_AFTER)
            .bind(to_i64(after.parts().1)?)
            .bind(aggregate_type)
            .bind(i64::try_from(limit).unwrap_or(i64::MAX))
            .fetch_all(self.read_pool())
            .await?;
        rows.iter().map(event_row).collect()
    }

    pub async fn headers_after(
        &self,
        after: LogPosition,
        limit: usize,
    ) -> Result<Vec<EventHeader>, StoreError> {
        let rows = self.rows_after(HEADERS_AFTER, after, limit).await?;
        rows.iter()
            .map(|row| {
                Ok(EventHeader {
                    position: at(row)?,
                    aggregate_type: row.try_get("aggregate_type")?,
                    aggregate_id: row.try_get("aggregate_id")?,
                    event_type: row.try_get("event_type")?,
                })
            })
            .collect()
    }

    /// Every event after `after`, in log order, as one query whose rows are decoded as they
    /// arrive.
    pub fn stream_text_after(&self, after: LogPosition) -> LogRows<'_> {
        let after_global = match to_i64(after.parts().1) {
            Ok(global) => global,
            Err(error) => return stream::once(async { Err(error) }).boxed(),
        };
        sqlx::query(LOG_AFTER)
            .bind(after_global)
            .bind(i64::MAX)
            .fetch(self.read_pool())
            .map(|row| text_row(&row?))
            .boxed()
    }

    pub async fn raw_rows_after(
        &self,
        after: LogPosition,
        limit: usize,
    ) -> Result<Vec<RawRow>, StoreError> {
        let sql = format!(
            "SELECT {RAW_COLUMNS} FROM events WHERE global_position > ? \
             ORDER BY global_position LIMIT ?"
        );
        let rows = self.rows_after(&sql, after, limit).await?;
        rows.iter().map(raw_row).collect()
    }

    /// The same: on SQLite, rows are readable in log order as soon as they commit.
    pub async fn committed_raw_rows_after(
        &self,
        after: LogPosition,
        limit: usize,
    ) -> Result<Vec<RawRow>, StoreError> {
        self.raw_rows_after(after, limit).await
    }

    /// The row at exactly `position`.
    pub async fn raw_row_at(&self, position: LogPosition) -> Result<Option<RawRow>, StoreError> {
        if position.parts().0 != 0 {
            return Ok(None);
        }
        let sql = format!("SELECT {RAW_COLUMNS} FROM events WHERE global_position = ?");
        let row = sqlx::query(&sql)
            .bind(to_i64(position.parts().1)?)
            .fetch_optional(self.read_pool())
            .await?;
        row.as_ref().map(raw_row).transpose()
    }

    pub async fn head(&self) -> Result<LogPosition, StoreError> {
        let last: Option<i64> = sqlx::query_scalar("SELECT max(global_position) FROM events")
            .fetch_one(self.read_pool())
            .await?;
        Ok(match last {
            Some(global) => LogPosition::from_parts(0, to_u64(global)?),
            None => LogPosition::START,
        })
    }
}

fn raw_row(row: &SqliteRow) -> Result<RawRow, StoreError> {
    let recorded: chrono::DateTime<chrono::Utc> = row.try_get("recorded_at")?;
    Ok(RawRow {
        position: at(row)?,
        aggregate_type: row.try_get("aggregate_type")?,
        aggregate_id: row.try_get("aggregate_id")?,
        sequence: to_u64(row.try_get("sequence")?)?,
        event_type: row.try_get("event_type")?,
        event_version: row.try_get("event_version")?,
        recorded_micros: recorded.timestamp_micros(),
        payload: row.try_get("payload")?,
        metadata: row.try_get("metadata")?,
    })
}

/// A log row with its payload as a JSON tree (log reader and audit query).
pub(crate) fn event_row(row: &SqliteRow) -> Result<LogRow<Value>, StoreError> {
    let position = at(row)?;
    let payload = row.try_get::<Value, _>("payload").map_err(StoreError::from);
    Ok((
        position,
        payload.and_then(|payload| decode(row, position, payload)),
    ))
}

/// As [`event_row`], with the payload left as the JSON text the database returned.
fn text_row(row: &SqliteRow) -> Result<LogRow<Box<RawValue>>, StoreError> {
    let position = at(row)?;
    let payload = row
        .try_get::<Json<Box<RawValue>>, _>("payload")
        .map(|Json(payload)| payload)
        .map_err(StoreError::from);
    Ok((
        position,
        payload.and_then(|payload| decode(row, position, payload)),
    ))
}

/// The event of a row whose position was read: a column that does not decode makes the row
/// unreadable, not the query.
fn decode<P>(
    row: &SqliteRow,
    position: LogPosition,
    payload: P,
) -> Result<StoredEvent<P>, StoreError> {
    let Json(metadata) = row
        .try_get::<Json<EventMetadata>, _>("metadata")
        .map_err(|error| StoreError::unreadable(position, format!("metadata: {error}")))?;
    stored_event(
        position,
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
