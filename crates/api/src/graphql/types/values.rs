//! Small values the object types share: money in whole fen and yuan, exact rates and averages
//! (never floating point, so a client can re-derive or add them up without drift), a counted
//! working day, and people, with personal data masked for roles that must not see it.
//!
//! Masking is decided once per case (`authz::can_see_personal_data`, see `case.rs`) and applied
//! here: a phone keeps its prefix and last four digits (`138****5678`), a name keeps its first
//! character (`王**`). The number of stars does not follow the length, so a masked name does not
//! tell how long it was.

use async_graphql::SimpleObject;
use chrono::NaiveDate;
use guanjia_domain::calendar::WorkingDay;
use guanjia_domain::case::model::Person as DomainPerson;
use guanjia_domain::values::{Money as DomainMoney, Phone};
use guanjia_read::Ratio;

/// An amount of money. Integers only; `fen` is exact, `yuan` is truncated to whole yuan.
#[derive(SimpleObject, Debug, Clone, PartialEq, Eq)]
pub struct Money {
    /// 分: the exact amount.
    pub fen: i64,
    /// Whole 元, decimals dropped.
    pub yuan: i64,
    /// For people: `¥1,200.50`.
    pub text: String,
}

impl From<DomainMoney> for Money {
    fn from(money: DomainMoney) -> Self {
        Self {
            fen: money.fen(),
            yuan: money.yuan(),
            text: money.to_string(),
        }
    }
}

/// A rate as an exact fraction. Without a denominator it has no value: `permille` is null and
/// `text` is "—" (never 0% or 100%).
#[derive(SimpleObject, Debug, Clone, PartialEq, Eq)]
pub struct Rate {
    pub numerator: i64,
    pub denominator: i64,
    /// The rate in ‰, rounded half away from zero (7 of 8 is 875).
    pub permille: Option<i64>,
    /// For people: `87.5%`.
    pub text: String,
}

impl From<Ratio> for Rate {
    fn from(ratio: Ratio) -> Self {
        Self {
            numerator: ratio.numerator,
            denominator: ratio.denominator,
            permille: ratio.permille(),
            text: ratio.percent_text(),
        }
    }
}

/// An average as sum ÷ count. Without a count it has no value: `tenths` is null, `text` "—".
#[derive(SimpleObject, Debug, Clone, PartialEq, Eq)]
pub struct Average {
    /// The sum.
    pub numerator: i64,
    /// The count.
    pub denominator: i64,
    /// The average × 10, rounded half away from zero (22 ÷ 3 is 73).
    pub tenths: Option<i64>,
    /// For people: `7.3`.
    pub text: String,
}

impl From<Ratio> for Average {
    fn from(ratio: Ratio) -> Self {
        Self {
            numerator: ratio.numerator,
            denominator: ratio.denominator,
            tenths: ratio.scaled(10),
            text: ratio.decimal_text(),
        }
    }
}

/// A working day reached by counting.
#[derive(SimpleObject, Debug, Clone, Copy, PartialEq, Eq)]
pub struct DueDay {
    pub date: NaiveDate,
    /// The count crossed a year whose holidays are not yet published: the date may move.
    pub provisional: bool,
}

impl From<WorkingDay> for DueDay {
    fn from(day: WorkingDay) -> Self {
        Self {
            date: day.date,
            provisional: day.provisional,
        }
    }
}

/// A rater, complainant or contact: personal data, masked unless the viewer may see it.
#[derive(SimpleObject, Debug, Clone, PartialEq, Eq)]
pub struct Person {
    pub name: Option<String>,
    pub phone: Option<String>,
}

impl Person {
    /// The person as the viewer may see them.
    pub fn shown(person: &DomainPerson, visible: bool) -> Self {
        Self {
            name: person.name.as_deref().map(|n| name(n, visible)),
            phone: person.phone.as_ref().map(|p| phone(p, visible)),
        }
    }
}

/// A person's name as the viewer may see it: whole, or the first character and `**`.
pub fn name(name: &str, visible: bool) -> String {
    if visible {
        return name.to_owned();
    }
    let first: String = name.trim().chars().take(1).collect();
    format!("{first}**")
}

/// A phone number as the viewer may see it.
pub fn phone(phone: &Phone, visible: bool) -> String {
    if visible {
        phone.as_str().to_owned()
    } else {
        phone.masked()
    }
}

/// A phone number held as text (a corrected contact phone in the history): masked like
/// [`phone`] when it parses, else everything but the last four characters hidden.
pub fn phone_text(text: &str, visible: bool) -> String {
    if visible {
        return text.to_owned();
    }
    match Phone::parse(text) {
        Ok(parsed) => parsed.masked(),
        Err(_) => {
            let chars: Vec<char> = text.chars().collect();
            let keep = chars.len().saturating_sub(4);
            let tail: String = chars.get(keep..).unwrap_or_default().iter().collect();
            format!("{}{tail}", "*".repeat(keep))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_phones_are_masked_unless_visible() {
        assert_eq!(name("王建国", false), "王**");
        assert_eq!(name("王", false), "王**");
        assert_eq!(name("王建国", true), "王建国");
        let mobile = Phone::parse("13812345678").expect("a phone");
        assert_eq!(phone(&mobile, false), "138****5678");
        assert_eq!(phone(&mobile, true), "13812345678");
        assert_eq!(phone_text("13812345678", false), "138****5678");
        assert_eq!(phone_text("ext 12345", false), "*****2345");
    }

    #[test]
    fn rates_and_averages_keep_their_parts() {
        let rate = Rate::from(Ratio::new(7, 8));
        assert_eq!((rate.permille, rate.text.as_str()), (Some(875), "87.5%"));
        let none = Rate::from(Ratio::new(0, 0));
        assert_eq!((none.permille, none.text.as_str()), (None, "—"));
        let average = Average::from(Ratio::new(22, 3));
        assert_eq!((average.tenths, average.text.as_str()), (Some(73), "7.3"));
        let money = Money::from(DomainMoney::from_fen(120_050).expect("money"));
        assert_eq!((money.yuan, money.text.as_str()), (1200, "¥1,200.50"));
    }
}
