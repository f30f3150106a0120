//! Which rows a dashboard question reads: the divisions its scope holds, resolved once against
//! the division index (kpi/divisions.rs), then each row of those divisions walked once
//! (kpi/figures.rs says what each row counts for).
//!
//! When the scope holds every division with cases (the district, or no scope) the tables are
//! walked straight through, in row order, which streams through memory better than the
//! per-division lists; otherwise only the lists of the divisions in scope are read, so a town
//! costs what its own cases cost, not what the district's do.

use chrono::NaiveDate;
use guanjia_domain::values::DivisionCode;

use super::divisions::DivisionIndex;
use super::facts::Scope;
use super::figures::{Tally, Walk};
use crate::ReadModel;

/// The divisions a question counts.
pub(crate) struct Selection {
    /// Every division that holds a case is in scope: walk the tables whole.
    pub all: bool,
    /// The ids of the divisions in scope that hold a case.
    pub ids: Vec<u32>,
    /// By division id: whether it is in scope.
    counted: Vec<bool>,
}

impl Selection {
    /// Whether a case in the division with this id counts.
    pub(crate) fn counts(&self, id: u32) -> bool {
        self.counted.get(id as usize).copied().unwrap_or(false)
    }
}

/// The divisions of `index` that `scope` counts (every one when `None`): one comparison of
/// numbers per division, none per case.
pub(crate) fn select(index: &DivisionIndex, scope: Option<&DivisionCode>) -> Selection {
    let scope = scope.map(Scope::of);
    let counted: Vec<bool> = index
        .all()
        .iter()
        .map(|d| scope.is_none_or(|s| s.holds(d.number)))
        .collect();
    let mut all = true;
    let mut ids = Vec::new();
    for (id, _) in index.holding() {
        if counted.get(id as usize).copied().unwrap_or(false) {
            ids.push(id);
        } else {
            all = false;
        }
    }
    Selection { all, ids, counted }
}

/// Walks the dashboard's facts of the cases in `scope` (all when `None`) once, reporting each
/// counted fact to `sink`.
pub(crate) fn tally(
    model: &ReadModel,
    today: NaiveDate,
    scope: Option<&DivisionCode>,
    sink: &mut impl Tally,
) {
    let selection = select(&model.divisions, scope);
    let mut walk = Walk { model, today, sink };
    if selection.all {
        let facts = &model.kpi;
        (0..facts.cases.len()).for_each(|ix| walk.case(ix));
        (0..facts.visits.len()).for_each(|ix| walk.visit(ix));
        (0..facts.items.len()).for_each(|ix| walk.item(ix));
        (0..facts.ratings.len()).for_each(|ix| walk.rating(ix));
        (0..facts.complaints.len()).for_each(|ix| walk.complaint(ix));
        return;
    }
    for division in selection
        .ids
        .iter()
        .filter_map(|id| model.divisions.get(*id))
    {
        let rows = &division.rows;
        rows.cases.iter().for_each(|ix| walk.case(*ix as usize));
        rows.visits.iter().for_each(|ix| walk.visit(*ix as usize));
        rows.items.iter().for_each(|ix| walk.item(*ix as usize));
        rows.ratings.iter().for_each(|ix| walk.rating(*ix as usize));
        rows.complaints
            .iter()
            .for_each(|ix| walk.complaint(*ix as usize));
    }
}
