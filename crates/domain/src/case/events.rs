//! Every fact a case can record, in the past tense. Events never change once stored: a mistake is
//! corrected by a later event. Each event type carries a version (all "1" today); see
//! docs/domain-events.md for the fields and for how an old version will be upcast.

use chrono::{DateTime, NaiveDate, Utc};
use cqrs_es::DomainEvent;
use serde::{Deserialize, Serialize};

use super::model::{
    AgreementScope, Channel, CloseReason, DimensionScores, DimensionSet, Enterprise, HandlingMode,
    ItemOutcome, LeadSource, Person, PlanContent, ProjectDetails, RatingTarget, Stage,
    SuspensionReason, TeamMember,
};
use crate::catalog::CatalogItemFacts;
use crate::values::{
    CaseNumber, DivisionCode, Period, Phone, ProjectCode, RatingLevel, Tier, Uscc,
};

/// The bundle (一件事一次办) a service item was requested under.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BundleRef {
    pub code: String,
    pub version: u32,
    pub name: String,
}

/// An event of the enterprise case aggregate.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum CaseEvent {
    CaseRegistered {
        case_number: CaseNumber,
        enterprise: Enterprise,
        lead_source: LeadSource,
        stage: Stage,
        registered_on: NaiveDate,
    },
    /// Only the fields that changed are present.
    EnterpriseDetailsCorrected {
        name: Option<String>,
        uscc: Option<Uscc>,
        division: Option<DivisionCode>,
        address: Option<String>,
        contact_name: Option<String>,
        contact_phone: Option<Phone>,
        reason: String,
    },
    AgreementSigned {
        scope: AgreementScope,
        signed_on: NaiveDate,
        signatories: Vec<String>,
    },
    LeadStewardAssigned {
        steward: String,
        tier: Tier,
    },
    LeadStewardReplaced {
        previous: String,
        steward: String,
        tier: Tier,
        reason: String,
    },
    TeamMemberAdded {
        member: TeamMember,
    },
    TeamMemberRemoved {
        user_id: String,
        reason: Option<String>,
    },
    PlanAdopted {
        version: u32,
        plan: PlanContent,
    },
    PlanRevised {
        version: u32,
        plan: PlanContent,
        reason: String,
    },
    StageAdvanced {
        from: Stage,
        to: Stage,
    },
    ProjectAdded {
        code: ProjectCode,
        details: ProjectDetails,
    },
    ProjectChanged {
        code: ProjectCode,
        details: ProjectDetails,
    },
    VisitScheduled {
        visit_no: u32,
        scheduled_at: DateTime<Utc>,
        place: String,
        purpose: String,
        planned_participants: Vec<String>,
    },
    VisitConducted {
        visit_no: u32,
        conducted_at: DateTime<Utc>,
        participants: Vec<String>,
        notes: String,
        issues_raised: Vec<String>,
        follow_ups: Vec<String>,
    },
    VisitCancelled {
        visit_no: u32,
        reason: String,
    },
    /// The catalog facts are copied so that history does not change when the catalog does.
    ServiceItemRequested {
        item_no: u32,
        catalog: CatalogItemFacts,
        bundle: Option<BundleRef>,
        mode: HandlingMode,
        requested_on: NaiveDate,
    },
    /// The clock starts: the deadline is `limit_days` working days after `accepted_on`.
    ServiceItemAccepted {
        item_no: u32,
        accepted_on: NaiveDate,
        limit_days: u32,
        receipt_no: Option<String>,
    },
    ServiceItemSuspended {
        item_no: u32,
        reason: SuspensionReason,
        suspended_on: NaiveDate,
        note: Option<String>,
    },
    ServiceItemResumed {
        item_no: u32,
        resumed_on: NaiveDate,
    },
    ServiceItemExtended {
        item_no: u32,
        days: u32,
        approver: String,
        reason: String,
    },
    ServiceItemConcluded {
        item_no: u32,
        outcome: ItemOutcome,
        concluded_on: NaiveDate,
        result_reference: Option<String>,
        materials_submitted: u32,
        onsite_trips: u32,
    },
    /// 不予受理.
    ServiceItemRejected {
        item_no: u32,
        reason: String,
        rejected_on: NaiveDate,
    },
    RatingRecorded {
        rating_no: u32,
        target: RatingTarget,
        level: RatingLevel,
        dimension_set: DimensionSet,
        dimensions: DimensionScores,
        channel: Channel,
        comment: Option<String>,
        rater: Person,
        /// Set on a follow-up rating (追评): the number of the rating it follows.
        follow_up_of: Option<u32>,
        rated_at: DateTime<Utc>,
        /// The staff member who recorded the rating for the rater (录入人); `None` when the
        /// rater gave it through a one-time link (and on events from before this field).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        recorded_by: Option<String>,
    },
    /// 回访核实 of a bad rating.
    RatingCallBackRecorded {
        rating_no: u32,
        called_on: NaiveDate,
        confirmed: bool,
        notes: String,
    },
    RatingAppealed {
        rating_no: u32,
        reason: String,
    },
    RatingVoided {
        rating_no: u32,
        reviewer: String,
        reason: String,
    },
    RatingAppealRejected {
        rating_no: u32,
        reviewer: String,
        reason: String,
    },
    /// 整改 done and fed back to the rater.
    RatingRectified {
        rating_no: u32,
        rectified_on: NaiveDate,
        measures: String,
    },
    ComplaintLodged {
        complaint_no: u32,
        channel: Channel,
        content: String,
        complainant: Person,
        lodged_on: NaiveDate,
    },
    ComplaintAssigned {
        complaint_no: u32,
        assignee: String,
    },
    ComplaintResolved {
        complaint_no: u32,
        answer: String,
        resolved_on: NaiveDate,
        /// The leader of the division who signed the answer off (not on the case's team);
        /// `None` where sign-off was not required (and on events from before it was).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        signed_off_by: Option<String>,
    },
    ComplaintReferred {
        complaint_no: u32,
        to_department: String,
        reason: String,
    },
    NoteAdded {
        note_no: u32,
        text: String,
    },
    CaseHeld {
        reason: String,
        held_on: NaiveDate,
    },
    CaseResumed {
        resumed_on: NaiveDate,
    },
    CaseClosed {
        reason: CloseReason,
        summary: String,
        closed_on: NaiveDate,
    },
    /// A new service term starts; the case goes back into service.
    CaseReopened {
        term: u32,
        reason: String,
        reopened_on: NaiveDate,
    },
    /// The personal data recorded so far (contact, raters, complainants) was erased on a lawful
    /// request: its keys are shredded, so those fields read as null from now on.
    PersonalDataErased {
        reason: String,
    },
    /// A late entry (补录): the step recorded with it, in the same commit, is dated
    /// `working_days_late` working days before `recorded_on`, more than the configured limit.
    LateEntryRecorded {
        business_date: NaiveDate,
        recorded_on: NaiveDate,
        working_days_late: u32,
        reason: String,
        /// How many events of the step follow in the same commit (0 in events recorded before
        /// the count was kept: read as 1, the step's first event).
        #[serde(default)]
        events: u32,
    },
    /// A step dated inside a period closed (封账) for `division` is let in by a leader's
    /// approval (`approval_no` of that division's reporting periods); recorded first, in the
    /// same commit as the step, so each approval lets in one entry and says whose and why.
    ClosedPeriodEntryApproved {
        division: DivisionCode,
        period: Period,
        approval_no: u32,
        approved_by: String,
        reason: String,
        /// How many events of the step follow in the same commit (the late-entry record, if
        /// any, included).
        events: u32,
    },
}

