//! The case detail: everything about one case, as a steward or leader reads it, with the live
//! parts (item deadlines and statuses, the bad-rating loop's due dates) computed for the
//! `today` the caller passes. The read structs own their data, so the api crate can hold them
//! past the read lock. Personal data (contact phone, rater, complainant) is included as
//! recorded: masking it for roles that must not see it is the api's one check.

mod notes;
mod timeline;
mod work;

use chrono::{DateTime, NaiveDate, Utc};
use guanjia_domain::case::model::{
    AgreementScope, CaseState, CloseReason, Enterprise, LeadSource, PlanContent, ProjectDetails,
    Stage,
};
use guanjia_domain::values::{CaseNumber, ProjectCode, Tier};
use serde::Serialize;

pub use self::notes::NoteWindow;
pub use self::timeline::{ApprovalNote, LateEntryNote, TimelineItem};
pub use self::work::{ComplaintView, ItemView, RatingView, SuspensionView, VisitView};
use crate::cases::{CaseRecord, LifecycleKind, TeamSpell};
pub use crate::kpi::live::{BadRatingLoop, LoopStage};
use crate::symbols::Symbols;
use crate::ReadModel;

/// Everything about one case.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CaseDetail {
    pub id: String,
    pub case_number: CaseNumber,
    pub state: CaseState,
    pub stage: Stage,
    /// The service term: 1, then one more per reopening.
    pub term: u32,
    pub lead_source: LeadSource,
    pub registered_on: NaiveDate,
    /// The enterprise as it is now.
    pub enterprise: Enterprise,
    /// The case's personal data (contact, raters, complainants) was erased on a lawful request:
    /// those fields are empty and should be shown as "erased" (已删除).
    pub personal_data_erased: bool,
    /// Every correction of the enterprise's details, oldest first.
    pub corrections: Vec<CorrectionView>,
    pub agreement: Option<AgreementView>,
    pub team: TeamView,
    /// The current plan version.
    pub plan: Option<PlanView>,
    /// Every plan version, oldest first (the current one last).
    pub plan_history: Vec<PlanView>,
    pub stage_history: Vec<StageChangeView>,
    pub projects: Vec<ProjectView>,
    pub visits: Vec<VisitView>,
    pub items: Vec<ItemView>,
    pub ratings: Vec<RatingView>,
    pub complaints: Vec<ComplaintView>,
    pub notes: Vec<NoteView>,
    /// Holds, resumptions, closing and reopenings.
    pub lifecycle: Vec<LifecycleView>,
    /// Every event of the case, in order.
    pub timeline: Vec<TimelineItem>,
}

/// One correction of the enterprise's details.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CorrectionView {
    pub recorded_at: DateTime<Utc>,
    pub actor_id: String,
    pub changes: Vec<FieldChange>,
    pub reason: String,
}

/// One field changed by a correction (`contact_phone` is personal data).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldChange {
    /// `name`, `uscc`, `division`, `address`, `contact_name` or `contact_phone`.
    pub field: String,
    pub from: Option<String>,
    pub to: String,
}

/// The signed service agreement (代办委托协议).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AgreementView {
    pub scope: AgreementScope,
    pub signed_on: NaiveDate,
    pub signatories: Vec<String>,
}

/// The team now, and everyone who was ever on it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TeamView {
    pub lead_steward: Option<TeamSpellView>,
    pub members: Vec<TeamSpellView>,
    /// Every lead and member spell, in the order they started.
    pub history: Vec<TeamSpellView>,
}

/// A time someone spent on the team, dated by when the events were recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TeamSpellView {
    pub user_id: String,
    /// The lead steward (else a member with `role`).
    pub lead: bool,
    pub role: Option<String>,
    pub tier: Tier,
    pub from: DateTime<Utc>,
    /// `None` while still on the team.
    pub to: Option<DateTime<Utc>>,
    pub end_reason: Option<String>,
}

/// One version of the 一企一策 plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PlanView {
    pub version: u32,
    pub plan: PlanContent,
    /// Why it was revised (`None` for the adopted version 1).
    pub reason: Option<String>,
    pub recorded_at: DateTime<Utc>,
    pub recorded_by: String,
}

/// A move to a later stage (设立 → 建设 → 运营).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct StageChangeView {
    pub from: Stage,
    pub to: Stage,
    pub recorded_at: DateTime<Utc>,
}

/// An investment project of the case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ProjectView {
    pub code: ProjectCode,
    /// The current details.
    pub details: ProjectDetails,
    pub added_at: DateTime<Utc>,
    /// When the details were last changed, if ever.
    pub changed_at: Option<DateTime<Utc>>,
}

/// A free-text note on the case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NoteView {
    pub note_no: u32,
    pub text: String,
    pub recorded_at: DateTime<Utc>,
    pub author_id: String,
}

/// A step in the case's life after registration and signing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LifecycleView {
    pub step: LifecycleStepKind,
    pub on: NaiveDate,
    /// The reason (hold, reopen) or summary (close); empty for a resumption.
    pub text: String,
}

/// What a life-cycle step did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LifecycleStepKind {
    Held,
    Resumed,
    Closed { reason: CloseReason },
    Reopened { term: u32 },
}

