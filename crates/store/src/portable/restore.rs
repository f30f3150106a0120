//! Loading a portable copy (`mod.rs` describes the file) into an empty PostgreSQL database:
//! one transaction, events first (the log reader's horizon requires an event writer to append
//! before it writes anything else), each kind of line in batches of one multi-row INSERT.

use std::io::BufRead;

use base64::Engine;
use sqlx::postgres::PgPoolOptions;
use sqlx::{Postgres, Transaction};

use super::{Line, PortableReport, FORMAT};
use crate::{migrate, Backend, StoreError};

/// Rows per INSERT.
const BATCH: usize = 1000;

fn bad(line: u64, why: impl std::fmt::Display) -> StoreError {
    StoreError::decode(format!("line {line} of the backup: {why}"))
}

/// Loads a portable copy from `input` into the PostgreSQL database at `url`, which must hold
/// no event (it is migrated first). One transaction: a failure leaves the database as it was.
pub async fn restore(url: &str, input: impl BufRead) -> Result<PortableReport, StoreError> {
    if Backend::from_url(url)? != Backend::Postgres {
        return Err(StoreError::InvalidUrl {
            reason: "a portable backup is restored into PostgreSQL".to_owned(),
        });
    }
    let migrated = migrate(url).await?;
    let pool = PgPoolOptions::new().max_connections(1).connect(url).await?;
    let existing: i64 = sqlx::query_scalar("SELECT count(*) FROM events")
        .fetch_one(&pool)
        .await?;
    if existing > 0 {
        return Err(StoreError::Rejected(
            guanjia_domain::DomainError::not_allowed(format!(
                "the database already holds {existing} events; restore into an empty database"
            )),
        ));
    }
    let mut lines = input.lines();
    let header = lines
        .next()
        .ok_or_else(|| bad(1, "the file is empty"))?
        .map_err(|e| bad(1, e))?;
    let head = match serde_json::from_str::<Line>(&header).map_err(|e| bad(1, e))? {
        Line::Header {
            format,
            schema_version,
            head,
            ..
        } => {
            if format != FORMAT {
                return Err(bad(1, format!("format {format:?}, expected {FORMAT:?}")));
            }
            if schema_version > migrated.version {
                return Err(StoreError::SchemaTooNew {
                    database_version: schema_version,
                    binary_version: migrated.version,
                });
            }
            head
        }
        _ => return Err(bad(1, "no header")),
    };
    let mut tx = pool.begin().await?;
    let mut report = PortableReport {
        events: 0,
        keys: 0,
        links: 0,
        head,
    };
    let mut batch: Vec<Line> = Vec::with_capacity(BATCH);
    let mut count = 1u64;
    let mut ended = false;
    for text in lines {
        count += 1;
        let text = text.map_err(|e| bad(count, e))?;
        let line: Line = serde_json::from_str(&text).map_err(|e| bad(count, e))?;
        if let Line::End { lines } = line {
            if lines != count {
                return Err(bad(
                    count,
                    format!("the file says {lines} lines, it has {count}"),
                ));
            }
            ended = true;
            break;
        }
        let kind = std::mem::discriminant(&line);
        if batch.len() == BATCH
            || batch
                .first()
                .is_some_and(|f| std::mem::discriminant(f) != kind)
        {
            insert(&mut tx, std::mem::take(&mut batch), &mut report).await?;
        }
        batch.push(line);
    }
    if !ended {
        return Err(bad(count, "the file ends without its trailer: it was cut"));
    }
    insert(&mut tx, batch, &mut report).await?;
    sqlx::query(
        "SELECT setval('events_global_position_seq', \
                       greatest((SELECT max(global_position) FROM events), 1))",
    )
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    pool.close().await;
    Ok(report)
}

/// Inserts one batch of lines of one kind.
async fn insert(
    tx: &mut Transaction<'_, Postgres>,
    batch: Vec<Line>,
    report: &mut PortableReport,
) -> Result<(), StoreError> {
    let mut events = Events::default();
    let mut keys = Keys::default();
    let mut links = Links::default();
    for line in batch {
        match line {
            Line::Event { .. } => events.push(line),
            Line::Key { .. } => keys.push(line)?,
            Line::Link { .. } => links.push(line),
            Line::Offset {
                xid_offset,
                reason,
                adopted_micros,
            } => {
                sqlx::query(
                    "INSERT INTO log_transaction_offsets (xid_offset, reason, adopted_at) \
                     VALUES ($1, $2, timestamptz 'epoch' + $3 * interval '1 microsecond')",
                )
                .bind(xid_offset)
                .bind(reason)
                .bind(adopted_micros)
                .execute(&mut **tx)
                .await?;
            }
            Line::Header { .. } | Line::End { .. } => {}
        }
    }
    report.events += events.insert(tx).await?;
    report.keys += keys.insert(tx).await?;
    report.links += links.insert(tx).await?;
    Ok(())
}

/// Columns of event lines, for one `UNNEST` insert.
#[derive(Default)]
struct Events {
    transaction_id: Vec<i64>,
    global_position: Vec<i64>,
    aggregate_type: Vec<String>,
    aggregate_id: Vec<String>,
    sequence: Vec<i64>,
    event_type: Vec<String>,
    event_version: Vec<String>,
    recorded_micros: Vec<i64>,
    payload: Vec<String>,
    metadata: Vec<String>,
}

