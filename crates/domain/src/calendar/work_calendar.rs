//! The working-day calendar: which dates are working days in mainland China, and counting them.
//!
//! A plain Monday–Friday rule is wrong in China: public holidays take weekdays off and 调休
//! make-up days put weekends to work. So a year whose State Council arrangement is known
//! (*published*) records those exceptions; a year not yet published falls back to the weekday
//! rule, and anything counted across it is marked *provisional*, because the arrangement
//! published each November may still move it.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{Datelike, NaiveDate, Weekday};
use serde::{Deserialize, Serialize};

/// The arrangement of one published year: its exceptions to the weekday rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(super) struct YearArrangement {
    /// Where the arrangement comes from (the title of the State Council notice).
    pub(super) source: String,
    /// Days off. Weekend days of a holiday may be listed too; they change nothing.
    pub(super) holidays: BTreeSet<NaiveDate>,
    /// Weekend days worked (调休).
    pub(super) workdays: BTreeSet<NaiveDate>,
}

/// Which dates are working days in mainland China, year by year.
///
/// Start from [`WorkCalendar::china`] (built-in years) and add later years with
/// [`WorkCalendar::extend_from_toml`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkCalendar {
    years: BTreeMap<i32, YearArrangement>,
}

/// A working day reached by counting, and whether the count crossed an unpublished year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkingDay {
    /// The working day reached.
    pub date: NaiveDate,
    /// True when a day counted lies in an unpublished year: the date may still move.
    pub provisional: bool,
}

impl WorkCalendar {
    pub(super) fn from_years(years: BTreeMap<i32, YearArrangement>) -> Self {
        Self { years }
    }

    /// Adds or replaces whole years (a replaced year keeps nothing of its old arrangement).
    pub(super) fn replace_years(
        &mut self,
        years: impl IntoIterator<Item = (i32, YearArrangement)>,
    ) {
        self.years.extend(years);
    }

    /// Whether `date` is a working day. Dates in unpublished years follow the weekday rule.
    pub fn is_working_day(&self, date: NaiveDate) -> bool {
        match self.years.get(&date.year()) {
            Some(year) if year.workdays.contains(&date) => true,
            Some(year) if year.holidays.contains(&date) => false,
            _ => is_weekday(date),
        }
    }

    /// Whether the holiday arrangement of `year` is known.
    pub fn is_published(&self, year: i32) -> bool {
        self.years.contains_key(&year)
    }

    /// The published years, in order.
    pub fn published_years(&self) -> Vec<i32> {
        self.years.keys().copied().collect()
    }

    /// Where the arrangement of `year` comes from, if it is published.
    pub fn source(&self, year: i32) -> Option<&str> {
        self.years.get(&year).map(|year| year.source.as_str())
    }

    /// The `n`-th working day strictly after `start` (`n = 0` gives `start` itself).
    ///
    /// Provisional when a day counted lies in an unpublished year.
    pub fn add_working_days(&self, start: NaiveDate, n: u32) -> WorkingDay {
        self.nth_working_day_after(start, n, |_| false)
    }

    /// The number of working days `d` with `after < d <= through` (0 if `through <= after`).
    pub fn working_days_between(&self, after: NaiveDate, through: NaiveDate) -> u32 {
        self.count_working_days(after, through, |_| false)
    }

    /// As [`Self::add_working_days`], but days for which `excluded` holds are not counted
    /// (nor can they make the result provisional: whether they are working days is moot).
    pub(super) fn nth_working_day_after(
        &self,
        start: NaiveDate,
        n: u32,
        excluded: impl Fn(NaiveDate) -> bool,
    ) -> WorkingDay {
        let mut date = start;
        let mut provisional = false;
        let mut counted = 0;
        while counted < n {
            let Some(next) = date.succ_opt() else {
                // The end of chrono's range (year 262143): stop there rather than panic.
                return WorkingDay {
                    date,
                    provisional: true,
                };
            };
            date = next;
            if excluded(date) {
                continue;
            }
            provisional |= !self.is_published(date.year());
            if self.is_working_day(date) {
                counted += 1;
            }
        }
        WorkingDay { date, provisional }
    }

    /// As [`Self::working_days_between`], but days for which `excluded` holds are not counted.
    pub(super) fn count_working_days(
        &self,
        after: NaiveDate,
        through: NaiveDate,
        excluded: impl Fn(NaiveDate) -> bool,
    ) -> u32 {
        let days = after
            .iter_days()
            .skip(1)
            .take_while(|date| *date <= through);
        let count = days
            .filter(|date| !excluded(*date) && self.is_working_day(*date))
            .count();
        u32::try_from(count).unwrap_or(u32::MAX)
    }
}

/// The plain rule: Monday to Friday.
pub(super) fn is_weekday(date: NaiveDate) -> bool {
    !matches!(date.weekday(), Weekday::Sat | Weekday::Sun)
}

#[cfg(test)]
pub(super) fn day(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").expect("test dates are valid")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zero_days_is_the_start_itself_even_on_a_holiday() {
        let cal = WorkCalendar::china();
        let start = day("2024-10-03");
        assert_eq!(
            cal.add_working_days(start, 0),
            WorkingDay {
                date: start,
                provisional: false
            }
        );
    }

    #[test]
    fn counting_skips_holidays_and_counts_make_up_days() {
        let cal = WorkCalendar::china();
        // Fri 2024-09-27 → Sun 09-29 (调休, 1), Mon 09-30 (2), 10-01..07 off, Tue 10-08 (3).
        assert_eq!(
            cal.add_working_days(day("2024-09-27"), 1).date,
            day("2024-09-29")
        );
        assert_eq!(
            cal.add_working_days(day("2024-09-27"), 3).date,
            day("2024-10-08")
        );
        assert!(!cal.add_working_days(day("2024-09-27"), 3).provisional);
    }

    #[test]
    fn days_between_is_exclusive_of_the_start_and_inclusive_of_the_end() {
        let cal = WorkCalendar::china();
        assert_eq!(
            cal.working_days_between(day("2024-09-27"), day("2024-10-08")),
            3
        );
        assert_eq!(
            cal.working_days_between(day("2024-09-30"), day("2024-10-07")),
            0
        );
        assert_eq!(
            cal.working_days_between(day("2024-10-08"), day("2024-10-08")),
            0
        );
        assert_eq!(
            cal.working_days_between(day("2024-10-09"), day("2024-10-08")),
            0
        );
        // Mon 2024-11-04 through Fri 11-08, no holidays: the Monday is excluded.
        assert_eq!(
            cal.working_days_between(day("2024-11-04"), day("2024-11-08")),
            4
        );
    }

    #[test]
    fn counting_into_an_unpublished_year_is_provisional() {
        let cal = WorkCalendar::china();
        // 2026 is published, 2027 is not: Thu 2026-12-31 + 1 = Fri 2027-01-01 by the weekday rule.
        let reached = cal.add_working_days(day("2026-12-30"), 2);
        assert_eq!(reached.date, day("2027-01-01"));
        assert!(reached.provisional);
        assert!(!cal.add_working_days(day("2026-12-29"), 2).provisional);
    }

    #[test]
    fn add_and_between_agree() {
        let cal = WorkCalendar::china();
        let start = day("2025-01-20");
        for n in 0..60 {
            let reached = cal.add_working_days(start, n).date;
            assert_eq!(cal.working_days_between(start, reached), n, "n = {n}");
        }
    }
}
