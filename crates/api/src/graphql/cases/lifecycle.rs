//! The life of a case: register, correct, sign, advance the stage, notes, hold and resume,
//! close and reopen.

use async_graphql::{Context, InputObject, Object, ID};
use chrono::NaiveDate;
use guanjia_domain::case::commands::{EnterpriseCorrection, EnterpriseInput};
use guanjia_domain::case::model::AgreementScope;
use guanjia_domain::case::CaseCommand;
use guanjia_domain::values::DivisionCode;
use guanjia_domain::DomainError;
use guanjia_store::CaseRegistration;

use super::{dispatch, late, read_after, send, services, CaseCommandResult};
use crate::auth::authz;
use crate::error::ApiError;
use crate::graphql::context::{actor, command_context, state};
use crate::graphql::enums::{AgreementScopeKind, CloseReason, LeadSource, Stage};

/// The enterprise as entered.
#[derive(InputObject)]
pub struct EnterpriseDetailsInput {
    pub name: String,
    /// 统一社会信用代码; absent while the enterprise is being established.
    pub uscc: Option<String>,
    /// Where the enterprise is (12-digit division code): decides who may see the case.
    pub division: String,
    pub address: Option<String>,
    pub contact_name: Option<String>,
    pub contact_phone: Option<String>,
}

/// A new case.
#[derive(InputObject)]
pub struct RegisterCaseInput {
    pub enterprise: EnterpriseDetailsInput,
    pub lead_source: LeadSource,
    pub stage: Stage,
    /// Defaults to today (Beijing time).
    pub registered_on: Option<NaiveDate>,
}

/// A correction of enterprise details; absent fields stay as they are.
#[derive(InputObject)]
pub struct CorrectEnterpriseDetailsInput {
    pub name: Option<String>,
    pub uscc: Option<String>,
    pub division: Option<String>,
    pub address: Option<String>,
    pub contact_name: Option<String>,
    pub contact_phone: Option<String>,
    pub reason: String,
}

/// The signed agreement (代办委托协议).
#[derive(InputObject)]
pub struct SignAgreementInput {
    pub scope: AgreementScopeKind,
    /// Required when `scope` is `STAGE`.
    pub stage: Option<Stage>,
    pub signed_on: NaiveDate,
    pub signatories: Vec<String>,
}

/// The next life stage.
#[derive(InputObject)]
pub struct AdvanceStageInput {
    pub to: Stage,
}

/// A note on the timeline.
#[derive(InputObject)]
pub struct AddNoteInput {
    pub text: String,
}

/// An enterprise-side pause.
#[derive(InputObject)]
pub struct HoldCaseInput {
    pub reason: String,
    pub held_on: Option<NaiveDate>,
}

/// The end of a pause.
#[derive(InputObject)]
pub struct ResumeCaseInput {
    pub resumed_on: Option<NaiveDate>,
}

/// Closing a case.
#[derive(InputObject)]
pub struct CloseCaseInput {
    pub reason: CloseReason,
    pub summary: String,
    pub closed_on: Option<NaiveDate>,
}

/// A new service term.
#[derive(InputObject)]
pub struct ReopenCaseInput {
    pub reason: String,
    pub reopened_on: Option<NaiveDate>,
}

/// Lifecycle mutations.
#[derive(Default)]
pub struct LifecycleMutation;

