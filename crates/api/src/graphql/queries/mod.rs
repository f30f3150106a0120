//! The queries of the read side, grouped by who asks: [`cases`] (lookups and search, for
//! everyone who reads cases), [`reports`] (workload and dashboard) and [`audit`] (history, past
//! states and the hash chain, for auditors). The catalog query lives with the catalog's
//! mutations (`graphql/catalog.rs`). Every resolver starts with the
//! signed-in actor and asks `auth::authz` before it reads anything.
//!
//! This module holds the argument parsers they share: each turns a GraphQL argument into a
//! checked value or a `BAD_USER_INPUT` naming the argument.

pub mod audit;
pub mod cases;
pub mod reports;

use std::time::Duration;

use guanjia_domain::values::{DivisionCode, Uscc};
use guanjia_domain::DomainError;
use guanjia_read::LiveReadModel;
use guanjia_store::LogPosition;

use crate::error::ApiError;

/// A division code argument.
pub(crate) fn division(field: &'static str, value: &str) -> Result<DivisionCode, ApiError> {
    DivisionCode::parse(value).map_err(|e| DomainError::invalid(field, e).into())
}

/// A USCC argument (normalised: case and full-width characters).
pub(crate) fn uscc(field: &'static str, value: &str) -> Result<Uscc, ApiError> {
    Uscc::parse(value).map_err(|e| DomainError::invalid(field, e).into())
}

/// A log position argument (from a mutation result or an audit event).
pub(crate) fn position(field: &'static str, value: &str) -> Result<LogPosition, ApiError> {
    value
        .trim()
        .parse()
        .map_err(|_| ApiError::bad_input(field, "position", "is not a log position"))
}

/// A page size given as `first`: `default` when absent, 1 to `max`.
pub(crate) fn page_size(first: Option<i32>, default: usize, max: usize) -> Result<usize, ApiError> {
    match first {
        None => Ok(default),
        Some(first) => window("first", first, max),
    }
}

/// How many rows a client asks for in the argument `field`: 1 to `max`.
pub(crate) fn window(field: &'static str, value: i32, max: usize) -> Result<usize, ApiError> {
    match usize::try_from(value) {
        Ok(n) if (1..=max).contains(&n) => Ok(n),
        _ => Err(ApiError::bad_input(
            field,
            "out_of_range",
            format!("must be between 1 and {max}, got {value}"),
        )),
    }
}

/// A non-negative count argument, at most `max`.
pub(crate) fn count(field: &'static str, value: i32, max: u32) -> Result<u32, ApiError> {
    match u32::try_from(value) {
        Ok(n) if n <= max => Ok(n),
        _ => Err(ApiError::bad_input(
            field,
            "out_of_range",
            format!("must be between 0 and {max}, got {value}"),
        )),
    }
}

/// Waits until this node's read model has applied `wanted`, a position the client holds (given
/// as `field`), at most the configured wait. A position beyond the end of the log was never
/// handed out by this log — a made-up one, or one from after the backup this log was restored
/// from — and is refused at once (`BAD_USER_INPUT`, rule `beyond_head`) instead of waited for.
pub(crate) async fn wait_for_client(
    state: &crate::state::AppState,
    field: &'static str,
    wanted: LogPosition,
) -> Result<(), ApiError> {
    if wanted > state.read.position() {
        let head = state.store.head().await?;
        if wanted > head {
            return Err(ApiError::bad_input(
                field,
                "beyond_head",
                format!(
                    "position {wanted} is beyond the end of this log ({head}): it was not \
                     returned by this service"
                ),
            ));
        }
    }
    wait_for(&state.read, wanted, state.limits.read_wait).await
}

/// Waits until this node's read model has applied `wanted` (a position the client saw, so
/// the answer includes it), at most `wait`.
pub(crate) async fn wait_for(
    read: &LiveReadModel,
    wanted: LogPosition,
    wait: Duration,
) -> Result<(), ApiError> {
    read.wait_for(wanted, wait).await.map_err(ApiError::from)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_sizes_and_counts_are_bounded() {
        assert_eq!(page_size(None, 20, 100), Ok(20));
        assert_eq!(page_size(Some(100), 20, 100), Ok(100));
        assert!(page_size(Some(0), 20, 100).is_err());
        assert!(page_size(Some(-1), 20, 100).is_err());
        assert!(page_size(Some(101), 20, 100).is_err());
        assert_eq!(window("last", 3, 500), Ok(3));
        let refused = window("last", 0, 500);
        assert!(matches!(refused, Err(ApiError::BadInput { ref field, .. }) if field == "last"));
        assert_eq!(count("horizonDays", 5, 60), Ok(5));
        assert!(count("horizonDays", -5, 60).is_err());
    }

    #[test]
    fn arguments_are_parsed_or_refused_with_their_name() {
        assert!(position("atLeast", "0-12").is_ok());
        let bad = position("atLeast", "twelve");
        assert!(matches!(bad, Err(ApiError::BadInput { ref field, .. }) if field == "atLeast"));
        assert!(division("division", "610902100000").is_ok());
        assert!(uscc("uscc", "91350100m000100y43").is_ok());
        assert!(uscc("uscc", "91350100M000100Y4Z").is_err());
    }
}
