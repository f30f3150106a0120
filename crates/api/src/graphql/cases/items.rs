//! Service items (办件): request one item or a bundle, then accept, suspend, resume, extend,
//! conclude or reject it.
//!
//! A request names the catalog item by its implementation code; the application layer looks
//! the current version's facts up and copies them into the case's event, so the case's history
//! does not change when the catalog does.

use async_graphql::{Context, InputObject, Object, ID};
use chrono::NaiveDate;

use super::{answer, on_case, CaseCommandResult};
use crate::error::ApiError;
use crate::graphql::enums::{HandlingMode, ItemOutcome, SuspensionReason};

/// A catalog item to handle for the enterprise.
#[derive(InputObject)]
pub struct RequestServiceItemInput {
    /// 实施编码 of a live catalog item.
    pub implementation_code: String,
    pub mode: HandlingMode,
    pub requested_on: Option<NaiveDate>,
}

/// A bundle (一件事一次办): one service item per catalog item of the bundle.
#[derive(InputObject)]
pub struct RequestBundleInput {
    pub bundle_code: String,
    pub mode: HandlingMode,
    pub requested_on: Option<NaiveDate>,
}

/// Intake (受理): the clock starts.
#[derive(InputObject)]
pub struct AcceptServiceItemInput {
    pub item_no: u32,
    pub accepted_on: Option<NaiveDate>,
    pub receipt_no: Option<String>,
    /// Count against the statutory rather than the promised limit.
    #[graphql(default)]
    pub use_statutory_limit: bool,
}

/// The clock stops (补正, hearing, inspection, expert review).
#[derive(InputObject)]
pub struct SuspendServiceItemInput {
    pub item_no: u32,
    pub reason: SuspensionReason,
    pub suspended_on: Option<NaiveDate>,
    pub note: Option<String>,
}

/// The clock runs again.
#[derive(InputObject)]
pub struct ResumeServiceItemInput {
    pub item_no: u32,
    pub resumed_on: Option<NaiveDate>,
}

/// More working days, with the approver.
#[derive(InputObject)]
pub struct ExtendServiceItemInput {
    pub item_no: u32,
    pub days: u32,
    pub approver: String,
    pub reason: String,
}

/// 办结.
#[derive(InputObject)]
pub struct ConcludeServiceItemInput {
    pub item_no: u32,
    pub outcome: ItemOutcome,
    pub concluded_on: Option<NaiveDate>,
    /// Licence or result number.
    pub result_reference: Option<String>,
    pub materials_submitted: u32,
    pub onsite_trips: u32,
}

/// 不予受理.
#[derive(InputObject)]
pub struct RejectServiceItemInput {
    pub item_no: u32,
    pub reason: String,
    pub rejected_on: Option<NaiveDate>,
}

/// Service item mutations.
#[derive(Default)]
pub struct ItemMutation;

