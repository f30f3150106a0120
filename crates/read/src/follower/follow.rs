//! The follower proper: the background task that applies each new page of the log after
//! start-up, publishes the position reached, and keeps the snapshot: an image every
//! `snapshot_every` events, and a new one after an erasure, which voids the older ones.

use std::sync::{Arc, RwLock};

use guanjia_store::{LogPosition, LogWatcher, Store};
use tokio::sync::watch;

use crate::cases::EventKind;
use crate::snapshot::{Saved, SnapshotError, SnapshotFile};
use crate::{ReadError, ReadModel};

/// Times the follower looks, once a wake-up (at most a poll interval apart), whether the image
/// it took after an erasure still opens.
const ERASURE_CHECKS: u32 = 10;

/// The background task that keeps a model in step with the log after start-up.
pub(super) struct Follower {
    pub store: Store,
    pub model: Arc<RwLock<ReadModel>>,
    pub sender: watch::Sender<Option<LogPosition>>,
    pub watcher: LogWatcher,
    pub page_size: usize,
    pub snapshot: Option<SnapshotFile>,
    /// Events between two images.
    pub every: u64,
}

impl Follower {
    /// Follows until an event cannot be applied; `unsaved` events are not in an image yet.
    pub async fn run(mut self, mut unsaved: u64) {
        let mut erasure_checks = 0;
        loop {
            if let Some(file) = &self.snapshot {
                if unsaved >= self.every {
                    unsaved = 0;
                    log_saved(file, file.save(&self.store, Arc::clone(&self.model)).await);
                } else if erasure_checks > 0 {
                    // An erasure's event is written just before its keys are shredded: an
                    // image taken in between goes with them. Look, and take another.
                    erasure_checks -= 1;
                    if !file.opens(&self.store).await {
                        unsaved = self.every;
                    }
                }
            }
            match follow_once(&self.store, &self.model, self.page_size).await {
                Ok(Some(followed)) => {
                    unsaved += followed.applied;
                    // An erasure voided every older image: take a new one now, so that the
                    // next start is not a full replay.
                    if followed.erased {
                        unsaved = unsaved.max(self.every);
                        erasure_checks = ERASURE_CHECKS;
                    }
                    self.sender.send_replace(Some(followed.reached));
                }
                Ok(None) => self.watcher.changed().await,
                Err(error) => {
                    tracing::error!(%error, "the read model stopped following the log");
                    self.sender.send_replace(None);
                    return;
                }
            }
        }
    }
}

/// What one page did to the model.
struct Followed {
    /// The position reached.
    reached: LogPosition,
    /// Events read.
    applied: u64,
    /// Whether the page erased personal data.
    erased: bool,
}

/// Reads and applies one page; `None` when there was nothing new.
async fn follow_once(
    store: &Store,
    model: &RwLock<ReadModel>,
    page_size: usize,
) -> Result<Option<Followed>, ReadError> {
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
    let erasure = EventKind::PersonalDataErased.name();
    Ok(Some(Followed {
        reached: model.position(),
        applied: page.len() as u64,
        erased: page.iter().any(|event| event.event_type == erasure),
    }))
}

fn log_saved(file: &SnapshotFile, saved: Result<Saved, SnapshotError>) {
    let path = file.path().display();
    match saved {
        Ok(Saved::Written { bytes }) => tracing::info!(%path, bytes, "read-model snapshot written"),
        Ok(Saved::Stale) => tracing::info!(
            %path,
            "read-model snapshot skipped: personal data was erased after the model's position"
        ),
        Ok(Saved::Moved) => tracing::info!(
            %path,
            "read-model snapshot skipped: the model moved on while it was prepared"
        ),
        // The old image stays usable or not on its own terms (`snapshot/`); only the next
        // start-up is slower.
        Err(error) => tracing::warn!(%path, %error, "read-model snapshot not written"),
    }
}
