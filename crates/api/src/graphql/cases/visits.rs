//! On-site visits (上门服务): schedule, conduct, cancel.

use async_graphql::{Context, InputObject, Object, ID};
use chrono::{DateTime, Utc};

use super::{answer, on_case, CaseCommandResult};
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
        let case = on_case(ctx, &case_id, client_key)?;
        answer(
            ctx,
            case.schedule_visit(
                input.scheduled_at,
                input.place,
                input.purpose,
                input.planned_participants,
            )
            .await,
        )
        .await
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
        let case = on_case(ctx, &case_id, client_key)?.late_entry(late_reason);
        answer(
            ctx,
            case.conduct_visit(
                input.visit_no,
                input.conducted_at,
                input.participants,
                input.notes,
                input.issues_raised,
                input.follow_ups,
            )
            .await,
        )
        .await
    }

    /// Cancels a scheduled visit.
    async fn cancel_visit(
        &self,
        ctx: &Context<'_>,
        case_id: ID,
        input: CancelVisitInput,
        client_key: Option<String>,
    ) -> Result<CaseCommandResult, ApiError> {
        let case = on_case(ctx, &case_id, client_key)?;
        answer(ctx, case.cancel_visit(input.visit_no, input.reason).await).await
    }
}
