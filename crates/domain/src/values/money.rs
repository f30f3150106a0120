//! Amounts of money (investment, fees, subsidies) as whole 分, so that no sum on a leader's
//! dashboard is ever off by a floating-point rounding.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::text::half_width;
use crate::error::ValueError;

const ALLOWED: &str = "digits, ',' between groups of three, one '.' and at most 2 decimals";
const NEGATIVE: &str = "an amount must not be negative";
const GROUPING: &str = "the yuan part must be digits, optionally grouped in threes by ','";
const TOO_LARGE: &str = "the amount is too large";

/// A non-negative amount in fen (分, 1/100 yuan).
///
/// Displayed as `¥1,200.50` (always two decimals, grouped thousands), which [`Money::parse`]
/// reads back. Serialised as the integer number of fen.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize,
)]
#[serde(try_from = "i64", into = "i64")]
pub struct Money(i64);

impl Money {
    /// Nothing.
    pub const ZERO: Money = Money(0);

    /// An amount of fen; negative amounts are refused.
    pub fn from_fen(fen: i64) -> Result<Self, ValueError> {
        if fen < 0 {
            return Err(ValueError::OutOfRange {
                min: 0,
                max: i64::MAX,
                actual: fen,
            });
        }
        Ok(Self(fen))
    }

    /// An amount of whole yuan; negative amounts and amounts too large for fen are refused.
    pub fn from_yuan(yuan: i64) -> Result<Self, ValueError> {
        match yuan.checked_mul(100) {
            Some(fen) if fen >= 0 => Ok(Self(fen)),
            _ => Err(ValueError::OutOfRange {
                min: 0,
                max: i64::MAX / 100,
                actual: yuan,
            }),
        }
    }

    /// Parses decimal yuan such as `1200`, `1200.5`, `1,200.50`, `¥1200` or `1200元` exactly
    /// (full-width characters are normalised). At most two decimals; no sign.
    pub fn parse(input: &str) -> Result<Self, ValueError> {
        let chars: Vec<char> = half_width(input).trim().chars().collect();
        let mut start = 0;
        let mut end = chars.len();
        if matches!(chars.first(), Some('¥' | '￥')) {
            start = 1;
        }
        if end > start && chars[end - 1] == '元' {
            end -= 1;
        }
        while start < end && chars[start] == ' ' {
            start += 1;
        }
        while end > start && chars[end - 1] == ' ' {
            end -= 1;
        }
        let body = &chars[start..end];
        if body.is_empty() {
            return Err(ValueError::Empty);
        }
        if body[0] == '-' {
            return Err(ValueError::Rule(NEGATIVE.to_owned()));
        }
        let mut integer = String::new();
        let mut fraction: Option<String> = None;
        for (index, &found) in body.iter().enumerate() {
            match (&mut fraction, found) {
                (None, '0'..='9' | ',') => integer.push(found),
                (None, '.') => fraction = Some(String::new()),
                (Some(digits), '0'..='9') => digits.push(found),
                _ => {
                    return Err(ValueError::BadCharacter {
                        position: start + index + 1,
                        found,
                        allowed: ALLOWED,
                    })
                }
            }
        }
        let groups: Vec<&str> = integer.split(',').collect();
        let grouped_well = groups.len() == 1
            || groups.iter().enumerate().all(|(i, g)| match i {
                0 => (1..=3).contains(&g.len()),
                _ => g.len() == 3,
            });
        if integer.is_empty() || !grouped_well {
            return Err(ValueError::Rule(GROUPING.to_owned()));
        }
        let fraction = fraction.unwrap_or_else(|| "00".to_owned());
        if fraction.is_empty() || fraction.len() > 2 {
            return Err(ValueError::Rule(format!(
                "an amount has 1 or 2 decimals (分), got {}",
                fraction.len()
            )));
        }
        let fen_text = format!("{}{:0<2}", integer.replace(',', ""), fraction);
        let fen = fen_text
            .bytes()
            .try_fold(0_i64, |acc, b| {
                acc.checked_mul(10)?.checked_add(i64::from(b - b'0'))
            })
            .ok_or_else(|| ValueError::Rule(TOO_LARGE.to_owned()))?;
        Ok(Self(fen))
    }

    /// The amount in fen.
    pub fn fen(self) -> i64 {
        self.0
    }

    /// The whole yuan, decimals truncated.
    pub fn yuan(self) -> i64 {
        self.0 / 100
    }

    /// The sum, or `None` if it would overflow.
    pub fn checked_add(self, other: Money) -> Option<Money> {
        self.0.checked_add(other.0).map(Money)
    }

    /// The difference, or `None` if it would be negative.
    pub fn checked_sub(self, other: Money) -> Option<Money> {
        Some(self.0 - other.0).filter(|fen| *fen >= 0).map(Money)
    }
}

impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let digits = self.yuan().to_string();
        let mut grouped = String::with_capacity(digits.len() + digits.len() / 3);
        for (index, digit) in digits.chars().enumerate() {
            if index > 0 && (digits.len() - index) % 3 == 0 {
                grouped.push(',');
            }
            grouped.push(digit);
        }
        write!(f, "¥{}.{:02}", grouped, self.0 % 100)
    }
}

