//! The one error type of the store layer.
//!
//! `Display` is a short message that is safe to show to a user; the database's own words (SQL,
//! table names, connection strings) stay in the error's `source()` chain, for logs only
//! ([`StoreError::detail`] renders it). The api crate maps the variants to GraphQL codes:
//! `Rejected` is the domain's answer, `Conflict` and `Unavailable` are retryable, `KeyReused`
//! and `Unreadable` say what is wrong, the rest are server errors.

use std::sync::Arc;

use guanjia_domain::DomainError;
use thiserror::Error;

use crate::LogPosition;

/// A cause kept for logs; shared so that the error stays cheap to clone.
pub type Source = Arc<dyn std::error::Error + Send + Sync>;

/// Why a store operation failed.
#[derive(Debug, Clone, Error)]
pub enum StoreError {
    /// The aggregate refused the command. Nothing was appended.
    #[error(transparent)]
    Rejected(#[from] DomainError),

    /// Other writers changed the aggregate between every load and append, `attempts` times in a
    /// row. Nothing was appended; the caller may send the command again.
    #[error("the record was changed by someone else at the same time; please try again")]
    Conflict {
        /// How many times the command was decided and refused by the optimistic lock.
        attempts: u32,
    },

    /// The idempotency key was used before on this aggregate for a different command. Nothing
    /// was appended; answering the first outcome would pretend the second request happened.
    #[error("the key {key:?} was already used for a different request; use a new key")]
    KeyReused {
        /// The key as the client sent it.
        key: String,
    },

    /// The caller's guard refused the command on the state it was loaded in (authorisation,
    /// say). Nothing was appended; the source is the guard's own error.
    #[error("the command was refused: {source}")]
    Refused {
        #[source]
        source: Source,
    },

    /// The database cannot be reached right now (down, restarting, out of connections). Nothing
    /// was appended, or — for an append whose answer was lost — the command's key tells.
    #[error("the database is not available at the moment; please try again shortly")]
    Unavailable {
        #[source]
        source: Source,
    },

    /// An event in the log cannot be read (its payload or metadata does not decode). Nothing is
    /// skipped: readers stop before it until an administrator quarantines it
    /// (`guanjia quarantine`, docs/operations.md).
    #[error("event {position} of the log cannot be read ({reason}); an administrator must quarantine it")]
    Unreadable {
        position: LogPosition,
        /// What does not decode, for operators.
        reason: String,
    },

    /// The database was migrated by a newer program. Nothing was changed.
    #[error(
        "the database schema (version {database_version}) is newer than this program knows \
         (version {binary_version}); run a newer guanjia"
    )]
    SchemaTooNew {
        /// The highest migration version recorded in the database.
        database_version: i64,
        /// The highest migration version this program contains.
        binary_version: i64,
    },

    /// The schema needs migrations that this database role may not apply.
    #[error(
        "the database schema needs migration {pending} but the role cannot change the schema \
         ({reason}); run `guanjia migrate` as the schema's owner (docs/operations.md, \"Two roles\")"
    )]
    NeedsMigration {
        /// The first migration not applied.
        pending: i64,
        reason: String,
    },

    /// The database role lacks a privilege the server needs.
    #[error(
        "the database role lacks {missing}; grant it as docs/operations.md (\"Two roles\") shows"
    )]
    MissingPrivilege {
        /// Which privileges on which objects, e.g. `INSERT on events`.
        missing: String,
    },

    /// The database URL cannot be used. The URL itself is not repeated: it may hold a password.
    #[error("invalid database URL: {reason}")]
    InvalidUrl {
        /// What is wrong with it, in words that do not quote the URL.
        reason: String,
    },

    /// Running the schema migrations failed.
    #[error("the database schema could not be migrated")]
    Migration {
        #[source]
        source: Source,
    },

    /// The database refused a statement.
    #[error("database error")]
    Database {
        #[source]
        source: Source,
    },

    /// Stored data could not be turned back into values (a snapshot, a position), or a value
    /// could not be serialised for storage.
    #[error("stored data could not be decoded")]
    Decode {
        /// What failed, for logs.
        detail: String,
    },

    /// Chain anchors could not be written or read.
    #[error("the chain anchors could not be used: {detail}")]
    Anchor { detail: String },
}

impl PartialEq for StoreError {
    /// Equal when of the same kind with the same fields; causes compare by their text.
    fn eq(&self, other: &Self) -> bool {
        std::mem::discriminant(self) == std::mem::discriminant(other)
            && self.to_string() == other.to_string()
            && self.detail() == other.detail()
    }
}

