//! Working-day arithmetic fast enough for a whole-district dashboard.
//!
//! The domain's [`ItemClock`] is the reference: it walks the calendar day by day, which is right
//! and clear but costs a few microseconds per item, and the dashboard asks about every open item
//! of the district at once. [`DayIndex`] precomputes, for every date of 2000–2100, how many
//! working days lie between 2000-01-01 and it, so counting becomes a subtraction and "the n-th
//! working day after" a binary search. The answers are the domain's exactly (a test compares
//! them on thousands of random clocks); dates outside the table fall back to the domain's walk.
//!
//! The index is built from a [`WorkCalendar`] and rebuilt when the calendar changes (a newly
//! published year turns provisional deadlines firm); the read model then recomputes every
//! deadline it cached from it (a running item's [`Schedule`], see `schedule.rs`).

mod schedule;

pub use schedule::Schedule;

use chrono::{Datelike, NaiveDate};
use guanjia_domain::calendar::{
    held_through, Deadline, ItemClock, Suspension, TimeStatus, WorkCalendar, WorkingDay,
};
use serde::{Deserialize, Serialize};

/// The first and last year the index covers: the years a calendar data file may define.
const FIRST_YEAR: i32 = 2000;
const LAST_YEAR: i32 = 2100;

/// A [`WorkCalendar`] with every date of 2000–2100 counted in advance.
/// Serialized as its calendar alone: the table is rebuilt from it in a few milliseconds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(from = "WorkCalendar", into = "WorkCalendar")]
pub struct DayIndex {
    calendar: WorkCalendar,
    /// 2000-01-01 as days from the common era (cheaper to subtract than `NaiveDate`s).
    first: i32,
    /// `cumulative[i]`: working days in `first ..= first + i`.
    cumulative: Vec<u32>,
    /// Whether year `FIRST_YEAR + i` is published.
    published: Vec<bool>,
}

/// An item's clock as the read model keeps it, borrowed so that no list is built per query.
#[derive(Debug, Clone, Copy)]
pub struct ClockRef<'a> {
    /// The day the item was accepted; counting starts the day after.
    pub accepted_on: NaiveDate,
    /// The limit plus any extensions, in working days.
    pub total_days: u32,
    /// The suspensions, in the order they happened.
    pub suspensions: &'a [Suspension],
}

impl From<WorkCalendar> for DayIndex {
    fn from(calendar: WorkCalendar) -> Self {
        Self::new(calendar)
    }
}

impl From<DayIndex> for WorkCalendar {
    fn from(days: DayIndex) -> Self {
        days.calendar
    }
}

impl DayIndex {
    /// Counts every date of 2000–2100 with `calendar`.
    pub fn new(calendar: WorkCalendar) -> Self {
        let first = NaiveDate::from_ymd_opt(FIRST_YEAR, 1, 1).unwrap_or(NaiveDate::MIN);
        let last = NaiveDate::from_ymd_opt(LAST_YEAR, 12, 31).unwrap_or(first);
        let mut cumulative = Vec::new();
        let mut count = 0u32;
        for date in first.iter_days().take_while(|date| *date <= last) {
            count += u32::from(calendar.is_working_day(date));
            cumulative.push(count);
        }
        let published = (FIRST_YEAR..=LAST_YEAR)
            .map(|year| calendar.is_published(year))
            .collect();
        Self {
            calendar,
            first: first.num_days_from_ce(),
            cumulative,
            published,
        }
    }

    /// The calendar the index was built from.
    pub fn calendar(&self) -> &WorkCalendar {
        &self.calendar
    }

    /// The `n`-th working day strictly after `start` (`n = 0` gives `start`), provisional when a
    /// day counted lies in an unpublished year: as [`WorkCalendar::add_working_days`].
    pub fn add_working_days(&self, start: NaiveDate, n: u32) -> WorkingDay {
        match self.nth(start, n) {
            Some(date) => WorkingDay {
                date,
                provisional: n > 0 && self.unpublished_in(start, date),
            },
            None => self.calendar.add_working_days(start, n),
        }
    }

    /// Working days `d` with `after < d <= through`: as [`WorkCalendar::working_days_between`].
    pub fn working_days_between(&self, after: NaiveDate, through: NaiveDate) -> u32 {
        self.between(after, through)
            .unwrap_or_else(|| self.calendar.working_days_between(after, through))
    }

    /// The deadline as of `as_of`: as [`ItemClock::deadline`].
    pub fn deadline(&self, clock: ClockRef<'_>, as_of: NaiveDate) -> Deadline {
        self.fast_deadline(clock, as_of)
            .unwrap_or_else(|| owned(clock).deadline(&self.calendar, as_of))
    }

    /// Net working days used through `as_of`: as [`ItemClock::used_days`].
    pub fn used_days(&self, clock: ClockRef<'_>, as_of: NaiveDate) -> u32 {
        self.fast_used_days(clock, as_of)
            .unwrap_or_else(|| owned(clock).used_days(&self.calendar, as_of))
    }

