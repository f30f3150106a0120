//! Figure 2: reading the log from position 0 in pages, as a read model does at start-up.
//!
//! The log is filled with raw multi-row INSERTs of real `NoteAdded` rows (payload and metadata
//! copied from an event the store appended), `FILL_BATCH` rows per statement and transaction:
//! 100 cases of 1,000 events. Appending 100,000 events through `execute` would take minutes
//! here and measure figure 1 again.

use std::time::{Duration, Instant};

use guanjia_domain::case::EnterpriseCase;
use guanjia_store::{LogPosition, Store};
use serde_json::Value;
use sqlx::{Postgres, QueryBuilder, Row, Sqlite};

use crate::fixtures::{context, note, register, services, Raw, CASE_TYPE};

/// Events in the log read by figure 2 (plus the two template events).
pub const LOG_EVENTS: u64 = 100_000;
/// Events per `read_after` call.
pub const PAGE: usize = 1_000;
/// Rows per INSERT: 7 parameters each stays under SQLite's 32,766 and PostgreSQL's 65,535.
const FILL_BATCH: u64 = 2_000;
const EVENTS_PER_CASE: u64 = 1_000;

/// Events read and the time it took.
#[derive(Debug, Clone, Copy)]
pub struct Pass {
    pub events: u64,
    pub elapsed: Duration,
}

impl Pass {
    pub fn per_second(&self) -> f64 {
        self.events as f64 / self.elapsed.as_secs_f64()
    }
}

/// Appends two events through the store, then `LOG_EVENTS` copies of the second with raw SQL.
/// Returns how long the raw fill took.
pub async fn fill(store: &Store, raw: &Raw) -> anyhow::Result<Duration> {
    let services = services();
    store
        .execute::<EnterpriseCase>("log-template", register(0), &services, context())
        .await?;
    store
        .execute::<EnterpriseCase>("log-template", note(), &services, context())
        .await?;
    let template = store
        .read_after(LogPosition::START, 2)
        .await?
        .pop()
        .ok_or_else(|| anyhow::anyhow!("the template events were not read back"))?;
    let payload = template.payload;
    let metadata = serde_json::to_value(&template.metadata)?;

    let started = Instant::now();
    let mut first = 0;
    while first < LOG_EVENTS {
        let last = (first + FILL_BATCH).min(LOG_EVENTS);
        insert_rows(raw, first..last, &payload, &metadata).await?;
        first = last;
    }
    Ok(started.elapsed())
}

async fn insert_rows(
    raw: &Raw,
    rows: std::ops::Range<u64>,
    payload: &Value,
    metadata: &Value,
) -> anyhow::Result<()> {
    const INSERT: &str = "INSERT INTO events (aggregate_type, aggregate_id, sequence, event_type, \
                          event_version, payload, metadata) ";
    let row = |index: u64| {
        (
            format!("log-{}", index / EVENTS_PER_CASE),
            i64::try_from(index % EVENTS_PER_CASE + 1).unwrap_or(i64::MAX),
        )
    };
    match raw {
        Raw::Postgres(pool) => {
            let mut query = QueryBuilder::<Postgres>::new(INSERT);
            query.push_values(rows.map(row), |mut values, (id, sequence)| {
                values
                    .push_bind(CASE_TYPE)
                    .push_bind(id)
                    .push_bind(sequence)
                    .push_bind("NoteAdded")
                    .push_bind("1")
                    .push_bind(payload)
                    .push_bind(metadata);
            });
            query.build().execute(pool).await?;
        }
        Raw::Sqlite { write, .. } => {
            let mut query = QueryBuilder::<Sqlite>::new(INSERT);
            query.push_values(rows.map(row), |mut values, (id, sequence)| {
                values
                    .push_bind(CASE_TYPE)
                    .push_bind(id)
                    .push_bind(sequence)
                    .push_bind("NoteAdded")
                    .push_bind("1")
                    .push_bind(payload)
                    .push_bind(metadata);
            });
            query.build().execute(write).await?;
        }
    }
    Ok(())
}

