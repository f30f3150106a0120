//! `guanjia_events_appended_total{aggregate_type}`: events appended to the log since this node
//! started, by any node, counted by following the log as the read model does.
//!
//! Counting where events are read rather than where they are written means one code path for
//! both backends and for commands of every origin (GraphQL, CLI, other nodes). On several
//! nodes each counts the whole log: take one node's series, or `max` across nodes, not the sum.

use guanjia_store::{LogPosition, Store};
use metrics::{counter, describe_counter};
use tokio_util::sync::CancellationToken;

/// Events read per query while catching up.
const BATCH: usize = 1000;

/// The least time between two counting passes: every commit signals the followers, and a
/// counter scraped every few seconds needs no query per commit.
const PACE: std::time::Duration = std::time::Duration::from_millis(250);

/// Describes the series and registers it at zero for every aggregate type.
pub fn describe() {
    describe_counter!(
        "guanjia_events_appended_total",
        "Events appended to the log since this node started (by any node), by aggregate type"
    );
    for kind in guanjia_domain::aggregates::TYPES {
        counter!("guanjia_events_appended_total", "aggregate_type" => kind).absolute(0);
    }
}

/// Follows the log from its current head until `cancel`, counting each new event.
pub async fn count_appended_events(store: Store, cancel: CancellationToken) {
    let mut position = match store.head().await {
        Ok(head) => head,
        Err(error) => {
            tracing::warn!(%error, "cannot read the log head; counting appended events from the start");
            LogPosition::START
        }
    };
    let mut watcher = store.subscribe();
    loop {
        tokio::select! {
            () = cancel.cancelled() => return,
            () = watcher.changed() => {}
        }
        loop {
            let events = tokio::select! {
                () = cancel.cancelled() => return,
                read = store.read_headers_after(position, BATCH) => read,
            };
            let events = match events {
                Ok(events) => events,
                Err(error) => {
                    tracing::warn!(%error, "cannot read the log to count appended events; retrying at the next change");
                    break;
                }
            };
            let Some(last) = events.last().map(|event| event.position) else {
                break;
            };
            for event in &events {
                counter!("guanjia_events_appended_total", "aggregate_type" => event.aggregate_type.clone())
                    .increment(1);
            }
            position = last;
            if events.len() < BATCH {
                break;
            }
        }
        // Commits meanwhile are kept by the watcher and counted in the next pass.
        tokio::select! {
            () = cancel.cancelled() => return,
            () = tokio::time::sleep(PACE) => {}
        }
    }
}
