//! Figure 3: loading one case of 1,000 events, from all its events (`Store::replay`) and from
//! its snapshot (`Store::load`, `snapshot_every` = 50).
//!
//! The case is built through `execute` (a registration and notes), so its snapshots are the
//! ones the store writes itself. Two snapshot loads are timed: at 999 events the newest
//! snapshot is at 950 and 49 events follow it — the most a load ever applies after a snapshot
//! — and at 1,000 events the snapshot is exactly current.

use std::time::{Duration, Instant};

use guanjia_domain::case::EnterpriseCase;
use guanjia_store::Store;

use crate::fixtures::{context, note, register, services, Raw};

/// Events in the loaded case.
pub const CASE_EVENTS: u64 = 1_000;
const CASE_ID: &str = "load-1000";

/// Median load times.
#[derive(Debug, Clone, Copy)]
pub struct LoadTimes {
    /// The raw baseline: SELECT the 1,000 rows, payloads decoded to JSON values.
    pub raw_select: Duration,
    /// `Store::replay` of 1,000 events.
    pub replay: Duration,
    /// `Store::load` at 1,000 events, snapshot at 1,000.
    pub snapshot: Duration,
    /// `Store::load` at 999 events: snapshot at 950 and 49 events after it.
    pub snapshot_tail: Duration,
}

pub async fn measure(store: &Store, raw: &Raw) -> anyhow::Result<LoadTimes> {
    let services = services();
    store
        .execute::<EnterpriseCase>(CASE_ID, register(1), &services, context())
        .await?;
    for _ in 2..CASE_EVENTS {
        store
            .execute::<EnterpriseCase>(CASE_ID, note(), &services, context())
            .await?;
    }
    let tail = store.load::<EnterpriseCase>(CASE_ID).await?;
    anyhow::ensure!(
        (tail.sequence, tail.snapshot_sequence) == (CASE_EVENTS - 1, Some(950)),
        "expected 999 events over a snapshot at 950, found {} over {:?}",
        tail.sequence,
        tail.snapshot_sequence
    );
    let snapshot_tail = median(200, || async {
        store.load::<EnterpriseCase>(CASE_ID).await.map(drop)
    })
    .await?;

    store
        .execute::<EnterpriseCase>(CASE_ID, note(), &services, context())
        .await?;
    let loaded = store.load::<EnterpriseCase>(CASE_ID).await?;
    let replayed = store.replay::<EnterpriseCase>(CASE_ID).await?;
    anyhow::ensure!(
        loaded.snapshot_sequence == Some(CASE_EVENTS) && replayed.sequence == CASE_EVENTS,
        "expected a snapshot at {CASE_EVENTS}, found {:?}",
        loaded.snapshot_sequence
    );
    anyhow::ensure!(
        loaded.state == replayed.state,
        "the snapshot load differs from the replay"
    );

    Ok(LoadTimes {
        snapshot_tail,
        snapshot: median(200, || async {
            store.load::<EnterpriseCase>(CASE_ID).await.map(drop)
        })
        .await?,
        replay: median(30, || async {
            store.replay::<EnterpriseCase>(CASE_ID).await.map(drop)
        })
        .await?,
        raw_select: median(30, || async { raw.stream(CASE_ID).await.map(drop) }).await?,
    })
}

/// The median of `samples` timed calls, after three untimed ones.
async fn median<F, Fut, E>(samples: usize, mut call: F) -> anyhow::Result<Duration>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Result<(), E>>,
    anyhow::Error: From<E>,
{
    for _ in 0..3 {
        call().await?;
    }
    let mut times = Vec::with_capacity(samples);
    for _ in 0..samples {
        let started = Instant::now();
        call().await?;
        times.push(started.elapsed());
    }
    times.sort();
    Ok(times[times.len() / 2])
}
