//! The period a dashboard covers: a month, a quarter, a year or any span of days, read from
//! the page's address (`from`, `to`), named in Chinese, and the same period a year earlier
//! for the comparison. The links 本月 / 本季度 / 本年 and 上一期 / 下一期 are built here, so the
//! page needs no script to switch periods.

use chrono::{Datelike, Months, NaiveDate};

/// What kind of period `from ..= to` is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Month,
    Quarter,
    Year,
    Custom,
}

/// A period of days, both ends included.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Period {
    pub from: NaiveDate,
    pub to: NaiveDate,
}

fn first_of(year: i32, month: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, month, 1).unwrap_or(NaiveDate::MIN)
}

/// The last day of the `months`-long span that starts on `start` (the first of a month).
fn end_of(start: NaiveDate, months: u32) -> NaiveDate {
    start
        .checked_add_months(Months::new(months))
        .and_then(|next| next.pred_opt())
        .unwrap_or(start)
}

impl Period {
    pub(crate) fn month_of(day: NaiveDate) -> Self {
        let from = first_of(day.year(), day.month());
        Self {
            from,
            to: end_of(from, 1),
        }
    }

    pub(crate) fn quarter_of(day: NaiveDate) -> Self {
        let from = first_of(day.year(), day.month0() / 3 * 3 + 1);
        Self {
            from,
            to: end_of(from, 3),
        }
    }

    pub(crate) fn year_of(day: NaiveDate) -> Self {
        let from = first_of(day.year(), 1);
        Self {
            from,
            to: end_of(from, 12),
        }
    }

    pub(crate) fn kind(&self) -> Kind {
        let starts_month = self.from.day() == 1;
        if starts_month && self.to == end_of(self.from, 1) {
            Kind::Month
        } else if starts_month && self.from.month0() % 3 == 0 && self.to == end_of(self.from, 3) {
            Kind::Quarter
        } else if starts_month && self.from.month() == 1 && self.to == end_of(self.from, 12) {
            Kind::Year
        } else {
            Kind::Custom
        }
    }

    /// The period's name: 2026年3月, 2026年第1季度, 2026年, or 2026年3月1日至2026年3月5日.
    pub(crate) fn name(&self) -> String {
        let (y, m) = (self.from.year(), self.from.month());
        match self.kind() {
            Kind::Month => format!("{y}年{m}月"),
            Kind::Quarter => format!("{y}年第{}季度", self.from.month0() / 3 + 1),
            Kind::Year => format!("{y}年"),
            Kind::Custom => format!(
                "{}至{}",
                crate::format::date(self.from),
                crate::format::date(self.to)
            ),
        }
    }

    /// The same days a year earlier (29 February becomes the 28th).
    pub(crate) fn a_year_earlier(&self) -> Self {
        let back = |d: NaiveDate| d.checked_sub_months(Months::new(12)).unwrap_or(d);
        let to = if self.kind() == Kind::Custom {
            back(self.to)
        } else {
            // A month, quarter or year stays whole (February has 28 or 29 days).
            end_of(back(self.from), self.months())
        };
        Self {
            from: back(self.from),
            to,
        }
    }

    /// The period before (`-1`) or after (`1`) this one of the same kind; `None` for a
    /// custom period.
    pub(crate) fn step(&self, by: i32) -> Option<Self> {
        let months = self.months();
        if self.kind() == Kind::Custom {
            return None;
        }
        let from = if by < 0 {
            self.from.checked_sub_months(Months::new(months))?
        } else {
            self.from.checked_add_months(Months::new(months))?
        };
        Some(Self {
            from,
            to: end_of(from, months),
        })
    }

    fn months(&self) -> u32 {
        match self.kind() {
            Kind::Month => 1,
            Kind::Quarter => 3,
            Kind::Year => 12,
            Kind::Custom => 0,
        }
    }

    /// The address of the dashboard (or its download, print view) for this period and division.
    pub(crate) fn href(&self, base: &str, division: &str) -> String {
        format!(
            "{base}?from={}&to={}&division={division}",
            self.from, self.to
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("a date")
    }

    #[test]
    fn months_quarters_and_years_are_named_and_stepped() {
        let march = Period::month_of(day(2026, 3, 5));
        assert_eq!((march.from, march.to), (day(2026, 3, 1), day(2026, 3, 31)));
        assert_eq!(march.name(), "2026年3月");
        assert_eq!(march.step(-1).map(|p| p.to), Some(day(2026, 2, 28)));
        let q = Period::quarter_of(day(2026, 3, 5));
        assert_eq!(q.name(), "2026年第1季度");
        assert_eq!(
            q.step(1).map(|p| p.name()),
            Some("2026年第2季度".to_owned())
        );
        let year = Period::year_of(day(2026, 3, 5));
        assert_eq!(year.name(), "2026年");
        assert_eq!(year.a_year_earlier().name(), "2025年");
    }

    #[test]
    fn a_leap_february_compares_with_a_whole_february() {
        let feb = Period::month_of(day(2025, 2, 10));
        assert_eq!(feb.step(1).map(|p| p.from), Some(day(2025, 3, 1)));
        let leap = Period::month_of(day(2024, 2, 10));
        assert_eq!(leap.to, day(2024, 2, 29));
        assert_eq!(leap.a_year_earlier().to, day(2023, 2, 28));
        let custom = Period {
            from: day(2024, 2, 29),
            to: day(2024, 3, 5),
        };
        assert_eq!(custom.kind(), Kind::Custom);
        assert_eq!(custom.step(1), None);
        assert_eq!(custom.a_year_earlier().from, day(2023, 2, 28));
    }
}
