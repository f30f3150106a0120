//! What the leader's dashboard needs beside the figures: the 电子监察 picture (every running
//! item in warning or overdue in a division, with its case, division and lead steward, the
//! longest overdue first) and the divisions one tier down that hold cases, for drilling down
//! from a district to its towns and from a town to its villages.
//!
//! Statuses and deadlines are the ones of kpi/live.rs, as of the `today` the caller passes, so
//! the list and the dashboard's "warning items now" and "overdue items now" always agree.

use std::collections::BTreeSet;

use chrono::NaiveDate;
use guanjia_domain::calendar::{Deadline, TimeStatus};
use guanjia_domain::values::{DivisionCode, Tier};
use serde::Serialize;

use crate::kpi::live::live_status;
use crate::workload::CaseRef;
use crate::ReadModel;

/// A running item in warning or overdue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SupervisedItem {
    pub case: CaseRef,
    /// The enterprise's current division.
    pub division: DivisionCode,
    pub item_no: u32,
    pub item_name: String,
    pub deadline: Deadline,
    pub time_status: TimeStatus,
}

impl ReadModel {
    /// Every running item in warning or overdue as of `today` in `scope` (all when `None`):
    /// overdue items first, each group by deadline (the oldest first), then case number.
    pub fn supervision(
        &self,
        scope: Option<&DivisionCode>,
        today: NaiveDate,
    ) -> Vec<SupervisedItem> {
        let mut out = Vec::new();
        for record in &self.cases.cases {
            let division = &record.enterprise.division;
            if scope.is_some_and(|s| !s.contains(division)) {
                continue;
            }
            for item in self.cases.items_of(record) {
                let Some((deadline, status)) = live_status(self, item, today) else {
                    continue;
                };
                if status == TimeStatus::OnTime {
                    continue;
                }
                out.push(SupervisedItem {
                    case: self.case_ref(record),
                    division: division.clone(),
                    item_no: item.item_no,
                    item_name: self
                        .cases
                        .facts_of(item)
                        .map_or_else(String::new, |f| f.name.clone()),
                    deadline,
                    time_status: status,
                });
            }
        }
        out.sort_by(|a, b| {
            let rank = |s: TimeStatus| u8::from(s != TimeStatus::Overdue);
            (
                rank(a.time_status),
                a.deadline.date,
                a.case.case_number,
                a.item_no,
            )
                .cmp(&(
                    rank(b.time_status),
                    b.deadline.date,
                    b.case.case_number,
                    b.item_no,
                ))
        });
        out
    }

    /// The divisions one tier below `parent` (towns of a district, villages of a town) in
    /// which at least one case's enterprise lies, in code order; none below a village.
    pub fn divisions_below(&self, parent: &DivisionCode) -> Vec<DivisionCode> {
        let width = match parent.tier() {
            Tier::District => 9,
            Tier::Town => 12,
            Tier::Village => return Vec::new(),
        };
        // Many cases share a division: look at each distinct one once.
        let distinct: BTreeSet<&DivisionCode> = self
            .cases
            .cases
            .iter()
            .map(|record| &record.enterprise.division)
            .collect();
        let mut found = BTreeSet::new();
        for division in distinct {
            if !parent.contains(division) || division.tier() <= parent.tier() {
                continue;
            }
            let code = format!("{:0<12}", &division.as_str()[..width]);
            if let Ok(child) = DivisionCode::parse(&code) {
                found.insert(child);
            }
        }
        found.into_iter().collect()
    }
}
