//! What visit and service-item events do to their rows (ratings and complaints are in
//! `feedback.rs`). Each row records the case's lead steward at the moment the counted event
//! happened (request, conclusion, visit): the dashboard credits that steward, so a later change
//! of lead moves the current workload but not past achievements.

use guanjia_domain::calendar::Suspension;
use guanjia_domain::case::state::{ItemStatus, VisitStatus};
use guanjia_domain::case::CaseEvent;
use guanjia_domain::clock::china_date;

use super::timeline::{index, EventKind, Mark};
use super::PushExact;
use super::{
    CaseIx, ComplaintRow, Conclusion, ConductedVisit, Extension, ItemRow, RatingRow, RowIx, Timing,
    VisitRow,
};
use super::{CaseStore, EventContext};
use crate::symbols::{Sym, Symbols};

/// The index (into `rows`) of the last of `owned` that matches.
fn find<T>(rows: &[T], owned: &[RowIx], matches: impl Fn(&T) -> bool) -> Option<usize> {
    owned
        .iter()
        .rev()
        .map(|ix| *ix as usize)
        .find(|ix| rows.get(*ix).is_some_and(&matches))
}

impl CaseStore {
    pub(super) fn lead_of(&self, case: CaseIx) -> Option<Sym> {
        self.case(case).and_then(|c| c.lead)
    }

    fn visit_mut(&mut self, case: CaseIx, no: u32) -> Option<&mut VisitRow> {
        let ix = find(&self.visits, &self.case(case)?.visits, |v| v.visit_no == no)?;
        self.visits.get_mut(ix)
    }

    /// The index in the item table of the case's item `no`.
    pub(crate) fn item_index(&self, case: CaseIx, no: u32) -> Option<usize> {
        find(&self.items, &self.case(case)?.items, |i| i.item_no == no)
    }

    /// The index in the visit table of the case's visit `no`.
    pub(crate) fn visit_index(&self, case: CaseIx, no: u32) -> Option<usize> {
        find(&self.visits, &self.case(case)?.visits, |v| v.visit_no == no)
    }

    /// The index in the complaint table of the case's complaint `no`.
    pub(crate) fn complaint_index(&self, case: CaseIx, no: u32) -> Option<usize> {
        let owned = &self.case(case)?.complaints;
        find(&self.complaints, owned, |c| c.complaint_no == no)
    }

    /// The index in the rating table of the case's rating `no`.
    pub(crate) fn rating_index(&self, case: CaseIx, no: u32) -> Option<usize> {
        find(&self.ratings, &self.case(case)?.ratings, |r| {
            r.rating_no == no
        })
    }

    fn item_mut(&mut self, case: CaseIx, no: u32) -> Option<&mut ItemRow> {
        let ix = self.item_index(case, no)?;
        self.items.get_mut(ix)
    }

    pub(super) fn rating_mut(&mut self, case: CaseIx, no: u32) -> Option<&mut RatingRow> {
        let ix = self.rating_index(case, no)?;
        self.ratings.get_mut(ix)
    }

    pub(super) fn complaint_mut(&mut self, case: CaseIx, no: u32) -> Option<&mut ComplaintRow> {
        let owned = &self.case(case)?.complaints;
        let ix = find(&self.complaints, owned, |c| c.complaint_no == no)?;
        self.complaints.get_mut(ix)
    }

    pub(super) fn apply_visit(&mut self, case: CaseIx, event: CaseEvent) -> Option<Mark> {
        match event {
            CaseEvent::VisitScheduled {
                visit_no,
                scheduled_at,
                place,
                purpose,
                planned_participants,
            } => {
                let ix = index(self.visits.len());
                self.visits.push(VisitRow {
                    case,
                    visit_no,
                    scheduled_at,
                    place: place.into(),
                    purpose: purpose.into(),
                    planned_participants,
                    status: VisitStatus::Scheduled,
                    conducted: None,
                    cancel_reason: None,
                });
                self.cases.get_mut(case as usize)?.visits.push(ix);
                Some(Mark::on(china_date(scheduled_at), visit_no))
            }
            CaseEvent::VisitConducted {
                visit_no,
                conducted_at,
                participants,
                notes,
                issues_raised,
                follow_ups,
            } => {
                let lead = self.lead_of(case);
                let visit = self.visit_mut(case, visit_no)?;
                visit.status = VisitStatus::Conducted;
                visit.conducted = Some(Box::new(ConductedVisit {
                    at: conducted_at,
                    participants,
                    notes,
                    issues_raised,
                    follow_ups,
                    lead,
                }));
                Some(Mark::on(china_date(conducted_at), visit_no))
            }
            CaseEvent::VisitCancelled { visit_no, reason } => {
                let visit = self.visit_mut(case, visit_no)?;
                visit.status = VisitStatus::Cancelled;
                visit.cancel_reason = Some(reason.into());
                Some(Mark::about(visit_no))
            }
            _ => None,
        }
    }

