//! A reporting period (统计期): a calendar month, quarter or year, the units in which a
//! division reports its figures and then closes them (封账). Written `2023`, `2023-Q4` or
//! `2023-05`, which is also how it is stored, so a period can key a map and still snapshot.

use std::fmt;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::error::ValueError;

/// A month, a quarter or a year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub enum Period {
    Year(i32),
    /// The year and the quarter, 1–4.
    Quarter(i32, u32),
    /// The year and the month, 1–12.
    Month(i32, u32),
}

const SHAPES: &str = "a period is written 2023, 2023-Q4 or 2023-05";

impl Period {
    /// Parses `2023`, `2023-Q4` (or `2023-q4`) or `2023-05`.
    pub fn parse(input: &str) -> Result<Self, ValueError> {
        let text = input.trim();
        if text.is_empty() {
            return Err(ValueError::Empty);
        }
        let bad = || ValueError::Rule(format!("{text:?}: {SHAPES}"));
        let (year, rest) = match text.split_once('-') {
            Some((year, rest)) => (year, Some(rest)),
            None => (text, None),
        };
        if year.len() != 4 || !year.chars().all(|c| c.is_ascii_digit()) {
            return Err(bad());
        }
        let year: i32 = year.parse().map_err(|_| bad())?;
        if !(1949..=9999).contains(&year) {
            return Err(ValueError::OutOfRange {
                min: 1949,
                max: 9999,
                actual: year.into(),
            });
        }
        let Some(rest) = rest else {
            return Ok(Self::Year(year));
        };
        let digits = |s: &str| -> Result<u32, ValueError> {
            if s.is_empty() || s.len() > 2 || !s.chars().all(|c| c.is_ascii_digit()) {
                return Err(bad());
            }
            s.parse().map_err(|_| bad())
        };
        if let Some(quarter) = rest.strip_prefix(['Q', 'q']) {
            let quarter = digits(quarter)?;
            if !(1..=4).contains(&quarter) {
                return Err(ValueError::OutOfRange {
                    min: 1,
                    max: 4,
                    actual: quarter.into(),
                });
            }
            return Ok(Self::Quarter(year, quarter));
        }
        if rest.len() != 2 {
            return Err(bad());
        }
        let month = digits(rest)?;
        if !(1..=12).contains(&month) {
            return Err(ValueError::OutOfRange {
                min: 1,
                max: 12,
                actual: month.into(),
            });
        }
        Ok(Self::Month(year, month))
    }

    /// The first day of the period.
    pub fn first_day(self) -> NaiveDate {
        let (year, month) = match self {
            Self::Year(year) => (year, 1),
            Self::Quarter(year, quarter) => (year, quarter * 3 - 2),
            Self::Month(year, month) => (year, month),
        };
        NaiveDate::from_ymd_opt(year, month, 1).unwrap_or(NaiveDate::MIN)
    }

    /// The last day of the period.
    pub fn last_day(self) -> NaiveDate {
        let months = match self {
            Self::Year(_) => 12,
            Self::Quarter(..) => 3,
            Self::Month(..) => 1,
        };
        self.first_day()
            .checked_add_months(chrono::Months::new(months))
            .and_then(|next| next.pred_opt())
            .unwrap_or(NaiveDate::MAX)
    }

    /// Whether `date` falls inside the period.
    pub fn contains(self, date: NaiveDate) -> bool {
        self.first_day() <= date && date <= self.last_day()
    }

    /// Whether every day of `other` falls inside this period.
    pub fn covers(self, other: Period) -> bool {
        self.first_day() <= other.first_day() && other.last_day() <= self.last_day()
    }

    /// The year of the period.
    pub fn year(self) -> i32 {
        self.first_day().year()
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Year(year) => write!(f, "{year}"),
            Self::Quarter(year, quarter) => write!(f, "{year}-Q{quarter}"),
            Self::Month(year, month) => write!(f, "{year}-{month:02}"),
        }
    }
}

impl TryFrom<String> for Period {
    type Error = ValueError;

    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<Period> for String {
    fn from(period: Period) -> Self {
        period.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("valid date")
    }

    #[test]
    fn the_three_shapes_parse_and_print_back() {
        for text in ["2023", "2023-Q4", "2023-05"] {
            let period = Period::parse(text).expect("parses");
            assert_eq!(period.to_string(), text);
        }
        assert_eq!(Period::parse(" 2024-q1 "), Ok(Period::Quarter(2024, 1)));
    }

    #[test]
    fn a_period_knows_its_days() {
        let q1 = Period::Quarter(2024, 1);
        assert_eq!(
            (q1.first_day(), q1.last_day()),
            (day(2024, 1, 1), day(2024, 3, 31))
        );
        let feb = Period::Month(2024, 2);
        assert_eq!(feb.last_day(), day(2024, 2, 29));
        assert!(Period::Year(2023).contains(day(2023, 12, 31)));
        assert!(!Period::Year(2023).contains(day(2024, 1, 1)));
        assert!(Period::Year(2023).covers(Period::Month(2023, 7)));
        assert!(!Period::Quarter(2023, 2).covers(Period::Month(2023, 7)));
    }

    #[test]
    fn malformed_periods_say_which_rule_they_break() {
        assert_eq!(Period::parse(""), Err(ValueError::Empty));
        assert_eq!(
            Period::parse("2023-Q5"),
            Err(ValueError::OutOfRange {
                min: 1,
                max: 4,
                actual: 5
            })
        );
        assert_eq!(
            Period::parse("2023-13"),
            Err(ValueError::OutOfRange {
                min: 1,
                max: 12,
                actual: 13
            })
        );
        assert!(matches!(Period::parse("23"), Err(ValueError::Rule(_))));
        assert!(matches!(Period::parse("2023-5"), Err(ValueError::Rule(_))));
        assert!(matches!(Period::parse("2023/05"), Err(ValueError::Rule(_))));
    }
}
