//! Appends on SQLite, several commands to one commit.
//!
//! SQLite has one writer at a time and flushes each commit to disk on its own
//! (`synchronous = FULL`): commands that append one after another each wait for a transaction
//! of their own on the single write connection. Here the appends waiting at a moment share one:
//! a task takes every append queued while the previous commit was being made (at most
//! [`MOST_PER_COMMIT`]), opens one `BEGIN IMMEDIATE` transaction, inserts each command's events
//! with one statement, commits once, and answers each command only after that commit.
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

use std::sync::Arc;

use cqrs_es::persist::SerializedEvent;
use sqlx::pool::PoolConnection;
use sqlx::{Sqlite, SqliteConnection, SqlitePool};
use tokio::sync::{mpsc, oneshot};

use super::super::AppendError;
use crate::{LogPosition, StoreError};

/// The most commands one commit takes: enough to empty the queue of a busy server, few enough
/// that the first of them does not wait long for the last.
pub(super) const MOST_PER_COMMIT: usize = 64;

/// One command's events waiting for a commit, and where to say how it went.
struct Pending {
    aggregate_type: &'static str,
    events: Vec<SerializedEvent>,
    answer: oneshot::Sender<Result<LogPosition, AppendError>>,
}

/// The queue of appends to the task that commits them. Unbounded: what waits in it is bounded
/// by the commands in flight, each of which waits for its own answer.
#[derive(Debug, Clone)]
pub(super) struct GroupCommit {
    queue: mpsc::UnboundedSender<Pending>,
}

impl GroupCommit {
    /// Starts the committing task on `pool`, the single-connection write pool. It ends when the
    /// last handle is dropped.
    pub fn start(pool: SqlitePool) -> Self {
        let (queue, waiting) = mpsc::unbounded_channel();
        tokio::spawn(commit_loop(pool, waiting));
        Self { queue }
    }

    /// Appends the events of one command (numbered by the caller) and returns the position of
    /// the last one, once it is committed.
    pub async fn append(
        &self,
        aggregate_type: &'static str,
        events: &[SerializedEvent],
    ) -> Result<LogPosition, AppendError> {
        let (answer, answered) = oneshot::channel();
        let pending = Pending {
            aggregate_type,
            events: events.to_vec(),
            answer,
        };
        if self.queue.send(pending).is_err() {
            return Err(stopped());
        }
        answered.await.unwrap_or_else(|_| Err(stopped()))
    }
}

fn stopped() -> AppendError {
    AppendError::Failed(StoreError::Unavailable {
        source: Arc::new(std::io::Error::other("the SQLite writer has stopped")),
    })
}

async fn commit_loop(pool: SqlitePool, mut waiting: mpsc::UnboundedReceiver<Pending>) {
    let mut batch = Vec::with_capacity(MOST_PER_COMMIT);
    while let Some(first) = waiting.recv().await {
        batch.push(first);
        while batch.len() < MOST_PER_COMMIT {
            match waiting.try_recv() {
                Ok(next) => batch.push(next),
                Err(_) => break,
            }
        }
        let outcomes = match pool.acquire().await {
            Ok(mut connection) => commit_batch(&mut connection, &batch).await,
            Err(error) => all_failed(batch.len(), error),
        };
        for (pending, outcome) in batch.drain(..).zip(outcomes) {
            // A caller that stopped waiting (its request timed out) finds its events in the
            // log by its key when it retries.
            let _ = pending.answer.send(outcome);
        }
    }
}

/// One transaction for the whole batch; an outcome per command, in order.
async fn commit_batch(
    connection: &mut PoolConnection<Sqlite>,
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

fn is_unique_violation(error: &sqlx::Error) -> bool {
    error
        .as_database_error()
        .is_some_and(|database_error| database_error.is_unique_violation())
}

/// The same failure for each of `count` commands.
fn all_failed(count: usize, error: sqlx::Error) -> Vec<Result<LogPosition, AppendError>> {
    let error = Arc::new(error);
    (0..count)
        .map(|_| Err(AppendError::Failed(StoreError::shared(&error))))
        .collect()
}
