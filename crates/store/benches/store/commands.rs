//! Figure 1: command throughput. Every client works on cases of its own, so no command waits
//! for another's optimistic lock; the figure is the cost of a command, not of contention.
//!
//! Each client registers a case and adds notes to it until the case holds `CASE_EVENTS`
//! events, then moves on to a fresh case. The raw baseline does the same on streams of its own.
//! Bounded cases keep the two comparable: a stream that grew for the whole run would make the
//! raw pattern (which reads every event of the stream) slower the longer the bench ran, while
//! the store reads at most `snapshot_every` events after its snapshot.

use std::future::Future;
use std::time::{Duration, Instant};

use guanjia_domain::case::EnterpriseCase;
use guanjia_store::Store;

use crate::fixtures::{context, note, register, services, stored_metadata, Raw};

/// Events per case before a client moves on: one snapshot interval at the default options.
pub const CASE_EVENTS: u64 = 50;

/// Commands completed and the time they took.
#[derive(Debug, Clone, Copy)]
pub struct Run {
    pub commands: u64,
    pub elapsed: Duration,
}

impl Run {
    pub fn per_second(&self) -> f64 {
        self.commands as f64 / self.elapsed.as_secs_f64()
    }
}

/// `clients` concurrent clients running `Store::execute` until `duration` has passed.
pub async fn through_store(
    store: &Store,
    clients: usize,
    duration: Duration,
    tag: &str,
) -> anyhow::Result<Run> {
    run_clients(clients, duration, |client, deadline| {
        let store = store.clone();
        let prefix = format!("{tag}-{client}");
        async move {
            let (services, context) = (services(), context());
            let mut done = 0u64;
            while Instant::now() < deadline {
                let case = done / CASE_EVENTS;
                let command = match done % CASE_EVENTS {
                    0 => register(case),
                    _ => note(),
                };
                store
                    .execute::<EnterpriseCase>(
                        &format!("{prefix}-{case}"),
                        command,
                        &services,
                        context.clone(),
                    )
                    .await?;
                done += 1;
            }
            Ok(done)
        }
    })
    .await
}

/// The same load through the raw access pattern.
pub async fn through_raw(
    raw: &Raw,
    clients: usize,
    duration: Duration,
    tag: &str,
) -> anyhow::Result<Run> {
    run_clients(clients, duration, |client, deadline| {
        let raw = raw.clone();
        let prefix = format!("{tag}-{client}");
        async move {
            let metadata = stored_metadata();
            let mut done = 0u64;
            while Instant::now() < deadline {
                let case = done / CASE_EVENTS;
                raw.command(&format!("{prefix}-{case}"), &metadata).await?;
                done += 1;
            }
            Ok(done)
        }
    })
    .await
}

/// Starts the clients together and waits for all; the elapsed time runs until the last one has
/// finished the command it was in at the deadline.
async fn run_clients<F, Fut>(clients: usize, duration: Duration, client: F) -> anyhow::Result<Run>
where
    F: Fn(usize, Instant) -> Fut,
    Fut: Future<Output = anyhow::Result<u64>> + Send + 'static,
{
    let start = Instant::now();
    let deadline = start + duration;
    let tasks: Vec<_> = (0..clients)
        .map(|index| tokio::spawn(client(index, deadline)))
        .collect();
    let mut commands = 0;
    for task in tasks {
        commands += task.await??;
    }
    Ok(Run {
        commands,
        elapsed: start.elapsed(),
    })
}
