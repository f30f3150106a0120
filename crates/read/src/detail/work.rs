//! The work of a case as the detail shows it: visits, service items with their live deadline
//! and status, ratings with the bad-rating loop, and complaints. Every live figure comes from
//! kpi/figures.rs, so the detail, the workload and the dashboard agree on each item.

use chrono::{DateTime, NaiveDate, Utc};
use guanjia_domain::calendar::{Deadline, TimeStatus};
use guanjia_domain::case::events::BundleRef;
use guanjia_domain::case::model::{
    Channel, DimensionSet, HandlingMode, ItemOutcome, Person, RatingTarget, SuspensionReason,
};
use guanjia_domain::case::state::{ComplaintStatus, ItemStatus, VisitStatus};
use guanjia_domain::catalog::CatalogItemFacts;
use guanjia_domain::values::RatingLevel;
use serde::Serialize;

use crate::cases::{CaseRecord, ItemRow};
use crate::kpi::live::{bad_rating_loop, concluded_timeliness, live_status, BadRatingLoop};
use crate::ReadModel;

/// A visit: as scheduled, and as conducted or cancelled.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct VisitView {
    pub visit_no: u32,
    pub status: VisitStatus,
    pub scheduled_at: DateTime<Utc>,
    pub place: String,
    pub purpose: String,
    pub planned_participants: Vec<String>,
    pub conducted_at: Option<DateTime<Utc>>,
    pub participants: Vec<String>,
    pub notes: Option<String>,
    pub issues_raised: Vec<String>,
    pub follow_ups: Vec<String>,
    pub cancel_reason: Option<String>,
}

/// A service item with its clock as of the detail's `today`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ItemView {
    pub item_no: u32,
    /// The catalog version it was requested under.
    pub catalog: CatalogItemFacts,
    pub bundle: Option<BundleRef>,
    pub mode: HandlingMode,
    pub status: ItemStatus,
    pub requested_on: NaiveDate,
    pub accepted_on: Option<NaiveDate>,
    pub receipt_no: Option<String>,
    /// The limit counted (promised or statutory), in working days.
    pub limit_days: u32,
    pub extension_days: u32,
    pub suspensions: Vec<SuspensionView>,
    /// While running: as of today (provisional and suspended flags included); once concluded:
    /// as of the conclusion; otherwise `None`.
    pub deadline: Option<Deadline>,
    /// On time, warning or overdue as of today, while the clock runs.
    pub time_status: Option<TimeStatus>,
    /// Net working days used as of today while running, or to the conclusion.
    pub used_days: Option<u32>,
    pub outcome: Option<ItemOutcome>,
    pub concluded_on: Option<NaiveDate>,
    pub result_reference: Option<String>,
    pub materials_submitted: Option<u32>,
    pub onsite_trips: Option<u32>,
    /// Concluded on or before its deadline.
    pub concluded_on_time: Option<bool>,
    pub rejected_on: Option<NaiveDate>,
    pub rejection_reason: Option<String>,
}

/// A period the item's clock stood still; `until` is `None` while it still does.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SuspensionView {
    pub reason: SuspensionReason,
    pub from: NaiveDate,
    pub until: Option<NaiveDate>,
    pub note: Option<String>,
}

/// A rating (好差评) and, for a bad one, where its loop stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RatingView {
    pub rating_no: u32,
    pub target: RatingTarget,
    pub level: RatingLevel,
    pub dimension_set: DimensionSet,
    /// (dimension, score) in the set's order, for the dimensions given.
    pub dimensions: Vec<(String, u8)>,
    pub channel: Channel,
    pub comment: Option<String>,
    /// Personal data: the api masks it for roles that must not see it.
    pub rater: Person,
    pub follow_up_of: Option<u32>,
    pub followed_up_by: Option<u32>,
    pub rated_at: DateTime<Utc>,
    /// The staff member who entered it; `None` when the rater gave it through a link.
    pub recorded_by: Option<String>,
    pub voided: bool,
    pub bad_rating_loop: Option<BadRatingLoop>,
}

/// A complaint (办不成事) and how it was handled.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ComplaintView {
    pub complaint_no: u32,
    pub channel: Channel,
    pub content: String,
    /// Personal data.
    pub complainant: Person,
    pub lodged_on: NaiveDate,
    pub status: ComplaintStatus,
    /// The current assignee.
    pub assignee: Option<String>,
    pub resolved_on: Option<NaiveDate>,
    pub answer: Option<String>,
    /// The leader of the division who signed the answer off.
    pub signed_off_by: Option<String>,
    pub referred_to: Option<String>,
    pub referral_reason: Option<String>,
}

