//! The one error type of the api layer and its mapping to GraphQL error codes.
//!
//! Every resolver returns `Result<_, ApiError>`. async-graphql keeps the `ApiError` as the
//! `source` of the GraphQL error, and [`extension::ErrorCodes`] turns it into `extensions.code`
//! (and `field`, `rule`, `retryable`) for every response in one place, so a `?` in a resolver
//! can never lose the code. The codes are listed with examples in docs/error-codes.md.
//!
//! Internal errors show the client a generic message; their detail goes to the tracing log,
//! inside the request span, so an operator can find it by request id.

pub mod extension;
mod input;

use async_graphql::{ErrorExtensionValues, ServerError};
use guanjia_app::AppError;
use guanjia_domain::{DomainError, ValueError};
use guanjia_read::ReadError;
use guanjia_store::StoreError;
use thiserror::Error;

/// Why a request failed, as the client will be told.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ApiError {
    /// The domain refused the command (a malformed field or a broken rule).
    #[error("{0}")]
    Domain(DomainError),
    /// An input the api layer checks itself (a password too short, an id too long, …).
    #[error("{field}: {message}")]
    BadInput {
        /// The GraphQL argument or input field, in camelCase.
        field: String,
        /// A stable name of the rule, e.g. `too_short`.
        rule: &'static str,
        message: String,
    },
    /// Something the request names does not exist (or the caller may not know that it does).
    #[error("{what} not found")]
    NotFound { what: String },
    /// Other writers kept changing the same record; sending the request again may succeed.
    #[error("the record was changed by someone else at the same time; please try again")]
    Conflict,
    /// No valid credentials: not signed in, a bad or expired token, a revoked token.
    #[error("{0}")]
    Unauthenticated(String),
    /// Signed in, but the role or division scope does not allow this.
    #[error("{0}")]
    Forbidden(String),
    /// The step is dated inside a period closed (封账) for a division, and no leader's
    /// approval lets it in.
    #[error(
        "the step is dated {date}, inside {period}, closed (封账) for division {division}: a \
         leader of that division must approve the entry first (approveClosedPeriodEntry)"
    )]
    PeriodClosed {
        date: chrono::NaiveDate,
        period: String,
        division: String,
    },
    /// This node's read model has not yet applied a position the request asked for (the
    /// write happened; the read can be sent again shortly).
    #[error("this server has not yet read the log up to position {wanted}; try again in a moment")]
    ReadLagging { wanted: String },
    /// Too many attempts in a short time (sign-in, public rating links); wait and retry.
    #[error("too many requests; try again in {retry_after_secs} s")]
    RateLimited { retry_after_secs: u64 },
    /// The request ran longer than the configured timeout.
    #[error(
        "the request took longer than {millis} ms and was stopped; a mutation may still have \
         been applied, so send it again with the same clientKey"
    )]
    Timeout { millis: u64 },
    /// The answer held unmasked personal data whose reading could not be recorded in the
    /// access log, so the whole answer was withheld (fail closed, docs/security.md). The cause
    /// is logged; the request may be sent again.
    #[error(
        "the answer holds personal data whose reading could not be recorded, so it was withheld; \
         try again (a mutation in this request was applied: send it again with the same \
         clientKey to see its outcome)"
    )]
    AccessNotRecorded,
    /// The database is away for a moment (restarting, failing over, out of connections):
    /// nothing was done, or — for a mutation whose answer was lost — its `clientKey` tells.
    #[error(
        "the service cannot reach its database at the moment; try again shortly (send a \
         mutation again with the same clientKey)"
    )]
    Unavailable,
    /// A record's history holds an event that cannot be read until an administrator
    /// quarantines it (docs/operations.md, "When things go wrong").
    #[error(
        "the history of this record holds an event that cannot be read (log position \
         {position}); an administrator must look at it before this record can change"
    )]
    UnreadableHistory { position: String },
    /// A fault of the server (database, decoding, a broken invariant). `detail` is logged,
    /// never sent to the client.
    #[error("internal server error")]
    Internal { detail: String },
}

