//! A portable copy of a PostgreSQL log: `guanjia backup` writes one, `guanjia restore` loads
//! one into an empty database on any cluster.
//!
//! The file is JSON Lines: a header, every event as stored (log transaction number, global
//! position, payload and metadata text, recording time in microseconds), the personal-data
//! keys (erased ones as tombstones), the hash chain's links and the history of transaction
//! offsets, then a trailer with the line count, so that a cut file is refused. Everything is
//! read in one repeatable-read snapshot, so the copy is one consistent state of a running
//! service. Caches are left out (aggregate snapshots, read-model image keys): they are rebuilt.
//!
//! Restored rows keep their numbers, so positions held by clients, the chain and exported heads
//! stay valid; the store adopts a transaction offset when the new cluster's counter is behind
//! them (`backend/postgres/adopt.rs`). `pg_dump`/`pg_restore` work as well: the same adoption
//! covers them.

mod restore;

use std::io::Write;

use base64::Engine;
use futures_util::TryStreamExt;
use serde::{Deserialize, Serialize};
use sqlx::postgres::{PgConnection, PgRow};
use sqlx::{Connection, Row};

use crate::{Backend, LogPosition, StoreError};

pub use restore::restore;

/// The first line's `format`.
const FORMAT: &str = "guanjia-log/1";

/// One line of the file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub(super) enum Line {
    Header {
        format: String,
        schema_version: i64,
        events: u64,
        head: LogPosition,
        written_at: String,
    },
    Event {
        transaction_id: i64,
        global_position: i64,
        aggregate_type: String,
        aggregate_id: String,
        sequence: i64,
        event_type: String,
        event_version: String,
        recorded_micros: i64,
        payload: String,
        metadata: String,
    },
    Key {
        subject: String,
        /// Base64; `None` once erased.
        key: Option<String>,
        created_micros: i64,
        erased_micros: Option<i64>,
    },
    Link {
        link: i64,
        transaction_id: i64,
        global_position: i64,
        format: i16,
        hash: String,
        chained_micros: i64,
    },
    Offset {
        xid_offset: i64,
        reason: String,
        adopted_micros: i64,
    },
    End {
        lines: u64,
    },
}

/// What a backup or restore covered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PortableReport {
    pub events: u64,
    pub keys: u64,
    pub links: u64,
    pub head: LogPosition,
}

fn micros(column: &str) -> String {
    format!("(extract(epoch FROM {column}) * 1000000)::bigint")
}

/// Writes lines and counts them, for the trailer.
struct Lines<'a, W: Write> {
    out: &'a mut W,
    count: u64,
}

impl<W: Write> Lines<'_, W> {
    fn put(&mut self, line: &Line) -> Result<(), StoreError> {
        self.count += 1;
        serde_json::to_writer(&mut *self.out, line)?;
        self.out.write_all(b"\n").map_err(StoreError::decode)
    }
}

