//! How the case projection stores a case: compact rows, not the API's shapes.
//!
//! A case is one [`CaseRecord`] (this module); its visits, service items, ratings and
//! complaints are rows in flat tables of their own (`work_rows.rs`), each row naming its case,
//! and the case detail gathers them through the indexes the record keeps. User ids are
//! interned ([`Sym`]), texts are boxed (`Box<str>` is a third smaller than `String`), and each
//! row keeps the lead steward of its case at the moment the counted event happened, whom the
//! dashboard credits (docs/kpis.md). The dashboard itself reads a compact copy of the counted
//! facts (kpi/facts.rs), not these rows.

use chrono::{DateTime, NaiveDate, Utc};
use guanjia_domain::case::model::{
    AgreementScope, CaseState, CloseReason, Enterprise, LeadSource, PlanContent, ProjectDetails,
    Stage,
};
use guanjia_domain::values::{CaseNumber, DivisionCode, Period, ProjectCode, Tier};
use serde::{Deserialize, Serialize};

use crate::symbols::Sym;

/// The index of a case in the case table.
pub(crate) type CaseIx = u32;
/// The index of a row in one of the row tables.
pub(crate) type RowIx = u32;

/// One enterprise case and everything that belongs to it alone.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct CaseRecord {
    pub id: Box<str>,
    pub number: CaseNumber,
    pub state: CaseState,
    pub stage: Stage,
    pub term: u32,
    pub lead_source: LeadSource,
    #[serde(with = "crate::snapshot_serde::date")]
    pub registered_on: NaiveDate,
    #[serde(with = "crate::snapshot_serde::instant")]
    pub registered_at: DateTime<Utc>,
    pub enterprise: Enterprise,
    pub corrections: Vec<Correction>,
    pub agreement: Option<Agreement>,
    /// The current lead steward (also the open lead spell of `team`).
    pub lead: Option<Sym>,
    /// Every lead and member spell, in order.
    pub team: Vec<TeamSpell>,
    pub plans: Vec<PlanVersion>,
    pub stages: Vec<StageChange>,
    pub projects: Vec<ProjectRecord>,
    pub notes: Vec<Note>,
    pub lifecycle: Vec<LifecycleStep>,
    pub visits: Vec<RowIx>,
    pub items: Vec<RowIx>,
    pub ratings: Vec<RowIx>,
    pub complaints: Vec<RowIx>,
    /// The case's last entry in the timeline table (entries chain backwards from it).
    pub last_event: u32,
    /// `PersonalDataErased` was recorded: contact, raters and complainants are blanked.
    pub personal_data_erased: bool,
    /// Every late entry (补录) of the case, in order (cases/late.rs).
    pub late_entries: Vec<LateEntryRow>,
    /// Every approval of an entry into a closed period (封账) the case used, in order.
    pub approvals: Vec<ApprovalRow>,
    /// The events still to come of the step a late entry or an approval was recorded for.
    pub cover: Option<Cover>,
}

/// One `LateEntryRecorded`: the step's date, when it was recorded, how late, and why.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct LateEntryRow {
    #[serde(with = "crate::snapshot_serde::date")]
    pub business_date: NaiveDate,
    #[serde(with = "crate::snapshot_serde::date")]
    pub recorded_on: NaiveDate,
    pub working_days_late: u32,
    pub reason: Box<str>,
    /// The events of the step that follow the record (at least 1).
    pub events: u32,
}

/// One `ClosedPeriodEntryApproved`: whose approval let a step into a closed period, and why.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct ApprovalRow {
    pub division: DivisionCode,
    pub period: Period,
    pub approval_no: u32,
    pub approved_by: Box<str>,
    pub reason: Box<str>,
    /// The events of the step that follow the record (at least 1).
    pub events: u32,
}

/// The step a late entry or an approval was recorded for: its events, up to sequence
/// `until`, are flagged with them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Cover {
    pub until: u64,
    pub late: Option<u32>,
    pub approval: Option<u32>,
}

impl CaseRecord {
    /// Not closed.
    pub fn is_open(&self) -> bool {
        self.state != CaseState::Closed
    }

    /// Whether a current project is on a key-project list.
    pub fn has_key_project(&self) -> bool {
        self.projects
            .iter()
            .any(|p| p.current().is_some_and(|d| d.key_project))
    }

    /// Whether `user` is the lead steward or a current member.
    pub fn is_on_team(&self, user: Sym) -> bool {
        self.team.iter().any(|s| s.user == user && s.to.is_none())
    }
}

/// An enterprise field that a correction can change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) enum Field {
    Name,
    Uscc,
    Division,
    Address,
    ContactName,
    ContactPhone,
}

impl Field {
    /// The field's name as the event and the API spell it.
    pub fn name(self) -> &'static str {
        match self {
            Self::Name => "name",
            Self::Uscc => "uscc",
            Self::Division => "division",
            Self::Address => "address",
            Self::ContactName => "contact_name",
            Self::ContactPhone => "contact_phone",
        }
    }

    /// Whether the field holds personal data (erased on request).
    pub fn is_personal(self) -> bool {
        matches!(self, Self::ContactName | Self::ContactPhone)
    }
}

/// One `EnterpriseDetailsCorrected`, with the values it replaced.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct Correction {
    #[serde(with = "crate::snapshot_serde::instant")]
    pub at: DateTime<Utc>,
    pub actor: Sym,
    /// (field, old value, new value).
    pub changes: Vec<(Field, Option<String>, String)>,
    pub reason: Box<str>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct Agreement {
    #[serde(with = "crate::snapshot_serde::agreement_scope")]
    pub scope: AgreementScope,
    #[serde(with = "crate::snapshot_serde::date")]
    pub signed_on: NaiveDate,
    pub signatories: Vec<String>,
    /// The lead steward when the agreement was signed: credited with the signing.
    pub lead: Option<Sym>,
}

/// A time someone spent on the team; `role` is `None` for the lead steward.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct TeamSpell {
    pub user: Sym,
    pub role: Option<Box<str>>,
    pub tier: Tier,
    pub from: DateTime<Utc>,
    pub to: Option<DateTime<Utc>>,
    pub end_reason: Option<Box<str>>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct PlanVersion {
    pub version: u32,
    pub plan: PlanContent,
    pub reason: Option<Box<str>>,
    #[serde(with = "crate::snapshot_serde::instant")]
    pub at: DateTime<Utc>,
    pub actor: Sym,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub(crate) struct StageChange {
    pub from: Stage,
    pub to: Stage,
    #[serde(with = "crate::snapshot_serde::instant")]
    pub at: DateTime<Utc>,
}

/// A project with every version of its details; the last is current.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct ProjectRecord {
    pub code: ProjectCode,
    pub versions: Vec<(DateTime<Utc>, ProjectDetails)>,
}

impl ProjectRecord {
    /// The current details.
    pub fn current(&self) -> Option<&ProjectDetails> {
        self.versions.last().map(|(_, details)| details)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct Note {
    pub note_no: u32,
    pub text: Box<str>,
    #[serde(with = "crate::snapshot_serde::instant")]
    pub at: DateTime<Utc>,
    pub author: Sym,
}

/// Hold, resume, close or reopen, with its date and its reason or summary.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct LifecycleStep {
    pub kind: LifecycleKind,
    #[serde(with = "crate::snapshot_serde::date")]
    pub on: NaiveDate,
    pub text: Box<str>,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub(crate) enum LifecycleKind {
    Held,
    Resumed,
    Closed(CloseReason),
    Reopened { term: u32 },
}
