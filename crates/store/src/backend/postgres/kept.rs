//! Connections kept between the statements of the store's busiest paths (the appends, the
//! reads of the log), instead of handed back to the pool after each one.
//!
//! sqlx asks every connection it takes back into its pool whether it still answers: a round
//! trip, a wake-up of the server process and a task on our side, after every statement. On the
//! write path that is one more round trip per command for the appends and the follower's read
//! of them together (docs/benchmarks.md). A connection kept here skips it; the same rule as the
//! pool's `before_acquire` (`mod.rs`) decides when it must be asked again: one that has waited
//! longer than [`ASK_AGAIN_AFTER_IDLE`] goes back through the pool, which asks.
//!
//! Only a connection whose statement succeeded is kept, and only while the pool has another
//! to give: a kept connection is one the pool's other callers cannot have. One whose statement
//! failed, or was cancelled halfway, is dropped into the pool as before, which checks it and
//! closes it if it is broken. Kept connections go back to the pool once they have waited
//! [`ASK_AGAIN_AFTER_IDLE`] (a task looks at that pace), and all at once on
//! [`Kept::release`], so that closing the pool, which waits for every connection, is not held
//! up.

use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Instant;

use sqlx::pool::PoolConnection;
use sqlx::{PgPool, Postgres};
use tokio::task::JoinHandle;

use super::ASK_AGAIN_AFTER_IDLE;

/// Connections whose last statement succeeded, with when it ended; newest last.
type Idle = Mutex<Vec<(PoolConnection<Postgres>, Instant)>>;

/// A few connections of `pool` kept for the next statement.
#[derive(Debug)]
pub(super) struct Kept {
    pool: PgPool,
    idle: Arc<Idle>,
    /// The most kept at once: as many as the statements that run at once on this path.
    most: usize,
    /// Hands back the connections that have waited too long.
    sweeper: JoinHandle<()>,
}

impl Kept {
    pub fn new(pool: PgPool, most: usize) -> Self {
        let idle = Arc::new(Mutex::new(Vec::with_capacity(most)));
        let sweeper = tokio::spawn(sweep(Arc::downgrade(&idle)));
        Self {
            pool,
            idle,
            most,
            sweeper,
        }
    }

    /// A kept connection that answered a moment ago, else one from the pool.
    pub async fn take(&self) -> Result<PoolConnection<Postgres>, sqlx::Error> {
        let newest = lock(&self.idle).pop();
        match newest {
            Some((connection, since)) if since.elapsed() < ASK_AGAIN_AFTER_IDLE => Ok(connection),
            // Dropped, it goes back to the pool, which asks it before it is used again.
            Some(_) | None => self.pool.acquire().await,
        }
    }

    /// Keeps a connection whose statement has just succeeded, if there is room, the pool is
    /// open and it has other connections to give; otherwise it goes back to the pool.
    pub fn keep(&self, connection: PoolConnection<Postgres>) {
        let spare = self.pool.num_idle() > 0
            || self.pool.size() < self.pool.options().get_max_connections();
        if self.pool.is_closed() || !spare {
            return;
        }
        let mut idle = lock(&self.idle);
        if idle.len() < self.most {
            idle.push((connection, Instant::now()));
        }
    }

    /// Hands every kept connection back to the pool.
    pub fn release(&self) {
        lock(&self.idle).clear();
    }
}

impl Drop for Kept {
    fn drop(&mut self) {
        self.sweeper.abort();
    }
}

/// Hands back, at the pace of [`ASK_AGAIN_AFTER_IDLE`], what has waited that long; ends with
/// the [`Kept`] it sweeps.
async fn sweep(idle: std::sync::Weak<Idle>) {
    loop {
        tokio::time::sleep(ASK_AGAIN_AFTER_IDLE).await;
        let Some(idle) = idle.upgrade() else { return };
        lock(&idle).retain(|(_, since)| since.elapsed() < ASK_AGAIN_AFTER_IDLE);
    }
}

