//! The one error type of the application layer: why a use case did not happen. The api crate
//! maps it to GraphQL codes in one place; the web pages to their own answers.

use guanjia_domain::values::{DivisionCode, Period};
use guanjia_domain::DomainError;
use guanjia_store::StoreError;
use thiserror::Error;

/// Why a use case failed. Authorisation refusals and input the layer checks itself are its
/// own; the domain's refusals and the log's failures keep their cause.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum AppError {
    /// The domain refused: a malformed field or a broken rule. Nothing was recorded.
    #[error(transparent)]
    Rejected(#[from] DomainError),
    /// An input this layer checks itself (a person who may not join a team, …).
    #[error("{field}: {message}")]
    BadInput {
        /// The argument or input field, in camelCase as the front doors name it.
        field: String,
        /// A stable name of the rule, e.g. `unknown_user`.
        rule: &'static str,
        message: String,
    },
    /// Something the request names does not exist, or the actor may not know that it does.
    #[error("{what} not found")]
    NotFound { what: String },
    /// The actor's role or division scope does not allow this.
    #[error("{0}")]
    Forbidden(String),
    /// The step is dated inside a period closed (封账) for `division` (the case's division or
    /// one above it), and no unused approval of a leader of that division lets it in.
    #[error(
        "the step is dated {date}, inside {period}, closed (封账) for division {division}: a \
         leader of that division must approve the entry first (approveClosedPeriodEntry)"
    )]
    PeriodClosed {
        date: chrono::NaiveDate,
        period: Period,
        division: DivisionCode,
    },
    /// The event log failed or refused (a conflict, a reused key, the database away, …).
    #[error("{0}")]
    Store(#[source] StoreError),
}

impl AppError {
    /// An input this layer refused.
    pub fn bad_input(
        field: impl Into<String>,
        rule: &'static str,
        message: impl Into<String>,
    ) -> Self {
        Self::BadInput {
            field: field.into(),
            rule,
            message: message.into(),
        }
    }
}

impl From<StoreError> for AppError {
    /// The domain's refusal stays the domain's; a guard's refusal (authorisation on the case as
    /// loaded, `cases::run`) comes back as the refusal it was.
    fn from(error: StoreError) -> Self {
        match error {
            StoreError::Rejected(domain) => Self::Rejected(domain),
            StoreError::Refused { source } => match source.downcast_ref::<AppError>() {
                Some(refusal) => refusal.clone(),
                None => Self::Store(StoreError::Refused { source }),
            },
            other => Self::Store(other),
        }
    }
}

#[cfg(test)]
mod tests {
    use std::error::Error as _;
    use std::sync::Arc;

    use super::*;

    #[test]
    fn a_guards_refusal_comes_back_as_itself_and_log_failures_keep_their_cause() {
        let refusal = AppError::Forbidden("no".to_owned());
        let refused = StoreError::Refused {
            source: Arc::new(refusal.clone()),
        };
        assert_eq!(AppError::from(refused), refusal);
        let domain = DomainError::not_allowed("closed");
        assert_eq!(
            AppError::from(StoreError::Rejected(domain.clone())),
            AppError::Rejected(domain)
        );
        let conflict = AppError::from(StoreError::Conflict { attempts: 3 });
        let source = conflict.source().expect("the store error is the source");
        assert_eq!(
            source.to_string(),
            StoreError::Conflict { attempts: 3 }.to_string()
        );
    }
}
