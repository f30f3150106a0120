//! The one error type of the read layer.
//!
//! Two kinds of failure reach a caller. Applying an event fails only when the event cannot be
//! understood (a payload that does not decode, a version this build does not know): the log is
//! the source of truth, so the follower must stop and say where, rather than skip a fact. A query
//! fails only when its input is malformed (a cursor that is not ours, a period that ends before
//! it starts); the api crate maps those to `BAD_USER_INPUT`.

use guanjia_store::LogPosition;
use thiserror::Error;

/// Why the read model refused an event or a query.
#[derive(Debug, Error)]
pub enum ReadError {
    /// The payload of an event does not decode as the event type of its aggregate.
    #[error(
        "event at position {position} ({aggregate_type} {event_type}) does not decode: {source}"
    )]
    Decode {
        position: LogPosition,
        aggregate_type: String,
        event_type: String,
        #[source]
        source: serde_json::Error,
    },
    /// The event was written in a version this build cannot read (a newer writer, or an upcaster
    /// missing): reading it as the old shape could silently misread it.
    #[error(
        "event at position {position} ({aggregate_type} {event_type}) has version {version}, \
         this build reads version {supported}"
    )]
    UnsupportedVersion {
        position: LogPosition,
        aggregate_type: String,
        event_type: String,
        version: String,
        supported: &'static str,
    },
    /// A paging cursor that this read model did not hand out, or one for another sort order.
    #[error("invalid cursor: {0}")]
    InvalidCursor(String),
    /// The log could not be read.
    #[error("the event log could not be read: {0}")]
    Store(#[from] guanjia_store::StoreError),
    /// The read model did not reach a position in time (read-your-writes): the write happened,
    /// the caller may read again shortly.
    #[error("the read model is at {reached}, not yet at {wanted}")]
    Lagging {
        wanted: LogPosition,
        reached: LogPosition,
    },
    /// The follower stopped (after an event it could not apply, or at shutdown).
    #[error("the read model stopped following the log")]
    Stopped,
    /// A query argument that breaks a rule (the field and the rule).
    #[error("{field}: {rule}")]
    InvalidQuery { field: &'static str, rule: String },
}

impl ReadError {
    /// Shorthand for a malformed query argument.
    pub(crate) fn invalid(field: &'static str, rule: impl Into<String>) -> Self {
        Self::InvalidQuery {
            field,
            rule: rule.into(),
        }
    }
}
