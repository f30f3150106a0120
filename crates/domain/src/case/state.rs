//! The state a case keeps to decide commands, rebuilt by applying its events in order.
//! Only what the rules need is kept; the read model keeps the rest.

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::dates::CaseDates;
use super::events::CaseEvent;
use super::model::{
    AgreementScope, CaseState, Enterprise, PlanContent, ProjectDetails, RatingTarget, Stage,
    TeamMember,
};
use crate::catalog::CatalogItemFacts;
use crate::values::{CaseNumber, ProjectCode, RatingLevel};

/// Where a visit stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum VisitStatus {
    Scheduled,
    Conducted,
    Cancelled,
}

/// Where a service item stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ItemStatus {
    Requested,
    Accepted,
    Suspended,
    Concluded,
    Rejected,
}

impl ItemStatus {
    /// Concluded or rejected: nothing more will happen to the item.
    pub fn is_final(self) -> bool {
        matches!(self, Self::Concluded | Self::Rejected)
    }
}

/// A service item as far as the rules need it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ItemState {
    pub status: ItemStatus,
    pub catalog: CatalogItemFacts,
    pub requested_on: NaiveDate,
    pub accepted_on: Option<NaiveDate>,
    pub suspended_on: Option<NaiveDate>,
    /// The date of the item's latest step: no later step may be dated before it.
    pub last_step_on: NaiveDate,
    pub extension_days: u32,
}

/// Where a rating stands in the bad-rating loop.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RatingState {
    pub target: RatingTarget,
    pub level: RatingLevel,
    pub rated_on: NaiveDate,
    /// The date of the call-back (回访核实), once recorded.
    pub called_on: Option<NaiveDate>,
    /// The date of the latest step of the rating's loop (rating, call-back, rectification):
    /// its follow-up rating may not be dated before it.
    pub last_step_on: NaiveDate,
    pub follow_up_of: Option<u32>,
    pub followed_up: bool,
    pub called_back: bool,
    pub appealed: bool,
    pub appeal_pending: bool,
    pub voided: bool,
    pub rectified: bool,
}

/// Where a complaint stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ComplaintStatus {
    Lodged,
    Assigned,
    Resolved,
    Referred,
}

/// The enterprise case aggregate (一企一档).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct EnterpriseCase {
    pub state: CaseState,
    pub case_number: Option<CaseNumber>,
    pub enterprise: Option<Enterprise>,
    pub stage: Option<Stage>,
    pub agreement: Option<AgreementScope>,
    pub registered_on: Option<NaiveDate>,
    /// The current service term: 1, then one more per reopening.
    pub term: u32,
    pub lead_steward: Option<String>,
    pub members: BTreeMap<String, TeamMember>,
    pub plan: Option<(u32, PlanContent)>,
    pub projects: BTreeMap<String, (ProjectCode, ProjectDetails)>,
    pub visits: BTreeMap<u32, VisitStatus>,
    pub items: BTreeMap<u32, ItemState>,
    pub ratings: BTreeMap<u32, RatingState>,
    /// The initial rating of each rated visit or item: one per target. Stored as a list of
    /// pairs: a JSON object cannot have a `RatingTarget` as its key.
    #[serde(with = "crate::map_pairs")]
    pub rated_targets: BTreeMap<RatingTarget, u32>,
    pub complaints: BTreeMap<u32, ComplaintStatus>,
    pub notes: u32,
    /// The business dates that later steps may not precede. Required when a snapshot is read:
    /// a snapshot taken before it existed no longer reads and is replayed instead.
    pub dates: CaseDates,
    /// The approvals of entries into closed periods this case used (`EntryApproval::key`):
    /// each lets in one entry.
    #[serde(default)]
    pub used_approvals: BTreeSet<String>,
}

