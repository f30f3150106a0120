//! The in-memory directory of user accounts, folded from the user events of the log: the list
//! of users an admin sees, and the divisions that scope workloads and the audit history.
//!
//! It decides no sign-in and no token: those read the user's own stream (`current.rs`), because
//! the log this directory follows can lag behind commits on PostgreSQL (its reader stops below
//! transactions still open before it). The read crate does not cover users, so
//! the api keeps this small projection itself: it follows the log's headers (positions, types
//! and stream ids, no payloads: `Store::read_headers_after`) from the start and on every log
//! signal, and loads the stream of each user that has new events (`Store::load`, which keeps
//! recently loaded aggregates, so a user is read from its last known event).
//! Whenever `current.rs` reads a user's stream it offers the state to the directory
//! ([`UserDirectory::offer`]), so an admin sees their own change at once; each user's sequence
//! is kept, so the log's copy of those events is not applied twice. Each account is rebuilt with
//! the aggregate's own `apply`, so the directory and the command side can never disagree on
//! what an event means.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::{Arc, RwLock};

use cqrs_es::Aggregate;
use guanjia_domain::user::{Account, User};
use guanjia_store::{LogPosition, Store, StoreError};
use tokio_util::sync::CancellationToken;

use crate::error::ApiError;

/// How many events one read of the log returns.
const BATCH: usize = 500;

/// The least time between two reads of the log by [`UserDirectory::follow`]. Every commit of
/// every aggregate signals the followers, and user events are few among them; nothing that
/// decides access waits for this directory (`current.rs` reads the user's own stream), and an
/// admin's own change is offered to it at once, so reading the log a few times a second is
/// enough — under a write load it saves one log query per commit.
pub const FOLLOW_PACE: std::time::Duration = std::time::Duration::from_millis(200);

/// The accounts by username, and how far in the log they have been read.
#[derive(Debug)]
pub struct UserDirectory {
    store: Store,
    state: RwLock<State>,
    /// One refresh at a time: two concurrent readers would apply the same events twice.
    refreshing: tokio::sync::Mutex<()>,
}

#[derive(Debug)]
struct State {
    /// Each user and the sequence of the last of its events applied.
    users: BTreeMap<String, (User, u64)>,
    /// Users with an event that did not decode: refused until the log is repaired, because
    /// the missing event might have disabled them.
    broken: BTreeSet<String>,
    position: LogPosition,
}

impl Default for State {
    fn default() -> Self {
        Self {
            users: BTreeMap::new(),
            broken: BTreeSet::new(),
            position: LogPosition::START,
        }
    }
}

impl UserDirectory {
    /// Reads every user event in the log.
    pub async fn load(store: Store) -> Result<Arc<Self>, ApiError> {
        let directory = Arc::new(Self {
            store,
            state: RwLock::new(State::default()),
            refreshing: tokio::sync::Mutex::new(()),
        });
        directory.refresh().await?;
        Ok(directory)
    }

    /// Loads the users with events appended since the last refresh.
    pub async fn refresh(&self) -> Result<(), ApiError> {
        let _one_at_a_time = self.refreshing.lock().await;
        loop {
            let after = self.read().position;
            let headers = self.store.read_headers_after(after, BATCH).await?;
            let Some(last) = headers.last().map(|header| header.position) else {
                return Ok(());
            };
            let changed: BTreeSet<String> = headers
                .into_iter()
                .filter(|header| header.aggregate_type == User::TYPE)
                .map(|header| header.aggregate_id)
                .collect();
            for username in changed {
                match self.store.load::<User>(&username).await {
                    Ok(loaded) => {
                        self.write().broken.remove(&username);
                        self.offer(&username, &loaded.state, loaded.sequence);
                    }
                    Err(StoreError::Unreadable { position, reason }) => {
                        tracing::error!(
                            user = %username,
                            %position,
                            %reason,
                            "a user event does not decode; the user is refused until it is quarantined"
                        );
                        self.write().broken.insert(username);
                    }
                    Err(other) => return Err(other.into()),
                }
            }
            self.write().position = last;
        }
    }

    /// Takes the state of `username` as read from its own stream at `sequence`, unless the
    /// directory already holds that or a later one. A user whose events did not decode stays
    /// refused: a stream that loads whole is offered only after the log was repaired.
    pub fn offer(&self, username: &str, user: &User, sequence: u64) {
        let mut state = self.write();
        let held = state
            .users
            .get(username)
            .map_or(0, |(_, sequence)| *sequence);
        if sequence > held {
            state
                .users
                .insert(username.to_owned(), (user.clone(), sequence));
        }
    }

    /// Follows the log until `cancel`: refreshes whenever the store signals a change (or its
    /// poll interval passes), at most once per [`FOLLOW_PACE`]. Errors are logged and retried
    /// at the next signal.
    pub async fn follow(self: Arc<Self>, cancel: CancellationToken) {
        let mut watcher = self.store.subscribe();
        loop {
            tokio::select! {
                () = cancel.cancelled() => return,
                () = watcher.changed() => {}
            }
            if let Err(error) = self.refresh().await {
                tracing::warn!(%error, "user directory refresh failed; retrying at the next change");
            }
            // Signals that arrive meanwhile are kept by the watcher: the next pass reads them
            // all in one query instead of one query per commit of every aggregate.
            tokio::select! {
                () = cancel.cancelled() => return,
                () = tokio::time::sleep(FOLLOW_PACE) => {}
            }
        }
    }

    /// The current account of `username` (normalised), unless unknown or broken.
    pub fn get(&self, username: &str) -> Option<Account> {
        let state = self.read();
        if state.broken.contains(username) {
            return None;
        }
        state.users.get(username)?.0.account().cloned()
    }

    /// Every account, by username.
    pub fn all(&self) -> Vec<Account> {
        let state = self.read();
        state
            .users
            .iter()
            .filter(|(name, _)| !state.broken.contains(*name))
            .filter_map(|(_, (user, _))| user.account().cloned())
            .collect()
    }

    /// Whether no user exists yet (the bootstrap admin is then due).
    pub fn is_empty(&self) -> bool {
        self.read().users.is_empty()
    }

    // A poisoned lock only means another thread panicked mid-update of plain maps; the data
    // is still a valid fold of whole batches or of a prefix of one, so it is used as is.
    fn read(&self) -> std::sync::RwLockReadGuard<'_, State> {
        self.state.read().unwrap_or_else(|p| p.into_inner())
    }

    fn write(&self) -> std::sync::RwLockWriteGuard<'_, State> {
        self.state.write().unwrap_or_else(|p| p.into_inner())
    }
}
