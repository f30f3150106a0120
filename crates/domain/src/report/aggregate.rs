//! The rules of a report: submitted once, with a valid phone and texts within their limits;
//! assigned while open; answered only once assigned; referred while open. Nothing happens to a
//! report that was answered or referred.

use std::sync::Arc;

use chrono::{DateTime, NaiveDate, Utc};
use cqrs_es::event_sink::EventSink;
use cqrs_es::Aggregate;
use serde::{Deserialize, Serialize};

use super::commands::{ReportCommand, ReportSubjectInput};
use super::events::{ReportEvent, ReportSubject};
use super::ACCOUNT_MAX;
use crate::catalog::model::CODE_MAX;
use crate::clock::{china_date, Clock};
use crate::error::DomainError;
use crate::values::text::{self, BODY_MAX, LABEL_MAX, NAME_MAX};
use crate::values::{DivisionCode, Phone};

/// What a report needs from outside: the time.
#[derive(Debug, Clone)]
pub struct ReportServices {
    pub clock: Arc<dyn Clock>,
}

/// Where a report stands.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReportStatus {
    /// No report under this code.
    #[default]
    None,
    Lodged,
    Assigned,
    Resolved,
    Referred,
}

/// A report as the rules and the tracking page need it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProblemReport {
    pub status: ReportStatus,
    pub division: Option<DivisionCode>,
    pub subject: Option<ReportSubject>,
    /// Personal data: compared by its last four digits when the reporter follows the report.
    pub phone: Option<Phone>,
    pub reported_at: Option<DateTime<Utc>>,
    pub answer: Option<String>,
    pub resolved_on: Option<NaiveDate>,
    pub referred_to: Option<String>,
}

impl Aggregate for ProblemReport {
    const TYPE: &'static str = "problem_report";
    type Command = ReportCommand;
    type Event = ReportEvent;
    type Error = DomainError;
    type Services = ReportServices;

    async fn handle(
        &mut self,
        command: Self::Command,
        services: &Self::Services,
        sink: &EventSink<Self>,
    ) -> Result<(), Self::Error> {
        let event = self.decide(command, services.clock.now())?;
        sink.write(event, self).await;
        Ok(())
    }

    fn apply(&mut self, event: Self::Event) {
        use ReportEvent as E;
        match event {
            E::ProblemReported {
                division,
                subject,
                phone,
                reported_at,
                ..
            } => {
                self.status = ReportStatus::Lodged;
                self.division = Some(division);
                self.subject = Some(subject);
                self.phone = Some(phone);
                self.reported_at = Some(reported_at);
            }
            E::ProblemReportAssigned { .. } => self.status = ReportStatus::Assigned,
            E::ProblemReportResolved {
                answer,
                resolved_on,
                ..
            } => {
                self.status = ReportStatus::Resolved;
                self.answer = Some(answer);
                self.resolved_on = Some(resolved_on);
            }
            E::ProblemReportReferred { to_department, .. } => {
                self.status = ReportStatus::Referred;
                self.referred_to = Some(to_department);
            }
        }
    }
}

impl ProblemReport {
    fn decide(
        &self,
        command: ReportCommand,
        now: DateTime<Utc>,
    ) -> Result<ReportEvent, DomainError> {
        use ReportCommand as C;
        if let C::Submit {
            division,
            subject,
            account,
            phone,
        } = command
        {
            if self.status != ReportStatus::None {
                return Err(DomainError::AlreadyExists(
                    "a report with this tracking code exists".to_owned(),
                ));
            }
            return Ok(ReportEvent::ProblemReported {
                division: DivisionCode::parse(&division)
                    .map_err(|e| DomainError::invalid("division", e))?,
                subject: subject_of(subject)?,
                account: text::required("account", &account, ACCOUNT_MAX)?,
                phone: Phone::parse(&phone).map_err(|e| DomainError::invalid("phone", e))?,
                reported_at: now,
            });
        }
        let status = self.open()?;
        Ok(match command {
            C::Submit { .. } => unreachable_submit()?,
            C::Assign { assignee } => ReportEvent::ProblemReportAssigned {
                assignee: staff("assignee", &assignee)?,
            },
            C::Resolve {
                answer,
                signed_off_by,
            } => {
                if status != ReportStatus::Assigned {
                    return Err(DomainError::not_allowed(
                        "the report must be assigned before it is answered",
                    ));
                }
                ReportEvent::ProblemReportResolved {
                    answer: text::required("answer", &answer, BODY_MAX)?,
                    resolved_on: china_date(now),
                    signed_off_by: signed_off_by
                        .map(|leader| staff("signed_off_by", &leader))
                        .transpose()?,
                }
            }
            C::Refer {
                to_department,
                reason,
            } => ReportEvent::ProblemReportReferred {
                to_department: text::required("to_department", &to_department, LABEL_MAX)?,
                reason: text::required("reason", &reason, BODY_MAX)?,
            },
        })
    }

    /// The status of a report still being handled.
    fn open(&self) -> Result<ReportStatus, DomainError> {
        match self.status {
            ReportStatus::None => Err(DomainError::NotFound {
                what: "report".to_owned(),
            }),
            ReportStatus::Resolved => {
                Err(DomainError::not_allowed("the report is already answered"))
            }
            ReportStatus::Referred => Err(DomainError::not_allowed("the report was referred")),
            open => Ok(open),
        }
    }
}

fn subject_of(input: ReportSubjectInput) -> Result<ReportSubject, DomainError> {
    Ok(match input {
        ReportSubjectInput::Item { code, name } => ReportSubject::Item {
            code: text::required("item", &code, CODE_MAX)?,
            name: text::required("item", &name, NAME_MAX)?,
        },
        ReportSubjectInput::Department { name } => ReportSubject::Department {
            name: text::required("department", &name, LABEL_MAX)?,
        },
    })
}

/// A staff username: required, no spaces.
fn staff(field: &'static str, value: &str) -> Result<String, DomainError> {
    let id = text::required(field, value, LABEL_MAX)?;
    if id.chars().any(char::is_whitespace) {
        return Err(DomainError::invalid(
            field,
            crate::ValueError::Rule("must not contain spaces".to_owned()),
        ));
    }
    Ok(id)
}

/// `Submit` is answered before the match; this arm only satisfies exhaustiveness.
fn unreachable_submit() -> Result<ReportEvent, DomainError> {
    Err(DomainError::AlreadyExists(
        "a report with this tracking code exists".to_owned(),
    ))
}