    pub(super) fn apply_item(
        &mut self,
        case: CaseIx,
        ctx: &EventContext,
        event: CaseEvent,
        symbols: &mut Symbols,
    ) -> Option<Mark> {
        use CaseEvent as E;
        match event {
            E::ServiceItemRequested {
                item_no,
                catalog,
                bundle,
                mode,
                requested_on,
            } => {
                let code = catalog.implementation_code.clone();
                let facts = self.facts.add(&code, catalog.version, catalog);
                let bundle = bundle.map(|b| {
                    let code = b.code.clone();
                    let ix = self.bundles.add(&code, b.version, b);
                    (ix, self.starts_bundle_use(case, ctx, ix, requested_on))
                });
                let row = ItemRow {
                    case,
                    item_no,
                    facts,
                    bundle,
                    mode,
                    status: ItemStatus::Requested,
                    requested_on,
                    requested_lead: self.lead_of(case),
                    accepted_on: None,
                    limit_days: 0,
                    receipt_no: None,
                    suspensions: Vec::new(),
                    suspension_details: Vec::new(),
                    extensions: Vec::new(),
                    conclusion: None,
                    rejection: None,
                    timing: Timing::OnDemand,
                };
                let ix = index(self.items.len());
                self.items.push(row);
                self.cases.get_mut(case as usize)?.items.push(ix);
                Some(Mark::on(requested_on, item_no))
            }
            E::ServiceItemAccepted {
                item_no,
                accepted_on,
                limit_days,
                receipt_no,
            } => {
                let item = self.item_mut(case, item_no)?;
                item.status = ItemStatus::Accepted;
                item.accepted_on = Some(accepted_on);
                item.limit_days = limit_days;
                item.receipt_no = receipt_no.map(Into::into);
                Some(Mark::on(accepted_on, item_no))
            }
            E::ServiceItemSuspended {
                item_no,
                reason,
                suspended_on,
                note,
            } => {
                let item = self.item_mut(case, item_no)?;
                item.status = ItemStatus::Suspended;
                item.suspensions.push_exact(Suspension {
                    from: suspended_on,
                    until: None,
                });
                item.suspension_details
                    .push_exact((reason, note.map(Into::into)));
                let ordinal = item.suspensions.len() - 1;
                Some(Mark::on(suspended_on, item_no).with_detail(ordinal))
            }
            E::ServiceItemResumed {
                item_no,
                resumed_on,
            } => {
                let item = self.item_mut(case, item_no)?;
                item.status = ItemStatus::Accepted;
                let ordinal = item.suspensions.iter().rposition(|s| s.until.is_none())?;
                if let Some(open) = item.suspensions.get_mut(ordinal) {
                    open.until = Some(resumed_on);
                }
                Some(Mark::on(resumed_on, item_no).with_detail(ordinal))
            }
            E::ServiceItemExtended {
                item_no,
                days,
                approver,
                reason,
            } => {
                let approver = symbols.intern(&approver);
                let item = self.item_mut(case, item_no)?;
                item.extensions.push_exact(Extension {
                    days,
                    approver,
                    reason: reason.into(),
                });
                Some(Mark::about(item_no).with_detail(item.extensions.len() - 1))
            }
            E::ServiceItemConcluded {
                item_no,
                outcome,
                concluded_on,
                result_reference,
                materials_submitted,
                onsite_trips,
            } => {
                let lead = self.lead_of(case);
                let item = self.item_mut(case, item_no)?;
                item.status = ItemStatus::Concluded;
                item.conclusion = Some(Box::new(Conclusion {
                    outcome,
                    concluded_on,
                    result_reference: result_reference.map(Into::into),
                    materials_submitted,
                    onsite_trips,
                    lead,
                }));
                Some(Mark::on(concluded_on, item_no))
            }
            E::ServiceItemRejected {
                item_no,
                reason,
                rejected_on,
            } => {
                let item = self.item_mut(case, item_no)?;
                item.status = ItemStatus::Rejected;
                item.rejection = Some(Box::new((rejected_on, reason.into())));
                Some(Mark::on(rejected_on, item_no))
            }
            _ => None,
        }
    }

    /// One bundle request appends one `ServiceItemRequested` per item, back to back. An item
    /// continues a bundle use when the case's previous event was the request of the previous
    /// item, under the same bundle on the same day; otherwise it starts a new use.
    fn starts_bundle_use(
        &self,
        case: CaseIx,
        ctx: &EventContext,
        bundle: u32,
        requested_on: chrono::NaiveDate,
    ) -> bool {
        let Some(record) = self.case(case) else {
            return true;
        };
        let previous_event = self.timeline.get(record.last_event as usize);
        let previous_item = record
            .items
            .last()
            .and_then(|ix| self.items.get(*ix as usize));
        let continues = previous_event.is_some_and(|e| {
            e.kind == EventKind::ServiceItemRequested && u64::from(e.sequence) + 1 == ctx.sequence
        }) && previous_item.is_some_and(|item| {
            item.bundle.map(|(b, _)| b) == Some(bundle) && item.requested_on == requested_on
        });
        !continues
    }
}
