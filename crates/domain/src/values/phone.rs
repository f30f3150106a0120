//! Mainland phone numbers of enterprise contacts. They are personal data, so the type keeps one
//! canonical spelling for matching and shows only a masked form unless asked explicitly.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::text::half_width;
use crate::error::ValueError;

const DIGITS_OR_SEPARATORS: &str = "digits, spaces and '-'";
const AREA_DIGITS: &str = "digits of the area code";
const NOT_MAINLAND: &str = "only mainland numbers (+86) are accepted";
const NOT_MOBILE: &str = "a mobile number starts with 13 to 19";
const UNCLOSED: &str = "the area code's parenthesis is not closed";
const NO_SEPARATOR: &str =
    "a landline number needs '-' or a space after the area code, as in 0915-1234567";
const AREA_ZERO: &str = "an area code starts with 0";

/// A mainland phone number in canonical form: mobile `13800138000` or landline `0915-1234567`.
///
/// [`fmt::Display`] and [`fmt::Debug`] show the masked form so that a stray log line does not
/// leak it; [`Phone::as_str`] and serde give the full number.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Phone(String);

impl Phone {
    /// Parses a mobile number (11 digits `1[3-9]…`, optionally after `+86`, `86` or `0086`,
    /// spaces and hyphens ignored) or a landline number whose area code (3–4 digits starting with
    /// 0) is set apart by `-`, a space or parentheses; the local number has 7–8 digits. Full-width
    /// characters are normalised first.
    pub fn parse(input: &str) -> Result<Self, ValueError> {
        let chars: Vec<char> = half_width(input).trim().chars().collect();
        if chars.is_empty() {
            return Err(ValueError::Empty);
        }
        let starts_with =
            |prefix: &str| chars.iter().copied().take(prefix.len()).eq(prefix.chars());
        let canonical = if starts_with("(") {
            landline_in_parentheses(&chars)?
        } else if starts_with("+") {
            let digits = digits(&chars[1..], 1)?;
            match digits.strip_prefix("86") {
                Some(rest) => mobile(rest)?,
                None => return Err(rule(NOT_MAINLAND)),
            }
        } else if starts_with("0086") {
            mobile(&digits(&chars[4..], 4)?)?
        } else if starts_with("0") {
            landline_with_separator(&chars)?
        } else {
            let digits = digits(&chars, 0)?;
            match digits.strip_prefix("86") {
                Some(rest) if digits.len() == 13 => mobile(rest)?,
                _ => mobile(&digits)?,
            }
        };
        Ok(Self(canonical))
    }

    /// The full canonical number. Personal data: do not log it.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The number with its middle hidden: `138****5678`, or `0915-***4567` for a landline
    /// (the prefix or area code and the last four digits stay visible).
    pub fn masked(&self) -> String {
        // Canonical numbers are ASCII, so byte offsets are character offsets.
        let keep = self.0.find('-').map_or(3, |hyphen| hyphen + 1);
        let tail = self.0.len().saturating_sub(4).max(keep);
        let (head, end) = (self.0.get(..keep), self.0.get(tail..));
        let stars = "*".repeat(tail - keep);
        format!(
            "{}{stars}{}",
            head.unwrap_or_default(),
            end.unwrap_or_default()
        )
    }
}

/// The digits of `chars`, dropping spaces and hyphens; `offset` turns indexes into positions.
fn digits(chars: &[char], offset: usize) -> Result<String, ValueError> {
    let mut digits = String::with_capacity(chars.len());
    for (index, &found) in chars.iter().enumerate() {
        match found {
            '0'..='9' => digits.push(found),
            ' ' | '-' => {}
            _ => {
                let position = offset + index + 1;
                return Err(ValueError::BadCharacter {
                    position,
                    found,
                    allowed: DIGITS_OR_SEPARATORS,
                });
            }
        }
    }
    Ok(digits)
}

fn mobile(digits: &str) -> Result<String, ValueError> {
    if digits.len() != 11 {
        return Err(ValueError::WrongLength {
            expected: 11,
            actual: digits.len(),
        });
    }
    if !(digits.starts_with('1') && matches!(digits.as_bytes().get(1), Some(b'3'..=b'9'))) {
        return Err(rule(NOT_MOBILE));
    }
    Ok(digits.to_owned())
}

/// `(0915)1234567`, `(0915) 123-4567`, …
fn landline_in_parentheses(chars: &[char]) -> Result<String, ValueError> {
    let close = chars
        .iter()
        .position(|&c| c == ')')
        .ok_or_else(|| rule(UNCLOSED))?;
    let area = &chars[1..close];
    if let Some((index, &found)) = area.iter().enumerate().find(|(_, c)| !c.is_ascii_digit()) {
        return Err(ValueError::BadCharacter {
            position: index + 2,
            found,
            allowed: AREA_DIGITS,
        });
    }
    let number = digits(&chars[close + 1..], close + 1)?;
    landline(area.iter().collect(), number)
}

/// `0915-1234567`, `0915 1234567`, …: without a separator the split would be a guess.
fn landline_with_separator(chars: &[char]) -> Result<String, ValueError> {
    let Some(split) = chars.iter().position(|&c| c == '-' || c == ' ') else {
        digits(chars, 0)?;
        return Err(rule(NO_SEPARATOR));
    };
    let area = digits(&chars[..split], 0)?;
    landline(area, digits(&chars[split + 1..], split + 1)?)
}

