//! Running a command: load, check, decide, append — again on a conflict — exactly once per key.
//!
//! cqrs-es 0.5.0 has no expected-version parameter and does not retry: two commands that decided
//! on the same version of an aggregate both try to insert the same `(aggregate_type,
//! aggregate_id, sequence)` and the database refuses the second. Here the loser reloads and
//! decides again, up to `max_attempts` times with a short jittered pause, and then reports
//! [`StoreError::Conflict`] — a retryable answer, never a server error.
//!
//! Idempotency rides on the same mechanism. The first event of a command carries its client
//! key (and what the request was: its fingerprint), and a unique index over (aggregate_type,
//! aggregate_id, key) makes a second copy of the command collide just like a concurrent writer.
//! The first attempt does not look the key up (a fresh key, the common case, costs nothing);
//! a collision, a refusal or an empty outcome does, so a repeat — or the loser of a race —
//! finds the first copy's events and returns them as its own outcome, unless the fingerprints
//! differ: the key was reused for another request, which is [`StoreError::KeyReused`].
//!
//! The caller's guard (authorisation, say) runs on the state each attempt decides on, so a
//! command is checked against exactly what it decides on. The first attempt takes that state
//! from this node's memory of the aggregate when it has one (`recent.rs`) and asks the log
//! nothing: a newer event written elsewhere makes the append collide, and the retry loads from
//! the log; a refusal or an empty outcome is confirmed on the log's state before it is
//! answered. A fresh commit answers from what it appended and the position the append returned;
//! nothing is read back.

use std::time::{Duration, Instant};

use cqrs_es::event_sink::EventSink;
use cqrs_es::persist::SerializedEvent;
use cqrs_es::{Aggregate, DomainEvent};
use guanjia_domain::DomainError;
use metrics::{counter, histogram};
use tracing::Instrument;

use crate::backend::AppendError;
use crate::error::Source;
use crate::metadata::StoredMetadata;
use crate::{CommandContext, Committed, CommittedEvent, LogPosition, Store, StoreError};

/// A check of the loaded aggregate before the command is decided; its error is returned as
/// [`StoreError::Refused`].
pub type Guard<'a, A> = dyn Fn(&A) -> Result<(), Source> + Send + Sync + 'a;

impl Store {
    /// Runs `command` against the aggregate `A` with id `aggregate_id` and appends the events it
    /// emits, with `context.metadata` on each.
    ///
    /// - A refused command returns [`StoreError::Rejected`] and appends nothing.
    /// - A command that emits no events returns an empty [`Committed`] at [`LogPosition::START`].
    /// - A command whose `context.command_key` was already used on this aggregate appends nothing
    ///   and returns the first outcome, also when both copies race; with another fingerprint
    ///   it is [`StoreError::KeyReused`].
    /// - A command that keeps losing the optimistic lock returns [`StoreError::Conflict`].
    ///
    /// `A::Command: Clone` because a command may be decided more than once.
    pub async fn execute<A>(
        &self,
        aggregate_id: &str,
        command: A::Command,
        services: &A::Services,
        context: CommandContext,
    ) -> Result<Committed, StoreError>
    where
        A: Aggregate<Error = DomainError> + Clone + 'static,
        A::Command: Clone + Send + Sync,
    {
        self.execute_guarded::<A>(aggregate_id, command, services, context, &|_| Ok(()))
            .await
    }

    /// [`Self::execute`] with a `guard` run on the loaded aggregate before each decision.
    pub async fn execute_guarded<A>(
        &self,
        aggregate_id: &str,
        command: A::Command,
        services: &A::Services,
        context: CommandContext,
        guard: &Guard<'_, A>,
    ) -> Result<Committed, StoreError>
    where
        A: Aggregate<Error = DomainError> + Clone + 'static,
        A::Command: Clone + Send + Sync,
    {
        let span = tracing::info_span!(
            "execute",
            aggregate_type = A::TYPE,
            aggregate_id,
            request_id = %context.metadata.request_id,
            actor_id = %context.metadata.actor_id,
        );
        let started = Instant::now();
        // On the heap: the attempts' state (loaded aggregate, events, retries) is large, and
        // callers nest it in cross-case steps; on the stack it overflowed test threads.
        let outcome = Box::pin(
            self.execute_attempts::<A>(aggregate_id, command, services, &context, guard)
                .instrument(span),
        )
        .await;
        histogram!("guanjia_command_duration_seconds", "aggregate_type" => A::TYPE)
            .record(started.elapsed().as_secs_f64());
        outcome
    }

