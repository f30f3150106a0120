//! The store's own queries whose SQL is the same on SQLite and PostgreSQL, written once and
//! generic over the sqlx database: snapshots and the command key. `$1`-style parameters are
//! PostgreSQL's and also SQLite's (sqlx binds `$N` by number on both); `->>` reads JSON on both.
//!
//! What stays in `sqlite/` and `postgres/` differs for a reason: a log position is
//! `(transaction_id, global_position)` on PostgreSQL and `global_position` alone on SQLite
//! (docs/event-log.md), so every query that returns positions selects other columns; schemas
//! are listed differently; and PostgreSQL reads its log below a horizon that SQLite does not
//! need.

use serde_json::Value;
use sqlx::{ColumnIndex, Database, Decode, Encode, Executor, IntoArguments, Row, Type};

use super::{parse_count, to_i64, to_u64, CommandRecord, RawSnapshot};
use crate::StoreError;

/// The snapshot of one aggregate, if any.
pub(super) async fn snapshot<'e, DB, E>(
    executor: E,
    aggregate_type: &str,
    aggregate_id: &str,
) -> Result<Option<RawSnapshot>, StoreError>
where
    DB: Database,
    E: Executor<'e, Database = DB>,
    for<'q> &'q str: Encode<'q, DB> + Type<DB>,
    for<'q> <DB as Database>::Arguments<'q>: IntoArguments<'q, DB>,
    for<'r> i64: Decode<'r, DB> + Type<DB>,
    for<'r> i32: Decode<'r, DB> + Type<DB>,
    for<'r> Value: Decode<'r, DB> + Type<DB>,
    for<'n> &'n str: ColumnIndex<DB::Row>,
{
    let row = sqlx::query(
        "SELECT last_sequence, state_version, payload FROM snapshots \
         WHERE aggregate_type = $1 AND aggregate_id = $2",
    )
    .bind(aggregate_type)
    .bind(aggregate_id)
    .fetch_optional(executor)
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

/// Keeps `snapshot` unless one as new of the same layout is there already.
pub(super) async fn save_snapshot<'e, DB, E>(
    executor: E,
    aggregate_type: &str,
    aggregate_id: &str,
    snapshot: &RawSnapshot,
) -> Result<(), StoreError>
where
    DB: Database,
    E: Executor<'e, Database = DB>,
    for<'q> &'q str: Encode<'q, DB> + Type<DB>,
    for<'q> i64: Encode<'q, DB> + Type<DB>,
    for<'q> i32: Encode<'q, DB> + Type<DB>,
    for<'q> Value: Encode<'q, DB> + Type<DB>,
    for<'q> <DB as Database>::Arguments<'q>: IntoArguments<'q, DB>,
{
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
    .execute(executor)
    .await?;
    Ok(())
}

/// Where an earlier copy of the command with `command_key` left its events, if it ran.
pub(super) async fn find_command<'e, DB, E>(
    executor: E,
    aggregate_type: &str,
    aggregate_id: &str,
    command_key: &str,
) -> Result<Option<CommandRecord>, StoreError>
where
    DB: Database,
    E: Executor<'e, Database = DB>,
    for<'q> &'q str: Encode<'q, DB> + Type<DB>,
    for<'q> <DB as Database>::Arguments<'q>: IntoArguments<'q, DB>,
    for<'r> i64: Decode<'r, DB> + Type<DB>,
    for<'r> String: Decode<'r, DB> + Type<DB>,
    for<'n> &'n str: ColumnIndex<DB::Row>,
{
    // The expression matches the partial unique index `events_command_key` on both.
    let row = sqlx::query(
        "SELECT sequence, metadata ->> 'command_events' AS events, \
                metadata ->> 'command_fingerprint' AS fingerprint FROM events \
         WHERE aggregate_type = $1 AND aggregate_id = $2 AND (metadata ->> 'command_key') = $3",
    )
    .bind(aggregate_type)
    .bind(aggregate_id)
    .bind(command_key)
    .fetch_optional(executor)
    .await?;
    row.map(|row| {
        let events: Option<String> = row.try_get("events")?;
        Ok(CommandRecord {
            first_sequence: to_u64(row.try_get("sequence")?)?,
            events: parse_count(events)?,
            fingerprint: row.try_get("fingerprint")?,
        })
    })
    .transpose()
}
