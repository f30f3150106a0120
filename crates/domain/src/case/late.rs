//! Late entries (补录): a step recorded more than a few working days after its business date is
//! legal, but only with a reason, and it stays visible as such. The reason arrives with the
//! command ([`CaseCommand::LateEntry`]) and is recorded as a `LateEntryRecorded` event just
//! before the step's own events, in the same commit: every existing event keeps its shape (old
//! events decode as they are) and the timeline, the audit history and the export see the flag
//! as an event of its own.

use std::sync::Arc;

use chrono::NaiveDate;

use super::commands::CaseCommand;
use super::dates::business_date;
use super::events::CaseEvent;
use crate::calendar::WorkCalendar;
use crate::error::{DomainError, ValueError};
use crate::values::text::{self, BODY_MAX};

/// Working days after which a step is a late entry, unless configured otherwise.
pub const DEFAULT_LATE_ENTRY_DAYS: u32 = 3;

/// When a step counts as a late entry: more than `days` working days (by `calendar`) between
/// its business date and the day it is recorded.
#[derive(Debug, Clone)]
pub struct LateEntryPolicy {
    pub days: u32,
    pub calendar: Arc<WorkCalendar>,
}

impl Default for LateEntryPolicy {
    fn default() -> Self {
        Self {
            days: DEFAULT_LATE_ENTRY_DAYS,
            calendar: Arc::new(WorkCalendar::china()),
        }
    }
}

impl LateEntryPolicy {
    /// The working days between `date` and `today` when they make `date` a late entry.
    pub fn lateness(&self, date: NaiveDate, today: NaiveDate) -> Option<u32> {
        if date >= today {
            return None;
        }
        let days = self.calendar.working_days_between(date, today);
        (days > self.days).then_some(days)
    }
}

/// The command a late-entry envelope carries, and the reason given with it.
pub(super) fn unwrap(command: CaseCommand) -> Result<(CaseCommand, Option<String>), DomainError> {
    match command {
        CaseCommand::LateEntry { reason, command } => {
            if matches!(
                *command,
                CaseCommand::LateEntry { .. } | CaseCommand::ApprovedEntry { .. }
            ) {
                return Err(DomainError::invalid(
                    "late_reason",
                    ValueError::Rule(
                        "a late entry carries one step, not another late entry".to_owned(),
                    ),
                ));
            }
            let reason = text::required("late_reason", &reason, BODY_MAX)?;
            Ok((*command, Some(reason)))
        }
        other => Ok((other, None)),
    }
}

/// Prepends the record of a late entry to `events` when the earliest business date among them
/// is late; refuses the step when it is late and no reason was given.
pub(super) fn mark(
    policy: &LateEntryPolicy,
    today: NaiveDate,
    reason: Option<String>,
    events: Vec<CaseEvent>,
) -> Result<Vec<CaseEvent>, DomainError> {
    let earliest = events.iter().filter_map(business_date).min();
    let Some((date, days)) =
        earliest.and_then(|date| policy.lateness(date, today).map(|days| (date, days)))
    else {
        return Ok(events);
    };
    let Some(reason) = reason else {
        return Err(DomainError::invalid(
            "late_reason",
            ValueError::LateEntry {
                date,
                working_days: days,
                limit: policy.days,
            },
        ));
    };
    let mut marked = Vec::with_capacity(events.len() + 1);
    marked.push(CaseEvent::LateEntryRecorded {
        business_date: date,
        recorded_on: today,
        working_days_late: days,
        reason,
        events: u32::try_from(events.len()).unwrap_or(u32::MAX),
    });
    marked.extend(events);
    Ok(marked)
}
