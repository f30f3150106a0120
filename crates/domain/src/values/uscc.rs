//! The 统一社会信用代码 (USCC, GB 32100-2015) that identifies every enterprise a case is about, so
//! that a mistyped code is caught at the door instead of splitting one enterprise's file in two.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::text::half_width;
use crate::error::ValueError;

/// The 31 characters of GB 32100-2015, in value order (0–30): no I, O, S, V, Z.
const ALPHABET: &str = "0123456789ABCDEFGHJKLMNPQRTUWXY";
const ALLOWED: &str = "GB 32100-2015 characters: digits and A-Z except I, O, S, V, Z";
const DIVISION_ALLOWED: &str =
    "digits: positions 3-8 are the registering authority's division code";
const LENGTH: usize = 18;

/// A 统一社会信用代码 that passed the GB 32100-2015 character and checksum rules.
///
/// The department code (position 1) and the division code (positions 3–8) are deliberately not
/// checked against lists: village collectives use `N`, and the registering authority's division
/// code may be one that has since been abolished.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Uscc(String);

impl Uscc {
    /// Parses a USCC after trimming and normalising full-width characters and lower case.
    pub fn parse(input: &str) -> Result<Self, ValueError> {
        let code = normalise(input);
        let chars = checked_chars(&code, LENGTH)?;
        let (body, check) = chars.split_at(LENGTH - 1);
        let expected = check_character(body);
        match check.first() {
            Some(&found) if found != expected => {
                Err(ValueError::BadCheckCharacter { expected, found })
            }
            _ => Ok(Self(code)),
        }
    }

    /// Builds a valid USCC from its first 17 characters by appending the check character
    /// (for demo data and tests).
    pub fn with_check_character(first17: &str) -> Result<Self, ValueError> {
        let mut code = normalise(first17);
        let body = checked_chars(&code, LENGTH - 1)?;
        code.push(check_character(&body));
        Ok(Self(code))
    }

    /// The code, upper case ASCII, 18 characters.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Positions 3–8: the division code of the registering authority (possibly historical).
    pub fn registering_division(&self) -> &str {
        // Only ASCII characters get past `parse`, so byte offsets are character offsets.
        self.0.get(2..8).unwrap_or_default()
    }
}

fn normalise(input: &str) -> String {
    half_width(input).trim().to_ascii_uppercase()
}

/// Checks the length and the characters of positions 1–17; returns the characters.
///
/// Position 18 is left to the checksum comparison: "check character is 'Z' but the checksum gives
/// '3'" helps more than "'Z' is not allowed".
fn checked_chars(code: &str, expected: usize) -> Result<Vec<char>, ValueError> {
    let chars: Vec<char> = code.chars().collect();
    if chars.is_empty() {
        return Err(ValueError::Empty);
    }
    if chars.len() != expected {
        return Err(ValueError::WrongLength {
            expected,
            actual: chars.len(),
        });
    }
    for (index, &found) in chars.iter().enumerate().take(LENGTH - 1) {
        let position = index + 1;
        if (3..=8).contains(&position) {
            if !found.is_ascii_digit() {
                return Err(ValueError::BadCharacter {
                    position,
                    found,
                    allowed: DIVISION_ALLOWED,
                });
            }
        } else if value_of(found).is_none() {
            return Err(ValueError::BadCharacter {
                position,
                found,
                allowed: ALLOWED,
            });
        }
    }
    Ok(chars)
}

fn value_of(c: char) -> Option<u32> {
    ALPHABET.find(c).and_then(|i| u32::try_from(i).ok())
}

/// C18 = (31 − Σ Ci·Wi mod 31) mod 31 with Wi = 3^(i−1) mod 31. `body` holds checked characters.
fn check_character(body: &[char]) -> char {
    let mut weight = 1;
    let mut sum = 0;
    for &c in body {
        sum += value_of(c).unwrap_or(0) * weight;
        weight = weight * 3 % 31;
    }
    let value = (31 - sum % 31) % 31;
    ALPHABET.chars().nth(value as usize).unwrap_or('0')
}

