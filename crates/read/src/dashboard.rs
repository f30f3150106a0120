//! The leadership dashboard: the figures of kpi/figures.rs for a period and a division, in
//! total, optionally grouped (by steward, department or catalog item) and as a monthly series.
//!
//! One pass over the row tables serves the total, the groups and the months together: each
//! counted fact is added to every figure set it belongs to. Group and month figures are
//! computed from the facts, not split from the total, so a rate in a group is exact too.
//! Department and catalog-item groups only see facts about items (and ratings of items); case
//! facts (signings, visits, open cases, complaints) land in the group without a key.

use std::collections::HashMap;

use chrono::{Datelike, NaiveDate};
use guanjia_domain::values::DivisionCode;
use serde::{Deserialize, Serialize};

use crate::cases::LateFigure;
use crate::kpi::figures::{Attribution, NowFigures, PeriodFigures, Tally};
use crate::kpi::scan::{select, tally};
use crate::symbols::Sym;
use crate::{ReadError, ReadModel};

/// What a leader asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DashboardQuery {
    /// First day of the period (Beijing local date), included.
    pub from: NaiveDate,
    /// Last day of the period, included.
    pub to: NaiveDate,
    /// The date the "now" figures are computed for.
    pub today: NaiveDate,
    /// Only cases whose enterprise lies in this division's scope; all when `None`.
    pub division: Option<DivisionCode>,
    pub group_by: Option<GroupBy>,
    /// Also compute the period figures month by month.
    pub monthly: bool,
}

/// How to break the figures down.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GroupBy {
    /// The lead steward credited with each fact (docs/kpis.md).
    Steward,
    /// The handling department of the catalog item.
    Department,
    /// The catalog item (implementation code).
    CatalogItem,
}

/// The answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Dashboard {
    pub period: PeriodFigures,
    pub now: NowFigures,
    /// One per key, sorted by key, the group without a key last; empty without `group_by`.
    pub groups: Vec<Group>,
    /// One per calendar month touching the period, clipped to it; empty unless `monthly`.
    pub months: Vec<Month>,
    /// How many of the period's figures came from late entries (补录).
    pub late: LateFigures,
}

/// The figures of a period that came from late entries (补录): each counted by the business
/// date of the step, like the figure it is part of (docs/kpis.md, "Late entries").
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct LateFigures {
    /// Late entries whose step is dated inside the period (by its earliest business date).
    pub entries: u64,
    /// Of `cases_signed`, signed in a late entry.
    pub cases_signed: u64,
    /// Of `visits_conducted`.
    pub visits_conducted: u64,
    /// Of `items_requested`.
    pub items_requested: u64,
    /// Of `items_concluded`.
    pub items_concluded: u64,
}

/// The figures of one group.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Group {
    /// The steward's user id, the department, or the item's implementation code; `None` for
    /// facts without one (no lead steward yet, or not about an item).
    pub key: Option<String>,
    /// The item's name for catalog-item groups.
    pub label: Option<String>,
    pub period: PeriodFigures,
    pub now: NowFigures,
}

/// The period figures of one month.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Month {
    pub year: i32,
    pub month: u32,
    /// The days of the month inside the period.
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub period: PeriodFigures,
}

/// Where the facts of one dashboard land. Groups are slots in a vector, found by index:
/// a steward's slot is its symbol's number, a department's or item's slot comes from a table
/// built once per query over the (small) catalog-facts table; the last slot is "no key". No
/// hashing per fact, so grouping costs little more than the total.
struct Sink<'m> {
    query: &'m DashboardQuery,
    period: PeriodFigures,
    now: NowFigures,
    /// The slot of each catalog-facts index (department and catalog-item groups).
    slot_of_facts: Vec<usize>,
    /// (key, label) of each slot.
    keys: Vec<(Option<String>, Option<String>)>,
    groups: Vec<Option<(PeriodFigures, NowFigures)>>,
    months: Vec<PeriodFigures>,
}

pub(crate) fn month_number(date: NaiveDate) -> i64 {
    i64::from(date.year()) * 12 + i64::from(date.month0())
}

impl<'m> Sink<'m> {
    fn new(model: &ReadModel, query: &'m DashboardQuery, months: usize) -> Self {
        let mut keys: Vec<(Option<String>, Option<String>)> = Vec::new();
        let mut slot_of_facts = Vec::new();
        match query.group_by {
            None => {}
            Some(GroupBy::Steward) => {
                keys = model
                    .symbols
                    .all()
                    .map(|name| (Some(name.to_owned()), None))
                    .collect();
            }
            Some(by) => {
                let mut slots: HashMap<&str, usize> = HashMap::new();
                for facts in model.cases.facts.all() {
                    let key = match by {
                        GroupBy::Department => facts.department.as_str(),
                        _ => facts.implementation_code.as_str(),
                    };
                    let slot = *slots.entry(key).or_insert_with(|| {
                        keys.push((Some(key.to_owned()), None));
                        keys.len() - 1
                    });
                    if by == GroupBy::CatalogItem {
                        // The item's name as of its latest version seen.
                        if let Some(entry) = keys.get_mut(slot) {
                            entry.1 = Some(facts.name.clone());
                        }
                    }
                    slot_of_facts.push(slot);
                }
            }
        }
        keys.push((None, None));
        Self {
            query,
            period: PeriodFigures::default(),
            now: NowFigures::default(),
            slot_of_facts,
            groups: vec![None; keys.len()],
            keys,
            months: vec![PeriodFigures::default(); months],
        }
    }

