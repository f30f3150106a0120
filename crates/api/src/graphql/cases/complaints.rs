//! Complaints (办不成事反映): lodge, assign, resolve, refer.

use async_graphql::{Context, InputObject, Object, ID};
use chrono::NaiveDate;
use guanjia_domain::case::CaseCommand;

use super::ratings::PersonDetails;
use super::{late, send, CaseCommandResult};
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
        let command = CaseCommand::LodgeComplaint {
            channel: input.channel.into(),
            content: input.content,
            complainant: input.complainant.into(),
            lodged_on: input.lodged_on,
        };
        send(ctx, case_id, late(command, late_reason), client_key).await
    }

    /// Assigns a complaint to someone.
    async fn assign_complaint(
        &self,
        ctx: &Context<'_>,
        case_id: ID,
        input: AssignComplaintInput,
        client_key: Option<String>,
    ) -> Result<CaseCommandResult, ApiError> {
        let command = CaseCommand::AssignComplaint {
            complaint_no: input.complaint_no,
            assignee: input.assignee,
        };
        send(ctx, case_id, command, client_key).await
    }

    /// Resolves a complaint with an answer.
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
        let command = CaseCommand::ResolveComplaint {
            complaint_no: input.complaint_no,
            answer: input.answer,
            resolved_on: input.resolved_on,
        };
        send(ctx, case_id, late(command, late_reason), client_key).await
    }

    /// Refers a complaint to a department.
    async fn refer_complaint(
        &self,
        ctx: &Context<'_>,
        case_id: ID,
        input: ReferComplaintInput,
        client_key: Option<String>,
    ) -> Result<CaseCommandResult, ApiError> {
        let command = CaseCommand::ReferComplaint {
            complaint_no: input.complaint_no,
            to_department: input.to_department,
            reason: input.reason,
        };
        send(ctx, case_id, command, client_key).await
    }
}
