//! Working days in mainland China and the deadlines of service items.
//!
//! Statutory limits count working days (行政许可法 art. 82): weekends and public holidays are
//! excluded and make-up working days (调休) included. The arrangement of each year is data, not
//! code: the built-in years come from a pinned dataset, later years are added from a file.
//!
//! - [`work_calendar`]: [`WorkCalendar`], which dates are working days, and counting them.
//! - `builtin`: the years 2004–2026 from the pinned `chinese_holiday` dataset
//!   ([`WorkCalendar::china`]).
//! - `data_file`: later years from a TOML file ([`WorkCalendar::extend_from_toml`]).
//! - [`deadline`]: an item's clock ([`ItemClock`]): deadline, suspensions, extensions.
//! - [`status`]: on time, warning or overdue ([`TimeStatus`]).

mod builtin;
mod data_file;
pub mod deadline;
pub mod status;
pub mod work_calendar;

pub use builtin::BUILT_IN_YEARS;
pub use deadline::{
    due_after, held_through, Deadline, ItemClock, Suspension, DEFAULT_CALLBACK_DAYS,
    DEFAULT_RECTIFICATION_DAYS,
};
pub use status::{TimeStatus, DEFAULT_WARNING_PERCENT};
pub use work_calendar::{WorkCalendar, WorkingDay};
