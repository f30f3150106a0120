//! The global order: with 8 concurrent writers and a transaction held open while later ones
//! commit, a follower never passes the open transaction, gets its event once it commits, and
//! in the end has read every event exactly once, in the order the database defines.

use std::collections::{BTreeMap, HashSet};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use anyhow::{ensure, Context};
use guanjia_store::testing::TestDatabase;
use guanjia_store::{Backend, LogPosition, Store, StoreOptions, StoredEvent};

use crate::support::{add, within, RawDb};

on_both_backends!(eight_writers_and_a_held_transaction);

const WRITERS: usize = 8;
const BEFORE_HOLD: usize = 3;
const DURING_HOLD: usize = 10;
const EVENTS_PER_COMMAND: usize = 2;

async fn eight_writers_and_a_held_transaction(db: TestDatabase) -> anyhow::Result<()> {
    let options = StoreOptions {
        max_attempts: 1000, // writers share one aggregate on purpose; conflicts must not fail them
        max_connections: 6,
        ..TestDatabase::options()
    };
    let store = Store::open(db.url(), options).await?;
    let raw = RawDb::connect(&db).await?;
    let total = WRITERS * (BEFORE_HOLD + DURING_HOLD) * EVENTS_PER_COMMAND + 1;
    let read: Arc<Mutex<Vec<StoredEvent>>> = Arc::default();
    let follower = tokio::spawn(follow(store.clone(), read.clone(), total));

    write_all(&store, 0..BEFORE_HOLD).await?;
    let before_hold = WRITERS * BEFORE_HOLD * EVENTS_PER_COMMAND;
    within("the follower to read what came before the hold", async {
        while read.lock().map_err(|_| anyhow::anyhow!("poisoned"))?.len() < before_hold {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        anyhow::Ok(())
    })
    .await??;
    let (held, held_at) = raw.insert_and_hold("held").await?;
    let during = {
        let store = store.clone();
        tokio::spawn(async move { write_all(&store, BEFORE_HOLD..BEFORE_HOLD + DURING_HOLD).await })
    };

    if db.backend() == Backend::Postgres {
        // Wait until later transactions have committed behind the open one: a reader that
        // followed global_position alone would now pass the open event and never return to it.
        let (held_tx, held_global) = held_at.parts();
        let later = format!("SELECT count(*) FROM events WHERE transaction_id > {held_tx}");
        within("later transactions to commit", async {
            while raw.scalar(&later).await? < 4 {
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
            anyhow::Ok(())
        })
        .await??;
        let max_global = raw
            .scalar("SELECT max(global_position) FROM events")
            .await?;
        ensure!(
            u64::try_from(max_global)? > held_global,
            "the scenario did not interleave"
        );
    }
    // Give the follower time to run into the open transaction.
    tokio::time::sleep(Duration::from_millis(500)).await;
    {
        let so_far = read.lock().map_err(|_| anyhow::anyhow!("poisoned"))?;
        ensure!(
            !so_far.is_empty(),
            "the follower read nothing before the hold"
        );
        ensure!(
            so_far.iter().all(|event| event.position < held_at),
            "the follower passed a transaction that had not committed"
        );
    }

    held.commit().await?;
    within("the writers", during).await???;
    within("the follower", follower).await???;

    let read = read
        .lock()
        .map_err(|_| anyhow::anyhow!("poisoned"))?
        .clone();
    assert_eq!(read.len(), total);
    let positions: Vec<LogPosition> = read.iter().map(|event| event.position).collect();
    ensure!(
        positions.windows(2).all(|pair| pair[0] < pair[1]),
        "not strictly increasing"
    );
    assert_eq!(
        positions,
        raw.all_positions().await?,
        "the log order is the database's order"
    );
    let distinct: HashSet<(&str, u64)> = read
        .iter()
        .map(|event| (event.aggregate_id.as_str(), event.sequence))
        .collect();
    assert_eq!(distinct.len(), total, "no event twice");
    ensure!(
        positions.contains(&held_at),
        "the held event was delivered after its commit"
    );

    // Within each aggregate, the log delivers sequences 1, 2, 3, … in order.
    let mut next: BTreeMap<&str, u64> = BTreeMap::new();
    for event in &read {
        let expected = next.entry(event.aggregate_id.as_str()).or_insert(1);
        assert_eq!(event.sequence, *expected, "{}", event.aggregate_id);
        *expected += 1;
    }
    raw.close().await;
    Ok(())
}

/// Each writer runs its commands on its own aggregate and, every third command, on a shared one.
async fn write_all(store: &Store, commands: std::ops::Range<usize>) -> anyhow::Result<()> {
    let mut writers = tokio::task::JoinSet::new();
    for writer in 0..WRITERS {
        let store = store.clone();
        let commands = commands.clone();
        writers.spawn(async move {
            for command in commands {
                let id = if command % 3 == 0 {
                    "shared".to_string()
                } else {
                    format!("w-{writer}")
                };
                add(&store, &id, &[1, 2])
                    .await
                    .with_context(|| format!("writer {writer}"))?;
            }
            anyhow::Ok(())
        });
    }
    while let Some(done) = writers.join_next().await {
        done??;
    }
    Ok(())
}

/// The read model's loop: read after the last position, then wait for a change.
async fn follow(
    store: Store,
    read: Arc<Mutex<Vec<StoredEvent>>>,
    total: usize,
) -> anyhow::Result<()> {
    let mut watcher = store.subscribe();
    let mut position = LogPosition::START;
    loop {
        let page = store.read_after(position, 16).await?;
        if let Some(last) = page.last() {
            position = last.position;
        }
        let done = {
            let mut read = read.lock().map_err(|_| anyhow::anyhow!("poisoned"))?;
            read.extend(page);
            read.len() >= total
        };
        if done {
            return Ok(());
        }
        watcher.changed().await;
    }
}
