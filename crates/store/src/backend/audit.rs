//! The audit query: the log filtered by aggregate, actor, event type and time, in log order.
//! Unlike `read_after` it is not for following the log but for answering an auditor, so the
//! filters go into SQL (with indexes from migration 0002) instead of being applied in memory.
//!
//! On PostgreSQL it shows every committed event at once, without the follower's horizon: an
//! auditor must not get a silently shortened answer because an event writer is still open.
//! The price: an event whose transaction commits while an auditor pages through the result,
//! with a position below the page cursor, appears only when the query is run again.

use sqlx::postgres::PgPool;
use sqlx::sqlite::SqlitePool;
use sqlx::{Database, Encode, QueryBuilder, Type};

use serde_json::Value;

use super::{to_i64, LogRow};
use crate::{AuditFilter, LogPosition, StoreError};

const COLUMNS: &str = "global_position, aggregate_type, aggregate_id, sequence, event_type, \
                       event_version, payload, metadata, recorded_at";

/// The case a `PersonalDataRead` names: the same expression as the index of migration 0005
/// (on both backends), so that the planner uses it.
const READ_OF_CASE: &str =
    " AND aggregate_type = 'access_log' AND (payload -> 'PersonalDataRead' ->> 'case_id') = ";

pub(super) async fn postgres(
    pool: &PgPool,
    filter: &AuditFilter,
    after: LogPosition,
    limit: usize,
) -> Result<Vec<LogRow<Value>>, StoreError> {
    let (after_transaction, after_global) = after.parts();
    let mut sql = QueryBuilder::new(format!(
        "SELECT transaction_id, {COLUMNS} FROM events WHERE (transaction_id, global_position) > ("
    ));
    sql.push_bind(to_i64(after_transaction)?).push(", ");
    sql.push_bind(to_i64(after_global)?).push(")");
    push_text_filters(&mut sql, filter);
    if let Some(from) = filter.from {
        sql.push(" AND recorded_at >= ").push_bind(from);
    }
    if let Some(until) = filter.until {
        sql.push(" AND recorded_at < ").push_bind(until);
    }
    sql.push(" ORDER BY transaction_id, global_position LIMIT ");
    sql.push_bind(i64::try_from(limit).unwrap_or(i64::MAX));
    let rows = sql.build().fetch_all(pool).await?;
    rows.iter().map(super::postgres::event_row).collect()
}

pub(super) async fn sqlite(
    pool: &SqlitePool,
    filter: &AuditFilter,
    after: LogPosition,
    limit: usize,
) -> Result<Vec<LogRow<Value>>, StoreError> {
    let mut sql = QueryBuilder::new(format!(
        "SELECT {COLUMNS} FROM events WHERE global_position > "
    ));
    sql.push_bind(to_i64(after.parts().1)?);
    push_text_filters(&mut sql, filter);
    // recorded_at is ISO-8601 text in UTC with milliseconds: the same format compares in order.
    if let Some(from) = filter.from {
        sql.push(" AND recorded_at >= ").push_bind(iso(from));
    }
    if let Some(until) = filter.until {
        sql.push(" AND recorded_at < ").push_bind(iso(until));
    }
    sql.push(" ORDER BY global_position LIMIT ");
    sql.push_bind(i64::try_from(limit).unwrap_or(i64::MAX));
    let rows = sql.build().fetch_all(pool).await?;
    rows.iter().map(super::sqlite::event_row).collect()
}

/// The filters that are the same SQL on both dialects (text compared with text); the times
/// are not: `timestamptz` on PostgreSQL, ISO-8601 text on SQLite.
fn push_text_filters<DB>(sql: &mut QueryBuilder<'_, DB>, filter: &AuditFilter)
where
    DB: Database,
    for<'q> String: Encode<'q, DB> + Type<DB>,
{
    if let Some(value) = &filter.aggregate_type {
        sql.push(" AND aggregate_type = ").push_bind(value.clone());
    }
    if let Some(value) = &filter.aggregate_id {
        sql.push(" AND aggregate_id = ").push_bind(value.clone());
    }
    if let Some(value) = &filter.actor_id {
        sql.push(" AND metadata ->> 'actor_id' = ")
            .push_bind(value.clone());
    }
    if let Some(value) = &filter.event_type {
        sql.push(" AND event_type = ").push_bind(value.clone());
    }
    if let Some(case_id) = &filter.read_of_case {
        sql.push(READ_OF_CASE).push_bind(case_id.clone());
    }
}

fn iso(at: chrono::DateTime<chrono::Utc>) -> String {
    at.format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string()
}