impl TryFrom<i64> for Money {
    type Error = ValueError;
    fn try_from(fen: i64) -> Result<Self, Self::Error> {
        Self::from_fen(fen)
    }
}

impl From<Money> for i64 {
    fn from(value: Money) -> Self {
        value.0
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // a failing test should stop loudly
mod tests {
    use super::*;

    fn fen(text: &str) -> Result<i64, ValueError> {
        Money::parse(text).map(Money::fen)
    }

    #[test]
    fn parses_decimal_yuan_exactly() {
        assert_eq!(fen("1200"), Ok(120_000));
        assert_eq!(fen("1200.5"), Ok(120_050));
        assert_eq!(fen("1,200.50"), Ok(120_050));
        assert_eq!(fen("¥1200"), Ok(120_000));
        assert_eq!(fen("0.01"), Ok(1));
        assert_eq!(fen("1,234,567.89"), Ok(123_456_789));
    }

    #[test]
    fn normalises_spaces_symbols_and_full_width() {
        assert_eq!(fen(" ￥ １，２００．５０ 元　"), Ok(120_050));
        assert_eq!(fen("1200元"), Ok(120_000));
    }

    #[test]
    fn reports_each_broken_rule() {
        let rule = |message: &str| Err(ValueError::Rule(message.to_owned()));
        let bad = |position, found| {
            let allowed = ALLOWED;
            Err(ValueError::BadCharacter {
                position,
                found,
                allowed,
            })
        };
        assert_eq!(fen("  "), Err(ValueError::Empty));
        assert_eq!(fen("¥ 元"), Err(ValueError::Empty));
        assert_eq!(fen("-5"), rule(NEGATIVE));
        assert_eq!(fen("12a"), bad(3, 'a'));
        assert_eq!(fen("¥1.2.3"), bad(5, '.'));
        assert_eq!(fen("+5"), bad(1, '+'));
        assert_eq!(
            fen("1.005"),
            rule("an amount has 1 or 2 decimals (分), got 3")
        );
        assert_eq!(fen("1."), rule("an amount has 1 or 2 decimals (分), got 0"));
        for bad_grouping in ["1,2", "1234,567", ",123", ".5", "1,,000", "1,000,00"] {
            assert_eq!(fen(bad_grouping), rule(GROUPING), "{bad_grouping}");
        }
        assert_eq!(fen("99999999999999999999"), rule(TOO_LARGE));
        assert_eq!(fen("92233720368547758.08"), rule(TOO_LARGE));
    }

    #[test]
    fn constructors_refuse_negatives_and_overflow() {
        let range = |max, actual| {
            Err(ValueError::OutOfRange {
                min: 0,
                max,
                actual,
            })
        };
        assert_eq!(Money::from_fen(5).map(Money::fen), Ok(5));
        assert_eq!(Money::from_fen(-1), range(i64::MAX, -1));
        assert_eq!(Money::from_yuan(12).map(Money::fen), Ok(1200));
        assert_eq!(Money::from_yuan(-1), range(i64::MAX / 100, -1));
        assert_eq!(
            Money::from_yuan(i64::MAX / 10),
            range(i64::MAX / 100, i64::MAX / 10)
        );
        assert_eq!(Money::try_from(-7_i64), range(i64::MAX, -7));
    }

    #[test]
    fn yuan_truncates_and_arithmetic_is_checked() {
        let amount = Money::from_fen(120_099).unwrap();
        assert_eq!(amount.yuan(), 1200);
        let one_fen = Money::from_fen(1).unwrap();
        assert_eq!(amount.checked_add(one_fen).map(Money::fen), Some(120_100));
        assert_eq!(Money::from_fen(i64::MAX).unwrap().checked_add(amount), None);
        assert_eq!(Money::ZERO.checked_sub(amount), None);
        assert_eq!(amount.checked_sub(amount), Some(Money::ZERO));
    }

    #[test]
    fn displays_grouped_with_two_decimals_and_parses_back() {
        for (fen_value, shown) in [
            (0, "¥0.00"),
            (5, "¥0.05"),
            (120_050, "¥1,200.50"),
            (100_000_000, "¥1,000,000.00"),
        ] {
            let amount = Money::from_fen(fen_value).unwrap();
            assert_eq!(amount.to_string(), shown);
            assert_eq!(Money::parse(shown), Ok(amount));
        }
        let largest = Money::from_fen(i64::MAX).unwrap();
        assert_eq!(Money::parse(&largest.to_string()), Ok(largest));
    }

    #[test]
    fn round_trips_through_json_as_integer_fen() {
        let amount = Money::from_fen(120_050).unwrap();
        assert_eq!(serde_json::to_string(&amount).unwrap(), "120050");
        assert_eq!(serde_json::from_str::<Money>("120050").unwrap(), amount);
        assert!(serde_json::from_str::<Money>("-1").is_err());
        assert!(serde_json::from_str::<Money>("1.5").is_err());
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(4096))]

        #[test]
        fn never_panics_and_round_trips_whatever_it_accepts(s in crate::values::strings_from("0129,.,.-¥￥元 ａ１中", 20)) {
            if let Ok(amount) = Money::parse(&s) {
                proptest::prop_assert_eq!(Money::parse(&amount.to_string()), Ok(amount), "{}", s);
            }
        }
    }
}
