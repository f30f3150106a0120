//! The one error type of the store layer.
//!
//! `Display` is a short message that is safe to show to a user; the database's own words (SQL,
//! table names, connection strings) stay in `detail`, for logs only. The api crate maps the
//! variants to GraphQL codes: `Rejected` is the domain's answer, `Conflict` is retryable, the
//! rest are server errors.

use guanjia_domain::DomainError;
use thiserror::Error;

/// Why a store operation failed.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
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

    /// The database URL cannot be used. The URL itself is not repeated: it may hold a password.
    #[error("invalid database URL: {reason}")]
    InvalidUrl {
        /// What is wrong with it, in words that do not quote the URL.
        reason: String,
    },

    /// Running the schema migrations failed.
    #[error("the database schema could not be migrated")]
    Migration {
        /// The migrator's error, for logs.
        detail: String,
    },

    /// The database could not be reached or refused a statement.
    #[error("database error")]
    Database {
        /// The driver's error, for logs.
        detail: String,
    },

    /// Stored data could not be turned back into values (an event, a snapshot, a position), or a
    /// value could not be serialised for storage.
    #[error("stored data could not be decoded")]
    Decode {
        /// What failed, for logs.
        detail: String,
    },
}

impl StoreError {
    /// The detail behind the short message, for logs. `None` for the variants whose message is
    /// already complete.
    pub fn detail(&self) -> Option<&str> {
        match self {
            Self::Migration { detail } | Self::Database { detail } | Self::Decode { detail } => {
                Some(detail)
            }
            Self::Rejected(_)
            | Self::Conflict { .. }
            | Self::SchemaTooNew { .. }
            | Self::InvalidUrl { .. } => None,
        }
    }

    /// True when sending the same command again may succeed.
    pub fn is_retryable(&self) -> bool {
        matches!(self, Self::Conflict { .. })
    }

    pub(crate) fn database(error: impl std::fmt::Display) -> Self {
        Self::Database {
            detail: error.to_string(),
        }
    }

    pub(crate) fn decode(error: impl std::fmt::Display) -> Self {
        Self::Decode {
            detail: error.to_string(),
        }
    }
}

impl From<sqlx::Error> for StoreError {
    fn from(error: sqlx::Error) -> Self {
        Self::database(error)
    }
}

impl From<serde_json::Error> for StoreError {
    fn from(error: serde_json::Error) -> Self {
        Self::decode(error)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_hides_the_database_detail() {
        let error = StoreError::database("relation \"events\" does not exist at 10.0.0.5:5432");
        assert_eq!(error.to_string(), "database error");
        assert_eq!(
            error.detail(),
            Some("relation \"events\" does not exist at 10.0.0.5:5432")
        );
    }

    #[test]
    fn a_rejection_shows_the_domain_message() {
        let error = StoreError::from(DomainError::not_allowed("the case is closed"));
        assert_eq!(error.to_string(), "the case is closed");
        assert!(!error.is_retryable());
        assert!(StoreError::Conflict { attempts: 5 }.is_retryable());
    }
}
