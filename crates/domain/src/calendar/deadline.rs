//! Deadlines of service items: statutory limits counted in working days, with extensions and
//! suspensions (补正, hearing, inspection, expert review).
//!
//! Conventions, decided once here:
//! - Counting starts the day *after* acceptance: a 20-day limit ends on the 20th working day
//!   after `accepted_on`.
//! - A suspension works the same way: the day of suspension still counts, and counting restarts
//!   the day *after* resumption. The working days excluded are those `d` with
//!   `from < d <= until`; a suspension not yet resumed runs to `today`.
//! - Everything is computed *as of* a date (`today`, or the day an item concluded): a suspension
//!   still open then is taken to resume that day, so a suspended item's deadline moves each
//!   working day it stays suspended. Overlapping suspensions exclude a day once.
//! - An item suspended with its time used up (on its due day) is not late while it stays
//!   suspended, nor on the day it resumes: the clock stood still ([`held_through`]).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::work_calendar::{WorkCalendar, WorkingDay};

/// Working days allowed for the call-back check (回访核实) of a bad rating (configurable).
pub const DEFAULT_CALLBACK_DAYS: u32 = 1;
/// Working days allowed for the rectification (整改) of a bad rating (configurable).
pub const DEFAULT_RECTIFICATION_DAYS: u32 = 15;

/// A period during which an item's clock stands still.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Suspension {
    /// The day the item was suspended (still counted).
    pub from: NaiveDate,
    /// The day it resumed (not counted either); `None` while still suspended.
    pub until: Option<NaiveDate>,
}

impl Suspension {
    /// Whether the item is suspended on `today` (suspended on `from`, running again on `until`).
    pub fn is_active(&self, today: NaiveDate) -> bool {
        self.from <= today && self.until.is_none_or(|until| until > today)
    }

    /// Whether this suspension keeps `date` from counting, as of `today`.
    fn excludes(&self, date: NaiveDate, today: NaiveDate) -> bool {
        self.from < date && date <= self.end(today)
    }

    /// The last day this suspension keeps from counting, as of `today`.
    fn end(&self, today: NaiveDate) -> NaiveDate {
        self.until.map_or(today, |until| until.min(today))
    }
}

/// The deadline of an item whose last allowed working day is `last_day`, as of `today`:
/// `last_day` itself, unless a suspension that began on or before it runs past it.
///
/// Such an item was suspended with its time used up (on its due day, say): its clock stands
/// still until the suspension ends, so concluding meanwhile, or on the day of resumption, uses
/// no day beyond the limit and is on time; the next working day after the resumption is the
/// first one too many. Counting alone cannot see this, because every day it skips lies after
/// `last_day`.
pub fn held_through(
    suspensions: &[Suspension],
    last_day: NaiveDate,
    today: NaiveDate,
) -> NaiveDate {
    let mut date = last_day;
    // Suspensions chained end to start hold the clock one after the other.
    while let Some(end) = suspensions
        .iter()
        .filter(|s| s.from <= date && s.end(today) > date)
        .map(|s| s.end(today))
        .max()
    {
        date = end;
    }
    date
}

/// The clock of one service item: what its deadline is computed from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ItemClock {
    /// The day the item was accepted (受理); counting starts the day after.
    pub accepted_on: NaiveDate,
    /// The limit in working days (statutory or promised).
    pub limit_days: u32,
    /// Working days added by an approved extension (延期).
    pub extension_days: u32,
    /// Periods that do not count.
    pub suspensions: Vec<Suspension>,
}

/// An item's deadline as of a date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Deadline {
    /// The last day on which concluding is on time: a working day, or — while an item
    /// suspended with its time used up stays suspended — the day its suspension ends
    /// ([`held_through`]).
    pub date: NaiveDate,
    /// True when the count crossed a year whose holidays are not yet published.
    pub provisional: bool,
    /// True when the item is suspended as of the date: the deadline moves while it stays so.
    pub suspended: bool,
}

impl ItemClock {
    /// The limit plus the extension, in working days.
    pub fn total_days(&self) -> u32 {
        self.limit_days.saturating_add(self.extension_days)
    }

    /// Whether the item is suspended on `today`.
    pub fn is_suspended(&self, today: NaiveDate) -> bool {
        self.suspensions.iter().any(|s| s.is_active(today))
    }

    /// The deadline as of `today`: the [`Self::total_days`]-th counted working day after
    /// acceptance, a suspension still open being taken to resume on `today`.
    pub fn deadline(&self, cal: &WorkCalendar, today: NaiveDate) -> Deadline {
        let WorkingDay { date, provisional } =
            cal.nth_working_day_after(self.accepted_on, self.total_days(), |date| {
                self.excluded(date, today)
            });
        Deadline {
            date: held_through(&self.suspensions, date, today),
            provisional,
            suspended: self.is_suspended(today),
        }
    }

    /// Net working days used: counted from acceptance (exclusive) through `today`, less the
    /// suspended ones.
    pub fn used_days(&self, cal: &WorkCalendar, today: NaiveDate) -> u32 {
        cal.count_working_days(self.accepted_on, today, |date| self.excluded(date, today))
    }

    fn excluded(&self, date: NaiveDate, today: NaiveDate) -> bool {
        self.suspensions.iter().any(|s| s.excludes(date, today))
    }
}