    async fn execute_attempts<A>(
        &self,
        aggregate_id: &str,
        command: A::Command,
        services: &A::Services,
        context: &CommandContext,
        guard: &Guard<'_, A>,
    ) -> Result<Committed, StoreError>
    where
        A: Aggregate<Error = DomainError> + Clone + 'static,
        A::Command: Clone + Send + Sync,
    {
        let attempts = self.options().max_attempts.max(1);
        for attempt in 1..=attempts {
            // A repeated key is found by the database: the first attempt appends straight away
            // and collides on the key's unique index; from the second on, the key is looked up
            // first. A command that is refused or changes nothing looks it up as well, so a
            // repeat answers what the first copy did, not what deciding again would say now.
            if attempt > 1 {
                if let Some(first) = self.repeated::<A>(aggregate_id, context).await? {
                    return Ok(first);
                }
            }
            // The first attempt decides on the state this node remembers, without asking the
            // log whether another node has appended since: if one has, the append collides on
            // the optimistic lock and the next attempt loads from the log. Only an answer that
            // appends nothing (a refusal, an empty outcome) must first be confirmed on the log.
            let remembered = match attempt {
                1 => self.recent().get::<A>(A::TYPE, aggregate_id),
                _ => None,
            };
            let from_memory = remembered.is_some();
            let (mut state, before) = match remembered {
                Some(remembered) => remembered,
                None => {
                    let loaded = self.load::<A>(aggregate_id).await?;
                    (loaded.state, loaded.sequence)
                }
            };
            if let Err(source) = guard(&state) {
                if from_memory && self.moved_on::<A>(aggregate_id, before).await? {
                    continue;
                }
                return self
                    .or_repeated::<A>(aggregate_id, context, StoreError::Refused { source })
                    .await;
            }
            let sink = EventSink::default();
            if let Err(rejected) = state.handle(command.clone(), services, &sink).await {
                if from_memory && self.moved_on::<A>(aggregate_id, before).await? {
                    continue;
                }
                return self
                    .or_repeated::<A>(aggregate_id, context, StoreError::Rejected(rejected))
                    .await;
            }
            let events = sink.collect().await;
            if events.is_empty() && from_memory && self.moved_on::<A>(aggregate_id, before).await? {
                continue;
            }
            if events.is_empty() {
                if let Some(first) = self.repeated::<A>(aggregate_id, context).await? {
                    return Ok(first);
                }
                return Ok(Committed {
                    events: Vec::new(),
                    position: LogPosition::START,
                });
            }

            let mut serialized = serialize::<A>(aggregate_id, before, &events, context)?;
            // The answer, before personal data is sealed for the log (personal.rs).
            let answer: Vec<CommittedEvent> = serialized.iter().map(committed_event).collect();
            self.seal_events(&mut serialized).await?;
            match self.db().append::<A>(serialized).await {
                Ok(position) => {
                    self.signal_commit(position);
                    let after = before + events.len() as u64;
                    // `handle` applied its events to `state` (cqrs-es's EventSink): the state at
                    // `after`, kept for the next command on this aggregate.
                    self.recent().keep(A::TYPE, aggregate_id, state, after);
                    self.snapshot_if_due::<A>(aggregate_id, before, after).await;
                    return Ok(Committed {
                        events: answer,
                        position,
                    });
                }
                Err(AppendError::Conflict) => {
                    counter!("guanjia_command_conflicts_total", "aggregate_type" => A::TYPE)
                        .increment(1);
                    tracing::debug!(attempt, sequence = before + 1, "optimistic lock conflict");
                    if attempt < attempts {
                        counter!("guanjia_command_retries_total", "aggregate_type" => A::TYPE)
                            .increment(1);
                        // A collision on the key is no race to wait out: look it up at once.
                        if context.command_key.is_none() {
                            tokio::time::sleep(backoff(attempt)).await;
                        }
                    }
                }
                Err(AppendError::Failed(error)) => return Err(error),
            }
        }
        counter!("guanjia_command_gave_up_total", "aggregate_type" => A::TYPE).increment(1);
        tracing::warn!(attempts, "command gave up after repeated conflicts");
        Err(StoreError::Conflict { attempts })
    }

    /// Whether the log holds events of `aggregate_id` after `sequence`, the state a decision
    /// was made on from memory (the load keeps the newer state for the next attempt).
    async fn moved_on<A>(&self, aggregate_id: &str, sequence: u64) -> Result<bool, StoreError>
    where
        A: Aggregate<Error = DomainError> + Clone + 'static,
    {
        Ok(self.load::<A>(aggregate_id).await?.sequence > sequence)
    }

