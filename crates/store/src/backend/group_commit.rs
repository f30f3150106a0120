//! Appends, several commands to one commit, on both backends.
//!
//! A command appends by handing its events to a queue and waiting for its answer. A task takes
//! every append queued while the previous commit was being made (at most `most` of them) and
//! hands the batch to the backend's [`Committer`], which writes each command's events
//! all-or-nothing, commits once for all, and answers each command only after that commit.
//!
//! Why: a commit is the expensive part of an append. SQLite makes its commits one at a time,
//! each flushed on its own; on PostgreSQL a commit per command means a round trip for BEGIN,
//! the insert, COMMIT and the read-back of the position, per command. Sharing the commit and
//! the round trip between the commands waiting at a moment is what lets writes keep up with
//! the database's own pace (docs/benchmarks.md).

use std::future::Future;
use std::sync::Arc;

use cqrs_es::persist::SerializedEvent;
use tokio::sync::{mpsc, oneshot, Semaphore};

use super::AppendError;
use crate::{LogPosition, StoreError};

/// One command's events waiting for a commit.
pub(crate) struct Pending {
    pub aggregate_type: &'static str,
    pub events: Vec<SerializedEvent>,
    /// Where to say how it went.
    answer: oneshot::Sender<Result<LogPosition, AppendError>>,
}

/// What one backend does with a batch.
pub(crate) trait Committer: Send + Sync + 'static {
    /// Appends each command's events, all of a command or none, commits once, and returns one
    /// outcome per command, in order: the position of its last event, a conflict, or a failure.
    fn commit(
        &self,
        batch: &[Pending],
    ) -> impl Future<Output = Vec<Result<LogPosition, AppendError>>> + Send;
}

/// How batches are formed and run.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Batching {
    /// The most commands one commit takes: enough to empty the queue of a busy server, few
    /// enough that the first of them does not wait long for the last.
    pub most: usize,
    /// How many batches may be committing at once (SQLite: one, it has one writer).
    pub at_once: usize,
}

/// The queue of appends to the task that commits them. Unbounded: what waits in it is bounded
/// by the commands in flight, each of which waits for its own answer.
#[derive(Debug, Clone)]
pub(crate) struct GroupCommit {
    queue: mpsc::UnboundedSender<Pending>,
}

impl GroupCommit {
    /// Starts the task that forms batches and hands them to `committer`. It ends when the last
    /// handle is dropped.
    pub fn start(committer: impl Committer, batching: Batching) -> Self {
        let (queue, waiting) = mpsc::unbounded_channel();
        tokio::spawn(batch_loop(Arc::new(committer), batching, waiting));
        Self { queue }
    }

    /// Appends the events of one command (numbered by the caller) and returns the position of
    /// the last one, once it is committed.
    pub async fn append(
        &self,
        aggregate_type: &'static str,
        events: Vec<SerializedEvent>,
    ) -> Result<LogPosition, AppendError> {
        let (answer, answered) = oneshot::channel();
        let pending = Pending {
            aggregate_type,
            events,
            answer,
        };
        if self.queue.send(pending).is_err() {
            return Err(stopped());
        }
        // A committer that panicked drops the answer: the command is told the writer stopped.
        answered.await.unwrap_or_else(|_| Err(stopped()))
    }
}

fn stopped() -> AppendError {
    AppendError::Failed(StoreError::Unavailable {
        source: Arc::new(std::io::Error::other("the event writer has stopped")),
    })
}

async fn batch_loop<C: Committer>(
    committer: Arc<C>,
    batching: Batching,
    mut waiting: mpsc::UnboundedReceiver<Pending>,
) {
    let slots = Arc::new(Semaphore::new(batching.at_once.max(1)));
    while let Some(first) = waiting.recv().await {
        // Wait for a free slot before gathering: what queues meanwhile joins this batch.
        let Ok(slot) = Arc::clone(&slots).acquire_owned().await else {
            return;
        };
        let mut batch = Vec::with_capacity(batching.most);
        batch.push(first);
        while batch.len() < batching.most {
            match waiting.try_recv() {
                Ok(next) => batch.push(next),
                Err(_) => break,
            }
        }
        let committer = Arc::clone(&committer);
        tokio::spawn(async move {
            let outcomes = committer.commit(&batch).await;
            for (pending, outcome) in batch.into_iter().zip(outcomes) {
                // A caller that stopped waiting (its request timed out) finds its events in
                // the log by its key when it retries.
                let _ = pending.answer.send(outcome);
            }
            drop(slot);
        });
    }
}

/// The same database error for each of `count` commands.
pub(crate) fn all_failed(
    count: usize,
    error: sqlx::Error,
) -> Vec<Result<LogPosition, AppendError>> {
    each_failed(count, &StoreError::shared(&Arc::new(error)))
}

/// The same failure for each of `count` commands.
pub(crate) fn each_failed(
    count: usize,
    error: &StoreError,
) -> Vec<Result<LogPosition, AppendError>> {
    (0..count)
        .map(|_| Err(AppendError::Failed(error.clone())))
        .collect()
}

/// Whether the database refused a statement for a taken key: the optimistic lock.
pub(crate) fn is_unique_violation(error: &sqlx::Error) -> bool {
    error
        .as_database_error()
        .is_some_and(|database_error| database_error.is_unique_violation())
}