impl ReadModel {
    pub(crate) fn visit_views(&self, record: &CaseRecord) -> Vec<VisitView> {
        self.cases
            .visits_of(record)
            .map(|v| {
                let done = v.conducted.as_deref();
                VisitView {
                    visit_no: v.visit_no,
                    status: v.status,
                    scheduled_at: v.scheduled_at,
                    place: v.place.to_string(),
                    purpose: v.purpose.to_string(),
                    planned_participants: v.planned_participants.clone(),
                    conducted_at: done.map(|d| d.at),
                    participants: done.map(|d| d.participants.clone()).unwrap_or_default(),
                    notes: done.map(|d| d.notes.clone()),
                    issues_raised: done.map(|d| d.issues_raised.clone()).unwrap_or_default(),
                    follow_ups: done.map(|d| d.follow_ups.clone()).unwrap_or_default(),
                    cancel_reason: v.cancel_reason.as_deref().map(str::to_owned),
                }
            })
            .collect()
    }

    pub(crate) fn item_views(&self, record: &CaseRecord, today: NaiveDate) -> Vec<ItemView> {
        self.cases
            .items_of(record)
            .filter_map(|item| self.item_view(item, today))
            .collect()
    }

    pub(crate) fn item_view(&self, item: &ItemRow, today: NaiveDate) -> Option<ItemView> {
        let catalog = self.cases.facts_of(item)?.clone();
        let live = live_status(self, item, today);
        let done = item.conclusion.as_deref();
        let timeliness = concluded_timeliness(self, item);
        let deadline = live
            .map(|(deadline, _)| deadline)
            .or(timeliness.map(|t| t.0));
        let used_days = match (live, item.clock()) {
            (Some(_), Some(clock)) => Some(self.days.used_days(clock, today)),
            _ => timeliness.map(|t| t.2),
        };
        Some(ItemView {
            item_no: item.item_no,
            catalog,
            bundle: item
                .bundle
                .and_then(|(b, _)| self.cases.bundles.get(b).cloned()),
            mode: item.mode,
            status: item.status,
            requested_on: item.requested_on,
            accepted_on: item.accepted_on,
            receipt_no: item.receipt_no.as_deref().map(str::to_owned),
            limit_days: item.limit_days,
            extension_days: item.extension_days(),
            suspensions: item
                .suspensions
                .iter()
                .zip(&item.suspension_details)
                .map(|(s, (reason, note))| SuspensionView {
                    reason: *reason,
                    from: s.from,
                    until: s.until,
                    note: note.as_deref().map(str::to_owned),
                })
                .collect(),
            deadline,
            time_status: live.map(|(_, status)| status),
            used_days,
            outcome: done.map(|d| d.outcome),
            concluded_on: done.map(|d| d.concluded_on),
            result_reference: done.and_then(|d| d.result_reference.as_deref().map(str::to_owned)),
            materials_submitted: done.map(|d| d.materials_submitted),
            onsite_trips: done.map(|d| d.onsite_trips),
            concluded_on_time: timeliness.map(|t| t.1),
            rejected_on: item.rejection.as_ref().map(|r| r.0),
            rejection_reason: item.rejection.as_ref().map(|r| r.1.to_string()),
        })
    }

    pub(crate) fn rating_views(&self, record: &CaseRecord, today: NaiveDate) -> Vec<RatingView> {
        self.cases
            .ratings_of(record)
            .map(|r| RatingView {
                rating_no: r.rating_no,
                target: r.target,
                level: r.level,
                dimension_set: r.dimension_set,
                dimensions: r
                    .dimension_set
                    .dimensions()
                    .iter()
                    .zip(r.scores)
                    .filter(|(_, score)| *score > 0)
                    .map(|(key, score)| ((*key).to_owned(), score))
                    .collect(),
                channel: r.channel,
                comment: r.comment.as_deref().map(str::to_owned),
                rater: r.rater.clone(),
                follow_up_of: r.follow_up_of,
                followed_up_by: r.followed_up_by,
                rated_at: r.rated_at,
                recorded_by: r.recorded_by.map(|sym| self.symbols.owned(sym)),
                voided: r.is_voided(),
                bad_rating_loop: bad_rating_loop(self, r, today),
            })
            .collect()
    }

    pub(crate) fn complaint_views(&self, record: &CaseRecord) -> Vec<ComplaintView> {
        self.cases
            .complaints_of(record)
            .map(|c| ComplaintView {
                complaint_no: c.complaint_no,
                channel: c.channel,
                content: c.content.to_string(),
                complainant: c.complainant.clone(),
                lodged_on: c.lodged_on,
                status: c.status,
                assignee: c.assignees.last().map(|a| self.symbols.owned(*a)),
                resolved_on: c.resolution.as_ref().map(|r| r.0),
                answer: c.resolution.as_ref().map(|r| r.1.to_string()),
                signed_off_by: c.signed_off_by.map(|sym| self.symbols.owned(sym)),
                referred_to: c.referral.as_ref().map(|r| r.0.to_string()),
                referral_reason: c.referral.as_ref().map(|r| r.1.to_string()),
            })
            .collect()
    }
}
