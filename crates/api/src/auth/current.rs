//! The current state of one user, read from the user's own stream: what every sign-in, token
//! check and check of a named person decides on.
//!
//! Why not the directory (`directory.rs`): it follows the global log, and on PostgreSQL the log
//! reader stops below the transactions still open before it — any transaction of the cluster
//! once (issue 13: one session idle in a transaction in another database kept revoked and
//! disabled tokens working for as long as it stayed open), and still every transaction writing
//! events, however slow. The rows of one stream are visible the moment they commit, so
//! `Store::load::<User>` sees a revocation, a disabling or a role change at once, on every node,
//! whatever else runs on the cluster.
//!
//! Each answer is kept for [`FRESH_FOR`] and dropped at once after this node's own user
//! commands ([`CurrentUsers::forget`]). A change made on another node therefore takes effect
//! here within [`FRESH_FOR`] plus the time of one read — well under a second — at the cost of
//! one indexed read of a short stream per signed-in user and quarter second at most. Only
//! existing accounts are kept, so the cache holds at most one entry per user, whatever
//! usernames strangers try to sign in with.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use guanjia_domain::user::{Account, User};
use guanjia_store::{Store, StoreError};
use tokio::time::Instant;

use super::UserDirectory;

/// How long one read of a user's stream is trusted.
pub const FRESH_FOR: Duration = Duration::from_millis(250);

/// The users' current states, briefly cached (see the module documentation).
#[derive(Debug)]
pub struct CurrentUsers {
    store: Store,
    directory: Arc<UserDirectory>,
    cache: Mutex<HashMap<String, (Account, Instant)>>,
}

/// What a read of a user's stream found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Found {
    /// The account as its events left it.
    Account(Account),
    /// No such user.
    Unknown,
    /// An event of the user does not decode: refused until it is repaired or quarantined,
    /// because the unreadable event might have disabled them.
    Broken,
}

impl CurrentUsers {
    /// Reads users from `store` and offers what it reads to `directory`.
    pub fn new(store: Store, directory: Arc<UserDirectory>) -> Self {
        Self {
            store,
            directory,
            cache: Mutex::new(HashMap::new()),
        }
    }

    /// The account of `username` (normalised) as it is now, at most [`FRESH_FOR`] old.
    pub async fn get(&self, username: &str) -> Result<Found, StoreError> {
        if let Some((account, read_at)) = self.lock().get(username) {
            if read_at.elapsed() < FRESH_FOR {
                return Ok(Found::Account(account.clone()));
            }
        }
        self.read(username).await
    }

    /// The account of `username` read from its stream now, whatever the cache holds: for a
    /// sign-in, and for the answer of a user command.
    pub async fn read(&self, username: &str) -> Result<Found, StoreError> {
        let loaded = match self.store.load::<User>(username).await {
            Ok(loaded) => loaded,
            Err(error @ (StoreError::Decode { .. } | StoreError::Unreadable { .. })) => {
                self.forget(username);
                tracing::error!(
                    user = %username,
                    %error,
                    detail = error.detail().unwrap_or_default(),
                    "a user event cannot be read; the user is refused until it is repaired or quarantined"
                );
                return Ok(Found::Broken);
            }
            Err(error) => return Err(error),
        };
        self.directory
            .offer(username, &loaded.state, loaded.sequence);
        let Some(account) = loaded.state.account().cloned() else {
            self.forget(username);
            return Ok(Found::Unknown);
        };
        self.lock()
            .insert(username.to_owned(), (account.clone(), Instant::now()));
        Ok(Found::Account(account))
    }

    /// Drops what is known of `username`, after a command of this node changed it.
    pub fn forget(&self, username: &str) {
        self.lock().remove(username);
    }

    // Nothing panics while holding the lock; a poisoned map still holds whole entries.
    fn lock(&self) -> MutexGuard<'_, HashMap<String, (Account, Instant)>> {
        self.cache.lock().unwrap_or_else(PoisonError::into_inner)
    }
}
