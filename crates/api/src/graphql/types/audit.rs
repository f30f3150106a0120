//! The audit history: every event of the log with who appended it, in which role, when, and
//! under which request, as a Relay connection in log order. The payload is the event as stored
//! (a JSON scalar): an auditor reads the facts, not a summary of them.

use async_graphql::connection::PageInfo;
use async_graphql::{Json, SimpleObject};
use chrono::{DateTime, Utc};
use guanjia_store::StoredEvent;

/// One event of the log.
#[derive(SimpleObject)]
pub struct AuditEvent {
    /// The log position (opaque; comparable with mutation results).
    pub position: String,
    /// `enterprise_case`, `user`, `service_catalog`, …
    pub aggregate_type: String,
    /// The case id, username, or catalog id.
    pub aggregate_id: String,
    /// The event's number within its aggregate, from 1.
    pub sequence: u64,
    pub event_type: String,
    pub event_version: String,
    pub recorded_at: DateTime<Utc>,
    /// Who appended it (username).
    pub actor: String,
    /// Their role at the time.
    pub role: String,
    /// Ties together the requests of one user action.
    pub correlation_id: String,
    /// What caused it (the request, for commands sent through the API).
    pub causation_id: String,
    /// The request that appended it (`x-request-id`, also in the server log).
    pub request_id: String,
    /// Where the command came from, e.g. `graphql`.
    pub channel: String,
    /// The event as stored.
    pub payload: Json<serde_json::Value>,
}

impl From<StoredEvent> for AuditEvent {
    fn from(e: StoredEvent) -> Self {
        Self {
            position: e.position.to_string(),
            aggregate_type: e.aggregate_type,
            aggregate_id: e.aggregate_id,
            sequence: e.sequence,
            event_type: e.event_type,
            event_version: e.event_version,
            recorded_at: e.recorded_at,
            actor: e.metadata.actor_id,
            role: e.metadata.actor_role,
            correlation_id: e.metadata.correlation_id,
            causation_id: e.metadata.causation_id,
            request_id: e.metadata.request_id,
            channel: e.metadata.channel,
            payload: Json(e.payload),
        }
    }
}

/// A page of the audit history.
#[derive(SimpleObject)]
pub struct AuditConnection {
    pub edges: Vec<AuditEdge>,
    /// `endCursor` may lie past the last edge: events outside the viewer's scope were read and
    /// skipped, and the next page starts after them.
    pub page_info: PageInfo,
}

/// An event and its cursor (its log position).
#[derive(SimpleObject)]
pub struct AuditEdge {
    pub cursor: String,
    pub node: AuditEvent,
}
