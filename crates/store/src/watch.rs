//! Live following of the log: telling a reader "there may be something new".
//!
//! Three sources, each covering what the one before misses:
//! 1. an in-process signal after every commit made through this `Store` — immediate;
//! 2. on PostgreSQL, `LISTEN guanjia_events` — commits made by other nodes, each of which
//!    notifies after its commits (`announce.rs`); this store's own notifications are skipped;
//! 3. polling: [`LogWatcher::changed`] returns after `poll_interval` at the latest. This covers
//!    SQLite files written by another process, a lost LISTEN connection, and the one case a
//!    NOTIFY cannot cover on PostgreSQL: a reader held back by an open transaction that
//!    inserts no events (its end sends no notification, yet it unblocks the reader).
//!
//! The signal carries no data, only a counter: the reader always asks the database what is new
//! with `read_after`, so a spurious wake-up costs one query and a lost one at most one interval.

use std::time::Duration;

use sqlx::postgres::{PgListener, PgPool};
use tokio::sync::watch;
use tokio::task::JoinHandle;

use crate::StoreError;

/// The PostgreSQL notification channel on which nodes announce their commits.
pub(crate) const CHANNEL: &str = "guanjia_events";

/// Waits for the log to change. Get one from [`Store::subscribe`](crate::Store::subscribe).
///
/// ```no_run
/// # async fn follow(store: guanjia_store::Store) -> Result<(), guanjia_store::StoreError> {
/// let mut watcher = store.subscribe();
/// let mut position = guanjia_store::LogPosition::START;
/// loop {
///     for event in store.read_after(position, 500).await? {
///         position = event.position; // apply the event to the read model here
///     }
///     watcher.changed().await;
/// }
/// # }
/// ```
#[derive(Debug)]
pub struct LogWatcher {
    /// Bumped after each local commit and each NOTIFY; the value itself means nothing.
    changes: watch::Receiver<u64>,
    poll_interval: Duration,
}

impl LogWatcher {
    pub(crate) fn new(changes: watch::Receiver<u64>, poll_interval: Duration) -> Self {
        Self {
            changes,
            poll_interval,
        }
    }

    /// Returns when the log may have changed since the last call (or since the watcher was made):
    /// at once if a signal is pending, else at the next signal or after the poll interval.
    ///
    /// Call it after reading, not before: a signal that arrives while the caller reads is kept
    /// and ends the next wait immediately, so no commit is missed.
    pub async fn changed(&mut self) {
        self.changed_within(self.poll_interval).await;
    }

    /// As [`Self::changed`], but returns after `limit` at the latest when that is sooner than
    /// the poll interval: for a reader that knows there is more to read and looks again soon.
    pub async fn changed_within(&mut self, limit: Duration) {
        let limit = limit.min(self.poll_interval);
        tokio::select! {
            result = self.changes.changed() => {
                if result.is_err() {
                    tokio::time::sleep(limit).await;
                }
            }
            () = tokio::time::sleep(limit) => {}
        }
    }
}

/// Aborts the LISTEN task when the last handle of the store is dropped.
#[derive(Debug)]
pub(crate) struct ListenerTask(JoinHandle<()>);

impl Drop for ListenerTask {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// Starts listening for commits by other processes. The first LISTEN happens before this
/// returns, so a store that has opened does not miss a commit made right after.
/// Notifications carrying `node` are this store's own and are skipped.
pub(crate) async fn listen(
    pool: PgPool,
    changes: watch::Sender<u64>,
    node: String,
) -> Result<ListenerTask, StoreError> {
    let listener = connect(&pool).await?;
    Ok(ListenerTask(tokio::spawn(run(
        pool, listener, changes, node,
    ))))
}

async fn connect(pool: &PgPool) -> Result<PgListener, sqlx::Error> {
    let mut listener = PgListener::connect_with(pool).await?;
    listener.listen(CHANNEL).await?;
    Ok(listener)
}

async fn run(pool: PgPool, mut listener: PgListener, changes: watch::Sender<u64>, node: String) {
    let bump = || changes.send_modify(|count| *count = count.wrapping_add(1));
    loop {
        match listener.try_recv().await {
            // This store's own announcement: its readers were woken in process already.
            Ok(Some(notification)) if notification.payload() == node => {}
            Ok(Some(_notification)) => bump(),
            // The connection dropped and sqlx reconnected (and re-listened): notifications sent
            // in between are lost, so wake the readers to look for themselves.
            Ok(None) => bump(),
            Err(sqlx::Error::PoolClosed) => return,
            Err(error) => {
                tracing::warn!(%error, "LISTEN {CHANNEL} failed; reconnecting");
                listener = match reconnect(&pool).await {
                    Some(listener) => listener,
                    None => return,
                };
                bump();
            }
        }
    }
}

/// Retries with a growing pause (up to 30 s) until LISTEN works again; `None` once the pool is
/// closed. Meanwhile readers still poll.
async fn reconnect(pool: &PgPool) -> Option<PgListener> {
    let mut pause = Duration::from_millis(100);
    loop {
        if pool.is_closed() {
            return None;
        }
        tokio::time::sleep(pause).await;
        match connect(pool).await {
            Ok(listener) => return Some(listener),
            Err(sqlx::Error::PoolClosed) => return None,
            Err(error) => tracing::warn!(%error, "LISTEN {CHANNEL} still failing"),
        }
        pause = (pause * 2).min(Duration::from_secs(30));
    }
}
