//! The human case number `YYYY-NNNN` that stewards quote on the phone and print on paper, kept as
//! year and serial so that it sorts and increments as numbers, not as text.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::text::half_width;
use crate::error::ValueError;

const LENGTH: usize = 9;
const DIGITS: &str = "digits, as in YYYY-NNNN";
const HYPHEN: &str = "'-' between year and serial, as in YYYY-NNNN";

/// A case number such as `2023-0007`: year 2000–2099, serial 1–9999 within the year.
///
/// Ordered by year, then serial.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct CaseNumber {
    year: i32,
    serial: u32,
}

impl CaseNumber {
    /// The years case numbers are made for.
    pub const YEARS: std::ops::RangeInclusive<i32> = 2000..=2099;

    /// Checks that a case registered on `date` can be numbered (its year is one of
    /// [`Self::YEARS`]).
    pub fn covers(date: chrono::NaiveDate) -> Result<(), ValueError> {
        if Self::YEARS.contains(&chrono::Datelike::year(&date)) {
            Ok(())
        } else {
            Err(ValueError::Rule(format!(
                "{date} is outside the years {}–{} that case numbers cover",
                Self::YEARS.start(),
                Self::YEARS.end()
            )))
        }
    }

    /// Builds a case number from its parts, checking both ranges.
    pub fn new(year: i32, serial: u32) -> Result<Self, ValueError> {
        if !Self::YEARS.contains(&year) {
            return Err(ValueError::OutOfRange {
                min: 2000,
                max: 2099,
                actual: year.into(),
            });
        }
        if !(1..=9999).contains(&serial) {
            return Err(ValueError::OutOfRange {
                min: 1,
                max: 9999,
                actual: serial.into(),
            });
        }
        Ok(Self { year, serial })
    }

    /// Parses exactly `YYYY-NNNN` (serial zero-padded to 4 digits), after trimming and
    /// normalising full-width characters.
    pub fn parse(input: &str) -> Result<Self, ValueError> {
        let text = half_width(input).trim().to_owned();
        let chars: Vec<char> = text.chars().collect();
        if chars.is_empty() {
            return Err(ValueError::Empty);
        }
        if chars.len() != LENGTH {
            return Err(ValueError::WrongLength {
                expected: LENGTH,
                actual: chars.len(),
            });
        }
        let mut year = 0;
        let mut serial = 0;
        for (index, &found) in chars.iter().enumerate() {
            let position = index + 1;
            match (position, found.to_digit(10)) {
                (5, _) if found == '-' => {}
                (5, _) => {
                    return Err(ValueError::BadCharacter {
                        position,
                        found,
                        allowed: HYPHEN,
                    })
                }
                (1..=4, Some(d)) => year = year * 10 + d,
                (_, Some(d)) => serial = serial * 10 + d,
                (_, None) => {
                    return Err(ValueError::BadCharacter {
                        position,
                        found,
                        allowed: DIGITS,
                    })
                }
            }
        }
        // Four digits fit an i32 comfortably.
        Self::new(i32::try_from(year).unwrap_or(i32::MAX), serial)
    }

    /// The year the case was opened.
    pub fn year(&self) -> i32 {
        self.year
    }

    /// The serial within the year, 1–9999.
    pub fn serial(&self) -> u32 {
        self.serial
    }
}

impl fmt::Display for CaseNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:04}", self.year, self.serial)
    }
}

impl TryFrom<String> for CaseNumber {
    type Error = ValueError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<CaseNumber> for String {
    fn from(value: CaseNumber) -> Self {
        value.to_string()
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // a failing test should stop loudly
mod tests {
    use super::*;

    #[test]
    fn parses_and_displays_zero_padded() {
        let number = CaseNumber::parse("2023-0007").unwrap();
        assert_eq!((number.year(), number.serial()), (2023, 7));
        assert_eq!(number.to_string(), "2023-0007");
        assert_eq!(
            CaseNumber::new(2099, 9999).unwrap().to_string(),
            "2099-9999"
        );
    }

    #[test]
    fn normalises_spaces_and_full_width_characters() {
        assert_eq!(
            CaseNumber::parse(" ２０２３－０００７　"),
            CaseNumber::new(2023, 7)
        );
    }

    #[test]
    fn orders_by_year_then_serial() {
        let mut numbers: Vec<CaseNumber> = ["2024-0001", "2023-0010", "2023-0002"]
            .iter()
            .map(|s| CaseNumber::parse(s).unwrap())
            .collect();
        numbers.sort();
        let shown: Vec<String> = numbers.iter().map(ToString::to_string).collect();
        assert_eq!(shown, ["2023-0002", "2023-0010", "2024-0001"]);
    }

    #[test]
    fn reports_each_broken_rule() {
        assert_eq!(CaseNumber::parse(""), Err(ValueError::Empty));
        assert_eq!(
            CaseNumber::parse("2023-7"),
            Err(ValueError::WrongLength {
                expected: 9,
                actual: 6
            })
        );
        assert_eq!(
            CaseNumber::parse("2023/0007"),
            Err(ValueError::BadCharacter {
                position: 5,
                found: '/',
                allowed: HYPHEN
            })
        );
        assert_eq!(
            CaseNumber::parse("2023-00a7"),
            Err(ValueError::BadCharacter {
                position: 8,
                found: 'a',
                allowed: DIGITS
            })
        );
        assert_eq!(
            CaseNumber::parse("1999-0007"),
            Err(ValueError::OutOfRange {
                min: 2000,
                max: 2099,
                actual: 1999
            })
        );
        assert_eq!(
            CaseNumber::parse("2023-0000"),
            Err(ValueError::OutOfRange {
                min: 1,
                max: 9999,
                actual: 0
            })
        );
        assert_eq!(
            CaseNumber::new(2023, 10_000),
            Err(ValueError::OutOfRange {
                min: 1,
                max: 9999,
                actual: 10_000
            })
        );
        assert_eq!(
            CaseNumber::new(2100, 1),
            Err(ValueError::OutOfRange {
                min: 2000,
                max: 2099,
                actual: 2100
            })
        );
    }

    #[test]
    fn round_trips_through_json_as_a_string() {
        let number = CaseNumber::new(2023, 7).unwrap();
        let json = serde_json::to_string(&number).unwrap();
        assert_eq!(json, "\"2023-0007\"");
        assert_eq!(serde_json::from_str::<CaseNumber>(&json).unwrap(), number);
        assert!(serde_json::from_str::<CaseNumber>("\"2023-0000\"").is_err());
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(4096))]

        #[test]
        fn never_panics_and_round_trips_whatever_it_accepts(s in crate::values::strings_from("0123-９－ a中", 11)) {
            if let Ok(number) = CaseNumber::parse(&s) {
                proptest::prop_assert_eq!(CaseNumber::parse(&number.to_string()), Ok(number));
            }
        }
    }

    #[test]
    fn new_never_panics_on_any_year() {
        for year in 1990..2110 {
            let _ = CaseNumber::new(year, 1);
        }
    }
}
