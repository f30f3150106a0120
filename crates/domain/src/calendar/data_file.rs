//! Loading holiday arrangements from a TOML data file, so that next year's arrangement
//! (published by the State Council each November) is loaded without a rebuild.
//!
//! The format (see `crates/domain/data/calendar-example.toml`):
//!
//! ```toml
//! [[year]]
//! year = 2027
//! source = "国务院办公厅关于2027年部分节假日安排的通知"
//! holidays = ["2027-01-01", "2027-02-05"]  # days off; weekend days of a holiday may be listed
//! workdays = ["2027-02-20"]                # 调休: weekend days worked (may be omitted)
//! ```
//!
//! Each `[[year]]` adds that year or replaces it *as a whole*. A date belongs to the entry of its
//! own calendar year: when a notice puts a 调休 day in late December of the year before, that
//! year's entry must be given again with the day added. Dates are `"YYYY-MM-DD"` strings (bare
//! TOML dates are accepted too). The file is checked entirely before anything changes: one bad
//! entry and the calendar is left as it was.

use std::collections::BTreeSet;
use std::ops::RangeInclusive;

use chrono::{Datelike, NaiveDate};
use serde::Deserialize;

use super::work_calendar::{is_weekday, WorkCalendar, YearArrangement};
use crate::error::{DomainError, ValueError};

