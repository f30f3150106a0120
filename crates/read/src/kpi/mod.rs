//! The figures leaders look at, defined in one place.
//!
//! [`figures`] says what every figure on the dashboard counts (which events, which dates, which
//! are left out and why); the dashboard module only scans, filters and groups. docs/kpis.md
//! documents each figure with a worked example taken from the dashboard test. This module holds
//! the two building blocks: [`Ratio`], an exact fraction (rates are never floating point in
//! state, so that adding up months or groups never drifts and a rate can be re-derived from its
//! parts), and [`KpiConfig`], the parts a province or city may configure.

pub mod burden;
pub(crate) mod divisions;
pub(crate) mod facts;
pub mod figures;
pub mod live;
pub(crate) mod refresh;
pub(crate) mod scan;

use std::collections::BTreeSet;

use guanjia_domain::calendar::{
    DEFAULT_CALLBACK_DAYS, DEFAULT_RECTIFICATION_DAYS, DEFAULT_WARNING_PERCENT,
};
use guanjia_domain::values::RatingLevel;
use serde::{Deserialize, Serialize};

/// An exact fraction: a rate (`numerator ÷ denominator`) or an average (sum ÷ count).
///
/// A ratio with a zero denominator has no value: it is shown as "—", never as 0% or 100%.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Ratio {
    pub numerator: i64,
    pub denominator: i64,
}

impl Ratio {
    /// A ratio of two counts.
    pub const fn new(numerator: i64, denominator: i64) -> Self {
        Self {
            numerator,
            denominator,
        }
    }

    /// Counts one more case in the denominator, and in the numerator when `hit`.
    pub fn count(&mut self, hit: bool) {
        self.numerator += i64::from(hit);
        self.denominator += 1;
    }

    /// Adds `value` to the numerator and one to the denominator (for averages).
    pub fn add_value(&mut self, value: i64) {
        self.numerator += value;
        self.denominator += 1;
    }

    /// Adds another ratio's parts (groups and months add up to the total this way).
    pub fn merge(&mut self, other: Ratio) {
        self.numerator += other.numerator;
        self.denominator += other.denominator;
    }

    /// The value × `scale`, rounded half away from zero; `None` without a denominator.
    pub fn scaled(&self, scale: i64) -> Option<i64> {
        if self.denominator == 0 {
            return None;
        }
        let n = i128::from(self.numerator) * i128::from(scale);
        let d = i128::from(self.denominator);
        let (n, d) = if d < 0 { (-n, -d) } else { (n, d) };
        let rounded = (2 * n.abs() + d) / (2 * d);
        let signed = if n < 0 { -rounded } else { rounded };
        i64::try_from(signed).ok()
    }

    /// The rate in permille (‰), rounded half away from zero: 7 of 8 is 875.
    pub fn permille(&self) -> Option<i64> {
        self.scaled(1000)
    }

    /// The rate as a percentage with one decimal, e.g. `"87.5%"`, or `"—"` without a denominator.
    pub fn percent_text(&self) -> String {
        self.permille()
            .map_or_else(|| "—".to_owned(), |p| format!("{}%", tenths_text(p)))
    }

    /// The average with one decimal, e.g. `"7.3"`, or `"—"` without a denominator.
    pub fn decimal_text(&self) -> String {
        self.scaled(10).map_or_else(|| "—".to_owned(), tenths_text)
    }
}

/// `875` → `"87.5"`, `-5` → `"-0.5"`.
fn tenths_text(tenths: i64) -> String {
    let sign = if tenths < 0 { "-" } else { "" };
    let abs = tenths.unsigned_abs();
    format!("{sign}{}.{}", abs / 10, abs % 10)
}

/// The configurable parts of the figures (domain.md marks each as configurable).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KpiConfig {
    /// Rating levels that count as good in the good-rating rate (好评率); default 4 and 5.
    pub good_levels: BTreeSet<RatingLevel>,
    /// Share of an item's working days used, in percent, from which it is in warning.
    pub warning_percent: u32,
    /// Working days after a bad rating within which the call-back (回访核实) is due.
    pub call_back_days: u32,
    /// Working days after the call-back within which the rectification (整改) is due.
    pub rectification_days: u32,
}

impl Default for KpiConfig {
    fn default() -> Self {
        Self {
            good_levels: [4, 5]
                .into_iter()
                .filter_map(|l| RatingLevel::new(l).ok())
                .collect(),
            warning_percent: DEFAULT_WARNING_PERCENT,
            call_back_days: DEFAULT_CALLBACK_DAYS,
            rectification_days: DEFAULT_RECTIFICATION_DAYS,
        }
    }
}

impl KpiConfig {
    /// Whether a rating at `level` counts as good.
    pub fn is_good(&self, level: RatingLevel) -> bool {
        self.good_levels.contains(&level)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rates_round_half_away_from_zero_and_show_a_dash_without_data() {
        assert_eq!(Ratio::new(7, 8).permille(), Some(875));
        assert_eq!(Ratio::new(2, 3).permille(), Some(667));
        assert_eq!(Ratio::new(1, 2000).permille(), Some(1));
        assert_eq!(Ratio::new(-1, 2000).permille(), Some(-1));
        assert_eq!(Ratio::new(7, 8).percent_text(), "87.5%");
        assert_eq!(Ratio::new(-1, 200).percent_text(), "-0.5%");
        assert_eq!(Ratio::new(0, 0).percent_text(), "—");
        assert_eq!(Ratio::new(22, 3).decimal_text(), "7.3");
    }

    #[test]
    fn the_default_good_levels_are_four_and_five() {
        let config = KpiConfig::default();
        let good: Vec<u8> = (1..=5)
            .filter_map(|l| RatingLevel::new(l).ok())
            .filter(|l| config.is_good(*l))
            .map(RatingLevel::get)
            .collect();
        assert_eq!(good, [4, 5]);
        assert_eq!(
            (
                config.warning_percent,
                config.call_back_days,
                config.rectification_days
            ),
            (80, 1, 15)
        );
    }
}
