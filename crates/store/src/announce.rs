//! Telling the other nodes on PostgreSQL that this node has committed events:
//! `NOTIFY guanjia_events, '<this store's id>'`, sent after the commits, not inside them.
//!
//! A notification sent inside the appending transaction would be simpler, but PostgreSQL
//! serialises the commits of every transaction that has notified (a cluster-wide lock held
//! until the commit record is flushed), so concurrent appends could no longer share a WAL
//! flush: each would wait for the one before it to reach the disk. Here the announcer waits
//! for the store's local commit signal and sends one notification in a statement of its own;
//! commits made while it is sending, or in the [`GAP`] after it, are covered by the next one.
//! The first commit after a quiet spell is announced at once; under load there is one
//! notification per gap, not one per commit (each is a statement, a round trip and the pool's
//! check of the connection: about a tenth of a write's cost before the gap). Listeners
//! (`watch.rs`) skip their own store's notifications: its followers were already woken in
//! process.
//!
//! A notification that fails to go out is not retried: other nodes still poll
//! (`StoreOptions::poll_interval`), so a lost one costs them at most one interval.

use std::time::Duration;

use sqlx::postgres::PgPool;
use tokio::sync::watch;
use tokio::task::JoinHandle;

use crate::watch::CHANNEL;

/// The least time between two notifications: what another node's read model may lag behind a
/// busy node's commits for want of a signal (far below what a person can notice).
const GAP: Duration = Duration::from_millis(5);

/// The announcer's task; aborted when the last handle of the store is dropped.
#[derive(Debug)]
pub(crate) struct Announcer {
    task: JoinHandle<()>,
    pool: PgPool,
    /// What this store's notifications carry, so that its own listener can skip them.
    node: String,
}

impl Announcer {
    /// Starts announcing the commits signalled on `commits`.
    pub fn start(pool: PgPool, commits: watch::Receiver<u64>, node: String) -> Self {
        let task = tokio::spawn(announce(pool.clone(), commits, node.clone()));
        Self { task, pool, node }
    }

    /// Sends one notification now, for commits the task may not have announced yet (when the
    /// store closes: a CLI command ends right after its commit).
    pub async fn announce_now(&self) {
        let _ = notify(&self.pool, &self.node).await;
    }
}

impl Drop for Announcer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn announce(pool: PgPool, mut commits: watch::Receiver<u64>, node: String) {
    while commits.changed().await.is_ok() {
        commits.borrow_and_update();
        match notify(&pool, &node).await {
            Ok(()) => {}
            Err(sqlx::Error::PoolClosed) => return,
            Err(error) => {
                tracing::debug!(%error, "could not notify other nodes of a commit; they poll");
            }
        }
        tokio::time::sleep(GAP).await;
    }
}

async fn notify(pool: &PgPool, node: &str) -> Result<(), sqlx::Error> {
    sqlx::query("SELECT pg_notify($1, $2)")
        .bind(CHANNEL)
        .bind(node)
        .execute(pool)
        .await
        .map(|_| ())
}
