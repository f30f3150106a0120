//! Optimistic concurrency: two commands deciding on the same version both end up applied, one
//! of them after a retry; a command that loses every time reports a conflict, appending nothing.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use guanjia_store::testing::{events_to_head, TestDatabase};
use guanjia_store::{Store, StoreError, StoreOptions};

use crate::support::BarrierHook;
use crate::support::{context, Counter, CounterCommand, CounterServices, InterfereHook, RawDb};

on_both_backends!(
    racing_executors_both_succeed,
    endless_conflict_is_reported,
    many_writers_at_once_each_get_their_own_events_and_position
);

async fn racing_executors_both_succeed(db: TestDatabase) -> anyhow::Result<()> {
    // Two store handles, as two server nodes would have.
    let first = db.open().await?;
    let second = db.open().await?;
    let race = BarrierHook::new(2);
    let services = CounterServices::with_hook(race.clone());

    let (a, b) = tokio::join!(
        first.execute::<Counter>(
            "c-1",
            CounterCommand::Add(vec![1]),
            &services,
            context("r-a")
        ),
        second.execute::<Counter>(
            "c-1",
            CounterCommand::Add(vec![10]),
            &services,
            context("r-b")
        ),
    );
    let (a, b) = (a?, b?);

    // Both decided on version 0; one of them had to decide again.
    assert_eq!(race.calls.load(Ordering::SeqCst), 3);
    let mut sequences = [a.last_sequence(), b.last_sequence()];
    sequences.sort();
    assert_eq!(sequences, [Some(1), Some(2)]);
    let replayed = first.replay::<Counter>("c-1").await?;
    assert_eq!((replayed.sequence, replayed.state.total), (2, 11));
    Ok(())
}

async fn endless_conflict_is_reported(db: TestDatabase) -> anyhow::Result<()> {
    let options = StoreOptions {
        max_attempts: 3,
        ..TestDatabase::options()
    };
    let store = Store::open(db.url(), options).await?;
    let raw = RawDb::connect(&db).await?;
    let interference = Arc::new(InterfereHook {
        raw: raw.clone(),
        aggregate_id: "c-1".to_string(),
        calls: AtomicUsize::new(0),
    });
    let services = CounterServices::with_hook(interference.clone());

    let result = store
        .execute::<Counter>(
            "c-1",
            CounterCommand::Add(vec![1]),
            &services,
            context("r-1"),
        )
        .await;
    assert_eq!(result, Err(StoreError::Conflict { attempts: 3 }));
    assert!(result.is_err_and(|error| error.is_retryable()));
    assert_eq!(interference.calls.load(Ordering::SeqCst), 3);

    // Only the interfering writer's three events are in the log.
    let log = events_to_head(&store).await?;
    assert_eq!(log.len(), 3);
    assert!(log.iter().all(|event| event.metadata.request_id.is_empty()));
    raw.close().await;
    Ok(())
}

/// Thirty-two commands at once, most on aggregates of their own and four on one shared
/// aggregate (on SQLite they share commits): each is applied exactly once, all-or-nothing,
/// and is told the position its last event holds in the log.
async fn many_writers_at_once_each_get_their_own_events_and_position(
    db: TestDatabase,
) -> anyhow::Result<()> {
    let store = db.open().await?;
    let services = CounterServices::default();
    let commands = (0..32i64).map(|n| {
        let (store, services) = (&store, &services);
        async move {
            let id = if n % 8 == 1 {
                "shared".to_owned()
            } else {
                format!("own-{n}")
            };
            let committed = store
                .execute::<Counter>(
                    &id,
                    CounterCommand::Add(vec![n, 1]),
                    services,
                    context(&format!("r-{n}")),
                )
                .await?;
            anyhow::Ok((id, committed))
        }
    });
    let outcomes = futures_util::future::try_join_all(commands).await?;

    let log = events_to_head(&store).await?;
    assert_eq!(
        log.len(),
        64,
        "two events per command, none twice, none lost"
    );
    for (id, committed) in &outcomes {
        let last = committed.last_sequence().expect("events were appended");
        let in_log = log
            .iter()
            .find(|e| &e.aggregate_id == id && e.sequence == last)
            .expect("the command's last event is in the log");
        assert_eq!(committed.position, in_log.position, "{id} #{last}");
    }
    let shared = store.replay::<Counter>("shared").await?;
    let amounts: i64 = (0..32).filter(|n| n % 8 == 1).sum();
    assert_eq!((shared.sequence, shared.state.total), (8, amounts + 4));
    Ok(())
}
