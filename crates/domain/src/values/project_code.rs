//! The investment project code (投资项目统一代码, GB/T 40058-2021) that ties a case to the project
//! registered on the national online approval platform, checked so that one project is not filed
//! under two spellings.
//!
//! Format choice: domain.md calls the code "24-digit", but the platform prints it as
//! `YYYY-DDDDDD-II-TT-NNNNNN` — 24 *characters*: year, 6-digit division, 2-digit industry,
//! 2-digit type, 6-digit serial, joined by hyphens (20 digits). Users paste it with or without the
//! hyphens, so both are accepted and stored in the dashed form. Because older records in the
//! source systems hold 24 plain digits, that form is accepted too and stored as given (we do not
//! know its internal layout beyond the leading year).

use std::fmt;

use serde::{Deserialize, Serialize};

use super::text::half_width;
use crate::error::ValueError;

/// Character positions (1-based) of the hyphens in the dashed form.
const HYPHENS: [usize; 4] = [5, 12, 15, 18];
const DASHED_LENGTH: usize = 24;
const DIGITS: &str = "digits";
const DASHED_ALLOWED: &str = "digits, with '-' only in YYYY-DDDDDD-II-TT-NNNNNN";
const HYPHEN_ALLOWED: &str = "'-' separating YYYY-DDDDDD-II-TT-NNNNNN";

/// A checked investment project code.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct ProjectCode(String);

impl ProjectCode {
    /// Parses `YYYY-DDDDDD-II-TT-NNNNNN`, the same 20 digits without hyphens, or 24 plain digits,
    /// after trimming and normalising full-width characters. The year must be 2000–2099.
    pub fn parse(input: &str) -> Result<Self, ValueError> {
        let text = half_width(input).trim().to_owned();
        let chars: Vec<char> = text.chars().collect();
        if chars.is_empty() {
            return Err(ValueError::Empty);
        }
        let code = if chars.contains(&'-') {
            dashed(&chars)?
        } else {
            undashed(&chars)?
        };
        let year = year_of(&code);
        if !(2000..=2099).contains(&year) {
            return Err(ValueError::OutOfRange {
                min: 2000,
                max: 2099,
                actual: year.into(),
            });
        }
        Ok(Self(code))
    }

    /// The canonical code: dashed, or 24 plain digits as given.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The year the project was registered (the first four digits).
    pub fn year(&self) -> i32 {
        year_of(&self.0)
    }
}

fn dashed(chars: &[char]) -> Result<String, ValueError> {
    if chars.len() != DASHED_LENGTH {
        return Err(ValueError::WrongLength {
            expected: DASHED_LENGTH,
            actual: chars.len(),
        });
    }
    for (index, &found) in chars.iter().enumerate() {
        let position = index + 1;
        let allowed = if HYPHENS.contains(&position) {
            (found != '-').then_some(HYPHEN_ALLOWED)
        } else {
            (!found.is_ascii_digit()).then_some(DASHED_ALLOWED)
        };
        if let Some(allowed) = allowed {
            return Err(ValueError::BadCharacter {
                position,
                found,
                allowed,
            });
        }
    }
    Ok(chars.iter().collect())
}

fn undashed(chars: &[char]) -> Result<String, ValueError> {
    if let Some((index, &found)) = chars.iter().enumerate().find(|(_, c)| !c.is_ascii_digit()) {
        return Err(ValueError::BadCharacter {
            position: index + 1,
            found,
            allowed: DIGITS,
        });
    }
    match chars.len() {
        20 => {
            let mut code = String::with_capacity(DASHED_LENGTH);
            for (index, &c) in chars.iter().enumerate() {
                // Digit index i becomes character position i + 1 + (hyphens before it).
                if [4, 10, 12, 14].contains(&index) {
                    code.push('-');
                }
                code.push(c);
            }
            Ok(code)
        }
        24 => Ok(chars.iter().collect()),
        n => Err(ValueError::Rule(format!(
            "a project code is YYYY-DDDDDD-II-TT-NNNNNN, 20 digits without hyphens or 24 digits; got {n} digits"
        ))),
    }
}

