//! On-site visits (上门服务): scheduled, then conducted or cancelled.

use super::commands::CaseCommand;
use super::dates::not_before;
use super::events::CaseEvent;
use super::guards::Now;
use super::model::CaseState;
use super::state::{EnterpriseCase, VisitStatus};
use crate::error::{DomainError, ValueError};
use crate::values::text::{self, BODY_MAX, LABEL_MAX, NAME_MAX};

pub(super) fn decide(
    case: &EnterpriseCase,
    command: CaseCommand,
    now: Now,
) -> Result<Vec<CaseEvent>, DomainError> {
    use CaseCommand as C;
    case.require_not_closed()?;
    let event = match command {
        C::ScheduleVisit {
            scheduled_at,
            place,
            purpose,
            planned_participants,
        } => {
            if case.state == CaseState::OnHold {
                return Err(DomainError::not_allowed(
                    "the case is on hold (有求必应、无事不扰): resume it first",
                ));
            }
            case.dates
                .in_work("scheduled_at", crate::clock::china_date(scheduled_at))?;
            CaseEvent::VisitScheduled {
                visit_no: next_no(case),
                scheduled_at,
                place: text::required("place", &place, NAME_MAX)?,
                purpose: text::required("purpose", &purpose, BODY_MAX)?,
                planned_participants: text::list(
                    "planned_participants",
                    &planned_participants,
                    LABEL_MAX,
                )?,
            }
        }
        C::ConductVisit {
            visit_no,
            conducted_at,
            participants,
            notes,
            issues_raised,
            follow_ups,
        } => {
            require_scheduled(case, visit_no)?;
            if conducted_at > now.at {
                return Err(DomainError::invalid(
                    "conducted_at",
                    ValueError::Rule(format!("{conducted_at} is in the future")),
                ));
            }
            let conducted_on = crate::clock::china_date(conducted_at);
            case.dates.in_work("conducted_at", conducted_on)?;
            if let Some(scheduled_on) = case.dates.visits.get(&visit_no) {
                not_before(
                    "conducted_at",
                    conducted_on,
                    *scheduled_on,
                    "the visit's scheduled day",
                )?;
            }
            let participants = text::list("participants", &participants, LABEL_MAX)?;
            if participants.is_empty() {
                return Err(DomainError::invalid("participants", ValueError::Empty));
            }
            CaseEvent::VisitConducted {
                visit_no,
                conducted_at,
                participants,
                notes: text::required("notes", &notes, BODY_MAX)?,
                issues_raised: text::list("issues_raised", &issues_raised, BODY_MAX)?,
                follow_ups: text::list("follow_ups", &follow_ups, BODY_MAX)?,
            }
        }
        C::CancelVisit { visit_no, reason } => {
            require_scheduled(case, visit_no)?;
            CaseEvent::VisitCancelled {
                visit_no,
                reason: text::required("reason", &reason, BODY_MAX)?,
            }
        }
        _ => return Err(super::misrouted()),
    };
    Ok(vec![event])
}

fn next_no(case: &EnterpriseCase) -> u32 {
    case.visits.keys().next_back().map_or(1, |n| n + 1)
}

fn require_scheduled(case: &EnterpriseCase, visit_no: u32) -> Result<(), DomainError> {
    match case.visits.get(&visit_no) {
        None => Err(DomainError::NotFound {
            what: format!("visit {visit_no}"),
        }),
        Some(VisitStatus::Scheduled) => Ok(()),
        Some(VisitStatus::Conducted) => Err(DomainError::not_allowed(format!(
            "visit {visit_no} was already conducted"
        ))),
        Some(VisitStatus::Cancelled) => Err(DomainError::not_allowed(format!(
            "visit {visit_no} was cancelled"
        ))),
    }
}
