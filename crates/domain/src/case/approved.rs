//! Entries into closed periods (封账): a step dated inside a period a division has closed is let
//! in only by a leader's approval for this case and that period (`crate::periods`). Which
//! periods are closed lives in another aggregate, so the application layer checks every dated
//! step and, when an approval lets it in, sends it wrapped ([`CaseCommand::ApprovedEntry`]).
//! The case then records `ClosedPeriodEntryApproved` first, in the same commit as the step:
//! the timeline, the audit history and the dashboard see whose approval let the entry in and
//! why, and the approval, once used, lets in nothing else.

use chrono::NaiveDate;

use super::commands::CaseCommand;
use super::dates::business_date;
use super::events::CaseEvent;
use super::state::EnterpriseCase;
use crate::error::{DomainError, ValueError};
use crate::periods::EntryApproval;

/// The command an approval envelope carries, and the approval.
pub(super) fn unwrap(
    command: CaseCommand,
) -> Result<(CaseCommand, Option<EntryApproval>), DomainError> {
    match command {
        CaseCommand::ApprovedEntry { approval, command } => {
            if matches!(*command, CaseCommand::ApprovedEntry { .. }) {
                return Err(DomainError::invalid(
                    "approval",
                    ValueError::Rule("an approved entry carries one step".to_owned()),
                ));
            }
            Ok((*command, Some(approval)))
        }
        other => Ok((other, None)),
    }
}

/// Prepends the record of the approval to `events` (the step's, the late-entry record
/// included); refuses an approval the case used before or one whose period holds none of the
/// step's dates.
pub(super) fn mark(
    case: &EnterpriseCase,
    approval: Option<EntryApproval>,
    events: Vec<CaseEvent>,
) -> Result<Vec<CaseEvent>, DomainError> {
    let Some(approval) = approval else {
        return Ok(events);
    };
    if case.used_approvals.contains(&approval.key()) {
        return Err(DomainError::not_allowed(format!(
            "approval {} of division {} was already used by another entry of this case",
            approval.approval_no, approval.division
        )));
    }
    let dates: Vec<NaiveDate> = events.iter().filter_map(business_date).collect();
    if !dates.iter().any(|date| approval.period.contains(*date)) {
        return Err(DomainError::invalid(
            "approval",
            ValueError::Rule(format!(
                "the step is not dated inside {}, the period the approval is for",
                approval.period
            )),
        ));
    }
    let mut marked = Vec::with_capacity(events.len() + 1);
    marked.push(CaseEvent::ClosedPeriodEntryApproved {
        division: approval.division,
        period: approval.period,
        approval_no: approval.approval_no,
        approved_by: approval.approved_by,
        reason: approval.reason,
        events: u32::try_from(events.len()).unwrap_or(u32::MAX),
    });
    marked.extend(events);
    Ok(marked)
}
