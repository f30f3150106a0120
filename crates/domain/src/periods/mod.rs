//! Closed periods (封账): once a division has reported a month, a quarter or a year, a leader
//! closes it, and steps dated inside it may no longer be entered without a leader's approval.
//!
//! [`ReportingPeriods`] is one stream per division (the stream id is the 12-digit code). It
//! records two facts, each with who did it:
//! - `PeriodClosed`: the division's figures of a period are reported and closed;
//! - `EntryApprovalGranted`: a leader of the division lets one step of one case, dated inside
//!   a closed period, be recorded, and says why. The case records which approval its step
//!   used (`ClosedPeriodEntryApproved`, in the same commit as the step), so each approval lets
//!   in exactly one entry and an auditor finds the leader's reason from either side.
//!
//! Who may close and approve (a leader whose scope holds the division) and the check of every
//! dated step against the closed periods of the case's division and its ancestors cross
//! aggregates: they live in the application layer (`guanjia_app::periods`).

use std::collections::BTreeMap;

use chrono::NaiveDate;
use cqrs_es::event_sink::EventSink;
use cqrs_es::{Aggregate, DomainEvent};
use serde::{Deserialize, Serialize};

use crate::case::CaseServices;
use crate::clock::china_date;
use crate::error::{DomainError, ValueError};
use crate::values::text::{self, BODY_MAX, LABEL_MAX};
use crate::values::{DivisionCode, Period};

#[cfg(test)]
mod tests;

/// The closed periods of one division and the approvals granted for entries inside them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportingPeriods {
    pub division: Option<DivisionCode>,
    /// Each closed period, with the day it was closed and by whom.
    pub closed: BTreeMap<Period, Closure>,
    /// Every approval granted, in order (approval numbers count from 1).
    pub approvals: Vec<EntryApproval>,
}

/// When and by whom a period was closed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Closure {
    pub closed_on: NaiveDate,
    pub closed_by: String,
}

/// A leader's approval of one entry of one case dated inside a closed period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EntryApproval {
    pub division: DivisionCode,
    pub approval_no: u32,
    pub period: Period,
    pub case_id: String,
    pub approved_by: String,
    pub reason: String,
    pub granted_on: NaiveDate,
}

impl EntryApproval {
    /// The approval's name across divisions, as a case keeps the ones it used.
    pub fn key(&self) -> String {
        format!("{}#{}", self.division, self.approval_no)
    }
}

/// What a leader asks of a division's reporting periods. The application layer has checked
/// that `by` may.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum PeriodCommand {
    /// Closes `period` for `division`: it must be over, and not closed already.
    Close {
        division: DivisionCode,
        period: Period,
        by: String,
    },
    /// Approves one entry of the case `case_id` dated inside the closed `period`.
    GrantEntryApproval {
        division: DivisionCode,
        period: Period,
        case_id: String,
        by: String,
        reason: String,
    },
}

/// What is recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum PeriodEvent {
    PeriodClosed {
        division: DivisionCode,
        period: Period,
        closed_on: NaiveDate,
        closed_by: String,
    },
    EntryApprovalGranted(EntryApproval),
}

/// The version of both period events today.
pub const PERIOD_EVENT_VERSION: &str = "1";

impl DomainEvent for PeriodEvent {
    fn event_type(&self) -> String {
        match self {
            Self::PeriodClosed { .. } => "PeriodClosed",
            Self::EntryApprovalGranted(_) => "EntryApprovalGranted",
        }
        .to_owned()
    }

    fn event_version(&self) -> String {
        PERIOD_EVENT_VERSION.to_owned()
    }
}

impl ReportingPeriods {
    /// The closed period of this division that holds `date`, if any (the longest first: a
    /// closed year before a closed month inside it).
    pub fn closed_period_of(&self, date: NaiveDate) -> Option<Period> {
        self.closed
            .keys()
            .filter(|period| period.contains(date))
            .max_by_key(|period| period.last_day() - period.first_day())
            .copied()
    }

    /// The approvals granted for `case_id`, in order.
    pub fn approvals_for<'a>(
        &'a self,
        case_id: &'a str,
    ) -> impl Iterator<Item = &'a EntryApproval> + 'a {
        self.approvals.iter().filter(move |a| a.case_id == case_id)
    }

    fn check_division(&self, division: &DivisionCode) -> Result<(), DomainError> {
        match &self.division {
            Some(own) if own != division => Err(DomainError::invalid(
                "division",
                ValueError::Rule(format!("these are the periods of {own}, not of {division}")),
            )),
            _ => Ok(()),
        }
    }
}

impl Aggregate for ReportingPeriods {
    const TYPE: &'static str = "reporting_periods";
    type Command = PeriodCommand;
    type Event = PeriodEvent;
    type Error = DomainError;
    type Services = CaseServices;

    async fn handle(
        &mut self,
        command: Self::Command,
        services: &Self::Services,
        sink: &EventSink<Self>,
    ) -> Result<(), Self::Error> {
        let today = china_date(services.clock.now());
        let event = match command {
            PeriodCommand::Close {
                division,
                period,
                by,
            } => {
                self.check_division(&division)?;
                if period.last_day() >= today {
                    return Err(DomainError::invalid(
                        "period",
                        ValueError::Rule(format!(
                            "{period} is not over yet (it ends on {}); only a reported period \
                             can be closed",
                            period.last_day()
                        )),
                    ));
                }
                if let Some(closed) = self.closed.keys().find(|c| c.covers(period)) {
                    return Err(DomainError::AlreadyExists(format!(
                        "{period} of division {division} is already closed (封账 of {closed})"
                    )));
                }
                PeriodEvent::PeriodClosed {
                    division,
                    period,
                    closed_on: today,
                    closed_by: by,
                }
            }
            PeriodCommand::GrantEntryApproval {
                division,
                period,
                case_id,
                by,
                reason,
            } => {
                self.check_division(&division)?;
                if !self.closed.keys().any(|c| c.covers(period)) {
                    return Err(DomainError::not_allowed(format!(
                        "{period} is not closed for division {division}: entries dated inside \
                         it need no approval"
                    )));
                }
                let case_id = text::required("case_id", &case_id, LABEL_MAX)?;
                let reason = text::required("reason", &reason, BODY_MAX)?;
                PeriodEvent::EntryApprovalGranted(EntryApproval {
                    division,
                    approval_no: u32::try_from(self.approvals.len() + 1).unwrap_or(u32::MAX),
                    period,
                    case_id,
                    approved_by: by,
                    reason,
                    granted_on: today,
                })
            }
        };
        sink.write(event, self).await;
        Ok(())
    }

    fn apply(&mut self, event: Self::Event) {
        match event {
            PeriodEvent::PeriodClosed {
                division,
                period,
                closed_on,
                closed_by,
            } => {
                self.division = Some(division);
                self.closed.insert(
                    period,
                    Closure {
                        closed_on,
                        closed_by,
                    },
                );
            }
            PeriodEvent::EntryApprovalGranted(approval) => {
                self.division = Some(approval.division.clone());
                self.approvals.push(approval);
            }
        }
    }
}