/// Years a data file may define: a guard against typos such as `year = 207`.
const YEARS: RangeInclusive<i32> = 2000..=2100;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CalendarFile {
    #[serde(default)]
    year: Vec<YearEntry>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct YearEntry {
    year: i32,
    source: String,
    holidays: Vec<toml::Value>,
    #[serde(default)]
    workdays: Vec<toml::Value>,
}

#[derive(Clone, Copy)]
enum List {
    Holidays,
    Workdays,
}

impl WorkCalendar {
    /// Adds or replaces the years defined in a TOML data file (format in the module docs).
    ///
    /// Fails with [`DomainError::Invalid`] (field `calendar`) naming the year, the entry and the
    /// rule broken; nothing is changed then.
    pub fn extend_from_toml(&mut self, text: &str) -> Result<(), DomainError> {
        let file: CalendarFile = toml::from_str(text).map_err(|error| {
            let line = error
                .span()
                .and_then(|span| text.get(..span.start))
                .map_or(0, |before| before.matches('\n').count() + 1);
            rule(format!("line {line}: {}", error.message().trim()))
        })?;
        if file.year.is_empty() {
            return Err(rule("the file defines no [[year]] table".to_owned()));
        }
        let mut seen = BTreeSet::new();
        let mut years = Vec::with_capacity(file.year.len());
        for entry in file.year {
            if !seen.insert(entry.year) {
                return Err(rule(format!(
                    "year {}: defined twice in the file",
                    entry.year
                )));
            }
            years.push((entry.year, arrangement(entry)?));
        }
        self.replace_years(years);
        Ok(())
    }
}

fn arrangement(entry: YearEntry) -> Result<YearArrangement, DomainError> {
    let year = entry.year;
    if !YEARS.contains(&year) {
        return Err(rule(format!(
            "year {year}: must be between {} and {}",
            YEARS.start(),
            YEARS.end()
        )));
    }
    let source = entry.source.trim();
    if source.is_empty() {
        return Err(rule(format!("year {year}: source must name the notice")));
    }
    if entry.holidays.is_empty() {
        return Err(rule(format!("year {year}: holidays must not be empty")));
    }
    let holidays = dates(year, List::Holidays, &entry.holidays)?;
    let workdays = dates(year, List::Workdays, &entry.workdays)?;
    if let Some(date) = holidays.intersection(&workdays).next() {
        return Err(rule(format!(
            "year {year}: {date} is listed both in holidays and in workdays"
        )));
    }
    Ok(YearArrangement {
        source: source.to_owned(),
        holidays,
        workdays,
    })
}

fn dates(
    year: i32,
    list: List,
    values: &[toml::Value],
) -> Result<BTreeSet<NaiveDate>, DomainError> {
    let name = match list {
        List::Holidays => "holidays",
        List::Workdays => "workdays",
    };
    let mut dates = BTreeSet::new();
    for (index, value) in values.iter().enumerate() {
        let at = format!("year {year}, {name}[{index}]");
        let Some(date) = parse_date(value) else {
            return Err(rule(format!(
                "{at}: {} is not a date (expected \"YYYY-MM-DD\")",
                describe(value)
            )));
        };
        if date.year() != year {
            return Err(rule(format!("{at}: {date} is not in {year}")));
        }
        if matches!(list, List::Workdays) && is_weekday(date) {
            return Err(rule(format!(
                "{at}: {date} is a {}, but a make-up working day must be a Saturday or Sunday",
                date.format("%A")
            )));
        }
        if !dates.insert(date) {
            return Err(rule(format!("{at}: {date} is listed twice")));
        }
    }
    Ok(dates)
}

fn parse_date(value: &toml::Value) -> Option<NaiveDate> {
    match value {
        toml::Value::String(text) => NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").ok(),
        toml::Value::Datetime(datetime) if datetime.time.is_none() => {
            let date = datetime.date?;
            NaiveDate::from_ymd_opt(date.year.into(), date.month.into(), date.day.into())
        }
        _ => None,
    }
}

/// The value as written (a TOML date-time's own `Display` shows serde internals).
fn describe(value: &toml::Value) -> String {
    match value {
        toml::Value::Datetime(datetime) => datetime.to_string(),
        other => other.to_string(),
    }
}

fn rule(message: String) -> DomainError {
    DomainError::invalid("calendar", ValueError::Rule(message))
}

#[cfg(test)]
mod tests {
    use super::super::work_calendar::day;
    use super::*;

    const Y2027: &str = r#"
        [[year]]
        year = 2027
        source = "国务院办公厅关于2027年部分节假日安排的通知"
        holidays = ["2027-01-01", "2027-01-02", 2027-01-03, "2027-10-01", "2027-10-07"]
        workdays = ["2027-09-26", "2027-10-09"]
    "#;

    fn error_of(text: &str) -> String {
        let mut cal = WorkCalendar::china();
        let error = cal.extend_from_toml(text).expect_err("the file is bad");
        assert_eq!(cal, WorkCalendar::china(), "a bad file must change nothing");
        error.to_string()
    }

    fn entry(holidays: &str, workdays: &str) -> String {
        format!("[[year]]\nyear = 2027\nsource = \"通知\"\nholidays = {holidays}\nworkdays = {workdays}\n")
    }

    #[test]
    fn a_file_publishes_a_new_year() {
        let mut cal = WorkCalendar::china();
        cal.extend_from_toml(Y2027).expect("valid file");
        assert!(cal.is_published(2027));
        assert!(cal.source(2027).is_some_and(|s| s.contains("2027年")));
        assert!(!cal.is_working_day(day("2027-10-01"))); // Fri, National Day
        assert!(cal.is_working_day(day("2027-10-09"))); // Sat, 调休
        assert!(cal.is_working_day(day("2027-10-08"))); // a Friday not listed
        assert!(!cal.is_working_day(day("2027-10-16"))); // a Saturday not listed
    }

    #[test]
    fn a_file_replaces_a_year_as_a_whole() {
        let mut cal = WorkCalendar::china();
        cal.extend_from_toml(
            "[[year]]\nyear = 2024\nsource = \"更正\"\nholidays = [\"2024-10-08\"]",
        )
        .expect("valid file");
        assert_eq!(cal.source(2024), Some("更正"));
        assert!(!cal.is_working_day(day("2024-10-08")));
        assert!(cal.is_working_day(day("2024-10-01"))); // the old holidays are gone
        assert!(!cal.is_working_day(day("2024-10-12"))); // and so are the old 调休 days
        assert!(!cal.is_working_day(day("2023-10-02"))); // other years are untouched
    }

    #[test]
    fn the_shipped_example_file_loads() {
        let mut cal = WorkCalendar::china();
        cal.extend_from_toml(include_str!("../../data/calendar-example.toml"))
            .expect("the example file is valid");
        assert!(cal.is_published(2027));
    }

    #[test]
    fn each_rule_is_named_in_the_error() {
        let jan1 = r#"["2027-01-01"]"#;
        let cases = [
            (
                entry(jan1, r#"["2026-12-26"]"#),
                ", workdays[0]: 2026-12-26 is not in 2027",
            ),
            (
                entry(r#"["2027-01-01", "2027-02-30"]"#, "[]"),
                r#", holidays[1]: "2027-02-30" is not a date (expected "YYYY-MM-DD")"#,
            ),
            (
                entry(r#"["2027-01-01", "2027-10-09"]"#, r#"["2027-10-09"]"#),
                ": 2027-10-09 is listed both in holidays and in workdays",
            ),
            (
                entry(jan1, r#"["2027-10-09", "2027-10-08"]"#),
                ", workdays[1]: 2027-10-08 is a Friday, but a make-up working day must be a \
                 Saturday or Sunday",
            ),
            (
                entry(r#"["2027-01-01", "2027-01-01"]"#, "[]"),
                ", holidays[1]: 2027-01-01 is listed twice",
            ),
            (entry("[]", "[]"), ": holidays must not be empty"),
            (entry(jan1, "[]").repeat(2), ": defined twice in the file"),
            (
                entry(jan1, "[]").replace("通知", " "),
                ": source must name the notice",
            ),
        ];
        for (text, expected) in cases {
            assert_eq!(
                error_of(&text),
                format!("calendar: year 2027{expected}"),
                "{text}"
            );
        }
        assert_eq!(
            error_of(&entry(jan1, "[]").replace("2027", "207")),
            "calendar: year 207: must be between 2000 and 2100"
        );
    }

    #[test]
    fn unknown_keys_and_bad_syntax_are_reported_with_their_line() {
        let unknown = error_of("[[year]]\nyear = 2027\nsource = \"x\"\nholiday = []\n");
        assert!(unknown.starts_with("calendar: line 4: unknown field `holiday`"));
        let syntax = error_of("[[year]]\nyear = 2027\nsource = \"x\nholidays = []\n");
        assert!(syntax.starts_with("calendar: line 3: "), "{syntax}");
        let missing = error_of("[[year]]\nyear = 2027\nholidays = [\"2027-01-01\"]\n");
        assert!(missing.contains("missing field `source`"), "{missing}");
        assert_eq!(error_of(""), "calendar: the file defines no [[year]] table");
        let time =
            error_of("[[year]]\nyear = 2027\nsource = \"x\"\nholidays = [2027-01-01T08:00:00]");
        assert!(time.ends_with("2027-01-01T08:00:00 is not a date (expected \"YYYY-MM-DD\")"));
    }

    #[test]
    fn a_bad_entry_after_good_ones_changes_nothing() {
        let text =
            format!("{Y2027}\n[[year]]\nyear = 2028\nsource = \"x\"\nholidays = [\"2027-12-31\"]");
        assert_eq!(
            error_of(&text),
            "calendar: year 2028, holidays[0]: 2027-12-31 is not in 2028"
        );
    }
}
