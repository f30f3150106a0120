//! Complaints (办不成事反映): lodge, assign, resolve, refer.

use async_graphql::{Context, InputObject, Object, ID};
use chrono::NaiveDate;

use super::ratings::PersonDetails;
use super::{answer, on_case, CaseCommandResult};
use crate::error::ApiError;
use crate::graphql::enums::Channel;

/// A complaint as received.
#[derive(InputObject)]
pub struct LodgeComplaintInput {
    pub channel: Channel,
    pub content: String,
    pub complainant: PersonDetails,
    pub lodged_on: Option<NaiveDate>,
}

/// Who handles a complaint.
#[derive(InputObject)]
pub struct AssignComplaintInput {
    pub complaint_no: u32,
    pub assignee: String,
}

/// The answer to a complaint.
#[derive(InputObject)]
pub struct ResolveComplaintInput {
    pub complaint_no: u32,
    pub answer: String,
    pub resolved_on: Option<NaiveDate>,
}

/// A complaint handed to a department.
#[derive(InputObject)]
pub struct ReferComplaintInput {
    pub complaint_no: u32,
    pub to_department: String,
    pub reason: String,
}

/// Complaint mutations.
#[derive(Default)]
pub struct ComplaintMutation;

#[Object]
impl ComplaintMutation {
    /// Records a complaint.
    async fn lodge_complaint(
        &self,
        ctx: &Context<'_>,
        case_id: ID,
        input: LodgeComplaintInput,
        client_key: Option<String>,
        #[graphql(
            desc = "The reason of a late entry (补录): required when the step is dated more than the configured working days (default 3) before today."
        )]
        late_reason: Option<String>,
    ) -> Result<CaseCommandResult, ApiError> {
        let case = on_case(ctx, &case_id, client_key)?.late_entry(late_reason);
        answer(
            ctx,
            case.lodge_complaint(
                input.channel.into(),
                input.content,
                input.complainant.into(),
                input.lodged_on,
            )
            .await,
        )
        .await
    }

    /// Assigns a complaint to someone.
    async fn assign_complaint(
        &self,
        ctx: &Context<'_>,
        case_id: ID,
        input: AssignComplaintInput,
        client_key: Option<String>,
    ) -> Result<CaseCommandResult, ApiError> {
        let case = on_case(ctx, &case_id, client_key)?;
        answer(
            ctx,
            case.assign_complaint(input.complaint_no, input.assignee)
                .await,
        )
        .await
    }

    /// Resolves a complaint with an answer. A 办不成事 complaint is about the case's team, so
    /// (with `complaint_sign_off`, the default) only a leader of the case's division who is not
    /// on the team may resolve it, signing the answer off (`Complaint.signedOffBy`); anyone
    /// else is `FORBIDDEN`.
    async fn resolve_complaint(
        &self,
        ctx: &Context<'_>,
        case_id: ID,
        input: ResolveComplaintInput,
        client_key: Option<String>,
        #[graphql(
            desc = "The reason of a late entry (补录): required when the step is dated more than the configured working days (default 3) before today."
        )]
        late_reason: Option<String>,
    ) -> Result<CaseCommandResult, ApiError> {
        let case = on_case(ctx, &case_id, client_key)?.late_entry(late_reason);
        answer(
            ctx,
            case.resolve_complaint(input.complaint_no, input.answer, input.resolved_on)
                .await,
        )
        .await
    }

    /// Refers a complaint to a department.
    async fn refer_complaint(
        &self,
        ctx: &Context<'_>,
        case_id: ID,
        input: ReferComplaintInput,
        client_key: Option<String>,
    ) -> Result<CaseCommandResult, ApiError> {
        let case = on_case(ctx, &case_id, client_key)?;
        answer(
            ctx,
            case.refer_complaint(input.complaint_no, input.to_department, input.reason)
                .await,
        )
        .await
    }
}
