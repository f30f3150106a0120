//! guanjia-read: the read model. Projections of the global event log, kept in memory (the
//! "memory image"), and the query functions the api crate serves. No GraphQL here, and I/O only
//! at the edges: a follower (built on the store's log reader) feeds events in, queries read
//! structs out, and a node may keep an image of the model on disk to restart quickly.
//!
//! A map for newcomers:
//! - [`model`]: [`ReadModel`], the whole memory image: `apply` one stored event at a time,
//!   `position` of the last one applied. Start here.
//! - Projections (folds of events):
//!   - `cases`: every case as compact rows (visits, items, ratings, complaints in flat tables),
//!     with its timeline. The one fold of case events.
//!   - [`catalog`]: every version of every catalog item and bundle.
//!   - Secondary indexes kept beside the cases: [`lookup`] (case number, USCC), `search::text`
//!     (name bigrams, Chinese included), and the team index (user → the cases they are on).
//! - Queries over them (methods of [`ReadModel`]):
//!   - [`lookup`]: `case_by_id`, `case_by_number`, `cases_by_uscc`.
//!   - [`search`]: `search` with filters, sorting and cursor paging.
//!   - [`detail`]: `case_detail`, `timeline`.
//!   - [`workload`]: `workload` of a steward or a team.
//!   - [`dashboard`]: `dashboard` of the leadership KPIs; [`board`]: the dashboard page's
//!     figure sets (a period, a year earlier, the divisions below) in one walk; [`supervision`]: the items in
//!     warning or overdue of a division (电子监察) and the divisions below one.
//! - [`reports`]: the 办不成事 reports from the public, the receiving division's queue.
//! - [`rating_links`]: the rating links on the record, for the admins' list of live ones.
//! - [`follower`]: [`LiveReadModel`], the model behind a lock, caught up at start and following
//!   the log live; `wait_for` gives read-your-writes.
//! - [`snapshot`]: [`SnapshotFile`], the model's image on disk, sealed so that an erasure makes
//!   every older image unreadable, and used at start-up only when it provably still applies.
//! - [`kpi`]: the definition of every figure ([`kpi::figures`]), the live statuses and due
//!   dates ([`kpi::live`]), the dashboard's own compact projection (`kpi::facts`) filed by
//!   division (`kpi::divisions`, which rows a question reads: `kpi::scan`), exact
//!   [`kpi::Ratio`]s and the configurable parts ([`kpi::KpiConfig`]). docs/kpis.md documents
//!   each figure.
//! - [`reported`]: closed periods (封账) "as reported" at their closing and "now", with the
//!   steps recorded since that make the difference.
//! - [`days`]: working-day arithmetic precomputed from the calendar, for speed.
//! - [`error`]: [`ReadError`], the one error type of this crate.
//!
//! Dates: business dates are Beijing local dates; every query that depends on "now" takes
//! `today` from the caller, never from the system clock.

pub mod board;
mod cases;
pub mod catalog;
pub mod dashboard;
pub mod days;
pub mod detail;
pub mod error;
pub mod follower;
pub mod kpi;
pub mod lookup;
pub mod model;
pub mod public_ratings;
pub mod rating_links;
pub mod reported;
pub mod reports;
pub mod search;
pub mod snapshot;
mod snapshot_serde;
pub mod supervision;
mod symbols;
pub mod workload;

pub use board::{Board, BoardQuery, ChildFigures};
pub use catalog::CatalogView;
pub use dashboard::{Dashboard, DashboardQuery, GroupBy, LateFigures};
pub use days::DayIndex;
pub use detail::{CaseDetail, DetailParts, NoteWindow};
pub use error::ReadError;
pub use follower::{FollowState, LiveReadModel};
pub use kpi::{KpiConfig, Ratio};
pub use lookup::{CaseSummary, UsccCases};
pub use model::ReadModel;
pub use reported::{ClosedPeriodEntry, ReportedChange, ReportedPeriod};
pub use search::cursor::{Page, SortBy, DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE};
pub use search::CaseQuery;
pub use snapshot::SnapshotFile;
pub use workload::{Workload, WorkloadQuery};
