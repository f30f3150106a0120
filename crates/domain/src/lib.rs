//! guanjia-domain: the business rules of 项目管家 case tracking, with no I/O.
//!
//! A map for newcomers:
//! - [`values`]: self-validating value objects (USCC, division code, project code, case number,
//!   money, rating level, phone number). The rest of the code never sees an unchecked string.
//! - [`calendar`]: the mainland-China working-day calendar (holidays and 调休 make-up days) and the
//!   working-day deadline arithmetic of service items.
//! - [`catalog`]: the service catalog (事项清单) aggregate: catalog items and bundles.
//! - [`case`]: the enterprise case (一企一档) aggregate: its commands, events and rules.
//! - [`registry`]: the aggregates that keep the rules crossing cases (one open case per USCC,
//!   unique case numbers).
//! - [`periods`]: closed reporting periods (封账) of a division and the leaders' approvals of
//!   entries dated inside them.
//! - [`report`]: 办不成事 reports from the public, followed by a tracking code.
//! - [`progress`]: 办件进度 links through which an enterprise follows its own case, revocable.
//! - [`rating_links`]: 好差评 rating links on the record (who issued which, revoked ones).
//! - [`user`]: the user aggregate: accounts, roles and division scopes, token revocation.
//! - [`access`]: the access log of unmasked personal data (who read whose data, when).
//! - [`quarantine`]: the record of an unreadable event put aside by an administrator.
//! - [`aggregates`]: the list of every aggregate type, and whether a stored payload reads.
//! - [`personal`]: which fields of which events are personal data (`case/personal.rs` for the
//!   case's): the store seals what is declared here.
//! - [`clock`]: the injected clock, so every rule that reads "now" is deterministic in tests.
//! - [`error`]: the one error type of this layer.
//! - [`map_pairs`]: maps keyed by non-strings written as pairs, so states can be snapshotted.
//! - `testing` (feature `testing`): checks that every state a test reaches survives a snapshot,
//!   and a sample of every case event.
//!
//! Aggregates implement cqrs-es's `Aggregate`; storage and read models live in other crates.

pub mod access;
pub mod aggregates;
pub mod calendar;
pub mod case;
pub mod catalog;
pub mod clock;
pub mod error;
pub mod map_pairs;
pub mod periods;
pub mod personal;
pub mod progress;
pub mod quarantine;
pub mod rating_links;
pub mod registry;
pub mod report;
#[cfg(any(test, feature = "testing"))]
pub mod testing;
pub mod user;
pub mod values;

pub use error::{DomainError, ValueError};