// Nothing panics while holding the lock; a poisoned list still holds whole connections.
fn lock(idle: &Idle) -> MutexGuard<'_, Vec<(PoolConnection<Postgres>, Instant)>> {
    idle.lock().unwrap_or_else(PoisonError::into_inner)
}

#[cfg(all(test, feature = "testing"))]
mod tests {
    use std::time::Duration;

    use sqlx::postgres::PgPoolOptions;

    use super::*;
    use crate::testing::TestDatabase;
    use crate::Backend;

    async fn pool(db: &TestDatabase, most: u32) -> PgPool {
        PgPoolOptions::new()
            .max_connections(most)
            .acquire_timeout(Duration::from_secs(10))
            .connect(db.url())
            .await
            .expect("connects")
    }

    /// A fresh database, a pool of `connections` on it, and a [`Kept`] of `most` of them.
    async fn setup(connections: u32, most: usize) -> (TestDatabase, PgPool, Kept) {
        let db = TestDatabase::new(Backend::Postgres).await;
        let pool = pool(&db, connections).await;
        let kept = Kept::new(pool.clone(), most);
        (db, pool, kept)
    }

    async fn backend_of(connection: &mut PoolConnection<Postgres>) -> i32 {
        sqlx::query_scalar("SELECT pg_backend_pid()")
            .fetch_one(&mut **connection)
            .await
            .expect("answers")
    }

    /// Takes two connections at once and offers both to be kept.
    async fn offer_two(kept: &Kept) {
        let (one, two) = (
            kept.take().await.expect("one"),
            kept.take().await.expect("two"),
        );
        kept.keep(one);
        kept.keep(two);
    }

    #[tokio::test]
    async fn a_kept_connection_is_the_next_one_taken() {
        let (_db, pool, kept) = setup(4, 1).await;
        let mut first = kept.take().await.expect("a connection");
        let backend = backend_of(&mut first).await;
        kept.keep(first);
        assert_eq!(pool.num_idle(), 0, "kept, not back in the pool");
        let mut again = kept.take().await.expect("a connection");
        assert_eq!(backend_of(&mut again).await, backend);
    }

    #[tokio::test]
    async fn no_more_are_kept_than_allowed() {
        let (_db, _pool, kept) = setup(4, 1).await;
        offer_two(&kept).await;
        assert_eq!(lock(&kept.idle).len(), 1);
    }

    #[tokio::test]
    async fn the_pools_last_connection_is_not_kept() {
        let (_db, pool, kept) = setup(1, 1).await;
        let only = kept.take().await.expect("the only connection");
        kept.keep(only);
        assert!(lock(&kept.idle).is_empty(), "someone else may need it");
        // It went back to the pool, where another caller gets it.
        pool.acquire().await.expect("the pool gives it out");
    }

    #[tokio::test]
    async fn a_connection_kept_too_long_goes_back_to_the_pool() {
        let (_db, _pool, kept) = setup(4, 1).await;
        let connection = kept.take().await.expect("a connection");
        kept.keep(connection);
        tokio::time::sleep(ASK_AGAIN_AFTER_IDLE * 2 + Duration::from_millis(200)).await;
        assert!(lock(&kept.idle).is_empty(), "swept");
    }

    #[tokio::test]
    async fn released_connections_let_the_pool_close() {
        let (_db, pool, kept) = setup(4, 2).await;
        offer_two(&kept).await;
        kept.release();
        tokio::time::timeout(Duration::from_secs(30), pool.close())
            .await
            .expect("the pool closes once nothing is kept");
    }

    #[tokio::test]
    async fn nothing_is_kept_once_the_pool_is_closed() {
        let (_db, pool, kept) = setup(4, 1).await;
        let connection = kept.take().await.expect("a connection");
        let closing = tokio::spawn({
            let pool = pool.clone();
            async move { pool.close().await }
        });
        while !pool.is_closed() {
            tokio::task::yield_now().await;
        }
        kept.keep(connection);
        assert!(lock(&kept.idle).is_empty());
        tokio::time::timeout(Duration::from_secs(30), closing)
            .await
            .expect("the pool closes")
            .expect("the close task");
    }
}