/// Writes a portable copy of the PostgreSQL database at `url` to `out`.
pub async fn backup(url: &str, out: &mut impl Write) -> Result<PortableReport, StoreError> {
    if Backend::from_url(url)? != Backend::Postgres {
        return Err(StoreError::InvalidUrl {
            reason: "a portable backup is written from PostgreSQL".to_owned(),
        });
    }
    let mut connection = PgConnection::connect(url).await?;
    let mut tx = connection.begin().await?;
    sqlx::query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        .execute(&mut *tx)
        .await?;
    let schema_version: i64 =
        sqlx::query_scalar("SELECT max(version) FROM _sqlx_migrations WHERE success")
            .fetch_one(&mut *tx)
            .await?;
    let events: i64 = sqlx::query_scalar("SELECT count(*) FROM events")
        .fetch_one(&mut *tx)
        .await?;
    let head = sqlx::query(
        "SELECT transaction_id, global_position FROM events \
         ORDER BY transaction_id DESC, global_position DESC LIMIT 1",
    )
    .fetch_optional(&mut *tx)
    .await?
    .map(|row| -> Result<LogPosition, StoreError> {
        Ok(LogPosition::from_parts(
            to_u64(row.try_get("transaction_id")?)?,
            to_u64(row.try_get("global_position")?)?,
        ))
    })
    .transpose()?
    .unwrap_or(LogPosition::START);
    let mut lines = Lines { out, count: 0 };
    lines.put(&Line::Header {
        format: FORMAT.to_owned(),
        schema_version,
        events: to_u64(events)?,
        head,
        written_at: chrono::Utc::now().to_rfc3339(),
    })?;
    let mut report = PortableReport {
        events: 0,
        keys: 0,
        links: 0,
        head,
    };
    let sql = format!(
        "SELECT transaction_id, global_position, aggregate_type, aggregate_id, sequence, \
         event_type, event_version, {} AS recorded_micros, payload::text AS payload, \
         metadata::text AS metadata FROM events ORDER BY transaction_id, global_position",
        micros("recorded_at")
    );
    let mut rows = sqlx::query(&sql).fetch(&mut *tx);
    while let Some(row) = rows.try_next().await? {
        lines.put(&event_line(&row)?)?;
        report.events += 1;
    }
    drop(rows);
    let sql = format!(
        "SELECT subject, key, {} AS created, {} AS erased FROM personal_keys ORDER BY subject",
        micros("created_at"),
        micros("erased_at")
    );
    let mut rows = sqlx::query(&sql).fetch(&mut *tx);
    while let Some(row) = rows.try_next().await? {
        let key: Option<Vec<u8>> = row.try_get("key")?;
        lines.put(&Line::Key {
            subject: row.try_get("subject")?,
            key: key.map(|k| base64::engine::general_purpose::STANDARD.encode(k)),
            created_micros: row.try_get("created")?,
            erased_micros: row.try_get("erased")?,
        })?;
        report.keys += 1;
    }
    drop(rows);
    let sql = format!(
        "SELECT link, transaction_id, global_position, format, hash, {} AS chained \
         FROM log_chain ORDER BY link",
        micros("chained_at")
    );
    let mut rows = sqlx::query(&sql).fetch(&mut *tx);
    while let Some(row) = rows.try_next().await? {
        lines.put(&Line::Link {
            link: row.try_get("link")?,
            transaction_id: row.try_get("transaction_id")?,
            global_position: row.try_get("global_position")?,
            format: row.try_get("format")?,
            hash: row.try_get("hash")?,
            chained_micros: row.try_get("chained")?,
        })?;
        report.links += 1;
    }
    drop(rows);
    let sql = format!(
        "SELECT xid_offset, reason, {} AS adopted FROM log_transaction_offsets ORDER BY id",
        micros("adopted_at")
    );
    for row in sqlx::query(&sql).fetch_all(&mut *tx).await? {
        lines.put(&Line::Offset {
            xid_offset: row.try_get("xid_offset")?,
            reason: row.try_get("reason")?,
            adopted_micros: row.try_get("adopted")?,
        })?;
    }
    tx.commit().await?;
    connection.close().await?;
    let total = lines.count + 1;
    lines.put(&Line::End { lines: total })?;
    lines.out.flush().map_err(StoreError::decode)?;
    Ok(report)
}

fn event_line(row: &PgRow) -> Result<Line, StoreError> {
    Ok(Line::Event {
        transaction_id: row.try_get("transaction_id")?,
        global_position: row.try_get("global_position")?,
        aggregate_type: row.try_get("aggregate_type")?,
        aggregate_id: row.try_get("aggregate_id")?,
        sequence: row.try_get("sequence")?,
        event_type: row.try_get("event_type")?,
        event_version: row.try_get("event_version")?,
        recorded_micros: row.try_get("recorded_micros")?,
        payload: row.try_get("payload")?,
        metadata: row.try_get("metadata")?,
    })
}

pub(super) fn to_u64(value: i64) -> Result<u64, StoreError> {
    u64::try_from(value).map_err(|_| StoreError::decode(format!("negative number {value}")))
}
