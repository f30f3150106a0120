//! What a user can ask of a case. Identifiers and texts arrive unchecked, as the user typed them;
//! the aggregate parses them, so every rule (and every error naming its field) lives in one place.
//! Dates left out default to today in Beijing time, from the injected clock.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use super::events::BundleRef;
use super::model::{
    AgreementScope, Channel, CloseReason, DimensionSet, HandlingMode, ItemOutcome, LeadSource,
    RatingTarget, Stage, SuspensionReason,
};
use crate::catalog::CatalogItemFacts;
use crate::periods::EntryApproval;
use crate::values::Tier;

/// Enterprise facts as entered.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct EnterpriseInput {
    pub name: String,
    pub uscc: Option<String>,
    pub division: String,
    pub address: Option<String>,
    pub contact_name: Option<String>,
    pub contact_phone: Option<String>,
}

/// A milestone as entered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MilestoneInput {
    pub name: String,
    pub due_on: NaiveDate,
}

/// A plan version as entered.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanInput {
    pub text: String,
    pub planned_items: Vec<String>,
    pub milestones: Vec<MilestoneInput>,
}

/// Project facts as entered; `investment_yuan` is whole yuan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProjectInput {
    pub code: String,
    pub name: String,
    pub investment_yuan: i64,
    pub key_project: bool,
    pub list_year: Option<i32>,
}

/// A rater or complainant as entered (personal data).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonInput {
    pub name: Option<String>,
    pub phone: Option<String>,
}

/// A rating as entered: level 1–5 overall and per dimension.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RatingInput {
    pub level: u8,
    pub dimension_set: DimensionSet,
    pub dimensions: Vec<(String, u8)>,
    pub channel: Channel,
    pub comment: Option<String>,
    pub rater: PersonInput,
    pub rated_at: Option<DateTime<Utc>>,
    /// The staff member (username) who enters the rating on the rater's behalf; `None` when
    /// the rater gave it themselves through a one-time rating link. The application layer
    /// sets it from who is acting, never from the client's input.
    #[serde(default)]
    pub recorded_by: Option<String>,
}