fn landline(area: String, number: String) -> Result<String, ValueError> {
    let (area_len, number_len) = (area.len(), number.len());
    if !area.starts_with('0') {
        return Err(rule(AREA_ZERO));
    }
    if !(3..=4).contains(&area_len) {
        let message = format!("an area code has 3 or 4 digits, got {area_len}");
        return Err(rule(message));
    }
    if !(7..=8).contains(&number_len) {
        let message = format!("a local number has 7 or 8 digits, got {number_len}");
        return Err(rule(message));
    }
    Ok(format!("{area}-{number}"))
}

fn rule(message: impl Into<String>) -> ValueError {
    ValueError::Rule(message.into())
}

impl fmt::Display for Phone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.masked())
    }
}

impl fmt::Debug for Phone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Phone").field(&self.masked()).finish()
    }
}

impl TryFrom<String> for Phone {
    type Error = ValueError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<Phone> for String {
    fn from(value: Phone) -> Self {
        value.0
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // a failing test should stop loudly
mod tests {
    use super::*;

    fn canonical(text: &str) -> Result<String, ValueError> {
        Phone::parse(text).map(|p| p.as_str().to_owned())
    }

    #[test]
    fn normalises_to_one_canonical_spelling() {
        let cases = [
            ("13800138000", "13800138000"),
            (" 138 0013 8000 ", "13800138000"),
            ("138-0013-8000", "13800138000"),
            ("+86 138 0013 8000", "13800138000"),
            ("8613800138000", "13800138000"),
            ("0086-13800138000", "13800138000"),
            ("＋８６１３８００１３８０００", "13800138000"),
            ("0915-1234567", "0915-1234567"),
            ("0915 1234567", "0915-1234567"),
            ("(0915)1234567", "0915-1234567"),
            ("（０９１５）１２３４５６７", "0915-1234567"),
            ("(0915) 123-4567", "0915-1234567"),
            ("0915 - 123 4567", "0915-1234567"),
            ("010-12345678", "010-12345678"),
        ];
        for (text, expected) in cases {
            assert_eq!(canonical(text), Ok(expected.to_owned()), "{text}");
        }
    }

    #[test]
    fn reports_each_broken_rule() {
        let bad = |position, found, allowed| ValueError::BadCharacter {
            position,
            found,
            allowed,
        };
        let short = ValueError::WrongLength {
            expected: 11,
            actual: 10,
        };
        let cases = [
            ("  ", ValueError::Empty),
            ("138x0013800", bad(4, 'x', DIGITS_OR_SEPARATORS)),
            ("13800(138000", bad(6, '(', DIGITS_OR_SEPARATORS)),
            ("1380013800", short),
            ("12800138000", rule(NOT_MOBILE)),
            ("+1 2025550123", rule(NOT_MAINLAND)),
            ("09151234567", rule(NO_SEPARATOR)),
            ("(915)1234567", rule(AREA_ZERO)),
            ("(0915 1234567", rule(UNCLOSED)),
            ("(09-15)1234567", bad(4, '-', AREA_DIGITS)),
            ("09-1234567", rule("an area code has 3 or 4 digits, got 2")),
            (
                "0915-123456",
                rule("a local number has 7 or 8 digits, got 6"),
            ),
            ("0915-1234(567", bad(10, '(', DIGITS_OR_SEPARATORS)),
        ];
        for (text, expected) in cases {
            assert_eq!(canonical(text), Err(expected), "{text}");
        }
    }

    #[test]
    fn display_and_debug_show_only_the_masked_number() {
        let mobile = Phone::parse("13812345678").unwrap();
        assert_eq!(mobile.to_string(), "138****5678");
        assert_eq!(format!("{mobile:?}"), "Phone(\"138****5678\")");
        assert_eq!(mobile.as_str(), "13812345678");
        let landline = Phone::parse("0915-1234567").unwrap();
        assert_eq!(landline.to_string(), "0915-***4567");
        assert_eq!(format!("{landline:?}"), "Phone(\"0915-***4567\")");
        let beijing = Phone::parse("010-12345678").unwrap();
        assert_eq!(beijing.masked(), "010-****5678");
    }

    #[test]
    fn round_trips_through_json_as_the_full_number() {
        let phone = Phone::parse("(0915) 1234567").unwrap();
        let json = serde_json::to_string(&phone).unwrap();
        assert_eq!(json, "\"0915-1234567\"");
        assert_eq!(serde_json::from_str::<Phone>(&json).unwrap(), phone);
        assert!(serde_json::from_str::<Phone>("\"09151234567\"").is_err());
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(4096))]

        #[test]
        fn never_panics_and_round_trips_whatever_it_accepts(s in crate::values::strings_from("0113589--  ()+6８（中", 20)) {
            if let Ok(phone) = Phone::parse(&s) {
                proptest::prop_assert_eq!(Phone::parse(phone.as_str()), Ok(phone.clone()), "{}", s);
                proptest::prop_assert!(phone.masked().contains('*'));
            }
        }
    }
}
