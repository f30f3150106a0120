//! Idempotency: a command sent again with the same key appends nothing and returns the first
//! outcome — one after the other, and when both copies race. The key is enforced by the
//! database, not only by the store's look-up.

use guanjia_store::testing::{events_to_head, TestDatabase};
use guanjia_store::CommandContext;

use crate::support::{metadata, BarrierHook, Counter, CounterCommand, CounterServices, RawDb};

on_both_backends!(
    repeated_key_returns_first_outcome,
    racing_copies_append_once,
    database_enforces_the_key
);

fn keyed(key: &str) -> CommandContext {
    CommandContext::new(metadata("r-1")).with_command_key(key)
}

async fn repeated_key_returns_first_outcome(db: TestDatabase) -> anyhow::Result<()> {
    let store = db.open().await?;
    let services = CounterServices::default();
    let add = |amounts: Vec<i64>| CounterCommand::Add(amounts);

    let first = store
        .execute::<Counter>("c-1", add(vec![4, 5]), &services, keyed("k-1"))
        .await?;
    store
        .execute::<Counter>("c-1", add(vec![100]), &services, keyed("k-2"))
        .await?;
    // The same key again, even with other content and after another command: the first outcome.
    let again = store
        .execute::<Counter>("c-1", add(vec![7]), &services, keyed("k-1"))
        .await?;
    assert_eq!(again, first);
    assert_eq!(first.last_sequence(), Some(2));

    // Keys are scoped to the aggregate: the same key elsewhere is a new command.
    let elsewhere = store
        .execute::<Counter>("c-2", add(vec![7]), &services, keyed("k-1"))
        .await?;
    assert_eq!(elsewhere.last_sequence(), Some(1));

    let state = store.replay::<Counter>("c-1").await?;
    assert_eq!((state.sequence, state.state.history), (3, vec![4, 5, 100]));
    assert_eq!(events_to_head(&store).await?.len(), 4);
    Ok(())
}

async fn racing_copies_append_once(db: TestDatabase) -> anyhow::Result<()> {
    let first = db.open().await?;
    let second = db.open().await?;
    let race = BarrierHook::new(2);
    let services = CounterServices::with_hook(race.clone());
    let command = CounterCommand::Add(vec![1, 2, 3]);

    let (a, b) = tokio::join!(
        first.execute::<Counter>("c-1", command.clone(), &services, keyed("k-1")),
        second.execute::<Counter>("c-1", command.clone(), &services, keyed("k-1")),
    );
    let (a, b) = (a?, b?);
    assert_eq!(a, b, "the loser returns the winner's outcome");
    assert_eq!(a.last_sequence(), Some(3));
    let log = events_to_head(&first).await?;
    assert_eq!(log.len(), 3, "one copy appended: {log:#?}");
    assert_eq!(a.position, log[2].position);
    Ok(())
}

async fn database_enforces_the_key(db: TestDatabase) -> anyhow::Result<()> {
    // Two writers that skip the store's look-up: the unique index still refuses the second.
    drop(db.open().await?); // creates and migrates the database
    let raw = RawDb::connect(&db).await?;
    let first_event = r#"{"command_key": "k-1", "command_events": "1"}"#;
    raw.insert_next("counter", "c-1", Some(first_event)).await?;
    let error = raw.insert_next("counter", "c-1", Some(first_event)).await;
    let refused = error
        .as_ref()
        .err()
        .and_then(|error| error.as_database_error())
        .is_some_and(|error| error.is_unique_violation());
    assert!(refused, "expected a unique violation, got {error:?}");
    // Events without a key, and the same key on another aggregate, are unaffected.
    raw.insert_next("counter", "c-1", None).await?;
    raw.insert_next("counter", "c-1", None).await?;
    raw.insert_next("counter", "c-2", Some(first_event)).await?;
    raw.close().await;
    Ok(())
}
