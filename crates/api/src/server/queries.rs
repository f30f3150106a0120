//! Queries run on threads of their own.
//!
//! A query is one stretch of CPU (the read model is in memory); a mutation is a chain of short
//! steps, each woken by the one before: decide, hand the events to the group commit, the
//! commit's answer, the read model's follower, the read of the write. On one runtime every
//! step of every write waits in the same queue behind the queries ready at that moment, and
//! with as many readers as writers on a busy machine a write took twice its time alone
//! (docs/benchmarks.md, the mixed phase). Here queries over HTTP run on a runtime of their
//! own, as many threads as cores and at a lower scheduling priority ([`QUERY_NICENESS`]):
//! reads still use every core the writes leave, and the kernel runs a write's next step
//! promptly instead of after the queued reads.
//!
//! A database connection that a query opens belongs to this runtime's I/O driver, and serves
//! the whole pool afterwards: the runtime is kept until the store has closed (`mod.rs`).
//!
//! Mutations, subscriptions and everything else stay on the server's runtime. A query that
//! panics is answered as any panic in a handler is (`limits.rs`): HTTP 500, logged.

use std::future::Future;
use std::sync::Arc;

use tokio::runtime::{Builder, Handle, Runtime};
use tokio::task::JoinError;
use tokio_util::task::AbortOnDropHandle;
use tracing::Instrument;

/// The runtime queries run on; cheap to clone.
#[derive(Clone)]
pub(super) struct QueryRuntime {
    handle: Handle,
    _owner: Arc<Owner>,
}

/// Shuts the runtime down when the last handle goes. Dropping a runtime waits for its
/// threads, which is not allowed inside another runtime: shut it down in the background.
struct Owner(Option<Runtime>);

impl Drop for Owner {
    fn drop(&mut self) {
        if let Some(runtime) = self.0.take() {
            runtime.shutdown_background();
        }
    }
}

impl QueryRuntime {
    /// Starts `threads` threads (at least one).
    pub fn start(threads: usize) -> std::io::Result<Self> {
        let runtime = Builder::new_multi_thread()
            .worker_threads(threads.max(1))
            .thread_name("guanjia-query")
            .on_thread_start(yield_to_writes)
            .enable_all()
            .build()?;
        Ok(Self {
            handle: runtime.handle().clone(),
            _owner: Arc::new(Owner(Some(runtime))),
        })
    }

    /// As many threads as the machine has cores.
    pub fn for_this_machine() -> std::io::Result<Self> {
        Self::start(std::thread::available_parallelism().map_or(1, usize::from))
    }

    /// Runs `work` there, in the caller's span; cancelled if the caller stops waiting.
    pub async fn run<F>(&self, work: F) -> Result<F::Output, JoinError>
    where
        F: Future + Send + 'static,
        F::Output: Send + 'static,
    {
        // A timed-out or dropped request takes its query with it.
        AbortOnDropHandle::new(self.handle.spawn(work.in_current_span())).await
    }
}

/// How much lower than the server's threads the query threads run (a nice value: 0 is the
/// same priority, 19 the lowest). At 10 the kernel gives a busy server thread about nine times
/// a busy query thread's share of a contended core; on a machine with CPU to spare queries
/// still use every core. Measured (docs/benchmarks.md, SQLite, 16 writers beside 16 readers):
/// writes 1,958/s at 0, 2,078/s at 5, 2,433/s at 10, reads 10,440/s, 9,434/s and 9,645/s.
const QUERY_NICENESS: i32 = 10;

/// Lowers the calling thread's scheduling priority by [`QUERY_NICENESS`]. On Linux a nice value
/// belongs to one thread; elsewhere this does nothing. A failure only costs the preference.
fn yield_to_writes() {
    #[cfg(target_os = "linux")]
    {
        let thread = rustix::thread::gettid();
        if let Err(error) = rustix::process::setpriority_process(Some(thread), QUERY_NICENESS) {
            tracing::warn!(%error, "the query threads run at the server's priority");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn work_runs_on_the_query_threads_and_its_answer_comes_back() {
        let queries = QueryRuntime::start(1).expect("a runtime");
        let name = queries
            .run(async { std::thread::current().name().map(str::to_owned) })
            .await
            .expect("no panic");
        assert_eq!(name.as_deref(), Some("guanjia-query"));
    }

    #[cfg(target_os = "linux")]
    #[tokio::test]
    async fn the_query_threads_run_below_the_servers_priority() {
        let niceness = || rustix::process::getpriority_process(Some(rustix::thread::gettid()));
        let here = niceness().expect("this thread's nice value");
        let queries = QueryRuntime::start(1).expect("a runtime");
        let there = queries
            .run(async move { niceness() })
            .await
            .expect("no panic");
        assert_eq!(
            there.expect("a query thread's nice value"),
            (here + QUERY_NICENESS).min(19)
        );
    }

    #[tokio::test]
    async fn a_panic_there_is_reported_as_such() {
        let queries = QueryRuntime::start(1).expect("a runtime");
        let error = queries
            .run(async { panic!("a query went wrong") })
            .await
            .expect_err("the panic is reported");
        assert!(error.is_panic());
    }

    #[tokio::test]
    async fn work_whose_caller_stops_waiting_is_cancelled() {
        let queries = QueryRuntime::start(1).expect("a runtime");
        let (sender, finished) = tokio::sync::oneshot::channel::<()>();
        let waiting = queries.run(async move {
            tokio::time::sleep(std::time::Duration::from_secs(60)).await;
            let _ = sender.send(());
        });
        let gave_up = tokio::time::timeout(std::time::Duration::from_millis(50), waiting).await;
        assert!(gave_up.is_err(), "still running when the caller gave up");
        // The task was aborted: its sender is dropped without sending.
        assert!(finished.await.is_err());
    }
}
