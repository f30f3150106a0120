//! What the leader's dashboard needs beside the figures: the 电子监察 picture (every running
//! item in warning or overdue in a division, with its case, division and lead steward, the
//! longest overdue first) and the divisions one tier down that hold cases, for drilling down
//! from a district to its towns and from a town to its villages.
//!
//! Statuses and deadlines are the ones of kpi/live.rs, as of the `today` the caller passes, so
//! the list and the dashboard's "warning items now" and "overdue items now" always agree.
//!
//! Both read the division index (kpi/divisions.rs): the list looks only at the running items
//! of the divisions in scope, and the divisions below at the few hundred divisions that hold
//! cases, not at every case.

use std::cmp::Ordering;

use chrono::NaiveDate;
use guanjia_domain::calendar::{Deadline, TimeStatus};
use guanjia_domain::values::DivisionCode;
use serde::Serialize;

use crate::kpi::live::live_status;
use crate::kpi::scan::select;
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
        let selection = select(&self.divisions, scope);
        // With the item's case and row, so that ties keep the order of the case table.
        let mut found: Vec<(u32, u32, SupervisedItem)> = Vec::new();
        for division in selection
            .ids
            .iter()
            .filter_map(|id| self.divisions.get(*id))
        {
            for &row in &division.rows.running {
                let Some(item) = self.cases.items.get(row as usize) else {
                    continue;
                };
                let Some((deadline, status)) = live_status(self, item, today) else {
                    continue;
                };
                if status == TimeStatus::OnTime {
                    continue;
                }
                let Some(record) = self.cases.case(item.case) else {
                    continue;
                };
                found.push((
                    item.case,
                    row,
                    SupervisedItem {
                        case: self.case_ref(record),
                        division: record.enterprise.division.clone(),
                        item_no: item.item_no,
                        item_name: self
                            .cases
                            .facts_of(item)
                            .map_or_else(String::new, |f| f.name.clone()),
                        deadline,
                        time_status: status,
                    },
                ));
            }
        }
        found.sort_by(|a, b| listed_order(&a.2, &b.2).then((a.0, a.1).cmp(&(b.0, b.1))));
        found.into_iter().map(|(_, _, item)| item).collect()
    }

    /// The divisions one tier below `parent` (towns of a district, villages of a town) in
    /// which at least one case's enterprise lies, in code order; none below a village.
    pub fn divisions_below(&self, parent: &DivisionCode) -> Vec<DivisionCode> {
        self.divisions.children(parent).0
    }
}

/// Overdue before warning, then by deadline, case number and item number.
fn listed_order(a: &SupervisedItem, b: &SupervisedItem) -> Ordering {
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
}
