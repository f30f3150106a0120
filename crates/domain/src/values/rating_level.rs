//! The 好差评 (good/bad review) level an enterprise gives a service, on the national five-level
//! scale; a bad review (差评) starts the mandatory rectification flow, so the cut-off lives here.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::error::ValueError;

/// A 好差评 level: 5 非常满意, 4 满意, 3 基本满意, 2 不满意, 1 非常不满意.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "u8", into = "u8")]
pub struct RatingLevel(u8);

impl RatingLevel {
    /// The lowest level, 非常不满意.
    pub const MIN: RatingLevel = RatingLevel(1);
    /// The highest level, 非常满意.
    pub const MAX: RatingLevel = RatingLevel(5);

    /// A level from 1 to 5.
    pub fn new(level: u8) -> Result<Self, ValueError> {
        if !(1..=5).contains(&level) {
            return Err(ValueError::OutOfRange {
                min: 1,
                max: 5,
                actual: level.into(),
            });
        }
        Ok(Self(level))
    }

    /// The level as a number, 1–5.
    pub fn get(self) -> u8 {
        self.0
    }

    /// Whether this is a 差评 (level 1 or 2). The cut-off is national and not configurable.
    pub fn is_bad(self) -> bool {
        self.0 <= 2
    }

    /// The official Chinese label of the level.
    pub fn label_zh(self) -> &'static str {
        match self.0 {
            5 => "非常满意",
            4 => "满意",
            3 => "基本满意",
            2 => "不满意",
            _ => "非常不满意",
        }
    }
}

/// Shows the number and its label, e.g. `2 不满意`.
impl fmt::Display for RatingLevel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.0, self.label_zh())
    }
}

impl TryFrom<u8> for RatingLevel {
    type Error = ValueError;
    fn try_from(level: u8) -> Result<Self, Self::Error> {
        Self::new(level)
    }
}

impl From<RatingLevel> for u8 {
    fn from(value: RatingLevel) -> Self {
        value.0
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // a failing test should stop loudly
mod tests {
    use super::*;

    #[test]
    fn accepts_one_to_five_with_their_labels() {
        let labels: Vec<(u8, &str)> = (1..=5)
            .map(|n| RatingLevel::new(n).unwrap())
            .map(|level| (level.get(), level.label_zh()))
            .collect();
        assert_eq!(
            labels,
            [
                (1, "非常不满意"),
                (2, "不满意"),
                (3, "基本满意"),
                (4, "满意"),
                (5, "非常满意")
            ]
        );
        assert_eq!(RatingLevel::MIN.get(), 1);
        assert_eq!(RatingLevel::MAX.to_string(), "5 非常满意");
    }

    #[test]
    fn rejects_everything_else_with_the_range() {
        for n in (0..=u8::MAX).filter(|n| !(1..=5).contains(n)) {
            assert_eq!(
                RatingLevel::new(n),
                Err(ValueError::OutOfRange {
                    min: 1,
                    max: 5,
                    actual: n.into()
                })
            );
        }
    }

    #[test]
    fn only_one_and_two_are_bad_reviews() {
        let bad: Vec<u8> = (1..=5)
            .filter_map(|n| RatingLevel::new(n).ok())
            .filter(|level| level.is_bad())
            .map(RatingLevel::get)
            .collect();
        assert_eq!(bad, [1, 2]);
    }

    #[test]
    fn orders_by_level() {
        assert!(RatingLevel::new(2).unwrap() < RatingLevel::new(4).unwrap());
    }

    #[test]
    fn round_trips_through_json_as_a_number() {
        let level = RatingLevel::new(4).unwrap();
        assert_eq!(serde_json::to_string(&level).unwrap(), "4");
        assert_eq!(serde_json::from_str::<RatingLevel>("4").unwrap(), level);
        for bad in ["0", "6", "300", "-1", "\"4\"", "4.5"] {
            assert!(serde_json::from_str::<RatingLevel>(bad).is_err(), "{bad}");
        }
    }
}