/// A command to the enterprise case aggregate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum CaseCommand {
    /// The case number is allocated by the store, which keeps numbers unique (docs/cross-case-rules.md).
    Register {
        case_number: String,
        enterprise: EnterpriseInput,
        lead_source: LeadSource,
        stage: Stage,
        registered_on: Option<NaiveDate>,
    },
    /// Fields left `None` are unchanged.
    CorrectEnterpriseDetails {
        correction: EnterpriseCorrection,
        reason: String,
    },
    SignAgreement {
        scope: AgreementScope,
        signed_on: NaiveDate,
        signatories: Vec<String>,
    },
    /// Assigns the lead steward, or replaces the current one (then `reason` is required).
    AssignLeadSteward {
        steward: String,
        tier: Tier,
        reason: Option<String>,
    },
    AddTeamMember {
        user_id: String,
        role: String,
        tier: Tier,
    },
    RemoveTeamMember {
        user_id: String,
        reason: Option<String>,
    },
    AdoptPlan {
        plan: PlanInput,
    },
    RevisePlan {
        plan: PlanInput,
        reason: String,
    },
    AdvanceStage {
        to: Stage,
    },
    AddProject {
        project: ProjectInput,
    },
    ChangeProject {
        project: ProjectInput,
    },
    ScheduleVisit {
        scheduled_at: DateTime<Utc>,
        place: String,
        purpose: String,
        planned_participants: Vec<String>,
    },
    ConductVisit {
        visit_no: u32,
        conducted_at: DateTime<Utc>,
        participants: Vec<String>,
        notes: String,
        issues_raised: Vec<String>,
        follow_ups: Vec<String>,
    },
    CancelVisit {
        visit_no: u32,
        reason: String,
    },
    /// The api layer looks the catalog item up and passes its current facts.
    RequestServiceItem {
        catalog: CatalogItemFacts,
        mode: HandlingMode,
        requested_on: Option<NaiveDate>,
    },
    /// One service item per catalog item of the bundle (一件事一次办).
    RequestBundle {
        bundle: BundleRef,
        items: Vec<CatalogItemFacts>,
        mode: HandlingMode,
        requested_on: Option<NaiveDate>,
    },
    /// `use_statutory_limit` counts against the statutory rather than the promised limit.
    AcceptServiceItem {
        item_no: u32,
        accepted_on: Option<NaiveDate>,
        receipt_no: Option<String>,
        use_statutory_limit: bool,
    },
    SuspendServiceItem {
        item_no: u32,
        reason: SuspensionReason,
        suspended_on: Option<NaiveDate>,
        note: Option<String>,
    },
    ResumeServiceItem {
        item_no: u32,
        resumed_on: Option<NaiveDate>,
    },
    ExtendServiceItem {
        item_no: u32,
        days: u32,
        approver: String,
        reason: String,
    },
    ConcludeServiceItem {
        item_no: u32,
        outcome: ItemOutcome,
        concluded_on: Option<NaiveDate>,
        result_reference: Option<String>,
        materials_submitted: u32,
        onsite_trips: u32,
    },
    RejectServiceItem {
        item_no: u32,
        reason: String,
        rejected_on: Option<NaiveDate>,
    },
    /// The one rating of a conducted visit or a concluded item.
    Rate {
        target: RatingTarget,
        rating: RatingInput,
    },
    /// The one follow-up rating (追评) of an earlier rating.
    RateFollowUp {
        rating_no: u32,
        rating: RatingInput,
    },
    RecordCallBack {
        rating_no: u32,
        called_on: Option<NaiveDate>,
        confirmed: bool,
        notes: String,
    },
    AppealRating {
        rating_no: u32,
        reason: String,
    },
    DecideAppeal {
        rating_no: u32,
        void: bool,
        reviewer: String,
        reason: String,
    },
    RecordRectification {
        rating_no: u32,
        rectified_on: Option<NaiveDate>,
        measures: String,
    },
    LodgeComplaint {
        channel: Channel,
        content: String,
        complainant: PersonInput,
        lodged_on: Option<NaiveDate>,
    },
    AssignComplaint {
        complaint_no: u32,
        assignee: String,
    },
    ResolveComplaint {
        complaint_no: u32,
        answer: String,
        resolved_on: Option<NaiveDate>,
        /// The leader of the division who signs the answer off (username); set by the
        /// application layer from who acts when sign-off is required. Never on the team.
        #[serde(default)]
        signed_off_by: Option<String>,
    },
    ReferComplaint {
        complaint_no: u32,
        to_department: String,
        reason: String,
    },
    AddNote {
        text: String,
    },
    Hold {
        reason: String,
        held_on: Option<NaiveDate>,
    },
    Resume {
        resumed_on: Option<NaiveDate>,
    },
    Close {
        reason: CloseReason,
        summary: String,
        closed_on: Option<NaiveDate>,
    },
    Reopen {
        reason: String,
        reopened_on: Option<NaiveDate>,
    },
    /// A step recorded as a late entry (补录), with the reason: required when the step is dated
    /// more than the configured working days before it is recorded (`case::late`).
    LateEntry {
        reason: String,
        command: Box<CaseCommand>,
    },
    /// A step dated inside a closed period (封账), let in by a leader's approval granted for
    /// this case and that period (`crate::periods`). The application layer wraps the step
    /// when its dates need it; the case records which approval it used, once.
    ApprovedEntry {
        approval: EntryApproval,
        command: Box<CaseCommand>,
    },
    /// Erases the case's personal data on a lawful request (PIPL); allowed in every state,
    /// closed included. The application layer then has the store shred the keys
    /// (`Store::shred_personal_data`).
    ErasePersonalData {
        reason: String,
    },
}

impl CaseCommand {
    /// The step itself: the command a late-entry envelope carries, or the command. Roles and
    /// scopes are judged on it.
    pub fn step(&self) -> &CaseCommand {
        match self {
            Self::LateEntry { command, .. } | Self::ApprovedEntry { command, .. } => command.step(),
            other => other,
        }
    }
}

/// A correction of enterprise details as entered; `None` leaves a field as it is.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct EnterpriseCorrection {
    pub name: Option<String>,
    pub uscc: Option<String>,
    pub division: Option<String>,
    pub address: Option<String>,
    pub contact_name: Option<String>,
    pub contact_phone: Option<String>,
}
