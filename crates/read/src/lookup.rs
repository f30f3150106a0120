//! Finding a case by what people quote: its id, its case number, or the enterprise's USCC
//! (统一社会信用代码). Hash indexes, so a look-up costs the same with 100 or 100,000 cases
//! (the target is under 0.1 ms).
//!
//! A USCC can be set later (an enterprise in 设立 has none) or corrected, and an enterprise may
//! have several cases over time, at most one of them open (docs/cross-case-rules.md); the index
//! keeps every case per USCC and the query picks out the open one.
//!
//! The team index (which cases each user is on) lives here too: it is the look-up behind "my
//! cases", a steward's or team's workload, and the search filter by steward.

use std::collections::HashMap;

use chrono::NaiveDate;
use guanjia_domain::case::model::{CaseState, Stage};
use guanjia_domain::values::{CaseNumber, DivisionCode, Uscc};
use serde::{Deserialize, Serialize};

use crate::cases::{CaseIx, CaseRecord, CaseStore};
use crate::symbols::{Sym, Symbols};
use crate::ReadModel;

/// A case as listed in search results and look-ups.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CaseSummary {
    pub id: String,
    pub case_number: CaseNumber,
    /// The enterprise's current name.
    pub name: String,
    pub uscc: Option<Uscc>,
    pub division: DivisionCode,
    pub state: CaseState,
    pub stage: Stage,
    /// The current lead steward's user id.
    pub lead_steward: Option<String>,
    pub registered_on: NaiveDate,
    /// Whether a current project of the case is a key project.
    pub key_project: bool,
    /// Service items not yet concluded or rejected.
    pub open_items: u32,
}

/// The cases of one enterprise.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UsccCases {
    /// The one open case, if any.
    pub open: Option<CaseSummary>,
    /// Every case of the enterprise, in order of registration (the open one included).
    pub all: Vec<CaseSummary>,
}

/// The hash indexes by case number and by USCC.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub(crate) struct Lookup {
    by_number: HashMap<CaseNumber, CaseIx>,
    by_uscc: HashMap<Uscc, Vec<CaseIx>>,
}

impl Lookup {
    /// Indexes a newly registered case.
    pub fn add(&mut self, case: CaseIx, record: &CaseRecord) {
        self.by_number.insert(record.number, case);
        self.set_uscc(case, None, record.enterprise.uscc.as_ref());
    }

    /// Moves a case from its old USCC to its new one (a correction, or a USCC set later).
    pub fn set_uscc(&mut self, case: CaseIx, old: Option<&Uscc>, new: Option<&Uscc>) {
        if old == new {
            return;
        }
        if let Some(old) = old {
            if let Some(cases) = self.by_uscc.get_mut(old) {
                cases.retain(|c| *c != case);
                if cases.is_empty() {
                    self.by_uscc.remove(old);
                }
            }
        }
        if let Some(new) = new {
            let cases = self.by_uscc.entry(new.clone()).or_default();
            if let Err(at) = cases.binary_search(&case) {
                cases.insert(at, case);
            }
        }
    }

    /// The case with this number.
    pub fn by_number(&self, number: &CaseNumber) -> Option<CaseIx> {
        self.by_number.get(number).copied()
    }

    /// Every case of the enterprise with this USCC, in registration order.
    pub fn by_uscc(&self, uscc: &Uscc) -> &[CaseIx] {
        self.by_uscc.get(uscc).map_or(&[], Vec::as_slice)
    }
}

/// User → the cases they are on now, sorted by case index.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub(crate) struct TeamIndex {
    by_user: HashMap<Sym, Vec<CaseIx>>,
}

impl TeamIndex {
    /// Records whether `user` is on `case` now.
    pub fn set(&mut self, user: Sym, case: CaseIx, on_team: bool) {
        let cases = self.by_user.entry(user).or_default();
        match (cases.binary_search(&case), on_team) {
            (Err(at), true) => cases.insert(at, case),
            (Ok(at), false) => {
                cases.remove(at);
            }
            _ => {}
        }
        if cases.is_empty() {
            self.by_user.remove(&user);
        }
    }

    /// The cases `user` is on, in case order.
    pub fn cases_of(&self, user: Sym) -> &[CaseIx] {
        self.by_user.get(&user).map_or(&[], Vec::as_slice)
    }
}

/// The summary of a case.
pub(crate) fn summarize(store: &CaseStore, symbols: &Symbols, record: &CaseRecord) -> CaseSummary {
    let open_items = store
        .items_of(record)
        .filter(|item| !item.status.is_final())
        .count();
    CaseSummary {
        id: record.id.to_string(),
        case_number: record.number,
        name: record.enterprise.name.clone(),
        uscc: record.enterprise.uscc.clone(),
        division: record.enterprise.division.clone(),
        state: record.state,
        stage: record.stage,
        lead_steward: record.lead.map(|lead| symbols.owned(lead)),
        registered_on: record.registered_on,
        key_project: record.has_key_project(),
        open_items: u32::try_from(open_items).unwrap_or(u32::MAX),
    }
}

impl ReadModel {
    /// The case with this id.
    pub fn case_by_id(&self, id: &str) -> Option<CaseSummary> {
        let record = self.cases.case(self.cases.find(id)?)?;
        Some(summarize(&self.cases, &self.symbols, record))
    }

    /// The case with this case number.
    pub fn case_by_number(&self, number: &CaseNumber) -> Option<CaseSummary> {
        let record = self.cases.case(self.lookup.by_number(number)?)?;
        Some(summarize(&self.cases, &self.symbols, record))
    }

    /// The open case and all cases of an enterprise; both empty for an unknown USCC.
    pub fn cases_by_uscc(&self, uscc: &Uscc) -> UsccCases {
        let all: Vec<CaseSummary> = self
            .lookup
            .by_uscc(uscc)
            .iter()
            .filter_map(|ix| self.cases.case(*ix))
            .map(|record| summarize(&self.cases, &self.symbols, record))
            .collect();
        let open = all
            .iter()
            .find(|case| case.state != CaseState::Closed)
            .cloned();
        UsccCases { open, all }
    }
}
