//! How the follower is doing: what `/readyz` reports and what an operator reads in the log.
//!
//! The follower never gives up on its own. An event it cannot read or apply blocks it before
//! that event — the model keeps serving what it has — until an administrator quarantines the
//! event (`guanjia quarantine`); a log it cannot reach (the database restarting) makes it retry
//! with a growing pause. Either way it resumes by itself.

use std::time::Duration;

use guanjia_store::{LogPosition, StoreError};

use crate::ReadError;

/// The state of a [`super::LiveReadModel`]'s follower.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FollowState {
    /// Reading the log as it grows.
    Following,
    /// Stopped before the event at `position`, which cannot be read or applied, until it is
    /// quarantined; `reason` says why, for operators.
    Blocked {
        position: LogPosition,
        reason: String,
    },
    /// The log could not be read `failures` times in a row (the database is away); retrying.
    Retrying { failures: u32, error: String },
    /// Stopped at shutdown.
    Stopped,
}

impl FollowState {
    /// The state right after `error`.
    pub(super) fn after(error: &ReadError) -> Self {
        match Setback::of(error) {
            Setback::Blocked { position, reason } => Self::Blocked { position, reason },
            Setback::Retry { error } => Self::Retrying { failures: 1, error },
        }
    }
}

/// What to do after an error.
pub(super) enum Setback {
    Blocked {
        position: LogPosition,
        reason: String,
    },
    Retry {
        error: String,
    },
}

impl Setback {
    pub(super) fn of(error: &ReadError) -> Self {
        match error {
            ReadError::Decode { position, .. } | ReadError::UnsupportedVersion { position, .. } => {
                Self::Blocked {
                    position: *position,
                    reason: error.to_string(),
                }
            }
            ReadError::Store(StoreError::Unreadable { position, reason }) => Self::Blocked {
                position: *position,
                reason: reason.clone(),
            },
            other => Self::Retry {
                error: match other {
                    ReadError::Store(store) => store
                        .detail()
                        .map_or_else(|| store.to_string(), |d| format!("{store}: {d}")),
                    other => other.to_string(),
                },
            },
        }
    }
}

/// The pause after `failures` failed reads in a row: 100 ms doubling to at most 5 s.
pub(super) fn backoff(failures: u32) -> Duration {
    let millis = 100u64 << failures.saturating_sub(1).min(6);
    Duration::from_millis(millis.min(5_000))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_pause_grows_and_stays_bounded() {
        assert_eq!(backoff(1), Duration::from_millis(100));
        assert_eq!(backoff(2), Duration::from_millis(200));
        assert!(backoff(7) <= Duration::from_secs(5));
        assert_eq!(backoff(40), Duration::from_secs(5));
    }
}
