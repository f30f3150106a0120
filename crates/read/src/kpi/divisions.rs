//! The dashboard's facts grouped by division, so that a question about a town reads the town's
//! rows and not the district's.
//!
//! Every division that holds a case gets a small id; each case's division is resolved to it
//! once, when the case is registered or its division corrected, and the index keeps, per
//! division, the rows of each table (cases, visits, items, ratings, complaints) and the items
//! whose clock runs (the only ones 电子监察 lists). A query resolves its scope against the few
//! hundred divisions once, by number (`kpi::facts::Scope`), and then walks only the lists of
//! the divisions inside it (kpi/scan.rs).
//!
//! The index is derived from the case table and the dashboard's facts, kept current by the
//! read model's refresh after each event (kpi/refresh.rs), and built again from them when a
//! model is read from a snapshot rather than stored in it. Two indexes are equal when they put
//! the same rows under the same divisions, whatever ids they gave them: an index kept since the
//! first event and one built from a snapshot number their divisions differently.

use std::collections::{BTreeMap, HashMap};

use guanjia_domain::values::{DivisionCode, Tier};

use super::facts::{division_number, KpiFacts, Scope};
use crate::cases::{CaseIx, CaseRecord, CaseStore};

/// The rows of one division, each list in ascending row order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Rows {
    pub cases: Vec<u32>,
    pub visits: Vec<u32>,
    pub items: Vec<u32>,
    pub ratings: Vec<u32>,
    pub complaints: Vec<u32>,
    /// Of `items`, those accepted or suspended (their clock runs).
    pub running: Vec<u32>,
}

/// A table of rows belonging to cases.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Table {
    Visits,
    Items,
    Ratings,
    Complaints,
    Running,
}

impl Rows {
    fn table(&mut self, table: Table) -> &mut Vec<u32> {
        match table {
            Table::Visits => &mut self.visits,
            Table::Items => &mut self.items,
            Table::Ratings => &mut self.ratings,
            Table::Complaints => &mut self.complaints,
            Table::Running => &mut self.running,
        }
    }
}

/// One division that holds, or held, a case.
#[derive(Debug, Clone)]
pub(crate) struct Division {
    pub code: DivisionCode,
    pub number: u64,
    pub rows: Rows,
}

/// The index. See the module docs.
#[derive(Debug, Clone, Default)]
pub(crate) struct DivisionIndex {
    divisions: Vec<Division>,
    by_number: HashMap<u64, u32>,
    /// The division id of each case, by case index.
    of_case: Vec<u32>,
}

/// No division: a case the index has not placed.
pub(crate) const NONE: u32 = u32::MAX;

impl DivisionIndex {
    /// The index of a model's cases and facts, built whole (after reading a snapshot).
    pub(crate) fn build(cases: &CaseStore, facts: &KpiFacts) -> Self {
        let mut index = Self::default();
        for (ix, record) in cases.cases.iter().enumerate() {
            if ix < facts.cases.len() {
                index.place_case(crate::cases::index(ix), record);
            }
        }
        let tables = [
            (Table::Visits, facts.visits.iter().map(|r| r.case).collect()),
            (Table::Items, facts.items.iter().map(|r| r.case).collect()),
            (
                Table::Ratings,
                facts.ratings.iter().map(|r| r.case).collect(),
            ),
            (
                Table::Complaints,
                facts.complaints.iter().map(|r| r.case).collect::<Vec<_>>(),
            ),
        ];
        for (table, owners) in tables {
            for (ix, case) in owners.into_iter().enumerate() {
                index.add_row(table, case, crate::cases::index(ix));
            }
        }
        for (ix, item) in facts.items.iter().enumerate() {
            index.set_running(item.case, crate::cases::index(ix), item.running);
        }
        index
    }

    /// Puts `case` under its record's division: a new case joins it, a case whose division was
    /// corrected moves there with all its rows. Nothing happens when it is already there.
    pub(crate) fn place_case(&mut self, case: CaseIx, record: &CaseRecord) {
        let number = division_number(&record.enterprise.division);
        let to = match self.by_number.get(&number) {
            Some(id) => *id,
            None => {
                let id = crate::cases::index(self.divisions.len());
                self.divisions.push(Division {
                    code: record.enterprise.division.clone(),
                    number,
                    rows: Rows::default(),
                });
                self.by_number.insert(number, id);
                id
            }
        };
        let at = case as usize;
        if self.of_case.len() <= at {
            self.of_case.resize(at + 1, NONE);
        }
        let from = self.of_case.get(at).copied().unwrap_or(NONE);
        if from == to {
            return;
        }
        if let Some(slot) = self.of_case.get_mut(at) {
            *slot = to;
        }
        if let Some(old) = self.divisions.get_mut(from as usize) {
            remove(&mut old.rows.cases, case);
        }
        if let Some(new) = self.divisions.get_mut(to as usize) {
            insert(&mut new.rows.cases, case);
        }
        let moved = [
            (Table::Visits, &record.visits),
            (Table::Items, &record.items),
            (Table::Running, &record.items),
            (Table::Ratings, &record.ratings),
            (Table::Complaints, &record.complaints),
        ];
        for (table, rows) in moved {
            for row in rows {
                let held = self
                    .divisions
                    .get_mut(from as usize)
                    .is_some_and(|old| remove(old.rows.table(table), *row));
                if let (true, Some(new)) = (held, self.divisions.get_mut(to as usize)) {
                    insert(new.rows.table(table), *row);
                }
            }
        }
    }