/// The day something is due `working_days` after `start` (a bad rating's call-back within
/// [`DEFAULT_CALLBACK_DAYS`], its rectification within [`DEFAULT_RECTIFICATION_DAYS`]).
pub fn due_after(cal: &WorkCalendar, start: NaiveDate, working_days: u32) -> WorkingDay {
    cal.add_working_days(start, working_days)
}

#[cfg(test)]
mod tests {
    use super::super::work_calendar::day;
    use super::*;

    /// Accepted on Fri 2024-09-27, just before the 2024 National Day holiday, 20 working days.
    ///
    /// By hand (2024 arrangement: Sun 09-29 and Sat 10-12 worked, 10-01..07 off):
    /// 09-28 Sat off; 09-29 Sun = 1; 09-30 Mon = 2; 10-01..07 off; 10-08..11 Tue–Fri = 3..6;
    /// 10-12 Sat = 7; 10-13 Sun off; 10-14..18 = 8..12; 10-21..25 = 13..17; 10-28 = 18,
    /// 10-29 = 19, Wed 10-30 = 20. (The plain weekday rule would give Fri 10-25.)
    fn national_day_item() -> ItemClock {
        ItemClock {
            accepted_on: day("2024-09-27"),
            limit_days: 20,
            extension_days: 0,
            suspensions: vec![],
        }
    }

    #[test]
    fn twenty_days_across_national_day_2024() {
        let deadline = national_day_item().deadline(&WorkCalendar::china(), day("2024-09-27"));
        assert_eq!(
            deadline,
            Deadline {
                date: day("2024-10-30"),
                provisional: false,
                suspended: false
            }
        );
    }

    #[test]
    fn a_suspension_shifts_the_deadline_by_the_excluded_working_days() {
        let cal = WorkCalendar::china();
        let mut item = national_day_item();
        // Suspended Mon 10-14 (counts), resumed Fri 10-18: 10-15..18 excluded, 4 working days.
        item.suspensions.push(Suspension {
            from: day("2024-10-14"),
            until: Some(day("2024-10-18")),
        });
        // 10-30 + 4 working days: 10-31, 11-01, 11-04, 11-05.
        let deadline = item.deadline(&cal, day("2024-11-01"));
        assert_eq!(deadline.date, day("2024-11-05"));
        assert!(!deadline.suspended);
        // Through Fri 10-25: 10-14 was the 8th day, then 10-21..25 → 13, less nothing more.
        assert_eq!(item.used_days(&cal, day("2024-10-25")), 13);
        assert_eq!(
            cal.working_days_between(day("2024-09-27"), day("2024-10-25")),
            17
        );
    }

    #[test]
    fn a_suspension_still_open_runs_to_today() {
        let cal = WorkCalendar::china();
        let mut item = national_day_item();
        item.suspensions.push(Suspension {
            from: day("2024-10-14"),
            until: None,
        });
        // As of Wed 10-16: 10-15 and 10-16 excluded, so 10-30 + 2 = Fri 11-01.
        let deadline = item.deadline(&cal, day("2024-10-16"));
        assert_eq!(deadline.date, day("2024-11-01"));
        assert!(deadline.suspended);
        assert_eq!(item.used_days(&cal, day("2024-10-16")), 8);
        // As of the day of suspension nothing is excluded yet.
        assert_eq!(
            item.deadline(&cal, day("2024-10-14")).date,
            day("2024-10-30")
        );
        assert!(item.deadline(&cal, day("2024-10-14")).suspended);
    }

    #[test]
    fn an_extension_adds_working_days() {
        let mut item = national_day_item();
        item.extension_days = 5;
        // 10-30 + 5: 10-31, 11-01, 11-04, 11-05, 11-06.
        let deadline = item.deadline(&WorkCalendar::china(), day("2024-09-27"));
        assert_eq!(deadline.date, day("2024-11-06"));
    }

    #[test]
    fn a_deadline_in_an_unpublished_year_is_provisional_until_the_year_is_loaded() {
        let mut cal = WorkCalendar::china();
        let item = ItemClock {
            accepted_on: day("2027-11-15"),
            ..national_day_item()
        };
        let before = item.deadline(&cal, day("2027-11-15"));
        assert!(before.provisional);
        cal.extend_from_toml(include_str!("../../data/calendar-example.toml"))
            .expect("valid file");
        let after = item.deadline(&cal, day("2027-11-15"));
        assert!(!after.provisional);
        // Mon 2027-11-15 + 20 working days, no holidays: Mon 2027-12-13.
        assert_eq!(after.date, day("2027-12-13"));
        // Crossing into 2028, still unpublished, stays provisional.
        let late = ItemClock {
            accepted_on: day("2027-12-20"),
            ..item
        };
        assert!(late.deadline(&cal, day("2027-12-20")).provisional);
    }

    #[test]
    fn bad_rating_follow_up_is_due_in_working_days() {
        let cal = WorkCalendar::china();
        // Rated bad on Mon 2024-09-30: the next working day is Tue 10-08.
        let callback = due_after(&cal, day("2024-09-30"), DEFAULT_CALLBACK_DAYS);
        assert_eq!(callback.date, day("2024-10-08"));
        // 15 working days after Tue 10-08: 10-09..12 (4, Sat 12th worked), 10-14..18 (9),
        // 10-21..25 (14), Mon 10-28 (15).
        let rectified = due_after(&cal, callback.date, DEFAULT_RECTIFICATION_DAYS);
        assert_eq!(rectified.date, day("2024-10-28"));
    }
}
