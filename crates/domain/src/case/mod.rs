//! The enterprise case aggregate (一企一档): one enterprise's whole life with the steward team.
//!
//! [`commands`] are what users ask, [`events`] are what the case records, [`state`] is what the
//! rules need to decide. The decisions live in one module per part of the case: [`lifecycle`],
//! [`team`] (team, plan, projects), [`visits`], [`items`], [`ratings`], [`complaints`].

mod aggregate;
mod approved;
pub mod commands;
mod complaints;
pub mod dates;
pub mod events;
mod guards;
mod items;
pub mod late;
mod lifecycle;
pub mod model;
pub(crate) mod personal;
mod ratings;
pub mod state;
mod team;
mod visits;

#[cfg(test)]
mod tests;

pub use aggregate::CaseServices;
pub use commands::CaseCommand;
pub use events::{CaseEvent, CASE_EVENT_VERSION};
pub(crate) use personal::CASE_PERSONAL_FIELDS;
pub use state::EnterpriseCase;

use crate::error::DomainError;

/// A command reached a decision module that does not handle it: a programming error in the
/// dispatch, reported instead of silently doing nothing.
fn misrouted() -> DomainError {
    DomainError::not_allowed("internal error: command routed to the wrong handler")
}