/// The first four digits as a year; the code is ASCII digits there once checked.
fn year_of(code: &str) -> i32 {
    code.bytes()
        .take(4)
        .fold(0, |acc, b| acc * 10 + i32::from(b.wrapping_sub(b'0') % 10))
}

impl fmt::Display for ProjectCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for ProjectCode {
    type Error = ValueError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<ProjectCode> for String {
    fn from(value: ProjectCode) -> Self {
        value.0
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // a failing test should stop loudly
mod tests {
    use super::*;

    const DASHED: &str = "2023-610902-48-01-012345";

    #[test]
    fn accepts_the_dashed_form() {
        let code = ProjectCode::parse(DASHED).unwrap();
        assert_eq!((code.as_str(), code.year()), (DASHED, 2023));
        assert_eq!(code.to_string(), DASHED);
    }

    #[test]
    fn stores_twenty_digits_in_the_dashed_form() {
        assert_eq!(
            ProjectCode::parse("20236109024801012345").unwrap().as_str(),
            DASHED
        );
    }

    #[test]
    fn keeps_twenty_four_plain_digits_as_given() {
        let code = ProjectCode::parse("202161090248010123456789").unwrap();
        assert_eq!(
            (code.as_str(), code.year()),
            ("202161090248010123456789", 2021)
        );
    }

    #[test]
    fn normalises_spaces_and_full_width_characters() {
        let code =
            ProjectCode::parse(" ２０２３－６１０９０２－４８－０１－０１２３４５　").unwrap();
        assert_eq!(code.as_str(), DASHED);
    }

    #[test]
    fn reports_each_broken_rule() {
        assert_eq!(ProjectCode::parse("  "), Err(ValueError::Empty));
        assert_eq!(
            ProjectCode::parse("2023-610902-48-01-01234"),
            Err(ValueError::WrongLength {
                expected: 24,
                actual: 23
            })
        );
        assert_eq!(
            ProjectCode::parse("2023-610902-4801-012345-"),
            Err(ValueError::BadCharacter {
                position: 15,
                found: '0',
                allowed: HYPHEN_ALLOWED
            })
        );
        assert_eq!(
            ProjectCode::parse("2023-610902-48-0A-012345"),
            Err(ValueError::BadCharacter {
                position: 17,
                found: 'A',
                allowed: DASHED_ALLOWED
            })
        );
        assert_eq!(
            ProjectCode::parse("2023610902480101234X"),
            Err(ValueError::BadCharacter {
                position: 20,
                found: 'X',
                allowed: DIGITS
            })
        );
        assert!(matches!(
            ProjectCode::parse("2023610902480101234"),
            Err(ValueError::Rule(message)) if message.ends_with("got 19 digits")
        ));
        assert_eq!(
            ProjectCode::parse("1999-610902-48-01-012345"),
            Err(ValueError::OutOfRange {
                min: 2000,
                max: 2099,
                actual: 1999
            })
        );
        assert_eq!(
            ProjectCode::parse("210061090248010123456789"),
            Err(ValueError::OutOfRange {
                min: 2000,
                max: 2099,
                actual: 2100
            })
        );
    }

    #[test]
    fn round_trips_through_json_as_a_string() {
        let code = ProjectCode::parse("20236109024801012345").unwrap();
        let json = serde_json::to_string(&code).unwrap();
        assert_eq!(json, format!("\"{DASHED}\""));
        assert_eq!(serde_json::from_str::<ProjectCode>(&json).unwrap(), code);
        assert!(serde_json::from_str::<ProjectCode>("\"1999-610902-48-01-012345\"").is_err());
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(4096))]

        #[test]
        fn never_panics_on_arbitrary_input(s in crate::values::strings_from("0000122--９－ x中\u{3000}", 25)) {
            if let Ok(code) = ProjectCode::parse(&s) {
                proptest::prop_assert!((2000..=2099).contains(&code.year()));
            }
        }
    }
}