#[Object]
impl LifecycleMutation {
    /// Registers a new case (stewards and leaders, for an enterprise in their division). With
    /// a `clientKey`, sending the same registration again returns the first outcome and takes
    /// no second case number.
    async fn register_case(
        &self,
        ctx: &Context<'_>,
        input: RegisterCaseInput,
        client_key: Option<String>,
        #[graphql(
            desc = "The reason of a late entry (补录): required when the registration is dated more than the configured working days (default 3) before today."
        )]
        late_reason: Option<String>,
    ) -> Result<CaseCommandResult, ApiError> {
        let actor = actor(ctx)?;
        let state = state(ctx)?;
        let division = DivisionCode::parse(&input.enterprise.division)
            .map_err(|e| ApiError::from(DomainError::invalid("division", e)))?;
        if !authz::can_register_case(actor, &division) {
            return Err(ApiError::Forbidden(format!(
                "a {} may not register a case in division {division}",
                actor.role
            )));
        }
        let context = command_context(ctx, actor, client_key)?;
        let enterprise = input.enterprise;
        let registration = CaseRegistration {
            enterprise: EnterpriseInput {
                name: enterprise.name,
                uscc: enterprise.uscc,
                division: enterprise.division,
                address: enterprise.address,
                contact_name: enterprise.contact_name,
                contact_phone: enterprise.contact_phone,
            },
            lead_source: input.lead_source.into(),
            stage: input.stage.into(),
            registered_on: input.registered_on,
            late_reason,
        };
        let registered = dispatch::register_case(
            &state.store,
            actor.username.as_str(),
            registration,
            &services(state),
            context,
        )
        .await?;
        let number = Some(registered.case_number.to_string());
        read_after(ctx, &registered.case_id, registered.committed, number).await
    }

    /// Corrects enterprise details (a new event; the old facts stay in the history).
    async fn correct_enterprise_details(
        &self,
        ctx: &Context<'_>,
        case_id: ID,
        input: CorrectEnterpriseDetailsInput,
        client_key: Option<String>,
    ) -> Result<CaseCommandResult, ApiError> {
        let command = CaseCommand::CorrectEnterpriseDetails {
            correction: EnterpriseCorrection {
                name: input.name,
                uscc: input.uscc,
                division: input.division,
                address: input.address,
                contact_name: input.contact_name,
                contact_phone: input.contact_phone,
            },
            reason: input.reason,
        };
        send(ctx, case_id, command, client_key).await
    }

    /// Records the signed agreement.
    async fn sign_agreement(
        &self,
        ctx: &Context<'_>,
        case_id: ID,
        input: SignAgreementInput,
        client_key: Option<String>,
        #[graphql(
            desc = "The reason of a late entry (补录): required when the step is dated more than the configured working days (default 3) before today."
        )]
        late_reason: Option<String>,
    ) -> Result<CaseCommandResult, ApiError> {
        let scope = match (input.scope, input.stage) {
            (AgreementScopeKind::FullLifecycle, _) => AgreementScope::FullLifecycle,
            (AgreementScopeKind::Stage, Some(stage)) => AgreementScope::Stage(stage.into()),
            (AgreementScopeKind::Stage, None) => {
                return Err(ApiError::bad_input(
                    "stage",
                    "required",
                    "name the stage of a stage agreement",
                ))
            }
        };
        let command = CaseCommand::SignAgreement {
            scope,
            signed_on: input.signed_on,
            signatories: input.signatories,
        };
        send(ctx, case_id, late(command, late_reason), client_key).await
    }

    /// Moves the case to a later life stage.
    async fn advance_stage(
        &self,
        ctx: &Context<'_>,
        case_id: ID,
        input: AdvanceStageInput,
        client_key: Option<String>,
    ) -> Result<CaseCommandResult, ApiError> {
        let command = CaseCommand::AdvanceStage {
            to: input.to.into(),
        };
        send(ctx, case_id, command, client_key).await
    }

    /// Adds a note to the timeline.
    async fn add_note(
        &self,
        ctx: &Context<'_>,
        case_id: ID,
        input: AddNoteInput,
        client_key: Option<String>,
    ) -> Result<CaseCommandResult, ApiError> {
        let command = CaseCommand::AddNote { text: input.text };
        send(ctx, case_id, command, client_key).await
    }

    /// Pauses the case at the enterprise's request.
    async fn hold_case(
        &self,
        ctx: &Context<'_>,
        case_id: ID,
        input: HoldCaseInput,
        client_key: Option<String>,
        #[graphql(
            desc = "The reason of a late entry (补录): required when the step is dated more than the configured working days (default 3) before today."
        )]
        late_reason: Option<String>,
    ) -> Result<CaseCommandResult, ApiError> {
        let command = CaseCommand::Hold {
            reason: input.reason,
            held_on: input.held_on,
        };
        send(ctx, case_id, late(command, late_reason), client_key).await
    }

    /// Ends a pause.
    async fn resume_case(
        &self,
        ctx: &Context<'_>,
        case_id: ID,
        input: ResumeCaseInput,
        client_key: Option<String>,
        #[graphql(
            desc = "The reason of a late entry (补录): required when the step is dated more than the configured working days (default 3) before today."
        )]
        late_reason: Option<String>,
    ) -> Result<CaseCommandResult, ApiError> {
        let command = CaseCommand::Resume {
            resumed_on: input.resumed_on,
        };
        send(ctx, case_id, late(command, late_reason), client_key).await
    }

    /// Closes the case.
    async fn close_case(
        &self,
        ctx: &Context<'_>,
        case_id: ID,
        input: CloseCaseInput,
        client_key: Option<String>,
        #[graphql(
            desc = "The reason of a late entry (补录): required when the step is dated more than the configured working days (default 3) before today."
        )]
        late_reason: Option<String>,
    ) -> Result<CaseCommandResult, ApiError> {
        let command = CaseCommand::Close {
            reason: input.reason.into(),
            summary: input.summary,
            closed_on: input.closed_on,
        };
        send(ctx, case_id, late(command, late_reason), client_key).await
    }

    /// Starts a new service term on a closed case.
    async fn reopen_case(
        &self,
        ctx: &Context<'_>,
        case_id: ID,
        input: ReopenCaseInput,
        client_key: Option<String>,
        #[graphql(
            desc = "The reason of a late entry (补录): required when the step is dated more than the configured working days (default 3) before today."
        )]
        late_reason: Option<String>,
    ) -> Result<CaseCommandResult, ApiError> {
        let command = CaseCommand::Reopen {
            reason: input.reason,
            reopened_on: input.reopened_on,
        };
        send(ctx, case_id, late(command, late_reason), client_key).await
    }
}