    /// `refusal`, unless the command's key was used before: then the first outcome (or
    /// [`StoreError::KeyReused`]).
    async fn or_repeated<A: Aggregate>(
        &self,
        aggregate_id: &str,
        context: &CommandContext,
        refusal: StoreError,
    ) -> Result<Committed, StoreError> {
        match self.repeated::<A>(aggregate_id, context).await? {
            Some(first) => Ok(first),
            None => Err(refusal),
        }
    }

    /// The outcome of the earlier command with this command's key, if it has one and it was
    /// used; [`StoreError::KeyReused`] when it was used for another request.
    async fn repeated<A: Aggregate>(
        &self,
        aggregate_id: &str,
        context: &CommandContext,
    ) -> Result<Option<Committed>, StoreError> {
        let Some(key) = &context.command_key else {
            return Ok(None);
        };
        let Some(record) = self.db().find_command(A::TYPE, aggregate_id, key).await? else {
            return Ok(None);
        };
        if let (Some(first), Some(now)) = (&record.fingerprint, &context.fingerprint) {
            if first != now {
                return Err(StoreError::KeyReused { key: key.clone() });
            }
        }
        let last = record.first_sequence + record.events.max(1) - 1;
        self.read_committed::<A>(aggregate_id, record.first_sequence, last)
            .await
            .map(Some)
    }

    /// The events `first..=last` as stored, unsealed: the answer to a repeated key.
    async fn read_committed<A: Aggregate>(
        &self,
        aggregate_id: &str,
        first: u64,
        last: u64,
    ) -> Result<Committed, StoreError> {
        let mut rows = self
            .db()
            .committed(A::TYPE, aggregate_id, first, last)
            .await?;
        if crate::vault::has_personal_data(A::TYPE) {
            let payloads = rows
                .iter_mut()
                .map(|(e, _)| Some((A::TYPE, &mut e.payload)))
                .collect();
            self.unseal(payloads).await?;
        }
        let expected = last - first + 1;
        if rows.len() as u64 != expected {
            return Err(StoreError::decode(format!(
                "{}/{aggregate_id}: expected events {first}..={last}, found {}",
                A::TYPE,
                rows.len()
            )));
        }
        let position = rows
            .last()
            .map_or(LogPosition::START, |(_, position)| *position);
        Ok(Committed {
            events: rows.into_iter().map(|(event, _)| event).collect(),
            position,
        })
    }
}

fn committed_event(event: &SerializedEvent) -> CommittedEvent {
    CommittedEvent {
        sequence: event.sequence as u64,
        event_type: event.event_type.clone(),
        payload: event.payload.clone(),
    }
}

/// The events of one command, numbered after `before`, in the repositories' format. The first
/// carries the command key, its fingerprint and the event count (see [`StoredMetadata`]).
fn serialize<A: Aggregate>(
    aggregate_id: &str,
    before: u64,
    events: &[A::Event],
    context: &CommandContext,
) -> Result<Vec<SerializedEvent>, StoreError> {
    let start = usize::try_from(before)
        .map_err(|_| StoreError::decode(format!("sequence {before} is out of range")))?;
    events
        .iter()
        .enumerate()
        .map(|(index, event)| {
            let first = index == 0;
            let metadata = StoredMetadata {
                public: context.metadata.clone(),
                command_key: context.command_key.clone().filter(|_| first),
                command_fingerprint: context
                    .fingerprint
                    .clone()
                    .filter(|_| first && context.command_key.is_some()),
                command_events: first.then(|| events.len().to_string()),
            };
            Ok(SerializedEvent::new(
                aggregate_id.to_string(),
                start + index + 1,
                A::TYPE.to_string(),
                event.event_type(),
                event.event_version(),
                serde_json::to_value(event)?,
                serde_json::to_value(&metadata)?,
            ))
        })
        .collect()
}

/// The pause before attempt `attempt + 1`: 5 ms doubling to at most 160 ms, times a random
/// factor in [0.5, 1.5) so that writers who collided do not collide again in lockstep.
fn backoff(attempt: u32) -> Duration {
    let base_ms = 5u64 << attempt.saturating_sub(1).min(5);
    // A v4 UUID is 122 random bits from the OS generator: enough jitter without another crate.
    let random = (uuid::Uuid::new_v4().as_u128() % 1000) as u64;
    Duration::from_micros(base_ms * (500 + random))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_grows_and_stays_small() {
        for attempt in 1..=10 {
            let pause = backoff(attempt);
            let base = Duration::from_millis(5 << (attempt - 1).min(5));
            assert!(
                pause >= base / 2 && pause < base * 3 / 2,
                "{attempt}: {pause:?}"
            );
        }
    }
}
