//! The parts of a case's detail that describe the case itself: the enterprise and its
//! corrections, the agreement, the stages, the projects, the notes, the life-cycle steps and
//! the timeline. The team and the plan are in `team.rs`; the work of the case (visits, items,
//! ratings, complaints) in `items.rs` and `visits.rs`.

use async_graphql::SimpleObject;
use chrono::{DateTime, NaiveDate, Utc};
use guanjia_domain::case::model::AgreementScope;
use guanjia_read::detail::{
    AgreementView, CorrectionView, LifecycleStepKind as ReadStep, LifecycleView, NoteView,
    ProjectView, StageChangeView, TimelineItem,
};
use guanjia_read::CaseDetail;

use super::values::{self, Money};
use crate::error::camel_case;
use crate::graphql::enums::{AgreementScopeKind, CloseReason, LifecycleStepKind, Stage};

/// The enterprise as it is now. Contact name and phone are personal data.
#[derive(SimpleObject)]
pub struct Enterprise {
    pub name: String,
    pub uscc: Option<String>,
    pub division: String,
    pub address: Option<String>,
    pub contact_name: Option<String>,
    pub contact_phone: Option<String>,
    /// Every correction of the details, oldest first (a correction is a new fact; the old
    /// values stay in the history).
    pub corrections: Vec<EnterpriseCorrection>,
}

impl Enterprise {
    /// The enterprise of `detail`, personal data masked unless `personal`.
    pub fn new(detail: &CaseDetail, personal: bool) -> Self {
        let e = &detail.enterprise;
        Self {
            name: e.name.clone(),
            uscc: e.uscc.as_ref().map(|u| u.as_str().to_owned()),
            division: e.division.as_str().to_owned(),
            address: e.address.clone(),
            contact_name: e.contact_name.as_deref().map(|n| values::name(n, personal)),
            contact_phone: e.contact_phone.as_ref().map(|p| values::phone(p, personal)),
            corrections: detail
                .corrections
                .iter()
                .map(|c| EnterpriseCorrection::new(c, personal))
                .collect(),
        }
    }
}

/// One correction of the enterprise's details.
#[derive(SimpleObject)]
pub struct EnterpriseCorrection {
    pub recorded_at: DateTime<Utc>,
    /// Who recorded it (username).
    pub actor: String,
    pub reason: String,
    pub changes: Vec<FieldChange>,
}

/// One field a correction changed.
#[derive(SimpleObject)]
pub struct FieldChange {
    /// `name`, `uscc`, `division`, `address`, `contactName` or `contactPhone`.
    pub field: String,
    pub from: Option<String>,
    pub to: String,
}

impl EnterpriseCorrection {
    fn new(correction: &CorrectionView, personal: bool) -> Self {
        let shown = |field: &str, value: &str| match field {
            "contact_name" => values::name(value, personal),
            "contact_phone" => values::phone_text(value, personal),
            _ => value.to_owned(),
        };
        Self {
            recorded_at: correction.recorded_at,
            actor: correction.actor_id.clone(),
            reason: correction.reason.clone(),
            changes: correction
                .changes
                .iter()
                .map(|c| FieldChange {
                    field: camel_case(&c.field),
                    from: c.from.as_deref().map(|v| shown(&c.field, v)),
                    to: shown(&c.field, &c.to),
                })
                .collect(),
        }
    }
}

/// The signed agreement (代办委托协议).
#[derive(SimpleObject)]
pub struct Agreement {
    pub scope: AgreementScopeKind,
    /// The stage of a stage agreement (阶段代办).
    pub stage: Option<Stage>,
    pub signed_on: NaiveDate,
    pub signatories: Vec<String>,
}

impl From<&AgreementView> for Agreement {
    fn from(a: &AgreementView) -> Self {
        let (scope, stage) = match a.scope {
            AgreementScope::Stage(stage) => (AgreementScopeKind::Stage, Some(stage.into())),
            AgreementScope::FullLifecycle => (AgreementScopeKind::FullLifecycle, None),
        };
        Self {
            scope,
            stage,
            signed_on: a.signed_on,
            signatories: a.signatories.clone(),
        }
    }
}

/// A move to a later stage.
#[derive(SimpleObject)]
pub struct StageChange {
    pub from: Stage,
    pub to: Stage,
    pub recorded_at: DateTime<Utc>,
}

impl From<&StageChangeView> for StageChange {
    fn from(s: &StageChangeView) -> Self {
        Self {
            from: s.from.into(),
            to: s.to.into(),
            recorded_at: s.recorded_at,
        }
    }
}