/// Reads the whole log through `Store::read_after`, `PAGE` events at a time.
pub async fn read_through_store(store: &Store) -> anyhow::Result<Pass> {
    let started = Instant::now();
    let (mut after, mut events) = (LogPosition::START, 0u64);
    loop {
        let page = store.read_after(after, PAGE).await?;
        let Some(last) = page.last() else { break };
        after = last.position;
        events += page.len() as u64;
    }
    Ok(Pass {
        events,
        elapsed: started.elapsed(),
    })
}

/// The raw baseline: the store's paging query through plain sqlx, every column of the page
/// decoded to its sqlx type (payload and metadata as `serde_json::Value`) and kept until the
/// page is done, as `read_after` keeps its `Vec` — but no `StoredEvent` built. (Decoding row by
/// row and dropping each at once is kinder to the allocator and the cache: not the same work.)
///
/// One deliberate difference on PostgreSQL: the text form of the transaction id is selected as
/// `transaction_text`. The store names it `transaction_id`, and an output column of that name
/// is what `ORDER BY transaction_id` then sorts by — as text ("100000" < "99999"), so the
/// index cannot serve the order (every page sorts the rest of the log) and a page boundary
/// where the digit count of transaction ids grows skips events. Here the order is the xid8
/// column the index and the cursor use.
pub async fn read_raw(raw: &Raw) -> anyhow::Result<Pass> {
    let started = Instant::now();
    let mut events = 0u64;
    match raw {
        Raw::Postgres(pool) => {
            let (mut transaction, mut global) = ("0".to_owned(), 0i64);
            loop {
                let rows = sqlx::query(
                    "SELECT transaction_id::text AS transaction_text, global_position, \
                            aggregate_type, aggregate_id, sequence, event_type, event_version, \
                            payload, metadata, recorded_at \
                     FROM events \
                     WHERE transaction_id < pg_snapshot_xmin(pg_current_snapshot()) \
                       AND (transaction_id, global_position) > ($1::text::xid8, $2) \
                     ORDER BY transaction_id, global_position \
                     LIMIT $3",
                )
                .bind(&transaction)
                .bind(global)
                .bind(PAGE as i64)
                .fetch_all(pool)
                .await?;
                let Some(last) = rows.last() else { break };
                (transaction, global) = (last.try_get(0)?, last.try_get(1)?);
                let page = rows.iter().map(decode_pg).collect::<Result<Vec<_>, _>>()?;
                std::hint::black_box(page);
                events += rows.len() as u64;
            }
        }
        Raw::Sqlite { read, .. } => {
            let mut global = 0i64;
            loop {
                let rows = sqlx::query(
                    "SELECT global_position, aggregate_type, aggregate_id, sequence, event_type, \
                            event_version, payload, metadata, recorded_at \
                     FROM events WHERE global_position > ? ORDER BY global_position LIMIT ?",
                )
                .bind(global)
                .bind(PAGE as i64)
                .fetch_all(read)
                .await?;
                let Some(last) = rows.last() else { break };
                global = last.try_get(0)?;
                let page = rows
                    .iter()
                    .map(decode_sqlite)
                    .collect::<Result<Vec<_>, _>>()?;
                std::hint::black_box(page);
                events += rows.len() as u64;
            }
        }
    }
    Ok(Pass {
        events,
        elapsed: started.elapsed(),
    })
}

type Columns = (String, String, i64, String, String, Value, Value);

fn decode_pg(
    row: &sqlx::postgres::PgRow,
) -> Result<(Columns, chrono::DateTime<chrono::Utc>), sqlx::Error> {
    Ok((
        (
            row.try_get(2)?,
            row.try_get(3)?,
            row.try_get(4)?,
            row.try_get(5)?,
            row.try_get(6)?,
            row.try_get(7)?,
            row.try_get(8)?,
        ),
        row.try_get(9)?,
    ))
}

fn decode_sqlite(
    row: &sqlx::sqlite::SqliteRow,
) -> Result<(Columns, chrono::DateTime<chrono::Utc>), sqlx::Error> {
    Ok((
        (
            row.try_get(1)?,
            row.try_get(2)?,
            row.try_get(3)?,
            row.try_get(4)?,
            row.try_get(5)?,
            row.try_get(6)?,
            row.try_get(7)?,
        ),
        row.try_get(8)?,
    ))
}