/// The values of `extensions.code`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorCode {
    BadUserInput,
    NotFound,
    Conflict,
    Unauthenticated,
    Forbidden,
    RequestTimeout,
    /// Too many requests: retry after `extensions.retryAfter` seconds.
    RateLimited,
    InternalServerError,
    /// The database is away for a moment: retry.
    ServiceUnavailable,
    /// A record's history holds an unreadable event awaiting quarantine.
    UnreadableHistory,
    /// The query text is not GraphQL.
    GraphqlParseFailed,
    /// The query does not fit the schema or breaks a depth or complexity limit.
    GraphqlValidationFailed,
    /// The HTTP body is larger than the server's limit (HTTP 413, outside GraphQL execution).
    PayloadTooLarge,
    /// A step dated inside a closed period (封账) without a leader's approval.
    PeriodClosed,
}

impl ErrorCode {
    /// The string clients match on.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::BadUserInput => "BAD_USER_INPUT",
            Self::NotFound => "NOT_FOUND",
            Self::Conflict => "CONFLICT",
            Self::Unauthenticated => "UNAUTHENTICATED",
            Self::Forbidden => "FORBIDDEN",
            Self::RequestTimeout => "REQUEST_TIMEOUT",
            Self::RateLimited => "RATE_LIMITED",
            Self::InternalServerError => "INTERNAL_SERVER_ERROR",
            Self::ServiceUnavailable => "SERVICE_UNAVAILABLE",
            Self::UnreadableHistory => "UNREADABLE_HISTORY",
            Self::GraphqlParseFailed => "GRAPHQL_PARSE_FAILED",
            Self::GraphqlValidationFailed => "GRAPHQL_VALIDATION_FAILED",
            Self::PayloadTooLarge => "PAYLOAD_TOO_LARGE",
            Self::PeriodClosed => "PERIOD_CLOSED",
        }
    }
}

impl ApiError {
    /// A fault of the server, with its detail for the log.
    pub fn internal(detail: impl std::fmt::Display) -> Self {
        Self::Internal {
            detail: detail.to_string(),
        }
    }

    /// An input the api layer refused.
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

    /// The code this error is reported with.
    pub fn code(&self) -> ErrorCode {
        match self {
            Self::Domain(DomainError::NotFound { .. }) | Self::NotFound { .. } => {
                ErrorCode::NotFound
            }
            Self::Domain(_) | Self::BadInput { .. } => ErrorCode::BadUserInput,
            Self::Conflict => ErrorCode::Conflict,
            Self::Unauthenticated(_) => ErrorCode::Unauthenticated,
            Self::Forbidden(_) => ErrorCode::Forbidden,
            Self::Timeout { .. } | Self::ReadLagging { .. } => ErrorCode::RequestTimeout,
            Self::RateLimited { .. } => ErrorCode::RateLimited,
            Self::Internal { .. } | Self::AccessNotRecorded => ErrorCode::InternalServerError,
            Self::Unavailable => ErrorCode::ServiceUnavailable,
            Self::UnreadableHistory { .. } => ErrorCode::UnreadableHistory,
            Self::PeriodClosed { .. } => ErrorCode::PeriodClosed,
        }
    }

    /// The `extensions` object of the GraphQL error. Logs the detail of an internal error.
    pub fn extensions(&self) -> ErrorExtensionValues {
        let mut extensions = ErrorExtensionValues::default();
        extensions.set("code", self.code().as_str());
        match self {
            Self::Domain(DomainError::Invalid { field, source }) => {
                extensions.set("field", camel_case(field));
                extensions.set("rule", rule_name(source));
            }
            Self::BadInput { field, rule, .. } => {
                extensions.set("field", field.as_str());
                extensions.set("rule", *rule);
            }
            Self::Conflict => extensions.set("retryable", true),
            Self::Timeout { .. }
            | Self::ReadLagging { .. }
            | Self::AccessNotRecorded
            | Self::Unavailable => {
                extensions.set("retryable", true);
            }
            Self::UnreadableHistory { position } => extensions.set("position", position.as_str()),
            Self::PeriodClosed {
                date,
                period,
                division,
            } => {
                extensions.set("businessDate", date.to_string());
                extensions.set("period", period.as_str());
                extensions.set("division", division.as_str());
            }
            Self::RateLimited { retry_after_secs } => {
                extensions.set("retryable", true);
                extensions.set("retryAfter", *retry_after_secs);
            }
            Self::Internal { detail } => {
                // The only place the detail goes: the log line carries the request span.
                tracing::error!(%detail, "internal error answered with INTERNAL_SERVER_ERROR");
            }
            _ => {}
        }
        extensions
    }

