//! A steward's (or a team's) workload: what needs doing, and what is late, across their cases.
//!
//! "Their cases" are the cases where one of the users is the lead steward or a current member
//! (the team index). Complaints are the exception: a complaint is assigned to a person, who may
//! not be on the case's team, so those are found by assignee. Everything is as of the `today`
//! the caller passes, with the statuses and due dates of kpi/figures.rs.

use std::collections::BTreeSet;

use chrono::{DateTime, NaiveDate, Utc};
use guanjia_domain::calendar::{Deadline, TimeStatus};
use guanjia_domain::case::model::RatingTarget;
use guanjia_domain::case::state::{ComplaintStatus, VisitStatus};
use guanjia_domain::clock::china_date;
use guanjia_domain::values::{CaseNumber, RatingLevel};
use serde::Serialize;

use crate::cases::{CaseIx, CaseRecord};
use crate::kpi::live::{bad_rating_loop, live_status, BadRatingLoop, LoopStage};

use crate::lookup::{summarize, CaseSummary};
use crate::symbols::Sym;
use crate::ReadModel;

/// Working days ahead that "due soon" looks when the caller does not say.
pub const DEFAULT_HORIZON_DAYS: u32 = 5;

/// Whose workload, as of when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkloadQuery {
    /// One steward, or the members of a team (user ids).
    pub users: Vec<String>,
    pub today: NaiveDate,
    /// Items whose deadline falls within this many working days after today are "due soon".
    pub horizon_days: u32,
}

/// The workload; every list is sorted by urgency (due date, then case number).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Workload {
    pub open_cases: Vec<CaseSummary>,
    /// Running items not overdue whose deadline falls within the horizon.
    pub items_due_soon: Vec<ItemDue>,
    pub overdue_items: Vec<ItemDue>,
    /// Visits still scheduled (those whose date has passed are flagged `missed`).
    pub upcoming_visits: Vec<VisitDue>,
    /// Bad ratings, not voided, without a call-back yet.
    pub awaiting_call_back: Vec<RatingDue>,
    /// Bad ratings called back, not yet rectified, not voided (appeals pending included).
    pub awaiting_rectification: Vec<RatingDue>,
    /// Complaints assigned to one of the users and not yet resolved or referred.
    pub open_complaints: Vec<ComplaintDue>,
}

/// Which case a workload entry belongs to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CaseRef {
    pub case_id: String,
    pub case_number: CaseNumber,
    pub name: String,
    pub lead_steward: Option<String>,
}

/// A running item, with its deadline and status as of the workload's day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ItemDue {
    pub case: CaseRef,
    pub item_no: u32,
    pub item_name: String,
    pub deadline: Deadline,
    pub time_status: TimeStatus,
}

/// A visit still scheduled.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct VisitDue {
    pub case: CaseRef,
    pub visit_no: u32,
    pub scheduled_at: DateTime<Utc>,
    pub place: String,
    pub purpose: String,
    /// Scheduled for a day before today and neither conducted nor cancelled.
    pub missed: bool,
}

/// A bad rating whose loop waits for the users.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RatingDue {
    pub case: CaseRef,
    pub rating_no: u32,
    pub target: RatingTarget,
    pub level: RatingLevel,
    pub rated_at: DateTime<Utc>,
    pub bad_rating_loop: BadRatingLoop,
}

/// A complaint assigned to one of the users and still open.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ComplaintDue {
    pub case: CaseRef,
    pub complaint_no: u32,
    pub lodged_on: NaiveDate,
    pub content: String,
    pub assignee: String,
}

