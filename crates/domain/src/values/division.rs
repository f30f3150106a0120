//! The 12-digit 区划代码 that places every user and every case in the administrative tree, so that
//! the tier of a steward and the scope of what they may see are read from one checked code.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::text::half_width;
use crate::error::ValueError;

const LENGTH: usize = 12;
const DIGITS: &str = "ASCII digits 0-9";

/// How deep in the administrative tree a division code points.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Tier {
    /// A county-level code (区/县): town and village parts are `000`.
    District,
    /// A town-level code (街道/镇/乡): village part is `000`.
    Town,
    /// A village-level code (居委会/村委会).
    Village,
}

/// A 区划代码: county (6) + town (3) + village (3) digits.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct DivisionCode(String);

impl DivisionCode {
    /// Parses 12 digits (after trimming and normalising full-width digits).
    pub fn parse(input: &str) -> Result<Self, ValueError> {
        let code = half_width(input).trim().to_owned();
        let length = code.chars().count();
        if length == 0 {
            return Err(ValueError::Empty);
        }
        if length != LENGTH {
            return Err(ValueError::WrongLength {
                expected: LENGTH,
                actual: length,
            });
        }
        if let Some((index, found)) = code.chars().enumerate().find(|(_, c)| !c.is_ascii_digit()) {
            return Err(ValueError::BadCharacter {
                position: index + 1,
                found,
                allowed: DIGITS,
            });
        }
        let parsed = Self(code);
        if parsed.county() == "000000" {
            return Err(ValueError::Rule(
                "county code must not be 000000".to_owned(),
            ));
        }
        let province = number(&parsed.0[..2]);
        if !(11..=82).contains(&province) {
            return Err(ValueError::OutOfRange {
                min: 11,
                max: 82,
                actual: province.into(),
            });
        }
        if &parsed.0[6..9] == "000" && &parsed.0[9..] != "000" {
            return Err(ValueError::Rule("village given without a town".to_owned()));
        }
        Ok(parsed)
    }

    /// The 12 digits.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The county part (first 6 digits).
    pub fn county(&self) -> &str {
        &self.0[..6]
    }

    /// The town part (digits 7–9), unless this is a district-level code.
    pub fn town(&self) -> Option<&str> {
        (self.tier() > Tier::District).then(|| &self.0[6..9])
    }

    /// The village part (digits 10–12), only for a village-level code.
    pub fn village(&self) -> Option<&str> {
        (self.tier() == Tier::Village).then(|| &self.0[9..])
    }

    /// The depth of the code: the tier of a user or case placed here.
    pub fn tier(&self) -> Tier {
        if &self.0[6..9] == "000" {
            Tier::District
        } else if &self.0[9..] == "000" {
            Tier::Town
        } else {
            Tier::Village
        }
    }

    /// The significant prefix: 6, 9 or 12 digits depending on the tier.
    pub fn scope_prefix(&self) -> &str {
        match self.tier() {
            Tier::District => &self.0[..6],
            Tier::Town => &self.0[..9],
            Tier::Village => &self.0,
        }
    }

    /// The codes whose scope holds this one, outermost first: the county, the town (unless
    /// this is a county-level code), and the code itself.
    pub fn ancestors(&self) -> Vec<DivisionCode> {
        let mut codes = vec![Self(format!("{}000000", &self.0[..6]))];
        if self.tier() >= Tier::Town {
            codes.push(Self(format!("{}000", &self.0[..9])));
        }
        if self.tier() == Tier::Village {
            codes.push(self.clone());
        }
        codes
    }

    /// Whether `other` lies within this code's scope (a code contains itself).
    pub fn contains(&self, other: &DivisionCode) -> bool {
        other.0.starts_with(self.scope_prefix())
    }

    /// The kind of town-level unit by its number range: `街道` (001–099), `镇` (100–199),
    /// `乡` (200–399) or `other` (kept, not rejected); `None` for a district-level code.
    pub fn town_kind(&self) -> Option<&'static str> {
        self.town().map(|town| match number(town) {
            1..=99 => "街道",
            100..=199 => "镇",
            200..=399 => "乡",
            _ => "other",
        })
    }

    /// The kind of village-level unit by its number range: `居委会` (001–199), `村委会`
    /// (200–399) or `other` (kept, not rejected); `None` unless this is a village-level code.
    pub fn village_kind(&self) -> Option<&'static str> {
        self.village().map(|village| match number(village) {
            1..=199 => "居委会",
            200..=399 => "村委会",
            _ => "other",
        })
    }
}

/// The value of a run of ASCII digits (at most 3 here, so no overflow).
fn number(digits: &str) -> u16 {
    digits
        .bytes()
        .fold(0, |acc, b| acc * 10 + u16::from(b.wrapping_sub(b'0')))
}

