//! What the conformance tests share: a tiny test aggregate, cases registered straight on the
//! case aggregate, raw SQL access to the database, and
//! a few helpers for metadata, following the log and waiting with a deadline.

mod cases;
mod counter;
mod raw;

use std::future::Future;
use std::time::Duration;

use anyhow::Context;
use guanjia_store::{CommandContext, EventMetadata, Store};

pub use cases::{CaseRegistration, CaseStore};
pub use counter::{BarrierHook, Counter, CounterCommand, CounterServices, InterfereHook};
pub use raw::RawDb;

/// Generous: tests share a machine (and possibly a PostgreSQL server) with other work. A
/// deadline turns a hang into a failure with a message.
pub const DEADLINE: Duration = Duration::from_secs(60);

/// Metadata as a GraphQL request by a steward would carry it.
pub fn metadata(request_id: &str) -> EventMetadata {
    EventMetadata {
        actor_id: "user-7".to_string(),
        actor_role: "steward".to_string(),
        correlation_id: format!("corr-{request_id}"),
        causation_id: request_id.to_string(),
        request_id: request_id.to_string(),
        channel: "graphql".to_string(),
    }
}

/// A context without an idempotency key.
pub fn context(request_id: &str) -> CommandContext {
    CommandContext::new(metadata(request_id))
}

/// Runs `future` or fails after [`DEADLINE`].
pub async fn within<T>(what: &str, future: impl Future<Output = T>) -> anyhow::Result<T> {
    tokio::time::timeout(DEADLINE, future)
        .await
        .with_context(|| format!("timed out: {what}"))
}

/// Extends the chain until it covers `events` events. One pass chains what is below the
/// reader's horizon at that moment, which a transaction of another test on the same cluster
/// can hold back for an instant (it ended between the statement's snapshot and its reading
/// of the lock table): the next pass goes on from there, as the chain keeper's would.
pub async fn chain_through(store: &Store, events: u64) -> anyhow::Result<guanjia_store::ChainHead> {
    for _ in 0..100 {
        if let Some(head) = store.extend_chain().await? {
            if head.events >= events {
                return Ok(head);
            }
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    anyhow::bail!("the chain did not reach {events} events")
}

/// Adds `amounts` to counter `id` (one event per amount).
pub async fn add(
    store: &Store,
    id: &str,
    amounts: &[i64],
) -> anyhow::Result<guanjia_store::Committed> {
    Ok(store
        .execute::<Counter>(
            id,
            CounterCommand::Add(amounts.to_vec()),
            &CounterServices::default(),
            context("r-add"),
        )
        .await?)
}
