//! The follower proper: the background task that applies each new page of the log after
//! start-up, publishes the position reached and its state (`state.rs`), and keeps the
//! snapshot: an image every `snapshot_every` events, and a new one after an erasure, which
//! voids the older ones.

use std::sync::{Arc, RwLock};

use guanjia_store::{LogPosition, LogWatcher, Store};
use tokio::sync::watch;

use super::state::{backoff, FollowState, Setback};
use crate::cases::EventKind;
use crate::snapshot::{Saved, SnapshotError, SnapshotFile};
use crate::{ReadError, ReadModel};

/// Times the follower looks, once a wake-up (at most a poll interval apart), whether the image
/// it took after an erasure still opens.
const ERASURE_CHECKS: u32 = 10;

/// The first pause before a follower behind its own node's commits reads again; it doubles
/// with each read that finds nothing, up to the poll interval.
const BEHIND_FIRST_PAUSE: std::time::Duration = std::time::Duration::from_millis(1);

/// The background task that keeps a model in step with the log after start-up.
pub(super) struct Follower {
    pub store: Store,
    pub model: Arc<RwLock<ReadModel>>,
    pub sender: watch::Sender<Option<LogPosition>>,
    pub state: watch::Sender<FollowState>,
    pub watcher: LogWatcher,
    pub page_size: usize,
    pub snapshot: Option<SnapshotFile>,
    /// Events between two images.
    pub every: u64,
}

impl Follower {
    /// Follows until aborted; `unsaved` events are not in an image yet. Errors never end it:
    /// a blocked event is looked at again on every wake-up, a failed read is retried.
    pub async fn run(mut self, mut unsaved: u64) {
        let mut erasure_checks = 0;
        let mut failures = 0u32;
        // Reads in a row that found nothing while the model was behind this node's commits.
        let mut short = 0u32;
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
                    failures = 0;
                    short = 0;
                    unsaved += followed.applied;
                    // An erasure voided every older image: take a new one now, so that the
                    // next start is not a full replay.
                    if followed.erased {
                        unsaved = unsaved.max(self.every);
                        erasure_checks = ERASURE_CHECKS;
                    }
                    self.sender.send_replace(Some(followed.reached));
                    self.set(FollowState::Following);
                }
                Ok(None) => {
                    failures = 0;
                    self.set(FollowState::Following);
                    if self.behind_own_commits() {
                        // A read can stop short of a commit it was woken for (on PostgreSQL,
                        // the horizon held by a transaction that ended while the read looked),
                        // and no further signal may come: the node's writers all wait for
                        // this very read. Look again soon rather than at the next poll.
                        let pause = BEHIND_FIRST_PAUSE.saturating_mul(1 << short.min(16));
                        short = short.saturating_add(1);
                        self.watcher.changed_within(pause).await;
                    } else {
                        short = 0;
                        self.watcher.changed().await;
                    }
                }
                Err(error) => {
                    // Events before the one that failed were applied: publish them.
                    let reached = self
                        .model
                        .read()
                        .unwrap_or_else(|poisoned| poisoned.into_inner())
                        .position();
                    self.sender.send_replace(Some(reached));
                    match Setback::of(&error) {
                        Setback::Blocked { position, reason } => {
                            self.block(position, reason).await;
                        }
                        Setback::Retry { error } => {
                            failures = failures.saturating_add(1);
                            self.retry(failures, error).await;
                        }
                    }
                }
            }
        }
    }

    /// Whether the model has not reached the newest event this node appended.
    fn behind_own_commits(&self) -> bool {
        let reached = self
            .model
            .read()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .position();
        reached < self.store.last_local_commit()
    }

    /// Says once that the model is blocked, then waits for a change and looks whether the
    /// event was quarantined meanwhile.
    async fn block(&mut self, position: LogPosition, reason: String) {
        let blocked = FollowState::Blocked { position, reason };
        if *self.state.borrow() != blocked {
            if let FollowState::Blocked { position, reason } = &blocked {
                tracing::error!(
                    %position,
                    %reason,
                    "the read model stopped before an event it cannot read; it serves what it \
                     has until the event is quarantined (docs/operations.md)"
                );
            }
            self.set(blocked);
        }
        self.watcher.changed().await;
        if let Err(error) = self.store.refresh_quarantine().await {
            tracing::warn!(%error, "cannot read the quarantine list; will look again");
        }
    }

    /// Says that the log cannot be read (once per outage) and waits a growing pause.
    async fn retry(&mut self, failures: u32, error: String) {
        if failures == 1 {
            tracing::warn!(%error, "the read model cannot read the log; retrying");
        }
        self.set(FollowState::Retrying { failures, error });
        tokio::time::sleep(backoff(failures)).await;
    }

    fn set(&self, state: FollowState) {
        self.state.send_if_modified(|current| {
            if *current == state {
                return false;
            }
            if matches!(
                current,
                FollowState::Blocked { .. } | FollowState::Retrying { .. }
            ) && state == FollowState::Following
            {
                tracing::info!("the read model follows the log again");
            }
            *current = state;
            true
        });
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
