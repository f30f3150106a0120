//! Several nodes on one database: a second store handle sees the first one's events through
//! `read_after` and is woken by the change signal — LISTEN/NOTIFY on PostgreSQL (its polling is
//! set out of reach, so only a notification can wake it), polling on SQLite.

use std::time::Duration;

use guanjia_store::testing::TestDatabase;
use guanjia_store::{Backend, LogPosition, Store, StoreOptions};

use std::sync::Arc;

use guanjia_store::Source;

use crate::support::{add, context, within, Counter, CounterCommand, CounterServices};

on_both_backends!(
    second_node_follows_the_first,
    a_state_kept_in_memory_takes_the_other_nodes_events_first,
    a_refusal_decided_on_memory_is_confirmed_on_the_log
);

/// Node A keeps the aggregate it changed in memory; node B appends to it; A's next command is
/// decided on the state with B's events. (A state that missed them would collide on the
/// sequence on every attempt and end in a conflict.)
async fn a_state_kept_in_memory_takes_the_other_nodes_events_first(
    db: TestDatabase,
) -> anyhow::Result<()> {
    let (a, b) = (db.open().await?, db.open().await?);
    add(&a, "c-1", &[5]).await?;
    add(&b, "c-1", &[7, 8]).await?;
    let committed = add(&a, "c-1", &[1]).await?;
    assert_eq!(
        committed.events[0].sequence, 4,
        "A appended after B's events"
    );
    let loaded = a.load::<crate::support::Counter>("c-1").await?;
    let replayed = a.replay::<crate::support::Counter>("c-1").await?;
    assert_eq!((loaded.sequence, loaded.state.total), (4, 21));
    assert_eq!(loaded.state, replayed.state);
    Ok(())
}

/// Node A decides from memory without asking the log; a refusal (the command's own rule, or the
/// caller's guard) from a memory that missed node B's events is not answered: A looks at the
/// log, finds B's events and decides again on them.
async fn a_refusal_decided_on_memory_is_confirmed_on_the_log(
    db: TestDatabase,
) -> anyhow::Result<()> {
    let (a, b) = (db.open().await?, db.open().await?);
    add(&a, "c-1", &[5]).await?;
    add(&b, "c-1", &[10]).await?;

    // On A's memory (5) taking 12 away would go below zero; on the log (15) it does not.
    let taken = add(&a, "c-1", &[-12]).await?;
    assert_eq!(taken.events[0].sequence, 3);

    add(&b, "c-1", &[20]).await?;
    // The guard wants a total of 20 at least: A remembers 3, the log holds 23.
    let guarded = a
        .execute_guarded::<Counter>(
            "c-1",
            CounterCommand::Add(vec![1]),
            &CounterServices::default(),
            context("r-guarded"),
            &|state: &Counter| {
                if state.total >= 20 {
                    Ok(())
                } else {
                    Err(Arc::new(std::io::Error::other("a total under 20")) as Source)
                }
            },
        )
        .await?;
    assert_eq!(guarded.events[0].sequence, 5);

    // A refusal that holds on the log is still a refusal.
    let refused = add(&a, "c-1", &[-100]).await;
    assert!(refused.is_err(), "{refused:?}");
    let loaded = a.load::<Counter>("c-1").await?;
    assert_eq!((loaded.sequence, loaded.state.total), (5, 24));
    Ok(())
}

async fn second_node_follows_the_first(db: TestDatabase) -> anyhow::Result<()> {
    let poll_interval = match db.backend() {
        // Longer than the test deadline.
        Backend::Postgres => Duration::from_secs(3600),
        Backend::Sqlite => Duration::from_millis(100),
    };
    let first = db.open().await?;
    let options = StoreOptions {
        poll_interval,
        ..TestDatabase::options()
    };
    let second = Store::open(db.url(), options).await?;
    let mut watcher = second.subscribe();
    let mut position = LogPosition::START;
    let mut seen = Vec::new();

    for round in 1..=3i64 {
        let committed = add(&first, "c-1", &[round]).await?;
        within("the second node's watcher to wake", watcher.changed()).await?;

        // On PostgreSQL the rows may not be readable yet while an unrelated transaction on the
        // server (another test) is open; the read model would wait for the next signal or poll.
        // Here a short sleep stands in for that poll.
        within("the second node to read the commit", async {
            while position < committed.position {
                let page = second.read_after(position, 100).await?;
                match page.last() {
                    Some(last) => position = last.position,
                    None => tokio::time::sleep(Duration::from_millis(50)).await,
                }
                seen.extend(page);
            }
            anyhow::Ok(())
        })
        .await??;
    }
    let sequences: Vec<u64> = seen.iter().map(|event| event.sequence).collect();
    assert_eq!(sequences, [1, 2, 3]);
    assert!(seen.iter().all(|event| event.aggregate_id == "c-1"));
    Ok(())
}
