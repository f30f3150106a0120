//! Appends on SQLite: the batch of the shared group commit (`backend/group_commit.rs`) in one
//! transaction.
//!
//! SQLite has one writer at a time and flushes each commit to disk on its own
//! (`synchronous = FULL`), so the appends waiting at a moment share one commit: one
//! `BEGIN IMMEDIATE` transaction on the single write connection, one statement per command,
//! one commit.
//!
//! Each command stays all-or-nothing without savepoints: a statement SQLite refuses (its
//! sequence or its key is taken: the optimistic lock) is undone by SQLite alone, and the
//! transaction goes on with the other commands. The statement returns the positions it wrote,
//! so a command learns its position without reading it back.
//!
//! The rows are the ones sqlite-es wrote before this (the same columns, the payload and metadata
//! as JSON text), so logs written then and now read alike; sqlite-es could only append one
//! command per transaction, which is why it is no longer used. If the commit itself fails, no
//! command of the batch is in the log and each is told so.

use sqlx::{SqliteConnection, SqlitePool};

use crate::backend::group_commit::{all_failed, is_unique_violation, Batching, Committer, Pending};
use crate::backend::AppendError;
use crate::{LogPosition, StoreError};

/// One batch at a time (SQLite has one writer), of at most 64 commands.
pub(super) const BATCHING: Batching = Batching {
    most: 64,
    at_once: 1,
};

/// Commits batches on the single-connection write pool.
pub(super) struct SqliteCommitter(pub SqlitePool);

impl Committer for SqliteCommitter {
    async fn commit(&self, batch: &[Pending]) -> Vec<Result<LogPosition, AppendError>> {
        match self.0.acquire().await {
            Ok(mut connection) => commit_batch(&mut connection, batch).await,
            Err(error) => all_failed(batch.len(), error),
        }
    }
}

/// One transaction for the whole batch; an outcome per command, in order.
async fn commit_batch(
    connection: &mut sqlx::pool::PoolConnection<sqlx::Sqlite>,
    batch: &[Pending],
) -> Vec<Result<LogPosition, AppendError>> {
    if let Err(error) = sqlx::query("BEGIN IMMEDIATE")
        .execute(&mut **connection)
        .await
    {
        return all_failed(batch.len(), error);
    }
    let mut outcomes = Vec::with_capacity(batch.len());
    for pending in batch {
        outcomes.push(insert(connection, pending).await);
    }
    if let Err(error) = sqlx::query("COMMIT").execute(&mut **connection).await {
        // Nothing of the batch is in the log: undo what is left of it, and say so to all. A
        // connection that cannot even roll back is closed rather than given back to the pool
        // still inside a transaction.
        if sqlx::query("ROLLBACK")
            .execute(&mut **connection)
            .await
            .is_err()
        {
            connection.close_on_drop();
        }
        return all_failed(batch.len(), error);
    }
    outcomes
}

/// One command's events in one statement: all of them or, refused, none.
async fn insert(
    connection: &mut SqliteConnection,
    pending: &Pending,
) -> Result<LogPosition, AppendError> {
    let rows = vec!["(?, ?, ?, ?, ?, ?, ?)"; pending.events.len()].join(", ");
    let statement = format!(
        "INSERT INTO events (aggregate_type, aggregate_id, sequence, event_type, event_version, \
         payload, metadata) VALUES {rows} RETURNING global_position"
    );
    let mut query = sqlx::query_scalar::<_, i64>(&statement);
    for event in &pending.events {
        let sequence = i64::try_from(event.sequence)
            .map_err(|_| AppendError::Failed(StoreError::decode("a sequence beyond i64")))?;
        query = query
            .bind(pending.aggregate_type)
            .bind(event.aggregate_id.as_str())
            .bind(sequence)
            .bind(event.event_type.as_str())
            .bind(event.event_version.as_str())
            .bind(event.payload.to_string())
            .bind(event.metadata.to_string());
    }
    match query.fetch_all(&mut *connection).await {
        Ok(positions) => positions
            .into_iter()
            .max()
            .and_then(|last| u64::try_from(last).ok())
            .map(|last| LogPosition::from_parts(0, last))
            .ok_or_else(|| AppendError::Failed(StoreError::decode("an append wrote no row"))),
        Err(error) if is_unique_violation(&error) => Err(AppendError::Conflict),
        Err(error) => Err(AppendError::Failed(StoreError::from(error))),
    }
}
