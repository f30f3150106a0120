//! The life of a case: register, correct, sign, advance the stage, notes, hold and resume,
//! close and reopen.

use async_graphql::{Context, InputObject, Object, ID};
use chrono::NaiveDate;
use guanjia_app::CaseRegistration;
use guanjia_domain::case::commands::{EnterpriseCorrection, EnterpriseInput};
use guanjia_domain::case::model::AgreementScope;

use super::{answer, on_case, CaseCommandResult};
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
        answer(
            ctx,
            state.app.register_case(actor, registration, context).await,
        )
        .await
    }

    /// Corrects enterprise details (a new event; the old facts stay in the history).
    async fn correct_enterprise_details(
        &self,
        ctx: &Context<'_>,
        case_id: ID,
        input: CorrectEnterpriseDetailsInput,
        client_key: Option<String>,
    ) -> Result<CaseCommandResult, ApiError> {
        let case = on_case(ctx, &case_id, client_key)?;
        answer(
            ctx,
            case.correct_enterprise_details(
                EnterpriseCorrection {
                    name: input.name,
                    uscc: input.uscc,
                    division: input.division,
                    address: input.address,
                    contact_name: input.contact_name,
                    contact_phone: input.contact_phone,
                },
                input.reason,
            )
            .await,
        )
        .await
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
        let case = on_case(ctx, &case_id, client_key)?.late_entry(late_reason);
        answer(
            ctx,
            case.sign_agreement(scope, input.signed_on, input.signatories)
                .await,
        )
        .await
    }

    /// Moves the case to a later life stage.
    async fn advance_stage(
        &self,
        ctx: &Context<'_>,
        case_id: ID,
        input: AdvanceStageInput,
        client_key: Option<String>,
    ) -> Result<CaseCommandResult, ApiError> {
        let case = on_case(ctx, &case_id, client_key)?;
        answer(ctx, case.advance_stage(input.to.into()).await).await
    }

    /// Adds a note to the timeline.
    async fn add_note(
        &self,
        ctx: &Context<'_>,
        case_id: ID,
        input: AddNoteInput,
        client_key: Option<String>,
    ) -> Result<CaseCommandResult, ApiError> {
        let case = on_case(ctx, &case_id, client_key)?;
        answer(ctx, case.add_note(input.text).await).await
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
        let case = on_case(ctx, &case_id, client_key)?.late_entry(late_reason);
        answer(ctx, case.hold(input.reason, input.held_on).await).await
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
        let case = on_case(ctx, &case_id, client_key)?.late_entry(late_reason);
        answer(ctx, case.resume(input.resumed_on).await).await
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
        let case = on_case(ctx, &case_id, client_key)?.late_entry(late_reason);
        answer(
            ctx,
            case.close(input.reason.into(), input.summary, input.closed_on)
                .await,
        )
        .await
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
        let case = on_case(ctx, &case_id, client_key)?.late_entry(late_reason);
        answer(ctx, case.reopen(input.reason, input.reopened_on).await).await
    }
}
