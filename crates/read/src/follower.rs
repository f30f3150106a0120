//! The live read model: a [`ReadModel`] kept in step with the event log.
//!
//! At start it replays the whole log, then follows it: woken by the store's change signal (a
//! local commit, PostgreSQL NOTIFY from other nodes, or the polling safety net) it reads the
//! next pages in log order and applies them under a short write lock. Every node holds its own
//! model and position. A mutation returns the position of its last event and the read that
//! follows calls [`LiveReadModel::wait_for`] — read-your-writes without sharing state between
//! nodes. An event that cannot be applied stops the follower rather than skipping a fact: the
//! position stays before it, `/readyz` reports the lag, and the error is in the log.

use std::pin::pin;
use std::sync::{Arc, RwLock};
use std::time::Duration;

use futures_util::StreamExt;
use guanjia_store::{LogPosition, Payload, Store, StoreError, StoredEvent};
use tokio::sync::{mpsc, watch};
use tokio::task::JoinHandle;

use crate::{ReadError, ReadModel};

/// Events read per page.
const PAGE: usize = 2000;

/// One page of the log, payloads as text for typed decoding.
type Page = Vec<StoredEvent<Payload>>;

/// A read model that follows the log. Cheap to clone; clones share the model.
#[derive(Clone)]
pub struct LiveReadModel {
    model: Arc<RwLock<ReadModel>>,
    /// The position the model has reached; `None` once the follower stopped.
    position: watch::Receiver<Option<LogPosition>>,
    task: Arc<JoinHandle<()>>,
}

impl LiveReadModel {
    /// Replays the log into `model`, then follows it in the background.
    pub async fn start(store: Store, model: ReadModel) -> Result<Self, ReadError> {
        Self::start_with_page_size(store, model, PAGE).await
    }

    /// [`Self::start`] reading `page_size` events at a time (at least one): small pages let
    /// tests cross page boundaries with a short log.
    pub async fn start_with_page_size(
        store: Store,
        model: ReadModel,
        page_size: usize,
    ) -> Result<Self, ReadError> {
        let page_size = page_size.max(1);
        let mut watcher = store.subscribe();
        let model = catch_up(&store, model, page_size).await?;
        let (sender, position) = watch::channel(Some(model.position()));
        let model = Arc::new(RwLock::new(model));
        let shared = Arc::clone(&model);
        let task = tokio::spawn(async move {
            loop {
                match follow_once(&store, &shared, page_size).await {
                    Ok(Some(reached)) => {
                        sender.send_replace(Some(reached));
                    }
                    Ok(None) => watcher.changed().await,
                    Err(error) => {
                        tracing::error!(%error, "the read model stopped following the log");
                        sender.send_replace(None);
                        return;
                    }
                }
            }
        });
        Ok(Self {
            model,
            position,
            task: Arc::new(task),
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

    /// Whether the follower is still following.
    pub fn is_following(&self) -> bool {
        self.position.borrow().is_some()
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
}

/// Applies every event the reader can see now, and hands the model back.
///
/// Start-up replays the whole log, so the work runs side by side: the database streams the
/// log, a task decodes and unseals page n + 1, and a blocking thread applies page n. Pages
/// arrive in log order through a channel of two, which bounds the memory held ahead of the
/// model. The first error — reading or applying — ends the replay.
async fn catch_up(
    store: &Store,
    model: ReadModel,
    page_size: usize,
) -> Result<ReadModel, ReadError> {
    let (pages, mut incoming) = mpsc::channel::<Result<Page, StoreError>>(2);
    let reader = tokio::spawn(read_pages(
        store.clone(),
        model.position(),
        page_size,
        pages,
    ));
    let applier = tokio::task::spawn_blocking(move || {
        let mut model = model;
        while let Some(page) = incoming.blocking_recv() {
            model.apply_all(&page?)?;
        }
        Ok::<_, ReadError>(model)
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

/// Reads and applies one page; `None` when there was nothing new.
async fn follow_once(
    store: &Store,
    model: &RwLock<ReadModel>,
    page_size: usize,
) -> Result<Option<LogPosition>, ReadError> {
    let after = model
        .read()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
        .position();
    let page = store.read_payloads_after(after, page_size).await?;
    if page.is_empty() {
        return Ok(None);
    }
    let mut model = model
        .write()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    // `apply` leaves the model unchanged when it refuses an event, so a bad event stops the
    // model at the one before it: nothing is skipped and nothing is half-applied.
    model.apply_all(&page)?;
    Ok(Some(model.position()))
}
