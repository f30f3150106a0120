//! The built-in arrangements 2004–2026, derived once from the pinned `chinese_holiday` dataset.
//!
//! The crate answers date by date and panics outside 2004-01-01..=2026-12-25, so it is asked
//! exactly once per supported date, here, and only the exceptions to the weekday rule are kept
//! (weekday holidays, weekend make-up days). The result is cached: tests and services build
//! calendars often, and cloning a few hundred dates is cheap.
//!
//! 2026-12-26..31 lie beyond the dataset. 2026 still counts as published (the State Council
//! notice for 2026 is out) and those days follow the weekday rule; should the 2027 notice put a
//! 调休 day there, load a file that replaces 2026 as a whole.

use std::collections::{BTreeMap, BTreeSet};
use std::ops::RangeInclusive;
use std::sync::OnceLock;

use chinese_holiday::{chinese_holiday, Ymd};
use chrono::{Datelike, NaiveDate};

use super::work_calendar::{is_weekday, WorkCalendar, YearArrangement};

/// The years whose arrangements are built in.
pub const BUILT_IN_YEARS: RangeInclusive<i32> = 2004..=2026;

/// The last date the `chinese_holiday` dataset answers for, as (month, day) of the last year.
const DATASET_LAST_DAY: (u32, u32) = (12, 25);

static CHINA: OnceLock<WorkCalendar> = OnceLock::new();

impl WorkCalendar {
    /// The mainland-China calendar with the built-in years ([`BUILT_IN_YEARS`]) published.
    pub fn china() -> Self {
        CHINA.get_or_init(build).clone()
    }
}

fn build() -> WorkCalendar {
    let mut years = BTreeMap::new();
    for year in BUILT_IN_YEARS {
        let mut arrangement = YearArrangement {
            source: format!(
                "国务院办公厅关于{year}年部分节假日安排的通知 (chinese_holiday 2026.0.1)"
            ),
            holidays: BTreeSet::new(),
            workdays: BTreeSet::new(),
        };
        for date in dates_of(year).filter(|date| in_dataset(*date)) {
            match (dataset_says_workday(date), is_weekday(date)) {
                (false, true) => arrangement.holidays.insert(date),
                (true, false) => arrangement.workdays.insert(date),
                _ => false,
            };
        }
        years.insert(year, arrangement);
    }
    WorkCalendar::from_years(years)
}

fn dates_of(year: i32) -> impl Iterator<Item = NaiveDate> {
    NaiveDate::from_ymd_opt(year, 1, 1)
        .into_iter()
        .flat_map(|first| first.iter_days())
        .take_while(move |date| date.year() == year)
}

fn in_dataset(date: NaiveDate) -> bool {
    BUILT_IN_YEARS.contains(&date.year())
        && (date.year() < *BUILT_IN_YEARS.end() || (date.month(), date.day()) <= DATASET_LAST_DAY)
}

/// Only called for dates where [`in_dataset`] holds, so the crate's range assertion never fires
/// and the narrowing casts are lossless.
fn dataset_says_workday(date: NaiveDate) -> bool {
    let ymd = Ymd::new(date.year() as u16, date.month() as u8, date.day() as u8);
    chinese_holiday(ymd).is_workday()
}

#[cfg(test)]
mod tests {
    use super::super::work_calendar::day;
    use super::*;

    #[test]
    fn agrees_with_the_dataset_on_every_supported_date() {
        let cal = WorkCalendar::china();
        let mut checked = 0;
        for date in BUILT_IN_YEARS.flat_map(dates_of).filter(|d| in_dataset(*d)) {
            assert_eq!(
                cal.is_working_day(date),
                dataset_says_workday(date),
                "{date}"
            );
            checked += 1;
        }
        // 2004-01-01 ..= 2026-12-25
        assert_eq!(checked, 8395);
    }

    #[test]
    fn known_days_2020_to_2026() {
        let cal = WorkCalendar::china();
        let working = [
            "2021-09-18", // Sat, Mid-Autumn 调休
            "2022-10-08", // Sat, National Day 调休
            "2023-04-23", // Sun, Labour Day 调休
            "2024-02-04", // Sun, Spring Festival 调休
            "2024-10-12", // Sat, National Day 调休
            "2025-01-26", // Sun, Spring Festival 调休
            "2026-02-14", // Sat, Spring Festival 调休
            "2025-03-12", // a plain Wednesday
        ];
        for date in working {
            assert!(
                cal.is_working_day(day(date)),
                "{date} should be a working day"
            );
        }
        let off = [
            "2020-01-31", // Fri, Spring Festival extended (COVID-19)
            "2023-06-22", // Thu, Dragon Boat Festival
            "2025-01-28", // Tue, Spring Festival's Eve
            "2026-10-01", // Thu, National Day
            "2025-03-15", // a plain Saturday
        ];
        for date in off {
            assert!(!cal.is_working_day(day(date)), "{date} should be a day off");
        }
        for date in day("2024-10-01").iter_days().take(7) {
            assert!(!cal.is_working_day(date), "{date} is National Day 2024");
        }
    }

    #[test]
    fn built_in_years_are_published_and_others_not() {
        let cal = WorkCalendar::china();
        assert_eq!(cal.published_years(), BUILT_IN_YEARS.collect::<Vec<_>>());
        assert!(!cal.is_published(2003));
        assert!(!cal.is_published(2027));
        assert!(cal.source(2024).is_some_and(|s| s.contains("2024年")));
        assert_eq!(cal.source(2027), None);
    }

    #[test]
    fn the_end_of_2026_beyond_the_dataset_follows_the_weekday_rule() {
        let cal = WorkCalendar::china();
        assert!(cal.is_published(2026));
        for date in day("2026-12-26").iter_days().take(6) {
            assert_eq!(cal.is_working_day(date), is_weekday(date), "{date}");
        }
        assert!(!cal.add_working_days(day("2026-12-24"), 4).provisional);
    }

    #[test]
    fn weekend_days_outside_any_arrangement_are_off() {
        let cal = WorkCalendar::china();
        assert!(!cal.is_working_day(day("2003-12-27")));
        assert!(cal.is_working_day(day("2003-12-29")));
    }
}
