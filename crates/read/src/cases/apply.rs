//! What each case-level event does to a case record: registration, corrections, agreement, team,
//! plan, stage, projects, notes and the life cycle. The state changes mirror the aggregate's
//! `EnterpriseCase::apply_event`, so the read side never disagrees with the rules about where a
//! case stands. Visits, items, ratings and complaints are in `work.rs`.

use guanjia_domain::case::model::CaseState;
use guanjia_domain::case::CaseEvent;

use super::timeline::{index, EventKind, Mark, NO_ENTRY};
use super::PushExact;
use super::{
    Agreement, ApprovalRow, CaseIx, CaseRecord, Correction, Field, LateEntryRow, LifecycleKind,
    LifecycleStep, Note, PlanVersion, ProjectRecord, StageChange,
};
use super::{CaseStore, EventContext};
use crate::symbols::Symbols;

impl CaseStore {
    /// Creates the case of a `CaseRegistered`; `None` (and nothing changes) when the id is
    /// already registered or the event is another one.
    pub fn register(&mut self, id: &str, ctx: &EventContext, event: CaseEvent) -> Option<CaseIx> {
        let CaseEvent::CaseRegistered {
            case_number,
            enterprise,
            lead_source,
            stage,
            registered_on,
        } = event
        else {
            return None;
        };
        if self.by_id.contains_key(id) {
            return None;
        }
        let ix = index(self.cases.len());
        self.cases.push(CaseRecord {
            id: id.into(),
            number: case_number,
            state: CaseState::Registered,
            stage,
            term: 1,
            lead_source,
            registered_on,
            registered_at: ctx.recorded_at,
            enterprise,
            corrections: Vec::new(),
            agreement: None,
            lead: None,
            team: Vec::new(),
            plans: Vec::new(),
            stages: Vec::new(),
            projects: Vec::new(),
            notes: Vec::new(),
            lifecycle: Vec::new(),
            visits: Vec::new(),
            items: Vec::new(),
            ratings: Vec::new(),
            complaints: Vec::new(),
            last_event: NO_ENTRY,
            personal_data_erased: false,
            late_entries: Vec::new(),
            approvals: Vec::new(),
            cover: None,
        });
        self.by_id.insert(id.into(), ix);
        self.apply_pending(id, ix);
        self.record_event(
            ix,
            ctx,
            EventKind::CaseRegistered,
            Mark::on(registered_on, 0),
        );
        Some(ix)
    }

    /// Applies one event to the case; `None` when it names something the case does not have.
    pub(super) fn apply_event(
        &mut self,
        case: CaseIx,
        ctx: &EventContext,
        event: CaseEvent,
        symbols: &mut Symbols,
    ) -> Option<Mark> {
        use CaseEvent as E;
        self.cases.get(case as usize)?;
        let work = match event {
            E::VisitScheduled { .. } | E::VisitConducted { .. } | E::VisitCancelled { .. } => {
                return self.apply_visit(case, event)
            }
            E::ServiceItemRequested { .. }
            | E::ServiceItemAccepted { .. }
            | E::ServiceItemSuspended { .. }
            | E::ServiceItemResumed { .. }
            | E::ServiceItemExtended { .. }
            | E::ServiceItemConcluded { .. }
            | E::ServiceItemRejected { .. } => return self.apply_item(case, ctx, event, symbols),
            E::RatingRecorded { .. }
            | E::RatingCallBackRecorded { .. }
            | E::RatingAppealed { .. }
            | E::RatingVoided { .. }
            | E::RatingAppealRejected { .. }
            | E::RatingRectified { .. } => return self.apply_rating(case, event, symbols),
            E::ComplaintLodged { .. }
            | E::ComplaintAssigned { .. }
            | E::ComplaintResolved { .. }
            | E::ComplaintReferred { .. } => return self.apply_complaint(case, event, symbols),
            E::PersonalDataErased { .. } => return self.erase_personal_data(case),
            other => other,
        };
        let record = self.cases.get_mut(case as usize)?;
        apply_to_record(record, ctx, work, symbols)
    }
}