impl EnterpriseCase {
    /// Applies one event. Events are facts: applying never fails, and an event that does not fit
    /// the state (impossible unless the log was edited) changes only what it names.
    pub fn apply_event(&mut self, event: CaseEvent) {
        use CaseEvent as E;
        self.dates.apply(&event);
        match event {
            E::CaseRegistered {
                case_number,
                enterprise,
                stage,
                registered_on,
                ..
            } => {
                self.state = CaseState::Registered;
                self.case_number = Some(case_number);
                self.enterprise = Some(enterprise);
                self.stage = Some(stage);
                self.registered_on = Some(registered_on);
                self.term = 1;
            }
            E::EnterpriseDetailsCorrected {
                name,
                uscc,
                division,
                address,
                contact_name,
                contact_phone,
                ..
            } => {
                if let Some(e) = self.enterprise.as_mut() {
                    if let Some(v) = name {
                        e.name = v;
                    }
                    if let Some(v) = uscc {
                        e.uscc = Some(v);
                    }
                    if let Some(v) = division {
                        e.division = v;
                    }
                    if let Some(v) = address {
                        e.address = Some(v);
                    }
                    if let Some(v) = contact_name {
                        e.contact_name = Some(v);
                    }
                    if let Some(v) = contact_phone {
                        e.contact_phone = Some(v);
                    }
                }
            }
            E::AgreementSigned { scope, .. } => {
                self.agreement = Some(scope);
                self.state = CaseState::Signed;
            }
            E::LeadStewardAssigned { steward, .. } | E::LeadStewardReplaced { steward, .. } => {
                self.lead_steward = Some(steward);
            }
            E::TeamMemberAdded { member } => {
                self.members.insert(member.user_id.clone(), member);
            }
            E::TeamMemberRemoved { user_id, .. } => {
                self.members.remove(&user_id);
            }
            E::PlanAdopted { version, plan } => {
                self.plan = Some((version, plan));
                if self.state == CaseState::Signed {
                    self.state = CaseState::InService;
                }
            }
            E::PlanRevised { version, plan, .. } => self.plan = Some((version, plan)),
            E::StageAdvanced { to, .. } => self.stage = Some(to),
            E::ProjectAdded { code, details } | E::ProjectChanged { code, details } => {
                self.projects
                    .insert(code.as_str().to_owned(), (code, details));
            }
            E::VisitScheduled { visit_no, .. } => {
                self.visits.insert(visit_no, VisitStatus::Scheduled);
            }
            E::VisitConducted { visit_no, .. } => {
                self.visits.insert(visit_no, VisitStatus::Conducted);
            }
            E::VisitCancelled { visit_no, .. } => {
                self.visits.insert(visit_no, VisitStatus::Cancelled);
            }
            E::ServiceItemRequested {
                item_no,
                catalog,
                requested_on,
                ..
            } => {
                let item = ItemState {
                    status: ItemStatus::Requested,
                    catalog,
                    requested_on,
                    accepted_on: None,
                    suspended_on: None,
                    last_step_on: requested_on,
                    extension_days: 0,
                };
                self.items.insert(item_no, item);
            }
            E::ServiceItemAccepted {
                item_no,
                accepted_on,
                ..
            } => self.with_item(item_no, |i| {
                i.status = ItemStatus::Accepted;
                i.accepted_on = Some(accepted_on);
                i.last_step_on = accepted_on;
            }),
            E::ServiceItemSuspended {
                item_no,
                suspended_on,
                ..
            } => self.with_item(item_no, |i| {
                i.status = ItemStatus::Suspended;
                i.suspended_on = Some(suspended_on);
                i.last_step_on = suspended_on;
            }),
            E::ServiceItemResumed {
                item_no,
                resumed_on,
            } => self.with_item(item_no, |i| {
                i.status = ItemStatus::Accepted;
                i.suspended_on = None;
                i.last_step_on = resumed_on;
            }),
            E::ServiceItemExtended { item_no, days, .. } => {
                self.with_item(item_no, |i| i.extension_days += days)
            }
            E::ServiceItemConcluded {
                item_no,
                concluded_on,
                ..
            } => self.with_item(item_no, |i| {
                i.status = ItemStatus::Concluded;
                i.last_step_on = concluded_on;
            }),
            E::ServiceItemRejected {
                item_no,
                rejected_on,
                ..
            } => self.with_item(item_no, |i| {
                i.status = ItemStatus::Rejected;
                i.last_step_on = rejected_on;
            }),
            E::RatingRecorded {
                rating_no,
                target,
                level,
                follow_up_of,
                rated_at,
                ..
            } => {
                match follow_up_of {
                    Some(original) => self.with_rating(original, |r| r.followed_up = true),
                    None => {
                        self.rated_targets.insert(target, rating_no);
                    }
                }
                let rated_on = crate::clock::china_date(rated_at);
                let rating = RatingState {
                    target,
                    level,
                    rated_on,
                    last_step_on: rated_on,
                    called_on: None,
                    follow_up_of,
                    followed_up: false,
                    called_back: false,
                    appealed: false,
                    appeal_pending: false,
                    voided: false,
                    rectified: false,
                };
                self.ratings.insert(rating_no, rating);
            }
            E::RatingCallBackRecorded {
                rating_no,
                called_on,
                ..
            } => self.with_rating(rating_no, |r| {
                r.called_back = true;
                r.called_on = Some(called_on);
                r.last_step_on = called_on;
            }),
            E::RatingAppealed { rating_no, .. } => self.with_rating(rating_no, |r| {
                r.appealed = true;
                r.appeal_pending = true;
            }),
            E::RatingVoided { rating_no, .. } => self.with_rating(rating_no, |r| {
                r.appeal_pending = false;
                r.voided = true;
            }),
            E::RatingAppealRejected { rating_no, .. } => {
                self.with_rating(rating_no, |r| r.appeal_pending = false)
            }
            E::RatingRectified {
                rating_no,
                rectified_on,
                ..
            } => self.with_rating(rating_no, |r| {
                r.rectified = true;
                r.last_step_on = rectified_on;
            }),
            E::ComplaintLodged { complaint_no, .. } => {
                self.complaints
                    .insert(complaint_no, ComplaintStatus::Lodged);
            }
            E::ComplaintAssigned { complaint_no, .. } => {
                self.complaints
                    .insert(complaint_no, ComplaintStatus::Assigned);
            }
            E::ComplaintResolved { complaint_no, .. } => {
                self.complaints
                    .insert(complaint_no, ComplaintStatus::Resolved);
            }
            E::ComplaintReferred { complaint_no, .. } => {
                self.complaints
                    .insert(complaint_no, ComplaintStatus::Referred);
            }
            E::NoteAdded { note_no, .. } => self.notes = note_no,
            E::CaseHeld { .. } => self.state = CaseState::OnHold,
            E::CaseResumed { .. } => self.state = CaseState::InService,
            E::CaseClosed { .. } => self.state = CaseState::Closed,
            // Its dates are kept by `dates`; the rules need nothing more of it.
            E::LateEntryRecorded { .. } => {}
            E::ClosedPeriodEntryApproved {
                division,
                approval_no,
                ..
            } => {
                self.used_approvals
                    .insert(format!("{division}#{approval_no}"));
            }
            E::PersonalDataErased { .. } => {
                if let Some(e) = self.enterprise.as_mut() {
                    e.contact_name = None;
                    e.contact_phone = None;
                }
            }
            E::CaseReopened { term, .. } => {
                self.term = term;
                // A case closed before it was signed or planned goes back to where it stood.
                self.state = match (&self.agreement, &self.plan) {
                    (Some(_), Some(_)) => CaseState::InService,
                    (Some(_), None) => CaseState::Signed,
                    (None, _) => CaseState::Registered,
                };
            }
        }
    }

    fn with_item(&mut self, item_no: u32, change: impl FnOnce(&mut ItemState)) {
        if let Some(item) = self.items.get_mut(&item_no) {
            change(item);
        }
    }

    fn with_rating(&mut self, rating_no: u32, change: impl FnOnce(&mut RatingState)) {
        if let Some(rating) = self.ratings.get_mut(&rating_no) {
            change(rating);
        }
    }
}
