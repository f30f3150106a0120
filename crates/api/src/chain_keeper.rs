//! The chain keeper: extends the tamper-evident hash chain as the read model moves (at most
//! about once a second), and writes the chain's head to the configured anchors — a file, a
//! second database — at most every `anchor_every`, so that a cut tail is caught by
//! `guanjia verify` without anyone remembering to export a head.
//!
//! Extending costs what was appended since the last pass: one read of the new rows and one
//! multi-row insert in a short transaction that writes no event (so log readers never wait for
//! it). Several nodes may keep the chain at once: they compute the same links, and the loser's
//! rows are ignored. A failure (the database away, the anchor file unwritable) is logged and
//! tried again at the next pass; [`ChainStatus`] tells the audit desk and `/readyz`.

use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use guanjia_read::LiveReadModel;
use guanjia_store::{Anchor, AnchorBook, ChainHead, Store};
use tokio_util::sync::CancellationToken;

/// What the keeper last did.
#[derive(Debug, Clone, Default)]
pub struct ChainStatus {
    /// The head after the last successful extension.
    pub head: Option<ChainHead>,
    /// The last anchor written by this node.
    pub anchor: Option<Anchor>,
    /// The last failure, cleared by the next success.
    pub error: Option<String>,
}

/// Shared view of the keeper's status.
pub type SharedStatus = Arc<RwLock<ChainStatus>>;

/// The least time between two extensions.
const PACE: Duration = Duration::from_secs(1);

/// Starts the keeper; it stops when `shutdown` fires.
pub fn start(
    store: &Store,
    read: &LiveReadModel,
    anchors: AnchorBook,
    anchor_every: Duration,
    shutdown: &CancellationToken,
) -> SharedStatus {
    let status = SharedStatus::default();
    let keeper = Keeper {
        store: store.clone(),
        anchors,
        anchor_every,
        status: Arc::clone(&status),
        anchored_at: None,
    };
    let (mut position, shutdown) = (read.watch(), shutdown.clone());
    tokio::spawn(async move {
        let mut keeper = keeper;
        loop {
            keeper.pass().await;
            // On a change of the log, or after `anchor_every` so that the last head of a burst
            // is anchored even when nothing follows it.
            tokio::select! {
                () = shutdown.cancelled() => return,
                changed = position.changed() => if changed.is_err() { return },
                () = tokio::time::sleep(anchor_every) => {}
            }
            tokio::select! {
                () = shutdown.cancelled() => return,
                () = tokio::time::sleep(PACE) => {}
            }
        }
    });
    status
}

struct Keeper {
    store: Store,
    anchors: AnchorBook,
    anchor_every: Duration,
    status: SharedStatus,
    /// When this node last wrote an anchor.
    anchored_at: Option<Instant>,
}

impl Keeper {
    async fn pass(&mut self) {
        let head = match self.store.extend_chain().await {
            Ok(head) => head,
            Err(error) => {
                tracing::warn!(%error, detail = error.detail().unwrap_or_default(), "could not extend the hash chain; will retry");
                self.update(|status| status.error = Some(format!("extending the chain: {error}")));
                return;
            }
        };
        let anchored = self.status().anchor.map(|anchor| anchor.head);
        let due = self
            .anchored_at
            .is_none_or(|at| at.elapsed() >= self.anchor_every);
        let mut anchor = None;
        if let Some(head) = head
            .as_ref()
            .filter(|h| due && Some(*h) != anchored.as_ref())
        {
            if !self.anchors.is_off() {
                match self.anchors.write(head).await {
                    Ok(written) => {
                        self.anchored_at = Some(Instant::now());
                        anchor = Some(written);
                    }
                    Err(error) => {
                        tracing::warn!(%error, "could not write a chain anchor; will retry");
                        self.update(|status| {
                            status.head = Some(head.clone());
                            status.error = Some(format!("writing an anchor: {error}"));
                        });
                        return;
                    }
                }
            }
        }
        self.update(|status| {
            status.head = head;
            if anchor.is_some() {
                status.anchor = anchor;
            }
            status.error = None;
        });
    }

    fn status(&self) -> ChainStatus {
        self.status
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone()
    }

    fn update(&self, change: impl FnOnce(&mut ChainStatus)) {
        change(
            &mut self
                .status
                .write()
                .unwrap_or_else(std::sync::PoisonError::into_inner),
        );
    }
}
