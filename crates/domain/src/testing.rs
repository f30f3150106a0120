//! Test support: every state an aggregate reaches in a test must survive the snapshot round
//! trip, because the store snapshots states (`guanjia_store`'s `snapshot.rs`) and a state that
//! does not serialise makes every later load replay the whole history.
//!
//! [`SnapshotChecked`] wraps an aggregate for cqrs-es's `TestFramework`: after each event it
//! applies — the given history and the events a command records alike — it writes the state
//! to JSON the way the store does and reads it back, and panics unless the copy equals the
//! original. The domain's given–when–then fixtures and property tests use it, so a state
//! layout that breaks snapshots fails the test that first reaches it.

use std::fmt::Debug;

use cqrs_es::event_sink::EventSink;
use cqrs_es::Aggregate;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

/// An aggregate whose every state is checked to restore equal from its snapshot.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct SnapshotChecked<A>(pub A);

impl<A> Aggregate for SnapshotChecked<A>
where
    A: Aggregate + Clone + PartialEq + Debug,
    A::Command: Send,
{
    const TYPE: &'static str = A::TYPE;
    type Command = A::Command;
    type Event = A::Event;
    type Error = A::Error;
    type Services = A::Services;

    async fn handle(
        &mut self,
        command: Self::Command,
        services: &Self::Services,
        sink: &EventSink<Self>,
    ) -> Result<(), Self::Error> {
        // The inner aggregate applies what it records to a copy; the events are then applied
        // here once more, through `apply` below, so each resulting state is checked too.
        let mut scratch = self.0.clone();
        let recorded = EventSink::default();
        scratch.handle(command, services, &recorded).await?;
        for event in recorded.collect().await {
            sink.write(event, self).await;
        }
        Ok(())
    }

    fn apply(&mut self, event: Self::Event) {
        self.0.apply(event);
        assert_restores_equal(&self.0);
    }
}

/// Panics unless `state` serialises to JSON text and reads back equal: what the store does
/// with a snapshot (`serde_json::to_value`, stored as JSON, `serde_json::from_value`).
pub fn assert_restores_equal<A>(state: &A)
where
    A: Serialize + DeserializeOwned + PartialEq + Debug,
{
    let value = serde_json::to_value(state)
        .unwrap_or_else(|error| panic!("the state does not serialise ({error}): {state:?}"));
    let stored = value.to_string();
    let restored: A = serde_json::from_str(&stored)
        .unwrap_or_else(|error| panic!("the snapshot does not read back ({error}): {stored}"));
    assert_eq!(&restored, state, "the snapshot restores another state");
}

pub mod case_events;