/// Which of a case's two unbounded lists (its notes and its timeline grow with every entry)
/// a detail carries. A reader that shows neither, or pages them on its own
/// ([`ReadModel::case_notes`], [`ReadModel::timeline`]), need not copy thousands of rows under
/// the read lock.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DetailParts {
    pub notes: bool,
    pub timeline: bool,
}

impl DetailParts {
    /// Everything: the case page.
    pub const ALL: Self = Self {
        notes: true,
        timeline: true,
    };
    /// Neither list: `notes` and `timeline` of the detail are left empty.
    pub const WITHOUT_LISTS: Self = Self {
        notes: false,
        timeline: false,
    };
}

impl ReadModel {
    /// Everything about the case with this id, live parts as of `today`.
    pub fn case_detail(&self, id: &str, today: NaiveDate) -> Option<CaseDetail> {
        self.case_detail_with(id, today, DetailParts::ALL)
    }

    /// The case with this id, with only the long lists `parts` asks for (the others empty).
    pub fn case_detail_with(
        &self,
        id: &str,
        today: NaiveDate,
        parts: DetailParts,
    ) -> Option<CaseDetail> {
        let record = self.cases.case(self.cases.find(id)?)?;
        let symbols = &self.symbols;
        let plan_history: Vec<PlanView> = record
            .plans
            .iter()
            .map(|p| PlanView {
                version: p.version,
                plan: p.plan.clone(),
                reason: p.reason.as_deref().map(str::to_owned),
                recorded_at: p.at,
                recorded_by: symbols.owned(p.actor),
            })
            .collect();
        Some(CaseDetail {
            id: record.id.to_string(),
            case_number: record.number,
            state: record.state,
            stage: record.stage,
            term: record.term,
            lead_source: record.lead_source,
            registered_on: record.registered_on,
            enterprise: record.enterprise.clone(),
            personal_data_erased: record.personal_data_erased,
            corrections: corrections(record, symbols),
            agreement: record.agreement.as_ref().map(|a| AgreementView {
                scope: a.scope,
                signed_on: a.signed_on,
                signatories: a.signatories.clone(),
            }),
            team: team(record, symbols),
            plan: plan_history.last().cloned(),
            plan_history,
            stage_history: record
                .stages
                .iter()
                .map(|s| StageChangeView {
                    from: s.from,
                    to: s.to,
                    recorded_at: s.at,
                })
                .collect(),
            projects: record
                .projects
                .iter()
                .filter_map(|p| {
                    let (added_at, _) = p.versions.first()?;
                    let (last_at, details) = p.versions.last()?;
                    Some(ProjectView {
                        code: p.code.clone(),
                        details: details.clone(),
                        added_at: *added_at,
                        changed_at: (p.versions.len() > 1).then_some(*last_at),
                    })
                })
                .collect(),
            visits: self.visit_views(record),
            items: self.item_views(record, today),
            ratings: self.rating_views(record, today),
            complaints: self.complaint_views(record),
            notes: if parts.notes {
                notes::views(record, NoteWindow::All, symbols)
            } else {
                Vec::new()
            },
            lifecycle: record
                .lifecycle
                .iter()
                .map(|step| LifecycleView {
                    step: match step.kind {
                        LifecycleKind::Held => LifecycleStepKind::Held,
                        LifecycleKind::Resumed => LifecycleStepKind::Resumed,
                        LifecycleKind::Closed(reason) => LifecycleStepKind::Closed { reason },
                        LifecycleKind::Reopened { term } => LifecycleStepKind::Reopened { term },
                    },
                    on: step.on,
                    text: step.text.to_string(),
                })
                .collect(),
            timeline: if parts.timeline {
                self.timeline_of(record)
            } else {
                Vec::new()
            },
        })
    }

    /// The timeline of the case with this id, without the rest of the detail.
    pub fn timeline(&self, id: &str) -> Option<Vec<TimelineItem>> {
        let record = self.cases.case(self.cases.find(id)?)?;
        Some(self.timeline_of(record))
    }
}

fn corrections(record: &CaseRecord, symbols: &Symbols) -> Vec<CorrectionView> {
    record
        .corrections
        .iter()
        .map(|c| CorrectionView {
            recorded_at: c.at,
            actor_id: symbols.owned(c.actor),
            changes: c
                .changes
                .iter()
                .map(|(field, from, to)| FieldChange {
                    field: field.name().to_owned(),
                    from: from.clone(),
                    to: to.clone(),
                })
                .collect(),
            reason: c.reason.to_string(),
        })
        .collect()
}

fn team(record: &CaseRecord, symbols: &Symbols) -> TeamView {
    let view = |s: &TeamSpell| TeamSpellView {
        user_id: symbols.owned(s.user),
        lead: s.role.is_none(),
        role: s.role.as_deref().map(str::to_owned),
        tier: s.tier,
        from: s.from,
        to: s.to,
        end_reason: s.end_reason.as_deref().map(str::to_owned),
    };
    let current = || record.team.iter().filter(|s| s.to.is_none());
    TeamView {
        lead_steward: current().find(|s| s.role.is_none()).map(view),
        members: current().filter(|s| s.role.is_some()).map(view).collect(),
        history: record.team.iter().map(view).collect(),
    }
}