#[Object]
impl ItemMutation {
    /// Requests a service item for the current version of a catalog item.
    async fn request_service_item(
        &self,
        ctx: &Context<'_>,
        case_id: ID,
        input: RequestServiceItemInput,
        client_key: Option<String>,
        #[graphql(
            desc = "The reason of a late entry (补录): required when the step is dated more than the configured working days (default 3) before today."
        )]
        late_reason: Option<String>,
    ) -> Result<CaseCommandResult, ApiError> {
        let case = on_case(ctx, &case_id, client_key)?.late_entry(late_reason);
        let code = &input.implementation_code;
        let outcome = case
            .request_service_item(code, input.mode.into(), input.requested_on)
            .await;
        answer(ctx, outcome).await
    }

    /// Requests every item of a live bundle.
    async fn request_bundle(
        &self,
        ctx: &Context<'_>,
        case_id: ID,
        input: RequestBundleInput,
        client_key: Option<String>,
        #[graphql(
            desc = "The reason of a late entry (补录): required when the step is dated more than the configured working days (default 3) before today."
        )]
        late_reason: Option<String>,
    ) -> Result<CaseCommandResult, ApiError> {
        let case = on_case(ctx, &case_id, client_key)?.late_entry(late_reason);
        let code = &input.bundle_code;
        let outcome = case
            .request_bundle(code, input.mode.into(), input.requested_on)
            .await;
        answer(ctx, outcome).await
    }

    /// Records intake (受理); the deadline starts.
    async fn accept_service_item(
        &self,
        ctx: &Context<'_>,
        case_id: ID,
        input: AcceptServiceItemInput,
        client_key: Option<String>,
        #[graphql(
            desc = "The reason of a late entry (补录): required when the step is dated more than the configured working days (default 3) before today."
        )]
        late_reason: Option<String>,
    ) -> Result<CaseCommandResult, ApiError> {
        let case = on_case(ctx, &case_id, client_key)?.late_entry(late_reason);
        answer(
            ctx,
            case.accept_service_item(
                input.item_no,
                input.accepted_on,
                input.receipt_no,
                input.use_statutory_limit,
            )
            .await,
        )
        .await
    }

    /// Stops the clock of an item.
    async fn suspend_service_item(
        &self,
        ctx: &Context<'_>,
        case_id: ID,
        input: SuspendServiceItemInput,
        client_key: Option<String>,
        #[graphql(
            desc = "The reason of a late entry (补录): required when the step is dated more than the configured working days (default 3) before today."
        )]
        late_reason: Option<String>,
    ) -> Result<CaseCommandResult, ApiError> {
        let case = on_case(ctx, &case_id, client_key)?.late_entry(late_reason);
        answer(
            ctx,
            case.suspend_service_item(
                input.item_no,
                input.reason.into(),
                input.suspended_on,
                input.note,
            )
            .await,
        )
        .await
    }

    /// Restarts the clock of a suspended item.
    async fn resume_service_item(
        &self,
        ctx: &Context<'_>,
        case_id: ID,
        input: ResumeServiceItemInput,
        client_key: Option<String>,
        #[graphql(
            desc = "The reason of a late entry (补录): required when the step is dated more than the configured working days (default 3) before today."
        )]
        late_reason: Option<String>,
    ) -> Result<CaseCommandResult, ApiError> {
        let case = on_case(ctx, &case_id, client_key)?.late_entry(late_reason);
        answer(
            ctx,
            case.resume_service_item(input.item_no, input.resumed_on)
                .await,
        )
        .await
    }

    /// Extends an item's limit by working days.
    async fn extend_service_item(
        &self,
        ctx: &Context<'_>,
        case_id: ID,
        input: ExtendServiceItemInput,
        client_key: Option<String>,
    ) -> Result<CaseCommandResult, ApiError> {
        let case = on_case(ctx, &case_id, client_key)?;
        answer(
            ctx,
            case.extend_service_item(input.item_no, input.days, input.approver, input.reason)
                .await,
        )
        .await
    }

    /// Concludes an item (granted, refused or withdrawn).
    async fn conclude_service_item(
        &self,
        ctx: &Context<'_>,
        case_id: ID,
        input: ConcludeServiceItemInput,
        client_key: Option<String>,
        #[graphql(
            desc = "The reason of a late entry (补录): required when the step is dated more than the configured working days (default 3) before today."
        )]
        late_reason: Option<String>,
    ) -> Result<CaseCommandResult, ApiError> {
        let case = on_case(ctx, &case_id, client_key)?.late_entry(late_reason);
        answer(
            ctx,
            case.conclude_service_item(
                input.item_no,
                input.outcome.into(),
                input.concluded_on,
                input.result_reference,
                input.materials_submitted,
                input.onsite_trips,
            )
            .await,
        )
        .await
    }

    /// Records that an item was not accepted (不予受理).
    async fn reject_service_item(
        &self,
        ctx: &Context<'_>,
        case_id: ID,
        input: RejectServiceItemInput,
        client_key: Option<String>,
        #[graphql(
            desc = "The reason of a late entry (补录): required when the step is dated more than the configured working days (default 3) before today."
        )]
        late_reason: Option<String>,
    ) -> Result<CaseCommandResult, ApiError> {
        let case = on_case(ctx, &case_id, client_key)?.late_entry(late_reason);
        answer(
            ctx,
            case.reject_service_item(input.item_no, input.reason, input.rejected_on)
                .await,
        )
        .await
    }
}