/// An investment project.
#[derive(SimpleObject)]
pub struct Project {
    /// The 24-digit 项目代码.
    pub code: String,
    pub name: String,
    pub investment: Money,
    pub key_project: bool,
    pub list_year: Option<i32>,
    pub added_at: DateTime<Utc>,
    /// When the details last changed, if ever.
    pub changed_at: Option<DateTime<Utc>>,
}

impl From<&ProjectView> for Project {
    fn from(p: &ProjectView) -> Self {
        Self {
            code: p.code.as_str().to_owned(),
            name: p.details.name.clone(),
            investment: p.details.investment.into(),
            key_project: p.details.key_project,
            list_year: p.details.list_year,
            added_at: p.added_at,
            changed_at: p.changed_at,
        }
    }
}

/// A note on the timeline.
#[derive(SimpleObject)]
pub struct Note {
    pub note_no: u32,
    pub text: String,
    pub recorded_at: DateTime<Utc>,
    pub author: String,
}

impl From<&NoteView> for Note {
    fn from(n: &NoteView) -> Self {
        Self {
            note_no: n.note_no,
            text: n.text.clone(),
            recorded_at: n.recorded_at,
            author: n.author_id.clone(),
        }
    }
}

/// A hold, resumption, closing or reopening.
#[derive(SimpleObject)]
pub struct LifecycleStep {
    pub kind: LifecycleStepKind,
    pub on: NaiveDate,
    /// The reason (hold, reopening) or summary (closing); empty for a resumption.
    pub text: String,
    /// Why the case was closed, for a closing.
    pub close_reason: Option<CloseReason>,
    /// The new service term, for a reopening.
    pub term: Option<u32>,
}

impl From<&LifecycleView> for LifecycleStep {
    fn from(s: &LifecycleView) -> Self {
        let (kind, close_reason, term) = match s.step {
            ReadStep::Held => (LifecycleStepKind::Held, None, None),
            ReadStep::Resumed => (LifecycleStepKind::Resumed, None, None),
            ReadStep::Closed { reason } => (LifecycleStepKind::Closed, Some(reason.into()), None),
            ReadStep::Reopened { term } => (LifecycleStepKind::Reopened, None, Some(term)),
        };
        Self {
            kind,
            on: s.on,
            text: s.text.clone(),
            close_reason,
            term,
        }
    }
}

/// One event of a case.
#[derive(SimpleObject)]
pub struct TimelineEntry {
    /// The event's log position (opaque; comparable with mutation results).
    pub position: String,
    /// The event's number within the case, from 1.
    pub sequence: u64,
    /// e.g. `ServiceItemAccepted`.
    pub event_type: String,
    pub recorded_at: DateTime<Utc>,
    pub actor: String,
    pub actor_role: String,
    /// The date the event is about (accepted on, signed on, …), where it has one.
    pub business_date: Option<NaiveDate>,
    /// A short summary in Chinese.
    pub summary: String,
    /// Set on the record of a late entry (补录) and on the events of its step.
    pub late_entry: Option<LateEntryNote>,
    /// Set on the record of an approval into a closed period (封账) and on the events of its
    /// step.
    pub closed_period_approval: Option<ClosedPeriodApprovalNote>,
}

/// Why and how late a step was recorded.
#[derive(SimpleObject)]
pub struct LateEntryNote {
    /// The step's (earliest) business date.
    pub business_date: NaiveDate,
    pub recorded_on: NaiveDate,
    pub working_days_late: u32,
    pub reason: String,
}

/// Whose approval let a step dated inside a closed period in, and why.
#[derive(SimpleObject)]
pub struct ClosedPeriodApprovalNote {
    /// The division that closed the period.
    pub division: String,
    /// `2023`, `2023-Q4` or `2023-05`.
    pub period: String,
    /// The approval's number within the division.
    pub approval_no: u32,
    pub approved_by: String,
    pub reason: String,
}

impl From<&TimelineItem> for TimelineEntry {
    fn from(t: &TimelineItem) -> Self {
        Self {
            position: t.position.to_string(),
            sequence: t.sequence,
            event_type: t.event_type.to_owned(),
            recorded_at: t.recorded_at,
            actor: t.actor_id.clone(),
            actor_role: t.actor_role.clone(),
            business_date: t.business_date,
            summary: t.summary.clone(),
            late_entry: t.late_entry.as_ref().map(|n| LateEntryNote {
                business_date: n.business_date,
                recorded_on: n.recorded_on,
                working_days_late: n.working_days_late,
                reason: n.reason.clone(),
            }),
            closed_period_approval: t.approval.as_ref().map(|n| ClosedPeriodApprovalNote {
                division: n.division.clone(),
                period: n.period.clone(),
                approval_no: n.approval_no,
                approved_by: n.approved_by.clone(),
                reason: n.reason.clone(),
            }),
        }
    }
}