impl ReadModel {
    /// The workload of the users in `query` (unknown user ids have none).
    pub fn workload(&self, query: &WorkloadQuery) -> Workload {
        let users: BTreeSet<Sym> = query
            .users
            .iter()
            .filter_map(|u| self.symbols.get(u))
            .collect();
        let cases: BTreeSet<CaseIx> = users
            .iter()
            .flat_map(|u| self.team.cases_of(*u).iter().copied())
            .collect();
        let records: Vec<&CaseRecord> = cases.iter().filter_map(|c| self.cases.case(*c)).collect();
        let today = query.today;
        let horizon = self.days.add_working_days(today, query.horizon_days).date;

        let mut work = Workload {
            open_cases: Vec::new(),
            items_due_soon: Vec::new(),
            overdue_items: Vec::new(),
            upcoming_visits: Vec::new(),
            awaiting_call_back: Vec::new(),
            awaiting_rectification: Vec::new(),
            open_complaints: Vec::new(),
        };
        for record in &records {
            if record.is_open() {
                work.open_cases
                    .push(summarize(&self.cases, &self.symbols, record));
            }
            for item in self.cases.items_of(record) {
                let Some((deadline, status)) = live_status(self, item, today) else {
                    continue;
                };
                let due = ItemDue {
                    case: self.case_ref(record),
                    item_no: item.item_no,
                    item_name: self
                        .cases
                        .facts_of(item)
                        .map_or_else(String::new, |f| f.name.clone()),
                    deadline,
                    time_status: status,
                };
                if status == TimeStatus::Overdue {
                    work.overdue_items.push(due);
                } else if deadline.date <= horizon {
                    work.items_due_soon.push(due);
                }
            }
            for visit in self.cases.visits_of(record) {
                if visit.status == VisitStatus::Scheduled {
                    work.upcoming_visits.push(VisitDue {
                        case: self.case_ref(record),
                        visit_no: visit.visit_no,
                        scheduled_at: visit.scheduled_at,
                        place: visit.place.to_string(),
                        purpose: visit.purpose.to_string(),
                        missed: china_date(visit.scheduled_at) < today,
                    });
                }
            }
            for rating in self.cases.ratings_of(record) {
                let Some(state) = bad_rating_loop(self, rating, today) else {
                    continue;
                };
                let list = match (state.stage, rating.call_back.is_some()) {
                    (LoopStage::Voided | LoopStage::Rectified, _) => continue,
                    (_, false) => &mut work.awaiting_call_back,
                    (_, true) => &mut work.awaiting_rectification,
                };
                list.push(RatingDue {
                    case: self.case_ref(record),
                    rating_no: rating.rating_no,
                    target: rating.target,
                    level: rating.level,
                    rated_at: rating.rated_at,
                    bad_rating_loop: state,
                });
            }
        }
        for complaint in &self.cases.complaints {
            let Some(assignee) = complaint.assignees.last().filter(|a| users.contains(a)) else {
                continue;
            };
            let Some(record) = self.cases.case(complaint.case) else {
                continue;
            };
            if complaint.status == ComplaintStatus::Assigned {
                work.open_complaints.push(ComplaintDue {
                    case: self.case_ref(record),
                    complaint_no: complaint.complaint_no,
                    lodged_on: complaint.lodged_on,
                    content: complaint.content.to_string(),
                    assignee: self.symbols.owned(*assignee),
                });
            }
        }
        sort(&mut work);
        work
    }

    pub(crate) fn case_ref(&self, record: &CaseRecord) -> CaseRef {
        CaseRef {
            case_id: record.id.to_string(),
            case_number: record.number,
            name: record.enterprise.name.clone(),
            lead_steward: record.lead.map(|l| self.symbols.owned(l)),
        }
    }
}

fn sort(work: &mut Workload) {
    work.open_cases.sort_by_key(|c| c.case_number);
    for items in [&mut work.items_due_soon, &mut work.overdue_items] {
        items.sort_by_key(|i| (i.deadline.date, i.case.case_number, i.item_no));
    }
    work.upcoming_visits
        .sort_by_key(|v| (v.scheduled_at, v.case.case_number, v.visit_no));
    work.awaiting_call_back.sort_by_key(|r| {
        (
            r.bad_rating_loop.call_back_due.date,
            r.case.case_number,
            r.rating_no,
        )
    });
    work.awaiting_rectification.sort_by_key(|r| {
        (
            r.bad_rating_loop.rectification_due.date,
            r.case.case_number,
            r.rating_no,
        )
    });
    work.open_complaints
        .sort_by_key(|c| (c.lodged_on, c.case.case_number, c.complaint_no));
}
