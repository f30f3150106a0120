//! A steward's (or a team's) workload: open cases, items due soon and overdue, upcoming visits,
//! bad ratings waiting for a call-back or rectification, and complaints assigned to them.
//! Every entry names its case; entries of cases the viewer may not read are left out by the
//! query before these types are built.

use async_graphql::{SimpleObject, ID};
use chrono::{DateTime, NaiveDate, Utc};
use guanjia_domain::case::model::RatingTarget;
use guanjia_read::workload::{CaseRef as ReadCaseRef, ComplaintDue, ItemDue, RatingDue, VisitDue};
use guanjia_read::Workload as ReadWorkload;

use super::case::Case;
use super::items::ItemDeadline;
use super::visits::BadRatingLoop;
use crate::graphql::enums::{RatingTargetKind, TimeStatus};

/// What needs doing, most urgent first in every list.
#[derive(SimpleObject)]
pub struct Workload {
    /// Whose workload (usernames).
    pub users: Vec<String>,
    /// The day the statuses are computed for (Beijing).
    pub today: NaiveDate,
    /// "Due soon" looks this many working days ahead.
    pub horizon_days: u32,
    pub open_cases: Vec<Case>,
    /// Running items, not overdue, due within the horizon.
    pub items_due_soon: Vec<WorkItem>,
    pub overdue_items: Vec<WorkItem>,
    /// Visits still scheduled (past ones flagged `missed`).
    pub upcoming_visits: Vec<WorkVisit>,
    /// Bad ratings without a call-back yet.
    pub awaiting_call_back: Vec<WorkRating>,
    /// Bad ratings called back and not yet rectified (appeals pending included).
    pub awaiting_rectification: Vec<WorkRating>,
    /// Complaints assigned to one of the users and still open.
    pub open_complaints: Vec<WorkComplaint>,
}

impl Workload {
    /// The workload with only the entries of cases `visible` lets through.
    pub fn new(
        work: ReadWorkload,
        users: Vec<String>,
        today: NaiveDate,
        horizon_days: u32,
        visible: impl Fn(&str) -> bool,
    ) -> Self {
        let keep = |case: &ReadCaseRef| visible(&case.case_id);
        Self {
            users,
            today,
            horizon_days,
            open_cases: work
                .open_cases
                .into_iter()
                .filter(|c| visible(&c.id))
                .map(Case::new)
                .collect(),
            items_due_soon: items(work.items_due_soon, keep),
            overdue_items: items(work.overdue_items, keep),
            upcoming_visits: work
                .upcoming_visits
                .into_iter()
                .filter(|v| keep(&v.case))
                .map(WorkVisit::from)
                .collect(),
            awaiting_call_back: ratings(work.awaiting_call_back, keep),
            awaiting_rectification: ratings(work.awaiting_rectification, keep),
            open_complaints: work
                .open_complaints
                .into_iter()
                .filter(|c| keep(&c.case))
                .map(WorkComplaint::from)
                .collect(),
        }
    }
}

fn items(list: Vec<ItemDue>, keep: impl Fn(&ReadCaseRef) -> bool) -> Vec<WorkItem> {
    list.into_iter()
        .filter(|i| keep(&i.case))
        .map(WorkItem::from)
        .collect()
}

fn ratings(list: Vec<RatingDue>, keep: impl Fn(&ReadCaseRef) -> bool) -> Vec<WorkRating> {
    list.into_iter()
        .filter(|r| keep(&r.case))
        .map(WorkRating::from)
        .collect()
}

/// The case a workload entry belongs to.
#[derive(SimpleObject)]
pub struct CaseRef {
    pub case_id: ID,
    pub case_number: String,
    pub name: String,
    pub lead_steward: Option<String>,
}

impl From<ReadCaseRef> for CaseRef {
    fn from(c: ReadCaseRef) -> Self {
        Self {
            case_id: ID::from(c.case_id),
            case_number: c.case_number.to_string(),
            name: c.name,
            lead_steward: c.lead_steward,
        }
    }
}

/// A running item and its deadline.
#[derive(SimpleObject)]
pub struct WorkItem {
    pub case: CaseRef,
    pub item_no: u32,
    pub item_name: String,
    pub deadline: ItemDeadline,
    pub time_status: TimeStatus,
}

impl From<ItemDue> for WorkItem {
    fn from(i: ItemDue) -> Self {
        Self {
            case: i.case.into(),
            item_no: i.item_no,
            item_name: i.item_name,
            deadline: i.deadline.into(),
            time_status: i.time_status.into(),
        }
    }
}

/// A visit still scheduled.
#[derive(SimpleObject)]
pub struct WorkVisit {
    pub case: CaseRef,
    pub visit_no: u32,
    pub scheduled_at: DateTime<Utc>,
    pub place: String,
    pub purpose: String,
    /// Scheduled for a day before today and neither conducted nor cancelled.
    pub missed: bool,
}

impl From<VisitDue> for WorkVisit {
    fn from(v: VisitDue) -> Self {
        Self {
            case: v.case.into(),
            visit_no: v.visit_no,
            scheduled_at: v.scheduled_at,
            place: v.place,
            purpose: v.purpose,
            missed: v.missed,
        }
    }
}

/// A bad rating whose loop waits.
#[derive(SimpleObject)]
pub struct WorkRating {
    pub case: CaseRef,
    pub rating_no: u32,
    pub target_kind: RatingTargetKind,
    pub target_no: u32,
    pub level: u8,
    pub rated_at: DateTime<Utc>,
    pub bad_rating_loop: BadRatingLoop,
}

impl From<RatingDue> for WorkRating {
    fn from(r: RatingDue) -> Self {
        let (target_kind, target_no) = match r.target {
            RatingTarget::Visit(no) => (RatingTargetKind::Visit, no),
            RatingTarget::Item(no) => (RatingTargetKind::Item, no),
        };
        Self {
            bad_rating_loop: BadRatingLoop::from(&r.bad_rating_loop),
            case: r.case.into(),
            rating_no: r.rating_no,
            target_kind,
            target_no,
            level: r.level.get(),
            rated_at: r.rated_at,
        }
    }
}

/// A complaint assigned and still open.
#[derive(SimpleObject)]
pub struct WorkComplaint {
    pub case: CaseRef,
    pub complaint_no: u32,
    pub lodged_on: NaiveDate,
    pub content: String,
    pub assignee: String,
}

impl From<ComplaintDue> for WorkComplaint {
    fn from(c: ComplaintDue) -> Self {
        Self {
            case: c.case.into(),
            complaint_no: c.complaint_no,
            lodged_on: c.lodged_on,
            content: c.content,
            assignee: c.assignee,
        }
    }
}
