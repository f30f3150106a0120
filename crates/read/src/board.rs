//! The leader's board in one walk over the facts: a period and the same period a year
//! earlier, each month by month, and the headline figures of every division one tier down —
//! what the dashboard page and the hall's big screen show.
//!
//! Asked as separate dashboards, that is 2 + (number of child divisions) walks over every
//! fact of the district (at 100,000 cases a walk costs milliseconds, and a district has a
//! dozen towns); here each counted fact is added to every figure set it belongs to in the
//! same walk. The figures are those of [`ReadModel::dashboard`] by construction — the same
//! `kpi::figures::tally` decides what counts — and a test compares them on the demo. The walk
//! reads only the rows of the divisions in scope, and finds the child division of each fact
//! through its case's division id (kpi/divisions.rs): no division code is looked at per case.

use chrono::NaiveDate;
use guanjia_domain::values::DivisionCode;

use crate::dashboard::{month_number, month_ranges, months_of};
use crate::kpi::divisions::NONE;
use crate::kpi::figures::{Attribution, NowFigures, PeriodFigures, Tally};
use crate::kpi::scan::tally;
use crate::{Dashboard, DashboardQuery, ReadError, ReadModel};

/// What the board shows: a period, the period to compare it with (a year earlier), the
/// division and the date "now" figures are for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BoardQuery {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub compare_from: NaiveDate,
    pub compare_to: NaiveDate,
    pub today: NaiveDate,
    pub division: DivisionCode,
}

/// The answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Board {
    /// The period, month by month, as `dashboard` with `monthly` gives it.
    pub this: Dashboard,
    /// The period compared with, month by month (its "now" figures are the same as `this`'s).
    pub compared: Dashboard,
    /// Each division one tier down that holds cases, in code order.
    pub children: Vec<ChildFigures>,
}

/// The figures of one division one tier down, over the board's period.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChildFigures {
    pub division: DivisionCode,
    pub period: PeriodFigures,
    pub now: NowFigures,
}

/// One period of the board: its range and figures, total and per month.
struct Side {
    from: NaiveDate,
    to: NaiveDate,
    period: PeriodFigures,
    months: Vec<PeriodFigures>,
}

impl Side {
    fn new(from: NaiveDate, to: NaiveDate) -> Self {
        Self {
            from,
            to,
            period: PeriodFigures::default(),
            months: vec![PeriodFigures::default(); month_ranges(from, to).len()],
        }
    }

    fn holds(&self, on: NaiveDate) -> bool {
        self.from <= on && on <= self.to
    }

    fn add(&mut self, on: NaiveDate, add: &impl Fn(&mut PeriodFigures)) {
        add(&mut self.period);
        let offset = month_number(on) - month_number(self.from);
        if let Some(month) = usize::try_from(offset)
            .ok()
            .and_then(|i| self.months.get_mut(i))
        {
            add(month);
        }
    }
}

struct BoardSink<'m> {
    this: Side,
    compared: Side,
    now: NowFigures,
    /// The division id of each case (kpi/divisions.rs).
    division_of_case: &'m [u32],
    /// The child slot of each division id, [`NONE`] for none.
    child_of_division: Vec<u32>,
    children: Vec<(PeriodFigures, NowFigures)>,
}

impl BoardSink<'_> {
    fn child(&mut self, who: &Attribution) -> Option<&mut (PeriodFigures, NowFigures)> {
        let division = *self.division_of_case.get(who.case as usize)?;
        let slot = *self.child_of_division.get(division as usize)?;
        if slot == NONE {
            return None;
        }
        self.children.get_mut(slot as usize)
    }
}

impl Tally for BoardSink<'_> {
    fn in_period(&self, on: NaiveDate) -> bool {
        self.this.holds(on) || self.compared.holds(on)
    }

    fn period(&mut self, on: NaiveDate, who: Attribution, add: impl Fn(&mut PeriodFigures)) {
        if self.this.holds(on) {
            self.this.add(on, &add);
            if let Some(child) = self.child(&who) {
                add(&mut child.0);
            }
        }
        if self.compared.holds(on) {
            self.compared.add(on, &add);
        }
    }

    fn now(&mut self, who: Attribution, add: impl Fn(&mut NowFigures)) {
        add(&mut self.now);
        if let Some(child) = self.child(&who) {
            add(&mut child.1);
        }
    }
}

impl ReadModel {
    /// The board for `query`. Fails when a period ends before it starts.
    pub fn board(&self, query: &BoardQuery) -> Result<Board, ReadError> {
        for (from, to) in [
            (query.from, query.to),
            (query.compare_from, query.compare_to),
        ] {
            if to < from {
                return Err(ReadError::invalid(
                    "to",
                    format!("the period ends ({to}) before it starts ({from})"),
                ));
            }
        }
        let (children, child_of_division) = self.divisions.children(&query.division);
        let mut sink = BoardSink {
            this: Side::new(query.from, query.to),
            compared: Side::new(query.compare_from, query.compare_to),
            now: NowFigures::default(),
            division_of_case: self.divisions.of_case(),
            child_of_division,
            children: vec![Default::default(); children.len()],
        };
        tally(self, query.today, Some(&query.division), &mut sink);
        let dashboard = |side: Side, now: NowFigures| {
            let asked = DashboardQuery {
                from: side.from,
                to: side.to,
                today: query.today,
                division: Some(query.division.clone()),
                group_by: None,
                monthly: true,
            };
            Dashboard {
                period: side.period,
                now,
                groups: Vec::new(),
                months: months_of(month_ranges(side.from, side.to), side.months),
                late: self.late_figures(&asked),
            }
        };
        Ok(Board {
            compared: dashboard(sink.compared, sink.now.clone()),
            this: dashboard(sink.this, sink.now),
            children: children
                .into_iter()
                .zip(sink.children)
                .map(|(division, (period, now))| ChildFigures {
                    division,
                    period,
                    now,
                })
                .collect(),
        })
    }
}
