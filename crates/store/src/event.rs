//! The values the store hands out: events read from the log, the outcome of a command, and a
//! loaded aggregate.
//!
//! Payloads are `serde_json::Value` for callers that look into them (audit, exports, tests). The
//! log reader that feeds read models can take them as [`Payload`] instead: the JSON text as the
//! database returned it, decoded once, straight into the projection's event type.

use chrono::{DateTime, Utc};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use serde_json::Value;

use crate::{EventMetadata, LogPosition};

/// One event as the log reader delivers it; `P` is how the payload is held (a `Value` tree by
/// default, [`Payload`] from [`crate::Store::read_payloads_after`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredEvent<P = Value> {
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
    pub payload: P,
    /// Who appended it, from where.
    pub metadata: EventMetadata,
    /// When it was recorded (database clock, start of the appending transaction on PostgreSQL).
    pub recorded_at: DateTime<Utc>,
    /// Personal fields of the payload whose key was erased (crypto-shredding): they read as
    /// JSON null, e.g. `enterprise.contact_phone` or `rater.name`. Empty for most events.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub erased_fields: Vec<String>,
}

/// A payload as the log reader hands it to a projection.
///
/// Most events arrive as the JSON text the database returned and are parsed once, by the
/// projection, into its own event type: building a `Value` tree first costs more than the
/// projection itself (docs/benchmarks.md). Events that held sealed personal data had to be
/// opened as a tree to unseal them, and stay one.
#[derive(Debug, Clone, Serialize)]
#[serde(untagged)]
pub enum Payload {
    /// The JSON text, untouched.
    Text(Box<RawValue>),
    /// A tree with its personal fields unsealed (or null where erased).
    Tree(Value),
}

impl Payload {
    /// Deserializes the payload into `T`.
    pub fn decode<T: DeserializeOwned>(&self) -> serde_json::Result<T> {
        match self {
            Self::Text(text) => serde_json::from_str(text.get()),
            Self::Tree(tree) => T::deserialize(tree),
        }
    }

    /// The payload as a `Value` tree (parsing it if it is text).
    pub fn to_value(&self) -> serde_json::Result<Value> {
        match self {
            Self::Text(text) => serde_json::from_str(text.get()),
            Self::Tree(tree) => Ok(tree.clone()),
        }
    }
}

/// A payload a projection can decode into its event type, whichever way it was read.
pub trait DecodePayload {
    /// Deserializes the payload into `T`.
    fn decode_into<T: DeserializeOwned>(&self) -> serde_json::Result<T>;
}

impl DecodePayload for Value {
    fn decode_into<T: DeserializeOwned>(&self) -> serde_json::Result<T> {
        T::deserialize(self)
    }
}

impl DecodePayload for Payload {
    fn decode_into<T: DeserializeOwned>(&self) -> serde_json::Result<T> {
        self.decode()
    }
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

/// An event exactly as stored: nothing decoded, nothing unsealed, payload and metadata as the
/// database returns their text, the recording time in microseconds since the epoch. What the
/// hash chain covers, and what `guanjia verify` decodes to find unreadable rows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawRow {
    pub position: LogPosition,
    pub aggregate_type: String,
    pub aggregate_id: String,
    pub sequence: u64,
    pub event_type: String,
    pub event_version: String,
    pub recorded_micros: i64,
    pub payload: String,
    pub metadata: String,
}

/// Where an event is in the log, whose and what kind it is, without its data: for counting,
/// and for followers that load the few streams they care about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventHeader {
    pub position: LogPosition,
    pub aggregate_type: String,
    pub aggregate_id: String,
    pub event_type: String,
}
