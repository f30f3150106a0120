//! The in-memory directory of user accounts, folded from the user events of the log.
//!
//! Every request checks its token against the user's current state (active? generation?), so
//! that lookup must not touch the database. The read crate does not cover users, so the api
//! keeps this small projection itself: it reads the whole log once at start-up with
//! `Store::read_after`, keeps the user events, and then follows the log — after each user
//! command of this node (so an admin sees their own change at once) and on every log signal
//! (changes made by other nodes). Each account is rebuilt with the aggregate's own `apply`, so
//! the directory and the command side can never disagree on what an event means.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::{Arc, RwLock};

use cqrs_es::Aggregate;
use guanjia_domain::user::{Account, User, UserEvent};
use guanjia_store::{LogPosition, Store};
use tokio_util::sync::CancellationToken;

use crate::error::ApiError;

/// How many events one read of the log returns.
const BATCH: usize = 500;

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
    users: BTreeMap<String, User>,
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

    /// Applies the user events appended since the last refresh.
    pub async fn refresh(&self) -> Result<(), ApiError> {
        let _one_at_a_time = self.refreshing.lock().await;
        loop {
            let after = self.read().position;
            let events = self.store.read_after(after, BATCH).await?;
            let Some(last) = events.last().map(|event| event.position) else {
                return Ok(());
            };
            let mut state = self.write();
            for event in events
                .into_iter()
                .filter(|e| e.aggregate_type == User::TYPE)
            {
                match serde_json::from_value::<UserEvent>(event.payload) {
                    Ok(decoded) => state
                        .users
                        .entry(event.aggregate_id)
                        .or_default()
                        .apply(decoded),
                    Err(error) => {
                        tracing::error!(
                            user = %event.aggregate_id,
                            sequence = event.sequence,
                            %error,
                            "a user event does not decode; the user is refused until the log is repaired"
                        );
                        state.broken.insert(event.aggregate_id);
                    }
                }
            }
            state.position = last;
        }
    }

    /// Refreshes until the directory has read the log up to `wanted` (the position of a user
    /// command just committed), at most `timeout`; `false` if it did not get there. One
    /// refresh is not enough on PostgreSQL: the log reader stops before transactions still
    /// open anywhere in the cluster, so an event committed a moment ago may not be readable
    /// yet.
    pub async fn refresh_until(
        &self,
        wanted: LogPosition,
        timeout: std::time::Duration,
    ) -> Result<bool, ApiError> {
        let deadline = tokio::time::Instant::now() + timeout;
        loop {
            self.refresh().await?;
            if self.read().position >= wanted {
                return Ok(true);
            }
            if tokio::time::Instant::now() >= deadline {
                return Ok(false);
            }
            tokio::time::sleep(std::time::Duration::from_millis(10)).await;
        }
    }

    /// Follows the log until `cancel`: refreshes whenever the store signals a change (or its
    /// poll interval passes). Errors are logged and retried at the next signal.
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
        }
    }

    /// The current account of `username` (normalised), unless unknown or broken.
    pub fn get(&self, username: &str) -> Option<Account> {
        let state = self.read();
        if state.broken.contains(username) {
            return None;
        }
        state.users.get(username)?.account().cloned()
    }

    /// Every account, by username.
    pub fn all(&self) -> Vec<Account> {
        let state = self.read();
        state
            .users
            .iter()
            .filter(|(name, _)| !state.broken.contains(*name))
            .filter_map(|(_, user)| user.account().cloned())
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
