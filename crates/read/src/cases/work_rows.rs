//! The rows of the case's work: visits, service items, ratings and complaints, each in a flat
//! table of its own (see `rows.rs`), the source the dashboard's facts (kpi/facts.rs) and the
//! case detail are derived from. Parts that most rows never get (a conclusion, a call-back, an
//! appeal) are boxed, so an open item or a good rating does not pay for them.

use chrono::{DateTime, NaiveDate, Utc};
use guanjia_domain::calendar::{Deadline, Suspension, WorkingDay};
use guanjia_domain::case::model::{
    Channel, DimensionSet, HandlingMode, ItemOutcome, Person, RatingTarget, SuspensionReason,
};
use guanjia_domain::case::state::{ComplaintStatus, ItemStatus, VisitStatus};
use guanjia_domain::values::RatingLevel;
use serde::{Deserialize, Serialize};

use super::rows::CaseIx;
use crate::days::{ClockRef, Schedule};
use crate::symbols::Sym;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct VisitRow {
    pub case: CaseIx,
    pub visit_no: u32,
    #[serde(with = "crate::snapshot_serde::instant")]
    pub scheduled_at: DateTime<Utc>,
    pub place: Box<str>,
    pub purpose: Box<str>,
    pub planned_participants: Vec<String>,
    pub status: VisitStatus,
    pub conducted: Option<Box<ConductedVisit>>,
    pub cancel_reason: Option<Box<str>>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct ConductedVisit {
    #[serde(with = "crate::snapshot_serde::instant")]
    pub at: DateTime<Utc>,
    pub participants: Vec<String>,
    pub notes: String,
    pub issues_raised: Vec<String>,
    pub follow_ups: Vec<String>,
    /// Credited with the visit.
    pub lead: Option<Sym>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct ItemRow {
    pub case: CaseIx,
    pub item_no: u32,
    /// Index into the shared catalog facts.
    pub facts: u32,
    /// Index into the shared bundle references, and whether this item starts a bundle use.
    pub bundle: Option<(u32, bool)>,
    pub mode: HandlingMode,
    pub status: ItemStatus,
    #[serde(with = "crate::snapshot_serde::date")]
    pub requested_on: NaiveDate,
    /// Credited with the request.
    pub requested_lead: Option<Sym>,
    #[serde(with = "crate::snapshot_serde::date_opt")]
    pub accepted_on: Option<NaiveDate>,
    pub limit_days: u32,
    pub receipt_no: Option<Box<str>>,
    /// Kept as the domain's type so the clock borrows them; details alongside, same order.
    pub suspensions: Vec<Suspension>,
    pub suspension_details: Vec<(SuspensionReason, Option<Box<str>>)>,
    pub extensions: Vec<Extension>,
    pub conclusion: Option<Box<Conclusion>>,
    pub rejection: Option<Box<(NaiveDate, Box<str>)>>,
    /// Derived from the above with the calendar and configuration; see [`Timing`].
    pub timing: Timing,
}

/// What the read model caches of an item's clock, so that a dashboard over every item of the
/// district compares dates instead of counting working days. It is a function of the row, the
/// calendar and the configuration, refreshed whenever one of them changes (kpi/live.rs).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub(crate) enum Timing {
    /// Not accepted, rejected, or suspended (the deadline then moves daily): computed on demand.
    OnDemand,
    /// Running with no suspension open.
    Running(Schedule),
    /// Concluded: the deadline as of the conclusion, whether it was met, net working days.
    Concluded {
        deadline: Deadline,
        on_time: bool,
        net_days: u32,
    },
}

impl ItemRow {
    /// Working days added by every extension.
    pub fn extension_days(&self) -> u32 {
        self.extensions.iter().map(|e| e.days).sum()
    }

    /// The clock, once the item is accepted.
    pub fn clock(&self) -> Option<ClockRef<'_>> {
        Some(ClockRef {
            accepted_on: self.accepted_on?,
            total_days: self.limit_days.saturating_add(self.extension_days()),
            suspensions: &self.suspensions,
        })
    }

    /// Accepted or suspended: the clock is running (or stopped, but not finished).
    pub fn is_running(&self) -> bool {
        matches!(self.status, ItemStatus::Accepted | ItemStatus::Suspended)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct Extension {
    pub days: u32,
    pub approver: Sym,
    pub reason: Box<str>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct Conclusion {
    pub outcome: ItemOutcome,
    #[serde(with = "crate::snapshot_serde::date")]
    pub concluded_on: NaiveDate,
    pub result_reference: Option<Box<str>>,
    pub materials_submitted: u32,
    pub onsite_trips: u32,
    /// Credited with the conclusion.
    pub lead: Option<Sym>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct RatingRow {
    pub case: CaseIx,
    pub rating_no: u32,
    #[serde(with = "crate::snapshot_serde::rating_target")]
    pub target: RatingTarget,
    pub level: RatingLevel,
    pub dimension_set: DimensionSet,
    /// Score per dimension, in the order of `DimensionSet::dimensions`; 0 when not given.
    pub scores: [u8; 4],
    pub channel: Channel,
    pub comment: Option<Box<str>>,
    pub rater: Person,
    pub follow_up_of: Option<u32>,
    pub followed_up_by: Option<u32>,
    #[serde(with = "crate::snapshot_serde::instant")]
    pub rated_at: DateTime<Utc>,
    /// The staff member who entered it (录入人); `None` when the rater gave it through a link.
    pub recorded_by: Option<Sym>,
    /// Credited with the rating.
    pub lead: Option<Sym>,
    pub call_back: Option<Box<CallBack>>,
    pub appeal: Option<Box<Appeal>>,
    pub rectification: Option<Box<(NaiveDate, Box<str>)>>,
    /// For a bad rating: when the call-back and the rectification are due (cached like
    /// [`Timing`]; the configured working days and the calendar decide them).
    pub due: Option<(WorkingDay, WorkingDay)>,
}

impl RatingRow {
    /// Voided after an appeal (申诉复核).
    pub fn is_voided(&self) -> bool {
        self.appeal
            .as_ref()
            .and_then(|a| a.decision.as_ref())
            .is_some_and(|d| d.voided)
    }

    /// Appealed and not yet decided.
    pub fn appeal_pending(&self) -> bool {
        self.appeal.as_ref().is_some_and(|a| a.decision.is_none())
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct CallBack {
    #[serde(with = "crate::snapshot_serde::date")]
    pub called_on: NaiveDate,
    pub confirmed: bool,
    pub notes: Box<str>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct Appeal {
    pub reason: Box<str>,
    pub decision: Option<AppealDecision>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct AppealDecision {
    pub voided: bool,
    pub reviewer: Sym,
    pub reason: Box<str>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct ComplaintRow {
    pub case: CaseIx,
    pub complaint_no: u32,
    pub channel: Channel,
    pub content: Box<str>,
    pub complainant: Person,
    #[serde(with = "crate::snapshot_serde::date")]
    pub lodged_on: NaiveDate,
    /// Credited with the complaint.
    pub lead: Option<Sym>,
    /// Every assignee in order; the last is current.
    pub assignees: Vec<Sym>,
    pub status: ComplaintStatus,
    pub resolution: Option<Box<(NaiveDate, Box<str>)>>,
    /// (to department, reason).
    pub referral: Option<Box<(Box<str>, Box<str>)>>,
    /// The leader who signed the answer off.
    pub signed_off_by: Option<Sym>,
}
