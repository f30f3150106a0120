//! Loading aggregates, with snapshots of our own.
//!
//! Not cqrs-es's snapshot store: in 0.5.0 `EventSink::write` applies each new event to the
//! aggregate and `PersistedEventStore::commit` applies the same events again before saving the
//! snapshot, so the stored state is doubled (architecture.md, "Known traps"). Here a snapshot is
//! only ever built by loading the aggregate from the log through `apply` — never from the state
//! that `handle` left behind — so "snapshot + later events" and "all events" are the same fold.
//!
//! A snapshot is a cache: it is written after a command whose events cross a multiple of
//! `snapshot_every`, replaced freely, and ignored when its `state_version` is not the program's
//! or it no longer deserialises. Losing every snapshot only makes loading slower.

use cqrs_es::Aggregate;
use guanjia_domain::DomainError;

use crate::backend::RawSnapshot;
use crate::{LoadedAggregate, Store, StoreError};

impl Store {
    /// Loads an aggregate: from its snapshot when a usable one exists, then the events after it.
    /// An aggregate with no events loads as `A::default()` at sequence 0.
    ///
    /// An event that does not decode is [`StoreError::Unreadable`] unless it was quarantined
    /// (the quarantine list is read again once before saying so: another node may have
    /// quarantined it).
    ///
    /// A state this node loaded or changed lately is taken from memory, and only the events
    /// appended since are read (`recent.rs`).
    pub async fn load<A>(&self, aggregate_id: &str) -> Result<LoadedAggregate<A>, StoreError>
    where
        A: Aggregate<Error = DomainError> + Clone + 'static,
    {
        if let Some((state, sequence)) = self.recent().get::<A>(A::TYPE, aggregate_id) {
            match self.apply_events(aggregate_id, state, sequence, None).await {
                Ok(loaded) => {
                    if loaded.sequence > sequence {
                        let state = loaded.state.clone();
                        self.recent()
                            .keep(A::TYPE, aggregate_id, state, loaded.sequence);
                    }
                    return Ok(loaded);
                }
                // The full way below looks at the quarantine list again.
                Err(StoreError::Unreadable { .. }) => {}
                Err(other) => return Err(other),
            }
        }
        let loaded = match self.load_once::<A>(aggregate_id).await {
            Err(StoreError::Unreadable { .. }) => {
                self.refresh_quarantine().await?;
                self.load_once::<A>(aggregate_id).await
            }
            outcome => outcome,
        }?;
        let state = loaded.state.clone();
        self.recent()
            .keep(A::TYPE, aggregate_id, state, loaded.sequence);
        Ok(loaded)
    }

    /// The state of `aggregate_id` as this node last loaded or changed it, from memory and
    /// without asking the database, when it is kept (`recent.rs`). It may be behind the log
    /// (another node may have appended since): fit for a guess that the state a command is
    /// then run on confirms (an `execute_guarded` guard), never for a decision itself.
    pub fn remembered<A>(&self, aggregate_id: &str) -> Option<A>
    where
        A: Aggregate + Clone + 'static,
    {
        self.recent()
            .get::<A>(A::TYPE, aggregate_id)
            .map(|(state, _)| state)
    }

    async fn load_once<A>(&self, aggregate_id: &str) -> Result<LoadedAggregate<A>, StoreError>
    where
        A: Aggregate<Error = DomainError>,
    {
        match self.usable_snapshot::<A>(aggregate_id).await? {
            Some((state, sequence)) => {
                self.apply_events(aggregate_id, state, sequence, Some(sequence))
                    .await
            }
            None => self.replay::<A>(aggregate_id).await,
        }
    }

    /// Loads an aggregate from all its events, ignoring snapshots: the reference that a
    /// snapshot load must equal, and the way to check a suspect snapshot.
    pub async fn replay<A>(&self, aggregate_id: &str) -> Result<LoadedAggregate<A>, StoreError>
    where
        A: Aggregate<Error = DomainError>,
    {
        self.apply_events(aggregate_id, A::default(), 0, None).await
    }