impl CaseEvent {
    /// The variant name, used as the stored event type.
    pub fn name(&self) -> &'static str {
        match self {
            Self::CaseRegistered { .. } => "CaseRegistered",
            Self::EnterpriseDetailsCorrected { .. } => "EnterpriseDetailsCorrected",
            Self::AgreementSigned { .. } => "AgreementSigned",
            Self::LeadStewardAssigned { .. } => "LeadStewardAssigned",
            Self::LeadStewardReplaced { .. } => "LeadStewardReplaced",
            Self::TeamMemberAdded { .. } => "TeamMemberAdded",
            Self::TeamMemberRemoved { .. } => "TeamMemberRemoved",
            Self::PlanAdopted { .. } => "PlanAdopted",
            Self::PlanRevised { .. } => "PlanRevised",
            Self::StageAdvanced { .. } => "StageAdvanced",
            Self::ProjectAdded { .. } => "ProjectAdded",
            Self::ProjectChanged { .. } => "ProjectChanged",
            Self::VisitScheduled { .. } => "VisitScheduled",
            Self::VisitConducted { .. } => "VisitConducted",
            Self::VisitCancelled { .. } => "VisitCancelled",
            Self::ServiceItemRequested { .. } => "ServiceItemRequested",
            Self::ServiceItemAccepted { .. } => "ServiceItemAccepted",
            Self::ServiceItemSuspended { .. } => "ServiceItemSuspended",
            Self::ServiceItemResumed { .. } => "ServiceItemResumed",
            Self::ServiceItemExtended { .. } => "ServiceItemExtended",
            Self::ServiceItemConcluded { .. } => "ServiceItemConcluded",
            Self::ServiceItemRejected { .. } => "ServiceItemRejected",
            Self::RatingRecorded { .. } => "RatingRecorded",
            Self::RatingCallBackRecorded { .. } => "RatingCallBackRecorded",
            Self::RatingAppealed { .. } => "RatingAppealed",
            Self::RatingVoided { .. } => "RatingVoided",
            Self::RatingAppealRejected { .. } => "RatingAppealRejected",
            Self::RatingRectified { .. } => "RatingRectified",
            Self::ComplaintLodged { .. } => "ComplaintLodged",
            Self::ComplaintAssigned { .. } => "ComplaintAssigned",
            Self::ComplaintResolved { .. } => "ComplaintResolved",
            Self::ComplaintReferred { .. } => "ComplaintReferred",
            Self::NoteAdded { .. } => "NoteAdded",
            Self::CaseHeld { .. } => "CaseHeld",
            Self::CaseResumed { .. } => "CaseResumed",
            Self::CaseClosed { .. } => "CaseClosed",
            Self::CaseReopened { .. } => "CaseReopened",
            Self::PersonalDataErased { .. } => "PersonalDataErased",
            Self::LateEntryRecorded { .. } => "LateEntryRecorded",
            Self::ClosedPeriodEntryApproved { .. } => "ClosedPeriodEntryApproved",
        }
    }
}

/// The version of every case event type today. Bump one event's version when its payload changes
/// shape, and add an upcaster for the old one (docs/domain-events.md).
pub const CASE_EVENT_VERSION: &str = "1";

impl DomainEvent for CaseEvent {
    fn event_type(&self) -> String {
        self.name().to_owned()
    }

    fn event_version(&self) -> String {
        CASE_EVENT_VERSION.to_owned()
    }
}
