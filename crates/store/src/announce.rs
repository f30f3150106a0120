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

use std::future::Future;
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

async fn announce(pool: PgPool, commits: watch::Receiver<u64>, node: String) {
    paced(commits, || async {
        match notify(&pool, &node).await {
            Ok(()) => true,
            Err(sqlx::Error::PoolClosed) => false,
            Err(error) => {
                tracing::debug!(%error, "could not notify other nodes of a commit; they poll");
                true
            }
        }
    })
    .await;
}

/// Calls `send` after each change of `commits`, at most once every [`GAP`]: the changes made
/// during a call or the gap after it are covered by the next call. Ends when `commits` closes
/// or `send` answers `false`.
async fn paced<F, Sent>(mut commits: watch::Receiver<u64>, mut send: F)
where
    F: FnMut() -> Sent,
    Sent: Future<Output = bool>,
{
    while commits.changed().await.is_ok() {
        commits.borrow_and_update();
        if !send().await {
            return;
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

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicU32, Ordering};
    use std::sync::Arc;

    use tokio::time::Instant;

    use super::*;

    /// Starts `paced` on a fresh signal; what it sent, and when, is recorded.
    fn start() -> (watch::Sender<u64>, Arc<std::sync::Mutex<Vec<Instant>>>) {
        let (commits, receiver) = watch::channel(0);
        let sent = Arc::new(std::sync::Mutex::new(Vec::new()));
        let record = Arc::clone(&sent);
        tokio::spawn(paced(receiver, move || {
            let record = Arc::clone(&record);
            async move {
                record.lock().expect("not poisoned").push(Instant::now());
                true
            }
        }));
        (commits, sent)
    }

    async fn settle() {
        for _ in 0..10 {
            tokio::task::yield_now().await;
        }
    }

    #[tokio::test(start_paused = true)]
    async fn the_first_commit_after_a_quiet_spell_is_announced_at_once() {
        let (commits, sent) = start();
        let at = Instant::now();
        commits.send_replace(1);
        settle().await;
        assert_eq!(*sent.lock().expect("not poisoned"), vec![at]);
    }

    #[tokio::test(start_paused = true)]
    async fn commits_made_in_the_gap_share_one_announcement_after_it() {
        let (commits, sent) = start();
        commits.send_replace(1);
        settle().await;
        // Three more commits while the announcer pauses: none is announced yet.
        for n in 2..=4 {
            tokio::time::advance(Duration::from_millis(1)).await;
            commits.send_replace(n);
            settle().await;
        }
        assert_eq!(sent.lock().expect("not poisoned").len(), 1);
        // Once the gap is over, one announcement covers the three.
        tokio::time::advance(GAP).await;
        settle().await;
        assert_eq!(sent.lock().expect("not poisoned").len(), 2);
        tokio::time::advance(GAP * 10).await;
        settle().await;
        assert_eq!(
            sent.lock().expect("not poisoned").len(),
            2,
            "nothing more to announce"
        );
    }

    #[tokio::test(start_paused = true)]
    async fn nothing_is_announced_without_a_commit() {
        let (_commits, sent) = start();
        tokio::time::advance(GAP * 10).await;
        settle().await;
        assert!(sent.lock().expect("not poisoned").is_empty());
    }

    #[tokio::test(start_paused = true)]
    async fn a_closed_pool_ends_the_announcer() {
        let (commits, receiver) = watch::channel(0);
        let calls = Arc::new(AtomicU32::new(0));
        let counted = Arc::clone(&calls);
        let task = tokio::spawn(paced(receiver, move || {
            counted.fetch_add(1, Ordering::Relaxed);
            async { false }
        }));
        commits.send_replace(1);
        task.await.expect("ends without panicking");
        assert_eq!(calls.load(Ordering::Relaxed), 1);
    }
}
