//! The cqrs-es wiring of the case aggregate: the command dispatch onto the decision modules.
//! The guards they share are in `guards.rs`, below both, so no decision module reaches back
//! up into the dispatch.

use std::sync::Arc;

use cqrs_es::event_sink::EventSink;
use cqrs_es::Aggregate;

use super::commands::CaseCommand;
use super::events::CaseEvent;
use super::guards::Now;
use super::late::{self, LateEntryPolicy};
use super::state::EnterpriseCase;
use super::{approved, complaints, items, lifecycle, ratings, team, visits};
use crate::clock::Clock;
use crate::error::DomainError;

/// What the case aggregate needs from outside: the time, and when a step is a late entry.
#[derive(Debug, Clone)]
pub struct CaseServices {
    pub clock: Arc<dyn Clock>,
    pub late_entries: LateEntryPolicy,
}

impl CaseServices {
    /// Services reading `clock`, with the default late-entry policy.
    pub fn new(clock: Arc<dyn Clock>) -> Self {
        Self {
            clock,
            late_entries: LateEntryPolicy::default(),
        }
    }
}

impl Aggregate for EnterpriseCase {
    const TYPE: &'static str = "enterprise_case";
    type Command = CaseCommand;
    type Event = CaseEvent;
    type Error = DomainError;
    type Services = CaseServices;

    async fn handle(
        &mut self,
        command: Self::Command,
        services: &Self::Services,
        sink: &EventSink<Self>,
    ) -> Result<(), Self::Error> {
        let now = Now::from_clock(services.clock.as_ref());
        let events = self.decide_marked(command, services, now)?;
        for event in events {
            sink.write(event, self).await;
        }
        Ok(())
    }

    fn apply(&mut self, event: Self::Event) {
        self.apply_event(event);
    }
}

impl EnterpriseCase {
    /// Decides a command, envelopes included: the approval of an entry into a closed period
    /// (outermost), the late-entry reason, then the step.
    fn decide_marked(
        &self,
        command: CaseCommand,
        services: &CaseServices,
        now: Now,
    ) -> Result<Vec<CaseEvent>, DomainError> {
        let (command, approval) = approved::unwrap(command)?;
        let (command, late_reason) = late::unwrap(command)?;
        let events = self.decide(command, now)?;
        let events = late::mark(&services.late_entries, now.today, late_reason, events)?;
        approved::mark(self, approval, events)
    }

    /// The business dates the step of `command` would record on this case now, without
    /// recording anything: what the application layer checks against closed periods. Empty
    /// when the command would be refused anyway (it then fails with its own error).
    pub fn business_dates_of(
        &self,
        command: &CaseCommand,
        services: &CaseServices,
    ) -> Vec<chrono::NaiveDate> {
        let now = Now::from_clock(services.clock.as_ref());
        self.decide(command.step().clone(), now)
            .unwrap_or_default()
            .iter()
            .filter_map(super::dates::business_date)
            .collect()
    }

    /// Decides a command against the current state: the events to record, or why not.
    pub(crate) fn decide(
        &self,
        command: CaseCommand,
        now: Now,
    ) -> Result<Vec<CaseEvent>, DomainError> {
        use CaseCommand as C;
        if let C::Register { .. } = command {
            return lifecycle::register(self, command, now);
        }
        self.require_registered()?;
        match command {
            C::Register { .. } => unreachable_register(),
            // Unwrapped in `handle` before a decision; nested envelopes are refused there.
            C::LateEntry { .. } | C::ApprovedEntry { .. } => Err(super::misrouted()),
            C::CorrectEnterpriseDetails { .. }
            | C::SignAgreement { .. }
            | C::AdvanceStage { .. }
            | C::AddNote { .. }
            | C::Hold { .. }
            | C::Resume { .. }
            | C::Close { .. }
            | C::Reopen { .. } => lifecycle::decide(self, command, now),
            C::ErasePersonalData { reason } => lifecycle::erase_personal_data(reason),
            C::AssignLeadSteward { .. }
            | C::AddTeamMember { .. }
            | C::RemoveTeamMember { .. }
            | C::AdoptPlan { .. }
            | C::RevisePlan { .. }
            | C::AddProject { .. }
            | C::ChangeProject { .. } => team::decide(self, command),
            C::ScheduleVisit { .. } | C::ConductVisit { .. } | C::CancelVisit { .. } => {
                visits::decide(self, command, now)
            }
            C::RequestServiceItem { .. }
            | C::RequestBundle { .. }
            | C::AcceptServiceItem { .. }
            | C::SuspendServiceItem { .. }
            | C::ResumeServiceItem { .. }
            | C::ExtendServiceItem { .. }
            | C::ConcludeServiceItem { .. }
            | C::RejectServiceItem { .. } => items::decide(self, command, now),
            C::Rate { .. }
            | C::RateFollowUp { .. }
            | C::RecordCallBack { .. }
            | C::AppealRating { .. }
            | C::DecideAppeal { .. }
            | C::RecordRectification { .. } => ratings::decide(self, command, now),
            C::LodgeComplaint { .. }
            | C::AssignComplaint { .. }
            | C::ResolveComplaint { .. }
            | C::ReferComplaint { .. } => complaints::decide(self, command, now),
        }
    }
}

/// `Register` is answered before the match; this arm only satisfies exhaustiveness.
fn unreachable_register() -> Result<Vec<CaseEvent>, DomainError> {
    Err(DomainError::AlreadyExists(
        "case is already registered".to_owned(),
    ))
}
