//! The live read model: a [`ReadModel`] kept in step with the event log.
//!
//! At start it replays the whole log, then follows it: woken by the store's change signal (a
//! local commit, PostgreSQL NOTIFY from other nodes, or the polling safety net) it reads the
//! next pages in log order and applies them under a short write lock. Every node holds its own
//! model and position. A mutation returns the position of its last event and the read that
//! follows calls [`LiveReadModel::wait_for`] — read-your-writes without sharing state between
//! nodes. An event that cannot be read or applied blocks the follower before it rather than
//! skipping a fact — the model keeps serving what it has, [`LiveReadModel::follow_state`]
//! names the event, and the follower goes on by itself once the event is quarantined; a log it
//! cannot reach is retried (`state.rs`). Start-up does the same: a node starts with what it
//! could read.
//!
//! With a [`SnapshotFile`], start-up begins from the image on disk when it may be used
//! (`snapshot/` says when) and replays only what was written since; the follower takes a new
//! image after every [`FollowOptions::snapshot_every`] events and after an erasure of personal
//! data (which voids every older one), and [`LiveReadModel::save_snapshot`] takes one at
//! shutdown.

mod follow;
mod state;

use std::pin::pin;
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use futures_util::StreamExt;
use guanjia_store::{LogPosition, Payload, Store, StoreError, StoredEvent};
use tokio::sync::{mpsc, watch};
use tokio::task::JoinHandle;

use crate::snapshot::{Saved, SnapshotError, SnapshotFile, Unused};
use crate::{ReadError, ReadModel};
use follow::Follower;
pub use state::FollowState;

/// Events read per page.
const PAGE: usize = 2000;

/// Events applied between two snapshots, by default: replaying 100,000 events takes a few
/// seconds, about what an image costs to take at 100,000 cases (docs/benchmarks.md).
pub const SNAPSHOT_EVERY: u64 = 100_000;

/// How a [`LiveReadModel`] reads the log and keeps its snapshot.
#[derive(Debug, Clone)]
pub struct FollowOptions {
    /// Events read per page (at least one): small pages let tests cross page boundaries.
    pub page_size: usize,
    /// Where the model's image is kept; `None`: always replay the whole log.
    pub snapshot: Option<SnapshotFile>,
    /// Events applied after which a new image is taken (at least one).
    pub snapshot_every: u64,
}

impl Default for FollowOptions {
    fn default() -> Self {
        Self {
            page_size: PAGE,
            snapshot: None,
            snapshot_every: SNAPSHOT_EVERY,
        }
    }
}

/// One page of the log, payloads as text for typed decoding.
type Page = Vec<StoredEvent<Payload>>;

/// A read model that follows the log. Cheap to clone; clones share the model.
#[derive(Clone)]
pub struct LiveReadModel {
    model: Arc<RwLock<ReadModel>>,
    /// The position the model has reached; `None` once the follower stopped.
    position: watch::Receiver<Option<LogPosition>>,
    /// How the follower is doing.
    state: watch::Receiver<FollowState>,
    task: Arc<JoinHandle<()>>,
    store: Store,
    snapshot: Option<SnapshotFile>,
    /// The position of the snapshot the model started from, if it started from one.
    restored_from: Option<LogPosition>,
}

impl LiveReadModel {
    /// Replays the log into `model`, then follows it in the background. An event that cannot be
    /// read or applied does not fail the start: the model stops before it
    /// ([`FollowState::Blocked`]).
    pub async fn start(store: Store, model: ReadModel) -> Result<Self, ReadError> {
        Self::start_with(store, model, FollowOptions::default()).await
    }

    /// [`Self::start`] reading `page_size` events at a time (at least one).
    pub async fn start_with_page_size(
        store: Store,
        model: ReadModel,
        page_size: usize,
    ) -> Result<Self, ReadError> {
        let options = FollowOptions {
            page_size,
            ..FollowOptions::default()
        };
        Self::start_with(store, model, options).await
    }

    /// Starts from the snapshot when it may be used (else from `model`, empty), replays the
    /// rest of the log, then follows it in the background.
    pub async fn start_with(
        store: Store,
        model: ReadModel,
        options: FollowOptions,
    ) -> Result<Self, ReadError> {
        let page_size = options.page_size.max(1);
        let every = options.snapshot_every.max(1);
        let watcher = store.subscribe();
        let model = match &options.snapshot {
            Some(file) => restore(&store, file, model).await,
            None => model,
        };
        let restored_from = Some(model.position()).filter(|p| *p != LogPosition::START);
        let started = Instant::now();
        let (model, replayed, setback) = catch_up(&store, model, page_size).await;
        match &setback {
            None => tracing::info!(
                events = replayed,
                position = %model.position(),
                seconds = started.elapsed().as_secs_f64(),
                "the read model has caught up with the log"
            ),
            Some(error) => tracing::warn!(
                events = replayed,
                position = %model.position(),
                %error,
                "the start-up replay stopped early; the follower goes on from there"
            ),
        }
        let (sender, position) = watch::channel(Some(model.position()));
        let (state_sender, state) = watch::channel(match setback.as_ref() {
            None => FollowState::Following,
            Some(error) => FollowState::after(error),
        });
        let model = Arc::new(RwLock::new(model));
        let follower = Follower {
            store: store.clone(),
            model: Arc::clone(&model),
            sender,
            state: state_sender,
            watcher,
            page_size,
            snapshot: options.snapshot.clone(),
            every,
        };
        let task = tokio::spawn(follower.run(replayed));
        Ok(Self {
            model,
            position,
            state,
            task: Arc::new(task),
            store,
            snapshot: options.snapshot,
            restored_from,
        })
    }

