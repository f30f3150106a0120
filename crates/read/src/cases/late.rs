//! Late entries (补录) and entries into closed periods (封账) on the read side.
//!
//! Each is recorded on the case just before the events of its step, in the same commit, and
//! says how many of them follow (`events`). The case keeps the record as a row
//! ([`LateEntryRow`], [`ApprovalRow`]) and a [`Cover`] up to the step's last event: the
//! timeline flags those events with the reason (detail/timeline.rs), and the figures they
//! count are noted in [`LateFact`]s, so the dashboard tells how many of a period's figures
//! came from late entries.
//!
//! A registration recorded late has its record come before the case exists: it waits in
//! [`CaseStore::pending`] until the `CaseRegistered` that follows it.

use chrono::{DateTime, NaiveDate, Utc};
use guanjia_domain::case::CaseEvent;
use guanjia_store::LogPosition;
use serde::{Deserialize, Serialize};

use super::timeline::{index, Mark};
use super::{
    ApprovalRow, CaseIx, CaseRecord, CaseStore, Cover, EventContext, EventKind, LateEntryRow,
};
use crate::symbols::Sym;

/// Which figure a late event counts in (docs/kpis.md, "Late entries").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) enum LateFigure {
    /// The late entry itself, dated by its step's earliest business date.
    Entry,
    Signed,
    VisitConducted,
    ItemRequested,
    ItemConcluded,
}

/// One figure counted from a late entry, for the dashboard.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct LateFact {
    pub case: CaseIx,
    #[serde(with = "crate::snapshot_serde::date")]
    pub on: NaiveDate,
    pub figure: LateFigure,
}

/// The envelope of an event that came before its case's registration, kept until then.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub(crate) struct PendingContext {
    #[serde(with = "crate::snapshot_serde::position")]
    pub position: LogPosition,
    pub sequence: u64,
    #[serde(with = "crate::snapshot_serde::instant")]
    pub recorded_at: DateTime<Utc>,
    pub actor: Sym,
    pub role: Sym,
}

impl From<&EventContext> for PendingContext {
    fn from(ctx: &EventContext) -> Self {
        Self {
            position: ctx.position,
            sequence: ctx.sequence,
            recorded_at: ctx.recorded_at,
            actor: ctx.actor,
            role: ctx.role,
        }
    }
}

impl From<PendingContext> for EventContext {
    fn from(ctx: PendingContext) -> Self {
        Self {
            position: ctx.position,
            sequence: ctx.sequence,
            recorded_at: ctx.recorded_at,
            actor: ctx.actor,
            role: ctx.role,
        }
    }
}

/// Records a late entry on the case and covers its step's events.
pub(super) fn record_late_entry(
    record: &mut CaseRecord,
    ctx: &EventContext,
    row: LateEntryRow,
) -> Mark {
    let until = ctx.sequence + u64::from(row.events);
    let date = row.business_date;
    record.late_entries.push(row);
    let late = index(record.late_entries.len() - 1);
    // Inside an approval's cover, the late entry belongs to the same step.
    let approval = record
        .cover
        .filter(|cover| ctx.sequence <= cover.until)
        .and_then(|cover| cover.approval);
    record.cover = Some(Cover {
        until,
        late: Some(late),
        approval,
    });
    Mark::on(date, late)
}

/// Records an approval of an entry into a closed period and covers its step's events.
pub(super) fn record_approval(
    record: &mut CaseRecord,
    ctx: &EventContext,
    row: ApprovalRow,
) -> Mark {
    let until = ctx.sequence + u64::from(row.events);
    record.approvals.push(row);
    let approval = index(record.approvals.len() - 1);
    record.cover = Some(Cover {
        until,
        late: None,
        approval: Some(approval),
    });
    Mark::about(approval)
}

/// The figure an event of a late step counts in, if any.
fn figure_of(kind: EventKind) -> Option<LateFigure> {
    match kind {
        EventKind::LateEntryRecorded => Some(LateFigure::Entry),
        EventKind::AgreementSigned => Some(LateFigure::Signed),
        EventKind::VisitConducted => Some(LateFigure::VisitConducted),
        EventKind::ServiceItemRequested => Some(LateFigure::ItemRequested),
        EventKind::ServiceItemConcluded => Some(LateFigure::ItemConcluded),
        _ => None,
    }
}

impl CaseStore {
    /// Notes the figure `kind` counts when the event (at `ctx`, dated by `mark`) belongs to a
    /// late entry of `case`.
    pub(super) fn note_late(
        &mut self,
        case: CaseIx,
        ctx: &EventContext,
        kind: EventKind,
        mark: Mark,
    ) {
        let Some(record) = self.cases.get(case as usize) else {
            return;
        };
        let late = record
            .cover
            .filter(|cover| ctx.sequence <= cover.until)
            .and_then(|cover| cover.late);
        if let (Some(_), Some(figure), Some(on)) = (late, figure_of(kind), mark.date) {
            self.late_facts.push(LateFact { case, on, figure });
        }
    }

    /// Keeps the late-entry record of a case not registered yet (its registration follows in
    /// the same commit); `false` for any other event.
    pub(crate) fn hold_pending(&mut self, id: &str, ctx: &EventContext, event: &CaseEvent) -> bool {
        let CaseEvent::LateEntryRecorded {
            business_date,
            recorded_on,
            working_days_late,
            reason,
            events,
        } = event
        else {
            return false;
        };
        let row = LateEntryRow {
            business_date: *business_date,
            recorded_on: *recorded_on,
            working_days_late: *working_days_late,
            reason: reason.as_str().into(),
            events: (*events).max(1),
        };
        self.pending
            .push((id.into(), PendingContext::from(ctx), row));
        true
    }

    /// Applies what waited for the case `id`, just registered at `case`, before its
    /// registration's own timeline entry.
    pub(super) fn apply_pending(&mut self, id: &str, case: CaseIx) {
        let (waiting, rest): (Vec<_>, Vec<_>) = std::mem::take(&mut self.pending)
            .into_iter()
            .partition(|(pending_id, _, _)| &**pending_id == id);
        self.pending = rest;
        for (_, ctx, row) in waiting {
            let ctx = EventContext::from(ctx);
            let Some(record) = self.cases.get_mut(case as usize) else {
                return;
            };
            let mark = record_late_entry(record, &ctx, row);
            self.note_late(case, &ctx, EventKind::LateEntryRecorded, mark);
            self.record_event(case, &ctx, EventKind::LateEntryRecorded, mark);
        }
    }
}
