//! The PostgreSQL backend: many writers, many nodes.
//!
//! Appends go through `guanjia_append`, several commands per call (`append.rs`). The subtle part is reading the global log: `global_position`
//! comes from a sequence at insert time and transactions commit in a different order than they
//! insert, so the log is read in `(transaction_id, global_position)` order below a horizon that
//! no transaction can still commit under (`horizon.rs`). `transaction_id` is a log transaction
//! number that stays valid when the database is restored onto another cluster (`adopt.rs`).

mod adopt;
mod append;
mod horizon;
mod kept;
mod log;

use std::str::FromStr;
use std::sync::Arc;

use cqrs_es::persist::SerializedEvent;
use cqrs_es::Aggregate;
use serde_json::Value;
use sqlx::migrate::{MigrateError, Migrator};
use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions, PgRow};
use sqlx::{Connection, Row};

use super::group_commit::GroupCommit;
use super::{to_i64, to_u64};
use super::{AppendError, RawEvent};
use crate::{CommittedEvent, LogPosition, StoreError, StoreOptions};

pub(crate) use log::event_row;

pub(super) static MIGRATOR: Migrator = sqlx::migrate!("../../migrations/postgres");

/// How long a connection may wait in the pool before it is asked whether it still answers
/// when it is taken out again.
const ASK_AGAIN_AFTER_IDLE: std::time::Duration = std::time::Duration::from_secs(1);

pub(crate) struct PgDb {
    pool: PgPool,
    /// Appends, several commands per round trip and commit (`append.rs`): the only way events
    /// are appended.
    appends: GroupCommit,
    /// Connections kept between appends (`kept.rs`); shared with the committer.
    kept_appends: Arc<kept::Kept>,
    /// Connections kept between reads of the log, the followers' above all.
    kept_reads: kept::Kept,
}

impl PgDb {
    pub async fn connect(url: &str, options: &StoreOptions) -> Result<Self, StoreError> {
        let connect = PgConnectOptions::from_str(url)
            .map_err(|_| StoreError::InvalidUrl {
                reason: "not a PostgreSQL URL".to_string(),
            })?
            .application_name("guanjia");
        // At least two: the LISTEN task keeps one connection for itself. A request waits at
        // most `acquire_timeout` for a connection, so that while the database is away callers
        // get a prompt, retryable answer instead of hanging.
        let pool = PgPoolOptions::new()
            .max_connections(options.max_connections.max(2))
            .acquire_timeout(options.acquire_timeout)
            // sqlx asks every connection whether it still answers when it is put back (a
            // round trip it always makes) and, by default, again when it is taken out: two
            // round trips around every statement a command runs. The second is asked only
            // of a connection that has waited in the pool a while — one put back a moment
            // ago has just answered. A connection lost within that moment (the database
            // restarted) fails its next statement as `Unavailable`, which callers retry.
            .test_before_acquire(false)
            .before_acquire(|connection, meta| {
                Box::pin(async move {
                    if meta.idle_for < ASK_AGAIN_AFTER_IDLE {
                        return Ok(true);
                    }
                    Ok(connection.ping().await.is_ok())
                })
            })
            .connect_with(connect)
            .await?;
        let kept_appends = Arc::new(kept::Kept::new(pool.clone(), append::BATCHING.at_once));
        let appends = GroupCommit::start(
            append::PgCommitter(Arc::clone(&kept_appends)),
            append::BATCHING,
        );
        Ok(Self {
            kept_reads: kept::Kept::new(pool.clone(), log::READS_KEPT),
            pool,
            appends,
            kept_appends,
        })
    }

    /// The pool, for the LISTEN task and the SQL kept in other modules.
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
        let versions = sqlx::query_scalar(
            "SELECT version FROM _sqlx_migrations WHERE success ORDER BY version",
        )
        .fetch_all(&self.pool)
        .await?;
        Ok(Some(versions))
    }

    pub async fn run_migrations(&self) -> Result<(), MigrateError> {
        MIGRATOR.run(&self.pool).await
    }

    /// Makes sure later log transaction numbers come after every number already in the log
    /// (`adopt.rs`).
    pub async fn adopt_log_numbers(&self) -> Result<(), StoreError> {
        adopt::adopt(&self.pool).await
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
            "SELECT transaction_id, global_position, sequence, event_type, payload FROM events \
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
                    position: position(row)?,
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
            "SELECT sequence, event_type, payload, transaction_id, global_position FROM events \
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

    pub async fn close(&self) {
        // Closing waits for every connection to be back in the pool.
        self.kept_appends.release();
        self.kept_reads.release();
        self.pool.close().await;
    }
}

/// The position of a row that selected `transaction_id` and `global_position`.
fn position(row: &PgRow) -> Result<LogPosition, StoreError> {
    Ok(LogPosition::from_parts(
        to_u64(row.try_get("transaction_id")?)?,
        to_u64(row.try_get("global_position")?)?,
    ))
}
