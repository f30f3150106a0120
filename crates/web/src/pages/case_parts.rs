//! The sections of the case page as the template shows them (team, plan, items, visits,
//! ratings, complaints, timeline): filled by `case_view.rs` from the read model and carried by
//! the page in `case.rs`, both of which depend on these and not on each other.

use crate::format::DeadlineText;

pub(super) struct MemberRow {
    pub name: String,
    pub role: String,
    pub tier: &'static str,
}

pub(super) struct PlanRow {
    pub version: u32,
    pub text: String,
    pub planned_items: String,
    pub milestones: Vec<String>,
    pub recorded: String,
}

/// A service item with its deadline bar: the limit, the working days used and suspended, and
/// the status in words.
pub(super) struct ItemRow {
    pub anchor: String,
    pub no: u32,
    pub name: String,
    pub code: String,
    pub department: String,
    pub kind: &'static str,
    pub mode: &'static str,
    pub status: &'static str,
    pub bundle: Option<String>,
    pub requested_on: String,
    pub accepted_on: Option<String>,
    pub limit_days: u32,
    pub extension_days: u32,
    pub used_days: u32,
    pub suspended_days: u32,
    /// The bar's width class (`w0` … `w100`).
    pub bar: String,
    /// `ok`, `warning` or `overdue`.
    pub class: &'static str,
    /// While the clock runs.
    pub deadline: Option<DeadlineText>,
    pub suspensions: Vec<String>,
    /// How it ended: concluded (on time or not) or rejected.
    pub ended: Option<String>,
}

pub(super) struct VisitRow {
    pub anchor: String,
    pub status: &'static str,
    pub when: String,
    pub place: String,
    pub purpose: String,
    pub conducted: Option<String>,
    pub participants: String,
    pub notes: String,
    pub issues: Vec<String>,
    pub follow_ups: Vec<String>,
    pub cancel_reason: Option<String>,
}

pub(super) struct RatingRow {
    pub anchor: String,
    pub target: String,
    pub level: String,
    pub bad: bool,
    pub dimensions: String,
    pub channel: &'static str,
    /// 工作人员 xx 录入, or 经评价链接自评 for a rating given through a one-time link; none
    /// for ratings recorded before the log said how they arrived.
    pub arrival: Option<String>,
    pub comment: String,
    pub rater: String,
    pub rated_at: String,
    pub voided: bool,
    pub step: Option<String>,
}

pub(super) struct ComplaintRow {
    pub anchor: String,
    pub lodged: String,
    pub status: &'static str,
    pub channel: &'static str,
    pub content: String,
    pub complainant: String,
    pub assignee: Option<String>,
    pub answer: Option<String>,
    /// The leader who signed the answer off.
    pub signed_off_by: Option<String>,
    pub referred: Option<String>,
}

pub(super) struct TimelineRow {
    pub when: String,
    pub who: String,
    pub summary: String,
    pub business_date: Option<String>,
    /// On the events of a late step (补录): its reason and how late.
    pub late: Option<String>,
    /// On the events of a step let into a closed period (封账): whose approval and why.
    pub approved: Option<String>,
}