    /// On time, warning or overdue as of `as_of`: as [`ItemClock::status`].
    pub fn status(
        &self,
        clock: ClockRef<'_>,
        as_of: NaiveDate,
        warning_percent: u32,
    ) -> TimeStatus {
        if as_of > self.deadline(clock, as_of).date {
            return TimeStatus::Overdue;
        }
        let total = u64::from(clock.total_days);
        if total == 0 {
            return TimeStatus::OnTime;
        }
        let used = u64::from(self.used_days(clock, as_of));
        if used * 100 >= total * u64::from(warning_percent) {
            TimeStatus::Warning
        } else {
            TimeStatus::OnTime
        }
    }

    fn index(&self, date: NaiveDate) -> Option<usize> {
        let offset = usize::try_from(date.num_days_from_ce() - self.first).ok()?;
        (offset < self.cumulative.len()).then_some(offset)
    }

    fn count_through(&self, date: NaiveDate) -> Option<u32> {
        self.cumulative.get(self.index(date)?).copied()
    }

    fn between(&self, after: NaiveDate, through: NaiveDate) -> Option<u32> {
        if through <= after {
            return Some(0);
        }
        Some(self.count_through(through)? - self.count_through(after)?)
    }

    fn nth(&self, start: NaiveDate, n: u32) -> Option<NaiveDate> {
        if n == 0 {
            return Some(start);
        }
        let target = self.count_through(start)?.checked_add(n)?;
        let offset = self.cumulative.partition_point(|count| *count < target);
        let offset = i32::try_from(offset).ok()?;
        (offset < i32::try_from(self.cumulative.len()).ok()?)
            .then(|| NaiveDate::from_num_days_from_ce_opt(self.first + offset))
            .flatten()
    }

    /// Whether a day in `after < d <= through` lies in an unpublished year.
    fn unpublished_in(&self, after: NaiveDate, through: NaiveDate) -> bool {
        let first_year = after.succ_opt().map_or(after.year(), |day| day.year());
        (first_year..=through.year()).any(|year| !self.is_published(year))
    }

    fn is_published(&self, year: i32) -> bool {
        usize::try_from(year - FIRST_YEAR)
            .ok()
            .and_then(|index| self.published.get(index).copied())
            .unwrap_or_else(|| self.calendar.is_published(year))
    }

    /// Days `from < d <= end` that do not count, as of `as_of`, in the order of the suspensions.
    fn exclusions<'a>(
        clock: ClockRef<'a>,
        as_of: NaiveDate,
    ) -> impl Iterator<Item = (NaiveDate, NaiveDate)> + 'a {
        clock.suspensions.iter().filter_map(move |s| {
            let end = s.until.map_or(as_of, |until| until.min(as_of));
            (end > s.from).then_some((s.from, end))
        })
    }

    /// Suspensions happen one after the other (an item is suspended only while running), so
    /// they arrive sorted; anything else takes the domain's walk rather than a wrong shortcut.
    fn sorted(clock: ClockRef<'_>) -> bool {
        clock.suspensions.windows(2).all(|w| w[0].from <= w[1].from)
    }

    fn fast_deadline(&self, clock: ClockRef<'_>, as_of: NaiveDate) -> Option<Deadline> {
        if !Self::sorted(clock) {
            return None;
        }
        let mut remaining = clock.total_days;
        let mut cursor = clock.accepted_on;
        let mut provisional = false;
        for (from, end) in Self::exclusions(clock, as_of) {
            if end <= cursor {
                continue;
            }
            // Days `cursor < d <= start` count; then `start < d <= end` do not.
            let start = from.max(cursor);
            let available = self.between(cursor, start)?;
            if available >= remaining {
                break;
            }
            remaining -= available;
            provisional |= start > cursor && self.unpublished_in(cursor, start);
            cursor = end;
        }
        let date = self.nth(cursor, remaining)?;
        provisional |= remaining > 0 && self.unpublished_in(cursor, date);
        Some(Deadline {
            date: held_through(clock.suspensions, date, as_of),
            provisional,
            suspended: clock.suspensions.iter().any(|s| s.is_active(as_of)),
        })
    }

    fn fast_used_days(&self, clock: ClockRef<'_>, as_of: NaiveDate) -> Option<u32> {
        if !Self::sorted(clock) {
            return None;
        }
        let mut used = self.between(clock.accepted_on, as_of)?;
        let mut cursor = clock.accepted_on;
        for (from, end) in Self::exclusions(clock, as_of) {
            let start = from.max(cursor);
            if end <= start {
                continue;
            }
            used = used.saturating_sub(self.between(start, end)?);
            cursor = end;
        }
        Some(used)
    }
}

fn owned(clock: ClockRef<'_>) -> ItemClock {
    ItemClock {
        accepted_on: clock.accepted_on,
        limit_days: clock.total_days,
        extension_days: 0,
        suspensions: clock.suspensions.to_vec(),
    }
}
