//! The life of the case itself: registration, corrections, the agreement, stage, hold and
//! resume, closure and reopening, and notes.

use super::commands::{CaseCommand, EnterpriseCorrection, EnterpriseInput};
use super::dates::not_before_opt;
use super::events::CaseEvent;
use super::guards::Now;
use super::model::{CaseState, CloseReason, Enterprise};
use super::state::{EnterpriseCase, VisitStatus};
use crate::error::DomainError;
use crate::values::text::{self, BODY_MAX, LABEL_MAX, NAME_MAX};
use crate::values::{CaseNumber, DivisionCode, Phone, Uscc};

pub(super) fn register(
    case: &EnterpriseCase,
    command: CaseCommand,
    now: Now,
) -> Result<Vec<CaseEvent>, DomainError> {
    let CaseCommand::Register {
        case_number,
        enterprise,
        lead_source,
        stage,
        registered_on,
    } = command
    else {
        return Err(super::misrouted());
    };
    if case.state != CaseState::Unregistered {
        return Err(DomainError::AlreadyExists(format!(
            "case {} is already registered",
            case.number_text()
        )));
    }
    // The date first: the case number is made from its year, so a date outside the years
    // numbers cover would otherwise be reported as a bad case number.
    let registered_on = now.date("registered_on", registered_on)?;
    CaseNumber::covers(registered_on).map_err(|e| DomainError::invalid("registered_on", e))?;
    let case_number =
        CaseNumber::parse(&case_number).map_err(|e| DomainError::invalid("case_number", e))?;
    Ok(vec![CaseEvent::CaseRegistered {
        case_number,
        enterprise: parse_enterprise(enterprise)?,
        lead_source,
        stage,
        registered_on,
    }])
}

fn parse_enterprise(input: EnterpriseInput) -> Result<Enterprise, DomainError> {
    Ok(Enterprise {
        name: text::required("enterprise.name", &input.name, NAME_MAX)?,
        uscc: parse_optional(input.uscc.as_deref(), "enterprise.uscc", Uscc::parse)?,
        division: DivisionCode::parse(&input.division)
            .map_err(|e| DomainError::invalid("enterprise.division", e))?,
        address: text::optional("enterprise.address", input.address.as_deref(), NAME_MAX)?,
        contact_name: text::optional(
            "enterprise.contact_name",
            input.contact_name.as_deref(),
            LABEL_MAX,
        )?,
        contact_phone: parse_optional(
            input.contact_phone.as_deref(),
            "enterprise.contact_phone",
            Phone::parse,
        )?,
    })
}

/// Parses an optional identifier; blank counts as absent.
pub(super) fn parse_optional<T>(
    value: Option<&str>,
    field: &'static str,
    parse: impl FnOnce(&str) -> Result<T, crate::ValueError>,
) -> Result<Option<T>, DomainError> {
    match value.map(str::trim) {
        None | Some("") => Ok(None),
        Some(v) => parse(v)
            .map(Some)
            .map_err(|e| DomainError::invalid(field, e)),
    }
}

pub(super) fn decide(
    case: &EnterpriseCase,
    command: CaseCommand,
    now: Now,
) -> Result<Vec<CaseEvent>, DomainError> {
    use CaseCommand as C;
    if !matches!(command, C::Reopen { .. }) {
        case.require_not_closed()?;
    }
    let event = match command {
        C::CorrectEnterpriseDetails { correction, reason } => correct(case, correction, reason)?,
        C::SignAgreement {
            scope,
            signed_on,
            signatories,
        } => {
            if case.state != CaseState::Registered {
                return Err(DomainError::not_allowed(
                    "an agreement can only be signed once, after registration",
                ));
            }
            now.not_future("signed_on", signed_on)?;
            case.dates.in_term("signed_on", signed_on)?;
            let signatories = text::list("signatories", &signatories, LABEL_MAX)?;
            if signatories.is_empty() {
                return Err(DomainError::invalid(
                    "signatories",
                    crate::ValueError::Empty,
                ));
            }
            CaseEvent::AgreementSigned {
                scope,
                signed_on,
                signatories,
            }
        }
        C::AdvanceStage { to } => {
            let from = case
                .stage
                .ok_or_else(|| DomainError::not_allowed("case has no stage"))?;
            if to <= from {
                return Err(DomainError::not_allowed(format!(
                    "stage can only move forward: it is {from:?}, not before {to:?}"
                )));
            }
            CaseEvent::StageAdvanced { from, to }
        }
        C::AddNote { text: body } => CaseEvent::NoteAdded {
            note_no: case.notes + 1,
            text: text::required("text", &body, BODY_MAX)?,
        },
        C::Hold { reason, held_on } => {
            if case.state != CaseState::InService {
                return Err(DomainError::not_allowed(
                    "only a case in service can be put on hold",
                ));
            }
            let held_on = now.date("held_on", held_on)?;
            case.dates.in_work("held_on", held_on)?;
            let last = case.dates.held_or_resumed_on;
            not_before_opt("held_on", held_on, last, "the last resumption")?;
            CaseEvent::CaseHeld {
                reason: text::required("reason", &reason, BODY_MAX)?,
                held_on,
            }
        }
        C::Resume { resumed_on } => {
            if case.state != CaseState::OnHold {
                return Err(DomainError::not_allowed(
                    "only a case on hold can be resumed",
                ));
            }
            let resumed_on = now.date("resumed_on", resumed_on)?;
            let held_on = case.dates.held_or_resumed_on;
            not_before_opt("resumed_on", resumed_on, held_on, "the hold")?;
            CaseEvent::CaseResumed { resumed_on }
        }
        C::Close {
            reason,
            summary,
            closed_on,
        } => close(case, reason, summary, now.date("closed_on", closed_on)?)?,
        C::Reopen {
            reason,
            reopened_on,
        } => {
            if case.state != CaseState::Closed {
                return Err(DomainError::not_allowed(
                    "only a closed case can be reopened",
                ));
            }
            let reopened_on = now.date("reopened_on", reopened_on)?;
            let closed_on = case.dates.closed_on;
            not_before_opt("reopened_on", reopened_on, closed_on, "the closure")?;
            CaseEvent::CaseReopened {
                term: case.term + 1,
                reason: text::required("reason", &reason, BODY_MAX)?,
                reopened_on,
            }
        }
        _ => return Err(super::misrouted()),
    };
    Ok(vec![event])
}