impl fmt::Display for Uscc {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for Uscc {
    type Error = ValueError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<Uscc> for String {
    fn from(value: Uscc) -> Self {
        value.0
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // a failing test should stop loudly
mod tests {
    use super::*;

    fn bad(position: usize, found: char, allowed: &'static str) -> Result<Uscc, ValueError> {
        Err(ValueError::BadCharacter {
            position,
            found,
            allowed,
        })
    }

    #[test]
    fn accepts_the_published_examples() {
        let uscc = Uscc::parse("91350100M000100Y43").unwrap();
        assert_eq!(
            (uscc.as_str(), uscc.registering_division()),
            ("91350100M000100Y43", "350100")
        );
        assert_eq!(
            Uscc::parse("9144030071526726XG").unwrap().to_string(),
            "9144030071526726XG"
        );
    }

    #[test]
    fn rejects_a_wrong_check_character_and_names_the_right_one() {
        let wrong = |found| {
            Err(ValueError::BadCheckCharacter {
                expected: '3',
                found,
            })
        };
        assert_eq!(Uscc::parse("91350100M000100Y4Z"), wrong('Z'));
        assert_eq!(Uscc::parse("91350100M000100Y4中"), wrong('中'));
    }

    #[test]
    fn normalises_case_spaces_and_full_width() {
        let uscc = Uscc::parse("  ９１３５０１００ｍ０００１００ｙ４３　").unwrap();
        assert_eq!(uscc.as_str(), "91350100M000100Y43");
        let lower = Uscc::parse("9144030071526726xg").unwrap();
        assert_eq!(lower.as_str(), "9144030071526726XG");
    }

    #[test]
    fn reports_length_and_emptiness() {
        let wrong_length = |actual| {
            Err(ValueError::WrongLength {
                expected: 18,
                actual,
            })
        };
        assert_eq!(Uscc::parse("   "), Err(ValueError::Empty));
        assert_eq!(Uscc::parse("91350100M000100Y4"), wrong_length(17));
        assert_eq!(Uscc::parse("91350100M000100Y433"), wrong_length(19));
        let short_body = Err(ValueError::WrongLength {
            expected: 17,
            actual: 3,
        });
        assert_eq!(Uscc::with_check_character("913"), short_body);
    }

    #[test]
    fn rejects_bad_characters_with_their_position_and_alphabet() {
        assert_eq!(Uscc::parse("91350100O000100Y43"), bad(9, 'O', ALLOWED));
        assert_eq!(
            Uscc::parse("9135A100M000100Y43"),
            bad(5, 'A', DIVISION_ALLOWED)
        );
        assert_eq!(
            Uscc::parse("9135010中M000100Y43"),
            bad(8, '中', DIVISION_ALLOWED)
        );
        assert_eq!(
            Uscc::with_check_character("9I350100M000100Y4"),
            bad(2, 'I', ALLOWED)
        );
    }

    #[test]
    fn does_not_check_department_or_division_lists() {
        let uscc = Uscc::with_check_character("N2999999MA0000001").unwrap();
        assert_eq!(uscc.registering_division(), "999999");
        assert!(Uscc::parse(uscc.as_str()).is_ok());
    }

    #[test]
    fn round_trips_through_json_as_a_plain_string() {
        let uscc = Uscc::parse("9144030071526726XG").unwrap();
        let json = serde_json::to_string(&uscc).unwrap();
        assert_eq!(json, "\"9144030071526726XG\"");
        assert_eq!(serde_json::from_str::<Uscc>(&json).unwrap(), uscc);
        assert!(serde_json::from_str::<Uscc>("\"91350100M000100Y4Z\"").is_err());
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(1000))]

        #[test]
        fn generated_codes_parse_and_every_single_change_is_caught(
            picks in proptest::collection::vec(0usize..31, 17)
        ) {
            let alphabet: Vec<char> = ALPHABET.chars().collect();
            // Positions 3–8 are a division code: digits only.
            let body: String = picks
                .iter()
                .enumerate()
                .map(|(index, pick)| {
                    let range = if (2..8).contains(&index) { 10 } else { 31 };
                    alphabet[pick % range]
                })
                .collect();
            let uscc = Uscc::with_check_character(&body).unwrap();
            proptest::prop_assert_eq!(Uscc::parse(uscc.as_str()), Ok(uscc.clone()));

            let original: Vec<char> = uscc.as_str().chars().collect();
            for index in 0..18 {
                for &replacement in alphabet.iter().filter(|&&c| c != original[index]) {
                    let mut changed = original.clone();
                    changed[index] = replacement;
                    let changed: String = changed.into_iter().collect();
                    proptest::prop_assert!(Uscc::parse(&changed).is_err(), "{} was accepted", changed);
                }
            }
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(4096))]

        #[test]
        fn never_panics_on_arbitrary_input(s in crate::values::strings_from("09AZIOaz 中９ａ-\u{3000}\u{FF5E}\u{FF01}é", 20)) {
            let _ = Uscc::parse(&s);
            let _ = Uscc::with_check_character(&s);
        }
    }
}