    /// Runs a query against the model as it is now.
    pub fn read<R>(&self, query: impl FnOnce(&ReadModel) -> R) -> R {
        let model = self
            .model
            .read()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        query(&model)
    }

    /// The position the model has reached.
    pub fn position(&self) -> LogPosition {
        self.position
            .borrow()
            .unwrap_or_else(|| self.read(ReadModel::position))
    }

    /// The position of the snapshot the model started from; `None` when it replayed the whole
    /// log.
    pub fn restored_from(&self) -> Option<LogPosition> {
        self.restored_from
    }

    /// Whether the follower is still running (it stops only at shutdown).
    pub fn is_following(&self) -> bool {
        !self.task.is_finished() && *self.state.borrow() != FollowState::Stopped
    }

    /// How the follower is doing: following, blocked before an unreadable event, retrying a
    /// log it cannot reach.
    pub fn follow_state(&self) -> FollowState {
        if self.task.is_finished() {
            return FollowState::Stopped;
        }
        self.state.borrow().clone()
    }

    /// Changes of position, for subscriptions and metrics.
    pub fn watch(&self) -> watch::Receiver<Option<LogPosition>> {
        self.position.clone()
    }

    /// Waits until the model has applied `wanted` (read-your-writes), at most `timeout`.
    pub async fn wait_for(&self, wanted: LogPosition, timeout: Duration) -> Result<(), ReadError> {
        let mut position = self.position.clone();
        let reached = tokio::time::timeout(
            timeout,
            position.wait_for(|p| p.is_none_or(|p| p >= wanted)),
        )
        .await;
        match reached {
            Ok(Ok(now)) if now.is_some() => Ok(()),
            Ok(_) => Err(ReadError::Stopped),
            Err(_) => Err(ReadError::Lagging {
                wanted,
                reached: self.position(),
            }),
        }
    }

    /// Stops following (at shutdown). Queries keep answering from the last state.
    pub fn stop(&self) {
        self.task.abort();
    }

    /// Takes an image of the model as it is now and writes it to the snapshot file (at
    /// shutdown, after [`Self::stop`]). `None` without a snapshot file.
    pub async fn save_snapshot(&self) -> Option<Result<Saved, SnapshotError>> {
        let file = self.snapshot.as_ref()?;
        Some(file.save(&self.store, Arc::clone(&self.model)).await)
    }
}

/// The model in the snapshot when it may be used, else `fresh`; says which in the log.
async fn restore(store: &Store, file: &SnapshotFile, fresh: ReadModel) -> ReadModel {
    let started = Instant::now();
    match file.load(store, &fresh).await {
        Ok(model) => {
            tracing::info!(
                path = %file.path().display(),
                position = %model.position(),
                cases = model.case_count(),
                seconds = started.elapsed().as_secs_f64(),
                "the read model starts from its snapshot"
            );
            model
        }
        Err(Unused::Missing) => {
            tracing::info!(path = %file.path().display(), "no snapshot yet: replaying the log");
            fresh
        }
        Err(why) => {
            tracing::warn!(
                path = %file.path().display(),
                %why,
                "the snapshot is not used: replaying the log"
            );
            fresh
        }
    }
}

/// Applies every event the reader can see now, and hands the model back with the number of
/// events applied and, if the replay stopped early, why (the follower takes it from there).
///
/// Start-up replays the whole log, so the work runs side by side: the database streams the
/// log, a task decodes and unseals page n + 1, and a blocking thread applies page n. Pages
/// arrive in log order through a channel of two, which bounds the memory held ahead of the
/// model. The first error — reading or applying — ends the replay; the events before it stay
/// applied.
async fn catch_up(
    store: &Store,
    model: ReadModel,
    page_size: usize,
) -> (ReadModel, u64, Option<ReadError>) {
    let (pages, mut incoming) = mpsc::channel::<Result<Page, StoreError>>(2);
    let reader = tokio::spawn(read_pages(
        store.clone(),
        model.position(),
        page_size,
        pages,
    ));
    let applier = tokio::task::spawn_blocking(move || {
        let (mut model, mut applied) = (model, 0);
        while let Some(page) = incoming.blocking_recv() {
            let page = match page {
                Ok(page) => page,
                Err(error) => return (model, applied, Some(ReadError::Store(error))),
            };
            // On an error the events before it are applied but not counted: the count only
            // paces snapshots.
            if let Err(error) = model.apply_all(&page) {
                return (model, applied, Some(error));
            }
            applied += page.len() as u64;
        }
        (model, applied, None)
    });
    let applied = applier.await;
    // The applier stops at the first error; the reader then stops at its next send.
    reader.abort();
    match applied {
        Ok(result) => result,
        Err(join) => std::panic::resume_unwind(join.into_panic()),
    }
}

/// Sends every page after `after` down `pages`, in order: one streamed query for the whole
/// log as it is now (the database keeps sending while pages are unsealed and applied).
/// Whatever commits meanwhile is read by the follower afterwards.
async fn read_pages(
    store: Store,
    after: LogPosition,
    page_size: usize,
    pages: mpsc::Sender<Result<Page, StoreError>>,
) {
    let mut stream = pin!(store.stream_payloads_after(after, page_size));
    while let Some(page) = stream.next().await {
        let failed = page.is_err();
        if pages.send(page).await.is_err() || failed {
            return;
        }
    }
}
