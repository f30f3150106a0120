//! The order of business dates is a rule of the case: no step is dated before the registration
//! (or the reopening that started the current term), before the signing when it needs a signed
//! agreement, or before the step it follows. Reported figures are counted by business date, so
//! a step dated backwards would silently move a period that was already reported.
//!
//! [`CaseDates`] keeps the dates these rules need; the decision modules ask it for the earliest
//! date a step may carry and check with [`not_before`].

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::events::CaseEvent;
use crate::clock::china_date;
use crate::error::{DomainError, ValueError};

/// The business dates of a case that later steps are checked against.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseDates {
    /// Registration, or the latest reopening: the start of the current service term.
    pub term_started_on: Option<NaiveDate>,
    /// Whether the term started with a reopening (for the wording of errors).
    pub reopened: bool,
    pub signed_on: Option<NaiveDate>,
    /// The latest hold or resumption of the whole case.
    pub held_or_resumed_on: Option<NaiveDate>,
    pub closed_on: Option<NaiveDate>,
    /// The latest business date of any step: a closure may not come before it.
    pub latest_on: Option<NaiveDate>,
    /// Per visit, the day it was scheduled for, then the day it was conducted.
    pub visits: BTreeMap<u32, NaiveDate>,
    /// Per complaint, the day it was lodged.
    pub complaints: BTreeMap<u32, NaiveDate>,
}

impl CaseDates {
    /// Records the dates an event carries.
    pub fn apply(&mut self, event: &CaseEvent) {
        use CaseEvent as E;
        match event {
            E::CaseRegistered { registered_on, .. } => {
                self.term_started_on = Some(*registered_on);
            }
            E::AgreementSigned { signed_on, .. } => self.signed_on = Some(*signed_on),
            E::VisitScheduled {
                visit_no,
                scheduled_at,
                ..
            } => {
                self.visits.insert(*visit_no, china_date(*scheduled_at));
            }
            E::VisitConducted {
                visit_no,
                conducted_at,
                ..
            } => {
                self.visits.insert(*visit_no, china_date(*conducted_at));
            }
            E::ComplaintLodged {
                complaint_no,
                lodged_on,
                ..
            } => {
                self.complaints.insert(*complaint_no, *lodged_on);
            }
            E::CaseHeld { held_on: on, .. } | E::CaseResumed { resumed_on: on } => {
                self.held_or_resumed_on = Some(*on);
            }
            E::CaseClosed { closed_on, .. } => self.closed_on = Some(*closed_on),
            E::CaseReopened { reopened_on, .. } => {
                self.term_started_on = Some(*reopened_on);
                self.reopened = true;
            }
            _ => {}
        }
        let step_on = business_date(event);
        if let Some(on) = step_on {
            self.latest_on = self.latest_on.max(Some(on));
        }
    }

    /// The start of the current term, named as the step it was.
    pub fn term_start(&self) -> Option<(NaiveDate, &'static str)> {
        let what = if self.reopened {
            "the reopening"
        } else {
            "the registration"
        };
        self.term_started_on.map(|on| (on, what))
    }

    /// The earliest date of work under the agreement: the term's start, or the signing when later.
    pub fn work_start(&self) -> Option<(NaiveDate, &'static str)> {
        let signing = self.signed_on.map(|on| (on, "the signing"));
        match (self.term_start(), signing) {
            (Some(term), Some(sign)) if sign.0 >= term.0 => Some(sign),
            (term, sign) => term.or(sign),
        }
    }

    /// Checks `date` against the start of the current term.
    pub fn in_term(&self, field: &'static str, date: NaiveDate) -> Result<(), DomainError> {
        match self.term_start() {
            Some((earliest, step)) => not_before(field, date, earliest, step),
            None => Ok(()),
        }
    }

    /// Checks `date` against the start of work under the agreement.
    pub fn in_work(&self, field: &'static str, date: NaiveDate) -> Result<(), DomainError> {
        match self.work_start() {
            Some((earliest, step)) => not_before(field, date, earliest, step),
            None => Ok(()),
        }
    }
}

/// The business date of the step an event records, if it has one. A visit's planned time is
/// not a step that happened: it holds neither a closure back nor counts as late.
pub fn business_date(event: &CaseEvent) -> Option<NaiveDate> {
    use CaseEvent as E;
    match event {
        E::CaseRegistered { registered_on, .. } => Some(*registered_on),
        E::AgreementSigned { signed_on, .. } => Some(*signed_on),
        E::VisitConducted { conducted_at, .. } => Some(china_date(*conducted_at)),
        E::ServiceItemRequested { requested_on, .. } => Some(*requested_on),
        E::ServiceItemAccepted { accepted_on, .. } => Some(*accepted_on),
        E::ServiceItemSuspended { suspended_on, .. } => Some(*suspended_on),
        E::ServiceItemResumed { resumed_on, .. } => Some(*resumed_on),
        E::ServiceItemConcluded { concluded_on, .. } => Some(*concluded_on),
        E::ServiceItemRejected { rejected_on, .. } => Some(*rejected_on),
        E::RatingRecorded { rated_at, .. } => Some(china_date(*rated_at)),
        E::RatingCallBackRecorded { called_on, .. } => Some(*called_on),
        E::RatingRectified { rectified_on, .. } => Some(*rectified_on),
        E::ComplaintLodged { lodged_on, .. } => Some(*lodged_on),
        E::ComplaintResolved { resolved_on, .. } => Some(*resolved_on),
        E::CaseHeld { held_on, .. } => Some(*held_on),
        E::CaseResumed { resumed_on } => Some(*resumed_on),
        E::CaseClosed { closed_on, .. } => Some(*closed_on),
        E::CaseReopened { reopened_on, .. } => Some(*reopened_on),
        _ => None,
    }
}

/// Refuses `date` when it is before `earliest`, the date of the step named `step`.
pub(super) fn not_before(
    field: &'static str,
    date: NaiveDate,
    earliest: NaiveDate,
    step: &str,
) -> Result<(), DomainError> {
    if date < earliest {
        return Err(DomainError::invalid(
            field,
            ValueError::BeforeStep {
                date,
                step: step.to_owned(),
                earliest,
            },
        ));
    }
    Ok(())
}

/// Refuses `date` when it is before an optional earlier step.
pub(super) fn not_before_opt(
    field: &'static str,
    date: NaiveDate,
    earliest: Option<NaiveDate>,
    step: &str,
) -> Result<(), DomainError> {
    match earliest {
        Some(earliest) => not_before(field, date, earliest, step),
        None => Ok(()),
    }
}