impl fmt::Display for DivisionCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for DivisionCode {
    type Error = ValueError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<DivisionCode> for String {
    fn from(value: DivisionCode) -> Self {
        value.0
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // a failing test should stop loudly
mod tests {
    use super::Tier::{District, Town, Village};
    use super::*;

    fn code(s: &str) -> DivisionCode {
        DivisionCode::parse(s).unwrap()
    }

    #[test]
    fn the_ancestors_of_a_code_run_from_the_county_to_itself() {
        assert_eq!(
            code("610902100201").ancestors(),
            vec![
                code("610902000000"),
                code("610902100000"),
                code("610902100201")
            ]
        );
        assert_eq!(
            code("610902100000").ancestors(),
            vec![code("610902000000"), code("610902100000")]
        );
        assert_eq!(code("610902000000").ancestors(), vec![code("610902000000")]);
    }

    #[test]
    fn reads_tier_parts_and_scope_from_the_depth_of_the_code() {
        let district = code("610902000000");
        assert_eq!(
            (district.tier(), district.town(), district.village()),
            (District, None, None)
        );
        let town = code("610902100000");
        assert_eq!(
            (town.tier(), town.town(), town.village()),
            (Town, Some("100"), None)
        );
        let village = code("610902100201");
        assert_eq!(
            (village.tier(), village.town(), village.village()),
            (Village, Some("100"), Some("201"))
        );
        assert_eq!(village.county(), "610902");
        assert_eq!(district.scope_prefix(), "610902");
        assert_eq!(town.scope_prefix(), "610902100");
        assert_eq!(village.scope_prefix(), "610902100201");
    }

    #[test]
    fn scope_contains_codes_below_and_itself_but_not_siblings() {
        let district = code("610902000000");
        let town = code("610902100000");
        let village = code("610902100201");
        assert!(district.contains(&town) && district.contains(&village) && town.contains(&village));
        assert!(town.contains(&town));
        assert!(!town.contains(&district) && !village.contains(&town));
        assert!(!town.contains(&code("610902101000")));
        assert!(!district.contains(&code("610903000000")));
    }

    #[test]
    fn classifies_towns_and_villages_without_rejecting_other_ranges() {
        let kinds = |s: &str| (code(s).town_kind(), code(s).village_kind());
        assert_eq!(kinds("610902000000"), (None, None));
        assert_eq!(kinds("610902001000"), (Some("街道"), None));
        assert_eq!(kinds("610902099001"), (Some("街道"), Some("居委会")));
        assert_eq!(kinds("610902100199"), (Some("镇"), Some("居委会")));
        assert_eq!(kinds("610902199200"), (Some("镇"), Some("村委会")));
        assert_eq!(kinds("610902200399"), (Some("乡"), Some("村委会")));
        assert_eq!(kinds("610902399400"), (Some("乡"), Some("other")));
        assert_eq!(kinds("610902400999"), (Some("other"), Some("other")));
    }

    #[test]
    fn normalises_spaces_and_full_width_digits() {
        assert_eq!(code(" ６１０９０２１００２０１　").as_str(), "610902100201");
    }

    #[test]
    fn reports_each_broken_rule() {
        let err = |s: &str| DivisionCode::parse(s).unwrap_err();
        let rule = |m: &str| ValueError::Rule(m.to_owned());
        assert_eq!(err(""), ValueError::Empty);
        assert_eq!(
            err("6109021002"),
            ValueError::WrongLength {
                expected: 12,
                actual: 10
            }
        );
        let bad_x = ValueError::BadCharacter {
            position: 12,
            found: 'x',
            allowed: DIGITS,
        };
        assert_eq!(err("61090210020x"), bad_x);
        assert_eq!(err("000000100201"), rule("county code must not be 000000"));
        assert_eq!(
            err("990902100201"),
            ValueError::OutOfRange {
                min: 11,
                max: 82,
                actual: 99
            }
        );
        assert_eq!(
            err("100902100201"),
            ValueError::OutOfRange {
                min: 11,
                max: 82,
                actual: 10
            }
        );
        assert_eq!(err("610902000201"), rule("village given without a town"));
    }

    #[test]
    fn round_trips_through_json_as_a_string() {
        let village = code("610902100201");
        let json = serde_json::to_string(&village).unwrap();
        assert_eq!(json, "\"610902100201\"");
        assert_eq!(
            serde_json::from_str::<DivisionCode>(&json).unwrap(),
            village
        );
        assert!(serde_json::from_str::<DivisionCode>("\"610902000201\"").is_err());
        assert_eq!(serde_json::to_string(&District).unwrap(), "\"district\"");
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(4096))]

        #[test]
        fn never_panics_on_arbitrary_input(s in crate::values::strings_from("0000126９ a-中\u{3000}", 20)) {
            if let Ok(parsed) = DivisionCode::parse(&s) {
                proptest::prop_assert!(parsed.contains(&parsed));
                proptest::prop_assert_eq!(parsed.town().is_some(), parsed.town_kind().is_some());
            }
        }
    }
}
