//! An item's statuses as dates. With no suspension open an item's deadline is fixed, so its
//! status only moves with the date: on time, then warning from one day, then overdue after the
//! deadline. The read model computes a [`Schedule`] once per change of the item, the calendar
//! or the configuration, and the dashboard then compares dates instead of counting working
//! days for each of a district's items (tests/read_model/days.rs checks it against the domain).

use chrono::NaiveDate;
use guanjia_domain::calendar::{Deadline, TimeStatus};
use serde::{Deserialize, Serialize};

use super::{ClockRef, DayIndex};

/// The statuses of a running item (no suspension open) as dates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Schedule {
    /// The schedule holds on and after this day: the acceptance, or the last resumption.
    #[serde(with = "crate::snapshot_serde::date")]
    pub from: NaiveDate,
    /// The deadline on any day from `from` on.
    pub deadline: Deadline,
    /// The first day in warning; `None` when the item cannot be in warning before it is
    /// overdue (a 0-day limit, or a warning share above 100%).
    #[serde(with = "crate::snapshot_serde::date_opt")]
    pub warning_from: Option<NaiveDate>,
}

impl Schedule {
    /// The status as of `as_of`, as [`DayIndex::status`] gives it; `None` before `from`.
    pub fn status(&self, as_of: NaiveDate) -> Option<TimeStatus> {
        if as_of < self.from {
            return None;
        }
        Some(if as_of > self.deadline.date {
            TimeStatus::Overdue
        } else if self.warning_from.is_some_and(|from| as_of >= from) {
            TimeStatus::Warning
        } else {
            TimeStatus::OnTime
        })
    }
}

impl DayIndex {
    /// The schedule of a running item; `None` while a suspension is open (the deadline then
    /// moves every working day, so it is computed when asked).
    ///
    /// Warning starts the day the used days reach `⌈total × warning_percent ÷ 100⌉`: the
    /// deadline arithmetic with that many days instead of the total.
    pub fn schedule(&self, clock: ClockRef<'_>, warning_percent: u32) -> Option<Schedule> {
        if clock.suspensions.iter().any(|s| s.until.is_none()) {
            return None;
        }
        let from = clock
            .suspensions
            .iter()
            .filter_map(|s| s.until)
            .fold(clock.accepted_on, NaiveDate::max);
        let deadline = self.deadline(clock, from);
        let total = u64::from(clock.total_days);
        let threshold = (total * u64::from(warning_percent)).div_ceil(100);
        let warning_from = match u32::try_from(threshold) {
            _ if total == 0 || threshold > total => None,
            Ok(0) => Some(NaiveDate::MIN),
            Ok(days) => Some(
                self.deadline(
                    ClockRef {
                        total_days: days,
                        ..clock
                    },
                    from,
                )
                .date,
            ),
            Err(_) => None,
        };
        Some(Schedule {
            from,
            deadline,
            warning_from,
        })
    }
}
