//! On-site visits (上门服务): schedule, conduct, cancel.

use async_graphql::{Context, InputObject, Object, ID};
use chrono::{DateTime, Utc};
use guanjia_domain::case::CaseCommand;

use super::{late, send, CaseCommandResult};
use crate::error::ApiError;

/// A visit to plan.
#[derive(InputObject)]
pub struct ScheduleVisitInput {
    pub scheduled_at: DateTime<Utc>,
    pub place: String,
    pub purpose: String,
    pub planned_participants: Vec<String>,
}

/// What happened at a visit.
#[derive(InputObject)]
pub struct ConductVisitInput {
    pub visit_no: u32,
    pub conducted_at: DateTime<Utc>,
    pub participants: Vec<String>,
    pub notes: String,
    pub issues_raised: Vec<String>,
    pub follow_ups: Vec<String>,
}

/// A visit called off.
#[derive(InputObject)]
pub struct CancelVisitInput {
    pub visit_no: u32,
    pub reason: String,
}

/// Visit mutations.
#[derive(Default)]
pub struct VisitMutation;

#[Object]
impl VisitMutation {
    /// Schedules a visit; its number is in the event.
    async fn schedule_visit(
        &self,
        ctx: &Context<'_>,
        case_id: ID,
        input: ScheduleVisitInput,
        client_key: Option<String>,
    ) -> Result<CaseCommandResult, ApiError> {
        let command = CaseCommand::ScheduleVisit {
            scheduled_at: input.scheduled_at,
            place: input.place,
            purpose: input.purpose,
            planned_participants: input.planned_participants,
        };
        send(ctx, case_id, command, client_key).await
    }

    /// Records a visit as conducted.
    async fn conduct_visit(
        &self,
        ctx: &Context<'_>,
        case_id: ID,
        input: ConductVisitInput,
        client_key: Option<String>,
        #[graphql(
            desc = "The reason of a late entry (补录): required when the step is dated more than the configured working days (default 3) before today."
        )]
        late_reason: Option<String>,
    ) -> Result<CaseCommandResult, ApiError> {
        let command = CaseCommand::ConductVisit {
            visit_no: input.visit_no,
            conducted_at: input.conducted_at,
            participants: input.participants,
            notes: input.notes,
            issues_raised: input.issues_raised,
            follow_ups: input.follow_ups,
        };
        send(ctx, case_id, late(command, late_reason), client_key).await
    }

    /// Cancels a scheduled visit.
    async fn cancel_visit(
        &self,
        ctx: &Context<'_>,
        case_id: ID,
        input: CancelVisitInput,
        client_key: Option<String>,
    ) -> Result<CaseCommandResult, ApiError> {
        let command = CaseCommand::CancelVisit {
            visit_no: input.visit_no,
            reason: input.reason,
        };
        send(ctx, case_id, command, client_key).await
    }
}
