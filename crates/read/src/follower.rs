//! The live read model: a [`ReadModel`] kept in step with the event log.
//!
//! At start it replays the whole log, then follows it: woken by the store's change signal (a
//! local commit, PostgreSQL NOTIFY from other nodes, or the polling safety net) it reads the
//! next pages in log order and applies them under a short write lock. Every node holds its own
//! model and position. A mutation returns the position of its last event and the read that
//! follows calls [`LiveReadModel::wait_for`] — read-your-writes without sharing state between
//! nodes. An event that cannot be applied stops the follower rather than skipping a fact: the
//! position stays before it, `/readyz` reports the lag, and the error is in the log.

use std::sync::{Arc, RwLock};
use std::time::Duration;

use guanjia_store::{LogPosition, Store};
use tokio::sync::watch;
use tokio::task::JoinHandle;

use crate::{ReadError, ReadModel};

/// Events read per page.
const PAGE: usize = 2000;

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
    pub async fn start(store: Store, mut model: ReadModel) -> Result<Self, ReadError> {
        let mut watcher = store.subscribe();
        catch_up(&store, &mut model).await?;
        let (sender, position) = watch::channel(Some(model.position()));
        let model = Arc::new(RwLock::new(model));
        let shared = Arc::clone(&model);
        let task = tokio::spawn(async move {
            loop {
                match follow_once(&store, &shared).await {
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

/// Applies every event the reader can see now.
async fn catch_up(store: &Store, model: &mut ReadModel) -> Result<(), ReadError> {
    loop {
        let page = store.read_after(model.position(), PAGE).await?;
        if page.is_empty() {
            return Ok(());
        }
        model.apply_all(&page)?;
    }
}

/// Reads and applies one page; `None` when there was nothing new.
async fn follow_once(
    store: &Store,
    model: &RwLock<ReadModel>,
) -> Result<Option<LogPosition>, ReadError> {
    let after = model
        .read()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
        .position();
    let page = store.read_after(after, PAGE).await?;
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
