//! The command series are recorded where things happen, on both backends: a command that keeps
//! losing the optimistic lock counts each conflict, each retry and the give-up, and its time.
//!
//! The recorder is local to the test's thread (`metrics::with_local_recorder`), and the test
//! runs on a current-thread runtime on that thread, so other tests' commands are not counted.

use std::sync::atomic::AtomicUsize;
use std::sync::Arc;

use guanjia_store::testing::TestDatabase;
use guanjia_store::{Backend, Store, StoreError, StoreOptions};
use metrics_util::debugging::{DebugValue, DebuggingRecorder};
use metrics_util::MetricKind;

use crate::support::{context, Counter, CounterCommand, CounterServices, InterfereHook, RawDb};

/// Runs a command that conflicts on every one of its 3 attempts; returns the series recorded.
fn endless_conflict(backend: Backend) -> Vec<(String, MetricKind, DebugValue)> {
    let recorder = DebuggingRecorder::new();
    let snapshotter = recorder.snapshotter();
    metrics::with_local_recorder(&recorder, || {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("a runtime");
        runtime.block_on(async {
            let db = TestDatabase::new(backend).await;
            let options = StoreOptions {
                max_attempts: 3,
                ..TestDatabase::options()
            };
            let store = Store::open(db.url(), options).await.expect("the store");
            let raw = RawDb::connect(&db).await.expect("raw SQL");
            let services = CounterServices::with_hook(Arc::new(InterfereHook {
                raw: raw.clone(),
                aggregate_id: "c-1".to_owned(),
                calls: AtomicUsize::new(0),
            }));
            let outcome = store
                .execute::<Counter>("c-1", CounterCommand::Add(vec![1]), &services, context("m"))
                .await;
            assert_eq!(outcome, Err(StoreError::Conflict { attempts: 3 }));
            raw.close().await;
            store.close().await;
        });
    });
    snapshotter
        .snapshot()
        .into_vec()
        .into_iter()
        .filter(|(key, ..)| {
            key.key()
                .labels()
                .any(|label| label.key() == "aggregate_type" && label.value() == "counter")
        })
        .map(|(key, _, _, value)| (key.key().name().to_owned(), key.kind(), value))
        .collect()
}

fn counter(series: &[(String, MetricKind, DebugValue)], name: &str) -> Option<u64> {
    series.iter().find_map(|(found, _, value)| match value {
        DebugValue::Counter(count) if found == name => Some(*count),
        _ => None,
    })
}

fn timings(series: &[(String, MetricKind, DebugValue)]) -> usize {
    series
        .iter()
        .find_map(|(name, _, value)| match value {
            DebugValue::Histogram(samples) if name == "guanjia_command_duration_seconds" => {
                Some(samples.len())
            }
            _ => None,
        })
        .unwrap_or(0)
}

fn check(series: &[(String, MetricKind, DebugValue)]) {
    assert_eq!(
        counter(series, "guanjia_command_conflicts_total"),
        Some(3),
        "{series:?}"
    );
    assert_eq!(
        counter(series, "guanjia_command_retries_total"),
        Some(2),
        "{series:?}"
    );
    assert_eq!(
        counter(series, "guanjia_command_gave_up_total"),
        Some(1),
        "{series:?}"
    );
    assert_eq!(timings(series), 1, "{series:?}");
}

#[test]
fn conflicts_retries_and_give_ups_are_counted_on_sqlite() {
    check(&endless_conflict(Backend::Sqlite));
}

#[test]
fn conflicts_retries_and_give_ups_are_counted_on_postgres() {
    check(&endless_conflict(Backend::Postgres));
}