impl Events {
    fn push(&mut self, line: Line) {
        if let Line::Event {
            transaction_id,
            global_position,
            aggregate_type,
            aggregate_id,
            sequence,
            event_type,
            event_version,
            recorded_micros,
            payload,
            metadata,
        } = line
        {
            self.transaction_id.push(transaction_id);
            self.global_position.push(global_position);
            self.aggregate_type.push(aggregate_type);
            self.aggregate_id.push(aggregate_id);
            self.sequence.push(sequence);
            self.event_type.push(event_type);
            self.event_version.push(event_version);
            self.recorded_micros.push(recorded_micros);
            self.payload.push(payload);
            self.metadata.push(metadata);
        }
    }

    async fn insert(self, tx: &mut Transaction<'_, Postgres>) -> Result<u64, StoreError> {
        if self.sequence.is_empty() {
            return Ok(0);
        }
        let rows = sqlx::query(
            "INSERT INTO events (transaction_id, global_position, aggregate_type, aggregate_id, \
             sequence, event_type, event_version, recorded_at, payload, metadata) \
             SELECT t, g, a, i, s, e, v, timestamptz 'epoch' + r * interval '1 microsecond', \
                    p::jsonb, m::jsonb \
             FROM UNNEST($1::bigint[], $2::bigint[], $3::text[], $4::text[], $5::bigint[], \
                         $6::text[], $7::text[], $8::bigint[], $9::text[], $10::text[]) \
                  AS row(t, g, a, i, s, e, v, r, p, m)",
        )
        .bind(self.transaction_id)
        .bind(self.global_position)
        .bind(self.aggregate_type)
        .bind(self.aggregate_id)
        .bind(self.sequence)
        .bind(self.event_type)
        .bind(self.event_version)
        .bind(self.recorded_micros)
        .bind(self.payload)
        .bind(self.metadata)
        .execute(&mut **tx)
        .await?;
        Ok(rows.rows_affected())
    }
}

/// Columns of personal-data key lines.
#[derive(Default)]
struct Keys {
    subject: Vec<String>,
    key: Vec<Option<Vec<u8>>>,
    created_micros: Vec<i64>,
    erased_micros: Vec<Option<i64>>,
}

impl Keys {
    fn push(&mut self, line: Line) -> Result<(), StoreError> {
        if let Line::Key {
            subject,
            key,
            created_micros,
            erased_micros,
        } = line
        {
            let key = key
                .map(|k| base64::engine::general_purpose::STANDARD.decode(k))
                .transpose()
                .map_err(StoreError::decode)?;
            self.subject.push(subject);
            self.key.push(key);
            self.created_micros.push(created_micros);
            self.erased_micros.push(erased_micros);
        }
        Ok(())
    }

    async fn insert(self, tx: &mut Transaction<'_, Postgres>) -> Result<u64, StoreError> {
        if self.subject.is_empty() {
            return Ok(0);
        }
        let rows = sqlx::query(
            "INSERT INTO personal_keys (subject, key, created_at, erased_at) \
             SELECT s, k, timestamptz 'epoch' + c * interval '1 microsecond', \
                    timestamptz 'epoch' + e * interval '1 microsecond' \
             FROM UNNEST($1::text[], $2::bytea[], $3::bigint[], $4::bigint[]) AS row(s, k, c, e)",
        )
        .bind(self.subject)
        .bind(self.key)
        .bind(self.created_micros)
        .bind(self.erased_micros)
        .execute(&mut **tx)
        .await?;
        Ok(rows.rows_affected())
    }
}

/// Columns of chain link lines.
#[derive(Default)]
struct Links {
    link: Vec<i64>,
    transaction_id: Vec<i64>,
    global_position: Vec<i64>,
    format: Vec<i16>,
    hash: Vec<String>,
    chained_micros: Vec<i64>,
}

impl Links {
    fn push(&mut self, line: Line) {
        if let Line::Link {
            link,
            transaction_id,
            global_position,
            format,
            hash,
            chained_micros,
        } = line
        {
            self.link.push(link);
            self.transaction_id.push(transaction_id);
            self.global_position.push(global_position);
            self.format.push(format);
            self.hash.push(hash);
            self.chained_micros.push(chained_micros);
        }
    }

    async fn insert(self, tx: &mut Transaction<'_, Postgres>) -> Result<u64, StoreError> {
        if self.link.is_empty() {
            return Ok(0);
        }
        let rows = sqlx::query(
            "INSERT INTO log_chain (link, transaction_id, global_position, format, hash, \
             chained_at) \
             SELECT l, t, g, f, h, timestamptz 'epoch' + c * interval '1 microsecond' \
             FROM UNNEST($1::bigint[], $2::bigint[], $3::bigint[], $4::smallint[], $5::text[], \
                         $6::bigint[]) AS row(l, t, g, f, h, c)",
        )
        .bind(self.link)
        .bind(self.transaction_id)
        .bind(self.global_position)
        .bind(self.format)
        .bind(self.hash)
        .bind(self.chained_micros)
        .execute(&mut **tx)
        .await?;
        Ok(rows.rows_affected())
    }
}
