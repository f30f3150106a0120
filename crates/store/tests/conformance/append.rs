//! Append and load: a command's events land in the log with their metadata, in order, and the
//! aggregate loads back from them; refused and empty commands append nothing.

use std::time::Duration;

use anyhow::ensure;
use guanjia_domain::DomainError;
use guanjia_store::testing::{events_to_head, TestDatabase};
use guanjia_store::{LogPosition, Store, StoreError};
use serde_json::json;

use crate::support::{add, context, metadata, within, Counter, CounterCommand, CounterServices};

on_both_backends!(
    appends_and_loads,
    refused_and_empty_commands_append_nothing,
    wakes_local_watchers
);

async fn appends_and_loads(db: TestDatabase) -> anyhow::Result<()> {
    let store = db.open().await?;

    let committed = add(&store, "c-1", &[5, 7, 11]).await?;
    let sequences: Vec<u64> = committed
        .events
        .iter()
        .map(|event| event.sequence)
        .collect();
    assert_eq!(sequences, [1, 2, 3]);
    assert_eq!(committed.events[0].event_type, "Added");
    assert_eq!(
        committed.events[2].payload,
        json!({"Added": {"amount": 11}})
    );
    add(&store, "c-2", &[1]).await?;
    let later = add(&store, "c-1", &[2]).await?;
    assert_eq!(later.last_sequence(), Some(4));

    let loaded = store.load::<Counter>("c-1").await?;
    assert_eq!(loaded.sequence, 4);
    assert_eq!(loaded.state.total, 25);
    assert_eq!(loaded.state.history, [5, 7, 11, 2]);
    let empty = store.load::<Counter>("never-used").await?;
    assert_eq!((empty.sequence, empty.state), (0, Counter::default()));

    let log = events_to_head(&store).await?;
    assert_eq!(log.len(), 5);
    let order: Vec<(&str, u64)> = log
        .iter()
        .map(|event| (event.aggregate_id.as_str(), event.sequence))
        .collect();
    assert_eq!(
        order,
        [("c-1", 1), ("c-1", 2), ("c-1", 3), ("c-2", 1), ("c-1", 4)]
    );
    ensure!(log
        .windows(2)
        .all(|pair| pair[0].position < pair[1].position));
    assert_eq!(
        log[2].position, committed.position,
        "Committed.position is the last event's"
    );
    assert_eq!(log[4].position, later.position);
    for event in &log {
        assert_eq!(event.aggregate_type, "counter");
        assert_eq!(event.event_version, "1");
        assert_eq!(event.metadata, metadata("r-add"));
        let age = chrono::Utc::now() - event.recorded_at;
        ensure!(
            age < chrono::Duration::minutes(5),
            "recorded_at {}",
            event.recorded_at
        );
    }

    // Positions survive printing and parsing, and reading after one resumes just after it.
    let resumed: LogPosition = log[1].position.to_string().parse()?;
    // On PostgreSQL one read can stop short for a moment (a transaction elsewhere on the
    // cluster ending while it reads holds the horizon back): read again until all three show.
    let rest = within("the events after the resumed position", async {
        loop {
            let rest = store.read_after(resumed, 100).await?;
            if rest.len() >= 3 {
                return anyhow::Ok(rest);
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    })
    .await??;
    assert_eq!(rest, log[2..]);
    assert!(store.read_after(log[4].position, 100).await?.is_empty());
    Ok(())
}

async fn refused_and_empty_commands_append_nothing(db: TestDatabase) -> anyhow::Result<()> {
    let store = db.open().await?;
    add(&store, "c-1", &[3]).await?;

    let refused = add(&store, "c-1", &[-10]).await;
    match refused {
        Err(error) => match error.downcast_ref::<StoreError>() {
            Some(StoreError::Rejected(DomainError::NotAllowed(message))) => {
                assert_eq!(message, "the total would drop below zero");
            }
            other => anyhow::bail!("expected a rejection, got {other:?}"),
        },
        Ok(committed) => anyhow::bail!("a refused command committed {committed:?}"),
    }

    let nothing = store
        .execute::<Counter>(
            "c-1",
            CounterCommand::Nothing,
            &CounterServices::default(),
            context("r-2"),
        )
        .await?;
    assert!(nothing.events.is_empty());
    assert_eq!(nothing.position, LogPosition::START);

    assert_eq!(events_to_head(&store).await?.len(), 1);
    assert_eq!(store.load::<Counter>("c-1").await?.sequence, 1);

    let services = CounterServices::default();
    store
        .execute::<Counter>("c-1", CounterCommand::Close, &services, context("r-3"))
        .await?;
    let closed = store
        .execute::<Counter>(
            "c-1",
            CounterCommand::Add(vec![1]),
            &services,
            context("r-4"),
        )
        .await;
    assert_eq!(
        closed,
        Err(StoreError::Rejected(DomainError::not_allowed(
            "the counter is closed"
        )))
    );
    assert_eq!(events_to_head(&store).await?.len(), 2);
    Ok(())
}

async fn wakes_local_watchers(db: TestDatabase) -> anyhow::Result<()> {
    // A poll interval longer than the deadline: only the in-process signal can wake the watcher.
    let options = guanjia_store::StoreOptions {
        poll_interval: Duration::from_secs(3600),
        ..TestDatabase::options()
    };
    let store = Store::open(db.url(), options).await?;
    let mut watcher = store.subscribe();
    let writer = store.clone();
    let write = tokio::spawn(async move { add(&writer, "c-1", &[1]).await });
    within("the local commit signal", watcher.changed()).await?;
    write.await??;
    assert_eq!(
        store.head().await?,
        events_to_head(&store).await?[0].position
    );
    Ok(())
}