/// The events that change only the case record itself.
fn apply_to_record(
    record: &mut CaseRecord,
    ctx: &EventContext,
    event: CaseEvent,
    symbols: &mut Symbols,
) -> Option<Mark> {
    use CaseEvent as E;
    let at = ctx.recorded_at;
    match event {
        E::EnterpriseDetailsCorrected {
            name,
            uscc,
            division,
            address,
            contact_name,
            contact_phone,
            reason,
        } => {
            let e = &mut record.enterprise;
            let mut changes = Vec::new();
            if let Some(v) = name {
                changes.push((
                    Field::Name,
                    Some(std::mem::replace(&mut e.name, v.clone())),
                    v,
                ));
            }
            if let Some(v) = uscc {
                let old = e.uscc.replace(v.clone()).map(|u| u.as_str().to_owned());
                changes.push((Field::Uscc, old, v.as_str().to_owned()));
            }
            if let Some(v) = division {
                let old = std::mem::replace(&mut e.division, v.clone());
                changes.push((
                    Field::Division,
                    Some(old.as_str().to_owned()),
                    v.as_str().to_owned(),
                ));
            }
            if let Some(v) = address {
                changes.push((Field::Address, e.address.replace(v.clone()), v));
            }
            if let Some(v) = contact_name {
                changes.push((Field::ContactName, e.contact_name.replace(v.clone()), v));
            }
            if let Some(v) = contact_phone {
                let old = e
                    .contact_phone
                    .replace(v.clone())
                    .map(|p| p.as_str().to_owned());
                changes.push((Field::ContactPhone, old, v.as_str().to_owned()));
            }
            record.corrections.push_exact(Correction {
                at,
                actor: ctx.actor,
                changes,
                reason: reason.into(),
            });
            Some(Mark::about(index(record.corrections.len() - 1)))
        }
        E::AgreementSigned {
            scope,
            signed_on,
            signatories,
        } => {
            record.agreement = Some(Agreement {
                scope,
                signed_on,
                signatories,
                lead: record.lead,
            });
            record.state = CaseState::Signed;
            Some(Mark::on(signed_on, 0))
        }
        team @ (E::LeadStewardAssigned { .. }
        | E::LeadStewardReplaced { .. }
        | E::TeamMemberAdded { .. }
        | E::TeamMemberRemoved { .. }) => {
            super::team::apply(record, ctx.recorded_at, team, symbols)
        }
        E::PlanAdopted { version, plan } => {
            push_plan(record, ctx, version, plan, None);
            if record.state == CaseState::Signed {
                record.state = CaseState::InService;
            }
            Some(Mark::about(version))
        }
        E::PlanRevised {
            version,
            plan,
            reason,
        } => {
            push_plan(record, ctx, version, plan, Some(reason));
            Some(Mark::about(version))
        }
        E::StageAdvanced { from, to } => {
            record.stage = to;
            record.stages.push_exact(StageChange { from, to, at });
            Some(Mark::about(index(record.stages.len() - 1)))
        }
        E::ProjectAdded { code, details } | E::ProjectChanged { code, details } => {
            let found = record.projects.iter().position(|p| p.code == code);
            let ordinal = found.unwrap_or(record.projects.len());
            match record.projects.get_mut(ordinal) {
                Some(project) => project.versions.push_exact((at, details)),
                None => record.projects.push_exact(ProjectRecord {
                    code,
                    versions: vec![(at, details)],
                }),
            }
            let versions = record.projects.get(ordinal).map_or(1, |p| p.versions.len());
            Some(Mark::about(index(ordinal)).with_detail(versions - 1))
        }
        E::NoteAdded { note_no, text } => {
            record.notes.push_exact(Note {
                note_no,
                text: text.into(),
                at,
                author: ctx.actor,
            });
            Some(Mark::about(note_no))
        }
        E::CaseHeld { reason, held_on } => {
            record.state = CaseState::OnHold;
            Some(step(record, LifecycleKind::Held, held_on, reason))
        }
        E::CaseResumed { resumed_on } => {
            record.state = CaseState::InService;
            Some(step(
                record,
                LifecycleKind::Resumed,
                resumed_on,
                String::new(),
            ))
        }
        E::CaseClosed {
            reason,
            summary,
            closed_on,
        } => {
            record.state = CaseState::Closed;
            Some(step(
                record,
                LifecycleKind::Closed(reason),
                closed_on,
                summary,
            ))
        }
        E::CaseReopened {
            term,
            reason,
            reopened_on,
        } => {
            record.term = term;
            record.state = CaseState::InService;
            Some(step(
                record,
                LifecycleKind::Reopened { term },
                reopened_on,
                reason,
            ))
        }
        // A late entry (补录) and an approval into a closed period flag the events of the step
        // recorded after them, in the same commit (cases/late.rs).
        E::LateEntryRecorded {
            business_date,
            recorded_on,
            working_days_late,
            reason,
            events,
        } => Some(super::late::record_late_entry(
            record,
            ctx,
            LateEntryRow {
                business_date,
                recorded_on,
                working_days_late,
                reason: reason.into(),
                events: events.max(1),
            },
        )),
        E::ClosedPeriodEntryApproved {
            division,
            period,
            approval_no,
            approved_by,
            reason,
            events,
        } => Some(super::late::record_approval(
            record,
            ctx,
            ApprovalRow {
                division,
                period,
                approval_no,
                approved_by: approved_by.into(),
                reason: reason.into(),
                events: events.max(1),
            },
        )),
        // Registration is handled by `register`; a second one changes nothing. The work events
        // were routed to `work.rs` before this point.
        _ => None,
    }
}

fn push_plan(
    record: &mut CaseRecord,
    ctx: &EventContext,
    version: u32,
    plan: guanjia_domain::case::model::PlanContent,
    reason: Option<String>,
) {
    record.plans.push_exact(PlanVersion {
        version,
        plan,
        reason: reason.map(Into::into),
        at: ctx.recorded_at,
        actor: ctx.actor,
    });
}

fn step(record: &mut CaseRecord, kind: LifecycleKind, on: chrono::NaiveDate, text: String) -> Mark {
    record.lifecycle.push_exact(LifecycleStep {
        kind,
        on,
        text: text.into(),
    });
    Mark::on(on, index(record.lifecycle.len() - 1))
}