/// Erasure is allowed in every state, closed included: a lawful request does not wait for the
/// case. Only the reason is required (it is what the audit trail shows).
pub(super) fn erase_personal_data(reason: String) -> Result<Vec<CaseEvent>, DomainError> {
    Ok(vec![CaseEvent::PersonalDataErased {
        reason: text::required("reason", &reason, BODY_MAX)?,
    }])
}

fn correct(
    case: &EnterpriseCase,
    input: EnterpriseCorrection,
    reason: String,
) -> Result<CaseEvent, DomainError> {
    let current = case
        .enterprise
        .as_ref()
        .ok_or_else(|| DomainError::NotFound {
            what: "enterprise".to_owned(),
        })?;
    let reason = text::required("reason", &reason, BODY_MAX)?;
    // Keep only what really changes, so the event says exactly what was corrected.
    let changed = |new: Option<String>, old: Option<&String>| new.filter(|n| Some(n) != old);
    let name = text::optional("name", input.name.as_deref(), NAME_MAX)?;
    let uscc = parse_optional(input.uscc.as_deref(), "uscc", Uscc::parse)?
        .filter(|u| Some(u) != current.uscc.as_ref());
    let division = parse_optional(input.division.as_deref(), "division", DivisionCode::parse)?
        .filter(|d| d != &current.division);
    let address = text::optional("address", input.address.as_deref(), NAME_MAX)?;
    let contact_name = text::optional("contact_name", input.contact_name.as_deref(), LABEL_MAX)?;
    let contact_phone = parse_optional(
        input.contact_phone.as_deref(),
        "contact_phone",
        Phone::parse,
    )?
    .filter(|p| Some(p) != current.contact_phone.as_ref());
    let event = CaseEvent::EnterpriseDetailsCorrected {
        name: changed(name, Some(&current.name)),
        uscc,
        division,
        address: changed(address, current.address.as_ref()),
        contact_name: changed(contact_name, current.contact_name.as_ref()),
        contact_phone,
        reason,
    };
    if let CaseEvent::EnterpriseDetailsCorrected {
        name: None,
        uscc: None,
        division: None,
        address: None,
        contact_name: None,
        contact_phone: None,
        ..
    } = event
    {
        return Err(DomainError::not_allowed("the correction changes nothing"));
    }
    Ok(event)
}

fn close(
    case: &EnterpriseCase,
    reason: CloseReason,
    summary: String,
    closed_on: chrono::NaiveDate,
) -> Result<CaseEvent, DomainError> {
    // Every item needs an outcome and every planned visit a fate before the file is closed;
    // otherwise the dashboards would count open work on a closed case forever.
    if let Some((no, _)) = case.items.iter().find(|(_, i)| !i.status.is_final()) {
        return Err(DomainError::not_allowed(format!(
            "service item {no} is still open: conclude or reject it first"
        )));
    }
    if let Some((no, _)) = case
        .visits
        .iter()
        .find(|(_, v)| **v == VisitStatus::Scheduled)
    {
        return Err(DomainError::not_allowed(format!(
            "visit {no} is still scheduled: conduct or cancel it first"
        )));
    }
    // Closure comes after every step of the case, whatever part of it the step belongs to.
    not_before_opt(
        "closed_on",
        closed_on,
        case.dates.latest_on,
        "the case's latest step",
    )?;
    if reason == CloseReason::AllItemsConcluded && case.items.is_empty() {
        return Err(DomainError::not_allowed(
            "reason all_items_concluded needs at least one service item",
        ));
    }
    Ok(CaseEvent::CaseClosed {
        reason,
        summary: text::required("summary", &summary, BODY_MAX)?,
        closed_on,
    })
}
