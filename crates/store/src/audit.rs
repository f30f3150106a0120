//! What auditors ask of the log: every event with who did it, filtered; and an aggregate as it
//! stood at a given position or time, rebuilt from its own events (never from a snapshot, so
//! the answer depends on the log alone).

use chrono::{DateTime, Utc};
use cqrs_es::Aggregate;

use crate::{LoadedAggregate, LogPosition, Store, StoreError, StoredEvent};

/// Which events an audit query returns. Empty fields do not filter.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuditFilter {
    pub aggregate_type: Option<String>,
    pub aggregate_id: Option<String>,
    /// `EventMetadata::actor_id`.
    pub actor_id: Option<String>,
    pub event_type: Option<String>,
    /// Recorded at or after this instant.
    pub from: Option<DateTime<Utc>>,
    /// Recorded strictly before this instant.
    pub until: Option<DateTime<Utc>>,
    /// The `PersonalDataRead` events of the access log (`access_log` streams, one per reader)
    /// that name this case: who looked at the case's personal data. The case id is in the
    /// payload, not the stream id, hence a filter of its own (indexed, migration 0005).
    pub read_of_case: Option<String>,
}

/// A point in the log's history.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AsOf {
    /// Including the event at this position.
    Position(LogPosition),
    /// Including events recorded at this instant.
    Time(DateTime<Utc>),
}

/// Page size used when rebuilding an aggregate from its events.
const PAGE: usize = 1000;

impl Store {
    /// Events matching `filter`, in log order, after `after`, at most `limit`.
    pub async fn audit(
        &self,
        filter: &AuditFilter,
        after: LogPosition,
        limit: usize,
    ) -> Result<Vec<StoredEvent>, StoreError> {
        let mut events = self
            .read_page(after, |after| self.db().audit(filter, after, limit))
            .await?;
        self.unseal_events(&mut events).await?;
        Ok(events)
    }

    /// The aggregate `A` with id `aggregate_id` as it stood at `as_of`.
    pub async fn load_as_of<A: Aggregate>(
        &self,
        aggregate_id: &str,
        as_of: AsOf,
    ) -> Result<LoadedAggregate<A>, StoreError> {
        let filter = AuditFilter {
            aggregate_type: Some(A::TYPE.to_owned()),
            aggregate_id: Some(aggregate_id.to_owned()),
            ..AuditFilter::default()
        };
        let mut state = A::default();
        let mut sequence = 0;
        let mut after = LogPosition::START;
        'pages: loop {
            let page = self.audit(&filter, after, PAGE).await?;
            let Some(last) = page.last() else { break };
            after = last.position;
            for event in page {
                let included = match as_of {
                    AsOf::Position(position) => event.position <= position,
                    AsOf::Time(at) => event.recorded_at <= at,
                };
                if !included {
                    break 'pages;
                }
                let payload: A::Event = serde_json::from_value(event.payload)
                    .map_err(|e| StoreError::unreadable(event.position, format!("payload: {e}")))?;
                state.apply(payload);
                sequence = event.sequence;
            }
        }
        Ok(LoadedAggregate {
            state,
            sequence,
            snapshot_sequence: None,
        })
    }
}