    /// A GraphQL error for a response built outside a resolver (the request timeout).
    pub fn into_server_error(self) -> ServerError {
        let mut error = ServerError::new(self.to_string(), None);
        error.extensions = Some(self.extensions());
        error
    }
}

impl From<AppError> for ApiError {
    /// The application layer's refusals keep their wording; a failure of the log is mapped as
    /// the store's own.
    fn from(error: AppError) -> Self {
        match error {
            AppError::Rejected(domain) => Self::Domain(domain),
            AppError::BadInput {
                field,
                rule,
                message,
            } => Self::BadInput {
                field,
                rule,
                message,
            },
            AppError::NotFound { what } => Self::NotFound { what },
            AppError::Forbidden(why) => Self::Forbidden(why),
            AppError::PeriodClosed {
                date,
                period,
                division,
            } => Self::PeriodClosed {
                date,
                period: period.to_string(),
                division: division.to_string(),
            },
            AppError::Store(store) => store.into(),
        }
    }
}

impl From<DomainError> for ApiError {
    fn from(error: DomainError) -> Self {
        Self::Domain(error)
    }
}

impl From<StoreError> for ApiError {
    fn from(error: StoreError) -> Self {
        match error {
            StoreError::Rejected(domain) => Self::Domain(domain),
            StoreError::Conflict { .. } => Self::Conflict,
            StoreError::KeyReused { key } => Self::bad_input(
                "clientKey",
                "reused",
                format!(
                    "the clientKey {key:?} was already used for a different request; use a new key"
                ),
            ),
            StoreError::Unavailable { ref source } => {
                tracing::warn!(%source, "the database is unavailable");
                Self::Unavailable
            }
            StoreError::Unreadable { position, reason } => {
                tracing::error!(%position, %reason, "an unreadable event blocks a record");
                Self::UnreadableHistory {
                    position: position.to_string(),
                }
            }
            // A guard's refusal (authorisation on the loaded aggregate, by the application
            // layer, which usually hands it over as its own error already).
            StoreError::Refused { source } => match source.downcast_ref::<AppError>() {
                Some(refusal) => refusal.clone().into(),
                None => Self::internal(format!("a command was refused: {source}")),
            },
            other => Self::internal(format!("{other}: {}", other.detail().unwrap_or_default())),
        }
    }
}

impl From<ReadError> for ApiError {
    fn from(error: ReadError) -> Self {
        match error {
            ReadError::InvalidCursor(why) => Self::bad_input("after", "invalid_cursor", why),
            ReadError::InvalidQuery { field, rule } => Self::bad_input(field, "rule", rule),
            ReadError::Lagging { wanted, .. } => Self::ReadLagging {
                wanted: wanted.to_string(),
            },
            ReadError::Store(store) => store.into(),
            other => Self::internal(format!("read model: {other}")),
        }
    }
}

/// The stable rule name of a value error, for `extensions.rule`.
pub fn rule_name(error: &ValueError) -> &'static str {
    match error {
        ValueError::Empty => "empty",
        ValueError::TooLong { .. } => "too_long",
        ValueError::WrongLength { .. } => "wrong_length",
        ValueError::BadCharacter { .. } => "bad_character",
        ValueError::BadCheckCharacter { .. } => "check_character",
        ValueError::Rule(_) => "rule",
        ValueError::OutOfRange { .. } => "out_of_range",
        ValueError::BeforeStep { .. } => "date_order",
        ValueError::LateEntry { .. } => "late_entry",
        ValueError::LinkOnlyChannel { .. } => "link_only_channel",
    }
}

/// The domain names fields in snake_case; GraphQL clients know them in camelCase.
pub fn camel_case(field: &str) -> String {
    let mut out = String::with_capacity(field.len());
    let mut upper = false;
    for c in field.chars() {
        if c == '_' {
            upper = true;
        } else if upper {
            out.push(c.to_ascii_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests;
