//! Who did what, from where: the metadata every event carries, which makes the log an audit
//! trail, and the few keys the store adds for its own bookkeeping.
//!
//! The metadata column holds one flat JSON object of strings. Flat and string-only on purpose:
//! cqrs-es reads metadata as a `HashMap<String, String>`, so any cqrs-es tool pointed at the
//! table (replay, upcasters) still understands it.

use serde::{Deserialize, Serialize};

/// Metadata recorded with every event of a command.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
// `default`: rows written by hand or by an older program may lack a key; reading them must
// not fail.
#[serde(default)]
pub struct EventMetadata {
    /// The user (or system component) on whose behalf the command ran.
    pub actor_id: String,
    /// The actor's role when it acted: `"steward"`, `"admin"`, `"system"`, …
    pub actor_role: String,
    /// Shared by every command and event that one user action set off.
    pub correlation_id: String,
    /// The message (request, command or event) that directly caused this command.
    pub causation_id: String,
    /// The request the command arrived in; ties events to log lines.
    pub request_id: String,
    /// The client channel: `"graphql"`, `"cli"`, `"demo"`, `"rating_link"`, …
    pub channel: String,
}

/// Everything about a command besides the command itself.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CommandContext {
    /// Stored on each event the command appends.
    pub metadata: EventMetadata,
    /// The client's idempotency key, scoped to the aggregate (type and id). A command that comes
    /// again with a key already used on that aggregate appends nothing and returns the first
    /// outcome. Only commands that appended events are remembered: a rejected or empty outcome
    /// changed nothing, and deciding it again is safe.
    pub command_key: Option<String>,
    /// What the request was, in a form that is equal for equal requests (a hash of the
    /// operation and its input, say). Kept with the key: the same key with another fingerprint
    /// is refused ([`crate::StoreError::KeyReused`]) instead of answered with the first outcome.
    pub fingerprint: Option<String>,
}

impl CommandContext {
    /// A context with the given metadata and no idempotency key.
    pub fn new(metadata: EventMetadata) -> Self {
        Self {
            metadata,
            command_key: None,
            fingerprint: None,
        }
    }

    /// Adds an idempotency key.
    pub fn with_command_key(mut self, key: impl Into<String>) -> Self {
        self.command_key = Some(key.into());
        self
    }

    /// Adds the request's fingerprint (see [`Self::fingerprint`]).
    pub fn with_fingerprint(mut self, fingerprint: impl Into<String>) -> Self {
        self.fingerprint = Some(fingerprint.into());
        self
    }
}

/// The JSON object stored in the metadata column: the public metadata plus, on the first event
/// of a command only, the store's bookkeeping. The SQL in `backend/` and the unique index in
/// the migrations name the keys `command_key` and `command_events`: keep them in step. Keeping the keys on the first event alone lets
/// the unique index on `command_key` enforce idempotency without a second table: the key is
/// written by the same statement as the events and refused by the same index on both backends.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct StoredMetadata {
    #[serde(flatten)]
    pub public: EventMetadata,
    /// The client's idempotency key (first event of a command only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub command_key: Option<String>,
    /// The request's fingerprint, kept with the key (first event of a command only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub command_fingerprint: Option<String>,
    /// How many events the command appended, as a decimal string (first event only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub command_events: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn metadata() -> EventMetadata {
        EventMetadata {
            actor_id: "u-1".into(),
            actor_role: "steward".into(),
            correlation_id: "c-1".into(),
            causation_id: "r-1".into(),
            request_id: "r-1".into(),
            channel: "graphql".into(),
        }
    }

    #[test]
    fn stored_metadata_is_one_flat_object_of_strings() -> Result<(), serde_json::Error> {
        let first = StoredMetadata {
            public: metadata(),
            command_key: Some("k-9".into()),
            command_fingerprint: Some("f-1".into()),
            command_events: Some("2".into()),
        };
        let value = serde_json::to_value(&first)?;
        assert_eq!(value["command_key"], json!("k-9"));
        assert_eq!(value["command_events"], json!("2"));
        assert_eq!(value["actor_role"], json!("steward"));
        // cqrs-es's own reading of metadata must still work.
        let _: std::collections::HashMap<String, String> = serde_json::from_value(value)?;

        let later = StoredMetadata {
            public: metadata(),
            ..StoredMetadata::default()
        };
        assert!(serde_json::to_value(&later)?.get("command_key").is_none());
        Ok(())
    }

    #[test]
    fn missing_keys_read_as_empty() -> Result<(), serde_json::Error> {
        let read: EventMetadata = serde_json::from_value(json!({"actor_id": "u-1"}))?;
        assert_eq!(read.actor_id, "u-1");
        assert_eq!(read.channel, "");
        Ok(())
    }
}