    fn group(&mut self, who: &Attribution) -> Option<&mut (PeriodFigures, NowFigures)> {
        let none = self.keys.len() - 1;
        let slot = match self.query.group_by? {
            GroupBy::Steward => who.steward.map_or(none, Sym::index),
            GroupBy::Department | GroupBy::CatalogItem => who
                .item
                .and_then(|facts| self.slot_of_facts.get(facts as usize).copied())
                .unwrap_or(none),
        };
        let group = self.groups.get_mut(slot)?;
        Some(group.get_or_insert_with(Default::default))
    }
}

impl Tally for Sink<'_> {
    fn in_period(&self, on: NaiveDate) -> bool {
        self.query.from <= on && on <= self.query.to
    }

    fn period(&mut self, on: NaiveDate, who: Attribution, add: impl Fn(&mut PeriodFigures)) {
        add(&mut self.period);
        if let Some(group) = self.group(&who) {
            add(&mut group.0);
        }
        if self.query.monthly {
            let offset = month_number(on) - month_number(self.query.from);
            if let Some(month) = usize::try_from(offset)
                .ok()
                .and_then(|i| self.months.get_mut(i))
            {
                add(month);
            }
        }
    }

    fn now(&mut self, who: Attribution, add: impl Fn(&mut NowFigures)) {
        add(&mut self.now);
        if let Some(group) = self.group(&who) {
            add(&mut group.1);
        }
    }
}

impl ReadModel {
    /// The dashboard for `query`. Fails when the period ends before it starts.
    pub fn dashboard(&self, query: &DashboardQuery) -> Result<Dashboard, ReadError> {
        if query.to < query.from {
            return Err(ReadError::invalid(
                "to",
                format!(
                    "the period ends ({}) before it starts ({})",
                    query.to, query.from
                ),
            ));
        }
        let months = if query.monthly {
            month_ranges(query.from, query.to)
        } else {
            Vec::new()
        };
        let mut sink = Sink::new(self, query, months.len());
        tally(self, query.today, query.division.as_ref(), &mut sink);
        let mut groups: Vec<Group> = sink
            .keys
            .into_iter()
            .zip(sink.groups)
            .filter_map(|((key, label), figures)| {
                let (period, now) = figures?;
                Some(Group {
                    key,
                    label,
                    period,
                    now,
                })
            })
            .collect();
        // `None` sorts first in `Option`'s order; put it last instead.
        groups.sort_by(|a, b| (a.key.is_none(), &a.key).cmp(&(b.key.is_none(), &b.key)));
        let months = months_of(months, sink.months);
        Ok(Dashboard {
            period: sink.period,
            now: sink.now,
            groups,
            months,
            late: self.late_figures(query),
        })
    }

    /// The figures of `query`'s period and division that came from late entries.
    pub(crate) fn late_figures(&self, query: &DashboardQuery) -> LateFigures {
        let mut late = LateFigures::default();
        let selection = select(&self.divisions, query.division.as_ref());
        let of_case = self.divisions.of_case();
        for fact in &self.cases.late_facts {
            let in_division = of_case
                .get(fact.case as usize)
                .is_some_and(|id| selection.counts(*id));
            if !in_division || fact.on < query.from || query.to < fact.on {
                continue;
            }
            let count = match fact.figure {
                LateFigure::Entry => &mut late.entries,
                LateFigure::Signed => &mut late.cases_signed,
                LateFigure::VisitConducted => &mut late.visits_conducted,
                LateFigure::ItemRequested => &mut late.items_requested,
                LateFigure::ItemConcluded => &mut late.items_concluded,
            };
            *count += 1;
        }
        late
    }
}

/// The months of `ranges` (from [`month_ranges`]) with their figures, in order.
pub(crate) fn months_of(
    ranges: Vec<(NaiveDate, NaiveDate)>,
    figures: Vec<PeriodFigures>,
) -> Vec<Month> {
    ranges
        .into_iter()
        .zip(figures)
        .map(|((from, to), period)| Month {
            year: from.year(),
            month: from.month(),
            from,
            to,
            period,
        })
        .collect()
}

/// The calendar months touching `from ..= to`, each clipped to it.
pub(crate) fn month_ranges(from: NaiveDate, to: NaiveDate) -> Vec<(NaiveDate, NaiveDate)> {
    let mut ranges = Vec::new();
    let mut start = from;
    while start <= to {
        let next_month = start
            .with_day(1)
            .and_then(|first| first.checked_add_months(chrono::Months::new(1)));
        let end = next_month
            .and_then(|next| next.pred_opt())
            .map_or(to, |last| last.min(to));
        ranges.push((start, end));
        match end.succ_opt() {
            Some(next) => start = next,
            None => break,
        }
    }
    ranges
}
