//! guanjia-app: the application layer between the front doors (the GraphQL api, the web
//! pages) and the event log. Every use case is one method here: it authorises the actor, checks
//! the rules that cross aggregates, runs the commands and returns the outcome with its log
//! position. A front door only translates its input into a call and the outcome into its
//! answer; no rule lives in it.
//!
//! A map for newcomers:
//! - [`App`] (`app.rs`): what the use cases need — the store, the clock, [`People`].
//! - [`Actor`] (`actor.rs`): who asks, as the front door authenticated them.
//! - [`authz`]: the one place where roles and division scopes are checked; [`admin`] the same
//!   for administration (accounts, grants, erasure, the catalog).
//! - [`cases`]: the use cases of an enterprise case. [`App::register_case`] registers one
//!   (`cases/register.rs`: USCC claim, case number); [`App::on_case`] starts every other,
//!   one method per use case (`cases/lifecycle.rs`, `team.rs`, `visits.rs`, `items.rs`,
//!   `ratings.rs`, `complaints.rs`), all through one path that loads the case once, checks the
//!   actor and the people named on it, and keeps the rules across cases
//!   (`cases/cross_case.rs`, `cases/registry.rs`; docs/cross-case-rules.md).
//! - [`periods`]: closed periods (封账): closing, approving an entry inside one, and the one
//!   check of every dated step against them (`periods/check.rs`).
//! - [`reports`]: 办不成事 reports from the public: submitted without an account, followed by
//!   tracking code, handled by the receiving division with a leader's sign-off.
//! - `catalog.rs`: the service catalog's administration ([`App::change_catalog`]): publish,
//!   revise and retire items and bundles, for admins of the whole district.
//! - [`users`]: user administration — create an account, disable, enable, reset a password,
//!   end its sessions, change its role or division — within the admin's subtree.
//! - [`progress`]: 办件进度 for the enterprise itself, by link or by case number, USCC and
//!   phone digits; every look recorded in the access log. The team issues and revokes the
//!   links in `cases/progress_links.rs`.
//! - Rating links on the record (`cases/rating_link_record.rs`): recorded when issued, listed,
//!   revoked by the team or an admin of the case's division, and checked in the log when used.
//! - [`AppError`]: the one error type of this layer.
//! - `testing` (feature `testing`): a **trusted** path that registers a case and runs case
//!   commands without asking who sends them, for tests and the demo loader; no front door
//!   enables it.
//!
//! Dependencies point down only: `api, web → app → store → domain`.

mod actor;
pub mod admin;
mod app;
pub mod authz;
pub mod cases;
mod catalog;
mod error;
pub mod periods;
pub mod progress;
pub mod reports;
#[cfg(test)]
mod test_people;
#[cfg(feature = "testing")]
pub mod testing;
pub mod users;

pub use actor::Actor;
pub use app::{AccountLookup, App, People, PeopleInLog};
pub use cases::{CaseOutcome, CaseRegistration, OnCase};
pub use error::AppError;
pub use users::{AccountChange, NewAccount};
