//! The values the store hands out: events read from the log, the outcome of a command, and a
//! loaded aggregate.
//!
//! Payloads stay `serde_json::Value` here: the log reader serves every aggregate type at once,
//! and each projection decodes the events it cares about.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::{EventMetadata, LogPosition};

/// One event as the log reader delivers it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredEvent {
    /// Where the event is in the global log.
    pub position: LogPosition,
    /// `Aggregate::TYPE` of the aggregate that emitted it.
    pub aggregate_type: String,
    /// The aggregate instance.
    pub aggregate_id: String,
    /// The event's number within its aggregate, from 1 with no gaps.
    pub sequence: u64,
    /// `DomainEvent::event_type`.
    pub event_type: String,
    /// `DomainEvent::event_version`.
    pub event_version: String,
    /// The serialised domain event.
    pub payload: serde_json::Value,
    /// Who appended it, from where.
    pub metadata: EventMetadata,
    /// When it was recorded (database clock, start of the appending transaction on PostgreSQL).
    pub recorded_at: DateTime<Utc>,
    /// Personal fields of the payload whose key was erased (crypto-shredding): they read as
    /// JSON null, e.g. `enterprise.contact_phone` or `rater.name`. Empty for most events.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub erased_fields: Vec<String>,
}

/// One event appended by a command.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommittedEvent {
    /// The event's number within its aggregate.
    pub sequence: u64,
    /// `DomainEvent::event_type`.
    pub event_type: String,
    /// The serialised domain event.
    pub payload: serde_json::Value,
}

/// The outcome of a command that was accepted.
///
/// A command sent again with the same idempotency key returns an equal `Committed`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Committed {
    /// The events the command appended, in order. Empty when the command changed nothing.
    pub events: Vec<CommittedEvent>,
    /// The log position of the last appended event: a read model that has reached it has seen
    /// the whole command. [`LogPosition::START`] when nothing was appended.
    pub position: LogPosition,
}

impl Committed {
    /// The aggregate's sequence after the command, if it appended anything.
    pub fn last_sequence(&self) -> Option<u64> {
        self.events.last().map(|event| event.sequence)
    }
}

/// An aggregate rebuilt from the log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoadedAggregate<A> {
    /// The state after every event.
    pub state: A,
    /// The sequence of the last event applied; 0 for an aggregate with no events.
    pub sequence: u64,
    /// The sequence of the snapshot the load started from, if one was used.
    pub snapshot_sequence: Option<u64>,
}