impl StoreError {
    /// The cause behind the short message, for logs: the whole source chain, or the detail.
    /// `None` for the variants whose message is already complete.
    pub fn detail(&self) -> Option<String> {
        match self {
            Self::Decode { detail } | Self::Anchor { detail } => Some(detail.clone()),
            Self::Unreadable { reason, .. } => Some(reason.clone()),
            Self::Migration { source }
            | Self::Database { source }
            | Self::Unavailable { source } => {
                let mut chain = source.to_string();
                let mut cause = source.source();
                while let Some(next) = cause {
                    chain.push_str(": ");
                    chain.push_str(&next.to_string());
                    cause = next.source();
                }
                Some(chain)
            }
            Self::Rejected(_)
            | Self::Refused { .. }
            | Self::Conflict { .. }
            | Self::KeyReused { .. }
            | Self::SchemaTooNew { .. }
            | Self::NeedsMigration { .. }
            | Self::MissingPrivilege { .. }
            | Self::InvalidUrl { .. } => None,
        }
    }

    /// True when sending the same command again may succeed.
    pub fn is_retryable(&self) -> bool {
        matches!(self, Self::Conflict { .. } | Self::Unavailable { .. })
    }

    pub(crate) fn database(error: impl std::error::Error + Send + Sync + 'static) -> Self {
        Self::Database {
            source: Arc::new(error),
        }
    }

    pub(crate) fn decode(error: impl std::fmt::Display) -> Self {
        Self::Decode {
            detail: error.to_string(),
        }
    }

    pub(crate) fn unreadable(position: LogPosition, reason: impl Into<String>) -> Self {
        Self::Unreadable {
            position,
            reason: reason.into(),
        }
    }
}

impl StoreError {
    /// One database error told to several callers (a batch of appends that failed together).
    pub(crate) fn shared(error: &Arc<sqlx::Error>) -> Self {
        let source: Source = Arc::clone(error) as Source;
        if is_unavailable(error) {
            Self::Unavailable { source }
        } else {
            Self::Database { source }
        }
    }
}

impl From<sqlx::Error> for StoreError {
    fn from(error: sqlx::Error) -> Self {
        if is_unavailable(&error) {
            Self::Unavailable {
                source: Arc::new(error),
            }
        } else {
            Self::database(error)
        }
    }
}

impl From<serde_json::Error> for StoreError {
    fn from(error: serde_json::Error) -> Self {
        Self::decode(error)
    }
}

/// Whether `error` means the database is away rather than that it refused the statement: no
/// connection, a connection lost, a server shutting down or starting up, no free connection.
fn is_unavailable(error: &sqlx::Error) -> bool {
    use sqlx::sqlite::SqliteError;
    match error {
        sqlx::Error::Io(_)
        | sqlx::Error::PoolTimedOut
        | sqlx::Error::PoolClosed
        | sqlx::Error::WorkerCrashed
        | sqlx::Error::Tls(_) => true,
        sqlx::Error::Database(database) if database.try_downcast_ref::<SqliteError>().is_some() => {
            // SQLite reports extended codes (517 is SQLITE_BUSY_SNAPSHOT); the low byte is the
            // primary code: 5 busy, 6 locked — another process holds the file.
            database
                .code()
                .and_then(|code| code.parse::<u32>().ok())
                .is_some_and(|code| matches!(code & 0xff, 5 | 6))
        }
        sqlx::Error::Database(database) => database.code().is_some_and(|code| {
            // 08: connection exception; 57P01–57P03: admin shutdown, crash shutdown, cannot
            // connect now; 53300: too many connections.
            code.starts_with("08") || matches!(code.as_ref(), "57P01" | "57P02" | "57P03" | "53300")
        }),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_hides_the_database_detail() {
        let error = StoreError::database(sqlx::Error::Protocol(
            "relation \"events\" does not exist at 10.0.0.5:5432".into(),
        ));
        assert_eq!(error.to_string(), "database error");
        assert!(error
            .detail()
            .is_some_and(|detail| detail.contains("relation \"events\" does not exist")));
    }

    #[test]
    fn a_rejection_shows_the_domain_message() {
        let error = StoreError::from(DomainError::not_allowed("the case is closed"));
        assert_eq!(error.to_string(), "the case is closed");
        assert!(!error.is_retryable());
        assert!(StoreError::Conflict { attempts: 5 }.is_retryable());
    }

    #[test]
    fn a_lost_connection_is_unavailable_and_retryable() {
        let lost = std::io::Error::new(std::io::ErrorKind::ConnectionRefused, "refused");
        let error = StoreError::from(sqlx::Error::Io(lost));
        assert!(matches!(error, StoreError::Unavailable { .. }), "{error:?}");
        assert!(error.is_retryable());
        assert!(StoreError::from(sqlx::Error::PoolTimedOut).is_retryable());
        assert!(!StoreError::from(sqlx::Error::RowNotFound).is_retryable());
    }
}
