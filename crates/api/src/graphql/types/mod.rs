//! The GraphQL object types of the read side, one file per group. The read crate has no
//! GraphQL: each type here is built from a read struct (or a store value), converting enums to
//! their GraphQL mirrors (`enums.rs`), dates to the `NaiveDate`/`DateTime` scalars, money to
//! integer fen and yuan and rates to exact fractions, and masking personal data where the
//! viewer may not see it.
//!
//! - [`case`]: `Case`, the summary of a case and, on demand, its detail.
//! - [`detail`]: the enterprise, agreement, projects, notes, life-cycle and timeline;
//!   [`team`]: the team and the plan versions.
//! - [`items`]: service items and their clocks; [`visits`]: visits, ratings, complaints.
//! - [`connection`]: the case search as a Relay connection; [`workload`]; [`dashboard`].
//! - [`audit`]: the event history; [`as_of`]: a case at a past point; [`chain`]: the hash
//!   chain; [`catalog`]: every version of the catalog.
//! - [`values`]: money, rates, averages, due days, people (and their masking).

pub mod as_of;
pub mod audit;
pub mod case;
pub mod catalog;
pub mod chain;
pub mod connection;
pub mod dashboard;
pub mod detail;
pub mod items;
pub mod team;
pub mod values;
pub mod visits;
pub mod workload;

pub use case::Case;