    /// Files row `row` of `table`, a row of `case`, under the case's division (once).
    pub(crate) fn add_row(&mut self, table: Table, case: CaseIx, row: u32) {
        if let Some(division) = self.division_mut(case) {
            insert(division.rows.table(table), row);
        }
    }

    /// Notes whether item row `row` of `case` runs.
    pub(crate) fn set_running(&mut self, case: CaseIx, row: u32, running: bool) {
        if let Some(division) = self.division_mut(case) {
            if running {
                insert(&mut division.rows.running, row);
            } else {
                remove(&mut division.rows.running, row);
            }
        }
    }

    fn division_mut(&mut self, case: CaseIx) -> Option<&mut Division> {
        let id = *self.of_case.get(case as usize)?;
        self.divisions.get_mut(id as usize)
    }

    /// The division id of a case, [`NONE`] if it has none.
    pub(crate) fn of_case(&self) -> &[u32] {
        &self.of_case
    }

    /// Every division, by id.
    pub(crate) fn all(&self) -> &[Division] {
        &self.divisions
    }

    /// The division with this id.
    pub(crate) fn get(&self, id: u32) -> Option<&Division> {
        self.divisions.get(id as usize)
    }

    /// The divisions that hold at least one case, with their ids.
    pub(crate) fn holding(&self) -> impl Iterator<Item = (u32, &Division)> {
        self.divisions
            .iter()
            .enumerate()
            .filter(|(_, d)| !d.rows.cases.is_empty())
            .map(|(id, d)| (crate::cases::index(id), d))
    }

    /// The divisions one tier below `parent` that hold a case, in code order, and for each
    /// division id the place in that list of the child holding it ([`NONE`] if none does).
    pub(crate) fn children(&self, parent: &DivisionCode) -> (Vec<DivisionCode>, Vec<u32>) {
        let mut slot_of = vec![NONE; self.divisions.len()];
        // Digits of the child's code that are not zero: 9 below a district, 12 below a town.
        let width = match parent.tier() {
            Tier::District => 1000,
            Tier::Town => 1,
            Tier::Village => return (Vec::new(), slot_of),
        };
        let scope = Scope::of(parent);
        let mut found: BTreeMap<u64, Vec<u32>> = BTreeMap::new();
        for (id, division) in self.holding() {
            if scope.holds(division.number) && division.code.tier() > parent.tier() {
                found
                    .entry(division.number / width * width)
                    .or_default()
                    .push(id);
            }
        }
        let mut children = Vec::with_capacity(found.len());
        for (number, ids) in found {
            let Ok(code) = DivisionCode::parse(&format!("{number:012}")) else {
                continue;
            };
            let slot = crate::cases::index(children.len());
            children.push(code);
            for id in ids {
                if let Some(at) = slot_of.get_mut(id as usize) {
                    *at = slot;
                }
            }
        }
        (children, slot_of)
    }

    /// The divisions holding cases by number, with their rows: what equality compares.
    fn held(&self) -> BTreeMap<u64, &Rows> {
        self.holding().map(|(_, d)| (d.number, &d.rows)).collect()
    }

    fn number_of(&self, id: u32) -> Option<u64> {
        self.get(id).map(|d| d.number)
    }
}

impl PartialEq for DivisionIndex {
    fn eq(&self, other: &Self) -> bool {
        self.held() == other.held()
            && self.of_case.len() == other.of_case.len()
            && self
                .of_case
                .iter()
                .zip(&other.of_case)
                .all(|(a, b)| self.number_of(*a) == other.number_of(*b))
    }
}

/// Inserts `row` into the ascending list, unless it is there (rows are mostly appended).
fn insert(list: &mut Vec<u32>, row: u32) {
    if let Err(at) = list.binary_search(&row) {
        list.insert(at, row);
    }
}

/// Removes `row` from the ascending list; whether it was there.
fn remove(list: &mut Vec<u32>, row: u32) -> bool {
    match list.binary_search(&row) {
        Ok(at) => {
            list.remove(at);
            true
        }
        Err(_) => false,
    }
}