    async fn apply_events<A>(
        &self,
        aggregate_id: &str,
        mut state: A,
        mut sequence: u64,
        snapshot_sequence: Option<u64>,
    ) -> Result<LoadedAggregate<A>, StoreError>
    where
        A: Aggregate<Error = DomainError>,
    {
        let mut events = self
            .db()
            .events_after(A::TYPE, aggregate_id, sequence)
            .await?;
        if crate::vault::has_personal_data(A::TYPE) {
            let payloads = events
                .iter_mut()
                .map(|e| Some((A::TYPE, &mut e.payload)))
                .collect();
            self.unseal(payloads).await?;
        }
        let quarantined = self.quarantined();
        for event in events {
            if quarantined.contains(&event.position) {
                // Put aside by an administrator (`quarantine.rs`): the aggregate goes on
                // without it, its sequence still counted.
                sequence = event.sequence;
                continue;
            }
            // Sequences are dense from 1; a gap means rows are missing, and a state built over
            // a gap would be silently wrong.
            if event.sequence != sequence + 1 {
                return Err(StoreError::decode(format!(
                    "{}/{aggregate_id}: event {} follows event {sequence}",
                    A::TYPE,
                    event.sequence
                )));
            }
            let payload: A::Event = serde_json::from_value(event.payload).map_err(|error| {
                StoreError::unreadable(
                    event.position,
                    format!(
                        "{}/{aggregate_id} event {} ({}): {error}",
                        A::TYPE,
                        event.sequence,
                        event.event_type
                    ),
                )
            })?;
            state.apply(payload);
            sequence = event.sequence;
        }
        Ok(LoadedAggregate {
            state,
            sequence,
            snapshot_sequence,
        })
    }

    /// The stored snapshot, if snapshots are on, it has this program's state version and it
    /// deserialises.
    async fn usable_snapshot<A>(&self, aggregate_id: &str) -> Result<Option<(A, u64)>, StoreError>
    where
        A: Aggregate<Error = DomainError>,
    {
        if self.options().snapshot_every == 0 {
            return Ok(None);
        }
        let Some(snapshot) = self.db().snapshot(A::TYPE, aggregate_id).await? else {
            return Ok(None);
        };
        let version = self.options().state_version(A::TYPE);
        if snapshot.state_version != version {
            tracing::debug!(
                aggregate_type = A::TYPE,
                aggregate_id,
                stored = snapshot.state_version,
                version,
                "snapshot of another state version ignored"
            );
            return Ok(None);
        }
        match serde_json::from_value::<A>(snapshot.payload) {
            Ok(state) => Ok(Some((state, snapshot.last_sequence))),
            Err(error) => {
                tracing::warn!(
                    aggregate_type = A::TYPE,
                    aggregate_id,
                    %error,
                    "unreadable snapshot ignored; bump the state version when the layout changes"
                );
                Ok(None)
            }
        }
    }

    /// After a commit that moved the aggregate from `before` to `after`: writes a snapshot when
    /// a multiple of `snapshot_every` was crossed. A failure is logged, never returned: the
    /// command has committed, and the snapshot is only a cache.
    pub(crate) async fn snapshot_if_due<A>(&self, aggregate_id: &str, before: u64, after: u64)
    where
        A: Aggregate<Error = DomainError> + Clone + 'static,
    {
        let every = self.options().snapshot_every;
        if every == 0 || before / every == after / every {
            return;
        }
        if let Err(error) = self.write_snapshot::<A>(aggregate_id).await {
            tracing::warn!(
                aggregate_type = A::TYPE,
                aggregate_id,
                %error,
                detail = error.detail(),
                "snapshot not written"
            );
        }
    }

    async fn write_snapshot<A>(&self, aggregate_id: &str) -> Result<(), StoreError>
    where
        A: Aggregate<Error = DomainError> + Clone + 'static,
    {
        // Loaded afresh from the log (see the module comment). Another command may have
        // committed meanwhile; the snapshot then holds that later state, which is just as true.
        let loaded = self.load::<A>(aggregate_id).await?;
        let snapshot = RawSnapshot {
            last_sequence: loaded.sequence,
            state_version: self.options().state_version(A::TYPE),
            payload: serde_json::to_value(&loaded.state)?,
        };
        self.db()
            .save_snapshot(A::TYPE, aggregate_id, &snapshot)
            .await
    }
}
